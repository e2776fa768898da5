"""The service's own HTTP header names, written once: the app, its command-line client and its
CORS lists read them here. ASGI carries header names as lowercase bytes: `raw` gives that form."""

from app.platform.core.patterns import worded

API_KEY = "X-API-Key"
REQUEST_ID = "X-Request-ID"
MARKET_SOURCE = "X-Market-Data-Source"  # live, simulator or custom: where market data comes from
CACHE = "X-Cache"  # hit or stale, on an answer served from the response cache
IDEMPOTENCY_KEY = "Idempotency-Key"
# The draft's key is a structured-field string: printable ASCII. Other bytes would be stored as
# the latin-1 the server decodes them as, a key no client wrote.
IDEMPOTENCY_KEY_HELP = (
    "must be printable ASCII (letters, digits, punctuation, spaces): a UUID serves"
)
IDEMPOTENCY_KEY_PATTERN = worded(r"^[ -~]+$", IDEMPOTENCY_KEY_HELP)
IDEMPOTENT_REPLAYED = "Idempotent-Replayed"
LAST_EVENT_ID = "Last-Event-ID"


def raw(name: str) -> bytes:
    """`name` as an ASGI scope or message carries it."""
    return name.lower().encode("latin-1")
