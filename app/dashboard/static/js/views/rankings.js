// Rankings and score cards: the latest run's ranking, one symbol's card (each component's
// metrics and its score history), the run's exclusions with their reason codes.

import { ApiError, get } from "../api.js";
import { lineChart, PALETTE } from "../charts.js";
import { age, fill, h, label, num, panel, simulatedCaveat, stats, table, when } from "../dom.js";

const HISTORY_RUNS = 30;
let selected = null;

/** A heading in sentence case: "market_structure" -> "Market structure". */
function heading(name) {
  const text = label(name);
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function card(symbol, scores) {
  const entries = scores.history;
  if (!entries.length) return h("p", null, `${symbol} has no scores yet.`);
  const latest = entries[0];
  const byComponent = new Map(latest.scores.map((c) => [c.component, c]));
  const composite = byComponent.get("composite");
  const parts = [];
  if (composite) {
    const weights = composite.breakdown.weights || {};
    const values = composite.breakdown.components || {};
    const rows = Object.keys(weights).map((name) => [
      label(name), num(values[name], 1), num(weights[name], 2),
      num(values[name] === null || values[name] === undefined ? null : values[name] * weights[name], 2),
    ]);
    parts.push(table(`Composite ${num(composite.score, 2)} (confidence ${num(composite.confidence, 2)})`,
      [{ label: "Component" }, { label: "Score", num: true }, { label: "Weight", num: true },
        { label: "Contribution", num: true }], rows, { class: "composite-breakdown" }));
  }
  for (const component of latest.scores) {
    if (component.component === "composite") continue;
    const metrics = component.breakdown.metrics || [];
    parts.push(table(`${heading(component.component)}: ${num(component.score, 2)} (confidence ${num(component.confidence, 2)})`,
      [{ label: "Metric" }, { label: "Raw", num: true }, { label: "Normalised", num: true },
        { label: "Weight", num: true }, { label: "Contribution", num: true }],
      metrics.map((m) => [label(m.name), num(m.raw, 4), num(m.normalised, 1), num(m.weight, 2),
        num(m.contribution, 2)]), { class: "metrics", "data-component": component.component }));
  }
  const names = latest.scores.map((c) => c.component);
  const series = names.map((name, k) => ({
    name: label(name),
    color: name === "composite" ? "#1a1a1a" : PALETTE[k % PALETTE.length],
    width: name === "composite" ? 2.6 : 1.4,
    points: entries.slice().reverse().map((e) => {
      const c = e.scores.find((x) => x.component === name);
      return [Date.parse(e.scored_at), c ? Number(c.score) : NaN];
    }),
  }));
  const chart = lineChart(series, {
    ariaLabel: `${symbol}: scores over its last ${entries.length} runs`, height: 220,
    yFormat: (v) => v.toFixed(0), markers: true,
  });
  return h("div", { id: "score-card" },
    h("p", { class: "muted" }, `Run #${latest.run_id}, ${when(latest.scored_at)}`),
    parts.slice(0, 1), h("h3", null, "Score history"), chart, parts.slice(1));
}

function exclusions(run) {
  const symbols = Object.entries((run.exclusions && run.exclusions.symbols) || {});
  const byReason = Object.entries((run.exclusions && run.exclusions.by_reason) || {});
  const failures = Object.entries((run.exclusions && run.exclusions.fetch_failures) || {});
  if (!symbols.length && !failures.length) {
    return h("p", { id: "exclusions" }, `No symbol was excluded from run #${run.id}.`);
  }
  return h("div", { id: "exclusions" },
    h("p", null, byReason.map(([code, n]) => `${code}: ${n}`).join(" · ")),
    table(null, [{ label: "Symbol" }, { label: "Reason code" }],
      [...symbols.map(([symbol, reason]) => [symbol, [reason].flat().join(", ")]),
        ...failures.map(([symbol, reason]) => [symbol, `fetch failed: ${reason}`])]));
}

export async function load(body) {
  let rankings;
  try {
    rankings = await get("/scoring/rankings?limit=500");
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) {
      fill(body, h("p", null, "No scoring run has completed yet."));
      return;
    }
    throw error;
  }
  const [run, portfolio] = await Promise.all([
    get(`/scoring/runs/${rankings.run_id}`), get("/portfolio"),
  ]);
  const members = new Set(portfolio.members.map((m) => m.symbol));
  const items = rankings.items;
  if (!selected || !items.some((i) => i.symbol === selected)) {
    selected = (portfolio.members[0] || items[0] || {}).symbol || null;
  }
  const components = items.length ? Object.keys(items[0].components) : [];
  const cardSlot = h("div", { "aria-live": "polite" });

  async function open(symbol) {
    selected = symbol;
    for (const button of body.querySelectorAll("button[data-symbol]")) {
      button.setAttribute("aria-pressed", String(button.dataset.symbol === symbol));
    }
    const scores = await get(`/scoring/symbol/${encodeURIComponent(symbol)}/scores?limit=${HISTORY_RUNS}`);
    fill(cardSlot, h("h3", { id: "card-title" }, `Score card: ${symbol}`), card(symbol, scores));
  }

  const rows = items.map((item) => h("tr", { class: members.has(item.symbol) ? "member" : null }, [
    h("td", null, item.rank),
    h("th", { scope: "row" }, h("button", {
      type: "button", class: "link", "data-symbol": item.symbol, "aria-pressed": "false",
      "aria-label": `Score card of ${item.symbol}`,
      onclick: () => open(item.symbol).then(() => cardSlot.scrollIntoView({ block: "nearest" })),
    }, item.symbol)),
    h("td", { class: "num" }, num(item.composite, 2)),
    ...components.map((c) => h("td", { class: "num" }, num(item.components[c], 1))),
    h("td", { class: "num" }, num(item.confidence, 2)),
    h("td", null, members.has(item.symbol) ? "member" : ""),
  ]));
  fill(body,
    simulatedCaveat(rankings.market_data),
    stats([
      ["Run", `#${rankings.run_id}`], ["Scored at", when(rankings.scored_at)],
      ["Data age", age(rankings.data_age_s)], ["Scored", `${run.scored_count} of ${run.universe_size}`],
      ["Excluded", String(run.excluded_count)],
    ]),
    h("div", { class: "grid2 ranked" },
      panel("Latest ranking", table(null, [{ label: "Rank" }, { label: "Symbol" },
        { label: "Composite", num: true }, ...components.map((c) => ({ label: heading(c), num: true })),
        { label: "Confidence", num: true }, { label: "Portfolio" }], rows, { id: "ranking" })),
      h("div", null, panel(null, cardSlot), panel("Excluded symbols", exclusions(run)))),
  );
  if (selected) await open(selected);
}
