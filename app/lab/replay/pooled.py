"""Several datasets' runs reported side by side and pooled (the report of `replay` and
`calibrate` with more than one `--data`).

`datasets` keeps each dataset's report exactly as a run on it alone writes it. `pooled` counts
every decision of every dataset once: each IC (composite, component, metric) is the summary of
the per-decision values of all datasets, one after the other (never an average of means), with
each dataset's mean, t, HAC t and n beside it under `per_dataset` (the pooled HAC t's lagged
products stay within a dataset); `selection` is the combined
`SelectionSeries`' summary (pooled ranking ICs, decile spreads and swaps; alpha stays per
dataset in its `datasets` list beside the pooled regression); `data` counts the decisions and
symbols. A dataset added changes no figure of the others.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import cast

from app.books.simulation.coefficients import ic_section
from app.books.simulation.replay_report import (
    IcSection,
    PooledIcFigures,
    PooledReport,
    ReplayReport,
    SeveralReport,
)
from app.books.simulation.selection_skill import SelectionSeries
from app.stats.ic import IcSeries, mean_t


@dataclass(frozen=True)
class DatasetRun:
    """One dataset's report and the per-decision series it was written from."""

    name: str  # the folder's name: the report's key
    report: ReplayReport  # a replay's, or a calibration's (which has its keys and more)
    ics: dict[str, dict[str, IcSeries]]  # per track, each score's ICs
    selection: SelectionSeries


def pooled_ic(per_dataset: Mapping[str, Mapping[str, IcSeries]]) -> IcSection[PooledIcFigures]:
    """The `ic` section over every decision of every dataset (in `per_dataset`'s order), each
    score with `per_dataset`: its mean, t and n on each dataset alone."""
    scored = list(dict.fromkeys(name for series in per_dataset.values() for name in series))

    def figures(name: str) -> PooledIcFigures:
        own = {d: series.get(name, IcSeries()) for d, series in per_dataset.items()}
        return {
            **IcSeries.concat(own.values()).summary(),
            "per_dataset": {d: mean_t(s.values) for d, s in own.items()},
        }

    return ic_section(scored, figures)


def several(runs: Sequence[DatasetRun], ic_tracks: Mapping[str, str]) -> SeveralReport:
    """`{"datasets": {name: report}, "pooled": {...}}`; `ic_tracks` names the pooled IC
    sections and the track each pools (`{"ic": "policy"}` for a replay)."""
    names = [run.name for run in runs]
    if len(set(names)) != len(names):
        raise ValueError(f"datasets must have distinct names, not {names}")
    sections: dict[str, object] = {
        key: pooled_ic({run.name: run.ics[track] for run in runs})
        for key, track in ic_tracks.items()
    }
    # The IC sections are named by the caller: `ic`, and `ic_default` for a calibration.
    pooled = cast(PooledReport, sections)
    pooled["selection"] = SelectionSeries.combine([run.selection for run in runs]).summary()
    pooled["data"] = {
        "datasets": len(runs),
        "decisions": sum(run.report["data"]["decisions"] for run in runs),
        "per_dataset": {
            run.name: {
                "decisions": run.report["data"]["decisions"],
                "symbols": run.report["data"]["symbols"],
            }
            for run in runs
        },
    }
    return {"datasets": {run.name: run.report for run in runs}, "pooled": pooled}
