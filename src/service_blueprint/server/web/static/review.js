// Review: comment threads on actions, the analysis (critical path, load per role, fail points),
// what-if simulations with other staff numbers (utilisation heatmap), and exports.
import { api, blueprintApi, fmtTime, h, page, setupTabs, toast } from "./common.js";
import { Canvas } from "./canvas.js";

const el = (id) => document.getElementById(id);
const R = { threads: [], selected: null, critical: [], data: null, showCritical: false };
const canComment = page.role !== "viewer";

const canvas = new Canvas(el("canvas"), {
  action: (id) => pick(id),
  background: () => pick(null),
  cell: () => pick(null),
});

function pick(id) {
  R.selected = id;
  const sel = el("c-action");
  if (sel) { sel.value = id || ""; }
  mark();
  renderThreads();
}

function mark() {
  const actions = {};
  const add = (id, cls) => { (actions[id] = actions[id] || []).push(cls); };
  const badges = {};
  for (const t of R.threads) {
    if (t.action_id && !t.resolved) {
      add(t.action_id, "has-comments");
      const n = (badges[t.action_id] ? Number(badges[t.action_id].text) : 0) + 1;
      badges[t.action_id] = { text: String(n), fill: "#7a2fb5", title: `${n} open comment thread${n === 1 ? "" : "s"}` };
    }
  }
  if (R.showCritical) { for (const id of R.critical) { add(id, "hl-crit"); } }
  if (R.selected) { add(R.selected, "selected"); }
  canvas.mark({ actions, badges });
}

// ---- drawing -------------------------------------------------------------------------------

async function loadDrawing() {
  const { body } = await api("GET", blueprintApi());
  const { body: r } = await api("POST", "/web/api/check", { json: { text: body.text } });
  R.data = r.data;
  if (r.svg) { canvas.draw(r.svg, r.grid, { fit: true }); }
  const sel = el("c-action");
  if (sel && r.data) {
    for (const step of r.data.steps || []) {
      for (const lane of r.lanes.map((l) => l.id)) {
        for (const a of step[lane] || []) { sel.append(h("option", { value: a.id }, `${step.name}: ${a.text}`)); }
      }
    }
  }
  setupStaff();
}

// ---- comments ------------------------------------------------------------------------------

async function loadThreads() {
  const { body } = await api("GET", blueprintApi() + "/comments");
  R.threads = body;
  renderThreads();
  mark();
}

function renderThreads() {
  const showResolved = el("c-resolved").checked;
  const list = R.threads.filter((t) => (showResolved || !t.resolved) && (!R.selected || t.action_id === R.selected));
  const items = list.map((t) => h("li", { class: t.resolved ? "resolved" : "" },
    h("div", { class: "on" }, t.action_id ? h("button", { type: "button", class: "link", onclick: () => pick(t.action_id) },
      `on ${t.action_id}`) : "on the whole blueprint", t.resolved ? " · resolved" : ""),
    ...t.comments.map((c) => h("div", { class: "comment" },
      h("div", { class: "by" }, `${c.author || "someone"} · ${fmtTime(c.created_at)} · version ${c.version}`),
      h("p", {}, c.body))),
    canComment ? replyForm(t) : null,
    canComment ? h("button", { type: "button", class: "small", onclick: () => resolve(t) },
      t.resolved ? "Reopen" : "Resolve") : null));
  el("threads").replaceChildren(...items);
  if (!items.length) {
    el("threads").append(h("li", { class: "empty" }, R.selected ? `No comments on ${R.selected} yet.` : "No comments yet."));
  }
}

function replyForm(t) {
  const input = h("input", { "aria-label": "Reply", placeholder: "Reply…", maxlength: 10000 });
  return h("form", { onsubmit: async (evt) => {
    evt.preventDefault();
    if (!input.value.trim()) { return; }
    try {
      await api("POST", blueprintApi() + "/comments", { json: { body: input.value, reply_to: t.id } });
      loadThreads();
    } catch (err) { toast(err.message, { bad: true }); }
  } }, input, h("button", { type: "submit", class: "small" }, "Reply"));
}

async function resolve(t) {
  try {
    await api("POST", `${blueprintApi()}/comments/${t.id}/${t.resolved ? "reopen" : "resolve"}`);
    loadThreads();
  } catch (err) { toast(err.message, { bad: true }); }
}

const commentForm = el("comment-form");
if (commentForm) {
  commentForm.addEventListener("submit", async (evt) => {
    evt.preventDefault();
    const body = el("c-body").value.trim();
    if (!body) { return; }
    const actionId = el("c-action").value || null;
    try {
      await api("POST", blueprintApi() + "/comments", { json: { body, action_id: actionId } });
      el("c-body").value = "";
      toast("Comment added");
      await loadThreads();
    } catch (err) { toast(err.message, { bad: true }); }
  });
  el("c-action").addEventListener("change", () => pick(el("c-action").value || null));
}
el("c-resolved").addEventListener("change", renderThreads);

// ---- analysis ------------------------------------------------------------------------------

const pct = (x) => (x === null || x === undefined ? "—" : `${Math.round(x * 100)} %`);
function dur(s) {
  if (s === null || s === undefined) { return "—"; }
  if (s < 90) { return `${Math.round(s)} s`; }
  if (s < 5400) { return `${Math.round(s / 60)} min`; }
  if (s < 172800) { return `${(s / 3600).toFixed(1)} h`; }
  return `${(s / 86400).toFixed(1)} d`;
}

function table(head, rows) {
  return h("table", { class: "a-table" }, h("thead", {}, h("tr", {}, ...head.map(([t, cls]) => h("th", { scope: "col", class: cls }, t)))),
    h("tbody", {}, ...rows.map((r) => h("tr", {}, ...r.map((c, k) => h("td", { class: head[k][1] }, c))))));
}

let analysisLoaded = false;
async function loadAnalysis() {
  if (analysisLoaded) { return; }
  analysisLoaded = true;
  const note = el("a-note");
  try {
    const { body: a } = await api("GET", blueprintApi() + "/analysis?format=json");
    const t = a.timing;
    R.critical = t.customer_path || [];
    const texts = {};
    for (const step of (R.data && R.data.steps) || []) {
      for (const [key, list] of Object.entries(step)) {
        if (Array.isArray(list) && key !== "evidence") { for (const x of list) { if (x && x.id) { texts[x.id] = x.text; } } }
      }
    }
    const text = (id) => texts[id] || id;
    const crit = h("label", { class: "check" }, h("input", { type: "checkbox", id: "a-crit", onchange: (evt) => {
      R.showCritical = evt.target.checked; mark();
    } }), "Show the critical path on the drawing");
    const loadRows = (a.load.roles || []).map((r) => {
      const u = r.average;
      return [r.name || r.role, h("span", {}, h("span", { class: `bar ${u > 0.85 ? "over" : ""}`, style: `width:${Math.min(100, Math.round(u * 100)) * 0.6}px` }), " ", pct(u)),
        String(r.needed_average), r.hours_over ? `${r.hours_over} h over` : "ok"];
    });
    const fails = (a.fails.points || []).map((f) => [h("button", { type: "button", class: "link", onclick: () => pick(f.action) }, f.action),
      f.text, pct(f.likelihood), f.impact === null ? "—" : String(f.impact), f.owner || "—", f.recovery || "—"]);
    el("analysis").replaceChildren(
      h("div", { class: "cards" },
        h("div", {}, h("b", {}, dur(t.customer_time)), "customer time"),
        h("div", {}, h("b", {}, dur(t.case_time)), "case time"),
        h("div", {}, h("b", {}, dur(t.tolerance)), "tolerance"),
        h("div", {}, h("b", {}, a.cost && a.cost.per_case !== undefined ? `${(a.cost.per_case || 0).toFixed(2)} ${a.currency || ""}` : "—"), "cost per case")),
      h("h3", {}, "Critical path (customer time)"), crit,
      h("ol", { class: "path" }, ...R.critical.map((id) => h("li", {}, h("button", { type: "button", class: "link", onclick: () => pick(id) }, text(id))))),
      h("h3", {}, "Load per role"),
      a.load.bottleneck ? h("p", { class: "small" }, `Bottleneck: ${a.load.bottleneck}`) : null,
      table([["Role", ""], ["Average load", ""], ["Staff needed", "num"], ["Hours", ""]], loadRows),
      h("h3", {}, "Fail points"),
      fails.length ? table([["Action", ""], ["What fails", ""], ["Likelihood", "num"], ["Impact", "num"], ["Owner", ""], ["Recovery", ""]], fails)
        : h("p", { class: "muted" }, "No fail points marked."));
    note.textContent = `Analysis of version ${page.version} (${a.settings.samples} sampled cases).`;
  } catch (err) {
    note.textContent = err.status === 422 ? "This version has errors; fix them in the editor to analyse it." : err.message;
  }
}

// ---- simulation ----------------------------------------------------------------------------

function setupStaff() {
  const host = el("sim-staff");
  if (!host || !R.data) { return; }
  const roles = Object.entries(R.data.roles || {});
  host.replaceChildren(...roles.flatMap(([rid, r]) => {
    const unlimited = r.staff === undefined && (r.kind === "system" || r.kind === "partner");
    const input = h("input", { id: `sim-${rid}`, type: "number", min: 0, max: 10000, step: 1, dataset: { role: rid },
      value: unlimited ? "" : String(r.staff === undefined ? 1 : r.staff), placeholder: unlimited ? "unlimited" : "" });
    return [h("label", { for: `sim-${rid}` }, `${r.name || rid}`), input];
  }));
}

function heatmap(role) {
  const hours = role.utilisation_per_hour || [];
  const days = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
  const colour = (u) => {
    if (u === null) { return "#eef1f5"; }
    const x = Math.max(0, Math.min(1.2, u)) / 1.2;
    return `hsl(${Math.round(210 - 210 * x)}, 70%, ${Math.round(92 - 45 * x)}%)`;
  };
  const head = h("tr", {}, h("th", {}), ...Array.from({ length: 24 }, (_, hr) => h("th", { scope: "col", class: "hr" },
    hr % 6 === 0 ? String(hr).padStart(2, "0") : "")));
  const rows = days.map((d, k) => h("tr", {}, h("th", { scope: "row" }, d),
    ...hours.slice(k * 24, k * 24 + 24).map((u, hr) => h("td", { style: `background:${colour(u)}`,
      title: `${d} ${String(hr).padStart(2, "0")}:00 ${u === null ? "closed" : pct(u)}` }))));
  return h("div", { class: "heat-wrap" }, h("table", { class: "heat", "aria-label": `Utilisation of ${role.id} by hour of the week` },
    h("thead", {}, head), h("tbody", {}, ...rows)));
}

function showResult(res) {
  const roles = res.roles.filter((r) => !r.unlimited);
  el("sim-result").replaceChildren(
    h("div", { class: "cards" },
      h("div", {}, h("b", {}, dur(res.customer_time.P50 ? res.customer_time.P50.mean : res.customer_time.mean.mean)), "customer time P50"),
      h("div", {}, h("b", {}, res.within_tolerance ? pct(res.within_tolerance.mean) : "—"), "within tolerance"),
      h("div", {}, h("b", {}, res.throughput_per_day ? res.throughput_per_day.mean.toFixed(1) : "—"), "cases per day")),
    h("h3", {}, "Utilisation by hour of the week"),
    h("div", { class: "legend-scale" }, "idle", h("span", { style: "background:hsl(210,70%,92%)" }),
      h("span", { style: "background:hsl(105,70%,70%)" }), h("span", { style: "background:hsl(0,70%,47%)" }), "overloaded"),
    ...roles.map((r) => h("div", {}, h("h4", { class: "small" },
      `${r.id}: ${pct(r.utilisation.mean)} on average, staff ${String(r.staff).replace(/^[^=]*=/, "")}`),
      heatmap(r))));
}

const simForm = el("sim-form");
if (simForm) {
  simForm.addEventListener("submit", async (evt) => {
    evt.preventDefault();
    const staff = {};
    for (const input of el("sim-staff").querySelectorAll("input")) {
      if (input.value !== "") { staff[input.dataset.role] = Number(input.value); }
    }
    const json = { staff, days: Number(el("sim-days").value), replications: Number(el("sim-reps").value),
      demand_factor: Number(el("sim-demand").value) };
    const progress = el("sim-progress");
    const note = el("sim-note");
    try {
      let { body: job } = await api("POST", `/web/api/workspaces/${encodeURIComponent(page.ws)}/blueprints/${encodeURIComponent(page.name)}/whatif`, { json });
      progress.hidden = false;
      while (job.status === "queued" || job.status === "running") {
        progress.value = job.progress;
        note.textContent = job.status === "queued" ? "Waiting for the simulator…" : `Simulating… ${pct(job.progress)}`;
        await new Promise((resolve) => { setTimeout(resolve, 700); });
        ({ body: job } = await api("GET", `/web/api/whatif/${job.id}`));
      }
      progress.hidden = true;
      if (job.status === "failed") { note.textContent = job.error; return; }
      note.textContent = `Done: ${job.result.settings}`;
      showResult(job.result);
    } catch (err) {
      progress.hidden = true;
      note.textContent = err.message;
    }
  });
}

setupTabs(document.querySelector(".review-side .tablist"), (id) => { if (id === "t-analysis") { loadAnalysis(); } });
loadDrawing().catch((err) => toast(err.message, { bad: true }));
loadThreads().catch((err) => toast(err.message, { bad: true }));
