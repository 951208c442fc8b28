"""What the portfolio pages print: plan summaries, alerts, owners, the metric dictionary."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from ..compute.results import PortfolioResult
from ..model import MetricFormat, localized
from . import fmt
from .catalogue import label
from .people import OwnerRows
from .people import owners as people_owners
from .plan import AlertRow, Badge, ChartLinks, Formatter, GoalRow, badge, text, window


@dataclass(frozen=True)
class PlanSummary:
    id: str
    title: str
    owner: str
    period: str
    status: Badge
    health: str
    goals_achieved: str
    alert_count: int
    type: str
    quarter: str  # when the plan starts, e.g. 2026 Q3: groups large navigations
    month: str  # e.g. 2026-07


@dataclass(frozen=True)
class MetricUse:
    plan_id: str
    goal_id: str
    goal_name: str


@dataclass(frozen=True)
class MetricRow:
    id: str
    name: str
    definition: str
    unit: str
    formula: str
    direction: str
    kind: str
    aggregation: str
    format: str
    freshness: str
    used_by: list[MetricUse]


@dataclass(frozen=True)
class PortfolioLine:
    summary: PlanSummary
    attainment: str
    budget: str
    critical_alerts: int
    top_alerts: list[AlertRow]
    goals: list[GoalRow]


def summaries(result: PortfolioResult, lang: str) -> list[PlanSummary]:
    out = []
    for p in result.plans:
        start = p.plan.period.start
        out.append(PlanSummary(p.id, p.plan.title, p.plan.owner,
                               window(start, p.plan.period.end), badge(p.status, lang),
                               fmt.percent(p.health), f"{p.goals_achieved} / {len(p.goals)}",
                               len(p.alerts), p.plan.type.value,
                               f"{start.year} Q{(start.month - 1) // 3 + 1}",
                               start.strftime("%Y-%m")))
    return out


def all_alerts(result: PortfolioResult, lang: str) -> list[AlertRow]:
    """Every alert of every plan, most severe first (stable within a severity)."""
    f = Formatter(result, lang)
    rows = [(a.severity.rank, row) for p in result.plans
            for a, row in zip(p.alerts, f.alerts(p), strict=True)]
    return [row for _, row in sorted(rows, key=lambda x: -x[0])]


def owners(result: PortfolioResult, lang: str) -> list[OwnerRows]:
    """责任矩阵 (views.people)."""
    return people_owners(result, lang)


FORMAT_SIGNS = {MetricFormat.PERCENT: "%", MetricFormat.RATIO: "1:x", MetricFormat.CURRENCY: "¤"}


def metric_rows(result: PortfolioResult, lang: str) -> list[MetricRow]:
    """指标字典: every metric with its definition and the goals that use it."""
    used: dict[str, list[MetricUse]] = defaultdict(list)
    for p in result.plans:
        for g in p.goals:
            used[g.metric].append(MetricUse(p.id, g.id, g.goal.name))
    out = []
    for mid, m in sorted(result.metrics.items()):
        out.append(MetricRow(
            id=mid, name=m.label(lang), definition=text(localized(m.definition, lang)),
            unit=text(localized(m.unit, lang)), formula=text(m.formula),
            direction=label(m.direction.value, lang), kind=label(m.kind, lang),
            aggregation=m.aggregation.value if m.aggregation else (
                "formula" if m.formula else "sum"),
            format=FORMAT_SIGNS.get(m.format, "#"), freshness=str(m.freshness_days),
            used_by=used.get(mid, [])))
    return out


def portfolio_lines(result: PortfolioResult, lang: str) -> list[PortfolioLine]:
    """One line (and one page) per plan for the portfolio report."""
    f = Formatter(result, lang)
    out = []
    for summary, p in zip(summaries(result, lang), result.plans, strict=True):
        budget = (f"{fmt.money(p.budget.spent)} / {fmt.money(p.budget.planned)} "
                  f"({fmt.percent(p.budget.utilization)})" if p.budget else fmt.DASH)
        out.append(PortfolioLine(summary, fmt.percent(p.mean_attainment), budget,
                                 p.critical_alerts, f.alerts(p)[:5],
                                 [f.goal(g, ChartLinks()) for g in p.goals]))
    return out
