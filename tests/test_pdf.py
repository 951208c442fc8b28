"""PDF reports: pages, text, fonts, page numbers, languages, and nothing fetched or attached."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path

import pypdf
import pytest
from click.testing import CliRunner

from generator import build as pipeline
from generator.cli import main
from generator.compute import Computed
from generator.render import pdf, reports

from .conftest import ROOT
from .test_site import copy_project

TEMPLATES = ROOT / "site_templates"


@pytest.fixture(scope="module")
def computed() -> Computed:
    return pipeline.compute(ROOT)


def plan(computed: Computed, plan_id: str):
    return next(p for p in computed.result.plans if p.id == plan_id)


def read(data: bytes) -> pypdf.PdfReader:
    assert data.startswith(b"%PDF-")
    return pypdf.PdfReader(io.BytesIO(data))


def text_of(reader: pypdf.PdfReader) -> str:
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def fonts_of(reader: pypdf.PdfReader) -> dict[str, bool]:
    """Base font name → embedded, for every font on every page."""
    found: dict[str, bool] = {}
    for page in reader.pages:
        resources = page.get("/Resources") or {}
        for font in (resources.get("/Font") or {}).values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            target = descendants[0].get_object() if descendants else font
            descriptor = (target.get("/FontDescriptor") or {})
            descriptor = descriptor.get_object() if descriptor else {}
            embedded = any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
            found[str(font.get("/BaseFont"))] = embedded
    return found


def external_things(reader: pypdf.PdfReader) -> list[str]:
    """Attachments, and links or actions that point outside the document."""
    out = []
    names = reader.trailer["/Root"].get("/Names")
    if names and "/EmbeddedFiles" in names.get_object():
        out.append("embedded files")
    for page in reader.pages:
        for annot in page.get("/Annots") or []:
            annot = annot.get_object()
            if annot.get("/Subtype") == "/FileAttachment":
                out.append("file attachment")
            action = annot.get("/A")
            if action is not None and "/URI" in action.get_object():
                out.append(str(action.get_object()["/URI"]))
    return out


@pytest.mark.slow
def test_plan_report_structure_text_and_fonts(computed: Computed):
    p = plan(computed, "launch-2026q3")
    reader = read(reports.plan_report(computed, p, TEMPLATES))
    text = text_of(reader)
    assert 9 <= len(reader.pages) <= 20
    for section in ("目录", "1 执行概况", "2 关键成果", "3 执行进度", "4 预算与ROI", "5 问题分析",
                    "6 优化建议", "附件", "数据来源", "指标口径"):
        assert section in text, section
    for g in p.goals:
        assert g.goal.name in text
    assert "89.5%" in text and "200,000" in text and "落后" in text
    pages = len(reader.pages)
    assert f"第 3 页 / 共 {pages} 页" in text
    # the table of contents carries page numbers
    assert re.search(r"5 问题分析\s*\.+\s*\d+", text)
    fonts = fonts_of(reader)
    assert fonts and all(fonts.values()), fonts  # every font embedded
    assert any("MxtCJK" in name for name in fonts), fonts  # the pre-subset CJK font
    assert external_things(reader) == []
    assert reader.metadata.title == p.plan.title


@pytest.mark.slow
def test_english_plan_report(computed: Computed):
    p = plan(computed, "winback-2026h2")  # language: en
    text = text_of(read(reports.plan_report(computed, p, TEMPLATES)))
    for label in ("Contents", "1 Summary", "2 Key results", "5 Problem analysis", "Appendix",
                  "missed", "Page 3 of"):
        assert label in text, label
    assert "执行概况" not in text


@pytest.mark.slow
def test_portfolio_report(computed: Computed):
    reader = read(reports.portfolio_report(computed, TEMPLATES, "营销策略执行看板"))
    text = text_of(reader)
    assert len(reader.pages) >= 1 + len(computed.result.plans)
    for p in computed.result.plans:
        assert p.plan.title[:12] in text.replace("\n", "")
    assert "计划一览" in text


def test_fetcher_refuses_everything_but_our_resources():
    html = ('<html><body><p>x</p>'
            '<link rel="attachment" href="file:///etc/passwd">'
            '<img src="http://example.invalid/pixel.png">'
            '<img src="file:///etc/hostname"><img src="/etc/hostname">'
            '<img src="charts/ok.svg"></body></html>')
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"></svg>'
    data = pdf.write_pdf(html, {"charts/ok.svg": svg})
    assert external_things(read(data)) == []
    assert b"root:" not in data
    resources = pdf.Resources({"charts/ok.svg": svg})
    assert resources.get("mxt://report/charts/ok.svg") == (svg, "image/svg+xml")
    for url in ("file:///etc/passwd", "http://example.invalid/x.png", "/etc/passwd",
                "mxt://report/../../etc/passwd", "charts/missing.svg"):
        assert resources.get(url) is None, url


def test_every_refused_url_is_logged(caplog: pytest.LogCaptureFixture):
    html = ('<html><body><img src="http://example.invalid/pixel.png">'
            '<img src="file:///etc/hostname"></body></html>')
    with caplog.at_level("INFO", logger="generator.render.pdf"):
        pdf.write_pdf(html, {})
    refused = [r.getMessage() for r in caplog.records if "refused" in r.getMessage()]
    assert any("http://example.invalid/pixel.png" in m for m in refused), refused
    assert any("file:///etc/hostname" in m for m in refused), refused


@pytest.mark.slow
def test_hostile_plan_report_fetches_and_attaches_nothing(tmp_path: Path):
    project = copy_project(tmp_path / "h", ("plans", "data", "site_templates", "mkdocs.yml"))
    shutil.copy(ROOT / "tests" / "fixtures" / "hostile" / "plan_with_hostile_text.yaml",
                project / "plans" / "hostile.yaml")
    plan_file = project / "plans" / "hostile.yaml"
    plan_file.write_text(plan_file.read_text("utf-8").replace(
        "description: |\n",
        'description: |\n  <link rel="attachment" href="file:///etc/passwd">\n'), "utf-8")
    target = tmp_path / "hostile.pdf"
    result = CliRunner().invoke(main, ["report", "hostile", "-o", str(target), "--project",
                                       str(project)])
    assert result.exit_code == 0, result.output
    reader = read(target.read_bytes())
    assert external_things(reader) == []
    # poppler's extraction: pypdf garbles this page's mix of CJK and Latin runs
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(target), "-"], check=True,
                          capture_output=True, text=True).stdout
    flat = " ".join(text.split())
    assert '<link rel="attachment" href="file:///etc/passwd">' in flat  # shown as plain text
    assert "<script>alert(10)</script>" in flat and "&lt;b&gt;" in flat  # text as written
    assert "&amp;" not in flat and "root:x:0" not in flat  # neither escaped twice nor fetched
    assert "root:x:0:0" not in text


@pytest.mark.slow
def test_report_cli_usage_and_errors(tmp_path: Path):
    runner = CliRunner()
    both = runner.invoke(main, ["report", "launch-2026q3", "--portfolio", "--project", str(ROOT)])
    assert both.exit_code == 2
    unknown = runner.invoke(main, ["report", "nope", "--project", str(ROOT)])
    assert unknown.exit_code == 1 and "找不到 id 为 'nope' 的计划" in unknown.output
    unknown = runner.invoke(main, ["report", "nope", "--lang", "en", "--project", str(ROOT)])
    assert unknown.exit_code == 1 and "no plan has the id 'nope'" in unknown.output
    out = tmp_path / "p.pdf"
    ok = runner.invoke(main, ["report", "--portfolio", "-o", str(out), "--project", str(ROOT)])
    assert ok.exit_code == 0 and out.read_bytes().startswith(b"%PDF-")


@pytest.mark.slow
def test_plan_report_shows_forecasts_milestones_and_rebaselining(computed: Computed):
    import datetime as dt

    from generator.history import Baselines, Commit, DatesChange, TargetChange

    p = plan(computed, "launch-2026q3")
    commit = Commit("0123456789", "王经理", dt.datetime(2026, 10, 5, tzinfo=dt.UTC),
                    "re-baseline", ())
    baselines = Baselines(targets={"G1": [TargetChange(commit, 250000, 200000)]},
                          dates={"M-09": [DatesChange(commit, dt.date(2026, 10, 1),
                                                      dt.date(2026, 10, 20),
                                                      dt.date(2026, 10, 5),
                                                      dt.date(2026, 10, 30))]})
    data = reports.plan_report(computed, p, TEMPLATES, baselines=baselines)
    flat = "".join(text_of(read(data)).split())
    for text in ("预测（80%区间）", "目标（OKR）", "得分（0–1）", "里程碑", "第二波种草全部上线",
                 f"晚{p.late_days}天", "目标于10-05由250,000调整为200,000",
                 "计划日期于10-05由10-01~10-20调整为10-05~10-30"):
        assert text in flat, text
    # without history (mxt report): no notes
    assert "调整为" not in "".join(text_of(read(reports.plan_report(computed, p,
                                                                     TEMPLATES))).split())
