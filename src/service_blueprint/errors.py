"""The one exception hierarchy of the package.

A user's mistake in a blueprint is data (a :class:`~service_blueprint.findings.Finding`),
not an exception; exceptions are for callers of the Python API who need to stop, and
each one carries the findings that explain it so the CLI can print them the same way.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .findings import Finding


class ServiceBlueprintError(Exception):
    """Base class of every error this package raises on purpose."""


class LoadError(ServiceBlueprintError):
    """A file could not be read or turned into a model; ``findings`` says why and where."""

    def __init__(self, findings: Sequence[Finding]) -> None:
        self.findings = tuple(findings)
        first = self.findings[0].format() if self.findings else "could not load"
        more = f" (+{len(self.findings) - 1} more)" if len(self.findings) > 1 else ""
        super().__init__(first + more)


class TemplateNotFoundError(ServiceBlueprintError):
    """No bundled template has the requested name."""


class UsageError(ServiceBlueprintError):
    """An API or CLI argument is wrong (not a problem in a blueprint file)."""
