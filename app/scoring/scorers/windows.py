"""A scoring configuration's windows against the hourly candles a scoring run fetches
(`scoring_candles`): which window reads more than that, named with the largest value that fits,
and how many candles the longest one reads. What `PUT /scoring/algorithms`, a replay's overrides
and `PUT /config` refuse, and what the alert check names in a stored configuration. Read off each
component's own count of the candles it reads (`BuiltIn.candles`, the one behind
`candles_needed`), never restated here."""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from typing import Any

from app.scoring.scorers.components import BUILT_INS, BuiltIn
from app.scoring.scorers.parameters import Parameter, ParameterProblem, Path

_BY_NAME = {c.name: c for c in BUILT_INS}
FETCHED = "scoring_candles"  # the runtime setting: hourly candles a scoring run fetches


def window_problems(
    name: str, params: Mapping[str, Any], candles: int, *, only: Collection[str] | None = None
) -> list[ParameterProblem]:
    """Where component `name`'s `params` read more than `candles` hourly candles: each window
    that does (its path within the parameters, `volatility_window`, `macd.1`), with the largest
    value that fits; empty when they fit. `only`: the parameters to hold to it (a change's own,
    as a stored value outside it is kept and alerted on, never refused for the caller); a window
    not among them is not named. Values outside their declaration are its to name, not these."""
    builtin = _BY_NAME.get(name)
    needs = _reads(builtin, params)
    if builtin is None or needs is None or needs <= candles:
        return []
    leaves = list(_leaves(builtin, params))
    floor = dict(params)
    for path, parameter in leaves:
        floor = _with(builtin, floor, path, parameter.minimum)
    held = [
        (path, parameter)
        for path, parameter in leaves
        if (only is None or path[0] in only) and type(_at(builtin, params, path)) is int
    ]
    # A window too long alone (the others at their shortest); else, as where two add up
    # (`trend_ema` + `trend_lookback`), each that a shorter value would shorten the read.
    over = [
        (path, parameter)
        for path, parameter in held
        if (_reads(builtin, _with(builtin, floor, path, _at(builtin, params, path))) or 0) > candles
    ] or [
        (path, parameter)
        for path, parameter in held
        if (_reads(builtin, _with(builtin, params, path, parameter.minimum)) or needs) < needs
    ]
    return [
        ParameterProblem(
            path, _words(builtin, params, path, parameter, candles), _at(builtin, params, path)
        )
        for path, parameter in over
    ]


def longest_window(parameters: Mapping[str, Mapping[str, Any]]) -> tuple[int, str]:
    """The hourly candles the longest window of `parameters` (by component) reads, and what
    reads them (`risk.volatility_window`, or the component where no one window does): the
    fewest `scoring_candles` may be."""
    reads = {
        name: n
        for name, params in parameters.items()
        if (n := _reads(_BY_NAME.get(name), params)) is not None
    }
    if not reads:
        return 0, ""
    name = max(reads, key=lambda n: reads[n])
    named = window_problems(name, parameters[name], reads[name] - 1)
    path = ".".join(str(part) for part in named[0].path) if named else ""
    return reads[name], f"{name}.{path}" if path else name


def fetched_problem(parameters: Mapping[str, Mapping[str, Any]], candles: int) -> str | None:
    """What `scoring_candles` must be under `parameters` (by component) when `candles` is fewer
    than their longest window reads, in words naming that window; None when it is enough."""
    reads, reader = longest_window(parameters)
    if candles >= reads:
        return None
    return f"must be at least {reads}: the longest window, {reader}, reads {reads} hourly candles"


def _words(
    builtin: BuiltIn, params: Mapping[str, Any], path: Path, parameter: Parameter, candles: int
) -> str:
    """What the window must be: at most the largest value that fits with the others as they
    are, or shorter together with them when none does."""
    low, high = int(parameter.minimum or 1), int(_at(builtin, params, path))
    reads = _reads(builtin, params)
    if (_reads(builtin, _with(builtin, params, path, low)) or 0) > candles:
        return (
            f"must be shorter, with the component's other windows: together they read {reads} "
            f"hourly candles, more than the {candles} a scoring run fetches ({FETCHED})"
        )
    while low < high:  # the largest value that fits: the candles read never fall as it grows
        middle = (low + high + 1) // 2
        if (_reads(builtin, _with(builtin, params, path, middle)) or 0) <= candles:
            low = middle
        else:
            high = middle - 1
    return (
        f"must be at most {low} while {FETCHED} is {candles}: the component would read {reads} "
        f"hourly candles, more than the {candles} a scoring run fetches"
    )


def _reads(builtin: BuiltIn | None, params: Mapping[str, Any]) -> int | None:
    """The candles `builtin` reads under `params`; None for a component that counts none, or
    for values outside their declaration (which cannot be counted)."""
    if builtin is None or builtin.candles is None:
        return None
    try:
        return int(builtin.candles(params))
    except (TypeError, ValueError, IndexError, KeyError):
        return None


def _leaves(builtin: BuiltIn, params: Mapping[str, Any]) -> Iterator[tuple[Path, Parameter]]:
    """Each integer window of the component's parameters (a version's choice is not one): a
    scalar, a tuple's item, a list's entry."""
    for parameter in builtin.parameters.parameters:
        value = params.get(parameter.name, parameter.default)
        if _is_window(parameter):
            yield (parameter.name,), parameter
        elif parameter.kind == "tuple":
            for i, item in enumerate(parameter.items):
                if _is_window(item):
                    yield (parameter.name, i), item
        elif parameter.kind == "list" and isinstance(value, list):
            each = parameter.each
            if each is not None and _is_window(each):
                yield from (((parameter.name, i), each) for i in range(len(value)))


def _is_window(parameter: Parameter) -> bool:
    return parameter.kind == "integer" and not parameter.choices and parameter.minimum is not None


def _at(builtin: BuiltIn, params: Mapping[str, Any], path: Path) -> Any:
    """The value at `path` (one or two deep), or its declared default (None where a stored
    value has another shape)."""
    value = builtin.parameters.get(params, str(path[0]))
    try:
        return value if len(path) == 1 else value[int(path[1])]
    except (IndexError, KeyError, TypeError):
        return None


def _with(builtin: BuiltIn, params: Mapping[str, Any], path: Path, value: Any) -> dict[str, Any]:
    """A copy of `params` with the value at `path` (one or two deep) set, the rest kept (a
    tuple or list not set starts from its declared default)."""
    out = dict(params)
    name = str(path[0])
    if len(path) == 1:
        out[name] = value
        return out
    items = list(builtin.parameters.get(params, name))
    items[int(path[1])] = value
    out[name] = items
    return out
