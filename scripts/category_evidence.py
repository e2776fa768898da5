"""The session rule (`app.market.contracts.trading_sessions`) on every real history in
../shared/market-data, as the replay and the live service run it: once a UTC day, from the
candles closed by its 00:00.

    python -m scripts.category_evidence [--market-data DIR] [--json OUT] [--cost]

Every crypto contract there is a negative, the Binance TradFi perpetuals (gold, silver, four
shares) are positives, and PAXG, a gold token, is a positive of the commodity kind. USDC is left
to the peg rule (a stablecoin: neither). A folder without BTC and ETH (the TradFi one) reads the
crypto market's closes, for the co-movement, from the first other folder whose BTC covers its
hours (read in place, known by each day as the rest). Prints the confusion table by
contract-day and by contract, and each contract any of whose days went wrong
(docs/decisions.md quotes it). Per history and pooled, the errors: misses, false alarms, and the
crypto contract-days left `unknown`, before and after the day the history gate first admits the
contract.

`--cost` adds what the rule costs the pick: on the year-long histories (`COST_FOLDERS`), the
default's replay (one decision a day, as `python -m app.cli replay --every 24h`) with the rule,
and the same replay with every contract's category given (the truth map this script knows, held
as overrides): the universe-residual skill IC of each over its whole decision periods (the
report's `selection.ranking`), and their paired difference with its Newey-West standard error.
"""

from __future__ import annotations

import argparse
import dataclasses
import gzip
import json
import sys
import tempfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from app.books.replay_config import default_run_config, policy_config
from app.books.simulation.data_categories import day_figures
from app.books.simulation.market_history import MarketHistory
from app.books.simulation.replay_params import ReplayParams
from app.cli.dataset_runs import default_range
from app.configuration.registry import DEFAULTS
from app.lab.csv_source import CANDLES, load_csv_folder
from app.lab.replay.replaying import replayed
from app.market.contracts.categories import (
    COMMODITY,
    CRYPTO,
    EQUITY,
    STABLECOIN,
    TABLE,
    UNKNOWN,
    base_of,
)
from app.market.contracts.trading_sessions import MARKET
from app.platform.core.units import DAY_MS, HOUR_MS
from app.scoring.scorers.gate import MIN_HISTORY
from app.stats.ic import MeanT, mean_t

MARKET_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "market-data"
TRADFI_FOLDER = "binance-tradfi-perps-2025-12-2026-03"
TRADFI = {
    "XAUUSDT": COMMODITY,
    "XAGUSDT": COMMODITY,
    "PAXGUSDT": COMMODITY,
    "TSLAUSDT": EQUITY,
    "INTCUSDT": EQUITY,
    "CRCLUSDT": EQUITY,
    "MSTRUSDT": EQUITY,
}
"""What each TradFi perpetual's underlying is (the folder's SOURCES.md)."""
VERDICTS = (CRYPTO, COMMODITY, EQUITY, UNKNOWN)
COST_FOLDERS = ("roshan7869-algotrading", "nmtrong062000-crypto_signal_scanner")
"""The year-long histories the rule's cost is measured on (32 and 487 perpetuals)."""


YOUNG, ADMITTED = "young", "admitted"
AGES = (YOUNG, ADMITTED)
"""A contract-day before, or from, the day the history gate (`gate_min_history` hours of
candles) first admits the contract: the days the verdict costs the pick are the admitted ones."""


@dataclass
class ContractDays:
    """One contract's days by verdict, in all and from the day the history gate admits it."""

    name: str
    truth: str
    days: Counter[str] = field(default_factory=Counter)
    admitted: Counter[str] = field(default_factory=Counter)

    def by_age(self, age: str) -> Counter[str]:
        """Its days by verdict, young or admitted."""
        return self.admitted if age == ADMITTED else self.days - self.admitted

    @property
    def wrong(self) -> int:
        """Decided days whose crypto-or-not disagrees with the truth."""
        decided = sum(self.days[v] for v in (CRYPTO, COMMODITY, EQUITY))
        right = self.days[CRYPTO] if self.truth == CRYPTO else decided - self.days[CRYPTO]
        return decided - right


def truth_of(folder: str, symbol: str) -> str | None:
    """`crypto`, `commodity` or `equity`; None for a stablecoin (the peg rule's)."""
    if folder == TRADFI_FOLDER:
        return TRADFI[symbol]
    return None if TABLE.get(base_of(symbol)) == STABLECOIN else CRYPTO


def _candle_files(folder: Path) -> dict[str, Path]:
    """`folder`'s candle files by symbol (`BTCUSDT`)."""
    found = (CANDLES.match(p.name) for p in folder.iterdir())
    return {f"{m['base']}USDT": folder / m.string for m in found if m}


def _span_ms(path: Path) -> tuple[int, int]:
    """The first and last open time of a candle file."""
    raw = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
    lines = raw.strip().splitlines()
    return int(lines[1].split(b",")[0]), int(lines[-1].split(b",")[0])


def market_for(folder: Path, history: MarketHistory) -> MarketHistory | None:
    """The crypto market's history (`MARKET`'s files only) from the first other folder beside
    `folder` whose BTC covers `history`'s hours; None when `history` holds it, or none does."""
    if any(s in history.symbols for s in MARKET):
        return None
    first, last = int(history.grid_ms[0]), int(history.grid_ms[-1])
    for other in sorted(p for p in folder.parent.iterdir() if p.is_dir() and p != folder):
        files = _candle_files(other)
        held = [files[s] for s in MARKET if s in files]
        if len(held) < len(MARKET) or not (
            _span_ms(held[0])[0] <= first and _span_ms(held[0])[1] >= last
        ):
            continue
        with tempfile.TemporaryDirectory() as links:  # read in place, through links
            for path in held:
                (Path(links) / path.name).symlink_to(path)
            return load_csv_folder(Path(links))
    return None


def contract_days(folder: Path) -> Iterator[ContractDays]:
    """Each contract of `folder`, its verdict on every UTC day after its first candle."""
    history = load_csv_folder(folder)
    market = market_for(folder, history)
    first_day = int(history.grid_ms[0]) // DAY_MS * DAY_MS + DAY_MS
    last_day = (int(history.grid_ms[-1]) + 3_600_000) // DAY_MS * DAY_MS
    listed = history.first_close_ms_each()
    # its first candle closes an hour after it opens: the gate's hours are counted from its open
    admitted = listed - HOUR_MS + MIN_HISTORY.default * HOUR_MS
    records = [ContractDays(s, truth_of(folder.name, s) or "") for s in history.symbols]
    for day in range(first_day, last_day + 1, DAY_MS):
        for record, figures, listed_ms, admitted_ms in zip(
            records,
            day_figures(history, day, market),
            listed.tolist(),
            admitted.tolist(),
            strict=True,
        ):
            if listed_ms <= day:
                record.days[figures.verdict] += 1
            if admitted_ms <= day:
                record.admitted[figures.verdict] += 1
    yield from (r for r in records if r.truth)


def evaluate(market_data: Path) -> list[tuple[str, ContractDays]]:
    """Every contract of every folder, with its folder's name."""
    return [
        (folder.name, record)
        for folder in sorted(p for p in market_data.iterdir() if p.is_dir())
        for record in contract_days(folder)
    ]


def confusion(records: list[tuple[str, ContractDays]]) -> dict[str, dict[str, int]]:
    """Contract-days by truth (crypto or not), age and verdict."""
    table = {
        f"{truth}, {age}": dict.fromkeys(VERDICTS, 0)
        for truth in ("crypto", "not crypto")
        for age in AGES
    }
    for _, record in records:
        truth = "crypto" if record.truth == CRYPTO else "not crypto"
        for age in AGES:
            days = record.by_age(age)
            for verdict in VERDICTS:
                table[f"{truth}, {age}"][verdict] += days[verdict]
    return table


@dataclass(frozen=True)
class Errors:
    """One history's (or the pool's) errors by contract-day: misses (non-crypto called
    crypto), false alarms (crypto called non-crypto), and crypto days left `unknown`, young
    and admitted."""

    misses: int
    false_alarms: int
    crypto_days: dict[str, int]
    unknown: dict[str, int]

    @classmethod
    def of(cls, records: list[ContractDays]) -> Errors:
        crypto = [r for r in records if r.truth == CRYPTO]
        return cls(
            misses=sum(r.days[CRYPTO] for r in records if r.truth != CRYPTO),
            false_alarms=sum(r.wrong for r in crypto),
            crypto_days={a: sum(sum(r.by_age(a).values()) for r in crypto) for a in AGES},
            unknown={a: sum(r.by_age(a)[UNKNOWN] for r in crypto) for a in AGES},
        )

    def unknown_share(self, age: str) -> float:
        return self.unknown[age] / self.crypto_days[age] if self.crypto_days[age] else 0.0


def errors_table(records: list[tuple[str, ContractDays]]) -> str:
    """Per history and pooled: misses, false alarms, unknown crypto days young and admitted."""
    folders = sorted({f for f, _ in records})
    rows = [(f, Errors.of([r for g, r in records if g == f])) for f in folders]
    rows.append(("pooled", Errors.of([r for _, r in records])))
    lines = [
        "| history | misses | false alarms | unknown crypto days, young | unknown, admitted |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for name, e in rows:
        young, admitted = (
            f"{e.unknown[a]:,} of {e.crypto_days[a]:,} ({e.unknown_share(a):.2%})" for a in AGES
        )
        lines.append(f"| {name} | {e.misses} | {e.false_alarms} | {young} | {admitted} |")
    return "\n".join(lines)


def report(records: list[tuple[str, ContractDays]]) -> str:
    """The errors per history, the confusion table and the contracts with a wrong day, as
    Markdown."""
    lines = [errors_table(records), ""]
    lines += ["| contract-days | " + " | ".join(VERDICTS) + " |", "| --- |" + " ---: |" * 4]
    for truth, row in confusion(records).items():
        lines.append(f"| {truth} | " + " | ".join(f"{row[v]:,}" for v in VERDICTS) + " |")
    negatives = [r for _, r in records if r.truth == CRYPTO]
    positives = [r for _, r in records if r.truth != CRYPTO]
    lines += [
        "",
        f"contracts: {len(negatives)} crypto, {sum(r.wrong > 0 for r in negatives)} of them "
        f"classed non-crypto on some day; {len(positives)} non-crypto, "
        f"{sum(r.wrong > 0 for r in positives)} of them classed crypto on some day",
        "",
        "| folder | contract | truth | days wrong | crypto | commodity | equity | unknown |",
        "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for folder, r in records:
        if r.wrong or r.truth != CRYPTO:
            counts = " | ".join(str(r.days[v]) for v in VERDICTS)
            lines.append(f"| {folder} | {r.name} | {r.truth} | {r.wrong} | {counts} |")
    return "\n".join(lines)


def truth_map(folder: Path) -> dict[str, str]:
    """Every contract of `folder` and its category (a stablecoin by the table: none is crypto
    or session-traded)."""
    return {s: truth_of(folder.name, s) or STABLECOIN for s in _candle_files(folder)}


@dataclass(frozen=True)
class Cost:
    """One history's residual skill IC with the rule and with categories given."""

    folder: str
    with_rule: MeanT
    given: MeanT
    difference: MeanT

    def row(self) -> str:
        def figure(m: MeanT) -> str:
            mean, t = m["mean"], m["t_hac"]
            if mean == 0:
                return "0 (the same IC every decision)"
            if mean is None or not t:
                return "not measured"
            return f"{mean:+.4f} (HAC SE {abs(mean / t):.4f})"

        cells = (figure(self.with_rule), figure(self.given), figure(self.difference))
        return f"| {self.folder} | " + " | ".join(cells) + " |"


def cost(folder: Path) -> Cost:
    """The default's daily replay of `folder` with the rule and with its truth map given."""
    history = load_csv_folder(folder)
    policy = policy_config(default_run_config(), DEFAULTS, None)
    start, end = default_range(history, policy)
    params = ReplayParams(start_ms=start, end_ms=end, every_h=24)
    names = tuple(truth_map(folder).get(s) for s in history.symbols)
    given = dataclasses.replace(history, given_categories=names)
    series = [
        replayed(h, policy, params)[1].selection.full_periods().rankings["policy"]
        for h in (history, given)
    ]
    residual = [r.ic_residual for r in series]
    known = np.isfinite(residual[0]) & np.isfinite(residual[1])
    return Cost(
        folder.name,
        mean_t(residual[0][known].tolist()),
        mean_t(residual[1][known].tolist()),
        mean_t((residual[0] - residual[1])[known].tolist()),
    )


def cost_table(market_data: Path) -> str:
    """The rule's cost on each of `COST_FOLDERS` held, as Markdown."""
    lines = [
        "| history | residual skill IC, with the rule | with categories given | difference |",
        "| --- | ---: | ---: | ---: |",
    ]
    held = [market_data / f for f in COST_FOLDERS if (market_data / f).is_dir()]
    return "\n".join(lines + [cost(folder).row() for folder in held])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--market-data", type=Path, default=MARKET_DATA)
    parser.add_argument("--json", type=Path, help="also write every contract's days here")
    parser.add_argument("--cost", action="store_true", help="also replay the rule's cost")
    args = parser.parse_args(argv)
    if not args.market_data.is_dir():
        print(f"{args.market_data} is absent (../shared is read in place)", file=sys.stderr)
        return 2
    records = evaluate(args.market_data)
    print(report(records))
    if args.cost:
        print("\n" + cost_table(args.market_data))
    if args.json:
        rows = [
            {
                "folder": f,
                "contract": r.name,
                "truth": r.truth,
                **r.days,
                "admitted": dict(r.admitted),
                "wrong": r.wrong,
            }
            for f, r in records
        ]
        args.json.write_text(json.dumps(rows, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
