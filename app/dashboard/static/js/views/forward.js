// The forward record (`/evidence/live`, its `forward` section): the automated policy's shadow
// book (the default), every registered challenger's and the baselines', marked hourly after
// costs from deployment on, and the forward rule's verdict on each challenger. Evidence for an
// admin's change: the rule never adopts anything by itself.

import { lineChart, PALETTE } from "../charts.js";
import { h, label, num, panel, pct, signedCell, stats, table, when } from "../dom.js";

const DEFAULT = "policy";
const BASELINES = ["btc_hold", "equal_weight", "top_volume", "momentum", "random"];
const GREYS = ["#5a5f66", "#8a8f96", "#3d4249", "#767b82", "#a0a5ab"]; // the baselines' lines
const Z95 = 1.96;
const SHORT = 64; // characters of a hypothesis shown before it is opened
const MINUS = "\u2212";

const percent = (v) => (v === null || v === undefined ? null : v * 100);
const known = (v) => v !== null && v !== undefined && Number.isFinite(Number(v));

/** +0.012 or −0.025 (a typographic minus), "–" when unknown. */
function signed3(v, digits = 3) {
  if (!known(v)) return "–";
  const n = Number(v);
  const text = Math.abs(n).toFixed(digits);
  if (Number(text) === 0) return text; // no "+0.000" or "−0.000"
  return `${n > 0 ? "+" : MINUS}${text}`;
}

/** The skill-IC lead with its 95 % interval: "+0.012 [−0.025, +0.049]". */
export function leadText(lead, se) {
  if (!known(lead)) return "–";
  if (!known(se)) return signed3(lead);
  return `${signed3(lead)} [${signed3(lead - Z95 * se)}, ${signed3(lead + Z95 * se)}]`;
}

function shortened(text) {
  const first = text.split(/(?<=\.)\s/)[0];
  if (first.length <= SHORT) return first;
  const cut = first.slice(0, SHORT);
  return `${cut.slice(0, Math.max(cut.lastIndexOf(" "), SHORT / 2))}…`;
}

/** A long text, short until opened (all of it as text, never parsed as HTML). */
function opened(text, cls) {
  const short = shortened(text);
  if (short === text) return h("span", { class: cls }, text);
  return h("details", { class: cls }, h("summary", null, short), h("p", null, text));
}

function seriesOf(forward) {
  const challengers = forward.challengers.verdicts.map((c) => c.book);
  const order = [DEFAULT, ...challengers, ...BASELINES];
  const books = [...order.filter((b) => forward.equity[b]),
    ...Object.keys(forward.equity).filter((b) => !order.includes(b))];
  return books.filter((b) => forward.equity[b].length).map((book) => {
    const k = challengers.indexOf(book), base = BASELINES.indexOf(book);
    if (book === DEFAULT) return { name: "policy (default)", book, color: "#1a1a1a", width: 2.8 };
    if (k >= 0) return { name: book, book, color: PALETTE[k % PALETTE.length], width: 1.4 };
    return { name: label(book), book, color: GREYS[Math.max(base, 0) % GREYS.length], width: 1.2 };
  }).map((line) => ({ ...line, points: forward.equity[line.book] }));
}

function equityChart(forward) {
  const series = seriesOf(forward);
  if (!series.length) return h("p", { id: "forward-equity" }, "No book has a marked hour yet.");
  return h("div", { id: "forward-equity" }, lineChart(series, {
    ariaLabel: `Forward equity of ${series.length} books from 1.0 at each one's first marked ` +
      `hour: ${series.map((l) => l.name).join(", ")}`,
    reference: 1, yFormat: (v) => v.toFixed(3),
  }));
}

function verdictCell(c) {
  const flag = c.qualifies ? h("span", { class: "flag ok" }, "qualifies")
    : h("span", { class: "flag" }, "does not qualify");
  if (!c.reasons.length) return h("td", { class: "verdict" }, flag);
  return h("td", { class: "verdict wrap", title: c.reasons.join("\n") }, flag,
    h("details", null, h("summary", null, c.reasons.length === 1 ? "why" : `why (${c.reasons.length})`),
      h("ul", null, c.reasons.map((r) => h("li", null, r)))));
}

function challengersTable(judged) {
  const min = judged.rule.min_decisions;
  return table(`Each challenger against the default (${judged.default_book}). To qualify: ${min} daily ` +
    `decisions, a skill-IC lead over ${num(judged.rule.lead_se, 1)} standard errors ` +
    `(${judged.rule.correction}-corrected across the ${judged.verdicts.length}) and a paired ` +
    "alpha not significantly negative", [
    { label: "Challenger" }, { label: "Source" }, { label: "Hypothesis" },
    { label: "Decisions", num: true }, { label: "Skill-IC lead [95 % interval]", num: true },
    { label: "Lead t", num: true }, { label: "Paired alpha t", num: true }, { label: "Verdict" },
    { label: "Rule" },
  ], judged.verdicts.map((c) => h("tr", {
    "data-challenger": c.name, class: judged.adopt === c.name ? "member" : null,
  }, [
    h("th", { scope: "row" }, c.name), h("td", null, c.source),
    h("td", { class: "hypothesis wrap" }, opened(c.hypothesis)),
    h("td", { class: "num decisions" }, `${c.decisions} / ${min}`),
    h("td", { class: "num lead" }, leadText(c.ic_lead, c.ic_lead_se)),
    h("td", { class: "num" }, signed3(c.ic_lead_t, 2)),
    h("td", { class: "num" }, signed3(c.alpha_lead_t, 2)),
    verdictCell(c),
    h("td", { class: "adopt" }, judged.adopt === c.name ? h("span", { class: "flag ok" }, "would adopt") : ""),
  ])), { id: "forward-challengers" });
}

function booksTable(forward) {
  const books = [DEFAULT, ...BASELINES].filter((b) => forward.books[b]);
  return table("The default's shadow book and the baselines, since each one's first marked hour, " +
    "after costs", [
    { label: "Book" }, { label: "From" }, { label: "Return", num: true }, { label: "Sharpe", num: true },
    { label: "Max drawdown", num: true }, { label: "Fees", num: true }, { label: "Trades", num: true },
  ], books.map((name) => {
    const b = forward.books[name];
    return h("tr", { "data-book": name, class: name === DEFAULT ? "member" : null }, [
      h("th", { scope: "row" }, name === DEFAULT ? "policy (default)" : label(name)),
      h("td", null, when(b.from)), signedCell(percent(b.total_return), 1, " %"),
      h("td", { class: "num" }, num(b.sharpe)), h("td", { class: "num" }, pct(b.max_drawdown)),
      h("td", { class: "num" }, pct(b.fees, 2)), h("td", { class: "num" }, String(b.trades)),
    ]);
  }), { id: "forward-books" });
}

function verdictLine(judged) {
  const min = judged.rule.min_decisions;
  if (judged.adopt !== null) {
    return h("p", { id: "forward-verdict", class: "headline ok" },
      `The forward rule would adopt ${judged.adopt}: never by itself, an admin adopts it with ` +
      "PUT /scoring/algorithms.");
  }
  const waiting = judged.decisions < min ? ` The default has ${judged.decisions} of the ${min} ` +
    "daily decisions the rule needs." : "";
  return h("p", { id: "forward-verdict", class: "headline" },
    `The default stays: no challenger qualifies under the forward rule.${waiting}`);
}

/** The forward section, or plainly that it has not started (`forward` null). */
export function forwardSection(forward) {
  if (forward === null || forward === undefined) {
    return h("section", { class: "record", "aria-labelledby": "forward-title" },
      h("h3", { id: "forward-title" }, "Forward record: not started yet"),
      h("p", { id: "forward-none" }, "It starts at deployment: the default's shadow book, " +
        "every registered challenger's and the baselines', marked hourly."));
  }
  const judged = forward.challengers;
  const skill = (forward.books[DEFAULT] || {}).skill_ic;
  const marked = forward.marked_to !== null;
  return h("section", { class: "record", id: "forward", "aria-labelledby": "forward-title" },
    h("h3", { id: "forward-title" }, Date.parse(forward.inception) > Date.now()
      ? `Forward record: starts at ${when(forward.inception)}` // its first decision's hour
      : `Forward record since ${when(forward.inception)}`),
    h("p", { class: "muted" }, "The automated policy's shadow book (the default), beside every " +
      "registered challenger's and the baselines', marked hourly from deployment on after costs. " +
      "The forward rule judges each challenger on their daily decisions; nothing is adopted by " +
      "itself."),
    stats([
      ["Inception", when(forward.inception)],
      ["Marked to", marked ? when(forward.marked_to) : "no hour yet"],
      ["Hours to mark", String(forward.hours_to_mark)],
      ["Default's decisions", `${judged.decisions} / ${judged.rule.min_decisions}`],
      ["Default's skill IC", skill ? `${signed3(skill.mean)} (t ${signed3(skill.t_hac, 2)})` : "–"],
      ["Rule would adopt", judged.adopt ?? "none"],
    ]),
    verdictLine(judged),
    marked ? panel("Forward equity: the default, each challenger and the baselines", equityChart(forward))
      : h("p", { id: "forward-unmarked" }, `No hour marked yet (${forward.hours_to_mark} to mark).`),
    panel(null, challengersTable(judged)),
    marked ? panel(null, booksTable(forward)) : null);
}
