// Blueprint view: the interactive drawing (the renderer's own HTML page, sandboxed in a frame).
import { api, blueprintApi, h, page } from "./common.js";

const frame = document.getElementById("view-frame");
const note = document.getElementById("view-note");

async function start() {
  if (Number(page.errors) > 0) {
    frame.hidden = true;
    const box = document.getElementById("view-findings");
    box.hidden = false;
    try {
      const { body } = await api("GET", blueprintApi());
      const { body: checked } = await api("POST", "/web/api/check", { json: { text: body.text } });
      box.querySelector("ul").replaceChildren(...checked.findings.filter((f) => f.severity === "error")
        .map((f) => h("li", { class: "error" }, `line ${f.line}: ${f.rule} ${f.message}`)));
    } catch (err) { note.textContent = err.message; }
    return;
  }
  frame.src = frame.dataset.src;
}
start();
