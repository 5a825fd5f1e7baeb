"""Analysis speed: Monte Carlo of end-to-end time (vectorised NumPy) against a plain-Python loop
over the same compiled plan, and the deterministic part of ``analyze`` on a 5,000-action blueprint.

Run: .venv/bin/python benchmarks/analyze.py
"""

from __future__ import annotations

import math
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import big_blueprint

from service_blueprint import loads
from service_blueprint.analysis import analyze
from service_blueprint.quantities import Duration
from service_blueprint.sampling import lognormal_params
from service_blueprint.semantics import Plan, compile_plan, sample_paths
from service_blueprint.templates import template_text

SAMPLES = 10_000


def draw(d: Duration, rng: random.Random) -> float:
    """One draw with the standard library, the same distributions as ``sampling.sample``."""
    p = d.params
    if d.dist == "fixed":
        return p[0]
    if d.dist == "uniform":
        return rng.uniform(p[0], p[1])
    if d.dist == "triangular":
        return rng.triangular(p[0], p[2], p[1])
    if d.dist == "exponential":
        return rng.expovariate(1 / p[0])
    if d.dist == "lognormal":
        mu, sigma = lognormal_params(p[0], p[1])
        return rng.lognormvariate(mu, sigma)
    if d.dist == "gamma":
        return rng.gammavariate((p[0] / p[1]) ** 2, p[1] ** 2 / p[0])
    if d.dist == "normal":
        x = -1.0
        while x < 0:
            x = rng.normalvariate(p[0], p[1])
        return x
    return rng.choice(p)


def python_monte_carlo(plan: Plan, n: int, seed: int = 0) -> list[float]:
    """The peer: one case at a time, one action at a time, with the same flow semantics."""
    rng = random.Random(seed)
    customer = plan.customer_time
    out = []
    for _ in range(n):
        ran = [False] * plan.size
        finish = [0.0] * plan.size
        picked = [-1] * len(plan.choices)
        end = 0.0
        for i in range(plan.size):
            flows = plan.incoming[i]
            live = not flows or any(ran[f.source] and (f.choice < 0 or picked[f.choice] == f.option) for f in flows)
            if plan.p[i] < 1.0 and rng.random() >= plan.p[i]:
                live = False
            ran[i] = live
            for c in plan.choices_of[i]:
                u, acc, k = rng.random(), 0.0, 0
                for k, prob in enumerate(plan.choices[c].probabilities):  # noqa: B007
                    acc += prob
                    if u < acc:
                        break
                picked[c] = k
            ready = max((finish[j] for j in plan.preds[i]), default=0.0)
            if not live:
                finish[i] = ready
                continue
            t = ready + (draw(plan.waits[i], rng) if plan.waits[i] is not None else 0.0)
            d = plan.durations[i]
            if d is not None:
                t += draw(d, rng)
                while plan.repeat[i] > 0 and rng.random() < plan.repeat[i]:
                    t += draw(d, rng)
            finish[i] = t
            if customer[i]:
                end = max(end, t)
        out.append(end)
    return out


def timed(fn: Callable[[], object], repeat: int = 3) -> tuple[float, object]:
    best, result = math.inf, None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


def compare(name: str, plan: Plan, peer_samples: int) -> None:
    numpy_s, paths = timed(lambda: sample_paths(plan, np.random.default_rng(0), SAMPLES))
    peer_s, values = timed(lambda: python_monte_carlo(plan, peer_samples), repeat=1)
    peer_full = peer_s * SAMPLES / peer_samples
    mean_np = float(paths.customer_time.mean()) / 60  # type: ignore[attr-defined]
    mean_py = statistics.fmean(values) / 60  # type: ignore[arg-type]
    scaled = "" if peer_samples == SAMPLES else f" (measured on {peer_samples:,} cases, scaled)"
    print(f"{name}: {plan.size} actions, {SAMPLES:,} cases")
    print(f"  numpy Monte Carlo        {numpy_s * 1000:8.1f} ms   mean customer time {mean_np:7.1f} min")
    print(f"  plain-Python loop (peer) {peer_full * 1000:8.1f} ms{scaled}   mean {mean_py:7.1f} min")
    print(f"  ratio: numpy is {peer_full / numpy_s:.1f}x faster")


def main() -> None:
    compare("template bike-repair-current", compile_plan(loads(template_text("bike-repair-current"))), SAMPLES)
    compare("generated blueprint", compile_plan(loads(big_blueprint(200, 5))), 1_000)
    big = loads(big_blueprint(1000, 5))
    seconds, _ = timed(lambda: analyze(big, samples=0), repeat=3)
    size = len(big.action_index)
    print(f"analyze, deterministic part (samples=0): {size:,} actions in {seconds:.3f} s (target: under 1 s)")
    seconds, _ = timed(lambda: analyze(big, samples=1_000), repeat=1)
    print(f"analyze with 1,000 Monte Carlo cases: {size:,} actions in {seconds:.3f} s")


if __name__ == "__main__":
    main()
