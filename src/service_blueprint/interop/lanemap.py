"""Which blueprint lane (and role) a lane or pool drawn in another tool stands for.

Tools name lanes freely ("Front office", "Guest", "Kitchen"). Names that practitioners use
for the canon lanes are recognised; a mapping file says the rest. A name nobody maps becomes a
custom lane below support, so nothing drawn is lost.

Mapping file (YAML or JSON)::

    lanes:
      Guest: customer
      Front desk: frontstage
      Housekeeping: {lane: backstage, role: housekeeping}
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from typing import Any

import yaml_rs

from .. import textfile
from ..errors import LoadError
from ..ids import is_id, slugify, unique
from ..model import ACTION_LANES
from .assemble import read_error


@dataclass(frozen=True, slots=True)
class LaneTarget:
    """A blueprint lane id, and the role of everyone in that drawn lane (if the mapping says)."""

    lane: str
    role: str | None = None


LaneMapping = dict[str, LaneTarget]

_SYNONYMS: dict[str, tuple[str, ...]] = {
    "evidence": ("evidence", "physical evidence", "props", "touchpoints", "touch points"),
    "customer": ("customer", "customers", "customer actions", "customer journey", "client", "user",
                 "guest", "patient", "citizen", "passenger", "student", "buyer", "shopper", "visitor"),
    "frontstage": ("frontstage", "front stage", "onstage", "on stage", "front office",
                   "frontstage actions", "onstage actions", "onstage contact actions",
                   "visible contact actions", "visible contact employee actions", "front line"),
    "backstage": ("backstage", "back stage", "back office", "backstage actions",
                  "backstage contact actions", "invisible contact actions",
                  "invisible contact employee actions", "behind the scenes"),
    "support": ("support", "support processes", "support process", "support systems", "systems",
                "internal support", "support functions", "supporting processes"),
}


def normalise(name: str) -> str:
    """Case, punctuation and spacing do not matter when names are compared."""
    return " ".join(re.findall(r"[^\W_]+", name.lower()))


_KNOWN = {normalise(s): lane for lane, names in _SYNONYMS.items() for s in names}


def known_lane(name: str) -> str | None:
    """The canon lane a practitioner's name for it means, if it is one."""
    return _KNOWN.get(normalise(name))


def resolve(name: str, mapping: LaneMapping | None) -> LaneTarget | None:
    """The lane a drawn name maps to: the mapping file first, then the usual names."""
    if mapping:
        key = normalise(name)
        for written, target in mapping.items():
            if normalise(written) == key:
                return target
    lane = known_lane(name)
    return LaneTarget(lane) if lane else None


def custom_lane_id(name: str, taken: set[str]) -> str:
    """An id for a custom lane made from a drawn name; never a step field or canon lane."""
    reserved = {"id", "name", "evidence", "note", *ACTION_LANES}
    return unique(slugify(name, fallback="lane"), taken | reserved)


def parse_mapping(data: Any, file: str) -> LaneMapping:
    """Read a mapping file's data; wrong shapes are errors naming the entry."""
    if isinstance(data, dict) and "lanes" in data:
        data = data["lanes"]
    if not isinstance(data, dict):
        raise read_error(file, "a lane mapping is a mapping of drawn lane names to lanes",
                         hint="write e.g. 'lanes: {Front desk: frontstage}'")
    out: LaneMapping = {}
    for name, value in data.items():
        role: Any = None
        lane = value
        if isinstance(value, dict):
            unknown = set(value) - {"lane", "role"}
            if unknown or "lane" not in value:
                raise read_error(file, f"mapping of {name!r} takes 'lane' and optionally 'role'",
                                 hint="write e.g. 'Kitchen: {lane: support, role: cook}'")
            lane, role = value["lane"], value.get("role")
        if not isinstance(lane, str) or not is_id(lane) or lane == "evidence":
            raise read_error(file, f"mapping of {name!r}: {lane!r} is not a lane id",
                             hint=f"use one of {', '.join(ACTION_LANES)} or a custom lane id")
        if role is not None and (not isinstance(role, str) or not is_id(role)):
            raise read_error(file, f"mapping of {name!r}: role {role!r} is not a role id")
        out[str(name)] = LaneTarget(lane, role)
    return out


def read_mapping(path: str | os.PathLike[str]) -> LaneMapping:
    """Read a lane mapping file (YAML or JSON)."""
    file = os.fspath(path)
    text, error = textfile.read(path)
    if text is None:
        assert error is not None
        raise LoadError([error])
    try:
        data = yaml_rs.loads(text, parse_datetime=False)
    except (KeyboardInterrupt, SystemExit, MemoryError):
        raise
    except BaseException as exc:  # the Rust parser signals some errors as BaseException
        raise read_error(file, f"invalid YAML in lane mapping: {str(exc).strip().splitlines()[-1]}") from None
    return parse_mapping(data, file)
