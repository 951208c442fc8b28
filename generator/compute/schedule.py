"""Task statuses, slips, the critical path and the forecast end (computations §6)."""

from __future__ import annotations

import datetime as dt
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
    preds = {t.id: [d for d in t.depends_on if d in by_id] for t in tasks}
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


def critical_path(tasks: list[Task], graph: _Graph | None = None
                  ) -> dict[str, tuple[int, int, int]]:
    """CPM on planned durations: id → (early start, early finish, total float)."""
    g = graph or _graph(tasks)
    days = {i: duration(t) for i, t in g.by_id.items()}
    early_start: dict[str, int] = {}
    early_finish: dict[str, int] = {}
    for i in g.order:
        early_start[i] = max((early_finish.get(p, 0) for p in g.preds[i]), default=0)
        early_finish[i] = early_start[i] + days[i]
    finish = max(early_finish.values(), default=0)
    late_start: dict[str, int] = {}
    for i in reversed(g.order):
        late_finish = min((late_start.get(s, finish) for s in g.succs[i]), default=finish)
        late_start[i] = late_finish - days[i]
    return {i: (early_start[i], early_finish[i], late_start[i] - early_start[i])
            for i in g.order}


def forecast_ends(tasks: list[Task], statuses: dict[str, TaskStatus], as_of: dt.date,
                  graph: _Graph | None = None) -> dict[str, dt.date | None]:
    """Each task's forecast finish: actual_end, or max(end, as-of) pushed by predecessors' slip."""
    g = graph or _graph(tasks)
    out: dict[str, dt.date | None] = {}
    slip: dict[str, int] = {}
    for i in g.order:
        task = g.by_id[i]
        status = statuses[i]
        if status is TaskStatus.CANCELLED:
            out[i], slip[i] = None, 0
            continue
        push = max((slip.get(d, 0) for d in g.preds[i]), default=0)
        if task.actual_end is not None:
            out[i] = task.actual_end
        elif status is TaskStatus.DONE:
            out[i] = task.end  # progress 100 with no date: finished on time
        else:
            out[i] = max(task.end + dt.timedelta(days=push), as_of)
        slip[i] = max((out[i] - task.end).days, 0)  # type: ignore[operator]
    return out


def evaluate_tasks(tasks: list[Task], as_of: dt.date) -> tuple[list[TaskResult], dt.date | None]:
    """Every task's result (in file order) and the plan's forecast end."""
    statuses = {t.id: task_status(t, as_of) for t in tasks}
    graph = _graph(tasks)
    cpm = critical_path(tasks, graph)
    forecasts = forecast_ends(tasks, statuses, as_of, graph)
    results = []
    for t in tasks:
        status = statuses[t.id]
        es, ef, total_float = cpm[t.id]
        expected = expected_progress(t, as_of) if as_of >= t.start else 0.0
        critical = total_float == 0 and status is not TaskStatus.CANCELLED
        results.append(TaskResult(t.id, t, status, progress_of(t), expected,
                                  slip_days(t, status, as_of), critical, total_float,
                                  forecasts[t.id], es, ef))
    ends = [d for d in forecasts.values() if d is not None]
    return results, (max(ends) if ends else None)
