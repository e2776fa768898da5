"""`judge`: the pre-registered candidate family on every dataset, and the adoption rule's verdict.

python -m app.cli judge --data DIR [--data DIR ...] --out FILE.json [--workers 2]

Each dataset is judged over the decisions after its first training window (`family.
TRAINING_DAYS`), every 24 h, top 10, 6 bps; the decision range is the incumbent's (so every
candidate is judged on the same decisions). Runs go to a process pool, one task per dataset and
group of candidates that share a scoring.
"""

from __future__ import annotations

import argparse
import json
import sys
from functools import cache
from pathlib import Path
from typing import Any

from app.calibration.adoption import Verdict, adopt
from app.calibration.family import (
    DEFAULT,
    FAMILY,
    FEE_BPS,
    JUDGED_EVERY_H,
    TRAINING_DAYS,
    Candidate,
)
from app.calibration.judge import (
    Judged,
    candidate_figures,
    evidence,
    judge_history,
    metric_table,
    pooled,
)
from app.cli.pool import run_all
from app.cli.runs import default_range
from app.replay.config import HOUR_MS, PolicyConfig, ReplayParams
from app.replay.history import MarketHistory
from app.replay.selection import SelectionSeries
from app.scoring.metrics import COMPONENTS
from app.services.replay.config import default_run_config, policy_config
from app.services.replay.csv_source import load_csv_folder
from app.services.system.runtime_settings import DEFAULTS

DAY_MS = 24 * HOUR_MS


def add_judge_command(commands: Any) -> None:
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


def _task(folder: Path, names: tuple[str, ...]) -> tuple[dict[str, Any], dict[str, Judged]]:
    every = policies()
    return judge_history(_history(folder), {n: every[n] for n in names}, judged_range(folder))


def run_judge(args: argparse.Namespace) -> int:
    every = policies()
    groups: dict[int, list[str]] = {}
    for c in FAMILY:
        groups.setdefault(c.technical_version, []).append(c.name)
    tasks = [(folder, tuple(names)) for folder in args.data for names in groups.values()]
    results: dict[str, dict[str, Judged]] = {}
    data: dict[str, dict[str, Any]] = {}
    outcomes = run_all(_task, tasks, args.workers)
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
    v2 = next(c.name for c in FAMILY if c.technical_version == 2)
    report = {
        "datasets": {d: {**data[d], "training_days": TRAINING_DAYS[d]} for d in datasets},
        "candidates": {c.name: _candidate(c, results[c.name], verdict_of) for c in FAMILY},
        "adopted": adopted,
        "selection": SelectionSeries.combine(
            [results[DEFAULT][d].series for d in datasets]
        ).summary(),
        "metrics": {
            d: {"v1": metric_table(results[DEFAULT][d]), "v2": metric_table(results[v2][d])}
            for d in datasets
        },
    }
    args.out.write_text(json.dumps(report, indent=1))
    sys.stdout.write(f"adopted: {adopted or 'none (the seeded default stays)'}\n")
    return 0


def _candidate(
    c: Candidate, judged: dict[str, Judged], verdicts: dict[str, Verdict]
) -> dict[str, Any]:
    return {
        "label": c.label,
        "weights": dict(zip(COMPONENTS, c.weights, strict=True)),
        "technical_version": c.technical_version,
        "seen": c.seen,
        "pooled": pooled(judged[d] for d in sorted(judged)),
        "datasets": {d: candidate_figures(judged[d]) for d in sorted(judged)},
        "verdict": None if c.name == DEFAULT else _verdict(verdicts[c.name]),
    }


def _verdict(v: Verdict) -> dict[str, Any]:
    return {
        "qualifies": v.qualifies,
        "ic_lead": v.ic_lead,
        "ic_lead_se": v.ic_lead_se,
        "decisions": v.decisions,
        "alpha_lead": v.alpha_lead,
        "reasons": v.reasons(),
    }
