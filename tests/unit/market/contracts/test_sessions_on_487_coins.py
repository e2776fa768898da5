"""The session rule on the year of 487 coins, day by day as the replay and the live service run
it: a file of its own, as it is the suite's longest test (minutes of one core) and the suite
hands out whole files (`--dist loadfile`): beside the rest of the session rule's tests it made
one worker's share the suite's tail."""

from __future__ import annotations

import pytest

from scripts.category_evidence import ADMITTED, Errors
from tests.unit.market.contracts.test_trading_sessions import days_of


@pytest.mark.slow  # the shared real histories, read whole
class TestOnTheYearOf487Coins:
    def test_the_year_of_487_coins_has_no_false_alarm_and_few_unknown_days(self) -> None:
        """Some 200 of them start at their first hour: the young listings."""
        errors = Errors.of(list(days_of("nmtrong062000-crypto_signal_scanner").values()))
        assert errors.false_alarms == 0 and errors.misses == 0
        assert errors.unknown[ADMITTED] == 251  # 2 401 before
        assert errors.unknown_share(ADMITTED) < 0.01
