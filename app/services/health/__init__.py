"""What `/health` and `/status` report: liveness, readiness (shared for a second with anonymous
callers), and a first start's progress."""
