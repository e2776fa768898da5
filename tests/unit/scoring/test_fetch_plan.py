"""A scoring run's weight plan: the core always, the rest while `scoring_weight_budget` lasts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from app.market.funding import FUNDING_LOOKBACK
from app.market.models import Symbol
from app.scoring.fetch_plan import FetchPlan, plan_fetches

NOW = datetime(2026, 11, 23, 12, 30, tzinfo=UTC)
NEWEST = datetime(2026, 11, 23, 11, tzinfo=UTC)  # open time of the last closed hour
LOOKBACK = 500


def symbols(prefix: str, count: int, first_id: int) -> list[Symbol]:
    return [
        Symbol(id=first_id + i, symbol=f"{prefix}{i}USDT", turnover_24h=float(1000 - i))
        for i in range(count)
    ]


def plan(
    core: list[Symbol],
    rest: list[Symbol],
    *,
    budget: int,
    candles: dict[int, datetime] | None = None,
    funding_due: dict[str, datetime] | None = None,
    last_scored: dict[int, datetime] | None = None,
    interval_s: float = 900,
) -> FetchPlan:
    every = core + rest
    return plan_fetches(
        core,
        rest,
        rotation=True,
        interval_s=interval_s,
        budget=budget,
        last_scored=last_scored or {},
        latest_candles=candles if candles is not None else {s.id: NEWEST for s in every},
        funding_due=funding_due or {},
        lookback=LOOKBACK,
        now=NOW,
    )


def test_the_core_is_planned_whole_even_past_the_budget() -> None:
    core = symbols("C", 10, 1)
    first_time = {s.symbol: NOW - FUNDING_LOOKBACK for s in core}
    got = plan(core, [], budget=0, candles={}, funding_due=first_time)
    # Contract list, then per symbol: a book (3), a first load of 500 hours (one page, 3) and
    # 14 days of funding (5).
    assert got.by_endpoint() == {
        "book_snapshot": 30,
        "contracts": 3,
        "funding_history": 50,
        "klines": 30,
    }
    assert got.total == 113 and got.deferred_funding == [] and got.rotation == []


def test_new_settlements_wait_for_a_later_run_oldest_first_when_the_budget_is_spent() -> None:
    core = symbols("C", 4, 1)
    due = {  # settlements new since the last stored one; C2's is the oldest
        "C0USDT": NOW - timedelta(hours=2),
        "C1USDT": NOW - timedelta(hours=3),
        "C2USDT": NOW - timedelta(hours=9),
        "C3USDT": NOW - timedelta(hours=1),
    }
    # The core costs 3 + 4 x 3 = 15; 10 more allows two funding calls of 5.
    got = plan(core, [], budget=25, funding_due=due)
    assert sorted(got.weight["funding_history"]) == ["C1USDT", "C2USDT"]
    assert got.deferred_funding == ["C0USDT", "C3USDT"]
    assert got.total == 25


def test_the_rotation_takes_a_paced_share_of_the_rest_oldest_scored_first() -> None:
    core, rest = symbols("C", 2, 1), symbols("R", 8, 100)
    scored = {s.id: NOW - timedelta(minutes=15 + 5 * i) for i, s in enumerate(rest)}
    got = plan(core, rest, budget=1000, last_scored=scored)
    # A quarter of the 8 at a 15-minute interval; the longest unscored first.
    assert got.rotation == ["R7USDT", "R6USDT"] and got.rotation_behind == 0
    assert [s.symbol for s in got.symbols] == ["C0USDT", "C1USDT", "R7USDT", "R6USDT"]
    assert got.total == 3 + 4 * 3


def test_contracts_that_would_pass_the_hour_unscored_are_all_due() -> None:
    core, rest = symbols("C", 1, 1), symbols("R", 8, 100)
    # Five were scored 50 minutes ago: by the next run (15 minutes on) they pass the hour.
    scored = {s.id: NOW - timedelta(minutes=50 if i < 5 else 10) for i, s in enumerate(rest)}
    got = plan(core, rest, budget=1000, last_scored=scored)
    assert got.rotation == [f"R{i}USDT" for i in range(5)]


def test_the_budget_bounds_the_rotation_and_the_shortfall_is_recorded() -> None:
    core, rest = symbols("C", 2, 1), symbols("R", 40, 100)
    # Core 3 + 2 x 3 = 9. A rotated contract here costs its book and one candle page (6): a
    # budget of 45 leaves room for 6 of the 10 due.
    candles = {s.id: NEWEST for s in core} | {s.id: NEWEST - timedelta(hours=1) for s in rest}
    got = plan(core, rest, budget=45, candles=candles)
    assert len(got.rotation) == 6 and got.rotation_behind == 4
    assert got.total == 9 + 6 * 6 <= 45
    assert got.rotation == [f"R{i}USDT" for i in range(6)]  # never scored: most traded first


def test_before_a_run_that_opens_an_hour_what_it_cannot_take_is_taken_now() -> None:
    core, rest = symbols("C", 2, 1), symbols("R", 8, 100)
    at = NOW.replace(minute=50)  # the next run, at 13:05, pays for the core's 12:00 candles
    scored = {s.id: at.replace(minute=4 if i < 2 else 19) for i, s in enumerate(rest)}
    got = plan_fetches(
        core,
        rest,
        rotation=True,
        interval_s=900,
        budget=30,
        last_scored=scored,
        latest_candles={s.id: NEWEST for s in core + rest},
        funding_due={},
        lookback=LOOKBACK,
        now=at,
    )
    # 12:04's two pass the hour by 13:05; 12:19's six by 13:20, and the 13:05 run has room for
    # (30 - 3 - 2 x 6) // 6 = 2 of them: four are taken now (a book each, 3).
    assert got.rotation == ["R0USDT", "R1USDT", "R2USDT", "R3USDT", "R4USDT", "R5USDT"]
    assert got.total == 3 + 2 * 3 + 6 * 3


def test_a_rotated_contracts_new_settlements_wait_until_its_newest_stored_is_a_day_old() -> None:
    core, rest = symbols("C", 1, 1), symbols("R", 2, 100)
    due = {
        "C0USDT": NOW - timedelta(hours=3),
        "R0USDT": NOW - timedelta(hours=10),
        "R1USDT": NOW - timedelta(hours=30),
    }
    got = plan(core, rest, budget=1000, funding_due=due, interval_s=3600)  # all rotated
    assert got.rotation == ["R0USDT", "R1USDT"]
    assert sorted(got.weight["funding_history"]) == ["C0USDT", "R1USDT"]
    assert got.deferred_funding == []


def test_the_cores_new_settlements_come_before_the_rotation() -> None:
    # A realistic core (150 shortlisted + 20 candidates) when a funding time has passed.
    core, rest = symbols("C", 170, 1), symbols("R", 330, 1000)
    due = {s.symbol: NOW - timedelta(hours=1, minutes=i) for i, s in enumerate(core)}
    scored = {s.id: NOW - timedelta(minutes=50) for s in rest}
    got = plan(core, rest, budget=1000, funding_due=due, last_scored=scored)
    # Core 3 + 170 x 3 = 513; 487 left pays 97 funding calls, the oldest first.
    assert len(got.weight["funding_history"]) == 97
    assert set(got.weight["funding_history"]) == {f"C{i}USDT" for i in range(73, 170)}
    assert len(got.deferred_funding) == 73 and got.rotation == []
    assert got.rotation_behind == 330 and got.total == 998
    # Once stored, the next run's room goes to the rotation: 487 // 3 books.
    assert len(plan(core, rest, budget=1000, last_scored=scored).rotation) == 162


def test_a_contract_scored_exactly_an_hour_before_the_next_run_waits_for_it() -> None:
    core, rest = symbols("C", 1, 1), symbols("R", 8, 100)
    exactly = NOW + timedelta(minutes=15) - timedelta(hours=1)
    scored = {s.id: exactly - timedelta(seconds=1 if i == 0 else 0) for i, s in enumerate(rest)}
    got = plan(core, rest, budget=1000, last_scored=scored)
    # R0 (a second older) would pass the hour before the next run; the seven others reach it
    # exactly then: the paced share of 2, not all 8.
    assert got.rotation == ["R0USDT", "R1USDT"] and got.rotation_behind == 0
