"""The Quick-start job: check every bundled template; write it formatted, as JSON, and drawn."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .checker import check_text
from .errors import LoadError
from .formatting import format_text
from .loader import loads
from .serialize import dumps_json
from .templates import SUFFIX, list_templates, template_text


@dataclass(frozen=True)
class ShowcaseRow:
    name: str
    title: str
    state: str
    steps: int
    actions: int
    errors: int
    warnings: int
    infos: int
    files: tuple[str, ...]


def run_showcase(out: str | os.PathLike[str]) -> list[ShowcaseRow]:
    """Check each template and write ``NAME.blueprint.yaml`` (formatted), ``NAME.json``,
    ``NAME.svg`` and the interactive ``NAME.html`` to ``out``."""
    from .render import render_html, render_svg

    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    rows = []
    for t in list_templates():
        text = template_text(t.name)
        result = check_text(text, t.name + SUFFIX)
        formatted, _ = format_text(text, t.name + SUFFIX)
        files: list[str] = []
        yaml_path = folder / (t.name + SUFFIX)
        yaml_path.write_text(formatted if formatted is not None else text, encoding="utf-8")
        files.append(str(yaml_path))
        try:
            bp = loads(text, t.name + SUFFIX)
        except LoadError:
            pass
        else:
            json_path = folder / (t.name + ".json")
            json_path.write_text(dumps_json(bp), encoding="utf-8")
            files.append(str(json_path))
            for suffix, draw in ((".svg", render_svg), (".html", render_html)):
                path = folder / (t.name + suffix)
                path.write_text(draw(bp), encoding="utf-8")
                files.append(str(path))
        rows.append(ShowcaseRow(t.name, t.title, t.state, t.steps, t.actions,
                                result.errors, result.warnings, result.infos, tuple(files)))
    return rows
