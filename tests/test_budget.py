"""§7: budget lines, reserve and draws, forecast, ROI, statuses and reallocation."""

from __future__ import annotations

import pytest

from generator.compute.budget import evaluate_budget, line_status, round_to_hundred
from generator.compute.results import BudgetStatus

from .conftest import plan, store

PLAN = """
title: 预算
owner: 王
period: {start: 2024-06-01, end: 2024-06-30}
goals: [{id: G1, name: g, owner: o, metric: gmv, target: 1}]
budget:
  currency: CNY
  total: 300000
  contingency: 0.10
  overspend_alert: 0.08
  lines:
    - {id: B1, name: KOC合作费, planned: 120000, cost_metric: cost, where: {channel: 小红书},
       revenue_metric: gmv}
    - {id: B2, name: 信息流广告, planned: 100000, cost_metric: cost, where: {channel: 抖音},
       revenue_metric: gmv}
    - {id: B3, name: 线下物料, planned: 30000, spent: 12000}
  draws:
    - {date: 2024-06-08, amount: 10000, reason: 备选KOC费用}
"""

ROWS = """
date,plan,metric,value,channel
2024-06-05,p,cost,40000,小红书
2024-06-10,p,cost,20000,小红书
2024-06-10,p,gmv,600000,小红书
2024-06-12,p,cost,90000,抖音
2024-06-12,p,gmv,180000,抖音
"""


def test_lines_totals_reserve_and_unallocated():
    b = evaluate_budget(plan(PLAN), "p", store(ROWS, "2024-06-15"))
    b1, b2, b3 = b.lines
    assert (b1.spent, b2.spent, b3.spent) == (60000, 90000, 12000)
    assert b1.utilization == pytest.approx(0.5)
    assert b1.expected == pytest.approx(120000 * 15 / 30)
    assert b1.forecast == pytest.approx(60000 / 0.5)
    assert b1.roi == pytest.approx(10) and b2.roi == pytest.approx(2) and b3.roi is None
    assert b1.status is BudgetStatus.OK
    assert b2.status is BudgetStatus.AT_RISK  # forecast 180000 > 108000
    assert (b.planned, b.spent) == (250000, 162000)
    assert b.reserve == pytest.approx(30000) and b.reserve_left == pytest.approx(20000)
    assert b.unallocated == pytest.approx(20000)
    assert b.status is BudgetStatus.AT_RISK


def test_line_status_thresholds():
    assert line_status(109, 100, 109, 0.08) is BudgetStatus.OVERSPENT
    assert line_status(108, 100, 108, 0.08) is BudgetStatus.OVER
    assert line_status(100, 100, 200, 0.08) is BudgetStatus.AT_RISK
    assert line_status(100, 100, 108, 0.08) is BudgetStatus.OK


def test_reserve_overdrawn_makes_the_plan_overspent():
    text = PLAN.replace("amount: 10000", "amount: 40000")
    b = evaluate_budget(plan(text), "p", store(ROWS, "2024-06-30"))
    assert b.reserve_left == pytest.approx(-10000)
    assert b.status is BudgetStatus.OVERSPENT


def test_forecast_with_nothing_elapsed_is_spent():
    b = evaluate_budget(plan(PLAN), "p", store(ROWS, "2024-05-31"))
    assert [ln.forecast for ln in b.lines] == [0, 0, 12000]


def test_reallocation_from_low_to_high_roi_line():
    b = evaluate_budget(plan(PLAN), "p", store(ROWS, "2024-06-15"))
    # average ROI = 780000 / 150000 = 5.2; B1 10 ≥ 6.24 receives, B2 2 ≤ 4.16 gives
    (r,) = b.reallocations
    assert (r.giver, r.receiver) == ("B2", "B1")
    assert r.average_roi == pytest.approx(5.2)
    assert r.amount == 1000  # 10% of (100000 − 90000), rounded to 100


def test_no_reallocation_when_rois_are_close():
    # B2 ROI 6.67, B1 10, average 8: B1 ≥ 9.6 could receive but B2 > 6.4 gives nothing
    rows = ROWS.replace("180000,抖音", "600000,抖音")
    assert evaluate_budget(plan(PLAN), "p", store(rows, "2024-06-15")).reallocations == []
    rows = ROWS.replace("180000,抖音", "900000,抖音")  # B2 10, B1 10
    assert evaluate_budget(plan(PLAN), "p", store(rows, "2024-06-15")).reallocations == []


def test_rounding_to_hundred():
    assert round_to_hundred(1049.9) == 1000
    assert round_to_hundred(1050) == 1100
    assert round_to_hundred(0) == 0
