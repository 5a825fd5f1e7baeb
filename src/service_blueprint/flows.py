"""Flows between actions: the written forms (chains and mappings) and the edges they mean.

Written forms are kept as written so a file serialises back the same; analysis, checks
and exporters work on :class:`Edge`, one per arrow, with the implicit customer chain
(DESIGN section 2: customer actions are joined in step order) made explicit.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
    Tag,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import core_schema

_ARROW_RE = re.compile(r"\s*(<->|->)\s*")


@dataclass(frozen=True, slots=True)
class Chain:
    """``a -> b <-> c``: ids joined by one-way (``->``) or two-way (``<->``) arrows."""

    ids: tuple[str, ...]
    two_way: tuple[bool, ...]
    offsets: tuple[int, ...] = field(default=(), compare=False)
    """Character offset of each id in the text as written (for precise messages)."""

    @classmethod
    def parse(cls, value: object) -> Chain:
        if isinstance(value, Chain):
            return value
        if not isinstance(value, str):
            raise ValueError("a flow is 'a -> b', 'a <-> b', a chain 'a -> b -> c' or a mapping {from, to}")
        parts = _ARROW_RE.split(value)
        ids = parts[0::2]
        arrows = parts[1::2]
        if len(ids) < 2:
            if "<-" in value or "=>" in value or "-->" in value:
                raise ValueError(f"cannot read flow {value!r}; arrows are '->' (one-way) and '<->' (two-way)")
            raise ValueError(f"flow {value!r} has no arrow; write 'a -> b' (one-way) or 'a <-> b' (two-way)")
        offsets: list[int] = []
        pos = 0
        for i, raw in enumerate(ids):
            name = raw.strip()
            if not name:
                raise ValueError(f"flow {value!r} has an arrow with no action id on one side")
            if " " in name or "<" in name or ">" in name:
                raise ValueError(f"cannot read {name!r} in flow {value!r} as an action id; ids have no spaces")
            start = value.index(name, pos)
            offsets.append(start)
            pos = start + len(name)
            if i < len(arrows):
                pos = value.index(arrows[i], pos) + len(arrows[i])
        return cls(tuple(s.strip() for s in ids), tuple(a == "<->" for a in arrows), tuple(offsets))

    def to_data(self) -> str:
        out = self.ids[0]
        for two, target in zip(self.two_way, self.ids[1:], strict=True):
            out += (" <-> " if two else " -> ") + target
        return out

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        return core_schema.no_info_plain_validator_function(
            cls.parse, serialization=core_schema.plain_serializer_function_ser_schema(lambda c: c.to_data())
        )

    @classmethod
    def __get_pydantic_json_schema__(cls, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler) -> JsonSchemaValue:
        return {
            "title": "Chain",
            "type": "string",
            "pattern": r"^\s*\S+(\s*(->|<->)\s*\S+)+\s*$",
            "description": "'a -> b' (one-way: b follows a), 'a <-> b' (two-way: an interaction), or a chain.",
            "examples": ["walk_in -> greet", "describe <-> inspect", "a -> b -> c"],
        }


class Link(BaseModel):
    """The mapping form of one flow, for a probability, a label or a note."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True, use_attribute_docstrings=True)

    source: str = Field(alias="from")
    """Id of the action the flow leaves."""
    target: str = Field(alias="to")
    """Id of the action the flow enters."""
    two_way: bool = False
    """An interaction: whatever follows 'from' also waits for 'to'."""
    p: float | None = None
    """Probability of this branch of an exclusive choice; branches leaving one action sum to 1."""
    label: str | None = None
    note: str | None = None

    def to_data(self) -> dict[str, Any]:
        data: dict[str, Any] = {"from": self.source, "to": self.target}
        if self.two_way:
            data["two_way"] = True
        for key in ("p", "label", "note"):
            value = getattr(self, key)
            if value is not None:
                data[key] = value
        return data


def _kind(value: Any) -> str:
    return "chain" if isinstance(value, (str, Chain)) else "link"


FlowSpec = Annotated[
    Annotated[Chain, Tag("chain")] | Annotated[Link, Tag("link")],
    Discriminator(_kind),
]


def parse_flow(value: Any) -> Any:
    """Leave validation to pydantic; only strings need no change. Kept for symmetry."""
    return value


@dataclass(frozen=True, slots=True)
class Edge:
    """One arrow. ``implicit`` marks the customer chain the file does not write out.

    ``spec`` is the index of the written flow it comes from and ``part`` which arrow of a
    chain (both -1 for implicit edges): that is how messages point at the right column.
    """

    source: str
    target: str
    two_way: bool = False
    p: float | None = None
    label: str | None = None
    implicit: bool = False
    spec: int = -1
    part: int = -1


def expand_edges(flows: Sequence[Chain | Link], customer_ids: Sequence[str]) -> tuple[Edge, ...]:
    edges: list[Edge] = [
        Edge(a, b, implicit=True) for a, b in pairwise(customer_ids)
    ]
    for i, spec in enumerate(flows):
        if isinstance(spec, Chain):
            for k, (a, b) in enumerate(pairwise(spec.ids)):
                edges.append(Edge(a, b, spec.two_way[k], spec=i, part=k))
        else:
            edges.append(Edge(spec.source, spec.target, spec.two_way, spec.p, spec.label, spec=i, part=0))
    return tuple(edges)
