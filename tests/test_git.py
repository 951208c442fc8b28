"""Git-native workflow on real temporary repositories: `mxt diff`, past views."""

from __future__ import annotations

import json
import subprocess
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.diff import diff
from generator.views.changes import to_markdown

from .conftest import ROOT

METRICS = """
dimensions: [plan, channel]
metrics:
  new_users: {name: 新增用户, aggregation: sum}
"""

PLAN = """
title: 测试计划
owner: 王经理
period: {start: 2024-06-01, end: 2024-06-30}
description: 第一版说明
goals:
  - {id: G1, name: 新增用户, owner: 张, metric: new_users, target: 1000}
tasks:
  - {id: T1, name: 素材, owner: 周, start: 2024-06-01, end: 2024-06-05, progress: 100,
     actual_end: 2024-06-05}
  - {id: T2, name: 投放, owner: 陈, start: 2024-06-06, end: 2024-06-30, progress: 30}
"""


def rows(days: range, per_day: int) -> str:
    return "".join(f"2024-06-{d:02d},p,new_users,{per_day}\n" for d in days)


def sh(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True,
                          text=True).stdout


def commit(repo: Path, files: dict[str, str], message: str) -> str:
    for name, text in files.items():
        path = repo / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
        sh(repo, "add", name)
    sh(repo, "commit", "-q", "-m", message)
    return sh(repo, "rev-parse", "HEAD").strip()


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    repo.mkdir()
    sh(repo, "init", "-q", "-b", "main")
    sh(repo, "config", "user.name", "测试者")
    sh(repo, "config", "user.email", "t@example.invalid")
    header = "date,plan,metric,value\n"
    # 06-01..06-12 at 34/day: 408 by 06-12 against an expected 400 → on track
    commit(repo, {"data/metrics.yaml": METRICS, "plans/p.yaml": PLAN,
                  "data/rows.csv": header + rows(range(1, 11), 34)},
           "计划与前10天数据")
    commit(repo, {"data/rows.csv": header + rows(range(1, 13), 34),
                  "plans/p.yaml": PLAN.replace("end: 2024-06-30, progress: 30",
                                               "end: 2024-06-11, progress: 30")},
           "新增两天数据；投放计划提前到 6 月 11 日结束")
    commit(repo, {"plans/p.yaml": PLAN.replace("end: 2024-06-30, progress: 30",
                                               "end: 2024-06-11, progress: 30")
                  .replace("第一版说明", "第二版说明")}, "只改说明")
    return repo


def test_diff_names_exactly_the_changes(repo: Path):
    d = diff(repo, "HEAD~2", "HEAD~1")
    assert str(d.as_of) == "2024-06-12" and d.as_of_rule == "rule_head"
    (plan,) = d.plans
    # as of 06-12 the base has 340 of 400 expected (85%: at risk), the head 408 (on track)
    (goal,) = plan.goals
    assert goal.id == "G1" and (goal.status_before, goal.status_after) == ("at_risk", "on_track")
    assert goal.delta_points == pytest.approx((408 - 340) / 1000 * 100)
    assert [(t.id, t.status_before, t.status_after, t.slip_days) for t in plan.tasks] == [
        ("T2", "in_progress", "delayed", 1)]
    assert [(a.code, a.subject) for a in plan.alerts_added] == [("task_delayed", "T2")]
    assert plan.alerts_added[0].params.slip_days == 1  # the alert's facts travel whole
    assert [(a.code, a.subject) for a in plan.alerts_cleared] == [("goal_at_risk", "G1")]
    assert (plan.status_before, plan.status_after) == ("at_risk", "on_track")
    text = to_markdown(d)
    assert "有风险 → **正常**" in text and "+6.8 pts" in text and "T2" in text


def test_a_lowered_target_is_said_beside_the_progress_it_makes(repo: Path):
    """Lowering a target lifts attainment with no new figure: the diff names the target's
    change, in the table's words and in the JSON, so a reviewer sees why a goal moved."""
    plan = repo / "plans" / "p.yaml"
    plan.write_text(plan.read_text("utf-8").replace("target: 1000}", "target: 800}"), "utf-8")
    d = diff(repo, "HEAD", None)
    (goal,) = d.plans[0].goals
    assert (goal.target_before, goal.target_after) == (1000, 800) and goal.target_moved
    text = to_markdown(d)
    assert "- 🎯 目标值变更 G1 新增用户: 1,000 → **800**" in text
    assert "| 正常 | " in text  # an unchanged status is not shown as a move
    done = CliRunner().invoke(main, ["diff", "HEAD", "--format", "json", "--project",
                                     str(repo)])
    (entry,) = json.loads(done.stdout)["plans"][0]["goals"]
    assert entry["target"] == [1000, 800]


def test_description_only_commit_has_no_status_change(repo: Path):
    d = diff(repo, "HEAD~1", "HEAD")
    assert not d.changed and d.plans == []
    assert "无状态变化" in to_markdown(d)


def test_diff_against_the_work_tree_and_json(repo: Path):
    (repo / "plans" / "p.yaml").write_text(
        (repo / "plans" / "p.yaml").read_text("utf-8").replace("progress: 30", "progress: 100, "
                                                              "actual_end: 2024-06-11"), "utf-8")
    before = sh(repo, "status", "--porcelain")
    result = CliRunner().invoke(main, ["diff", "HEAD", "--format", "json", "--project",
                                       str(repo)])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["head"] == "work tree"
    (plan,) = doc["plans"]
    assert plan["tasks"] == [{"id": "T2", "from": "delayed", "to": "done", "slip_days": 0}]
    assert sh(repo, "status", "--porcelain") == before  # nothing checked out or touched


def test_unknown_revision_is_a_clear_error(repo: Path):
    result = CliRunner().invoke(main, ["diff", "nope", "--project", str(repo)])
    assert result.exit_code == 1
    assert "'nope' 不是本仓库中的提交" in result.output and "Traceback" not in result.output
    english = CliRunner().invoke(main, ["diff", "nope", "--lang", "en", "--project", str(repo)])
    assert "'nope' is not a commit in this repository" in english.output


@pytest.mark.slow
def test_past_as_of_reproduces_that_days_statuses(repo: Path):
    runner = CliRunner()
    sh(repo, "checkout", "-q", "HEAD~2")
    then = json.loads(runner.invoke(main, ["status", "--json", "--project", str(repo)]).stdout)
    sh(repo, "checkout", "-q", "main")
    (repo / "mkdocs.yml").write_text((ROOT / "mkdocs.yml").read_text("utf-8"), "utf-8")
    built = runner.invoke(main, ["build", "--no-pdf", "--as-of", "2024-06-10", "--project",
                                 str(repo)])
    assert built.exit_code == 0, built.output
    now = json.loads((repo / "site" / "status.json").read_text("utf-8"))
    assert then["as_of"] == now["as_of"] == "2024-06-10"
    # the site's status.json adds what only the history knows (re-baselining)
    history_keys = {"first_target", "target_changes"}
    site_goals = [{k: v for k, v in g.items() if k not in history_keys}
                  for g in now["plans"][0]["goals"]]
    assert then["plans"][0]["goals"] == site_goals


def test_change_log_lists_commits_with_their_status_effects(repo: Path):
    from generator import build

    computed = build.compute(repo)
    past = build.history(repo, computed)
    entries = past.entries["p"]
    assert [e.commit.message for e in entries] == [
        "只改说明", "新增两天数据；投放计划提前到 6 月 11 日结束", "计划与前10天数据"]
    assert all(e.commit.author == "测试者" for e in entries)
    newest, middle, first = entries
    assert not newest.change.status_moved and newest.change.goals == []  # a description edit
    # each commit is computed as of its own latest metric date: 340/1000 → 408/1000
    (goal,) = middle.change.goals
    assert goal.id == "G1" and goal.attainment_before == pytest.approx(0.34)
    assert goal.attainment_after == pytest.approx(0.408)
    assert (first.change.status_before, first.change.status_after) == (None, "on_track")
    assert [str(s.plan.as_of) for s in past.states["p"]] == [
        "2024-06-10", "2024-06-12", "2024-06-12"]
    # cached by content: a second run computes nothing new and gives the same answer
    cached = sorted((repo / ".cache" / "mxt" / "history").iterdir())
    assert build.history(repo, computed).entries["p"] == entries
    assert sorted((repo / ".cache" / "mxt" / "history").iterdir()) == cached


def test_plan_page_shows_the_change_log_and_history_chart(repo: Path):
    (repo / "mkdocs.yml").write_text((ROOT / "mkdocs.yml").read_text("utf-8"), "utf-8")
    result = CliRunner().invoke(main, ["build", "--no-pdf", "--project", str(repo)])
    assert result.exit_code == 0, result.output
    page = (repo / "site" / "plans" / "p" / "index.html").read_text("utf-8")
    assert "新增两天数据" in page and "测试者" in page and "34.0% → 40.8%" in page
    assert "history.svg" in page
