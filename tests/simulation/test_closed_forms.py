"""The engine against closed-form queueing results, with tolerances from confidence intervals.

Each system is run for several replications (independent seeds); the 95 % interval over the
replications must contain the exact value. The interval is widened by 50 % plus a small
allowance for the bias of starting empty: the seeds are fixed, so each test is deterministic,
and the margin only guards against a seed sitting just outside its interval by chance.
Utilisation = λ/(cμ) and Little's law (L = λW) are checked on every run.
"""

from __future__ import annotations

import pytest
from sim_models import chain, jackson_tandem, mmc_wait

from service_blueprint.simulation.model import SimOptions
from service_blueprint.simulation.replications import Estimate, simulate

MIN = 60.0


def options(days: float, replications: int = 6, seed: int = 11) -> SimOptions:
    return SimOptions(days=days, warmup=0.5 * 86400, replications=replications, seed=seed)


def assert_covers(est: Estimate, exact: float, what: str, rel_slack: float = 0.01) -> None:
    margin = 1.5 * est.half_width + rel_slack * abs(exact)
    assert abs(est.mean - exact) <= margin, f"{what}: {est.mean:.4f} ± {est.half_width:.4f}, exact {exact:.4f}"


def assert_little_and_utilisation(result, lam_per_min: float, work: dict[str, tuple[float, int]]) -> None:  # type: ignore[no-untyped-def]
    # Little: L = λ W, with W the mean time in system (case time).
    lam = lam_per_min / MIN
    assert result.in_system.mean == pytest.approx(lam * result.case_mean.mean, rel=0.03)
    # Utilisation of each role = λ E[S] / c.
    for role, (mean_service_min, c) in work.items():
        exact = lam_per_min * mean_service_min / c
        assert_covers(result.role(role).utilisation, exact, f"utilisation of {role}", rel_slack=0.02)


def test_mm1() -> None:
    lam = 0.5
    result = simulate(chain((1,), lam, ("~1 min",)), options(days=20))
    assert_covers(result.action("a0").wait, 1.0 * MIN, "M/M/1 wait in queue")
    assert_covers(result.case_mean, 2.0 * MIN, "M/M/1 time in system")
    assert_little_and_utilisation(result, lam, {"r0": (1.0, 1)})


def test_mmc_erlang_c() -> None:
    lam, c = 2.4, 3
    result = simulate(chain((c,), lam, ("~1 min",)), options(days=8))
    assert_covers(result.action("a0").wait, mmc_wait(c, lam) * MIN, "M/M/3 wait in queue (Erlang C)")
    assert_little_and_utilisation(result, lam, {"r0": (1.0, c)})


def test_md1_pollaczek_khinchine() -> None:
    lam = 0.7
    rho = lam * 1.0
    exact_wq = rho * 1.0 / (2 * (1 - rho))  # deterministic service of 1 min
    result = simulate(chain((1,), lam, ("1 min",)), options(days=20))
    assert_covers(result.action("a0").wait, exact_wq * MIN, "M/D/1 wait in queue")
    assert_little_and_utilisation(result, lam, {"r0": (1.0, 1)})


def test_mg1_pollaczek_khinchine_uniform_service() -> None:
    lam = 0.8
    es2 = 1 / 12 + 1.0  # uniform 0.5..1.5 min: variance 1/12, mean 1
    exact_wq = lam * es2 / (2 * (1 - lam))
    result = simulate(chain((1,), lam, ("0.5..1.5 min",)), options(days=20))
    assert_covers(result.action("a0").wait, exact_wq * MIN, "M/G/1 wait in queue")
    assert_little_and_utilisation(result, lam, {"r0": (1.0, 1)})


def test_mg1_lognormal_service() -> None:
    lam, mean, sd = 0.6, 1.0, 1.5
    exact_wq = lam * (sd ** 2 + mean ** 2) / (2 * (1 - lam * mean))
    bp = chain((1,), lam, ("{dist: lognormal, mean: 1 min, sd: 1.5 min}",))
    result = simulate(bp, options(days=25, replications=8))
    assert_covers(result.action("a0").wait, exact_wq * MIN, "M/G/1 (lognormal) wait in queue", rel_slack=0.03)


def test_open_tandem_jackson() -> None:
    servers = (1, 2, 3, 2, 1)
    lam = 0.8
    result = simulate(chain(servers, lam, ("~1 min",) * 5), options(days=12))
    exact = jackson_tandem(servers, lam)
    assert exact == pytest.approx(13.40, abs=0.01)
    assert_covers(result.case_mean, exact * MIN, "Jackson tandem time in system")
    for k, c in enumerate(servers):
        assert_covers(result.action(f"a{k}").wait, mmc_wait(c, lam) * MIN, f"station {k} wait", rel_slack=0.03)
    assert_little_and_utilisation(result, lam, {f"r{k}": (1.0, c) for k, c in enumerate(servers)})


def test_quantiles_of_mm1_sojourn_are_exponential() -> None:
    # FIFO M/M/1: the time in system is exponential with rate μ - λ.
    import math

    lam = 0.5
    result = simulate(chain((1,), lam, ("~1 min",)), options(days=20))
    for name, q in (("P50", 0.5), ("P90", 0.9), ("P95", 0.95)):
        exact = -math.log(1 - q) / (1.0 - lam) * MIN
        assert_covers(result.case_quantiles[name], exact, f"M/M/1 sojourn {name}", rel_slack=0.02)


def test_same_seed_same_result_and_different_seed_differs() -> None:
    bp = chain((2,), 1.5, ("~1 min",))
    a = simulate(bp, options(days=2, replications=2, seed=5))
    b = simulate(bp, options(days=2, replications=2, seed=5))
    c = simulate(bp, options(days=2, replications=2, seed=6))
    assert a.case_mean == b.case_mean and a.roles == b.roles
    assert a.case_mean != c.case_mean
    parallel = simulate(bp, options(days=2, replications=2, seed=5), jobs=2)
    assert parallel.case_mean == a.case_mean and parallel.roles == a.roles
