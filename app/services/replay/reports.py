"""A run's result as its report, and the configuration hash stored beside it: pure functions
over the computed documents, which the evidence worker applies before the report travels back
(`worker.stored`), so it imports nothing heavier than these."""

from __future__ import annotations

from typing import Any

from app.replay.baselines import STRATEGIES

SUMMARY_KEYS = (
    "total_return",
    "cagr",
    "volatility",
    "sharpe",
    "sortino",
    "calmar",
    "max_drawdown",
    "turnover",
    "fees",
    "funding",
)


def own_report(result: Any) -> dict[str, Any]:
    """A replay's or a calibration's result is its report."""
    return dict(result)


def own_hash(report: dict[str, Any]) -> str:
    return str(report["config_hash"])


def proposed_hash(report: dict[str, Any]) -> str:
    """A what-if's hash: the proposed configuration's."""
    return str(report["config_hash"]["proposed"])


def figures(strategy: dict[str, Any]) -> dict[str, Any]:
    """A strategy's figures without its equity curve (the full report has it)."""
    return {k: strategy[k] for k in SUMMARY_KEYS}


def what_if_document(reports: dict[str, dict[str, Any]]) -> dict[str, Any]:
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
