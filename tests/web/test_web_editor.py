"""End to end: log in, create from a template, edit on the canvas, check, save, review.

One browser session walks the whole path a designer takes (issue 10's "done when"), checking
what the page shows and, where it matters, what the server stored.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.browser
EXPECT_MS = 15_000


Live = Any  # the ``live`` fixture: url, data_dir, user, password


def snap(page: Any, name: str) -> None:
    """Keep a screenshot of this moment when ``$BLUEPRINT_SCREENSHOTS`` names a folder."""
    folder = os.environ.get("BLUEPRINT_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"))


def login(page: Any, live: Live) -> None:
    page.goto(live.url + "/web/")
    assert "/web/login" in page.url
    page.fill("#username", live.user)
    page.fill("#password", live.password)
    page.click("#login-form button[type=submit]")
    page.wait_for_url(live.url + "/web/")


def test_login_refuses_a_wrong_password(browser: Any, live: Live) -> None:
    page = browser.new_page()
    page.goto(live.url + "/web/login")
    page.fill("#username", live.user)
    page.fill("#password", "not-the-password")
    page.click("#login-form button[type=submit]")
    page.wait_for_selector("#login-error:not([hidden])")
    assert "Wrong user name or password" in page.inner_text("#login-error")
    assert "/web/login" in page.url
    page.close()


def test_admin_makes_an_account_and_adds_it_to_a_workspace(browser: Any, live: Live) -> None:
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(EXPECT_MS)
    login(page, live)
    page.fill("#nu-name", "dana")
    page.fill("#nu-pass", "dana-password-1")
    page.click("#new-user button[type=submit]")
    page.locator("#toast", has_text="Account dana created").wait_for()
    page.goto(live.url + "/web/w/templates")
    page.wait_for_load_state()
    page.click("details.card summary")
    page.fill("#m-user", "dana")
    page.select_option("#m-role", "commenter")
    page.click("#add-member button[type=submit]")
    page.locator("#members", has_text="dana: commenter").wait_for()
    page.click("#logout")
    page.wait_for_url(live.url + "/web/login")
    page.fill("#username", "dana")
    page.fill("#password", "dana-password-1")
    page.click("#login-form button[type=submit]")
    page.wait_for_url(live.url + "/web/")
    assert "you are commenter" in page.inner_text(".ws-list")
    page.goto(live.url + "/web/w/templates/b/hotel-stay")
    assert page.locator("nav.tabs >> text=Edit").count() == 0  # commenters review, they do not edit
    context.close()


def test_design_edit_save_review(browser: Any, live: Live) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.set_default_timeout(EXPECT_MS)
    login(page, live)

    # A workspace of one's own, then a blueprint from a template.
    page.fill("#ws-title", "Clinic team")
    assert page.input_value("#ws-slug") == "clinic-team"
    page.click("#new-workspace button[type=submit]")
    page.wait_for_url(live.url + "/web/w/clinic-team")
    page.click("text=New blueprint")
    page.wait_for_url(live.url + "/web/w/clinic-team/new")
    page.wait_for_load_state()
    page.click("li.tpl:has(input[value='clinic-visit']) .tpl-title")
    assert page.is_checked("input[value='clinic-visit']")
    assert page.input_value("#bp-title") == "Orthopaedic outpatient clinic visit"
    page.fill("#bp-title", "Knee clinic")
    assert page.input_value("#bp-name") == "knee-clinic"
    page.click("#new-blueprint button[type=submit]")
    page.wait_for_url(live.url + "/web/w/clinic-team/b/knee-clinic/edit")
    page.wait_for_selector("#canvas svg g.action[data-id='examine']")
    assert page.inner_text("#save-state").startswith("Version 1")

    # Add a step at the end and name it; then an action in its customer lane.
    page.click("#b-add-step")
    page.wait_for_selector("#f-step-name")
    page.fill("#f-step-name", "Pay the parking")
    page.press("#f-step-name", "Tab")
    page.select_option("#f-step-lane", "customer")
    page.click("#b-step-add-action")
    page.wait_for_selector("#f-text")
    page.fill("#f-text", "Pays for parking at the machine")
    page.press("#f-text", "Tab")
    page.locator("#canvas g.action[data-id='new_action']", has_text="Pays for parking").wait_for()
    assert "Unsaved changes" in page.inner_text("#save-state")

    # Connect the last frontstage action to the new one with a labelled, two-way flow.
    page.click("#canvas g.action[data-id='book_slot']")
    page.click("#b-connect")
    assert "pick the target" in page.inner_text("#mode")
    page.click("#canvas g.action[data-id='new_action']")
    page.wait_for_selector("#f-flow-label")
    page.fill("#f-flow-label", "parking ticket")
    page.press("#f-flow-label", "Tab")
    page.check("#f-flow-two")
    page.wait_for_selector("#canvas path.flow[data-from='book_slot'][data-to='new_action'][marker-start]")

    # A wrong duration is an error on the diagram and in the list; fixing it clears both.
    page.click("#canvas g.action[data-id='new_action']")
    page.fill("#f-duration", "three minutes")
    page.press("#f-duration", "Tab")
    page.wait_for_selector("#canvas g.action.f-error[data-id='new_action']")
    snap(page, "editor-finding")
    finding = page.locator("#findings li.error").first
    assert "three minutes" in finding.inner_text() or "duration" in finding.inner_text().lower()
    page.fill("#f-duration", "3 min")
    page.press("#f-duration", "Tab")
    page.wait_for_selector("#canvas g.action.f-error", state="detached")
    assert page.locator("#findings li.error").count() == 0

    # Undo and redo the fix, through the keyboard, with the canvas focused.
    page.focus("#canvas g.action[data-id='new_action']")
    page.keyboard.press("Control+z")
    page.wait_for_selector("#canvas g.action.f-error[data-id='new_action']")
    page.keyboard.press("Control+Shift+z")
    page.wait_for_selector("#canvas g.action.f-error", state="detached")

    # Save with a message.
    page.keyboard.press("Control+s")
    page.fill("#save-msg", "parking at the end of the visit")
    page.click("#save-form button[type=submit]")
    page.locator("#save-state", has_text="Version 2, saved").wait_for()
    stored = page.request.get(live.url + "/api/workspaces/clinic-team/blueprints/knee-clinic").json()
    assert stored["version"] == 2
    assert "Pays for parking at the machine" in stored["text"]
    assert re.search(r"from: book_slot, to: new_action, two_way: true.*label: parking ticket", stored["text"])

    # History: the new version with its message, and the visual diff of the two versions.
    page.click("nav.tabs >> text=History")
    page.wait_for_selector("#versions li[data-version='2']")
    assert "parking at the end of the visit" in page.inner_text("#versions li[data-version='2']")
    page.wait_for_selector("#diff-picture svg")
    snap(page, "history-diff")
    assert "new_action" in page.inner_html("#diff-picture") or "Pays for parking" in page.inner_text("#diff-picture")
    assert "Pays for parking" in page.inner_text("#diff-text")

    # Review: a comment on the new action shows in its thread and on the drawing.
    page.click("nav.tabs >> text=Review")
    page.wait_for_selector("#canvas svg g.action[data-id='new_action']")
    page.select_option("#c-action", "new_action")
    page.fill("#c-body", "Is the machine by the exit or the entrance?")
    page.click("#comment-form button[type=submit]")
    page.wait_for_selector("#threads li >> text=Is the machine by the exit")
    page.wait_for_selector("#canvas g.action.has-comments[data-id='new_action']")
    snap(page, "review-comment")
    threads = page.request.get(live.url + "/api/workspaces/clinic-team/blueprints/knee-clinic/comments").json()
    assert threads[0]["action_id"] == "new_action"

    # Export: the PNG download is a PNG.
    page.click("#t-export")
    with page.expect_download() as info:
        page.click("#p-export a:has-text('PNG')")
    path = info.value.path()
    with open(path, "rb") as f:
        assert f.read(8) == b"\x89PNG\r\n\x1a\n"
    assert errors == []
    page.close()


def new_blueprint(page: Any, live: Live, name: str, template: str = "bike-repair-current") -> str:
    """Create ``name`` in the templates workspace through the API (as the gallery does)."""
    text = page.request.get(f"{live.url}/web/gallery/{template}.yaml").text()
    csrf = page.request.post(f"{live.url}/api/session", data={"username": live.user, "password": live.password})
    token = csrf.json()["csrf_token"]
    r = page.request.post(f"{live.url}/api/workspaces/templates/blueprints", data={"name": name, "text": text},
                          headers={"X-CSRF-Token": token})
    assert r.status == 201, r.text()
    return f"{live.url}/web/w/templates/b/{name}"


def test_yaml_tab_conflicting_saves_and_restore(browser: Any, live: Live) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.set_default_timeout(EXPECT_MS)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    login(page, live)
    base = new_blueprint(page, live, "bikes")
    page.goto(base + "/edit")
    page.wait_for_selector("#canvas svg g.action[data-id='greet']")

    # YAML → canvas: a typed change shows on the drawing and in the panel.
    page.click("#t-yaml")
    page.wait_for_selector(".cm-content")
    page.click(".cm-content")
    page.keyboard.press("Control+End")
    page.keyboard.type("\ntags: [walk-in]\n")
    page.click("#t-diagram")
    page.locator("#f-bp-tags[value='walk-in']").wait_for()

    # Canvas → YAML: a panel edit is in the text.
    page.click("#canvas g.action[data-id='greet']")
    page.fill("#f-text", "Greets the customer by name")
    page.press("#f-text", "Tab")
    page.locator("#canvas g.action[data-id='greet']", has_text="by name").wait_for()
    page.click("#t-yaml")
    page.click(".cm-content")
    page.keyboard.press("Control+Home")  # CodeMirror draws only the lines in view
    page.locator(".cm-content", has_text="Greets the customer by name").wait_for()
    page.click("#t-diagram")

    # Drag an action onto another cell: it moves there.
    page.click("#b-zoom-fit")
    source = page.locator("#canvas g.action[data-id='greet'] rect.box").bounding_box()
    target = page.locator("#canvas g.action[data-id='check_parts'] rect.box").bounding_box()
    assert source and target
    page.mouse.move(source["x"] + source["width"] / 2, source["y"] + source["height"] / 2)
    page.mouse.down()
    page.mouse.move(target["x"] + target["width"] / 2, target["y"] + target["height"] - 2, steps=8)
    page.mouse.up()
    page.wait_for_selector("#canvas g.action[data-id='greet'][data-lane='backstage']")
    page.keyboard.press("Control+z")
    page.wait_for_selector("#canvas g.action[data-id='greet'][data-lane='frontstage']")

    # Someone else saves first: the save reports the conflict; saving over it works.
    other = context.new_page()
    other.goto(base + "/edit")
    other.wait_for_selector("#canvas svg g.action[data-id='greet']")
    other.click("#canvas g.action[data-id='describe']")
    other.fill("#f-duration", "4 min")
    other.press("#f-duration", "Tab")
    other.locator("#save-state", has_text="Unsaved").wait_for()
    other.click("#b-save")
    other.fill("#save-msg", "describe takes longer")
    other.click("#save-form button[type=submit]")
    other.locator("#save-state", has_text="Version 2, saved").wait_for()
    page.click("#b-save")
    page.fill("#save-msg", "friendlier greeting")
    page.click("#save-form button[type=submit]")
    page.locator("#save-error", has_text="Someone saved version 2").wait_for()
    page.click("#save-error >> text=Save mine over it")
    page.locator("#save-state", has_text="Version 3, saved").wait_for()
    stored = page.request.get(live.url + "/api/workspaces/templates/blueprints/bikes").json()
    assert stored["version"] == 3 and "Greets the customer by name" in stored["text"]
    assert "walk-in" in stored["text"]

    # History: restore version 1 as version 4.
    page.once("dialog", lambda d: d.accept())
    page.goto(base + "/history")
    page.wait_for_selector("#versions li[data-version='3']")
    page.click("#versions li[data-version='1'] >> text=Restore")
    page.wait_for_selector("#versions li[data-version='4']")
    assert "restores version 1" in page.inner_text("#versions li[data-version='4']")
    restored = page.request.get(live.url + "/api/workspaces/templates/blueprints/bikes").json()
    assert "Greets the customer by name" not in restored["text"]

    # Review: a what-if simulation with one more mechanic draws the utilisation heatmap.
    page.goto(base + "/review")
    page.wait_for_selector("#canvas svg g.action")
    page.click("#t-sim")
    page.fill("#sim-mechanic", "4")
    page.fill("#sim-days", "2")
    page.fill("#sim-reps", "2")
    page.click("#sim-form button[type=submit]")
    page.wait_for_selector("#sim-result table.heat", timeout=90_000)
    snap(page, "review-simulation")
    assert "mechanic=4" in page.inner_text("#sim-note")
    assert errors == []
    context.close()


def test_keyboard_steps_and_phases(browser: Any, live: Live) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.set_default_timeout(EXPECT_MS)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    login(page, live)
    base = new_blueprint(page, live, "keys", "it-helpdesk")
    page.goto(base + "/edit")
    page.wait_for_selector("#canvas svg g.action")

    # Tab to the first action, Enter selects it, A adds one after it, typed text names it.
    page.focus("#canvas g.action")
    page.keyboard.press("Enter")
    selected = page.get_attribute("#canvas g.action.selected", "data-id")
    page.keyboard.press("a")
    page.wait_for_selector("#f-text:focus")
    page.keyboard.type("Checks the ticket queue")
    page.keyboard.press("Tab")
    page.locator("#canvas g.action[data-id='new_action']", has_text="Checks the ticket queue").wait_for()
    lane = page.get_attribute(f"#canvas g.action[data-id='{selected}']", "data-lane")
    assert page.get_attribute("#canvas g.action[data-id='new_action']", "data-lane") == lane

    # Alt+→ moves it to the next step; Delete removes it; Ctrl+Z brings it back.
    page.focus("#canvas g.action[data-id='new_action']")
    page.keyboard.press("Enter")
    steps = page.eval_on_selector_all("#f-step option", "els => els.map((e) => e.value)")
    before = steps.index(page.input_value("#f-step"))
    page.keyboard.press("Alt+ArrowRight")
    page.locator(f"#f-step option[value='{steps[before + 1]}'][selected]").wait_for(state="attached")
    assert page.input_value("#f-step") == steps[before + 1]
    page.focus("#canvas g.action[data-id='new_action']")
    page.keyboard.press("Delete")
    page.wait_for_selector("#canvas g.action[data-id='new_action']", state="detached")
    page.keyboard.press("Control+z")
    page.wait_for_selector("#canvas g.action[data-id='new_action']")

    # S adds a step after the selected one; the step panel puts it into a new phase.
    page.keyboard.press("Escape")
    page.fill("#f-new-phase", "Afterwards")
    page.click("text=Add phase")
    page.locator("#props", has_text="Afterwards: no steps").wait_for()
    page.click("#canvas g.action[data-id='new_action']")
    page.keyboard.press("s")
    page.wait_for_selector("#f-step-name:focus")
    page.keyboard.type("Follow up")
    page.keyboard.press("Tab")
    page.select_option("#f-step-phase", "Afterwards")
    page.locator("#canvas svg text", has_text="Follow up").first.wait_for()
    page.locator("#canvas svg text", has_text="Afterwards").first.wait_for()
    assert errors == []
    context.close()
