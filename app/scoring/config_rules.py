"""What a scoring configuration must mean with the market it scores: its benchmark a contract of
the synced universe. The rules over values alone sit with the values, in the pure scorers (the
weights' sum in `parameters`, the windows against `scoring_candles` in `windows`); this one reads
the universe. `PUT /scoring/algorithms` and a replay's overrides refuse what breaks one, with a
422 naming the field (`refusal`); the alert check names a stored configuration that breaks one,
which keeps running. And what it must mean with the installation: a request that trains or
weighs the learned scorer without its `learned` extra is a 409 saying what to install
(`require_learned`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.market.repository.symbols import SymbolFilter, SymbolRepository
from app.platform.core.errors import ConflictError, ValidationFailedError
from app.scoring.scorers import learned
from app.scoring.scorers.components import RISK
from app.scoring.scorers.parameters import as_json
from app.scoring.scorers.windows import window_problems

BENCHMARK = "benchmark"  # the risk component's parameter: what beta and correlation measure against


async def benchmark_problem(
    session: AsyncSession, benchmark: str, *, once_synced: bool = False
) -> str | None:
    """Why `benchmark` cannot be the risk component's benchmark (a contract of the synced
    universe that KuCoin still lists, so that beta and correlation measure something), or None
    when it can. `once_synced`: None too while no contract is synced yet (a stored benchmark
    before the first universe sync is not yet wrong)."""
    symbols = SymbolRepository(session)
    row = await symbols.get_by_symbol(benchmark)
    if row is not None and row.delisted_at is None:
        return None
    _, synced = await symbols.page(SymbolFilter(), limit=1, offset=0)
    if not synced:
        if once_synced:
            return None
        return "must be a contract of the synced universe, and none is synced yet (sync it first)"
    if row is not None:
        return "must be a contract KuCoin still lists: this one was delisted"
    return "must be a contract of the synced universe (GET /symbols lists them), as BTCUSDT"


async def rule_problems(
    session: AsyncSession,
    name: str,
    params: Mapping[str, Any],
    changed: Mapping[str, Any],
    *,
    candles: int,
) -> list[tuple[str, str]]:
    """Where the parameters `changed` sets for component `name` (whose parameters are then
    `params`) break a rule of what the values mean together: a window reading more hourly
    candles than `candles` (`scoring_candles`), a benchmark that is no listed contract of the
    synced universe. Each as (its dotted path within the parameters, what it must be); what
    `changed` leaves as it was is not held to them (a stored value keeps running)."""
    found = [
        (".".join(str(part) for part in problem.path), problem.text)
        for problem in window_problems(name, params, candles, only=changed)
    ]
    benchmark = changed.get(BENCHMARK)
    if name == RISK and isinstance(benchmark, str):
        words = await benchmark_problem(session, benchmark)
        if words is not None:
            found.append((BENCHMARK, f"{words}, not {as_json(benchmark)}"))
    return found


def refusal(errors: Sequence[tuple[str, str]]) -> ValidationFailedError:
    """The 422 of values that break a rule: each (field, from the body's root, and what it must
    be), as a request's validation errors are listed, the first in the detail."""
    listed = [
        {"field": field, "location": "body", "message": message, "code": "rule"}
        for field, message in errors
    ]
    first = listed[0]
    return ValidationFailedError(f"{first['field']}: {first['message']}", extra={"errors": listed})


class ScorerNotInstalledError(ConflictError):
    """A well-formed request that needs a scorer this installation lacks the optional
    dependencies of (the learned scorer without the `learned` extra); nothing is changed."""

    slug, title = "scorer-not-installed", "The scorer's optional dependencies are not installed"


def require_learned() -> None:
    """409 `scorer-not-installed`, saying what to install, unless the learned scorer can train
    and score in this installation (`learned.available`)."""
    if not learned.available():
        raise ScorerNotInstalledError(
            learned.NOT_INSTALLED, extra={"component": learned.COMPONENT, "extra": learned.EXTRA}
        )
