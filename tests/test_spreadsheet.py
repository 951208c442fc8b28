"""The spreadsheet bridge: the teams' own tables in (`mxt import`, `init --from`), the
template, and the status workbook out (`mxt export`, the site's reports/status.xlsx)."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from openpyxl import Workbook, load_workbook

from generator import build
from generator.cli import main
from generator.load import load_project, read_plan
from generator.spreadsheet import cells, columns, export, importer, template, xlstyle
from generator.spreadsheet.cells import Cell, Relative, Unreadable

from .conftest import FIXTURES, ROOT

# --- workbooks as people make them ----------------------------------------------------


def _table(wb: Workbook, sheet: str, title: str, headers: list[str],
           rows: list[list[Any]]) -> None:
    """A sheet as the seeds lay tables out: a merged title row, then the header."""
    ws = wb.create_sheet(sheet)
    ws.append([title])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
    ws.append(headers)
    for row in rows:
        ws.append(row)


GOALS = [["用户增长", "小红书KOC种草+抖音信息流", "新增注册用户数", "20万", "*经理", "2024-06-30",
          "需产品部配合注册流程优化"],
         ["销售转化", "电商平台满减+社群裂变", "活动期GMV", "500万", "*专员", "2024-06-18",
          "需电商部配合活动页面搭建"]]
TASKS = [["M-001", "KOC筛选", "筛选20名美妆垂类KOC", "小红书种草", "*专员",
          "2024-05-01-05-10", "KOC名单及报价单", "无", "无", "高", "100%"],
         ["M-002", "种草内容策划", "确定10个产品卖点", "小红书种草", "R1:张三",
          "2024.05.11-05.15", "内容策划案", "M-001", "设计部(配合视觉)", "高", "30%"],
         ["M-003", "素材制作", "10篇图文+5条短视频", "小红书种草", "*设计",
          "2024/5/16~2024/5/25", "素材终版文件", "M-002策划案确认", "文案部", "高", 0.5],
         ["M-004", "内容发布排期", "KOC发布时间表", "小红书种草", "*专员",
          "2024-05-26-05-30", "发布排期表", "M-001/M-003完成", "无", "中", None]]
PHASES = [["筹备期", "2024-05-01-05-31", "KOC筛选与签约", "*专员", "KOC报价单", "KOC报价超预算",
           "优先选择腰部KOC"],
          ["预热期", "2024-06-01-06-05", "首波内容发布", "*专员", "素材终版文件", "审核被驳回",
           "提前3天提交审核"]]
ISSUES = [["线下门店赠品缺货", "预热期", "高", "销售部/*主管", "紧急调货", "2024.06.03",
           "2024.06.04", "已解决"],
          ["KOL爽约", "筹备期", "中", "市场部/*经理", "启用备用KOL名单", "7月15日", None, "处理中"]]
RETRO = [["整体活动", "KOC与信息流组合投放效果显著", "快闪店客流量预估偏差大",
          "未结合商场历史人流量",
          "调研场地日均客流量", "*经理", dt.datetime.combine(dt.date(2024, 7, 15), dt.time())]]


def seeds_workbook(path: Path, tasks: list[list[Any]] | None = None,
                   goals: list[list[Any]] | None = None) -> Path:
    """The seeds' tables: 目标共识表, 任务拆解与责任分配表, 执行计划表, 问题与风险跟踪表, 复盘表."""
    wb = Workbook()
    wb.remove(wb.active)
    _table(wb, "目标", "推广策略目标共识表", ["目标类型", "核心策略方向", "量化指标", "目标值",
                                       "负责人", "达成时间", "备注(如依赖资源)"], goals or GOALS)
    _table(wb, "任务", "推广任务拆解与责任分配表",
           ["任务ID", "任务名称", "任务描述", "关联策略", "负责人(R1)", "起止时间", "交付成果",
            "前置依赖", "协作部门", "优先级", "进度"], tasks or TASKS)
    _table(wb, "执行计划", "推广活动执行计划表", ["活动阶段", "时间节点", "核心动作", "执行人",
                                          "所需资源", "风险点", "应对措施"], PHASES)
    _table(wb, "问题", "问题与风险跟踪表", ["问题描述", "发生阶段", "影响程度", "责任部门/人",
                                     "解决措施", "预计解决时间", "实际解决时间", "状态"], ISSUES)
    _table(wb, "复盘", "推广复盘与优化建议表", ["复盘阶段", "成功经验", "不足之处", "根本原因分析",
                                        "优化措施", "责任人", "计划完成时间"], RETRO)
    wb.save(path)
    return path


def run(*args: str) -> Any:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    target = tmp_path / "project"
    shutil.copytree(FIXTURES / "spec_example", target)
    return target


# --- import -----------------------------------------------------------------------------


def test_the_seeds_tables_import_into_a_plan_that_validates_and_computes(project: Path):
    book = seeds_workbook(project.parent / "计划.xlsx")
    done = run("import", str(book), "-o", str(project / "plans" / "seeds.yaml"),
               "--project", str(project))
    assert done.exit_code == 0, done.output
    text = (project / "plans" / "seeds.yaml").read_text("utf-8")
    loaded, problems = read_plan(text, "plans/seeds.yaml")
    assert loaded is not None and problems == []
    plan = loaded.plan
    assert [t.id for t in plan.tasks] == ["M-001", "M-002", "M-003", "M-004"]
    m1, m2, m3, m4 = plan.tasks
    assert (m2.start, m2.end, m2.owner, m2.progress) == (dt.date(2024, 5, 11),
                                                          dt.date(2024, 5, 15), "张三", 30)
    assert (m3.progress, m3.depends_on, m4.depends_on) == (50, ["M-002"], ["M-001", "M-003"])
    assert m1.priority.value == "high" and m4.priority.value == "medium" and m2.support == [
        "设计部(配合视觉)"]
    assert [(g.metric, g.target) for g in plan.goals] == [("new_users", 200000), ("gmv", 5e6)]
    assert [(p.name, p.start, p.end) for p in plan.phases] == [
        ("筹备期", dt.date(2024, 5, 1), dt.date(2024, 5, 31)),
        ("预热期", dt.date(2024, 6, 1), dt.date(2024, 6, 5))]
    assert [s.name for s in plan.strategies] == ["小红书种草"] and m1.strategy == "S1"
    assert [r.description for r in plan.risks] == ["KOC报价超预算", "审核被驳回"]
    i1, i2 = plan.issues
    assert (i1.resolved, i1.phase, i2.due, i2.resolved) == (
        dt.date(2024, 6, 4), "P2", dt.date(2024, 7, 15), None)
    assert plan.retro[0].due == dt.date(2024, 7, 15)
    # the sample plans' order and style, and a comment on every value that was interpreted
    assert text.index("\nphases:") < text.index("\ngoals:") < text.index("\ntasks:")
    assert "  - {id: P1, name: 筹备期, start: 2024-05-01, end: 2024-05-31}" in text
    assert "owner: 张三  # 表中为 'R1:张三'，读作 张三" in text
    assert "progress: 30  # 表中为 '30%'，读作 30" in text
    assert "start: 2024-05-11  # 表中为 '2024.05.11-05.15'" in text
    assert "due: 2024-07-15  # 表中为 '7月15日'，按其他日期的年份 2024 读作 2024-07-15" in text
    assert "target: 200000  # 表中为 '20万'，读作 200000" in text
    checked = run("validate", "--project", str(project))
    assert "0 个错误" in checked.output or "0 errors" in checked.output, checked.output
    status = run("status", "--json", "--plan", "seeds", "--project", str(project))
    assert status.exit_code == 0, status.output
    (seeds,) = json.loads(status.stdout)["plans"]
    assert len(seeds["tasks"]) == 4 and len(seeds["goals"]) == 2


BAD_TASKS = [
    ["M-001", "KOC筛选", "", "种草", "*专员", "2024-05-01-05-10", "名单", "无", "", "高", "100%"],
    ["M-002", "内容策划", "", "种草", "*文案", "2024-05-11~下周", "策划案", "M-001", "", "高",
     "30%"],
    ["M-003", "素材制作", "", "种草", None, "2024-05-16-05-25", "素材", "M-002", "", "高", "0"],
    ["M-002", "发布排期", "", "种草", "*专员", "2024-05-26-05-30", "排期表", "M-001/M-03完成", "",
     "中", "0"],
]


def test_bad_cells_are_each_located_and_nothing_is_written(project: Path):
    book = seeds_workbook(project.parent / "计划.xlsx", BAD_TASKS)
    target = project / "plans" / "seeds.yaml"
    done = run("import", str(book), "-o", str(target), "--lang", "en", "--project", str(project))
    assert done.exit_code == 1
    assert not target.exists() and "Traceback" not in done.output
    lines = done.output.splitlines()
    assert ("计划.xlsx [任务]!F4: 起止时间: expected two dates (2024-05-01~2024-05-10, "
            "2024.07.01-07.31), got '2024-05-11~下周'") in lines
    assert "计划.xlsx [任务]!E5: 负责人(R1): required: the cell is empty" in lines
    assert ("计划.xlsx [任务]!A6: 任务ID: duplicate id 'M-002' (already used at [任务]!A4)"
            in lines)
    assert ("计划.xlsx [任务]!H6: 前置依赖: no task has the id 'M-03' (did you mean 'M-003'?)"
            in lines)
    assert lines[-1] == "4 errors: nothing was written"  # (import computes nothing)


def test_a_percentage_as_the_target_of_a_count_is_located(project: Path):
    """35% of new users is no target in users: the cell is named (a change, 提升35%, takes
    a baseline; a percent metric reads 35% as 0.35)."""
    goals = [[*GOALS[0][:3], "35%", *GOALS[0][4:]], GOALS[1]]
    book = seeds_workbook(project.parent / "计划.xlsx", goals=goals)
    target = project / "plans" / "seeds.yaml"
    done = run("import", str(book), "-o", str(target), "--lang", "en", "--project",
               str(project))
    assert done.exit_code == 1 and not target.exists()
    assert ("计划.xlsx [目标]!D3: 目标值: '35%' is a percentage, but 新增注册用户 is not "
            "measured in percent") in done.output, done.output


def test_a_text_date_in_a_date_column_is_located(project: Path):
    wb = Workbook()
    ws = wb.active
    ws.title = "任务"
    ws.append(["任务ID", "任务名称", "负责人", "开始时间", "结束时间"])
    ws.append(["T1", "筛选", "张三", "2024-07-01", "下周"])
    wb.save(project.parent / "计划.xlsx")
    done = run("import", str(project.parent / "计划.xlsx"), "-o", str(project / "plans" / "x.yaml"),
               "--lang", "en", "--project", str(project))
    assert done.exit_code == 1
    assert ("计划.xlsx [任务]!E2: 结束时间: expected a date (2024-07-15, 2024.07.15, 2024/7/15), "
            "got '下周'") in done.output


def test_one_table_saved_as_csv_imports(project: Path):
    csv = project.parent / "tasks.csv"
    csv.write_text("任务ID,任务名称,负责人,开始时间,结束时间,进度\n"
                   "T1,筛选,张三,2024.06.01,2024.06.05,40%\nT2,发布,李四,6月6日,6月9日,\n",
                   "gb18030")
    done = run("import", str(csv), "-o", str(project / "plans" / "csv-plan.yaml"),
               "--project", str(project))
    assert done.exit_code == 0, done.output
    loaded, problems = read_plan((project / "plans" / "csv-plan.yaml").read_text("utf-8"),
                                 "plans/csv-plan.yaml")
    assert loaded is not None and not problems
    assert [(t.id, t.end, t.progress) for t in loaded.plan.tasks] == [
        ("T1", dt.date(2024, 6, 5), 40), ("T2", dt.date(2024, 6, 9), None)]
    assert loaded.plan.owner in ("张三", "李四") and loaded.plan.period.end == dt.date(2024, 6, 9)


def test_an_existing_plan_is_not_replaced_without_force(project: Path):
    book = seeds_workbook(project.parent / "计划.xlsx")
    target = project / "plans" / "launch-2024q2.yaml"
    before = target.read_text("utf-8")
    done = run("import", str(book), "-o", str(target), "--project", str(project))
    assert done.exit_code == 1 and target.read_text("utf-8") == before
    assert "--force" in done.output


def test_init_from_a_workbook_starts_a_project_with_its_plan(tmp_path: Path):
    book = seeds_workbook(tmp_path / "q3-launch.xlsx")
    done = run("init", str(tmp_path / "team"), "--from", str(book))
    assert done.exit_code == 0, done.output
    assert (tmp_path / "team" / "plans" / "q3-launch.yaml").is_file()
    assert not (tmp_path / "team" / "plans" / "sample-launch.yaml").exists()
    checked = run("validate", "--project", str(tmp_path / "team"))
    assert checked.exit_code == 0, checked.output


# --- cells and headers ------------------------------------------------------------------


NOON = dt.datetime.combine(dt.date(2024, 7, 15), dt.time(12))


@pytest.mark.parametrize(("text", "day"), [
    ("2024-07-15", dt.date(2024, 7, 15)), ("2024.07.15", dt.date(2024, 7, 15)),
    ("2024/7/15", dt.date(2024, 7, 15)), ("2024年7月15日", dt.date(2024, 7, 15)),
    ("7月15日", dt.date(2024, 7, 15)), ("20240715", dt.date(2024, 7, 15)),
    (45488, dt.date(2024, 7, 15)), (NOON, dt.date(2024, 7, 15))])
def test_dates_as_people_write_them(text: object, day: dt.date):
    read = cells.read_date(Cell(text), 2024)
    assert read.value == day
    assert (read.note is None) == (text in ("2024-07-15", NOON))


@pytest.mark.parametrize(("text", "span"), [
    ("2024-05-01-05-10", ("2024-05-01", "2024-05-10")),
    ("2024.07.01-07.31", ("2024-07-01", "2024-07-31")),
    ("2024-05-01 ~ 2024-05-10", ("2024-05-01", "2024-05-10")),
    ("6月1日-6月15日", ("2024-06-01", "2024-06-15")), ("6月1-15日", ("2024-06-01", "2024-06-15")),
    ("2024.12.20-01.10", ("2024-12-20", "2025-01-10"))])
def test_date_ranges(text: str, span: tuple[str, str]):
    start, end = cells.read_range(Cell(text), 2024).value
    assert (start.isoformat(), end.isoformat()) == span


@pytest.mark.parametrize(("cell", "value"), [
    (Cell("20万"), 200000), (Cell("1,200"), 1200), (Cell("1:4"), 4), (Cell("1：5.2"), 5.2),
    (Cell("15万元"), 150000), (Cell(0.018, "0.0%"), 0.018), (Cell("≥5万"), 50000)])
def test_numbers(cell: Cell, value: float):
    assert cells.read_number(cell).value == value


def test_a_change_is_not_a_target_and_words_are_not_numbers():
    assert cells.read_number(Cell("提升30%")).value == Relative(0.3)
    with pytest.raises(Unreadable):
        cells.read_number(Cell("TBD"))
    with pytest.raises(Unreadable):
        cells.read_date(Cell("下周"), 2024)


@pytest.mark.parametrize(("cell", "value"), [
    (Cell("30%"), 30), (Cell(0.3, "0%"), 30), (Cell(30), 30), (Cell(0.5), 50),
    (Cell("已完成"), 100)])
def test_progress(cell: Cell, value: float):
    assert cells.read_progress(cell).value == value


def test_owners_levels_and_references():
    assert cells.read_owner(Cell("R1:张三")).value == "张三"
    assert cells.read_owner(Cell("张三（R1）")).value == "张三"
    for two in ("张三、李四", "张三/李四", "Anna/Leo", "张三 | 李四", "Anna, Leo"):  # 唯一责任人
        with pytest.raises(Unreadable):
            cells.read_owner(Cell(two))
    assert cells.read_owner(Cell("王经理（市场部）")).value == "王经理（市场部）"
    assert cells.read_choice(Cell("较高"), columns.Kind.LEVEL).value == "high"
    assert cells.read_choice(Cell("P0"), columns.Kind.PRIORITY).value == "high"
    assert cells.read_choice(Cell("已发生"), columns.Kind.RISK_STATUS).value == "occurred"
    assert cells.read_ids(Cell("M-001/M-03完成")).value == ["M-001", "M-03"]
    assert cells.read_ids(Cell("无")).value == []
    assert cells.read_mapping(Cell("channel=抖音; region=华东、华南")).value == {
        "channel": "抖音", "region": ["华东", "华南"]}
    assert cells.read_breakdown(Cell("region: 华东=8万; 华南=70000")).value == {
        "by": "region", "targets": {"华东": 80000, "华南": 70000}}


HEADERS = {  # the seeds' tables, as they head them (and a traditional and an English one)
    "推广任务拆解与责任分配表": "任务ID 任务名称 负责人(R1) 起止时间 交付成果 前置依赖",
    "繁体": "任務ID 任務名稱 負責人 開始時間 結束時間 前置任務",
    "English": "Task-ID Task Owner Start End Depends-on",
    "活动执行阶段进度表": "活动阶段 关键任务 任务描述 负责人 计划开始/结束时间 "
                 "实际开始/结束时间 当前状态",
    "营销策略执行跟踪总表": "策略模块 核心目标 执行部门 关键动作 计划时间 实际时间 "
                  "完成状态 进度%",
    "推广效果评估分析表": "评估维度 核心指标 目标值 实际值 达成率 数据来源 异常分析 "
                 "改进建议",
    "营销活动效果评估数据表": "指标类别 具体指标 目标值 实际值 达成率 同比/环比 "
                   "备注(如优势/不足)",
    "问题与风险跟踪表": "问题描述 发生阶段 影响程度 责任部门/人 解决措施 预计解决时间 "
                "实际解决时间 状态",
    "推广进度跟踪与问题处理表": "日期 关键任务进展 完成率 异常问题 问题影响 责任人 处理措施 "
                    "预计解决时间 状态",
    "风险清单": "风险ID 风险描述 发生概率 影响程度 应对措施 负责人",
    "推广活动执行计划表": "活动阶段 时间节点 核心动作 执行人 所需资源 风险点 应对措施",
    "推广复盘与优化建议表": "复盘阶段 成功经验 不足之处 根本原因分析 优化措施 责任人 计划完成时间",
    "营销策略动作清单": "策略动作 责任部门 负责人 配合部门",
}
KEYS = ["tasks", "tasks", "tasks", "tasks", "tasks", "goals", "goals", "issues", "issues", "risks",
        "phases", "retro", "strategies"]


@pytest.mark.parametrize(("headers", "key"), [(h.split(), k) for h, k in
                                              zip(HEADERS.values(), KEYS, strict=True)],
                         ids=list(HEADERS))
def test_the_seeds_headers_name_their_tables(headers: list[str], key: str):
    found = columns.best_table(headers, "")
    assert found is not None and found[0].key == key


# --- the template and the round trip -------------------------------------------------------


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_template_has_sheets_headers_lists_and_formats(lang: str):
    book = load_workbook(io.BytesIO(template.workbook(lang)))
    assert book.sheetnames == [t.sheet_name(lang) for t in columns.TABLES]
    tasks = book[columns.TASKS.sheet_name(lang)]
    headers = [c.value for c in tasks[1]]
    assert headers[:2] == (["任务ID", "任务名称"] if lang == "zh" else ["Task ID", "Task"])
    assert tasks.freeze_panes == "A2" and tasks.auto_filter.ref
    lists = {v.formula1 for v in tasks.data_validations.dataValidation}
    assert ('"高,中,低"' if lang == "zh" else '"high,medium,low"') in lists
    start = headers.index("开始时间" if lang == "zh" else "Start") + 1
    assert tasks.cell(2, start).number_format == "yyyy-mm-dd"
    risks = book[columns.RISKS.sheet_name(lang)]
    assert any(("已发生" if lang == "zh" else "occurred") in v.formula1
               for v in risks.data_validations.dataValidation)


def test_the_template_filled_with_a_sample_plan_gives_back_the_plan_and_its_figures(
        tmp_path: Path):
    plan_id = "launch-2026q3"
    original = next(p for p in load_project(ROOT).plans if p.id == plan_id)
    filled = template.workbook("zh", original.plan, plan_id)
    done = importer.convert(filled, "模板.xlsx", dictionary=load_project(ROOT).dictionary,
                            file_stem=plan_id)
    loaded, problems = read_plan(done.text, f"plans/{plan_id}.yaml")
    assert loaded is not None and problems == []
    assert loaded.plan == original.plan
    copy = tmp_path / "copy"
    for part in ("plans", "data"):
        shutil.copytree(ROOT / part, copy / part)
    shutil.copy(ROOT / "mkdocs.yml", copy / "mkdocs.yml")
    (copy / "plans" / f"{plan_id}.yaml").write_text(done.text, "utf-8")
    as_of = dt.date(2026, 11, 15)
    figures = [_cells(export.workbook(build.compute(root, as_of, {plan_id}).result))
               for root in (ROOT, copy)]
    assert figures[0] == figures[1] and len(figures[0]["目标"]) > 5


def _cells(data: bytes) -> dict[str, list[tuple[Any, ...]]]:
    book = load_workbook(io.BytesIO(data))
    return {ws.title: [tuple(c.value for c in row) for row in ws.iter_rows()]
            for ws in book.worksheets}


# --- export -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def status_book() -> tuple[bytes, Any]:
    computed = build.compute(ROOT, dt.date(2026, 11, 15))
    return export.workbook(computed.result), computed


def test_the_export_holds_real_numbers_dates_formats_and_colours(status_book: tuple[bytes, Any]):
    data, computed = status_book
    book = load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["总览", "目标", "任务", "预算", "风险", "问题", "预警"]
    portfolio = book["总览"]
    assert portfolio.freeze_panes == "A3" and portfolio.auto_filter.ref.startswith("A2:")
    headers = [c.value for c in portfolio[2]]
    row = {h: portfolio.cell(3, i + 1) for i, h in enumerate(headers)}
    first = computed.result.plans[0]
    assert row["计划ID"].value == first.id
    assert isinstance(row["开始"].value, dt.datetime) and row["开始"].number_format == "yyyy-mm-dd"
    assert row["健康度"].value == pytest.approx(first.health)
    assert row["健康度"].number_format == "0.0%"
    status = row["状态"]
    assert status.value == "有风险" and status.fill.fgColor.rgb.endswith("8F5600")
    tasks = book["任务"]
    progress = [c.value for c in tasks["J"][2:]]
    assert all(isinstance(v, float | int) and 0 <= v <= 1 for v in progress)
    goals = book["目标"]
    assert goals.column_dimensions["C"].width > goals.column_dimensions["B"].width
    alerts = book["预警"]
    assert alerts.max_row - 2 == sum(len(p.alerts) for p in computed.result.plans)
    assert data == export.workbook(computed.result)  # the same bytes for the same result


def test_money_is_left_out_of_a_public_export(status_book: tuple[bytes, Any]):
    _, computed = status_book
    book = load_workbook(io.BytesIO(export.workbook(computed.result, hide_money=True)))
    budget = book["预算"]
    assert all(budget.cell(r, 5).value is None for r in range(3, budget.max_row + 1))
    assert any(isinstance(budget.cell(r, 11).value, float) for r in range(3, budget.max_row + 1))


def test_status_colours_are_the_site_badges():
    css = (ROOT / "generator" / "templates" / "assets" / "mxt.css").read_text("utf-8")
    for rule in re.finditer(r"((?:\.mxt-[a-z_]+,?\s*)+)\{\s*background:\s*#([0-9A-Fa-f]{6})", css):
        for code in re.findall(r"\.mxt-([a-z_]+)", rule[1]):
            if code in xlstyle.STATUS_FILLS:
                assert xlstyle.STATUS_FILLS[code] == rule[2].upper(), code


@pytest.mark.parametrize("when", [dt.date(1900, 1, 1), dt.date(2026, 11, 15),
                                  dt.date(2200, 6, 1)])
def test_a_workbook_of_any_as_of_is_written_and_dated_by_it(when: dt.date):
    book = Workbook()
    book.active["A1"] = "计划"
    data = xlstyle.save(book, when)
    assert data == xlstyle.save(book, when)  # the same bytes every time
    again = load_workbook(io.BytesIO(data))
    assert again.active["A1"].value == "计划"
    assert again.properties.created.date() == when


def test_mxt_export_and_the_template_command_write_their_workbooks(tmp_path: Path):
    done = run("export", "-o", str(tmp_path / "status.xlsx"), "--as-of", "2026-11-15",
               "--plan", "launch-2026q3", "--project", str(ROOT))
    assert done.exit_code == 0, done.output
    assert load_workbook(tmp_path / "status.xlsx")["总览"].max_row == 3
    made = run("import", "--template", "-o", str(tmp_path / "模板.xlsx"), "--project", str(ROOT))
    assert made.exit_code == 0, made.output
    assert load_workbook(tmp_path / "模板.xlsx").sheetnames[0] == "计划"
    # the status workbook is a report: importing it says so, in either language
    for lang, said in (("en", "is a status workbook written by mxt export"),
                       ("zh", "是 mxt export 导出的状态工作簿")):
        english = ("--lang", "en") if lang == "en" else ()
        run("export", "-o", str(tmp_path / f"{lang}.xlsx"), *english, "--project", str(ROOT))
        back = run("import", str(tmp_path / f"{lang}.xlsx"), "-o", str(tmp_path / "p.yaml"),
                   *english, "--project", str(ROOT))
        assert back.exit_code == 1 and said in back.output, back.output
        assert len(back.output.strip().splitlines()) == 2  # that, and "nothing was written"
    assert not (tmp_path / "p.yaml").exists()


def test_plan_text_stays_text_in_the_workbooks():
    from generator.model import Plan

    plan = Plan.model_validate({"title": "=HYPERLINK(\"http://x\")\x07", "owner": "=1+1",
                                "period": {"start": "2024-01-01", "end": "2024-01-31"},
                                "tasks": [{"id": "T1", "name": "=cmd|' /C calc'!A0",
                                           "owner": "a", "start": "2024-01-01",
                                           "end": "2024-01-02"}]})
    book = load_workbook(io.BytesIO(template.workbook("zh", plan, "p")))
    values = [c for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value]
    assert all(c.data_type != "f" for c in values)
    assert book["计划"]["B3"].value == '=HYPERLINK("http://x")\\x07'
