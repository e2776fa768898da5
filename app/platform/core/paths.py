"""The service's URL layout, written once: the API's prefix and the paths probes and scrapers
call (the command line's client and the app share it)."""

API_PREFIX = "/api/symbol-mgmt"
LIVENESS = f"{API_PREFIX}/health"
READINESS = f"{API_PREFIX}/status"
SCRAPE = "/metrics"  # at the root, where scrapers look
