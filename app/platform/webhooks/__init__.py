"""Webhooks: the outbox's events POSTed, signed, to the configured URLs (the dispatcher, one
queue per receiver, one send)."""
