"""The computed status of a portfolio: what pages, PDFs, `status --json` and diffs read.

Numbers keep full precision; rounding happens only when rendering.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass, field

from ..model import AlertSeverity, Goal, MetricDef, Plan, Task


class GoalStatus(enum.StrEnum):
    NOT_STARTED = "not_started"
    NO_DATA = "no_data"
    ACHIEVED = "achieved"
    MISSED = "missed"
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OFF_TRACK = "off_track"


class PlanStatus(enum.StrEnum):
    NOT_STARTED = "not_started"
    NO_DATA = "no_data"
    ACHIEVED = "achieved"
    MISSED = "missed"
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OFF_TRACK = "off_track"
    DONE = "done"


# from worst to best, for "the worst goal status"
GOAL_SEVERITY = [GoalStatus.MISSED, GoalStatus.OFF_TRACK, GoalStatus.AT_RISK,
                 GoalStatus.NO_DATA, GoalStatus.ON_TRACK, GoalStatus.ACHIEVED]


class TaskStatus(enum.StrEnum):
    CANCELLED = "cancelled"
    BLOCKED = "blocked"
    DONE = "done"
    DONE_LATE = "done_late"
    DELAYED = "delayed"
    NOT_STARTED = "not_started"
    AT_RISK = "at_risk"
    IN_PROGRESS = "in_progress"


class BudgetStatus(enum.StrEnum):
    OK = "ok"
    AT_RISK = "at_risk"
    OVER = "over"
    OVERSPENT = "overspent"

    @property
    def rank(self) -> int:
        return ["ok", "at_risk", "over", "overspent"].index(self.value)


@dataclass(frozen=True)
class GoalResult:
    id: str
    goal: Goal
    metric: str
    target: float | None
    baseline: float | None
    start: dt.date
    due: dt.date
    actual: float | None
    attainment: float | None
    expected: float | None
    pace_ratio: float | None
    status: GoalStatus
    score: float | None
    children: list[GoalResult] = field(default_factory=list)
    dimension_value: str | None = None  # for a break-down child: its value


@dataclass(frozen=True)
class TaskResult:
    id: str
    task: Task
    status: TaskStatus
    progress: float
    expected_progress: float | None
    slip_days: int
    critical: bool
    total_float: int
    forecast_end: dt.date | None
    early_start: int
    early_finish: int


@dataclass(frozen=True)
class BudgetLineResult:
    id: str
    name: str
    planned: float
    spent: float
    utilization: float | None
    expected: float
    forecast: float
    revenue: float | None
    roi: float | None
    status: BudgetStatus


@dataclass(frozen=True)
class Reallocation:
    giver: str
    giver_roi: float
    receiver: str
    receiver_roi: float
    amount: float
    average_roi: float


@dataclass(frozen=True)
class BudgetResult:
    currency: str
    total: float | None
    planned: float
    spent: float
    utilization: float | None
    expected: float
    forecast: float
    reserve: float
    drawn: float
    reserve_left: float
    unallocated: float | None
    revenue: float | None
    roi: float | None
    status: BudgetStatus
    lines: list[BudgetLineResult]
    reallocations: list[Reallocation]


@dataclass(frozen=True)
class RiskResult:
    id: str
    score: int
    level: str
    status: str


@dataclass(frozen=True)
class IssueResult:
    id: str
    open: bool
    overdue: bool
    days_overdue: int


@dataclass(frozen=True)
class Alert:
    code: str
    severity: AlertSeverity
    subject: str
    message: str
    action: str | None = None


@dataclass(frozen=True)
class MetricTrend:
    """环比 / 同比 of one metric: the last 7 days against earlier windows."""

    metric: str
    current: float | None
    previous: float | None
    year_ago: float | None
    mom: float | None
    yoy: float | None
    goal: str = ""  # the (first) goal this metric and filter belong to
    where: dict[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class PlanResult:
    id: str
    plan: Plan
    source: str
    status: PlanStatus
    health: float | None
    goals: list[GoalResult]
    tasks: list[TaskResult]
    forecast_end: dt.date | None
    budget: BudgetResult | None
    risks: list[RiskResult]
    issues: list[IssueResult]
    alerts: list[Alert]
    trends: list[MetricTrend]
    phase_now: str | None
    elapsed: float


@dataclass(frozen=True)
class PortfolioResult:
    as_of: dt.date
    language: str
    plans: list[PlanResult]
    metrics: dict[str, MetricDef] = field(default_factory=dict)
