"""Why a walk-forward refresh is refused on a short stored history, in words: before the scorer's
warm-up is over there is no count of decision days at all (never a negative one), after it the
days there are of the days needed."""

from __future__ import annotations

from app.lab.scoring_calibration import MIN_TRAIN_DAYS, too_short
from tests.api.unsaid_figures import unsaid

NEEDED = MIN_TRAIN_DAYS + 2


class TestTooShort:
    def test_inside_the_warm_up_it_says_the_hours_stored_and_needed(self) -> None:
        said = too_short(-1, 721, 720)
        assert said == (
            f"not enough stored history yet: a walk-forward needs {NEEDED} days of daily "
            "decisions after the scorer's warm-up of 721 hours of candles, and the 720 hours "
            "stored do not reach past the warm-up yet"
        )
        assert unsaid(said) == []

    def test_no_day_of_decisions_yet_reads_as_none_however_far_short(self) -> None:
        assert too_short(0, 721, 740) == too_short(-5, 721, 740)
        assert "-5" not in too_short(-5, 721, 740)

    def test_after_the_warm_up_it_counts_the_days_there_are(self) -> None:
        assert too_short(3, 721, 820) == (
            f"not enough stored history yet: 3 of the {NEEDED} days of daily decisions a "
            "walk-forward needs after the scorer's warm-up"
        )
