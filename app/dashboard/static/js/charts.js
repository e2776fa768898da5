// Inline SVG charts: horizontal bars, lines over time, a correlation heatmap. Each has a text
// alternative (aria-label and <title>s); the numbers are also in the tables beside them.

import { h, s } from "./dom.js";

export const PALETTE = ["#0b4f9c", "#c25e00", "#2e7d32", "#8e24aa", "#a3161c", "#00796b",
  "#5d4037", "#455a64", "#ad1457", "#827717"];

let ruler = null;

/** The width in px of `text` in the page's font at `px` (so labels are placed whole). */
export function textWidth(text, px = 11) {
  ruler = ruler || document.createElement("canvas").getContext("2d");
  ruler.font = `${px}px ${getComputedStyle(document.documentElement).fontFamily}`;
  return ruler.measureText(String(text)).width;
}

function niceTicks(min, max, count = 5) {
  if (min === max) return [min];
  const step0 = (max - min) / count;
  const magnitude = 10 ** Math.floor(Math.log10(step0));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((m) => m >= step0);
  const ticks = [];
  for (let t = Math.ceil(min / step) * step; t <= max + step * 1e-9; t += step) ticks.push(t);
  return ticks;
}

/** Horizontal bars: items [{label, value}] (value >= 0), as HTML so the text stays readable. */
export function barChart(items, { ariaLabel, unit = "", digits = 1, max } = {}) {
  const top = max ?? Math.max(...items.map((i) => i.value), 1e-9);
  return h("ul", { class: "bars", "aria-label": ariaLabel }, items.map((item) => {
    const text = `${item.value.toFixed(digits)}${unit}`;
    return h("li", { class: "bar-row" },
      h("span", { class: "bar-label" }, item.label),
      h("span", { class: "bar-track", "aria-hidden": "true" }, h("span", {
        class: "bar", style: `width: ${((item.value / top) * 100).toFixed(2)}%`,
        "data-label": item.label, "data-value": item.value,
      })),
      h("span", { class: "bar-value" }, text));
  }));
}

/** Lines over time: series [{name, points: [[ms, value]], color, width}]. */
export function lineChart(series, { ariaLabel, yFormat = (v) => v.toFixed(2), height = 300,
  reference = null, markers = false } = {}) {
  const width = 640, padL = 52, padR = 12, padT = 10, padB = 26;
  const xs = series.flatMap((l) => l.points.map((p) => p[0]));
  const ys = series.flatMap((l) => l.points.map((p) => p[1])).filter(Number.isFinite);
  if (reference !== null) ys.push(reference);
  const [x0, x1] = [Math.min(...xs), Math.max(...xs)];
  let [y0, y1] = [Math.min(...ys), Math.max(...ys)];
  if (y0 === y1) [y0, y1] = [y0 - 1, y1 + 1];
  const pad = (y1 - y0) * 0.05;
  [y0, y1] = [y0 - pad, y1 + pad];
  const X = (x) => padL + ((x - x0) / (x1 - x0 || 1)) * (width - padL - padR);
  const Y = (y) => padT + (1 - (y - y0) / (y1 - y0)) * (height - padT - padB);
  const svg = s("svg", { class: "chart lines", viewBox: `0 0 ${width} ${height}`, role: "img",
    "aria-label": ariaLabel });
  for (const t of niceTicks(y0, y1)) {
    svg.append(s("line", { class: "grid", x1: padL, x2: width - padR, y1: Y(t), y2: Y(t) }),
      s("text", { x: padL - 4, y: Y(t) + 4, "text-anchor": "end" }, yFormat(t)));
  }
  const hours = (x1 - x0) / 3600000;
  const [from, to] = hours > 48 ? [5, 10] : hours > 2 ? [11, 16] : [11, 19]; // MM-DD, HH:MM(:SS)
  let shown = null;
  for (const t of niceTicks(x0, x1, 4)) {
    const text = new Date(t).toISOString().slice(from, to);
    if (text === shown) continue; // ticks closer than the format's step say nothing new
    shown = text;
    // Centred under its tick, but never past either edge of the chart.
    const half = textWidth(text) / 2 + 1;
    const x = Math.min(Math.max(X(t), half), width - half);
    svg.append(s("text", { x, y: height - 8, "text-anchor": "middle", class: "xtick" }, text));
  }
  svg.append(s("line", { class: "axis", x1: padL, x2: padL, y1: padT, y2: height - padB }),
    s("line", { class: "axis", x1: padL, x2: width - padR, y1: height - padB, y2: height - padB }));
  if (reference !== null) {
    svg.append(s("line", { class: "axis", x1: padL, x2: width - padR, y1: Y(reference),
      y2: Y(reference), "stroke-dasharray": "4 3" }));
  }
  // A series identical to an earlier one would hide under it: drawn dashed over it, and the
  // legend says which it equals.
  const key = (line) => JSON.stringify(line.points);
  const twin = series.map((line, k) => series.slice(0, k).find((other) => key(other) === key(line)));
  series.forEach((line, k) => {
    const points = line.points.filter((p) => Number.isFinite(p[1]));
    if (!points.length) return;
    const d = points.map((p, i) => `${i ? "L" : "M"}${X(p[0]).toFixed(1)},${Y(p[1]).toFixed(1)}`);
    svg.append(s("path", { class: "series", d: d.join(""), fill: "none",
      stroke: line.color || PALETTE[k % PALETTE.length], "stroke-width": line.width || 1.6,
      "stroke-dasharray": twin[k] ? "7 5" : null,
      "stroke-linejoin": "round", "data-series": line.name },
    s("title", null, `${line.name}: last ${yFormat(points[points.length - 1][1])}`)));
    if (markers) {
      for (const p of points) {
        svg.append(s("circle", { cx: X(p[0]).toFixed(1), cy: Y(p[1]).toFixed(1), r: 3,
          fill: line.color || PALETTE[k % PALETTE.length] }));
      }
    }
  });
  const legend = h("ul", { class: "legend" }, series.map((line, k) =>
    h("li", { style: `--swatch: ${line.color || PALETTE[k % PALETTE.length]}` },
      twin[k] ? `${line.name} (= ${twin[k].name}, dashed)` : line.name)));
  return h("figure", { class: "figure" }, h("div", { class: "scroll" }, svg), legend);
}

function cellColour(r) {
  if (r === null || r === undefined) return "#cccccc";
  const t = Math.max(-1, Math.min(1, r));
  const [lo, mid, hi] = [[33, 102, 172], [247, 247, 247], [178, 24, 43]];
  const [a, b, u] = t < 0 ? [mid, lo, -t] : [mid, hi, t];
  return `rgb(${a.map((v, i) => Math.round(v + (b[i] - v) * u)).join(",")})`;
}

/** The correlation matrix as n × n cells; pairs over `limit` outlined. */
export function heatmap(symbols, matrix, { limit, ariaLabel }) {
  const n = symbols.length, cell = Math.max(28, Math.min(52, 520 / Math.max(n, 1)));
  // Margins from the longest name: the rows' names on the left, the columns' above, turned
  // 60 degrees, the last one reaching right of the grid.
  const longest = Math.max(0, ...symbols.map((name) => textWidth(name)));
  const left = Math.max(96, Math.ceil(longest) + 10);
  const top = Math.max(96, Math.ceil(longest * Math.sin(Math.PI / 3)) + 12);
  const right = Math.max(4, Math.ceil(longest * Math.cos(Math.PI / 3) - cell / 2 + 10));
  const size = left + n * cell + right;
  const svg = s("svg", { class: "chart heatmap", viewBox: `0 0 ${size} ${top + n * cell + 4}`,
    role: "img", "aria-label": ariaLabel });
  symbols.forEach((name, i) => {
    svg.append(s("text", { x: left - 6, y: top + i * cell + cell / 2 + 4, "text-anchor": "end" }, name),
      s("text", { x: 0, y: 0, transform: `translate(${left + i * cell + cell / 2 + 4},${top - 6}) rotate(-60)` },
        name));
  });
  matrix.forEach((row, i) => row.forEach((r, j) => {
    const over = i !== j && r !== null && Math.abs(r) > limit;
    const dark = r !== null && Math.abs(r) > 0.55;
    svg.append(s("rect", { class: over ? "cell over" : "cell", x: left + j * cell, y: top + i * cell,
      width: cell - 1, height: cell - 1, fill: cellColour(r), "data-i": i, "data-j": j },
    s("title", null, `${symbols[i]} / ${symbols[j]}: ${r === null ? "not measured" : r.toFixed(2)}${over ? " (over the limit)" : ""}`)),
    s("text", { x: left + j * cell + cell / 2, y: top + i * cell + cell / 2 + 4, "text-anchor": "middle",
      style: `fill: ${dark ? "#fff" : "#1a1a1a"}; font-size: ${cell > 40 ? 11 : 9}px` },
    r === null ? "–" : r.toFixed(2)));
  }));
  const scale = h("div", { class: "scale", "aria-hidden": "true" }, "−1", h("span", { class: "bar" }), "+1",
    h("span", null, `outlined: |r| over ${limit}`));
  return h("figure", { class: "figure" }, svg, scale);
}
