"""`judge`: the pre-registered candidate family on every dataset, and the adoption rule's verdict.

python -m app.cli judge --data DIR [--data DIR ...] --out FILE.json [--workers 2]

Each dataset is judged over the decisions after its first training window (`family.
TRAINING_DAYS`), every 24 h, top 10, 6 bps; the decision range is the incumbent's (so every
candidate is judged on the same decisions). Runs go to a process pool, one task per dataset and
group of candidates that share a scoring.

The report's statistics: every IC, decile spread and alpha with its Newey-West t; each
candidate beside the default by the paired regression (`paired_vs_default`, and the verdict's
`paired_alpha`); each candidate's percentile among the random books (`among_random`); swap
outcomes with intervals clustered by decision date; whole decision periods only. Each dataset
says whether it can veto (`vetoes`: at least `adoption.MIN_VETO_DECISIONS` judged decisions)
and what its sample is conditioned on (`sample`, e.g. survivor-conditioned).
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from functools import cache
from pathlib import Path
from typing import Any

from app.books.replay_config import default_run_config, policy_config
from app.books.simulation.market_history import MarketHistory
from app.books.simulation.replay_params import ReplayParams
from app.books.simulation.replay_report import DataSection
from app.books.simulation.selection_skill import SelectionSeries
from app.cli.dataset_runs import default_range
from app.cli.process_pool import run_all
from app.configuration.registry import DEFAULTS
from app.lab.calibration.adoption import MIN_VETO_DECISIONS, Verdict, adopt
from app.lab.calibration.calibration_report import CandidateReport, JudgeReport, JudgeVerdict
from app.lab.calibration.judging import (
    Judged,
    candidate_figures,
    evidence,
    judge_history,
    metric_table,
    pooled,
)
from app.lab.csv_source import load_csv_folder
from app.platform.core.units import DAY_MS
from app.portfolio.policy.settings import PolicyConfig
from app.records.keeping.family import (
    DEFAULT,
    FAMILY,
    FEE_BPS,
    JUDGED_EVERY_H,
    TRAINING_DAYS,
    Candidate,
)

# What each shared dataset's sample is conditioned on, where that limits what it can show.
SAMPLE_NOTES = {
    "nmtrong062000-crypto_signal_scanner": (
        "survivor-conditioned: only the 487 perpetuals still trading in 2025-10, so the "
        "contracts delisted during the year are missing and its returns are flattered"
    ),
}


def add_commands(commands: Any) -> None:
    j = commands.add_parser("judge", help="judge the pre-registered candidate family")
    j.add_argument("--data", type=Path, action="append", required=True, help="a history folder")
    j.add_argument("--out", type=Path, required=True, help="where the JSON report goes")
    j.add_argument("--workers", type=int, default=2, help="processes (one per core)")


def policies() -> dict[str, PolicyConfig]:
    run = default_run_config()
    return {c.name: policy_config(run, DEFAULTS, c.overrides()) for c in FAMILY}


@cache
def _history(folder: Path) -> MarketHistory:
    return load_csv_folder(folder)  # once per worker process


def judged_range(folder: Path) -> ReplayParams:
    """The judged decisions of a dataset: the CLI's default range for the incumbent, less the
    first training window."""
    start, end = default_range(_history(folder), policies()[DEFAULT])
    days = TRAINING_DAYS.get(folder.name)
    if days is None:
        raise LookupError(f"{folder.name} has no training window in the registered family")
    return ReplayParams(start + days * DAY_MS, end, JUDGED_EVERY_H, fee_bps=FEE_BPS)


def _task(folder: Path, names: tuple[str, ...]) -> tuple[DataSection, dict[str, Judged]]:
    every = policies()
    return judge_history(_history(folder), {n: every[n] for n in names}, judged_range(folder))


def _costliest_first(tasks: list[tuple[Path, tuple[str, ...]]]) -> list[int]:
    """The tasks' indices, the costliest first by an estimate (the dataset's bytes on disk x
    the tracks plus the scoring they share). The pool starts them in that order, so the
    longest starts at once and the shorter ones fill the other cores around it; in the given
    order a long task started last would leave a core idle until it ended."""

    def cost(task: tuple[Path, tuple[str, ...]]) -> int:
        folder, names = task
        return sum(f.stat().st_size for f in folder.iterdir()) * (1 + len(names))

    return sorted(range(len(tasks)), key=lambda k: -cost(tasks[k]))


def run(args: argparse.Namespace) -> int:
    every = policies()
    groups: dict[int, list[str]] = {}
    # The default first in its group: a group's replacement outcomes are its first track's.
    for c in sorted(FAMILY, key=lambda c: c.name != DEFAULT):
        groups.setdefault(c.technical_version, []).append(c.name)
    tasks = [(folder, tuple(names)) for folder in args.data for names in groups.values()]
    results: dict[str, dict[str, Judged]] = {}
    data: dict[str, DataSection] = {}
    order = _costliest_first(tasks)
    done = dict(zip(order, run_all(_task, [tasks[k] for k in order], args.workers), strict=True))
    outcomes = [done[k] for k in range(len(tasks))]
    for (folder, _), (section, judged) in zip(tasks, outcomes, strict=True):
        data[folder.name] = section
        for name, j in judged.items():
            results.setdefault(name, {})[folder.name] = j
    datasets = sorted(data)
    evidences = {name: evidence(name, {d: results[name][d] for d in datasets}) for name in every}
    adopted, verdicts = adopt(
        evidences[DEFAULT], [evidences[c.name] for c in FAMILY if c.name != DEFAULT]
    )
    verdict_of = {v.candidate: v for v in verdicts}
    v1, v2 = (next(c.name for c in FAMILY if c.technical_version == v) for v in (1, 2))
    report: JudgeReport = {
        "datasets": {
            d: {
                **data[d],
                "training_days": TRAINING_DAYS[d],
                "sample": SAMPLE_NOTES.get(d),
                "vetoes": _judged_decisions(results[DEFAULT][d]) >= MIN_VETO_DECISIONS,
            }
            for d in datasets
        },
        "candidates": {
            c.name: _candidate(c, results[c.name], results[DEFAULT], verdict_of) for c in FAMILY
        },
        "adopted": adopted,
        "selection": SelectionSeries.combine(
            [results[DEFAULT][d].series for d in datasets]
        ).summary(),
        "metrics": {
            d: {"v1": metric_table(results[v1][d]), "v2": metric_table(results[v2][d])}
            for d in datasets
        },
    }
    args.out.write_text(json.dumps(report, indent=1))
    sys.stdout.write(f"adopted: {adopted or f'none (the default in force, {DEFAULT}, stays)'}\n")
    return 0


def _judged_decisions(judged: Judged) -> int:
    """The decisions of a dataset the adoption rule counts (whole periods)."""
    return int(judged.series.full_periods().at_ms.size)


def _candidate(
    c: Candidate,
    judged: dict[str, Judged],
    default: dict[str, Judged],
    verdicts: dict[str, Verdict],
) -> CandidateReport:
    return {
        "label": c.label,
        "weights": c.component_weights(),
        "technical_version": c.technical_version,
        "seen": c.seen,
        "pooled": pooled(judged[d] for d in sorted(judged)),
        "datasets": {d: candidate_figures(judged[d], default[d]) for d in sorted(judged)},
        "sensitivity": {d: judged[d].sensitivity for d in sorted(judged)},  # lags, slippage
        "verdict": None if c.name == DEFAULT else _verdict(verdicts[c.name]),
    }


def _number(value: float) -> float | None:
    return value if math.isfinite(value) else None


def _verdict(v: Verdict) -> JudgeVerdict:
    return {
        "qualifies": v.qualifies,
        "ic_lead": _number(v.ic_lead),
        "ic_lead_se": _number(v.ic_lead_se),
        "ic_lead_se_hac": _number(v.ic_lead_se_hac),
        "decisions": v.decisions,
        "paired_alpha": {
            d: {
                "lead_annualised": _number(a.lead),
                "se_hac_annualised": _number(a.se),
                "t_hac": _number(a.t),
                "decisions": a.decisions,
                "counts": a.counts,
                "vetoes": a.vetoes,
            }
            for d, a in v.alpha.items()
        },
        "reasons": v.reasons(),
    }
