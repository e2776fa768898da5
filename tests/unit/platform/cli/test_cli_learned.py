"""`calibrate --learned` (and a `--config` weighing the learned component) in an installation
without the `learned` extra: exit 2 with the sentence of what to install, no traceback, no
report."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.cli import main
from app.scoring.scorers.learned import NOT_INSTALLED
from tests.missing_extra import sklearn_missing
from tests.replay_data import random_walks, write_csv_folder


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_csv_folder(random_walks(8, 24 * 45), tmp_path_factory.mktemp("history"))


@pytest.fixture
def without_learned_extra() -> Iterator[None]:
    with sklearn_missing():
        yield


@pytest.mark.usefixtures("without_learned_extra")
class TestWithoutTheExtra:
    @pytest.mark.parametrize("several", [False, True])
    def test_calibrate_learned_exits_2_saying_what_to_install(
        self, folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], several: bool
    ) -> None:
        out = tmp_path / "calibration.json"
        data = ["--data", str(folder)]
        if several:
            data += ["--data", str(write_csv_folder(random_walks(6, 24 * 45), tmp_path / "b"))]
        args = ["calibrate", *data, "--learned", "--train", "14d", "--test", "7d"]
        assert main([*args, "--out", str(out)]) == 2
        assert capsys.readouterr() == ("", f"calibrate: {NOT_INSTALLED}\n")
        assert "pip install 'mysymbols[learned]'" in NOT_INSTALLED
        assert not out.exists()

    def test_a_config_weighing_the_learned_scorer_exits_2_too(
        self, folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        config = tmp_path / "config.json"
        config.write_text(json.dumps({"scoring": {"weights": {"risk": 0.5, "learned": 0.5}}}))
        out = tmp_path / "replay.json"
        args = ["replay", "--data", str(folder), "--config", str(config), "--out", str(out)]
        assert main(args) == 2
        assert capsys.readouterr() == ("", f"replay: {NOT_INSTALLED}\n")
        assert not out.exists()

    def test_a_replay_without_it_runs(self, folder: Path, tmp_path: Path) -> None:
        out = tmp_path / "replay.json"
        assert main(["replay", "--data", str(folder), "--every", "7d", "--out", str(out)]) == 0
        assert json.loads(out.read_text())["strategies"]["policy"]
