// What every page shares: calling the JSON API with the session's CSRF token, messages, log out.
"use strict";

const csrfMeta = document.querySelector('meta[name="csrf-token"]');
export const csrf = csrfMeta ? csrfMeta.content : "";
export const page = document.body.dataset;

export class ApiError extends Error {
  constructor(status, body) {
    super(describe(body, status));
    this.status = status;
    this.body = body;
  }
}

// A readable one-line message from an API error body ({detail: ...}).
export function describe(body, status) {
  const d = body && body.detail !== undefined ? body.detail : body;
  if (typeof d === "string") { return d; }
  if (Array.isArray(d)) { return d.map((x) => (x.loc ? x.loc.slice(1).join(".") + ": " : "") + x.msg).join("; "); }
  if (d && typeof d === "object" && d.message) { return d.message; }
  return "the server answered " + status;
}

// fetch() for the API: JSON in and out, the CSRF header on unsafe methods, ApiError on failure.
// A 401 means the session ended: go to the log-in page (unless `login`, the log-in call itself).
export async function api(method, url, { json, headers = {}, raw = false, login = false } = {}) {
  const opts = { method, headers: { ...headers }, credentials: "same-origin" };
  if (method !== "GET" && method !== "HEAD") { opts.headers["X-CSRF-Token"] = csrf; }
  if (json !== undefined) {
    opts.headers["Content-Type"] = "application/json";
    opts.body = JSON.stringify(json);
  }
  const resp = await fetch(url, opts);
  if (resp.status === 401 && !login) {
    window.location.href = "/web/login?next=" + encodeURIComponent(window.location.pathname);
    throw new ApiError(401, { detail: "your session has ended; log in again" });
  }
  if (raw) { return resp; }
  const type = resp.headers.get("content-type") || "";
  const body = type.includes("json") ? await resp.json() : await resp.text();
  if (!resp.ok) { throw new ApiError(resp.status, body); }
  return { body, headers: resp.headers, status: resp.status };
}

let toastTimer = null;
export function toast(message, { bad = false } = {}) {
  const el = document.getElementById("toast");
  el.textContent = message;
  el.classList.toggle("bad", bad);
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { el.textContent = ""; }, bad ? 8000 : 3500);
}

// Build an element: h("button", {type: "button", onclick: f}, "Text", child...).
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) { continue; }
    if (k.startsWith("on") && typeof v === "function") { el.addEventListener(k.slice(2), v); }
    else if (k === "class") { el.className = v; }
    else if (k === "dataset") { Object.assign(el.dataset, v); }
    else if (v === true) { el.setAttribute(k, ""); }
    else { el.setAttribute(k, String(v)); }
  }
  for (const c of children.flat()) {
    if (c === undefined || c === null || c === false) { continue; }
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

export const blueprintApi = () => `/api/workspaces/${encodeURIComponent(page.ws)}/blueprints/${encodeURIComponent(page.name)}`;

export function fmtTime(iso) {
  const d = new Date(iso.endsWith("Z") || iso.includes("+") ? iso : iso + "Z");
  return d.toLocaleString(undefined, { year: "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" });
}

// Tabs that follow the ARIA pattern: arrow keys move between tabs, each shows its own panel.
export function setupTabs(list, onShow = () => {}) {
  const tabs = Array.from(list.querySelectorAll('[role="tab"]'));
  function show(tab, focus) {
    for (const t of tabs) {
      const on = t === tab;
      t.setAttribute("aria-selected", String(on));
      t.tabIndex = on ? 0 : -1;
      document.getElementById(t.getAttribute("aria-controls")).hidden = !on;
    }
    if (focus) { tab.focus(); }
    onShow(tab.id);
  }
  tabs.forEach((t, i) => {
    t.addEventListener("click", () => show(t, false));
    t.addEventListener("keydown", (evt) => {
      const d = evt.key === "ArrowRight" ? 1 : evt.key === "ArrowLeft" ? -1 : 0;
      if (d) { evt.preventDefault(); show(tabs[(i + d + tabs.length) % tabs.length], true); }
    });
  });
  return { show: (id) => show(document.getElementById(id), false) };
}

const logout = document.getElementById("logout");
if (logout) {
  logout.addEventListener("click", async () => {
    try { await api("DELETE", "/api/session"); } catch (err) { /* the session is gone either way */ }
    window.location.href = "/web/login";
  });
}
