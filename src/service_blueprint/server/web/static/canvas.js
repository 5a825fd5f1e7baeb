// The blueprint canvas: the renderer's SVG, with pan and zoom, picking of actions, flows and
// empty cells, and marks (selection, findings, highlights) added as classes and small badges.
// The picture itself always comes from the server's renderer; nothing is drawn a second way.
"use strict";

const NS = "http://www.w3.org/2000/svg";

export class Canvas {
  // host: the element to draw in; on: {action(id, evt), flow(from, to, evt), cell(step, lane, evt),
  // background(evt)} callbacks, each optional.
  constructor(host, on = {}) {
    this.host = host;
    this.on = on;
    this.svg = null;
    this.view = null;
    this.full = null;
    this.grid = null;
    this.drag = null;
    host.addEventListener("wheel", (evt) => this.wheel(evt), { passive: false });
    host.addEventListener("pointerdown", (evt) => this.down(evt));
    host.addEventListener("pointermove", (evt) => this.move(evt));
    host.addEventListener("pointerup", (evt) => this.up(evt));
    host.addEventListener("pointercancel", () => this.endDrag());
    host.addEventListener("dblclick", (evt) => this.dbl(evt));
    host.addEventListener("keydown", (evt) => {
      const g = evt.target.closest && evt.target.closest("g.action");
      if (g && (evt.key === "Enter" || evt.key === " ")) {
        evt.preventDefault();
        if (this.on.action) { this.on.action(g.dataset.id, evt); }
      }
    });
  }

  // Show a new drawing; keeps the zoom and pan unless `fit` (or this is the first one).
  draw(svgText, grid, { fit = false } = {}) {
    const focused = document.activeElement && this.host.contains(document.activeElement)
      ? document.activeElement.dataset.id : null;
    this.host.innerHTML = svgText;
    this.svg = this.host.querySelector("svg");
    this.svg.removeAttribute("width");
    this.svg.removeAttribute("height");
    this.svg.setAttribute("preserveAspectRatio", "xMinYMin meet");
    // The drawing holds focusable actions here, so it is a group, not a flat image.
    this.svg.setAttribute("role", "group");
    const vb = this.svg.viewBox.baseVal;
    this.full = { x: vb.x, y: vb.y, w: vb.width, h: vb.height };
    // Until the person zooms or pans, the drawing stays fitted as it grows or shrinks.
    if (fit || !this.view || this.fitted) { this.fit(); } else { this.apply(); }
    this.grid = grid;
    for (const path of this.svg.querySelectorAll("path.flow")) {
      const hit = document.createElementNS(NS, "path");
      hit.setAttribute("d", path.getAttribute("d"));
      hit.setAttribute("class", "flow-hit");
      hit.dataset.from = path.dataset.from;
      hit.dataset.to = path.dataset.to;
      hit.dataset.implicit = path.classList.contains("implicit") ? "1" : "";
      hit.appendChild(document.createElementNS(NS, "title")).textContent = `Flow ${path.dataset.from} to ${path.dataset.to}`;
      path.after(hit);
    }
    if (focused) { this.focusAction(focused); }
  }

  // Show the whole drawing; on a small screen where that would be unreadable, fit its height
  // instead (at most at full size) and let the person pan sideways.
  fit() {
    if (!this.full) { return; }
    const r = this.host.getBoundingClientRect();
    const width = Math.max(r.width, 1);
    const height = Math.max(r.height, 1);
    let scale = Math.min(width / this.full.w, height / this.full.h);
    if (scale < 0.35) { scale = Math.max(scale, Math.min(height / this.full.h, 0.6)); }
    this.view = { x: this.full.x, y: this.full.y, w: width / scale, h: height / scale };
    this.fitted = true;
    this.apply();
  }

  apply() {
    if (this.svg && this.view) {
      const v = this.view;
      this.svg.setAttribute("viewBox", `${v.x} ${v.y} ${v.w} ${v.h}`);
    }
  }

  zoom(factor, cx, cy) {
    if (!this.view) { return; }
    const v = this.view;
    const nw = Math.min(Math.max(v.w * factor, this.full.w / 15), this.full.w * 4);
    const k = nw / v.w;
    if (cx === undefined) { cx = v.x + v.w / 2; cy = v.y + v.h / 2; }
    this.view = { x: cx - (cx - v.x) * k, y: cy - (cy - v.y) * k, w: nw, h: v.h * k };
    this.fitted = false;
    this.apply();
  }

  // A point of the screen in drawing coordinates.
  point(evt) {
    const m = this.svg.getScreenCTM();
    if (!m) { return { x: 0, y: 0 }; }
    const p = this.svg.createSVGPoint();
    p.x = evt.clientX;
    p.y = evt.clientY;
    const q = p.matrixTransform(m.inverse());
    return { x: q.x, y: q.y };
  }

  cellAt(pt) {
    if (!this.grid) { return null; }
    const col = this.grid.columns.find((c) => pt.x >= c.x && pt.x <= c.x + c.w);
    const lane = this.grid.lanes.find((l) => pt.y >= l.y && pt.y <= l.y + l.h);
    return col && lane ? { step: col.step, lane: lane.lane } : null;
  }

  wheel(evt) {
    if (!this.svg) { return; }
    evt.preventDefault();
    const p = this.point(evt);
    this.zoom(evt.deltaY > 0 ? 1.12 : 1 / 1.12, p.x, p.y);
  }

  down(evt) {
    if (!this.svg || evt.button !== 0) { return; }
    const m = this.svg.getScreenCTM();
    this.drag = { x: evt.clientX, y: evt.clientY, vx: this.view.x, vy: this.view.y, s: m ? 1 / m.a : 1,
      moved: false, target: evt.target, id: evt.pointerId };
  }

  move(evt) {
    const d = this.drag;
    if (!d) { return; }
    const dx = evt.clientX - d.x;
    const dy = evt.clientY - d.y;
    if (!d.moved && Math.abs(dx) + Math.abs(dy) < 5) { return; }
    if (!d.moved) {
      d.moved = true;
      d.group = this.on.moveAction && d.target.closest ? d.target.closest("g.action") : null;
      this.host.classList.add(d.group ? "moving" : "panning");
      this.host.setPointerCapture(d.id);
    }
    if (d.group) {  // dragging an action: it follows the pointer; the drop cell is outlined
      d.group.setAttribute("transform", `translate(${dx * d.s} ${dy * d.s})`);
      const cell = this.cellAt(this.point(evt));
      this.outline(cell);
      return;
    }
    this.view.x = d.vx - dx * d.s;
    this.view.y = d.vy - dy * d.s;
    this.fitted = false;
    this.apply();
  }

  // Where a dragged action lands: the cell, and its place among the boxes already there.
  dropAt(evt, id) {
    const pt = this.point(evt);
    const cell = this.cellAt(pt);
    if (!cell) { return null; }
    const col = this.grid.columns.find((c) => c.step === cell.step);
    let index = 0;
    for (const g of this.svg.querySelectorAll(`g.action[data-lane="${CSS.escape(cell.lane)}"]`)) {
      const box = g.querySelector("rect.box");
      const x = Number(box.getAttribute("x"));
      const y = Number(box.getAttribute("y")) + Number(box.getAttribute("height")) / 2;
      if (g.dataset.id !== id && x >= col.x && x <= col.x + col.w && y < pt.y) { index += 1; }
    }
    return { ...cell, index };
  }

  outline(cell) {
    const old = this.svg.querySelector(".cell-drop");
    if (old) { old.remove(); }
    if (!cell) { return; }
    const col = this.grid.columns.find((c) => c.step === cell.step);
    const lane = this.grid.lanes.find((l) => l.lane === cell.lane);
    const r = document.createElementNS(NS, "rect");
    Object.entries({ x: col.x + 2, y: lane.y + 2, width: col.w - 4, height: lane.h - 4, rx: 6, class: "cell-drop" })
      .forEach(([k, v]) => r.setAttribute(k, v));
    this.svg.insertBefore(r, this.svg.querySelector("g.actions"));
  }

  up(evt) {
    const d = this.drag;
    this.endDrag();
    if (d && d.group) {
      const drop = this.dropAt(evt, d.group.dataset.id);
      d.group.removeAttribute("transform");
      this.outline(null);
      if (drop) { this.on.moveAction(d.group.dataset.id, drop.step, drop.lane, drop.index); }
      return;
    }
    if (!d || d.moved) { return; }
    const t = d.target;
    const g = t.closest && t.closest("g.action");
    if (g) {
      if (this.on.action) { this.on.action(g.dataset.id, evt); }
      return;
    }
    if (t.classList && t.classList.contains("flow-hit")) {
      if (this.on.flow) { this.on.flow(t.dataset.from, t.dataset.to, evt); }
      return;
    }
    const pt = this.point(evt);
    const cell = this.cellAt(pt);
    if (cell && this.on.cell) { this.on.cell(cell.step, cell.lane, evt); return; }
    const col = this.grid && this.grid.columns.find((c) => pt.x >= c.x && pt.x <= c.x + c.w);
    if (col && this.grid.lanes.length && pt.y < this.grid.lanes[0].y && this.on.step) { this.on.step(col.step, evt); return; }
    if (this.on.background) { this.on.background(evt); }
  }

  dbl(evt) {
    if (!this.svg || (evt.target.closest && evt.target.closest("g.action"))) { return; }
    const cell = this.cellAt(this.point(evt));
    if (cell && this.on.cellDouble) { this.on.cellDouble(cell.step, cell.lane, evt); }
  }

  endDrag() {
    if (this.drag && this.drag.moved) {
      try { this.host.releasePointerCapture(this.drag.id); } catch (err) { /* already released */ }
    }
    this.drag = null;
    this.host.classList.remove("panning", "moving");
  }

  group(id) {
    return this.svg ? this.svg.querySelector(`g.action[data-id="${CSS.escape(id)}"]`) : null;
  }

  focusAction(id) {
    const g = this.group(id);
    if (g) { g.focus({ preventScroll: true }); }
    return g;
  }

  // Bring an action into view (pans only when it is outside the visible part).
  reveal(id) {
    const g = this.group(id);
    if (!g || !this.view) { return; }
    const b = g.getBBox();
    const v = this.view;
    if (b.x >= v.x && b.y >= v.y && b.x + b.width <= v.x + v.w && b.y + b.height <= v.y + v.h) { return; }
    this.view = { ...v, x: b.x + b.width / 2 - v.w / 2, y: b.y + b.height / 2 - v.h / 2 };
    this.fitted = false;
    this.apply();
  }

  // Marks: {actions: {id: [classes]}, flows: [[from, to, class]], cell: {step, lane} | null}.
  mark({ actions = {}, flows = [], cell = null, badges = {} } = {}) {
    if (!this.svg) { return; }
    for (const el of this.svg.querySelectorAll(".mark-badge, .cell-sel")) { el.remove(); }
    for (const g of this.svg.querySelectorAll("g.action")) {
      g.classList.remove("selected", "source", "f-error", "f-warning", "hl-crit", "has-comments");
      const cls = actions[g.dataset.id];
      if (cls) { g.classList.add(...cls); }
      const badge = badges[g.dataset.id];
      if (badge) { this.badge(g, badge); }
    }
    for (const p of this.svg.querySelectorAll("path.flow")) { p.classList.remove("selected", "f-error", "f-warning"); }
    for (const [from, to, cls] of flows) {
      const p = this.svg.querySelector(`path.flow[data-from="${CSS.escape(from)}"][data-to="${CSS.escape(to)}"]`);
      if (p) { p.classList.add(cls); }
    }
    if (cell && this.grid) {
      const col = this.grid.columns.find((c) => c.step === cell.step);
      const lane = this.grid.lanes.find((l) => l.lane === cell.lane);
      if (col && lane) {
        const r = document.createElementNS(NS, "rect");
        Object.entries({ x: col.x + 3, y: lane.y + 3, width: col.w - 6, height: lane.h - 6, rx: 6, class: "cell-sel" })
          .forEach(([k, v]) => r.setAttribute(k, v));
        this.svg.appendChild(r);
      }
    }
  }

  // A small round badge at the top left of an action's box: {text, fill, title}.
  badge(g, { text, fill, title }) {
    const box = g.querySelector("rect.box");
    if (!box) { return; }
    const x = Number(box.getAttribute("x"));
    const y = Number(box.getAttribute("y"));
    const b = document.createElementNS(NS, "g");
    b.setAttribute("class", "mark-badge");
    b.setAttribute("aria-hidden", "true");
    const c = document.createElementNS(NS, "circle");
    Object.entries({ cx: x, cy: y, r: 8, fill, stroke: "#fff", "stroke-width": 1.5 }).forEach(([k, v]) => c.setAttribute(k, v));
    const t = document.createElementNS(NS, "text");
    Object.entries({ x, y: y + 4, "text-anchor": "middle", "font-size": 11, "font-weight": "bold", fill: "#fff" })
      .forEach(([k, v]) => t.setAttribute(k, v));
    t.textContent = text;
    const tt = document.createElementNS(NS, "title");
    tt.textContent = title;
    b.append(c, t, tt);
    g.appendChild(b);
  }
}
