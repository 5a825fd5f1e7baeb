"""The ``blueprint`` command. Each command parses arguments, calls one public function, prints."""

from __future__ import annotations

import sys

from ..errors import ServiceBlueprintError

# Importing the command modules registers their commands on ``app``.
from . import analysis, checking, files, interop, mining, rendering, server, simulation  # noqa: F401
from .app import app
from .output import err


def main() -> None:
    """Entry point: user errors print one line and exit 2; no traceback reaches the user."""
    try:
        app()
    except ServiceBlueprintError as exc:
        err(f"error: {exc}")
        sys.exit(2)
    except KeyboardInterrupt:
        err("interrupted")
        sys.exit(130)
    except Exception as exc:  # a bug in this tool, not in the user's input
        err(f"internal error: {type(exc).__name__}: {exc}\nplease report it with the command you ran")
        sys.exit(3)


__all__ = ["app", "main"]
