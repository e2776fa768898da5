"""The platform every domain stands on: the environment and errors (core), the runtime,
observability, the database, shared request and answer types, events, webhooks and background
runs; and the drivers that serve the domains: the HTTP layer and the scheduler."""
