"""Charts with matplotlib, as SVG bytes: readable in Chinese and English.

Status colours are the Okabe-Ito colour-blind-safe palette and every status
also shows as text (bar labels, legends), never colour alone. Text is drawn
as paths so charts look the same everywhere; output is deterministic (fixed
SVG hash salt, no date metadata).
"""

from __future__ import annotations

import datetime as dt
import io
import math
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import matplotlib
import matplotlib.dates as mdates
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from ..compute.results import BudgetResult, GoalResult, PlanResult, TaskResult
from ..compute.series import BurnSeries, GoalSeries, HistoryPoint, actual_bar
from ..fonts import chart_characters, font_families
from ..views import catalogue, fmt

STATUS_COLOURS = {
    "achieved": "#009E73", "done": "#009E73", "on_track": "#0072B2", "in_progress": "#0072B2",
    "ok": "#0072B2", "at_risk": "#E69F00", "over": "#E69F00", "blocked": "#CC79A7",
    "off_track": "#D55E00", "missed": "#D55E00", "delayed": "#D55E00", "overspent": "#D55E00",
    "done_late": "#56B4E9", "no_data": "#999999", "not_started": "#BBBBBB",
    "cancelled": "#BBBBBB",
}
NEUTRAL = "#555555"
MAX_GANTT_TASKS = 120


def status_colour(code: str) -> str:
    """The palette colour of a status code."""
    return STATUS_COLOURS.get(code, NEUTRAL)


@contextmanager
def _style() -> Iterator[None]:
    with matplotlib.rc_context({
        "font.family": font_families(),
        "svg.fonttype": "path",
        "svg.hashsalt": "mxt",
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.titlesize": 12,
        "axes.titleweight": "bold",
        "axes.labelsize": 9,
        "xtick.labelsize": 8,
        "ytick.labelsize": 8,
        "legend.fontsize": 8,
        "legend.frameon": False,
        "axes.unicode_minus": False,
    }):
        yield


def _figure(*grid: int, figsize: tuple[float, float], **kw: Any) -> tuple[Figure, Any]:
    """A figure and its axes, made without pyplot: no global figure registry, no backend
    to choose (the SVG is written by matplotlib's own SVG canvas)."""
    fig = Figure(figsize=figsize)
    return fig, fig.subplots(*grid, **kw)


def _svg(fig: Figure) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="svg", bbox_inches="tight", metadata={"Date": None})
    return buf.getvalue()


def _chart(draw: Callable[[], Figure]) -> bytes:
    with _style():
        return _svg(draw())


def _date_axis(ax: Axes) -> None:
    locator = mdates.AutoDateLocator(minticks=3, maxticks=7)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator, show_offset=False))


def _short(text: str, limit: int = 28) -> str:
    """Plan text for a chart: what the fonts cannot draw (an emoji) left out, not shown as
    an empty box; cut at `limit` characters."""
    drawable = chart_characters()
    if any(ord(ch) not in drawable for ch in text):
        text = "".join(ch for ch in text if ord(ch) in drawable or ch == "\n")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _value_axis(ax: Axes, percent: bool) -> None:
    if percent:
        ax.yaxis.set_major_formatter(lambda v, _: fmt.percent(v, 1 if abs(v) < 0.1 else 0))
    else:
        ax.yaxis.set_major_formatter(lambda v, _: _compact(v))


def _compact(v: float) -> str:
    """Axis tick: 1.2M, 35K, 7.5."""
    a = abs(v)
    if a >= 1e6:
        return f"{v / 1e6:.1f}M".replace(".0M", "M")
    if a >= 1e4:
        return f"{v / 1e3:.0f}K"
    return f"{v:,.0f}" if a >= 100 or float(v).is_integer() else f"{v:.2f}"


def _draw_goal(ax: Axes, s: GoalSeries, lang: str, percent: bool, small: bool = False) -> None:
    colour = status_colour(s.status)
    L = lambda k: catalogue.label(k, lang)  # noqa: E731
    if s.cumulative:
        if s.pace:
            ax.plot(s.pace_dates, s.pace, color=NEUTRAL, linestyle="--", linewidth=1,
                    label=L("chart_pace"))
        ax.plot(s.dates, s.actual, color=colour, linewidth=2, label=L("chart_cumulative"))
    else:
        xs = [d for d, v in zip(s.dates, s.actual, strict=True) if v is not None]
        ys = [v for v in s.actual if v is not None]
        ax.plot(xs, ys, color=colour, linewidth=1, alpha=0.6,
                marker="o" if len(xs) < 40 else None, markersize=3, label=L("chart_daily"))
        if s.to_date is not None:
            shown = fmt.percent(s.to_date) if percent else _compact(s.to_date)
            ax.axhline(s.to_date, color=colour, linewidth=2,
                       label=f"{L('chart_to_date')} {shown}")
    if s.target is not None:
        shown = fmt.percent(s.target) if percent else _compact(s.target)
        ax.axhline(s.target, color=NEUTRAL, linestyle=":", linewidth=1,
                   label=f"{L('chart_target')} {shown}")
    status = catalogue.status_label(s.status, lang)
    ax.set_title(_short(f"{s.label} · {status}", 22 if small else 40),
                 fontsize=9 if small else 11, loc="left")
    _value_axis(ax, percent)
    if s.dates or s.pace_dates:
        _date_axis(ax)
    ax.grid(axis="y", color="#dddddd", linewidth=0.6)
    if not small:
        ax.legend(loc="upper left", bbox_to_anchor=(0, -0.12), ncol=4)


def goal_chart(s: GoalSeries, lang: str, percent: bool = False) -> bytes:
    """Cumulative actual against the pace line, or the level against the target."""
    def draw() -> Figure:
        fig, ax = _figure(figsize=(7.5, 3.2))
        _draw_goal(ax, s, lang, percent)
        return fig
    return _chart(draw)


def breakdown_chart(s: GoalSeries, lang: str, percent: bool = False) -> bytes:
    """Small multiples: one panel per break-down child."""
    def draw() -> Figure:
        n = len(s.children)
        cols = min(3, n)
        rows = math.ceil(n / cols)
        fig, axes = _figure(rows, cols, figsize=(3.0 * cols, 2.4 * rows), squeeze=False,
                                 sharex=True)
        for ax, child in zip(axes.flat, s.children, strict=False):
            _draw_goal(ax, child, lang, percent, small=True)
        for ax in list(axes.flat)[n:]:
            ax.set_visible(False)
        fig.suptitle(_short(s.label, 40), fontsize=11, fontweight="bold", x=0.01, ha="left")
        fig.tight_layout()
        return fig
    return _chart(draw)


def attainment_chart(goals: list[GoalResult], lang: str) -> bytes:
    """Horizontal bars of goal attainment with the 100% line; labels carry the status."""
    rows = [(f"{g.id} {g.goal.name}", g.attainment, g.status) for g in goals]

    def draw() -> Figure:
        fig, ax = _figure(figsize=(7.5, 0.45 * len(rows) + 1.0))
        names = [_short(name, 24) for name, _, _ in rows][::-1]
        values = [min(v, 2.0) if v is not None else 0.0 for _, v, _ in rows][::-1]
        colours = [status_colour(code) for _, _, code in rows][::-1]
        bars = ax.barh(names, values, color=colours, height=0.6)
        ax.axvline(1.0, color=NEUTRAL, linestyle="--", linewidth=1)
        right = max([1.2, *values]) * 1.35
        for bar, (_, v, code) in zip(bars, rows[::-1], strict=True):
            text = f"{fmt.percent(v)} {catalogue.status_label(code, lang)}"
            # labels start right of the 100% line so that they never cross it
            x = max(bar.get_width(), 1.0) + right * 0.01
            ax.text(x, bar.get_y() + bar.get_height() / 2, text, va="center", fontsize=8)
        ax.set_xlim(0, right)
        ax.xaxis.set_major_formatter(lambda v, _: f"{v * 100:.0f}%")
        ax.set_title(catalogue.label("chart_attainment", lang), loc="left")
        return fig
    return _chart(draw)


def gantt_chart(result: PlanResult, as_of: dt.date, lang: str) -> bytes:
    """Planned and actual bars per task, milestones, phases, critical path, as-of line."""
    tasks = result.tasks[:MAX_GANTT_TASKS]
    hidden = len(result.tasks) - len(tasks)
    L = lambda k: catalogue.label(k, lang)  # noqa: E731

    def draw() -> Figure:
        fig, ax = _figure(figsize=(9, 0.38 * max(len(tasks), 3) + 1.4))
        for phase in result.plan.phases:
            ax.axvspan(phase.start, phase.end + dt.timedelta(days=1), color="#f0f0f0", zorder=0)
            ax.text(phase.start, -0.9, _short(phase.name, 10), fontsize=7, color=NEUTRAL,
                    va="bottom")
        for y, t in enumerate(tasks):
            _gantt_row(ax, y, t, as_of)
        for ms in result.plan.milestones:
            ax.scatter([ms.done or ms.date], [-0.35], marker="D", s=40,
                       color="#009E73" if ms.done else NEUTRAL, zorder=4)
        ax.axvline(as_of, color="#D55E00", linewidth=1.2, linestyle="--")
        ax.text(as_of, -1.15, f" {L('as_of')} {as_of}", color="#D55E00", fontsize=7,
                va="top")
        labels = [("★ " if t.critical else "") + _short(f"{t.id} {t.task.name}", 26)
                  for t in tasks]
        ax.set_yticks(range(len(tasks)), labels)
        ax.set_ylim(len(tasks) - 0.2, -1.2)
        _date_axis(ax)
        ax.grid(axis="x", color="#e5e5e5", linewidth=0.6)
        title = L("chart_gantt") + (f" (+{hidden} …)" if hidden else "")
        ax.set_title(title, loc="left")
        from matplotlib.lines import Line2D
        from matplotlib.patches import Patch
        ax.legend(handles=[
            Patch(facecolor="white", edgecolor=NEUTRAL, label=L("chart_planned_bar")),
            Patch(facecolor="#999999", label=L("chart_actual_bar")),
            Patch(facecolor="white", edgecolor="#000000", linewidth=2,
                  label="★ " + L("chart_critical")),
            Line2D([], [], marker="D", linestyle="", color=NEUTRAL, label=L("chart_milestone")),
        ], loc="upper center", bbox_to_anchor=(0.5, -0.06), ncol=4)
        return fig
    return _chart(draw)


def _gantt_row(ax: Axes, y: int, t: TaskResult, as_of: dt.date) -> None:
    task = t.task
    colour = status_colour(t.status)
    if task.milestone:
        ax.scatter([task.end], [y], marker="D", s=50, color=colour, zorder=4)
        return
    width = (task.end - task.start).days + 1
    ax.barh(y, width, left=task.start, height=0.55, color="white", zorder=2,
            edgecolor="#000000" if t.critical else NEUTRAL, linewidth=2 if t.critical else 0.8)
    bar = actual_bar(t, as_of)
    if bar is None:
        return
    start, end = bar
    ax.barh(y, (end - start).days + 1, left=start, height=0.3, color=colour, zorder=3)
    ax.text(max(end, task.end) + dt.timedelta(days=1), y, f" {t.progress:.0f}%", va="center",
            fontsize=7, color=NEUTRAL)


def burn_chart(s: BurnSeries, currency: str, lang: str) -> bytes:
    """Cumulative spend against the planned spend line."""
    L = lambda k: catalogue.label(k, lang)  # noqa: E731

    def draw() -> Figure:
        fig, ax = _figure(figsize=(7.5, 3.0))
        ax.plot(s.plan_dates, s.planned, color=NEUTRAL, linestyle="--", linewidth=1,
                label=L("chart_planned_spend"))
        ax.plot(s.dates, s.spent, color="#0072B2", linewidth=2, label=L("chart_spent"))
        ax.axhline(s.total_planned, color=NEUTRAL, linestyle=":", linewidth=1)
        ax.set_title(L("chart_burn"), loc="left")
        ax.set_ylabel(f"{L('amount')} ({currency})")
        _value_axis(ax, False)
        _date_axis(ax)
        ax.grid(axis="y", color="#dddddd", linewidth=0.6)
        ax.legend(loc="upper left", bbox_to_anchor=(0, -0.12), ncol=2)
        return fig
    return _chart(draw)


def roi_chart(budget: BudgetResult, lang: str) -> bytes | None:
    """ROI by budget line, with the average line; None when no line has an ROI."""
    lines = [ln for ln in budget.lines if ln.roi is not None]
    if not lines:
        return None

    def draw() -> Figure:
        fig, ax = _figure(figsize=(7.5, 0.45 * len(lines) + 1.0))
        names = [_short(ln.name, 20) for ln in lines][::-1]
        values = [ln.roi or 0.0 for ln in lines][::-1]
        colours = [status_colour(ln.status.value) for ln in lines][::-1]
        bars = ax.barh(names, values, color=colours, height=0.6)
        average = budget.roi or 0.0
        for bar, ln in zip(bars, lines[::-1], strict=True):
            # right of the average line when the bar stops short of it: never across it
            x = bar.get_width() if bar.get_width() >= average else average
            ax.text(x, bar.get_y() + bar.get_height() / 2,
                    f" {fmt.ratio(ln.roi)} {catalogue.status_label(ln.status.value, lang)}",
                    va="center", fontsize=8)
        if budget.roi is not None:
            ax.axvline(budget.roi, color=NEUTRAL, linestyle="--", linewidth=1)
            ax.text(budget.roi, len(lines) - 0.4, f" {catalogue.label('chart_average', lang)} "
                    f"{fmt.ratio(budget.roi)}", fontsize=7, color=NEUTRAL)
        ax.set_xlim(0, max([*values, average]) * 1.45 if max([*values, average]) > 0 else 1)
        ax.set_title(catalogue.label("chart_roi", lang), loc="left")
        return fig
    return _chart(draw)


def risk_matrix(plan: PlanResult, lang: str) -> bytes:
    """Probability × impact grid with each risk's id placed in its cell."""
    risks = [(r.id, r.probability.score, r.impact.score) for r in plan.plan.risks]
    L = lambda k: catalogue.label(k, lang)  # noqa: E731

    def draw() -> Figure:
        fig, ax = _figure(figsize=(5.2, 4.2))
        for p in range(1, 4):
            for i in range(1, 4):
                score = p * i
                shade = "#fde0cf" if score >= 6 else "#fff1cc" if score >= 3 else "#e5f2ec"
                ax.add_patch(Rectangle((i - 0.5, p - 0.5), 1, 1, facecolor=shade,
                                           edgecolor="white", linewidth=2))
        cells: dict[tuple[int, int], list[str]] = {}
        for rid, p, i in risks:
            cells.setdefault((p, i), []).append(rid)
        for (p, i), ids in cells.items():
            ax.text(i, p, "\n".join(_short(x, 12) for x in ids[:6]) +
                    (f"\n+{len(ids) - 6}" if len(ids) > 6 else ""), ha="center", va="center",
                    fontsize=8)
        levels = [catalogue.status_label(c, lang) for c in ("low", "medium", "high")]
        ax.set_xticks([1, 2, 3], levels)
        ax.set_yticks([1, 2, 3], levels)
        ax.set_xlim(0.5, 3.5)
        ax.set_ylim(0.5, 3.5)
        ax.set_xlabel(L("impact"))
        ax.set_ylabel(L("probability"))
        ax.set_title(L("chart_risk"), loc="left")
        return fig
    return _chart(draw)


def timeline_chart(plans: list[PlanResult], as_of: dt.date, lang: str) -> bytes:
    """Every plan's period as a bar coloured (and labelled) by status, with as-of."""
    def draw() -> Figure:
        fig, ax = _figure(figsize=(9, 0.42 * max(len(plans), 2) + 1.2))
        for y, p in enumerate(plans):
            start, end = p.plan.period.start, p.plan.period.end
            ax.barh(y, (end - start).days + 1, left=start, height=0.55,
                    color=status_colour(p.status.value))
            ax.text(end + dt.timedelta(days=2), y, catalogue.status_label(p.status.value, lang),
                    va="center", fontsize=8)
        ax.set_yticks(range(len(plans)), [_short(p.plan.title, 24) for p in plans])
        ax.set_ylim(len(plans) - 0.4, -0.6)
        ax.axvline(as_of, color="#D55E00", linestyle="--", linewidth=1.2)
        ax.text(as_of, -0.55, f" {catalogue.label('as_of', lang)} {as_of}", color="#D55E00",
                fontsize=7, va="top")
        _date_axis(ax)
        ax.grid(axis="x", color="#e5e5e5", linewidth=0.6)
        ax.set_title(catalogue.label("chart_timeline", lang), loc="left")
        return fig
    return _chart(draw)


def history_chart(points: list[HistoryPoint], lang: str) -> bytes:
    """Health and each goal's attainment at every commit that changed the plan."""
    def draw() -> Figure:
        fig, ax = _figure(figsize=(7.5, 3.0))
        dates = [pt.date for pt in points]
        ax.plot(dates, [pt.health if pt.health is not None else float("nan") for pt in points],
                color="#000000", linewidth=2.2, marker="o", markersize=4,
                label=catalogue.label("health", lang))
        goal_ids = sorted({g for pt in points for g in pt.goals})
        palette = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00"]
        for n, gid in enumerate(goal_ids):
            ys = [pt.goals.get(gid) for pt in points]
            ax.plot(dates, [y if y is not None else float("nan") for y in ys],
                    color=palette[n % len(palette)], linewidth=1, linestyle="--",
                    marker=".", label=_short(gid, 12))
        ax.axhline(1.0, color=NEUTRAL, linestyle=":", linewidth=1)
        ax.yaxis.set_major_formatter(lambda v, _: f"{v * 100:.0f}%")
        locator = mdates.AutoDateLocator(minticks=3, maxticks=7)
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator, show_offset=False))
        ax.grid(axis="y", color="#dddddd", linewidth=0.6)
        ax.set_title(catalogue.label("history", lang), loc="left")
        ax.legend(loc="upper left", bbox_to_anchor=(0, -0.12), ncol=min(6, len(goal_ids) + 1))
        return fig
    return _chart(draw)
