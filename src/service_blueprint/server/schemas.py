"""The JSON shapes of the API, as pydantic models; they make the OpenAPI spec at /openapi.json."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from .models import Role

#: Workspace and blueprint names: lower-case letters, digits, ``-`` and ``_``, single dots
#: inside; so a name is always one safe path segment and one file name.
NAME_PATTERN = r"^[a-z0-9][a-z0-9_-]*(\.[a-z0-9_-]+)*$"
NAME_MAX = 64
USERNAME_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.@-]*$"
MAX_TEXT = 2 * 1024 * 1024
MAX_MESSAGE = 2000


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class FindingOut(BaseModel):
    file: str
    line: int
    col: int
    severity: str
    rule: str
    name: str
    message: str
    hint: str | None


class Problem(BaseModel):
    """Every error response: ``detail`` says what went wrong; more fields where they help."""

    detail: Any


class LoginIn(Strict):
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=1024)


class SessionOut(BaseModel):
    username: str
    csrf_token: str = Field(description="Send as the X-CSRF-Token header with every unsafe request made "
                                        "with the session cookie.")
    expires_at: datetime


class TokenLoginIn(LoginIn):
    token_name: str = Field(default="cli", min_length=1, max_length=100)


class TokenIn(Strict):
    name: str = Field(min_length=1, max_length=100)


class TokenOut(BaseModel):
    id: int
    name: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class NewTokenOut(TokenOut):
    token: str = Field(description="The secret; shown once, stored only as a hash.")


class UserIn(Strict):
    username: str = Field(min_length=1, max_length=64, pattern=USERNAME_PATTERN)
    password: str = Field(min_length=1, max_length=1024)
    admin: bool = False


class UserPatch(Strict):
    password: str | None = Field(default=None, min_length=1, max_length=1024)
    disabled: bool | None = None
    admin: bool | None = None


class PasswordChange(Strict):
    old_password: str = Field(max_length=1024)
    new_password: str = Field(max_length=1024)


class UserOut(BaseModel):
    username: str
    admin: bool
    disabled: bool
    created_at: datetime


class WorkspaceIn(Strict):
    slug: str = Field(min_length=1, max_length=NAME_MAX, pattern=NAME_PATTERN)
    title: str = Field(default="", max_length=200)


class WorkspaceOut(BaseModel):
    slug: str
    title: str
    role: Role
    created_at: datetime


class MemberIn(Strict):
    role: Role


class MemberOut(BaseModel):
    username: str
    role: Role


class BlueprintIn(Strict):
    name: str = Field(min_length=1, max_length=NAME_MAX, pattern=NAME_PATTERN)
    text: str = Field(max_length=MAX_TEXT)
    message: str = Field(default="", max_length=MAX_MESSAGE)


class SaveIn(Strict):
    text: str = Field(max_length=MAX_TEXT)
    message: str = Field(default="", max_length=MAX_MESSAGE)


class RestoreIn(Strict):
    version: int = Field(ge=1)
    message: str = Field(default="", max_length=MAX_MESSAGE)


class VersionOut(BaseModel):
    number: int
    title: str
    message: str
    author: str | None
    created_at: datetime
    errors: int
    warnings: int
    sha256: str
    restored_from: int | None


class BlueprintSummary(BaseModel):
    name: str
    title: str
    version: int
    etag: str
    updated_at: datetime


class BlueprintOut(BlueprintSummary):
    text: str
    author: str | None
    message: str


class SavedOut(BaseModel):
    """The result of a save: the new version and what the checker found in it."""

    name: str
    version: VersionOut
    etag: str
    findings: list[FindingOut]


class ConflictOut(BaseModel):
    detail: str
    your_version: int | None
    current_version: int
    etag: str
    versions_since: list[VersionOut]
    diff: str = Field(description="Unified diff of the YAML from your version to the current one.")


class CommentIn(Strict):
    body: str = Field(min_length=1, max_length=10_000)
    action_id: str | None = Field(default=None, max_length=200,
                                  description="Anchor the thread to this action of the current version.")
    reply_to: int | None = Field(default=None, ge=1, description="Reply in the thread of this comment.")


class CommentOut(BaseModel):
    id: int
    thread_id: int
    action_id: str | None
    version: int
    author: str | None
    body: str
    created_at: datetime
    resolved: bool
    resolved_at: datetime | None
    resolved_by: str | None


class ThreadOut(BaseModel):
    id: int
    action_id: str | None
    resolved: bool
    comments: list[CommentOut]


class AuditOut(BaseModel):
    id: int
    at: datetime
    user: str | None
    action: str
    target: str
    detail: str


class SimulationIn(Strict):
    version: int | None = Field(default=None, ge=1)
    days: float = Field(default=7.0, gt=0)
    warmup_hours: float = Field(default=24.0, ge=0, le=24 * 30)
    replications: int = Field(default=5, ge=1)
    seed: int = Field(default=1, ge=0, le=2**63 - 1)
    demand_factor: float = Field(default=1.0, ge=0, le=100)


class JobOut(BaseModel):
    id: str
    kind: str
    blueprint: str
    version: int
    status: str = Field(description="queued, running, done or failed")
    progress: float = Field(description="0 to 1")
    created_at: datetime
    finished_at: datetime | None
    error: str | None
    result: Any = Field(default=None, description="The simulation summary (as `blueprint simulate -f json`).")


class ImportOut(SavedOut):
    warnings: list[str]


class HealthOut(BaseModel):
    status: str
    database: str
    schema_revision: str
