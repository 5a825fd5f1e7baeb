"""Which action of one blueprint is which action of another.

A current and a future state drawn from the same file share ids, so ids match first. What is left
is matched by text: an action whose wording was edited ("Greets the customer" → "Greets the
customer by name") is the same action, changed, not one removed and one added. Similarity is the
mean of difflib's character and word ratios on normalised text, plus a little for the same lane
and role when ranking; pairs are taken best first, ties in reading order, so the matching is
deterministic.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Literal

from ..model import Blueprint, Placed

#: Text similarity (0..1) below which two actions are not the same action.
THRESHOLD = 0.6


@dataclass(frozen=True, slots=True)
class Match:
    old: Placed
    new: Placed
    by: Literal["id", "text"]
    similarity: float


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def similarity(a: str, b: str) -> float:
    """Mean of the character-level and the word-level difflib ratio of the normalised texts.

    Characters forgive typos and inflections ("Checks" / "Checked"); words stop two different
    actions that share many letters ("Scans the form into the archive" / "Uploads the form to
    the portal": 0.66 by characters, 0.5 by words) from passing as one.
    """
    wa, wb = _words(a), _words(b)
    chars = SequenceMatcher(None, " ".join(wa), " ".join(wb), autojunk=False).ratio()
    words = SequenceMatcher(None, wa, wb, autojunk=False).ratio()
    return (chars + words) / 2


def match_actions(old: Blueprint, new: Blueprint, threshold: float = THRESHOLD) -> list[Match]:
    """Pairs of the same action in ``old`` and ``new``, in ``new``'s reading order."""
    old_index, new_index = old.action_index, new.action_index
    matches = [Match(old_index[i], p, "id", 1.0) for i, p in new_index.items() if i in old_index]
    left_old = [p for i, p in old_index.items() if i not in new_index]
    left_new = [p for i, p in new_index.items() if i not in old_index]
    scored: list[tuple[float, int, int, float]] = []
    for a, po in enumerate(left_old):
        for b, pn in enumerate(left_new):
            ratio = similarity(po.action.text, pn.action.text)
            if ratio < threshold:
                continue
            bonus = 0.1 * (po.lane == pn.lane) + 0.05 * (po.action.role == pn.action.role)
            scored.append((-(ratio + bonus), a, b, ratio))
    taken_old: set[int] = set()
    taken_new: set[int] = set()
    for _, a, b, ratio in sorted(scored):
        if a in taken_old or b in taken_new:
            continue
        taken_old.add(a)
        taken_new.add(b)
        matches.append(Match(left_old[a], left_new[b], "text", ratio))
    reading = {p.action.id: k for k, p in enumerate(new.placed())}
    return sorted(matches, key=lambda m: reading[m.new.action.id])
