"""Who is asking, read once per request from its raw headers: the key it presents (through
`app.platform.core.security.presented_credentials`, the one parser), the key's hash, the role it
holds when it is a bootstrap key (matched in memory), whether it presents different keys (then it
is limited by its address, and never served from the response cache: its route refuses it), and
the client's address. The callers' limits and the response cache both decide from it, so neither
parses nor hashes a key again."""

from __future__ import annotations

from dataclasses import dataclass

from starlette.types import Scope

from app.platform.core.environment import Role
from app.platform.core.security import BootstrapKeyring, hash_key, presented_credentials

CALLER_KEY = "caller"  # request.state: the request's Caller, once resolved


@dataclass(slots=True)
class Caller:
    presented: str | None  # the key as sent; None for no key
    key_hash: str | None  # its hash (None without a key)
    bootstrap_role: Role | None  # the role of a bootstrap key; None for any other
    address: str  # the client's address ("unknown" when the server gives none)
    conflicting: bool = False  # different keys presented (then `presented` is None)


def resolve_caller(scope: Scope, keyring: BootstrapKeyring | None) -> Caller:
    """The caller of `scope`, resolved now."""
    client = scope.get("client")
    address = client[0] if client else "unknown"
    credentials = presented_credentials(scope["headers"])
    presented = credentials.key
    if presented is None:
        return Caller(None, None, None, address, conflicting=bool(credentials.conflict))
    key_hash = hash_key(presented)
    principal = None if keyring is None else keyring.match(key_hash)
    return Caller(presented, key_hash, None if principal is None else principal.role, address)


def caller_of(scope: Scope, keyring: BootstrapKeyring | None) -> Caller:
    """The request's caller: as the protection layer resolved it, else resolved now (and kept)."""
    state = scope.setdefault("state", {})
    caller: Caller | None = state.get(CALLER_KEY)
    if caller is None:
        caller = state[CALLER_KEY] = resolve_caller(scope, keyring)
    return caller
