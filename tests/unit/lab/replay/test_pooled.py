"""Several datasets' replays pooled: every IC over every decision of every dataset (not an
average of means) with each dataset's own figures beside it, and a dataset added changing no
figure of the others."""

from __future__ import annotations

import math
from functools import cache
from typing import Any

import numpy as np
import pytest

from app.books.replay_config import policy_config
from app.books.simulation.replay_params import ReplayParams
from app.configuration.registry import DEFAULTS
from app.lab.replay.pooled import DatasetRun, pooled_ic, several
from app.lab.replay.replaying import replayed
from app.platform.core.units import HOUR_MS
from app.stats.ic import IcSeries
from tests.replay_data import START_MS, generated_run_config, random_walks

POLICY = policy_config(generated_run_config(), DEFAULTS)
DAY_MS = 24 * HOUR_MS
TRACKS = {"ic": "policy"}


@cache
def run(name: str, seed: int, days: int) -> DatasetRun:
    history = random_walks(10, 24 * 40, seed=seed)
    params = ReplayParams(START_MS + 12 * DAY_MS, START_MS + (12 + days) * DAY_MS, 24)
    report, book_run = replayed(history, POLICY, params)
    return DatasetRun(name, report, book_run.ic_series, book_run.selection)


@cache
def a() -> DatasetRun:
    return run("a", 7, 25)


@cache
def b() -> DatasetRun:
    return run("b", 8, 12)


@cache
def c() -> DatasetRun:
    return run("c", 9, 18)


def t_of(values: list[float]) -> float:
    return float(np.mean(values) / (np.std(values, ddof=1) / math.sqrt(len(values))))


class TestPooledIc:
    def test_each_score_is_the_summary_of_every_decision_together(self) -> None:
        pooled = several([a(), b()], TRACKS)["pooled"]["ic"]
        for name, entry in [("composite", pooled["composite"]), ("risk", pooled["risk"])]:
            values = a().ics["policy"][name].values + b().ics["policy"][name].values
            assert entry["n"] == len(values) == 25 + 12
            assert entry["mean"] == pytest.approx(float(np.mean(values)), abs=1e-9)
            assert entry["t"] == pytest.approx(t_of(values), abs=1e-8)
            together = IcSeries.concat([a().ics["policy"][name], b().ics["policy"][name]])
            assert {k: v for k, v in entry.items() if k != "per_dataset"} == together.summary()

    def test_pooled_is_weighted_by_decisions_not_an_average_of_means(self) -> None:
        pooled = several([a(), b()], TRACKS)["pooled"]["ic"]["composite"]
        mean_a = a().report["ic"]["composite"]["mean"]
        mean_b = b().report["ic"]["composite"]["mean"]
        weighted = (25 * mean_a + 12 * mean_b) / 37
        assert pooled["mean"] == pytest.approx(weighted, abs=1e-9)
        assert abs(pooled["mean"] - (mean_a + mean_b) / 2) > 1e-4  # unequal counts: not equal

    def test_per_dataset_figures_are_each_report_own(self) -> None:
        pooled = several([a(), b()], TRACKS)["pooled"]["ic"]
        for run_ in (a(), b()):
            own = run_.report["ic"]
            for name in ("composite", "technical", "risk"):
                expected = {k: own[name][k] for k in ("mean", "t", "t_hac", "n")}
                assert pooled[name]["per_dataset"][run_.name] == expected
            for metric, entry in own["metrics"].items():
                mean_t = {k: entry[k] for k in ("mean", "t", "t_hac", "n")}
                assert pooled["metrics"][metric]["per_dataset"][run_.name] == mean_t

    def test_the_layout_is_the_report_ic_layout(self) -> None:
        pooled = several([a(), b()], TRACKS)["pooled"]["ic"]
        own = a().report["ic"]
        assert list(pooled) == list(own)
        assert list(pooled["metrics"]) == list(own["metrics"])
        assert set(pooled["composite"]) == {*own["composite"], "per_dataset"}

    def test_a_score_only_one_dataset_has_counts_only_its_decisions(self) -> None:
        only = IcSeries([0.1, 0.3, 0.2], [0.0, 0.1, 0.2], [True, False, True])
        pooled = pooled_ic({"x": {"metric:m": only}, "y": {}})
        entry = pooled["metrics"]["m"]
        assert (entry["n"], entry["mean"]) == (3, pytest.approx(0.2))
        assert entry["per_dataset"]["y"] == {"mean": None, "t": None, "t_hac": None, "n": 0}
        assert entry["up_market"]["n"] == 2 and entry["down_market"]["mean"] == 0.3
        assert pooled["composite"]["n"] == 0


class TestSeveral:
    def test_the_documented_shape(self) -> None:
        document = several([a(), b()], TRACKS)
        assert set(document) == {"datasets", "pooled"}
        assert set(document["pooled"]) == {"ic", "selection", "data"}
        assert document["datasets"] == {"a": a().report, "b": b().report}
        assert document["pooled"]["data"] == {
            "datasets": 2,
            "decisions": 37,
            "per_dataset": {
                "a": {"decisions": 25, "symbols": 10},
                "b": {"decisions": 12, "symbols": 10},
            },
        }
        selection = document["pooled"]["selection"]
        assert [d["decisions"] for d in selection["datasets"]] == [25, 12]
        ranking = selection["ranking"]["policy"]["ic"]["raw"]
        raw = np.concatenate([r.selection.rankings["policy"].ic_raw for r in (a(), b())])
        assert ranking["n"] == int(np.isfinite(raw).sum())

    def test_a_dataset_added_changes_no_figure_of_the_others(self) -> None:
        two, three = several([a(), b()], TRACKS), several([a(), b(), c()], TRACKS)
        assert three["datasets"]["a"] == two["datasets"]["a"] == a().report
        assert three["datasets"]["b"] == two["datasets"]["b"]
        selection_two, selection_three = (d["pooled"]["selection"] for d in (two, three))
        assert selection_three["datasets"][:2] == selection_two["datasets"]
        for name in ("composite", "technical", "fundamental"):
            per_two = two["pooled"]["ic"][name]["per_dataset"]
            per_three = three["pooled"]["ic"][name]["per_dataset"]
            assert {d: per_three[d] for d in ("a", "b")} == per_two
        assert three["pooled"]["ic"]["composite"]["n"] == 25 + 12 + 18

    def test_datasets_come_in_the_order_given(self) -> None:
        forward, backward = several([a(), b()], TRACKS), several([b(), a()], TRACKS)
        assert list(backward["datasets"]) == ["b", "a"]
        assert list(backward["pooled"]["ic"]["composite"]["per_dataset"]) == ["b", "a"]
        assert [d["source"] for d in backward["pooled"]["selection"]["datasets"]] == [
            "generated",
            "generated",
        ]
        assert [d["decisions"] for d in backward["pooled"]["selection"]["datasets"]] == [12, 25]
        same: Any = backward["pooled"]["ic"]["composite"]["mean"]
        assert same == pytest.approx(forward["pooled"]["ic"]["composite"]["mean"], abs=1e-12)

    def test_two_datasets_of_one_name_are_refused(self) -> None:
        twin = DatasetRun("a", b().report, b().ics, b().selection)
        with pytest.raises(ValueError, match="distinct names"):
            several([a(), twin], TRACKS)
