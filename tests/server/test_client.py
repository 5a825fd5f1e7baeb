"""The CLI's client side: login, push, pull (against a live server on loopback), dump and restore."""

from __future__ import annotations

import json
import socket
import stat
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from _server_kit import ADMIN_PASSWORD, CLINIC, fast_settings

from _cli_runner import run
from service_blueprint.server.app import create_app
from service_blueprint.server.client import blueprint_name, normalise
from service_blueprint.server.serve import address, bind, prepare


@pytest.fixture
def live(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A real server on 127.0.0.1 (a free port), with an admin and the seeded templates."""
    monkeypatch.setenv("BLUEPRINT_CONFIG", str(tmp_path / "cfg" / "servers.json"))
    settings = fast_settings(tmp_path / "data")
    prepared = prepare(settings, admin="admin", admin_password=ADMIN_PASSWORD, seed=True)
    sock = bind("127.0.0.1", 0)
    server = uvicorn.Server(uvicorn.Config(create_app(settings, prepared.state), log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    for _ in range(200):
        if server.started:
            break
        time.sleep(0.05)
    assert server.started
    try:
        yield address(sock)
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        sock.close()


def test_login_push_pull_round_trip(live: str, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("BLUEPRINT_PASSWORD", ADMIN_PASSWORD)
    code, out, err = run(["login", live, "--user", "admin"], capsys)
    assert code == 0, err
    assert "workspace 'templates'" in out
    cfg = tmp_path / "cfg" / "servers.json"
    assert stat.S_IMODE(cfg.stat().st_mode) == 0o600
    assert json.loads(cfg.read_text())["servers"][live]["token"].startswith("sbp_")

    code, out, err = run(["pull", "clinic-visit"], capsys)
    assert code == 0, err
    local = tmp_path / "clinic-visit.blueprint.yaml"
    assert local.read_text() == CLINIC
    code, out, _ = run(["push", str(local)], capsys)
    assert (code, out.strip()) == (0, "templates/clinic-visit: unchanged")
    local.write_text(CLINIC.replace("title:", "title: Mine", 1))
    code, out, err = run(["push", str(local), "-m", "my change"], capsys)
    assert code == 0, err
    assert "saved version 2" in out

    # someone else (another machine: another config) saves version 3
    mine = str(cfg)
    monkeypatch.setenv("BLUEPRINT_CONFIG", str(tmp_path / "theirs" / "servers.json"))
    assert run(["login", live, "--user", "admin"], capsys)[0] == 0
    other = tmp_path / "other.yaml"
    code, _, err = run(["pull", "clinic-visit", "-o", str(other)], capsys)
    assert code == 0, err
    other.write_text(CLINIC.replace("title:", "title: Theirs", 1))
    code, _, err = run(["push", str(other), "--name", "clinic-visit", "-m", "their change"], capsys)
    assert code == 0, err
    # my next push, from version 2, is refused with what changed
    monkeypatch.setenv("BLUEPRINT_CONFIG", mine)
    local.write_text(CLINIC.replace("title:", "title: Mine again", 1))
    code, out, err = run(["push", str(local)], capsys)
    assert code == 2
    assert "changed on the server" in err and "their change" in err
    # pulling would overwrite my unpushed edit: refused unless --force
    code, _, err = run(["pull", "clinic-visit"], capsys)
    assert code == 2 and "never pushed" in err
    code, out, err = run(["pull", "clinic-visit", "--force"], capsys)
    assert code == 0 and "version 3" in out
    assert "Theirs" in local.read_text()
    # an old version can be pulled to another file
    code, out, _ = run(["pull", "clinic-visit", "--version", "1", "-o", str(tmp_path / "v1.yaml")], capsys)
    assert code == 0 and (tmp_path / "v1.yaml").read_text() == CLINIC


def test_push_new_file_and_errors(live: str, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BLUEPRINT_PASSWORD", ADMIN_PASSWORD)
    assert run(["login", live, "--user", "admin", "--workspace", "templates"], capsys)[0] == 0
    new = tmp_path / "My Draft.blueprint.yaml"
    new.write_text(CLINIC.replace("blueprint: 1", "blueprint: 1\nsate: current", 1))
    code, out, err = run(["push", str(new)], capsys)
    assert code == 1  # saved, but the checker found errors
    assert "created version 1" in out and "error" in err
    exists = tmp_path / "clinic-visit.blueprint.yaml"
    exists.write_text(CLINIC + "\n")
    code, _, err = run(["push", str(exists)], capsys)
    assert code == 2 and "never pulled" in err
    code, out, _ = run(["push", str(exists), "--force"], capsys)
    assert code == 0 and "version 2" in out
    garbage = tmp_path / "garbage.yaml"
    garbage.write_text("blueprint: [")
    code, _, err = run(["push", str(garbage)], capsys)
    assert code == 2 and "refused" in err
    assert run(["push", str(tmp_path / "missing.yaml")], capsys)[0] == 2
    assert run(["pull", "no-such-blueprint"], capsys)[0] == 2


def test_login_failures(live: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BLUEPRINT_PASSWORD", "wrong-password")
    code, _, err = run(["login", live, "--user", "admin"], capsys)
    assert code == 2 and "refused the credentials" in err
    code, _, err = run(["login", "ftp://example.org"], capsys)
    assert code == 2 and "not a server address" in err
    code, _, err = run(["login", "http://192.0.2.1", "--token", "x"], capsys)
    assert code == 2 and "plain HTTP" in err
    with socket.socket() as s:  # a closed port on this machine
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    code, _, err = run(["login", f"http://127.0.0.1:{port}", "--token", "x"], capsys)
    assert code == 2 and "cannot reach" in err
    code, _, err = run(["login", live, "--token", "sbp_forged"], capsys)
    assert code == 2
    assert run(["push", "x.yaml", "--url", "https://never.example"], capsys)[0] == 2


def test_dump_and_restore_commands(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "data"
    prepare(fast_settings(data), admin="admin", admin_password=ADMIN_PASSWORD, seed=True).state.db.dispose()
    backup = tmp_path / "b.json.gz"
    code, out, err = run(["dump", str(backup), "--data", str(data)], capsys)
    assert code == 0, err
    assert "11 blueprints" in out
    code, out, err = run(["restore", str(backup), "--data", str(tmp_path / "new")], capsys)
    assert code == 0, err
    assert "11 versions" in out
    code, _, err = run(["restore", str(backup), "--data", str(tmp_path / "new")], capsys)
    assert code == 2 and "not empty" in err
    code, _, err = run(["restore", str(tmp_path / "missing.json"), "--data", str(tmp_path / "n2")], capsys)
    assert code == 2


def test_serve_refuses_a_busy_port(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen(1)
        port = s.getsockname()[1]
        code, _, err = run(["serve", "--data", str(tmp_path / "d"), "--port", str(port)], capsys)
    assert code == 2 and "cannot listen" in err
    code, _, err = run(["serve", "--data", str(tmp_path / "d"), "--seed-templates"], capsys)
    assert code == 2 and "--init-admin" in err
    code, _, err = run(["serve", "--database", "mysql://x/y"], capsys)
    assert code == 2 and "unsupported database" in err


def test_names_and_addresses() -> None:
    assert blueprint_name(Path("Clinic Visit.blueprint.yaml")) == "clinic-visit"
    assert blueprint_name(Path("a.yml")) == "a"
    assert normalise("https://h.example/x/") == "https://h.example/x"
    assert normalise("http://localhost:8000") == "http://localhost:8000"
