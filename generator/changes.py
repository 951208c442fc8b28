"""What moved between two results of a plan: the PR diff and the change log share it.

A `PlanSnapshot` is what the comparison reads from a computed plan (statuses,
figures, alerts, items); `compare` turns two snapshots into a typed
`PlanChange`. The change log caches snapshots of past commits as JSON, so both
sides of every comparison have the same shape whether fresh or cached.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

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


@dataclass(frozen=True)
class TaskState:
    id: str
    name: str
    status: str
    slip_days: int


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
        goals=tuple(GoalState(g.id, g.name, g.status.value, g.attainment, g is not top)
                    for top in p.goals for g in top.with_children()),
        tasks=tuple(TaskState(t.id, t.task.name, t.status.value, t.slip_days) for t in p.tasks),
        alerts=tuple(p.alerts),
        lines=tuple(LineState(ln.id, ln.name, ln.spent, ln.status.value, ln.roi)
                    for ln in (p.budget.lines if p.budget else [])),
        issues=tuple(ItemState(i.id, i.description, i.resolved is not None)
                     for i in p.plan.issues),
        risks=tuple(ItemState(r.id, r.description) for r in p.plan.risks))


SNAPSHOTS = TypeAdapter(dict[str, PlanSnapshot])  # the change log's cache format


@dataclass(frozen=True)
class GoalChange:
    id: str
    name: str
    status_before: str | None
    status_after: str | None
    attainment_before: float | None
    attainment_after: float | None

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
    return PlanChange(
        id=ref.id, title=ref.title,
        status_before=before.status if before else None,
        status_after=after.status if after else None,
        health_before=before.health if before else None,
        health_after=after.health if after else None,
        goals=_goals(before, after), tasks=_tasks(before, after),
        alerts_added=_alerts(before, after), alerts_cleared=_alerts(after, before),
        budget=_lines(before, after),
        issues_added=[i for i in _items(after, "issues") if i.id not in
                      {j.id for j in _items(before, "issues")}],
        issues_resolved=[i for i in _items(after, "issues") if i.resolved and any(
            j.id == i.id and not j.resolved for j in _items(before, "issues"))],
        risks_added=[r for r in _items(after, "risks") if r.id not in
                     {j.id for j in _items(before, "risks")}])


def _items(s: PlanSnapshot | None, kind: str) -> tuple[ItemState, ...]:
    if s is None:
        return ()
    return s.issues if kind == "issues" else s.risks


def _goals(before: PlanSnapshot | None, after: PlanSnapshot | None) -> list[GoalChange]:
    old = {g.id: g for g in (before.goals if before else ())}
    new = {g.id: g for g in (after.goals if after else ())}
    out = []
    for gid in dict.fromkeys([*old, *new]):
        a, b = old.get(gid), new.get(gid)
        s0, s1 = (a.status if a else None), (b.status if b else None)
        a0, a1 = (a.attainment if a else None), (b.attainment if b else None)
        if s0 != s1 or moved(a0, a1):
            name = (b or a).name  # type: ignore[union-attr]
            out.append(GoalChange(gid, name, s0, s1, a0, a1))
    return out


def _tasks(before: PlanSnapshot | None, after: PlanSnapshot | None) -> list[TaskChange]:
    old = {t.id: t for t in (before.tasks if before else ())}
    out = []
    for t in after.tasks if after else ():
        was = old.get(t.id)
        if t.status in BECAME and (was is None or was.status != t.status):
            out.append(TaskChange(t.id, t.name, was.status if was else None, t.status,
                                  t.slip_days))
    return out


def _alerts(before: PlanSnapshot | None, after: PlanSnapshot | None) -> list[Alert]:
    """The alerts of `after` that `before` did not have (by code and subject)."""
    old = {(a.code, a.subject) for a in (before.alerts if before else ())}
    return [a for a in (after.alerts if after else ()) if (a.code, a.subject) not in old]


def _lines(before: PlanSnapshot | None, after: PlanSnapshot | None) -> list[LineChange]:
    old = {ln.id: ln for ln in (before.lines if before else ())}
    new = {ln.id: ln for ln in (after.lines if after else ())}
    out = []
    for lid in dict.fromkeys([*old, *new]):
        a, b = old.get(lid), new.get(lid)
        change = LineChange(lid, (b or a).name,  # type: ignore[union-attr]
                            a.spent if a else None, b.spent if b else None,
                            a.status if a else None, b.status if b else None,
                            a.roi if a else None, b.roi if b else None)
        if (change.spent_before != change.spent_after
                or change.status_before != change.status_after
                or moved(change.roi_before, change.roi_after, ROI_EPSILON)):
            out.append(change)
    return out
