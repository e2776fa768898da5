"""Trading signals: posted by outside sources, voted on by four agents, decided by a weighted
consensus, and measured afterwards (the domain: router, schemas, service, repository, models;
its pure maths in `voting`)."""
