// History: every version with its message; the visual diff of any two; restore an old one.
import { api, blueprintApi, fmtTime, h, page, toast } from "./common.js";
import { Canvas } from "./canvas.js";

const list = document.getElementById("versions");
const from = document.getElementById("from");
const to = document.getElementById("to");
const picture = document.getElementById("diff-picture");
const text = document.getElementById("diff-text");
const note = document.getElementById("diff-note");
const diffCanvas = new Canvas(picture);  // pan and zoom; starts fitted to the frame
const canEdit = page.role === "editor" || page.role === "owner";
let etag = null;

async function load() {
  const { body: versions } = await api("GET", blueprintApi() + "/versions?limit=1000");
  const { headers } = await api("GET", blueprintApi());
  etag = headers.get("ETag");
  const head = versions.length ? versions[0].number : 0;
  list.replaceChildren(...versions.map((v) => h("li", { dataset: { version: v.number } },
    h("div", { class: "row" }, h("b", {}, `Version ${v.number}`),
      v.errors ? h("span", { class: "badge error" }, `${v.errors} errors`) : null,
      v.warnings ? h("span", { class: "badge warning" }, `${v.warnings} warnings`) : null,
      v.number === head ? h("span", { class: "badge ok" }, "current") : null),
    h("span", {}, v.message || h("i", { class: "muted" }, "no message")),
    h("span", { class: "meta" }, `${v.author || "someone"} · ${fmtTime(v.created_at)}` +
      (v.restored_from ? ` · restores version ${v.restored_from}` : "")),
    h("div", { class: "row" },
      h("button", { type: "button", class: "small", onclick: () => compare(v.number - 1, v.number),
        disabled: v.number === 1, "aria-label": `Changes in version ${v.number}` }, "Changes"),
      canEdit && v.number !== head ? h("button", { type: "button", class: "small", onclick: () => restore(v.number),
        "aria-label": `Restore version ${v.number}` }, "Restore") : null))));
  const options = (sel) => versions.map((v) => h("option", { value: v.number, selected: v.number === sel },
    `v${v.number} ${v.message ? "— " + v.message.slice(0, 40) : ""}`));
  from.replaceChildren(...options(Math.max(1, head - 1)));
  to.replaceChildren(...options(head));
  return head;
}

async function compare(a, b) {
  if (a < 1 || a === b) { note.textContent = "Pick two different versions."; return; }
  note.textContent = `Comparing version ${a} with version ${b}…`;
  from.value = a; to.value = b;
  const q = `?from=${a}&to=${b}`;
  try {
    const [svg, summary] = await Promise.all([api("GET", blueprintApi() + "/diff" + q + "&format=svg"),
      api("GET", blueprintApi() + "/diff" + q + "&format=text")]);
    picture.hidden = false;
    diffCanvas.draw(svg.body, null, { fit: true });
    text.textContent = summary.body;
    note.textContent = `Version ${a} → version ${b}: added actions are outlined green, removed ones red ` +
      "(dashed), changed ones orange; scroll to zoom, drag to pan. The summary below lists every change.";
  } catch (err) {
    picture.hidden = true;
    if (err.status === 422) {
      const { body } = await api("GET", blueprintApi() + "/diff" + q + "&format=unified");
      text.textContent = body;
      note.textContent = "One of the versions has errors, so only the text diff can be shown.";
    } else { note.textContent = err.message; }
  }
}

async function restore(n) {
  if (!window.confirm(`Make version ${n} current again? It is saved as a new version; nothing is lost.`)) { return; }
  try {
    await api("POST", blueprintApi() + "/restore", { json: { version: n }, headers: { "If-Match": etag } });
    toast(`Version ${n} restored`);
    const head = await load();
    compare(head - 1, head);
  } catch (err) { toast(err.message, { bad: true }); }
}

document.getElementById("compare").addEventListener("submit", (evt) => {
  evt.preventDefault();
  compare(Number(from.value), Number(to.value));
});
load().then((head) => { if (head > 1) { compare(head - 1, head); } })
  .catch((err) => { note.textContent = err.message; });
