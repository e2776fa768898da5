// Building elements (text is always set as text, never parsed as HTML) and formatting numbers.

const SVG_NS = "http://www.w3.org/2000/svg";

function build(element, attrs, children) {
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith("on")) element.addEventListener(name.slice(2), value);
    else if (name === "text") element.textContent = value;
    else element.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of [children].flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : String(child));
  }
  return element;
}

/** An HTML element: h("td", {class: "num"}, "1.0"). */
export function h(tag, attrs, ...children) {
  return build(document.createElement(tag), attrs, children);
}

/** An SVG element. */
export function s(tag, attrs, ...children) {
  return build(document.createElementNS(SVG_NS, tag), attrs, children);
}

export function num(value, digits = 2) {
  if (value === null || value === undefined || value === "") return "–";
  const n = Number(value);
  return Number.isFinite(n) ? n.toFixed(digits) : "–";
}

export function pct(fraction, digits = 1) {
  if (fraction === null || fraction === undefined) return "–";
  return `${(Number(fraction) * 100).toFixed(digits)} %`;
}

export function signed(value, digits = 2, suffix = "") {
  if (value === null || value === undefined) return "–";
  const n = Number(value);
  return `${n > 0 ? "+" : ""}${n.toFixed(digits)}${suffix}`;
}

/** A signed number in a cell coloured by its sign (the sign is also in the text). */
export function signedCell(value, digits = 2, suffix = "") {
  const n = Number(value);
  const cls = value === null || value === undefined || n === 0 ? "num" : n > 0 ? "num pos" : "num neg";
  return h("td", { class: cls }, signed(value, digits, suffix));
}

export function price(value) {
  if (value === null || value === undefined) return "–";
  const n = Number(value);
  return n >= 100 ? n.toFixed(2) : n >= 1 ? n.toFixed(4) : n.toPrecision(4);
}

export function age(seconds) {
  if (seconds === null || seconds === undefined) return "–";
  const n = Number(seconds);
  if (n < 90) return `${Math.round(n)} s`;
  if (n < 5400) return `${Math.round(n / 60)} min`;
  if (n < 172800) return `${(n / 3600).toFixed(1)} h`;
  return `${(n / 86400).toFixed(1)} d`;
}

export function when(iso) {
  if (!iso) return "–";
  const d = new Date(iso);
  return `${d.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

export function label(name) {
  return String(name).replaceAll("_", " ");
}

/** A table: columns [{label, num}], rows of cells (a cell is a node or text). */
export function table(caption, columns, rows, attrs = {}) {
  const head = h("tr", null, columns.map((c) =>
    h("th", { scope: "col", class: c.num ? "num" : null }, c.label)));
  const body = rows.map((row) => (row instanceof Node ? row : h("tr", null, row.map((cell, i) =>
    cell instanceof Node && cell.tagName === "TD" ? cell
      : h("td", { class: columns[i] && columns[i].num ? "num" : null }, cell)))));
  return h("div", { class: "scroll" }, h("table", attrs,
    caption ? h("caption", null, caption) : null, h("thead", null, head), h("tbody", null, body)));
}

/** Definition cards: [[label, value], ...]. */
export function stats(pairs) {
  return h("dl", { class: "cards" }, pairs.map(([term, value]) =>
    h("div", { class: "stat" }, h("dt", null, term), h("dd", null, value))));
}

/** Replace `element`'s children, leaving out empty ones (null: nothing to show). */
export function fill(element, ...children) {
  element.replaceChildren(...children.flat().filter((c) => c !== null && c !== undefined && c !== false));
}

export function panel(title, ...children) {
  return h("div", { class: "panel" }, title ? h("h3", null, title) : null, ...children);
}

/** The caveat beside figures computed from the simulator's prices: an answer's `market_data` (null,
 * or candles not from the simulator: nothing to say). */
export function simulatedCaveat(marketData) {
  return marketData && marketData.simulated
    ? h("p", { class: "caveat", role: "note" }, `Simulated data: these figures are ${marketData.note}.`)
    : null;
}
