"""The event outbox followed live: the in-process wake-up, the one reader per process, and the
Server-Sent Events stream it feeds."""
