// Interactive blueprint: pan/zoom, tooltips, upstream/downstream tracing, filters.
// Plain ES2017, no dependencies, works from a file:// URL.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("bp-data").textContent);
  var vp = document.getElementById("viewport");
  var svg = vp.querySelector("svg");
  var tip = document.getElementById("tip");
  var status = document.getElementById("status");
  var full = svg.viewBox.baseVal;
  var view = { x: full.x, y: full.y, w: full.width, h: full.height };
  var groups = Array.prototype.slice.call(svg.querySelectorAll("g.action"));
  var flows = Array.prototype.slice.call(svg.querySelectorAll("path.flow"));
  var byId = {};
  groups.forEach(function (g) { byId[g.getAttribute("data-id")] = g; });

  function apply() { svg.setAttribute("viewBox", [view.x, view.y, view.w, view.h].join(" ")); }
  function zoom(factor, cx, cy) {
    var nw = Math.min(Math.max(view.w * factor, full.width / 20), full.width * 4);
    var k = nw / view.w;
    if (cx === undefined) { cx = view.x + view.w / 2; cy = view.y + view.h / 2; }
    view.x = cx - (cx - view.x) * k; view.y = cy - (cy - view.y) * k;
    view.w = nw; view.h = view.h * k; apply();
  }
  function toSvg(evt) {
    var r = svg.getBoundingClientRect();
    var s = Math.max(view.w / r.width, view.h / r.height);
    var ox = (r.width * s - view.w) / 2, oy = (r.height * s - view.h) / 2;
    return { x: view.x - ox + (evt.clientX - r.left) * s, y: view.y - oy + (evt.clientY - r.top) * s, s: s };
  }
  function fit() { view = { x: full.x, y: full.y, w: full.width, h: full.height }; apply(); }
  vp.addEventListener("wheel", function (evt) {
    evt.preventDefault();
    var p = toSvg(evt);
    zoom(evt.deltaY > 0 ? 1.15 : 1 / 1.15, p.x, p.y);
  }, { passive: false });
  var drag = null;
  vp.addEventListener("pointerdown", function (evt) {
    if (evt.target.closest && evt.target.closest("g.action")) { return; }
    drag = { x: evt.clientX, y: evt.clientY, vx: view.x, vy: view.y, s: toSvg(evt).s };
    vp.classList.add("dragging"); vp.setPointerCapture(evt.pointerId);
  });
  vp.addEventListener("pointermove", function (evt) {
    if (!drag) { return; }
    view.x = drag.vx - (evt.clientX - drag.x) * drag.s;
    view.y = drag.vy - (evt.clientY - drag.y) * drag.s; apply();
  });
  function endDrag() { drag = null; vp.classList.remove("dragging"); }
  vp.addEventListener("pointerup", endDrag);
  vp.addEventListener("pointercancel", endDrag);
  document.getElementById("zoom-in").addEventListener("click", function () { zoom(1 / 1.25); });
  document.getElementById("zoom-out").addEventListener("click", function () { zoom(1.25); });
  document.getElementById("zoom-fit").addEventListener("click", fit);

  // ---- tooltips ----
  var LABELS = [["text", "Action"], ["lane", "Lane"], ["step", "Step"], ["role_name", "Role"],
    ["department", "Department"], ["duration", "Duration"], ["wait", "Wait"], ["tolerance", "Tolerance"],
    ["p", "Probability"], ["repeat", "Rework"], ["cost", "Cost"], ["channel", "Channel"],
    ["emotion", "Emotion"], ["source", "Source"], ["fail", "Fail point"], ["detail", "Detail"],
    ["metrics", "Metrics"], ["note", "Note"], ["id", "Id"]];
  function show(v) {
    if (v === null || v === undefined) { return ""; }
    if (typeof v === "object") {
      return Object.keys(v).map(function (k) { return k + ": " + show(v[k]); }).join("; ");
    }
    return String(v);
  }
  function openTip(g, x, y) {
    var a = data.actions[g.getAttribute("data-id")];
    if (!a) { return; }
    var table = document.createElement("table");
    LABELS.forEach(function (pair) {
      if (a[pair[0]] === undefined) { return; }
      var tr = table.insertRow();
      var th = document.createElement("th"); th.textContent = pair[1]; tr.appendChild(th);
      tr.insertCell().textContent = show(a[pair[0]]);
    });
    tip.textContent = ""; tip.appendChild(table); tip.hidden = false;
    var w = tip.offsetWidth, h = tip.offsetHeight;
    tip.style.left = Math.max(4, Math.min(x + 14, window.innerWidth - w - 8)) + "px";
    tip.style.top = Math.max(4, Math.min(y + 14, window.innerHeight - h - 8)) + "px";
  }
  function closeTip() { tip.hidden = true; }

  // ---- tracing ----
  var down = {}, up = {};
  data.edges.forEach(function (e) {
    (down[e[0]] = down[e[0]] || []).push(e[1]);
    (up[e[1]] = up[e[1]] || []).push(e[0]);
  });
  function walk(start, next) {
    var seen = {}, stack = [start];
    while (stack.length) {
      var n = stack.pop();
      (next[n] || []).forEach(function (m) { if (!seen[m]) { seen[m] = true; stack.push(m); } });
    }
    return seen;
  }
  var selected = null;
  function clearMarks() {
    groups.forEach(function (g) { g.classList.remove("dim", "selected"); });
    flows.forEach(function (f) { f.classList.remove("dim", "on"); });
  }
  function trace(id) {
    clearMarks();
    if (selected === id) { selected = null; status.textContent = ""; return; }
    selected = id;
    var keep = walk(id, down), ups = walk(id, up);
    Object.keys(ups).forEach(function (k) { keep[k] = true; });
    keep[id] = true;
    groups.forEach(function (g) { if (!keep[g.getAttribute("data-id")]) { g.classList.add("dim"); } });
    flows.forEach(function (f) {
      var on = keep[f.getAttribute("data-from")] && keep[f.getAttribute("data-to")];
      f.classList.add(on ? "on" : "dim");
    });
    byId[id].classList.add("selected");
    status.textContent = (Object.keys(keep).length - 1) + " actions upstream or downstream of \u201c" +
      data.actions[id].text + "\u201d";
  }
  groups.forEach(function (g) {
    var id = g.getAttribute("data-id");
    g.addEventListener("mouseenter", function (evt) { openTip(g, evt.clientX, evt.clientY); });
    g.addEventListener("mousemove", function (evt) { openTip(g, evt.clientX, evt.clientY); });
    g.addEventListener("mouseleave", closeTip);
    g.addEventListener("focus", function () {
      var r = g.getBoundingClientRect(); openTip(g, r.right, r.top);
    });
    g.addEventListener("blur", closeTip);
    g.addEventListener("click", function () { trace(id); });
    g.addEventListener("keydown", function (evt) {
      if (evt.key === "Enter" || evt.key === " ") { evt.preventDefault(); trace(id); }
    });
  });

  // ---- filters ----
  var fRole = document.getElementById("f-role"), fDept = document.getElementById("f-dept");
  function filter() {
    selected = null; clearMarks();
    var r = fRole.value, d = fDept.value, n = 0;
    if (!r && !d) { status.textContent = ""; return; }
    groups.forEach(function (g) {
      var ok = (!r || g.getAttribute("data-role") === r) && (!d || g.getAttribute("data-department") === d);
      if (ok) { n += 1; } else { g.classList.add("dim"); }
    });
    flows.forEach(function (f) { f.classList.add("dim"); });
    status.textContent = n + " actions match the filter";
  }
  fRole.addEventListener("change", filter);
  fDept.addEventListener("change", filter);
  function clearAll() { fRole.value = ""; fDept.value = ""; selected = null; clearMarks(); closeTip(); status.textContent = ""; }
  document.getElementById("clear").addEventListener("click", clearAll);
  document.addEventListener("keydown", function (evt) { if (evt.key === "Escape") { clearAll(); } });
  // A link ending in #trace=ACTION_ID opens with that action traced.
  var m = /^#trace=(.+)$/.exec(window.location.hash);
  if (m && byId[decodeURIComponent(m[1])]) { trace(decodeURIComponent(m[1])); }
})();
