"""Walk-forward folds: a training window, then the test window that follows it. Test windows are
consecutive and never overlap; each training window ends where its test window starts, so no
choice is made on data it is judged on."""

from __future__ import annotations

from dataclasses import dataclass

from app.platform.core.units import HOUR_MS


class FoldError(ValueError):
    """The windows asked for do not fit the range or the decision interval."""


@dataclass(frozen=True)
class Fold:
    index: int
    train_start_ms: int
    test_start_ms: int  # = the end of the training window
    test_end_ms: int

    def train_times(self, every_h: int) -> list[int]:
        return list(range(self.train_start_ms, self.test_start_ms, every_h * HOUR_MS))


def walk_forward(
    start_ms: int, end_ms: int, *, train_h: int, test_h: int, every_h: int
) -> list[Fold]:
    """Folds from `start_ms` (the first training decision) to `end_ms`: rolling training windows
    of `train_h`, test windows of `test_h` (the last one shortened to end at `end_ms`)."""
    for name, value in (("train", train_h), ("test", test_h)):
        if value <= 0 or value % every_h:
            raise FoldError(
                f"the {name} window must be a positive multiple of the decision "
                f"interval ({every_h}h)"
            )
    folds: list[Fold] = []
    test_start = start_ms + train_h * HOUR_MS
    while test_start + every_h * HOUR_MS <= end_ms:
        test_end = min(test_start + test_h * HOUR_MS, end_ms)
        folds.append(Fold(len(folds), test_start - train_h * HOUR_MS, test_start, test_end))
        test_start = test_end
    if not folds:
        raise FoldError("the range is shorter than one training window and one test decision")
    return folds
