"""The history commands' process pool: results in the order asked whatever finishes first, and
a failing task named by its index with its cause."""

from __future__ import annotations

import os
import time

import pytest

from app.cli.pool import TaskFailed, run_all


def slow_echo(value: int, seconds: float) -> tuple[int, float, int]:
    time.sleep(seconds)
    return value, time.monotonic(), os.getpid()


def fail_on(value: int, bad: int) -> int:
    if value == bad:
        raise ValueError(f"{value} is bad")
    time.sleep(0.2)
    return value


@pytest.mark.slow  # the first task asked takes a second
def test_results_come_in_the_order_asked_whatever_finishes_first() -> None:
    calls = [(0, 1.0), (1, 0.0), (2, 0.2)]
    shown: list[tuple[int, int]] = []
    results = run_all(slow_echo, calls, 2, lambda done, total: shown.append((done, total)))
    assert [value for value, _, _ in results] == [0, 1, 2]
    finished = [at for _, at, _ in results]
    assert finished[0] > finished[2] > finished[1]  # the first asked finished last
    assert shown == [(1, 3), (2, 3), (3, 3)]
    assert len({pid for _, _, pid in results}) == 2  # both workers took tasks
    assert os.getpid() not in {pid for _, _, pid in results}


def test_a_failing_task_is_raised_with_its_index_and_cause() -> None:
    with pytest.raises(TaskFailed) as failed:
        run_all(fail_on, [(0, 1), (1, 1), (2, 1)], 2)
    assert failed.value.index == 1
    assert isinstance(failed.value.cause, ValueError)
    assert str(failed.value.cause) == "1 is bad"


def test_nothing_asked_nothing_run() -> None:
    assert run_all(slow_echo, [], 2) == []
