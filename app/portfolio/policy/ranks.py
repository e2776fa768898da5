"""What a member's rank means, everywhere the API says `rank`: its place among the members by
composite score, best first (members without a score after the scored ones, in their previous
order). It is the order the engine reads: the pairlist lists pairs in it, and the member ranked 1
is the one the scores (and so, under most weighting methods, the weights) favour most."""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from typing import TypeVar

Key = TypeVar("Key", bound=Hashable)


def by_score(previous: Mapping[Key, int], composite: Mapping[Key, float]) -> dict[Key, int]:
    """Ranks 1..n of the members of `previous` (member -> its previous rank) by `composite`
    (member -> latest composite; a member absent has none). Equal scores keep their previous
    order."""
    order = sorted(
        previous, key=lambda m: (m not in composite, -composite.get(m, 0.0), previous[m])
    )
    return {member: rank for rank, member in enumerate(order, start=1)}
