// Evidence: the live track record since the first decision (./live.js), and apart from it the
// latest replay or walk-forward report: every strategy's equity curve and
// drawdown, its figures after costs, the selection skill with market beta removed (alpha
// against the equal-weight universe, IC against residual returns, replacement hit rates) and
// the information coefficient per component.

import { get } from "../api.js";
import { lineChart, PALETTE } from "../charts.js";
import { fill, h, label, num, panel, pct, signedCell, simulatedCaveat, stats, table, when } from "../dom.js";
import { liveSection, readLive } from "./live.js";

const OURS = ["policy", "default"]; // the scoring's books; everything else is a baseline
// A fraction in percent, null when unknown (a cell then says "–", never "NaN").
const percent = (v) => (v === null || v === undefined ? null : v * 100);
let chosen = null;

function drawdowns(equity) {
  let peak = -Infinity;
  return equity.map(([t, v]) => {
    peak = Math.max(peak, v);
    return [t, v / peak - 1];
  });
}

function headline(strategies) {
  const names = Object.keys(strategies);
  const baselines = names.filter((n) => !OURS.includes(n));
  const policy = strategies.policy;
  if (!policy || !baselines.length) return null;
  const best = baselines.reduce((a, b) => ((strategies[b].sharpe ?? -Infinity) > (strategies[a].sharpe ?? -Infinity) ? b : a));
  const beats = baselines.filter((b) => (policy.sharpe ?? -Infinity) > (strategies[b].sharpe ?? -Infinity));
  const verdict = beats.length === baselines.length ? "beats every baseline"
    : `beats ${beats.length} of ${baselines.length} baselines`;
  return h("p", { id: "headline", class: beats.length === baselines.length ? "headline ok" : "headline bad" },
    `Policy Sharpe ${num(policy.sharpe)} after costs ${verdict} (best baseline: ${label(best)}, ` +
    `Sharpe ${num(strategies[best].sharpe)}); return ${pct(policy.total_return)} against ` +
    `${pct(strategies[best].total_return)}.`);
}

function icTable(ic) {
  const components = Object.keys(ic).filter((k) => k !== "metrics");
  const row = (name, v) => [label(name), num(v.mean, 3), num(v.t, 2), String(v.n)];
  const columns = [{ label: "Signal" }, { label: "Mean IC", num: true }, { label: "t", num: true },
    { label: "Decisions", num: true }];
  const metrics = Object.entries(ic.metrics || {});
  return h("div", null,
    table(null, columns, components.map((c) => row(c, ic[c])), { id: "ic" }),
    metrics.length ? h("details", null, h("summary", null, `Per metric (${metrics.length})`),
      table(null, columns, metrics.map(([m, v]) => row(m, v)))) : null);
}

const interval = (pair, scale = 100) => (pair && pair[0] !== null
  ? `${num(pair[0] * scale, 1)} to ${num(pair[1] * scale, 1)} %` : "–");

function selectionPanel(report) {
  const selection = report.selection;
  if (!selection) return null;
  // A calibration's configuration in force is `default`; a replay's is `policy`.
  const ours = ["default", "policy"].find((name) => selection.ranking?.[name]) || "policy";
  const rawIc = (ours === "default" ? report.ic_default : report.ic) || {};
  const mine = selection.strategies[ours] || {};
  const ranking = selection.ranking[ours] || {};
  const residual = ranking.ic?.residual_universe || ranking.ic?.residual || {}; // older reports: `residual`
  const headlineText = `${label(ours)}: alpha ${num((mine.alpha_annualised ?? NaN) * 100, 1)} % a year ` +
    `against the equal-weight universe (95 % interval ${interval(mine.alpha_interval_annualised)}, ` +
    `t ${num(mine.alpha_t)}, Newey-West t ${num(mine.alpha_t_hac)}), beta ${num(mine.beta)}; ` +
    `composite IC against universe-beta-residual returns ${num(residual.mean, 3)} ` +
    `(t ${num(residual.t)}, Newey-West t ${num(residual.t_hac)}).`;
  const strategies = table("Alpha and beta against the equal-weight eligible universe, after costs", [
    { label: "Strategy" }, { label: "Alpha / year", num: true }, { label: "95 % interval" },
    { label: "t", num: true }, { label: "Beta", num: true }, { label: "Active / year", num: true },
    { label: "Tracking error", num: true }, { label: "Information ratio", num: true },
  ], Object.entries(selection.strategies).map(([name, f]) => h("tr", { class: OURS.includes(name) ? "member" : null }, [
    h("th", { scope: "row" }, label(name)), signedCell(percent(f.alpha_annualised), 1, " %"),
    h("td", null, interval(f.alpha_interval_annualised)), h("td", { class: "num" }, num(f.alpha_t)),
    h("td", { class: "num" }, num(f.beta)), signedCell(percent(f.active_return), 1, " %"),
    h("td", { class: "num" }, pct(f.tracking_error)), h("td", { class: "num" }, num(f.information_ratio)),
  ])), { id: "selection-alpha" });
  const icRow = (name, v) => {
    const net = v.residual_universe ?? v.residual;
    return [label(name), num(v.raw?.mean ?? v.mean, 3), num(v.raw?.t ?? v.t, 2),
      num(net?.mean, 3), num(net?.t, 2), num(net?.t_hac, 2)];
  };
  const components = Object.entries(ranking.components || {});
  const ics = table("IC per decision: raw and universe-residual returns", [
    { label: "Signal" }, { label: "Raw IC", num: true }, { label: "t", num: true },
    { label: "Residual IC", num: true }, { label: "t", num: true },
    { label: "Newey-West t", num: true },
  ], [icRow("composite", ranking.ic || {}),
    icRow("decile spread (top − bottom)", ranking.decile_spread || {}),
    ...components.map(([name, v]) => icRow(name, { raw: rawIc[name] || {}, residual_universe: v }))],
  { id: "selection-ic" });
  const swaps = selection.replacements || {};
  const swapRows = ["executed", "blocked"].flatMap((kind) => Object.entries(swaps[kind] || {}).map(
    ([horizon, f]) => [kind === "executed" ? "replacements made" : "blocked by hysteresis", horizon,
      String(f.n), f.hit_rate === null ? "–" : pct(f.hit_rate), interval(f.hit_interval),
      f.mean === null ? "–" : `${num(f.mean * 100, 2)} %`]));
  const hits = table(`Newcomer minus replaced member after the swap's cost (${pct(swaps.swap_cost ?? 0, 2)})`, [
    { label: "Swaps" }, { label: "After" }, { label: "n", num: true }, { label: "Hit rate", num: true },
    { label: "95 % interval" }, { label: "Mean", num: true },
  ], swapRows, { id: "selection-swaps" });
  return panel("Selection skill, market beta removed", h("div", null,
    h("p", { id: "selection-headline", class: "headline" }, headlineText), strategies, ics, hits));
}

function render(body, run, runs, onChoose) {
  const report = run.report;
  const strategies = report.strategies;
  const names = Object.keys(strategies);
  const colour = (name, k) => (name === "policy" ? "#1a1a1a" : PALETTE[k % PALETTE.length]);
  const series = names.map((name, k) => ({
    name: label(name), color: colour(name, k), width: OURS.includes(name) ? 2.8 : 1.5,
    points: strategies[name].equity || [],
  }));
  const equity = lineChart(series, {
    ariaLabel: `Equity of ${names.length} strategies from 1.0: ${names.map(label).join(", ")}`,
    reference: 1, yFormat: (v) => v.toFixed(2),
  });
  const dd = lineChart(series.map((line) => ({ ...line, points: drawdowns(line.points) })), {
    ariaLabel: "Drawdown of each strategy from its running peak", height: 200, reference: 0,
    yFormat: (v) => `${Math.round(v * 100) || 0}%`,
  });
  const figures = table("After fees, slippage and funding", [
    { label: "Strategy" }, { label: "Total return", num: true }, { label: "CAGR", num: true },
    { label: "Sharpe", num: true }, { label: "Sortino", num: true }, { label: "Max drawdown", num: true },
    { label: "Turnover / decision", num: true }, { label: "Fees", num: true }, { label: "Funding", num: true },
  ], names.map((name) => {
    const f = strategies[name];
    return h("tr", { class: OURS.includes(name) ? "member" : null }, [
      h("th", { scope: "row" }, label(name)), signedCell(percent(f.total_return), 1, " %"),
      signedCell(percent(f.cagr), 1, " %"), h("td", { class: "num" }, num(f.sharpe)),
      h("td", { class: "num" }, num(f.sortino)), h("td", { class: "num" }, pct(f.max_drawdown)),
      h("td", { class: "num" }, num(f.turnover)), h("td", { class: "num" }, pct(f.fees)),
      h("td", { class: "num" }, pct(f.funding)),
    ]);
  }), { id: "figures" });

  const picker = h("select", { id: "report-choice", onchange: (e) => onChoose(Number(e.target.value)) },
    runs.map((r) => h("option", { value: r.id, selected: r.id === run.id },
      `#${r.id} ${r.kind}, ${when(r.data_from)} → ${when(r.data_to)}`)));
  const data = report.data || {};
  const verdict = report.verdict ? h("p", { class: "headline" },
    `Walk-forward verdict: calibrated ${report.verdict.calibrated_beats_every_baseline ? "beats" : "does not beat"} ` +
    `every baseline; the configuration in force ${report.verdict.default_beats_every_baseline ? "beats" : "does not beat"} them.`) : null;
  fill(body,
    h("h3", { id: "replay-title" }, "Replay and walk-forward evidence (history)"),
    h("div", { class: "controls" }, h("label", { for: "report-choice" }, "Report"), picker),
    simulatedCaveat(run.market_data), headline(strategies), verdict,
    stats([
      ["Kind", run.kind], ["Range", `${when(data.from || run.data_from)} → ${when(data.to || run.data_to)}`],
      ["Decisions", String(data.decisions ?? "–")], ["Symbols", String(data.symbols ?? "–")],
      ["Every", run.params.every || "–"], ["Costs", `${run.params.fee_bps ?? "–"} bps fee, ${run.params.slippage_bps ?? 0} bps slippage`],
      ["Funding", data.funding || "–"], ["Config", report.config_hash
        ? h("code", { title: report.config_hash }, report.config_hash.slice(0, 12)) : "–"],
    ]),
    h("div", { class: "grid2", id: "replay-equity" }, panel("Equity, policy against every baseline", equity),
      panel("Drawdown", dd)),
    panel(null, figures),
    selectionPanel(report),
    panel("Information coefficient per component (Spearman, per decision)", icTable(report.ic || {})),
  );
}

export async function load(body) {
  const [all, live] = await Promise.all([get("/replays?limit=50"), readLive()]);
  const runs = all.filter((r) => r.status === "succeeded");
  const replay = h("div", { id: "replay-evidence" });
  fill(body, liveSection(live), replay);
  if (!runs.length) {
    fill(replay, h("p", null, "No replay or walk-forward calibration has finished yet. " +
      "Start one with POST /replays or POST /scoring/evidence/refresh."));
    return;
  }
  if (!chosen || !runs.some((r) => r.id === chosen)) chosen = runs[0].id;
  const show = async (id) => {
    chosen = id;
    render(replay, await get(`/replays/${id}`), runs, show);
  };
  await show(chosen);
}
