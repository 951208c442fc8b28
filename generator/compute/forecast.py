"""Forecast at the due date and its 80% interval (computations §3).

Sum goals: F = A + (T − E) × r14, where r14 is the actual increase over the last 14 days
divided by the expected increase E(D) − E(D−14) on the pace curve (linear, or phase-shaped
so that a burst phase still to come counts). Fewer than 14 days elapsed: r14 = A / E; an
expected increase (or E) of 0: r14 = 1.

The interval of a sum goal: the final value is A plus the remaining expected volume
R = T − E delivered at an uncertain rate, taken as normal around F; F_low and F_high are its
10th and 90th percentiles. Its variance is read off the last 28 days of the window, cut into
weeks ending at as-of, and adds three parts. Day-level noise: each day's squared deviation
from its week's ratio actual/expected times its expected increase, per unit of expected
volume (Poisson, variance = mean, on a single day); it applies to R and, as r14's own
sampling error, to the 14 days' expected increase. Rate moves: the spread of the weekly
ratios around r14 beyond what that noise explains, continuing as a random walk over the
weeks remaining (× (1/2 + weeks/3)). A floor for moves no past week shows: 5% of r14 ×
√(remaining share of the window) (10% before the plan scenario below came in).

The plan as written is a second scenario. The data up to as-of cannot tell whether the recent
rate or the plan (r = 1 on the remaining expected volume, which reaches T) describes the rest
of the window: a burst that a linear pace does not foresee and that has not begun shows in no
past week. So the final value is taken as an even mixture (weight PLAN_WEIGHT = 1/2) of the
recent-rate normal above and a plan normal around P = A + (T − E), whose variance adds to the
first's a plan error of 10% of the remaining expected volume (PLAN_ERROR); F_low and F_high are
the mixture's 10th and 90th percentiles. F stays as the rule defines it, and the interval may
be asymmetric around it. The plan's pull fades by itself: P − F = (T − E) × (1 − r14) shrinks
with the remaining volume, and vanishes when the recent data confirm the plan (r14 near 1).
When no day was negative, F_low is at least A. The constants were chosen on
benchmarks/calibration.py, which measures the coverage on simulated campaigns (70–90% in every
family, seeds 1–5).

Level goals: F = the current value. The latest value (aggregation `last`) moves as a random
walk with the mean and spread of its recent day-to-day changes over the remaining days (the
mean's own error included; a level that only jitters around a constant gets a wide interval);
an average over the window (mean, a ratio of sums) moves towards the recent level by the
remaining share of the window, give or take the spread of a mean of the remaining days.
Both intervals are widened where needed to contain F.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from statistics import NormalDist

import numpy as np

_normal_cdf = NormalDist().cdf  # the standard normal
Z80 = NormalDist().inv_cdf(0.9)   # the 90th percentile of a standard normal, 1.2816
WINDOW = 14                        # days of the recent rate ratio r14
VARIATION = 28                     # days read for the interval
WEEK = 7
DRIFT_FLOOR = 0.05                 # relative rate change no past week shows, × √(remaining share)
PLAN_WEIGHT = 0.5                  # the plan scenario's weight in the mixture
PLAN_ERROR = 0.10                  # the plan scenario's spread, relative to the remaining volume
TINY = 1e-12


@dataclass(frozen=True)
class Forecast:
    """The forecast final value and its 80% interval (low <= value <= high)."""

    value: float   # F
    low: float     # F_low, the 10th percentile of the final value
    high: float    # F_high, the 90th percentile


def _quotient(num: float, den: float, scale: float) -> float:
    """num / den, or 1 when den is 0 (relative to scale) or the quotient is not finite."""
    if abs(den) <= TINY * max(abs(scale), TINY):
        return 1.0
    q = num / den
    return q if math.isfinite(q) else 1.0


def recent_ratio(daily: np.ndarray, expected: np.ndarray) -> tuple[float, float]:
    """(r14, the expected increase it divides by) at day k = len(daily)."""
    k = len(daily)
    scale = float(np.max(np.abs(expected)))
    if k < WINDOW:
        den = float(expected[k - 1])
        return _quotient(float(daily.sum()), den, scale), den
    den = float(expected[k - 1] - (expected[k - 1 - WINDOW] if k > WINDOW else 0.0))
    return _quotient(float(daily[k - WINDOW:].sum()), den, scale), den


def _variation(daily: np.ndarray, increase: np.ndarray, rate: float, unit: float
               ) -> tuple[float, float]:
    """(day noise per unit of expected volume, the ratio's week-to-week spread around r14).

    The last 28 days are cut into weeks ending at as-of (a history shorter than two weeks is
    one block). Noise: the squared deviations of each day from its week's ratio × its expected
    increase, over the expected volume. Spread: the mean squared distance of the weekly ratios
    from r14, less the share the day noise explains.
    """
    d, e = daily[-VARIATION:], increase[-VARIATION:]
    days = len(d)
    blocks = days // WEEK
    if blocks >= 2:
        cut = days - blocks * WEEK
        d, e = d[cut:].reshape(blocks, WEEK), e[cut:].reshape(blocks, WEEK)
    else:
        d, e = d.reshape(1, days), e.reshape(1, days)
    volume = e.sum(axis=1)
    used = volume > TINY * max(float(np.abs(increase).max()), TINY)
    if not used.any():
        return 0.0, 0.0
    d, e, volume = d[used], e[used], volume[used]
    ratios = d.sum(axis=1) / volume
    freedom = d.size - len(ratios)
    if freedom <= 0:      # a single day: the Poisson assumption, variance = mean (in units)
        noise = abs(rate) / unit
    else:
        residual = d - ratios[:, None] * e
        noise = float((residual**2).sum()) / float(volume.sum()) * d.size / freedom
    if len(ratios) < 2:
        return noise, 0.0
    spread = float(np.mean((ratios - rate) ** 2)) - noise * float(np.mean(1.0 / volume))
    return noise, max(spread, 0.0)


def _mixture_interval(centre: float, sd: float, plan: float, plan_sd: float
                      ) -> tuple[float, float]:
    """The 10th and 90th percentiles of (1 − PLAN_WEIGHT) N(centre, sd²) + PLAN_WEIGHT
    N(plan, plan_sd²), plan_sd > 0, by bisection."""
    def cdf(x: float) -> float:
        first = _normal_cdf((x - centre) / sd) if sd > 0 else float(x >= centre)
        return (1 - PLAN_WEIGHT) * first + PLAN_WEIGHT * _normal_cdf((x - plan) / plan_sd)

    def quantile(p: float) -> float:
        lo = min(centre - 4 * sd, plan - 4 * plan_sd)
        hi = max(centre + 4 * sd, plan + 4 * plan_sd)
        for _ in range(60):
            mid = 0.5 * (lo + hi)
            lo, hi = (mid, hi) if cdf(mid) < p else (lo, mid)
        return 0.5 * (lo + hi)

    return quantile(0.1), quantile(0.9)


def forecast_flow(daily: Sequence[float], expected: Sequence[float]) -> Forecast | None:
    """daily: the actual increase on each day of the goal's window from its first day up to
    as-of (0.0 for days without rows), len k >= 1. expected: the expected cumulative value E
    on each day of the WHOLE window (len n >= k, expected[-1] == target T; the pace curve,
    linear or phase-shaped, may be flat on days outside every phase). Returns the forecast of
    the cumulative value on the last day, or None when it cannot be computed."""
    d = np.asarray(daily, dtype=float)
    cum = np.asarray(expected, dtype=float)
    k, n = len(d), len(cum)
    if k < 1 or n < k or not (np.isfinite(d).all() and np.isfinite(cum).all()):
        return None
    # computed in units of the largest magnitude, so that no square or sum overflows
    scale = max(float(np.abs(d).max()), float(np.abs(cum).max())) or 1.0
    d, cum = d / scale, cum / scale
    with np.errstate(all="ignore"):
        actual = float(d.sum())
        rate, volume14 = recent_ratio(d, cum)
        remaining = float(cum[-1] - cum[k - 1])
        future = remaining * rate
        value = (actual + future) * scale
        if not math.isfinite(value):
            return None
        if remaining == 0.0:
            return Forecast(value, value, value)
        noise, spread = _variation(d, np.diff(cum[:k], prepend=0.0), rate, scale)
        floor = DRIFT_FLOOR * rate
        rate_var = (noise / abs(volume14) if abs(volume14) > TINY * abs(remaining) else 0.0) \
            + spread * (0.5 + (n - k) / WEEK / 3.0) + floor * floor * (n - k) / n
        variance = noise * abs(remaining) + remaining * remaining * rate_var
        sd = math.sqrt(variance)
        plan_sd = math.sqrt(variance + (PLAN_ERROR * remaining) ** 2)
    if not math.isfinite(sd):        # ratios beyond 1e150: no spread to speak of
        return Forecast(value, value, value)
    # the recent rate and the plan (r = 1 from as-of on) as an even mixture, in units
    low, high = _mixture_interval(value / scale, sd, actual + remaining, plan_sd)
    low, high = low * scale, high * scale
    if future >= 0 and (d >= 0).all():   # no refunds seen: the total does not fall below A
        low = max(low, actual * scale)
    return Forecast(value, min(low, value), max(high, value))


def forecast_level(current: float, recent: Sequence[float], elapsed_days: int,
                   remaining_days: int, latest_only: bool) -> Forecast:
    """Level goals: F = current. recent: the metric's daily values over the last 28 days of
    the window up to as-of (days without a value left out). latest_only: the goal's value is
    the latest value (aggregation `last`), else an average over the window (mean or a ratio of
    sums like CTR), whose remaining days move it less and less as the window fills."""
    value = float(current)
    x = np.asarray([v for v in recent if math.isfinite(v)], dtype=float)
    m = max(int(remaining_days), 0)
    if m == 0 or len(x) < 2 or not math.isfinite(value):
        return Forecast(value, value, value)
    scale = max(float(np.abs(x).max()), abs(value)) or 1.0
    x, now = x / scale, value / scale
    with np.errstate(all="ignore"):
        if latest_only:
            steps = np.diff(x)
            sd = float(steps.std(ddof=1)) if len(steps) > 1 else abs(float(steps[0]))
            centre = now + m * float(steps.mean())
            spread = Z80 * sd * math.sqrt(m + m * m / len(steps))   # the steps, and their mean
        else:
            share = m / (max(int(elapsed_days), 0) + m)
            centre = now + share * (float(x.mean()) - now)
            spread = share * Z80 * float(x.std(ddof=1)) * math.sqrt(1.0 / m + 1.0 / len(x))
    low, high = (centre - spread) * scale, (centre + spread) * scale
    if not (math.isfinite(low) and math.isfinite(high)):
        return Forecast(value, value, value)
    return Forecast(value, min(low, value), max(high, value))
