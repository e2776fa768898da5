"""The process pool the history commands share: their tasks (one per dataset, or per dataset
and group of candidates) run on every core, and come back in the order they were asked for,
whatever finishes first."""

from __future__ import annotations

import concurrent.futures
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

R = TypeVar("R")
Done = Callable[[int, int], None]  # tasks done, tasks asked


class TaskFailed(Exception):
    """Task `index` (of the calls asked) raised `cause`."""

    def __init__(self, index: int, cause: BaseException) -> None:
        super().__init__(f"task {index} failed: {cause}")
        self.index = index
        self.cause = cause


def run_all(
    task: Callable[..., R],
    calls: Sequence[tuple[Any, ...]],
    workers: int,
    done: Done | None = None,
) -> list[R]:
    """`task(*call)` for every call, in a pool of at most `workers` processes; the results in
    the order of `calls`. The first failure cancels the calls not yet started and is raised as
    `TaskFailed` once the running ones have ended: the failure of the first call asked among
    those that failed (calls start in order, so every earlier one has ended), whichever
    finished first."""
    if not calls:
        return []
    results: dict[int, R] = {}
    with concurrent.futures.ProcessPoolExecutor(max_workers=min(workers, len(calls))) as pool:
        futures = {pool.submit(task, *call): k for k, call in enumerate(calls)}
        for future in concurrent.futures.as_completed(futures):
            k = futures[future]
            try:
                results[k] = future.result()
            except Exception:
                pool.shutdown(wait=True, cancel_futures=True)
                raise _first_failure(futures) from None
            if done is not None:
                done(len(results), len(calls))
    return [results[k] for k in range(len(calls))]


def _first_failure(futures: dict[concurrent.futures.Future[Any], int]) -> TaskFailed:
    failed = sorted(
        (k, future.exception())
        for future, k in futures.items()
        if future.done() and not future.cancelled() and future.exception() is not None
    )
    k, cause = failed[0]
    assert cause is not None
    return TaskFailed(k, cause)
