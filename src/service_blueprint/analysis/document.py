"""What the analysis report says, in which order, as format-neutral blocks.

Text, Markdown and HTML all come from :func:`analysis_document`; HTML adds the figures (the
rendered blueprint with the critical path, bottleneck and fail points outlined, and charts).
"""

from __future__ import annotations

import math

from ..charts import bar_chart, heatmap, line_chart, stacked_bar_chart
from ..demand import WEEK_HOURS, hour_label
from ..model import Blueprint
from ..quantities import fmt_number, fmt_seconds
from ..render import render_svg
from .blocks import Card, Cards, Document, Figure, Heading, Items, Para
from .report import Analysis


def pct(x: float) -> str:
    if math.isinf(x):
        return "∞"
    return f"{fmt_number(round(x * 100, 1))} %"


def money(x: float, currency: str | None) -> str:
    return f"{x:,.2f}" + (f" {currency}" if currency else "")


def signed(x: float) -> str:
    """An emotion as people write it: ``-2``, ``0``, ``+1``."""
    return f"{x:+g}" if x else "0"


def hours(seconds: float) -> str:
    return fmt_seconds(seconds)


def number(x: float, digits: int = 2) -> str:
    return fmt_number(round(x, digits))


def blueprint_picture(bp: Blueprint, highlight: dict[str, str]) -> str:
    """The rendered blueprint with highlighted actions (the renderer draws the legend)."""
    return render_svg(bp, highlight=highlight)


def highlights(a: Analysis) -> dict[str, str]:
    """Critical path first, then the bottleneck role's actions, then fail points (one mark each)."""
    marks: dict[str, str] = {}
    for action_id in a.timing.customer_path:
        marks[action_id] = "critical"
    for p in a.blueprint.placed():
        if a.load.bottleneck and p.action.role == a.load.bottleneck:
            marks.setdefault(p.action.id, "bottleneck")
        if p.action.fail is not None:
            marks.setdefault(p.action.id, "fail")
    return marks


def analysis_document(a: Analysis, *, figures: bool = False) -> Document:
    bp = a.blueprint
    text = {p.action.id: p.action.text for p in bp.placed()}
    state = f"{a.state} state" if a.state else "state not given"
    doc = Document(f"Analysis: {a.title}", f"{state} · {a.completeness.actions} actions · {len(bp.steps)} steps")
    t = a.timing
    cards = [Card("customer standard time", hours(t.customer_time), "bad" if t.over_tolerance else "")]
    if t.tolerance is not None:
        cards.append(Card("tolerance", hours(t.tolerance)))
    if t.customer_spread is not None:
        s = t.customer_spread
        cards.append(Card("P50 / P90 / P95", f"{hours(s.p50)} / {hours(s.p90)} / {hours(s.p95)}"))
        if s.share_over is not None:
            cards.append(Card("cases over tolerance", pct(s.share_over), "bad" if s.share_over > 0.1 else ""))
    cards.append(Card("cost per case", money(a.cost.per_case, a.currency)))
    if a.load.bottleneck:
        r = next(x for x in a.load.roles if x.role == a.load.bottleneck)
        cards.append(Card("bottleneck", f"{r.name} ({pct(r.average)})", "bad" if r.average >= 1 else "warn"))
    cards.append(Card("fail points", str(len(a.fails.points)), "warn" if a.fails.flagged else ""))
    cards.append(Card("handoffs", str(len(a.interactions.handoffs))))
    doc.add(Cards(tuple(cards)))

    if figures:
        fit = " fit" if len(bp.steps) <= 12 else ""  # small blueprints fit the page; big ones scroll
        doc.add(Figure(blueprint_picture(bp, highlights(a)), "The blueprint: critical path, bottleneck role and "
                       "fail points outlined (see the legend).", "blueprint" + fit))

    _time(doc, a, text, figures)
    _lean(doc, a, figures)
    _cost(doc, a)
    _load(doc, a, figures)
    _fails(doc, a)
    _interactions(doc, a, text, figures)
    _completeness(doc, a)
    doc.add(Heading("Notes and assumptions", "notes"), Items(a.notes))
    return doc


def _time(doc: Document, a: Analysis, text: dict[str, str], figures: bool) -> None:
    t = a.timing
    doc.add(Heading("Time", "time"))
    verdict = ""
    if t.tolerance is not None:
        verdict = (f" — over the tolerance of {hours(t.tolerance)}" if t.over_tolerance
                   else f" — within the tolerance of {hours(t.tolerance)}")
    doc.add(Para(f"Customer standard time (critical path of mean times): {hours(t.customer_time)}{verdict}.",
                 "bad" if t.over_tolerance else ""))
    doc.add(Para(f"Case standard time (until the last action of any lane): {hours(t.case_time)}."))
    if t.customer_spread is not None and t.case_spread is not None:
        c, k = t.customer_spread, t.case_spread
        doc.table(["end-to-end", "mean", "P50", "P90", "P95", "over tolerance"], [
            ["customer time", hours(c.mean), hours(c.p50), hours(c.p90), hours(c.p95),
             pct(c.share_over) if c.share_over is not None else "—"],
            ["case time", hours(k.mean), hours(k.p50), hours(k.p90), hours(k.p95), "—"],
        ], numeric=(1, 2, 3, 4, 5))
        doc.add(Para(f"Monte Carlo over the duration distributions and every branch: {t.samples} cases, "
                     f"seed {t.seed}.", ""))
    doc.add(Heading("Standard time per step", "steps", 3))
    doc.table(["step", "starts at", "elapsed", "work in it"],
              [[s.name, hours(s.start), hours(s.elapsed), hours(s.work)] for s in t.steps], numeric=(1, 2, 3))
    by_id = {x.id: x for x in t.actions}
    doc.add(Heading("Critical path (customer time)", "critical", 3))
    rows = []
    for aid in t.customer_path:
        x = by_id[aid]
        expected = x.route * x.standard
        rows.append([aid, text[aid], x.lane, hours(x.route * x.wait) if x.wait else "—", hours(expected),
                     hours(x.finish)])
    doc.table(["action", "what", "lane", "wait", "expected time", "done at"], rows, numeric=(3, 4, 5))
    if len(t.case_path) and t.case_path != t.customer_path:
        doc.add(Para("Case critical path: " + " → ".join(t.case_path) + "."))
    tolerated = [x for x in t.actions if x.tolerance is not None]
    if tolerated:
        doc.add(Heading("Against tolerances", "tolerances", 3))
        doc.table(["action", "wait + duration", "tolerance", "verdict", "runs over (sampled)"], [
            [x.id, hours(x.standard), hours(x.tolerance or 0), "over" if x.over_tolerance else "within",
             pct(x.share_over) if x.share_over is not None else "—"] for x in tolerated
        ], numeric=(1, 2, 4))
    if figures and t.steps:
        doc.add(Figure(bar_chart([(s.name, s.elapsed / 60) for s in t.steps], title="Elapsed time per step",
                                 unit="min"), "Elapsed minutes per step in the standard run."))


def _lean(doc: Document, a: Analysis, figures: bool) -> None:
    lean = a.timing.lean
    doc.add(Heading("The customer's time", "lean"))
    doc.add(Para(f"Of {hours(lean.total)} of customer standard time, {hours(lean.action)} ({pct(lean.action_share)}) "
                 "is spent in action (the customer's own steps and the interactions they are part of) and "
                 f"{hours(lean.waiting)} waiting: {hours(lean.queue)} in given waits and {hours(lean.provider)} "
                 "while the provider works out of the customer's presence.",
                 "warn" if lean.total and lean.action_share < 0.25 else ""))
    total = lean.total or 1.0
    doc.table(["part", "time", "share"], [
        ["in action", hours(lean.action), pct(lean.action / total)],
        ["waiting: given waits (queues)", hours(lean.queue), pct(lean.queue / total)],
        ["waiting: provider working", hours(lean.provider), pct(lean.provider / total)],
    ], numeric=(1, 2))
    if figures:
        doc.add(Figure(stacked_bar_chart([("customer time", [lean.action / 60, lean.queue / 60, lean.provider / 60])],
                                         ["in action", "given waits", "provider working"],
                                         title="Where the customer's time goes", unit="min"),
                       "Customer standard time split along the critical path."))


def _cost(doc: Document, a: Analysis) -> None:
    c = a.cost
    doc.add(Heading("Work and cost per case", "cost"))
    doc.add(Para(f"Cost per case: {money(c.per_case, a.currency)}; work per case: {hours(c.work_per_case)}."))
    doc.table(["role", "department", "executions", "work", "cost / h", "time cost", "fixed cost", "total"], [
        [r.name, r.department or "—", number(r.executions), hours(r.work),
         number(r.rate) if r.rate is not None else "—", money(r.time_cost, None), money(r.fixed_cost, None),
         money(r.total, None)] for r in c.roles
    ], numeric=(2, 3, 4, 5, 6, 7))
    doc.table(["department", "work", "time cost", "fixed cost", "total"], [
        [d.name, hours(d.work), money(d.time_cost, None), money(d.fixed_cost, None), money(d.total, None)]
        for d in c.departments
    ], numeric=(1, 2, 3, 4))
    if c.unpriced:
        doc.add(Para("No cost per hour for: " + ", ".join(c.unpriced) + " (their time is not in the cost).", "warn"))


def _load(doc: Document, a: Analysis, figures: bool) -> None:
    load = a.load
    doc.add(Heading("Staff load", "load"))
    if a.demand is None:
        doc.add(Para("No demand with an arrival rate is given, so staff load cannot be computed. "
                     "Add e.g. 'demand: {arrivals: 4/h, hours: Mon-Fri 09:00-17:00}'.", "warn"))
        return
    doc.add(Para("Demand periods: " + "; ".join(p.label for p in a.demand.periods)
                 + f". Average {number(load.average_rate)}/h over the open hours, "
                 f"{number(a.demand.arrivals_per_week, 1)} cases a week."))
    if load.bottleneck:
        r = next(x for x in load.roles if x.role == load.bottleneck)
        doc.add(Para(f"Bottleneck: {r.name}, {pct(r.average)} utilised at the average rate.",
                     "bad" if r.average >= 1 else "warn" if r.average >= 0.85 else ""))
    worst = load.peak_bottleneck
    if worst and worst[0] != load.bottleneck:
        doc.add(Para(f"Tightest in a single period: {worst[0]} during {worst[1]}."))
    rows = []
    for r in load.roles:
        rows.append([r.name, "average", pct(r.average), "—", str(r.needed_average), ""])
        for p in r.periods:
            on = str(p.staff_min) if p.staff_min == p.staff_max else f"{p.staff_min}–{p.staff_max}"
            status = {"short": f"short by {p.needed - p.staff_min}", "over": f"{p.staff_min - p.needed} spare",
                      "ok": "ok"}[p.status]
            rows.append(["", p.period, pct(p.utilisation), on, str(p.needed), status])
    within = fmt_seconds(load.within)
    doc.add(Para(f"Staff needed: Erlang C, {pct(load.target)} of arrivals start each action within {within}."))
    doc.table(["role", "period", "utilisation", "on duty", "needed", "staffing"], rows, numeric=(2, 3, 4))
    for r in load.roles:
        if r.unstaffed:
            doc.add(Para(f"{r.name}: work arrives while nobody is on duty ({r.unstaffed}).", "warn"))
    if load.unlimited:
        doc.add(Para("Unlimited (systems without staff): " + ", ".join(load.unlimited) + "."))
    if figures and load.roles:
        items = [(f"{r.name} · {p.period}", p.utilisation * 100) for r in load.roles for p in r.periods]
        doc.add(Figure(bar_chart(items, title="Utilisation per role and demand period", unit="%", marker=100,
                                 marker_label="100 %", width=900),
                       "Utilisation above 100 % (marked !) means work arrives faster than the staff on duty can do it."))
        labels = [hour_label(h) for h in range(WEEK_HOURS)]
        values = [[v * 100 if math.isfinite(v) else 10_000.0 for v in r.hourly] for r in load.roles]
        doc.add(Figure(heatmap([r.name for r in load.roles], labels, values, title="Utilisation by hour of the week",
                               unit="%", max_value=100, threshold=100, label_every=24),
                       "Each cell is one hour; the warning colour marks hours where the role is overloaded or "
                       "nobody is on duty."))


def _fails(doc: Document, a: Analysis) -> None:
    doc.add(Heading("Fail points", "fails"))
    if not a.fails.points:
        doc.add(Para("No fail points are marked. Every service fails somewhere: mark where.", "warn"))
        return
    doc.add(Para(f"{len(a.fails.points)} fail points, {number(a.fails.per_case, 3)} expected failures per case; "
                 "ranked by expected failures per case × impact."))
    rows = []
    for k, f in enumerate(a.fails.points, 1):
        rows.append([str(k), f.action, f.text, number(f.likelihood, 3) if f.likelihood is not None else "?",
                     str(f.impact) if f.impact is not None else "?",
                     number(f.per_case, 3) if f.per_case is not None else "?",
                     number(f.risk, 3) if f.risk is not None else "?",
                     "seen" if f.visible else "hidden", f.owner or "—", f.recovery or "—",
                     ", ".join(f.problems) or "ok"])
    doc.table(["#", "action", "what fails", "likelihood", "impact", "per case", "risk", "customer", "owner",
               "recovery", "gaps"], rows, numeric=(0, 3, 4, 5, 6))


def _interactions(doc: Document, a: Analysis, text: dict[str, str], figures: bool) -> None:
    ix = a.interactions
    doc.add(Heading("Handoffs and encounters", "handoffs"))
    doc.add(Para(f"{len(ix.handoffs)} handoffs ({number(ix.expected_handoffs)} expected per case); "
                 f"{len(ix.encounters)} service encounters (flows across the line of interaction)."))
    if ix.department_pairs:
        doc.table(["from department", "to department", "handoffs", "expected per case"],
                  [[d.source, d.target, str(d.count), number(d.expected)] for d in ix.department_pairs],
                  numeric=(2, 3))
    if ix.handoffs:
        doc.table(["from", "to", "roles", "why"], [
            [h.source, h.target, f"{h.from_role or '—'} → {h.to_role or '—'}", ", ".join(h.reasons)]
            for h in ix.handoffs])
    doc.table(["line", "flows crossing", "expected per case"],
              [[c.line, str(c.count), number(c.expected)] for c in ix.crossings], numeric=(1, 2))
    doc.add(Heading("Moments of truth", "moments", 3))
    if ix.moments:
        doc.add(Items(tuple(f"{m.action} — {m.text}: {'; '.join(m.reasons)}" for m in ix.moments)))
    else:
        doc.add(Para("None: no customer action has a strongly negative emotion or meets a fail point."))
    doc.add(Heading("Emotion curve", "emotion", 3))
    scored = [e for e in ix.emotions if e.emotion is not None]
    if not scored:
        doc.add(Para("No emotions are given on customer actions.", "warn"))
        return
    low, end = ix.lowest, ix.end
    assert low is not None and end is not None
    mean = sum(e.emotion or 0.0 for e in scored) / len(scored)
    doc.add(Para(f"Lowest point: {low.action} ({signed(low.emotion or 0)}); the journey ends at {signed(end.emotion or 0)} "
                 f"({end.action}); mean {mean:+.2f} over {len(scored)} scored actions."))
    doc.table(["step", "customer action", "emotion"],
              [[e.step_name, e.text, signed(e.emotion) if e.emotion is not None else "—"] for e in ix.emotions],
              numeric=(2,))
    if figures:
        doc.add(Figure(line_chart([(e.text, e.emotion) for e in ix.emotions], title="Emotion curve", y_min=-2,
                                  y_max=2, y_ticks=(-2, -1, 0, 1, 2), baseline=0,
                                  width=max(480, 70 * len(ix.emotions))),
                       "The customer's feeling at each of their actions, −2 to +2; hollow points are below 0."))


def _completeness(doc: Document, a: Analysis) -> None:
    c = a.completeness
    doc.add(Heading("Data completeness", "completeness"))
    doc.table(["what", "known", "share"], [
        ["actions with a duration", f"{c.duration.have} of {c.duration.of}", pct(c.duration.share)],
        ["provider actions with a role", f"{c.role.have} of {c.role.of}", pct(c.role.share)],
        ["steps with evidence", f"{c.evidence.have} of {c.evidence.of}", pct(c.evidence.share)],
        ["fail points with a likelihood", f"{c.fail_likelihood.have} of {c.fail_likelihood.of}",
         pct(c.fail_likelihood.share)],
        ["roles (people, partners) with a cost", f"{c.role_cost.have} of {c.role_cost.of}", pct(c.role_cost.share)],
    ], numeric=(1, 2))
    doc.table(["source", "actions", "share"],
              [[s, str(n), pct(c.source_share(s))] for s, n in c.sources], numeric=(1, 2))
    if c.missing_duration:
        doc.add(Para("No duration: " + ", ".join(c.missing_duration[:20])
                     + (f" and {len(c.missing_duration) - 20} more" if len(c.missing_duration) > 20 else "") + ".",
                     "warn"))
