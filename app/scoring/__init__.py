"""Scoring: each scoring run (stage one's shortlist, the market data it fetches within its
KuCoin weight, the gate, the components and the composite), the rankings and a symbol's scores,
and the scoring algorithm in force (the domain: router, schemas, service, repository, models;
its pure maths in `scorers`)."""
