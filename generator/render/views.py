"""What pages and reports print: computed results turned into formatted text.

Templates only loop, branch on status codes and print these strings; every
number is formatted and every label translated here, in one place.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from typing import Any

from .. import fmt, i18n
from ..compute.alerts import reallocation_text
from ..compute.results import GoalResult, PlanResult, PortfolioResult, TaskStatus
from ..model import MetricDef, MetricFormat, localized


@dataclass(frozen=True)
class Badge:
    """A status shown as colour and words: `code` picks the colour, `label` is the text."""

    code: str
    label: str


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
    draws: list[tuple[str, str, str]]
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
    late_tasks: list[TaskRow]
    budget: BudgetView | None
    risks: list[RiskRow]
    issues: list[IssueRow]
    alerts: list[AlertRow]
    retro: list[RetroRow]
    trends: list[TrendRow]
    attainment_chart: str | None
    gantt_chart: str | None
    risk_chart: str | None
    report: str | None
    strategies: list[tuple[str, str, str, str]]
    changelog: list[ChangeRow] = field(default_factory=list)
    history_chart: str | None = None


def badge(code: str, lang: str) -> Badge:
    return Badge(code, i18n.status_label(code, lang))


MAX_TEXT = 2000  # characters of one text field shown in a page or report


def text(value: object, limit: int = MAX_TEXT) -> str:
    """Plan text as written (None → dash), cut at `limit` with the cut labelled."""
    if value is None or value == "":
        return fmt.DASH
    shown = str(value)
    if len(shown) > limit:
        return f"{shown[:limit]}… [+{len(shown) - limit:,}]"
    return shown


class Formatter:
    """Formats one portfolio's results in one language."""

    def __init__(self, result: PortfolioResult, language: str):
        self.result = result
        self.lang = language

    def metric(self, metric_id: str) -> MetricDef | None:
        return self.result.metrics.get(metric_id)

    def metric_name(self, metric_id: str) -> str:
        m = self.metric(metric_id)
        return m.label(self.lang) if m else metric_id

    def value(self, x: float | None, metric_id: str) -> str:
        return fmt.metric_value(x, self.metric(metric_id))

    def goal(self, g: GoalResult, charts: dict[str, str], child: bool = False) -> GoalRow:
        name = g.dimension_value if child and g.dimension_value else g.goal.name
        return GoalRow(
            id=g.id, name=name, owner=g.goal.owner, metric=self.metric_name(g.metric),
            window=f"{g.start} ~ {g.due}", target=self.value(g.target, g.metric),
            actual=self.value(g.actual, g.metric), attainment=fmt.percent(g.attainment),
            expected=self.value(g.expected, g.metric), pace=fmt.percent(g.pace_ratio),
            status=badge(g.status.value, self.lang), is_child=child,
            chart=charts.get(f"goal:{g.id}"), breakdown_chart=charts.get(f"breakdown:{g.id}"),
            children=[self.goal(c, charts, True) for c in g.children],
            analysis=g.goal.analysis, suggestion=g.goal.suggestion)

    def tasks(self, p: PlanResult) -> list[TaskRow]:
        phases = {ph.id: ph.name for ph in p.plan.phases}
        out = []
        for t in p.tasks:
            task = t.task
            out.append(TaskRow(
                id=t.id, name=task.name, owner=task.owner, approver=text(task.approver),
                phase=phases.get(task.phase or "", text(task.phase)), start=fmt.date(task.start),
                end=fmt.date(task.end), actual_end=fmt.date(task.actual_end),
                progress=f"{t.progress:.0f}%", depends_on=", ".join(task.depends_on) or fmt.DASH,
                slip=str(t.slip_days) if t.slip_days else fmt.DASH, float=str(t.total_float),
                critical=t.critical, status=badge(t.status.value, self.lang),
                milestone=task.milestone))
        return out

    def budget(self, p: PlanResult, charts: dict[str, str]) -> BudgetView | None:
        b = p.budget
        if b is None:
            return None
        names = {ln.id: ln.name for ln in b.lines}
        money = fmt.money
        lines = [LineRow(ln.id, ln.name, money(ln.planned), money(ln.spent),
                         fmt.percent(ln.utilization), money(ln.expected), money(ln.forecast),
                         fmt.ratio(ln.roi), badge(ln.status.value, self.lang)) for ln in b.lines]
        draws = [(fmt.date(d.date), money(d.amount), text(d.reason))
                 for d in (p.plan.budget.draws if p.plan.budget else [])]
        reallocations = [reallocation_text(r, names, self.lang) for r in b.reallocations]
        return BudgetView(
            currency=b.currency, total=money(b.total), planned=money(b.planned),
            spent=money(b.spent), utilization=fmt.percent(b.utilization),
            forecast=money(b.forecast), reserve=money(b.reserve),
            reserve_left=money(b.reserve_left), unallocated=money(b.unallocated),
            roi=fmt.ratio(b.roi), status=badge(b.status.value, self.lang), lines=lines,
            draws=draws, reallocations=reallocations, burn_chart=charts.get("burn"),
            roi_chart=charts.get("roi"))

    def alerts(self, p: PlanResult) -> list[AlertRow]:
        return [AlertRow(p.id, p.plan.title, badge(a.severity.value, self.lang), a.code,
                         a.subject, a.message, text(a.action)) for a in p.alerts]

    def with_history(self, view: PlanView, entries: list[Any], chart: str | None) -> PlanView:
        """The view with its change log and status-history chart."""
        return replace(view, changelog=change_rows(entries, self.lang), history_chart=chart)

    def plan(self, p: PlanResult, charts: dict[str, str], report: str | None = None
             ) -> PlanView:
        """Everything a plan page or report prints."""
        plan, lang = p.plan, self.lang
        phases = {ph.id: ph.name for ph in plan.phases}
        tasks = self.tasks(p)
        late = [row for row, t in zip(tasks, p.tasks, strict=True)
                if t.status in (TaskStatus.DELAYED, TaskStatus.AT_RISK, TaskStatus.BLOCKED,
                                TaskStatus.DONE_LATE)]
        risks = {r.id: r for r in plan.risks}
        issues = {i.id: i for i in plan.issues}
        achieved = sum(g.status.value == "achieved" for g in p.goals)
        return PlanView(
            id=p.id, title=plan.title, owner=plan.owner,
            type=i18n.status_label(plan.type.value, lang),
            period=f"{plan.period.start} ~ {plan.period.end}",
            as_of=fmt.date(self.result.as_of), description=text(plan.description, 5 * MAX_TEXT),
            tags=", ".join(plan.tags) or fmt.DASH, status=badge(p.status.value, lang),
            health=fmt.percent(p.health), phase_now=phases.get(p.phase_now or "", fmt.DASH),
            elapsed=fmt.percent(p.elapsed), forecast_end=fmt.date(p.forecast_end),
            goals_achieved=f"{achieved} / {len(p.goals)}", alert_count=len(p.alerts),
            goals=[self.goal(g, charts) for g in p.goals], tasks=tasks, late_tasks=late,
            budget=self.budget(p, charts),
            risks=[RiskRow(r.id, risks[r.id].description,
                           i18n.status_label(risks[r.id].probability.value, lang),
                           i18n.status_label(risks[r.id].impact.value, lang), str(r.score),
                           badge(r.level, lang), text(risks[r.id].mitigation),
                           text(risks[r.id].owner), badge(r.status, lang)) for r in p.risks],
            issues=[IssueRow(i.id, fmt.date(issues[i.id].date), issues[i.id].description,
                             i18n.status_label(issues[i.id].impact.value, lang),
                             text(issues[i.id].effect), text(issues[i.id].owner),
                             text(issues[i.id].action), fmt.date(issues[i.id].due),
                             fmt.date(issues[i.id].resolved), i.overdue,
                             badge("open" if i.open else "closed", lang)) for i in p.issues],
            alerts=self.alerts(p),
            retro=[RetroRow(text(r.stage), text(r.successes), text(r.shortfalls),
                            text(r.root_cause), text(r.actions), text(r.owner), fmt.date(r.due))
                   for r in plan.retro],
            trends=[TrendRow(self.metric_name(t.metric) + _filter_text(t.where),
                             self.value(t.current, t.metric),
                             self.value(t.previous, t.metric), _signed(t.mom),
                             self.value(t.year_ago, t.metric), _signed(t.yoy))
                    for t in p.trends],
            attainment_chart=charts.get("attainment"), gantt_chart=charts.get("gantt"),
            risk_chart=charts.get("risks"), report=report,
            strategies=[(s.id, s.name, ", ".join(s.goals) or fmt.DASH, text(s.owner))
                        for s in plan.strategies])


def change_rows(entries: list[Any], lang: str) -> list[ChangeRow]:
    """A plan's change log: each commit with the status changes it caused, in words."""
    rows = []
    for e in entries:
        texts = []
        for subject, s0, s1, a0, a1 in e.changes:
            who = i18n.label("plan", lang) if subject == "plan" else subject
            status = (f"{i18n.status_label(s0, lang) if s0 else fmt.DASH} → "
                      f"{i18n.status_label(s1, lang) if s1 else fmt.DASH}")
            figures = f"{fmt.percent(a0)} → {fmt.percent(a1)}"
            texts.append(f"{who}: {status}, {figures}" if s0 != s1 else f"{who}: {figures}")
        rows.append(ChangeRow(e.commit.date.date().isoformat(), e.commit.author,
                              e.commit.message, e.commit.id[:8], texts))
    return rows


def _filter_text(where: dict[str, tuple[str, ...]]) -> str:
    """ (channel: 抖音) for a filtered trend, nothing for the whole plan."""
    if not where:
        return ""
    return " (" + "; ".join(f"{k}: {', '.join(v)}" for k, v in where.items()) + ")"


def _signed(x: float | None) -> str:
    return fmt.DASH if x is None else f"{x * 100:+.1f}%"


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
class OwnerItem:
    kind: str
    plan_id: str
    plan_title: str
    id: str
    name: str
    status: Badge


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
    used_by: list[tuple[str, str, str]]


def summaries(result: PortfolioResult, lang: str) -> list[PlanSummary]:
    out = []
    for p in result.plans:
        achieved = sum(g.status.value == "achieved" for g in p.goals)
        out.append(PlanSummary(p.id, p.plan.title, p.plan.owner,
                               f"{p.plan.period.start} ~ {p.plan.period.end}",
                               badge(p.status.value, lang), fmt.percent(p.health),
                               f"{achieved} / {len(p.goals)}", len(p.alerts),
                               p.plan.type.value, f"{p.plan.period.start.year} Q"
                               f"{(p.plan.period.start.month - 1) // 3 + 1}",
                               p.plan.period.start.strftime("%Y-%m")))
    return out


def all_alerts(result: PortfolioResult, lang: str) -> list[AlertRow]:
    """Every alert of every plan, most severe first (stable within a severity)."""
    f = Formatter(result, lang)
    rows = [(a.severity.rank, row) for p in result.plans
            for a, row in zip(p.alerts, f.alerts(p), strict=True)]
    return [row for _, row in sorted(rows, key=lambda x: -x[0])]


def owners(result: PortfolioResult, lang: str) -> list[tuple[str, list[OwnerItem]]]:
    """责任矩阵: per owner, their goals, tasks and issues with status."""
    table: dict[str, list[OwnerItem]] = defaultdict(list)
    goal_word, task_word, issue_word = (i18n.label(k, lang) for k in ("goal", "task", "issue"))
    for p in result.plans:
        title = p.plan.title
        for g in p.goals:
            table[g.goal.owner].append(OwnerItem(goal_word, p.id, title, g.id, g.goal.name,
                                                 badge(g.status.value, lang)))
        for t in p.tasks:
            table[t.task.owner].append(OwnerItem(task_word, p.id, title, t.id, t.task.name,
                                                 badge(t.status.value, lang)))
        by_id = {i.id: i for i in p.plan.issues}
        for i in p.issues:
            owner = by_id[i.id].owner
            if owner:
                table[owner].append(OwnerItem(issue_word, p.id, title, i.id,
                                              by_id[i.id].description,
                                              badge("open" if i.open else "closed", lang)))
    return sorted(table.items())


def metric_rows(result: PortfolioResult, lang: str) -> list[MetricRow]:
    """指标字典: every metric with its definition and the goals that use it."""
    used: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    for p in result.plans:
        for g in p.goals:
            used[g.metric].append((p.id, g.id, g.goal.name))
    out = []
    for mid, m in sorted(result.metrics.items()):
        out.append(MetricRow(
            id=mid, name=m.label(lang), definition=text(localized(m.definition, lang)),
            unit=text(localized(m.unit, lang)), formula=text(m.formula),
            direction=i18n.label(m.direction.value, lang), kind=i18n.label(m.kind, lang),
            aggregation=m.aggregation.value if m.aggregation else (
                "formula" if m.formula else "sum"),
            format={MetricFormat.PERCENT: "%", MetricFormat.RATIO: "1:x",
                    MetricFormat.CURRENCY: "¤"}.get(m.format, "#"),
            freshness=str(m.freshness_days), used_by=used.get(mid, [])))
    return out


@dataclass(frozen=True)
class ReportView:
    """What a plan's PDF review report prints, beyond its plan view."""

    plan: PlanView
    summary: str
    all_goal_rows: list[GoalRow]  # goals with their break-down children after each
    problem_goals: list[GoalRow]
    delayed_tasks: list[TaskRow]
    overspent_lines: list[LineRow]
    open_issues: list[IssueRow]
    risks_by_score: list[RiskRow]
    goal_suggestions: list[tuple[str, str, str]]
    metrics: list[MetricRow]
    sources: list[str]
    appendix_tasks: list[TaskRow]  # the task table of the appendix, bounded
    tasks_left_out: int


MAX_REPORT_TASKS = 300  # a report's appendix lists at most this many tasks (the site has all)
PROBLEM_GOALS = {"missed", "off_track", "at_risk", "no_data"}


def report(result: PortfolioResult, p: PlanResult, charts: dict[str, str], sources: list[str],
           lang: str) -> ReportView:
    """A plan's review report: its view plus the problem analysis and appendix lists."""
    view = Formatter(result, lang).plan(p, charts)
    goals = [row for g in view.goals for row in (g, *g.children)]
    used = {g.metric for g in p.goals}
    summary = i18n.label("summary_line", lang, as_of=view.as_of, status=view.status.label,
                         health=view.health, achieved=view.goals_achieved,
                         alerts=view.alert_count)
    return ReportView(
        plan=view, summary=summary, all_goal_rows=goals,
        problem_goals=[g for g in goals if g.status.code in PROBLEM_GOALS],
        delayed_tasks=[t for t in view.tasks if t.status.code in ("delayed", "done_late")],
        overspent_lines=([ln for ln in view.budget.lines
                          if ln.status.code in ("over", "overspent", "at_risk")]
                         if view.budget else []),
        open_issues=[i for i in view.issues if i.status.code == "open"],
        risks_by_score=sorted(view.risks, key=lambda r: -int(r.score)),
        goal_suggestions=[(g.id, g.name, g.suggestion) for g in view.goals if g.suggestion],
        metrics=[m for m in metric_rows(result, lang) if m.id in used],
        sources=sources, appendix_tasks=view.tasks[:MAX_REPORT_TASKS],
        tasks_left_out=max(0, len(view.tasks) - MAX_REPORT_TASKS))


@dataclass(frozen=True)
class PortfolioLine:
    summary: PlanSummary
    attainment: str
    budget: str
    critical_alerts: int
    top_alerts: list[AlertRow]
    goals: list[GoalRow]


def portfolio_lines(result: PortfolioResult, lang: str) -> list[PortfolioLine]:
    """One line (and one page) per plan for the portfolio report."""
    f = Formatter(result, lang)
    out = []
    for summary, p in zip(summaries(result, lang), result.plans, strict=True):
        scored = [g.attainment for g in p.goals if g.attainment is not None]
        mean = sum(scored) / len(scored) if scored else None
        budget = (f"{fmt.money(p.budget.spent)} / {fmt.money(p.budget.planned)} "
                  f"({fmt.percent(p.budget.utilization)})" if p.budget else fmt.DASH)
        alerts = f.alerts(p)
        out.append(PortfolioLine(summary, fmt.percent(mean), budget,
                                 sum(a.severity.code == "critical" for a in alerts), alerts[:5],
                                 [f.goal(g, {}) for g in p.goals]))
    return out
