"""`mxt status` in a narrow pipe or CI log: no line wider than the console, no figure or
status cut; text wraps and the least important columns are left out instead."""

from __future__ import annotations

import io
import re
from collections import Counter
from dataclasses import replace

import pytest
from click.testing import CliRunner
from rich.cells import cell_len
from rich.console import Console
from rich.text import Text

from generator.build import compute
from generator.cli import main
from generator.compute.results import PortfolioResult
from generator.render.terminal import DROP_ORDER, plan_block, print_status, wrap
from generator.views.catalogue import label
from generator.views.plan import ChartLinks, Formatter, PlanView

from .conftest import ROOT

WIDTHS = (60, 80, 100, 160)
WIDE = 400  # the reference rendering: every column natural
LANGS = ("zh", "en")
FIGURE = re.compile(r"\d+(?:[.,:\-]\d+)*%?")  # 89.5%, 2026-12-17, 1,152,000, 1:2.8

# each table's columns, left to right, and the view field that fills them
TABLES = {
    "goals": ("goal", "target", "actual", "attainment", "expected", "pace", "status"),
    "tasks": ("task", "owner", "status", "slip"),
    "alerts": ("severity", "subject", "message"),
}


@pytest.fixture(scope="module")
def portfolio() -> PortfolioResult:
    return compute(ROOT).result


def words(result: PortfolioResult, lang: str) -> PortfolioResult:
    return replace(result, language=lang)  # as `mxt status --lang` does


def render(width: int, draw) -> str:
    console = Console(file=io.StringIO(), width=width, color_system=None)
    draw(console)
    out = console.file.getvalue()
    assert isinstance(out, str)
    return out


def plan_text(result: PortfolioResult, lang: str, index: int, width: int) -> str:
    formatter = Formatter(words(result, lang), lang)
    return render(width, lambda c: c.print(plan_block(result.plans[index], formatter)))


def view(result: PortfolioResult, lang: str, index: int) -> PlanView:
    return Formatter(words(result, lang), lang).plan(result.plans[index], ChartLinks())


def cells(v: PlanView, table: str, key: str) -> list[str]:
    """The strings a table column shows (badges by their label)."""
    if table == "goals":
        rows = [r for g in v.goals for r in (g, *g.children)]
        if key == "goal":
            return [f"{r.id} {r.name}" for r in rows]
        return [r.status.label if key == "status" else getattr(r, key) for r in rows]
    if table == "tasks":
        return [f"{t.id} {t.name}" if key == "task" else
                t.status.label if key == "status" else getattr(t, key) for t in v.late_tasks]
    return [a.severity.label if key == "severity" else getattr(a, key) for a in v.alerts]


def headers(text: str, lang: str) -> dict[str, list[str]]:
    """Each table's header labels as printed (tables absent from a plan: none)."""
    first = {"goals": "goal", "tasks": "task", "alerts": "severity"}
    found: dict[str, list[str]] = {}
    for line in text.splitlines():
        names = re.split(r"\s{2,}", line.strip())
        for table, key in first.items():
            if names and names[0] == label(key, lang) and table not in found:
                found[table] = names
    return found


def dropped(text: str, lang: str, v: PlanView) -> dict[str, list[str]]:
    """The columns a rendering left out, by table."""
    shown = headers(text, lang)
    out: dict[str, list[str]] = {}
    for table, keys in TABLES.items():
        if table in shown:
            out[table] = [k for k in keys if label(k, lang) not in shown[table]]
        elif cells(v, table, keys[0]):
            raise AssertionError(f"{table} table missing:\n{text}")
    return out


def figures(text: str) -> Counter[str]:
    return Counter(FIGURE.findall(text))


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("width", WIDTHS)
def test_no_line_is_wider_than_the_console(portfolio, lang, width):
    out = render(width, lambda c: print_status(words(portfolio, lang), c))
    too_wide = [line for line in out.splitlines() if cell_len(line) > width]
    assert not too_wide, "\n".join(too_wide)
    assert "…" not in out  # nothing is cut: text wraps, columns are left out


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("width", WIDTHS)
def test_every_figure_of_a_kept_column_is_whole(portfolio, lang, width):
    for index, p in enumerate(portfolio.plans):
        v = view(portfolio, lang, index)
        wide = plan_text(portfolio, lang, index, WIDE)
        narrow = plan_text(portfolio, lang, index, width)
        assert dropped(wide, lang, v) == {t: [] for t in dropped(wide, lang, v)}, wide
        gone = dropped(narrow, lang, v)
        left_out = Counter[str]()
        for table, keys in gone.items():
            order = DROP_ORDER[table]
            assert set(keys) == set(order[:len(keys)]), (p.id, table, keys)  # least first
            for key in keys:
                left_out.update(figures("\n".join(cells(v, table, key))))
        expected = figures(wide) - left_out
        missing = expected - figures(narrow)
        assert not missing, f"{p.id} at {width}: {sorted(missing)} not whole in\n{narrow}"
        assert not re.search(r"\d…|…\d", narrow)
        # the goals table's kept figures, row by row: each on one line with its status
        kept = [k for k in TABLES["goals"][1:-1] if k not in gone["goals"]]
        rows = [r for g in v.goals for r in (g, *g.children)]
        lines = narrow.splitlines()
        for r in rows:
            values = [getattr(r, k) for k in kept]
            assert any(all(x in line for x in values)
                       and line.rstrip().endswith(r.status.label) for line in lines), \
                (p.id, r.id, values, r.status.label, narrow)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("width", WIDTHS)
def test_status_words_are_whole(portfolio, lang, width):
    for index, p in enumerate(portfolio.plans):
        v = view(portfolio, lang, index)
        narrow = plan_text(portfolio, lang, index, width)
        lines = narrow.splitlines()
        goals_header = next(n for n, line in enumerate(lines)
                            if line.startswith(label("goal", lang)))
        heading = lines[:goals_header]
        assert any(v.status.label in line for line in heading), (p.id, heading)
        badges = Counter([*cells(v, "goals", "status"), *cells(v, "tasks", "status"),
                          *cells(v, "alerts", "severity")])
        for word, n in badges.items():
            assert sum(line.count(word) for line in lines) >= n, (p.id, word, narrow)
        assert f"[{p.id}]" in narrow


def test_nothing_is_left_out_when_the_console_is_wide(portfolio):
    for lang in LANGS:
        for index in range(len(portfolio.plans)):
            v = view(portfolio, lang, index)
            text = plan_text(portfolio, lang, index, 160)
            assert not any(dropped(text, lang, v).values()), text


def test_goal_attainment_and_status_always_stay(portfolio):
    """Even at 40 columns, where the other figures of the goals table are left out."""
    for lang in LANGS:
        for index in range(len(portfolio.plans)):
            shown = headers(plan_text(portfolio, lang, index, 40), lang)["goals"]
            for key in ("goal", "attainment", "status"):
                assert label(key, lang) in shown


def lines_of(text: Text) -> list[str]:
    return text.plain.split("\n")


def test_wrap_breaks_between_chinese_characters_not_inside_numbers():
    message = "计划预计 2026-12-17 完成，比周期结束（2026-11-30）晚 17 天；决定完成日期的任务链"
    for width in range(12, 40):
        lines = lines_of(wrap(Text(message), width))
        assert all(cell_len(line) <= width for line in lines), (width, lines)
        assert "".join(lines).replace(" ", "") == message.replace(" ", "")
        joined = "\n".join(lines)
        assert "2026-12-17" in joined and "2026-11-30" in joined, (width, lines)
        if width >= cell_len("（2026-11-30）"):  # else a bracket has to give
            assert not any(line.startswith(("，", "）", "；")) for line in lines), lines
            assert not any(line.endswith("（") for line in lines), lines


def test_wrap_keeps_units_and_closing_marks_with_their_number():
    lines = lines_of(wrap(Text("目标「活动期GMV 3000万」有风险"), 16))
    assert "3000万」" in "\n".join(lines), lines
    lines = lines_of(wrap(Text("「抖音直播投流」（ROI 1:5.7）的预算已用完"), 14))
    assert any("1:5.7）" in line for line in lines), lines


def test_wrap_hangs_continuation_lines_and_folds_only_a_too_long_word():
    lines = lines_of(wrap(Text("W-06 Coupon engine integration (one-click comeback coupon)"),
                          20, hang=5))
    assert lines[0].startswith("W-06 ") and all(line.startswith("     ") for line in lines[1:])
    assert all(cell_len(line) <= 20 for line in lines)
    lines = lines_of(wrap(Text("x " + "9" * 30), 10))
    assert all(cell_len(line) <= 10 for line in lines) and "".join(lines[1:]) == "9" * 30


def test_wrap_keeps_styles_and_short_text():
    text = Text.assemble(("粗体标题", "bold"), " 正文正文正文正文")
    wrapped = wrap(text, 8)
    assert wrapped.plain.split("\n")[0] == "粗体标题"
    assert any(span.style == "bold" for span in wrapped.spans)
    assert wrap(Text("短"), 8).plain == "短"


def cli(*args: str):
    return CliRunner().invoke(main, ["status", *args, "--project", str(ROOT)],
                              env={"COLUMNS": "80"}, catch_exceptions=False)


@pytest.mark.parametrize("args", [(), ("--lang", "en", "--plan", "winback-2026h2")])
def test_mxt_status_in_an_80_column_log(args):
    result = cli(*args)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert max(cell_len(line) for line in lines) <= 80
    assert max(cell_len(line) for line in lines) > 70  # COLUMNS was read: 80, not less
    assert not re.search(r"\d…|…\d", result.stdout)
    if not args:
        for whole in ("89.5%", "2026-12-17", "120,000,000", "104,876,712", "1,152,000",
                      "[launch-2026q3]", "落后", "有风险", "已达成"):
            assert whole in result.stdout, whole
    else:
        for whole in ("12,000,000", "9,500,000", "2026-10-15", "on track", "missed",
                      "at risk"):
            assert whole in result.stdout, whole


def test_a_plan_of_tasks_alone_has_no_empty_goal_table(tmp_path):
    """`mxt status` prints no goal table's header for a plan without goals."""
    from .samples import copy_project

    root = copy_project(tmp_path / "p")
    (root / "plans" / "tasks-only.yaml").write_text(
        "title: 只有任务\nowner: 王\nperiod: {start: 2026-09-01, end: 2026-12-31}\n"
        "tasks:\n  - {id: T1, name: 准备, owner: 李, start: 2026-09-01, end: 2026-09-10}\n",
        "utf-8")
    done = CliRunner().invoke(main, ["status", "--plan", "tasks-only", "--project", str(root)],
                              env={"COLUMNS": "100"}, catch_exceptions=False)
    assert done.exit_code == 0, done.output
    assert "[tasks-only]" in done.stdout and "只有任务" in done.stdout
    assert label("goal", "zh") not in done.stdout and label("pace", "zh") not in done.stdout
    with_goals = cli("--plan", "launch-2026q3")
    assert label("goal", "zh") in with_goals.stdout  # the header this test looks for
