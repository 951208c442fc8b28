"""The readable `mxt status` table on a terminal (rich), from the same views as the pages."""

from __future__ import annotations

from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from ..compute.results import PlanResult, PortfolioResult
from ..views.catalogue import label
from ..views.plan import Badge, ChartLinks, Formatter

STYLE = {
    "achieved": "bold green", "done": "bold green", "on_track": "green",
    "at_risk": "yellow", "off_track": "bold red", "missed": "bold red",
    "no_data": "magenta", "not_started": "dim", "critical": "bold red",
    "warning": "yellow", "info": "cyan",
}


def _badge(b: Badge) -> Text:
    return Text(b.label, style=STYLE.get(b.code, ""))


def plan_block(p: PlanResult, formatter: Formatter) -> Group:
    """One plan: a heading line, its goals, late tasks and alerts."""
    lang = formatter.lang
    view = formatter.plan(p, ChartLinks())

    def L(key: str) -> str:
        return label(key, lang)

    head = Text.assemble(
        (view.title, "bold"), f"  [{view.id}]  ", _badge(view.status),
        f"  {L('health')} {view.health}  {L('owner')} {view.owner}  "
        f"{L('period')} {view.period}")
    goals = Table(show_edge=False, pad_edge=False, box=None, header_style="bold")
    for key in ("goal", "target", "actual", "attainment", "expected", "pace", "status"):
        if key == "goal":
            goals.add_column(L(key), ratio=1, min_width=12, overflow="ellipsis", no_wrap=True)
        else:
            goals.add_column(L(key), justify="left" if key == "status" else "right",
                             no_wrap=True)
    for g in view.goals:
        for row in (g, *g.children):
            name = f"  └ {row.name}" if row.is_child else f"{row.id} {row.name}"
            goals.add_row(name, row.target, row.actual, row.attainment, row.expected, row.pace,
                          _badge(row.status))
    parts: list[object] = [head, goals]
    if view.late_tasks:
        tasks = Table(title=L("late_tasks"), title_justify="left", box=None, show_edge=False)
        for key in ("task", "owner", "status", "slip"):
            tasks.add_column(L(key))
        for t in view.late_tasks:
            tasks.add_row(f"{t.id} {t.name}", t.owner, _badge(t.status), t.slip)
        parts.append(tasks)
    if view.alerts:
        alerts = Table(title=L("alerts"), title_justify="left", box=None, show_edge=False)
        for key in ("severity", "subject", "message"):
            alerts.add_column(L(key), overflow="fold")
        for a in view.alerts:
            alerts.add_row(_badge(a.severity), a.subject, a.message)
        parts.append(alerts)
    parts.append(Text(""))
    return Group(*parts)  # type: ignore[arg-type]


def print_status(result: PortfolioResult, console: Console) -> None:
    """The whole portfolio, plan after plan."""
    formatter = Formatter(result, result.language)
    console.print(Text(f"{label('as_of', result.language)}: {result.as_of}", style="bold"))
    console.print()
    for p in result.plans:
        console.print(plan_block(p, formatter))
