"""What a plan's page, report and terminal block print: its results as formatted text.

Templates only loop, branch on status codes and print these strings; every
number is formatted and every label translated here, in one place.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Mapping
from functools import partial

from ..compute.goals import attainment, meets_target
from ..compute.plan import HEALTH_CAP
from ..compute.results import (
    Alert,
    GoalResult,
    GoalStatus,
    MilestoneResult,
    ObjectiveResult,
    PlanResult,
    PortfolioResult,
    TaskResult,
    TaskStatus,
)
from ..compute.summary import ack_for
from ..history import Baselines, DatesChange, TargetChange
from ..model import Direction, MetricDef
from . import fmt
from .catalogue import label, status_label
from .messages import alert_message, reallocation_text
from .plan_rows import (
    AlertRow,
    Badge,
    BudgetView,
    Card,
    ChangeRow,
    ChartLinks,
    ChartSize,
    DrawRow,
    Figure,
    GoalRow,
    IssueRow,
    KeyResultRow,
    LineRow,
    MilestoneRow,
    NoteRow,
    ObjectiveRow,
    PlanView,
    RetroRow,
    RiskRow,
    StrategyRow,
    TaskRow,
    TrendRow,
)

__all__ = [
    "FINISHED",
    "MAX_TEXT",
    "UNFINISHED",
    "AlertRow",
    "Badge",
    "BudgetView",
    "Card",
    "ChangeRow",
    "ChartLinks",
    "ChartSize",
    "DrawRow",
    "Figure",
    "Formatter",
    "GoalRow",
    "IssueRow",
    "KeyResultRow",
    "LineRow",
    "MilestoneRow",
    "NoteRow",
    "ObjectiveRow",
    "PlanView",
    "RetroRow",
    "RiskRow",
    "StrategyRow",
    "TaskRow",
    "TrendRow",
    "badge",
    "day",
    "days",
    "okr_grade",
    "plan_year",
    "text",
    "window",
]

MAX_TEXT = 2000  # characters of one text field shown in a page or report
# a plan's title on a report's cover and plan pages, and in its running header
# (in columns: a Chinese character takes two, a Latin letter one, as on the page)
HEADING_TEXT, RUNNING_TEXT = 120, 60



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


def title(value: str, columns: int) -> str:
    """A title cut to a width (wide characters count two columns), the cut labelled in
    characters as `text` labels its cuts."""
    width = 0
    for n, ch in enumerate(value):
        width += 2 if unicodedata.east_asian_width(ch) in "WF" else 1
        if width > columns:
            return f"{value[:n]}… [+{len(value) - n:,}]"
    return value


def window(start: object, end: object) -> str:
    """A period or window, `2026-07-01 ~ 2026-09-30`."""
    return f"{start} ~ {end}"


def day(d: dt.date | None, year: int | None) -> str:
    """`10-05` for a day of `year` (the plan's, when its period lies in one year), else ISO."""
    if d is None:
        return fmt.DASH
    return d.strftime("%m-%d") if d.year == year else d.isoformat()


def days(start: dt.date | None, end: dt.date | None, year: int | None) -> str:
    """A span of days, `10-01 ~ 10-20` (one day: `10-01`)."""
    if start is None or end is None:
        return fmt.DASH
    return day(start, year) if start == end else f"{day(start, year)} ~ {day(end, year)}"


def okr_grade(score: float | None) -> str:
    """An objective's score as an OKR grade: 0.95 (never above 1.00)."""
    return fmt.DASH if score is None else f"{min(score, 1.0):.2f}"


FINISHED = frozenset({TaskStatus.DONE, TaskStatus.DONE_LATE})
UNFINISHED = frozenset({TaskStatus.NOT_STARTED, TaskStatus.IN_PROGRESS, TaskStatus.AT_RISK,
                        TaskStatus.DELAYED, TaskStatus.BLOCKED})


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

    def goal(self, g: GoalResult, charts: ChartLinks, child: bool = False,
             baselines: Baselines | None = None, year: int | None = None) -> GoalRow:
        name = g.dimension_value if child and g.dimension_value else g.goal.name
        changes = baselines.targets.get(g.id, []) if baselines else []
        has_range = g.forecast_low is not None and g.forecast_high is not None
        return GoalRow(
            id=g.id, name=name, owner=g.goal.owner, metric=self.metric_name(g.metric),
            window=window(g.start, g.due), target=self.value(g.target, g.metric),
            actual=self.value(g.actual, g.metric), attainment=fmt.percent(g.attainment),
            expected=self.value(g.expected, g.metric), pace=fmt.percent(g.pace_ratio),
            status=badge(g.status, self.lang), is_child=child,
            chart=charts.goals.get(g.id), breakdown_chart=charts.breakdowns.get(g.id),
            children=[self.goal(c, charts, True, baselines, year) for c in g.children],
            analysis=g.goal.analysis, suggestion=g.goal.suggestion, strategy=g.goal.strategy,
            forecast=self.value(g.forecast, g.metric),
            forecast_range=(f"{self.value(g.forecast_low, g.metric)} ~ "
                            f"{self.value(g.forecast_high, g.metric)}" if has_range
                            else fmt.DASH),
            forecast_attainment=fmt.percent(g.forecast_attainment),
            forecast_miss=g.forecast_miss, has_forecast=g.forecast is not None,
            rebaselines=[self.target_note(c, g.metric, year) for c in changes],
            lowered=self.lowered(g, changes),
            figure=self.figure(charts, charts.goals.get(g.id), self.goal_alt(g, name)),
            breakdown_figure=self.figure(charts, charts.breakdowns.get(g.id),
                                         self.breakdown_alt(g)))

    def figure(self, charts: ChartLinks, link: str | None, alt: str) -> Figure | None:
        """A chart link with its size, its phone variant and its text alternative."""
        if not link:
            return None
        size = charts.sizes.get(link)
        phone = charts.narrow.get(link)
        phone_size = charts.sizes.get(phone) if phone else None
        return Figure(link, alt, size.width if size else None, size.height if size else None,
                      phone, phone_size.width if phone_size else None,
                      phone_size.height if phone_size else None)

    def goal_alt(self, g: GoalResult, name: str) -> str:
        """A goal chart's figures in words: actual, target, attainment, forecast, status."""
        return label("alt_goal", self.lang, name=f"{g.id} {name}",
                     actual=self.value(g.actual, g.metric),
                     target=self.value(g.target, g.metric),
                     attainment=fmt.percent(g.attainment),
                     expected=self.value(g.expected, g.metric),
                     forecast=self.value(g.forecast, g.metric),
                     status=status_label(g.status, self.lang))

    def breakdown_alt(self, g: GoalResult) -> str:
        items = "; ".join(f"{c.dimension_value or c.id} {self.value(c.actual, c.metric)} "
                          f"({fmt.percent(c.attainment)}, {status_label(c.status, self.lang)})"
                          for c in g.children)
        return label("alt_breakdown", self.lang, name=f"{g.id} {g.goal.name}", items=items)

    def target_note(self, change: TargetChange, metric_id: str, year: int | None) -> str:
        """目标于 10-05 由 2,500,000 调整为 2,000,000."""
        return label("target_changed", self.lang, date=day(change.commit.date.date(), year),
                     before=self.value(change.before, metric_id),
                     after=self.value(change.after, metric_id))

    def dates_note(self, change: DatesChange, year: int | None) -> str:
        """计划日期于 10-05 由 10-01 ~ 10-20 调整为 10-05 ~ 10-30."""
        return label("dates_changed", self.lang, date=day(change.commit.date.date(), year),
                     before=days(change.start_before, change.end_before, year),
                     after=days(change.start_after, change.end_after, year))

    def _direction(self, g: GoalResult) -> Direction:
        metric = self.metrics.get(g.metric)
        return metric.direction if metric is not None else Direction.UP

    def harder_target(self, g: GoalResult, changes: list[TargetChange]) -> float | None:
        """The hardest target written before the current one, when it was harder (the
        goal was re-baselined down: lower, or higher where less is better)."""
        earlier = [c.before for c in changes if c.before is not None]
        if not earlier or g.target is None:
            return None
        down = (g.baseline is not None and g.target < g.baseline) or (
            g.baseline is None and self._direction(g) is Direction.DOWN)
        hardest = min(earlier) if down else max(earlier)
        return hardest if (hardest < g.target if down else hardest > g.target) else None

    def lowered(self, g: GoalResult, changes: list[TargetChange]) -> bool:
        """Achieved, but only against a lowered target: the harder one is not reached."""
        if g.status is not GoalStatus.ACHIEVED or g.actual is None:
            return False
        hardest = self.harder_target(g, changes)
        return hardest is not None and not meets_target(g.actual, hardest, self._direction(g),
                                                        g.baseline)

    def lowered_note(self, g: GoalResult, baselines: Baselines | None) -> str:
        """原目标 X 未达到：实际 Y，按原目标达成率 Z."""
        hardest = self.harder_target(g, baselines.targets.get(g.id, []) if baselines else [])
        return label("lowered_note", self.lang, target=self.value(hardest, g.metric),
                     actual=self.value(g.actual, g.metric),
                     attainment=fmt.percent(attainment(g.actual, hardest, self._direction(g),
                                                       g.baseline)))

    def task(self, t: TaskResult, phases: Mapping[str, str], year: int | None = None,
             rebaselined: bool = False,
             strategies: Mapping[str, str] | None = None) -> TaskRow:
        task = t.task
        strategies = strategies or {}
        open_work = t.status in UNFINISHED and t.forecast_end is not None
        overdue = None
        if t.overdue:
            overdue = Badge("overdue", label("days_overdue", self.lang, days=t.days_overdue))
        return TaskRow(
            id=t.id, name=task.name, owner=task.owner, approver=text(task.approver),
            phase=phases.get(task.phase or "", text(task.phase)), start=fmt.date(task.start),
            end=fmt.date(task.end), actual_end=fmt.date(task.actual_end),
            progress=f"{t.progress:.0f}%", depends_on=", ".join(task.depends_on) or fmt.DASH,
            slip=str(t.slip_days) if t.slip_days else fmt.DASH,
            float=fmt.DASH if t.total_float is None else str(t.total_float),
            critical=t.critical, status=badge(t.status, self.lang), milestone=task.milestone,
            planned=days(task.start, task.end, year),
            forecast=days(t.forecast_start, t.forecast_end, year) if open_work else fmt.DASH,
            finish=(f"✓ {day(task.actual_end or task.end, year)}" if t.status in FINISHED
                    else days(t.forecast_start, t.forecast_end, year) if open_work
                    else fmt.DASH),
            forecast_late=open_work and t.forecast_end is not None and t.forecast_end > task.end,
            overdue=overdue, rebaselined=rebaselined,
            priority=(None if task.priority.value == "medium"
                      else badge(task.priority.value, self.lang)),
            strategy=strategies.get(task.strategy or "", text(task.strategy)),
            support=", ".join(task.support) or fmt.DASH,
            deliverables=[text(d, 200) for d in task.deliverables],
            blocked_reason=task.blocked_reason)

    def milestone(self, m: MilestoneResult, year: int | None) -> MilestoneRow:
        if m.overdue:
            status = Badge("overdue", label("days_overdue", self.lang, days=m.days_overdue))
        elif m.done is not None:
            status = badge("done_late" if m.done > m.date else "done", self.lang)
        else:
            status = Badge("pending", label("milestone_pending", self.lang))
        return MilestoneRow(m.id, m.name, day(m.date, year), day(m.done, year), status,
                            m.overdue)

    def objective(self, o: ObjectiveResult, goals: Mapping[str, GoalResult],
                  lowered: frozenset[str] = frozenset()) -> ObjectiveRow:
        krs = []
        for gid in o.goals:
            g = goals.get(gid)
            krs.append(KeyResultRow(gid, g.goal.name, badge(g.status, self.lang),
                                    fmt.percent(g.attainment), gid in lowered)
                       if g is not None else
                       KeyResultRow(gid, fmt.DASH, badge("no_data", self.lang), fmt.DASH))
        status = badge(o.status, self.lang) if o.status is not None else Badge(
            "no_data", label("no_key_results", self.lang))
        return ObjectiveRow(o.id, o.name, okr_grade(o.score), status, krs)

    def budget(self, p: PlanResult, charts: ChartLinks) -> BudgetView | None:
        b = p.budget
        if b is None:
            return None
        money = fmt.money
        lines = [LineRow(ln.id, ln.name, money(ln.planned), money(ln.spent),
                         fmt.percent(ln.utilization), money(ln.expected), money(ln.forecast),
                         fmt.ratio(ln.roi), badge(ln.status, self.lang)) for ln in b.lines]
        subjects = {r.id: f"{r.id} {text(r.description, 60)}" for r in p.plan.risks}
        subjects |= {i.id: f"{i.id} {text(i.description, 60)}" for i in p.plan.issues}
        draws = [DrawRow(fmt.date(d.date), money(d.amount), text(d.reason),
                         " · ".join(subjects.get(x, x) for x in (d.risk, d.issue) if x)
                         or fmt.DASH)
                 for d in (p.plan.budget.draws if p.plan.budget else [])]
        notes = []
        over = [ln for ln in b.lines if ln.status.value == "overspent"]
        if over:  # a line beyond its alert line makes the plan overspent, whatever the total
            alert = p.plan.budget.overspend_alert if p.plan.budget else 0.0
            notes.append(label("overspent_lines_note", self.lang,
                               alert=fmt.percent(1 + alert, 0),
                               utilization=fmt.percent(b.utilization),
                               lines="; ".join(
                                   f"{ln.name} {money(ln.spent)} / {money(ln.planned)} "
                                   f"({fmt.percent(ln.utilization)})" for ln in over)))
        if b.reserve_left < 0:
            notes.append(label("overspent_reserve_note", self.lang, drawn=money(b.drawn),
                               reserve=money(b.reserve), over=money(-b.reserve_left),
                               utilization=fmt.percent(b.utilization)))
        overspent_note = " ".join(notes) or None
        return BudgetView(
            currency=b.currency, total=money(b.total), planned=money(b.planned),
            spent=money(b.spent), utilization=fmt.percent(b.utilization),
            forecast=money(b.forecast), reserve=money(b.reserve),
            reserve_left=money(b.reserve_left), unallocated=money(b.unallocated),
            roi=fmt.ratio(b.roi), status=badge(b.status, self.lang), lines=lines,
            draws=draws, reallocations=[reallocation_text(r, self.lang) for r in b.reallocations],
            burn_chart=charts.burn, roi_chart=charts.roi, overspent_note=overspent_note,
            burn_figure=self.figure(charts, charts.burn, label(
                "alt_burn", self.lang, spent=money(b.spent), planned=money(b.planned),
                utilization=fmt.percent(b.utilization), elapsed=fmt.percent(p.elapsed),
                currency=b.currency)),
            roi_figure=self.figure(charts, charts.roi, label(
                "alt_roi", self.lang, average=fmt.ratio(b.roi),
                items="; ".join(f"{ln.name} {fmt.ratio(ln.roi)}" for ln in b.lines
                                if ln.roi is not None))))

    def alerts(self, p: PlanResult) -> list[AlertRow]:
        return [AlertRow(p.id, p.plan.title, badge(a.severity, self.lang), a.code, a.subject,
                         alert_message(a, self.lang, self.metrics), text(a.action),
                         self.muted(p, a)) for a in p.alerts]

    def muted(self, p: PlanResult, a: Alert) -> str:
        """已确认至 12-15（吴组长：原因）while an ack of the plan mutes the alert."""
        ack = ack_for(p, a, self.result.as_of)
        if ack is None:
            return ""
        return label("acked_until", self.lang, until=fmt.date(ack.until), by=text(ack.by),
                     reason=("：" if self.lang == "zh" else ": ") + text(ack.reason)
                     if ack.reason else "")

    def draws_against(self, p: PlanResult) -> dict[str, str]:
        """Per risk or issue id, the reserve draws that paid for it: `08-01 50,000`."""
        year = plan_year(p)
        found: dict[str, list[str]] = {}
        for d in p.plan.budget.draws if p.plan.budget else []:
            for subject in {x for x in (d.risk, d.issue) if x}:
                found.setdefault(subject, []).append(f"{day(d.date, year)} {fmt.money(d.amount)}")
        return {k: "; ".join(v) for k, v in found.items()}

    def risks(self, p: PlanResult) -> dict[str, RiskRow]:
        lang = self.lang
        draws = self.draws_against(p)
        rows = {}
        for r, risk in zip(p.risks, p.plan.risks, strict=True):
            rows[r.id] = RiskRow(r.id, risk.description, status_label(risk.probability, lang),
                                 status_label(risk.impact, lang), str(r.score),
                                 badge(r.level, lang), text(risk.mitigation), text(risk.owner),
                                 badge(r.status, lang), draws.get(r.id, fmt.DASH))
        return rows

    def issues(self, p: PlanResult) -> list[IssueRow]:
        lang = self.lang
        draws = self.draws_against(p)
        return [IssueRow(i.id, fmt.date(issue.date), issue.description,
                         status_label(issue.impact, lang), text(issue.effect), text(issue.owner),
                         text(issue.action), fmt.date(issue.due), fmt.date(issue.resolved),
                         i.overdue, badge("open" if i.open else "closed", lang),
                         draws.get(i.id, fmt.DASH))
                for i, issue in zip(p.issues, p.plan.issues, strict=True)]

    def plan(self, p: PlanResult, charts: ChartLinks, report: str | None = None,
             changelog: list[ChangeRow] | None = None,
             baselines: Baselines | None = None) -> PlanView:
        """Everything a plan page or report prints (`baselines`: the plan's re-baselined
        targets and task dates from its git history, when known). In the plan's language
        when it has one, else this formatter's (the site's)."""
        if p.plan.language and p.plan.language != self.lang:
            return Formatter(self.result, p.plan.language).plan(p, charts, report, changelog,
                                                                baselines)
        plan, lang = p.plan, self.lang
        year = plan_year(p)
        as_of = self.result.as_of
        phases = {ph.id: ph.name for ph in plan.phases}
        moved = baselines.dates if baselines else {}
        strategies = {s.id: f"{s.id} {s.name}" for s in plan.strategies}
        tasks = {t.id: self.task(t, phases, year, bool(moved.get(t.id)), strategies)
                 for t in p.tasks}
        names = {t.id: t.task.name for t in p.tasks}
        risks = self.risks(p)
        issues = self.issues(p)
        goals = [self.goal(g, charts, baselines=baselines, year=year) for g in p.goals]
        rows = [r for top in goals for r in (top, *top.children)]
        lowered = frozenset(r.id for r in rows if r.lowered)
        results = [g for top in p.goals for g in top.with_children()]
        by_id = {g.id: g for g in results}
        return PlanView(
            id=p.id, title=plan.title, heading=title(plan.title, HEADING_TEXT),
            running_title=title(plan.title, RUNNING_TEXT), owner=plan.owner,
            type=status_label(plan.type, lang),
            period=window(plan.period.start, plan.period.end),
            as_of=fmt.date(as_of), description=text(plan.description, 5 * MAX_TEXT),
            tags=", ".join(plan.tags) or fmt.DASH, status=badge(p.status, lang),
            health=fmt.percent(p.health), phase_now=phases.get(p.phase_now or "", fmt.DASH),
            elapsed=fmt.percent(p.elapsed), forecast_end=fmt.date(p.forecast_end),
            goals_achieved=f"{p.goals_achieved} / {len(p.goals)}", alert_count=len(p.alerts),
            goals=goals, tasks=list(tasks.values()),
            late_tasks=[tasks[t.id] for t in p.tasks if t.needs_attention],
            delayed_tasks=[tasks[t.id] for t in p.tasks if t.late],
            budget=self.budget(p, charts), risks=list(risks.values()),
            risks_by_score=[risks[r.id] for r in p.risks_by_score], issues=issues,
            open_issues=[row for row, i in zip(issues, p.issues, strict=True) if i.open],
            alerts=self.alerts(p),
            retro=[RetroRow(text(r.stage), text(r.successes), text(r.shortfalls),
                            text(r.root_cause), text(r.actions), text(r.owner), fmt.date(r.due),
                            [self.cited(by_id[gid]) if gid in by_id else gid
                             for gid in r.goals])
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
            changelog=changelog or [],
            late=late_text(p, lang),
            period_end=fmt.date(plan.period.end),
            driving_chain=[f"{i} {names.get(i, '')}".strip() for i in p.driving_chain],
            objectives=[self.objective(o, {g.id: g for g in p.goals}, lowered)
                        for o in p.objectives],
            milestones=[self.milestone(m, year) for m in p.milestones],
            goal_rebaselines=[NoteRow(g.id, g.name, note)
                              for r, g in zip(rows, results, strict=True)
                              for note in r.rebaselines],
            task_rebaselines=[NoteRow(t.id, t.task.name, self.dates_note(c, year))
                              for t in p.tasks for c in moved.get(t.id, [])],
            lowered_goals=[NoteRow(g.id, g.name, self.lowered_note(g, baselines))
                           for r, g in zip(rows, results, strict=True) if r.lowered],
            language=lang, L=partial(label, language=lang), cards=self.cards(p),
            health_note=label("health_note", lang, cap=fmt.percent(HEALTH_CAP, 0)),
            attainment_figure=self.figure(charts, charts.attainment, label(
                "alt_attainment", lang, items="; ".join(
                    f"{g.id} {g.goal.name} {fmt.percent(g.attainment)} "
                    f"{status_label(g.status, lang)}" for g in p.goals))),
            gantt_figure=self.figure(charts, charts.gantt, self.gantt_alt(p)),
            risk_figure=self.figure(charts, charts.risks, label(
                "alt_risks", lang, items="; ".join(
                    f"{r.id} {status_label(risk.probability, lang)} × "
                    f"{status_label(risk.impact, lang)} = {r.score}"
                    for r, risk in zip(p.risks, plan.risks, strict=True)))),
            history_figure=self.figure(charts, charts.history, label("history", lang)))

    def cited(self, g: GoalResult) -> str:
        """A goal a retrospective cites, with its figures: `G1 name 89.5% (180,000 / …) 落后`."""
        return label("cited_goal", self.lang, goal=f"{g.id} {g.goal.name}",
                     attainment=fmt.percent(g.attainment), actual=self.value(g.actual, g.metric),
                     target=self.value(g.target, g.metric),
                     status=status_label(g.status, self.lang))

    def gantt_alt(self, p: PlanResult) -> str:
        lang = self.lang
        late = sum(1 for t in p.tasks if t.late)
        return label("alt_gantt", lang, tasks=len(p.tasks), late=late,
                     end=fmt.date(p.forecast_end), period_end=fmt.date(p.plan.period.end),
                     late_by=late_text(p, lang) or label("on_time", lang))

    def status_reason(self, p: PlanResult) -> str:
        """Why the plan has its status: the worst goal (children count), or the schedule."""
        lang = self.lang
        if not p.goals:
            delayed = sum(1 for t in p.tasks if t.late)
            attention = sum(1 for t in p.tasks if t.needs_attention) - delayed
            return label("reason_schedule", lang, delayed=delayed, attention=attention)
        for g in (g for top in p.goals for g in top.with_children()):
            if g.status.value == p.status.value:
                name = g.dimension_value or g.goal.name
                return label("reason_worst_goal", lang, goal=f"{g.id} {name}",
                             status=status_label(g.status, lang),
                             attainment=fmt.percent(g.attainment), pace=fmt.percent(g.pace_ratio))
        return label("reason_goals", lang)

    def cards(self, p: PlanResult) -> list[Card]:
        """The header of a plan page: status and why, health, forecast, budget, finish."""
        lang = self.lang
        L = lambda key, **kw: label(key, lang, **kw)  # noqa: E731
        cards = [Card(L("status"), "", self.status_reason(p),
                      badge(p.status, lang)),
                 Card(L("health"), fmt.percent(p.health),
                      L("health_card_note", cap=fmt.percent(HEALTH_CAP, 0)))]
        forecast = [g for g in p.goals if g.forecast_attainment is not None]
        if forecast:
            low = min(forecast, key=lambda g: g.forecast_attainment or 0.0)
            meet = sum(1 for g in forecast if g.forecast_in_reach)
            cards.append(Card(L("forecast_attainment"), fmt.percent(low.forecast_attainment),
                              L("forecast_card_note", goal=f"{low.id} {low.goal.name}",
                                meet=meet, total=len(forecast))))
        b = p.budget
        if b is not None:
            over = [ln for ln in b.lines if ln.status.value == "overspent"]
            note = (L("overspent_card_note", drawn=fmt.money(b.drawn),
                      reserve=fmt.money(b.reserve)) if b.reserve_left < 0 else
                    L("overspent_line_card_note", line=over[0].name,
                      utilization=fmt.percent(over[0].utilization)) if over else
                    L("budget_card_note", spent=fmt.money(b.spent), planned=fmt.money(b.planned),
                      currency=b.currency))
            cards.append(Card(L("budget_vs_time"),
                              f"{fmt.percent(b.utilization)} / {fmt.percent(p.elapsed)}", note,
                              badge(b.status, lang)))
        late_by = late_text(p, self.lang)
        late = Badge("overdue", late_by) if late_by else None
        cards.append(Card(L("forecast_end"), fmt.date(p.forecast_end),
                          L("finish_card_note", end=fmt.date(p.plan.period.end)), late))
        return cards


def plan_language(p: PlanResult, site_language: str) -> str:
    """A plan's `language` overrides the site's for its page, charts and report."""
    return p.plan.language or site_language


def late_text(p: PlanResult, lang: str) -> str | None:
    """`晚 17 天` for a plan forecast to finish after its period; None when on time."""
    return label("late_by", lang, days=p.late_days) if p.late_days > 0 else None


def plan_year(p: PlanResult) -> int | None:
    """The plan's year when its period lies in one (dates then print as `10-05`)."""
    start, end = p.plan.period.start, p.plan.period.end
    return start.year if start.year == end.year else None


def _filter_text(where: Mapping[str, tuple[str, ...]]) -> str:
    """ (channel: 抖音) for a filtered trend, nothing for the whole plan."""
    if not where:
        return ""
    return " (" + "; ".join(f"{k}: {', '.join(v)}" for k, v in where.items()) + ")"


def _signed(x: float | None) -> str:
    return fmt.DASH if x is None else f"{x * 100:+.1f}%"
