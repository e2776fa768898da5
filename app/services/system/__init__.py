"""The service itself: status, API keys, the event outbox, idempotency, webhooks."""
