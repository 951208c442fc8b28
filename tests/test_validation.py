"""`mxt validate`: every error and warning kind of the spec, located as the spec says.

Each test builds a small project in `tmp_path` from fixture files named after the
case (`tests/fixtures/invalid/`) plus the spec example's metric dictionary, runs
`pipeline.check` and pins where each problem is reported (file, line, column,
path inside the document) and the key part of its message.

Tests marked `xfail(strict=True)` describe behaviour the spec asks for that the
code does not have yet (the reason starts with "BUG:"). They fail loudly once the
code is fixed, so the marker is removed together with the fix.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import re
import shutil
import signal
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from generator import build as pipeline
from generator import yamldoc
from generator.cli import main
from generator.errors import Problem, Severity

FIXTURES = Path(__file__).parent / "fixtures"
INVALID = FIXTURES / "invalid"
EXAMPLE = FIXTURES / "spec_example"
EXAMPLE_PLAN = "launch-2024q2.yaml"

ERROR, WARNING = Severity.ERROR, Severity.WARNING


# --------------------------------------------------------------------------- helpers


def make_project(root: Path, plans: Iterable[str] = (), csvs: Iterable[str | tuple[str, str]] = (),
                 metrics: str | None = None, example_plan: bool = False,
                 extra: dict[str, bytes] | None = None) -> Path:
    """A project folder: the example dictionary (or a fixture one), fixture plans and CSVs.

    `csvs` entries are a fixture name (copied to `data/<name>`) or `(name, dest)` with
    `dest` relative to `data/`; `extra` maps project-relative paths to raw bytes.
    """
    (root / "plans").mkdir(parents=True, exist_ok=True)
    (root / "data").mkdir(exist_ok=True)
    dictionary = INVALID / metrics if metrics else EXAMPLE / "data" / "metrics.yaml"
    shutil.copy(dictionary, root / "data" / "metrics.yaml")
    if example_plan:
        shutil.copy(EXAMPLE / "plans" / EXAMPLE_PLAN, root / "plans" / EXAMPLE_PLAN)
    for name in plans:
        shutil.copy(INVALID / name, root / "plans" / name)
    for entry in csvs:
        name, dest = (entry, entry) if isinstance(entry, str) else entry
        target = root / "data" / dest
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(INVALID / name, target)
    for rel, data in (extra or {}).items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(data)
    return root


def check(root: Path, as_of: dt.date | None = None, **kw: Any) -> pipeline.Checked:
    """Build the project described by `kw` under `root` and check it."""
    return pipeline.check(make_project(root, **kw), as_of)


def listing(problems: Iterable[Problem]) -> str:
    """All problems, one per line, for assertion messages."""
    return "\n".join(f"{p.format()}  [{p.severity.value}]" for p in problems) or "(no problems)"


def bare(path: str) -> str:
    """A document path without the ids shown beside list indexes: `tasks[9].end`."""
    return re.sub(r"\] \([^)]*\)", "]", path)


def find(checked: pipeline.Checked, file: str, path: str, text: str,
         severity: Severity = ERROR) -> Problem:
    """The one problem of `file` at `path` (ids beside indexes aside) whose message contains
    `text`; the ids themselves are checked by test_a_list_item_is_named_by_its_id."""
    found = [p for p in checked.problems if p.file == file and bare(p.path) == path
             and text in p.message and p.severity is severity]
    assert len(found) == 1, (f"expected one {severity.value} at {file} {path!r} containing "
                             f"{text!r}, got:\n{listing(checked.problems)}")
    return found[0]


def assert_problem(checked: pipeline.Checked, file: str, line: int | None, col: int | None,
                   path: str, text: str, severity: Severity = ERROR) -> Problem:
    """A problem with this file, path and message part is reported at line:col."""
    p = find(checked, file, path, text, severity)
    assert (p.line, p.col) == (line, col), f"wrong position: {p.format()}"
    return p


def of_file(checked: pipeline.Checked, file: str, severity: Severity | None = None
            ) -> list[Problem]:
    """Problems located in `file` (optionally only of one severity)."""
    return [p for p in checked.problems
            if p.file == file and (severity is None or p.severity is severity)]


def plan_file(name: str) -> str:
    return f"plans/{name}"


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise TimeoutError in the test if the block runs longer than `seconds`."""
    def _expired(signum: int, frame: Any) -> None:
        raise TimeoutError(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, _expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def padded_plan(min_bytes: int) -> bytes:
    """A valid small plan followed by comment lines up to `min_bytes`."""
    head = (INVALID / "plan_with_progress_120.yaml").read_bytes().replace(b"120", b"50")
    line = b"# " + b"x" * 1022 + b"\n"
    return head + line * (min_bytes // len(line) + 1)


# --------------------------------------------------------------------------- baseline


def test_spec_example_is_valid(tmp_path: Path) -> None:
    checked = pipeline.check(make_project(tmp_path, example_plan=True,
                                          extra={"data/june.csv":
                                                 (EXAMPLE / "data" / "june.csv").read_bytes()}))
    assert checked.problems == [], listing(checked.problems)
    assert [p.id for p in checked.project.plans] == ["launch-2024q2"]
    assert len(checked.rows) == 10


# --------------------------------------------------------------------------- YAML syntax


def test_yaml_syntax_error_is_located_and_refuses_the_file(tmp_path: Path) -> None:
    name = "plan_with_yaml_syntax_error.yaml"
    checked = check(tmp_path, plans=[name])
    p = assert_problem(checked, plan_file(name), 3, 11, "", "YAML syntax error")
    assert "mapping values are not allowed" in p.message
    assert of_file(checked, plan_file(name)) == [p]
    assert checked.project.plans == []


def test_tab_indentation_is_a_located_syntax_error(tmp_path: Path) -> None:
    name = "plan_with_tab_indentation.yaml"
    checked = check(tmp_path, plans=[name])
    p = assert_problem(checked, plan_file(name), 5, 1, "", "YAML syntax error")
    assert of_file(checked, plan_file(name)) == [p]


def test_tab_indentation_message_names_the_tab(tmp_path: Path) -> None:
    name = "plan_with_tab_indentation.yaml"
    checked = check(tmp_path, plans=[name])
    [p] = of_file(checked, plan_file(name))
    assert "tab" in p.message.lower()


# --------------------------------------------------------------------------- types and fields


def test_wrong_type_names_file_line_column_path_and_value(tmp_path: Path) -> None:
    name = "plan_with_target_tbd.yaml"
    checked = check(tmp_path, plans=[name])
    p = find(checked, plan_file(name), "goals[2].target", "expected a number")
    assert p.format() == ("plans/plan_with_target_tbd.yaml:12:13: goals[2] (G3).target: "
                          "expected a number, got 'TBD'")


def test_missing_required_fields(tmp_path: Path) -> None:
    name = "plan_with_missing_required_fields.yaml"
    checked = check(tmp_path, plans=[name])
    assert_problem(checked, plan_file(name), 2, 1, "", "missing required field 'title'")
    assert_problem(checked, plan_file(name), 6, 5, "tasks[1]", "missing required field 'owner'")
    assert len(of_file(checked, plan_file(name))) == 2, listing(checked.problems)


def test_unknown_field_is_an_error_with_did_you_mean(tmp_path: Path) -> None:
    name = "plan_with_unknown_field_typo.yaml"
    checked = check(tmp_path, plans=[name])
    assert_problem(checked, plan_file(name), 3, 1, "ownr",
                   "unknown field 'ownr' (did you mean 'owner'?)")
    assert_problem(checked, plan_file(name), 10, 5, "tasks[0].ends",
                   "unknown field 'ends' (did you mean 'end'?)")
    # the typo does not vanish: the real field is reported missing too
    find(checked, plan_file(name), "", "missing required field 'owner'")
    find(checked, plan_file(name), "tasks[0]", "missing required field 'end'")


def test_bad_dates(tmp_path: Path) -> None:
    name = "plan_with_bad_dates.yaml"
    checked = check(tmp_path, plans=[name])
    assert_problem(checked, plan_file(name), 9, 12, "tasks[0].start",
                   "expected a date YYYY-MM-DD, got '2024/05/01'")
    assert_problem(checked, plan_file(name), 10, 10, "tasks[0].end",
                   "'2024-06-31' is not a date that exists (day is out of range for month)")


def test_date_time_and_timestamp_are_not_dates(tmp_path: Path) -> None:
    name = "plan_with_non_iso_dates.yaml"
    checked = check(tmp_path, plans=[name])
    assert_problem(checked, plan_file(name), 9, 12, "tasks[0].start", "expected a date YYYY-MM-DD")
    assert_problem(checked, plan_file(name), 10, 10, "tasks[0].end", "expected a date YYYY-MM-DD")


# --------------------------------------------------------------------------- start after end


@pytest.mark.parametrize(("name", "line", "col", "path", "text"), [
    ("plan_with_period_start_after_end.yaml", 5, 10, "period.start",
     "start 2024-07-15 is after end 2024-05-01"),
    ("plan_with_task_start_after_end.yaml", 10, 12, "tasks[1].start",
     "start 2024-05-20 is after end 2024-05-11"),
    ("plan_with_goal_start_after_due.yaml", 11, 12, "goals[0].start",
     "start 2024-06-20 is after due 2024-06-10"),
])
def test_start_after_end(tmp_path: Path, name: str, line: int, col: int, path: str,
                         text: str) -> None:
    checked = check(tmp_path, plans=[name])
    assert_problem(checked, plan_file(name), line, col, path, text)


def test_goal_window_outside_the_period(tmp_path: Path) -> None:
    name = "plan_with_goal_window_outside_period.yaml"
    checked = check(tmp_path, plans=[name])
    p = assert_problem(checked, plan_file(name), 11, 10, "goals[0].due",
                       "is outside the plan period")
    assert "2024-08-31" in p.message


# --------------------------------------------------------------------------- duplicates


def test_duplicate_plan_id_across_files(tmp_path: Path) -> None:
    first, second = "plan_duplicate_id_first.yaml", "plan_duplicate_id_second.yaml"
    checked = check(tmp_path, plans=[first, second])
    p = assert_problem(checked, plan_file(second), 5, 1, "id", "duplicate plan id 'q2-launch'")
    assert plan_file(first) in p.message  # names the other file
    assert of_file(checked, plan_file(first)) == []


def test_duplicate_item_ids_inside_a_plan(tmp_path: Path) -> None:
    name = "plan_with_duplicate_item_ids.yaml"
    checked = check(tmp_path, plans=[name])
    assert_problem(checked, plan_file(name), 11, 10, "tasks[1].id",
                   "duplicate id 'T1' (already used at tasks[0])")
    assert_problem(checked, plan_file(name), 8, 10, "strategies[0].id",
                   "duplicate id 'G1' (already used at goals[0])")


def test_duplicate_yaml_key_names_both_lines(tmp_path: Path) -> None:
    name = "plan_with_duplicate_yaml_key.yaml"
    checked = check(tmp_path, plans=[name])
    assert_problem(checked, plan_file(name), 11, 5, "tasks[0].owner",
                   "duplicate key 'owner' (first defined on line 8)")


# --------------------------------------------------------------------------- references


@pytest.mark.parametrize(("name", "line", "col", "path", "text"), [
    ("plan_with_missing_goal_reference.yaml", 6, 38, "objectives[0].goals[1]",
     "no goal has the id 'G9'"),
    ("plan_with_missing_goal_reference.yaml", 12, 17, "strategies[0].goals[1]",
     "no goal has the id 'G9'"),
    ("plan_with_missing_task_reference.yaml", 12, 22, "tasks[1].depends_on[1]",
     "no task has the id 'T9'"),
    ("plan_with_missing_task_reference.yaml", 14, 58, "issues[0].task",
     "no task has the id 'T8'"),
    ("plan_with_missing_phase_reference.yaml", 15, 79, "tasks[0].phase",
     "no phase has the id 'warmup'"),
    ("plan_with_missing_phase_reference.yaml", 13, 30, "goals[0].pace.burst",
     "no phase has the id 'burst'"),
    ("plan_with_missing_strategy_reference.yaml", 13, 15, "tasks[0].strategy",
     "no strategy has the id 'S2'"),
    ("plan_with_missing_metric_reference.yaml", 9, 13, "goals[0].metric",
     "no metric in data/metrics.yaml has the id 'new_user' (did you mean 'new_users'?)"),
    ("plan_with_missing_metric_reference.yaml", 14, 58, "budget.lines[0].cost_metric",
     "has the id 'costs' (did you mean 'cost'?)"),
    ("plan_with_missing_metric_reference.yaml", 16, 35, "alerts[0].metric",
     "has the id 'ctrr' (did you mean 'ctr'?)"),
    ("plan_with_missing_risk_reference.yaml", 11, 63, "budget.draws[0].risk",
     "no risk has the id 'R9'"),
    ("plan_with_missing_dimension_reference.yaml", 11, 19, "goals[0].where.city",
     "'city' is not a declared dimension"),
    ("plan_with_missing_dimension_reference.yaml", 13, 11, "goals[0].breakdown.by",
     "'province' is not a declared dimension"),
])
def test_reference_to_a_missing_item(tmp_path: Path, name: str, line: int, col: int, path: str,
                                     text: str) -> None:
    checked = check(tmp_path, plans=[name])
    assert_problem(checked, plan_file(name), line, col, path, text)


def test_dependency_cycle_prints_the_cycle(tmp_path: Path) -> None:
    name = "plan_with_dependency_cycle.yaml"
    checked = check(tmp_path, plans=[name])
    cycles = [p for p in checked.errors if "dependency cycle" in p.message]
    assert len(cycles) == 1, listing(checked.problems)
    p = cycles[0]
    assert (p.file, p.line, p.col, p.path) == (plan_file(name), 6, 84, "tasks[0] (T1).depends_on")
    walk = p.message.split("dependency cycle: ", 1)[1].split(" → ")
    assert walk[0] == walk[-1] and sorted(walk[:-1]) == ["T1", "T2", "T3"]
    depends_on = {"T1": "T3", "T2": "T1", "T3": "T2"}
    assert all(depends_on[a] == b for a, b in itertools.pairwise(walk)), p.message


# --------------------------------------------------------------------------- tasks


def test_task_with_a_list_of_owners(tmp_path: Path) -> None:
    name = "plan_with_task_owner_list.yaml"
    checked = check(tmp_path, plans=[name])
    p = assert_problem(checked, plan_file(name), 8, 12, "tasks[0].owner",
                       "expected exactly one owner")
    assert "陈专员, 刘文案" in p.message


def test_progress_above_100(tmp_path: Path) -> None:
    name = "plan_with_progress_120.yaml"
    checked = check(tmp_path, plans=[name])
    assert_problem(checked, plan_file(name), 11, 15, "tasks[0].progress",
                   "progress must be within 0-100, got 120")


# --------------------------------------------------------------------------- phases and pace


def test_phase_outside_the_period(tmp_path: Path) -> None:
    name = "plan_with_phase_outside_period.yaml"
    checked = check(tmp_path, plans=[name])
    assert_problem(checked, plan_file(name), 7, 5, "phases[1]",
                   "phase 'wrapup' 2024-06-01..2024-07-31 is outside the plan period "
                   "2024-05-01..2024-07-15")
    assert len(checked.errors) == 1, listing(checked.problems)


def test_overlapping_phases_but_touching_is_fine(tmp_path: Path) -> None:
    name = "plan_with_overlapping_phases.yaml"
    checked = check(tmp_path, plans=[name])
    assert_problem(checked, plan_file(name), 7, 36, "phases[1].start",
                   "phase 'warmup' starts 2024-05-31, inside phase 'prep'")
    assert len(checked.errors) == 1, listing(checked.problems)  # burst only touches warmup


def test_every_phase_overlapping_a_long_phase_is_reported(tmp_path: Path) -> None:
    name = "plan_with_phases_overlapping_a_long_phase.yaml"
    checked = check(tmp_path, plans=[name])
    assert_problem(checked, plan_file(name), 7, 34, "phases[1].start", "inside phase 'main'")
    assert_problem(checked, plan_file(name), 8, 34, "phases[2].start", "inside phase 'main'")


def test_pace_shares_must_sum_to_one_within_tolerance(tmp_path: Path) -> None:
    name = "plan_with_pace_not_summing_to_one.yaml"
    checked = check(tmp_path, plans=[name])
    assert_problem(checked, plan_file(name), 14, 11, "goals[0].pace",
                   "pace shares add up to 0.9, not 1")
    assert not [p for p in checked.errors if p.path.startswith("goals[1]")], \
        listing(checked.problems)  # 0.9995 is within ±0.001


# --------------------------------------------------------------------------- YAML safety


def test_anchors_and_aliases_are_refused(tmp_path: Path) -> None:
    name = "plan_with_yaml_anchor_alias.yaml"
    checked = check(tmp_path, plans=[name])
    p = assert_problem(checked, plan_file(name), 5, 11, "", "anchors and aliases")
    assert of_file(checked, plan_file(name)) == [p]
    assert checked.project.plans == []


def test_billion_laughs_is_refused_quickly(tmp_path: Path) -> None:
    name = "plan_billion_laughs.yaml"
    make_project(tmp_path, plans=[name])
    began = time.perf_counter()
    with time_limit(5):
        checked = pipeline.check(tmp_path)
    assert time.perf_counter() - began < 1.0
    p = assert_problem(checked, plan_file(name), 2, 4, "", "anchors and aliases")
    assert of_file(checked, plan_file(name)) == [p]


def test_plan_file_over_5_mb_is_refused(tmp_path: Path) -> None:
    big = padded_plan(5 * 1024 * 1024 + 1)
    make_project(tmp_path, extra={"plans/plan_over_5_mb.yaml": big})
    began = time.perf_counter()
    checked = pipeline.check(tmp_path)
    assert time.perf_counter() - began < 2.0
    p = find(checked, "plans/plan_over_5_mb.yaml", "", "larger than 5 MB")
    assert of_file(checked, "plans/plan_over_5_mb.yaml") == [p]
    assert checked.project.plans == []


def test_plan_file_under_5_mb_is_read(tmp_path: Path) -> None:
    make_project(tmp_path, extra={"plans/plan_under_5_mb.yaml": padded_plan(4 * 1024 * 1024)})
    checked = pipeline.check(tmp_path)
    assert checked.errors == [], listing(checked.problems)
    assert [p.id for p in checked.project.plans] == ["plan_under_5_mb"]


# --------------------------------------------------------------------------- YAML 1.2


def test_yaml12_plain_words_stay_text(tmp_path: Path) -> None:
    name = "plan_with_yaml12_plain_words.yaml"
    checked = check(tmp_path, plans=[name])
    assert checked.errors == [], listing(checked.problems)
    plan = checked.project.plans[0].plan
    assert (plan.title, plan.owner, plan.tags) == ("NO", "on", ["yes", "off"])
    task = plan.tasks[0]
    assert (task.name, task.owner, task.description) == ("no", "on", "NO")
    assert task.support == ["y", "n", "Off"]


def test_yaml12_core_schema_scalars(tmp_path: Path) -> None:
    doc, problems = yamldoc.parse("a: 1\nb: 2.5\nc: null\nd: ~\ne:\nf: true\ng: no\nh: on\n",
                                  "t.yaml")
    assert problems == [] and doc is not None
    assert doc.value == {"a": 1, "b": 2.5, "c": None, "d": None, "e": None, "f": True,
                         "g": "no", "h": "on"}


def test_a_warning_is_located_without_parsing_the_plan_again(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # the positions the careful pass finds, made from the fast pass's marks instead
    texts = [(EXAMPLE / "plans" / EXAMPLE_PLAN).read_text("utf-8"),
             "a: 1\nlist:\n  - {x: [1, 2], '': null}\n  -\n  - y: |\n      text\n"
             "    z: 'q'\n? long key\n: {}\n"]
    expected = []
    for text in texts:
        careful, _ = yamldoc._careful(text, "p.yaml")
        assert careful is not None
        expected.append((careful.values, careful.keys))

    def parsed_again(*args: object) -> None:
        raise AssertionError("parsed twice")

    monkeypatch.setattr(yamldoc, "_careful", parsed_again)
    for text, (values, keys) in zip(texts, expected, strict=True):
        doc, problems = yamldoc.parse(text, "p.yaml")
        assert doc is not None and problems == []
        assert (doc.values, doc.keys) == (values, keys)
    # and a project's warning is located by the same marks
    name = "plan_with_task_starting_before_predecessor_end.yaml"
    checked = check(tmp_path, plans=[name])
    assert_problem(checked, plan_file(name), 11, 12, "tasks[1].start",
                   "starts 2024-05-08, before its predecessor 'T1' ends (2024-05-10)", WARNING)


def test_yaml12_nulls_mean_not_set(tmp_path: Path) -> None:
    name = "plan_with_yaml12_nulls.yaml"
    checked = check(tmp_path, plans=[name])
    assert checked.errors == [], listing(checked.problems)
    task = checked.project.plans[0].plan.tasks[0]
    assert (task.actual_end, task.phase, task.progress) == (None, None, None)


def test_wrong_type_in_a_union_field_has_a_document_path(tmp_path: Path) -> None:
    name = "plan_with_where_value_mapping.yaml"
    checked = check(tmp_path, plans=[name])
    errors = of_file(checked, plan_file(name), ERROR)
    found = [(p.line, p.col, bare(p.path)) for p in errors]
    assert found == [(12, 16, "goals[0].where.channel")], listing(errors)


# --------------------------------------------------------------------------- warnings


def test_breakdown_targets_not_adding_up(tmp_path: Path) -> None:
    name = "plan_with_breakdown_not_adding_up.yaml"
    checked = check(tmp_path, plans=[name])
    assert checked.errors == [], listing(checked.problems)
    assert_problem(checked, plan_file(name), 14, 16, "goals[0].breakdown.targets",
                   "break-down targets add up to 190,000, not the goal's target 200,000",
                   WARNING)
    flagged = {p.path for p in checked.warnings if "break-down" in p.message}
    assert flagged == {"goals[0] (G1).breakdown.targets"}  # 0.4% off and a mean metric: fine


def test_breakdown_of_a_relative_goal_not_adding_up(tmp_path: Path) -> None:
    name = "plan_with_relative_goal_breakdown_not_adding_up.yaml"
    checked = check(tmp_path, plans=[name])
    assert_problem(checked, plan_file(name), 14, 16, "goals[0].breakdown.targets",
                   "break-down targets add up to", WARNING)


def test_task_starting_before_its_predecessor_ends(tmp_path: Path) -> None:
    name = "plan_with_task_starting_before_predecessor_end.yaml"
    checked = check(tmp_path, plans=[name])
    assert checked.errors == [], listing(checked.problems)
    assert_problem(checked, plan_file(name), 11, 12, "tasks[1].start",
                   "starts 2024-05-08, before its predecessor 'T1' ends (2024-05-10)", WARNING)
    # end dates are inclusive: starting on the predecessor's last day is still early
    assert_problem(checked, plan_file(name), 15, 43, "tasks[3].start",
                   "starts 2024-05-10, before its predecessor 'T1' ends", WARNING)
    assert len(checked.warnings) == 2, listing(checked.problems)  # T3 starts the day after


def test_actual_end_with_progress_below_100(tmp_path: Path) -> None:
    name = "plan_with_actual_end_but_progress_below_100.yaml"
    checked = check(tmp_path, plans=[name])
    assert checked.errors == [], listing(checked.problems)
    assert_problem(checked, plan_file(name), 11, 17, "tasks[0].actual_end",
                   "actual_end is set but progress is 80 (below 100)", WARNING)
    assert len(checked.warnings) == 1, listing(checked.problems)


def test_budget_lines_plus_reserve_over_total(tmp_path: Path) -> None:
    name = "plan_with_budget_over_total.yaml"
    checked = check(tmp_path, plans=[name])
    assert checked.errors == [], listing(checked.problems)
    assert_problem(checked, plan_file(name), 9, 10, "budget.total",
                   "budget lines (280,000) plus the contingency reserve (30,000) exceed the "
                   "total (300,000)", WARNING)


def test_goal_metric_without_rows(tmp_path: Path) -> None:
    name = "plan_with_goal_metric_without_rows.yaml"
    checked = check(tmp_path, plans=[name], csvs=["csv_rows_for_new_users_only.csv"])
    assert checked.errors == [], listing(checked.problems)
    assert_problem(checked, plan_file(name), 8, 45, "goals[1].metric",
                   "metric 'gmv' has no rows for plan 'rows-check'", WARNING)
    assert_problem(checked, plan_file(name), 9, 47, "goals[2].metric",
                   "metric 'roi' has no rows", WARNING)
    assert len(checked.warnings) == 2, listing(checked.problems)  # new_users has rows


def test_high_high_risk_without_mitigation(tmp_path: Path) -> None:
    name = "plan_with_high_high_risk_without_mitigation.yaml"
    checked = check(tmp_path, plans=[name])
    assert checked.errors == [], listing(checked.problems)
    text = "a high-probability, high-impact risk has no mitigation"
    assert_problem(checked, plan_file(name), 8, 5, "risks[0]", text, WARNING)
    assert_problem(checked, plan_file(name), 14, 5, "risks[2]", text, WARNING)
    assert len(checked.warnings) == 2, listing(checked.problems)


def test_row_with_no_plan(tmp_path: Path) -> None:
    checked = check(tmp_path, example_plan=True, csvs=["csv_row_without_plan.csv"])
    assert checked.errors == [], listing(checked.problems)
    assert_problem(checked, "data/csv_row_without_plan.csv", 3, None, "plan",
                   "row belongs to no plan", WARNING)


def test_rows_after_the_as_of_date_are_reported(tmp_path: Path) -> None:
    checked = check(tmp_path, as_of=dt.date(2024, 6, 2), example_plan=True,
                    extra={"data/june.csv": (EXAMPLE / "data" / "june.csv").read_bytes()})
    assert checked.errors == [], listing(checked.problems)
    assert_problem(checked, "data/june.csv", 9, None, "date",
                   "row dated 2024-06-03 is after the as-of date 2024-06-02", WARNING)


def test_rows_after_the_as_of_date_past_twenty_are_counted_in_their_own_files(
        tmp_path: Path) -> None:
    """The first 20 late rows are each named; the rest are counted file by file, each count
    at its file's first unnamed row (not all at one file's line)."""
    head = "date,plan,metric,value\n"
    a = head + "".join(f"2024-06-{d:02d},launch-2024q2,new_users,1\n" for d in range(3, 28))
    b = head + "".join(f"2024-06-{d:02d},launch-2024q2,orders,1\n" for d in range(3, 13))
    checked = check(tmp_path, as_of=dt.date(2024, 6, 2), example_plan=True,
                    extra={"data/a.csv": a.encode(), "data/b.csv": b.encode()})
    late = [p for p in checked.warnings if p.message.key == "row_after_as_of"]
    assert len(late) == 20 and {p.file for p in late} == {"data/a.csv"}
    more = [(p.file, p.line, p.message.text("en")) for p in checked.warnings
            if p.message.key == "more_rows_after_as_of"]
    assert more == [("data/a.csv", 22, "... and 5 more rows after the as-of date"),
                    ("data/b.csv", 2, "... and 10 more rows after the as-of date")]


# --------------------------------------------------------------------------- CSV rows


def test_csv_thousands_separator(tmp_path: Path) -> None:
    checked = check(tmp_path, example_plan=True, csvs=["csv_thousands_separator.csv"])
    p = find(checked, "data/csv_thousands_separator.csv", "value", "expected a number")
    assert p.format() == "data/csv_thousands_separator.csv:4: value: expected a number, got '1,200'"
    assert len(checked.errors) == 1, listing(checked.problems)


def test_csv_percent_sign_in_value(tmp_path: Path) -> None:
    checked = check(tmp_path, example_plan=True, csvs=["csv_percent_in_value.csv"])
    assert_problem(checked, "data/csv_percent_in_value.csv", 3, None, "value",
                   "expected a number, got '5%'")


def test_csv_bad_dates(tmp_path: Path) -> None:
    checked = check(tmp_path, example_plan=True, csvs=["csv_bad_dates.csv"])
    for line, cell in [(3, "2024-6-2"), (4, "2024-02-30"), (5, "2024/06/03")]:
        assert_problem(checked, "data/csv_bad_dates.csv", line, None, "date",
                       f"expected a date YYYY-MM-DD, got '{cell}'")
    assert len(checked.errors) == 3, listing(checked.problems)


@pytest.mark.parametrize(("name", "line", "path", "text"), [
    ("csv_unknown_metric.csv", 3, "metric", "unknown metric 'new_user'"),
    ("csv_derived_metric_stored.csv", 3, "metric", "'roi' is a derived metric"),
    ("csv_unknown_plan_id.csv", 3, "plan", "no plan has the id 'launch-2024q3'"),
    ("csv_undeclared_dimension_column.csv", 1, "city",
     "column 'city' is neither a declared dimension"),
])
def test_csv_reference_errors(tmp_path: Path, name: str, line: int, path: str, text: str) -> None:
    checked = check(tmp_path, example_plan=True, csvs=[name])
    assert_problem(checked, f"data/{name}", line, None, path, text)
    assert len(checked.errors) == 1, listing(checked.problems)


def test_csv_duplicate_row_across_files_names_both(tmp_path: Path) -> None:
    checked = check(tmp_path, example_plan=True,
                    csvs=["csv_duplicate_row_first.csv", "csv_duplicate_row_second.csv"])
    p = assert_problem(checked, "data/csv_duplicate_row_second.csv", 3, None, "",
                       "duplicate row")
    assert "data/csv_duplicate_row_first.csv:3" in p.message
    assert "2024-06-02" in p.message and "new_users" in p.message
    assert len(checked.errors) == 1, listing(checked.problems)


def test_csv_gbk_encoding_is_named(tmp_path: Path) -> None:
    checked = check(tmp_path, example_plan=True, csvs=["csv_gbk_encoded.csv"])
    p = assert_problem(checked, "data/csv_gbk_encoded.csv", 2, None, "", "not valid UTF-8")
    assert "GBK" in p.message


def test_csv_bom_is_accepted(tmp_path: Path) -> None:
    checked = check(tmp_path, example_plan=True, csvs=["csv_utf8_bom.csv"])
    assert checked.errors == [], listing(checked.problems)
    rows = checked.rows.frame()[checked.rows.frame()["_file"] == "data/csv_utf8_bom.csv"]
    assert rows["value"].tolist() == [5321.0, 4000.0]
    assert rows["date"].dt.strftime("%Y-%m-%d").tolist() == ["2024-06-01", "2024-06-02"]


def test_csv_wide_shape_in_a_plan_folder(tmp_path: Path) -> None:
    checked = check(tmp_path, example_plan=True,
                    csvs=[("csv_wide_shape.csv", "launch-2024q2/csv_wide_shape.csv")])
    assert checked.errors == [], listing(checked.problems)
    rows = checked.rows.frame()
    assert set(rows["plan"]) == {"launch-2024q2"}
    assert len(rows) == 9  # 2 rows × 5 metrics, the empty gmv cell is no value
    got = {(r.date.strftime("%m-%d"), r.metric, r.region, r.channel): r.value
           for r in rows.itertuples()}
    assert got[("06-02", "cost", "华南", "小红书")] == 9000
    assert got[("06-02", "gmv", "华南", "小红书")] == 90000
    assert ("06-01", "gmv", "华东", "抖音") not in got


def test_csv_wide_shape_bad_cell_names_its_column(tmp_path: Path) -> None:
    name = "csv_wide_shape_bad_cell.csv"
    checked = check(tmp_path, example_plan=True, csvs=[(name, f"launch-2024q2/{name}")])
    assert_problem(checked, f"data/launch-2024q2/{name}", 3, None, "clicks",
                   "expected a number, got 'n/a'")


def test_csv_quoted_newline_keeps_physical_line_numbers(tmp_path: Path) -> None:
    name = "csv_quoted_newline_in_source.csv"
    checked = check(tmp_path, example_plan=True, csvs=[name])
    assert_problem(checked, f"data/{name}", 5, None, "value", "expected a number, got 'TBD'")
    assert len(checked.errors) == 1, listing(checked.problems)
    frame = checked.rows.frame()
    rows = frame[frame["_file"] == f"data/{name}"]
    assert rows["_line"].tolist() == [2, 4]
    assert rows["source"].tolist() == ["巨量引擎后台\n导出于6月2日", '后台 "周报"']


def test_csv_unquoted_thousands_separator_is_located(tmp_path: Path) -> None:
    name = "csv_unquoted_thousands_separator.csv"
    checked = check(tmp_path, example_plan=True, csvs=[name])
    errors = of_file(checked, f"data/{name}", ERROR)
    assert [p.line for p in errors] == [3], listing(errors)


def test_csv_unquoted_thousands_separator_in_first_row(tmp_path: Path) -> None:
    name = "csv_unquoted_thousands_separator_first_row.csv"
    checked = check(tmp_path, example_plan=True, csvs=[name])
    errors = of_file(checked, f"data/{name}", ERROR)
    assert [p.line for p in errors] == [2], listing(errors)


def test_csv_duplicate_header_column(tmp_path: Path) -> None:
    name = "csv_duplicate_header.csv"
    checked = check(tmp_path, example_plan=True, csvs=[name])
    assert_problem(checked, f"data/{name}", 1, None, "value", "twice")
    assert not [p for p in checked.problems if "value.1" in p.format()], listing(checked.problems)


def test_csv_leading_blank_lines_keep_line_numbers(tmp_path: Path) -> None:
    name = "csv_leading_blank_lines.csv"
    checked = check(tmp_path, example_plan=True, csvs=[name])
    assert_problem(checked, f"data/{name}", 5, None, "value", "expected a number, got 'TBD'")


# --------------------------------------------------------------------------- metric dictionary


def test_formula_syntax_error(tmp_path: Path) -> None:
    checked = check(tmp_path, metrics="metrics_with_formula_syntax_error.yaml")
    assert_problem(checked, "data/metrics.yaml", 9, 14, "metrics.ctr.formula",
                   "unexpected end of formula")


def test_formula_naming_an_unknown_metric(tmp_path: Path) -> None:
    checked = check(tmp_path, metrics="metrics_with_formula_unknown_metric.yaml")
    assert_problem(checked, "data/metrics.yaml", 6, 46, "metrics.ctr.formula",
                   "unknown metric 'impresions' in formula (did you mean 'impressions'?)")


def test_formula_cycle(tmp_path: Path) -> None:
    checked = check(tmp_path, metrics="metrics_with_formula_cycle.yaml")
    cycles = [p for p in checked.errors if "formula cycle" in p.message]
    assert len(cycles) == 1, listing(checked.problems)
    assert_problem(checked, "data/metrics.yaml", 5, 31, "metrics.profit.formula",
                   "formula cycle: profit → margin → profit")


def test_goal_on_a_metric_in_a_formula_cycle_is_reported_not_hung(tmp_path: Path) -> None:
    make_project(tmp_path, plans=["plan_with_goal_on_cyclic_metric.yaml"],
                 metrics="metrics_with_three_way_formula_cycle.yaml")
    with time_limit(2):
        checked = pipeline.check(tmp_path)
    assert [p for p in checked.errors if "formula cycle" in p.message], listing(checked.problems)


# --------------------------------------------------------------------------- all at once


# Every fixture case as a project (the formula-cycle hang above is left out on purpose).
CASES: dict[str, dict[str, Any]] = {
    **{path.stem: {"plans": [path.name]} for path in sorted(INVALID.glob("plan_*.yaml"))
       if path.name not in {"plan_duplicate_id_second.yaml", "plan_with_goal_on_cyclic_metric.yaml",
                            "plan_with_goal_metric_without_rows.yaml"}},
    "plan_duplicate_id": {"plans": ["plan_duplicate_id_first.yaml",
                                    "plan_duplicate_id_second.yaml"]},
    "plan_with_goal_metric_without_rows": {"plans": ["plan_with_goal_metric_without_rows.yaml"],
                                           "csvs": ["csv_rows_for_new_users_only.csv"]},
    **{path.stem: {"example_plan": True, "csvs": [path.name]}
       for path in sorted(INVALID.glob("csv_*.csv"))
       if not path.name.startswith(("csv_wide_shape", "csv_rows_for"))},
    **{path.stem: {"example_plan": True,
                   "csvs": [(path.name, f"launch-2024q2/{path.name}")]}
       for path in sorted(INVALID.glob("csv_wide_shape*.csv"))},
    **{path.stem: {"example_plan": True, "metrics": path.name}
       for path in sorted(INVALID.glob("metrics_*.yaml"))},
    "plan_over_5_mb": {"extra": {"plans/plan_over_5_mb.yaml": b""}},  # filled in lazily
}


def build_case(root: Path, case: str) -> Path:
    """The project of one CASES entry."""
    kw = dict(CASES[case])
    if case == "plan_over_5_mb":
        kw["extra"] = {"plans/plan_over_5_mb.yaml": padded_plan(5 * 1024 * 1024 + 1)}
    return make_project(root, **kw)


def test_every_fixture_file_is_used_by_a_case() -> None:
    used = set()
    for kw in CASES.values():
        used.update(kw.get("plans", []))
        used.update(c if isinstance(c, str) else c[0] for c in kw.get("csvs", []))
        used.update([kw["metrics"]] if "metrics" in kw else [])
    on_disk = {p.name for p in INVALID.iterdir()}
    assert on_disk - used == {"plan_with_goal_on_cyclic_metric.yaml"}


def test_all_problems_of_all_files_are_reported_at_once(tmp_path: Path) -> None:
    plans = ["plan_with_target_tbd.yaml", "plan_with_dependency_cycle.yaml",
             "plan_with_progress_120.yaml", "plan_with_actual_end_but_progress_below_100.yaml"]
    csvs = ["csv_thousands_separator.csv", "csv_unknown_metric.csv", "csv_gbk_encoded.csv"]
    checked = check(tmp_path, example_plan=True, plans=plans, csvs=csvs)
    files = {p.file for p in checked.errors}
    assert files >= {*(plan_file(n) for n in plans[:3]), *(f"data/{n}" for n in csvs)}, \
        listing(checked.problems)
    assert {p.file for p in checked.warnings} >= {plan_file(plans[3])}
    # causes first (the dictionary, then plans, then data files), each file in reading order
    def rank(file: str) -> int:
        return 0 if file in ("data/metrics.yaml", "mkdocs.yml") else (
            1 if file.startswith("plans/") else 2)

    keys = [(rank(p.file), p.file, p.line or 0, p.col or 0) for p in checked.problems]
    assert keys == sorted(keys)
    assert rank(checked.problems[0].file) < rank(checked.problems[-1].file)


# --------------------------------------------------------------------------- CLI


def validate(root: Path, *args: str) -> Any:
    """`mxt validate ARGS --project ROOT` through click's test runner, in English (the
    fixture projects have no mkdocs.yml: their language is the default, Chinese)."""
    return CliRunner().invoke(main, ["validate", *args, "--lang", "en", "--project", str(root)])


def assert_clean_exit(result: Any, code: int) -> None:
    """The expected exit code, and no traceback or internal error in the output."""
    assert result.exit_code == code, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        repr(result.exception)
    assert "Traceback" not in result.output
    assert "internal error" not in result.output


def test_cli_valid_example_exits_0(tmp_path: Path) -> None:
    shutil.copytree(EXAMPLE, tmp_path / "p")
    result = validate(tmp_path / "p")
    assert_clean_exit(result, 0)
    assert "0 errors, 0 warnings" in result.output


def test_cli_errors_exit_1_with_located_messages(tmp_path: Path) -> None:
    make_project(tmp_path, plans=["plan_with_target_tbd.yaml", "plan_with_dependency_cycle.yaml"])
    result = validate(tmp_path)
    assert_clean_exit(result, 1)
    lines = result.output.splitlines()
    assert ("plans/plan_with_target_tbd.yaml:12:13: goals[2] (G3).target: expected a number, "
            "got 'TBD'") in lines
    assert any(line.startswith("plans/plan_with_dependency_cycle.yaml:6:84: "
                               "tasks[0] (T1).depends_on: dependency cycle: ") for line in lines)
    assert "2 errors" in lines[-1]


def test_cli_strict_turns_warnings_into_exit_1(tmp_path: Path) -> None:
    name = "plan_with_actual_end_but_progress_below_100.yaml"
    make_project(tmp_path, plans=[name])
    expected = (f"plans/{name}:11:17: warning: tasks[0] (T1).actual_end: actual_end is set but "
                "progress is 80 (below 100)")
    relaxed = validate(tmp_path)
    assert_clean_exit(relaxed, 0)
    assert expected in relaxed.output.splitlines()
    strict = validate(tmp_path, "--strict")
    assert_clean_exit(strict, 1)
    assert expected in strict.output.splitlines()


def test_cli_json_format(tmp_path: Path) -> None:
    make_project(tmp_path, plans=["plan_with_target_tbd.yaml",
                                  "plan_with_actual_end_but_progress_below_100.yaml"])
    result = CliRunner().invoke(main, ["validate", "--format", "json", "--as-of", "2024-06-30",
                                       "--lang", "en", "--project", str(tmp_path)])
    assert_clean_exit(result, 1)
    doc = json.loads(result.stdout)
    assert doc["ok"] is False and doc["as_of"] == "2024-06-30" and doc["language"] == "en"
    assert {"file": "plans/plan_with_target_tbd.yaml", "line": 12, "col": 13,
            "path": "goals[2] (G3).target", "code": "expected",
            "message": "expected a number, got 'TBD'", "severity": "error"} in doc["errors"]
    warnings = [(w["file"], w["line"], w["col"], w["path"], w["severity"])
                for w in doc["warnings"]]
    assert ("plans/plan_with_actual_end_but_progress_below_100.yaml", 11, 17,
            "tasks[0] (T1).actual_end", "warning") in warnings
    # the rest of the invalid plan is still checked: its goals have no rows
    others = [w for w in doc["warnings"] if w["path"] != "tasks[0] (T1).actual_end"]
    assert others and all("has no rows" in w["message"] for w in others)


def test_cli_json_ok_follows_strict(tmp_path: Path) -> None:
    make_project(tmp_path, plans=["plan_with_actual_end_but_progress_below_100.yaml"])
    relaxed = validate(tmp_path, "--format", "json")
    assert_clean_exit(relaxed, 0)
    assert json.loads(relaxed.stdout)["ok"] is True
    strict = validate(tmp_path, "--format", "json", "--strict")
    assert_clean_exit(strict, 1)
    doc = json.loads(strict.stdout)
    assert doc["ok"] is False and doc["errors"] == [] and len(doc["warnings"]) == 1


def test_cli_github_format(tmp_path: Path) -> None:
    make_project(tmp_path, example_plan=True,
                 plans=["plan_with_target_tbd.yaml",
                        "plan_with_actual_end_but_progress_below_100.yaml"],
                 csvs=["csv_thousands_separator.csv", "csv_percent_in_value.csv"])
    result = validate(tmp_path, "--strict", "--format", "github")
    assert_clean_exit(result, 1)
    lines = result.output.splitlines()
    assert ("::error file=plans/plan_with_target_tbd.yaml,line=12,col=13::goals[2] (G3).target: "
            "expected a number, got 'TBD'") in lines
    assert ("::error file=data/csv_thousands_separator.csv,line=4::value: expected a number, "
            "got '1,200'") in lines
    # '%' is escaped as %25 in workflow commands
    assert ("::error file=data/csv_percent_in_value.csv,line=3::value: expected a number, "
            "got '5%25'") in lines
    assert any(line.startswith("::warning file=plans/plan_with_actual_end_but_progress_below_100"
                               ".yaml,line=11,col=17::tasks[0] (T1).actual_end: ")
               for line in lines)
    annotations = [line for line in lines if line.startswith("::")]
    assert all(re.match(r"::(error|warning) file=[^,:]+(,line=\d+(,col=\d+)?)?::.", a)
               for a in annotations), annotations
    assert "errors" in lines[-1] and "warnings" in lines[-1]  # the summary


def test_cli_wrong_usage_exits_2(tmp_path: Path) -> None:
    result = validate(tmp_path, "--format", "xml")
    assert result.exit_code == 2
    assert "Traceback" not in result.output


@pytest.mark.parametrize("case", sorted(CASES))
def test_cli_never_shows_a_traceback(tmp_path: Path, case: str) -> None:
    root = build_case(tmp_path, case)
    result = validate(root)
    assert result.exit_code in (0, 1), result.output
    assert_clean_exit(result, result.exit_code)
    expect_failure = bool(pipeline.check(root).errors)
    assert result.exit_code == (1 if expect_failure else 0)


def test_every_problem_of_a_plan_at_once_even_with_type_errors(tmp_path: Path) -> None:
    """Type errors do not hide the cross-reference checks of the rest of the plan."""
    name = "plan_with_many_problems.yaml"
    checked = check(tmp_path, plans=[name])
    found = {(p.line, bare(p.path)) for p in checked.errors}
    assert found == {
        (3, "ownr"), (6, "goals[0].target"), (7, "goals[1].metric"), (9, "tasks[0].owner"),
        (10, "tasks[1].start"), (10, "tasks[1].progress"), (10, "tasks[1].depends_on"),
        (11, "tasks[2].depends_on[2]"), (11, "tasks[2].phase")}
    # T1 was left out (two owners) but still exists: T3 may depend on it
    assert not any("'T1'" in p.message for p in checked.problems)


def test_a_list_item_is_named_by_its_id(tmp_path: Path):
    plan = ("title: t\nowner: o\nperiod: {start: 2024-06-01, end: 2024-06-30}\ntasks:\n"
            "  - {id: M-01, name: a, owner: o, start: 2024-06-01, end: 2024-06-02}\n"
            "  - {id: M-10, name: b, owner: o, start: 2024-06-01, end: 2024-05-02}\n")
    (tmp_path / "plans").mkdir()
    (tmp_path / "plans" / "p.yaml").write_text(plan, "utf-8")
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "metrics.yaml").write_text("metrics: {}\n", "utf-8")
    checked = pipeline.check(tmp_path)
    assert [p.path for p in checked.errors] == ["tasks[1] (M-10).start"]


def test_an_invalid_id_is_said_once_in_words(tmp_path: Path) -> None:
    """A plan whose own `id` is not an id gets that one problem, in words (no regular
    expression), and is not also told to add the `id` it has; a file name that is no id
    with no `id` field is told to add one."""
    plan = "id: 双十一\ntitle: x\nowner: y\nperiod: {start: 2024-06-01, end: 2024-06-30}\n"
    checked = check(tmp_path / "a", extra={"plans/双十一.yaml": plan.encode()})
    # (and, as any plan without goals or tasks, that it needs one: every problem at once)
    needs, problem = checked.errors
    assert needs.message.key == "needs_goal_or_task"
    assert (problem.file, problem.line, problem.col, problem.path) == (
        "plans/双十一.yaml", 1, 5, "id")
    assert problem.message.text("en") == (
        "expected an id that starts with a lowercase letter or a digit and then has only "
        "lowercase letters, digits, '.', '_' and '-', got '双十一'")
    assert "^" not in problem.message.text("zh") and "双十一" in problem.message.text("zh")
    nameless = check(tmp_path / "b", extra={"plans/双十一.yaml": plan.split("\n", 1)[1].encode()})
    assert sorted(p.message.key for p in nameless.errors) == ["bad_plan_file_name",
                                                               "needs_goal_or_task"]
    metric = check(tmp_path / "c", example_plan=True,
                   extra={"data/metrics.yaml": b"metrics:\n  new-users: {name: x}\n"})
    assert any("starts with a letter or '_' and then has only letters, digits and '_'"
               in p.message.text("en") for p in metric.errors), listing(metric.errors)


def test_a_missing_predecessor_is_said_even_of_a_task_with_other_errors(tmp_path: Path) -> None:
    """Every problem at once: a task left out for a bad field still has its links to
    missing tasks named; and no task is offered as the hint for its own link."""
    plan = """id: a
title: x
owner: y
period: {start: 2024-06-01, end: 2024-06-30}
tasks:
  - {id: A, name: a, ownr: b, start: 2024-06-01, end: 2024-06-02, depends_on: [B, ZZ]}
  - {id: B, name: b, owner: b, start: 2024-06-01, end: 2024-06-02, depends_on: [ZZ]}
  - {id: T-06, name: c, owner: b, start: 2024-06-05, end: 2024-06-06, depends_on: [T-99]}
  - {id: T-07, name: d, owner: b, start: 2024-06-05, end: 2024-06-06, depends_on: [T-60]}
"""
    checked = check(tmp_path, extra={"plans/a.yaml": plan.encode()})
    links = [(p.line, p.path, p.message.text("en")) for p in checked.errors
             if p.message.key == "unknown_ref"]
    assert links == [
        (6, "tasks[0] (A).depends_on[1]", "no task has the id 'ZZ'"),
        (7, "tasks[1] (B).depends_on[0]", "no task has the id 'ZZ'"),
        (8, "tasks[2] (T-06).depends_on[0]", "no task has the id 'T-99' (did you mean 'T-07'?)"),
        (9, "tasks[3] (T-07).depends_on[0]", "no task has the id 'T-60' (did you mean 'T-06'?)"),
    ], listing(checked.errors)
