"""Goal attainment, expected-to-date, pace and status (computations §2–§4)."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, replace

import numpy as np

from ..metrics import MetricStore, WhereKey, day, where_key
from ..model import Direction, Goal, Phase, Plan, Thresholds
from .forecast import Forecast, forecast_flow, forecast_level
from .results import GoalResult, GoalStatus


def inclusive_days(start: dt.date, end: dt.date) -> int:
    """Calendar days from start to end, both counted."""
    return (end - start).days + 1


EPSILON = 1e-9  # threshold comparisons forgive float rounding (0.95 vs 0.9499999999)


def ratio(a: float | None, b: float | None) -> float | None:
    """a / b, or no value: a side missing, b zero, or a quotient too large for a float."""
    if a is None or b is None or b == 0:
        return None
    q = a / b
    return q if math.isfinite(q) else None


def elapsed_days(start: dt.date, end: dt.date, as_of: dt.date) -> tuple[int, int]:
    """(days elapsed at as-of, days in [start, end]), both inclusive and clipped."""
    total = inclusive_days(start, end)
    return min(max(inclusive_days(start, as_of), 0), max(total, 0)), total


def elapsed_fraction(start: dt.date, end: dt.date, as_of: dt.date) -> float:
    """Share of [start, end] elapsed at as-of (as-of counted), clipped to [0, 1]."""
    total = inclusive_days(start, end)
    if total <= 0:
        return 1.0 if as_of >= start else 0.0
    return min(max(inclusive_days(start, as_of) / total, 0.0), 1.0)


def attainment(actual: float | None, target: float | None, direction: Direction,
               baseline: float | None = None) -> float | None:
    """达成率: A/T (up), T/A (down), (A−B)/(T−B) (relative); None where undefined."""
    if actual is None or target is None:
        return None
    if baseline is not None:
        return ratio(actual - baseline, target - baseline)
    if direction is Direction.DOWN:
        return ratio(target, actual)
    return ratio(actual, target)


def meets_target(actual: float, target: float, direction: Direction,
                 baseline: float | None = None) -> bool:
    """Whether the actual is at or beyond the target, in the goal's direction."""
    if baseline is not None and target < baseline:
        return actual <= target
    if baseline is None and direction is Direction.DOWN:
        return actual <= target
    return actual >= target


def _clipped(pace: dict[str, float], phases: list[Phase], start: dt.date | None,
             due: dt.date | None) -> list[tuple[dt.date, dt.date, float]]:
    """The paced phases clipped to the window, each with the share of its days inside it,
    scaled so that the shares sum to 1 (§3)."""
    kept = []
    for phase in phases:
        weight = pace.get(phase.id)
        if weight is None:
            continue
        a = max(phase.start, start) if start is not None else phase.start
        b = min(phase.end, due) if due is not None else phase.end
        if b < a:
            continue
        kept.append((a, b, weight * inclusive_days(a, b) / inclusive_days(phase.start,
                                                                          phase.end)))
    total = sum(w for _, _, w in kept)
    if total <= 0:
        return []
    return [(a, b, w / total) for a, b, w in kept]


def phase_share(pace: dict[str, float], phases: list[Phase], as_of: dt.date,
                start: dt.date | None = None, due: dt.date | None = None) -> float:
    """Share of the target due by as-of under phase pace, phases clipped to [start, due]."""
    share = 0.0
    for a, b, weight in _clipped(pace, phases, start, due):
        if b < as_of:
            share += weight
        elif a <= as_of:
            share += weight * elapsed_fraction(a, b, as_of)
    return share


def expected_to_date(target: float, start: dt.date, due: dt.date, as_of: dt.date,
                     pace: dict[str, float] | None, phases: list[Phase]) -> float:
    """预期进度 E: linear, or by phase shares."""
    if pace:
        return target * phase_share(pace, phases, as_of, start, due)
    return target * elapsed_fraction(start, due, as_of)


def expected_curve(target: float, start: dt.date, due: dt.date,
                   pace: dict[str, float] | None, phases: list[Phase]) -> np.ndarray:
    """E on every day of [start, due] (the pace line), computed at once."""
    n = inclusive_days(start, due)
    if n <= 0:
        return np.zeros(0)
    if not pace:
        return target * np.arange(1, n + 1) / n
    per_day = np.zeros(n)
    for a, b, weight in _clipped(pace, phases, start, due):
        days = inclusive_days(a, b)
        first = (a - start).days
        per_day[first:first + days] += weight / days
    return target * np.cumsum(per_day)


def pace_ratio(actual: float | None, expected: float | None, direction: Direction
               ) -> float | None:
    """r = A/E (down: E/A); None when either side is missing or a divisor is zero."""
    if actual is None or expected is None:
        return None
    if direction is Direction.DOWN:
        return ratio(expected, actual)
    return ratio(actual, expected)


@dataclass(frozen=True)
class _Spec:
    """What one goal or break-down child is measured against."""

    id: str
    target: float | None
    baseline: float | None
    where: dict[str, str | list[str]] | None


def goal_status(*, as_of: dt.date, start: dt.date, due: dt.date, actual: float | None,
                target: float | None, baseline: float | None, att: float | None,
                ratio: float | None, direction: Direction, sums: bool,
                thresholds: Thresholds) -> GoalStatus:
    """§4: the first rule that holds, in the spec's order."""
    if as_of < start:
        return GoalStatus.NOT_STARTED
    if actual is None:
        return GoalStatus.NO_DATA
    ended = as_of > due
    met = target is not None and meets_target(actual, target, direction, baseline)
    if ended:
        if att is None:
            return GoalStatus.ACHIEVED if met else GoalStatus.MISSED
        return GoalStatus.ACHIEVED if att >= 1 - EPSILON else GoalStatus.MISSED
    if sums and direction is Direction.UP and met:
        return GoalStatus.ACHIEVED
    if ratio is None:
        # nothing expected yet (E = 0) or a down flow at zero: on track; a level goal
        # with no defined attainment (zero target) is judged on the target alone
        return GoalStatus.ON_TRACK if sums or met else GoalStatus.OFF_TRACK
    if ratio >= thresholds.on_track - EPSILON:
        return GoalStatus.ON_TRACK
    if ratio >= thresholds.off_track - EPSILON:
        return GoalStatus.AT_RISK
    return GoalStatus.OFF_TRACK


def _evaluate(spec: _Spec, goal: Goal, plan: Plan, plan_id: str, store: MetricStore,
              direction: Direction) -> GoalResult:
    as_of = store.as_of
    start = goal.start or plan.period.start
    due = goal.due or plan.period.end
    where = where_key(spec.where)
    actual = store.value(goal.metric, plan_id, start, due, where) if as_of >= start else None
    att = attainment(actual, spec.target, direction, spec.baseline)
    sums = store.is_sum(goal.metric)
    flow = sums and spec.target is not None  # paced against an expected-to-date value
    expected = None
    if sums and spec.target is not None:
        expected = expected_to_date(spec.target, start, due, as_of, goal.pace, plan.phases)
        ratio = pace_ratio(actual, expected, direction)
    else:
        ratio = att
    status = goal_status(as_of=as_of, start=start, due=due, actual=actual, target=spec.target,
                         baseline=spec.baseline, att=att, ratio=ratio, direction=direction,
                         sums=sums,
                         thresholds=goal.thresholds)
    score = None
    if status not in (GoalStatus.NOT_STARTED, GoalStatus.NO_DATA):
        score = att if as_of > due else ratio
    result = GoalResult(spec.id, goal, goal.metric, spec.target, spec.baseline, start, due,
                        actual, att, expected, ratio, status, score)
    if actual is None or not start <= as_of <= due:
        return result
    return _with_forecast(result, spec, plan, plan_id, store, direction, where, flow)


RECENT_DAYS = 28  # the interval reads the day-to-day variation of the last four weeks


def _with_forecast(result: GoalResult, spec: _Spec, plan: Plan, plan_id: str,
                   store: MetricStore, direction: Direction, where: WhereKey, flow: bool
                   ) -> GoalResult:
    """§3: the value forecast at the due date, its 80% interval and attainment (`flow`: a
    sum goal with a target, forecast from its pace; else a level, forecast as it stands)."""
    goal, as_of, start, due = result.goal, store.as_of, result.start, result.due
    assert result.actual is not None
    found: Forecast | None
    if flow:
        assert spec.target is not None
        days, values = store.daily_points(goal.metric, plan_id, start, as_of, where)
        daily = np.zeros(inclusive_days(start, as_of))
        np.add.at(daily, days - day(start), values)
        curve = expected_curve(spec.target, start, due, goal.pace, plan.phases)
        found = forecast_flow(daily.tolist(), curve.tolist())
    else:
        recent_start = max(start, as_of - dt.timedelta(days=RECENT_DAYS - 1))
        _, values = store.daily_points(goal.metric, plan_id, recent_start, as_of, where)
        found = forecast_level(result.actual, values.tolist(), inclusive_days(start, as_of),
                               (due - as_of).days, store.is_last(goal.metric))
    if found is None:
        return result
    # the target is in reach when either end of the interval meets it (low ≤ high); a
    # flow (sum goal) out of reach is forecast to miss (§3's alert)
    in_reach = None if spec.target is None else any(
        meets_target(end, spec.target, direction, spec.baseline)
        for end in (found.low, found.high))
    miss = flow and in_reach is False
    return replace(result, forecast=found.value, forecast_low=found.low,
                   forecast_high=found.high,
                   forecast_attainment=attainment(found.value, spec.target, direction,
                                                  spec.baseline),
                   forecast_miss=miss, forecast_in_reach=in_reach)


def evaluate_goal(goal: Goal, plan: Plan, plan_id: str, store: MetricStore) -> GoalResult:
    """A goal and its break-down children, each on its own rows and target."""
    direction = store.dictionary.metrics[goal.metric].direction
    target, baseline = goal.target_and_baseline()
    parent = _evaluate(_Spec(goal.id, target, baseline, goal.where), goal, plan, plan_id,
                       store, direction)
    if goal.breakdown is None:
        return parent
    children = []
    for value, child_target in goal.breakdown.targets.items():
        where = dict(goal.where or {})
        where[goal.breakdown.by] = value
        child = _evaluate(_Spec(f"{goal.id}/{value}", child_target, None, where), goal, plan,
                          plan_id, store, direction)
        children.append(replace(child, dimension_value=value))
    return replace(parent, children=children)


