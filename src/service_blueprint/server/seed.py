"""First-run content: the administrator from the command line, and the templates as blueprints."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from fastapi import HTTPException
from sqlalchemy import select

from ..errors import UsageError
from ..templates import list_templates, template_text
from .logins import create_user
from .models import Membership, Role, StoredBlueprint, User, Workspace
from .state import ServerState
from .store import audit, check_blueprint, create

TEMPLATES_WORKSPACE = "templates"


@dataclass(frozen=True)
class AdminResult:
    username: str
    created: bool
    password: str | None  # set only when this call made it up


def ensure_admin(st: ServerState, username: str, password: str | None) -> AdminResult:
    """Make ``username`` an administrator account if it does not exist yet.

    Without a password one is generated (and returned once, for the caller to show); an
    existing account is left exactly as it is.
    """
    with st.db.reading() as s:
        exists = s.scalar(select(User.id).where(User.username == username)) is not None
    if exists:
        return AdminResult(username, False, None)
    made_up = password is None
    password = password or secrets.token_urlsafe(12)
    try:
        create_user(st, username, password, admin=True, by=None)
    except HTTPException as exc:
        raise UsageError(f"cannot create administrator '{username}': {exc.detail}") from None
    return AdminResult(username, True, password if made_up else None)


def seed_templates(st: ServerState, owner: str, workspace: str = TEMPLATES_WORKSPACE) -> int:
    """Put every bundled template into ``workspace`` (created, owned by ``owner``) unless it is
    there already; returns how many were added. Running it again adds nothing."""
    with st.db.writing() as s:
        user = s.scalar(select(User).where(User.username == owner))
        if user is None:
            raise LookupError(f"no user named '{owner}'")
        ws = s.scalar(select(Workspace).where(Workspace.slug == workspace))
        if ws is None:
            ws = Workspace(slug=workspace, title="Templates")
            s.add(ws)
            s.flush()
            s.add(Membership(workspace_id=ws.id, user_id=user.id, role=Role.owner.value))
            audit(s, "workspace.create", user_id=user.id, workspace_id=ws.id, target=workspace)
        have = set(s.scalars(select(StoredBlueprint.name).where(StoredBlueprint.workspace_id == ws.id)))
        added = 0
        for t in list_templates():
            if t.name in have:
                continue
            checked = check_blueprint(template_text(t.name), t.name)
            create(s, ws.id, t.name, checked, "from the bundled template", user.id, "blueprint.seed")
            added += 1
    return added
