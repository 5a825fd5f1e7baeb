// The editor's side panel: a form for whatever is selected (an action, a flow, a step, an
// empty cell) or, with nothing selected, for the blueprint itself (scenario, roles, phases).
// Every field commits on change as one undoable edit; the server checks the result.
import { h, toast } from "./common.js";
import * as M from "./model-edit.js";

const CHANNELS = ["in person", "phone", "web", "app", "email", "text message", "letter", "chat", "video call"];
let ed = null;  // the editor's context: {S, change, select, laneIds, laneName, addActionAt, startConnect}

// ---- value handling --------------------------------------------------------------------------

function setKey(obj, key, value) {
  if (value === undefined || value === null || value === "") { delete obj[key]; } else { obj[key] = value; }
}

const asText = (v) => (v.trim() === "" ? undefined : v.trim());
function asNumber(v) {
  if (v.trim() === "") { return undefined; }
  const n = Number(v);
  return Number.isFinite(n) ? n : v.trim();  // the checker explains what is wrong with it
}
function asDuration(v) {
  const t = v.trim();
  if (t.startsWith("{")) { try { return JSON.parse(t); } catch (err) { return t; } }
  return t === "" ? undefined : t;
}
const show = (v) => (v === undefined || v === null ? "" : typeof v === "object" ? JSON.stringify(v) : String(v));

// ---- form building ---------------------------------------------------------------------------

function field(id, label, value, commit, opts = {}) {
  const { type = "text", full = false, options = null, list = null, rows = 0, hint = "", ...attrs } = opts;
  let input;
  if (options) {
    input = h("select", { id }, ...options.map(([v, text]) => h("option", { value: v, selected: show(value) === v }, text)));
  } else if (rows) {
    input = h("textarea", { id, rows }, show(value));
  } else {
    input = h("input", { id, type, value: show(value), list: list ? `${id}-list` : null, ...attrs });
  }
  input.addEventListener("change", () => commit(type === "checkbox" ? input.checked : input.value, input));
  if (type === "checkbox") {
    input.checked = !!value;
    return h("label", { class: `check ${full ? "full" : ""}` }, input, label);
  }
  const help = hint ? h("small", { id: `${id}-hint`, class: "muted" }, hint) : null;
  if (help) { input.setAttribute("aria-describedby", help.id); }
  return h("div", { class: `field ${full ? "full" : ""}` }, h("label", { for: id }, label), input, help,
    list ? h("datalist", { id: `${id}-list` }, ...list.map((x) => h("option", { value: x }))) : null);
}

function button(label, onclick, attrs = {}) {
  return h("button", { type: "button", onclick, ...attrs }, label);
}

function form(...children) {
  const f = h("form", { onsubmit: (evt) => evt.preventDefault() }, ...children);
  return f;
}

const roleOptions = (none = "— none —") => [["", none],
  ...Object.entries(ed.S.data.roles || {}).map(([id, r]) => [id, r && r.name ? `${r.name} (${id})` : id])];

// ---- action ----------------------------------------------------------------------------------

function actionEdit(id, fn) {
  ed.change((d) => { const p = M.findAction(d, ed.laneIds(), id); if (p) { fn(p.action, d); } }, { redraw: false });
}

function actionPanel(head, body, id) {
  const { S } = ed;
  const lanes = ed.laneIds();
  const p = M.findAction(S.data, lanes, id);
  if (!p) { ed.select(null); return; }
  const a = p.action;
  head.textContent = `Action in ${ed.laneName(p.lane)}`;
  const set = (key, parse) => (v) => actionEdit(id, (act) => setKey(act, key, parse(v)));
  const fail = a.fail && typeof a.fail === "object" ? a.fail : a.fail ? { text: a.fail } : {};
  const setFail = (key, parse) => (v) => actionEdit(id, (act) => {
    const f = act.fail && typeof act.fail === "object" ? { ...act.fail } : act.fail ? { text: act.fail } : {};
    setKey(f, key, parse(v));
    if (Object.keys(f).length) { act.fail = f; } else { delete act.fail; }
  });
  const ids = Array.from(M.actionIds(S.data, lanes)).sort();
  const flows = M.linksOf(S.data, id);
  body.replaceChildren(form(
    field("f-text", "Text", a.text, set("text", asText), { rows: 2, full: true, required: true }),
    field("f-id", "Id", a.id, (v, input) => {
      const next = v.trim();
      if (!/^[^\s<>]+$/.test(next)) { toast("An id has no spaces", { bad: true }); input.value = id; return; }
      if (next !== id && M.actionIds(S.data, lanes).has(next)) {
        toast(`Another action is called ${next}`, { bad: true }); input.value = id; return;
      }
      ed.change((d) => M.renameAction(d, lanes, id, next), { select: { kind: "action", id: next } });
    }, { hint: "flows follow a rename" }),
    field("f-role", "Role", a.role || "", set("role", asText), { options: roleOptions() }),
    field("f-step", "Step", p.step.id, (v) => ed.change((d) => M.moveAction(d, lanes, id, M.findStep(d, v), p.lane)),
      { options: S.data.steps.map((s) => [s.id, s.name]) }),
    field("f-lane", "Lane", p.lane, (v) => ed.change((d) => M.moveAction(d, lanes, id, p.si, v)),
      { options: ed.S.lanes.map((l) => [l.id, l.name]) }),
    field("f-duration", "Duration", a.duration, set("duration", asDuration), { placeholder: "5 min, 2..5 min, ~3 min" }),
    field("f-wait", "Wait before", a.wait, set("wait", asDuration), { placeholder: "10 min" }),
    field("f-tolerance", "Tolerance", a.tolerance, set("tolerance", asDuration), { placeholder: "longest accepted" }),
    field("f-channel", "Channel", a.channel, set("channel", asText), { list: CHANNELS }),
    field("f-emotion", "Emotion (−2…+2)", a.emotion, set("emotion", asNumber), { type: "number", min: -2, max: 2, step: 0.5 }),
    field("f-source", "Source", a.source || "", set("source", asText),
      { options: [["", "—"], ["observed", "observed"], ["assumed", "assumed"], ["proposed", "proposed"]] }),
    field("f-p", "Happens with p", a.p, set("p", asNumber), { type: "number", min: 0, max: 1, step: 0.05 }),
    field("f-repeat", "Rework p", a.repeat, set("repeat", asNumber), { type: "number", min: 0, max: 1, step: 0.05 }),
    field("f-cost", "Cost per run", a.cost, set("cost", asNumber), { type: "number", min: 0, step: "any" }),
    field("f-detail", "Detail blueprint", a.detail, set("detail", asText), { placeholder: "other.blueprint.yaml" }),
    h("fieldset", {}, h("legend", {}, "Fail point"),
      field("f-fail-text", "What goes wrong", fail.text, setFail("text", asText), { full: true }),
      field("f-fail-likelihood", "Likelihood (0…1)", fail.likelihood, setFail("likelihood", asNumber),
        { type: "number", min: 0, max: 1, step: 0.01 }),
      field("f-fail-impact", "Impact (1…5)", fail.impact, setFail("impact", asNumber), { type: "number", min: 1, max: 5, step: 1 }),
      field("f-fail-owner", "Owner", fail.owner || "", setFail("owner", asText), { options: roleOptions() }),
      field("f-fail-recovery", "Recovery", fail.recovery, setFail("recovery", asText), { list: ids })),
    field("f-note", "Note", a.note, set("note", asText), { rows: 2, full: true }),
    a.metrics ? h("p", { class: "hint" }, "Metrics: edit them in the YAML tab.") : null,
    h("div", { class: "full" }, h("h3", { class: "small" }, "Flows"),
      flows.length ? h("ul", { class: "plain" }, ...flows.map(({ link }) => h("li", {},
        button(`${link.from} ${link.two_way ? "↔" : "→"} ${link.to}${link.p !== undefined ? ` (p ${link.p})` : ""}`,
          () => ed.select({ kind: "flow", from: link.from, to: link.to }), { class: "link" }))))
        : h("p", { class: "hint" }, "No flows yet.")),
    h("div", { class: "actions-row" },
      button("Connect from here (F)", () => ed.startConnect(), { id: "b-connect-here" }),
      button("←", () => ed.change((d) => M.nudgeAction(d, lanes, id, -1, 0)), { "aria-label": "Move to the step before" }),
      button("→", () => ed.change((d) => M.nudgeAction(d, lanes, id, 1, 0)), { "aria-label": "Move to the step after" }),
      button("↑", () => ed.change((d) => M.nudgeAction(d, lanes, id, 0, -1)), { "aria-label": "Move up" }),
      button("↓", () => ed.change((d) => M.nudgeAction(d, lanes, id, 0, 1)), { "aria-label": "Move down" }),
      button("Delete action", () => ed.change((d) => M.deleteAction(d, lanes, id), { select: null }),
        { class: "danger", id: "b-delete-action" }))));
}

// ---- flow ------------------------------------------------------------------------------------

function flowPanel(head, body, sel) {
  const { S } = ed;
  const at = M.findLink(S.data, sel.from, sel.to);
  head.textContent = "Flow";
  if (!at) {
    body.replaceChildren(h("p", {}, `${sel.from} → ${sel.to} is the customer's own order: customer actions follow `
      + "each other step by step without a written flow."));
    return;
  }
  const link = M.getLink(S.data, at);
  const ids = Array.from(M.actionIds(S.data, ed.laneIds())).sort().map((x) => [x, x]);
  const edit = (changes) => {
    const now = M.findLink(S.data, sel.from, sel.to);
    if (!now) { return; }
    let next = null;
    ed.change((d) => { next = M.setLink(d, now, changes); }, { redraw: false });
    if (next) {
      const l = M.getLink(S.data, next);
      sel.from = l.from;
      sel.to = l.to;
    }
  };
  body.replaceChildren(form(
    field("f-flow-from", "From", link.from, (v) => edit({ from: v }), { options: ids }),
    field("f-flow-to", "To", link.to, (v) => edit({ to: v }), { options: ids }),
    field("f-flow-two", "Two-way (an interaction: what follows waits for both)", link.two_way,
      (v) => edit({ two_way: v }), { type: "checkbox", full: true }),
    field("f-flow-p", "Probability (exclusive choice)", link.p, (v) => edit({ p: asNumber(v) }),
      { type: "number", min: 0, max: 1, step: 0.05, hint: "choices leaving one action sum to 1" }),
    field("f-flow-label", "Label", link.label, (v) => edit({ label: asText(v) })),
    field("f-flow-note", "Note", link.note, (v) => edit({ note: asText(v) }), { full: true }),
    h("div", { class: "actions-row" },
      button(`Select ${link.from}`, () => ed.select({ kind: "action", id: link.from })),
      button(`Select ${link.to}`, () => ed.select({ kind: "action", id: link.to })),
      button("Delete flow", () => {
        const now = M.findLink(S.data, sel.from, sel.to);
        if (now) { ed.change((d) => M.deleteLink(d, now), { select: null }); }
      }, { class: "danger", id: "b-delete-flow" }))));
}

// ---- step and cell ---------------------------------------------------------------------------

function stepPanel(head, body, stepId) {
  const { S } = ed;
  const lanes = ed.laneIds();
  const si = M.findStep(S.data, stepId);
  if (si < 0) { ed.select(null); return; }
  const step = S.data.steps[si];
  head.textContent = `Step ${si + 1} of ${S.data.steps.length}`;
  const stepEdit = (fn) => ed.change((d) => { const k = M.findStep(d, stepId); if (k >= 0) { fn(d.steps[k], d); } },
    { redraw: false });
  const phases = Object.keys(S.data.phases || {});
  const evidence = (step.evidence === undefined ? [] : Array.isArray(step.evidence) ? step.evidence : [step.evidence]);
  const laneSel = h("select", { id: "f-step-lane" }, ...ed.S.lanes.map((l) => h("option", { value: l.id }, l.name)));
  body.replaceChildren(form(
    field("f-step-name", "Name", step.name, (v) => stepEdit((s) => setKey(s, "name", asText(v))), { full: true }),
    field("f-step-id", "Id", step.id, (v, input) => {
      const next = v.trim();
      if (!/^[^\s]+$/.test(next) || (next !== stepId && M.findStep(S.data, next) >= 0)) {
        toast("Step ids are unique and have no spaces", { bad: true }); input.value = stepId; return;
      }
      ed.change((d) => M.renameStep(d, stepId, next), { select: { kind: "step", step: next } });
    }),
    field("f-step-phase", "Phase", M.phaseOf(S.data, stepId), (v) => ed.change((d) => M.setPhase(d, stepId, v)),
      { options: [["", "— none —"], ...phases.map((p) => [p, p])] }),
    field("f-step-evidence", "Evidence (one per line)", evidence.map((x) => (typeof x === "object" ? x.text : x)).join("\n"),
      (v) => stepEdit((s) => {
        const byText = new Map(evidence.filter((x) => typeof x === "object").map((x) => [x.text, x]));
        const items = v.split("\n").map((x) => x.trim()).filter(Boolean).map((x) => byText.get(x) || x);
        setKey(s, "evidence", items.length ? items : undefined);
      }), { rows: 3, full: true }),
    field("f-step-note", "Note", step.note, (v) => stepEdit((s) => setKey(s, "note", asText(v))), { rows: 2, full: true }),
    h("div", { class: "actions-row" }, h("label", { for: "f-step-lane" }, "Add an action in"), laneSel,
      button("Add action", () => ed.addActionAt(stepId, laneSel.value), { id: "b-step-add-action" })),
    h("div", { class: "actions-row" },
      button("← Move left", () => ed.change((d) => M.moveStep(d, M.findStep(d, stepId), -1))),
      button("Move right →", () => ed.change((d) => M.moveStep(d, M.findStep(d, stepId), 1))),
      button("Add step after", () => {
        const id = ed.change((d) => M.addStep(d, M.findStep(d, stepId)));
        ed.select({ kind: "step", step: id });
      }),
      button("Delete step", () => {
        const n = lanes.reduce((k, lane) => k + (step[lane] || []).length, 0);
        if (n && !window.confirm(`Delete the step and its ${n} action${n === 1 ? "" : "s"}?`)) { return; }
        ed.change((d) => M.deleteStep(d, lanes, M.findStep(d, stepId)), { select: null });
      }, { class: "danger" }))));
}

function cellPanel(head, body, sel) {
  const si = M.findStep(ed.S.data, sel.step);
  if (si < 0) { ed.select(null); return; }
  head.textContent = `${ed.S.data.steps[si].name} · ${ed.laneName(sel.lane)}`;
  body.replaceChildren(
    h("p", { class: "muted small" }, "An empty place in the grid. Double-click it, press A, or:"),
    h("div", { class: "actions-row" },
      button("Add action here", () => ed.addActionAt(sel.step, sel.lane), { class: "primary", id: "b-cell-add" }),
      button("Edit the step", () => ed.select({ kind: "step", step: sel.step }))));
}

// ---- the blueprint ---------------------------------------------------------------------------

function blueprintPanel(head, body) {
  const { S } = ed;
  const d0 = S.data;
  head.textContent = "Blueprint";
  const top = (key, parse) => (v) => ed.change((d) => setKey(d, key, parse(v)), { redraw: false });
  const scen = (key, parse) => (v) => ed.change((d) => {
    const s = { ...(d.scenario || {}) };
    setKey(s, key, parse(v));
    if (Object.keys(s).length) { d.scenario = s; } else { delete d.scenario; }
  }, { redraw: false });
  const sc = d0.scenario || {};
  const roles = Object.entries(d0.roles || {});
  const roleEdit = (rid, key, parse) => (v) => ed.change((d) => setKey(d.roles[rid], key, parse(v)), { redraw: false });
  const newRole = h("input", { id: "f-new-role", placeholder: "role id, e.g. clerk", "aria-label": "New role id" });
  const newPhase = h("input", { id: "f-new-phase", placeholder: "phase name", "aria-label": "New phase name" });
  const phases = Object.entries(d0.phases || {});
  body.replaceChildren(form(
    h("p", { class: "hint" }, "Select an action, a flow, a step heading's cell or an empty cell on the canvas to edit it."),
    field("f-bp-title", "Title", d0.title, top("title", asText), { full: true }),
    field("f-bp-state", "State", d0.state || "", top("state", asText),
      { options: [["", "—"], ["current", "current (as it is)"], ["future", "future (as designed)"]] }),
    field("f-bp-currency", "Currency", d0.currency, top("currency", asText), { placeholder: "EUR" }),
    field("f-bp-description", "Description", d0.description, top("description", asText), { rows: 2, full: true }),
    h("fieldset", {}, h("legend", {}, "Scenario"),
      field("f-sc-customer", "Customer", sc.customer, scen("customer", asText), { full: true }),
      field("f-sc-start", "Starts when", sc.start, scen("start", asText)),
      field("f-sc-end", "Ends when", sc.end, scen("end", asText)),
      field("f-sc-goal", "Goal", sc.goal, scen("goal", asText)),
      field("f-sc-tolerance", "Tolerance", sc.tolerance, scen("tolerance", asDuration), { placeholder: "2 h" })),
    h("fieldset", {}, h("legend", {}, "Roles"),
      h("ul", { class: "plain" }, ...roles.map(([rid, r]) => h("li", {}, h("details", {},
        h("summary", {}, `${(r && r.name) || rid} (${rid})`),
        h("div", { class: "stack" },
          field(`f-role-${rid}-name`, "Name", r.name, roleEdit(rid, "name", asText)),
          field(`f-role-${rid}-department`, "Department", r.department, roleEdit(rid, "department", asText)),
          field(`f-role-${rid}-kind`, "Kind", r.kind || "person", roleEdit(rid, "kind", (v) => (v === "person" ? undefined : v)),
            { options: [["person", "person"], ["system", "system"], ["partner", "partner"]] }),
          field(`f-role-${rid}-staff`, "Staff", r.staff, roleEdit(rid, "staff", asNumber), { type: "number", min: 0, step: 1 }),
          field(`f-role-${rid}-cost`, "Cost", r.cost, roleEdit(rid, "cost", asText), { placeholder: "30/h" }),
          button(`Remove role ${rid}`, () => ed.change((d) => { delete d.roles[rid]; if (!Object.keys(d.roles).length) { delete d.roles; } }),
            { class: "danger" })))))),
      h("div", { class: "actions-row" }, newRole, button("Add role", () => {
        const rid = M.slug(newRole.value, "");
        if (!rid) { toast("Give the role an id", { bad: true }); return; }
        if ((S.data.roles || {})[rid]) { toast(`There is a role ${rid} already`, { bad: true }); return; }
        ed.change((d) => { d.roles = { ...(d.roles || {}), [rid]: { name: newRole.value.trim() } }; });
      }))),
    h("fieldset", {}, h("legend", {}, "Phases"),
      phases.length ? null : h("p", { class: "hint" }, "No phases. Add one, then put steps in it from each step's panel."),
      h("ul", { class: "plain" }, ...phases.map(([name, members], k) => h("li", {},
        h("span", {}, `${name}: ${members.join(", ") || "no steps"}`),
        h("span", { class: "row" },
          button("↑", () => ed.change((d) => M.editPhases(d, (e) => { if (k > 0) { [e[k - 1], e[k]] = [e[k], e[k - 1]]; } return e; })),
            { "aria-label": `Move phase ${name} earlier`, class: "small" }),
          button("↓", () => ed.change((d) => M.editPhases(d, (e) => { if (k < e.length - 1) { [e[k + 1], e[k]] = [e[k], e[k + 1]]; } return e; })),
            { "aria-label": `Move phase ${name} later`, class: "small" }),
          button("Rename", () => {
            const next = (window.prompt(`New name for phase ${name}`, name) || "").trim();
            if (next && next !== name) { ed.change((d) => M.editPhases(d, (e) => e.map(([n, m]) => [n === name ? next : n, m]))); }
          }, { class: "small" }),
          button("Remove", () => ed.change((d) => M.editPhases(d, (e) => e.filter(([n]) => n !== name))),
            { "aria-label": `Remove phase ${name}`, class: "small danger" }))))),
      h("div", { class: "actions-row" }, newPhase, button("Add phase", () => {
        const name = newPhase.value.trim();
        if (!name || (S.data.phases || {})[name]) { toast("Give the phase a new name", { bad: true }); return; }
        ed.change((d) => M.editPhases(d, (e) => [...e, [name, []]]));
      }))),
    field("f-bp-tags", "Tags (comma separated)", (d0.tags || []).join(", "), (v) => ed.change((d) => {
      const tags = v.split(",").map((x) => x.trim()).filter(Boolean);
      setKey(d, "tags", tags.length ? tags : undefined);
    }, { redraw: false }), { full: true })));
}

// ---- entry point -----------------------------------------------------------------------------

export function panel(context, head, body) {
  ed = context;
  const sel = ed.S.sel;
  if (!ed.S.data) { return; }
  if (!sel) { blueprintPanel(head, body); return; }
  if (sel.kind === "action") { actionPanel(head, body, sel.id); return; }
  if (sel.kind === "flow") { flowPanel(head, body, sel); return; }
  if (sel.kind === "step") { stepPanel(head, body, sel.step); return; }
  if (sel.kind === "cell") { cellPanel(head, body, sel); }
}
