"""Colours of the light, dark and print themes, and the role palette.

The role palette is the Okabe–Ito set (distinguishable with the common colour-vision
deficiencies) extended with darker tones; roles take colours in the order they are declared, so a
role keeps its colour when actions move. Nothing relies on colour alone: roles are also named in
each box, fail and wait points carry letters.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class ThemeName(StrEnum):
    light = "light"
    dark = "dark"
    print = "print"


@dataclass(frozen=True, slots=True)
class Theme:
    name: str
    background: str
    text: str
    muted: str
    grid: str
    lane_fill: tuple[str, str]  # alternating lane backgrounds
    line: str  # the named lines
    box_fill: str
    box_stroke: str
    customer_fill: str
    evidence_fill: str
    phase_fill: str
    arrow: str
    fail: str
    wait: str
    proposed_fill: str
    proposed_stroke: str
    badge_fill: str
    emotion_pos: str
    emotion_neg: str
    highlight: dict[str, str]
    palette: tuple[str, ...]


_PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#8C564B",
            "#7F3C8D", "#3B7F2E", "#B8860B", "#1F4E79", "#A23B3B")
_PALETTE_DARK = ("#56B4E9", "#FF8C42", "#2FD4A0", "#E59BC8", "#F4C04A", "#8FD0F5", "#C98F7A",
                 "#B488D4", "#7CC46A", "#E3B341", "#6FA8DC", "#E07A7A")

_HIGHLIGHT = {"critical": "#D62728", "bottleneck": "#9467BD", "fail": "#D55E00",
              "added": "#2CA02C", "removed": "#D62728", "changed": "#E69F00"}

THEMES: dict[str, Theme] = {
    "light": Theme(
        name="light", background="#FFFFFF", text="#1B1F24", muted="#5B6470", grid="#D5DAE1",
        lane_fill=("#F7F9FB", "#FFFFFF"), line="#3C4A5C", box_fill="#FFFFFF", box_stroke="#8A96A5",
        customer_fill="#FFF8E6", evidence_fill="#EEF1F5", phase_fill="#E4EAF2", arrow="#46505C",
        fail="#C0392B", wait="#B7791F", proposed_fill="#EAF7EE", proposed_stroke="#1E8449",
        badge_fill="#EEF1F5", emotion_pos="#1E8449", emotion_neg="#C0392B",
        highlight=_HIGHLIGHT, palette=_PALETTE),
    "dark": Theme(
        name="dark", background="#14181E", text="#E6EAF0", muted="#9AA5B4", grid="#2C343F",
        lane_fill=("#1A2029", "#161B22"), line="#9AA5B4", box_fill="#1F2630", box_stroke="#4A5564",
        customer_fill="#2E2A1E", evidence_fill="#242C37", phase_fill="#263140", arrow="#B5BFCC",
        fail="#FF6B5B", wait="#F4C04A", proposed_fill="#18331F", proposed_stroke="#4CC070",
        badge_fill="#2A3340", emotion_pos="#4CC070", emotion_neg="#FF6B5B",
        highlight={"critical": "#FF5C5C", "bottleneck": "#C39BF0", "fail": "#FF8C42",
                   "added": "#4CC070", "removed": "#FF5C5C", "changed": "#F4C04A"},
        palette=_PALETTE_DARK),
    "print": Theme(
        name="print", background="#FFFFFF", text="#000000", muted="#333333", grid="#999999",
        lane_fill=("#FFFFFF", "#FFFFFF"), line="#000000", box_fill="#FFFFFF", box_stroke="#000000",
        customer_fill="#FFFFFF", evidence_fill="#F2F2F2", phase_fill="#E6E6E6", arrow="#000000",
        fail="#000000", wait="#000000", proposed_fill="#F2F2F2", proposed_stroke="#000000",
        badge_fill="#F2F2F2", emotion_pos="#000000", emotion_neg="#000000",
        highlight={k: "#000000" for k in _HIGHLIGHT}, palette=("#000000",) * len(_PALETTE)),
}


def theme(name: str) -> Theme:
    return THEMES[str(name)]


def role_colours(role_ids: list[str], t: Theme) -> dict[str, str]:
    """A stable colour per role, in declaration order, cycling through the palette."""
    return {r: t.palette[k % len(t.palette)] for k, r in enumerate(role_ids)}
