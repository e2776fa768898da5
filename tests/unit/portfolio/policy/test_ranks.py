"""What `rank` means: members best first by composite, unscored ones last, ties in the order
they had."""

from __future__ import annotations

from app.portfolio.policy.ranks import by_score


def test_the_best_composite_is_rank_1_whatever_seat_it_holds() -> None:
    seats = {"A": 1, "B": 2, "C": 3}
    assert by_score(seats, {"A": 40.0, "B": 55.5, "C": 70.1}) == {"C": 1, "B": 2, "A": 3}


def test_members_without_a_score_come_last_in_their_previous_order() -> None:
    seats = {"A": 3, "B": 1, "C": 2, "D": 4}
    assert by_score(seats, {"D": 10.0}) == {"D": 1, "B": 2, "C": 3, "A": 4}


def test_equal_scores_keep_their_previous_order() -> None:
    seats = {"A": 2, "B": 1}
    assert by_score(seats, {"A": 50.0, "B": 50.0}) == {"B": 1, "A": 2}


def test_ranks_are_1_to_n_without_holes() -> None:
    seats = {f"S{i}": i for i in range(1, 11)}
    composite = {f"S{i}": float((i * 37) % 11) for i in range(1, 11)}
    assert sorted(by_score(seats, composite).values()) == list(range(1, 11))
    assert by_score({}, {}) == {}
