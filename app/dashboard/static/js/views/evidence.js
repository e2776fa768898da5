// Evidence: the latest replay or walk-forward report: every strategy's equity curve and
// drawdown, its figures after costs, and the information coefficient per component.

import { get } from "../api.js";
import { lineChart, PALETTE } from "../charts.js";
import { fill, h, label, num, panel, pct, signedCell, stats, table, when } from "../dom.js";

const OURS = ["policy", "default"]; // the scoring's books; everything else is a baseline
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
      h("th", { scope: "row" }, label(name)), signedCell(f.total_return * 100, 1, " %"),
      signedCell(f.cagr === null ? null : f.cagr * 100, 1, " %"), h("td", { class: "num" }, num(f.sharpe)),
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
    h("div", { class: "controls" }, h("label", { for: "report-choice" }, "Report"), picker),
    headline(strategies), verdict,
    stats([
      ["Kind", run.kind], ["Range", `${when(data.from || run.data_from)} → ${when(data.to || run.data_to)}`],
      ["Decisions", String(data.decisions ?? "–")], ["Symbols", String(data.symbols ?? "–")],
      ["Every", run.params.every || "–"], ["Costs", `${run.params.fee_bps ?? "–"} bps fee, ${run.params.slippage_bps ?? 0} bps slippage`],
      ["Funding", data.funding || "–"], ["Config", (report.config_hash || "").slice(0, 12)],
    ]),
    h("div", { class: "grid2" }, panel("Equity, policy against every baseline", equity),
      panel("Drawdown", dd)),
    panel(null, figures),
    panel("Information coefficient per component (Spearman, per decision)", icTable(report.ic || {})),
  );
}

export async function load(body) {
  const runs = (await get("/replays?limit=50")).filter((r) => r.status === "succeeded");
  if (!runs.length) {
    fill(body, h("p", null, "No replay or walk-forward calibration has finished yet. " +
      "Start one with POST /replays or POST /scoring/evidence/refresh."));
    return;
  }
  if (!chosen || !runs.some((r) => r.id === chosen)) chosen = runs[0].id;
  const show = async (id) => {
    chosen = id;
    render(body, await get(`/replays/${id}`), runs, show);
  };
  await show(chosen);
}
