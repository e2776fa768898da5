"""API-key primitives: the presented key's parser, the role check, generated key shape, public
ids, keyring matching."""

from __future__ import annotations

import pytest

from app.platform.core.environment import BootstrapKey, Role
from app.platform.core.headers import API_KEY
from app.platform.core.security import (
    BEARER,
    BootstrapKeyring,
    Credentials,
    bootstrap_name,
    generate_key,
    hash_key,
    presented_credentials,
    presented_key,
    public_id_of,
    role_permits,
)


def headers(*pairs: tuple[str, str]) -> list[tuple[bytes, bytes]]:
    """Raw ASGI headers: lower-case names, bytes."""
    return [(name.lower().encode(), value.encode("latin-1")) for name, value in pairs]


class TestPresentedKey:
    @pytest.mark.parametrize(
        ("given", "key"),
        [
            ([("X-API-Key", "k1")], "k1"),
            ([("Authorization", "Bearer k2")], "k2"),
            ([("Authorization", "bearer   k2 ")], "k2"),
            # An empty X-API-Key is no key: the Bearer key beside it is the one presented.
            ([("X-API-Key", ""), ("Authorization", "Bearer k2")], "k2"),
            ([("X-API-Key", "  "), ("Authorization", "Bearer k2")], "k2"),
            # The same key sent more than once is that key.
            ([("X-API-Key", "k1"), ("X-API-Key", " k1")], "k1"),
            ([("X-API-Key", "k1"), ("Authorization", "Bearer k1")], "k1"),
            ([("Authorization", "Bearer k2"), ("Authorization", "Basic dXNlcjpwYXNz")], "k2"),
        ],
    )
    def test_reads_the_key_from_either_header(self, given: list[tuple[str, str]], key: str) -> None:
        assert presented_credentials(headers(*given)) == Credentials(key)
        assert presented_key(headers(*given)) == key

    @pytest.mark.parametrize(
        ("given", "sent_in"),
        [
            ([("X-API-Key", "k1"), ("Authorization", "Bearer k2")], (API_KEY, BEARER)),
            ([("Authorization", "Bearer k2"), ("X-API-Key", "k1")], (API_KEY, BEARER)),
            ([("X-API-Key", "k1"), ("X-API-Key", "k3")], (API_KEY,)),
            ([("Authorization", "Bearer k2"), ("Authorization", "Bearer k4")], (BEARER,)),
            (
                [("X-API-Key", "k1"), ("X-API-Key", "k3"), ("Authorization", "Bearer k1")],
                (API_KEY, BEARER),
            ),
        ],
    )
    def test_different_keys_are_a_conflict_with_no_key_chosen(
        self, given: list[tuple[str, str]], sent_in: tuple[str, ...]
    ) -> None:
        """Before, the first of each header counted and X-API-Key won over Bearer."""
        assert presented_credentials(headers(*given)) == Credentials(None, sent_in)
        assert presented_key(headers(*given)) is None

    @pytest.mark.parametrize(
        "given",
        [
            [],
            [("X-API-Key", "")],
            [("Authorization", "Bearer ")],
            [("Authorization", "Bearer")],
            [("Authorization", "Basic dXNlcjpwYXNz")],
            [("X-API-Key", ""), ("Authorization", "Basic dXNlcjpwYXNz")],
            [("X-Api-Key-Other", "k1")],
        ],
    )
    def test_finds_no_key_where_none_is_presented(self, given: list[tuple[str, str]]) -> None:
        assert presented_key(headers(*given)) is None


class TestRolePermits:
    @pytest.mark.parametrize(
        ("role", "required", "allowed"),
        [
            (Role.READ, Role.READ, True),
            (Role.READ, Role.TRADE, False),
            (Role.TRADE, Role.READ, True),
            (Role.TRADE, Role.ADMIN, False),
            (Role.ADMIN, Role.TRADE, True),
            (Role.ADMIN, Role.ADMIN, True),
        ],
    )
    def test_a_role_includes_the_ones_below_it(
        self, role: Role, required: Role, allowed: bool
    ) -> None:
        assert role_permits(role, required, open_reads=False) is allowed
        assert role_permits(role, required, open_reads=True) is allowed

    def test_no_key_may_read_only_where_reads_are_open(self) -> None:
        assert role_permits(None, Role.READ, open_reads=True)
        assert not role_permits(None, Role.READ, open_reads=False)

    @pytest.mark.parametrize("required", [Role.TRADE, Role.ADMIN])
    def test_no_key_never_writes(self, required: Role) -> None:
        assert not role_permits(None, required, open_reads=True)


class TestGeneratedKeys:
    def test_key_carries_its_public_id(self) -> None:
        key, public_id = generate_key()
        assert key.startswith(public_id + "_")
        assert public_id_of(key) == public_id
        assert len(key) > 40

    def test_keys_are_unique(self) -> None:
        assert len({generate_key()[0] for _ in range(100)}) == 100

    def test_foreign_strings_have_no_public_id(self) -> None:
        for value in ("", "msk_", "msk_12345678", "msk_12345678x", "bootstrap-admin-key"):
            assert public_id_of(value) is None


class TestBootstrapKeyring:
    def test_matches_by_hash_and_names_the_role(self) -> None:
        keyring = BootstrapKeyring(
            [
                BootstrapKey(role=Role.READ, key="reader-key-0123456789"),  # type: ignore[arg-type]
                BootstrapKey(role=Role.ADMIN, key="admin-key-01234567890"),  # type: ignore[arg-type]
            ]
        )
        principal = keyring.match(hash_key("admin-key-01234567890"))
        assert principal is not None
        assert principal.role is Role.ADMIN
        assert principal.name == bootstrap_name("admin", hash_key("admin-key-01234567890"))
        assert keyring.match(hash_key("admin-key-0123456789")) is None

    def test_a_keys_name_does_not_follow_its_place_in_the_list(self) -> None:
        keys = [
            BootstrapKey(role=Role.TRADE, key="first-trade-key-0123"),  # type: ignore[arg-type]
            BootstrapKey(role=Role.TRADE, key="second-trade-key-012"),  # type: ignore[arg-type]
        ]
        names = [
            [keyring.match(hash_key(k.key.get_secret_value())) for k in keys]
            for keyring in (BootstrapKeyring(keys), BootstrapKeyring(keys[::-1]))
        ]
        assert names[0] == names[1] and None not in names[0]
        assert names[0][0] != names[0][1]
