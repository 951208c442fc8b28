"""What the portfolio pages print: plan summaries, alerts, owners, the metric dictionary."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from ..compute.dimensions import UNASSIGNED, DimensionResult
from ..compute.results import (
    PortfolioResult,
)
from ..compute.summary import subject_owner
from ..history import State
from ..model import AlertSeverity, MetricFormat, PeopleDirectory, localized
from . import fmt
from .catalogue import catalogue, label
from .people import display_name
from .plan import HEADING_TEXT, AlertRow, Badge, Formatter, badge, late_text, text, title, window


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
    budget: str = fmt.DASH  # total (declared, else planned) with its currency
    spent: str = fmt.DASH  # spent and its share of the budget
    forecast_finish: str = fmt.DASH  # the forecast end of the schedule
    late: str = ""  # "晚 N 天" when the forecast end passes the period end
    critical_alerts: int = 0
    heading: str = ""  # the title as the portfolio report prints it (cut, the cut labelled)


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


def summaries(result: PortfolioResult, lang: str) -> list[PlanSummary]:
    out = []
    for p in result.plans:
        start, b = p.plan.period.start, p.budget
        total = (b.total if b.total is not None else b.planned) if b else None
        out.append(PlanSummary(
            p.id, p.plan.title, p.plan.owner, window(start, p.plan.period.end),
            badge(p.status, lang), fmt.percent(p.health), f"{p.goals_achieved} / {len(p.goals)}",
            len(p.alerts), p.plan.type.value, f"{start.year} Q{(start.month - 1) // 3 + 1}",
            start.strftime("%Y-%m"),
            budget=fmt.money(total, b.currency) if b else fmt.DASH,
            spent=(f"{fmt.money(b.spent)} ({fmt.percent(b.spent / total if total else None)})"
                   if b else fmt.DASH),
            forecast_finish=fmt.date(p.forecast_end),
            late=late_text(p, lang) or "",
            critical_alerts=p.critical_alerts, heading=title(p.plan.title, HEADING_TEXT)))
    return out


@dataclass(frozen=True)
class OwnedAlert:
    """An alert with who owns its subject and since when it has been raised."""

    row: AlertRow
    owner: str
    since: str  # the date of the commit from which it is raised without a break, or "—"
    commit: str  # that commit, short, or "—"


@dataclass(frozen=True)
class OwnerAlertCount:
    owner: str
    critical: int
    warning: int
    info: int


@dataclass(frozen=True)
class SeverityGroup:
    """The alerts of one severity, grouped by owner, with what the severity means."""

    severity: Badge
    note: str
    alerts: list[OwnedAlert]


def raised_since(states: list[State]) -> dict[tuple[str, str], State]:
    """(code, subject) → the oldest commit's state from which the alert is raised at every
    commit up to the newest one (alerts absent from the newest commit are not listed)."""
    since: dict[tuple[str, str], State] = {}
    live: set[tuple[str, str]] | None = None
    for state in reversed(states):
        here = {(a.code, a.subject) for a in state.plan.alerts}
        live = here if live is None else live & here
        if not live:
            break
        for key in live:
            since[key] = state
    return since


def owned_alerts(result: PortfolioResult, lang: str, states: dict[str, list[State]]
                 ) -> list[OwnedAlert]:
    """Every alert of every plan with its owner and age, most severe first (stable)."""
    f = Formatter(result, lang)
    people = result.people or PeopleDirectory()

    def who(written: str) -> str:
        return display_name(people, written)

    rows = []
    for p in result.plans:
        since = raised_since(states.get(p.id, []))
        for a, row in zip(p.alerts, f.alerts(p), strict=True):
            first = since.get((a.code, a.subject))
            rows.append((a.severity.rank, OwnedAlert(
                row, who(subject_owner(p, a)),
                first.commit.date.date().isoformat() if first else fmt.DASH,
                first.commit.id[:7] if first else fmt.DASH)))
    return [row for _, row in sorted(rows, key=lambda x: -x[0])]


def by_owner(alerts: list[OwnedAlert]) -> list[OwnerAlertCount]:
    """Each owner's alerts by severity, the most critical first."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for a in alerts:
        counts[a.owner][a.row.severity.code] += 1
    return sorted((OwnerAlertCount(o, c["critical"], c["warning"], c["info"])
                   for o, c in counts.items()),
                  key=lambda o: (-o.critical, -o.warning, -o.info, o.owner))


def by_severity(alerts: list[OwnedAlert], lang: str) -> list[SeverityGroup]:
    """Critical, warning, info: each with its alerts, grouped by owner (worst owners first)."""
    rank = {o.owner: n for n, o in enumerate(by_owner(alerts))}
    return [SeverityGroup(badge(s, lang), label(f"severity_{s.value}_note", lang),
                          sorted((a for a in alerts if a.row.severity.code == s.value),
                                 key=lambda a: rank[a.owner]))
            for s in (AlertSeverity.CRITICAL, AlertSeverity.WARNING, AlertSeverity.INFO)]


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


@dataclass(frozen=True)
class PlanLink:
    id: str
    title: str


@dataclass(frozen=True)
class PageLink:
    page: str  # relative to the site's root, e.g. dimensions/channel.md
    title: str


@dataclass(frozen=True)
class DimensionGoal:
    plan_id: str
    name: str
    status: Badge
    attainment: str


@dataclass(frozen=True)
class DimensionRow:
    value: str  # the value, or "未指定" for rows without one
    unassigned: bool
    currency: str
    spend: str
    revenue: str
    roi: str
    plans: list[PlanLink]
    goals: list[DimensionGoal]


@dataclass(frozen=True)
class DimensionView:
    id: str  # the dimension as declared
    page: str  # its page, e.g. dimensions/channel.md
    name: str  # its label, e.g. 渠道
    title: str  # 按渠道
    note: str  # how the figures are made
    rows: list[DimensionRow]


def dimension_name(dimension: str, lang: str) -> str:
    """A declared dimension's label (渠道 for channel), else its name as declared."""
    return catalogue(lang).labels.get(f"dim_{dimension}", dimension)


def dimension_view(d: DimensionResult, page: str, result: PortfolioResult, lang: str
                   ) -> DimensionView:
    """One dimension's values as table rows: one per value and currency."""
    titles = {p.id: p.plan.title for p in result.plans}
    rows = []
    for v in d.values:
        plans = [PlanLink(pid, titles[pid]) for pid in v.plans]
        goals = [DimensionGoal(g.plan_id, g.goal.name, badge(g.goal.status, lang),
                               fmt.percent(g.goal.attainment)) for g in v.goals]
        shown = label("unassigned", lang) if v.value == UNASSIGNED else v.value
        for m in v.money or [None]:
            rows.append(DimensionRow(
                shown, v.value == UNASSIGNED, m.currency if m else fmt.DASH,
                fmt.money(m.spend) if m else fmt.DASH, fmt.money(m.revenue) if m else fmt.DASH,
                fmt.ratio(m.roi) if m else fmt.DASH, plans, goals))
    name = dimension_name(d.dimension, lang)
    return DimensionView(d.dimension, page, name, label("dimension_title", lang, name=name),
                         label("dimension_note", lang, name=name), rows)
