"""Benchmark: a 5-station tandem queue in this engine, SimPy and Ciw, in one run.

The model (issue 6): stations with 1, 2, 3, 2, 1 servers, exponential service with mean 1,
Poisson arrivals at 0.8 per unit, 200,000 customers. The mean time in system of this open
Jackson network is 13.40 units. Here one unit is a minute.

This engine runs the model as an ordinary blueprint (five support actions in a chain, one role
per station) through the public ``simulate`` path; SimPy and Ciw model it the usual way in each.
Each engine runs 10 replications of 20,000 customers (independent seeds), interleaved (ours,
SimPy, Ciw, ours, ...) so that a busy moment on a shared machine hits all three alike; our mean
comes with a 95 % confidence interval over the replications. Times are CPU time of this process
(``time.process_time``), all three in one process (``simulate`` can spread replications over
processes with ``jobs``; not used here). Printed: customers per second for each, the ratios, and
whether the Jackson value lies in our interval.

Our engine is the C extension that installing builds from ``simulation/engine.py`` with Cython; the
first line says so, or that it runs as plain Python (no compiler at install time), which is
four to five times slower (docs/simulation.md, "Speed").

Run: ``.venv/bin/python benchmarks/simulate.py`` (``--customers N`` for a shorter run).
"""

from __future__ import annotations

import argparse
import math
import random
import time

from service_blueprint import loads
from service_blueprint.simulation import engine
from service_blueprint.simulation.model import SimOptions
from service_blueprint.simulation.replications import Estimate, simulate

SERVERS = (1, 2, 3, 2, 1)
RATE = 0.8  # arrivals per minute
REPLICATIONS = 10


def jackson_value() -> float:
    def wait(c: int, lam: float) -> float:
        a = lam
        top = a ** c / math.factorial(c) * c / (c - a)
        pw = top / (sum(a ** k / math.factorial(k) for k in range(c)) + top)
        return pw / (c - lam)

    return sum(wait(c, RATE) + 1.0 for c in SERVERS)


def tandem_blueprint() -> str:
    roles = "\n".join(f"  station{k + 1}: {{name: Station {k + 1}, staff: {c}}}" for k, c in enumerate(SERVERS))
    actions = "\n".join(
        f"      - {{id: s{k + 1}, text: Serves at station {k + 1}, role: station{k + 1}, duration: ~1 min}}"
        for k in range(len(SERVERS)))
    chain = " -> ".join(f"s{k + 1}" for k in range(len(SERVERS)))
    return (f"blueprint: 1\ntitle: Five-station tandem\nroles:\n{roles}\ndemand: {{arrivals: {RATE}/min}}\n"
            f"steps:\n  - name: Tandem\n    support:\n{actions}\nflows:\n  - {chain}\n")


def run_ours(customers: int, seed: int) -> tuple[float, float, int]:
    """One replication of ``customers`` arrivals through ``simulate``: (CPU s, mean time, served)."""
    bp = loads(tandem_blueprint())
    days = customers / RATE / 1440.0
    t0 = time.process_time()
    result = simulate(bp, SimOptions(days=days, warmup=0.0, replications=1, seed=seed))
    elapsed = time.process_time() - t0
    served = round(result.throughput_per_day.mean * days)
    return elapsed, result.case_mean.mean / 60, served


def run_simpy(customers: int, seed: int) -> tuple[float, float, int]:
    import simpy

    rnd = random.Random(seed)
    env = simpy.Environment()
    stations = [simpy.Resource(env, capacity=c) for c in SERVERS]
    total = [0.0, 0]

    def customer(env: simpy.Environment):  # type: ignore[no-untyped-def]
        arrived = env.now
        for station in stations:
            with station.request() as req:
                yield req
                yield env.timeout(rnd.expovariate(1.0))
        total[0] += env.now - arrived
        total[1] += 1

    def source(env: simpy.Environment):  # type: ignore[no-untyped-def]
        for _ in range(customers):
            yield env.timeout(rnd.expovariate(RATE))
            env.process(customer(env))

    env.process(source(env))
    t0 = time.process_time()
    env.run()
    elapsed = time.process_time() - t0
    return elapsed, total[0] / total[1], int(total[1])


def run_ciw(customers: int, seed: int) -> tuple[float, float, int]:
    import ciw

    n = len(SERVERS)
    network = ciw.create_network(
        arrival_distributions=[ciw.dists.Exponential(rate=RATE)] + [None] * (n - 1),
        service_distributions=[ciw.dists.Exponential(rate=1.0)] * n,
        number_of_servers=list(SERVERS),
        routing=[[float(j == i + 1) for j in range(n)] for i in range(n)],
    )
    ciw.seed(seed)
    sim = ciw.Simulation(network)
    t0 = time.process_time()
    sim.simulate_until_max_customers(customers, method="Finish")
    elapsed = time.process_time() - t0
    first: dict[int, float] = {}
    last: dict[int, float] = {}
    for rec in sim.get_all_records():
        first[rec.id_number] = min(first.get(rec.id_number, math.inf), rec.arrival_date)
        if rec.node == n:
            last[rec.id_number] = rec.exit_date
    times = [last[i] - first[i] for i in last]
    return elapsed, sum(times) / len(times), len(times)


def main(customers: int = 200_000) -> None:
    exact = jackson_value()
    print(f"5-station tandem (1,2,3,2,1 servers, exp. service mean 1, arrivals {RATE}/unit), "
          f"{customers:,} customers; Jackson mean time in system {exact:.2f}; our engine "
          f"{'compiled' if engine.COMPILED else 'as plain Python (not compiled)'}")
    chunk = customers // REPLICATIONS
    engines = {"service-blueprint": run_ours, "SimPy": run_simpy, "Ciw": run_ciw}
    cpu = dict.fromkeys(engines, 0.0)
    served = dict.fromkeys(engines, 0)
    means: dict[str, list[float]] = {name: [] for name in engines}
    for rep in range(REPLICATIONS):  # interleaved, so a busy moment of the machine hits all three
        for name, fn in engines.items():
            elapsed, mean, n = fn(chunk, 2024 + rep)
            cpu[name] += elapsed
            served[name] += n
            means[name].append(mean)
    rate = {name: served[name] / cpu[name] for name in engines}
    ours = Estimate.of(means["service-blueprint"])
    inside = ours.contains(exact)
    print(f"  service-blueprint: {rate['service-blueprint']:,.0f} customers/s ({served['service-blueprint']:,} served in "
          f"{REPLICATIONS} replications); mean time {ours.mean:.2f} ± {ours.half_width:.2f} (95 % CI): "
          f"Jackson value {'inside' if inside else 'OUTSIDE'}")
    for name in ("SimPy", "Ciw"):
        print(f"  {name + ':':<18} {rate[name]:,.0f} customers/s; mean time {sum(means[name]) / REPLICATIONS:.2f}")
    print(f"  ratio service-blueprint / SimPy: {rate['service-blueprint'] / rate['SimPy']:.1f}x (target 10x); "
          f"/ Ciw: {rate['service-blueprint'] / rate['Ciw']:.1f}x (all three in one process)")

if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=200_000)
    main(parser.parse_args().customers)
