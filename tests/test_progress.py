"""`mxt build` says what it is doing: live on a terminal; without one (CI, a pipe), one plain
line per finished stage with its duration, in the project's language, never a bar."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from rich.console import Console

from generator.build import Stage, StageDisplay, StageLines
from generator.cli import main

from .conftest import Sample, copy_project

LINE = re.compile(r"mxt: (?P<stage>.+) … (?P<seconds>\d+\.\d) s")
# how far a long stage got (at most every 30 s: on a slow machine, the plans)
SO_FAR = re.compile(r"mxt: .+ … (已完成 )?\d+/\d+(，用时| after) \d+ s")
# what a live display draws: escape codes, carriage returns, box drawing and block
# elements (bars), braille (spinners)
DRAWN = re.compile("[\x1b\r\u2500-\u259f\u2800-\u28ff]")

STAGES = {
    "zh": [r"已校验 5 个计划及其数据", r"已计算 5 个计划的状态、预测与预警",
           r"已读取 git 历史（\d+ 次提交）", r"已生成 5 个计划的页面与图表", r"已生成总览页面",
           r"已写入 \d+ 个文件并用 MkDocs 构建站点"],
    "en": [r"validated 5 plans and their data",
           r"computed the statuses, forecasts and alerts of 5 plans",
           r"read the git history \(\d+ commits?\)", r"rendered the pages and charts of 5 plans",
           r"rendered the portfolio pages", r"wrote \d+ files and built the site with MkDocs"],
}
BUILT = {"zh": "已构建 5 个计划（数据截至 ", "en": "built 5 plans as of "}


@pytest.fixture(scope="module")
def logs(tmp_path_factory: pytest.TempPathFactory, sample: Sample) -> dict[str, Result]:
    """Two builds without a terminal: the project's language (Chinese), then --lang en
    (the plans come from the cache of the session's build of the sample)."""
    project = str(sample.copy(tmp_path_factory.mktemp("progress")))
    runner = CliRunner()
    return {"zh": runner.invoke(main, ["build", "--no-pdf", "--project", project]),
            "en": runner.invoke(main, ["build", "--no-pdf", "--lang", "en",
                                       "--project", project])}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_without_a_terminal_each_stage_ends_with_one_plain_line_and_its_duration(
        logs: dict[str, Result], lang: str) -> None:
    result = logs[lang]
    assert result.exit_code == 0, result.output
    assert result.stdout == ""  # progress, like every message of build, goes to stderr
    lines = result.stderr.splitlines()
    assert all(LINE.fullmatch(line) or SO_FAR.fullmatch(line)
               for line in lines if line.startswith("mxt: ")), lines
    stages = [LINE.fullmatch(line) for line in lines if LINE.fullmatch(line)]
    assert len(stages) == len(Stage) == len(STAGES[lang]), lines
    for found, words in zip(stages, STAGES[lang], strict=True):
        assert found is not None and re.fullmatch(words, found["stage"]), lines
        assert float(found["seconds"]) >= 0
    assert lines[-1].startswith(BUILT[lang])  # the last line is as it was
    assert not DRAWN.search(result.stderr), result.stderr  # no colour, no bar, no spinner


def test_a_build_that_fails_validation_reports_no_stage_and_exits_as_before(
        tmp_path: Path) -> None:
    project = copy_project(tmp_path / "broken", ("plans", "data", "mkdocs.yml"))
    (project / "plans" / "launch-2026q3.yaml").write_text("title: [\n", "utf-8")
    result = CliRunner().invoke(main, ["build", "--no-pdf", "--project", str(project)])
    assert result.exit_code == 1
    assert "plans/launch-2026q3.yaml:" in result.stderr
    assert not any(LINE.fullmatch(line) for line in result.stderr.splitlines())
    assert not (project / "site").exists()


def _run_stages(shown: StageLines) -> str:
    """A build's stages, as `build` reports them, onto a display; what it showed midway
    through the plans."""
    midway = ""
    with shown:
        for stage, count in ((Stage.CHECK, 5), (Stage.COMPUTE, 5), (Stage.HISTORY, 8)):
            shown.begin(stage)
            shown.end(count)
        shown.begin(Stage.PLANS)
        for done in range(6):
            shown.advance(done, 5)
            if done == 2:
                midway = shown.console.file.getvalue()  # type: ignore[attr-defined]
        shown.end(5)
        shown.begin(Stage.PORTFOLIO)
        shown.end()
        shown.begin(Stage.PUBLISH)
        shown.end(127)
    return midway


def test_on_a_terminal_the_display_shows_the_stage_and_a_bar_of_the_plans() -> None:
    out = io.StringIO()
    console = Console(file=out, force_terminal=True, width=120, highlight=False)
    midway = _run_stages(StageDisplay(console, "zh", pdf=True))
    assert "\x1b[" in midway  # a live display, drawn for a terminal
    assert "生成各计划的页面、图表与 PDF 报告" in midway  # the running stage says PDFs too
    assert "2/5" in midway and "━" in midway  # plans done of all, and the bar
    shown = out.getvalue()
    for words in ("已校验 5 个计划及其数据", "已读取 git 历史（8 次提交）",
                  "已生成 5 个计划的页面、图表与 PDF 报告", "已生成总览页面与组合报告 PDF",
                  "已写入 127 个文件并用 MkDocs 构建站点"):
        assert f"mxt: {words} … " in shown  # each finished stage stays above the display


def test_without_a_terminal_the_lines_are_plain_in_either_language() -> None:
    out = io.StringIO()
    _run_stages(StageLines(Console(file=out, width=40), "en", pdf=False))
    lines = out.getvalue().splitlines()
    assert [LINE.fullmatch(line)["stage"] for line in lines] == [  # type: ignore[index]
        "validated 5 plans and their data",
        "computed the statuses, forecasts and alerts of 5 plans",
        "read the git history (8 commits)", "rendered the pages and charts of 5 plans",
        "rendered the portfolio pages", "wrote 127 files and built the site with MkDocs"]
    assert not DRAWN.search(out.getvalue())


def test_a_long_stage_says_how_far_it_got_now_and_then() -> None:
    out = io.StringIO()
    shown = StageLines(Console(file=out), "en", pdf=True)
    shown.EVERY = 0.0  # as if every plan took half a minute
    shown.begin(Stage.PLANS)
    shown.advance(2, 5)
    shown.advance(5, 5)  # all done: the end line says so
    shown.end(5)
    first, last = out.getvalue().splitlines()
    assert SO_FAR.fullmatch(first) and first.startswith(
        "mxt: rendering each plan's page, charts and PDF report … 2/5 after ")
    assert LINE.fullmatch(last) and "rendered the pages, charts and PDF reports of 5 plans" in last
