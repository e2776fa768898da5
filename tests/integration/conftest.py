"""Fixtures for the integration modules whose requests commit (see committed.py)."""

from tests.integration.committed import committed_postgres, committed_sqlite, live_sim

__all__ = ["committed_postgres", "committed_sqlite", "live_sim"]
