// Workspaces: create one (you become its owner); administrators also create accounts.
import { api, toast } from "./common.js";

const wsForm = document.getElementById("new-workspace");
const title = document.getElementById("ws-title");
const slug = document.getElementById("ws-slug");
let slugTouched = false;

function slugify(text) {
  return text.toLowerCase().normalize("NFKD").replace(/[\u0300-\u036f]/g, "").replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "").slice(0, 64);
}
slug.addEventListener("input", () => { slugTouched = true; });
title.addEventListener("input", () => { if (!slugTouched) { slug.value = slugify(title.value); } });
if (title.value && !slug.value) { slug.value = slugify(title.value); }  // typed before this script ran

wsForm.addEventListener("submit", async (evt) => {
  evt.preventDefault();
  try {
    const { body } = await api("POST", "/api/workspaces", { json: { slug: slug.value, title: title.value } });
    window.location.href = "/web/w/" + encodeURIComponent(body.slug);
  } catch (err) { toast(err.message, { bad: true }); }
});

const userForm = document.getElementById("new-user");
if (userForm) {
  userForm.addEventListener("submit", async (evt) => {
    evt.preventDefault();
    const json = { username: userForm.username.value.trim(), password: userForm.password.value,
      admin: userForm.admin.checked };
    try {
      await api("POST", "/api/users", { json });
      toast(`Account ${json.username} created`);
      userForm.reset();
    } catch (err) { toast(err.message, { bad: true }); }
  });
}
