// The visual editor: the blueprint as data in the browser, drawn and checked by the server
// after every change; a side panel with every field; undo/redo; a YAML tab kept in sync; save.
import { api, blueprintApi, h, page, setupTabs, toast } from "./common.js";
import { Canvas } from "./canvas.js";
import * as M from "./model-edit.js";
import { panel } from "./panel.js";

const S = {
  data: null,           // the blueprint (plain data, every id explicit)
  text: "",             // YAML written by the server from the data whose JSON is `textOf`
  textOf: "",
  yamlText: null,       // the person's own YAML, when the last change came from the YAML tab
  savedText: "",        // the text of the version loaded or saved last
  lanes: [],            // [{id, name}] top to bottom (custom lanes included)
  findings: [],
  grid: null,
  sel: null,            // {kind: "action"|"step"|"flow"|"cell", ...} or null
  connect: null,        // {source: id | null} while drawing a flow
  undo: [], redo: [],
  etag: null, version: Number(page.version),
  saved: "",            // JSON of the data as last saved or loaded
  seq: 0, pending: null,
};

const el = (id) => document.getElementById(id);
const canvasHost = el("canvas");
const saveState = el("save-state");
const mode = el("mode");
let yamlEditor = null;
let checkTimer = null;

const laneIds = () => S.lanes.map((l) => l.id);
const laneName = (id) => (S.lanes.find((l) => l.id === id) || { name: id }).name;

// ---- changes, undo, redo ------------------------------------------------------------------------

// Apply `fn` to the data as one undoable change. `select` replaces the selection; the side panel
// is redrawn when `redraw` (a field edit leaves the panel as the person typed it).
function change(fn, { select, redraw = true } = {}) {
  const before = JSON.stringify(S.data);
  const result = fn(S.data);
  if (JSON.stringify(S.data) === before) { return result; }
  S.undo.push(before);
  if (S.undo.length > 300) { S.undo.shift(); }
  S.redo = [];
  S.yamlText = null;
  if (select !== undefined) { S.sel = select; }
  changed(redraw);
  return result;
}

function changed(redraw) {
  updateState();
  if (redraw) { renderPanel(); }
  scheduleCheck();
}

function restore(stack, other) {
  if (!stack.length) { return; }
  other.push(JSON.stringify(S.data));
  S.data = JSON.parse(stack.pop());
  S.yamlText = null;
  if (S.sel && !selectionExists(S.sel)) { S.sel = null; }
  changed(true);
}
const undo = () => restore(S.undo, S.redo);
const redo = () => restore(S.redo, S.undo);

function selectionExists(sel) {
  if (sel.kind === "action") { return !!M.findAction(S.data, laneIds(), sel.id); }
  if (sel.kind === "step" || sel.kind === "cell") { return M.findStep(S.data, sel.step) >= 0; }
  if (sel.kind === "flow") { return !!M.findLink(S.data, sel.from, sel.to); }
  return true;
}

function dirty() { return JSON.stringify(S.data) !== S.saved || (S.yamlText !== null && S.yamlText !== S.savedText); }

function updateState() {
  el("b-undo").disabled = !S.undo.length;
  el("b-redo").disabled = !S.redo.length;
  el("b-save").disabled = false;
  saveState.textContent = dirty() ? `Unsaved changes (based on version ${S.version})` : `Version ${S.version}, saved`;
}

// ---- the live check -----------------------------------------------------------------------------

const yamlShown = () => !el("p-yaml").hidden;

function scheduleCheck(delay = 150) {
  clearTimeout(checkTimer);
  canvasHost.classList.add("stale");
  checkTimer = setTimeout(() => { checkTimer = null; runCheck({ data: S.data, yaml: yamlShown() }); }, delay);
}

// Ask the server to write, read, check and draw; only the newest answer is shown. The YAML
// text comes back only when asked for (`yaml`): writing it is the slow part of a check.
async function runCheck(body) {
  const seq = ++S.seq;
  const sent = body.data !== undefined ? JSON.stringify(body.data) : null;
  const job = api("POST", "/web/api/check", { json: body }).then(({ body: r }) => {
    if (seq !== S.seq) { return r; }
    S.findings = r.findings;
    el("stale-note").hidden = !!r.svg;
    if (r.svg) {
      S.grid = r.grid;
      if (r.lanes.length) { S.lanes = r.lanes; }
      canvas.draw(r.svg, r.grid, { fit: !canvas.view });
      canvasHost.classList.remove("stale");
      if (S.sel && S.sel.kind === "action") { canvas.reveal(S.sel.id); }
    }
    if (sent !== null && r.text !== null) {
      S.text = r.text;
      S.textOf = sent;
      if (yamlEditor && !yamlFocused()) { yamlEditor.setText(r.text); }
    }
    renderFindings();
    mark();
    return r;
  }).catch((err) => { toast(err.message, { bad: true }); throw err; });
  S.pending = job;
  return job;
}

// The text to save or show: the person's own YAML, or the data written by the server.
async function currentText() {
  if (checkTimer) { clearTimeout(checkTimer); checkTimer = null; }
  if (S.pending) { try { await S.pending; } catch (err) { /* reported already */ } }
  if (S.yamlText !== null) { return S.yamlText; }
  if (S.textOf !== JSON.stringify(S.data)) { await runCheck({ data: S.data, yaml: true }); }
  return S.text;
}

// ---- canvas -------------------------------------------------------------------------------------

const canvas = new Canvas(canvasHost, {
  action: (id) => pickAction(id),
  flow: (from, to) => select({ kind: "flow", from, to }),
  cell: (step, lane) => { if (!S.connect) { select({ kind: "cell", step, lane }); } },
  cellDouble: (step, lane) => addActionAt(step, lane),
  step: (step) => { if (!S.connect) { select({ kind: "step", step }); } },
  moveAction: (id, step, lane, index) => {
    if (S.connect) { return; }
    change((d) => M.moveAction(d, laneIds(), id, M.findStep(d, step), lane, index), { select: { kind: "action", id } });
  },
  background: () => { if (!S.connect) { select(null); } },
});

function pickAction(id) {
  if (S.connect) {
    if (!S.connect.source) {
      S.connect.source = id;
      showMode();
      mark();
      return;
    }
    const from = S.connect.source;
    stopConnect();
    if (from === id) { toast("A flow needs two different actions", { bad: true }); return; }
    change((d) => M.addLink(d, from, id), { select: { kind: "flow", from, to: id } });
    toast(`Flow ${from} → ${id} added`);
    return;
  }
  select({ kind: "action", id });
}

function select(sel, { focus = false } = {}) {
  S.sel = sel;
  renderPanel();
  mark();
  if (sel && sel.kind === "action") {
    canvas.reveal(sel.id);
    if (focus) { canvas.focusAction(sel.id); }
  }
}

function mark() {
  const actions = {};
  const flows = [];
  const badges = {};
  const add = (id, cls) => { (actions[id] = actions[id] || []).push(cls); };
  const rank = { error: 0, warning: 1, info: 2 };
  for (const f of S.findings) {
    if (!f.target || f.severity === "info") { continue; }
    const cls = `f-${f.severity}`;
    if (f.target.kind === "action") {
      add(f.target.id, cls);
      const old = badges[f.target.id];
      if (!old || rank[f.severity] < rank[old.sev]) {
        badges[f.target.id] = { sev: f.severity, text: "!", fill: f.severity === "error" ? "#b3261e" : "#a36200",
          title: `${f.severity}: ${f.message}` };
      }
    } else if (f.target.kind === "flow") {
      for (const [a, b] of f.target.edges) { flows.push([a, b, cls]); }
    }
  }
  let cell = null;
  if (S.sel && S.sel.kind === "action") { add(S.sel.id, "selected"); }
  if (S.sel && S.sel.kind === "flow") { flows.push([S.sel.from, S.sel.to, "selected"]); }
  if (S.sel && S.sel.kind === "cell") { cell = S.sel; }
  if (S.connect && S.connect.source) { add(S.connect.source, "source"); }
  canvas.mark({ actions, flows, cell, badges });
}

// ---- commands -------------------------------------------------------------------------------

function selectedCell() {
  const sel = S.sel;
  if (!sel) { return null; }
  if (sel.kind === "cell") { return { si: M.findStep(S.data, sel.step), lane: sel.lane, index: undefined }; }
  if (sel.kind === "step") { return { si: M.findStep(S.data, sel.step), lane: "customer", index: undefined }; }
  if (sel.kind === "action") {
    const p = M.findAction(S.data, laneIds(), sel.id);
    return p ? { si: p.si, lane: p.lane, index: p.index + 1 } : null;
  }
  return null;
}

function addActionAt(stepId, lane) {
  const si = M.findStep(S.data, stepId);
  if (si < 0) { return; }
  const id = change((d) => M.addAction(d, laneIds(), si, lane), {});
  select({ kind: "action", id });
  focusField("f-text");
}

function addAction() {
  const cell = selectedCell();
  if (!cell || cell.si < 0) {
    if (!(S.data.steps || []).length) { addStep(); }
    const si = cell && cell.si >= 0 ? cell.si : 0;
    toast("Added to the customer lane of the first step; select a cell to choose where");
    addActionAt(S.data.steps[si].id, "customer");
    return;
  }
  const id = change((d) => M.addAction(d, laneIds(), cell.si, cell.lane, cell.index));
  select({ kind: "action", id });
  focusField("f-text");
}

function addStep() {
  let after;
  const cell = selectedCell();
  if (cell) { after = cell.si; }
  const id = change((d) => M.addStep(d, after));
  select({ kind: "step", step: id });
  focusField("f-step-name");
}

function deleteSelection() {
  const sel = S.sel;
  if (!sel) { return; }
  if (sel.kind === "action") {
    change((d) => M.deleteAction(d, laneIds(), sel.id), { select: null });
    toast(`Action ${sel.id} deleted`);
  } else if (sel.kind === "flow") {
    const at = M.findLink(S.data, sel.from, sel.to);
    if (!at) { toast("This arrow is the customer's own order of steps; it is not a flow to delete", { bad: true }); return; }
    change((d) => M.deleteLink(d, at), { select: null });
    toast("Flow deleted");
  } else if (sel.kind === "step") {
    const si = M.findStep(S.data, sel.step);
    const n = laneIds().reduce((k, lane) => k + ((S.data.steps[si] || {})[lane] || []).length, 0);
    if (n && !window.confirm(`Delete the step and its ${n} action${n === 1 ? "" : "s"}?`)) { return; }
    change((d) => M.deleteStep(d, laneIds(), si), { select: null });
    toast("Step deleted");
  }
}

function nudge(dx, dy) {
  const sel = S.sel;
  if (!sel) { return; }
  if (sel.kind === "action") {
    change((d) => M.nudgeAction(d, laneIds(), sel.id, dx, dy));
    focusCanvasAfterCheck(sel.id);
  } else if (sel.kind === "step" && dx) {
    change((d) => M.moveStep(d, M.findStep(d, sel.step), dx));
  }
}

// Keyboard moves redraw the canvas; keep the moved action focused in the new drawing.
function focusCanvasAfterCheck(id) {
  setTimeout(async () => {
    try { await S.pending; } catch (err) { return; }
    canvas.focusAction(id);
  }, 200);
}

function startConnect() {
  S.connect = { source: S.sel && S.sel.kind === "action" ? S.sel.id : null };
  el("b-connect").setAttribute("aria-pressed", "true");
  showMode();
  mark();
}

function stopConnect() {
  S.connect = null;
  el("b-connect").setAttribute("aria-pressed", "false");
  showMode();
  mark();
}

function showMode() {
  mode.textContent = !S.connect ? "" : S.connect.source
    ? `Connect: now pick the target of the flow from ${S.connect.source} (Escape cancels)`
    : "Connect: pick the source action (Escape cancels)";
}

function focusField(id) {
  setTimeout(() => { const f = el(id); if (f) { f.focus(); if (f.select) { f.select(); } } }, 0);
}

// ---- panel and findings -------------------------------------------------------------------------

const ctx = {
  S, change, select, laneIds, laneName, addActionAt, startConnect,
  get canvas() { return canvas; },
};

function renderPanel() {
  const active = document.activeElement;
  const keep = active && el("props").contains(active) ? active.id : null;
  panel(ctx, el("props-h"), el("props-body"));
  if (keep && el(keep)) { el(keep).focus(); }
}

function renderFindings() {
  const list = el("findings");
  const counts = { error: 0, warning: 0, info: 0 };
  for (const f of S.findings) { counts[f.severity] += 1; }
  const n = (k, word) => `${k} ${word}${k === 1 ? "" : "s"}`;
  el("find-count").textContent = `${n(counts.error, "error")}, ${n(counts.warning, "warning")}, ${n(counts.info, "note")}`;
  const order = { error: 0, warning: 1, info: 2 };
  const sorted = [...S.findings].sort((a, b) => order[a.severity] - order[b.severity] || a.line - b.line);
  list.replaceChildren(...sorted.map((f) => h("li", { class: f.severity },
    h("button", { type: "button", onclick: () => goTo(f) },
      h("span", { class: "sev" }, f.severity), `${f.rule} ${f.message}`,
      f.hint ? h("span", { class: "hint" }, f.hint) : null))));
  if (!S.findings.length) { list.replaceChildren(h("li", { class: "empty" }, "No findings: the checker is happy.")); }
}

async function goTo(f) {
  const t = f.target;
  if (t && t.kind === "action") { select({ kind: "action", id: t.id }, { focus: true }); return; }
  if (t && t.kind === "step") { select({ kind: "step", step: t.step }); return; }
  if (t && t.kind === "flow" && t.edges.length) { select({ kind: "flow", from: t.edges[0][0], to: t.edges[0][1] }); return; }
  tabs.show("t-yaml");
  await openYaml();
  // Lines refer to the YAML now shown (the check may have run on other text before).
  const same = S.findings.find((x) => x.rule === f.rule && x.message === f.message) || f;
  if (same.line) { yamlEditor.goto(same.line); }
}

// ---- YAML tab -----------------------------------------------------------------------------------

let yamlTimer = null;
const yamlFocused = () => el("yaml").contains(document.activeElement);

async function openYaml() {
  if (checkTimer) { clearTimeout(checkTimer); checkTimer = null; }
  // The text, and findings whose lines are in it.
  if (S.yamlText === null) { await runCheck({ data: S.data, yaml: true }); }
  const text = S.yamlText !== null ? S.yamlText : S.text;
  if (!yamlEditor) {
    const mod = await import(page.yamlBundle);
    yamlEditor = mod.createYamlEditor(el("yaml"), {
      text,
      label: "Blueprint as YAML",
      onChange: (text) => {
        clearTimeout(yamlTimer);
        yamlTimer = setTimeout(() => fromYaml(text), 350);
      },
    });
  } else {
    yamlEditor.setText(text);
  }
}

// YAML typed by the person becomes the data the canvas edits, once the server can read it.
async function fromYaml(text) {
  S.yamlText = text;
  updateState();
  const r = await runCheck({ text });
  if (r.data) {
    const before = JSON.stringify(S.data);
    if (JSON.stringify(r.data) !== before) {
      S.undo.push(before);
      S.redo = [];
      S.data = r.data;
      if (S.sel && !selectionExists(S.sel)) { S.sel = null; }
      renderPanel();
    }
    S.text = text;
    S.textOf = JSON.stringify(S.data);
  } else {
    canvasHost.classList.add("stale");
  }
  updateState();
}

const tabs = setupTabs(document.querySelector(".editor-main .tablist"), (id) => {
  if (id === "t-yaml") { openYaml(); } else if (canvas.svg && !canvas.view) { canvas.fit(); }
});

// ---- saving -------------------------------------------------------------------------------------

const dialog = el("save-dialog");
const saveError = el("save-error");

function openSave() {
  saveError.hidden = true;
  el("save-msg").value = "";
  dialog.showModal();
  el("save-msg").focus();
}

async function save(message, force = false) {
  const text = await currentText();
  const headers = { "If-Match": force ? "*" : S.etag };
  try {
    const { body } = await api("PUT", blueprintApi(), { json: { text, message }, headers });
    S.etag = body.etag;
    S.version = body.version.number;
    S.saved = JSON.stringify(S.data);
    S.savedText = text;
    dialog.close();
    document.querySelector("h1 .muted").textContent = `v${S.version}`;
    const errors = body.findings.filter((f) => f.severity === "error").length;
    toast(`Saved as version ${S.version}` + (errors ? ` (with ${errors} error${errors === 1 ? "" : "s"} to fix)` : ""));
    updateState();
  } catch (err) {
    if (err.status === 409) { conflict(err.body, message); return; }
    saveError.textContent = err.message;
    saveError.hidden = false;
  }
}

function conflict(body, message) {
  saveError.replaceChildren(
    h("span", {}, `Someone saved version ${body.current_version} since you started from version ${body.your_version}. `),
    h("button", { type: "button", class: "danger", onclick: () => save(message, true) }, "Save mine over it"),
    " ",
    h("button", { type: "button", onclick: () => { dialog.close(); load(); } }, "Discard mine, load theirs"),
    body.diff ? h("details", {}, h("summary", {}, "What they changed"), h("pre", {}, body.diff)) : null);
  saveError.hidden = false;
}

el("save-form").addEventListener("submit", (evt) => {
  evt.preventDefault();
  save(el("save-msg").value.trim() || "edited in the web editor");
});
el("save-cancel").addEventListener("click", () => dialog.close());
window.addEventListener("beforeunload", (evt) => { if (S.data && dirty()) { evt.preventDefault(); evt.returnValue = ""; } });

// ---- keyboard -----------------------------------------------------------------------------------

document.addEventListener("keydown", (evt) => {
  const t = evt.target;
  const typing = t && (t.closest("input, textarea, select, [contenteditable], .cm-editor") !== null);
  const mod = evt.ctrlKey || evt.metaKey;
  const key = evt.key.toLowerCase();
  if (mod && key === "s") { evt.preventDefault(); openSave(); return; }
  if (typing) { return; }
  if (mod && key === "z") { evt.preventDefault(); if (evt.shiftKey) { redo(); } else { undo(); } return; }
  if (mod && key === "y") { evt.preventDefault(); redo(); return; }
  if (mod || dialog.open) { return; }
  if (evt.altKey && evt.key.startsWith("Arrow")) {
    evt.preventDefault();
    const d = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] }[evt.key];
    nudge(d[0], d[1]);
    return;
  }
  if (evt.altKey) { return; }
  if (evt.key === "Escape") { if (S.connect) { stopConnect(); } else { select(null); } return; }
  if (evt.key === "Delete" || evt.key === "Backspace") { evt.preventDefault(); deleteSelection(); return; }
  if (key === "a") { evt.preventDefault(); addAction(); return; }
  if (key === "s") { evt.preventDefault(); addStep(); return; }
  if (key === "f") { evt.preventDefault(); startConnect(); return; }
  if (evt.key === "?") { toggleHelp(); }
});

function toggleHelp() {
  const help = el("help");
  help.hidden = !help.hidden;
  el("b-help").setAttribute("aria-expanded", String(!help.hidden));
}

el("b-undo").addEventListener("click", undo);
el("b-redo").addEventListener("click", redo);
el("b-add-step").addEventListener("click", addStep);
el("b-add-action").addEventListener("click", addAction);
el("b-connect").addEventListener("click", () => (S.connect ? stopConnect() : startConnect()));
el("b-delete").addEventListener("click", deleteSelection);
el("b-zoom-in").addEventListener("click", () => canvas.zoom(1 / 1.25));
el("b-zoom-out").addEventListener("click", () => canvas.zoom(1.25));
el("b-zoom-fit").addEventListener("click", () => canvas.fit());
el("b-help").addEventListener("click", toggleHelp);
el("b-save").addEventListener("click", openSave);

// ---- loading ------------------------------------------------------------------------------------

async function load() {
  saveState.textContent = "Loading…";
  const { body, headers } = await api("GET", blueprintApi());
  S.etag = headers.get("ETag");
  S.version = body.version;
  const r = await runCheck({ text: body.text });
  S.text = body.text;
  S.savedText = body.text;
  S.yamlText = body.text;  // saved as written until the first change on the canvas
  S.undo = [];
  S.redo = [];
  S.sel = null;
  if (r.data) {
    S.data = r.data;
  } else {
    S.data = { blueprint: 1, title: body.title, steps: [] };
    toast("This version cannot be read as a blueprint; fix it in the YAML tab", { bad: true });
    tabs.show("t-yaml");
  }
  S.saved = JSON.stringify(S.data);
  S.textOf = S.saved;
  renderPanel();
  updateState();
}

load().catch((err) => { saveState.textContent = err.message; });
