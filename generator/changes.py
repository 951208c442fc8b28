"""What moved between two results of a plan: the PR diff and the change log share it.

A `PlanSnapshot` is what the comparison reads from a computed plan (statuses,
figures, alerts, items); `compare` turns two snapshots into a typed
`PlanChange`. The change log caches snapshots of past commits as JSON, so both
sides of every comparison have the same shape whether fresh or cached.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from pydantic import TypeAdapter

from .compute.results import Alert, PlanResult

ATTAINMENT_EPSILON = 0.0005  # below 0.05 points an attainment has not moved
ROI_EPSILON = 0.05
BECAME = frozenset({"done", "done_late", "delayed"})  # task statuses a diff reports


@dataclass(frozen=True)
class GoalState:
    id: str
    name: str  # a break-down child's is "name / value"
    status: str
    attainment: float | None
    child: bool = False
    target: float | None = None  # as written (re-baselining shows its changes)
    metric: str = ""  # the metric the target is in (its format)


@dataclass(frozen=True)
class TaskState:
    id: str
    name: str
    status: str
    slip_days: int
    start: dt.date  # planned dates as written (re-baselining)
    end: dt.date


@dataclass(frozen=True)
class LineState:
    id: str
    name: str
    spent: float
    status: str
    roi: float | None


@dataclass(frozen=True)
class ItemState:
    """An issue or a risk: its id, its text, and whether it is resolved (issues)."""

    id: str
    text: str
    resolved: bool = False


@dataclass(frozen=True)
class PlanSnapshot:
    id: str
    title: str
    as_of: dt.date
    status: str
    health: float | None
    goals: tuple[GoalState, ...]  # top-level goals, each followed by its children
    tasks: tuple[TaskState, ...]
    alerts: tuple[Alert, ...]
    lines: tuple[LineState, ...]
    issues: tuple[ItemState, ...]
    risks: tuple[ItemState, ...]


def snapshot(p: PlanResult, as_of: dt.date) -> PlanSnapshot:
    """What a comparison reads of one computed plan."""
    return PlanSnapshot(
        id=p.id, title=p.plan.title, as_of=as_of, status=p.status.value, health=p.health,
        goals=tuple(GoalState(g.id, g.name, g.status.value, g.attainment, g is not top, g.target,
                              g.goal.metric)
                    for top in p.goals for g in top.with_children()),
        tasks=tuple(TaskState(t.id, t.task.name, t.status.value, t.slip_days, t.task.start,
                              t.task.end) for t in p.tasks),
        alerts=tuple(p.alerts),
        lines=tuple(LineState(ln.id, ln.name, ln.spent, ln.status.value, ln.roi)
                    for ln in (p.budget.lines if p.budget else [])),
        issues=tuple(ItemState(i.id, i.description, i.resolved is not None)
                     for i in p.plan.issues),
        risks=tuple(ItemState(r.id, r.description) for r in p.plan.risks))


@functools.cache
def snapshots_format() -> TypeAdapter[dict[str, PlanSnapshot]]:
    """The change log's cache format: every plan's snapshot at one commit, as JSON."""
    return TypeAdapter(dict[str, PlanSnapshot])


@dataclass(frozen=True)
class GoalChange:
    id: str
    name: str
    status_before: str | None
    status_after: str | None
    attainment_before: float | None
    attainment_after: float | None
    # the target as written, when a commit changed it (a lower target is not progress)
    target_before: float | None = None
    target_after: float | None = None
    metric: str = ""

    @property
    def target_moved(self) -> bool:
        return (self.target_before is not None and self.target_after is not None
                and self.target_before != self.target_after)

    @property
    def delta_points(self) -> float | None:
        a, b = self.attainment_before, self.attainment_after
        return None if a is None or b is None else (b - a) * 100


@dataclass(frozen=True)
class TaskChange:
    id: str
    name: str
    status_before: str | None
    status_after: str
    slip_days: int


@dataclass(frozen=True)
class LineChange:
    id: str
    name: str
    spent_before: float | None
    spent_after: float | None
    status_before: str | None
    status_after: str | None
    roi_before: float | None
    roi_after: float | None


@dataclass(frozen=True)
class PlanChange:
    id: str
    title: str
    status_before: str | None
    status_after: str | None
    health_before: float | None
    health_after: float | None
    goals: list[GoalChange] = field(default_factory=list)
    tasks: list[TaskChange] = field(default_factory=list)
    alerts_added: list[Alert] = field(default_factory=list)
    alerts_cleared: list[Alert] = field(default_factory=list)
    budget: list[LineChange] = field(default_factory=list)
    issues_added: list[ItemState] = field(default_factory=list)
    issues_resolved: list[ItemState] = field(default_factory=list)
    risks_added: list[ItemState] = field(default_factory=list)

    @property
    def status_moved(self) -> bool:
        return self.status_before != self.status_after

    @property
    def changed(self) -> bool:
        return bool(self.status_moved or self.goals or self.tasks or self.alerts_added
                    or self.alerts_cleared or self.budget or self.issues_added
                    or self.issues_resolved or self.risks_added
                    or moved(self.health_before, self.health_after))


def moved(before: float | None, after: float | None, epsilon: float = ATTAINMENT_EPSILON
          ) -> bool:
    """A figure appeared, disappeared or changed by at least `epsilon`."""
    if before is None or after is None:
        return before is not after
    return abs(after - before) >= epsilon


def compare(before: PlanSnapshot | None, after: PlanSnapshot | None) -> PlanChange:
    """Every status-level difference of one plan between two snapshots."""
    ref = after or before
    if ref is None:
        raise ValueError("compare needs at least one snapshot")
    old_issues = {i.id: i for i in _of(before, "issues")}
    old_risks = {r.id for r in _of(before, "risks")}
    return PlanChange(
        id=ref.id, title=ref.title,
        status_before=before.status if before else None,
        status_after=after.status if after else None,
        health_before=before.health if before else None,
        health_after=after.health if after else None,
        goals=[g for g in (GoalChange(gid, (b or a).name, _get(a, "status"), _get(b, "status"),
                                      _get(a, "attainment"), _get(b, "attainment"),
                                      _get(a, "target"), _get(b, "target"), (b or a).metric)
                           for gid, a, b in _pairs(_of(before, "goals"), _of(after, "goals")))
               if g.status_before != g.status_after or g.target_before != g.target_after
               or moved(g.attainment_before, g.attainment_after)],
        tasks=_tasks(before, after),
        alerts_added=_new_alerts(before, after), alerts_cleared=_new_alerts(after, before),
        budget=_budget(before, after),
        issues_added=[i for i in _of(after, "issues") if i.id not in old_issues],
        issues_resolved=[i for i in _of(after, "issues")
                         if i.resolved and i.id in old_issues and not old_issues[i.id].resolved],
        risks_added=[r for r in _of(after, "risks") if r.id not in old_risks])


def _of(s: PlanSnapshot | None, items: str) -> tuple[Any, ...]:
    """A snapshot's items of one kind (none for a plan that did not exist)."""
    return getattr(s, items) if s is not None else ()


def _get(item: object | None, name: str) -> Any:
    return getattr(item, name) if item is not None else None


def _pairs(old: tuple[Any, ...], new: tuple[Any, ...]) -> Iterator[tuple[str, Any, Any]]:
    """(id, before or None, after or None) for every id on either side, in file order."""
    before, after = {x.id: x for x in old}, {x.id: x for x in new}
    for key in dict.fromkeys([*before, *after]):
        yield key, before.get(key), after.get(key)


def _tasks(before: PlanSnapshot | None, after: PlanSnapshot | None) -> list[TaskChange]:
    """Tasks that became done, done late or delayed."""
    old = {t.id: t for t in _of(before, "tasks")}
    return [TaskChange(t.id, t.name, _get(old.get(t.id), "status"), t.status, t.slip_days)
            for t in _of(after, "tasks")
            if t.status in BECAME and _get(old.get(t.id), "status") != t.status]


def _new_alerts(before: PlanSnapshot | None, after: PlanSnapshot | None) -> list[Alert]:
    """The alerts of `after` that `before` did not have (by code and subject)."""
    old = {(a.code, a.subject) for a in _of(before, "alerts")}
    return [a for a in _of(after, "alerts") if (a.code, a.subject) not in old]


def _budget(before: PlanSnapshot | None, after: PlanSnapshot | None) -> list[LineChange]:
    """Budget lines whose spend, status or ROI moved."""
    out = []
    for lid, a, b in _pairs(_of(before, "lines"), _of(after, "lines")):
        c = LineChange(lid, (b or a).name, _get(a, "spent"), _get(b, "spent"),
                       _get(a, "status"), _get(b, "status"), _get(a, "roi"), _get(b, "roi"))
        if (c.spent_before != c.spent_after or c.status_before != c.status_after
                or moved(c.roi_before, c.roi_after, ROI_EPSILON)):
            out.append(c)
    return out
