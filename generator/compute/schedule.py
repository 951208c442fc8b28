"""Task statuses, slips, the critical path and the forecast end (computations §6)."""

from __future__ import annotations

import datetime as dt
import enum
import math
from collections import deque
from dataclasses import dataclass

from ..model import ManualTaskStatus, Task
from .goals import EPSILON, elapsed_days
from .results import TaskResult, TaskStatus

AT_RISK_MARGIN = 20  # percentage points behind the elapsed share


def progress_of(task: Task) -> float:
    """Progress in percent: as written, else 100 when finished, else 0."""
    if task.progress is not None:
        return float(task.progress)
    return 100.0 if task.actual_end is not None else 0.0


def expected_progress(task: Task, as_of: dt.date) -> float:
    """Elapsed share of [start, end] at as-of, in percent (100·k/n, no 55.00000000000001)."""
    done, total = elapsed_days(task.start, task.end, as_of)
    if total <= 0:
        return 100.0 if as_of >= task.start else 0.0
    return 100.0 * done / total


def task_status(task: Task, as_of: dt.date) -> TaskStatus:
    """§6: the first rule that holds, in the spec's order."""
    if task.status is ManualTaskStatus.CANCELLED:
        return TaskStatus.CANCELLED
    if task.status is ManualTaskStatus.BLOCKED:
        return TaskStatus.BLOCKED
    progress = progress_of(task)
    if task.actual_end is not None or progress >= 100:
        if task.actual_end is not None and task.actual_end > task.end:
            return TaskStatus.DONE_LATE
        return TaskStatus.DONE
    if as_of > task.end:
        return TaskStatus.DELAYED
    if as_of < task.start and progress == 0:
        return TaskStatus.NOT_STARTED
    started = as_of >= task.start or task.actual_start is not None
    if started:
        if progress + AT_RISK_MARGIN < expected_progress(task, as_of) - EPSILON:
            return TaskStatus.AT_RISK
        if as_of > task.start and progress == 0 and task.actual_start is None:
            return TaskStatus.AT_RISK
    return TaskStatus.IN_PROGRESS


def slip_days(task: Task, status: TaskStatus, as_of: dt.date) -> int:
    """Days late: finished late by actual_end − end, or still open by as-of − end."""
    if status is TaskStatus.DONE_LATE and task.actual_end is not None:
        return (task.actual_end - task.end).days
    if status is TaskStatus.DELAYED:
        return (as_of - task.end).days
    return 0


def duration(task: Task) -> int:
    """Planned duration in days (milestones and cancelled tasks take none)."""
    if task.milestone or task.status is ManualTaskStatus.CANCELLED:
        return 0
    return (task.end - task.start).days + 1


@dataclass(frozen=True)
class _Graph:
    """The dependency graph of a plan's tasks (links to unknown ids left out)."""

    by_id: dict[str, Task]
    preds: dict[str, list[str]]
    succs: dict[str, list[str]]
    order: list[str]  # every predecessor first (file order among equals); cycles cut


def _graph(tasks: list[Task]) -> _Graph:
    by_id = {t.id: t for t in tasks}
    preds = {t.id: list(dict.fromkeys(d for d in t.depends_on if d in by_id)) for t in tasks}
    succs: dict[str, list[str]] = {t.id: [] for t in tasks}
    for t in tasks:
        for d in preds[t.id]:
            succs[d].append(t.id)
    indegree = {i: len(p) for i, p in preds.items()}
    queue = deque(t.id for t in tasks if indegree[t.id] == 0)
    order = []
    while queue:
        current = queue.popleft()
        order.append(current)
        for s in succs[current]:
            indegree[s] -= 1
            if indegree[s] == 0:
                queue.append(s)
    placed = set(order)
    order += [t.id for t in tasks if t.id not in placed]  # a cycle: validation reports it
    return _Graph(by_id, preds, succs, order)


class _Kind(enum.Enum):
    CANCELLED = "cancelled"  # a pass-through, no dates of its own
    FINISHED = "finished"  # dates fixed by what happened; not critical, no float
    STARTED = "started"  # start fixed; the remaining work from as-of
    WAITING = "waiting"  # not started: scheduled after as-of and its predecessors


def _kind(task: Task, status: TaskStatus, as_of: dt.date) -> _Kind:
    if status is TaskStatus.CANCELLED:
        return _Kind.CANCELLED
    if status in (TaskStatus.DONE, TaskStatus.DONE_LATE):
        return _Kind.FINISHED
    started = ((task.actual_start is not None and task.actual_start <= as_of)
               or progress_of(task) > 0)
    return _Kind.STARTED if started and not task.milestone else _Kind.WAITING


@dataclass(frozen=True)
class Schedule:
    """The forecast schedule (§6): dates as day ordinals, float in days."""

    start: dict[str, int | None]
    end: dict[str, int | None]
    total_float: dict[str, int | None]
    links: dict[str, list[str]]  # the predecessors that still constrain each task
    finish: int | None  # the forecast end of the plan

    def driving_chain(self) -> list[str]:
        """The tasks that drive the forecast end, first to last: back from the task that
        finishes last, through each predecessor that finishes the day before it starts."""
        ends = {i: e for i, e in self.end.items() if e is not None}
        if not ends or self.finish is None:
            return []
        current = next(i for i, e in ends.items() if e == self.finish)
        chain = [current]
        while True:
            start = self.start[current]
            driver = next((p for p in self.links[current] if self.end[p] is not None
                           and start is not None and self.end[p] == start - 1
                           and self.total_float[p] == 0), None)
            if driver is None or driver in chain:
                return chain[::-1]
            chain.append(driver)
            current = driver


def forecast_schedule(tasks: list[Task], statuses: dict[str, TaskStatus], as_of: dt.date,
                      graph: _Graph | None = None) -> Schedule:
    """§6: status-date scheduling, then the critical path method on the forecast dates."""
    g = graph or _graph(tasks)
    d_day = as_of.toordinal()
    kinds = {i: _kind(g.by_id[i], statuses[i], as_of) for i in g.order}
    # cancelled tasks pass their predecessors on; a started task is no longer held by an
    # unfinished predecessor (progress override), and a finished one by none
    links: dict[str, list[str]] = {}
    for i in g.order:
        found: list[str] = []
        for p in g.preds[i]:
            found += links[p] if kinds[p] is _Kind.CANCELLED else [p]
        links[i] = list(dict.fromkeys(found))
    for i in g.order:
        if kinds[i] is _Kind.FINISHED:
            links[i] = []
        elif kinds[i] is _Kind.STARTED:
            links[i] = [p for p in links[i] if kinds[p] is _Kind.FINISHED]
    start: dict[str, int | None] = {}
    end: dict[str, int | None] = {}
    for i in g.order:
        task, kind = g.by_id[i], kinds[i]
        if kind is _Kind.CANCELLED:
            start[i] = end[i] = None
        elif kind is _Kind.FINISHED:
            start[i] = (task.actual_start or task.start).toordinal()  # what happened
            end[i] = (task.actual_end or min(task.end, as_of)).toordinal()
        elif kind is _Kind.STARTED:
            left = math.ceil(duration(task) * (1 - min(progress_of(task), 100.0) / 100))
            start[i] = (task.actual_start or task.start).toordinal()
            end[i] = max(task.end.toordinal(), d_day + left)
        else:
            after = max((end[p] or 0 for p in links[i]), default=0)
            first = max(task.start.toordinal(), d_day + 1, after + 1)
            start[i], end[i] = first, first + max(duration(task), 1) - 1  # a milestone: a day
    ends = [e for e in end.values() if e is not None]
    finish = max(ends) if ends else None
    total_float: dict[str, int | None] = dict.fromkeys(g.order)
    successors: dict[str, list[str]] = {i: [] for i in g.order}
    for i in g.order:
        for p in links[i]:
            successors[p].append(i)
    latest_start: dict[str, int] = {}
    for i in reversed(g.order):
        if kinds[i] in (_Kind.CANCELLED, _Kind.FINISHED) or finish is None:
            continue
        latest_finish = min((latest_start[s] - 1 for s in successors[i] if s in latest_start),
                            default=finish)
        s_i, e_i = start[i], end[i]
        assert s_i is not None and e_i is not None
        latest_start[i] = latest_finish - (e_i - s_i)
        total_float[i] = latest_finish - e_i
    return Schedule(start, end, total_float, links, finish)


def _date(ordinal: int | None) -> dt.date | None:
    """A day ordinal as a date (clamped to the calendar's last day)."""
    if ordinal is None:
        return None
    return dt.date.fromordinal(min(max(ordinal, 1), dt.date.max.toordinal()))


def overdue_milestone_task(task: Task, status: TaskStatus, as_of: dt.date) -> bool:
    """A milestone task whose day has passed and that is not done."""
    return (task.milestone and task.end < as_of
            and status not in (TaskStatus.DONE, TaskStatus.DONE_LATE, TaskStatus.CANCELLED))


@dataclass(frozen=True)
class TaskSchedule:
    """Every task's result (in file order), the forecast end and the driving chain."""

    tasks: list[TaskResult]
    forecast_end: dt.date | None
    driving_chain: list[str]


def evaluate_tasks(tasks: list[Task], as_of: dt.date) -> TaskSchedule:
    """§6 for a plan's tasks as of one day."""
    statuses = {t.id: task_status(t, as_of) for t in tasks}
    graph = _graph(tasks)
    plan = forecast_schedule(tasks, statuses, as_of, graph)
    results = []
    for t in tasks:
        status = statuses[t.id]
        expected = expected_progress(t, as_of) if as_of >= t.start else 0.0
        total_float = plan.total_float[t.id]
        overdue = overdue_milestone_task(t, status, as_of)
        results.append(TaskResult(
            t.id, t, status, progress_of(t), expected, slip_days(t, status, as_of),
            critical=total_float == 0, total_float=total_float,
            forecast_start=_date(plan.start[t.id]), forecast_end=_date(plan.end[t.id]),
            overdue=overdue, days_overdue=(as_of - t.end).days if overdue else 0))
    return TaskSchedule(results, _date(plan.finish), plan.driving_chain())
