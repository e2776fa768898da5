"""`python -m app.cli replay` on a folder: the report file, quiet off a terminal, clear errors."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from app.cli import main
from app.platform.core.units import HOUR_MS
from app.records.keeping.family import PRESETS
from tests.replay_data import START_MS, random_walks, write_csv_folder


def ms(text: str) -> int:
    return int(datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp() * 1000)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_csv_folder(random_walks(8, 24 * 45), tmp_path_factory.mktemp("history"))


def test_writes_the_report_and_prints_nothing_off_a_terminal(
    folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "report.json"
    assert main(["replay", "--data", str(folder), "--every", "7d", "--out", str(out)]) == 0
    report = json.loads(out.read_text())
    assert report["data"]["symbols"] == 8 and report["data"]["funding"] == "known"
    assert report["data"]["decisions"] >= 2
    assert capsys.readouterr() == ("", "")


def test_overrides_change_the_config_hash_and_top_caps_the_members(
    folder: Path, tmp_path: Path
) -> None:
    base, tuned = tmp_path / "base.json", tmp_path / "tuned.json"
    config = tmp_path / "config.json"
    config.write_text(json.dumps({"policy": {"weighting_method": "equal"}}))
    # 16 days into the history: the session rule has two weeks to tell what each contract is
    common = ["replay", "--data", str(folder), "--from", "2023-11-30T00:00:00Z"]
    assert main([*common, "--top", "3", "--out", str(base)]) == 0
    assert main([*common, "--top", "3", "--config", str(config), "--out", str(tuned)]) == 0
    first, second = json.loads(base.read_text()), json.loads(tuned.read_text())
    assert first["config_hash"] != second["config_hash"]
    assert all(len(d["members"]) <= 3 for d in first["decisions"])
    weights = second["decisions"][0]["weights"]
    assert sorted(weights.values()) == [33.3333, 33.3333, 33.3334]  # equal, summing to 100


@pytest.mark.parametrize("lag", [0, 3])
def test_the_lag_is_the_reports_and_its_hash(folder: Path, tmp_path: Path, lag: int) -> None:
    out, default = tmp_path / "lagged.json", tmp_path / "default.json"
    common = ["replay", "--data", str(folder), "--every", "7d"]
    assert main([*common, "--lag-h", str(lag), "--out", str(out)]) == 0
    assert main([*common, "--out", str(default)]) == 0
    lagged, first = json.loads(out.read_text()), json.loads(default.read_text())
    assert (lagged["data"]["execution_lag_h"], first["data"]["execution_lag_h"]) == (lag, 1)
    assert lagged["config_hash"] != first["config_hash"]
    decided = [
        [{k: v for k, v in d.items() if k != "traded_at"} for d in r["decisions"]]
        for r in (lagged, first)
    ]
    assert decided[0] == decided[1]  # decided alike, traded later
    hours = {(ms(d["traded_at"]) - ms(d["at"])) // HOUR_MS for d in lagged["decisions"]}
    assert hours == {lag}


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--every", "3x"], "not a duration"),
        (["--from", "yesterday"], "not an ISO 8601 time"),
        (["--lag-h", "25"], "invalid choice"),
    ],
)
def test_bad_arguments_exit_2_with_the_reason(
    folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], extra: list[str], message: str
) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["replay", "--data", str(folder), "--out", str(tmp_path / "r.json"), *extra])
    assert exit_.value.code == 2
    assert message in capsys.readouterr().err


def test_an_unknown_override_is_refused_not_ignored(
    folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "config.json"
    config.write_text(json.dumps({"policy": {"replacment_margin": 3}}))
    out = tmp_path / "r.json"
    assert main(["replay", "--data", str(folder), "--config", str(config), "--out", str(out)]) == 2
    assert "unknown policy setting(s): replacment_margin" in capsys.readouterr().err
    assert not out.exists()


@pytest.mark.slow  # a calibration
def test_calibrate_writes_the_report_with_its_folds(folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "calibration.json"
    args = ["calibrate", "--data", str(folder), "--from", "2023-11-25T00:00:00Z"]
    windows = ["--train", "14d", "--test", "7d", "--objective", "ic", "--top", "3"]
    assert main([*args, *windows, "--out", str(out)]) == 0
    report = json.loads(out.read_text())
    assert [f["test"]["from"][:10] for f in report["folds"]] == [
        "2023-12-09",
        "2023-12-16",
        "2023-12-23",
    ]
    assert report["data"]["from"] == report["folds"][0]["test"]["from"]
    assert report["calibration"]["objective"] == "ic"
    assert report["calibration"]["train_days"] == 14
    assert set(report["strategies"]) >= {"policy", "default", "btc_hold", "momentum"}


def test_calibrate_refuses_windows_the_range_cannot_hold(
    folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "r.json"
    args = ["calibrate", "--data", str(folder), "--train", "90d", "--out", str(out)]
    assert main(args) == 2
    assert "shorter than one training window" in capsys.readouterr().err
    assert not out.exists()


def test_technical_v2_is_replayed_through_an_override(folder: Path, tmp_path: Path) -> None:
    v1 = {"macd_histogram_bps", "bollinger_bandwidth", "volume_vs_mean"}
    v2 = {
        "rsi",
        "bollinger_pct_b",
        "macd_histogram_z",
        "volume_surge",
        "ema_trend_z",
        "momentum_3d_z",
        "momentum_7d_z",
        "momentum_30d_z",
        "efficiency_signed_72h",
    }
    # The seed's weights: only weighed components are computed, and the default weighs no
    # technical. Version 1 beside 2, since the default's parameters already name 2.
    weights = PRESETS["seed"].component_weights()
    shared = {"rsi", "bollinger_pct_b"}
    for version, present, absent in ((1, v1 | shared, v2 - shared), (2, v2, v1)):
        config = tmp_path / f"v{version}.json"
        override = {"weights": weights, "parameters": {"technical": {"version": version}}}
        config.write_text(json.dumps({"scoring": override}))
        out = tmp_path / f"v{version}-report.json"
        assert (
            main(
                [
                    "replay",
                    "--data",
                    str(folder),
                    "--every",
                    "7d",
                    "--config",
                    str(config),
                    "--out",
                    str(out),
                ]
            )
            == 0
        )
        metrics = set(json.loads(out.read_text())["ic"]["metrics"])
        assert present <= metrics, version
        assert not absent & metrics, version


def test_a_technical_version_other_than_1_or_2_is_refused(
    folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "v3.json"
    config.write_text(json.dumps({"scoring": {"parameters": {"technical": {"version": 3}}}}))
    out = tmp_path / "r.json"
    assert main(["replay", "--data", str(folder), "--config", str(config), "--out", str(out)]) == 2
    assert "technical.version must be 1 or 2, not 3" in capsys.readouterr().err
    assert not out.exists()


@pytest.fixture(scope="module")
def two(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Two datasets: 8 symbols over 45 days, and 6 over 40 days starting a week later."""
    root = tmp_path_factory.mktemp("datasets")
    alpha = write_csv_folder(random_walks(8, 24 * 45, seed=3), root / "alpha")
    later = START_MS + 7 * 24 * HOUR_MS
    beta = write_csv_folder(random_walks(6, 24 * 40, seed=5, start_ms=later), root / "beta")
    return alpha, beta


def run_cli(*args: str | Path) -> int:
    return main([str(a) for a in args])


class TestSeveralDatasets:
    def test_replay_reports_each_as_alone_and_pooled(
        self, two: tuple[Path, Path], tmp_path: Path
    ) -> None:
        alpha, beta = two
        out, single = tmp_path / "both.json", tmp_path / "alpha.json"
        assert (
            run_cli("replay", "--data", alpha, "--data", beta, "--every", "7d", "--out", out) == 0
        )
        assert run_cli("replay", "--data", alpha, "--every", "7d", "--out", single) == 0
        report = json.loads(out.read_text())
        assert list(report) == ["datasets", "pooled"]
        assert list(report["datasets"]) == ["alpha", "beta"]
        # the dataset's section is the single run's report to the byte
        assert json.dumps(report["datasets"]["alpha"], separators=(",", ":")) == single.read_text()
        alone = {name: report["datasets"][name] for name in ("alpha", "beta")}
        assert [r["data"]["symbols"] for r in alone.values()] == [8, 6]
        assert alone["beta"]["data"]["from"] > alone["alpha"]["data"]["from"]  # its own range
        pooled = report["pooled"]
        assert set(pooled) == {"ic", "selection", "data"}
        decisions = [r["data"]["decisions"] for r in alone.values()]
        assert pooled["data"] == {
            "datasets": 2,
            "decisions": sum(decisions),
            "per_dataset": {
                name: {"decisions": r["data"]["decisions"], "symbols": r["data"]["symbols"]}
                for name, r in alone.items()
            },
        }
        composite = pooled["ic"]["composite"]
        own = {name: r["ic"]["composite"] for name, r in alone.items()}
        assert composite["n"] == sum(c["n"] for c in own.values())
        assert composite["mean"] == pytest.approx(
            sum(c["mean"] * c["n"] for c in own.values()) / composite["n"], abs=1e-9
        )
        assert composite["per_dataset"] == {
            name: {k: c[k] for k in ("mean", "t", "t_hac", "n")} for name, c in own.items()
        }
        sources = [d["source"] for d in pooled["selection"]["datasets"]]
        assert sources == ["csv:alpha", "csv:beta"]
        assert pooled["selection"]["datasets"][0] == alone["alpha"]["selection"]["datasets"][0]

    def test_the_report_follows_the_data_order(
        self, two: tuple[Path, Path], tmp_path: Path
    ) -> None:
        alpha, beta = two
        out = tmp_path / "r.json"
        assert (
            run_cli("replay", "--data", beta, "--data", alpha, "--every", "7d", "--out", out) == 0
        )
        report = json.loads(out.read_text())
        assert list(report["datasets"]) == ["beta", "alpha"]
        assert list(report["pooled"]["ic"]["composite"]["per_dataset"]) == ["beta", "alpha"]
        sources = [d["source"] for d in report["pooled"]["selection"]["datasets"]]
        assert sources == ["csv:beta", "csv:alpha"]

    def test_a_bad_second_folder_exits_2_naming_it_and_writes_nothing(
        self, two: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        empty = tmp_path / "empty"
        empty.mkdir()
        out = tmp_path / "r.json"
        assert run_cli("replay", "--data", two[0], "--data", empty, "--out", out) == 2
        err = capsys.readouterr().err
        assert err.startswith("replay: empty: ") and "USDT-1h.csv" in err
        assert not out.exists()

    def test_two_folders_of_one_name_are_refused(
        self, two: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        out = tmp_path / "r.json"
        assert run_cli("replay", "--data", two[0], "--data", two[0], "--out", out) == 2
        assert "distinct names" in capsys.readouterr().err
        assert not out.exists()

    @pytest.mark.slow  # a calibration per dataset
    def test_calibrate_calibrates_each_on_its_own_folds_and_pools(
        self, two: tuple[Path, Path], tmp_path: Path
    ) -> None:
        alpha, beta = two
        out, single = tmp_path / "both.json", tmp_path / "beta.json"
        windows = ["--train", "14d", "--test", "7d", "--every", "7d", "--objective", "ic"]
        assert run_cli("calibrate", "--data", alpha, "--data", beta, *windows, "--out", out) == 0
        assert run_cli("calibrate", "--data", beta, *windows, "--out", single) == 0
        report = json.loads(out.read_text())
        assert json.dumps(report["datasets"]["beta"], separators=(",", ":")) == single.read_text()
        folds = {
            n: [f["test"]["from"][:10] for f in r["folds"]] for n, r in report["datasets"].items()
        }
        assert folds["alpha"][0] < folds["beta"][0]  # each its own folds
        pooled = report["pooled"]
        assert set(pooled) == {"ic", "ic_default", "selection", "data"}
        for key in ("ic", "ic_default"):
            own = [r[key]["composite"] for r in report["datasets"].values()]
            assert pooled[key]["composite"]["n"] == sum(c["n"] for c in own)
            assert pooled[key]["composite"]["per_dataset"]["beta"]["t"] == own[1]["t"]
        assert set(pooled["selection"]["ranking"]) == {"policy", "default"}
        assert pooled["data"]["decisions"] == sum(
            r["data"]["decisions"] for r in report["datasets"].values()
        )

    def test_calibrate_names_the_dataset_too_short_for_the_windows(
        self, two: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        out = tmp_path / "r.json"
        # Both are too short: the first asked is named, whichever worker ends first.
        windows = ["--train", "35d", "--test", "7d", "--every", "7d", "--top", "3"]
        assert run_cli("calibrate", "--data", two[0], "--data", two[1], *windows, "--out", out) == 2
        err = capsys.readouterr().err
        assert err == (
            "calibrate: alpha: the range is shorter than one training window and one test "
            "decision\n"
        )
        assert not out.exists()
