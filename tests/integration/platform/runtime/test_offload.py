"""CPU work in the worker process: it runs elsewhere than the event loop's process, with this
process's scorer registries (plug-ins, the learned model a configuration names), and a worker
that died is replaced."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
import tracemalloc
from concurrent.futures.process import BrokenProcessPool
from functools import partial
from pathlib import Path

import numpy as np
import pytest

from app.platform.core.errors import WorkerUnavailableError
from app.platform.runtime import offload
from app.platform.runtime.offload import (
    LAB,
    READS,
    SCORING,
    ProgressChannel,
    SharedProgress,
    in_worker,
    prestart,
    stop_workers,
)
from app.platform.runtime.progress import RunAborted
from app.portfolio.maths.weighting import InfeasibleWeights, calculate_weights
from app.portfolio.policy.weight_rules import InsufficientReturns, risk_inputs
from app.scoring.scorers import component_registry, learned, portable
from tests.plugins import TOY, toy_plugin
from tests.sim_fixtures import wait_until

ROOT = Path(__file__).resolve().parents[4]
# A service process that has started its three workers, says their pids, then is killed
# outright.
KILLED_SERVICE = """
import asyncio, os, signal
from app.platform.runtime.offload import LAB, READS, SCORING, in_worker

async def pids():
    return [await in_worker(os.getpid, worker=w) for w in (SCORING, LAB, READS)]

print(*asyncio.run(pids()), flush=True)
os.kill(os.getpid(), signal.SIGKILL)
"""


def steps_until_stopped(channel: ProgressChannel, steps: int) -> int:
    """In the worker: report each of `steps` steps, a few ms apart (a run's decisions)."""
    with channel.reporting() as report:
        for step in range(steps):
            report(step / steps)
            time.sleep(0.005)
    return steps


def killed() -> None:
    """In the worker: its process killed outright (out of memory, say)."""
    os.kill(os.getpid(), signal.SIGKILL)


def registries() -> tuple[list[str], list[str]]:
    return [p.name for p in component_registry.registered()], sorted(learned.MODELS)


def registries_seen_by(state: portable.ScorerState) -> tuple[list[str], list[str]]:
    with portable.adopted(state):
        return registries()


async def test_work_runs_in_another_process_that_is_replaced_when_it_dies() -> None:
    first = await in_worker(os.getpid)
    assert first != os.getpid()
    assert await in_worker(os.getpid) == first  # one worker, kept
    os.kill(first, signal.SIGKILL)
    second = await in_worker(os.getpid)  # the broken pool is replaced, the call answered
    assert second not in (first, os.getpid())


async def test_a_call_that_kills_its_worker_twice_is_a_503_and_the_next_call_answered() -> None:
    with pytest.raises(WorkerUnavailableError) as unavailable:
        await in_worker(killed, worker=READS)
    assert unavailable.value.status == 503 and unavailable.value.headers == {"Retry-After": "2"}
    assert isinstance(unavailable.value.__cause__, BrokenProcessPool)
    assert await in_worker(abs, -3, worker=READS) == 3


async def test_a_prestart_leaves_the_worker_ready_even_when_its_import_fails() -> None:
    """A scoring run starts the worker beside its fetches; whatever the warm-up met, the run's
    own call is answered by a live worker."""
    prestart("app.scoring.run_scores")
    prestart("no_such_module_anywhere")  # its error stays in a future nobody reads
    worker = await in_worker(os.getpid)
    assert worker != os.getpid() and alive(worker)
    assert await in_worker(abs, -3) == 3
    assert await in_worker(os.getpid) == worker  # the same worker: nothing broke it


async def test_a_call_is_let_go_of_once_it_is_answered() -> None:
    """The worker's call queue kept the last call it sent, pickled, until the next: a scoring
    run's inputs and window (some 9 MB) held from one run to the next."""
    await in_worker(os.getpid)  # the worker started
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        window = np.ones(2_000_000)  # 16 MB, pickled to as much again
        assert await in_worker(len, window) == 2_000_000
        del window
        assert await wait_until(lambda: tracemalloc.get_traced_memory()[0] - before < 2**20)
    finally:
        tracemalloc.stop()


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def start_killed_service() -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", KILLED_SERVICE], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )


async def test_the_workers_end_with_a_service_killed_outright() -> None:
    service = start_killed_service()
    assert service.stdout is not None
    with service.stdout:  # the workers inherit the pipe: read the line, not to its end
        pids = [int(p) for p in (await asyncio.to_thread(service.stdout.readline)).split()]
    assert await asyncio.to_thread(service.wait, 60) == -signal.SIGKILL
    assert len(set(pids)) == 3 and service.pid not in pids
    # Not children of this process: gone means they ended (orphans would live on, idle).
    for pid in pids:
        assert await wait_until(lambda pid=pid: not alive(pid), timeout_s=10), f"{pid} lives on"


async def test_the_worker_scores_with_this_processs_plugins_and_named_models() -> None:
    # What earlier tests of this process left registered (the worker forked from it) stays.
    before, worker_before = registries(), await in_worker(registries)
    model = learned.LearnedModel("m-1", ("rsi",), 0, 1, 10, estimator=None)  # type: ignore[arg-type]
    learned.MODELS["m-1"] = model
    try:
        with toy_plugin():
            named = portable.current({learned.COMPONENT: learned.parameters(model="m-1")})
            unnamed = portable.current({})
            seen = await in_worker(registries_seen_by, named)
            assert seen == ([learned.METRIC, TOY], ["m-1"])
            assert (await in_worker(registries_seen_by, unnamed))[1] == []
        assert await in_worker(registries) == worker_before  # the worker's own: intact
    finally:
        learned.MODELS.pop("m-1", None)
    assert registries() == before
    assert before[0] == [learned.METRIC] and "m-1" not in before[1]


def test_adopting_a_state_restores_this_processs_registries_afterwards() -> None:
    before = registries()
    with toy_plugin():
        state = portable.current({})
    with portable.adopted(state):
        assert registries()[0] == [learned.METRIC, TOY]
    assert registries() == before


async def test_lab_work_has_a_worker_of_its_own_that_scoring_never_waits_behind() -> None:
    scoring, lab = await in_worker(os.getpid), await in_worker(os.getpid, worker=LAB)
    assert len({scoring, lab, os.getpid()}) == 3
    busy = asyncio.ensure_future(in_worker(time.sleep, 3.0, worker=LAB))
    assert await in_worker(os.getpid) == scoring  # answered while the lab worker sleeps
    assert not busy.done()
    await busy


async def test_the_lab_worker_ends_once_idle_and_the_next_run_gets_another(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Evidence runs come hours apart: their worker is not kept between them; scoring's is."""
    monkeypatch.setitem(offload.RETIRE_AFTER_S, LAB, 0.5)
    scoring = await in_worker(os.getpid)
    first = await in_worker(os.getpid, worker=LAB)
    busy = asyncio.ensure_future(in_worker(time.sleep, 1.0, worker=LAB))
    await asyncio.sleep(0.7)  # idle long enough after the first call, but one is in flight
    assert alive(first)
    await busy
    assert await in_worker(os.getpid, worker=LAB) == first  # the same, until idle
    assert await wait_until(lambda: not alive(first), timeout_s=10)
    second = await in_worker(os.getpid, worker=LAB)
    assert second != first and alive(second)
    assert await in_worker(os.getpid) == scoring and alive(scoring)


async def test_each_worker_says_what_it_is_for() -> None:
    for kind in (SCORING, LAB, READS):
        pid = await in_worker(os.getpid, worker=kind)
        name = await asyncio.to_thread(Path(f"/proc/{pid}/comm").read_text)
        assert name.strip() == f"mysym-{kind}"


async def test_reads_have_a_worker_of_their_own_that_waits_behind_no_run() -> None:
    """A caller waits for a heavy read: neither a calibration of minutes nor a scoring run
    holds it up."""
    kinds = (SCORING, LAB, READS)
    workers = [await in_worker(os.getpid, worker=kind) for kind in kinds]
    assert len({*workers, os.getpid()}) == 4
    busy = [asyncio.ensure_future(in_worker(time.sleep, 3.0, worker=k)) for k in kinds[:2]]
    assert await in_worker(os.getpid, worker=READS) == workers[2]  # answered meanwhile
    assert not any(run.done() for run in busy)
    await asyncio.gather(*busy)


async def test_what_the_maths_refuses_in_a_worker_reaches_the_service_whole() -> None:
    """Pickle rebuilds an exception from its arguments: the refusals the heavy reads turn into
    problems keep what the problems name, and the worker stays up."""
    worker = await in_worker(os.getpid, worker=READS)
    one_without = np.full((2, 30), np.nan)
    one_without[0] = 0.01
    three_at_most_20 = partial(
        calculate_weights, "equal", scores=np.ones(3), min_weight=0.0, max_weight=20.0
    )
    with pytest.raises(InsufficientReturns) as here:
        risk_inputs(one_without)
    with pytest.raises(InsufficientReturns) as there:
        await in_worker(risk_inputs, one_without, worker=READS)
    assert (str(there.value), there.value.common_hours, there.value.without) == (
        str(here.value),
        0,
        [1],
    )
    with pytest.raises(InfeasibleWeights) as capped_here:
        three_at_most_20()
    with pytest.raises(InfeasibleWeights) as capped_there:
        await in_worker(three_at_most_20, worker=READS)
    assert (str(capped_there.value), capped_there.value.cap) == (
        str(capped_here.value),
        "max_position_weight",
    )
    assert await in_worker(os.getpid, worker=READS) == worker


@pytest.mark.skipif(sys.platform != "linux", reason="the idle scheduling class is Linux's")
async def test_lab_work_yields_the_core_to_everything_else_and_scoring_and_reads_do_not() -> None:
    """Where worker and service share a core, a waking event loop preempts an idle-class
    lab run at once; a scoring run keeps the normal class (a request waits for it)."""
    assert await in_worker(os.sched_getscheduler, 0, worker=LAB) == os.SCHED_IDLE
    assert await in_worker(os.sched_getscheduler, 0) == os.SCHED_OTHER
    assert await in_worker(os.sched_getscheduler, 0, worker=READS) == os.SCHED_OTHER
    assert os.sched_getscheduler(0) == os.SCHED_OTHER  # the service itself: untouched


async def test_a_run_in_the_worker_reports_its_progress_and_stops_when_asked() -> None:
    """The lab runs' channel, in the scoring worker: the lab worker's idle scheduling
    class (tested above) gets next to no CPU on a machine kept busy, as CI's is, and starved
    its first report past the wait once (its spawn and imports, in the idle class)."""
    progress = SharedProgress()
    try:
        run = asyncio.ensure_future(in_worker(steps_until_stopped, progress.channel, 100_000))
        assert await wait_until(lambda: progress.done > 0, timeout_s=30)
        seen = progress.done
        assert 0 < seen < 1 and not run.done()
        progress.stop()
        with pytest.raises(RunAborted):
            await run
        assert progress.done >= seen  # the share it reached stays
    finally:
        progress.close()
    # Unstopped, a run ends with its result, its last report standing.
    finished = SharedProgress()
    try:
        assert await in_worker(steps_until_stopped, finished.channel, 4) == 4
        assert finished.done == 0.75
    finally:
        finished.close()


async def test_a_stop_ends_the_workers_without_waiting_for_their_calls_in_flight() -> None:
    """At a signal the service has aborted its runs before it stops the workers: a call still in
    flight is never used, so the stop ends it rather than wait (here: an hour)."""
    workers = [await in_worker(os.getpid, worker=kind) for kind in (SCORING, LAB)]
    calls = [
        asyncio.ensure_future(in_worker(time.sleep, 3600.0, worker=kind)) for kind in (SCORING, LAB)
    ]
    await asyncio.sleep(0.5)  # both calls reach their workers
    await stop_workers(timeout_s=60)
    assert [alive(worker) for worker in workers] == [False, False]  # ended and reaped
    for call in calls:
        with pytest.raises((BrokenProcessPool, asyncio.CancelledError)):
            await call
    assert await in_worker(os.getpid) not in (*workers, os.getpid())  # a next call: a new worker
