"""Charts with matplotlib, as SVG bytes: readable in Chinese and English.

Status colours are the Okabe-Ito colour-blind-safe palette and every status
also shows as text (bar labels, legends), never colour alone. Text is drawn
as paths so charts look the same everywhere; output is deterministic (fixed
SVG hash salt, no date metadata).
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import math
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from contextvars import ContextVar
from typing import Any

import matplotlib
import matplotlib.dates as mdates
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from ..compute.results import (
    BudgetResult,
    GoalResult,
    MilestoneResult,
    PlanResult,
    TaskResult,
    TaskStatus,
)
from ..compute.series import BurnSeries, GoalSeries, HistoryPoint, actual_bar
from ..fonts import chart_characters, font_families
from ..views import catalogue, fmt
from ..views.plan import FINISHED, UNFINISHED, late_text, plan_year
from ..views.plan import day as plan_day

STATUS_COLOURS = {
    "achieved": "#009E73", "done": "#009E73", "on_track": "#0072B2", "in_progress": "#0072B2",
    "ok": "#0072B2", "at_risk": "#E69F00", "over": "#E69F00", "blocked": "#CC79A7",
    "off_track": "#D55E00", "missed": "#D55E00", "delayed": "#D55E00", "overspent": "#D55E00",
    "done_late": "#56B4E9", "no_data": "#999999", "not_started": "#BBBBBB",
    "cancelled": "#BBBBBB",
}
NEUTRAL = "#555555"
MAX_GANTT_TASKS = 120

# A narrow rendering for phones: re-laid out, not shrunk. The figure is about as wide as a
# phone's column (NARROW_WIDTH inches ≈ 380 CSS px), so its type is shown near the size it
# is drawn at, and every font is NARROW_TYPE times larger than in the wide rendering.
NARROW_WIDTH = 4.2
NARROW_TYPE = 1.3
_NARROW: ContextVar[bool] = ContextVar("narrow", default=False)

# A printed rendering for the PDF reports: drawn exactly as wide as the A4 text block
# (178 mm), labels inside the figure (constrained layout, no tight bounding box), so
# the report shows it at 100% and every font prints at the size it is drawn.
PRINT_WIDTH = 7.0  # inches
PRINT_GANTT_ROW = 0.3  # inches per row
PRINT_GANTT_ROWS = 22  # rows per printed Gantt (it then fits an A4 page with its heading)
_PRINT: ContextVar[bool] = ContextVar("print", default=False)


@contextmanager
def _layout(flag: ContextVar[bool]) -> Iterator[None]:
    token = flag.set(True)
    try:
        yield
    finally:
        flag.reset(token)


def narrow() -> AbstractContextManager[None]:
    """Draw the charts made inside this block in their narrow (phone) layout."""
    return _layout(_NARROW)


def printed() -> AbstractContextManager[None]:
    """Draw the charts made inside this block at their printed size (see PRINT_WIDTH)."""
    return _layout(_PRINT)


def _is_narrow() -> bool:
    return _NARROW.get()


def _fs(size: float) -> float:
    """A font size of the wide layout, scaled for the current one."""
    return size * NARROW_TYPE if _is_narrow() else size


def _width(wide: float) -> float:
    """A figure width in inches: `wide`, or the phone or print width."""
    if _PRINT.get():
        return PRINT_WIDTH
    return min(wide, NARROW_WIDTH) if _is_narrow() else wide


def _ncol(wide: int) -> int:
    """Legend columns: fewer side by side on a phone."""
    return min(wide, 1 if _is_narrow() else wide)


def _cut(limit: int) -> int:
    """How many characters of plan text a label keeps (fewer in the narrow layout)."""
    return max(8, round(limit * 0.6)) if _is_narrow() else limit


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
        "axes.titlesize": _fs(12),
        "axes.titleweight": "bold",
        "axes.labelsize": _fs(9),
        "xtick.labelsize": _fs(8),
        "ytick.labelsize": _fs(8),
        "legend.fontsize": _fs(8),
        "legend.frameon": False,
        "axes.unicode_minus": False,
        "hatch.linewidth": 0.6,
    }):
        yield


def _figure(*grid: int, figsize: tuple[float, float], **kw: Any) -> tuple[Figure, Any]:
    """A figure and its axes, made without pyplot: no global figure registry, no backend
    to choose (the SVG is written by matplotlib's own SVG canvas)."""
    fig = Figure(figsize=figsize, layout="constrained" if _PRINT.get() else None)
    return fig, fig.subplots(*grid, **kw)


def _svg(fig: Figure) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="svg", bbox_inches=None if _PRINT.get() else "tight",
                metadata={"Date": None})
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


def _draw_goal(ax: Axes, s: GoalSeries, lang: str, percent: bool, small: bool = False,
               original_target: float | None = None, lowered: bool = False) -> None:
    colour = status_colour(s.status)
    L = lambda k: catalogue.label(k, lang)  # noqa: E731

    def shown(v: float) -> str:
        return fmt.percent(v) if percent else _compact(v)

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
        if s.to_date is not None and s.dates:
            # the level so far, over the days it was measured (the cone carries it on)
            ax.hlines(s.to_date, s.dates[0], s.dates[-1], color=colour, linewidth=2,
                      label=f"{L('chart_to_date')} {shown(s.to_date)}")
    if s.forecast_dates:
        # the forecast: a cone from as-of to the due date, the 80% interval around the mid line
        ax.fill_between(s.forecast_dates, s.forecast_low, s.forecast_high, color=colour,
                        alpha=0.2, linewidth=0,
                        label=f"{L('chart_forecast_cone')} {shown(s.forecast_low[-1])}"
                              f" ~ {shown(s.forecast_high[-1])}")
        ax.plot(s.forecast_dates, s.forecast_mid, color=colour, linestyle=(0, (4, 2)),
                linewidth=1.6, label=f"{L('chart_forecast_mid')} {shown(s.forecast_mid[-1])}")
    if s.target is not None:
        ax.axhline(s.target, color=NEUTRAL, linestyle=":", linewidth=1,
                   label=f"{L('chart_target')} {shown(s.target)}")
    if original_target is not None and original_target != s.target:
        # re-baselined: the target first written stays in sight
        ax.axhline(original_target, color="#999999", linestyle="-.", linewidth=1,
                   label=f"{L('chart_original_target')} {shown(original_target)}")
    status = catalogue.status_label(s.status, lang)
    if lowered:
        status += f" ({L('lowered_target')})"
    ax.set_title(_short(f"{s.label} · {status}", 22 if small else 60),
                 fontsize=_fs(9 if small else 11), loc="left")
    _value_axis(ax, percent)
    if s.dates or s.pace_dates or s.forecast_dates:
        _date_axis(ax)
    ax.grid(axis="y", color="#dddddd", linewidth=0.6)
    if not small:
        ax.legend(loc="upper left", bbox_to_anchor=(0, -0.12), ncol=_ncol(3))


def goal_chart(s: GoalSeries, lang: str, percent: bool = False,
               original_target: float | None = None, lowered: bool = False) -> bytes:
    """Cumulative actual against the pace line, or the level against the target; the
    forecast as a cone to the due date. A re-baselined goal shows its first target too
    (`original_target`), and `lowered` says it is achieved only against the lowered one."""
    def draw() -> Figure:
        fig, ax = _figure(figsize=(_width(7.5), 3.2))
        _draw_goal(ax, s, lang, percent, original_target=original_target, lowered=lowered)
        return fig
    return _chart(draw)


def breakdown_chart(s: GoalSeries, lang: str, percent: bool = False) -> bytes:
    """Small multiples: one panel per break-down child."""
    def draw() -> Figure:
        n = len(s.children)
        cols = 1 if _is_narrow() else min(3, n)
        rows = math.ceil(n / cols)
        fig, axes = _figure(rows, cols, figsize=(_width(3.0 * cols), 2.4 * rows), squeeze=False,
                                 sharex=True)
        for ax, child in zip(axes.flat, s.children, strict=False):
            _draw_goal(ax, child, lang, percent, small=True)
        for ax in list(axes.flat)[n:]:
            ax.set_visible(False)
        fig.suptitle(_short(s.label, _cut(40)), fontsize=_fs(11), fontweight="bold", x=0.01,
                     ha="left")
        fig.tight_layout()
        return fig
    return _chart(draw)


def attainment_chart(goals: list[GoalResult], lang: str,
                     lowered: frozenset[str] = frozenset()) -> bytes:
    """Horizontal bars of goal attainment with the 100% line; labels carry the status
    (and, for a goal id in `lowered`, that it is achieved only against a lowered target)."""
    rows = [(f"{g.id} {g.goal.name}", g.attainment, g.status) for g in goals]
    notes = [f" ({catalogue.label('lowered_target', lang)})" if g.id in lowered else ""
             for g in goals]

    def draw() -> Figure:
        fig, ax = _figure(figsize=(_width(7.5), 0.45 * _fs(1) * len(rows) + 1.0))
        names = [_short(name, _cut(24)) for name, _, _ in rows][::-1]
        values = [min(v, 2.0) if v is not None else 0.0 for _, v, _ in rows][::-1]
        colours = [status_colour(code) for _, _, code in rows][::-1]
        bars = ax.barh(names, values, color=colours, height=0.6)
        ax.axvline(1.0, color=NEUTRAL, linestyle="--", linewidth=1)
        right = max([1.2, *values]) * (1.9 if _is_narrow() else 1.35)
        for bar, (_, v, code), note in zip(bars, rows[::-1], notes[::-1], strict=True):
            text = f"{fmt.percent(v)} {catalogue.status_label(code, lang)}{note}"
            # labels start right of the 100% line so that they never cross it
            x = max(bar.get_width(), 1.0) + right * 0.01
            ax.text(x, bar.get_y() + bar.get_height() / 2, text, va="center", fontsize=_fs(8))
        ax.set_xlim(0, right)
        ax.xaxis.set_major_formatter(lambda v, _: f"{v * 100:.0f}%")
        ax.set_title(catalogue.label("chart_attainment", lang), loc="left")
        return fig
    return _chart(draw)


GANTT_ROW = 0.38  # inches per row
OVERDUE = "#D55E00"  # vermillion: the as-of line, overdue milestones, lateness
FORECAST_END = "#CC79A7"  # reddish purple: the plan's forecast end
DONE = "#009E73"


def _text_points(text: str, size: float) -> float:
    """About how wide a label is, in points (CJK characters are square, others narrower)."""
    return sum(size * (1.0 if ord(ch) >= 0x2E80 else 0.62) for ch in text)


class _Timeline:
    """A Gantt's x axis: its day range, and labels placed where they fit."""

    GAP = 7.0  # points between a mark and its label

    def __init__(self, lo: dt.date, hi: dt.date, width_in: float,
                 axes_points: float | None = None):
        self.lo = lo
        span = max((hi - lo).days, 1)
        self.hi = hi + dt.timedelta(days=max(3, round(span * 0.09)))
        if axes_points is None:
            axes_points = width_in * 72 * 0.775  # matplotlib's default subplot width
        self.days_per_point = ((self.hi - lo).days + 1) / axes_points

    def label(self, ax: Axes, x: dt.date, y: float, text: str, left_of: dt.date | None = None,
              **kw: Any) -> None:
        """`text` right of `x`, or, when it would pass the axis end, left of `left_of`."""
        size = kw.pop("fontsize", _fs(7))
        # above the lines, on a light backing, so that a line crossing it never hides it
        kw.setdefault("bbox", {"boxstyle": "square,pad=0.1", "facecolor": "white",
                               "edgecolor": "none", "alpha": 0.85})
        kw.setdefault("zorder", 8)
        width = (_text_points(text, size) + self.GAP) * self.days_per_point
        if x + dt.timedelta(days=math.ceil(width)) <= self.hi:
            ax.annotate(text, (x, y), xytext=(self.GAP, 0), textcoords="offset points",
                        va="center", ha="left", fontsize=size, **kw)
        else:
            ax.annotate(text, (left_of or x, y), xytext=(-self.GAP, 0),
                        textcoords="offset points", va="center", ha="right", fontsize=size,
                        **kw)


def _span(result: PlanResult, tasks: list[TaskResult], as_of: dt.date) -> tuple[dt.date, dt.date]:
    """First and last day a Gantt must show: the period, every bar and milestone, the
    forecast end of the plan and as-of."""
    period = result.plan.period
    days = [period.start, period.end, as_of]
    if result.forecast_end is not None:
        days.append(result.forecast_end)
    for t in tasks:
        days += [t.task.start, t.task.end]
        days += [d for d in (t.task.actual_start, t.task.actual_end, t.forecast_start,
                             t.forecast_end) if d is not None]
    for m in result.milestones:
        days += [m.date] + ([m.done] if m.done else [])
    return min(days), max(days)


def gantt_chart(result: PlanResult, as_of: dt.date, lang: str) -> bytes:
    """Planned, actual and forecast bars per task, the driving chain to the forecast end,
    named milestones (overdue ones marked), phases, as-of, period end and forecast end."""
    tasks = result.tasks[:MAX_GANTT_TASKS]
    hidden = len(result.tasks) - len(tasks)
    milestones = sorted(result.milestones, key=lambda m: m.date)
    title = catalogue.label("chart_gantt", lang) + _more(hidden, lang)
    return _chart(lambda: _gantt(result, as_of, lang, tasks, milestones, title, GANTT_ROW))


def _more(hidden: int, lang: str) -> str:
    """The end of a Gantt's title that counts the tasks it leaves out."""
    if not hidden:
        return ""
    return ("\n" if _is_narrow() else " · ") + catalogue.label("chart_gantt_more", lang, n=hidden)


def gantt_pages(result: PlanResult, as_of: dt.date, lang: str) -> list[bytes]:
    """The Gantt for print: the site's tasks (at most MAX_GANTT_TASKS, the title counting
    the rest), at most PRINT_GANTT_ROWS rows a chart (the milestones on the first), all on
    the same time axis, at the printed size."""
    with printed(), _style():
        return [_svg(fig) for fig in gantt_figures(result, as_of, lang)]


def gantt_figures(result: PlanResult, as_of: dt.date, lang: str) -> list[Figure]:
    """The figures of `gantt_pages` (a test reads their fonts)."""
    milestones = sorted(result.milestones, key=lambda m: m.date)
    shown = result.tasks[:MAX_GANTT_TASKS]
    hidden = len(result.tasks) - len(shown)
    first = max(PRINT_GANTT_ROWS - len(milestones), 1)
    chunks = [shown[:first]]
    chunks += [shown[i:i + PRINT_GANTT_ROWS] for i in range(first, len(shown), PRINT_GANTT_ROWS)]
    title = catalogue.label("chart_gantt", lang)
    figures = []
    with printed(), _style():
        for n, tasks in enumerate(chunks):
            numbered = f"{title} ({n + 1}/{len(chunks)})" if len(chunks) > 1 else title
            numbered += _more(hidden, lang)
            figures.append(_gantt(result, as_of, lang, tasks, milestones if n == 0 else [],
                                  numbered, PRINT_GANTT_ROW))
    return figures


def _gantt(result: PlanResult, as_of: dt.date, lang: str, tasks: list[TaskResult],
           milestones: list[MilestoneResult], title: str, row: float) -> Figure:
    """One Gantt figure of `tasks` and `milestones` (the time axis spans the whole plan)."""
    plan = result.plan
    year = plan_year(result)

    def day(d: dt.date) -> str:
        return plan_day(d, year)

    rows = len(milestones) + len(tasks)
    width = _width(10.0)
    fig, ax = _figure(figsize=(width, row * _fs(1) * max(rows, 3) + 1.9))
    lo, hi = _span(result, result.tasks, as_of)
    labels = ["◆ " + _short(f"{m.id} {m.name}", _cut(26)) for m in milestones]
    labels += [("★ " if t.critical else "") + _short(f"{t.id} {t.task.name}", _cut(26))
               for t in tasks]
    # printed, the labels take their own width out of the figure's (constrained layout)
    tick_size = matplotlib.rcParams["ytick.labelsize"]
    axes_points = (width * 72 - max((_text_points(x, tick_size) for x in labels), default=0)
                   - 24 if _PRINT.get() else None)
    axis = _Timeline(lo, hi, width, axes_points)
    for phase in plan.phases:
        ax.axvspan(phase.start, phase.end + dt.timedelta(days=1), color="#f0f0f0", zorder=0)
        ax.text(phase.start, -0.75, " " + _short(phase.name, _cut(10)), fontsize=_fs(7),
                color=NEUTRAL, va="bottom")
    _gantt_lines(ax, result, as_of)
    for y, m in enumerate(milestones):
        _milestone_row(ax, axis, y, m, as_of, lang, day)
    top = len(milestones)
    rows_of = {t.id: top + n for n, t in enumerate(tasks)}
    for t in tasks:
        _gantt_row(ax, axis, rows_of[t.id], t, as_of, lang, day)
    _driving_chain(ax, result, rows_of)
    ax.set_yticks(range(rows), labels)
    for tick, t in zip(ax.get_yticklabels()[top:], tasks, strict=True):
        if t.critical:
            tick.set_fontweight("bold")
    if milestones and tasks:
        ax.axhline(top - 0.5, color="#cccccc", linewidth=0.8, zorder=1)
    ax.set_ylim(rows - 0.4, -0.9)
    ax.set_xlim(axis.lo - dt.timedelta(days=1), axis.hi)
    _date_axis(ax)
    ax.grid(axis="x", color="#e5e5e5", linewidth=0.6)
    ax.set_title(title, loc="left", pad=14)
    ax.legend(handles=_gantt_legend(result, as_of, lang), loc="upper center",
              bbox_to_anchor=(0.5, -0.045), ncol=_ncol(3))
    return fig


def _gantt_lines(ax: Axes, result: PlanResult, as_of: dt.date) -> None:
    """As-of, the period end and the forecast end, the late stretch between them shaded."""
    end = result.plan.period.end
    one = dt.timedelta(days=1)
    ax.axvline(as_of, color=OVERDUE, linewidth=1.2, linestyle="--", zorder=5)
    ax.axvline(end + one, color="#000000", linewidth=1.2, zorder=5)
    forecast = result.forecast_end
    if forecast is not None:
        if forecast > end:
            ax.axvspan(end + one, forecast + one, color=OVERDUE, alpha=0.10, zorder=0.5)
        if forecast != end:
            ax.axvline(forecast + one, color=FORECAST_END, linewidth=1.6, linestyle="-.",
                       zorder=5)


def _gantt_legend(result: PlanResult, as_of: dt.date, lang: str) -> list[Any]:
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    L = lambda k: catalogue.label(k, lang)  # noqa: E731
    handles: list[Any] = [
        Patch(facecolor="white", edgecolor=NEUTRAL, label=L("chart_planned_bar")),
        Patch(facecolor="#999999", label=L("chart_actual_bar")),
        Patch(facecolor="white", edgecolor=NEUTRAL, hatch="////", label=L("chart_forecast_bar")),
        Patch(facecolor="white", edgecolor="#000000", linewidth=2,
              label="★ " + L("chart_driving")),
        *[Patch(label=catalogue.status_label(code, lang),
                **{"facecolor": "white", "edgecolor": NEUTRAL, **_PLANNED_LOOK[code]})
          for code in _PLANNED_LOOK if any(t.status is code for t in result.tasks)],
        Line2D([], [], marker="D", linestyle="", color=NEUTRAL, label=L("chart_milestone")),
        Line2D([], [], marker="D", linestyle="", color=OVERDUE, label=L("chart_ms_overdue")),
        Line2D([], [], color=OVERDUE, linestyle="--", label=f"{L('as_of')} {as_of}"),
        Line2D([], [], color="#000000", label=f"{L('chart_period_end')} {result.plan.period.end}"),
    ]
    forecast = result.forecast_end
    if forecast is not None:
        late_by = late_text(result, lang)
        late = f" ({late_by})" if late_by else ""
        handles.append(Line2D([], [], color=FORECAST_END, linestyle="-.", linewidth=1.6,
                              label=f"{L('chart_forecast_end')} {forecast}{late}"))
    return handles


def _diamond(ax: Axes, x: dt.date, y: float, face: str, edge: str, size: float = 46) -> None:
    ax.scatter([x], [y], marker="D", s=size, color=face, edgecolors=edge, linewidths=1.2,
               zorder=6)


def _milestone_row(ax: Axes, axis: _Timeline, y: int, m: MilestoneResult, as_of: dt.date,
                   lang: str, day: Callable[[dt.date], str]) -> None:
    """A milestone of `milestones:` on its own row: done (at its done day), pending, or
    overdue (red, with the stretch to as-of and how many days)."""
    if m.done is not None:
        _diamond(ax, m.done, y, DONE, DONE)
        text = f"✓ {day(m.done)}"
        if m.done != m.date:
            text += f" ({catalogue.label('chart_planned_bar', lang)} {day(m.date)})"
        axis.label(ax, max(m.done, m.date), y, text, left_of=min(m.done, m.date), color=NEUTRAL)
    elif m.overdue:
        ax.plot([m.date, as_of], [y, y], color=OVERDUE, linewidth=1.2, linestyle=":", zorder=5)
        _diamond(ax, m.date, y, OVERDUE, OVERDUE, 56)
        late = catalogue.label("days_overdue", lang, days=m.days_overdue)
        text = f"{day(m.date)} · {late}"
        axis.label(ax, as_of, y, text, left_of=m.date, color=OVERDUE, fontweight="bold")
    else:
        _diamond(ax, m.date, y, "white", NEUTRAL)
        axis.label(ax, m.date, y, day(m.date), color=NEUTRAL)


_PLANNED_LOOK: dict[TaskStatus, dict[str, Any]] = {
    TaskStatus.NOT_STARTED: {"linestyle": ":", "linewidth": 1.2},
    TaskStatus.BLOCKED: {"edgecolor": "#CC79A7", "hatch": "\\\\\\\\", "linewidth": 1.6},
    TaskStatus.CANCELLED: {"facecolor": "#e6e6e6", "edgecolor": "#999999", "hatch": "xx",
                           "linestyle": "--"},
}


def _gantt_row(ax: Axes, axis: _Timeline, y: int, t: TaskResult, as_of: dt.date,
               lang: str, day: Callable[[dt.date], str]) -> None:
    task = t.task
    colour = status_colour(t.status)
    one = dt.timedelta(days=1)
    edge = "#000000" if t.critical else NEUTRAL
    if task.milestone:
        if t.status in FINISHED:
            done = task.actual_end or task.end
            _diamond(ax, done, y, DONE, edge)
            axis.label(ax, done, y, f"✓ {day(done)}", color=NEUTRAL)
        elif t.overdue:
            ax.plot([task.end, as_of], [y, y], color=OVERDUE, linewidth=1.2, linestyle=":",
                    zorder=5)
            _diamond(ax, task.end, y, OVERDUE, edge, 56)
            late = catalogue.label("days_overdue", lang, days=t.days_overdue)
            axis.label(ax, as_of, y, f"{day(task.end)} · {late}", left_of=task.end,
                       color=OVERDUE, fontweight="bold")
        elif t.status is not TaskStatus.CANCELLED:
            # due: at its day, and hollow where it is forecast when that is another day
            if t.forecast_end is not None and t.forecast_end != task.end:
                _diamond(ax, t.forecast_end, y, "white", edge, 40)
            _diamond(ax, task.end, y, "white" if t.status is TaskStatus.NOT_STARTED
                     else colour, edge)
            axis.label(ax, max(task.end, t.forecast_end or task.end), y, day(task.end),
                       color=NEUTRAL)
        return
    # not started, blocked and cancelled differ in the bar itself, not in colour alone:
    # a dotted outline, a hatched outline in the blocked colour, a crossed-out grey bar
    look = _PLANNED_LOOK.get(t.status, {})
    ax.barh(y, (task.end - task.start).days + 1, left=task.start, height=0.58, zorder=2,
            **{"facecolor": "white", "edgecolor": edge, "linewidth": 2 if t.critical else 0.8,
               **look})
    right = task.end
    if t.status in UNFINISHED and t.forecast_start and t.forecast_end:
        ax.barh(y, (t.forecast_end - t.forecast_start).days + 1, left=t.forecast_start,
                height=0.3, color="white", hatch="////", edgecolor=edge,
                linewidth=1.4 if t.critical else 0.6, zorder=2.5)
        right = max(right, t.forecast_end)
    bar = actual_bar(t, as_of)
    if bar is not None:
        start, end = bar
        ax.barh(y, (end - start).days + 1, left=start, height=0.3, color=colour, zorder=3)
        right = max(right, end)
    text = f"{t.progress:.0f}%"
    if t.status in _PLANNED_LOOK:  # said in words too
        shown = catalogue.status_label(t.status, lang)
        text = shown if t.status is TaskStatus.CANCELLED else f"{text} · {shown}"
    axis.label(ax, right + one, y, text, left_of=task.start,
               color=NEUTRAL)  # right of the last bar's last day


def _driving_chain(ax: Axes, result: PlanResult, rows: dict[str, int]) -> None:
    """Arrows from each task of the driving chain to the next, to the forecast end."""
    by_id = result.tasks_by_id
    chain = [by_id[i] for i in result.driving_chain if i in by_id and i in rows]
    for a, b in itertools.pairwise(chain):
        if a.forecast_end is None or b.forecast_start is None:
            continue
        ax.annotate("", xy=(b.forecast_start, rows[b.id] - 0.17),
                    xytext=(a.forecast_end + dt.timedelta(days=1), rows[a.id] + 0.17),
                    arrowprops={"arrowstyle": "-|>", "color": "#000000", "linewidth": 1.3,
                                "shrinkA": 0, "shrinkB": 0,
                                "connectionstyle": "angle,angleA=0,angleB=90,rad=0"},
                    zorder=7)


def burn_chart(s: BurnSeries, currency: str, lang: str, paced: bool = False,
               share: bool = False) -> bytes:
    """Cumulative spend against the expected spend (each line's budget at its phase pace,
    or evenly over the period; `paced`: some line has a pace, and the legend says so)."""
    L = lambda k: catalogue.label(k, lang)  # noqa: E731

    def draw() -> Figure:
        fig, ax = _figure(figsize=(_width(7.5), 3.0))
        ax.plot(s.plan_dates, s.planned, color=NEUTRAL, linestyle="--", linewidth=1,
                label=L("chart_expected_spend_paced" if paced else "chart_expected_spend"))
        ax.plot(s.dates, s.spent, color="#0072B2", linewidth=2, label=L("chart_spent"))
        total = fmt.percent(1.0, 0) if share else _compact(s.total_planned)
        ax.axhline(s.total_planned, color=NEUTRAL, linestyle=":", linewidth=1,
                   label=f"{L('planned')} {total}")
        ax.set_title(L("chart_burn"), loc="left")
        ax.set_ylabel(L("chart_share_of_budget") if share else f"{L('amount')} ({currency})")
        _value_axis(ax, share)
        _date_axis(ax)
        ax.grid(axis="y", color="#dddddd", linewidth=0.6)
        ax.legend(loc="upper left", bbox_to_anchor=(0, -0.12), ncol=_ncol(3))
        return fig
    return _chart(draw)


def roi_chart(budget: BudgetResult, lang: str) -> bytes | None:
    """ROI by budget line, with the average line; None when no line has an ROI."""
    lines = [ln for ln in budget.lines if ln.roi is not None]
    if not lines:
        return None

    def draw() -> Figure:
        fig, ax = _figure(figsize=(_width(7.5), 0.45 * _fs(1) * len(lines) + 1.0))
        names = [_short(ln.name, _cut(20)) for ln in lines][::-1]
        values = [ln.roi or 0.0 for ln in lines][::-1]
        colours = [status_colour(ln.status.value) for ln in lines][::-1]
        bars = ax.barh(names, values, color=colours, height=0.6)
        average = budget.roi or 0.0
        for bar, ln in zip(bars, lines[::-1], strict=True):
            # right of the average line when the bar stops short of it: never across it
            x = bar.get_width() if bar.get_width() >= average else average
            ax.text(x, bar.get_y() + bar.get_height() / 2,
                    f" {fmt.ratio(ln.roi)} {catalogue.status_label(ln.status.value, lang)}",
                    va="center", fontsize=_fs(8))
        if budget.roi is not None:
            ax.axvline(budget.roi, color=NEUTRAL, linestyle="--", linewidth=1)
            ax.text(budget.roi, len(lines) - 0.4, f" {catalogue.label('chart_average', lang)} "
                    f"{fmt.ratio(budget.roi)}", fontsize=_fs(7), color=NEUTRAL)
        most = max([*values, average])
        ax.set_xlim(0, most * (2.0 if _is_narrow() else 1.45) if most > 0 else 1)
        ax.set_title(catalogue.label("chart_roi", lang), loc="left")
        return fig
    return _chart(draw)


def risk_matrix(plan: PlanResult, lang: str) -> bytes:
    """Probability × impact grid with each risk's id placed in its cell."""
    risks = [(r.id, r.probability.score, r.impact.score) for r in plan.plan.risks]
    L = lambda k: catalogue.label(k, lang)  # noqa: E731

    def draw() -> Figure:
        fig, ax = _figure(figsize=(_width(5.2), 4.2))
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
                    fontsize=_fs(8))
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


TIMELINE_WIDTH = 5.6  # inches: narrow, so that its words stay readable on a phone too
TIMELINE_NAME = 12.0  # points: plan names, written in full above their bars
TIMELINE_NOTE = 10.5  # points: the status and a late forecast end under a plan's name
TIMELINE_ROW = 0.2  # inches per unit of the vertical layout (a name line is 1.1)


def _wrap(text: str, points: float, size: float, most: int = 3) -> list[str]:
    """`text` in lines of at most `points` wide (at between words when it has spaces),
    at most `most` lines (the last one cut with …)."""
    lines: list[str] = []
    rest = text
    while rest and len(lines) < most:
        n = 0
        while n < len(rest) and _text_points(rest[:n + 1], size) <= points:
            n += 1
        n = max(n, 1)
        if n < len(rest) and " " in rest[1:n]:
            n = rest.rindex(" ", 1, n) + 1
        lines.append(rest[:n].rstrip())
        rest = rest[n:].lstrip()
    if rest:
        lines[-1] = lines[-1][:-1] + "…"
    return lines


def timeline_chart(plans: list[PlanResult], as_of: dt.date, lang: str) -> bytes:
    """Every plan's period as a bar coloured by status, its name in full above it, its
    status in words beside it, a late forecast end hatched after it, and the as-of line."""
    def L(key: str, **values: object) -> str:
        return catalogue.label(key, lang, **values)

    days = [as_of] + [d for p in plans for d in (p.plan.period.start, p.plan.period.end,
                                                 p.forecast_end) if d is not None]
    axis = _Timeline(min(days), max(days), TIMELINE_WIDTH)
    room = TIMELINE_WIDTH * 72 * 0.96  # the axes' width in points (see subplots_adjust)
    rows, y = [], 0.0
    for p in plans:
        note = catalogue.status_label(p.status.value, lang)
        late_by = late_text(p, lang)
        if late_by and p.forecast_end is not None:
            note += f" · {L('forecast_end')} {p.forecast_end:%m-%d} · {late_by}"
        lines = _wrap(_short(p.plan.title, 400), room, TIMELINE_NAME)
        # in rows of TIMELINE_ROW inches: name lines, the note, then the bar
        y_note = y + 1.1 * len(lines)
        rows.append((p, lines, note, y, y_note, y_note + 1.5))
        y = y_note + 2.7
    top, bottom = 0.75, 0.45  # inches above the axes (title, as-of) and below (dates)
    height = TIMELINE_ROW * max(y, 4.0) + top + bottom

    def draw() -> Figure:
        fig, ax = _figure(figsize=(TIMELINE_WIDTH, height))
        fig.subplots_adjust(top=1 - top / height, bottom=bottom / height, left=0.02, right=0.98)
        words = ax.get_yaxis_transform()  # x in axes fractions, y in rows
        backing = {"boxstyle": "square,pad=0.1", "facecolor": "white", "edgecolor": "none",
                   "alpha": 0.85}
        for p, lines, note, y_name, y_note, y_bar in rows:
            start, end = p.plan.period.start, p.plan.period.end
            late = p.late_days > 0 and p.forecast_end is not None
            ax.text(0, y_name, "\n".join(lines), transform=words, va="top", ha="left",
                    fontsize=TIMELINE_NAME, fontweight="bold", linespacing=1.2, bbox=backing,
                    zorder=5)
            ax.text(0, y_note, note, transform=words, va="top", ha="left", bbox=backing,
                    fontsize=TIMELINE_NOTE, color=OVERDUE if late else "#333333", zorder=5)
            ax.barh(y_bar, (end - start).days + 1, left=start, height=0.85,
                    color=status_colour(p.status.value))
            if late and p.forecast_end is not None:
                ax.barh(y_bar, (p.forecast_end - end).days, left=end + dt.timedelta(days=1),
                        height=0.85, color="white", edgecolor=OVERDUE, hatch="////",
                        linewidth=0.8)
        ax.set_ylim(max(y, 4.0) - 0.6, -0.3)
        ax.set_yticks([])
        ax.spines["left"].set_visible(False)
        ax.set_xlim(axis.lo - dt.timedelta(days=1), axis.hi)
        ax.axvline(as_of, color=OVERDUE, linestyle="--", linewidth=1.2)
        ax.text(as_of, 1.0, f"{L('as_of')} {as_of}", transform=ax.get_xaxis_transform(),
                color=OVERDUE, fontsize=TIMELINE_NOTE, va="bottom", ha="center")
        _date_axis(ax)
        ax.tick_params(axis="x", labelsize=TIMELINE_NOTE)
        ax.grid(axis="x", color="#e5e5e5", linewidth=0.6)
        ax.set_title(L("chart_timeline"), loc="left", pad=20, fontsize=13.5)
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
