"""The webhook signing secret's format (Standard Webhooks: `whsec_` then the base64 of the key),
checked at start; the key it signs with."""

from __future__ import annotations

import base64
import binascii
import re

WEBHOOK_SECRET_ENV = "MYSYMBOLS_WEBHOOKS__SECRET"
WEBHOOK_SECRET_PREFIX = "whsec_"
WEBHOOK_SECRET_MIN_BYTES = 32
_BASE64 = re.compile(r"[A-Za-z0-9+/]+={0,2}")
_GENERATE_SECRET = (
    'python -c "import base64, secrets; '
    "print('whsec_' + base64.b64encode(secrets.token_bytes(32)).decode())\""
)


SHAPE = (
    f"{WEBHOOK_SECRET_PREFIX} then the base64 of at least {WEBHOOK_SECRET_MIN_BYTES} random bytes "
    f"(make one with {_GENERATE_SECRET})"
)
"""What a secret is, as the refusals say it."""


def webhook_key(secret: str) -> bytes:
    """The signing key of a Standard Webhooks secret `whsec_<base64>`; ValueError (naming the
    variable, never echoing the value) when it is not one or its key is under 32 bytes."""
    shape = f"{WEBHOOK_SECRET_ENV} must be a Standard Webhooks secret: {SHAPE}"
    if not secret.startswith(WEBHOOK_SECRET_PREFIX):
        raise ValueError(f"{shape}; it does not start with {WEBHOOK_SECRET_PREFIX}")
    encoded = secret.removeprefix(WEBHOOK_SECRET_PREFIX)
    # Strict: the standardwebhooks library skips stray characters, so a value that is not clean
    # base64 would quietly give the receiver a different key than the operator meant.
    if not _BASE64.fullmatch(encoded):
        raise ValueError(f"{shape}; what follows {WEBHOOK_SECRET_PREFIX} is not base64")
    try:
        key = base64.b64decode(encoded + "=" * (-len(encoded) % 4), validate=True)
    except binascii.Error:
        raise ValueError(f"{shape}; what follows {WEBHOOK_SECRET_PREFIX} is not base64") from None
    if len(key) < WEBHOOK_SECRET_MIN_BYTES:
        raise ValueError(f"{shape}; its key has {len(key)} bytes")
    return key
