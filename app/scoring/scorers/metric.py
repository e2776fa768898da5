"""One raw metric over the universe: its values, the way it ranks and its weight.

`raw` is what is shown in breakdowns; `ranked` is what is compared across the universe (the same
array unless a regime transform applies, e.g. v1's RSI distance from its preferred level).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True)
class Metric:
    name: str
    raw: np.ndarray
    direction: int  # app.scoring.scorers.normalise.HIGHER_IS_BETTER or LOWER_IS_BETTER
    weight: float = 1.0
    ranked: np.ndarray | None = field(default=None)

    @property
    def comparable(self) -> np.ndarray:
        return self.raw if self.ranked is None else self.ranked
