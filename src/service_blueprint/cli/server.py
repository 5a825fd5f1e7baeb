"""Server commands: ``serve``, ``login``, ``push``, ``pull``, ``dump`` and ``restore``.

The server's libraries (FastAPI, SQLAlchemy, httpx) are imported inside the commands, so the
other commands start without loading them.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from ..server.config import DATABASE_ENV, Settings
from .app import app
from .output import err, out, plural

_DATA = typer.Option("--data", help="Data folder (the SQLite database lives here).")
_DATABASE = typer.Option("--database", envvar=DATABASE_ENV, show_envvar=True,
                         help="PostgreSQL URL (postgresql://user:pass@host/db) instead of SQLite.")
_URL = typer.Option("--url", help="Server to use (default: the last one logged in to).")
_WORKSPACE = typer.Option("--workspace", "-w", help="Workspace (default: the one chosen at login).")
ADMIN_PASSWORD_ENV = "BLUEPRINT_ADMIN_PASSWORD"
PASSWORD_ENV = "BLUEPRINT_PASSWORD"


@app.command("serve", epilog="Example: blueprint serve --data ./blueprint-data --init-admin alice --port 8000")
def serve_cmd(
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", "-p", help="Port (0 picks a free one).", min=0, max=65535)] = 8000,
    data: Annotated[Path, _DATA] = Path("blueprint-data"),
    database: Annotated[str | None, _DATABASE] = None,
    init_admin: Annotated[str | None, typer.Option("--init-admin", metavar="NAME", help=(
        f"Create this administrator if missing; password from ${ADMIN_PASSWORD_ENV}, else generated "
        "and printed once."))] = None,
    seed_templates: Annotated[bool, typer.Option("--seed-templates", help=(
        "Put the bundled templates into a workspace 'templates' owned by --init-admin."))] = False,
    max_body: Annotated[int, typer.Option("--max-body", help="Largest request body in bytes.", min=1024)]
    = Settings.max_body_bytes,
) -> None:
    """Run the multi-user server: API, login pages, rendering, analysis and simulation jobs.

    The database is SQLite in the data folder unless --database or $BLUEPRINT_DATABASE_URL names
    a PostgreSQL one; its schema is migrated on start. Without --init-admin the first visitor
    creates the administrator on the one-time /setup page. Serves until interrupted (Ctrl+C).
    """
    from ..server.serve import address, bind, prepare, run

    settings = Settings(data_dir=data, database_url=database, max_body_bytes=max_body)
    prepared = prepare(settings, admin=init_admin, admin_password=os.environ.get(ADMIN_PASSWORD_ENV),
                       seed=seed_templates)
    sock = bind(host, port)
    out(f"database: {prepared.database}")
    if prepared.admin is not None and prepared.admin.created:
        shown = prepared.admin.password or f"from ${ADMIN_PASSWORD_ENV}"
        out(f"administrator '{prepared.admin.username}' created; password: {shown}")
    if prepared.password_file is not None:
        out(f"the generated administrator password is kept in {prepared.password_file} until you delete it")
    if prepared.seeded:
        out(f"seeded {plural(prepared.seeded, 'template')} into workspace 'templates'")
    url = address(sock)
    out(f"serving on {url}  (editor at {url}/web/, API described at {url}/openapi.json; Ctrl+C to stop)")
    run(prepared, sock)


@app.command("login", epilog="Example: blueprint login https://blueprints.example.org --user alice")
def login_cmd(
    url: Annotated[str, typer.Argument(help="The server's address.")],
    user: Annotated[str | None, typer.Option("--user", "-u", help="User name (asked if missing).")] = None,
    workspace: Annotated[str | None, _WORKSPACE] = None,
    token: Annotated[str | None, typer.Option("--token", help="Use this API token instead of a password.")] = None,
    allow_http: Annotated[bool, typer.Option("--allow-http", help="Allow plain HTTP to another machine.")] = False,
) -> None:
    """Log in to a server and keep a personal API token for push and pull.

    The password is asked (or read from $BLUEPRINT_PASSWORD); it is exchanged for a token, which is
    stored with the server's address in ~/.config/service-blueprint/servers.json (mode 0600).
    """
    from ..server.client import login, normalise

    normalise(url, allow_http=allow_http)  # a wrong address fails before any question is asked
    if token is None:
        user = user or typer.prompt("user name")
        password = os.environ.get(PASSWORD_ENV) or typer.prompt("password", hide_input=True)
    else:
        password = ""
    result = login(url, user or "", password, workspace=workspace, token=token, allow_http=allow_http)
    where = f"; workspace '{result.workspace}'" if result.workspace else (
        f"; choose a workspace with --workspace ({', '.join(result.workspaces)})" if result.workspaces else
        "; you are not a member of any workspace yet")
    out(f"logged in to {result.url} as {result.username}{where}")


@app.command("push", epilog='Example: blueprint push clinic.blueprint.yaml -m "shorter check-in"')
def push_cmd(
    file: Annotated[Path, typer.Argument(help="The blueprint file to save on the server.")],
    message: Annotated[str, typer.Option("--message", "-m", help="What changed (kept in the history).")] = "",
    name: Annotated[str | None, typer.Option("--name", help="Name on the server (default: from the file name).")]
    = None,
    workspace: Annotated[str | None, _WORKSPACE] = None,
    force: Annotated[bool, typer.Option("--force", help="Save even over versions you have not pulled.")] = False,
    url: Annotated[str | None, _URL] = None,
) -> None:
    """Save a file as the blueprint's next version (creating the blueprint if new).

    Refused when someone saved a newer version since your last pull or push: pull, merge, push.
    Exit codes: 0 saved (or unchanged); 1 saved but the checker found errors; 2 refused.
    """
    from ..server.client import push

    result = push(file, name=name, workspace=workspace, message=message, force=force, url=url)
    if result.version is None:
        out(f"{result.workspace}/{result.name}: unchanged")
        return
    errors = [f for f in result.findings if f["severity"] == "error"]
    for f in result.findings:
        if f["severity"] != "info":
            err(f"{file}:{f['line']}:{f['col']}: {f['severity']} {f['rule']} {f['message']}")
    verb = "created" if result.created else "saved"
    out(f"{result.workspace}/{result.name}: {verb} version {result.version}")
    if errors:
        raise typer.Exit(1)


@app.command("pull", epilog="Example: blueprint pull clinic -o clinic.blueprint.yaml")
def pull_cmd(
    name: Annotated[str, typer.Argument(help="The blueprint's name on the server.")],
    output: Annotated[Path | None, typer.Option("--output", "-o", help="File to write (default NAME.blueprint.yaml).")]
    = None,
    version: Annotated[int | None, typer.Option("--version", help="An older version (default: the newest).", min=1)]
    = None,
    workspace: Annotated[str | None, _WORKSPACE] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite a file with changes never pushed.")] = False,
    url: Annotated[str | None, _URL] = None,
) -> None:
    """Write a blueprint from the server to a file, remembering its version for the next push."""
    from ..server.client import pull

    result = pull(name, output=output, workspace=workspace, version=version, force=force, url=url)
    out(f"wrote {result.path} ({result.workspace}/{result.name} version {result.version})")


@app.command("dump", epilog="Example: blueprint dump backup.json.gz --data ./blueprint-data")
def dump_cmd(
    output: Annotated[Path, typer.Argument(help="Backup file (.json, or .json.gz compressed).")],
    data: Annotated[Path, _DATA] = Path("blueprint-data"),
    database: Annotated[str | None, _DATABASE] = None,
) -> None:
    """Back up a whole server (accounts, workspaces, every version, comments, audit log, jobs).

    Consistent while the server runs. The file holds password and token hashes: it is written
    readable by its owner only; keep it safe.
    """
    from ..server.backup import dump

    summary = dump(Settings(data_dir=data, database_url=database), output)
    out(f"wrote {summary.text()}")


@app.command("restore", epilog="Example: blueprint restore backup.json.gz --data ./new-data")
def restore_cmd(
    backup: Annotated[Path, typer.Argument(help="A file written by 'blueprint dump'.")],
    data: Annotated[Path, _DATA] = Path("blueprint-data"),
    database: Annotated[str | None, _DATABASE] = None,
) -> None:
    """Restore a backup into an empty server database (a new data folder or an empty PostgreSQL)."""
    from ..server.backup import restore

    summary = restore(Settings(data_dir=data, database_url=database), backup)
    out(f"restored {summary.text()}")
