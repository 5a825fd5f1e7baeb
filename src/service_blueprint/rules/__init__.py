"""Checker rules. Importing this package registers every rule in :data:`RULES`."""

from . import flow_rules, parsing, references, structure_rules, value_rules  # noqa: F401
from .context import Context
from .registry import RULES, Rule, make, resolve

__all__ = ["RULES", "Context", "Rule", "make", "resolve"]
