"""Comment threads on a blueprint, anchored to action ids, resolvable."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query
from sqlalchemy import select

from ...loader import parse_document
from ..access import Commenter, Viewer
from ..models import Comment, now
from ..schemas import CommentIn, CommentOut, ThreadOut
from ..store import audit, file_name, find_blueprint, get_version, usernames
from .common import BlueprintName, Id, State, refusals

router = APIRouter(prefix="/api/workspaces/{ws}/blueprints/{name}/comments", tags=["comments"])


def _out(c: Comment, names: dict[int, str]) -> CommentOut:
    return CommentOut(id=c.id, thread_id=c.thread_id or c.id, action_id=c.action_id, version=c.version,
                      author=names.get(c.author_id) if c.author_id else None, body=c.body, created_at=c.created_at,
                      resolved=c.resolved_at is not None, resolved_at=c.resolved_at,
                      resolved_by=names.get(c.resolved_by) if c.resolved_by else None)


def _threads(rows: list[Comment], names: dict[int, str]) -> list[ThreadOut]:
    threads: dict[int, list[Comment]] = {}
    for c in rows:
        threads.setdefault(c.thread_id or c.id, []).append(c)
    out = []
    for tid, items in threads.items():
        first = items[0]
        out.append(ThreadOut(id=tid, action_id=first.action_id, resolved=first.resolved_at is not None,
                             comments=[_out(c, names) for c in items]))
    return out


@router.get("", response_model=list[ThreadOut], responses={404: {}})
def list_threads(name: BlueprintName, acc: Viewer, st: State,
                 action: Annotated[str | None, Query(max_length=200, description="Only threads on this action.")] = None,
                 resolved: Annotated[bool | None, Query(description="Only resolved (true) or open (false) threads.")]
                 = None) -> list[ThreadOut]:
    """Comment threads, oldest first, each with its replies in order."""
    with refusals(), st.db.reading() as s:
        bp = find_blueprint(s, acc.workspace_id, name)
        rows = list(s.scalars(select(Comment).where(Comment.blueprint_id == bp.id).order_by(Comment.id)))
        names = usernames(s, {c.author_id for c in rows} | {c.resolved_by for c in rows})
    threads = _threads(rows, names)
    if action is not None:
        threads = [t for t in threads if t.action_id == action]
    if resolved is not None:
        threads = [t for t in threads if t.resolved == resolved]
    return threads


@router.post("", response_model=CommentOut, status_code=201, responses={403: {}, 404: {}, 422: {}})
def add_comment(name: BlueprintName, body: CommentIn, acc: Commenter, st: State) -> CommentOut:
    """Start a thread (optionally on an action of the current version) or reply to one."""
    with refusals(), st.db.writing() as s:
        bp = find_blueprint(s, acc.workspace_id, name)
        thread: int | None = None
        action_id = body.action_id
        if body.reply_to is not None:
            parent = s.scalar(select(Comment).where(Comment.id == body.reply_to, Comment.blueprint_id == bp.id))
            if parent is None:
                raise HTTPException(404, f"no comment {body.reply_to} on this blueprint")
            thread = parent.thread_id or parent.id
            root = s.get(Comment, thread)
            action_id = root.action_id if root is not None else None
        elif action_id is not None:
            doc = parse_document(get_version(s, bp).text, file_name(name))
            if doc.blueprint is None or action_id not in doc.blueprint.action_index:
                raise HTTPException(422, f"the current version has no action '{action_id}'")
        c = Comment(blueprint_id=bp.id, thread_id=thread, action_id=action_id, version=bp.head,
                    author_id=acc.actor.user_id, body=body.body)
        s.add(c)
        s.flush()
        if c.thread_id is None:
            c.thread_id = c.id
        audit(s, "comment.add", user_id=acc.actor.user_id, workspace_id=acc.workspace_id, target=name,
              detail={"comment": c.id, "thread": c.thread_id, "action": action_id})
        s.flush()
        return _out(c, {acc.actor.user_id: acc.actor.username})


def _set_resolved(name: str, thread: Id, acc: Commenter, st: State, resolved: bool) -> ThreadOut:
    with refusals(), st.db.writing() as s:
        bp = find_blueprint(s, acc.workspace_id, name)
        root = s.scalar(select(Comment).where(Comment.id == thread, Comment.blueprint_id == bp.id))
        if root is None or (root.thread_id or root.id) != root.id:
            raise HTTPException(404, f"no thread {thread} on this blueprint")
        root.resolved_at = now() if resolved else None
        root.resolved_by = acc.actor.user_id if resolved else None
        audit(s, "comment.resolve" if resolved else "comment.reopen", user_id=acc.actor.user_id,
              workspace_id=acc.workspace_id, target=name, detail={"thread": thread})
        s.flush()
        rows = list(s.scalars(select(Comment).where(Comment.blueprint_id == bp.id, Comment.thread_id == thread)
                              .order_by(Comment.id)))
        names = usernames(s, {c.author_id for c in rows} | {c.resolved_by for c in rows})
        return _threads(rows, names)[0]


@router.post("/{thread}/resolve", response_model=ThreadOut, responses={403: {}, 404: {}})
def resolve_thread(name: BlueprintName, thread: Id, acc: Commenter, st: State) -> ThreadOut:
    """Mark a thread resolved (any member who may comment)."""
    return _set_resolved(name, thread, acc, st, True)


@router.post("/{thread}/reopen", response_model=ThreadOut, responses={403: {}, 404: {}})
def reopen_thread(name: BlueprintName, thread: Id, acc: Commenter, st: State) -> ThreadOut:
    return _set_resolved(name, thread, acc, st, False)
