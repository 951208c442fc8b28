"""What a plan said on one day: every dated fact after as-of is left out (computations §0).

A view as of D is the plan with the future removed, computed once before any
rule runs, so that statuses, schedules, budgets, alerts, pages, reports, diffs
and the change log all see the same past:

| fact | dated after D means, as of D |
|---|---|
| task `actual_start` | not started yet (progress 0) |
| task `actual_end` | not finished: progress interpolated over the actual span, in [0, 99] |
| milestone `done` | not done |
| issue `date` | the issue does not exist yet |
| issue `resolved` | still open |
| budget draw `date` | not drawn |

Metric rows after D are left out by the metric store. Undated facts are taken as
written.
"""

from __future__ import annotations

import datetime as dt

from ..model import Plan, Task

MAX_UNFINISHED = 99.0  # an unfinished task never shows 100%


def interpolated_progress(task: Task, as_of: dt.date) -> float:
    """100 × (D − actual_start + 1) / (actual_end − actual_start + 1), clipped to [0, 99]."""
    assert task.actual_end is not None
    start = task.actual_start or task.start
    span = (task.actual_end - start).days + 1
    if span <= 0:
        return 0.0
    share = 100.0 * ((as_of - start).days + 1) / span
    return min(max(share, 0.0), MAX_UNFINISHED)


def task_as_of(task: Task, as_of: dt.date) -> Task:
    """The task as it stood on as-of."""
    if task.actual_start is not None and task.actual_start > as_of:
        return task.model_copy(update={"actual_start": None, "actual_end": None, "progress": 0.0})
    if task.actual_end is not None and task.actual_end > as_of:
        return task.model_copy(update={"actual_end": None,
                                       "progress": interpolated_progress(task, as_of)})
    return task


def plan_as_of(plan: Plan, as_of: dt.date) -> Plan:
    """The plan without the facts dated after as-of (the same object when there are none)."""
    tasks = [task_as_of(t, as_of) for t in plan.tasks]
    milestones = [m.model_copy(update={"done": None}) if m.done is not None and m.done > as_of
                  else m for m in plan.milestones]
    issues = [i.model_copy(update={"resolved": None})
              if i.resolved is not None and i.resolved > as_of else i
              for i in plan.issues if i.date <= as_of]
    budget = plan.budget
    if budget is not None and any(d.date > as_of for d in budget.draws):
        budget = budget.model_copy(update={"draws": [d for d in budget.draws
                                                     if d.date <= as_of]})
    changed = (any(a is not b for a, b in zip(tasks, plan.tasks, strict=True))
               or any(a is not b for a, b in zip(milestones, plan.milestones, strict=True))
               or len(issues) != len(plan.issues)
               or any(a is not b for a, b in zip(issues, plan.issues, strict=False))
               or budget is not plan.budget)
    if not changed:
        return plan
    return plan.model_copy(update={"tasks": tasks, "milestones": milestones, "issues": issues,
                                   "budget": budget})
