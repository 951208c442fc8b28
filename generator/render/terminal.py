"""The readable `mxt status` table on a terminal (rich)."""

from __future__ import annotations

from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from .. import fmt, i18n
from ..compute.results import PlanResult, PortfolioResult, TaskStatus

STYLE = {
    "achieved": "bold green", "done": "bold green", "on_track": "green",
    "at_risk": "yellow", "off_track": "bold red", "missed": "bold red",
    "no_data": "magenta", "not_started": "dim", "critical": "bold red",
    "warning": "yellow", "info": "cyan",
}


def _status(code: str, lang: str) -> Text:
    return Text(i18n.status_label(code, lang), style=STYLE.get(code, ""))


def plan_block(p: PlanResult, result: PortfolioResult) -> Group:
    """One plan: a heading line, its goals, late tasks and alerts."""
    lang = result.language
    L = lambda key: i18n.label(key, lang)  # noqa: E731
    head = Text.assemble(
        (f"{p.plan.title}", "bold"), f"  [{p.id}]  ", _status(p.status.value, lang),
        f"  {L('health')} {fmt.percent(p.health)}  {L('owner')} {p.plan.owner}  "
        f"{L('period')} {p.plan.period.start}..{p.plan.period.end}")
    goals = Table(show_edge=False, pad_edge=False, box=None, header_style="bold")
    for key in ("goal", "target", "actual", "attainment", "expected", "pace", "status"):
        if key == "goal":
            goals.add_column(L(key), ratio=1, min_width=12, overflow="ellipsis", no_wrap=True)
        else:
            goals.add_column(L(key), justify="left" if key == "status" else "right",
                             no_wrap=True)
    for g in p.goals:
        metric = result.metrics.get(g.metric)
        for row, indent in [(g, ""), *((c, "  └ ") for c in g.children)]:
            name = g.goal.name if not indent else f"{indent}{row.dimension_value}"
            goals.add_row(f"{row.id if not indent else ''} {name}".strip(),
                          fmt.metric_value(row.target, metric),
                          fmt.metric_value(row.actual, metric),
                          fmt.percent(row.attainment), fmt.metric_value(row.expected, metric),
                          fmt.percent(row.pace_ratio), _status(row.status.value, lang))
    parts: list[object] = [head, goals]
    late = [t for t in p.tasks if t.status in (TaskStatus.DELAYED, TaskStatus.AT_RISK,
                                               TaskStatus.BLOCKED)]
    if late:
        tasks = Table(title=L("late_tasks"), title_justify="left", box=None, show_edge=False)
        for key in ("task", "owner", "status", "slip"):
            tasks.add_column(L(key))
        for t in late:
            tasks.add_row(f"{t.id} {t.task.name}", t.task.owner, _status(t.status.value, lang),
                          str(t.slip_days))
        parts.append(tasks)
    if p.alerts:
        alerts = Table(title=L("alerts"), title_justify="left", box=None, show_edge=False)
        for key in ("severity", "subject", "message"):
            alerts.add_column(L(key), overflow="fold")
        for a in p.alerts:
            alerts.add_row(_status(a.severity.value, lang), a.subject, a.message)
        parts.append(alerts)
    parts.append(Text(""))
    return Group(*parts)  # type: ignore[arg-type]


def print_status(result: PortfolioResult, console: Console) -> None:
    """The whole portfolio, plan after plan."""
    console.print(Text(f"{i18n.label('as_of', result.language)}: {result.as_of}", style="bold"))
    console.print()
    for p in result.plans:
        console.print(plan_block(p, result))
