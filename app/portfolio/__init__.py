"""The portfolio domain: the managed members, their weights and changes, the audit trail, the
decision policy (`policy`) and the portfolio maths (`maths`), the routes under `/portfolio` and
`/pairlist`, and the score refresh and rebalance jobs."""
