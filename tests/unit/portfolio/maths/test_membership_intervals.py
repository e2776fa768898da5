"""The pure tiling of portfolio states into intervals (app.portfolio.maths.membership_intervals)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from app.portfolio.maths.membership_intervals import Held, Interval, State, compact, held, tile

T0 = datetime(2026, 1, 1, tzinfo=UTC)
H = timedelta(hours=1)
AB = compact([Held("AUSDT", 1, "60.0000"), Held("BUSDT", 2, "40.0000")])
BA = compact([Held("BUSDT", 1, "50.0000"), Held("AUSDT", 2, "50.0000")])


class TestCompact:
    def test_round_trips_in_rank_order(self) -> None:
        members = [Held("BUSDT", 2, "40.0000"), Held("AUSDT", 1, "60.0000")]
        assert compact(members) == "1,60.0000,AUSDT;2,40.0000,BUSDT"
        assert list(held(compact(members))) == sorted(members, key=lambda h: h.rank)
        assert list(held("")) == []


class TestTile:
    def test_each_state_holds_until_the_next_and_the_last_until_the_end(self) -> None:
        states = [State(T0, AB, "add"), State(T0 + H, BA, "rebalance")]
        assert tile(states, T0, T0 + 3 * H) == [
            Interval(T0, T0 + H, AB, "add"),
            Interval(T0 + H, T0 + 3 * H, BA, "rebalance"),
        ]

    def test_the_range_clips_and_the_state_before_it_opens_it(self) -> None:
        states = [State(T0 - H, AB, "add"), State(T0 + H, BA, "x"), State(T0 + 5 * H, AB, "y")]
        assert tile(states, T0, T0 + 2 * H) == [
            Interval(T0, T0 + H, AB, "add"),
            Interval(T0 + H, T0 + 2 * H, BA, "x"),
        ]

    def test_holding_the_same_again_is_no_new_interval_unless_it_rebalanced(self) -> None:
        same = [State(T0, AB, "add"), State(T0 + H, AB, "noop")]
        assert tile(same, T0, T0 + 2 * H) == [Interval(T0, T0 + 2 * H, AB, "add")]
        traded = [State(T0, AB, "added", True), State(T0 + H, AB, "rebalance", True)]
        assert len(tile(traded, T0, T0 + 2 * H)) == 2

    def test_states_at_one_moment_leave_the_last_with_their_reasons_joined(self) -> None:
        states = [State(T0, AB, "replace"), State(T0, BA, "rebalance")]
        assert tile(states, T0, T0 + H) == [Interval(T0, T0 + H, BA, "replace+rebalance")]

    def test_an_empty_portfolio_is_an_interval_without_members(self) -> None:
        states = [State(T0, AB, "add"), State(T0 + H, "", "remove")]
        assert tile(states, T0, T0 + 2 * H)[-1] == Interval(T0 + H, T0 + 2 * H, "", "remove")
        assert tile([], T0, T0 + H) == []
        assert tile([State(T0 + 2 * H, AB, "add")], T0, T0 + H) == []
