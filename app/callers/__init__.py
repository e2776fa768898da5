"""Callers: who may call (the API keys, created, listed and revoked over the admin API, and the
stored keys authentication looks up) and a write's replay protection (`Idempotency-Key`), with the
actor the audit trails record (the domain: router, schemas, service, repository, models)."""
