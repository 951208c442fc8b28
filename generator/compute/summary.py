"""What an executive summary leads with: a plan's biggest problems and the decisions asked.

A problem is a subject (a goal, task, milestone, budget line, issue, risk, rule or the
plan) with at least one open warning or critical alert. Problems rank by their most
severe alert, then by the size of their gap, each gap a fraction of what was promised
so that different kinds compare:

- a goal: its attainment shortfall, 1 − pace ratio (behind the expected-to-date
  value), or 1 − forecast attainment when the forecast says it will miss, whichever
  is larger;
- a task, milestone, issue or the plan: days late (slip, days overdue, the forecast
  end past the period end, or for a task at risk its progress shortfall in days of
  its planned duration) as a fraction of the plan's period;
- a budget line: overspend, (spent − planned) / planned, or the forecast's when
  nothing is spent over yet; the plan's reserve: the overdraw as a fraction of it;
- anything else (a risk, a custom rule, stale data): 0, after those of its severity.

Equal problems keep the order of their alerts. Each names the owner of its subject:
the goal's or task's owner, the issue's or risk's when given, else the plan's.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from ..model import Ack, AlertSeverity
from .results import (
    Alert,
    BudgetLineAlert,
    DataStale,
    GoalAlert,
    GoalForecastMiss,
    IssueOverdue,
    MilestoneOverdue,
    PlanLate,
    PlanResult,
    Reallocation,
    ReserveOverdrawn,
    RiskUnmitigated,
    TaskAtRisk,
    TaskDelayed,
)

TOP_PROBLEMS = 3

GapKind = Literal["attainment", "days", "money", "none"]


@dataclass(frozen=True)
class Problem:
    """One subject's open alerts, as the summary ranks them."""

    subject: str
    owner: str
    alert: Alert  # the most severe of the subject's alerts (the first among equals)
    gap: float  # the fraction described in the module's docstring (0 when none applies)
    kind: GapKind
    days: int = 0  # for a "days" gap: the days late

    @property
    def severity(self) -> AlertSeverity:
        return self.alert.severity


def subject_owner(p: PlanResult, a: Alert) -> str:
    """Who owns an alert's subject as the plan writes it: the goal's, task's, issue's or
    risk's owner; the plan's owner for the plan, its budget, milestones and rules."""
    params = a.params
    if isinstance(params, GoalAlert | GoalForecastMiss | DataStale):
        goal = p.goals_by_id.get(a.subject)
        return goal.goal.owner if goal is not None else p.plan.owner
    if isinstance(params, IssueOverdue):
        return params.owner or p.plan.owner
    if isinstance(params, RiskUnmitigated):
        risks = {r.id: r.owner for r in p.plan.risks}
        return risks.get(a.subject) or p.plan.owner
    if isinstance(params, TaskDelayed | TaskAtRisk | MilestoneOverdue):
        milestones = {m.id: m.date for m in p.milestones}
        if isinstance(params, MilestoneOverdue) and milestones.get(a.subject) == params.date:
            return p.plan.owner  # a milestone of `milestones:`, not a milestone task
        task = p.tasks_by_id.get(a.subject)
        return task.task.owner if task is not None else p.plan.owner
    return p.plan.owner


def _gap(p: PlanResult, alert: Alert) -> tuple[float, GapKind, int]:
    """The size of the gap one alert reports, as (fraction, kind, days)."""
    period_days = max((p.plan.period.end - p.plan.period.start).days + 1, 1)

    def late(days: int) -> tuple[float, GapKind, int]:
        return max(days, 0) / period_days, "days", max(days, 0)

    params = alert.params
    goals, tasks = p.goals_by_id, p.tasks_by_id
    if alert.subject in goals:
        g = goals[alert.subject]
        shortfalls = [1 - r for r in (g.pace_ratio, g.attainment if g.pace_ratio is None
                                      else None) if r is not None]
        if isinstance(params, GoalForecastMiss) and params.forecast_attainment is not None:
            shortfalls.append(1 - params.forecast_attainment)
        return max([0.0, *shortfalls]), "attainment", 0
    if isinstance(params, TaskDelayed | TaskAtRisk | MilestoneOverdue) or alert.subject in tasks:
        t = tasks.get(alert.subject)
        days = max(t.slip_days, t.days_overdue) if t is not None else 0
        if isinstance(params, TaskAtRisk) and t is not None:
            behind = (params.expected_progress - params.progress) / 100  # of the task's days
            days = max(days, round(behind * ((t.task.end - t.task.start).days + 1)))
        if isinstance(params, MilestoneOverdue):
            days = max(days, params.days_overdue)
        return late(days)
    if isinstance(params, PlanLate):
        return late(params.days_late)
    if isinstance(params, IssueOverdue):
        return late(params.days_overdue)
    if isinstance(params, BudgetLineAlert) and params.planned > 0:
        line = next((ln for ln in p.budget.lines if ln.id == alert.subject), None) \
            if p.budget else None
        over = params.spent if params.spent > params.planned or line is None else line.forecast
        return max(over / params.planned - 1, 0.0), "money", 0
    if isinstance(params, ReserveOverdrawn) and p.budget and p.budget.reserve > 0:
        return max(-params.reserve_left / p.budget.reserve, 0.0), "money", 0
    return 0.0, "none", 0


def problems(p: PlanResult) -> list[Problem]:
    """Every subject with an open warning or critical alert, biggest problem first."""
    found: dict[str, Problem] = {}
    for alert in p.alerts:
        if alert.severity.rank < AlertSeverity.WARNING.rank:
            continue
        gap, kind, days = _gap(p, alert)
        seen = found.get(alert.subject)
        if seen is None:
            found[alert.subject] = Problem(alert.subject, subject_owner(p, alert),
                                           alert, gap, kind, days)
            continue
        top = alert if alert.severity.rank > seen.severity.rank else seen.alert
        if gap > seen.gap:
            found[alert.subject] = Problem(seen.subject, seen.owner, top, gap, kind, days)
        else:
            found[alert.subject] = Problem(seen.subject, seen.owner, top, seen.gap, seen.kind,
                                           seen.days)
    ranked = sorted(found.values(), key=lambda x: (-x.severity.rank, -x.gap))
    return ranked  # sorted() is stable: equal problems keep their alerts' order


def top_problems(p: PlanResult, limit: int = TOP_PROBLEMS) -> list[Problem]:
    """The plan's biggest problems (three by default)."""
    return problems(p)[:limit]


def decisions(p: PlanResult) -> list[Alert]:
    """The alerts whose action the summary asks a decision on: every critical alert with
    an action (one per distinct action, in alert order), then the budget reallocation
    suggestions that move money."""
    seen: set[str] = set()
    asked: list[Alert] = []
    for a in p.alerts:
        if a.severity is AlertSeverity.CRITICAL and a.action and a.action not in seen:
            seen.add(a.action)
            asked.append(a)
    asked += [a for a in p.alerts if isinstance(a.params, Reallocation) and a.params.amount > 0]
    return asked


@dataclass(frozen=True, eq=False)  # by identity: comparing whole plan results is costly
class Raised:
    """One alert of one plan, with the owner of its subject (as the plan writes it)."""

    plan: PlanResult
    alert: Alert
    owner: str

    @property
    def key(self) -> tuple[str, str, str]:
        return self.plan.id, self.alert.code, self.alert.subject


def latest_ack(p: PlanResult, alert: Alert) -> Ack | None:
    """The plan's acknowledgement of this alert that runs longest, if any."""
    found = [a for a in p.plan.acks if a.alert == alert.code and a.subject == alert.subject]
    return max(found, key=lambda a: a.until) if found else None


def ack_for(p: PlanResult, alert: Alert, day: dt.date) -> Ack | None:
    """The acknowledgement that mutes this alert on `day`, if any."""
    ack = latest_ack(p, alert)
    return ack if ack is not None and ack.until >= day else None


def expired_acks(p: PlanResult, after: dt.date, day: dt.date) -> list[tuple[Ack, Alert]]:
    """Acknowledgements that ran out after `after` and by `day` while their alert is still
    raised: worth a line in the next digest."""
    return [(ack, a) for a in p.alerts
            if (ack := latest_ack(p, a)) is not None and after <= ack.until < day]
