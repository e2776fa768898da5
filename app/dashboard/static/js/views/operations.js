// Operations: the market-data source (live or not, unmistakably), data age, the breaker, the
// jobs' last runs, the live track record's last update, and the alerts, acknowledged with a
// trade key.

import { ApiError, get, post, readStatus } from "../api.js";
import { age, fill, h, label, num, panel, stats, table, when } from "../dom.js";
import { readLive, STARTS, toCome } from "./live.js";

const RUNS = 20;
// Red only for what went wrong: a skip (nothing the job may do then) is no failure.
const STATUS_FLAG = { succeeded: "flag ok", running: "flag", skipped: "flag neutral" };

function alertsTable(alerts, acknowledge) {
  if (!alerts.length) return h("p", { id: "alerts" }, "No open or acknowledged alerts.");
  return table(null, [{ label: "Severity" }, { label: "Kind" }, { label: "Symbol" }, { label: "Message" },
    { label: "Seen" }, { label: "Times", num: true }, { label: "Status" }], alerts.map((a) => [
    h("span", { class: a.severity === "critical" ? "flag bad" : "flag" }, a.severity),
    label(a.kind), a.symbol || "–", a.message, when(a.last_seen_at), String(a.occurrences),
    a.status === "open"
      ? h("button", { type: "button", class: "quiet", "data-alert": a.id,
        "aria-label": `Acknowledge alert ${a.id}: ${label(a.kind)}${a.symbol ? ` on ${a.symbol}` : ""}`,
        onclick: () => acknowledge(a) }, "Acknowledge")
      : `acknowledged by ${a.acknowledged_by || "?"}`,
  ]), { id: "alerts" });
}

export async function load(body, { askForKey }) {
  const [status, runs, alerts, record] = await Promise.all([
    readStatus(), get(`/jobs/runs?limit=${RUNS}`), get("/alerts?limit=200"), readLive(),
  ]);
  const market = status.market_data;
  const message = h("p", { id: "ack-message", role: "status", class: "error" });

  async function acknowledge(alert) {
    message.textContent = "";
    try {
      await post(`/alerts/${alert.id}/ack`);
      await load(body, { askForKey });
      body.querySelector("#ack-message").textContent = "";
      body.querySelector("#ack-message").append(`Alert ${alert.id} acknowledged.`);
    } catch (error) {
      if (error instanceof ApiError && (error.status === 401 || error.status === 403)) {
        message.replaceChildren("Acknowledging an alert needs an API key with the trade role; ",
          "this key can only read. ", h("button", { type: "button", class: "quiet",
            onclick: () => askForKey("Enter a key with the trade role to acknowledge alerts.") },
          "Enter a trade key"));
      } else {
        message.textContent = error.message;
      }
    }
  }

  const source = h("div", { id: "market-source", class: "source", "data-kind": market.kind },
    "Market data source: ", h("span", { class: "kind" }, market.kind), ` — ${market.source}`);
  const live = alerts.filter((a) => a.status !== "resolved");
  fill(body,
    source,
    stats([
      // An age only of data there is: before the first update, none.
      ["Data age", market.data_age_s === null ? "no data yet" : age(market.data_age_s)],
      ["Data", market.stale ? "STALE" : "fresh"],
      ["Last update", market.last_update_at === null ? "no update yet" : when(market.last_update_at)],
      ["Breaker", `${market.breaker_state}${market.breaker_retry_in_s ? `, retry in ${num(market.breaker_retry_in_s, 0)} s` : ""}`],
      ["Breaker opened", `${market.breaker_times_opened} times`],
      ["Database", status.database.reachable ? `${status.database.backend}, ${num(status.database.latency_ms, 1)} ms` : "unreachable"],
      ["Migrations", status.database.migrations_at_head ? "at head" : `${status.database.migration_revision} ≠ ${status.database.migration_head}${status.database.migrations === "ahead" ? " (ahead: a newer release migrated it; serving)" : ""}`],
      ["Scheduler", status.scheduler_enabled ? "on" : "off"], ["Version", status.version],
    ]),
    panel(`Alerts (${live.filter((a) => a.status === "open").length} open)`, message, alertsTable(live, acknowledge)),
    panel("Live track record: last update", lastUpdate(record)),
    panel("Jobs: last runs", table(null, [{ label: "Run" }, { label: "Job" }, { label: "Status" },
      { label: "Started" }, { label: "Duration", num: true }, { label: "By" }, { label: "Outcome" }],
    runs.map((r) => [`#${r.id}`, label(r.job), h("span", { class: STATUS_FLAG[r.status] || "flag bad" }, r.status),
    when(r.started_at), r.duration_ms === null ? "–" : `${(r.duration_ms / 1000).toFixed(1)} s`,
    r.requested_by || "scheduler",
    h("td", { class: "wrap" }, outcome(r))]), // long outcomes wrap instead of widening the table
    { id: "job-runs" })),
  );
}

/** The as-run record's last update (`answer` as `readLive()` gives it): when it starts or
 * started, what it is marked to and when it was updated, each age only once there is something
 * to be old (a record not marked yet has none, whatever its inception). */
function lastUpdate(answer) {
  const live = answer?.as_run ?? null;
  if (live === null) {
    return h("div", { id: "track-record" }, h("p", null, `Not started. ${STARTS}`));
  }
  const ago = (iso) => age(Math.max(0, Date.now() - Date.parse(iso)) / 1000);
  const marked = live.marked_to !== null;
  const updated = live.updated_at !== null;
  return h("div", { id: "track-record" }, stats([
    [toCome(live.inception) ? "Starts at" : "Started at", when(live.inception)],
    ["Marked to", marked ? when(live.marked_to) : "no hour marked yet"],
    marked ? ["Record age", ago(live.marked_to)] : null,
    ["To mark", String(live.hours_to_mark)],
    ["Updated", updated ? when(live.updated_at) : "no update yet"],
    updated ? ["Updated ago", ago(live.updated_at)] : null,
    ["Gap hours", String(live.gap_hours)],
  ].filter(Boolean)));
}

/** What a run came to: its problem, why it was skipped, or what it did. */
function outcome(run) {
  if (run.problem) return run.problem.detail || run.problem.title;
  if (run.status === "skipped") return run.skip_reason || "nothing it may do";
  return run.result ? summarise(run.result) : "–";
}

function summarise(result) {
  return Object.entries(result).filter(([, v]) => typeof v !== "object" || v === null)
    .slice(0, 4).map(([k, v]) => `${label(k)} ${v}`).join(", ");
}
