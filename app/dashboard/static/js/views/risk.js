// Risk: the members' correlation heatmap (pairs over the limit outlined), clusters, beta to BTC,
// and the portfolio's risk metrics.

import { get } from "../api.js";
import { heatmap } from "../charts.js";
import { fill, h, num, panel, pct, simulatedCaveat, stats, table } from "../dom.js";

/** The members that move together: each group linked by pairs over the limit, with its
 * strongest pair; the members in no group are named once, not listed as groups of one. */
function clusterList(correlation) {
  const groups = correlation.clusters.filter((c) => c.length > 1);
  const alone = correlation.clusters.filter((c) => c.length === 1).map((c) => c[0]);
  const index = new Map(correlation.symbols.map((s, i) => [s, i]));
  const strongest = (group) => {
    let best = null;
    for (const a of group) for (const b of group) {
      const r = a < b ? correlation.matrix[index.get(a)][index.get(b)] : null;
      if (r !== null && r !== undefined && (best === null || r > best.r)) best = { a, b, r };
    }
    return best;
  };
  const items = groups.map((group) => {
    const pair = strongest(group);
    return h("li", null, h("strong", null, group.join(", ")),
      pair ? ` (strongest: ${pair.a} / ${pair.b}, r ${num(pair.r, 2)})` : "");
  });
  return h("div", { id: "clusters" },
    groups.length
      ? h("ul", null, items)
      : h("p", null, `No two members move together above r = ${correlation.correlation_limit}.`),
    alone.length && groups.length
      ? h("p", { class: "muted" }, `Moving on their own: ${alone.join(", ")}.`) : null);
}

export async function load(body) {
  const [correlation, metrics, statistics] = await Promise.all([
    get("/portfolio/correlation"), get("/portfolio/metrics"), get("/portfolio/statistics"),
  ]);
  const n = correlation.symbols.length;
  const report = metrics.report;
  const figures = report ? [
    ["Volatility (annual)", pct(report.volatility)], ["Sharpe", num(report.sharpe)],
    ["Sortino", num(report.sortino)], ["Calmar", num(report.calmar)],
    ["Max drawdown", pct(report.max_drawdown)],
    [`VaR ${Math.round(report.level * 100)} % (1 h)`, pct(report.var, 2)],
    [`ES ${Math.round(report.level * 100)} % (1 h)`, pct(report.es, 2)],
  ] : [["Risk metrics", "not enough history"]];
  const map = n ? heatmap(correlation.symbols, correlation.matrix, {
    limit: correlation.correlation_limit,
    ariaLabel: `Correlation of the ${n} members over ${correlation.window_hours} h; ` +
      `${correlation.pairs_over_limit.length} pairs over ${correlation.correlation_limit}`,
  }) : h("p", null, "No members to correlate.");
  const pairs = correlation.pairs_over_limit.length
    ? table(null, [{ label: "Pair" }, { label: "Correlation", num: true }],
      correlation.pairs_over_limit.map((p) => [`${p.a} / ${p.b}`, num(p.correlation, 3)]), { id: "pairs" })
    : h("p", { id: "pairs" }, `No pair is over ${correlation.correlation_limit}.`);
  const clusters = clusterList(correlation);
  const betas = table(null, [{ label: "Symbol" }, { label: "Beta to BTC", num: true }],
    Object.entries(correlation.beta_to_btc).map(([symbol, beta]) => [symbol, num(beta, 3)]),
    { id: "betas" });
  fill(body,
    simulatedCaveat(metrics.market_data),
    stats([
      ["Members", String(statistics.member_count)],
      ["Average pairwise r", num(correlation.average_pairwise, 3)],
      ["Pairs over limit", `${correlation.pairs_over_limit.length} (limit ${correlation.correlation_limit})`],
      ["Effective members (1/HHI)", num(statistics.effective_members, 2)],
      ...figures,
    ]),
    h("div", { class: "grid2" },
      panel(`Correlation, ${correlation.window_hours} h (${correlation.common_hours} common hours)`,
        h("div", { class: "scroll" }, map)),
      h("div", null, panel("Pairs over the limit", pairs), panel(`Moving together (r over ${correlation.correlation_limit})`, clusters),
        panel("Beta to BTC", betas))),
    h("p", { class: "muted" }, `Risk metrics: ${metrics.periods}; ${metrics.observations} observations ` +
      `over ${metrics.window_hours} h.`),
  );
}
