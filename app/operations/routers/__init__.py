"""The operations routers, one module per URL prefix: `/health`, `/status`."""
