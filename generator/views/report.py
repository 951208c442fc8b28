"""What a plan's PDF review report prints beyond its plan view."""

from __future__ import annotations

from dataclasses import dataclass

from ..compute.results import PlanResult, PortfolioResult
from ..compute.summary import Problem, decisions, subject_owner, top_problems
from ..history import Baselines
from ..languages import problem_template
from . import fmt
from .catalogue import label
from .home import PLAN_ORDER, figures
from .messages import alert_message
from .plan import ChartLinks, Formatter, GoalRow, LineRow, PlanView, TaskRow, badge, late_text
from .plan_rows import Badge
from .portfolio import MetricRow, PlanSummary, metric_rows, summaries

MAX_REPORT_TASKS = 300  # a report's appendix lists at most this many tasks (the site has all)


@dataclass(frozen=True)
class SuggestionRow:
    id: str
    name: str
    text: str


@dataclass(frozen=True)
class ProblemRow:
    """One of the biggest problems: what is wrong, how far off, and whose it is."""

    rank: int
    severity: Badge
    subject: str
    message: str
    gap: str
    owner: str


@dataclass(frozen=True)
class Decision:
    """A decision the report asks for: an action of a critical alert, or a reallocation."""

    subject: str
    text: str
    owner: str


@dataclass(frozen=True)
class ExecSummary:
    """The cover's summary: the verdict, the forecast, the biggest problems, decisions."""

    verdict: str
    forecast: str
    problems: list[ProblemRow]
    decisions: list[Decision]


def gap_text(x: Problem, lang: str) -> str:
    """How far off a problem is, in its own unit: points short, days late, share over."""
    if x.kind == "attainment":
        return label("gap_attainment", lang, gap=fmt.percent(x.gap))
    if x.kind == "days":
        return label("late_by", lang, days=x.days)
    if x.kind == "money":
        return label("gap_money", lang, gap=fmt.percent(x.gap))
    return fmt.DASH


def summary_line(result: PortfolioResult, p: PlanResult, lang: str) -> str:
    """截至 …，计划整体状态为「…」，健康度 …；… 个目标已达成，… 条预警。"""
    return label("summary_line", lang, as_of=fmt.date(result.as_of),
                 status=badge(p.status, lang).label, health=fmt.percent(p.health),
                 achieved=f"{p.goals_achieved} / {len(p.goals)}", alerts=len(p.alerts))


def executive_summary(result: PortfolioResult, p: PlanResult, lang: str) -> ExecSummary:
    """What an executive reads first: status and why, the forecast, the three biggest
    problems with their owners, and the decisions asked for."""
    parts = []
    if p.forecast_end is not None:
        parts.append(label("exec_finish", lang, end=fmt.date(p.forecast_end),
                           late=late_text(p, lang) or label("on_time", lang)))
    forecast = [g for g in p.goals if g.forecast_attainment is not None]
    if forecast:
        parts.append(label("exec_goals_forecast", lang, total=len(forecast),
                           meet=sum((g.forecast_attainment or 0.0) >= 1 for g in forecast)))
    problems = [ProblemRow(n, badge(x.severity, lang), x.subject,
                           alert_message(x.alert, lang, result.metrics), gap_text(x, lang),
                           x.owner) for n, x in enumerate(top_problems(p), 1)]
    asked = [Decision(a.subject, a.action or alert_message(a, lang, result.metrics),
                      subject_owner(p, a)) for a in decisions(p)]
    return ExecSummary(verdict=summary_line(result, p, lang),
                       forecast=problem_template("list_separator", lang).join(parts),
                       problems=problems, decisions=asked)


@dataclass(frozen=True)
class ReportView:
    plan: PlanView
    exec: ExecSummary
    all_goal_rows: list[GoalRow]  # goals with their break-down children after each
    problem_goals: list[GoalRow]
    overspent_lines: list[LineRow]
    goal_suggestions: list[SuggestionRow]
    metrics: list[MetricRow]
    sources: list[str]
    appendix_tasks: list[TaskRow]  # the task table of the appendix, bounded
    tasks_left_out: int
    gantt_pages: list[str]  # the Gantt drawn for print, a chart per page


def report(result: PortfolioResult, p: PlanResult, charts: ChartLinks, sources: list[str],
           lang: str, baselines: Baselines | None = None,
           gantt_pages: list[str] | None = None) -> ReportView:
    """A plan's review report: its view plus the problem analysis and appendix lists
    (`baselines`: re-baselined targets and dates from git history, when known)."""
    view = Formatter(result, lang).plan(p, charts, baselines=baselines)
    rows = [(r, g) for top_row, top in zip(view.goals, p.goals, strict=True)
            for r, g in zip((top_row, *top_row.children), top.with_children(), strict=True)]
    used = {g.metric for g in p.goals}
    lines = (zip(view.budget.lines, p.budget.lines, strict=True)
             if view.budget and p.budget else [])
    return ReportView(
        plan=view, exec=executive_summary(result, p, lang),
        all_goal_rows=[r for r, _ in rows],
        problem_goals=[r for r, g in rows if g.problem],
        overspent_lines=[row for row, ln in lines if ln.status.flagged],
        goal_suggestions=[SuggestionRow(g.id, g.name, g.suggestion) for g in view.goals
                          if g.suggestion],
        metrics=[m for m in metric_rows(result, lang) if m.id in used],
        sources=sources, appendix_tasks=view.tasks[:MAX_REPORT_TASKS],
        tasks_left_out=max(0, len(view.tasks) - MAX_REPORT_TASKS),
        gantt_pages=gantt_pages or [])


# --- the portfolio report -------------------------------------------------------------


@dataclass(frozen=True)
class PortfolioLine:
    """One plan in the portfolio report: its line in the plans' table and its page."""

    summary: PlanSummary
    exec: ExecSummary
    goals: list[GoalRow]


@dataclass(frozen=True)
class TotalRow:
    """The budgets of one currency across plans (never added across currencies)."""

    currency: str
    plans: int
    total: str
    spent: str
    utilization: str
    forecast: str
    revenue: str
    roi: str


@dataclass(frozen=True)
class StatusCount:
    status: Badge
    plans: int


@dataclass(frozen=True)
class PortfolioTotals:
    by_status: list[StatusCount]
    money: list[TotalRow]
    critical_alerts: int
    alerts: int


def portfolio_lines(result: PortfolioResult, lang: str) -> list[PortfolioLine]:
    """One line (and one page) per plan for the portfolio report."""
    f = Formatter(result, lang)
    return [PortfolioLine(summary, executive_summary(result, p, lang),
                          [f.goal(g, ChartLinks()) for g in p.goals])
            for summary, p in zip(summaries(result, lang), result.plans, strict=True)]


def portfolio_totals(result: PortfolioResult, lang: str) -> PortfolioTotals:
    """What the portfolio report opens with: plans by status, money by currency, alerts."""
    f = figures(result)
    order = [s for s in PLAN_ORDER if f.plans.get(s)]
    return PortfolioTotals(
        by_status=[StatusCount(badge(s, lang), f.plans[s]) for s in order],
        money=[TotalRow(m.currency, m.plans, fmt.money(m.total), fmt.money(m.spent),
                        fmt.percent(m.utilization), fmt.money(m.forecast), fmt.money(m.revenue),
                        fmt.ratio(m.roi)) for m in f.money],
        critical_alerts=f.critical_alerts, alerts=sum(len(p.alerts) for p in result.plans))
