// The live track record (`/evidence/live`): what following the service's own decisions did since
// the first one, beside the same baselines, marked hourly after costs. Shown apart from the
// replay's figures, never mixed with them: nobody chose its period, and it only grows.

import { ApiError, get } from "../api.js";
import { lineChart, PALETTE } from "../charts.js";
import { age, h, label, num, panel, pct, signedCell, stats, table, when } from "../dom.js";

const WINDOWS = [["since_inception", "since inception"], ["last_90d", "90 d"], ["last_30d", "30 d"]];
const STARTS = "The live track record starts at the portfolio's first decision: that hour is its " +
  "inception, and the track_record job marks it hour by hour once the hour's candles are stored.";

/** The record, or null before it has started (the API answers 404 until then). */
export async function readLive() {
  try {
    return await get("/evidence/live");
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return null;
    throw error;
  }
}

const percent = (v) => (v === null || v === undefined ? null : v * 100);
const interval = (pair) => (pair && pair[0] !== null && pair[1] !== null
  ? `${num(pair[0] * 100, 1)} to ${num(pair[1] * 100, 1)} %` : "–");

function figuresTable(live) {
  const windows = WINDOWS.filter(([name]) => live.windows[name]);
  const mark = (name) => (live.windows[name].complete ? "" : " *");
  const columns = [{ label: "Strategy" },
    ...windows.flatMap(([name, text]) => [{ label: `Return ${text}${mark(name)}`, num: true },
      { label: `Sharpe ${text}${mark(name)}`, num: true }]),
    { label: "Max drawdown", num: true }, { label: "Turnover / decision", num: true },
    { label: "Fees", num: true }];
  const all = live.windows.since_inception.strategies;
  const partial = windows.some(([name]) => !live.windows[name].complete);
  return table(`After fees, slippage and funding${partial
    ? " (* the record is shorter than the window: the whole record)" : ""}`, columns,
  Object.keys(all).map((name) => h("tr", { class: name === "policy" ? "member" : null, "data-strategy": name }, [
    h("th", { scope: "row" }, label(name)),
    ...windows.flatMap(([w]) => {
      const f = live.windows[w].strategies[name] || {};
      return [signedCell(percent(f.total_return), 1, " %"), h("td", { class: "num" }, num(f.sharpe))];
    }),
    h("td", { class: "num" }, pct(all[name].max_drawdown)), h("td", { class: "num" }, num(all[name].turnover)),
    h("td", { class: "num" }, pct(all[name].fees, 2)),
  ])), { id: "live-figures" });
}

function alphaTable(live) {
  const rows = WINDOWS.filter(([name]) => live.windows[name]).map(([name, text]) => {
    const a = live.windows[name].against_universe || {};
    return h("tr", { "data-window": name }, [
      h("th", { scope: "row" }, `${text}${live.windows[name].complete ? "" : " *"}`),
      h("td", { class: "num" }, a.n === undefined ? "–" : String(a.n)),
      signedCell(percent(a.alpha_annualised), 1, " %"), h("td", null, interval(a.alpha_interval_annualised)),
      h("td", { class: "num" }, num(a.alpha_t)), h("td", { class: "num" }, num(a.beta)),
      signedCell(percent(a.active_return), 1, " %"), h("td", { class: "num" }, pct(a.tracking_error)),
      h("td", { class: "num" }, num(a.information_ratio)),
    ]);
  });
  return table("Policy against the equal-weight universe (daily returns; * the whole record)", [
    { label: "Window" }, { label: "Days", num: true }, { label: "Alpha / year", num: true },
    { label: "95 % interval" }, { label: "t", num: true }, { label: "Beta", num: true },
    { label: "Active / year", num: true }, { label: "Tracking error", num: true },
    { label: "Information ratio", num: true },
  ], rows, { id: "live-alpha" });
}

function hitRate(r) {
  const after = `${r.horizon_days} days`;
  if (!r.n) {
    return h("p", { id: "live-hit-rate" }, `Replacements: none has had its ${after} yet.`);
  }
  return h("p", { id: "live-hit-rate" },
    `Replacements: ${r.n}; the newcomer beat the member it replaced ${after} later in ` +
    `${pct(r.hit_rate)} of them (95 % Wilson interval ${interval(r.hit_interval)}), ` +
    `by ${num((r.mean ?? NaN) * 100, 2)} % on average.`);
}

function segmentsTable(live) {
  return table("Configuration segments (a new configuration hash starts one)", [
    { label: "Configuration" }, { label: "From" }, { label: "To" }, { label: "Decisions", num: true },
  ], live.segments.map((s) => [h("code", { title: s.config_hash }, s.config_hash.slice(0, 12)),
    when(s.from), when(s.to), String(s.decisions)]), { id: "live-segments" });
}

function equityChart(live) {
  const names = Object.keys(live.equity);
  const series = names.map((name, k) => ({
    name: label(name), color: name === "policy" ? "#1a1a1a" : PALETTE[k % PALETTE.length],
    width: name === "policy" ? 2.8 : 1.5, points: live.equity[name],
  }));
  return h("div", { id: "live-equity" }, lineChart(series, {
    ariaLabel: `Live equity of ${names.length} strategies from 1.0 at inception: ${names.map(label).join(", ")}`,
    reference: 1, yFormat: (v) => v.toFixed(3),
  }));
}

function headline(live) {
  const all = live.windows.since_inception.strategies;
  const policy = all.policy;
  if (!policy) return null;
  const baselines = Object.keys(all).filter((n) => n !== "policy");
  const beaten = baselines.filter((n) => (policy.total_return ?? -Infinity) > (all[n].total_return ?? -Infinity));
  return h("p", { id: "live-headline", class: "headline" },
    `Policy ${num(percent(policy.total_return), 1)} % since inception after costs, ahead of ` +
    `${beaten.length} of ${baselines.length} baselines (${live.hours} hours, ${live.decisions} decisions).`);
}

/** The live panel: the record, or plainly that it has not started (`live` null). */
export function liveSection(live) {
  if (live === null) {
    return h("section", { class: "record", "aria-labelledby": "live-since" },
      h("h3", { id: "live-since" }, "Live track record: not started yet"),
      h("p", { id: "live-none" }, `${STARTS} Until then there is nothing to show, and nothing ` +
        "is wrong. The replay and walk-forward evidence below is history, not the live record."));
  }
  return h("section", { class: "record", "aria-labelledby": "live-since" },
    h("h3", { id: "live-since" }, `Live since ${when(live.inception)}`),
    h("p", { class: "muted" }, "The service's own decisions followed since the first one, beside " +
      "the baselines, marked hourly from stored candles and funding after costs. Apart from the " +
      "replay evidence below: these figures are not a replay's."),
    stats([
      ["Marked to", when(live.marked_to)], ["Hours", String(live.hours)],
      ["Decisions", String(live.decisions)], ["Gap hours", String(live.gap_hours)],
      ["Segments", String(live.segments.length)],
    ]),
    headline(live),
    h("div", { class: "grid2" }, panel("Live equity, policy against every baseline", equityChart(live)),
      panel("Replacements and configuration", hitRate(live.replacements), segmentsTable(live))),
    panel(null, figuresTable(live)),
    panel(null, alphaTable(live)));
}

/** The record's last update for Operations: when it was marked to and updated, and how long ago. */
export function lastUpdate(live) {
  if (live === null) {
    return h("div", { id: "track-record" }, h("p", null, `Not started. ${STARTS}`));
  }
  const since = (iso) => age(Math.max(0, Date.now() - Date.parse(iso)) / 1000);
  return h("div", { id: "track-record" }, stats([
    ["Marked to", when(live.marked_to)], ["Record age", since(live.marked_to)],
    ["Updated", when(live.updated_at)], ["Updated ago", since(live.updated_at)],
    ["Gap hours", String(live.gap_hours)],
  ]));
}
