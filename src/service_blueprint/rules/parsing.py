"""Rules the loader applies while it reads a file (they have no separate check function)."""

from __future__ import annotations

from ..findings import Severity
from .registry import declare

declare("E001", "yaml-syntax", Severity.ERROR, "the file is not valid YAML",
        "Nothing else can be checked until the file parses; the message points at the first syntax error.")
declare("E002", "unreadable-file", Severity.ERROR, "the file is missing, too large, binary or not UTF-8",
        "Blueprints are UTF-8 text; refusing other input early keeps huge or hostile files from hurting anyone.")
declare("E003", "invalid-value", Severity.ERROR, "a value has the wrong type or cannot be read (e.g. a duration without a unit)",
        "Typed values are what make analysis possible: '5' alone could be seconds or hours.")
declare("E004", "unknown-key", Severity.ERROR, "a key the format does not define (usually a typo)",
        "A misspelt key would otherwise be silently ignored and its information lost.")
declare("E005", "missing-field", Severity.ERROR, "a required field is absent (e.g. an action without text)",
        "Every action needs a text and every step a name to be drawn and discussed.")
declare("E006", "not-a-blueprint", Severity.ERROR, "the file is empty, not a mapping, lacks 'blueprint: 1', or has an unsupported version",
        "The version line tells tools which format to expect, so old files keep working as the format grows.")
declare("W112", "unknown-ignored-rule", Severity.WARNING, "'ignore:' names a rule that does not exist",
        "A misspelt suppression silently suppresses nothing.")
declare("E019", "missing-journey-file", Severity.ERROR, "a journey lists a blueprint file that does not exist",
        "A journey is read stage by stage; a missing stage breaks the chain.")
