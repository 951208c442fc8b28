"""Time series behind the charts: cumulative actuals, pace lines, levels, spend burn.

Computed here, from the same store and rules as the statuses, so that the
chart code only draws what it is given.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

import numpy as np

from ..metrics import MetricStore, where_key
from ..model import Plan
from .goals import expected_curve
from .results import GoalResult, PlanResult, TaskResult, TaskStatus


@dataclass(frozen=True)
class GoalSeries:
    """One goal (or break-down child) over its window."""

    id: str
    label: str
    cumulative: bool  # True: running total against the pace line; False: a level
    dates: list[dt.date]  # window days up to as-of (actual values)
    actual: list[float | None]
    pace_dates: list[dt.date]  # the whole window (pace line)
    pace: list[float]
    target: float | None
    status: str
    to_date: float | None  # the goal's actual over its window so far
    children: list[GoalSeries] = field(default_factory=list)
    # the forecast cone from as-of to the due date (empty when there is no forecast)
    forecast_dates: list[dt.date] = field(default_factory=list)
    forecast_mid: list[float] = field(default_factory=list)
    forecast_low: list[float] = field(default_factory=list)
    forecast_high: list[float] = field(default_factory=list)


@dataclass(frozen=True)
class BurnSeries:
    """Cumulative spend against the planned spend over the plan period."""

    dates: list[dt.date]
    spent: list[float]
    plan_dates: list[dt.date]
    planned: list[float]
    total_planned: float


def _days(start: dt.date, end: dt.date) -> list[dt.date]:
    return [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]


def _goal_series(result: GoalResult, plan: Plan, plan_id: str, store: MetricStore,
                 label: str) -> GoalSeries:
    goal = result.goal
    where = dict(goal.where or {})
    if result.dimension_value is not None and goal.breakdown is not None:
        where[goal.breakdown.by] = result.dimension_value
    key = where_key(where)
    end = min(result.due, store.as_of)
    days = _days(result.start, end) if end >= result.start else []
    daily = store.daily(result.metric, plan_id, result.start, result.due, key)
    cumulative = store.is_sum(result.metric)
    actual: list[float | None] = []
    if cumulative:
        running = 0.0
        for d in days:
            running += float(daily.get(d, 0.0))
            actual.append(running)
    else:
        actual = [float(daily[d]) if d in daily.index else None for d in days]
    window = _days(result.start, result.due)
    pace: list[float] = []
    if cumulative and result.target is not None:
        pace = expected_curve(result.target, result.start, result.due, goal.pace,
                              plan.phases).tolist()
    series = GoalSeries(result.id, label, cumulative, days, actual, window if pace else [],
                        pace, result.target, result.status.value, result.actual)
    return _with_cone(series, result, pace, store.as_of)


def _with_cone(series: GoalSeries, result: GoalResult, pace: list[float], as_of: dt.date
               ) -> GoalSeries:
    """The forecast as a cone: from the value at as-of to the 80% interval at the due date,
    opening along the pace line's shape (sum goals) or evenly in time (levels)."""
    if (result.forecast is None or result.forecast_low is None
            or result.forecast_high is None or result.actual is None or as_of >= result.due):
        return series
    dates = _days(as_of, result.due)
    n = len(dates) - 1
    now = (as_of - result.start).days
    if pace and 0 <= now < len(pace) and pace[-1] - pace[now] > 0:
        share = [(pace[now + i] - pace[now]) / (pace[-1] - pace[now]) for i in range(n + 1)]
    else:
        share = [i / n for i in range(n + 1)]
    a = result.actual

    def line(end: float) -> list[float]:
        return [a + (end - a) * f for f in share]

    return replace(series, forecast_dates=dates, forecast_mid=line(result.forecast),
                   forecast_low=line(result.forecast_low),
                   forecast_high=line(result.forecast_high))


def goal_series(result: GoalResult, plan: Plan, plan_id: str, store: MetricStore
                ) -> GoalSeries:
    """A goal's series, with one per break-down child."""
    parent = _goal_series(result, plan, plan_id, store, result.goal.name)
    children = [_goal_series(c, plan, plan_id, store, c.dimension_value or c.id)
                for c in result.children]
    return replace(parent, children=children)


def burn_series(result: PlanResult, store: MetricStore) -> BurnSeries | None:
    """Daily cumulative spend of the plan's budget lines against planned spend."""
    plan = result.plan
    if plan.budget is None or not plan.budget.lines:
        return None
    start, end = plan.period.start, plan.period.end
    typed = sum(float(ln.spent) for ln in plan.budget.lines if ln.spent is not None)
    per_day: dict[dt.date, float] = {}
    for ln in plan.budget.lines:
        if ln.spent is None and ln.cost_metric is not None:
            daily = store.daily(ln.cost_metric, result.id, start, end, where_key(ln.where))
            for d, v in zip(daily.index, daily.to_numpy(), strict=True):
                per_day[d] = per_day.get(d, 0.0) + float(v)
    last = min(end, store.as_of)
    days = _days(start, last) if last >= start else []
    spent, running = [], typed
    for d in days:
        running += per_day.get(d, 0.0)
        spent.append(running)
    total = sum(ln.planned for ln in plan.budget.lines)
    window = _days(start, end)
    # expected spend: each line linear over the period, or shaped by its phase pace
    planned = sum((expected_curve(ln.planned, start, end, ln.pace, plan.phases)
                   for ln in plan.budget.lines), np.zeros(len(window)))
    return BurnSeries(days, spent, window, [float(x) for x in planned], total)


@dataclass(frozen=True)
class HistoryPoint:
    """A plan at one commit: health and each top-level goal's attainment."""

    date: dt.datetime
    health: float | None
    goals: dict[str, float | None]


def actual_bar(t: TaskResult, as_of: dt.date) -> tuple[dt.date, dt.date] | None:
    """The span a Gantt draws as done so far: from the actual (or planned) start to the
    actual end, the planned end, or as-of; None for a task that has not started."""
    task = t.task
    begun = t.progress > 0 or t.status in (TaskStatus.DONE, TaskStatus.DONE_LATE,
                                           TaskStatus.DELAYED)
    start = task.actual_start or (task.start if begun else None)
    if start is None:
        return None
    if task.actual_end is not None:
        return start, task.actual_end
    if t.status is TaskStatus.DONE:
        return start, task.end
    reached = as_of if t.status is TaskStatus.DELAYED else min(as_of, task.end)
    return start, max(reached, start)


def _share(values: list[float], base: float) -> list[float]:
    return [v / base for v in values]


def as_share_of_target(s: GoalSeries) -> GoalSeries | None:
    """The goal's series as shares of its target (a public site draws no money), or None
    without a target to divide by."""
    if not s.target:
        return None
    t = s.target
    children = [c for c in (as_share_of_target(c) for c in s.children) if c is not None]
    return replace(s, actual=[None if v is None else v / t for v in s.actual],
                   pace=_share(s.pace, t), target=1.0,
                   to_date=None if s.to_date is None else s.to_date / t, children=children,
                   forecast_mid=_share(s.forecast_mid, t),
                   forecast_low=_share(s.forecast_low, t),
                   forecast_high=_share(s.forecast_high, t))


def burn_as_share(s: BurnSeries) -> BurnSeries | None:
    """Spend as shares of the planned total (a public site draws no money)."""
    if not s.total_planned:
        return None
    t = s.total_planned
    return replace(s, spent=_share(s.spent, t), planned=_share(s.planned, t), total_planned=1.0)
