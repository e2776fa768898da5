// GET /events read with fetch() (EventSource cannot send the key header): a Server-Sent Events
// parser over the response stream, reconnecting with Last-Event-ID after a drop.

import { API, headers } from "./api.js";

const MAX_DELAY_MS = 15000;

/** Follow the stream: onEvent(kind, data, id) per event, onState(state) on each change. */
export function follow({ onEvent, onState }) {
  let lastId = null;
  let retryMs = 1000;
  let controller = null;
  let stopped = false;
  let failures = 0;

  function dispatch(block) {
    let kind = "message";
    let id = null;
    const data = [];
    for (const line of block.split("\n")) {
      if (!line || line.startsWith(":")) continue;
      const colon = line.indexOf(":");
      const field = colon < 0 ? line : line.slice(0, colon);
      let value = colon < 0 ? "" : line.slice(colon + 1);
      if (value.startsWith(" ")) value = value.slice(1);
      if (field === "event") kind = value;
      else if (field === "data") data.push(value);
      else if (field === "id" && !value.includes("\0")) id = value;
      else if (field === "retry" && /^\d+$/.test(value)) retryMs = Number(value);
    }
    if (id !== null) lastId = id;
    if (!data.length) return;
    let payload = data.join("\n");
    try {
      payload = JSON.parse(payload);
    } catch {
      // not JSON: handed on as text
    }
    onEvent(kind, payload, id);
  }

  async function read(response) {
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += value.replaceAll("\r\n", "\n").replaceAll("\r", "\n");
      let end;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        dispatch(buffer.slice(0, end));
        buffer = buffer.slice(end + 2);
      }
    }
  }

  async function connect() {
    if (stopped) return;
    controller = new AbortController();
    const extra = { Accept: "text/event-stream" };
    if (lastId !== null) extra["Last-Event-ID"] = lastId;
    try {
      const response = await fetch(`${API}/events`, {
        headers: headers(extra), signal: controller.signal, cache: "no-store",
      });
      if (response.status === 401 || response.status === 403) {
        onState("refused");
        return; // a new key restarts it
      }
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      failures = 0;
      onState("open");
      await read(response);
    } catch (error) {
      if (stopped || error.name === "AbortError") return;
    }
    if (stopped) return;
    failures += 1;
    onState("reconnecting");
    setTimeout(connect, Math.min(retryMs * 2 ** (failures - 1), MAX_DELAY_MS));
  }

  connect();
  return {
    stop() {
      stopped = true;
      if (controller) controller.abort();
    },
    get lastId() {
      return lastId;
    },
  };
}
