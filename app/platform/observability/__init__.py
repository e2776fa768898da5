"""Metrics (Prometheus, `GET /metrics`) and the request log: what running the service shows."""
