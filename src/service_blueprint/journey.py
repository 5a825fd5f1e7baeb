"""Journey files (``*.journey.yaml``): a long customer journey as several blueprints in order."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, ValidationError, model_validator

from . import textfile
from .findings import Finding, Severity, sort_findings
from .loader import _finding_for, parse_yaml
from .rules import make
from .sourcemap import SourceMap


class JourneyEntry(BaseModel):
    """One blueprint in the journey, by path relative to the journey file."""

    model_config = ConfigDict(frozen=True, extra="forbid", use_attribute_docstrings=True)

    path: str
    name: str | None = None
    """Short label for this stage of the journey (defaults to the blueprint's title)."""
    note: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _from_text(cls, data: Any) -> Any:
        return {"path": data} if isinstance(data, str) else data


def _as_tuple(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


class Journey(BaseModel):
    """A journey: its blueprints in the order the customer meets them."""

    model_config = ConfigDict(frozen=True, extra="forbid", use_attribute_docstrings=True)

    journey: Literal[1] = 1
    title: str
    description: str | None = None
    customer: str | None = None
    blueprints: Annotated[tuple[JourneyEntry, ...], BeforeValidator(_as_tuple)] = ()


_JOURNEY_MODELS: list[tuple[tuple[str, ...], type[BaseModel]]] = [
    ((), Journey),
    (("blueprints", "#"), JourneyEntry),
]


@dataclass
class JourneyDocument:
    file: str
    journey: Journey | None = None
    findings: list[Finding] = field(default_factory=list)
    base_dir: Path | None = None

    def paths(self) -> list[Path]:
        if self.journey is None or self.base_dir is None:
            return []
        return [self.base_dir / e.path for e in self.journey.blueprints]


def read_journey(path: str | os.PathLike[str]) -> JourneyDocument:
    """Load a journey file and check that every blueprint it lists exists."""
    file = os.fspath(path)
    text, error = textfile.read(path)
    doc = JourneyDocument(file=file, base_dir=Path(path).resolve().parent)
    if text is None:
        assert error is not None
        doc.findings.append(error)
        return doc
    source = SourceMap(text)
    data, error = parse_yaml(text, file, source)
    if error:
        doc.findings.append(error)
        return doc
    if not isinstance(data, dict) or "journey" not in data:
        doc.findings.append(make("E006", "not a journey file: 'journey: 1' is missing", file, 1, 1))
        return doc
    if type(data["journey"]) is not int or data["journey"] != 1:
        line, col = source.locate(("journey",))
        doc.findings.append(make("E006", f"unsupported journey format version {data['journey']!r}; "
                                 "this tool reads 'journey: 1'", file, line, col))
        return doc
    try:
        doc.journey = Journey.model_validate(data)
    except ValidationError as exc:
        for err in exc.errors(include_url=False):
            doc.findings.append(_finding_for(err, data, file, source, _JOURNEY_MODELS)[0])
        doc.findings = sort_findings(doc.findings)
        return doc
    for i, entry in enumerate(doc.journey.blueprints):
        target = doc.base_dir / entry.path if doc.base_dir else Path(entry.path)
        if not target.is_file():
            line, col = source.locate(("blueprints", i))
            doc.findings.append(make("E019", f"blueprint '{entry.path}' not found", file, line, col,
                                     "paths are relative to the journey file"))
    return doc


def is_journey_file(path: str | os.PathLike[str]) -> bool:
    return os.fspath(path).endswith((".journey.yaml", ".journey.yml"))


__all__ = ["Journey", "JourneyDocument", "JourneyEntry", "Severity", "is_journey_file", "read_journey"]
