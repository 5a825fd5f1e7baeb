"""Blueprints and their versions in the database: validating, saving, restoring, reading.

Every save runs in one write transaction: move the blueprint's ``head`` from the version the
writer started from to the next number (an UPDATE guarded by the old number, so of two writers
starting from the same version exactly one succeeds), insert the new immutable version, write
the audit event. Any failure rolls all three back, so no partial version is ever visible.
"""

from __future__ import annotations

import difflib
import hashlib
import json
from dataclasses import dataclass
from typing import Any, NamedTuple

from sqlalchemy import Connection, bindparam, insert, select, update
from sqlalchemy.orm import Session

from ..checker import check
from ..findings import Finding, Severity
from ..loader import parse_document
from ..model import Blueprint
from .models import AuditEvent, StoredBlueprint, User, Version, now

#: Where the store's statements run: an ORM session, or a plain connection on the hot paths
#: (reading a version, saving one), where a session would cost as much as the statements.
Db = Session | Connection


class StoreError(Exception):
    """A request the store refuses; the API turns each subclass into one status code."""


class NotFound(StoreError):
    pass


class Invalid(StoreError):
    """The text is not a blueprint at all (unreadable YAML, not a mapping, ...): 422 with findings."""

    def __init__(self, message: str, findings: list[Finding]) -> None:
        super().__init__(message)
        self.findings = findings


class Stale(StoreError):
    """The writer started from an older version than the current one: 409."""

    def __init__(self, base: int | None, current: int) -> None:
        super().__init__(f"version {base} is not the current one ({current})")
        self.base = base
        self.current = current


class Exists(StoreError):
    pass


@dataclass(frozen=True)
class Checked:
    """A text checked by the core: its findings and, when it could be read, the model."""

    text: str
    findings: list[Finding]
    blueprint: Blueprint | None

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity is Severity.ERROR)

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.findings if f.severity is Severity.WARNING)

    @property
    def title(self) -> str:
        return (self.blueprint.title if self.blueprint is not None else "")[:300]


def file_name(name: str) -> str:
    return f"{name}.blueprint.yaml"


def check_blueprint(text: str, name: str) -> Checked:
    """Check ``text``; raise :class:`Invalid` if it cannot be read as a blueprint at all.

    A blueprint that reads but breaks rules is still saved (teams save drafts); its findings
    go back to the writer and its error count is kept with the version.
    """
    file = file_name(name)
    doc = parse_document(text, file)
    findings = check(doc).findings
    if doc.blueprint is None:
        raise Invalid("the text is not a readable blueprint", findings)
    return Checked(text, findings, doc.blueprint)


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def etag(bp_id: int, number: int) -> str:
    return f'"b{bp_id}v{number}"'


def parse_if_match(header: str | None, bp_id: int) -> int | str | None:
    """The version an If-Match header names: a number, ``"*"`` for any, None if absent,
    and -1 for tags that name no version of this blueprint (so they never match)."""
    if header is None:
        return None
    tags = [t.strip() for t in header.split(",") if t.strip()]
    if "*" in tags:
        return "*"
    for tag in tags:
        tag = tag.removeprefix("W/")
        prefix = f'"b{bp_id}v'
        if tag.startswith(prefix) and tag.endswith('"') and tag[len(prefix):-1].isdigit():
            return int(tag[len(prefix):-1])
    return -1


def audit(s: Db, action: str, *, user_id: int | None, workspace_id: int | None = None, target: str = "",
          detail: dict[str, Any] | None = None) -> None:
    s.execute(insert(AuditEvent).values(user_id=user_id, workspace_id=workspace_id, action=action, target=target[:300],
                                        detail=json.dumps(detail or {}, sort_keys=True, ensure_ascii=False)))


def _missing(name: str) -> NotFound:
    return NotFound(f"no blueprint named '{name}' in this workspace")


def find_blueprint(s: Session, workspace_id: int, name: str) -> StoredBlueprint:
    row = s.scalar(select(StoredBlueprint).where(StoredBlueprint.workspace_id == workspace_id,
                                                 StoredBlueprint.name == name))
    if row is None:
        raise _missing(name)
    return row


def get_version(s: Session, bp: StoredBlueprint, number: int | None = None) -> Version:
    n = bp.head if number is None else number
    row = s.scalar(select(Version).where(Version.blueprint_id == bp.id, Version.number == n))
    if row is None:
        raise NotFound(f"blueprint '{bp.name}' has no version {n}")
    return row


# The hot statements are built once: SQLAlchemy caches their compiled form, but building a
# statement and its cache key anew costs more than running it.
_IN_WORKSPACE = (StoredBlueprint.workspace_id == bindparam("ws"), StoredBlueprint.name == bindparam("name"))
_VERSION_OF = select(*Version.__table__.c).join(StoredBlueprint, Version.blueprint_id == StoredBlueprint.id)
_HEAD_VERSION = _VERSION_OF.where(*_IN_WORKSPACE, Version.number == StoredBlueprint.head)
_NUMBERED_VERSION = _VERSION_OF.where(*_IN_WORKSPACE, Version.number == bindparam("number"))
_BLUEPRINT_HEAD = select(StoredBlueprint.id, StoredBlueprint.head).where(*_IN_WORKSPACE)
_MOVE_HEAD = (update(StoredBlueprint)
              .where(StoredBlueprint.id == bindparam("bp"), StoredBlueprint.head == bindparam("base"))
              .values(head=bindparam("next"), title=bindparam("new_title"), updated_at=bindparam("stamp")))
_CURRENT_HEAD = select(StoredBlueprint.head).where(StoredBlueprint.id == bindparam("bp"))


def find_version(s: Db, workspace_id: int, name: str, number: int | None = None) -> tuple[int, Version]:
    """A blueprint's id and one of its versions (default the newest), in one query; when there is
    no such row, a second says which of the two is missing (:class:`NotFound`). The version is a
    detached object holding the row, whatever ``s`` is."""
    if number is None:
        row = s.execute(_HEAD_VERSION, {"ws": workspace_id, "name": name}).first()
    else:
        row = s.execute(_NUMBERED_VERSION, {"ws": workspace_id, "name": name, "number": number}).first()
    if row is not None:
        return row.blueprint_id, Version(**row._mapping)
    if s.execute(_BLUEPRINT_HEAD, {"ws": workspace_id, "name": name}).first() is None:
        raise _missing(name)
    raise NotFound(f"blueprint '{name}' has no version {number}")


class Head(NamedTuple):
    """What a save needs of the blueprint it saves: where it is and its newest version's number."""

    id: int
    workspace_id: int
    name: str
    number: int


def find_head(s: Db, workspace_id: int, name: str) -> Head:
    row = s.execute(_BLUEPRINT_HEAD, {"ws": workspace_id, "name": name}).first()
    if row is None:
        raise _missing(name)
    return Head(row[0], workspace_id, name, row[1])


def _version_fields(bp_id: int, number: int, checked: Checked, message: str, author_id: int,
                    restored_from: int | None = None) -> dict[str, Any]:
    return dict(blueprint_id=bp_id, number=number, text=checked.text, sha256=sha256(checked.text),
                title=checked.title, message=message, author_id=author_id, errors=checked.errors,
                warnings=checked.warnings, restored_from=restored_from, created_at=now())


def create(s: Session, workspace_id: int, name: str, checked: Checked, message: str, author_id: int,
           event: str = "blueprint.create") -> tuple[StoredBlueprint, Version]:
    """A new blueprint with its first version; :class:`Exists` if the name is taken."""
    if s.scalar(select(StoredBlueprint.id).where(StoredBlueprint.workspace_id == workspace_id,
                                                 StoredBlueprint.name == name)) is not None:
        raise Exists(f"a blueprint named '{name}' already exists; save a new version of it instead")
    bp = StoredBlueprint(workspace_id=workspace_id, name=name, head=1, title=checked.title)
    s.add(bp)
    s.flush()
    version = Version(**_version_fields(bp.id, 1, checked, message, author_id))
    s.add(version)
    audit(s, event, user_id=author_id, workspace_id=workspace_id, target=name, detail={"version": 1})
    s.flush()
    return bp, version


def save(s: Db, bp: Head, base: int, checked: Checked, message: str, author_id: int,
         restored_from: int | None = None) -> Version:
    """A new version on top of version ``base``; :class:`Stale` if ``base`` is no longer the head.

    Plain statements, run at once (no unit of work): the returned version is a detached object
    with what was inserted.
    """
    moved = s.execute(_MOVE_HEAD.execution_options(synchronize_session=False),
                      {"bp": bp.id, "base": base, "next": base + 1, "new_title": checked.title, "stamp": now()})
    if moved.rowcount != 1:  # type: ignore[attr-defined]
        current = s.scalar(_CURRENT_HEAD, {"bp": bp.id})
        raise Stale(base, current if current is not None else base)
    fields = _version_fields(bp.id, base + 1, checked, message, author_id, restored_from)
    s.execute(insert(Version), fields)
    event = "version.restore" if restored_from is not None else "version.save"
    detail: dict[str, Any] = {"version": base + 1}
    if restored_from is not None:
        detail["from"] = restored_from
    audit(s, event, user_id=author_id, workspace_id=bp.workspace_id, target=bp.name, detail=detail)
    return Version(**fields)


def usernames(s: Db, ids: set[int | None]) -> dict[int, str]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    return dict(s.execute(select(User.id, User.username).where(User.id.in_(wanted))).all())


def history(s: Session, bp: StoredBlueprint, after: int = 0, limit: int = 1000) -> list[Version]:
    """The versions after number ``after``, newest first."""
    return list(s.scalars(select(Version).where(Version.blueprint_id == bp.id, Version.number > after)
                          .order_by(Version.number.desc()).limit(limit)))


def text_diff(old: str, new: str, old_label: str, new_label: str) -> str:
    return "".join(difflib.unified_diff(old.splitlines(keepends=True), new.splitlines(keepends=True),
                                        old_label, new_label))
