// Portfolio: members by rank with weights, scores, prices and data age; a weights chart; the
// last changes from the audit trail.

import { get } from "../api.js";
import { barChart } from "../charts.js";
import { age, fill, h, label, num, panel, price, signedCell, simulatedCaveat, stats, table, when } from "../dom.js";

const HISTORY = 8;
// Component headings written short below 1300 px (app.css), so that every column of the members
// table stays in view at 1024 px; the whole word is on hover (`title`).
const SHORT = { technical: "Tech.", fundamental: "Fund." };

/** A column heading in sentence case: "market_structure" -> "Market structure". */
function heading(name) {
  const text = label(name);
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** A component's heading: its whole name, and its short form where there is one (CSS shows one). */
function componentHeading(name) {
  const whole = heading(name);
  if (!SHORT[name]) return whole;
  return [h("span", { class: "long" }, whole), h("abbr", { class: "short", title: whole }, SHORT[name])];
}

/** Whether a replacement would take the member: "no" unless it is among the weakest; for a
 * candidate, the API's one wording of its state (actionable now, or not before a time), its
 * reasons on hover. */
function replaceCell(member, advice) {
  if (!member.is_replacement_candidate) return "no";
  const rec = advice.get(member.symbol);
  if (!rec) return h("span", { class: "flag" }, "candidate"); // the advice could not be read
  return h("span", {
    class: rec.actionable ? "flag" : "flag neutral", "data-actionable": String(rec.actionable),
    title: (rec.actionable ? rec.reasons : rec.blocking).join("\n"),
  }, rec.actionability);
}

function describe(change) {
  if (change.action === "replace") return `${change.replaced_symbol} → ${change.symbol}`;
  return change.symbol || "portfolio";
}

export async function load(body) {
  const [portfolio, rankings, history, candidates] = await Promise.all([
    get("/portfolio"),
    get("/scoring/rankings?limit=500").catch(() => null), // no run yet: no components
    get(`/portfolio/history?limit=${HISTORY}`),
    get("/portfolio/replacement-candidates").catch(() => null),
  ]);
  const advice = new Map((candidates ? candidates.recommendations : []).map((r) => [r.member, r]));
  const members = portfolio.members;
  const components = rankings && rankings.items.length ? Object.keys(rankings.items[0].components) : [];
  const bySymbol = new Map((rankings ? rankings.items : []).map((item) => [item.symbol, item]));
  const total = members.reduce((sum, m) => sum + Number(m.weight), 0);

  const summary = stats([
    ["Members", `${members.length} of ${portfolio.max_symbols}`],
    ["Total weight", `${total.toFixed(4)} %`],
    ["Scoring run", portfolio.score_run_id === null ? "none" : `#${portfolio.score_run_id}`],
    ["Score age", age(portfolio.score_age_s)],
    ["Inputs", portfolio.stale ? "stale" : "fresh"],
  ]);
  summary.querySelector(".stat:nth-child(2) dd").id = "total-weight";

  const columns = [
    { label: "Rank" }, { label: "Symbol" }, { label: "Weight %", num: true },
    { label: "Composite", num: true },
    ...components.map((c) => ({ label: componentHeading(c), num: true })),
    { label: "Entry", num: true }, { label: "Current", num: true },
    { label: "Since inclusion", num: true }, { label: "Replace?" },
    { label: "Data age", num: true },
  ];
  const rows = members.map((m) => {
    const item = bySymbol.get(m.symbol);
    return h("tr", { "data-symbol": m.symbol }, [
      h("td", null, m.rank),
      h("th", { scope: "row" }, m.symbol),
      h("td", { class: "num weight" }, Number(m.weight).toFixed(4)),
      h("td", { class: "num" }, num(m.composite, 1)),
      ...components.map((c) => h("td", { class: "num" }, num(item && item.components[c], 1))),
      h("td", { class: "num" }, price(m.entry_price)),
      h("td", { class: "num", title: m.price_source || "" }, price(m.current_price)),
      signedCell(m.performance_pct, 2, " %"),
      h("td", { class: "replace" }, replaceCell(m, advice)),
      h("td", { class: "num" }, m.stale ? h("span", { class: "flag bad" }, `stale ${age(m.data_age_s)}`)
        : age(m.data_age_s)),
    ]);
  });
  const membersTable = members.length
    ? table(`Members by rank (${when(portfolio.as_of)})`, columns, rows, { id: "members" })
    : h("p", null, "The portfolio has no members yet.");

  const chart = members.length ? barChart(
    members.map((m) => ({ label: m.symbol, value: Number(m.weight) })),
    { ariaLabel: `Weights of the ${members.length} members, percent`, unit: " %", digits: 2 },
  ) : h("p", { class: "muted" }, "No weights.");

  const changes = history.map((c) => [
    when(c.occurred_at), c.action, describe(c),
    c.new_weight === null ? "–" : `${Number(c.new_weight).toFixed(2)} %`, c.actor, c.reason || "",
  ]);
  const audit = changes.length
    ? table(null, [{ label: "When" }, { label: "Action" }, { label: "Symbol" },
      { label: "New weight", num: true }, { label: "By" }, { label: "Reason" }], changes,
    { id: "changes" })
    : h("p", null, "No changes recorded yet.");

  fill(body,
    summary,
    simulatedCaveat(rankings ? rankings.market_data : null), // beside the members' scores
    panel(null, membersTable),
    panel("Weights", chart),
    panel("Last changes", audit), // the full width: its reasons and actors are long
  );
}
