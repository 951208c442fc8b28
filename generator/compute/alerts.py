"""Built-in and custom alerts (computations §8): codes, severities and typed facts, no words."""

from __future__ import annotations

import datetime as dt
import itertools

from ..metrics import MetricStore, where_key
from ..model import AlertRule, AlertSeverity, Level, Plan, Priority
from .goals import EPSILON
from .results import (
    Alert,
    BudgetLineAlert,
    BudgetResult,
    BudgetStatus,
    DataStale,
    GoalAlert,
    GoalForecastMiss,
    GoalResult,
    GoalStatus,
    IssueOverdue,
    IssueResult,
    MilestoneOverdue,
    MilestoneResult,
    PlanLate,
    ReserveOverdrawn,
    RiskResult,
    RiskUnmitigated,
    TaskAtRisk,
    TaskDelayed,
    TaskResult,
    TaskStatus,
    ThresholdRule,
    TrendRule,
)
from .schedule import TaskSchedule


def goal_alerts(goals: list[GoalResult]) -> list[Alert]:
    """goal_at_risk / goal_off_track for goals and break-down children."""
    out = []
    for top in goals:
        for g in top.with_children():
            params = GoalAlert(name=g.name, status=g.status, attainment=g.attainment,
                               pace_ratio=g.pace_ratio)
            if g.status is GoalStatus.AT_RISK:
                out.append(Alert("goal_at_risk", AlertSeverity.WARNING, g.id, params))
            elif g.status in (GoalStatus.OFF_TRACK, GoalStatus.MISSED):
                out.append(Alert("goal_off_track", AlertSeverity.CRITICAL, g.id, params,
                                 g.goal.suggestion))
    return out


def forecast_alerts(goals: list[GoalResult]) -> list[Alert]:
    """goal_forecast_miss: §3's forecast says a sum goal in progress will miss."""
    out = []
    for top in goals:
        for g in top.with_children():
            if not g.forecast_miss:
                continue
            assert g.target is not None and g.forecast is not None
            assert g.forecast_low is not None and g.forecast_high is not None
            params = GoalForecastMiss(
                name=g.name, metric=g.metric, target=g.target, forecast=g.forecast,
                forecast_low=g.forecast_low, forecast_high=g.forecast_high,
                forecast_attainment=g.forecast_attainment)
            out.append(Alert("goal_forecast_miss", AlertSeverity.WARNING, g.id, params))
    return out


def schedule_alerts(plan: Plan, plan_id: str, schedule: TaskSchedule,
                    milestones: list[MilestoneResult]) -> list[Alert]:
    """plan_late (naming the driving chain) and milestone_overdue."""
    out = []
    end = schedule.forecast_end
    if end is not None and end > plan.period.end:
        names = {t.id: t.task.name for t in schedule.tasks}
        chain = tuple(schedule.driving_chain)
        out.append(Alert("plan_late", AlertSeverity.CRITICAL, plan_id, PlanLate(
            forecast_end=end, period_end=plan.period.end, days_late=(end - plan.period.end).days,
            chain=chain, chain_names=tuple(names[i] for i in chain))))
    for m in milestones:
        if m.overdue:
            out.append(Alert("milestone_overdue", AlertSeverity.WARNING, m.id, MilestoneOverdue(
                name=m.name, date=m.date, days_overdue=m.days_overdue, critical_path=False)))
    for t in schedule.tasks:
        if t.overdue:
            severity = AlertSeverity.CRITICAL if t.critical else AlertSeverity.WARNING
            out.append(Alert("milestone_overdue", severity, t.id, MilestoneOverdue(
                name=t.task.name, date=t.task.end, days_overdue=t.days_overdue,
                critical_path=t.critical)))
    return out


def task_alerts(tasks: list[TaskResult]) -> list[Alert]:
    """task_delayed (critical when high priority) and task_at_risk."""
    out = []
    for t in tasks:
        if t.status is TaskStatus.DELAYED:
            severity = (AlertSeverity.CRITICAL if t.task.priority is Priority.HIGH
                        else AlertSeverity.WARNING)
            out.append(Alert("task_delayed", severity, t.id, TaskDelayed(
                name=t.task.name, owner=t.task.owner, slip_days=t.slip_days)))
        elif t.status is TaskStatus.AT_RISK:
            out.append(Alert("task_at_risk", AlertSeverity.WARNING, t.id, TaskAtRisk(
                name=t.task.name, progress=t.progress,
                expected_progress=t.expected_progress or 0.0)))
    return out


def budget_alerts(budget: BudgetResult | None, plan_id: str) -> list[Alert]:
    """budget_over / budget_overspent per line and for the plan, and reallocations."""
    if budget is None:
        return []
    out = []
    code = {BudgetStatus.OVER: "budget_over", BudgetStatus.AT_RISK: "budget_over",
            BudgetStatus.OVERSPENT: "budget_overspent"}
    for ln in budget.lines:
        if ln.status in code:
            severity = (AlertSeverity.CRITICAL if ln.status is BudgetStatus.OVERSPENT
                        else AlertSeverity.WARNING)
            out.append(Alert(code[ln.status], severity, ln.id, BudgetLineAlert(
                name=ln.name, status=ln.status, spent=ln.spent, planned=ln.planned,
                forecast=ln.forecast)))
    if budget.reserve_left < 0:
        out.append(Alert("budget_overspent", AlertSeverity.CRITICAL, plan_id,
                         ReserveOverdrawn(reserve_left=budget.reserve_left)))
    out += [Alert("budget_reallocation", AlertSeverity.INFO, r.giver, r)
            for r in budget.reallocations]
    return out


def issue_alerts(plan: Plan, issues: list[IssueResult]) -> list[Alert]:
    """issue_overdue, critical when the issue's impact is high."""
    by_id = {i.id: i for i in plan.issues}
    out = []
    for r in issues:
        if r.overdue:
            issue = by_id[r.id]
            high = issue.impact is Level.HIGH
            severity = AlertSeverity.CRITICAL if high else AlertSeverity.WARNING
            out.append(Alert("issue_overdue", severity, r.id, IssueOverdue(
                description=issue.description, owner=issue.owner,
                days_overdue=r.days_overdue), issue.action))
    return out


def risk_alerts(plan: Plan, risks: list[RiskResult]) -> list[Alert]:
    """risk_unmitigated: an open high × high risk with no mitigation."""
    return [Alert("risk_unmitigated", AlertSeverity.WARNING, r.id,
                  RiskUnmitigated(description=risk.description))
            for r, risk in zip(risks, plan.risks, strict=True) if r.unmitigated]


def stale_alerts(goals: list[GoalResult], plan_id: str, store: MetricStore) -> list[Alert]:
    """data_stale: an active goal's metric has no row in its last freshness_days."""
    out = []
    for g in goals:  # a break-down child reads the same metric as its parent
        if not g.start <= store.as_of <= g.due:
            continue
        metric = store.dictionary.metrics[g.metric]
        where = where_key(g.goal.where)
        latest = store.latest_day(g.metric, plan_id, where)
        limit = store.as_of - dt.timedelta(days=metric.freshness_days)
        if latest is None or latest < limit:
            out.append(Alert("data_stale", AlertSeverity.WARNING, g.id, DataStale(
                metric=g.metric, goal=g.id, last_date=latest,
                freshness_days=metric.freshness_days, where=dict(where))))
    return out


def complete_periods(as_of: dt.date, period: str, count: int) -> list[tuple[dt.date, dt.date]]:
    """The last `count` complete weeks (Monday first) or calendar months, oldest first."""
    out: list[tuple[dt.date, dt.date]] = []
    if period == "week":
        start = as_of - dt.timedelta(days=as_of.weekday())
        end = start + dt.timedelta(days=6)
        if end > as_of:
            start, end = start - dt.timedelta(days=7), end - dt.timedelta(days=7)
        for _ in range(count):
            out.append((start, end))
            start, end = start - dt.timedelta(days=7), end - dt.timedelta(days=7)
    else:
        first = as_of.replace(day=1)
        next_first = (first + dt.timedelta(days=32)).replace(day=1)
        end = next_first - dt.timedelta(days=1)
        if end > as_of:
            end = first - dt.timedelta(days=1)
        for _ in range(count):
            start = end.replace(day=1)
            out.append((start, end))
            end = start - dt.timedelta(days=1)
    return out[::-1]


def rule_alert(rule: AlertRule, plan_id: str, store: MetricStore) -> Alert | None:
    """One custom rule's alert, or None when it does not fire."""
    where = where_key(rule.where)
    params: ThresholdRule | TrendRule
    if rule.rule in ("below", "above"):
        start = store.as_of - dt.timedelta(days=rule.window - 1)
        value = store.value(rule.metric, plan_id, start, store.as_of, where)
        if value is None or rule.value is None:
            return None
        fired = value < rule.value if rule.rule == "below" else value > rule.value
        params = ThresholdRule(metric=rule.metric, value=value, threshold=rule.value,
                               window_days=rule.window)
    else:
        periods = complete_periods(store.as_of, rule.period, rule.periods + 1)
        values = [store.value(rule.metric, plan_id, a, b, where) for a, b in periods]
        by = rule.by or 0.0
        fired = True
        for before, after in itertools.pairwise(values):
            if before is None or after is None or before <= 0:
                fired = False
                break
            change = (after - before) / before
            if (rule.rule == "rising" and change < by - EPSILON) or (
                    rule.rule == "falling" and change > -by + EPSILON):
                fired = False
                break
        params = TrendRule(metric=rule.metric, period=rule.period, periods=rule.periods, by=by,
                           values=tuple(values))
    if not fired:
        return None
    return Alert(f"rule_{rule.rule}", rule.severity, rule.id, params, rule.action)


def plan_alerts(plan: Plan, plan_id: str, goals: list[GoalResult], schedule: TaskSchedule,
                milestones: list[MilestoneResult], budget: BudgetResult | None,
                issues: list[IssueResult], risks: list[RiskResult], store: MetricStore
                ) -> list[Alert]:
    """Every alert of a plan, most severe first, then in the order they were found."""
    alerts = [*goal_alerts(goals), *forecast_alerts(goals), *task_alerts(schedule.tasks),
              *schedule_alerts(plan, plan_id, schedule, milestones),
              *budget_alerts(budget, plan_id),
              *issue_alerts(plan, issues), *risk_alerts(plan, risks),
              *stale_alerts(goals, plan_id, store)]
    for rule in plan.alerts:
        found = rule_alert(rule, plan_id, store)
        if found is not None:
            alerts.append(found)
    return sorted(alerts, key=lambda a: -a.severity.rank)
