"""Built-in and custom alerts (computations §8)."""

from __future__ import annotations

import datetime as dt
import itertools

from .. import fmt, i18n
from ..metrics import MetricStore, where_key
from ..model import AlertRule, AlertSeverity, Level, Plan, Priority, RiskStatus
from .goals import EPSILON
from .results import (
    Alert,
    BudgetResult,
    BudgetStatus,
    GoalResult,
    GoalStatus,
    IssueResult,
    Reallocation,
    TaskResult,
    TaskStatus,
)


def _all_goals(goals: list[GoalResult]) -> list[GoalResult]:
    out = []
    for g in goals:
        out.append(g)
        out.extend(g.children)
    return out


def goal_alerts(goals: list[GoalResult], lang: str) -> list[Alert]:
    """goal_at_risk / goal_off_track for goals and break-down children."""
    out = []
    for g in _all_goals(goals):
        values = {"name": g.goal.name if not g.dimension_value else
                  f"{g.goal.name} / {g.dimension_value}",
                  "attainment": fmt.percent(g.attainment), "pace": fmt.percent(g.pace_ratio),
                  "status": i18n.status_label(g.status.value, lang)}
        if g.status is GoalStatus.AT_RISK:
            out.append(Alert("goal_at_risk", AlertSeverity.WARNING, g.id,
                             i18n.message("goal_at_risk", lang, **values)))
        elif g.status in (GoalStatus.OFF_TRACK, GoalStatus.MISSED):
            out.append(Alert("goal_off_track", AlertSeverity.CRITICAL, g.id,
                             i18n.message("goal_off_track", lang, **values),
                             g.goal.suggestion))
    return out


def task_alerts(tasks: list[TaskResult], lang: str) -> list[Alert]:
    """task_delayed (critical when high priority) and task_at_risk."""
    out = []
    for t in tasks:
        if t.status is TaskStatus.DELAYED:
            severity = (AlertSeverity.CRITICAL if t.task.priority is Priority.HIGH
                        else AlertSeverity.WARNING)
            out.append(Alert("task_delayed", severity, t.id, i18n.message(
                "task_delayed", lang, name=t.task.name, days=t.slip_days, owner=t.task.owner)))
        elif t.status is TaskStatus.AT_RISK:
            out.append(Alert("task_at_risk", AlertSeverity.WARNING, t.id, i18n.message(
                "task_at_risk", lang, name=t.task.name, progress=f"{t.progress:.0f}",
                expected=f"{t.expected_progress or 0:.0f}")))
    return out


def budget_alerts(budget: BudgetResult | None, plan_id: str, lang: str) -> list[Alert]:
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
            out.append(Alert(code[ln.status], severity, ln.id, i18n.message(
                "budget_line", lang, name=ln.name, status=i18n.status_label(ln.status.value, lang),
                spent=fmt.money(ln.spent), planned=fmt.money(ln.planned))))
    if budget.reserve_left < 0:
        out.append(Alert("budget_overspent", AlertSeverity.CRITICAL, plan_id, i18n.message(
            "budget_plan", lang, status=i18n.status_label("overspent", lang),
            left=fmt.money(budget.reserve_left))))
    names = {ln.id: ln.name for ln in budget.lines}
    for r in budget.reallocations:
        out.append(Alert("budget_reallocation", AlertSeverity.INFO, r.giver,
                         reallocation_text(r, names, lang)))
    return out


def reallocation_text(r: Reallocation, names: dict[str, str], lang: str) -> str:
    """The reallocation suggestion in words (the alert and the budget section share it)."""
    key = "budget_reallocation" if r.amount > 0 else "budget_reallocation_spent"
    return i18n.message(key, lang, giver=names[r.giver], receiver=names[r.receiver],
                        giver_roi=f"{r.giver_roi:.1f}", receiver_roi=f"{r.receiver_roi:.1f}",
                        average=f"{r.average_roi:.1f}", amount=fmt.money(r.amount))


def issue_alerts(plan: Plan, issues: list[IssueResult], lang: str) -> list[Alert]:
    """issue_overdue, critical when the issue's impact is high."""
    by_id = {i.id: i for i in plan.issues}
    out = []
    for r in issues:
        if r.overdue:
            issue = by_id[r.id]
            high = issue.impact is Level.HIGH
            severity = AlertSeverity.CRITICAL if high else AlertSeverity.WARNING
            out.append(Alert("issue_overdue", severity, r.id, i18n.message(
                "issue_overdue", lang, name=issue.description, days=r.days_overdue,
                owner=issue.owner or fmt.DASH), issue.action))
    return out


def risk_alerts(plan: Plan, lang: str) -> list[Alert]:
    """risk_unmitigated: an open high × high risk with no mitigation."""
    return [Alert("risk_unmitigated", AlertSeverity.WARNING, r.id,
                  i18n.message("risk_unmitigated", lang, name=r.description))
            for r in plan.risks
            if r.status is RiskStatus.OPEN and r.probability is Level.HIGH
            and r.impact is Level.HIGH and not (r.mitigation or "").strip()]


def stale_alerts(goals: list[GoalResult], plan_id: str, store: MetricStore, lang: str
                 ) -> list[Alert]:
    """data_stale: an active goal's metric has no row in its last freshness_days."""
    out = []
    for g in goals:  # a break-down child reads the same metric as its parent
        if not g.start <= store.as_of <= g.due:
            continue
        metric = store.dictionary.metrics[g.metric]
        where = where_key(g.goal.where)
        latest = store.latest_day(g.metric, plan_id, where)
        limit = store.as_of - dt.timedelta(days=metric.freshness_days)
        name = metric.label(lang)
        if latest is None:
            key = "data_missing_where" if where else "data_missing"
            shown = "; ".join(f"{k} = {', '.join(v)}" for k, v in where)
            out.append(Alert("data_stale", AlertSeverity.WARNING, g.id, i18n.message(
                key, lang, metric=name, goal=g.id, where=shown)))
        elif latest < limit:
            out.append(Alert("data_stale", AlertSeverity.WARNING, g.id, i18n.message(
                "data_stale", lang, metric=name, last=latest.isoformat(), goal=g.id,
                days=metric.freshness_days)))
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


def rule_alert(rule: AlertRule, plan_id: str, store: MetricStore, lang: str) -> Alert | None:
    """One custom rule's alert, or None when it does not fire."""
    metric = store.dictionary.metrics[rule.metric]
    where = where_key(rule.where)
    name = metric.label(lang)
    if rule.rule in ("below", "above"):
        start = store.as_of - dt.timedelta(days=rule.window - 1)
        value = store.value(rule.metric, plan_id, start, store.as_of, where)
        if value is None or rule.value is None:
            return None
        fired = value < rule.value if rule.rule == "below" else value > rule.value
        text = {"value": fmt.metric_value(value, metric),
                "threshold": fmt.metric_value(rule.value, metric), "window": rule.window}
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
        text = {"periods": rule.periods, "period": i18n.word(rule.period, lang),
                "by": fmt.percent(by, 0),
                "values": " → ".join(fmt.metric_value(v, metric) for v in values)}
    if not fired:
        return None
    return Alert(f"rule_{rule.rule}", rule.severity, rule.id,
                 i18n.message(f"rule_{rule.rule}", lang, metric=name, **text), rule.action)


def plan_alerts(plan: Plan, plan_id: str, goals: list[GoalResult], tasks: list[TaskResult],
                budget: BudgetResult | None, issues: list[IssueResult], store: MetricStore,
                lang: str) -> list[Alert]:
    """Every alert of a plan, most severe first, then in the order they were found."""
    alerts = [*goal_alerts(goals, lang), *task_alerts(tasks, lang),
              *budget_alerts(budget, plan_id, lang), *issue_alerts(plan, issues, lang),
              *risk_alerts(plan, lang), *stale_alerts(goals, plan_id, store, lang)]
    for rule in plan.alerts:
        found = rule_alert(rule, plan_id, store, lang)
        if found is not None:
            alerts.append(found)
    return sorted(alerts, key=lambda a: -a.severity.rank)
