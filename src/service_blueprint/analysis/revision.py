"""Reading an earlier version of a blueprint from git, for ``blueprint diff --rev``.

The one place the analysis package runs a program: ``git show REV:./FILE`` in the file's folder,
with the revision checked first so a typo gets a clear message instead of git's usage text.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from ..errors import UsageError
from ..loader import Document, parse_document
from ..textfile import decode


def _git(args: list[str], folder: Path) -> subprocess.CompletedProcess[bytes]:
    git = shutil.which("git")
    if git is None:
        raise UsageError("--rev needs git, which is not installed")
    return subprocess.run([git, "-C", str(folder), *args], capture_output=True, check=False)


def read_revision(path: Path, rev: str) -> Document:
    """The blueprint at ``path`` as it was at git revision ``rev``, parsed (not checked)."""
    if not rev or rev.startswith("-") or any(c.isspace() for c in rev):
        raise UsageError(f"{rev!r} is not a git revision")
    folder = path.resolve().parent
    if not folder.is_dir():
        raise UsageError(f"{path}: no such folder")
    if _git(["rev-parse", "--show-toplevel"], folder).returncode != 0:
        raise UsageError(f"{path} is not in a git repository, so --rev cannot read an earlier version")
    if _git(["rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}"], folder).returncode != 0:
        raise UsageError(f"unknown git revision {rev!r}")
    shown = _git(["show", f"{rev}:./{path.name}"], folder)
    if shown.returncode != 0:
        raise UsageError(f"{path.name} does not exist at revision {rev}")
    label = f"{rev}:{path.name}"
    text, error = decode(shown.stdout, label)
    if text is None:
        assert error is not None
        return Document(file=label, text="", findings=[error])
    return parse_document(text, label, folder)
