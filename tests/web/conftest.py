"""Fixtures for the browser tests: a live server on a free port and Debian's Chromium.

The server runs in-process (uvicorn in a thread) on a temporary data folder with one
administrator; Playwright drives ``/usr/bin/chromium`` through ``executable_path`` and never
downloads a browser. Without Chromium the tests are skipped with the install line
(``make test`` installs it first).
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import uvicorn

from service_blueprint.server import Settings, create_app
from service_blueprint.server.serve import address, bind, prepare

CHROMIUM = "/usr/bin/chromium"
ADMIN = "admin"
PASSWORD = "admin-password-1"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "browser: drives Chromium through Playwright against a live server")


@dataclass(frozen=True)
class Live:
    url: str
    data_dir: Path
    user: str = ADMIN
    password: str = PASSWORD


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    """A running server with an administrator (module-wide: starting one costs a second)."""
    data = tmp_path_factory.mktemp("web") / "data"
    settings = Settings(data_dir=data, argon2_time_cost=1, argon2_memory_kib=1024)
    prepared = prepare(settings, admin=ADMIN, admin_password=PASSWORD, seed=True)
    sock = bind("127.0.0.1", 0)
    app = create_app(settings, prepared.state)
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    try:
        yield Live(address(sock), data)
    finally:
        server.should_exit = True
        thread.join(timeout=20)
        sock.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"{CHROMIUM} is missing; install it with: apt-get install -y chromium (make test does)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        try:
            yield b
        finally:
            b.close()
