// The public API, same origin: the key from this tab's sessionStorage in X-API-Key, problem+json
// errors as ApiError.

export const API = "/api/symbol-mgmt";
const KEY_ITEM = "mysymbols.apiKey";

export class ApiError extends Error {
  constructor(status, problem) {
    super((problem && (problem.detail || problem.title)) || `HTTP ${status}`);
    this.status = status;
    this.problem = problem || {};
  }
}

export const key = {
  get: () => sessionStorage.getItem(KEY_ITEM),
  set: (value) => sessionStorage.setItem(KEY_ITEM, value),
  forget: () => sessionStorage.removeItem(KEY_ITEM),
};

export function headers(extra = {}) {
  const stored = key.get();
  return stored ? { ...extra, "X-API-Key": stored } : extra;
}

async function problemOf(response) {
  try {
    return await response.json();
  } catch {
    return null;
  }
}

async function call(method, path, body) {
  const init = { method, headers: headers({ Accept: "application/json" }) };
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  const response = await fetch(`${API}${path}`, init);
  if (!response.ok) throw new ApiError(response.status, await problemOf(response));
  return response.status === 204 ? null : response.json();
}

export const get = (path) => call("GET", path);

/** GET /status with the key (its checks need one): ready (200) or not (503), the same document. */
export async function readStatus() {
  const response = await fetch(`${API}/status`, { headers: headers({ Accept: "application/json" }) });
  if (response.status !== 200 && response.status !== 503) {
    throw new ApiError(response.status, await problemOf(response));
  }
  return response.json();
}
export const post = (path, body) => call("POST", path, body);

/** Query string from an object, leaving out empty values. */
export function query(params) {
  const q = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== null && value !== undefined && value !== "") q.set(name, value);
  }
  const text = q.toString();
  return text ? `?${text}` : "";
}
