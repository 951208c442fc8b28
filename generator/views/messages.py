"""Alert messages: an alert's facts (code and params) written as a sentence.

The only place alerts become words, for pages, reports, `status.json`, the
terminal table and PR comments alike, in the language asked for.
"""

from __future__ import annotations

from collections.abc import Mapping

from ..compute.results import (
    Alert,
    BudgetLineAlert,
    DataStale,
    GoalAlert,
    GoalForecastMiss,
    IssueOverdue,
    MilestoneOverdue,
    PlanLate,
    Reallocation,
    ReserveOverdrawn,
    RiskUnmitigated,
    TaskAtRisk,
    TaskDelayed,
    ThresholdRule,
    TrendRule,
)
from ..model import MetricDef
from . import fmt
from .catalogue import message, status_label, word


def alert_message(alert: Alert, lang: str, metrics: Mapping[str, MetricDef]) -> str:
    """The alert in words, with its figures formatted for people."""
    p = alert.params
    match p:
        case GoalAlert():
            return message(alert.code, lang, name=p.name, attainment=fmt.percent(p.attainment),
                           pace=fmt.percent(p.pace_ratio), status=status_label(p.status, lang))
        case TaskDelayed():
            return message("task_delayed", lang, name=p.name, days=p.slip_days, owner=p.owner)
        case TaskAtRisk():
            return message("task_at_risk", lang, name=p.name, progress=f"{p.progress:.0f}",
                           expected=f"{p.expected_progress:.0f}")
        case BudgetLineAlert():
            return message("budget_line", lang, name=p.name, status=status_label(p.status, lang),
                           spent=fmt.money(p.spent), planned=fmt.money(p.planned),
                           forecast=fmt.money(p.forecast))
        case ReserveOverdrawn():
            return message("budget_plan", lang, status=status_label("overspent", lang),
                           left=fmt.money(p.reserve_left))
        case Reallocation():
            return reallocation_text(p, lang)
        case IssueOverdue():
            return message("issue_overdue", lang, name=p.description, days=p.days_overdue,
                           owner=p.owner or fmt.DASH)
        case RiskUnmitigated():
            return message("risk_unmitigated", lang, name=p.description)
        case DataStale():
            return _stale(p, lang, metrics)
        case ThresholdRule():
            metric = metrics.get(p.metric)
            return message(alert.code, lang, metric=_metric_name(p.metric, lang, metrics),
                           value=fmt.metric_value(p.value, metric),
                           threshold=fmt.metric_value(p.threshold, metric), window=p.window_days)
        case TrendRule():
            metric = metrics.get(p.metric)
            return message(alert.code, lang, metric=_metric_name(p.metric, lang, metrics),
                           periods=p.periods, period=word(p.period, lang), by=fmt.percent(p.by, 0),
                           values=" → ".join(fmt.metric_value(v, metric) for v in p.values))
        case PlanLate():
            return message("plan_late", lang, end=fmt.date(p.forecast_end), days=p.days_late,
                           period_end=fmt.date(p.period_end),
                           chain=" → ".join(f"{i} {n}" for i, n in
                                            zip(p.chain, p.chain_names, strict=True)))
        case MilestoneOverdue():
            return message("milestone_overdue", lang, name=p.name, date=fmt.date(p.date),
                           days=p.days_overdue)
        case GoalForecastMiss():
            metric = metrics.get(p.metric)
            return message("goal_forecast_miss", lang, name=p.name,
                           forecast=fmt.metric_value(p.forecast, metric),
                           low=fmt.metric_value(p.forecast_low, metric),
                           high=fmt.metric_value(p.forecast_high, metric),
                           target=fmt.metric_value(p.target, metric),
                           attainment=fmt.percent(p.forecast_attainment))
    raise AssertionError(f"no message for the alert {alert.code!r}")


def reallocation_text(p: Reallocation, lang: str) -> str:
    """The reallocation suggestion in words (the alert and the budget section share it)."""
    if p.amount > 0:
        key = "budget_reallocation"
    elif p.left > 0:  # 10% of what is left rounds to nothing: too little to move
        key = "budget_reallocation_small"
    else:
        key = "budget_reallocation_spent"
    return message(key, lang, giver=p.giver_name, receiver=p.receiver_name,
                   giver_roi=f"{p.giver_roi:.1f}", receiver_roi=f"{p.receiver_roi:.1f}",
                   average=f"{p.average_roi:.1f}", amount=fmt.money(p.amount),
                   left=fmt.money(p.left))


def _metric_name(metric_id: str, lang: str, metrics: Mapping[str, MetricDef]) -> str:
    metric = metrics.get(metric_id)
    return metric.label(lang) if metric is not None else metric_id


def _stale(p: DataStale, lang: str, metrics: Mapping[str, MetricDef]) -> str:
    name = _metric_name(p.metric, lang, metrics)
    if p.last_date is not None:
        return message("data_stale", lang, metric=name, last=p.last_date.isoformat(),
                       goal=p.goal, days=p.freshness_days)
    if not p.where:
        return message("data_missing", lang, metric=name, goal=p.goal)
    shown = "; ".join(f"{k} = {', '.join(v)}" for k, v in p.where.items())
    return message("data_missing_where", lang, metric=name, goal=p.goal, where=shown)
