"""Inputs that used to crash `status` after passing `validate`, or that YAML and a Chinese
keyboard make ambiguous: each is now a located problem, or simply works."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from generator import formula
from generator.cli import main

from .conftest import ROOT

EXAMPLE = ROOT / "tests" / "fixtures" / "spec_example"
PLAN = "plans/launch-2024q2.yaml"


def project(tmp_path: Path) -> Path:
    root = tmp_path / "p"
    shutil.copytree(EXAMPLE, root)
    return root


def run(root: Path, *args: str) -> Result:
    """`mxt ARGS --project ROOT`, messages in English (`--lang en`) where a command speaks."""
    lang = ["--lang", "en"] if args[0] in SPEAKING else []
    return CliRunner().invoke(main, [*args, *lang, "--project", str(root)])


SPEAKING = ("validate", "status", "build", "report", "diff")  # the commands with --lang


def add_metrics(root: Path, lines: list[str]) -> None:
    with (root / "data" / "metrics.yaml").open("a", encoding="utf-8") as f:
        f.write("\n".join(f"  {line}" for line in lines) + "\n")


def use_metric(root: Path, metric: str) -> None:
    """Point the plan's ROI goal at `metric`, so that status evaluates it."""
    plan = root / PLAN
    plan.write_text(plan.read_text("utf-8").replace("metric: roi", f"metric: {metric}"), "utf-8")


def test_a_csv_field_over_the_csv_module_limit_is_located(tmp_path: Path):
    root = project(tmp_path)
    (root / "data" / "stray.csv").write_text(
        'date,plan,metric,value\n2024-06-01,launch-2024q2,new_users,"5\n'
        + "x" * 140_000 + "\n2024-06-02,launch-2024q2,new_users,6\n", "utf-8")
    result = run(root, "validate")
    assert result.exit_code == 1
    assert "data/stray.csv:2: CSV syntax error: field larger than field limit" in result.output
    assert "internal error" not in result.output


def test_a_formula_of_two_thousand_characters_evaluates(tmp_path: Path):
    root = project(tmp_path)
    long = "gmv / cost" + " + 0" * 496
    assert 1900 < len(long) <= formula.MAX_LENGTH
    add_metrics(root, [f"roi_long: {{name: roi, format: ratio, formula: {long}}}"])
    use_metric(root, "roi_long")
    assert run(root, "validate").exit_code == 0
    status = run(root, "status", "--json")
    assert status.exit_code == 0, status.output
    plain = json.loads(run(project(tmp_path / "again"), "status", "--json").stdout)
    goal = lambda doc: next(g for g in doc["plans"][0]["goals"] if g["id"] == "G4")  # noqa: E731
    assert goal(json.loads(status.stdout))["actual"] == pytest.approx(goal(plain)["actual"])


def test_a_chain_of_two_hundred_derived_metrics_is_refused_once(tmp_path: Path):
    root = project(tmp_path)
    add_metrics(root, [f"c{i}: {{name: c{i}, formula: {'gmv' if i == 0 else f'c{i - 1}'} * 1}}"
                       for i in range(200)])
    use_metric(root, "c199")
    result = run(root, "validate")
    assert result.exit_code == 1
    lines = [x for x in result.output.splitlines() if "levels deep" in x]
    assert len(lines) == 1 and "metrics.c199.formula" in lines[0], result.output
    assert run(root, "status", "--json").exit_code == 1  # refused, not crashed


def test_overflow_gives_no_value_never_infinity(tmp_path: Path):
    assert formula.evaluate(formula.parse("a * a * a"), {"a": 1e200}) is None
    assert formula.evaluate(formula.parse("a / b"), {"a": 1e300, "b": 1e-300}) is None
    root = project(tmp_path)
    add_metrics(root, ["huge: {name: h, formula: gmv / cost * 1" + "0" * 309 + "}",
                       "big: {name: b, formula: gmv * 1" + "0" * 200 + " * 1" + "0" * 200 + "}"])
    result = run(root, "validate")
    assert result.exit_code == 1 and "metrics.huge.formula: number" in result.output
    assert "too large" in result.output
    (root / "data" / "metrics.yaml").write_text(
        (root / "data" / "metrics.yaml").read_text("utf-8").replace("  huge:", "  # huge:"),
        "utf-8")
    use_metric(root, "big")
    assert run(root, "validate").exit_code == 0
    status = run(root, "status", "--json")
    assert status.exit_code == 0, status.output
    goal = next(g for g in json.loads(status.stdout)["plans"][0]["goals"] if g["id"] == "G4")
    assert goal["actual"] is None and goal["status"] == "no_data"


@pytest.mark.parametrize("written", ["'yes'", "on", "no", "'1'", "'true'", "1"])
def test_a_boolean_field_takes_only_true_or_false(tmp_path: Path, written: str):
    root = project(tmp_path)
    plan = root / PLAN
    text = plan.read_text("utf-8")
    task = ("tasks:\n  - {id: MS, name: m, owner: o, start: 2024-06-10, end: 2024-06-10, "
            f"milestone: {written}}}\n")
    plan.write_text(text.replace("tasks:                       # 任务拆解与责任分配 (WBS)\n",
                                 task, 1), "utf-8")
    result = run(root, "validate")
    assert result.exit_code == 1, result.output
    assert ".milestone: expected true or false" in result.output


def test_infinite_numbers_are_refused(tmp_path: Path):
    root = project(tmp_path)
    plan = root / PLAN
    plan.write_text(plan.read_text("utf-8").replace("target: 200000", "target: .inf", 1),
                    "utf-8")
    result = run(root, "validate")
    assert result.exit_code == 1 and "target: expected a finite number" in result.output


def test_a_full_width_colon_is_named_where_it_was_typed(tmp_path: Path):
    root = project(tmp_path)
    plan = root / PLAN
    lines = plan.read_text("utf-8").splitlines()
    n = next(i for i, line in enumerate(lines) if line.startswith("owner:"))
    lines[n] = lines[n].replace("owner:", "owner：", 1)
    plan.write_text("\n".join(lines) + "\n", "utf-8")
    result = run(root, "validate")
    assert result.exit_code == 1
    assert f"{PLAN}:{n + 1}:6: owner: full-width colon '：'" in result.output


def test_a_full_width_comma_in_a_flow_list_is_named(tmp_path: Path):
    root = project(tmp_path)
    plan = root / PLAN
    text = plan.read_text("utf-8")
    n = next(i for i, line in enumerate(text.splitlines()) if line.lstrip().startswith("- {id: B1"))
    line = text.splitlines()[n]
    plan.write_text(text.replace(line, line.replace(", name:", "， name:", 1)), "utf-8")
    result = run(root, "validate")
    assert result.exit_code == 1
    assert f"{PLAN}:{n + 1}:" in result.output and "full-width comma '，'" in result.output


def _schema_errors(plan: dict) -> list[str]:
    import jsonschema

    schema = json.loads((ROOT / "schema" / "plan.schema.json").read_text("utf-8"))
    return [e.message for e in jsonschema.Draft202012Validator(schema).iter_errors(plan)]


BASE = {"title": "t", "owner": "o", "period": {"start": "2024-01-01", "end": "2024-02-01"}}
GOAL = {"id": "G1", "name": "g", "owner": "o", "metric": "m"}
TASK = {"id": "T1", "name": "t", "owner": "o", "start": "2024-01-01", "end": "2024-01-02"}


@pytest.mark.parametrize(("fields", "valid"), [
    ({"target": 1}, True), ({"baseline": 1, "change": 0.3}, True),
    ({"baseline": 1, "target": 2}, True), ({}, False), ({"change": 0.3}, False),
    ({"baseline": 1}, False), ({"baseline": 1, "change": 0.3, "target": 2}, False),
    ({"target": 1, "change": 0.3}, False),
])
def test_the_schema_says_which_targets_a_goal_may_have(fields: dict, valid: bool):
    assert (_schema_errors({**BASE, "goals": [{**GOAL, **fields}]}) == []) is valid


@pytest.mark.parametrize(("task", "valid"), [
    ({"progress": 0}, True), ({"progress": 100}, True), ({"progress": 101}, False),
    ({"progress": -1}, False), ({"owner": ""}, False), ({"milestone": "yes"}, False),
])
def test_the_schema_bounds_task_fields(task: dict, valid: bool):
    assert (_schema_errors({**BASE, "tasks": [{**TASK, **task}]}) == []) is valid


def test_the_schema_asks_for_a_goal_or_task_and_complete_lines_and_rules():
    assert _schema_errors(BASE) != []
    line = {"id": "B1", "name": "b", "planned": 1}
    with_lines = {**BASE, "tasks": [TASK], "budget": {"lines": [{**line, "spent": 1}]}}
    assert _schema_errors(with_lines) == []
    assert _schema_errors({**with_lines, "budget": {"lines": [line]}}) != []
    rule = {"id": "A1", "metric": "m", "rule": "below"}
    assert _schema_errors({**BASE, "tasks": [TASK], "alerts": [rule]}) != []
    assert _schema_errors({**BASE, "tasks": [TASK], "alerts": [{**rule, "value": 1}]}) == []


def test_one_typo_in_the_dictionary_is_one_error(tmp_path: Path):
    root = project(tmp_path)
    dictionary = root / "data" / "metrics.yaml"
    dictionary.write_text(dictionary.read_text("utf-8").replace(
        "aggregation: sum           # sum", "agregation: sum           # sum", 1), "utf-8")
    result = run(root, "validate")
    assert result.exit_code == 1
    assert result.output.splitlines()[:-1] == [
        "data/metrics.yaml:9:5: metrics.new_users.agregation: unknown field 'agregation' "
        "(did you mean 'aggregation'?)"]


def test_an_unreadable_dictionary_comes_first_and_folds_what_follows(tmp_path: Path):
    root = project(tmp_path)
    dictionary = root / "data" / "metrics.yaml"
    dictionary.write_text(dictionary.read_text("utf-8").replace("metrics:", "metrics: [", 1),
                          "utf-8")
    lines = run(root, "validate").output.splitlines()
    assert lines[0].startswith("data/metrics.yaml:") and "YAML syntax error" in lines[0]
    assert "errors in 2 other files that follow from it" in lines[1], lines
    assert not any(line.startswith(("plans/", "data/june")) for line in lines), lines


def test_a_cycle_is_reported_with_the_field_errors_of_its_tasks(tmp_path: Path):
    root = project(tmp_path)
    plan = root / PLAN
    tasks = ("tasks:\n  - {id: C1, name: a, owner: o, start: 2024-06-01, end: 2024-06-02, "
             "depends_on: [C2], progress: lots}\n"
             "  - {id: C2, name: b, owner: o, start: 2024-06-03, end: 2024-06-04, "
             "depends_on: [C1]}\n")
    plan.write_text(plan.read_text("utf-8").replace(
        "tasks:                       # 任务拆解与责任分配 (WBS)\n", tasks, 1), "utf-8")
    output = run(root, "validate").output
    assert "dependency cycle: C1 → C2 → C1" in output
    assert "(C1).progress: expected a number, got 'lots'" in output


def test_repeated_problems_are_capped_and_counted(tmp_path: Path):
    root = project(tmp_path)
    plan = root / PLAN
    plan.write_text(plan.read_text("utf-8") + "".join(f"x{i:06d}: 1\n" for i in range(50_000)),
                    "utf-8")
    result = run(root, "validate")
    lines = result.output.splitlines()
    assert len(lines) < 30 and len(result.output) < 10_000
    assert any("… and 49,980 more like 'unknown field' from here on" in x for x in lines)


def test_dates_far_from_now_are_refused_where_they_are_written(tmp_path: Path):
    root = project(tmp_path)
    usage = run(root, "status", "--json", "--as-of", "0001-01-01")
    assert usage.exit_code == 2 and "from 1900-01-01 to 2999-12-31" in usage.output
    plan = root / PLAN
    plan.write_text(plan.read_text("utf-8").replace("end: 2024-07-15", "end: 9999-12-31", 1),
                    "utf-8")
    with (root / "data" / "june.csv").open("a", encoding="utf-8") as f:
        f.write("0001-01-01,launch-2024q2,new_users,5,华东,抖音,x\n")
    result = run(root, "validate")
    assert result.exit_code == 1, result.output
    assert "expected a date from 1900-01-01 to 2999-12-31, got '9999-12-31'" in result.output
    assert "data/june.csv" in result.output and "'0001-01-01'" in result.output


def test_figures_beyond_a_quadrillion_are_a_unit_mistake(tmp_path: Path):
    root = project(tmp_path)
    plan = root / PLAN
    plan.write_text(plan.read_text("utf-8").replace("target: 200000", "target: 1e308", 1),
                    "utf-8")
    with (root / "data" / "june.csv").open("a", encoding="utf-8") as f:
        f.write("2024-06-20,launch-2024q2,gmv,1e308,华东,抖音,x\n")
    result = run(root, "validate")
    assert result.exit_code == 1
    assert "target: input should be less than or equal to 1000000000000000" in result.output
    assert "a number beyond ±1e15" in result.output


def test_a_quotient_too_large_for_a_float_is_no_value():
    from generator.compute.goals import attainment, ratio
    from generator.model import Direction

    assert ratio(1e15, 1e-300) is None and ratio(1.0, 0.0) is None and ratio(3.0, 2.0) == 1.5
    assert attainment(1e15, 1e-300, Direction.UP) is None
