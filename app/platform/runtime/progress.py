"""Progress and safe points of a long operation, reported from wherever the work is without
passing a callback through every layer.

A runner installs a `Tracker` for the duration of a run (`tracking`); the operation calls
`advance(fraction)` as it goes (cheap, never raises) and `checkpoint(fraction)` at the points
where stopping leaves nothing half done: there, a run whose process is stopping ends with
`RunAborted`. `within(start, end)` maps a stage's own 0..1 onto its share of the whole. Outside
a run, all of these do nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field


class RunAborted(Exception):
    """The process is stopping: the run ends at this safe point, its transaction undone."""


@dataclass
class Tracker:
    """One run's progress (0..1) and whether it has been asked to stop."""

    done: float = 0.0
    stopping: bool = False
    _spans: list[tuple[float, float]] = field(default_factory=list)

    def report(self, fraction: float) -> None:
        for start, end in reversed(self._spans):
            fraction = start + (end - start) * fraction
        self.done = max(self.done, min(max(fraction, 0.0), 1.0))


_current: ContextVar[Tracker | None] = ContextVar("progress_tracker", default=None)


@contextmanager
def tracking(tracker: Tracker) -> Iterator[Tracker]:
    """Report this context's (and its tasks' and threads') progress to `tracker`."""
    token = _current.set(tracker)
    try:
        yield tracker
    finally:
        _current.reset(token)


@contextmanager
def within(start: float, end: float) -> Iterator[None]:
    """Inside, fractions 0..1 mean start..end of the enclosing scale."""
    tracker = _current.get()
    if tracker is None:
        yield
        return
    tracker._spans.append((start, end))
    try:
        yield
    finally:
        tracker._spans.pop()
        tracker.report(end)


def advance(fraction: float) -> None:
    """This much (0..1 of the current scale) is done."""
    tracker = _current.get()
    if tracker is not None:
        tracker.report(fraction)


def checkpoint(fraction: float) -> None:
    """A safe point: report progress, and end the run here if its process is stopping."""
    tracker = _current.get()
    if tracker is None:
        return
    tracker.report(fraction)
    if tracker.stopping:
        raise RunAborted("the service is stopping")
