"""Starting a server process: prepare the database and first-run content, bind, serve.

The socket is bound before the address is announced, so the printed address always works
(and ``--port 0`` prints the port the system chose).
"""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass
from pathlib import Path

import uvicorn

from ..errors import UsageError
from .app import build_state, create_app
from .config import Settings, redact
from .seed import AdminResult, ensure_admin, seed_templates
from .state import ServerState

PASSWORD_FILE = "initial-admin-password"


@dataclass(frozen=True)
class Prepared:
    state: ServerState
    admin: AdminResult | None
    password_file: Path | None  # where a generated password was kept, while it exists
    seeded: int
    database: str


def prepare(settings: Settings, *, admin: str | None = None, admin_password: str | None = None,
            seed: bool = False) -> Prepared:
    """Migrate the database, make the first administrator and seed the templates, as asked.

    A generated administrator password is also written (mode 0600) to a file in the data
    folder, so that a person who missed the first message can still log in; delete the file
    after changing the password.
    """
    st = build_state(settings)
    made = ensure_admin(st, admin, admin_password) if admin else None
    pw_file = settings.data_dir / PASSWORD_FILE
    if made is not None and made.password is not None:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(pw_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(f"{made.username}\n{made.password}\n")
    seeded = 0
    if seed:
        if admin is None:
            raise UsageError("--seed-templates needs --init-admin (the templates' workspace needs an owner)")
        seeded = seed_templates(st, admin)
    return Prepared(st, made, pw_file if pw_file.exists() else None, seeded, redact(settings.url))


def bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # proto must say TCP: asyncio turns Nagle's algorithm off (TCP_NODELAY) only on sockets that
    # do, and with it on every small response waits ~40 ms for a delayed ACK.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise UsageError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def address(sock: socket.socket) -> str:
    host, port = sock.getsockname()[:2]
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}"


def run(prepared: Prepared, sock: socket.socket, *, log_level: str = "info") -> None:
    """Serve until interrupted (Ctrl+C or SIGTERM), then finish running requests and stop."""
    app = create_app(prepared.state.settings, prepared.state)
    config = uvicorn.Config(app, log_level=log_level, proxy_headers=False, server_header=False,
                            timeout_graceful_shutdown=10)
    uvicorn.Server(config).run(sockets=[sock])
