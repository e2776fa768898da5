"""A run's result as its report, and the configuration hash stored beside it: pure functions
over the computed documents, which the lab worker applies before the report travels back
(`worker.stored`), so it imports nothing heavier than these."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypedDict

from app.books.simulation.baselines import STRATEGIES
from app.books.simulation.replay_report import (
    DataSection,
    IcSection,
    ReplayReport,
    StrategyFigures,
    StrategySummary,
)
from app.stats.ic import IcFigures


class WhatIfIc(TypedDict):
    """The proposed and the current configuration's `ic` sections."""

    proposed: IcSection[IcFigures]
    current: IcSection[IcFigures]


class WhatIfHashes(TypedDict):
    """The proposed and the current configuration's hashes."""

    proposed: str
    current: str


class WhatIfReport(TypedDict):
    """A what-if's report: the proposed and the current configuration over one replay."""

    data: DataSection
    proposed: StrategySummary
    current: StrategySummary
    baselines: dict[str, StrategySummary]
    ic: WhatIfIc
    config_hash: WhatIfHashes


# What a run stores as its report: a replay's or a calibration's (`own_report`), a what-if's.
StoredDocument = ReplayReport | WhatIfReport


def own_report(result: ReplayReport) -> ReplayReport:
    """A replay's or a calibration's result is its report."""
    return result.copy()


def own_hash(report: ReplayReport) -> str:
    return report["config_hash"]


def proposed_hash(report: WhatIfReport) -> str:
    """A what-if's hash: the proposed configuration's."""
    return report["config_hash"]["proposed"]


def figures(strategy: StrategyFigures) -> StrategySummary:
    """A strategy's figures without its equity curve (the full report has it)."""
    return {
        "total_return": strategy["total_return"],
        "cagr": strategy["cagr"],
        "volatility": strategy["volatility"],
        "sharpe": strategy["sharpe"],
        "sortino": strategy["sortino"],
        "calmar": strategy["calmar"],
        "max_drawdown": strategy["max_drawdown"],
        "turnover": strategy["turnover"],
        "fees": strategy["fees"],
        "funding": strategy["funding"],
    }


def what_if_document(reports: Mapping[str, ReplayReport]) -> WhatIfReport:
    """The proposed and the current configuration's figures over one replay, with the
    baselines (those of the current run: both runs hold the same)."""
    proposed_report, current_report = reports["proposed"], reports["current"]
    return {
        "data": proposed_report["data"],
        "proposed": figures(proposed_report["strategies"]["policy"]),
        "current": figures(current_report["strategies"]["policy"]),
        "baselines": {name: figures(current_report["strategies"][name]) for name in STRATEGIES[1:]},
        "ic": {"proposed": proposed_report["ic"], "current": current_report["ic"]},
        "config_hash": {
            "proposed": proposed_report["config_hash"],
            "current": current_report["config_hash"],
        },
    }
