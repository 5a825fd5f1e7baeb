"""Every page at 1280×800 and on a narrow phone screen: no script errors, nothing wider than
the screen, every form control labelled. Screenshots go to ``$BLUEPRINT_SCREENSHOTS`` when it is
set (to look at them), else to the test's temporary folder."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.browser
SIZES = {"wide": (1280, 800), "narrow": (390, 844)}
PAGES = {
    "workspaces": "/web/",
    "list": "/web/w/templates",
    "gallery": "/web/w/templates/new",
    "view": "/web/w/templates/b/hotel-stay",
    "editor": "/web/w/templates/b/hotel-stay/edit",
    "history": "/web/w/templates/b/hotel-stay/history",
    "review": "/web/w/templates/b/hotel-stay/review",
}
# Controls whose name comes from a label, aria-label or aria-labelledby; CodeMirror's own
# content element is labelled through its contentAttributes.
UNLABELLED = """() => Array.from(document.querySelectorAll('input:not([type=hidden]), select, textarea, button'))
  .filter((el) => el.offsetParent !== null)
  .filter((el) => !(el.labels && el.labels.length) && !el.getAttribute('aria-label')
    && !el.getAttribute('aria-labelledby') && !(el.tagName === 'BUTTON' && el.textContent.trim()))
  .map((el) => el.outerHTML.slice(0, 80))"""


def shots_dir(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("BLUEPRINT_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.mark.parametrize("size", sorted(SIZES))
def test_every_page_fits_and_is_labelled(browser: Any, live: Any, size: str, tmp_path: Path) -> None:
    width, height = SIZES[size]
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    folder = shots_dir(tmp_path)
    page.goto(live.url + "/web/login")
    page.screenshot(path=str(folder / f"login-{size}.png"))
    page.fill("#username", live.user)
    page.fill("#password", live.password)
    page.click("#login-form button[type=submit]")
    page.wait_for_url(live.url + "/web/")
    for name, path in PAGES.items():
        page.goto(live.url + path)
        if name in ("editor", "review"):
            page.wait_for_selector("#canvas svg g.action")
        if name == "history":
            page.wait_for_selector("#versions li")
        page.wait_for_load_state("networkidle")
        page.screenshot(path=str(folder / f"{name}-{size}.png"))
        overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, f"{name} is {overflow}px wider than a {width}px screen"
        assert page.evaluate(UNLABELLED) == [], f"{name} has controls without a name"
    page.goto(live.url + PAGES["editor"])
    page.wait_for_selector("#canvas svg g.action")
    page.click("#t-yaml")
    page.wait_for_selector(".cm-content")
    page.screenshot(path=str(folder / f"editor-yaml-{size}.png"))
    page.goto(live.url + PAGES["review"])
    page.click("#t-analysis")
    page.wait_for_selector("#analysis table")
    page.screenshot(path=str(folder / f"review-analysis-{size}.png"), full_page=True)
    assert errors == []
    context.close()
