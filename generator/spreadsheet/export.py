"""`mxt export`: the computed statuses as a workbook (bytes out, like the other renderers).

A portfolio sheet (one row per plan), then one sheet per kind of item across the plans,
each row naming its plan so that a filter shows one plan: goals (with attainment,
expected to date, forecast and status), tasks (forecast dates, slip, critical path),
budget lines, risks, issues and alerts. Cells hold real numbers and dates (percentages
as fractions in a percent format), status cells are coloured like the site's badges,
header rows are frozen, filters are on and columns are as wide as their contents.
Words come from the catalogue; alerts are worded by `views.messages` as on the site.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from openpyxl import Workbook

from ..compute.results import GoalResult, PlanResult, PortfolioResult
from ..model import MetricDef, MetricFormat
from ..views import fmt
from ..views.catalogue import label, status_label
from ..views.messages import alert_message
from ..views.plan import badge
from ..views.plan_rows import Badge
from . import xlstyle

PERCENT, DAYS, WHOLE, TWO = "0.0%", "0", "#,##0", "#,##0.00"


@dataclass(frozen=True)
class Figure:
    """A number with its own format (a goal's figures follow its metric's format)."""

    value: float | None
    format: str


Value = object  # str | float | int | date | Badge (a status cell) | Figure | None


@dataclass(frozen=True)
class Column:
    key: str  # the catalogue label
    format: str = "General"


@dataclass
class Sheet:
    name: str
    columns: list[Column]
    rows: list[list[Value]]


def workbook(result: PortfolioResult, language: str | None = None,
             hide_money: bool = False) -> bytes:
    """The status workbook of a computed portfolio (`hide_money`: no money amounts, as
    on a public site)."""
    lang = language or result.language
    with fmt.money_hidden(hide_money):
        sheets = [build(result, lang) for build in BUILDERS]
    book = Workbook()
    book.remove(book.active)
    title = label("xlsx_title", lang, as_of=result.as_of.isoformat())
    for sheet in sheets:
        _write(book, sheet, title, lang)
    return xlstyle.save(book, result.as_of)


def _write(book: Workbook, sheet: Sheet, title: str, lang: str) -> None:
    ws = book.create_sheet(sheet.name)
    xlstyle.put(ws, 1, 1, title).font = xlstyle.TITLE_FONT
    xlstyle.header(ws, 2, [label(c.key, lang) for c in sheet.columns])
    for r, row in enumerate(sheet.rows, 3):
        for c, (value, column) in enumerate(zip(row, sheet.columns, strict=True), 1):
            number_format = column.format
            if isinstance(value, Badge):
                xlstyle.status(xlstyle.put(ws, r, c, value.label), value.code)
                continue
            if isinstance(value, Figure):
                number_format = value.format
            cell = xlstyle.put(ws, r, c, value.value if isinstance(value, Figure) else value)
            cell.number_format = number_format
            cell.border = xlstyle.GRID
    xlstyle.finish(ws, 2, len(sheet.columns))


def _yes(flag: bool, lang: str) -> str:
    return label("xlsx_yes" if flag else "xlsx_no", lang)


def _money(x: float | None) -> float | None:
    """A money amount, or None within `fmt.money_hidden` (a public site)."""
    return None if fmt.hiding_money() else x


def _portfolio(result: PortfolioResult, lang: str) -> Sheet:
    columns = [Column("xlsx_plan_id"), Column("plan"), Column("type"), Column("owner"),
               Column("start", xlstyle.DATE), Column("end", xlstyle.DATE), Column("status"),
               Column("health", PERCENT), Column("elapsed", PERCENT),
               Column("goals_achieved", DAYS), Column("xlsx_goal_count", DAYS),
               Column("forecast_end", xlstyle.DATE), Column("xlsx_days_late", DAYS),
               Column("currency"), Column("xlsx_planned", WHOLE), Column("spent", WHOLE),
               Column("utilization", PERCENT), Column("roi", TWO), Column("open_alerts", DAYS),
               Column("card_critical", DAYS)]
    rows: list[list[Value]] = []
    for p in result.plans:
        b = p.budget
        rows.append([p.id, p.plan.title, status_label(p.plan.type, lang), p.plan.owner,
                     p.plan.period.start, p.plan.period.end, badge(p.status, lang),
                     p.health, p.elapsed, p.goals_achieved, len(p.goals), p.forecast_end,
                     p.late_days, b.currency if b else None,
                     _money(b.total if b and b.total is not None else b.planned if b else None),
                     _money(b.spent if b else None), b.utilization if b else None,
                     b.roi if b else None, len(p.alerts), p.critical_alerts])
    return Sheet(label("xlsx_sheet_portfolio", lang), columns, rows)


def _figure_format(metric: MetricDef | None, values: list[float | None]) -> str:
    """A goal's figures in its metric's format: percent, ratio, or whole numbers unless
    they are small fractions."""
    kind = metric.format if metric else MetricFormat.NUMBER
    if kind is MetricFormat.PERCENT:
        return "0.00%"
    if kind is MetricFormat.RATIO:
        return TWO
    small = any(v is not None and abs(v) < 100 and not float(v).is_integer() for v in values)
    return TWO if small else WHOLE


def _goal_row(p: PlanResult, g: GoalResult, result: PortfolioResult, lang: str
              ) -> list[Value]:
    metric = result.metrics.get(g.metric)
    money = metric is not None and metric.format is MetricFormat.CURRENCY
    figures = [g.target, g.actual, g.expected, g.forecast, g.forecast_low, g.forecast_high]
    form = _figure_format(metric, figures)
    target, actual, expected, forecast, low, high = (
        Figure(_money(v) if money else v, form) for v in figures)
    return [p.id, g.id, g.name, metric.label(lang) if metric else g.metric, g.goal.owner,
            g.start, g.due, target, actual, g.attainment, expected, g.pace_ratio, forecast,
            low, high, g.forecast_attainment, badge(g.status, lang)]


def _goals(result: PortfolioResult, lang: str) -> Sheet:
    columns = [Column("xlsx_plan_id"), Column("xlsx_id"), Column("goal"), Column("metric"),
               Column("owner"), Column("start", xlstyle.DATE), Column("due", xlstyle.DATE),
               Column("target"), Column("actual"), Column("attainment", PERCENT),
               Column("xlsx_expected_to_date"), Column("pace", PERCENT), Column("forecast"),
               Column("xlsx_forecast_low"), Column("xlsx_forecast_high"),
               Column("forecast_attainment", PERCENT), Column("status")]
    rows = [_goal_row(p, c, result, lang) for p in result.plans for g in p.goals
            for c in g.with_children()]
    return Sheet(label("xlsx_sheet_goals", lang), columns, rows)


def _tasks(result: PortfolioResult, lang: str) -> Sheet:
    columns = [Column("xlsx_plan_id"), Column("xlsx_id"), Column("task"), Column("owner"),
               Column("phase"), Column("start", xlstyle.DATE), Column("end", xlstyle.DATE),
               Column("xlsx_actual_start", xlstyle.DATE), Column("actual_end", xlstyle.DATE),
               Column("progress", "0%"), Column("xlsx_expected_progress", "0%"),
               Column("xlsx_forecast_start", xlstyle.DATE),
               Column("xlsx_forecast_end", xlstyle.DATE), Column("slip", DAYS),
               Column("float", DAYS), Column("critical"), Column("status")]
    rows: list[list[Value]] = []
    for p in result.plans:
        phases = {ph.id: ph.name for ph in p.plan.phases}
        for t in p.tasks:
            task = t.task
            rows.append([p.id, t.id, task.name, task.owner, phases.get(task.phase or ""),
                         task.start, task.end, task.actual_start, task.actual_end,
                         t.progress / 100,
                         None if t.expected_progress is None else t.expected_progress / 100,
                         t.forecast_start, t.forecast_end, t.slip_days, t.total_float,
                         _yes(t.critical, lang), badge(t.status, lang)])
    return Sheet(label("xlsx_sheet_tasks", lang), columns, rows)


def _budget(result: PortfolioResult, lang: str) -> Sheet:
    columns = [Column("xlsx_plan_id"), Column("xlsx_id"), Column("line"), Column("currency"),
               Column("xlsx_planned", WHOLE), Column("spent", WHOLE),
               Column("utilization", PERCENT), Column("xlsx_expected_spend", WHOLE),
               Column("forecast_at_completion", WHOLE), Column("revenue", WHOLE),
               Column("roi", TWO), Column("status")]
    rows: list[list[Value]] = []
    for p in result.plans:
        if p.budget is None:
            continue
        for line in p.budget.lines:
            rows.append([p.id, line.id, line.name, p.budget.currency,
                         *(_money(x) for x in (line.planned, line.spent)),
                         line.utilization,
                         *(_money(x) for x in (line.expected, line.forecast, line.revenue)),
                         line.roi, badge(line.status, lang)])
    return Sheet(label("xlsx_sheet_budget", lang), columns, rows)


def _risks(result: PortfolioResult, lang: str) -> Sheet:
    columns = [Column("xlsx_plan_id"), Column("xlsx_id"), Column("risk"),
               Column("probability"), Column("impact"), Column("score", DAYS),
               Column("level"), Column("mitigation"), Column("owner"), Column("status"),
               Column("xlsx_unmitigated")]
    rows: list[list[Value]] = []
    for p in result.plans:
        written = {r.id: r for r in p.plan.risks}
        for r in p.risks_by_score:
            risk = written[r.id]
            rows.append([p.id, r.id, risk.description,
                         badge(risk.probability, lang), badge(risk.impact, lang),
                         r.score, badge(r.level, lang), risk.mitigation, risk.owner,
                         badge(r.status, lang), _yes(r.unmitigated, lang)])
    return Sheet(label("xlsx_sheet_risks", lang), columns, rows)


def _issues(result: PortfolioResult, lang: str) -> Sheet:
    columns = [Column("xlsx_plan_id"), Column("xlsx_id"), Column("date", xlstyle.DATE),
               Column("issue"), Column("impact"), Column("effect"), Column("owner"),
               Column("action"), Column("due", xlstyle.DATE), Column("resolved", xlstyle.DATE),
               Column("status"), Column("xlsx_days_overdue", DAYS)]
    rows: list[list[Value]] = []
    for p in result.plans:
        written = {i.id: i for i in p.plan.issues}
        for i in p.issues:
            issue = written[i.id]
            state = (Badge("overdue", label("overdue", lang)) if i.overdue
                     else badge("open" if i.open else "closed", lang))
            rows.append([p.id, i.id, issue.date, issue.description,
                         badge(issue.impact, lang), issue.effect, issue.owner, issue.action,
                         issue.due, issue.resolved, state, i.days_overdue or None])
    return Sheet(label("xlsx_sheet_issues", lang), columns, rows)


def _alerts(result: PortfolioResult, lang: str) -> Sheet:
    columns = [Column("xlsx_plan_id"), Column("severity"), Column("xlsx_code"),
               Column("subject"), Column("message"), Column("action")]
    rows: list[list[Value]] = []
    for p in result.plans:
        ranked = sorted(p.alerts, key=lambda a: -a.severity.rank)
        rows += [[p.id, badge(a.severity, lang), a.code, a.subject,
                  alert_message(a, lang, result.metrics), a.action] for a in ranked]
    return Sheet(label("xlsx_sheet_alerts", lang), columns, rows)


BUILDERS: tuple[Callable[[PortfolioResult, str], Sheet], ...] = (
    _portfolio, _goals, _tasks, _budget, _risks, _issues, _alerts)
