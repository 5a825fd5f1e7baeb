// Log in with the JSON API (it sets the session cookie), then go where the person was going.
import { api } from "./common.js";

const form = document.getElementById("login-form");
const error = document.getElementById("login-error");

function target() {
  const next = new URLSearchParams(window.location.search).get("next") || "";
  // Only paths of this site: never "//host" or "https://..." (no open redirect).
  return next.startsWith("/") && !next.startsWith("//") && !next.startsWith("/\\") ? next : "/web/";
}

form.addEventListener("submit", async (evt) => {
  evt.preventDefault();
  error.hidden = true;
  const username = form.username.value.trim();
  const password = form.password.value;
  if (!username || !password) {
    error.textContent = "Enter your user name and password.";
    error.hidden = false;
    return;
  }
  try {
    await api("POST", "/api/session", { json: { username, password }, login: true });
    window.location.href = target();
  } catch (err) {
    error.textContent = err.status === 401 ? "Wrong user name or password." : err.message;
    error.hidden = false;
    form.password.select();
  }
});
document.getElementById("username").focus();
