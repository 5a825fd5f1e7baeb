"""What a rule sees: the model, where things are in the file, and helpers to make findings."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from ..findings import Finding
from ..flows import Chain, Edge
from ..graph import adjacency
from ..model import Blueprint, Placed
from ..sourcemap import Path as DataPath
from ..sourcemap import SourceMap
from .registry import make


@dataclass
class Context:
    blueprint: Blueprint
    file: str = "<string>"
    source: SourceMap | None = None
    base_dir: Path | None = None
    _cache: dict[str, object] = field(default_factory=dict)

    # ---- locating ---------------------------------------------------------------------------
    def at(self, rule: str, path: DataPath, message: str, hint: str | None = None, *,
           key: bool = False, offset: int = 0) -> Finding:
        line, col = self.source.locate(path, key=key, offset=offset) if self.source else (0, 0)
        return make(rule, message, self.file, line, col, hint)

    def at_action(self, rule: str, placed: Placed, message: str, hint: str | None = None,
                  field: str | None = None) -> Finding:
        path = placed.path + ((field,) if field else ())
        return self.at(rule, path, message, hint, key=field is not None and field in ("fail",))

    def edge_path(self, edge: Edge, end: str) -> tuple[DataPath, int]:
        """Where an edge's ``source`` or ``target`` is written (path, character offset)."""
        if edge.implicit:
            placed = self.blueprint.action_index.get(edge.target if end == "target" else edge.source)
            return (placed.path if placed else ("steps",)), 0
        spec = self.blueprint.flows[edge.spec]
        if isinstance(spec, Chain):
            k = edge.part + (1 if end == "target" else 0)
            offset = spec.offsets[k] if k < len(spec.offsets) else 0
            return ("flows", edge.spec), offset
        return ("flows", edge.spec, "from" if end == "source" else "to"), 0

    def at_edge(self, rule: str, edge: Edge, end: str, message: str, hint: str | None = None) -> Finding:
        path, offset = self.edge_path(edge, end)
        return self.at(rule, path, message, hint, offset=offset)

    # ---- shared derived data ------------------------------------------------------------------
    @cached_property
    def lane_of(self) -> dict[str, str]:
        return {aid: p.lane for aid, p in self.blueprint.action_index.items()}

    @cached_property
    def known_edges(self) -> list[Edge]:
        """Edges whose two ends exist (unknown ids are reported by their own rule)."""
        index = self.blueprint.action_index
        return [e for e in self.blueprint.edges if e.source in index and e.target in index]

    @cached_property
    def successors(self) -> dict[str, list[str]]:
        return adjacency(self.blueprint.action_index, ((e.source, e.target) for e in self.known_edges))
