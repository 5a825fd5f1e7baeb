"""Bundled templates: realistic blueprints from several industries to start from."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from .errors import TemplateNotFoundError, UsageError
from .ids import suggestion
from .loader import parse_document

SUFFIX = ".blueprint.yaml"


@dataclass(frozen=True)
class Template:
    name: str
    title: str
    state: str
    description: str
    steps: int
    actions: int


def _folder() -> Traversable:
    return resources.files("service_blueprint").joinpath("templates")


def template_names() -> list[str]:
    return sorted(p.name[: -len(SUFFIX)] for p in _folder().iterdir() if p.name.endswith(SUFFIX))


def template_text(name: str) -> str:
    """The text of a bundled template, comments included."""
    names = template_names()
    if name not in names:
        raise TemplateNotFoundError(f"no template named '{name}'{suggestion(name, names)}; "
                                    "run 'blueprint templates' to list them")
    return _folder().joinpath(name + SUFFIX).read_text("utf-8")


def _leading_comment(text: str) -> str:
    lines = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        lines.append(line.lstrip("#").strip())
    return " ".join(x for x in lines if x)


@cache
def template_info(name: str) -> Template:
    text = template_text(name)
    doc = parse_document(text, name + SUFFIX)
    bp = doc.blueprint
    return Template(
        name=name,
        title=bp.title if bp else name,
        state=(bp.state or "") if bp else "",
        description=_leading_comment(text),
        steps=len(bp.steps) if bp else 0,
        actions=sum(1 for _ in bp.actions()) if bp else 0,
    )


def list_templates() -> list[Template]:
    return [template_info(n) for n in template_names()]


def new_from_template(name: str, dest: str | os.PathLike[str], *, force: bool = False) -> Path:
    """Write a template to ``dest``; refuses to overwrite an existing file unless ``force``."""
    text = template_text(name)
    path = Path(dest)
    if path.exists() and not force:
        raise UsageError(f"{path} already exists; use --force to overwrite it")
    if path.parent and not path.parent.exists():
        raise UsageError(f"folder {path.parent} does not exist")
    path.write_text(text, encoding="utf-8")
    return path
