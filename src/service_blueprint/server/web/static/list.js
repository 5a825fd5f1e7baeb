// The blueprint list: search and filters over the rows the page already holds; members.
import { api, h, page, toast } from "./common.js";

const table = document.getElementById("blueprints");
const q = document.getElementById("q");
const fState = document.getElementById("f-state");
const fHealth = document.getElementById("f-health");
const fSort = document.getElementById("f-sort");
const count = document.getElementById("count");

function apply() {
  if (!table) { return; }
  const words = q.value.toLowerCase().split(/\s+/).filter(Boolean);
  const rows = Array.from(table.tBodies[0].rows);
  let shown = 0;
  for (const r of rows) {
    const ok = words.every((w) => r.dataset.search.includes(w)) &&
      (!fState.value || r.dataset.state === fState.value) &&
      (!fHealth.value || r.dataset.health === fHealth.value);
    r.hidden = !ok;
    if (ok) { shown += 1; }
  }
  const key = fSort.value;
  rows.sort((a, b) => (key === "updated" ? b.dataset.updated.localeCompare(a.dataset.updated)
    : a.dataset.name.localeCompare(b.dataset.name)));
  for (const r of rows) { table.tBodies[0].append(r); }
  count.textContent = `${shown} of ${rows.length} blueprint${rows.length === 1 ? "" : "s"}`;
}
for (const el of [q, fState, fHealth, fSort]) { el.addEventListener("input", apply); }
document.getElementById("filters").addEventListener("submit", (evt) => evt.preventDefault());

const memberForm = document.getElementById("add-member");
const members = document.getElementById("members");
const base = `/api/workspaces/${encodeURIComponent(page.ws)}/members`;
async function loadMembers() {
  const { body } = await api("GET", base);
  members.replaceChildren(...body.map((m) => h("li", {}, `${m.username}: ${m.role} `,
    h("button", { type: "button", class: "link", "aria-label": `Remove ${m.username}`, onclick: async () => {
      try { await api("DELETE", `${base}/${encodeURIComponent(m.username)}`); loadMembers(); }
      catch (err) { toast(err.message, { bad: true }); }
    } }, "remove"))));
}
if (memberForm) {
  memberForm.closest("details").addEventListener("toggle", loadMembers, { once: true });
  memberForm.addEventListener("submit", async (evt) => {
    evt.preventDefault();
    const user = document.getElementById("m-user").value.trim();
    try {
      await api("PUT", `${base}/${encodeURIComponent(user)}`, { json: { role: document.getElementById("m-role").value } });
      toast(`${user} is now a member`);
      loadMembers();
    } catch (err) { toast(err.message, { bad: true }); }
  });
}
