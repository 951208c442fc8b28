"""Plan status and health, risks, issues and period comparisons (§5, §9, outputs)."""

from __future__ import annotations

import datetime as dt

from ..metrics import MetricStore, WhereKey, where_key
from ..model import Plan
from .alerts import plan_alerts
from .asof import plan_as_of
from .budget import evaluate_budget
from .goals import elapsed_fraction, evaluate_goal, ratio
from .results import (
    GOAL_SEVERITY,
    GoalResult,
    GoalStatus,
    IssueResult,
    MetricTrend,
    MilestoneResult,
    ObjectiveResult,
    PlanResult,
    PlanStatus,
    RiskResult,
    TaskResult,
    TaskStatus,
)
from .schedule import evaluate_tasks

HEALTH_CAP = 1.2


def capped_mean(scored: list[tuple[float, float]], cap: float) -> float | None:
    """Σ weight × min(value, cap) / Σ weight; None without a weight."""
    total = sum(w for w, _ in scored)
    if not scored or total == 0:
        return None
    return sum(w * min(v, cap) for w, v in scored) / total


def health(goals: list[GoalResult]) -> float | None:
    """Σ weight × min(score, 1.2) / Σ weight over goals that have a score."""
    return capped_mean([(g.goal.weight, g.score) for g in goals if g.score is not None],
                       HEALTH_CAP)


def worst_status(goals: list[GoalResult], ended: bool) -> PlanStatus:
    """The worst status of the goals and their break-down children; not_started when all
    are; done when the period has ended and every one is achieved."""
    statuses = [g.status for goal in goals for g in goal.with_children()]
    if all(s is GoalStatus.NOT_STARTED for s in statuses):
        return PlanStatus.NOT_STARTED
    if ended and all(s is GoalStatus.ACHIEVED for s in statuses):
        return PlanStatus.DONE
    for worst in GOAL_SEVERITY:
        if worst in statuses:
            return PlanStatus(worst.value)
    raise AssertionError(f"unranked goal statuses: {statuses}")


def plan_status(plan: Plan, goals: list[GoalResult], tasks: list[TaskResult], as_of: dt.date
                ) -> PlanStatus:
    """§5: judged on the goals (children count), or on the schedule when there are none."""
    if not goals:
        return _status_from_tasks(plan, tasks, as_of)
    return worst_status(goals, as_of > plan.period.end)


def evaluate_objectives(plan: Plan, goals: list[GoalResult], as_of: dt.date
                        ) -> list[ObjectiveResult]:
    """OKR: score = Σ weight × min(attainment, 1) / Σ weight over key results with an
    attainment; status = the worst status of its key results, as for a plan."""
    by_id = {g.id: g for g in goals}
    out = []
    for o in plan.objectives:
        krs = [by_id[i] for i in o.goals if i in by_id]
        score = capped_mean([(g.goal.weight, g.attainment) for g in krs
                             if g.attainment is not None], 1.0)
        status = worst_status(krs, as_of > plan.period.end) if krs else None
        out.append(ObjectiveResult(o.id, o.name, list(o.goals), score, status))
    return out


def evaluate_milestones(plan: Plan, as_of: dt.date) -> list[MilestoneResult]:
    """A milestone whose date is before as-of and that is not done is overdue."""
    out = []
    for m in plan.milestones:
        overdue = m.done is None and m.date < as_of
        out.append(MilestoneResult(m.id, m.name, m.date, m.done, overdue,
                                   (as_of - m.date).days if overdue else 0))
    return out


def _status_from_tasks(plan: Plan, tasks: list[TaskResult], as_of: dt.date) -> PlanStatus:
    """A plan with tasks only: judged on its schedule."""
    if as_of < plan.period.start:
        return PlanStatus.NOT_STARTED
    statuses = {t.status for t in tasks}
    finished = {TaskStatus.DONE, TaskStatus.DONE_LATE, TaskStatus.CANCELLED}
    if as_of > plan.period.end and statuses <= finished:
        return PlanStatus.DONE
    if TaskStatus.DELAYED in statuses:
        return PlanStatus.OFF_TRACK
    if statuses & {TaskStatus.AT_RISK, TaskStatus.BLOCKED}:
        return PlanStatus.AT_RISK
    return PlanStatus.ON_TRACK


def risk_level(score: int) -> str:
    """1–2 low, 3–4 medium, 6–9 high."""
    return "low" if score <= 2 else "medium" if score <= 4 else "high"


def evaluate_risks(plan: Plan) -> list[RiskResult]:
    """Score = probability × impact (low 1, medium 2, high 3)."""
    out = []
    for r in plan.risks:
        score = r.probability.score * r.impact.score
        out.append(RiskResult(id=r.id, score=score, level=risk_level(score),
                              status=r.status.value, unmitigated=r.unmitigated))
    return out


def evaluate_issues(plan: Plan, as_of: dt.date) -> list[IssueResult]:
    """Open until resolved; overdue when open past its due date."""
    out = []
    for i in plan.issues:
        is_open = i.resolved is None
        overdue = is_open and i.due is not None and as_of > i.due
        days = (as_of - i.due).days if overdue and i.due is not None else 0
        out.append(IssueResult(i.id, is_open, overdue, days))
    return out


def _change(now: float | None, before: float | None) -> float | None:
    if now is None or before is None:
        return None
    return ratio(now - before, before)


def year_earlier(d: dt.date) -> dt.date:
    """The same day one year before (29 February → 28 February)."""
    try:
        return d.replace(year=d.year - 1)
    except ValueError:
        return d.replace(year=d.year - 1, day=28)


def trends(plan: Plan, plan_id: str, store: MetricStore) -> list[MetricTrend]:
    """环比 / 同比 for each metric the plan's goals use: the last 7 days vs earlier."""
    end = store.as_of
    start = end - dt.timedelta(days=6)
    prev_end, prev_start = start - dt.timedelta(days=1), start - dt.timedelta(days=7)
    out = []
    seen: set[tuple[str, WhereKey]] = set()
    for g in plan.goals:  # each metric with the goal's own filter, once
        where = where_key(g.where)
        if (g.metric, where) in seen:
            continue
        seen.add((g.metric, where))
        now = store.value(g.metric, plan_id, start, end, where)
        before = store.value(g.metric, plan_id, prev_start, prev_end, where)
        year_ago = store.value(g.metric, plan_id, year_earlier(start), year_earlier(end), where)
        out.append(MetricTrend(g.metric, now, before, year_ago, _change(now, before),
                               _change(now, year_ago), g.id, dict(where)))
    return out


def current_phase(plan: Plan, as_of: dt.date) -> str | None:
    """The id of the phase as-of falls in, if any."""
    return next((p.id for p in plan.phases if p.start <= as_of <= p.end), None)


def evaluate_plan(written: Plan, plan_id: str, source: str, store: MetricStore) -> PlanResult:
    """Everything computed for one plan as of the store's date, from what was true then."""
    as_of = store.as_of
    plan = plan_as_of(written, as_of)
    goals = [evaluate_goal(g, plan, plan_id, store) for g in plan.goals]
    schedule = evaluate_tasks(plan.tasks, as_of)
    tasks, forecast_end = schedule.tasks, schedule.forecast_end
    milestones = evaluate_milestones(plan, as_of)
    budget = evaluate_budget(plan, plan_id, store)
    risks = evaluate_risks(plan)
    issues = evaluate_issues(plan, as_of)
    alerts = plan_alerts(plan, plan_id, goals, schedule, milestones, budget, issues, risks,
                         store)
    return PlanResult(
        id=plan_id, plan=plan, source=source, status=plan_status(plan, goals, tasks, as_of),
        health=health(goals), goals=goals, tasks=tasks, forecast_end=forecast_end,
        budget=budget, risks=risks, issues=issues, alerts=alerts,
        trends=trends(plan, plan_id, store), phase_now=current_phase(plan, as_of),
        elapsed=elapsed_fraction(plan.period.start, plan.period.end, as_of),
        driving_chain=schedule.driving_chain, milestones=milestones,
        objectives=evaluate_objectives(plan, goals, as_of))

