"""The MySymbols Grafana dashboard, written with Grafana's own SDK (grafana-foundation-sdk).

    python deploy/grafana/dashboard.py > deploy/grafana/mysymbols.json

The families are those of `GET /metrics` (app/platform/observability/metrics.py and scrape.py;
docs/operations.md "Monitoring"); tests/api/platform/test_grafana_dashboard.py fails when a query names
one the service does not export, or when mysymbols.json is not this script's output.

Prometheus keeps a target's own `job` label and renames the service's (the job a run belongs to)
to `exported_job` (`honor_labels: false`, its default): the job panels group by `exported_job`.
"""

from __future__ import annotations

import json

from grafana_foundation_sdk.builders import common as common_builder
from grafana_foundation_sdk.builders import dashboard as dash
from grafana_foundation_sdk.builders import prometheus, stat, timeseries
from grafana_foundation_sdk.cog.encoder import JSONEncoder
from grafana_foundation_sdk.models import common
from grafana_foundation_sdk.models.dashboard import (
    DashboardCursorSync,
    DataSourceRef,
    Threshold,
    ThresholdsMode,
)

DATASOURCE = DataSourceRef(type_val="prometheus", uid="${datasource}")
ON = 'instance=~"$instance"'  # every selector: the chosen replicas
RATE = "$__rate_interval"
SLOW = "6h"  # jobs and scoring runs are hourly or rarer: a window that holds a few of them
HEIGHT = 8
PER_PROCESS = "Not exported with several workers (PROMETHEUS_MULTIPROC_DIR): it is per process."


def query(expr: str, legend: str = "__auto") -> prometheus.Dataquery:
    return prometheus.Dataquery().expr(expr).legend_format(legend).range()


def series(
    title: str, unit: str, *targets: prometheus.Dataquery, description: str = "", span: int = 8
) -> timeseries.Panel:
    """A time series panel of `targets` (ref ids A, B, ...)."""
    panel = (
        timeseries.Panel()
        .title(title)
        .description(description or title)
        .datasource(DATASOURCE)
        .unit(unit)
        .span(span)
        .height(HEIGHT)
        .legend(
            common_builder.VizLegendOptions()
            .display_mode(common.LegendDisplayMode.TABLE)
            .placement(common.LegendPlacement.BOTTOM)
            .show_legend(True)
            .calcs(["lastNotNull", "max"])
        )
    )
    for ref, target in zip("ABCDEFGH", targets, strict=False):
        panel = panel.with_target(target.ref_id(ref))
    return panel


def single(
    title: str, unit: str, target: prometheus.Dataquery, *steps: tuple[float | None, str],
    description: str = "", span: int = 6,
) -> stat.Panel:  # fmt: skip
    """A stat panel: the last value of `target`, coloured by `steps` (value, colour)."""
    thresholds = dash.ThresholdsConfig().mode(ThresholdsMode.ABSOLUTE)
    thresholds = thresholds.steps([Threshold(value, colour) for value, colour in steps])
    return (
        stat.Panel()
        .title(title)
        .description(description or title)
        .datasource(DATASOURCE)
        .unit(unit)
        .span(span)
        .height(HEIGHT)
        .thresholds(thresholds)
        .reduce_options(common_builder.ReduceDataOptions().calcs(["lastNotNull"]))
        .graph_mode(common.BigValueGraphMode.AREA)
        .color_mode(common.BigValueColorMode.BACKGROUND)
        .with_target(target.ref_id("A"))
    )


def quantile(q: float, family: str, by: str, window: str = RATE) -> str:
    """The q-quantile of a histogram family, per `by`, across replicas."""
    return f"histogram_quantile({q}, sum by ({by}, le) (rate({family}_bucket{{{ON}}}[{window}])))"


def mean(family: str, by: str, window: str) -> str:
    """The mean of a histogram family's observations over `window`, per `by`."""
    return (
        f"sum by ({by}) (increase({family}_sum{{{ON}}}[{window}])) / "
        f"sum by ({by}) (increase({family}_count{{{ON}}}[{window}]))"
    )


def requests() -> list[dash.Row | timeseries.Panel | stat.Panel]:
    return [
        dash.Row("Requests and latency"),
        series(
            "Requests by route", "reqps",
            query(f"sum by (route) (rate(mysymbols_http_requests_total{{{ON}}}[{RATE}]))",
                  "{{route}}"),
        ),
        series(
            "Errors by route and status", "reqps",
            query(
                "sum by (route, status) (rate(mysymbols_http_requests_total"
                f'{{{ON}, status=~"[45].."}}[{RATE}]))',
                "{{status}} {{route}}",
            ),
            description="4xx and 5xx answers (problem documents); `unmatched` is no route.",
        ),
        series(
            "Latency p95 by route", "s",
            query(quantile(0.95, "mysymbols_http_request_duration_seconds", "route"), "{{route}}"),
        ),
        series(
            "Mean latency by route", "s",
            query(mean("mysymbols_http_request_duration_seconds", "route", RATE), "{{route}}"),
        ),
        series(
            "Response cache", "bytes",
            query(f"sum(mysymbols_response_cache_bytes{{{ON}}})", "bytes"),
            description="Answer bodies the response cache keeps, every replica together.",
        ),
        series(
            "Response cache entries", "short",
            query(f"sum(mysymbols_response_cache_entries{{{ON}}})", "entries"),
        ),
    ]  # fmt: skip


def jobs() -> list[dash.Row | timeseries.Panel | stat.Panel]:
    return [
        dash.Row("Jobs"),
        series(
            "Job runs by status", "short",
            query(
                f"sum by (exported_job, status) (increase(mysymbols_job_runs_total{{{ON}}}[1h]))",
                "{{exported_job}} {{status}}",
            ),
            description="Runs ended in the past hour, scheduled and requested, by job and status.",
        ),
        series(
            "Job run duration (mean over 6 h)", "s",
            query(mean("mysymbols_job_run_duration_seconds", "exported_job", SLOW),
                  "{{exported_job}}"),
        ),
        series(
            "Since the last successful run", "s",
            query(
                "time() - max by (exported_job) (mysymbols_job_last_end_timestamp_seconds"
                f'{{{ON}, status="succeeded"}})',
                "{{exported_job}}",
            ),
        ),
    ]  # fmt: skip


def kucoin() -> list[dash.Row | timeseries.Panel | stat.Panel]:
    return [
        dash.Row("KuCoin: budget and errors"),
        series(
            "Breaker state", "short",
            query(f"max by (state) (mysymbols_kucoin_breaker_state{{{ON}}})", "{{state}}"),
            query(f"sum(increase(mysymbols_kucoin_breaker_opened_total{{{ON}}}[1h]))",
                  "opened in the past hour"),
            description="1 for the breaker's current state; how often it opened.",
        ),
        series(
            "Requests by outcome", "reqps",
            query(f"sum by (outcome) (rate(mysymbols_kucoin_requests_total{{{ON}}}[{RATE}]))",
                  "{{outcome}}"),
        ),
        series(
            "429s by endpoint", "short",
            query(f"sum by (endpoint) (increase(mysymbols_kucoin_rate_limited_total{{{ON}}}[1h]))",
                  "{{endpoint}}"),
            description="KuCoin's quota exhausted: answers 429 in the past hour.",
        ),
        series(
            "Weight budget: rate limiter wait", "s",
            query(quantile(0.95, "mysymbols_kucoin_rate_limit_wait_seconds", "instance"),
                  "p95 {{instance}}"),
            query(mean("mysymbols_kucoin_rate_limit_wait_seconds", "instance", RATE),
                  "mean {{instance}}"),
            description="How long requests waited for the request-weight quota before being sent.",
        ),
        series(
            "Weight budget: refusals", "reqps",
            query(f"sum(rate(mysymbols_kucoin_rate_limit_refusals_total{{{ON}}}[{RATE}]))",
                  "refused"),
            description="Requests not sent: the quota frees up only after longer than a caller "
            "waits.",
        ),
        series(
            "Latency p95 by endpoint", "s",
            query(quantile(0.95, "mysymbols_kucoin_request_duration_seconds", "endpoint"),
                  "{{endpoint}}"),
        ),
    ]  # fmt: skip


def scoring() -> list[dash.Row | timeseries.Panel | stat.Panel]:
    return [
        dash.Row("Scoring"),
        series(
            "Scoring run duration (mean over 6 h)", "s",
            query(mean("mysymbols_scoring_run_duration_seconds", "instance", SLOW),
                  "{{instance}}"),
        ),
        series(
            "Symbols scored by the latest run", "short",
            query(f"max(mysymbols_scoring_last_scored_symbols{{{ON}}})", "scored"),
        ),
        series(
            "Symbols excluded by reason", "short",
            query(f"max by (reason) (mysymbols_scoring_last_excluded_symbols{{{ON}}})",
                  "{{reason}}"),
            description="The latest run's data-quality exclusions.",
        ),
    ]  # fmt: skip


def portfolio() -> list[dash.Row | timeseries.Panel | stat.Panel]:
    return [
        dash.Row("Portfolio"),
        series(
            "Members and their target", "short",
            query(f"max(mysymbols_portfolio_members{{{ON}}})", "members"),
            query(f"max(mysymbols_portfolio_target_members{{{ON}}})", "target"),
            description="Active members against max_portfolio_symbols.",
        ),
        single(
            "Untradable members", "short",
            query(f"max(mysymbols_portfolio_untradable_members{{{ON}}})"),
            (None, "green"), (1, "red"),
            description="Active members whose contract is no longer Open, or delisted.", span=4,
        ),
        single(
            "Weight sum", "percent",
            query(f"max(mysymbols_portfolio_weight_sum_percent{{{ON}}})"),
            (None, "red"), (99.99, "green"), (100.01, "red"),
            description="100 with members, 0 without.", span=4,
        ),
        single(
            "Market data age", "s", query(f"max(mysymbols_market_data_age_seconds{{{ON}}})"),
            (None, "green"), (2 * 3600, "orange"), (6 * 3600, "red"), span=4,
        ),
        single(
            "Database gauges read", "short",
            query(f"min(mysymbols_metrics_database_up{{{ON}}})"),
            (None, "red"), (1, "green"),
            description="0: the last scrape could not read the database in time (the portfolio "
            "and track record gauges are then missing).", span=4,
        ),
    ]  # fmt: skip


def track_record() -> list[dash.Row | timeseries.Panel | stat.Panel]:
    return [
        dash.Row("Live track record"),
        series(
            "Return since inception by strategy", "percentunit",
            query(f"max by (strategy) (mysymbols_track_record_return{{{ON}}})", "{{strategy}}"),
            description="After costs: the policy and its baselines, marked hourly since the "
            "first decision.",
            span=16,
        ),
        single(
            "Track record age", "s", query(f"max(mysymbols_track_record_age_seconds{{{ON}}})"),
            (None, "green"), (2 * 3600, "orange"), (3 * 3600, "red"),
            description="Since the close of the last hour marked (the track_record job moves it).",
            span=8,
        ),
    ]  # fmt: skip


def database() -> list[dash.Row | timeseries.Panel | stat.Panel]:
    return [
        dash.Row("Database"),
        series(
            "Pool connections", "short",
            query(f"sum by (instance) (mysymbols_db_pool_in_use{{{ON}}})", "in use {{instance}}"),
            query(f"sum by (instance) (mysymbols_db_pool_idle{{{ON}}})", "idle {{instance}}"),
            description="PostgreSQL's connection pool, per replica.",
        ),
        series(
            "Pool waits", "s",
            query(quantile(0.95, "mysymbols_db_pool_wait_seconds", "instance"),
                  "p95 wait {{instance}}"),
            query(f"sum by (instance) (increase(mysymbols_db_pool_waits_total{{{ON}}}[1h]))",
                  "waits in the past hour {{instance}}"),
            description="Checkouts that found every connection taken, and how long they waited.",
        ),
        series(
            "Slow queries", "short",
            query(f"sum(increase(mysymbols_db_slow_queries_total{{{ON}}}[1h]))",
                  "in the past hour"),
            description="Statements longer than MYSYMBOLS_DATABASE__SLOW_QUERY_MS.",
        ),
    ]  # fmt: skip


def process() -> list[dash.Row | timeseries.Panel | stat.Panel]:
    return [
        dash.Row("Process"),
        series(
            "Resident memory", "bytes",
            query(f"process_resident_memory_bytes{{{ON}}}", "{{instance}}"),
            description=PER_PROCESS,
        ),
        series(
            "CPU", "percentunit",
            query(f"rate(process_cpu_seconds_total{{{ON}}}[{RATE}])", "{{instance}}"),
            description=f"Share of one core. {PER_PROCESS}",
        ),
        series(
            "Open file descriptors", "short",
            query(f"process_open_fds{{{ON}}}", "{{instance}}"),
        ),
    ]  # fmt: skip


def webhooks() -> list[dash.Row | timeseries.Panel | stat.Panel]:
    return [
        dash.Row("Webhooks"),
        series(
            "Webhook deliveries", "short",
            query("sum by (kind, outcome) "
                  f"(increase(mysymbols_webhook_deliveries_total{{{ON}}}[1h]))",
                  "{{kind}} {{outcome}}"),
            description="Deliveries ended in the past hour, by event kind and outcome: delivered, "
                        "coalesced (a critical alert carried in a digest), failed (retries spent, "
                        "a 3xx or 4xx), dropped (past the rate limit or the URL's queue bound).",
            span=12,
        ),
        series(
            "Webhook delivery lag", "s",
            query(f"max by (receiver) (mysymbols_webhook_delivery_lag_seconds{{{ON}}})",
                  "{{receiver}}"),
            description="Age of the oldest event still waiting for each receiver (0: keeping up). "
                        "Each URL has its own queue: one receiver behind delays no other.",
            span=12,
        ),
    ]  # fmt: skip


def forward_record() -> list[dash.Row | timeseries.Panel | stat.Panel]:
    return [
        dash.Row("Forward record"),
        series(
            "Return since each book started", "percentunit",
            query(f"max by (book) (mysymbols_forward_record_return{{{ON}}})", "{{book}}"),
            description="After costs: the policy's shadow book, each registered challenger's "
                        "(challenger:<name>, from its registration) and the baselines, marked "
                        "hourly. Books started at different hours: compare a challenger with the "
                        "policy through GET /evidence/live/challengers, not here.",
            span=16,
        ),
        single(
            "Forward record age", "s", query(f"max(mysymbols_forward_record_age_seconds{{{ON}}})"),
            (None, "green"), (2 * 3600, "orange"), (3 * 3600, "red"),
            description="Since the close of the last hour marked (the forward_record job moves "
                        "it); before the first mark, since the record's inception.",
            span=8,
        ),
    ]  # fmt: skip


def build() -> dash.Dashboard:
    """The whole dashboard: its variables, then each row and its panels."""
    board = (
        dash.Dashboard("MySymbols")
        .uid("mysymbols")
        .description("The managed KuCoin futures symbol portfolio: requests, jobs, KuCoin, "
                     "scoring, portfolio, live track record, database, process, webhooks, "
                     "forward record.")
        .tags(["mysymbols"])
        .refresh("1m")
        .time("now-6h", "now")
        .timezone("browser")
        .tooltip(DashboardCursorSync.CROSSHAIR)
        .with_variable(
            dash.DatasourceVariable("datasource").label("Data source").type("prometheus")
        )
        .with_variable(
            dash.QueryVariable("instance")
            .label("Instance")
            .datasource(DATASOURCE)
            .query("label_values(mysymbols_build_info, instance)")
            .multi(True)
            .include_all(True)
            .all_value(".*")
        )
    )  # fmt: skip
    panel_id = 0
    for section in (
        requests, jobs, kucoin, scoring, portfolio, track_record, database, process, webhooks,
        forward_record,  # appended last: the ids of the panels above stay
    ):  # fmt: skip
        for item in section():
            panel_id += 1  # stable ids: links to a panel (`viewPanel=`) survive a regeneration
            if isinstance(item, dash.Row):
                board = board.with_row(item.id(panel_id))
            else:
                board = board.with_panel(item.id(panel_id))
    return board


def render() -> str:
    """The dashboard as Grafana imports it (JSON, keys sorted, a final newline)."""
    return json.dumps(build().build(), cls=JSONEncoder, indent=2, sort_keys=True) + "\n"


if __name__ == "__main__":
    print(render(), end="")
