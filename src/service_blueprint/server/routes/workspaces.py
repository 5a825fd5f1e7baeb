"""Workspaces, their members and roles, and their audit log."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Path, Query
from sqlalchemy import func, select

from ..access import CurrentActor, Owner, Viewer, server_state
from ..models import AuditEvent, Membership, Role, User, Workspace
from ..schemas import USERNAME_PATTERN, AuditOut, MemberIn, MemberOut, WorkspaceIn, WorkspaceOut
from ..state import ServerState
from ..store import audit, usernames

router = APIRouter(prefix="/api/workspaces", tags=["workspaces"])
State = Annotated[ServerState, Depends(server_state)]
Username = Annotated[str, Path(min_length=1, max_length=64, pattern=USERNAME_PATTERN)]


@router.get("", response_model=list[WorkspaceOut])
def list_workspaces(who: CurrentActor, st: State) -> list[WorkspaceOut]:
    """The workspaces you are a member of, with your role in each."""
    with st.db.reading() as s:
        rows = s.execute(select(Workspace, Membership.role).join(Membership, Membership.workspace_id == Workspace.id)
                         .where(Membership.user_id == who.user_id).order_by(Workspace.slug))
        return [WorkspaceOut(slug=w.slug, title=w.title, role=Role(r), created_at=w.created_at) for w, r in rows]


@router.post("", response_model=WorkspaceOut, status_code=201, responses={409: {}})
def create_workspace(body: WorkspaceIn, who: CurrentActor, st: State) -> WorkspaceOut:
    """Create a workspace; you become its owner."""
    with st.db.writing() as s:
        if s.scalar(select(Workspace.id).where(Workspace.slug == body.slug)) is not None:
            raise HTTPException(409, f"a workspace named '{body.slug}' exists already")
        ws = Workspace(slug=body.slug, title=body.title or body.slug)
        s.add(ws)
        s.flush()
        s.add(Membership(workspace_id=ws.id, user_id=who.user_id, role=Role.owner.value))
        audit(s, "workspace.create", user_id=who.user_id, workspace_id=ws.id, target=ws.slug)
        s.flush()
        return WorkspaceOut(slug=ws.slug, title=ws.title, role=Role.owner, created_at=ws.created_at)


@router.get("/{ws}", response_model=WorkspaceOut, responses={404: {}})
def get_workspace(acc: Viewer, st: State) -> WorkspaceOut:
    with st.db.reading() as s:
        ws = s.get(Workspace, acc.workspace_id)
        assert ws is not None
        return WorkspaceOut(slug=ws.slug, title=ws.title, role=acc.role, created_at=ws.created_at)


@router.get("/{ws}/members", response_model=list[MemberOut], responses={404: {}})
def list_members(acc: Viewer, st: State) -> list[MemberOut]:
    with st.db.reading() as s:
        rows = s.execute(select(User.username, Membership.role).join(Membership, Membership.user_id == User.id)
                         .where(Membership.workspace_id == acc.workspace_id).order_by(User.username))
        return [MemberOut(username=u, role=Role(r)) for u, r in rows]


def _owners(s: object, workspace_id: int) -> int:
    from sqlalchemy.orm import Session

    assert isinstance(s, Session)
    return s.scalar(select(func.count()).select_from(Membership).where(
        Membership.workspace_id == workspace_id, Membership.role == Role.owner.value)) or 0


@router.put("/{ws}/members/{username}", response_model=MemberOut, responses={403: {}, 404: {}, 422: {}})
def set_member(username: Username, body: MemberIn, acc: Owner, st: State) -> MemberOut:
    """Add a user to the workspace or change their role (owners only)."""
    with st.db.writing() as s:
        user = s.scalar(select(User).where(User.username == username))
        if user is None:
            raise HTTPException(404, f"no user named '{username}'")
        row = s.get(Membership, (acc.workspace_id, user.id))
        if row is None:
            s.add(Membership(workspace_id=acc.workspace_id, user_id=user.id, role=body.role.value))
        else:
            if row.role == Role.owner.value and body.role is not Role.owner and _owners(s, acc.workspace_id) <= 1:
                raise HTTPException(422, "a workspace needs at least one owner")
            row.role = body.role.value
        audit(s, "member.set", user_id=acc.actor.user_id, workspace_id=acc.workspace_id, target=username,
              detail={"role": body.role.value})
    return MemberOut(username=username, role=body.role)


@router.delete("/{ws}/members/{username}", status_code=204, responses={403: {}, 404: {}, 422: {}})
def remove_member(username: Username, acc: Owner, st: State) -> None:
    """Remove a member (owners only); the last owner cannot be removed."""
    with st.db.writing() as s:
        user = s.scalar(select(User).where(User.username == username))
        row = s.get(Membership, (acc.workspace_id, user.id)) if user is not None else None
        if row is None:
            raise HTTPException(404, f"'{username}' is not a member")
        if row.role == Role.owner.value and _owners(s, acc.workspace_id) <= 1:
            raise HTTPException(422, "a workspace needs at least one owner")
        s.delete(row)
        audit(s, "member.remove", user_id=acc.actor.user_id, workspace_id=acc.workspace_id, target=username)


@router.get("/{ws}/audit", response_model=list[AuditOut], responses={403: {}, 404: {}})
def audit_log(acc: Owner, st: State, before: Annotated[int | None, Query(ge=1)] = None,
              limit: Annotated[int, Query(ge=1, le=1000)] = 100) -> list[AuditOut]:
    """The workspace's audit log, newest first (owners only); page with ``before`` (an event id)."""
    with st.db.reading() as s:
        q = select(AuditEvent).where(AuditEvent.workspace_id == acc.workspace_id)
        if before is not None:
            q = q.where(AuditEvent.id < before)
        events = list(s.scalars(q.order_by(AuditEvent.id.desc()).limit(limit)))
        names = usernames(s, {e.user_id for e in events})
        return [AuditOut(id=e.id, at=e.at, user=names.get(e.user_id) if e.user_id else None, action=e.action,
                         target=e.target, detail=e.detail) for e in events]
