"""Identifiers: deriving readable ids from text, and suggesting the id a user meant."""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable

ID_PATTERN = r"^[A-Za-z_][A-Za-z0-9_.\-]*$"
_ID_RE = re.compile(ID_PATTERN)
_MAX_WORDS = 5


def is_id(text: str) -> bool:
    return bool(_ID_RE.match(text))


def slugify(text: str, *, fallback: str = "action") -> str:
    """A lower_snake id from the first few words of ``text``.

    Accents are folded so ids stay ASCII and typeable; only the first words are kept
    because ids are meant to be typed in flows.
    """
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.findall(r"[A-Za-z0-9]+", folded.lower())[:_MAX_WORDS]
    slug = "_".join(words)
    if not slug:
        return fallback
    if slug[0].isdigit():
        slug = f"{fallback}_{slug}"
    return slug


def unique(base: str, taken: set[str]) -> str:
    """``base``, or ``base_2``, ``base_3``… whichever is free; records the choice in ``taken``."""
    candidate = base
    n = 2
    while candidate in taken:
        candidate = f"{base}_{n}"
        n += 1
    taken.add(candidate)
    return candidate


def did_you_mean(word: str, choices: Iterable[str]) -> str | None:
    """The closest known name to a misspelt one, if any is close enough to be a likely typo."""
    pool = list(choices)
    matches = difflib.get_close_matches(word, pool, n=1, cutoff=0.6)
    if not matches:
        lowered = {c.lower(): c for c in pool}
        if word.lower() in lowered:
            return lowered[word.lower()]
        return None
    return matches[0]


def suggestion(word: str, choices: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` or an empty string, to append to a message."""
    best = did_you_mean(word, choices)
    return f" (did you mean '{best}'?)" if best else ""
