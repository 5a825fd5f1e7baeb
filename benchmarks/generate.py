"""Synthetic blueprints of any size, shaped like real ones (all lanes, roles, flows, fail points)."""

from __future__ import annotations

import argparse
import random


def big_blueprint(steps: int = 1000, actions_per_step: int = 5, seed: int = 1) -> str:
    """YAML text with ``steps`` steps and about ``steps * actions_per_step`` actions."""
    rng = random.Random(seed)
    lines = [
        "blueprint: 1",
        "title: Generated blueprint",
        "state: current",
        "currency: EUR",
        "scenario: {customer: Test customer, start: Arrives, end: Leaves, goal: Be served, tolerance: 400 h}",
        "roles:",
        "  clerk: {name: Clerk, department: Front office, staff: 4, cost: 30/h, shifts: [Mon-Fri 08:00-18:00]}",
        "  expert: {name: Expert, department: Back office, staff: 3, cost: 45/h}",
        "  system: {name: Core system, kind: system}",
        "demand: {arrivals: 6/h, hours: Mon-Fri 09:00-17:00, peaks: [Mon 09:00-11:00 12/h]}",
        "steps:",
    ]
    flows = []
    extra = actions_per_step - 4
    for i in range(steps):
        lines += [
            f"  - id: s{i}",
            f"    name: Step {i}",
            f"    evidence: [Screen {i}, Letter {i}]",
            "    customer:",
            f"      - {{id: c{i}, text: Customer does thing {i}, emotion: {rng.randint(-2, 2)}, channel: web}}",
            "    frontstage:",
            f"      - {{id: f{i}, text: Clerk answers {i}, role: clerk, duration: {rng.randint(1, 4)}..{rng.randint(5, 9)} min}}",
            "    backstage:",
            f"      - id: b{i}",
            f"        text: Expert reviews case {i}",
            "        role: expert",
            f"        duration: {rng.randint(2, 5)}..{rng.randint(6, 9)}..{rng.randint(10, 20)} min",
            f"        fail: {{text: Review misses a detail, likelihood: 0.05, impact: 3, owner: expert, recovery: f{i}}}",
            "    support:",
            f"      - {{id: u{i}, text: System stores record {i}, role: system, duration: 10 s}}",
        ]
        for k in range(extra):
            lines.append(f"      - {{id: x{i}_{k}, text: Extra support {i} {k}, role: system, duration: ~30 s}}")
        flows.append(f"  - c{i} <-> f{i} -> b{i} -> u{i}")
        for k in range(extra):
            flows.append(f"  - u{i} -> x{i}_{k}")
    return "\n".join(lines + ["flows:", *flows]) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--steps", type=int, default=1000)
    ap.add_argument("--actions-per-step", type=int, default=5)
    ap.add_argument("-o", "--output", default="-")
    args = ap.parse_args()
    text = big_blueprint(args.steps, args.actions_per_step)
    if args.output == "-":
        print(text, end="")
    else:
        with open(args.output, "w", encoding="utf-8") as fh:
            fh.write(text)


if __name__ == "__main__":
    main()
