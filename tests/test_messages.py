"""Messages in the user's language: every validation problem is a keyed message of the
catalogue (`problems:` in generator/locales/<lang>.yaml), printed in the project's language
(`theme.language`, Chinese by default) or the one `--lang` asks for; `Problem.message`
and `str(error)` stay English for logs, tests and tools."""

from __future__ import annotations

import ast
import datetime as dt
import json
import pickle
import shutil
import string
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from generator import build, load, validate, yamldoc
from generator.cli import main
from generator.errors import InputError, Message, Problem, Severity, say
from generator.views.catalogue import catalogue, languages

from .conftest import FIXTURES, ROOT
from .test_site import copy_project

PACKAGE = ROOT / "generator"


def mxt(root: Path, *args: str) -> Result:
    return CliRunner().invoke(main, [*args, "--project", str(root)])


def replace_once(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert text.count(old) >= 1, old
    path.write_text(text.replace(old, new, 1), "utf-8")


@pytest.fixture(scope="module")
def sample_with_typos(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample project (mkdocs.yml: theme.language zh) with a typo, a 'TBD' target, a
    wrong reference and a bad cell."""
    root = copy_project(tmp_path_factory.mktemp("typos"), ("plans", "data", "mkdocs.yml"))
    plan = root / "plans" / "launch-2026q3.yaml"
    replace_once(plan, "    owner: 张经理\n", "    ownr: 张经理\n")
    replace_once(plan, "    target: 200000\n", "    target: TBD\n")
    replace_once(root / "plans" / "winback-2026h2.yaml", "    phase: wave1\n    owner: Noah Chen\n",
                 "    phase: wave1\n    depends_on: [W-99]\n    owner: Noah Chen\n")
    csv = root / "data" / "brand_search_index.csv"
    lines = csv.read_text("utf-8").splitlines(keepends=True)
    date, plan_id, metric, _value, *rest = lines[3].split(",")
    lines[3] = ",".join([date, plan_id, metric, "n/a", *rest])
    csv.write_text("".join(lines), "utf-8")
    return root


ZH_LINES = [
    "plans/launch-2026q3.yaml:31:5: goals[0] (G1): 缺少必填字段 'owner'",
    "plans/launch-2026q3.yaml:35:13: goals[0] (G1).target: 应为数字，实际为 'TBD'",
    "plans/launch-2026q3.yaml:37:5: goals[0] (G1).ownr: 未知字段 'ownr'（是否想写 'owner'？）",
    "plans/winback-2026h2.yaml:97:18: tasks[2] (W-03).depends_on[0]: "
    "找不到 id 为 'W-99' 的任务（是否想写 'W-09'？）",
    "data/brand_search_index.csv:4: value: 应为数字，实际为 'n/a'",
]
EN_LINES = [
    "plans/launch-2026q3.yaml:31:5: goals[0] (G1): missing required field 'owner'",
    "plans/launch-2026q3.yaml:35:13: goals[0] (G1).target: expected a number, got 'TBD'",
    "plans/launch-2026q3.yaml:37:5: goals[0] (G1).ownr: unknown field 'ownr' "
    "(did you mean 'owner'?)",
    "plans/winback-2026h2.yaml:97:18: tasks[2] (W-03).depends_on[0]: no task has the id "
    "'W-99' (did you mean 'W-09'?)",
    "data/brand_search_index.csv:4: value: expected a number, got 'n/a'",
]


def test_a_chinese_project_gets_chinese_messages_by_default(sample_with_typos: Path):
    result = mxt(sample_with_typos, "validate")
    assert result.exit_code == 1, result.output
    lines = result.output.splitlines()
    assert lines[:-1] == ZH_LINES
    assert lines[-1].endswith("行指标数据：5 个错误，0 个警告")
    assert lines[-1].startswith("5 个计划，")


def test_lang_en_gives_the_english_messages(sample_with_typos: Path):
    result = mxt(sample_with_typos, "validate", "--lang", "en")
    assert result.exit_code == 1, result.output
    lines = result.output.splitlines()
    assert lines[:-1] == EN_LINES
    assert lines[-1].startswith("5 plans, ") and lines[-1].endswith(" metric rows: 5 errors, "
                                                                    "0 warnings")


def test_json_has_a_stable_code_and_the_message_in_the_language(sample_with_typos: Path):
    docs = {lang: json.loads(mxt(sample_with_typos, "validate", "--format", "json",
                                 *(["--lang", lang] if lang == "en" else [])).stdout)
            for lang in ("zh", "en")}
    assert docs["zh"]["language"] == "zh" and docs["en"]["language"] == "en"
    codes = [[p["code"] for p in doc["errors"]] for doc in docs.values()]
    assert codes[0] == codes[1] == ["missing_field", "expected", "unknown_field", "unknown_ref",
                                    "cell_not_a_number"]
    zh, en = docs["zh"]["errors"][2], docs["en"]["errors"][2]
    assert zh["message"] == "未知字段 'ownr'（是否想写 'owner'？）"
    assert en["message"] == "unknown field 'ownr' (did you mean 'owner'?)"
    assert {k: v for k, v in zh.items() if k != "message"} == \
        {k: v for k, v in en.items() if k != "message"}


def test_github_annotations_speak_the_language(sample_with_typos: Path):
    out = mxt(sample_with_typos, "validate", "--format", "github").output.splitlines()
    assert "::error file=plans/launch-2026q3.yaml,line=35,col=13::goals[0] (G1).target: " \
           "应为数字，实际为 'TBD'" in out
    assert out[-1].startswith("5 个计划，")


def test_status_and_report_errors_speak_the_language(sample_with_typos: Path):
    """An InputError raised while computing prints in the language, its last line too."""
    zh = mxt(sample_with_typos, "status")
    assert zh.exit_code == 1
    assert ZH_LINES[1] in zh.output.splitlines()
    assert zh.output.splitlines()[-1] == ("5 个错误：未做任何计算，也未写入任何文件"
                                          "（现有站点保持不变）")
    en = mxt(sample_with_typos, "status", "--lang", "en")
    assert EN_LINES[1] in en.output.splitlines()
    assert en.output.splitlines()[-1] == ("5 errors: nothing was computed or written (an "
                                          "existing site is left as it was)")


@pytest.fixture
def english_project(tmp_path: Path) -> Path:
    """The spec's example with `theme.language: en` in mkdocs.yml, and a broken target."""
    root = tmp_path / "en"
    shutil.copytree(FIXTURES / "spec_example", root)
    (root / "mkdocs.yml").write_text("site_name: Example\ntheme:\n  name: material\n"
                                     "  language: en\n", "utf-8")
    replace_once(root / "plans" / "launch-2024q2.yaml", "target: 200000", "target: TBD")
    return root


def test_an_english_project_gets_english_messages(english_project: Path):
    result = mxt(english_project, "validate")
    assert result.exit_code == 1
    expected = ("plans/launch-2024q2.yaml:26:13: goals[0] (G1).target: expected a number, "
                "got 'TBD'")
    assert expected in result.output.splitlines()
    assert "1 error, 0 warnings" in result.output.splitlines()[-1]
    chinese = mxt(english_project, "validate", "--lang", "zh")
    assert ("plans/launch-2024q2.yaml:26:13: goals[0] (G1).target: 应为数字，实际为 'TBD'"
            in chinese.output.splitlines())
    status = mxt(english_project, "status")
    assert status.output.splitlines()[-1].startswith("1 error: nothing was computed")


def test_a_valid_project_says_all_good_in_its_language(tmp_path: Path):
    root = tmp_path / "ok"
    shutil.copytree(FIXTURES / "spec_example", root)
    zh = mxt(root, "validate")
    assert zh.exit_code == 0, zh.output
    assert zh.output.splitlines() == ["1 个计划，10 行指标数据：0 个错误，0 个警告：全部通过"]
    en = mxt(root, "validate", "--lang", "en")
    assert en.output.splitlines() == ["1 plan, 10 metric rows: 0 errors, 0 warnings: all good"]


def test_warnings_say_so_in_the_language(tmp_path: Path):
    root = tmp_path / "warned"
    shutil.copytree(FIXTURES / "spec_example", root)
    name = "plan_with_actual_end_but_progress_below_100.yaml"
    shutil.copy(FIXTURES / "invalid" / name, root / "plans" / name)
    zh = mxt(root, "validate")
    assert zh.exit_code == 0, zh.output
    assert (f"plans/{name}:11:17: 警告：tasks[0] (T1).actual_end: 已填写 actual_end，但进度只有 "
            "80（不到 100）") in zh.output.splitlines()
    en = mxt(root, "validate", "--lang", "en")
    assert (f"plans/{name}:11:17: warning: tasks[0] (T1).actual_end: actual_end is set but "
            "progress is 80 (below 100)") in en.output.splitlines()


def test_an_unknown_language_is_a_usage_error(tmp_path: Path):
    result = mxt(tmp_path, "validate", "--lang", "fr")
    assert result.exit_code == 2 and "'fr' is not one of" in result.output


# ------------------------------------------------------------------ the messages themselves


def test_a_message_is_its_english_text_and_renders_in_every_language():
    m = say("unknown_field", key="ownr", hint=say("did_you_mean", name="owner"))
    assert m == "unknown field 'ownr' (did you mean 'owner'?)" and isinstance(m, Message)
    assert m.key == "unknown_field"
    assert m.text("zh") == "未知字段 'ownr'（是否想写 'owner'？）"
    assert m.text("en") == m.text() == m
    p = Problem("plans/a.yaml", 3, 5, "goals[0].ownr", m, Severity.WARNING)
    assert p.code == "unknown_field" and p.message == m
    assert p.format() == "plans/a.yaml:3:5: warning: goals[0].ownr: " + m
    assert p.format("zh") == "plans/a.yaml:3:5: 警告：goals[0].ownr: " + m.text("zh")
    plain = Problem("plans/a.yaml", None, None, "", "a message given as text")
    assert plain.code == "" and plain.format("zh") == "plans/a.yaml: a message given as text"


def test_nested_pieces_and_lists_are_translated_too():
    types = say("expected", expected=say("type_date"), given="'2026/07/01'")
    assert types.text("zh") == "应为日期 YYYY-MM-DD，实际为 '2026/07/01'"
    more = say("not_listed", more=(say("more_like", n=476000, kind=say("kind_unknown_field")),
                                   say("more_like", n=30, kind="float parsing")))
    assert more == ("… and 476,000 more like 'unknown field'; 30 more like 'float parsing' "
                    "from here on (not listed)")
    assert more.text("zh") == ("……自此处起还有 476,000 处「未知字段」；30 处「float parsing」"
                               "（未逐条列出）")


def test_messages_and_input_errors_cross_process_boundaries_whole():
    m = say("duplicate_row", date=dt.date(2026, 7, 1), metric="gmv", first="data/a.csv:2")
    again = pickle.loads(pickle.dumps(m))
    assert (again, again.key, again.text("zh")) == (m, m.key, m.text("zh"))
    error = InputError([Problem("data/b.csv", 3, None, "", m)], language="zh")
    copy = pickle.loads(pickle.dumps(error))
    assert copy.lines() == error.lines() and copy.lines()[0].endswith(m.text("zh"))
    assert str(copy) == str(error) == "data/b.csv:3: " + m  # English for logs and tracebacks
    assert copy.lines("en")[-1].startswith("1 error: nothing was computed")


def test_input_errors_of_the_library_carry_the_projects_language(sample_with_typos: Path):
    with pytest.raises(InputError) as caught:
        build.compute(sample_with_typos)
    error = caught.value
    assert error.language == "zh"
    assert ZH_LINES[1] in error.lines() and EN_LINES[1] in error.lines("en")
    assert EN_LINES[1] in str(error).splitlines()
    assert error.problems[1].message == "expected a number, got 'TBD'"


def test_yaml_syntax_errors_are_worded_in_chinese():
    _, problems = yamldoc.parse("title: t\nowner: a: b\n", "plans/p.yaml")
    (p,) = problems
    assert p.message == "YAML syntax error: mapping values are not allowed in this context"
    assert p.text("zh").startswith("YAML 语法错误：这里不能出现“冒号 + 空格”")
    _, problems = yamldoc.parse("title: t\ngoals: [a, b\n", "plans/p.yaml")
    assert problems[0].text("zh").startswith("YAML 语法错误：缺少 ',' 或 ']'（解析 [ ] 列表时")
    _, problems = yamldoc.parse("title: t\nowner：王\n", "plans/p.yaml")
    assert problems[0].text("zh").startswith("键后面用了全角冒号 '：'")


def test_pydantic_choices_say_or_in_the_language():
    _, problems = load.read_plan("title: t\nowner: o\nperiod: {start: 2026-01-01, end: "
                                 "2026-02-01}\ntype: campain\ntasks: []\n", "plans/p.yaml")
    (p,) = [p for p in problems if p.path == "type"]
    assert p.message.startswith("expected one of 'campaign', ") and " or 'other', got " in \
        p.message
    assert p.text("zh").startswith("应为 'campaign', ") and " 或 'other' 之一，实际为 " in \
        p.text("zh")


# ------------------------------------------------------------------ the catalogues


def _placeholders(template: str) -> set[tuple[str, str]]:
    return {(name, spec or "") for _, name, spec, _ in string.Formatter().parse(template)
            if name}


def test_every_language_keeps_the_placeholders_and_formats_of_the_english_problems():
    english = catalogue("en").problems
    for lang in languages():
        ours = catalogue(lang).problems
        assert set(ours) == set(english), (lang, set(ours) ^ set(english))
        for key, template in english.items():
            assert _placeholders(ours[key]) == _placeholders(template), (lang, key)


def _dummy(spec: str) -> object:
    if "%" in spec:
        return dt.date(2026, 7, 1)
    return 1234.5 if spec else "x"


def test_every_problem_message_renders_in_every_language():
    for key, template in catalogue("en").problems.items():
        m = say(key, **{name: _dummy(spec) for name, spec in _placeholders(template)})
        for lang in languages():
            assert m.text(lang), (lang, key)


def _sources() -> dict[Path, ast.Module]:
    return {path: ast.parse(path.read_text("utf-8")) for path in sorted(PACKAGE.rglob("*.py"))}


def _keys_in_code() -> set[str]:
    """Every message key the product names: literal keys of `say`, `say_count` and
    `rows._located`, and the keys its lookup tables map to."""
    keys: set[str] = set()
    for tree in _sources().values():
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", getattr(node.func, "attr", ""))
            positions = {"say": [0], "say_count": [1, 2], "_located": [3]}.get(name, [])
            for i in positions:
                arg = node.args[i] if i < len(node.args) else None
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    keys.add(arg.value)
    keys |= {*load._EXPECTED.values(), *load._KINDS.values(), *load._DATE_REASONS.values(),
             *load._LIMITS, *yamldoc._PHRASES.values(),
             *(word for _, word in validate._REFERENCES.values())}
    return keys


def test_every_message_key_in_the_code_is_in_the_catalogues():
    missing = _keys_in_code() - set(catalogue("en").problems)
    assert not missing, missing  # (and zh has every en key: the test above)


def test_every_catalogue_problem_is_used_by_the_code():
    constants = {node.value for tree in _sources().values() for node in ast.walk(tree)
                 if isinstance(node, ast.Constant) and isinstance(node.value, str)}
    unused = set(catalogue("en").problems) - constants
    assert not unused, unused


CONVERTED = ("errors.py", "validate.py", "load.py", "yamldoc.py", "rows.py", "build.py",
             "cli.py")


def test_no_problem_is_built_from_english_text_in_the_converted_modules():
    """A message is a `say(...)`, never an f-string or a literal sentence."""
    found = []
    for path, tree in _sources().items():
        if path.name not in CONVERTED or path.parent != PACKAGE:
            continue
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", getattr(node.func, "attr", ""))
            position = {"Problem": 4, "problem": 1, "err": 1, "at": 1}.get(name)
            arg = node.args[position] if position is not None and position < len(node.args) \
                else None
            if isinstance(arg, ast.JoinedStr) or (isinstance(arg, ast.Constant) and arg.value):
                found.append(f"{path.name}:{node.lineno}")
    assert not found, found


def test_a_count_of_one_is_said_in_the_singular():
    """A label counted by `n` takes its `_one` form for 1 (English); every `_one` label has
    its plain form, with the same placeholders."""
    from generator.errors import say_count
    from generator.views.catalogue import label

    assert label("notify_new", "en", n=1) == "Marketing execution: 1 new alert"
    assert label("notify_new", "en", n=2) == "Marketing execution: 2 new alerts"
    assert label("notify_would_send", "en", n=1) == \
        "Would send 1 message (--dry-run: nothing sent)."
    assert label("notify_new", "zh", n=1) == "营销执行预警：1 条新预警"
    built = say("built", plans=say_count(1, "plans_one", "plans_other"), as_of="2026-11-15",
                site="site")
    assert built.text("en") == "built 1 plan as of 2026-11-15 into site"
    assert built.text("zh") == "已构建 1 个计划（数据截至 2026-11-15），输出到 site"
    for lang in languages():
        labels = catalogue(lang).labels
        for key in (k for k in labels if k.endswith("_one")):
            plain = key.removesuffix("_one")
            assert plain in labels, (lang, key)
            fields = {f for _, f, _, _ in string.Formatter().parse(labels[key]) if f}
            assert "n" in fields and fields == {
                f for _, f, _, _ in string.Formatter().parse(labels[plain]) if f}, (lang, key)
