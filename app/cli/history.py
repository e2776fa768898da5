"""`replay`, `calibrate`, `import-history`: the commands that run locally, on history.

python -m app.cli replay --data DIR [--data DIR ...] [--from ISO] [--to ISO] [--every 24h]
                         [--top 10] [--fee-bps 6] [--slippage-bps 0] [--lag-h 1]
                         [--config FILE.json] [--workers 2] --out FILE.json
python -m app.cli calibrate --data DIR [--data DIR ...] [--train 120d] [--test 30d] [--every 24h]
                            [--objective sharpe|ic] [--learned] [... the replay's options]
                            --out FILE.json

`--learned` (and a `--config` that weighs the learned component) needs the `learned` extra
(scikit-learn): without it the command says what to install and exits 2.

With one `--data` the report is the run's; with several, each folder is run on its own (its own
default range unless `--from`/`--to`; one task per folder in a process pool) and the report is
`{"datasets": {folder name: its report}, "pooled": ...}` (see `app.lab.replay.pooled`)."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from app.books.replay_config import ReplayConfigError
from app.books.simulation.replay_params import ReplayParams, parse_every
from app.books.simulation.replay_report import SeveralReport
from app.cli.dataset_runs import (
    calibrate_dataset,
    calibration_params,
    history_and_params,
    policy_of,
    replay_dataset,
)
from app.cli.process_pool import TaskFailed, run_all
from app.configuration.registry import DEFAULTS
from app.kucoin.exchange_errors import ExchangeError
from app.kucoin.factory import create_gateway, create_http_session
from app.lab.calibration.calibrating import calibrate
from app.lab.calibration.folds import FoldError
from app.lab.calibration.search import OBJECTIVES
from app.lab.csv_source import HistoryFolderError
from app.lab.history_import import HistoryImportService, ImportProgress
from app.lab.replay.pooled import DatasetRun, several
from app.lab.replay.replaying import Progress, ReplayRangeError, replay
from app.platform.core.environment import Environment
from app.platform.db.engine import create_engine, create_sessionmaker
from app.platform.db.unreachable import busy_file, debugging
from app.scoring.scorers import learned
from app.scoring.scorers.learned import LearnedNotInstalledError

INPUT_ERRORS = (
    HistoryFolderError,
    LearnedNotInstalledError,  # --learned, or a --config weighing it, without the extra
    ReplayConfigError,
    ReplayRangeError,
    FoldError,
    LookupError,
    OSError,
    ExchangeError,
)


def hours(text: str) -> int:
    try:
        return parse_every(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc


def moment_ms(text: str) -> int:
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{text!r} is not an ISO 8601 time") from exc
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return int(moment.timestamp() * 1000)


def positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a positive whole number")
    return int(text)


def add_commands(commands: Any) -> None:
    """Register the local history commands on the root parser's subcommands."""
    r = commands.add_parser("replay", help="replay the decision policy against baselines")
    c = commands.add_parser("calibrate", help="walk-forward calibration against baselines")
    for command in (r, c):
        command.add_argument(
            "--data",
            type=Path,
            action="append",
            required=True,
            help="folder of <BASE>_USDT-1h.csv files (repeat for several datasets)",
        )
        command.add_argument(
            "--from", dest="start", type=moment_ms, help="first decision (ISO, UTC)"
        )
        command.add_argument(
            "--to", dest="end", type=moment_ms, help="end of the valuation (ISO, UTC)"
        )
        command.add_argument(
            "--every", type=hours, default=24, help="decision interval: 1h, 4h, 24h, 7d"
        )
        command.add_argument("--top", type=int, default=int(DEFAULTS["max_portfolio_symbols"]))
        command.add_argument(
            "--fee-bps", type=float, default=6.0, help="taker fee on traded notional"
        )
        command.add_argument("--slippage-bps", type=float, default=0.0)
        command.add_argument(
            "--lag-h",
            dest="execution_lag_h",
            type=int,
            choices=range(25),
            default=ReplayParams.execution_lag_h,
            metavar="0..24",
            help="hours from a decision to its trade (at the close of t + lag)",
        )
        command.add_argument(
            "--config", type=Path, help="JSON overrides of scoring and policy settings"
        )
        command.add_argument("--out", type=Path, required=True, help="where the JSON report goes")
        command.add_argument(
            "--workers", type=positive, default=2, help="processes for several --data (per core)"
        )
    r.add_argument(
        "--categories",
        type=Path,
        help="JSON {symbol: category} held as overrides (a truth map: the data rule's cost)",
    )
    c.add_argument("--train", type=hours, default=120 * 24, help="training window, e.g. 120d")
    c.add_argument("--test", type=hours, default=30 * 24, help="test window, e.g. 30d")
    c.add_argument("--objective", choices=OBJECTIVES, default="sharpe")
    c.add_argument(
        "--learned",
        action="store_true",
        help="train the learned scorer per fold and let the search weigh it (needs the "
        "`learned` extra: pip install 'mysymbols[learned]')",
    )
    i = commands.add_parser("import-history", help="import KuCoin history into the database")
    i.add_argument("--from", dest="start", type=moment_ms, required=True)
    i.add_argument("--to", dest="end", type=moment_ms, required=True)
    i.add_argument("--symbols", type=lambda s: [x for x in s.split(",") if x], default=None)


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
    if len(args.data) > 1:
        return write(args.out, run_datasets(args, replay_dataset, {"ic": "policy"}))
    history, policy, params = history_and_params(args, args.data[0])
    with progress_bar(sys.stderr.isatty()) as progress:
        document = replay(history, policy, params, progress)
    return write(args.out, document)


def run_calibration(args: argparse.Namespace) -> int:
    if args.learned:
        learned.require()  # before any folder is read
    if len(args.data) > 1:
        tracks = {"ic": "policy", "ic_default": "default"}
        return write(args.out, run_datasets(args, calibrate_dataset, tracks))
    history, policy, params = history_and_params(args, args.data[0])
    with progress_bar(sys.stderr.isatty()) as progress:
        shown = None if progress is None else (lambda _stage, d, n: progress(d, n))
        document = calibrate(history, policy, calibration_params(args, params), shown)
    return write(args.out, document)


def run_datasets(
    args: argparse.Namespace,
    task: Callable[[argparse.Namespace, Path], DatasetRun],
    ic_tracks: dict[str, str],
) -> SeveralReport:
    """`task` on every `--data` folder, one per process of the pool; the report of them all,
    in `--data` order."""
    names = [folder.name for folder in args.data]
    if len(set(names)) < len(names):
        raise LookupError(f"the --data folders must have distinct names, not {names}")
    policy_of(args)  # a bad --config is refused before any work
    with progress_bar(sys.stderr.isatty()) as progress:
        runs = run_all(task, [(args, folder) for folder in args.data], args.workers, progress)
    return several(runs, ic_tracks)


def write(out: Path, document: Mapping[str, object]) -> int:
    out.write_text(json.dumps(document, separators=(",", ":")))
    return 0


async def import_history(args: argparse.Namespace, environment: Environment) -> int:
    """Sync the contract list, then import the range symbol by symbol, showing progress."""
    engine = create_engine(environment)
    sessionmaker = create_sessionmaker(engine)
    http = create_http_session(environment.kucoin)
    try:
        gateway = create_gateway(environment.kucoin, http)
        start, end = (datetime.fromtimestamp(v / 1000, UTC) for v in (args.start, args.end))
        with progress_bar(sys.stderr.isatty()) as bar:

            def shown(p: ImportProgress) -> None:
                if bar is not None:
                    bar(p.symbols_done, p.symbols_total)

            result = await HistoryImportService(sessionmaker, gateway).run(
                start, end, args.symbols, shown
            )
    finally:
        await http.close()
        await engine.dispose()
    sys.stdout.write(
        f"imported {result.candles_inserted} candles and {result.settlements_inserted} "
        f"settlements for {result.symbols_done} symbols; {len(result.failures)} failed\n"
        + "".join(f"  {s}: {slug}\n" for s, slug in sorted(result.failures.items()))
    )
    return 1 if result.failures else 0


def run(args: argparse.Namespace) -> int:
    """Run one history command; 2 with the reason on bad input."""
    try:
        if args.command == "import-history":
            return asyncio.run(import_history(args, Environment()))
        if args.command == "calibrate":
            return run_calibration(args)
        return run_replay(args)
    except TaskFailed as failed:
        if not isinstance(failed.cause, INPUT_ERRORS):
            raise
        sys.stderr.write(f"{args.command}: {args.data[failed.index].name}: {failed.cause}\n")
        return 2
    except INPUT_ERRORS as exc:
        sys.stderr.write(f"{args.command}: {exc}\n")
        return 2
    except json.JSONDecodeError as exc:
        sys.stderr.write(f"{args.command}: --config is not JSON: {exc}\n")
        return 2
    except Exception as exc:
        busy = busy_file(exc)
        if busy is None or debugging():
            raise
        sys.stderr.write(f"{args.command}: {busy}\n")
        return 1
