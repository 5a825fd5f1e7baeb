"""What the diff report says, as format-neutral blocks (see :mod:`.blocks`)."""

from __future__ import annotations

from ..model import Blueprint
from ..quantities import fmt_number
from .blocks import Card, Cards, Document, Figure, Heading, Items, Para, Tone
from .diff import BlueprintDiff, Delta, merged_blueprint
from .document import blueprint_picture, hours, money, pct, signed


def _value(d: Delta, x: float | None, currency: str | None) -> str:
    if x is None:
        return "—"
    if d.unit == "time":
        return hours(x)
    if d.unit == "money":
        return money(x, currency)
    if d.unit == "share":
        return pct(x)
    if d.unit == "count":
        return fmt_number(round(x))
    if d.unit == "emotion":
        return signed(round(x, 2))
    return fmt_number(round(x, 3))


def _change(d: Delta, currency: str | None) -> str:
    c = d.change
    if c is None:
        return "—"
    if abs(c) < 1e-9:
        return "0"
    sign = "+" if c > 0 else "−"
    if d.unit == "time":
        return sign + hours(abs(c))
    if d.unit == "money":
        return sign + money(abs(c), currency)
    if d.unit == "share":
        return f"{sign}{fmt_number(round(abs(c) * 100, 1))} pts"
    return sign + fmt_number(round(abs(c), 3))


_TONE: dict[str, Tone] = {"better": "ok", "worse": "bad", "same": "", "": ""}


def visual_diff(old: Blueprint, new: Blueprint, d: BlueprintDiff) -> str:
    """The merged blueprint drawn with added, removed and changed actions coloured."""
    return blueprint_picture(merged_blueprint(old, new, d), d.highlight())


def diff_document(d: BlueprintDiff, old: Blueprint, new: Blueprint, *, figures: bool = False) -> Document:
    title = d.new_title if d.old_title == d.new_title else f"{d.old_title} → {d.new_title}"
    doc = Document(f"Diff: {title}", f"{d.old_label} → {d.new_label}")
    currency = new.currency or old.currency
    key = {x.name: x for x in d.deltas}
    cards = [
        Card("actions added", str(len(d.added))), Card("removed", str(len(d.removed))),
        Card("changed", str(len(d.changed))), Card("moved", str(len(d.moved))),
        Card("flows added / removed / changed",
             f"{len(d.flows_added)} / {len(d.flows_removed)} / {len(d.flows_changed)}"),
    ]
    for name in ("customer standard time", "customer time P90", "cost per case"):
        x = key[name]
        cards.append(Card(name, f"{_value(x, x.old, currency)} → {_value(x, x.new, currency)}", _TONE[x.verdict]))
    doc.add(Cards(tuple(cards)))
    if d.identical:
        doc.add(Para("The two blueprints have the same actions, flows, roles and steps."))
    if figures:
        fit = " fit" if len(new.steps) <= 12 else ""
        doc.add(Figure(visual_diff(old, new, d), f"{d.new_label} with the removed actions of {d.old_label} put "
                       "back where they were; added, removed and changed actions are outlined (see the legend).",
                       "blueprint" + fit))

    doc.add(Heading("What the change does", "figures"))
    doc.table(["measure", d.old_label, d.new_label, "change", "verdict"],
              [[x.name, _value(x, x.old, currency), _value(x, x.new, currency), _change(x, currency), x.verdict]
               for x in d.deltas], numeric=(1, 2, 3))
    if d.staff:
        doc.add(Heading("Staff needed at the busiest period", "staff", 3))
        doc.table(["role", f"needed ({d.old_label})", f"needed ({d.new_label})", f"on duty ({d.old_label})",
                   f"on duty ({d.new_label})"],
                  [[s.role, _int(s.old_needed), _int(s.new_needed), _int(s.old_on_duty), _int(s.new_on_duty)]
                   for s in d.staff], numeric=(1, 2, 3, 4))

    doc.add(Heading("Actions", "actions"))
    doc.add(Para(f"{len(d.added)} added, {len(d.removed)} removed, {len(d.changed)} changed "
                 f"({len(d.moved)} moved), {d.unchanged} unchanged."))
    if d.added:
        doc.add(Heading("Added", "added", 3))
        doc.table(["action", "step", "lane", "text"], [[a.id, a.step, a.lane, a.text] for a in d.added])
    if d.removed:
        doc.add(Heading("Removed", "removed", 3))
        doc.table(["action", "step", "lane", "text"], [[a.id, a.step, a.lane, a.text] for a in d.removed])
    if d.moved:
        doc.add(Heading("Moved", "moved", 3))
        rows = []
        for c in d.moved:
            where = []
            if c.old_step != c.new_step:
                where.append(f"step {c.old_step} → {c.new_step}")
            if c.old_lane != c.new_lane:
                where.append(f"lane {c.old_lane} → {c.new_lane}")
            rows.append([c.id, "; ".join(where), c.visibility or "—"])
        doc.table(["action", "move", "visibility"], rows)
    if d.changed:
        doc.add(Heading("Changed", "changed", 3))
        rows = []
        for c in d.changed:
            for k, f in enumerate(c.fields):
                rows.append([c.id if k == 0 else "", f.field, f.old, f.new])
            if not c.fields:
                rows.append([c.id, "(moved only)", "", ""])
        doc.table(["action", "field", d.old_label, d.new_label], rows)

    doc.add(Heading("Flows", "flows"))
    if not (d.flows_added or d.flows_removed or d.flows_changed):
        doc.add(Para("No flow changed (after matching renamed actions)."))
    if d.flows_added:
        doc.add(Para("Added:"), Items(tuple(_flow(f.source, f.target, f.two_way, f.p) for f in d.flows_added)))
    if d.flows_removed:
        doc.add(Para("Removed:"), Items(tuple(_flow(f.source, f.target, f.two_way, f.p) for f in d.flows_removed)))
    if d.flows_changed:
        doc.add(Para("Changed:"), Items(tuple(f"{f.source} → {f.target}: {f.old} became {f.new}"
                                              for f in d.flows_changed)))

    doc.add(Heading("Roles and steps", "roles"))
    lines = []
    if d.roles_added:
        lines.append("roles added: " + ", ".join(d.roles_added))
    if d.roles_removed:
        lines.append("roles removed: " + ", ".join(d.roles_removed))
    for r in d.roles_changed:
        lines += [f"role {r.role}: {f.field} {f.old} → {f.new}" for f in r.fields]
    if d.steps_added:
        lines.append("steps added: " + ", ".join(d.steps_added))
    if d.steps_removed:
        lines.append("steps removed: " + ", ".join(d.steps_removed))
    doc.add(Items(tuple(lines)) if lines else Para("No role or step changed."))
    doc.add(Heading("Notes", "notes"), Items((
        "Actions are matched by id, then by similar text; a text match that changes the id shows as a changed 'id'.",
        "Both blueprints are analysed with the same settings and seed; see 'blueprint analyze' for each in full.",
    )))
    return doc


def _int(x: int | None) -> str:
    return "—" if x is None else str(x)


def _flow(source: str, target: str, two_way: bool, p: float | None) -> str:
    arrow = "<->" if two_way else "->"
    return f"{source} {arrow} {target}" + (f" (p {fmt_number(p)})" if p is not None else "")
