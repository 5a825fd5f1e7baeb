"""Benchmark: a 5-station tandem queue in this engine, SimPy and Ciw, in one run.

The model (issue 6): stations with 1, 2, 3, 2, 1 servers, exponential service with mean 1,
Poisson arrivals at 0.8 per unit, 200,000 customers. The mean time in system of this open
Jackson network is 13.40 units. Here one unit is a minute.

This engine runs the model as an ordinary blueprint (five support actions in a chain, one role
per station) through the public ``simulate`` path, as 10 replications of 20,000 customers so the
mean comes with a 95 % confidence interval. SimPy and Ciw get one run of 200,000 customers each,
the usual way of modelling this in them. Printed: customers per second for each, the ratios, and
whether the Jackson value lies in our interval. All three run in one process (``simulate`` can
spread replications over processes with ``jobs``; that is not used here).

Run: ``.venv/bin/python benchmarks/simulate.py`` (``--customers N`` for a shorter run).
"""

from __future__ import annotations

import argparse
import math
import random
import time

from service_blueprint import loads
from service_blueprint.simulation.model import SimOptions
from service_blueprint.simulation.replications import simulate

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


def run_ours(customers: int) -> tuple[float, float, float, float]:
    bp = loads(tandem_blueprint())
    days = customers / REPLICATIONS / RATE / 1440.0
    t0 = time.perf_counter()
    result = simulate(bp, SimOptions(days=days, warmup=0.0, replications=REPLICATIONS, seed=2024))
    elapsed = time.perf_counter() - t0
    served = result.throughput_per_day.mean * days * REPLICATIONS
    mean = result.case_mean
    return served / elapsed, mean.mean / 60, mean.half_width / 60, served


def run_simpy(customers: int) -> tuple[float, float]:
    import simpy

    rnd = random.Random(2024)
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
    t0 = time.perf_counter()
    env.run()
    elapsed = time.perf_counter() - t0
    return total[1] / elapsed, total[0] / total[1]


def run_ciw(customers: int) -> tuple[float, float]:
    import ciw

    n = len(SERVERS)
    network = ciw.create_network(
        arrival_distributions=[ciw.dists.Exponential(rate=RATE)] + [None] * (n - 1),
        service_distributions=[ciw.dists.Exponential(rate=1.0)] * n,
        number_of_servers=list(SERVERS),
        routing=[[float(j == i + 1) for j in range(n)] for i in range(n)],
    )
    ciw.seed(2024)
    sim = ciw.Simulation(network)
    t0 = time.perf_counter()
    sim.simulate_until_max_customers(customers, method="Finish")
    elapsed = time.perf_counter() - t0
    first: dict[int, float] = {}
    last: dict[int, float] = {}
    for rec in sim.get_all_records():
        first[rec.id_number] = min(first.get(rec.id_number, math.inf), rec.arrival_date)
        if rec.node == n:
            last[rec.id_number] = rec.exit_date
    times = [last[i] - first[i] for i in last]
    return len(times) / elapsed, sum(times) / len(times)


def main(customers: int = 200_000) -> None:
    exact = jackson_value()
    print(f"5-station tandem (1,2,3,2,1 servers, exp. service mean 1, arrivals {RATE}/unit), "
          f"{customers:,} customers; Jackson mean time in system {exact:.2f}")
    ours, mean, half, served = run_ours(customers)
    inside = abs(mean - exact) <= half
    print(f"  service-blueprint: {ours:,.0f} customers/s ({served:,.0f} served in {REPLICATIONS} replications); "
          f"mean time {mean:.2f} ± {half:.2f} (95 % CI): Jackson value {'inside' if inside else 'OUTSIDE'}")
    simpy_rate, simpy_mean = run_simpy(customers)
    print(f"  SimPy:             {simpy_rate:,.0f} customers/s; mean time {simpy_mean:.2f}")
    ciw_rate, ciw_mean = run_ciw(customers)
    print(f"  Ciw:               {ciw_rate:,.0f} customers/s; mean time {ciw_mean:.2f}")
    print(f"  ratio service-blueprint / SimPy: {ours / simpy_rate:.1f}x (target 10x); "
          f"/ Ciw: {ours / ciw_rate:.1f}x (all three in one process)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=200_000)
    main(parser.parse_args().customers)
