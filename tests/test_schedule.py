"""§6: task statuses, slips, the critical path, total float and the forecast end."""

from __future__ import annotations

import datetime as dt

from generator.compute.results import TaskStatus
from generator.compute.schedule import evaluate_tasks, task_status
from generator.model import Task

D = dt.date.fromisoformat


def task(id="T", start="2024-07-01", end="2024-07-31", **kw) -> Task:
    return Task(id=id, name=id, owner="张三", start=D(start), end=D(end), **kw)


def test_seed_worked_examples():
    late = task(actual_start=D("2024-07-03"), actual_end=D("2024-08-02"))
    tasks = evaluate_tasks([late], D("2024-08-10")).tasks
    assert tasks[0].status is TaskStatus.DONE_LATE and tasks[0].slip_days == 2
    on_time = task(start="2024-07-15", end="2024-07-30", actual_start=D("2024-07-15"),
                   actual_end=D("2024-07-30"))
    tasks = evaluate_tasks([on_time], D("2024-08-10")).tasks
    assert tasks[0].status is TaskStatus.DONE and tasks[0].slip_days == 0


def test_status_order():
    as_of = D("2024-07-16")
    assert task_status(task(status="cancelled", progress=100), as_of) is TaskStatus.CANCELLED
    assert task_status(task(status="blocked"), as_of) is TaskStatus.BLOCKED
    assert task_status(task(progress=100), as_of) is TaskStatus.DONE
    assert task_status(task(end="2024-07-10", progress=50), as_of) is TaskStatus.DELAYED
    assert task_status(task(start="2024-07-20"), as_of) is TaskStatus.NOT_STARTED
    # 16 of 31 days elapsed → expected 51.6%; 31 + 20 < 51.6 → at risk
    assert task_status(task(progress=31, actual_start=D("2024-07-01")), as_of) \
        is TaskStatus.AT_RISK
    assert task_status(task(progress=32, actual_start=D("2024-07-01")), as_of) \
        is TaskStatus.IN_PROGRESS
    # start passed, progress 0, never started
    assert task_status(task(start="2024-07-15"), as_of) is TaskStatus.AT_RISK
    assert task_status(task(start="2024-07-15", actual_start=D("2024-07-15")), as_of) \
        is TaskStatus.IN_PROGRESS
    # on its start day with nothing done yet it is simply in progress
    assert task_status(task(start="2024-07-16"), as_of) is TaskStatus.IN_PROGRESS


def test_delayed_slip_counts_to_as_of():
    tasks = evaluate_tasks([task(end="2024-07-10", progress=50)], D("2024-07-16")).tasks
    assert tasks[0].status is TaskStatus.DELAYED and tasks[0].slip_days == 6


def test_actual_end_finishes_even_with_lower_progress_and_default_progress():
    t = task(actual_end=D("2024-07-20"))
    tasks = evaluate_tasks([t], D("2024-08-01")).tasks
    assert tasks[0].progress == 100 and tasks[0].status is TaskStatus.DONE


def by_id(tasks, as_of):
    schedule = evaluate_tasks(tasks, D(as_of))
    return {t.id: t for t in schedule.tasks}, schedule


def test_before_anything_starts_the_forecast_schedule_is_the_classic_critical_path():
    # A(10d) → C(5d); B(3d) → C; D(2d) independent; M a milestone after C
    tasks = [task("A", "2024-07-01", "2024-07-10"), task("B", "2024-07-01", "2024-07-03"),
             task("C", "2024-07-11", "2024-07-15", depends_on=["A", "B"]),
             task("D", "2024-07-01", "2024-07-02"),
             task("M", "2024-07-16", "2024-07-16", milestone=True, depends_on=["C"])]
    found, schedule = by_id(tasks, "2024-06-01")
    assert {i: t.total_float for i, t in found.items()} == {"A": 0, "B": 7, "C": 0, "D": 14,
                                                             "M": 0}
    assert [t.id for t in schedule.tasks if t.critical] == ["A", "C", "M"]
    assert schedule.driving_chain == ["A", "C", "M"]
    # a milestone happens on one day; the plan ends on it
    assert found["M"].forecast_start == found["M"].forecast_end == D("2024-07-16")
    assert schedule.forecast_end == D("2024-07-16")


def test_spec_worked_example_forecast_schedule():
    """computations §6: as of 2024-06-10, A started at 50%, B after A, C alone."""
    tasks = [task("A", "2024-06-01", "2024-06-10", progress=50),
             task("B", "2024-06-11", "2024-06-20", depends_on=["A"]),
             task("C", "2024-06-11", "2024-06-30")]
    found, schedule = by_id(tasks, "2024-06-10")
    assert (found["A"].forecast_start, found["A"].forecast_end) == (D("2024-06-01"),
                                                                    D("2024-06-15"))
    assert (found["B"].forecast_start, found["B"].forecast_end) == (D("2024-06-16"),
                                                                    D("2024-06-25"))
    assert (found["C"].forecast_start, found["C"].forecast_end) == (D("2024-06-11"),
                                                                    D("2024-06-30"))
    assert schedule.forecast_end == D("2024-06-30")
    assert found["B"].total_float == 5 and found["A"].total_float == 5
    assert [t.id for t in schedule.tasks if t.critical] == ["C"]
    assert schedule.driving_chain == ["C"]
    # had A not started (progress 0, no actual_start), everything is critical
    tasks[0] = task("A", "2024-06-01", "2024-06-10")
    found, schedule = by_id(tasks, "2024-06-10")
    assert (found["A"].forecast_start, found["A"].forecast_end) == (D("2024-06-11"),
                                                                    D("2024-06-20"))
    assert (found["B"].forecast_start, found["B"].forecast_end) == (D("2024-06-21"),
                                                                    D("2024-06-30"))
    assert found["B"].total_float == 0
    assert [t.id for t in schedule.tasks if t.critical] == ["A", "B", "C"]
    assert schedule.driving_chain in (["A", "B"], ["C"])


def test_finished_tasks_are_fixed_and_never_critical():
    tasks = [task("A", "2024-07-01", "2024-07-10", actual_start=D("2024-07-02"),
                  actual_end=D("2024-07-12")),
             task("B", "2024-07-01", "2024-07-05", progress=100),
             task("C", "2024-07-11", "2024-07-20", depends_on=["A"])]
    found, _schedule = by_id(tasks, "2024-07-15")
    assert (found["A"].forecast_start, found["A"].forecast_end) == (D("2024-07-02"),
                                                                    D("2024-07-12"))
    # finished by progress 100 without a date: min(end, as-of)
    assert found["B"].forecast_end == D("2024-07-05")
    for i in ("A", "B"):
        assert found[i].total_float is None and not found[i].critical
    # C never started: it starts the day after as-of
    assert found["C"].forecast_start == D("2024-07-16")
    assert found["C"].forecast_end == D("2024-07-25") and found["C"].critical


def test_started_task_keeps_its_dates_when_its_predecessor_is_unfinished():
    """Progress override: the link no longer constrains either task."""
    tasks = [task("A", "2024-07-01", "2024-07-20", progress=10),
             task("B", "2024-07-05", "2024-07-10", depends_on=["A"], progress=50)]
    found, schedule = by_id(tasks, "2024-07-06")
    assert found["B"].forecast_start == D("2024-07-05")
    # B: 6 days at 50% → 3 left; max(07-10, 07-09) = 07-10
    assert found["B"].forecast_end == D("2024-07-10")
    # A: 20 days at 10% → 18 left → 07-24; B no longer waits for it, nor holds it back
    assert found["A"].forecast_end == D("2024-07-24") and found["A"].critical
    assert found["B"].total_float == 14
    assert schedule.driving_chain == ["A"]


def test_cancelled_task_passes_its_predecessors_on():
    tasks = [task("A", "2024-07-01", "2024-07-10"),
             task("X", "2024-07-11", "2024-07-31", depends_on=["A"], status="cancelled"),
             task("B", "2024-07-11", "2024-07-15", depends_on=["X"])]
    found, schedule = by_id(tasks, "2024-06-01")
    assert found["X"].forecast_start is None and found["X"].total_float is None
    assert not found["X"].critical
    assert found["B"].forecast_start == D("2024-07-11")  # after A, not after X's 07-31
    assert schedule.driving_chain == ["A", "B"]


def test_forecast_end_pushes_successors_and_names_the_driving_chain():
    tasks = [task("A", "2024-07-01", "2024-07-10", progress=50),
             task("B", "2024-07-11", "2024-07-20", depends_on=["A"]),
             task("C", "2024-07-01", "2024-07-05", actual_end=D("2024-07-04"))]
    found, schedule = by_id(tasks, "2024-07-14")
    # A delayed at 50%: 5 days left from as-of → 07-19; B waits: 07-20..07-29
    assert found["A"].forecast_end == D("2024-07-19")
    assert found["B"].forecast_start == D("2024-07-20")
    assert found["B"].forecast_end == D("2024-07-29")
    assert found["C"].forecast_end == D("2024-07-04")
    assert schedule.forecast_end == D("2024-07-29")
    assert schedule.driving_chain == ["A", "B"]


def test_overdue_milestone_task():
    tasks = [task("M", "2024-07-10", "2024-07-10", milestone=True),
             task("N", "2024-07-10", "2024-07-10", milestone=True,
                  actual_end=D("2024-07-10"))]
    found, _ = by_id(tasks, "2024-07-12")
    assert found["M"].overdue and not found["N"].overdue
    # not done: it now happens the day after as-of
    assert found["M"].forecast_start == found["M"].forecast_end == D("2024-07-13")


def test_forecast_end_ignores_cancelled_and_no_tasks():
    empty = evaluate_tasks([], D("2024-07-01"))
    assert empty.tasks == [] and empty.forecast_end is None and empty.driving_chain == []
    schedule = evaluate_tasks([task(status="cancelled", end="2024-09-01")], D("2024-07-01"))
    assert schedule.forecast_end is None and not schedule.tasks[0].critical


def test_expected_progress_has_no_float_noise_at_the_at_risk_boundary():
    # 11 of 20 days: expected exactly 55%, and 35 + 20 is not below it
    t = task(start="2024-06-01", end="2024-06-20", progress=35, actual_start=D("2024-06-01"))
    assert task_status(t, D("2024-06-11")) is TaskStatus.IN_PROGRESS
