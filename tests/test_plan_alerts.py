"""§5 plan status and health, risks and issues, §8 alerts and §9 period comparisons."""

from __future__ import annotations

import datetime as dt

import pytest

from generator.compute.alerts import complete_periods, rule_alert
from generator.compute.plan import evaluate_plan, health, risk_level, year_earlier
from generator.compute.results import GoalResult, GoalStatus, PlanStatus

from .conftest import plan, store

D = dt.date.fromisoformat

PLAN = """
title: 计划
owner: 王经理
period: {start: 2024-06-01, end: 2024-06-30}
goals:
  - {id: G1, name: 用户, owner: 张, metric: new_users, target: 3000}
  - {id: G2, name: GMV, owner: 李, metric: gmv, target: 1000, weight: 3}
tasks:
  - {id: T1, name: 素材, owner: 周, start: 2024-06-01, end: 2024-06-05, progress: 50,
     priority: high}
  - {id: T2, name: 投放, owner: 陈, start: 2024-06-06, end: 2024-06-20, depends_on: [T1]}
risks:
  - {id: R1, description: KOC取消, probability: medium, impact: high, mitigation: 备选}
  - {id: R2, description: 审核不过, probability: high, impact: high}
  - {id: R3, description: 小事, probability: low, impact: low, status: closed}
issues:
  - {id: I1, date: 2024-06-02, description: 驳回, impact: high, due: 2024-06-05, action: 改稿}
  - {id: I2, date: 2024-06-02, description: 已解决, due: 2024-06-05, resolved: 2024-06-06}
  - {id: I3, date: 2024-06-09, description: 未到期, due: 2024-06-30}
alerts:
  - {id: A1, rule: below, metric: ctr, value: 0.015, window: 7, action: 更换素材主图}
  - {id: A2, rule: above, metric: ctr, value: 0.5}
"""

ROWS = """
date,plan,metric,value
2024-06-01,p,new_users,100
2024-06-10,p,new_users,900
2024-06-10,p,gmv,520
2024-06-10,p,clicks,10
2024-06-10,p,impressions,1000
2024-06-01,p,clicks,100
2024-06-01,p,impressions,1000
"""


def _goal(status, score, weight=1.0):
    from .conftest import plan as mk

    g = mk("title: t\nowner: o\nperiod: {start: 2024-01-01, end: 2024-01-02}\n"
           f"goals: [{{id: G, name: n, owner: o, metric: m, target: 1, weight: {weight}}}]"
           ).goals[0]
    return GoalResult(id="G", goal=g, metric="m", target=1, baseline=None,
                      start=D("2024-01-01"), due=D("2024-01-02"), actual=1, attainment=1,
                      expected=1, pace_ratio=1, status=status, score=score)


def test_health_weights_caps_and_skips():
    goals = [_goal(GoalStatus.ON_TRACK, 2.0, 1), _goal(GoalStatus.AT_RISK, 0.9, 3),
             _goal(GoalStatus.NO_DATA, None, 5)]
    assert health(goals) == pytest.approx((1 * 1.2 + 3 * 0.9) / 4)
    assert health([_goal(GoalStatus.NOT_STARTED, None)]) is None


def test_plan_status_health_tasks_risks_issues_alerts():
    r = evaluate_plan(plan(PLAN), "p", "plans/p.yaml", store(ROWS, "2024-06-10"))
    g1, g2 = r.goals
    # 10 of 30 days: E1 = 1000, A1 = 1000 → on track; E2 = 333.3, A2 = 520 → on track
    assert g1.status is GoalStatus.ON_TRACK and g2.status is GoalStatus.ON_TRACK
    assert r.health == pytest.approx((1.0 + 3 * min(520 / (1000 / 3), 1.2)) / 4)
    assert r.status is PlanStatus.ON_TRACK
    assert [(x.id, x.score, x.level) for x in r.risks] == [
        ("R1", 6, "high"), ("R2", 9, "high"), ("R3", 1, "low")]
    assert [(i.id, i.open, i.overdue) for i in r.issues] == [
        ("I1", True, True), ("I2", False, False), ("I3", True, False)]
    codes = {(a.code, a.subject, a.severity.value) for a in r.alerts}
    assert ("task_delayed", "T1", "critical") in codes
    assert ("issue_overdue", "I1", "critical") in codes
    assert ("risk_unmitigated", "R2", "warning") in codes
    assert ("rule_below", "A1", "warning") in codes  # CTR 06-04..06-10 is 10 / 1000 = 1%
    assert not any(c[0] == "rule_above" for c in codes)
    assert r.alerts[0].severity.value == "critical"  # most severe first
    assert r.phase_now is None and r.elapsed == pytest.approx(10 / 30)


def test_plan_status_is_worst_goal_and_done_and_not_started():
    p = plan(PLAN)
    r = evaluate_plan(p, "p", "s", store(ROWS, "2024-05-01"))
    assert r.status is PlanStatus.NOT_STARTED
    r = evaluate_plan(p, "p", "s", store(ROWS, "2024-07-05"))
    assert r.status is PlanStatus.MISSED  # 1000 / 3000 users
    rows = ROWS + "2024-06-20,p,new_users,5000\n2024-06-20,p,gmv,5000\n"
    assert evaluate_plan(p, "p", "s", store(rows, "2024-07-05")).status is PlanStatus.DONE


def test_plan_with_tasks_only():
    text = PLAN.split("goals:")[0] + "tasks:" + PLAN.split("tasks:")[1].split("risks:")[0]
    r = evaluate_plan(plan(text), "p", "s", store(ROWS, "2024-06-10"))
    assert r.health is None and r.status is PlanStatus.OFF_TRACK  # T1 is delayed


def test_risk_levels():
    assert [risk_level(s) for s in (1, 2, 3, 4, 6, 9)] == [
        "low", "low", "medium", "medium", "high", "high"]


def test_complete_periods_months_and_weeks():
    assert complete_periods(D("2024-03-15"), "month", 3) == [
        (D("2023-12-01"), D("2023-12-31")), (D("2024-01-01"), D("2024-01-31")),
        (D("2024-02-01"), D("2024-02-29"))]
    assert complete_periods(D("2024-03-31"), "month", 1) == [(D("2024-03-01"), D("2024-03-31"))]
    # 2024-06-12 is a Wednesday: the last complete week is Mon 06-03..Sun 06-09
    assert complete_periods(D("2024-06-12"), "week", 2) == [
        (D("2024-05-27"), D("2024-06-02")), (D("2024-06-03"), D("2024-06-09"))]
    assert complete_periods(D("2024-06-09"), "week", 1) == [(D("2024-06-03"), D("2024-06-09"))]


CAC = """
date,plan,metric,value
2024-01-15,p,cost,10000
2024-01-15,p,new_users,100
2024-02-15,p,cost,12100
2024-02-15,p,new_users,100
2024-03-15,p,cost,14600
2024-03-15,p,new_users,100
"""


def test_rising_rule_worked_example():
    # CAC Jan 100, Feb 121, Mar 146: rising ≥ 20% for 2 months → fires (as of April)
    p = plan(PLAN + "  - {id: A3, rule: rising, metric: cac, by: 0.2, periods: 2, "
             "period: month, action: 启动渠道替换评估}\n")
    rule = p.alerts[-1]
    alert = rule_alert(rule, "p", store(CAC, "2024-04-10"))
    assert alert is not None and alert.code == "rule_rising" and alert.subject == "A3"
    assert alert.action == "启动渠道替换评估"
    # as of March 20 March is not complete: Dec has no rows → does not fire
    assert rule_alert(rule, "p", store(CAC, "2024-03-20")) is None
    # 25% needed: Mar is only +20.7%
    strict = rule.model_copy(update={"by": 0.25})
    assert rule_alert(strict, "p", store(CAC, "2024-04-10")) is None
    falling = rule.model_copy(update={"rule": "falling"})
    assert rule_alert(falling, "p", store(CAC, "2024-04-10")) is None


def test_trends_mom_and_yoy():
    rows = """
    date,plan,metric,value
    2024-06-04,p,new_users,100
    2024-06-10,p,new_users,200
    2024-05-30,p,new_users,150
    2023-06-05,p,new_users,60
    """
    r = evaluate_plan(plan(PLAN), "p", "s", store(rows, "2024-06-10"))
    t = r.trends[0]
    # last 7 days 06-04..06-10 = 300; previous 05-28..06-03 = 150; a year ago 60
    assert (t.metric, t.current, t.previous, t.year_ago) == ("new_users", 300, 150, 60)
    assert t.mom == pytest.approx(1.0) and t.yoy == pytest.approx(4.0)
    assert r.trends[1].yoy is None  # gmv has no rows a year ago


def test_year_earlier_leap_day():
    assert year_earlier(D("2024-02-29")) == D("2023-02-28")


def test_rising_rule_fires_at_exactly_by():
    p = plan(PLAN + "  - {id: A4, rule: rising, metric: new_users, by: 0.2, periods: 1, "
             "period: month}\n")
    rows = """
    date,plan,metric,value
    2024-01-10,p,new_users,10
    2024-02-10,p,new_users,12
    """
    alert = rule_alert(p.alerts[-1], "p", store(rows, "2024-03-01"))
    assert alert is not None and alert.code == "rule_rising"
