"""§2–§4: attainment, expected to date and pace, goal status, break-down children."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.compute.goals import (
    attainment,
    elapsed_fraction,
    evaluate_goal,
    expected_to_date,
    goal_status,
    pace_ratio,
    phase_share,
)
from generator.compute.results import GoalStatus
from generator.model import Direction, Phase, Thresholds

from .conftest import plan, store

D = dt.date.fromisoformat
UP, DOWN = Direction.UP, Direction.DOWN


# §2 worked examples from the seeds' evaluation tables
@pytest.mark.parametrize(("target", "actual", "direction", "baseline", "expected"), [
    (200_000, 180_000, UP, None, 0.900),      # 新增注册用户
    (5_000_000, 6_200_000, UP, None, 1.240),  # 活动期GMV
    (1_300, 1_450, UP, 1_000, 1.500),         # 搜索量提升 30%
    (4, 5.2, UP, None, 1.300),                # ROI
    (50, 40, DOWN, None, 1.250),              # CAC (down)
])
def test_attainment_worked_examples(target, actual, direction, baseline, expected):
    assert attainment(actual, target, direction, baseline) == pytest.approx(expected)


def test_attainment_edge_cases():
    assert attainment(None, 100, UP) is None
    assert attainment(10, 0, UP) is None          # zero target: undefined, not infinite
    assert attainment(0, 50, DOWN) is None        # down with A = 0: null (counts as met)
    assert attainment(1000, 1000, UP, 1000) is None  # target equals baseline
    # a relative goal to reduce: baseline 60 → target 50, actual 55 is half way
    assert attainment(55, 50, DOWN, 60) == pytest.approx(0.5)


@given(st.floats(0, 1e9), st.floats(0, 1e9), st.floats(1, 1e9))
def test_attainment_grows_with_actual_for_up(a1, a2, target):
    lo, hi = sorted((a1, a2))
    assert attainment(lo, target, UP) <= attainment(hi, target, UP)


def test_elapsed_fraction_inclusive_and_clipped():
    assert elapsed_fraction(D("2024-06-01"), D("2024-06-30"), D("2024-06-15")) == 0.5
    assert elapsed_fraction(D("2024-06-01"), D("2024-06-30"), D("2024-06-01")) == 1 / 30
    assert elapsed_fraction(D("2024-06-01"), D("2024-06-30"), D("2024-05-20")) == 0
    assert elapsed_fraction(D("2024-06-01"), D("2024-06-30"), D("2024-08-01")) == 1


PHASES = [Phase(id="prep", name="筹备期", start=D("2024-05-01"), end=D("2024-05-31")),
          Phase(id="warmup", name="预热期", start=D("2024-06-01"), end=D("2024-06-05")),
          Phase(id="burst", name="爆发期", start=D("2024-06-06"), end=D("2024-06-15")),
          Phase(id="wrapup", name="收尾期", start=D("2024-06-16"), end=D("2024-07-15"))]
PACE = {"prep": 0.05, "warmup": 0.15, "burst": 0.6, "wrapup": 0.2}


def test_linear_expected():
    e = expected_to_date(200_000, D("2024-06-01"), D("2024-06-30"), D("2024-06-15"), None, [])
    assert e == pytest.approx(100_000)


def test_phase_pace_expected():
    # prep and warmup ended (0.05 + 0.15) + burst 5 of 10 days (0.6 × 0.5) = 0.5
    assert phase_share(PACE, PHASES, D("2024-06-10")) == pytest.approx(0.5)
    # the goal's window ends 06-30: wrapup (06-16..07-15) keeps 15 of its 30 days, 0.1;
    # the clipped shares (0.05, 0.15, 0.6, 0.1) sum to 0.9 and are scaled to 1 (§3)
    e = expected_to_date(200_000, D("2024-05-01"), D("2024-06-30"), D("2024-06-10"), PACE, PHASES)
    assert e == pytest.approx(200_000 * 0.5 / 0.9)
    assert expected_to_date(200_000, D("2024-05-01"), D("2024-06-30"), D("2024-06-30"), PACE,
                            PHASES) == pytest.approx(200_000)  # E = T on the due date
    # a window inside the period clips the phases at both ends: from 06-06, prep and
    # warmup carry nothing, burst 0.6 and wrapup 0.1 scale to 6/7 and 1/7
    e = expected_to_date(700, D("2024-06-06"), D("2024-06-30"), D("2024-06-10"), PACE, PHASES)
    assert e == pytest.approx(700 * (6 / 7) * 0.5)
    # before every phase: nothing expected
    assert phase_share(PACE, PHASES, D("2024-04-30")) == 0
    # after all phases: the whole target
    assert phase_share(PACE, PHASES, D("2024-08-01")) == pytest.approx(1)


def test_phase_pace_days_outside_phases_carry_no_share():
    gap = [Phase(id="a", name="A", start=D("2024-06-01"), end=D("2024-06-10")),
           Phase(id="b", name="B", start=D("2024-06-21"), end=D("2024-06-30"))]
    # in the gap 06-11..06-20 expected stays at phase a's share
    assert phase_share({"a": 0.4, "b": 0.6}, gap, D("2024-06-15")) == pytest.approx(0.4)


def test_pace_ratio():
    assert pace_ratio(180_000, 185_000, UP) == pytest.approx(0.97297, rel=1e-4)
    assert pace_ratio(100, 0, UP) is None             # E = 0
    assert pace_ratio(80, 100, DOWN) == pytest.approx(1.25)  # down: E / A
    assert pace_ratio(None, 100, UP) is None


def _status(**kw):
    base = dict(as_of=D("2024-06-15"), start=D("2024-06-01"), due=D("2024-06-30"),
                actual=50.0, target=100.0, baseline=None, att=0.5, ratio=1.0, direction=UP,
                sums=True, thresholds=Thresholds())
    base.update(kw)
    return goal_status(**base)


def test_goal_status_order_and_thresholds():
    assert _status(as_of=D("2024-05-31")) is GoalStatus.NOT_STARTED
    assert _status(actual=None, att=None, ratio=None) is GoalStatus.NO_DATA
    assert _status(as_of=D("2024-07-01"), actual=100.0, att=1.0) is GoalStatus.ACHIEVED
    assert _status(as_of=D("2024-07-01"), att=0.99) is GoalStatus.MISSED
    assert _status(actual=120.0, att=1.2, ratio=2.4) is GoalStatus.ACHIEVED  # sum/up A ≥ T
    assert _status(ratio=0.95) is GoalStatus.ON_TRACK
    assert _status(ratio=0.9499) is GoalStatus.AT_RISK
    assert _status(ratio=0.80) is GoalStatus.AT_RISK
    assert _status(ratio=0.7999) is GoalStatus.OFF_TRACK
    custom = Thresholds(on_track=0.9, off_track=0.5)
    assert _status(ratio=0.91, thresholds=custom) is GoalStatus.ON_TRACK
    assert _status(ratio=0.6, thresholds=custom) is GoalStatus.AT_RISK


def test_goal_on_its_due_date_is_still_in_progress():
    # window ended means as-of after the due date
    assert _status(as_of=D("2024-06-30"), att=0.9, ratio=0.9) is GoalStatus.AT_RISK


def test_level_goal_is_not_achieved_early():
    # a rate above target in progress is on track, not achieved
    assert _status(sums=False, actual=0.06, target=0.05, att=1.2, ratio=1.2) is GoalStatus.ON_TRACK


def test_down_goal_with_zero_actual_counts_as_met():
    assert _status(as_of=D("2024-07-01"), actual=0.0, att=None, ratio=None, direction=DOWN,
                   sums=False) is GoalStatus.ACHIEVED


PLAN = """
title: 测试计划
owner: 王经理
period: {start: 2024-05-01, end: 2024-07-15}
phases:
  - {id: prep,   name: 筹备期, start: 2024-05-01, end: 2024-05-31}
  - {id: warmup, name: 预热期, start: 2024-06-01, end: 2024-06-05}
  - {id: burst,  name: 爆发期, start: 2024-06-06, end: 2024-06-15}
  - {id: wrapup, name: 收尾期, start: 2024-06-16, end: 2024-07-15}
goals:
  - id: G1
    name: 新增注册用户
    owner: 张经理
    metric: new_users
    target: 200000
    due: 2024-06-30
    breakdown: {by: region, targets: {华东: 80000, 华南: 70000, 华北: 50000}}
  - {id: G2, name: 搜索, owner: 李, metric: search_index, baseline: 1000, change: 0.3}
  - {id: G3, name: GMV, owner: 赵, metric: gmv, target: 1000, start: 2024-06-01, due: 2024-06-10,
     where: {channel: 电商}}
  - {id: G4, name: 阶段, owner: 赵, metric: new_users, target: 200000, due: 2024-06-30,
     pace: {prep: 0.05, warmup: 0.15, burst: 0.6, wrapup: 0.2}}
"""

ROWS = """
date,plan,metric,value,region,channel
2024-05-01,p,new_users,90000,华东,抖音
2024-06-15,p,new_users,40000,华南,抖音
2024-06-10,p,search_index,1400,,
2024-06-11,p,search_index,1500,,
2024-06-05,p,gmv,600,华东,电商
2024-06-05,p,gmv,900,华东,抖音
"""


def test_goal_with_breakdown_children_and_parent_on_all_rows():
    p = plan(PLAN)
    s = store(ROWS, "2024-06-15")
    g = evaluate_goal(p.goals[0], p, "p", s)
    assert g.actual == 130_000  # parent on all rows, not the sum of children
    # linear: window 05-01..06-30 is 61 days, 46 elapsed
    assert g.expected == pytest.approx(200_000 * 46 / 61)
    assert g.pace_ratio == pytest.approx(130_000 / (200_000 * 46 / 61))
    east, south, north = g.children
    assert (east.id, east.actual, east.status) == ("G1/华东", 90_000, GoalStatus.ACHIEVED)
    assert south.attainment == pytest.approx(40_000 / 70_000)
    assert south.expected == pytest.approx(70_000 * 46 / 61)
    assert north.status is GoalStatus.NO_DATA


def test_relative_goal_level_metric():
    p = plan(PLAN)
    g = evaluate_goal(p.goals[1], p, "p", store(ROWS, "2024-06-15"))
    assert g.target == pytest.approx(1300)
    assert g.actual == 1450
    assert g.attainment == pytest.approx(1.5)
    assert g.expected is None and g.pace_ratio == g.attainment
    assert g.status is GoalStatus.ON_TRACK


def test_goal_where_filter_and_ended_window():
    p = plan(PLAN)
    g = evaluate_goal(p.goals[2], p, "p", store(ROWS, "2024-06-15"))
    assert g.actual == 600 and g.status is GoalStatus.MISSED
    assert g.score == pytest.approx(0.6)  # ended: the score is the attainment


def test_goal_phase_pace_end_to_end():
    p = plan(PLAN)
    g = evaluate_goal(p.goals[3], p, "p", store(ROWS, "2024-06-10"))
    # 0.05 + 0.15 + 0.6 × 5/10 = 0.5 of the phases inside the window, whose shares sum to
    # 0.9 once wrapup is clipped to the due date 06-30: E = 200,000 × 0.5 / 0.9
    assert g.expected == pytest.approx(200_000 * 0.5 / 0.9)
    assert g.pace_ratio == pytest.approx(90_000 / (200_000 * 0.5 / 0.9))  # 0.81
    assert g.status is GoalStatus.AT_RISK


def test_goal_before_window_start_is_not_started():
    p = plan(PLAN)
    g = evaluate_goal(p.goals[2], p, "p", store(ROWS, "2024-05-20"))
    assert g.status is GoalStatus.NOT_STARTED and g.actual is None and g.score is None


@settings(max_examples=30, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 40), st.integers(0, 5000)), max_size=12, unique_by=lambda
                t: t[0]), st.integers(0, 60))
def test_no_rows_in_window_iff_no_data(rows, as_of_offset):
    """A started goal is `no_data` exactly when no row falls in its window up to as-of."""
    start = D("2024-06-01")
    csv = "date,plan,metric,value\n" + "".join(
        f"{start + dt.timedelta(days=d)},p,new_users,{v}\n" for d, v in rows)
    as_of = start + dt.timedelta(days=as_of_offset)
    p = plan(PLAN)
    g = evaluate_goal(p.goals[2].model_copy(update={"metric": "new_users", "where": None}),
                      p, "p", store(csv, as_of.isoformat()))
    window_end = min(D("2024-06-10"), as_of)
    has_rows = any(start + dt.timedelta(days=d) <= window_end for d, _ in rows)
    assert (g.status is GoalStatus.NO_DATA) == (not has_rows)
