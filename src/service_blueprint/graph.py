"""Plain graph algorithms on action ids, shared by the checker, analysis and exporters."""

from __future__ import annotations

from collections.abc import Iterable, Sequence


def adjacency(nodes: Iterable[str], edges: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    """Successor lists in a stable order; edges naming unknown nodes are left out."""
    succ: dict[str, list[str]] = {n: [] for n in nodes}
    for a, b in edges:
        if a in succ and b in succ and b not in succ[a]:
            succ[a].append(b)
    return succ


def strongly_connected(succ: dict[str, list[str]]) -> list[list[str]]:
    """Tarjan's components, iteratively (blueprints can be deep), in discovery order."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    out: list[list[str]] = []
    counter = 0
    for root in succ:
        if root in index:
            continue
        work: list[tuple[str, int]] = [(root, 0)]
        while work:
            node, i = work.pop()
            if i == 0:
                index[node] = low[node] = counter
                counter += 1
                stack.append(node)
                on_stack.add(node)
            children = succ[node]
            if i < len(children):
                work.append((node, i + 1))
                child = children[i]
                if child not in index:
                    work.append((child, 0))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            if low[node] == index[node]:
                comp = []
                while True:
                    w = stack.pop()
                    on_stack.discard(w)
                    comp.append(w)
                    if w == node:
                        break
                out.append(comp)
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
    return out


def cycles(succ: dict[str, list[str]]) -> list[list[str]]:
    """One concrete cycle per cyclic component, starting at its first node in ``succ`` order."""
    order = {n: i for i, n in enumerate(succ)}
    found: list[list[str]] = []
    for comp in strongly_connected(succ):
        members = set(comp)
        if len(comp) == 1 and comp[0] not in succ[comp[0]]:
            continue
        start = min(comp, key=order.__getitem__)
        found.append(_cycle_from(start, succ, members))
    found.sort(key=lambda c: order[c[0]])
    return found


def _cycle_from(start: str, succ: dict[str, list[str]], members: set[str]) -> list[str]:
    """Shortest cycle through ``start`` inside its component (breadth-first)."""
    prev: dict[str, str] = {}
    frontier = [start]
    seen = {start}
    while frontier:
        nxt = []
        for node in frontier:
            for child in succ[node]:
                if child == start:
                    path = [node]
                    while path[-1] != start:
                        path.append(prev[path[-1]])
                    return list(reversed(path))
                if child in members and child not in seen:
                    seen.add(child)
                    prev[child] = node
                    nxt.append(child)
        frontier = nxt
    return [start]


def topological_order(succ: dict[str, list[str]]) -> list[str] | None:
    """Kahn's order, stable with respect to ``succ``; None if the graph has a cycle."""
    indeg = {n: 0 for n in succ}
    for children in succ.values():
        for c in children:
            indeg[c] += 1
    ready = [n for n in succ if indeg[n] == 0]
    out: list[str] = []
    i = 0
    while i < len(ready):
        n = ready[i]
        i += 1
        out.append(n)
        for c in succ[n]:
            indeg[c] -= 1
            if indeg[c] == 0:
                ready.append(c)
    return out if len(out) == len(succ) else None


def reachable(succ: dict[str, list[str]], starts: Sequence[str]) -> set[str]:
    seen = set(starts)
    stack = list(starts)
    while stack:
        for c in succ.get(stack.pop(), ()):
            if c not in seen:
                seen.add(c)
                stack.append(c)
    return seen
