// New blueprint: from a bundled template (its text as it ships) or blank, then open the editor.
import { api, page } from "./common.js";

const form = document.getElementById("new-blueprint");
const title = document.getElementById("bp-title");
const name = document.getElementById("bp-name");
const error = document.getElementById("new-error");
let nameTouched = false;
let titleTouched = false;

function slugify(text) {
  return text.toLowerCase().normalize("NFKD").replace(/[\u0300-\u036f]/g, "").replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "").slice(0, 64);
}
name.addEventListener("input", () => { nameTouched = true; });
title.addEventListener("input", () => {
  titleTouched = true;
  if (!nameTouched) { name.value = slugify(title.value); }
});
function chosen(radio) {
  if (!titleTouched) {
    title.value = radio.dataset.title || "";
    if (!nameTouched) { name.value = slugify(title.value); }
  }
}
for (const radio of form.querySelectorAll('input[name="template"]')) {
  radio.addEventListener("change", () => chosen(radio));
}
// A choice made before this script ran (a quick click on a slow connection) counts too.
const early = form.querySelector('input[name="template"]:checked');
if (early && early.value) { chosen(early); }

function blank(t) {
  return `blueprint: 1\ntitle: ${JSON.stringify(t)}\nstate: current\nscenario:\n  customer: ""\n  start: ""\n  end: ""\n  goal: ""\n` +
    "steps:\n  - id: step_1\n    name: First step\n";
}

form.addEventListener("submit", async (evt) => {
  evt.preventDefault();
  error.hidden = true;
  const chosen = form.querySelector('input[name="template"]:checked').value;
  try {
    const resp = chosen ? await fetch(`/web/gallery/${encodeURIComponent(chosen)}.yaml`) : null;
    let text = resp ? await resp.text() : blank(title.value || "New blueprint");
    if (resp && !resp.ok) { throw new Error("the template could not be read"); }
    if (chosen && title.value) { text = text.replace(/^title: .*$/m, "title: " + JSON.stringify(title.value)); }
    const message = chosen ? `new from template ${chosen}` : "new blueprint";
    await api("POST", `/api/workspaces/${encodeURIComponent(page.ws)}/blueprints`,
      { json: { name: name.value, text, message } });
    window.location.href = `/web/w/${encodeURIComponent(page.ws)}/b/${encodeURIComponent(name.value)}/edit`;
  } catch (err) {
    error.textContent = err.message;
    error.hidden = false;
  }
});
