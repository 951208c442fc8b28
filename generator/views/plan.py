"""What a plan's page, report and terminal block print: its results as formatted text.

Templates only loop, branch on status codes and print these strings; every
number is formatted and every label translated here, in one place.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from ..compute.results import GoalResult, PlanResult, PortfolioResult, TaskResult
from ..model import MetricDef
from . import fmt
from .catalogue import status_label
from .messages import alert_message, reallocation_text

MAX_TEXT = 2000  # characters of one text field shown in a page or report


@dataclass(frozen=True)
class Badge:
    """A status shown as colour and words: `code` picks the colour, `label` is the text."""

    code: str
    label: str


@dataclass(frozen=True)
class ChartLinks:
    """Where a plan's charts are, relative to the page that shows them (None: no chart)."""

    goals: Mapping[str, str] = field(default_factory=dict)  # goal id → its pace/level chart
    breakdowns: Mapping[str, str] = field(default_factory=dict)  # goal id → small multiples
    attainment: str | None = None
    gantt: str | None = None
    burn: str | None = None
    roi: str | None = None
    risks: str | None = None
    history: str | None = None


@dataclass(frozen=True)
class GoalRow:
    id: str
    name: str
    owner: str
    metric: str
    window: str
    target: str
    actual: str
    attainment: str
    expected: str
    pace: str
    status: Badge
    is_child: bool
    chart: str | None = None
    breakdown_chart: str | None = None
    children: list[GoalRow] = field(default_factory=list)
    analysis: str | None = None
    suggestion: str | None = None


@dataclass(frozen=True)
class TaskRow:
    id: str
    name: str
    owner: str
    approver: str
    phase: str
    start: str
    end: str
    actual_end: str
    progress: str
    depends_on: str
    slip: str
    float: str
    critical: bool
    status: Badge
    milestone: bool


@dataclass(frozen=True)
class LineRow:
    id: str
    name: str
    planned: str
    spent: str
    utilization: str
    expected: str
    forecast: str
    roi: str
    status: Badge


@dataclass(frozen=True)
class DrawRow:
    date: str
    amount: str
    reason: str


@dataclass(frozen=True)
class BudgetView:
    currency: str
    total: str
    planned: str
    spent: str
    utilization: str
    forecast: str
    reserve: str
    reserve_left: str
    unallocated: str
    roi: str
    status: Badge
    lines: list[LineRow]
    draws: list[DrawRow]
    reallocations: list[str]
    burn_chart: str | None
    roi_chart: str | None


@dataclass(frozen=True)
class RiskRow:
    id: str
    description: str
    probability: str
    impact: str
    score: str
    level: Badge
    mitigation: str
    owner: str
    status: Badge


@dataclass(frozen=True)
class IssueRow:
    id: str
    date: str
    description: str
    impact: str
    effect: str
    owner: str
    action: str
    due: str
    resolved: str
    overdue: bool
    status: Badge


@dataclass(frozen=True)
class AlertRow:
    plan_id: str
    plan_title: str
    severity: Badge
    code: str
    subject: str
    message: str
    action: str


@dataclass(frozen=True)
class RetroRow:
    stage: str
    successes: str
    shortfalls: str
    root_cause: str
    actions: str
    owner: str
    due: str


@dataclass(frozen=True)
class TrendRow:
    metric: str
    current: str
    previous: str
    mom: str
    year_ago: str
    yoy: str


@dataclass(frozen=True)
class StrategyRow:
    id: str
    name: str
    goals: str
    owner: str


@dataclass(frozen=True)
class ChangeRow:
    date: str
    author: str
    message: str
    commit: str
    changes: list[str]


@dataclass(frozen=True)
class PlanView:
    id: str
    title: str
    owner: str
    type: str
    period: str
    as_of: str
    description: str
    tags: str
    status: Badge
    health: str
    phase_now: str
    elapsed: str
    forecast_end: str
    goals_achieved: str
    alert_count: int
    goals: list[GoalRow]
    tasks: list[TaskRow]
    late_tasks: list[TaskRow]  # 延期与风险任务
    delayed_tasks: list[TaskRow]  # 延期: finished late or still open past the end
    budget: BudgetView | None
    risks: list[RiskRow]  # in file order
    risks_by_score: list[RiskRow]
    issues: list[IssueRow]
    open_issues: list[IssueRow]
    alerts: list[AlertRow]
    retro: list[RetroRow]
    trends: list[TrendRow]
    attainment_chart: str | None
    gantt_chart: str | None
    risk_chart: str | None
    history_chart: str | None
    report: str | None
    strategies: list[StrategyRow]
    changelog: list[ChangeRow]


def badge(code: str, lang: str) -> Badge:
    return Badge(str(code), status_label(code, lang))


def text(value: object, limit: int = MAX_TEXT) -> str:
    """Plan text as written (None → dash), cut at `limit` with the cut labelled."""
    if value is None or value == "":
        return fmt.DASH
    shown = str(value)
    if len(shown) > limit:
        return f"{shown[:limit]}… [+{len(shown) - limit:,}]"
    return shown


def window(start: object, end: object) -> str:
    """A period or window, `2026-07-01 ~ 2026-09-30`."""
    return f"{start} ~ {end}"


class Formatter:
    """Formats one portfolio's results in one language."""

    def __init__(self, result: PortfolioResult, language: str):
        self.result = result
        self.lang = language

    @property
    def metrics(self) -> Mapping[str, MetricDef]:
        return self.result.metrics

    def metric_name(self, metric_id: str) -> str:
        m = self.metrics.get(metric_id)
        return m.label(self.lang) if m else metric_id

    def value(self, x: float | None, metric_id: str) -> str:
        return fmt.metric_value(x, self.metrics.get(metric_id))

    def goal(self, g: GoalResult, charts: ChartLinks, child: bool = False) -> GoalRow:
        name = g.dimension_value if child and g.dimension_value else g.goal.name
        return GoalRow(
            id=g.id, name=name, owner=g.goal.owner, metric=self.metric_name(g.metric),
            window=window(g.start, g.due), target=self.value(g.target, g.metric),
            actual=self.value(g.actual, g.metric), attainment=fmt.percent(g.attainment),
            expected=self.value(g.expected, g.metric), pace=fmt.percent(g.pace_ratio),
            status=badge(g.status, self.lang), is_child=child,
            chart=charts.goals.get(g.id), breakdown_chart=charts.breakdowns.get(g.id),
            children=[self.goal(c, charts, True) for c in g.children],
            analysis=g.goal.analysis, suggestion=g.goal.suggestion)

    def task(self, t: TaskResult, phases: Mapping[str, str]) -> TaskRow:
        task = t.task
        return TaskRow(
            id=t.id, name=task.name, owner=task.owner, approver=text(task.approver),
            phase=phases.get(task.phase or "", text(task.phase)), start=fmt.date(task.start),
            end=fmt.date(task.end), actual_end=fmt.date(task.actual_end),
            progress=f"{t.progress:.0f}%", depends_on=", ".join(task.depends_on) or fmt.DASH,
            slip=str(t.slip_days) if t.slip_days else fmt.DASH, float=str(t.total_float),
            critical=t.critical, status=badge(t.status, self.lang), milestone=task.milestone)

    def budget(self, p: PlanResult, charts: ChartLinks) -> BudgetView | None:
        b = p.budget
        if b is None:
            return None
        money = fmt.money
        lines = [LineRow(ln.id, ln.name, money(ln.planned), money(ln.spent),
                         fmt.percent(ln.utilization), money(ln.expected), money(ln.forecast),
                         fmt.ratio(ln.roi), badge(ln.status, self.lang)) for ln in b.lines]
        draws = [DrawRow(fmt.date(d.date), money(d.amount), text(d.reason))
                 for d in (p.plan.budget.draws if p.plan.budget else [])]
        return BudgetView(
            currency=b.currency, total=money(b.total), planned=money(b.planned),
            spent=money(b.spent), utilization=fmt.percent(b.utilization),
            forecast=money(b.forecast), reserve=money(b.reserve),
            reserve_left=money(b.reserve_left), unallocated=money(b.unallocated),
            roi=fmt.ratio(b.roi), status=badge(b.status, self.lang), lines=lines,
            draws=draws, reallocations=[reallocation_text(r, self.lang) for r in b.reallocations],
            burn_chart=charts.burn, roi_chart=charts.roi)

    def alerts(self, p: PlanResult) -> list[AlertRow]:
        return [AlertRow(p.id, p.plan.title, badge(a.severity, self.lang), a.code, a.subject,
                         alert_message(a, self.lang, self.metrics), text(a.action))
                for a in p.alerts]

    def risks(self, p: PlanResult) -> dict[str, RiskRow]:
        lang = self.lang
        rows = {}
        for r, risk in zip(p.risks, p.plan.risks, strict=True):
            rows[r.id] = RiskRow(r.id, risk.description, status_label(risk.probability, lang),
                                 status_label(risk.impact, lang), str(r.score),
                                 badge(r.level, lang), text(risk.mitigation), text(risk.owner),
                                 badge(r.status, lang))
        return rows

    def issues(self, p: PlanResult) -> list[IssueRow]:
        lang = self.lang
        return [IssueRow(i.id, fmt.date(issue.date), issue.description,
                         status_label(issue.impact, lang), text(issue.effect), text(issue.owner),
                         text(issue.action), fmt.date(issue.due), fmt.date(issue.resolved),
                         i.overdue, badge("open" if i.open else "closed", lang))
                for i, issue in zip(p.issues, p.plan.issues, strict=True)]

    def plan(self, p: PlanResult, charts: ChartLinks, report: str | None = None,
             changelog: list[ChangeRow] | None = None) -> PlanView:
        """Everything a plan page or report prints."""
        plan, lang = p.plan, self.lang
        phases = {ph.id: ph.name for ph in plan.phases}
        tasks = {t.id: self.task(t, phases) for t in p.tasks}
        risks = self.risks(p)
        issues = self.issues(p)
        return PlanView(
            id=p.id, title=plan.title, owner=plan.owner, type=status_label(plan.type, lang),
            period=window(plan.period.start, plan.period.end),
            as_of=fmt.date(self.result.as_of), description=text(plan.description, 5 * MAX_TEXT),
            tags=", ".join(plan.tags) or fmt.DASH, status=badge(p.status, lang),
            health=fmt.percent(p.health), phase_now=phases.get(p.phase_now or "", fmt.DASH),
            elapsed=fmt.percent(p.elapsed), forecast_end=fmt.date(p.forecast_end),
            goals_achieved=f"{p.goals_achieved} / {len(p.goals)}", alert_count=len(p.alerts),
            goals=[self.goal(g, charts) for g in p.goals], tasks=list(tasks.values()),
            late_tasks=[tasks[t.id] for t in p.tasks if t.needs_attention],
            delayed_tasks=[tasks[t.id] for t in p.tasks if t.late],
            budget=self.budget(p, charts), risks=list(risks.values()),
            risks_by_score=[risks[r.id] for r in p.risks_by_score], issues=issues,
            open_issues=[row for row, i in zip(issues, p.issues, strict=True) if i.open],
            alerts=self.alerts(p),
            retro=[RetroRow(text(r.stage), text(r.successes), text(r.shortfalls),
                            text(r.root_cause), text(r.actions), text(r.owner), fmt.date(r.due))
                   for r in plan.retro],
            trends=[TrendRow(self.metric_name(t.metric) + _filter_text(t.where),
                             self.value(t.current, t.metric),
                             self.value(t.previous, t.metric), _signed(t.mom),
                             self.value(t.year_ago, t.metric), _signed(t.yoy))
                    for t in p.trends],
            attainment_chart=charts.attainment, gantt_chart=charts.gantt,
            risk_chart=charts.risks, history_chart=charts.history, report=report,
            strategies=[StrategyRow(s.id, s.name, ", ".join(s.goals) or fmt.DASH, text(s.owner))
                        for s in plan.strategies],
            changelog=changelog or [])


def _filter_text(where: Mapping[str, tuple[str, ...]]) -> str:
    """ (channel: 抖音) for a filtered trend, nothing for the whole plan."""
    if not where:
        return ""
    return " (" + "; ".join(f"{k}: {', '.join(v)}" for k, v in where.items()) + ")"


def _signed(x: float | None) -> str:
    return fmt.DASH if x is None else f"{x * 100:+.1f}%"
