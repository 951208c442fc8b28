"""§6: task statuses, slips, the critical path, total float and the forecast end."""

from __future__ import annotations

import datetime as dt

from generator.compute.results import TaskStatus
from generator.compute.schedule import critical_path, evaluate_tasks, task_status
from generator.model import Task

D = dt.date.fromisoformat


def task(id="T", start="2024-07-01", end="2024-07-31", **kw) -> Task:
    return Task(id=id, name=id, owner="张三", start=D(start), end=D(end), **kw)


def test_seed_worked_examples():
    late = task(actual_start=D("2024-07-03"), actual_end=D("2024-08-02"))
    tasks, _ = evaluate_tasks([late], D("2024-08-10"))
    assert tasks[0].status is TaskStatus.DONE_LATE and tasks[0].slip_days == 2
    on_time = task(start="2024-07-15", end="2024-07-30", actual_start=D("2024-07-15"),
                   actual_end=D("2024-07-30"))
    tasks, _ = evaluate_tasks([on_time], D("2024-08-10"))
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
    tasks, _ = evaluate_tasks([task(end="2024-07-10", progress=50)], D("2024-07-16"))
    assert tasks[0].status is TaskStatus.DELAYED and tasks[0].slip_days == 6


def test_actual_end_finishes_even_with_lower_progress_and_default_progress():
    t = task(actual_end=D("2024-07-20"))
    tasks, _ = evaluate_tasks([t], D("2024-08-01"))
    assert tasks[0].progress == 100 and tasks[0].status is TaskStatus.DONE


def test_critical_path_and_float():
    # A(10d) → C(5d); B(3d) → C; D(2d) independent
    tasks = [task("A", "2024-07-01", "2024-07-10"), task("B", "2024-07-01", "2024-07-03"),
             task("C", "2024-07-11", "2024-07-15", depends_on=["A", "B"]),
             task("D", "2024-07-01", "2024-07-02"),
             task("M", "2024-07-15", "2024-07-15", milestone=True, depends_on=["C"])]
    cpm = critical_path(tasks)
    assert {k: v[2] for k, v in cpm.items()} == {"A": 0, "B": 7, "C": 0, "D": 13, "M": 0}
    results, _ = evaluate_tasks(tasks, D("2024-06-01"))
    assert [t.id for t in results if t.critical] == ["A", "C", "M"]


def test_forecast_end_pushes_successors_by_the_slip():
    tasks = [task("A", "2024-07-01", "2024-07-10", progress=50),
             task("B", "2024-07-11", "2024-07-20", depends_on=["A"]),
             task("C", "2024-07-01", "2024-07-05", actual_end=D("2024-07-04"))]
    results, forecast = evaluate_tasks(tasks, D("2024-07-14"))
    by_id = {t.id: t for t in results}
    assert by_id["A"].forecast_end == D("2024-07-14")   # delayed: as-of
    assert by_id["B"].forecast_end == D("2024-07-24")   # pushed by A's 4 days
    assert by_id["C"].forecast_end == D("2024-07-04")   # actual end
    assert forecast == D("2024-07-24")


def test_forecast_end_ignores_cancelled_and_no_tasks():
    assert evaluate_tasks([], D("2024-07-01")) == ([], None)
    results, forecast = evaluate_tasks([task(status="cancelled", end="2024-09-01")],
                                       D("2024-07-01"))
    assert forecast is None and not results[0].critical


def test_expected_progress_has_no_float_noise_at_the_at_risk_boundary():
    # 11 of 20 days: expected exactly 55%, and 35 + 20 is not below it
    t = task(start="2024-06-01", end="2024-06-20", progress=35, actual_start=D("2024-06-01"))
    assert task_status(t, D("2024-06-11")) is TaskStatus.IN_PROGRESS
