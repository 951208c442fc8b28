"""`mxt status` on the sample portfolio: golden status.json, the table, options, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator import SCHEMA_VERSION, __version__
from generator.cli import main

from .conftest import ROOT

GOLDEN = Path(__file__).parent / "golden" / "status.json"

SPEC_KEYS = {
    "plan": {"id", "title", "owner", "period", "status", "health", "goals", "tasks",
             "forecast_end", "budget", "risks", "issues", "alerts"},
    "goal": {"id", "metric", "target", "actual", "attainment", "expected", "pace_ratio",
             "status", "children"},
    "child": {"id", "target", "actual", "attainment", "expected", "pace_ratio", "status"},
    "task": {"id", "status", "progress", "slip_days", "critical", "total_float"},
    "budget": {"planned", "spent", "utilization", "reserve", "reserve_left", "unallocated",
               "status", "lines"},
    "line": {"id", "planned", "spent", "utilization", "forecast", "roi", "status"},
    "risk": {"id", "score", "level", "status"},
    "issue": {"id", "open", "overdue"},
    "alert": {"code", "severity", "subject", "message", "action"},
}


def run(*args: str):
    return CliRunner().invoke(main, [*args, "--project", str(ROOT)], catch_exceptions=False)


def test_status_json_matches_golden():
    """Refresh with `make golden` after an intended change, and review the diff."""
    result = run("status", "--json")
    assert result.exit_code == 0, result.output
    doc, golden = json.loads(result.stdout), json.loads(GOLDEN.read_text(encoding="utf-8"))
    assert doc.pop("mxt_version") == __version__  # the golden file's is the one it was made by
    golden.pop("mxt_version")
    assert doc == golden


def test_status_json_has_every_spec_key():
    doc = json.loads(run("status", "--json").stdout)
    assert set(doc) == {"schema_version", "mxt_version", "as_of", "plans"}
    assert doc["schema_version"] == SCHEMA_VERSION
    ids = [p["id"] for p in doc["plans"]]
    assert ids == sorted(ids) and len(ids) == 5
    for p in doc["plans"]:
        assert SPEC_KEYS["plan"] <= set(p)
        assert set(p["period"]) == {"start", "end"}
        for g in p["goals"]:
            assert SPEC_KEYS["goal"] <= set(g)
            for c in g["children"]:
                assert SPEC_KEYS["child"] <= set(c)
        for key, items in (("task", p["tasks"]), ("risk", p["risks"]),
                           ("issue", p["issues"]), ("alert", p["alerts"])):
            for item in items:
                assert SPEC_KEYS[key] <= set(item)
        if p["budget"] is not None:
            assert SPEC_KEYS["budget"] <= set(p["budget"])
            for line in p["budget"]["lines"]:
                assert SPEC_KEYS["line"] <= set(line)


def test_sample_portfolio_shows_every_status_and_alert_kind():
    """Every kind but risk_unmitigated, which would make `validate --strict` fail the demo."""
    doc = json.loads(run("status", "--json").stdout)
    goal_statuses = {g["status"] for p in doc["plans"] for g in p["goals"]} | {
        c["status"] for p in doc["plans"] for g in p["goals"] for c in g["children"]}
    assert goal_statuses >= {"achieved", "on_track", "at_risk", "off_track", "missed",
                             "not_started", "no_data"}
    task_statuses = {t["status"] for p in doc["plans"] for t in p["tasks"]}
    assert task_statuses >= {"done", "done_late", "delayed", "at_risk", "in_progress",
                             "not_started", "blocked", "cancelled"}
    codes = {a["code"] for p in doc["plans"] for a in p["alerts"]}
    assert codes >= {"goal_at_risk", "goal_off_track", "task_delayed", "task_at_risk",
                     "budget_over", "budget_overspent", "issue_overdue",
                     "data_stale", "budget_reallocation", "rule_below", "rule_rising"}


def test_status_table_in_chinese():
    result = run("status")
    assert result.exit_code == 0
    assert "数据截至: 2026-11-15" in result.stdout
    assert "新增注册用户" in result.stdout and "有风险" in result.stdout


def test_plan_filter_and_as_of():
    doc = json.loads(run("status", "--json", "--plan", "annual-2026",
                         "--as-of", "2026-06-30").stdout)
    assert doc["as_of"] == "2026-06-30"
    assert [p["id"] for p in doc["plans"]] == ["annual-2026"]


def test_unknown_plan_is_invalid_input():
    result = CliRunner().invoke(main, ["status", "--plan", "nope", "--project", str(ROOT)])
    assert result.exit_code == 1
    assert "plans/: 找不到 id 为 'nope' 的计划" in result.output  # the project speaks Chinese
    assert "Traceback" not in result.output
    result = CliRunner().invoke(main, ["status", "--plan", "nope", "--lang", "en",
                                       "--project", str(ROOT)])
    assert result.exit_code == 1
    assert "plans/: no plan has the id 'nope'" in result.output


def test_bad_option_is_usage_error():
    result = CliRunner().invoke(main, ["status", "--as-of", "June", "--project", str(ROOT)])
    assert result.exit_code == 2
    assert "expected a date YYYY-MM-DD" in result.output


def test_invalid_project_exits_1_with_located_message(spec_project):
    plan = spec_project / "plans" / "launch-2024q2.yaml"
    plan.write_text(plan.read_text(encoding="utf-8").replace("target: 200000", "target: TBD"),
                    encoding="utf-8")
    result = CliRunner().invoke(main, ["status", "--lang", "en", "--project", str(spec_project)])
    assert result.exit_code == 1
    assert "plans/launch-2024q2.yaml:26:13: goals[0] (G1).target: expected a number, got 'TBD'" \
        in result.output
    assert "Traceback" not in result.output


def test_python_dash_m_generator_is_mxt():
    out = subprocess.run([sys.executable, "-m", "generator", "status", "--json", "--plan",
                          "winback-2026h2", "--project", str(ROOT)],
                         capture_output=True, text=True, check=True)
    assert json.loads(out.stdout)["plans"][0]["id"] == "winback-2026h2"


def test_past_view_of_the_sample_plan_fact_by_fact():
    """§0: as of 2026-10-01 the launch plan shows what was true on that day, read against
    plans/launch-2026q3.yaml: nothing dated later counts."""
    doc = json.loads(run("status", "--json", "--plan", "launch-2026q3",
                         "--as-of", "2026-10-01").stdout)
    plan = doc["plans"][0]
    now = json.loads(run("status", "--json", "--plan", "launch-2026q3").stdout)["plans"][0]
    assert plan["goals"][0]["actual"] < now["goals"][0]["actual"]  # rows up to 10-01 only
    tasks = {t["id"]: t for t in plan["tasks"]}
    # M-07 ran 09-06..10-31: on 10-01 it was 26 of its 56 days in, not done
    assert tasks["M-07"]["status"] == "in_progress"
    assert tasks["M-07"]["progress"] == pytest.approx(100 * 26 / 56)
    # M-06 finished 09-05 (before): done, as written
    assert tasks["M-06"]["status"] == "done" and tasks["M-06"]["progress"] == 100
    # M-10 started 10-28 (after) and is planned from 10-25: not started, progress 0
    assert tasks["M-10"]["status"] == "not_started" and tasks["M-10"]["progress"] == 0
    # M-09 started 09-22 with progress 70 (undated: as written)
    assert tasks["M-09"]["status"] == "in_progress" and tasks["M-09"]["progress"] == 70
    # milestones: MS1, MS2 done in August; MS3 (10-20) not due yet, so not overdue
    ms = {m["id"]: m for m in plan["milestones"]}
    assert ms["MS2"]["done"] == "2026-08-21" and not ms["MS3"]["overdue"]
    # issues: I1 (08-18, resolved 08-20) exists and is closed; I2 (11-03) and I3 (11-05)
    # did not exist yet
    assert [(i["id"], i["open"]) for i in plan["issues"]] == [("I1", False)]
    # the one draw (09-12, 30,000) counts: reserve 2,300,000 × 8% − 30,000
    assert plan["budget"]["reserve_left"] == pytest.approx(184_000 - 30_000)
    codes = {(a["code"], a["subject"]) for a in plan["alerts"]}
    assert ("issue_overdue", "I2") not in codes and ("milestone_overdue", "MS3") not in codes
    # today, MS3 is overdue and I2, I3 exist
    assert {m["id"]: m["overdue"] for m in now["milestones"]}["MS3"] is True
    assert [i["id"] for i in now["issues"]] == ["I1", "I2", "I3"]


def test_past_view_leaves_out_later_draws_and_resolutions():
    """A draw dated after as-of is not drawn; an issue resolved later is still open."""
    doc = json.loads(run("status", "--json", "--plan", "double11-2026",
                         "--as-of", "2026-11-03").stdout)
    budget = doc["plans"][0]["budget"]
    assert budget["drawn"] == 0 and budget["reserve_left"] == budget["reserve"]
    after = json.loads(run("status", "--json", "--plan", "double11-2026",
                           "--as-of", "2026-11-04").stdout)["plans"][0]["budget"]
    assert after["drawn"] == 40_000
    resolved_later = json.loads(run("status", "--json", "--plan", "launch-2026q3",
                                    "--as-of", "2026-08-19").stdout)["plans"][0]["issues"]
    assert [(i["id"], i["open"]) for i in resolved_later] == [("I1", True)]
