"""Time that tells the truth: as-of views (§0), plan status with children and objectives
(§5), plan_late / milestone_overdue (§6, §8), phase-paced budget lines (§7), the
reallocation sentence, goal forecasts end to end (§3) and re-baselining from history."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from generator.compute.asof import plan_as_of
from generator.compute.budget import evaluate_budget
from generator.compute.plan import evaluate_plan
from generator.compute.results import GoalStatus, PlanStatus, PortfolioResult, Reallocation
from generator.views.messages import alert_message, reallocation_text
from generator.views.plan import Formatter

from .conftest import plan, store
from .test_git import METRICS, commit, rows, sh

D = dt.date.fromisoformat

PAST = """
title: 过去
owner: 王
period: {start: 2024-06-01, end: 2024-06-30}
milestones:
  - {id: MS1, name: 上线, date: 2024-06-05, done: 2024-06-12}
tasks:
  - {id: T1, name: 开始晚, owner: 周, start: 2024-06-01, end: 2024-06-10,
     actual_start: 2024-06-12, actual_end: 2024-06-14}
  - {id: T2, name: 做到一半, owner: 周, start: 2024-06-01, end: 2024-06-10,
     actual_start: 2024-06-01, actual_end: 2024-06-20}
  - {id: T3, name: 已完成, owner: 周, start: 2024-06-01, end: 2024-06-05,
     actual_end: 2024-06-05}
budget:
  total: 100000
  contingency: 0.1
  lines: [{id: B1, name: 物料, planned: 50000, spent: 10000}]
  draws:
    - {date: 2024-06-03, amount: 2000}
    - {date: 2024-06-20, amount: 3000}
issues:
  - {id: I1, date: 2024-06-02, description: 早, due: 2024-06-04, resolved: 2024-06-15}
  - {id: I2, date: 2024-06-09, description: 晚, due: 2024-06-12}
"""


def test_as_of_view_leaves_out_every_later_dated_fact():
    p = plan_as_of(plan(PAST), D("2024-06-08"))
    t1, t2, t3 = p.tasks
    assert (t1.actual_start, t1.actual_end, t1.progress) == (None, None, 0)  # not started
    # 8 of the 20 actual days: progress 40, not finished
    assert t2.actual_end is None and t2.progress == pytest.approx(40)
    assert t3.actual_end == D("2024-06-05")  # before: as written
    assert p.milestones[0].done is None
    assert [(i.id, i.resolved) for i in p.issues] == [("I1", None)]
    assert [d.amount for d in p.budget.draws] == [2000]
    # nothing after as-of: the very same plan
    written = plan(PAST)
    assert plan_as_of(written, D("2024-06-30")) is written


def test_interpolated_progress_stays_below_100():
    p = plan_as_of(plan(PAST), D("2024-06-19"))
    assert p.tasks[1].progress == pytest.approx(95)  # 19 of 20 days
    # the day before it ends on a long task: 99, never 100
    long = plan(PAST.replace("actual_end: 2024-06-20", "actual_end: 2024-09-30"))
    assert plan_as_of(long, D("2024-09-29")).tasks[1].progress == pytest.approx(99)


def test_past_plan_result_alerts_and_reserve():
    result = evaluate_plan(plan(PAST), "p", "plans/p.yaml", store("date,plan,metric,value\n",
                                                                  "2024-06-08"))
    codes = {(a.code, a.subject) for a in result.alerts}
    assert ("milestone_overdue", "MS1") in codes  # due 06-05, done only on 06-12
    assert ("issue_overdue", "I1") in codes and result.budget.reserve_left == 8000
    assert [i.id for i in result.issues] == ["I1"]


STATUS = """
title: 状态
owner: 王
period: {start: 2024-06-01, end: 2024-06-30}
objectives:
  - {id: O1, name: 增长, goals: [G1, G2]}
  - {id: O2, name: 空, goals: []}
goals:
  - {id: G1, name: 新客, owner: 张, metric: new_users, target: 300, weight: 3,
     breakdown: {by: region, targets: {华东: 150, 华北: 150}}}
  - {id: G2, name: 成交, owner: 李, metric: gmv, target: 1000}
"""


def test_break_down_children_count_in_the_plan_status_and_objectives_are_scored():
    csv = "date,plan,metric,value,region\n" + "".join(
        f"2024-06-{d:02d},p,new_users,{v},{r}\n" for d in range(1, 16)
        for r, v in (("华东", 8), ("华北", 2)))
    csv += "".join(f"2024-06-{d:02d},p,gmv,40,\n" for d in range(1, 16))
    result = evaluate_plan(plan(STATUS), "p", "plans/p.yaml", store(csv, "2024-06-15"))
    g1, g2 = result.goals
    # the parent: 150 of 150 expected (on track); 华北 30 of 75 expected (off track)
    assert g1.status is GoalStatus.ON_TRACK
    assert {c.id: c.status for c in g1.children}["G1/华北"] is GoalStatus.OFF_TRACK
    assert g2.status is GoalStatus.ON_TRACK  # 600 of 500 expected: GMV ahead of pace
    assert result.status is PlanStatus.OFF_TRACK  # the child, not the parents, decides
    o1, o2 = result.objectives
    # score: weights 3 and 1, attainment 150/300 and 600/1000 (each capped at 1)
    assert o1.score == pytest.approx((3 * 0.5 + 1 * 0.6) / 4)
    assert o1.status is PlanStatus.OFF_TRACK and o1.goals == ["G1", "G2"]
    assert (o2.score, o2.status) == (None, None)


LATE = """
title: 排期
owner: 王
period: {start: 2024-06-01, end: 2024-06-20}
tasks:
  - {id: A, name: 准备, owner: 周, start: 2024-06-01, end: 2024-06-10, progress: 50}
  - {id: B, name: 执行, owner: 陈, start: 2024-06-11, end: 2024-06-18, depends_on: [A]}
  - {id: M, name: 发布, owner: 陈, start: 2024-06-19, end: 2024-06-19, milestone: true,
     depends_on: [B], priority: high}
"""


def test_plan_late_names_the_driving_chain_and_a_critical_milestone_is_critical():
    result = evaluate_plan(plan(LATE), "p", "plans/p.yaml",
                           store("date,plan,metric,value\n", "2024-06-20"))
    # A delayed at 50%: 5 days from 06-20 → 06-25; B 06-26..07-03; M 07-04
    assert result.forecast_end == D("2024-07-04") and result.late_days == 14
    assert result.driving_chain == ["A", "B", "M"]
    late = next(a for a in result.alerts if a.code == "plan_late")
    assert late.severity.value == "critical" and late.params.chain == ("A", "B", "M")
    assert "A 准备 → B 执行 → M 发布" in alert_message(late, "zh", {})
    overdue = next(a for a in result.alerts if a.code == "milestone_overdue")
    assert overdue.subject == "M" and overdue.severity.value == "critical"
    assert "1 days overdue" in alert_message(overdue, "en", {})


PACED = """
title: 节奏
owner: 王
period: {start: 2024-06-01, end: 2024-06-30}
phases:
  - {id: warm, name: 预热, start: 2024-06-01, end: 2024-06-20}
  - {id: burst, name: 爆发, start: 2024-06-21, end: 2024-06-30}
goals: [{id: G1, name: g, owner: o, metric: gmv, target: 1}]
budget:
  lines:
    - {id: B1, name: 信息流, planned: 100000, spent: 20000, pace: {warm: 0.2, burst: 0.8}}
    - {id: B2, name: 线性, planned: 100000, spent: 20000}
"""


def test_phase_paced_budget_line():
    b = evaluate_budget(plan(PACED), "p", store("date,plan,metric,value\n", "2024-06-20"))
    paced, linear = b.lines
    # 06-20: the warm-up is over (20% due); the burst has not begun
    assert paced.expected == pytest.approx(20000) and paced.forecast == pytest.approx(100000)
    assert paced.status.value == "ok"
    # read linearly the same spend is 2/3 of the expected and forecast to underspend
    assert linear.expected == pytest.approx(100000 * 20 / 30)
    assert linear.forecast == pytest.approx(20000 / (20 / 30))


def test_budget_pace_is_validated_like_a_goal_pace(spec_project: Path):
    from generator.build import check

    target = spec_project / "plans" / "launch-2024q2.yaml"
    text = target.read_text("utf-8")
    assert "planned: 120000," in text
    target.write_text(text.replace("planned: 120000,", "planned: 120000, pace: {nope: 0.5},",
                                   1), "utf-8")
    found = [p.format("en") for p in check(spec_project).errors]
    assert any("budget.lines[0] (B1).pace.nope" in f and "nope" in f for f in found), found
    assert any("budget.lines[0] (B1).pace" in f and "0.5" in f for f in found), found


def test_reallocation_sentence_says_what_is_left_when_too_little_to_move():
    common = dict(giver="B1", giver_name="小红书", giver_roi=1.0, receiver="B2",
                  receiver_name="私域", receiver_roi=7.0, average_roi=4.0)
    small = Reallocation(**common, amount=0, left=150)
    text = reallocation_text(small, "zh")
    assert "150" in text and "用完" not in text
    assert "150" in reallocation_text(small, "en") and "spent its budget" not in \
        reallocation_text(small, "en")
    assert "用完" in reallocation_text(Reallocation(**common, amount=0, left=0), "zh")
    assert "1,000" in reallocation_text(Reallocation(**common, amount=1000, left=10000), "zh")


FORECAST = """
title: 预测
owner: 王
period: {start: 2024-06-01, end: 2024-06-30}
goals:
  - {id: G1, name: 新客, owner: 张, metric: new_users, target: 3000}
  - {id: G2, name: 粉丝, owner: 张, metric: followers, target: 100}
"""


def test_goal_forecast_end_to_end_and_the_miss_alert():
    # 10/day for 20 days: 200 of 2,000 expected; the recent rate is 1/10 of the plan's
    csv = "date,plan,metric,value\n" + "".join(
        f"2024-06-{d:02d},p,new_users,10\n" for d in range(1, 21))
    csv += "".join(f"2024-06-{d:02d},p,followers,{50 + d}\n" for d in range(1, 21))
    result = evaluate_plan(plan(FORECAST), "p", "plans/p.yaml", store(csv, "2024-06-20"))
    g1, g2 = result.goals
    # r14 = 140 / 1,400 = 0.1: F = 200 + (3,000 − 2,000) × 0.1 = 300
    assert g1.forecast == pytest.approx(300)
    assert g1.forecast_low <= g1.forecast <= g1.forecast_high < 3000
    assert g1.forecast_attainment == pytest.approx(0.1)
    assert g1.forecast_miss
    miss = next(a for a in result.alerts if a.code == "goal_forecast_miss")
    assert miss.subject == "G1" and miss.severity.value == "warning"
    # a level goal: the forecast is the current value; no miss alert for levels
    assert g2.forecast == pytest.approx(70) and not g2.forecast_miss
    # but the plan's forecast card counts the goals whose 80% range reaches the target:
    # neither does, the level goal included (its range is far below 100)
    assert g1.forecast_in_reach is False
    assert g2.forecast_high < 100 and g2.forecast_in_reach is False
    portfolio = PortfolioResult(dt.date(2024, 6, 20), "zh", [result])
    card = next(c for c in Formatter(portfolio, "zh").cards(result) if c.label == "预测达成率")
    assert "0 / 2 个目标的 80% 预测区间够得着目标" in card.note
    # outside its window (ended) a goal has no forecast
    ended = evaluate_plan(plan(FORECAST), "p", "plans/p.yaml", store(csv, "2024-07-05"))
    assert ended.goals[0].forecast is None


BASELINE = """
title: 基线
owner: 王
period: {start: 2024-06-01, end: 2024-06-30}
goals: [{id: G1, name: 新客, owner: 张, metric: new_users, target: 250}]
"""


def _repo(tmp_path: Path, text: str) -> Path:
    """A git repository whose first commit has the plan `text` and five days of rows."""
    repo = tmp_path / "repo"
    repo.mkdir()
    sh(repo, "init", "-q", "-b", "main")
    sh(repo, "config", "user.name", "测试者")
    sh(repo, "config", "user.email", "t@example.invalid")
    data = "date,plan,metric,value\n" + rows(range(1, 6), 40)
    commit(repo, {"data/metrics.yaml": METRICS, "plans/p.yaml": text, "data/rows.csv": data},
           "first")
    return repo


def test_rebaselined_target_and_dates_come_from_history(tmp_path: Path):
    from generator import build

    text = """
    title: 基线
    owner: 王
    period: {start: 2024-06-01, end: 2024-06-30}
    goals: [{id: G1, name: 新客, owner: 张, metric: new_users, target: 2500}]
    tasks: [{id: T1, name: 投放, owner: 陈, start: 2024-06-01, end: 2024-06-20}]
    """
    repo = _repo(tmp_path, text)
    commit(repo, {"plans/p.yaml": text.replace("2500", "2000")}, "lower the target")
    commit(repo, {"plans/p.yaml": text.replace("2500", "2000").replace("end: 2024-06-20",
                                                                        "end: 2024-06-25")},
           "move the end")
    computed = build.compute(repo)
    baselines = build.history(repo, computed).baselines("p")
    (change,) = baselines.targets["G1"]
    assert (change.before, change.after) == (2500, 2000)
    assert change.commit.message == "lower the target"
    (dates,) = baselines.dates["T1"]
    assert (dates.end_before, dates.end_after) == (D("2024-06-20"), D("2024-06-25"))
    assert dates.commit.message == "move the end"


def test_site_status_json_carries_the_rebaselined_target(tmp_path: Path):
    """With the history (the site's status.json), a goal carries its first target and
    each change with its commit date; a lowered target never passes silently."""
    from generator import build
    from generator.render.status_json import document

    text = BASELINE
    repo = _repo(tmp_path, text)
    commit(repo, {"plans/p.yaml": text.replace("250", "200")}, "lower the target")
    computed = build.compute(repo)
    doc = document(computed.result, build.history(repo, computed))
    goal = doc["plans"][0]["goals"][0]
    assert goal["status"] == "achieved" and goal["target"] == 200
    assert goal["first_target"] == 250
    (change,) = goal["target_changes"]
    assert (change["from"], change["to"]) == (250, 200) and change["date"][:4] >= "2024"
    # without the history (status --json), the keys are absent
    assert "target_changes" not in document(computed.result)["plans"][0]["goals"][0]


@pytest.mark.slow
def test_report_command_shows_the_rebaselined_target(tmp_path: Path):
    """`mxt report` reads the history too: a lowered target is said in the PDF."""
    import io

    import pypdf

    from generator import build

    text = BASELINE
    repo = _repo(tmp_path, text)
    commit(repo, {"plans/p.yaml": text.replace("250", "200")}, "lower the target")
    data = build.report(repo, "p")
    pages = pypdf.PdfReader(io.BytesIO(data)).pages
    words = "".join((page.extract_text() or "") for page in pages).replace("\n", "")
    assert "250" in words and "调整为" in words


def test_change_log_says_new_rather_than_a_move_from_nothing():
    from generator.views.changes import _moved_text

    assert _moved_text("计划", None, "off_track", None, 0.895, "zh") == "计划: 新增 · 落后, 89.5%"
    assert "→" not in _moved_text("Plan", None, "on_track", None, 0.5, "en")
    assert _moved_text("G1", "on_track", "at_risk", 0.9, 0.85, "zh") == \
        "G1: 正常 → 有风险, 90.0% → 85.0%"
