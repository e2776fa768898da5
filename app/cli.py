"""`python -m app.cli …`: command-line entry points, thin like the routers.

python -m app.cli replay --data DIR [--from ISO] [--to ISO] [--every 24h] [--top 10]
                         [--fee-bps 6] [--slippage-bps 0] [--config FILE.json] --out FILE.json
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from app.replay.config import HOUR_MS, PolicyConfig, ReplayParams
from app.replay.history import MarketHistory
from app.replay.run import Progress, ReplayRangeError, replay
from app.services.replay.config import ReplayConfigError, default_run_config, policy_config
from app.services.replay.csv_source import HistoryFolderError, load_csv_folder
from app.services.system.runtime_settings import DEFAULTS

DURATION = re.compile(r"^(?P<n>[1-9][0-9]*)(?P<unit>[hd])$")
DAY_MS = 24 * HOUR_MS


def hours(text: str) -> int:
    match = DURATION.match(text.strip())
    if match is None:
        raise argparse.ArgumentTypeError(f"{text!r} is not a duration like 1h, 4h, 24h or 7d")
    return int(match["n"]) * (24 if match["unit"] == "d" else 1)


def moment_ms(text: str) -> int:
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{text!r} is not an ISO 8601 time") from exc
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return int(moment.timestamp() * 1000)


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="python -m app.cli", description=__doc__.splitlines()[0])
    commands = root.add_subparsers(dest="command", required=True)
    r = commands.add_parser("replay", help="replay the decision policy against baselines")
    r.add_argument("--data", type=Path, required=True, help="folder of <BASE>_USDT-1h.csv files")
    r.add_argument("--from", dest="start", type=moment_ms, help="first decision (ISO, UTC)")
    r.add_argument("--to", dest="end", type=moment_ms, help="end of the valuation (ISO, UTC)")
    r.add_argument("--every", type=hours, default=24, help="decision interval: 1h, 4h, 24h, 7d")
    r.add_argument("--top", type=int, default=int(DEFAULTS["max_portfolio_symbols"]))
    r.add_argument("--fee-bps", type=float, default=6.0, help="taker fee on traded notional")
    r.add_argument("--slippage-bps", type=float, default=0.0)
    r.add_argument("--config", type=Path, help="JSON overrides of scoring and policy settings")
    r.add_argument("--out", type=Path, required=True, help="where the JSON report goes")
    return root


def default_range(history: MarketHistory, policy: PolicyConfig) -> tuple[int, int]:
    """From the first whole day with the gate's minimum history and the momentum lookback
    (only the gate's when that would leave under 30 days of decisions) to the median of the
    symbols' last closes (so a few long-lived files do not stretch the window)."""
    end = int(np.median(history.last_close_ms_each())) // HOUR_MS * HOUR_MS
    gate = policy.scoring.gate.min_history * HOUR_MS
    for warm_up in (max(gate, ReplayParams.momentum_days * DAY_MS), gate):
        start = math.ceil((history.first_close_ms() + warm_up) / DAY_MS) * DAY_MS
        if end - start >= 30 * DAY_MS:
            return start, end
    return start, end


@contextmanager
def progress_bar(enabled: bool) -> Iterator[Progress | None]:
    """A progress bar on a terminal; nothing otherwise (logs and CI stay quiet)."""
    if not enabled:
        yield None
        return
    from rich.progress import Progress as Bar  # imported only where a terminal shows it

    with Bar(transient=True) as bar:
        task = bar.add_task("replaying", total=None)

        def advance(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield advance


def run_replay(args: argparse.Namespace) -> int:
    history = load_csv_folder(args.data)
    overrides = json.loads(args.config.read_text()) if args.config else None
    policy = policy_config(default_run_config(), DEFAULTS, overrides, top=args.top)
    start, end = default_range(history, policy)
    params = ReplayParams(
        start_ms=args.start if args.start is not None else start,
        end_ms=args.end if args.end is not None else end,
        every_h=args.every,
        fee_bps=args.fee_bps,
        slippage_bps=args.slippage_bps,
    )
    with progress_bar(sys.stderr.isatty()) as progress:
        document = replay(history, policy, params, progress)
    args.out.write_text(json.dumps(document, separators=(",", ":")))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return run_replay(args)
    except (HistoryFolderError, ReplayConfigError, ReplayRangeError, OSError) as exc:
        print(f"replay: {exc}", file=sys.stderr)
        return 2
    except json.JSONDecodeError as exc:
        print(f"replay: --config is not JSON: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
