"""What a plan's PDF review report prints beyond its plan view."""

from __future__ import annotations

from dataclasses import dataclass

from ..compute.results import PlanResult, PortfolioResult
from ..history import Baselines
from .catalogue import label
from .plan import ChartLinks, Formatter, GoalRow, LineRow, PlanView, TaskRow
from .portfolio import MetricRow, metric_rows

MAX_REPORT_TASKS = 300  # a report's appendix lists at most this many tasks (the site has all)


@dataclass(frozen=True)
class SuggestionRow:
    id: str
    name: str
    text: str


@dataclass(frozen=True)
class ReportView:
    plan: PlanView
    summary: str
    all_goal_rows: list[GoalRow]  # goals with their break-down children after each
    problem_goals: list[GoalRow]
    overspent_lines: list[LineRow]
    goal_suggestions: list[SuggestionRow]
    metrics: list[MetricRow]
    sources: list[str]
    appendix_tasks: list[TaskRow]  # the task table of the appendix, bounded
    tasks_left_out: int


def report(result: PortfolioResult, p: PlanResult, charts: ChartLinks, sources: list[str],
           lang: str, baselines: Baselines | None = None) -> ReportView:
    """A plan's review report: its view plus the problem analysis and appendix lists
    (`baselines`: re-baselined targets and dates from git history, when known)."""
    view = Formatter(result, lang).plan(p, charts, baselines=baselines)
    rows = [(r, g) for top_row, top in zip(view.goals, p.goals, strict=True)
            for r, g in zip((top_row, *top_row.children), top.with_children(), strict=True)]
    used = {g.metric for g in p.goals}
    summary = label("summary_line", lang, as_of=view.as_of, status=view.status.label,
                    health=view.health, achieved=view.goals_achieved, alerts=view.alert_count)
    lines = (zip(view.budget.lines, p.budget.lines, strict=True)
             if view.budget and p.budget else [])
    return ReportView(
        plan=view, summary=summary, all_goal_rows=[r for r, _ in rows],
        problem_goals=[r for r, g in rows if g.problem],
        overspent_lines=[row for row, ln in lines if ln.status.flagged],
        goal_suggestions=[SuggestionRow(g.id, g.name, g.suggestion) for g in view.goals
                          if g.suggestion],
        metrics=[m for m in metric_rows(result, lang) if m.id in used],
        sources=sources, appendix_tasks=view.tasks[:MAX_REPORT_TASKS],
        tasks_left_out=max(0, len(view.tasks) - MAX_REPORT_TASKS))
