"""Every chart of one plan, drawn from its results and the metric store, as a typed set."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

from ..compute.results import PlanResult, PortfolioResult
from ..compute.series import as_share_of_target, burn_as_share, burn_series, goal_series
from ..history import Baselines
from ..metrics import MetricStore
from ..model import MetricFormat
from ..views.plan import ChartLinks, ChartSize, Formatter, plan_language
from . import charts

_SVG_SIZE = re.compile(rb'<svg[^>]*?width="([\d.]+)pt"[^>]*?height="([\d.]+)pt"')


def svg_size(svg: bytes) -> ChartSize | None:
    """An SVG's size in CSS pixels (matplotlib writes points: 1 pt = 4/3 px)."""
    m = _SVG_SIZE.search(svg[:2000])
    if m is None:
        return None
    return ChartSize(round(float(m.group(1)) * 4 / 3), round(float(m.group(2)) * 4 / 3))


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
    # the same charts laid out for a phone (narrow, larger type), shown below 600 px
    narrow: PlanCharts | None = None

    def files(self, folder: str, link_prefix: str = "") -> tuple[dict[str, bytes], ChartLinks]:
        """Chart files named by position and kind (never by user text), and their links;
        each narrow variant is `narrow/` + the wide one's name."""
        files: dict[str, bytes] = {}
        narrow: dict[str, str] = {}
        sizes = {}
        count = 0

        def add(kind: str, svg: bytes | None, phone: bytes | None = None) -> str | None:
            nonlocal count
            if svg is None:
                return None
            base = f"{count:03d}-{kind}.svg"
            count += 1
            name = f"{folder}/{base}"
            files[name] = svg
            size = svg_size(svg)
            if size is not None:
                sizes[link_prefix + name] = size
            if phone is not None:
                files[f"{folder}/narrow/{base}"] = phone
                narrow[link_prefix + name] = f"{link_prefix}{folder}/narrow/{base}"
                phone_size = svg_size(phone)
                if phone_size is not None:
                    sizes[narrow[link_prefix + name]] = phone_size
            return link_prefix + name

        n = self.narrow

        goals: dict[str, str] = {}
        breakdowns: dict[str, str] = {}
        phones = {g.goal_id: g for g in n.goals} if n is not None else {}
        for g in self.goals:
            phone = phones.get(g.goal_id)
            goals[g.goal_id] = add("goal", g.pace, phone.pace if phone else None) or ""
            link = add("breakdown", g.breakdown, phone.breakdown if phone else None)
            if link is not None:
                breakdowns[g.goal_id] = link
        links = ChartLinks(goals=goals, breakdowns=breakdowns,
                           attainment=add("attainment", self.attainment,
                                          n.attainment if n else None),
                           gantt=add("gantt", self.gantt, n.gantt if n else None),
                           burn=add("burn", self.burn, n.burn if n else None),
                           roi=add("roi", self.roi, n.roi if n else None),
                           risks=add("risks", self.risks, n.risks if n else None),
                           narrow=narrow, sizes=sizes)
        return files, links


def plan_charts(p: PlanResult, store: MetricStore, result: PortfolioResult, lang: str,
                baselines: Baselines | None = None, *, phone: bool = True,
                hide_money: bool = False) -> PlanCharts:
    """Draw every chart of one plan in the plan's language (else `lang`, the site's), and
    with `phone` each again in its narrow layout (`baselines`: re-baselined targets,
    whose first value the goal charts keep in sight; `hide_money`: money is drawn as shares
    of the target or of the budget, for a public site)."""
    lang = plan_language(p, lang)
    wide = _draw(p, store, result, lang, baselines, hide_money)
    if not phone:
        return wide
    with charts.narrow():
        small = _draw(p, store, result, lang, baselines, hide_money)
    return dataclasses.replace(wide, narrow=small)


def _draw(p: PlanResult, store: MetricStore, result: PortfolioResult, lang: str,
          baselines: Baselines | None, hide_money: bool = False) -> PlanCharts:
    """Every chart of one plan in the current layout."""
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
        if hide_money and metric is not None and metric.format is MetricFormat.CURRENCY:
            shares = as_share_of_target(series)
            if shares is None:
                continue
            series, percent = shares, True
            original = original / g.target if original is not None and g.target else None
        goals.append(GoalCharts(g.id, charts.goal_chart(series, lang, percent, original,
                                                        g.id in lowered),
                                charts.breakdown_chart(series, lang, percent)
                                if series.children else None))
    burn = burn_series(p, store)
    shown_burn = burn_as_share(burn) if hide_money and burn is not None else burn
    return PlanCharts(
        goals=tuple(goals),
        attainment=(charts.attainment_chart(p.goals, lang, frozenset(lowered))
                    if p.goals else None),
        gantt=charts.gantt_chart(p, result.as_of, lang) if p.tasks else None,
        burn=(charts.burn_chart(shown_burn, p.budget.currency, lang,
                                paced=any(ln.pace for ln in (p.plan.budget.lines
                                                             if p.plan.budget else [])),
                                share=hide_money)
              if shown_burn is not None and p.budget is not None else None),
        roi=(charts.roi_chart(p.budget, lang)
             if burn is not None and p.budget is not None else None),
        risks=charts.risk_matrix(p, lang) if p.plan.risks else None)
