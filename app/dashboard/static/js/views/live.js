// The live record (`/evidence/live`): its `as_run` section, the real portfolio as it was run,
// whoever changed it, marked hourly after costs since its first decision; and its `forward`
// section (./forward.js), the default's shadow book against each challenger and the baselines.
// Shown apart from the replay's figures, never mixed with them: nobody chose their period, and
// they only grow.

import { ApiError, get } from "../api.js";
import { lineChart, PALETTE } from "../charts.js";
import { h, label, num, panel, pct, signedCell, simulatedCaveat, stats, table, when } from "../dom.js";
import { forwardSection } from "./forward.js";

const WINDOWS = [["since_inception", "since inception"], ["last_90d", "90 d"], ["last_30d", "30 d"]];
export const STARTS = "The live track record starts at the portfolio's first decision: that hour " +
  "is its inception, and it is marked hour by hour once the hour's candles are stored.";

/** Whether the moment `iso` is still to come (by this browser's clock): it "starts at", never
 * "started" or "since". */
export const toCome = (iso) => Boolean(iso) && Date.parse(iso) > Date.now();

/** `{as_run, forward}` (either null until it starts), or null before both start (the API
 * answers 404 until then). */
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
  const columns = [{ label: "Book" },
    ...windows.flatMap(([name, text]) => [{ label: `Return ${text}${mark(name)}`, num: true },
      { label: `Sharpe ${text}${mark(name)}`, num: true }]),
    { label: "Max drawdown", num: true }, { label: "Turnover / decision", num: true },
    { label: "Fees", num: true }];
  const all = live.windows.since_inception.books;
  const partial = windows.some(([name]) => !live.windows[name].complete);
  return table(`After fees, slippage and funding${partial
    ? " (* the record is shorter than the window: the whole record)" : ""}`, columns,
  Object.keys(all).map((name) => h("tr", { class: name === "as_run" ? "member" : null, "data-strategy": name }, [
    h("th", { scope: "row" }, label(name)),
    ...windows.flatMap(([w]) => {
      const f = live.windows[w].books[name] || {};
      return [signedCell(percent(f.total_return), 1, " %"), h("td", { class: "num" }, num(f.sharpe))];
    }),
    h("td", { class: "num" }, pct(all[name].max_drawdown)), h("td", { class: "num" }, num(all[name].turnover)),
    h("td", { class: "num" }, pct(all[name].fees, 2)),
  ])), { id: "live-figures" });
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
  return table("Configuration segments (a new configuration hash, fee or slippage starts one)", [
    { label: "Configuration" }, { label: "Fee + slippage (bps)", num: true }, { label: "From" },
    { label: "To" }, { label: "Decisions", num: true },
  ], live.segments.map((s) => [h("code", { title: s.config_hash }, s.config_hash.slice(0, 12)),
    `${num(s.fee_bps, 1)} + ${num(s.slippage_bps, 1)}`, when(s.from), when(s.to),
    String(s.decisions)]), { id: "live-segments" });
}

function equityChart(live) {
  const names = Object.keys(live.equity);
  const series = names.map((name, k) => ({
    name: label(name), color: name === "as_run" ? "#1a1a1a" : PALETTE[k % PALETTE.length],
    width: name === "as_run" ? 2.8 : 1.5, points: live.equity[name],
  }));
  return h("div", { id: "live-equity" }, lineChart(series, {
    ariaLabel: `Live equity of ${names.length} strategies from 1.0 at inception: ${names.map(label).join(", ")}`,
    reference: 1, yFormat: (v) => v.toFixed(3),
  }));
}

function headline(live) {
  const asRun = live.windows.since_inception.books.as_run;
  if (!asRun) return null;
  if (live.marked_to === null) {
    const waiting = live.hours_to_mark ? `${live.hours_to_mark} to mark` : "none to mark yet";
    return h("p", { id: "live-headline", class: "headline" }, toCome(live.inception)
      ? `Starts at ${when(live.inception)}, the hour its first decision trades in: no hour ` +
        "marked yet."
      : `Started at ${when(live.inception)}: no hour marked yet (${waiting}).`);
  }
  return h("p", { id: "live-headline", class: "headline" },
    `As run: ${num(percent(asRun.total_return), 1)} % since inception after costs ` +
    `(${live.hours} hours, ${live.decisions} decisions).`);
}

/** The as-run record, or plainly that it has not started (`live` null). */
function asRunSection(live) {
  if (live === null || live === undefined) {
    return h("section", { class: "record", "aria-labelledby": "live-since" },
      h("h3", { id: "live-since" }, "Live track record: not started yet"),
      h("p", { id: "live-none" }, `${STARTS} Until then there is nothing to show, and nothing ` +
        "is wrong. The replay and walk-forward evidence below is history, not the live record."));
  }
  const figures = live.marked_to === null ? [] : [ // nothing marked yet: no curve, no figures
    panel("Live equity, as run", equityChart(live)),
    panel("Replacements and configuration", hitRate(live.replacements), segmentsTable(live)),
    panel(null, figuresTable(live))];
  return h("section", { class: "record", "aria-labelledby": "live-since" },
    h("h3", { id: "live-since" }, toCome(live.inception)
      ? `Live track record: starts at ${when(live.inception)}`
      : `Live since ${when(live.inception)}`),
    h("p", { class: "muted" }, "The real portfolio as it was run, whoever changed it, followed " +
      "since its first decision, marked hourly from stored candles and funding after costs. Apart " +
      "from the replay evidence below: these figures are not a replay's."),
    stats([
      ["Marked to", live.marked_to === null ? "no hour yet" : when(live.marked_to)],
      ["Hours", String(live.hours)],
      ["To mark", String(live.hours_to_mark)], ["Decisions", String(live.decisions)],
      ["Gap hours", String(live.gap_hours)], ["Segments", String(live.segments.length)],
    ]),
    headline(live),
    ...figures);
}

/** The live panels of `readLive()`'s answer: the as-run record, then the forward record. */
export function liveSection(answer) {
  return h("div", { id: "live-records" }, simulatedCaveat(answer?.market_data ?? null),
    asRunSection(answer?.as_run ?? null), forwardSection(answer?.forward ?? null));
}
