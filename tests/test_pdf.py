"""PDF reports: pages, text, fonts, page numbers, languages, and nothing fetched or attached."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from dataclasses import dataclass
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


@dataclass
class Rendered:
    source: reports.ReportSource
    data: bytes

    @property
    def reader(self) -> pypdf.PdfReader:
        return read(self.data)

    def text(self) -> str:
        """poppler's text (pypdf garbles some mixes of CJK and Latin runs)."""
        return pdftotext(self.data)


def pdftotext(data: bytes, *args: str) -> str:
    return subprocess.run(["pdftotext", "-enc", "UTF-8", *args, "-", "-"], input=data,
                          check=True, capture_output=True).stdout.decode("utf-8")


@pytest.fixture(scope="module")
def rendered(computed: Computed) -> dict[str, Rendered]:
    """The Chinese and the English plan reports and the portfolio report, rendered once."""
    sources = {"zh": reports.plan_report_source(computed, plan(computed, "launch-2026q3"),
                                                TEMPLATES),
               "en": reports.plan_report_source(computed, plan(computed, "winback-2026h2"),
                                                TEMPLATES),
               "portfolio": reports.portfolio_report_source(computed, TEMPLATES,
                                                            "营销策略执行看板")}
    return {k: Rendered(s, s.pdf()) for k, s in sources.items()}


@pytest.mark.slow
def test_plan_report_structure_text_and_fonts(computed: Computed, rendered: dict[str, Rendered]):
    p = plan(computed, "launch-2026q3")
    reader = rendered["zh"].reader
    text = text_of(reader)
    assert 9 <= len(reader.pages) <= 20
    for section in ("目录", "1 执行概况", "2 关键成果", "3 执行进度", "4 预算与ROI", "5 问题分析",
                    "6 优化建议", "附件", "数据来源", "指标口径", "管理摘要", "三大问题",
                    "需要决策"):
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
    # one family for text and digits (charts are drawn in it too, as outlines): Noto Sans
    # CJK, pre-subset, and the full face only for characters the subset lacks
    assert any("MxtCJK" in name for name in fonts), fonts
    assert all("MxtCJK" in name or "Noto-Sans-CJK" in name for name in fonts), fonts
    assert external_things(reader) == []
    assert reader.metadata.title == p.plan.title


@pytest.mark.slow
def test_english_plan_report(rendered: dict[str, Rendered]):
    reader = rendered["en"].reader
    text = text_of(reader)
    for label in ("Contents", "1 Summary", "2 Key results", "5 Problem analysis", "Appendix",
                  "missed", "Page 3 of", "Executive summary", "Three biggest problems",
                  "Decisions needed"):
        assert label in text, label
    assert "执行概况" not in text
    fonts = fonts_of(reader)
    # Latin text: the same family, with narrow quotation marks
    assert all(any(k in name for k in ("MxtCJK", "Noto-Sans-CJK", "MxtQuotes"))
               for name in fonts), fonts


@pytest.mark.slow
def test_portfolio_report(computed: Computed, rendered: dict[str, Rendered]):
    reader = rendered["portfolio"].reader
    text = rendered["portfolio"].text()
    assert len(reader.pages) >= 1 + len(computed.result.plans)
    flat = "".join(text.split())
    for p in computed.result.plans:
        assert "".join(p.plan.title.split()) in flat
    assert "计划一览" in text and "预算合计（按币种）" in text
    # it opens with the totals and the plans' table: both on the first page
    first = pdftotext(rendered["portfolio"].data, "-f", "1", "-l", "1")
    assert "预算合计" in first and "计划一览" in first
    # the table's figure per plan is its health (§5: capped, weighted), as on the site, not
    # a plain mean of attainments where one goal far over its target hides a missed one
    assert "健康度" in first
    for p in computed.result.plans:
        assert f"{p.health * 100:.1f}%" in first, p.id


@pytest.mark.slow
def test_reports_are_tagged_pdf_ua_and_open_on_their_bookmarks(computed: Computed,
                                                                rendered: dict[str, Rendered]):
    titles = {"zh": plan(computed, "launch-2026q3").plan.title,
              "en": plan(computed, "winback-2026h2").plan.title,
              "portfolio": "营销策略执行看板 · 营销计划组合报告"}
    for kind, r in rendered.items():
        reader = r.reader
        root = reader.trailer["/Root"].get_object()
        assert root["/PageMode"] == "/UseOutlines", kind
        assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"]), kind
        assert bool(root["/MarkInfo"]["/Marked"]), kind  # tagged
        assert "/StructTreeRoot" in root, kind
        assert root["/Lang"] in ("zh", "en"), kind
        xmp = root["/Metadata"].get_object().get_data().decode("utf-8")
        assert re.search(r"pdfuaid:part(>|=\")1", xmp), (kind, xmp[:400])
        assert reader.metadata.title == titles[kind], kind
        assert reader.outline, kind  # bookmarks: the chapters
        # every image carries a text alternative in the structure tree
        figures = [e for e in _structure(root["/StructTreeRoot"]) if e.get("/S") == "/Figure"]
        assert figures and all(e.get("/Alt") for e in figures), kind


def _structure(node: object) -> list[dict]:
    """Every structure element below a node of the structure tree."""
    out = []
    node = node.get_object() if hasattr(node, "get_object") else node
    kids = node.get("/K") if isinstance(node, dict) else None
    if kids is None:
        return out
    for kid in kids if isinstance(kids, list) else [kids]:
        kid = kid.get_object() if hasattr(kid, "get_object") else kid
        if isinstance(kid, dict) and "/S" in kid:
            out.append(kid)
            out += _structure(kid)
    return out


@pytest.mark.slow
def test_no_amount_is_broken_across_a_line_of_the_portfolio_report(computed: Computed,
                                                                   rendered: dict[str, Rendered]):
    from generator.views import fmt

    text = rendered["portfolio"].text()
    amounts = set()
    for p in computed.result.plans:
        b = p.budget
        if b is not None:
            amounts |= {fmt.money(b.spent), fmt.money(b.total if b.total is not None
                                                      else b.planned)}
    assert len(amounts) >= 6
    for amount in amounts:
        assert amount in text, amount  # whole, on one line
    # no line ends inside a figure: digits and a separator, then digits on the next line
    assert not re.search(r"\d[,.]\n\d|\d,\d{1,2}\n\d", text)


def _boxes(box: object):
    yield box
    for child in getattr(box, "children", None) or []:
        yield from _boxes(child)


@pytest.mark.slow
def test_tables_stay_within_the_text_block(rendered: dict[str, Rendered]):
    from weasyprint.formatting_structure import boxes

    for kind, r in rendered.items():
        document = pdf.layout(r.source.html, r.source.files)
        assert pdf.wide_tables(document) == [], kind
        tables = 0
        for page in document.pages:
            page_box = page._page_box
            right = page_box.content_box_x() + page_box.width
            for box in _boxes(page_box):
                if isinstance(box, boxes.TableBox):
                    tables += 1
                    assert box.border_box_x() + box.border_width() <= right + 0.5, kind
        assert tables >= 3, kind


def test_a_table_too_wide_is_laid_out_again_within_the_margins():
    long = "Supercalifragilisticexpialidocious-omnichannel-reactivation-programme"
    row = "".join(f"<td>{long}{i}</td>" for i in range(6))
    html = ("<html><body><table><tr>" + "".join(f"<th>h{i}</th>" for i in range(6))
            + f"</tr><tr>{row}</tr></table><p>after</p></body></html>")
    from weasyprint import HTML

    plain = HTML(string=pdf._number_tables(html)).render()
    assert pdf.wide_tables(plain) == ["1"]  # it would pass the margin as written
    assert pdf.wide_tables(pdf.layout(html, {})) == []


@pytest.mark.slow
def test_no_page_is_left_half_empty_by_a_break_before_a_chart(rendered: dict[str, Rendered]):
    from weasyprint.formatting_structure import boxes

    def leaves(box: object, tags: tuple[str, ...] = ()):
        tag = getattr(box, "element_tag", None)
        tags = (*tags, tag) if tag else tags
        if isinstance(box, boxes.LineBox | boxes.ReplacedBox | boxes.TableRowBox):
            yield box, tags
            return
        for child in getattr(box, "children", None) or []:
            yield from leaves(child, tags)

    checked = 0
    for kind, r in rendered.items():
        pages = pdf.layout(r.source.html, r.source.files).pages
        filled = []
        for page in pages:
            page_box = page._page_box
            bottom = max((b.position_y + b.margin_height() for b, _ in leaves(page_box)),
                         default=page_box.content_box_y())
            filled.append((bottom - page_box.content_box_y()) / page_box.height)
        for n, page in enumerate(pages[1:], 1):
            first = next(((b, t) for b, t in leaves(page._page_box.children[0])
                          if not {"h1", "h2", "h3"} & set(t)), None)
            if first and (isinstance(first[0], boxes.ReplacedBox) or "figure" in first[1]):
                checked += 1
                assert filled[n - 1] > 0.5, (kind, n, filled[n - 1])
    assert checked >= 3


@pytest.mark.slow
def test_gantt_text_prints_at_seven_points_or_more(computed: Computed,
                                                   rendered: dict[str, Rendered]):
    import dataclasses

    from matplotlib.text import Text
    from weasyprint.formatting_structure import boxes

    from generator.render import charts

    p = plan(computed, "launch-2026q3")
    # a plan of 50 tasks: printed on three Gantt pages, every text at least 7 pt
    many = dataclasses.replace(p, tasks=[dataclasses.replace(t, id=f"{t.id}-{n}")
                                         for n in range(4) for t in p.tasks][:50])
    figures = charts.gantt_figures(many, computed.result.as_of, "zh")
    assert len(figures) == 3
    for fig in figures:
        assert fig.get_figwidth() == charts.PRINT_WIDTH
        sizes = [t.get_fontsize() for t in fig.findobj(Text) if t.get_visible() and t.get_text()]
        assert sizes and min(sizes) >= 7, min(sizes)
        assert fig.get_figheight() * 25.4 < 250  # a page of the text block
    # and the report shows the Gantt at its drawn size: 7 inches are 672 CSS pixels
    document = pdf.layout(rendered["zh"].source.html, rendered["zh"].source.files)
    gantt = [b for page in document.pages for b in _boxes(page._page_box)
             if isinstance(b, boxes.ReplacedBox)
             and "gantt-print" in (b.element.get("src") or "")]
    assert gantt and all(abs(b.width - charts.PRINT_WIDTH * 96) < 1 for b in gantt)


@pytest.mark.slow
def test_printed_gantt_draws_the_sites_tasks_and_counts_the_rest(computed: Computed):
    import dataclasses

    from matplotlib.text import Text

    from generator.render import charts

    p = plan(computed, "launch-2026q3")
    extra = 7
    many = dataclasses.replace(p, tasks=[dataclasses.replace(p.tasks[0], id=f"T{n}")
                                         for n in range(charts.MAX_GANTT_TASKS + extra)])
    figures = charts.gantt_figures(many, computed.result.as_of, "zh")
    rows = len(p.milestones) + charts.MAX_GANTT_TASKS
    assert len(figures) == -(-rows // charts.PRINT_GANTT_ROWS)
    titles = [" ".join(t.get_text() for t in fig.findobj(Text)) for fig in figures]
    assert all("另有 7 项任务未画出" in t for t in titles), titles


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

def test_plan_report_without_history_has_no_rebaselining_notes(rendered: dict[str, Rendered]):
    assert "调整为" not in "".join(text_of(rendered["zh"].reader).split())  # as `mxt report`


@pytest.mark.slow
def test_executive_summary_names_the_three_biggest_problems_and_their_owners(
        computed: Computed, rendered: dict[str, Rendered]):
    from generator.render import status_json

    document = status_json.document(computed.result)
    doc_plan = next(x for x in document["plans"] if x["id"] == "launch-2026q3")
    top = doc_plan["top_problems"]
    # worked example: three critical problems, by the size of their gap
    #   G3 ROI goal at pace ratio 0.751 → 24.9% short; M-09 26 days late over a plan of
    #   122 days → 0.213; B2 spent 1,152,000 of 1,000,000 → 15.2% over; then the plan,
    #   17 days late (0.139), is fourth and left out
    assert [(x["subject"], x["severity"]) for x in top] == [
        ("G3", "critical"), ("M-09", "critical"), ("B2", "critical")]
    assert [round(x["gap"], 3) for x in top] == [0.249, 0.213, 0.152]
    assert [x["owner"] for x in top] == ["王经理（市场部）", "陈专员", "王经理（市场部）"]
    cover = "".join(pdftotext(rendered["zh"].data, "-f", "1", "-l", "1").split())
    assert "三大问题" in cover
    for x in top:
        assert x["subject"] in cover and "".join(x["owner"].split()) in cover, x
    assert "落后24.9%" in cover and "晚26天" in cover and "超支15.2%" in cover
    # the decisions asked for: the actions of the critical alerts
    actions = {a["action"] for a in doc_plan["alerts"]
               if a["severity"] == "critical" and a["action"]}
    assert actions and all("".join(a.split()) in cover for a in actions)
    # every plan's page of the portfolio report names its own three
    portfolio = "".join(rendered["portfolio"].text().split())
    for x in (x for p in document["plans"] for x in p["top_problems"]):
        assert x["subject"] in portfolio and "".join(x["owner"].split()) in portfolio


def test_problems_rank_by_severity_then_gap_one_per_subject(computed: Computed):
    from generator.compute.summary import problems

    for p in computed.result.plans:
        ranked = problems(p)
        keys = [(-x.severity.rank, -x.gap) for x in ranked]
        assert keys == sorted(keys), p.id
        assert len({x.subject for x in ranked}) == len(ranked), p.id
        raised = {a.subject for a in p.alerts if a.severity.value != "info"}
        assert {x.subject for x in ranked} == raised, p.id


def test_portfolio_totals_are_per_currency(computed: Computed):
    import dataclasses

    from generator.views.report import portfolio_totals

    plans = computed.result.plans
    with_budget = [p for p in plans if p.budget is not None]
    usd = with_budget[0]
    changed = dataclasses.replace(usd, budget=dataclasses.replace(usd.budget, currency="USD"))
    result = dataclasses.replace(computed.result,
                                 plans=[changed if p is usd else p for p in plans])
    totals = portfolio_totals(result, "zh")
    assert [m.currency for m in totals.money] == ["CNY", "USD"]
    assert [m.plans for m in totals.money] == [len(with_budget) - 1, 1]
    from generator.views import fmt
    cny = sum(p.budget.spent for p in with_budget[1:])
    assert totals.money[0].spent == fmt.money(cny)
    assert totals.money[1].spent == fmt.money(usd.budget.spent)


@pytest.mark.slow
def test_long_names_and_english_keep_every_table_within_the_margins(tmp_path: Path):
    """Owners, names and descriptions of long unbreakable words, in an English plan."""
    project = copy_project(tmp_path / "long", ("plans", "data", "mkdocs.yml"))
    plan_file = project / "plans" / "winback-2026h2.yaml"
    text = plan_file.read_text("utf-8")
    word = "Internationalisation-and-omnichannel-reactivation-workstream"
    text = re.sub(r"(\n\s*(?:- )?owner: )[^\n]+", rf"\1Coordinator {word}", text)
    text = re.sub(r"(\n\s*(?:- )?name: )([^\n{]+)\n", rf"\1{word} \2\n", text)
    plan_file.write_text(text, "utf-8")
    computed = pipeline.compute(project)
    p = next(x for x in computed.result.plans if x.id == "winback-2026h2")
    assert word in p.plan.owner
    source = reports.plan_report_source(computed, p, None)
    document = pdf.layout(source.html, source.files)
    assert pdf.wide_tables(document) == []
    reader = read(pdf.write_pdf(source.html, source.files))
    assert "Coordinator" in text_of(reader)


def test_a_very_long_title_is_cut_on_the_cover_and_in_the_running_header(tmp_path: Path):
    """A 598-character title (under the 2,000 of a text field) printed whole pushed the
    cover's figures off page 1 and wrapped the running header over the text: the cover
    prints 60 characters and the header 30, each cut labelled; the document's metadata
    keeps the whole title."""
    project = copy_project(tmp_path / "t", ("plans", "data", "mkdocs.yml"))
    plan_file = project / "plans" / "launch-2026q3.yaml"
    title = "新品上市全渠道整合营销战役" * 46
    plan_file.write_text(re.sub(r"(?m)^title: .*$", f"title: {title}",
                                plan_file.read_text("utf-8"), count=1), "utf-8")
    computed = pipeline.compute(project)
    p = next(x for x in computed.result.plans if x.id == "launch-2026q3")
    reader = read(reports.plan_report(computed, p, None))
    cover, second = (reader.pages[i].extract_text().replace("\n", "") for i in (0, 1))
    assert f"{title[:60]}… [+{len(title) - 60}]" in cover
    assert "管理摘要" in cover and "三大问题" in cover  # the cover's figures stay on page 1
    # the header's two boxes, read one after the other: the title cut, then the as-of date
    assert f"{title[:30]}… [+{len(title) - 30}] 数据截至 2026-11-15" in second
    assert reader.metadata.title == title
    # the cuts are widths: a Latin letter takes half a Chinese character's room, so an
    # English title of 45 letters stays whole in the header; 70 are cut at 60
    from generator.views.plan import RUNNING_TEXT
    from generator.views.plan import title as cut

    english = "H2 2026 win-back: re-activate dormant members"
    assert cut(english, RUNNING_TEXT) == english
    assert cut("x" * 70, RUNNING_TEXT) == "x" * 60 + "… [+10]"
