"""What the blueprint list shows about each blueprint, read from its newest version.

The list filters by state, scenario and health, which live in the text, not in the database
columns; reading a version is a pure function of its text, so the summary is cached by the
version's content hash and each version is read at most once per process.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...loader import parse_document
from ..models import StoredBlueprint, Version
from ..store import file_name, usernames


@dataclass(frozen=True)
class Facts:
    state: str
    customer: str
    steps: int
    actions: int
    tags: tuple[str, ...]


@dataclass(frozen=True)
class Entry:
    name: str
    title: str
    version: int
    updated_at: datetime
    author: str | None
    errors: int
    warnings: int
    facts: Facts


@lru_cache(maxsize=2048)
def _facts(sha256: str, text: str, name: str) -> Facts:
    bp = parse_document(text, file_name(name)).blueprint
    if bp is None:
        return Facts("", "", 0, 0, ())
    return Facts(bp.state or "", bp.scenario.customer or "", len(bp.steps), sum(1 for _ in bp.actions()), bp.tags)


def entries(s: Session, workspace_id: int) -> list[Entry]:
    """Every blueprint of a workspace with its newest version's facts, by name."""
    rows = s.execute(select(StoredBlueprint, Version).join(
        Version, (Version.blueprint_id == StoredBlueprint.id) & (Version.number == StoredBlueprint.head))
        .where(StoredBlueprint.workspace_id == workspace_id).order_by(StoredBlueprint.name)).all()
    names = usernames(s, {v.author_id for _, v in rows})
    return [Entry(b.name, v.title or b.name, v.number, v.created_at, names.get(v.author_id or 0), v.errors,
                  v.warnings, _facts(v.sha256, v.text, b.name)) for b, v in rows]
