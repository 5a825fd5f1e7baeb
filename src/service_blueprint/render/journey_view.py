"""A journey drawn as the chain of its blueprints, each card linking to that blueprint's picture.

The overview answers "where in the whole journey does this blueprint sit, and how healthy is
each stage" at a glance: per stage its state, size, tolerance and number of fail points.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from ..journey import Journey, JourneyEntry
from ..model import Blueprint
from .geometry import Rect, TextItem
from .layout import MARGIN, duration_text
from .svg import num, rect_el, text_el
from .text import FONT_FAMILY, truncate, wrap
from .theme import theme as get_theme

CARD_W = 210.0
CARD_GAP = 46.0


@dataclass(frozen=True, slots=True)
class Stage:
    entry: JourneyEntry
    blueprint: Blueprint | None  # None when the file could not be loaded
    href: str | None


def _facts(bp: Blueprint | None) -> list[str]:
    if bp is None:
        return ["(could not be loaded)"]
    actions = list(bp.actions())
    facts = [f"{len(bp.steps)} steps · {len(actions)} actions"]
    if bp.state:
        facts.insert(0, f"{bp.state} state")
    if bp.scenario.tolerance is not None:
        facts.append(f"tolerance {duration_text(bp.scenario.tolerance)}")
    fails = sum(1 for a in actions if a.fail)
    if fails:
        facts.append(f"{fails} fail point{'s' if fails != 1 else ''}")
    return facts


def render_journey_svg(journey: Journey, stages: Sequence[Stage], *, theme: str = "light") -> str:
    """The journey overview as a standalone SVG: cards left to right joined by arrows."""
    t = get_theme(theme)
    cards: list[tuple[list[TextItem], list[TextItem]]] = []
    height = 0.0
    for k, stage in enumerate(stages):
        x = MARGIN + k * (CARD_W + CARD_GAP)
        head = wrap(stage.entry.name or (stage.blueprint.title if stage.blueprint else stage.entry.path),
                    CARD_W - 20, 13, True)
        title_items = [TextItem(x + 10, 0, line, 13, True) for line in head]
        fact_items = [TextItem(x + 10, 0, truncate(f, CARD_W - 20, 11), 11) for f in _facts(stage.blueprint)]
        cards.append((title_items, fact_items))
        height = max(height, len(head) * 17 + len(fact_items) * 15 + 24)
    top = MARGIN + 44
    width = MARGIN * 2 + max(len(stages), 1) * (CARD_W + CARD_GAP) - CARD_GAP
    total_h = top + height + MARGIN + (20 if journey.customer else 0)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{num(width)}" height="{num(total_h)}"'
           f' viewBox="0 0 {num(width)} {num(total_h)}" font-family="{FONT_FAMILY}, sans-serif" role="img"'
           ' aria-labelledby="j-title">',
           f'<title id="j-title">{escape(journey.title, quote=False)}</title>',
           '<defs><marker id="j-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8"'
           f' orient="auto" markerUnits="userSpaceOnUse"><path d="M0,1 L9,5 L0,9 z" fill="{t.arrow}"/></marker></defs>',
           rect_el(Rect(0, 0, width, total_h), t.background),
           text_el(TextItem(MARGIN, MARGIN + 18, journey.title, 18, True), t.text)]
    if journey.customer:
        out.append(text_el(TextItem(MARGIN, MARGIN + 36, f"Customer: {journey.customer}", 11.5), t.muted))
        top += 20
    for k, (stage, (titles, facts)) in enumerate(zip(stages, cards, strict=True)):
        x = MARGIN + k * (CARD_W + CARD_GAP)
        card = Rect(x, top, CARD_W, height)
        fill = t.proposed_fill if stage.blueprint and stage.blueprint.state == "future" else t.box_fill
        open_a = f'<a href="{escape(stage.href, quote=True)}">' if stage.href else ""
        out.append(f'<g class="stage">{open_a}')
        out.append(rect_el(card, fill, t.box_stroke, ' stroke-width="1.2"', rx=6))
        y = top + 8
        for item in titles:
            y += 17
            out.append(text_el(TextItem(item.x, y - 4, item.text, item.size, True), t.text))
        y += 4
        for item in facts:
            y += 15
            out.append(text_el(TextItem(item.x, y - 3, item.text, item.size), t.muted))
        out.append(("</a>" if open_a else "") + "</g>")
        if k < len(stages) - 1:
            cy = top + height / 2
            out.append(f'<path d="M{num(card.right)},{num(cy)} L{num(card.right + CARD_GAP - 2)},{num(cy)}"'
                       f' stroke="{t.arrow}" stroke-width="1.5" marker-end="url(#j-arrow)"/>')
    out.append("</svg>")
    return "\n".join(out) + "\n"
