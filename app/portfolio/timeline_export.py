"""The dated membership export: which members the portfolio held, with what weight and rank,
from when to when, built from the audit trail (`AuditTrailService`) or from a replay's decisions
(`ReplayService`), one row per interval and member, as JSON or CSV."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from app.market.forms import SymbolForms, stored_forms, unsynced_forms
from app.portfolio.maths.membership_intervals import COLUMNS, Interval, compact, held

CSV_EXAMPLE = (
    ",".join(COLUMNS) + "\n"
    "2026-11-20T09:00:00Z,2026-11-22T09:00:00Z,SOLUSDT,SOLUSDTM,SOL/USDT:USDT,55.0,1,add,true\n"
    "2026-11-20T09:00:00Z,2026-11-22T09:00:00Z,BTCUSDT,XBTUSDTM,BTC/USDT:USDT,45.0,2,add,true\n"
)
"""The export as CSV, as the API documents it."""


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


@dataclass(frozen=True)
class Timeline:
    """The intervals over [start, end) and the forms of every symbol they hold."""

    start: datetime
    end: datetime
    source: str  # "audit" or "replay"
    intervals: list[Interval]
    forms: dict[str, SymbolForms]
    clamped_to_now: bool = False  # the `to` asked for lay beyond now: `end` is now

    def json(self) -> bytes:
        """The document: range, source, columns and rows (each row an object, keys in `COLUMNS`
        order). Written from fragments made once per symbol and interval: a year of hourly
        changes is ~90 000 rows."""
        dump = json.dumps
        symbol_part = {
            s: f'"symbol":{dump(s)},"kucoin_symbol":{dump(f.kucoin)},'
            f'"ccxt_symbol":{dump(f.ccxt)},"weight":'
            for s, f in self.forms.items()
        }
        listed_part = {s: "true}" if f.listed else "false}" for s, f in self.forms.items()}
        number: dict[str, str] = {}
        parts: list[str] = []
        for interval in self.intervals:
            head = f'{{"from":"{iso(interval.start)}","to":"{iso(interval.end)}",'
            reason = f',"reason":{dump(interval.reason)},"listed":'
            for item in interval.members.split(";") if interval.members else ():
                rank, text, symbol = item.split(",", 2)
                weight = number.get(text) or number.setdefault(text, repr(float(text)))
                parts.append(
                    f'{head}{symbol_part[symbol]}{weight},"rank":{rank}{reason}'
                    f"{listed_part[symbol]}"
                )
        head = dump(
            {
                "from": iso(self.start),
                "to": iso(self.end),
                "clamped_to_now": self.clamped_to_now,
                "source": self.source,
                "columns": list(COLUMNS),
            },
            separators=(",", ":"),
        )
        return f'{head[:-1]},"rows":[{",".join(parts)}]}}'.encode()

    def csv(self) -> bytes:
        """A header line, then the rows in the same order as the JSON's (RFC 4180 quoting)."""
        symbol_part = {s: _csv_line(s, f.kucoin, f.ccxt) for s, f in self.forms.items()}
        listed_part = {s: "true\n" if f.listed else "false\n" for s, f in self.forms.items()}
        number: dict[str, str] = {}
        parts = [_csv_line(*COLUMNS) + "\n"]
        for interval in self.intervals:
            head = f"{iso(interval.start)},{iso(interval.end)},"
            reason = f",{_csv_line(interval.reason)},"
            for item in interval.members.split(";") if interval.members else ():
                rank, text, symbol = item.split(",", 2)
                weight = number.get(text) or number.setdefault(text, repr(float(text)))
                parts.append(
                    f"{head}{symbol_part[symbol]},{weight},{rank}{reason}{listed_part[symbol]}"
                )
        return "".join(parts).encode()


# A cell a spreadsheet would read as a formula (OWASP, "CSV injection"): shown as text instead.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def inert(text: str) -> str:
    """`text` as a spreadsheet shows it, never runs it: one starting like a formula gets a
    leading `'`, which spreadsheets take as "this is text" and do not display."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _csv_line(*fields: str) -> str:
    """Fields as one CSV line (without its end): each text inert, quoted where a comma, quote
    or newline asks."""
    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow([inert(field) for field in fields])
    return out.getvalue()


def in_rank_order(members: str) -> str:
    """An audit row's compact members, in rank order (as its snapshot stores them)."""
    ranks = [int(item.split(",", 1)[0]) for item in members.split(";")] if members else []
    if ranks == sorted(ranks):
        return members
    return compact(held(members))


async def forms_for(session: AsyncSession, intervals: list[Interval]) -> dict[str, SymbolForms]:
    """The stored forms of every symbol the intervals hold; the string rules (not listed) for
    one the universe never held."""
    symbols = sorted({h.symbol for i in intervals for h in held(i.members)})
    forms = await stored_forms(session, symbols)
    for symbol in symbols:
        if symbol not in forms:
            forms[symbol] = unsynced_forms(symbol)
    return forms
