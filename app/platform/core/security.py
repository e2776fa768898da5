"""API-key primitives: the one parser of a presented key, the one role check, generation,
hashing and constant-time matching. No I/O here."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterable
from dataclasses import dataclass

from app.platform.core.environment import BootstrapKey, Role
from app.platform.core.headers import API_KEY, raw

KEY_PREFIX = "msk_"
PUBLIC_ID_LENGTH = len(KEY_PREFIX) + 8
_API_KEY_HEADER = raw(API_KEY)
_AUTHORIZATION_HEADER = b"authorization"
BEARER = "Authorization: Bearer"

# The audit trail records a stored key as `key-<id>:<name>` in String(80) actor columns
# (`actor`, `created_by`, `requested_by`, the idempotency `principal`, ...). A new key's name is
# capped so that the actor fits with room for a 10-digit id; a longer name stored before the cap
# is shortened in the actor (the id, which identifies the key, is always kept whole).
ACTOR_LENGTH = 80
KEY_NAME_MAX_LENGTH = ACTOR_LENGTH - len("key-:") - 10


@dataclass(frozen=True)
class Principal:
    """Who is calling: the audit trail records `name` as the actor."""

    name: str
    role: Role
    api_key_id: int | None = None


ANONYMOUS_READER = Principal(name="anonymous", role=Role.READ)


@dataclass(frozen=True, slots=True)
class Credentials:
    """What a request presents: its one key (None: no key), or, when it presents different
    keys, where they came from (`conflict`, and then no key)."""

    key: str | None
    conflict: tuple[str, ...] = ()


def presented_credentials(headers: Iterable[tuple[bytes, bytes]]) -> Credentials:
    """The API key a request presents, from its raw ASGI headers: in `X-API-Key` or as
    `Authorization: Bearer <key>`. The only parser of it: authentication, the callers' limits and
    the response cache must agree on who is asking. Blanks around a value are ignored, an empty
    value is no key (an empty `X-API-Key` beside a Bearer key: the Bearer key) and another
    `Authorization` scheme carries none. Every value counts: the same key sent more than once
    (in both headers, say) is that key; different keys are a conflict, never one chosen over
    the other (a proxy or client that adds a header would change who is calling)."""
    found: dict[str, set[str]] = {}  # key: the headers it came in
    for name, value in headers:
        if name == _API_KEY_HEADER:
            where, key = API_KEY, value.decode("latin-1").strip()
        elif name == _AUTHORIZATION_HEADER:
            scheme, _, credentials = value.decode("latin-1").strip().partition(" ")
            where, key = BEARER, credentials.strip() if scheme.lower() == "bearer" else ""
        else:
            continue
        if key:
            found.setdefault(key, set()).add(where)
    if len(found) <= 1:
        return Credentials(next(iter(found), None))
    came = {where for places in found.values() for where in places}
    return Credentials(None, tuple(where for where in (API_KEY, BEARER) if where in came))


def presented_key(headers: Iterable[tuple[bytes, bytes]]) -> str | None:
    """The one API key a request presents (`presented_credentials`); None for none, and for
    different keys (which authentication refuses)."""
    return presented_credentials(headers).key


def role_permits(role: Role | None, required: Role, *, open_reads: bool) -> bool:
    """Whether a caller holding `role` (None: one that presents no key) may do what `required`
    allows: the one role check, made by authentication and by the response cache alike."""
    if role is None:
        return required is Role.READ and open_reads
    return role.allows(required)


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def generate_key() -> tuple[str, str]:
    """Return (full key, public id): `msk_<8 hex>_<secret>`; the public id is safe to show."""
    public_id = KEY_PREFIX + secrets.token_hex(4)
    return f"{public_id}_{secrets.token_urlsafe(32)}", public_id


def public_id_of(key: str) -> str | None:
    """The public id of a generated key, or None for strings not shaped like one."""
    if not key.startswith(KEY_PREFIX) or len(key) <= PUBLIC_ID_LENGTH + 1:
        return None
    return key[:PUBLIC_ID_LENGTH] if key[PUBLIC_ID_LENGTH] == "_" else None


def stored_key_actor(key_id: int, name: str) -> str:
    """The actor a stored key writes as: `key-<id>:<name>`, the name cut to fit the columns."""
    label = f"key-{key_id}:"
    return label + name[: max(ACTOR_LENGTH - len(label), 0)]


def hashes_match(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())


def bootstrap_name(role: str, key_hash: str) -> str:
    """A bootstrap key's name (its audit actor, idempotency scope and replay quota):
    `bootstrap-<role>-<its hash's first 8 hex digits>`, the same wherever the key stands in
    MYSYMBOLS_API_KEYS (by position, reordering the list handed one key's name to another)."""
    return f"bootstrap-{role}-{key_hash[:8]}"


class BootstrapKeyring:
    """Keys from the environment, held as hashes; matching visits every entry, so timing tells
    nothing."""

    def __init__(self, keys: list[BootstrapKey]) -> None:
        hashes = [hash_key(k.key.get_secret_value()) for k in keys]
        self._entries = [
            (key_hash, Principal(bootstrap_name(k.role, key_hash), k.role))
            for key_hash, k in zip(hashes, keys, strict=True)
        ]

    def match(self, presented_hash: str) -> Principal | None:
        found: Principal | None = None
        for stored_hash, principal in self._entries:
            if hashes_match(stored_hash, presented_hash):
                found = principal
        return found
