"""Initial selection: filling empty places with the best-scored outsiders, none too correlated
with a member (the same correlation limit the replacement rule keeps)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from app.portfolio.policy.replacement_facts import CorrelationTable


def fill_vacancies(
    members: Sequence[int],
    ranked_outsiders: Sequence[int],
    correlation: CorrelationTable,
    *,
    places: int,
    correlation_limit: float,
) -> list[int]:
    """Outsiders (best first) to add until `places` are taken: each must correlate below the
    limit with every member and every outsider added before it; an unknown correlation with
    the current set blocks it, as it blocks a replacement. The first pick into an empty
    portfolio needs no check."""
    chosen: list[int] = []
    held = list(members)
    for outsider in ranked_outsiders:
        if len(held) >= places:
            break
        if held:
            corr = correlation.of(outsider, held)
            if np.isnan(corr).all() or np.nanmax(corr) >= correlation_limit:
                continue
        chosen.append(outsider)
        held.append(outsider)
    return chosen
