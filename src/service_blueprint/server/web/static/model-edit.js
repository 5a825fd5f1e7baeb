// Edits of the blueprint data (the plain form the server's core reads and writes).
// Pure functions on plain objects: no DOM, no network. The format itself is read and checked
// on the server; here are only the operations the editor's panel offers.
"use strict";

export const CANON_LANES = ["customer", "frontstage", "backstage", "support"];

export function slug(text, fallback = "action") {
  const s = String(text || "").toLowerCase().normalize("NFKD").replace(/[\u0300-\u036f]/g, "")
    .replace(/[^a-z0-9]+/g, "_").replace(/^_+|_+$/g, "").split("_").slice(0, 5).join("_");
  return s || fallback;
}

function unique(base, taken) {
  if (!taken.has(base)) { return base; }
  for (let k = 2; ; k += 1) { if (!taken.has(`${base}_${k}`)) { return `${base}_${k}`; } }
}

// Every action with where it sits: {action, step, si, lane, index}.
export function* placed(data, lanes) {
  const steps = data.steps || [];
  for (let si = 0; si < steps.length; si += 1) {
    for (const lane of lanes) {
      const list = steps[si][lane] || [];
      for (let i = 0; i < list.length; i += 1) { yield { action: list[i], step: steps[si], si, lane, index: i }; }
    }
  }
}

export function findAction(data, lanes, id) {
  for (const p of placed(data, lanes)) { if (p.action.id === id) { return p; } }
  return null;
}

export const findStep = (data, id) => (data.steps || []).findIndex((s) => s.id === id);

export function actionIds(data, lanes) {
  return new Set(Array.from(placed(data, lanes), (p) => p.action.id));
}

// ---- flows: a written flow is a chain string "a -> b <-> c" or a mapping {from, to, ...} --------

// The links (one per arrow) of one written flow.
export function links(flow) {
  if (typeof flow === "string") {
    const parts = flow.split(/\s*(<->|->)\s*/);
    const out = [];
    for (let k = 0; k + 2 < parts.length; k += 2) {
      out.push({ from: parts[k].trim(), to: parts[k + 2].trim(), two_way: parts[k + 1] === "<->" });
    }
    return out;
  }
  if (flow && typeof flow === "object") {
    const { from, to, two_way: twoWay, ...rest } = flow;
    return [{ from, to, two_way: !!twoWay, ...rest }];
  }
  return [];
}

const plain = (l) => Object.keys(l).every((k) => k === "from" || k === "to" || k === "two_way");

// Written flows for a run of links: neighbouring plain links that join up form one chain.
export function writeLinks(list) {
  const out = [];
  let chain = null;
  for (const l of list) {
    if (plain(l)) {
      if (chain && chain.last === l.from) {
        chain.text += (l.two_way ? " <-> " : " -> ") + l.to;
        chain.last = l.to;
        continue;
      }
      chain = { text: l.from + (l.two_way ? " <-> " : " -> ") + l.to, last: l.to };
      out.push(chain);
    } else {
      chain = null;
      const m = { from: l.from, to: l.to };
      if (l.two_way) { m.two_way = true; }
      for (const k of ["p", "label", "note"]) { if (l[k] !== undefined && l[k] !== "") { m[k] = l[k]; } }
      out.push(m);
    }
  }
  return out.map((x) => (x.text !== undefined ? x.text : x));
}

// Replace written flow `index` by the flows for `list` (its links after an edit).
function replaceFlow(data, index, list) {
  data.flows.splice(index, 1, ...writeLinks(list));
  if (!data.flows.length) { delete data.flows; }
}

// Where an arrow is written: {index, part} or null (the implicit customer chain is not written).
export function findLink(data, from, to) {
  const flows = data.flows || [];
  for (let i = 0; i < flows.length; i += 1) {
    const list = links(flows[i]);
    for (let k = 0; k < list.length; k += 1) {
      if (list[k].from === from && list[k].to === to) { return { index: i, part: k }; }
    }
  }
  return null;
}

export function getLink(data, at) {
  const flow = (data.flows || [])[at.index];
  return flow === undefined ? null : links(flow)[at.part] || null;
}

// Change one arrow; returns where it is written afterwards.
export function setLink(data, at, changes) {
  const list = links(data.flows[at.index]);
  const link = { ...list[at.part], ...changes };
  for (const k of Object.keys(link)) { if (link[k] === undefined || link[k] === "") { delete link[k]; } }
  list[at.part] = link;
  replaceFlow(data, at.index, list);
  return findLink(data, link.from, link.to);
}

export function deleteLink(data, at) {
  const list = links(data.flows[at.index]);
  list.splice(at.part, 1);
  replaceFlow(data, at.index, list);
}

export function addLink(data, from, to) {
  const existing = findLink(data, from, to);
  if (existing) { return existing; }
  data.flows = data.flows || [];
  data.flows.push(`${from} -> ${to}`);
  return { index: data.flows.length - 1, part: 0 };
}

// Every arrow touching an action: [{at, link}].
export function linksOf(data, id) {
  const out = [];
  (data.flows || []).forEach((flow, index) => {
    links(flow).forEach((link, part) => {
      if (link.from === id || link.to === id) { out.push({ at: { index, part }, link }); }
    });
  });
  return out;
}

function rewriteFlows(data, fn) {
  if (!data.flows) { return; }
  const out = [];
  for (const flow of data.flows) { out.push(...writeLinks(fn(links(flow)))); }  // a chain that still joins stays one
  data.flows = out;
  if (!out.length) { delete data.flows; }
}

// ---- actions -----------------------------------------------------------------------------------

export function newActionId(data, lanes, text) {
  return unique(slug(text), actionIds(data, lanes));
}

export function addAction(data, lanes, si, lane, index, text = "New action") {
  const step = data.steps[si];
  const list = step[lane] || (step[lane] = []);
  const action = { id: newActionId(data, lanes, text), text };
  list.splice(index === undefined ? list.length : index, 0, action);
  return action.id;
}

export function deleteAction(data, lanes, id) {
  const p = findAction(data, lanes, id);
  if (!p) { return; }
  p.step[p.lane].splice(p.index, 1);
  if (!p.step[p.lane].length) { delete p.step[p.lane]; }
  rewriteFlows(data, (list) => list.filter((l) => l.from !== id && l.to !== id));
}

export function renameAction(data, lanes, oldId, newId) {
  const p = findAction(data, lanes, oldId);
  if (!p || !newId || oldId === newId) { return false; }
  p.action.id = newId;
  rewriteFlows(data, (list) => list.map((l) => ({ ...l, from: l.from === oldId ? newId : l.from,
    to: l.to === oldId ? newId : l.to })));
  for (const q of placed(data, lanes)) {
    if (q.action.fail && typeof q.action.fail === "object" && q.action.fail.recovery === oldId) {
      q.action.fail.recovery = newId;
    }
  }
  return true;
}

// Put an action into step `si`, lane `lane`, at `index` (end when undefined).
export function moveAction(data, lanes, id, si, lane, index) {
  const p = findAction(data, lanes, id);
  if (!p) { return; }
  p.step[p.lane].splice(p.index, 1);
  if (!p.step[p.lane].length) { delete p.step[p.lane]; }
  const step = data.steps[si];
  const list = step[lane] || (step[lane] = []);
  list.splice(index === undefined ? list.length : Math.min(index, list.length), 0, p.action);
  // Keep the step's keys in the format's order (lanes top to bottom, note last).
  const order = ["id", "name", "evidence", ...lanes, "note"];
  const keys = Object.keys(step).sort((a, b) => (order.indexOf(a) + 1 || 99) - (order.indexOf(b) + 1 || 99));
  const copy = { ...step };
  for (const k of Object.keys(step)) { delete step[k]; }
  for (const k of keys) { step[k] = copy[k]; }
}

// One move of the keyboard: dx steps left/right, dy slots up/down (crossing lanes at the ends).
export function nudgeAction(data, lanes, id, dx, dy) {
  const p = findAction(data, lanes, id);
  if (!p) { return; }
  if (dx) {
    const si = p.si + dx;
    if (si >= 0 && si < data.steps.length) { moveAction(data, lanes, id, si, p.lane, p.index); }
    return;
  }
  const size = p.step[p.lane].length;
  if (p.index + dy >= 0 && p.index + dy < size) {
    moveAction(data, lanes, id, p.si, p.lane, p.index + dy);
    return;
  }
  const li = lanes.indexOf(p.lane) + dy;
  if (li >= 0 && li < lanes.length) {
    moveAction(data, lanes, id, p.si, lanes[li], dy > 0 ? 0 : undefined);
  }
}

// ---- steps and phases --------------------------------------------------------------------------

export function addStep(data, after, name = "New step") {
  data.steps = data.steps || [];
  const id = unique(slug(name, "step"), new Set(data.steps.map((s) => s.id)));
  const at = after === undefined || after < 0 ? data.steps.length : after + 1;
  data.steps.splice(at, 0, { id, name });
  if (data.phases && after !== undefined && after >= 0) {
    const prev = data.steps[after].id;
    for (const members of Object.values(data.phases)) {
      const k = members.indexOf(prev);
      if (k >= 0) { members.splice(k + 1, 0, id); break; }
    }
  }
  return id;
}

export function deleteStep(data, lanes, si) {
  const step = data.steps[si];
  for (const lane of lanes) {
    for (const a of [...(step[lane] || [])]) { deleteAction(data, lanes, a.id); }
  }
  data.steps.splice(si, 1);
  for (const [name, members] of Object.entries(data.phases || {})) {
    data.phases[name] = members.filter((m) => m !== step.id);
  }
}

export function moveStep(data, si, d) {
  const to = si + d;
  if (to < 0 || to >= data.steps.length) { return si; }
  const [step] = data.steps.splice(si, 1);
  data.steps.splice(to, 0, step);
  return to;
}

export function renameStep(data, oldId, newId) {
  const si = findStep(data, oldId);
  if (si < 0 || !newId || oldId === newId) { return false; }
  data.steps[si].id = newId;
  for (const members of Object.values(data.phases || {})) {
    const k = members.indexOf(oldId);
    if (k >= 0) { members[k] = newId; }
  }
  return true;
}

export function phaseOf(data, stepId) {
  for (const [name, members] of Object.entries(data.phases || {})) {
    if (members.includes(stepId)) { return name; }
  }
  return "";
}

// Put a step into one phase (or none), keeping each phase's steps in step order.
export function setPhase(data, stepId, phase) {
  data.phases = data.phases || {};
  for (const [name, members] of Object.entries(data.phases)) { data.phases[name] = members.filter((m) => m !== stepId); }
  if (phase) {
    const order = data.steps.map((s) => s.id);
    data.phases[phase] = [...(data.phases[phase] || []), stepId].sort((a, b) => order.indexOf(a) - order.indexOf(b));
  }
  if (!Object.keys(data.phases).length) { delete data.phases; }
}

// Rebuild the phases mapping with entries changed, renamed, moved or removed.
export function editPhases(data, fn) {
  const entries = fn(Object.entries(data.phases || {}).map(([n, m]) => [n, [...m]]));
  data.phases = Object.fromEntries(entries.filter(([n]) => n));
  if (!Object.keys(data.phases).length) { delete data.phases; }
}
