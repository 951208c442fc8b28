"""Every chart of one plan, from its results and the metric store."""

from __future__ import annotations

from .compute.results import PlanResult, PortfolioResult
from .compute.series import burn_series, goal_series
from .metrics import MetricStore
from .model import MetricFormat
from .render import charts


def plan_charts(p: PlanResult, store: MetricStore, result: PortfolioResult, lang: str
                ) -> dict[str, bytes]:
    """Every chart of one plan: {key: SVG bytes}; keys name what the chart shows."""
    out: dict[str, bytes] = {}
    for g in p.goals:
        series = goal_series(g, p.plan, p.id, store)
        metric = result.metrics.get(g.metric)
        percent = metric is not None and metric.format is MetricFormat.PERCENT
        out[f"goal:{g.id}"] = charts.goal_chart(series, lang, percent)
        if series.children:
            out[f"breakdown:{g.id}"] = charts.breakdown_chart(series, lang, percent)
    if p.goals:
        out["attainment"] = charts.attainment_chart(
            [(f"{g.id} {g.goal.name}", g.attainment, g.status.value) for g in p.goals], lang)
    if p.tasks:
        out["gantt"] = charts.gantt_chart(p, result.as_of, lang)
    burn = burn_series(p, store)
    if burn is not None and p.budget is not None:
        out["burn"] = charts.burn_chart(burn, p.budget.currency, lang)
        roi = charts.roi_chart(p.budget, lang)
        if roi is not None:
            out["roi"] = roi
    if p.plan.risks:
        out["risks"] = charts.risk_matrix(
            [(r.id, r, risk.probability.score, risk.impact.score)
             for r, risk in zip(p.risks, p.plan.risks, strict=True)], lang)
    return out
