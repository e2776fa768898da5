"""`status`, `portfolio`, `rankings`: the service's reads over its HTTP API, as tables."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from app.cli.api import ApiClient, add_connection_options
from app.cli.output import age, console, number, service_command, table, text


def add_commands(commands: Any) -> None:
    """Register the read commands on the root parser's subcommands."""
    s = commands.add_parser("status", help="readiness: database, market data source, jobs")
    p = commands.add_parser("portfolio", help="the members with weights, scores and prices")
    p.add_argument("--as-of", help="the membership recorded at this time (ISO 8601)")
    r = commands.add_parser("rankings", help="the latest scoring run's symbols, best first")
    r.add_argument("--limit", type=int, default=20, help="how many (default 20)")
    r.add_argument("--component", help="rank by one component instead of the composite")
    for command in (s, p, r):
        add_connection_options(command)
        command.add_argument("--json", action="store_true", help="print the answer as JSON")


def run(args: argparse.Namespace) -> int:
    """Fetch and print one read; 0, or 1 when the service refused, did not answer or is not
    ready (`status`)."""
    return service_command(args.command, read(args))


async def read(args: argparse.Namespace) -> int:
    """Fetch and print one read; 1 when the service is not ready (`status`)."""
    advice: dict[str, Any] | None = None
    async with ApiClient(args.url, timeout_s=args.timeout) as api:
        if args.command == "status":
            document = await api.get("/status", accept=(503,))  # not ready: the same document
        elif args.command == "portfolio":
            document = await api.get("/portfolio", {"as_of": args.as_of})
            # A past snapshot has no candidates; now, each one's state is the advice's wording.
            if args.as_of is None and not args.json:
                advice = await api.get("/portfolio/replacement-candidates")
        else:
            query = {"limit": args.limit, "component": args.component}
            document = await api.get("/scoring/rankings", query)
    if args.json:
        sys.stdout.write(json.dumps(document, indent=2) + "\n")
    elif args.command == "status":
        show_status(document)
    elif args.command == "portfolio":
        show_portfolio(document, api.market_source, advice)
    else:
        show_rankings(document, api.market_source)
    if args.command == "status":
        return 0 if document.get("ready") else 1
    return 0


def show_status(doc: dict[str, Any]) -> None:
    """Readiness as a few lines and the jobs' newest runs as a table (the checks and the jobs
    only with a key: without one the service tells `status` and `ready` alone)."""
    if doc.get("database") is None:
        summary = table(None, "check", "state")
        summary.show_header = False
        summary.add_row("status", doc["status"])
        summary.add_row("ready", "yes" if doc["ready"] else "no (HTTP 503)")
        summary.add_row("checks", "need an API key with the read role (MYSYMBOLS_API_KEY)")
        console().print(summary)
        return
    db, market = doc["database"], doc["market_data"]
    rows = [
        ("status", f"{doc['status']} (version {doc['version']})"),
        (
            "database",
            f"{db['backend']}, {'reachable' if db['reachable'] else 'unreachable'}"
            + (f", {number(db['latency_ms'], 1)} ms" if db.get("latency_ms") is not None else "")
            + f", migration {db.get('migration_revision') or '-'}"
            + (
                " (at head)"
                if db["migrations_at_head"]
                else f" ({'ahead of' if db.get('migrations') == 'ahead' else 'behind'} head "
                f"{db['migration_head']})"
            ),
        ),
        (
            "market data",
            f"{market['kind']} {market['source']}, age {age(market['data_age_s'])}"
            + (" (stale)" if market["stale"] else "")
            + f", breaker {market['breaker_state']}",
        ),
        ("scheduler", "enabled" if doc.get("scheduler_enabled") else "disabled"),
    ]
    out = console()
    summary = table(None, "check", "state")
    summary.show_header = False
    for name, state in rows:
        summary.add_row(name, state)
    out.print(summary)
    jobs = doc.get("jobs") or []
    if jobs:
        shown = table(
            "jobs (newest run each)",
            "job",
            "status",
            "duration ms",
            "tick",
            "replica",
            right=("duration ms",),
        )
        for job in jobs:
            shown.add_row(
                job["job"],
                job["status"],
                number(job.get("duration_ms"), 0),
                text(job.get("scheduled_tick") or "requested"),
                job["replica"],
            )
        out.print(shown)


def replace_cell(member: dict[str, Any], advice: dict[str, Any] | None) -> str:
    """ "no" for a member that is not a replacement candidate; for a candidate, its state in the
    API's one wording (`actionability` of `/portfolio/replacement-candidates`)."""
    if not member["is_replacement_candidate"]:
        return "no"
    recommendations = (advice or {}).get("recommendations", [])
    rec = next((r for r in recommendations if r["member"] == member["symbol"]), None)
    return "candidate" if rec is None else str(rec["actionability"])


def show_portfolio(
    doc: dict[str, Any], source: str | None, advice: dict[str, Any] | None = None
) -> None:
    """The members as a table, with the totals and where the prices came from; `advice`, the
    replacement candidates' answer, says each candidate's state."""
    members = doc["members"]
    title = (
        f"portfolio: {len(members)} of {doc['max_symbols']} members, total weight "
        f"{number(doc['total_weight'], 4)} %, scores of run {text(doc['score_run_id'])} "
        f"(age {age(doc['score_age_s'])}{', stale' if doc['stale'] else ''}), "
        f"market data {source or '-'}"
    )
    shown = table(
        title,
        "rank",
        "symbol",
        "weight %",
        "composite",
        "entry",
        "price",
        "since entry %",
        "replace?",
        "data age",
        right=(
            "rank",
            "weight %",
            "composite",
            "entry",
            "price",
            "since entry %",
            "data age",
        ),
    )
    for m in members:
        shown.add_row(
            str(m["rank"]),
            m["symbol"],
            number(m["weight"], 4),
            number(m["composite"]),
            number(m["entry_price"], 6),
            number(m["current_price"], 6),
            number(m["performance_pct"]),
            replace_cell(m, advice),
            age(m["data_age_s"]),
        )
    console().print(shown)


def show_rankings(doc: dict[str, Any], source: str | None) -> None:
    """The ranked symbols with their composite, components and confidence."""
    items = doc["items"]
    components = sorted({name for item in items for name in item["components"]})
    title = (
        f"rankings by {doc.get('component', 'composite')}: run {doc['run_id']} scored "
        f"{doc['scored_at']} (age {age(doc.get('data_age_s'))}"
        f"{', stale' if doc.get('stale') else ''}), market data {source or '-'}"
    )
    numeric = ("rank", "composite", *components, "confidence")
    shown = table(title, "rank", "symbol", "composite", *components, "confidence", right=numeric)
    for item in items:
        shown.add_row(
            str(item["rank"]),
            item["symbol"],
            number(item["composite"]),
            *(number(item["components"].get(c)) for c in components),
            number(item["confidence"]),
        )
    console().print(shown)
