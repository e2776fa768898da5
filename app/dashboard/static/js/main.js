// The dashboard shell: views by URL fragment, the key dialog, the market-data badge, the live
// stream that refreshes whatever its events touch.

import { ApiError, get, key, readStatus } from "./api.js";
import { age, h } from "./dom.js";
import { follow } from "./events.js";
import * as evidence from "./views/evidence.js";
import * as operations from "./views/operations.js";
import * as portfolio from "./views/portfolio.js";
import * as rankings from "./views/rankings.js";
import * as risk from "./views/risk.js";

const VIEWS = { portfolio, rankings, risk, evidence, operations };
// Which views each event kind makes out of date.
const TOUCHES = {
  portfolio_changed: ["portfolio", "rankings", "risk"],
  weights_updated: ["portfolio", "risk"],
  replacement_proposed: ["portfolio"],
  score_run_completed: ["portfolio", "rankings", "risk", "operations"], // a job run ended
  alert: ["operations"],
  data_stale: ["operations", "portfolio"],
  reload: ["portfolio", "rankings", "risk", "evidence", "operations"], // resumed past the newest
};
const STATUS_EVERY_MS = 15000;

const dirty = new Set(Object.keys(VIEWS));
let current = null;
let stream = null;
let loading = Promise.resolve();
const $ = (id) => document.getElementById(id);

function viewName() {
  const name = location.hash.slice(1);
  return name in VIEWS ? name : "portfolio";
}

function notice(text) {
  const box = $("notice");
  box.textContent = text || "";
  box.hidden = !text;
}

/** What a failed read means to a person. */
function explain(error) {
  if (!(error instanceof ApiError)) return `The service did not answer (${error.message}).`;
  if (error.status === 401) {
    return key.get()
      ? "This API key is not recognised: it is unknown or has been revoked. Enter a valid key."
      : "Reading needs an API key with the read role.";
  }
  if (error.status === 403) return "This API key's role is not allowed to do that.";
  if (error.status === 503) return `The service is unavailable: ${error.message}`;
  return `${error.message} (HTTP ${error.status})`;
}

export function askForKey(message) {
  const dialog = $("key-dialog");
  $("key-error").textContent = message || "";
  $("key-input").value = "";
  if (!dialog.open) dialog.showModal();
  $("key-input").focus();
}

async function render(name) {
  const section = $(`view-${name}`);
  const body = section.querySelector(".body");
  try {
    await VIEWS[name].load(body, { askForKey, notice });
    dirty.delete(name);
    notice("");
    if (!performance.getEntriesByName("dashboard:rendered").length) {
      performance.mark("dashboard:rendered"); // the first view's data is on screen
    }
    startStream();
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      askForKey(explain(error));
      return;
    }
    notice(explain(error));
  } finally {
    body.setAttribute("aria-busy", "false");
  }
}

function show(name) {
  current = name;
  for (const tab of document.querySelectorAll(".tabs a")) {
    if (tab.dataset.view === name) tab.setAttribute("aria-current", "page");
    else tab.removeAttribute("aria-current");
  }
  for (const view of Object.keys(VIEWS)) $(`view-${view}`).hidden = view !== name;
  document.title = `${$(`tab-${name}`).textContent} · MySymbols dashboard`;
  if (dirty.has(name)) refresh(name);
}

function refresh(name) {
  loading = loading.then(() => render(name));
  return loading;
}

async function refreshStatus() {
  const badge = $("source");
  try {
    const status = await readStatus();
    const market = status.market_data;
    if (!market) throw new Error(status.ready ? "a read key shows it" : status.status);
    badge.dataset.kind = market.kind;
    badge.replaceChildren("Market data: ", h("span", { class: "kind" }, market.kind),
      ` · ${market.stale ? "stale" : "fresh"}, age ${age(market.data_age_s)}`);
    badge.title = market.source;
  } catch (error) {
    badge.dataset.kind = "unknown";
    badge.textContent = `Market data: unknown (${error.message})`;
  }
}

function onEvent(kind, data, id) {
  const live = $("live");
  const at = new Date().toISOString().slice(11, 19);
  live.textContent = `Live: connected · last event ${kind} #${id} at ${at} UTC`;
  for (const name of TOUCHES[kind] || []) dirty.add(name);
  if (kind === "alert" || kind === "data_stale" || kind === "reload") refreshStatus();
  if (dirty.has(current)) refresh(current);
}

function onState(state) {
  const live = $("live");
  live.dataset.state = state;
  if (state === "open") live.textContent = "Live: connected";
  else if (state === "reconnecting") live.textContent = "Live: reconnecting…";
  else if (state === "refused") live.textContent = "Live: refused (API key)";
}

function startStream() {
  if (stream) return;
  let opened = false;
  const followed = follow({
    onEvent,
    onState: (state) => {
      if (state === "refused" && stream === followed) stream = null;
      onState(state);
      // Back after a drop: Last-Event-ID brings what was missed, unless nothing was ever seen.
      if (state === "open" && opened && followed.lastId === null) {
        for (const name of Object.keys(VIEWS)) dirty.add(name);
        refresh(current);
      }
      if (state === "open") opened = true;
    },
  });
  stream = followed;
}

function restart() {
  if (stream) stream.stop();
  stream = null;
  startStream();
  for (const name of Object.keys(VIEWS)) dirty.add(name);
  refresh(current);
}

async function useKey(event) {
  event.preventDefault();
  const candidate = $("key-input").value.trim();
  if (candidate.length < 16) {
    $("key-error").textContent = "An API key has at least 16 characters.";
    return;
  }
  const previous = key.get();
  key.set(candidate);
  try {
    await get("/portfolio");
  } catch (error) {
    if (error instanceof ApiError && (error.status === 401 || error.status === 403)) {
      if (previous) key.set(previous);
      else key.forget();
      $("key-error").textContent = error.status === 401
        ? "This key is not recognised: it is unknown or has been revoked."
        : "This key may not read the portfolio (it needs the read role or higher).";
      return;
    }
  }
  $("key-dialog").close();
  restart();
}

function init() {
  $("key-form").addEventListener("submit", useKey);
  $("key-cancel").addEventListener("click", () => $("key-dialog").close());
  $("key-forget").addEventListener("click", () => {
    key.forget();
    $("key-dialog").close();
    restart();
  });
  $("key-button").addEventListener("click", () => askForKey(""));
  window.addEventListener("hashchange", () => {
    show(viewName());
    $("main").focus({ preventScroll: true });
  });
  refreshStatus();
  setInterval(refreshStatus, STATUS_EVERY_MS);
  startStream();
  show(viewName());
}

init();
