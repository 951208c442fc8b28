"""Every chart of one plan, drawn from its results and the metric store, as a typed set."""

from __future__ import annotations

from dataclasses import dataclass

from ..compute.results import PlanResult, PortfolioResult
from ..compute.series import burn_series, goal_series
from ..history import Baselines
from ..metrics import MetricStore
from ..model import MetricFormat
from ..views.plan import ChartLinks, Formatter
from . import charts


@dataclass(frozen=True)
class GoalCharts:
    goal_id: str
    pace: bytes  # cumulative actual against the pace line, or the level against the target
    breakdown: bytes | None  # small multiples of the break-down children


@dataclass(frozen=True)
class PlanCharts:
    """A plan's charts as SVG bytes: one field per chart, None where a plan has nothing to show."""

    goals: tuple[GoalCharts, ...]
    attainment: bytes | None
    gantt: bytes | None
    burn: bytes | None
    roi: bytes | None
    risks: bytes | None

    def files(self, folder: str, link_prefix: str = "") -> tuple[dict[str, bytes], ChartLinks]:
        """Chart files named by position and kind (never by user text), and their links."""
        files: dict[str, bytes] = {}

        def add(kind: str, svg: bytes | None) -> str | None:
            if svg is None:
                return None
            name = f"{folder}/{len(files):03d}-{kind}.svg"
            files[name] = svg
            return link_prefix + name

        goals: dict[str, str] = {}
        breakdowns: dict[str, str] = {}
        for g in self.goals:
            goals[g.goal_id] = add("goal", g.pace) or ""
            link = add("breakdown", g.breakdown)
            if link is not None:
                breakdowns[g.goal_id] = link
        links = ChartLinks(goals=goals, breakdowns=breakdowns,
                           attainment=add("attainment", self.attainment),
                           gantt=add("gantt", self.gantt), burn=add("burn", self.burn),
                           roi=add("roi", self.roi), risks=add("risks", self.risks))
        return files, links


def plan_charts(p: PlanResult, store: MetricStore, result: PortfolioResult, lang: str,
                baselines: Baselines | None = None) -> PlanCharts:
    """Draw every chart of one plan in one language (`baselines`: re-baselined targets,
    whose first value the goal charts keep in sight)."""
    formatter = Formatter(result, lang)
    goals = []
    lowered: set[str] = set()
    for g in p.goals:
        series = goal_series(g, p.plan, p.id, store)
        metric = result.metrics.get(g.metric)
        percent = metric is not None and metric.format is MetricFormat.PERCENT
        changes = baselines.targets.get(g.id, []) if baselines else []
        if formatter.lowered(g, changes):
            lowered.add(g.id)
        original = changes[0].before if changes else None
        goals.append(GoalCharts(g.id, charts.goal_chart(series, lang, percent, original,
                                                        g.id in lowered),
                                charts.breakdown_chart(series, lang, percent)
                                if series.children else None))
    burn = burn_series(p, store)
    return PlanCharts(
        goals=tuple(goals),
        attainment=(charts.attainment_chart(p.goals, lang, frozenset(lowered))
                    if p.goals else None),
        gantt=charts.gantt_chart(p, result.as_of, lang) if p.tasks else None,
        burn=(charts.burn_chart(burn, p.budget.currency, lang,
                                paced=any(ln.pace for ln in (p.plan.budget.lines
                                                             if p.plan.budget else [])))
              if burn is not None and p.budget is not None else None),
        roi=(charts.roi_chart(p.budget, lang)
             if burn is not None and p.budget is not None else None),
        risks=charts.risk_matrix(p, lang) if p.plan.risks else None)
