"""Calibration of the §3 forecast interval on simulated campaigns.

    .venv/bin/python benchmarks/calibration.py                     # 1,000 campaigns, seed 7
    .venv/bin/python benchmarks/calibration.py --campaigns 300 --seed 1

Each campaign runs 30–120 days. Its true daily rate is the planned base rate times a factor
the plan got wrong (0.6–1.4), a burst phase 3–6 times the base (10–25% of the window,
starting at 20–70% of it), a weekday pattern (weekends up to 30% lower) and, in 40% of
campaigns, a persistent shift (70–120% of the rate) from a random day on. The plan's pace
either follows the phases (pace matched: phase shares from the planned burst, itself 0.8–1.25
times the true one) or is linear (pace not matched: the burst was not foreseen). Daily values
are gamma-Poisson counts at 5–30 a day (small) or 1,000–8,000 a day (large), or lognormal
amounts (σ 0.1–0.5, autocorrelated day to day, rare refunds below zero). Each campaign is
forecast at 25%, 50% and 75% of its window (at least 14 days in), and the final value is
checked against the 80% interval. Prints Markdown tables (forecasts, coverage, mean interval
width relative to the final value): by family; by pace and the state of the burst at as-of
(still to come, under way or within the last 14 days, over); and by family again, leaving
out the forecasts no past data can inform (a burst the linear pace did not foresee that has
not begun by as-of).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = str(Path(__file__).resolve().parents[1])
if ROOT not in sys.path:   # run as a script: the package from this checkout
    sys.path.insert(0, ROOT)

from generator.compute.forecast import forecast_flow  # noqa: E402

PACES = ("pace matched", "pace not matched")
NOISES = ("gamma-Poisson small", "gamma-Poisson large", "lognormal")
FAMILIES = [f"{p}, {v}" for p in PACES for v in NOISES]
POINTS = (0.25, 0.50, 0.75)


@dataclass(frozen=True)
class Campaign:
    """One simulated goal: the true daily values, the plan's expected cumulative curve."""

    family: str
    daily: np.ndarray
    expected: np.ndarray
    burst: tuple[int, int]   # the burst's first day and the day after its last (0-based)


@dataclass(frozen=True)
class Outcome:
    """One forecast checked against the campaign's final value."""

    family: str
    burst: str       # the burst at as-of: still to come, under way (or just over: in r14), over
    inside: bool
    width: float     # (high - low) / |final|


def campaign(rng: np.random.Generator, matched: bool, noise: str) -> Campaign:
    """One campaign of a family, drawn from its known process."""
    n = int(rng.integers(30, 121))
    days = np.arange(n)
    burst_len = max(3, round(n * rng.uniform(0.10, 0.25)))
    burst_start = min(round(n * rng.uniform(0.20, 0.70)), n - burst_len - 1)
    burst = (days >= burst_start) & (days < burst_start + burst_len)
    lift = rng.uniform(3.0, 6.0)
    planned_lift = lift * rng.uniform(0.8, 1.25)
    shape = np.where(burst, lift, 1.0)
    plan_shape = np.where(burst, planned_lift, 1.0) if matched else np.ones(n)

    if noise == "gamma-Poisson small":
        base = rng.uniform(5, 30)
    elif noise == "gamma-Poisson large":
        base = rng.uniform(1000, 8000)
    else:
        base = rng.uniform(50, 5000)
    target = base * float(np.where(burst, planned_lift, 1.0).sum())
    expected = target * np.cumsum(plan_shape) / plan_shape.sum()

    weekday = np.ones(7)
    weekday[5:] -= rng.uniform(0.0, 0.3)
    rate = base * rng.uniform(0.6, 1.4) * shape * weekday[(days + rng.integers(7)) % 7]
    if rng.random() < 0.4:
        rate = rate * np.where(days >= rng.integers(n // 5, n), rng.uniform(0.7, 1.2), 1.0)

    if noise.startswith("gamma"):
        k = rng.uniform(4.0, 20.0)
        daily = rng.poisson(rate * rng.gamma(k, 1.0 / k, n)).astype(float)
    else:
        sigma, rho = rng.uniform(0.1, 0.5), rng.uniform(0.0, 0.6)
        shocks = rng.normal(0.0, sigma * np.sqrt(1 - rho**2), n)
        log = np.empty(n)
        log[0] = rng.normal(0.0, sigma)
        for i in range(1, n):
            log[i] = rho * log[i - 1] + shocks[i]
        daily = rate * np.exp(log - sigma**2 / 2)
        refunds = rng.random(n) < 0.01
        daily[refunds] = -rate[refunds] * rng.uniform(0.5, 2.0, int(refunds.sum()))
    family = f"{PACES[0] if matched else PACES[1]}, {noise}"
    return Campaign(family, daily, expected, (burst_start, burst_start + burst_len))


def run(campaigns: int, seed: int) -> list[Outcome]:
    """Every forecast of `campaigns` campaigns (families in turn), checked."""
    rng = np.random.default_rng(seed)
    found = []
    for i in range(campaigns):
        matched, noise = i % 2 == 0, NOISES[(i // 2) % len(NOISES)]
        c = campaign(rng, matched, noise)
        n, final = len(c.daily), float(c.daily.sum())
        for point in POINTS:
            k = max(14, round(point * n))
            if k >= n:
                continue
            f = forecast_flow(c.daily[:k].tolist(), c.expected.tolist())
            if f is None:
                raise AssertionError(f"no forecast for campaign {i} at day {k}")
            state = ("still to come" if k <= c.burst[0] else
                     "under way or in the last 14 days" if k < c.burst[1] + 14 else "over")
            found.append(Outcome(c.family, state, f.low <= final <= f.high,
                                 (f.high - f.low) / max(abs(final), 1e-9)))
    return found


def knowable(outcomes: list[Outcome]) -> list[Outcome]:
    """The forecasts whose pace foresees the burst, or made once an unforeseen one has begun."""
    return [o for o in outcomes if o.family.startswith(PACES[0]) or o.burst != "still to come"]


def coverage(outcomes: list[Outcome], key: Callable[[Outcome], str]) -> dict[str, float]:
    """The share of forecasts inside their interval, by key."""
    groups: dict[str, list[bool]] = {}
    for o in outcomes:
        groups.setdefault(key(o), []).append(o.inside)
    return {k: sum(v) / len(v) for k, v in groups.items()}


def table(outcomes: list[Outcome], key: Callable[[Outcome], str], title: str) -> str:
    """A Markdown table by key, with the overall line."""
    groups: dict[str, list[Outcome]] = {}
    for o in outcomes:
        groups.setdefault(key(o), []).append(o)
    lines = [f"| {title} | forecasts | coverage | mean width / final |", "|---|---:|---:|---:|"]
    for name, group in [*sorted(groups.items()), ("**overall**", outcomes)]:
        inside = sum(o.inside for o in group) / len(group)
        width = sum(o.width for o in group) / len(group)
        lines.append(f"| {name} | {len(group):,} | {100 * inside:.1f}% | {100 * width:.1f}% |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--campaigns", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    start = time.perf_counter()
    outcomes = run(args.campaigns, args.seed)
    print(table(outcomes, lambda o: o.family, "family"))
    print()
    print(table(outcomes, lambda o: f"{o.family.split(',')[0]}; burst {o.burst}",
                "pace; the burst at as-of"))
    print()
    print(table(knowable(outcomes), lambda o: o.family,
                "family, where the past can tell (the pace foresees the burst, or it has begun)"))
    print(f"\n{args.campaigns:,} campaigns, seed {args.seed}, "
          f"{time.perf_counter() - start:.1f} s")


if __name__ == "__main__":
    main()
