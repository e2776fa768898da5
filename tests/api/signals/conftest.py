"""The signals' API tests run on the market scored once a module (tests/api/scored_market.py)."""

from tests.api.scored_market import connection, scored, sim_config

__all__ = ["connection", "scored", "sim_config"]
