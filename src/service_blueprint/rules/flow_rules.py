"""Rules about the flow graph: acyclic, well-formed choices, no repeated arrows."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from ..findings import Finding, Severity
from ..flows import Edge
from ..graph import cycles
from ..quantities import fmt_number
from .context import Context
from .registry import rule

_EPS = 1e-6


@rule("E020", "flow-cycle", Severity.ERROR, "the flows form a cycle (the cycle is printed)",
      "Time runs one way: a cycle has no start, so no critical path. Model rework with 'repeat'.")
def flow_cycle(ctx: Context) -> Iterator[Finding]:
    for cycle in cycles(ctx.successors):
        closing = _closing_edge(ctx, cycle)
        text = " -> ".join([*cycle, cycle[0]])
        hint = "remove the back-edge; rework is written as 'repeat: 0.1' on the action"
        if closing is not None:
            yield ctx.at_edge("E020", closing, "target", f"flows form a cycle: {text}", hint)
        else:
            yield ctx.at("E020", ctx.blueprint.action_index[cycle[0]].path, f"flows form a cycle: {text}", hint)


def _closing_edge(ctx: Context, cycle: list[str]) -> Edge | None:
    last, first = cycle[-1], cycle[0]
    for e in ctx.known_edges:
        if e.source == last and e.target == first and not e.implicit:
            return e
    for e in ctx.known_edges:
        if e.source in cycle and e.target in cycle and not e.implicit:
            return e
    return None


def _prob_findings(ctx: Context, path: tuple[str | int, ...], name: str, value: float | None,
                   upper_open: bool = False) -> Iterator[Finding]:
    if value is None:
        return
    if value < 0 or value > 1 or (upper_open and value >= 1):
        limit = "0 and below 1" if upper_open else "0 and 1"
        yield ctx.at("E021", path, f"{name} {fmt_number(value)} is not a probability between {limit}",
                     "write a share such as 0.2 (not 20)" if value > 1 else None)


@rule("E021", "probability-range", Severity.ERROR,
      "a probability (p, repeat, likelihood) is outside 0..1 (repeat must be below 1)",
      "Probabilities drive expected cost and simulation; 20 instead of 0.2 would multiply work by 100.")
def probability_range(ctx: Context) -> Iterator[Finding]:
    for placed in ctx.blueprint.placed():
        a = placed.action
        yield from _prob_findings(ctx, placed.path + ("p",), "p", a.p)
        yield from _prob_findings(ctx, placed.path + ("repeat",), "repeat", a.repeat, upper_open=True)
        if a.fail:
            yield from _prob_findings(ctx, placed.path + ("fail", "likelihood"), "likelihood", a.fail.likelihood)
    for edge in ctx.blueprint.edges:
        if edge.p is not None:
            yield from _prob_findings(ctx, ("flows", edge.spec, "p"), "p", edge.p)


def _explicit_out(ctx: Context) -> dict[str, list[Edge]]:
    out: dict[str, list[Edge]] = defaultdict(list)
    for e in ctx.blueprint.edges:
        if not e.implicit:
            out[e.source].append(e)
    return out


@rule("E022", "choice-sum", Severity.ERROR, "the branches of an exclusive choice do not sum to 1",
      "Flows with 'p' leaving one action are one exclusive choice (flows without 'p' from the same action "
      "still all fire); the shares must add up to 100 %.")
def choice_sum(ctx: Context) -> Iterator[Finding]:
    for source, edges in _explicit_out(ctx).items():
        branches = [e for e in edges if e.p is not None]
        if not branches:
            continue
        total = sum(e.p or 0.0 for e in branches)
        if abs(total - 1) > _EPS:
            parts = " + ".join(fmt_number(e.p or 0.0) for e in branches)
            yield ctx.at("E022", ("flows", branches[0].spec, "p"),
                         f"choice after '{source}' sums to {fmt_number(round(total, 9))} ({parts}), not 1",
                         "adjust the 'p' of its branches so they add up to 1")


@rule("W108", "duplicate-flow", Severity.WARNING, "the same flow is written twice",
      "A repeated arrow is usually a leftover from an edit and clutters the drawing.")
def duplicate_flow(ctx: Context) -> Iterator[Finding]:
    seen: set[tuple[str, str]] = set()
    implicit = {(e.source, e.target) for e in ctx.blueprint.edges if e.implicit}
    for e in ctx.blueprint.edges:
        if e.implicit:
            continue
        key = (e.source, e.target)
        if key in seen:
            yield ctx.at_edge("W108", e, "target", f"flow {e.source} -> {e.target} is written more than once")
        elif key in implicit and not e.two_way and e.p is None and e.label is None:
            yield ctx.at_edge("W108", e, "target",
                              f"flow {e.source} -> {e.target} repeats the implicit customer chain",
                              "customer actions are joined in step order already; remove this flow")
        seen.add(key)
