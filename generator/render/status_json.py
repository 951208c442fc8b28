"""The `status.json` document (outputs.md): fixed keys, raw numbers, null for absent."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Mapping
from typing import Any

from .. import SCHEMA_VERSION, __version__
from ..compute.results import (
    Alert,
    BudgetResult,
    GoalResult,
    MetricTrend,
    PlanResult,
    PortfolioResult,
    TaskResult,
)
from ..compute.summary import ack_for, top_problems
from ..history import Baselines, Commit, History
from ..model import MetricDef, MetricFormat
from ..views.messages import alert_message


def _d(d: dt.date | None) -> str | None:
    return None if d is None else d.isoformat()


def _commit(c: Commit) -> dict[str, Any]:
    return {"date": c.date.isoformat(), "commit": c.id}


def _target_changes(g: GoalResult, baselines: Baselines) -> dict[str, Any]:
    """Re-baselining: the target's changes in git history and the first target."""
    changes = baselines.targets.get(g.id, [])
    return {"first_target": changes[0].before if changes else g.target,
            "target_changes": [{**_commit(c.commit), "from": c.before, "to": c.after}
                               for c in changes]}


def _date_changes(t: TaskResult, baselines: Baselines) -> dict[str, Any]:
    changes = baselines.dates.get(t.id, [])
    first = changes[0] if changes else None
    return {"first_start": _d(first.start_before if first else t.task.start),
            "first_end": _d(first.end_before if first else t.task.end),
            "date_changes": [{**_commit(c.commit), "start_from": _d(c.start_before),
                              "end_from": _d(c.end_before), "start_to": _d(c.start_after),
                              "end_to": _d(c.end_after)} for c in changes]}


def _goal(g: GoalResult, child: bool = False, baselines: Baselines | None = None
          ) -> dict[str, Any]:
    out: dict[str, Any] = {"id": g.id}
    if not child:
        out["metric"] = g.metric
    out.update({"target": g.target, "actual": g.actual, "attainment": g.attainment,
                "expected": g.expected, "pace_ratio": g.pace_ratio, "status": g.status.value,
                "forecast": g.forecast, "forecast_low": g.forecast_low,
                "forecast_high": g.forecast_high,
                "forecast_attainment": g.forecast_attainment})
    if baselines is not None:
        out.update(_target_changes(g, baselines))
    if not child:
        out["children"] = [_goal(c, True, baselines) for c in g.children]
        out.update({"name": g.goal.name, "owner": g.goal.owner, "baseline": g.baseline,
                    "start": _d(g.start), "due": _d(g.due), "weight": g.goal.weight})
    else:
        out["dimension_value"] = g.dimension_value
    return out


def _task(t: TaskResult, baselines: Baselines | None = None) -> dict[str, Any]:
    out = {"id": t.id, "status": t.status.value, "progress": t.progress,
            "slip_days": t.slip_days, "critical": t.critical, "total_float": t.total_float,
            "name": t.task.name, "owner": t.task.owner, "start": _d(t.task.start),
            "end": _d(t.task.end), "forecast_start": _d(t.forecast_start),
            "forecast_end": _d(t.forecast_end), "milestone": t.task.milestone,
            "overdue": t.overdue}
    if baselines is not None:
        out.update(_date_changes(t, baselines))
    return out


def _budget(b: BudgetResult | None) -> dict[str, Any] | None:
    if b is None:
        return None
    return {
        "planned": b.planned, "spent": b.spent, "utilization": b.utilization,
        "reserve": b.reserve, "reserve_left": b.reserve_left, "unallocated": b.unallocated,
        "status": b.status.value,
        "lines": [{"id": ln.id, "planned": ln.planned, "spent": ln.spent,
                   "utilization": ln.utilization, "forecast": ln.forecast, "roi": ln.roi,
                   "status": ln.status.value, "name": ln.name, "expected": ln.expected,
                   "revenue": ln.revenue} for ln in b.lines],
        "currency": b.currency, "total": b.total, "drawn": b.drawn, "expected": b.expected,
        "forecast": b.forecast, "revenue": b.revenue, "roi": b.roi,
        "reallocations": [{"from": r.giver, "from_roi": r.giver_roi, "to": r.receiver,
                           "to_roi": r.receiver_roi, "amount": r.amount,
                           "average_roi": r.average_roi, "left": r.left}
                          for r in b.reallocations],
    }


def _trend(t: MetricTrend) -> dict[str, Any]:
    return {"metric": t.metric, "goal": t.goal,
            "where": {k: list(v) for k, v in t.where.items()}, "last_7_days": t.current,
            "previous_7_days": t.previous, "year_ago_7_days": t.year_ago, "mom": t.mom,
            "yoy": t.yoy}


def _plain(value: Any) -> Any:
    """A parameter as JSON: dates as ISO text, tuples as lists."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def alert_params(a: Alert) -> dict[str, Any]:
    """An alert's facts as raw values (`alerts[].params`)."""
    return {f.name: _plain(getattr(a.params, f.name))
            for f in dataclasses.fields(a.params) if f.name != "kind"}


def _alert(a: Alert, lang: str, metrics: Mapping[str, MetricDef], p: PlanResult,
           as_of: dt.date) -> dict[str, Any]:
    ack = ack_for(p, a, as_of)
    return {"code": a.code, "severity": a.severity.value, "subject": a.subject,
            "params": alert_params(a), "message": alert_message(a, lang, metrics),
            "action": a.action,
            "ack": None if ack is None else {"until": _d(ack.until), "by": ack.by,
                                             "reason": ack.reason}}


def plan_document(p: PlanResult, lang: str, metrics: Mapping[str, MetricDef],
                  as_of: dt.date, baselines: Baselines | None = None) -> dict[str, Any]:
    """One plan's entry of `plans` (with re-baselining when the history is known)."""
    return {
        "id": p.id,
        "title": p.plan.title,
        "owner": p.plan.owner,
        "period": {"start": _d(p.plan.period.start), "end": _d(p.plan.period.end)},
        "status": p.status.value,
        "health": p.health,
        "goals": [_goal(g, baselines=baselines) for g in p.goals],
        "tasks": [_task(t, baselines) for t in p.tasks],
        "milestones": [{"id": m.id, "date": _d(m.date), "done": _d(m.done),
                        "overdue": m.overdue, "name": m.name,
                        "days_overdue": m.days_overdue} for m in p.milestones],
        "objectives": [{"id": o.id, "score": o.score,
                        "status": o.status.value if o.status is not None else None,
                        "goals": o.goals, "name": o.name} for o in p.objectives],
        "forecast_end": _d(p.forecast_end),
        "driving_chain": p.driving_chain,
        "budget": _budget(p.budget),
        "risks": [{"id": r.id, "score": r.score, "level": r.level, "status": r.status}
                  for r in p.risks],
        "issues": [{"id": i.id, "open": i.open, "overdue": i.overdue,
                    "days_overdue": i.days_overdue} for i in p.issues],
        "alerts": [_alert(a, lang, metrics, p, as_of) for a in p.alerts],
        "type": p.plan.type.value,
        "phase_now": p.phase_now,
        "elapsed": p.elapsed,
        "trends": [_trend(t) for t in p.trends],
        "source": p.source,
        "top_problems": [{"subject": x.subject, "code": x.alert.code,
                          "severity": x.severity.value, "owner": x.owner, "gap": x.gap,
                          "gap_kind": x.kind, "days": x.days} for x in top_problems(p)],
    }


def document(result: PortfolioResult, past: History | None = None) -> dict[str, Any]:
    """The whole `status.json` document; with the git history (the site's), goals and tasks
    carry their re-baselined targets and dates."""
    return {"schema_version": SCHEMA_VERSION, "mxt_version": __version__,
            "as_of": result.as_of.isoformat(),
            "plans": [plan_document(p, result.language, result.metrics, result.as_of,
                                    past.baselines(p.id) if past is not None else None)
                      for p in result.plans]}


def dumps(result: PortfolioResult, past: History | None = None, hide_money: bool = False
          ) -> str:
    """`status.json` text: stable key order, UTF-8 text kept readable.

    Indented for a person when small; compact (C encoder, ten times faster) for
    portfolios of hundreds of plans.
    """
    indent = 2 if len(result.plans) <= 50 else None
    doc = document(result, past)
    if hide_money:
        doc = without_money(doc, result.metrics)
    return json.dumps(doc, ensure_ascii=False, indent=indent,
                      allow_nan=False) + "\n"


BUDGET_AMOUNTS = ("planned", "spent", "reserve", "reserve_left", "unallocated", "total",
                  "drawn", "expected", "forecast", "revenue")
GOAL_AMOUNTS = ("target", "actual", "expected", "forecast", "forecast_low", "forecast_high",
                "baseline", "first_target")
TREND_AMOUNTS = ("last_7_days", "previous_7_days", "year_ago_7_days")
PARAM_AMOUNTS = ("spent", "planned", "reserve_left", "amount", "left")
BUDGET_ALERTS = ("budget_over", "budget_overspent")


def without_money(doc: dict[str, Any], metrics: Mapping[str, MetricDef]) -> dict[str, Any]:
    """The document for a public site: money amounts (budgets, spend, revenue, values of
    currency metrics) become null; ratios, shares and statuses stay."""
    def money_metric(metric: str | None) -> bool:
        found = metrics.get(metric or "")
        return found is not None and found.format is MetricFormat.CURRENCY

    def goal(g: dict[str, Any], metric: str | None) -> None:
        if money_metric(metric):
            g.update(dict.fromkeys((k for k in GOAL_AMOUNTS if k in g), None))
            for change in g.get("target_changes", []):
                change["from"] = change["to"] = None
        for child in g.get("children", []):
            goal(child, metric)

    for plan in doc["plans"]:
        for g in plan["goals"]:
            goal(g, g.get("metric"))
        budget = plan.get("budget")
        if budget is not None:
            budget.update(dict.fromkeys((k for k in BUDGET_AMOUNTS if k in budget), None))
            for line in budget["lines"]:
                line.update(dict.fromkeys((k for k in BUDGET_AMOUNTS if k in line), None))
            for move in budget["reallocations"]:
                move["amount"] = move["left"] = None
        for trend in plan["trends"]:
            if money_metric(trend["metric"]):
                trend.update(dict.fromkeys(TREND_AMOUNTS, None))
        for alert in plan["alerts"]:
            params = alert["params"]
            params.update(dict.fromkeys((k for k in PARAM_AMOUNTS if k in params), None))
            if alert["code"] in BUDGET_ALERTS and "forecast" in params:
                params["forecast"] = None  # a budget line's spend forecast is money
            if money_metric(params.get("metric")):
                for key in ("value", "threshold", "target", "forecast", "forecast_low",
                            "forecast_high"):
                    if key in params:
                        params[key] = None
                if "values" in params:
                    params["values"] = [None for _ in params["values"]]
    doc["money_hidden"] = True
    return doc
