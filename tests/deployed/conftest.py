"""The deployed suite's shared processes: the simulator (one per pytest worker) and the log the
services write to. Each module deploys the service itself (see `tests.deployed.service`)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.deployed import process, simulator, wait_for
from tests.deployed.service import UNIVERSE
from tests.sim_fixtures import free_port


@pytest.fixture(scope="session")
def simulator_url() -> Iterator[str]:
    """The simulator as a process of its own on a free port, shared by the deployments, with
    its controls (`/_sim/hold`, `/_sim/release`)."""
    port = free_port()
    with process(simulator(port, str(UNIVERSE), controls=True), dict(os.environ), None):
        wait_for(f"http://127.0.0.1:{port}/api/v1/timestamp", timeout_s=90)
        yield f"http://127.0.0.1:{port}"


@pytest.fixture(scope="session")
def service_log(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where the services' stderr goes (read it when a deployed test fails)."""
    return tmp_path_factory.mktemp("deployed") / "service.log"


LOGS: list[Path] = []


@pytest.fixture(scope="session", autouse=True)
def _remember_log(service_log: Path) -> None:
    LOGS.append(service_log)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> object:
    """A failed deployed test shows the tail of what the services logged."""
    report = yield
    if report.failed and LOGS and LOGS[0].exists():
        tail = LOGS[0].read_text(errors="replace").splitlines()[-40:]
        report.sections.append(("service log (tail)", "\n".join(tail)))
    return report
