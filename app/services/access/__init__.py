"""Callers' access: their API keys, and their retried requests answered once (`Idempotency-Key`)."""
