"""API-key primitives: generated key shape, public ids, keyring matching."""

from __future__ import annotations

from app.core.config import BootstrapKey, Role
from app.core.security import BootstrapKeyring, generate_key, hash_key, public_id_of


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
        assert principal.name == "bootstrap-admin-2"
        assert keyring.match(hash_key("admin-key-0123456789")) is None
