"""The computed status of a portfolio: what pages, PDFs, `status --json` and diffs read.

Numbers keep full precision; rounding happens only when rendering.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
from dataclasses import dataclass, field
from typing import Literal

from ..model import AlertSeverity, Goal, MetricDef, PeopleDirectory, Plan, Task


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


PROBLEM_GOALS = frozenset({GoalStatus.MISSED, GoalStatus.OFF_TRACK, GoalStatus.AT_RISK,
                           GoalStatus.NO_DATA})

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


LATE_TASKS = frozenset({TaskStatus.DELAYED, TaskStatus.DONE_LATE})
ATTENTION_TASKS = LATE_TASKS | {TaskStatus.AT_RISK, TaskStatus.BLOCKED}


class BudgetStatus(enum.StrEnum):
    OK = "ok"
    AT_RISK = "at_risk"
    OVER = "over"
    OVERSPENT = "overspent"

    @property
    def rank(self) -> int:
        return ["ok", "at_risk", "over", "overspent"].index(self.value)

    @property
    def flagged(self) -> bool:
        """Over, overspent or forecast to overspend: listed under overspend."""
        return self is not BudgetStatus.OK


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
    # §3 forecast at the due date, for a goal in progress (window started, not ended)
    forecast: float | None = None
    forecast_low: float | None = None  # the 80% interval
    forecast_high: float | None = None
    forecast_attainment: float | None = None
    forecast_miss: bool = False  # a sum goal whose good end of the interval misses
    # any goal with an interval: does either end of it meet the target?
    forecast_in_reach: bool | None = None

    @property
    def achieved(self) -> bool:
        """已达成: counted in "goals achieved"."""
        return self.status is GoalStatus.ACHIEVED

    @property
    def problem(self) -> bool:
        """A goal a review report analyses: missed, behind, at risk or without data."""
        return self.status in PROBLEM_GOALS

    @property
    def name(self) -> str:
        """The goal's name; a break-down child's is "name / value"."""
        if self.dimension_value is None:
            return self.goal.name
        return f"{self.goal.name} / {self.dimension_value}"

    def with_children(self) -> list[GoalResult]:
        """The goal followed by its break-down children."""
        return [self, *self.children]


@dataclass(frozen=True)
class TaskResult:
    id: str
    task: Task
    status: TaskStatus
    progress: float
    expected_progress: float | None
    slip_days: int
    critical: bool  # on the chain that drives the forecast end (float 0)
    total_float: int | None  # days it can slip without moving the forecast end; None when
    # finished or cancelled
    forecast_start: dt.date | None
    forecast_end: dt.date | None
    overdue: bool = False  # a milestone task whose day has passed and that is not done
    days_overdue: int = 0  # since that day, when overdue

    @property
    def late(self) -> bool:
        """延期: finished after its end, or still open past it."""
        return self.status in LATE_TASKS

    @property
    def needs_attention(self) -> bool:
        """延期与风险任务: late, at risk or blocked (pages, reports and the terminal list them)."""
        return self.status in ATTENTION_TASKS


@dataclass(frozen=True)
class MilestoneResult:
    """A milestone of `milestones:`: overdue when its date has passed and it is not done."""

    id: str
    name: str
    date: dt.date
    done: dt.date | None
    overdue: bool
    days_overdue: int


@dataclass(frozen=True)
class ObjectiveResult:
    """An objective (OKR): its key results' score (0–1) and worst status."""

    id: str
    name: str
    goals: list[str]
    score: float | None
    status: PlanStatus | None  # None: no key result


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


@dataclass(frozen=True, kw_only=True)
class Reallocation:
    """§7's suggestion: move `amount` from the giver line to the receiver line."""

    kind: Literal["reallocation"] = "reallocation"
    giver: str
    giver_name: str
    giver_roi: float
    receiver: str
    receiver_name: str
    receiver_roi: float
    average_roi: float
    amount: float  # 10% of what the giver has left, rounded to 100
    left: float  # what the giver has left


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
    unmitigated: bool  # open, high probability and high impact, no mitigation


@dataclass(frozen=True)
class IssueResult:
    id: str
    open: bool
    overdue: bool
    days_overdue: int


@dataclass(frozen=True, kw_only=True)
class GoalAlert:
    """goal_at_risk, goal_off_track: the goal and its figures."""

    kind: Literal["goal"] = "goal"
    name: str
    status: GoalStatus
    attainment: float | None
    pace_ratio: float | None


@dataclass(frozen=True, kw_only=True)
class TaskDelayed:
    kind: Literal["task_delayed"] = "task_delayed"
    name: str
    owner: str
    slip_days: int


@dataclass(frozen=True, kw_only=True)
class TaskAtRisk:
    kind: Literal["task_at_risk"] = "task_at_risk"
    name: str
    progress: float
    expected_progress: float


@dataclass(frozen=True, kw_only=True)
class BudgetLineAlert:
    """budget_over, budget_overspent for one line."""

    kind: Literal["budget_line"] = "budget_line"
    name: str
    status: BudgetStatus
    spent: float
    planned: float
    forecast: float | None = None  # the spend forecast at the line's end (§7), the cause


@dataclass(frozen=True, kw_only=True)
class ReserveOverdrawn:
    """budget_overspent for the plan: draws exceed the contingency reserve."""

    kind: Literal["reserve"] = "reserve"
    reserve_left: float


@dataclass(frozen=True, kw_only=True)
class IssueOverdue:
    kind: Literal["issue_overdue"] = "issue_overdue"
    description: str
    owner: str | None
    days_overdue: int


@dataclass(frozen=True, kw_only=True)
class RiskUnmitigated:
    kind: Literal["risk_unmitigated"] = "risk_unmitigated"
    description: str


@dataclass(frozen=True, kw_only=True)
class DataStale:
    """data_stale: the goal's metric rows are old (last_date) or missing (None)."""

    kind: Literal["data_stale"] = "data_stale"
    metric: str
    goal: str
    last_date: dt.date | None
    freshness_days: int
    where: dict[str, tuple[str, ...]]


@dataclass(frozen=True, kw_only=True)
class ThresholdRule:
    """rule_below, rule_above: the value over the last days against the threshold."""

    kind: Literal["threshold_rule"] = "threshold_rule"
    metric: str
    value: float
    threshold: float
    window_days: int


@dataclass(frozen=True, kw_only=True)
class TrendRule:
    """rule_rising, rule_falling: the values of the compared periods, oldest first."""

    kind: Literal["trend_rule"] = "trend_rule"
    metric: str
    period: Literal["week", "month"]
    periods: int
    by: float
    values: tuple[float | None, ...]


@dataclass(frozen=True, kw_only=True)
class PlanLate:
    """plan_late: the forecast end passes the period end; the chain that drives it."""

    kind: Literal["plan_late"] = "plan_late"
    forecast_end: dt.date
    period_end: dt.date
    days_late: int
    chain: tuple[str, ...]  # task ids, first to last
    chain_names: tuple[str, ...]


@dataclass(frozen=True, kw_only=True)
class MilestoneOverdue:
    """milestone_overdue: a milestone (or milestone task) past its date and not done."""

    kind: Literal["milestone_overdue"] = "milestone_overdue"
    name: str
    date: dt.date
    days_overdue: int
    critical_path: bool


@dataclass(frozen=True, kw_only=True)
class GoalForecastMiss:
    """goal_forecast_miss: even the good end of the 80% interval misses the target."""

    kind: Literal["goal_forecast"] = "goal_forecast"
    name: str
    metric: str
    target: float
    forecast: float
    forecast_low: float
    forecast_high: float
    forecast_attainment: float | None


AlertParams = (GoalAlert | TaskDelayed | TaskAtRisk | BudgetLineAlert | ReserveOverdrawn
               | Reallocation | IssueOverdue | RiskUnmitigated | DataStale | ThresholdRule
               | TrendRule | PlanLate | MilestoneOverdue | GoalForecastMiss)


@dataclass(frozen=True)
class Alert:
    """An alert as facts: what it is about and the figures its message needs, no words."""

    code: str
    severity: AlertSeverity
    subject: str
    params: AlertParams
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
    driving_chain: list[str] = field(default_factory=list)  # tasks to the forecast end
    milestones: list[MilestoneResult] = field(default_factory=list)
    objectives: list[ObjectiveResult] = field(default_factory=list)

    @functools.cached_property
    def goals_by_id(self) -> dict[str, GoalResult]:
        """Every goal and break-down child by id (`G1`, `G1/华东`)."""
        return {g.id: g for top in self.goals for g in top.with_children()}

    @functools.cached_property
    def tasks_by_id(self) -> dict[str, TaskResult]:
        return {t.id: t for t in self.tasks}

    @property
    def late_days(self) -> int:
        """Days the forecast end passes the period end (0 when on time)."""
        if self.forecast_end is None:
            return 0
        return max((self.forecast_end - self.plan.period.end).days, 0)

    @property
    def goals_achieved(self) -> int:
        return sum(g.achieved for g in self.goals)

    @property
    def risks_by_score(self) -> list[RiskResult]:
        """Risks, highest score first (file order among equals)."""
        return sorted(self.risks, key=lambda r: -r.score)

    @property
    def critical_alerts(self) -> int:
        return sum(a.severity is AlertSeverity.CRITICAL for a in self.alerts)


@dataclass(frozen=True)
class PortfolioResult:
    as_of: dt.date
    language: str
    plans: list[PlanResult]
    metrics: dict[str, MetricDef] = field(default_factory=dict)
    people: PeopleDirectory | None = None  # people.yaml, when the project has one
