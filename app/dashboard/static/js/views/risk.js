// Risk: the members' correlation heatmap (pairs over the limit outlined), clusters, beta to BTC,
// and the portfolio's risk metrics.

import { get } from "../api.js";
import { heatmap } from "../charts.js";
import { fill, h, num, panel, pct, stats, table } from "../dom.js";

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
    limit: correlation.limit,
    ariaLabel: `Correlation of the ${n} members over ${correlation.window_hours} h; ` +
      `${correlation.pairs_over_limit.length} pairs over ${correlation.limit}`,
  }) : h("p", null, "No members to correlate.");
  const pairs = correlation.pairs_over_limit.length
    ? table(null, [{ label: "Pair" }, { label: "Correlation", num: true }],
      correlation.pairs_over_limit.map((p) => [`${p.a} / ${p.b}`, num(p.correlation, 3)]), { id: "pairs" })
    : h("p", { id: "pairs" }, `No pair is over ${correlation.limit}.`);
  const clusters = correlation.clusters.length
    ? h("ol", { id: "clusters" }, correlation.clusters.map((c) => h("li", null, c.join(", "))))
    : h("p", { id: "clusters" }, "No clusters.");
  const betas = table(null, [{ label: "Symbol" }, { label: "Beta to BTC", num: true }],
    Object.entries(correlation.beta_to_btc).map(([symbol, beta]) => [symbol, num(beta, 3)]),
    { id: "betas" });
  fill(body, 
    stats([
      ["Members", String(statistics.members)],
      ["Average pairwise r", num(correlation.average_pairwise, 3)],
      ["Pairs over limit", `${correlation.pairs_over_limit.length} (limit ${correlation.limit})`],
      ["Effective members (1/HHI)", num(statistics.effective_members, 2)],
      ...figures,
    ]),
    h("div", { class: "grid2" },
      panel(`Correlation, ${correlation.window_hours} h (${correlation.common_hours} common hours)`,
        h("div", { class: "scroll" }, map)),
      h("div", null, panel("Pairs over the limit", pairs), panel("Clusters", clusters),
        panel("Beta to BTC", betas))),
    h("p", { class: "muted" }, `Risk metrics: ${metrics.periods}; ${metrics.observations} observations ` +
      `over ${metrics.window_hours} h.`),
  );
}
