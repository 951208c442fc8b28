"""`mxt build` on the sample portfolio: pages, charts, links, status.json, escaping, languages."""

from __future__ import annotations

import json
import re
import shutil
import urllib.parse
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.build import build
from generator.cli import main

from .conftest import PROJECT_PARTS, ROOT, Sample, copy_project

__all__ = ["PROJECT_PARTS", "copy_project"]  # other test modules copy the sample with it


@pytest.fixture(scope="module")
def built(sample_with_pdfs: Sample) -> Path:
    """The sample built with its PDFs (the session's build, from an empty cache: read only)."""
    return sample_with_pdfs.root


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, str]] = []
        self.scripts: list[dict[str, str | None]] = []
        self.handlers: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        for name in a:
            if name.startswith("on"):
                self.handlers.append(f"<{tag} {name}>")
        if tag == "a" and a.get("href"):
            self.links.append(("a", a["href"] or ""))
        if tag == "img" and a.get("src"):
            self.links.append(("img", a["src"] or ""))
        if tag == "script":
            self.scripts.append(a)


def parse(path: Path) -> _Links:
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


@pytest.mark.slow
def test_every_page_type_is_built(built: Path):
    site = built / "site"
    for page in ("index.html", "alerts/index.html", "owners/index.html", "metrics/index.html",
                 "guide/index.html", "status.json", "reports/portfolio.pdf"):
        assert (site / page).is_file(), page
    for plan_id in ("annual-2026", "double11-2026", "launch-2026q3", "south-expansion-2026",
                    "winback-2026h2"):
        pdf = site / "reports" / f"{plan_id}.pdf"
        assert pdf.read_bytes().startswith(b"%PDF-")
        page = (site / "plans" / plan_id / "index.html").read_text("utf-8")
        assert f'href="../../reports/{plan_id}.pdf"' in page
    plans = sorted(p.name for p in (site / "plans").iterdir())
    assert plans == ["annual-2026", "double11-2026", "launch-2026q3", "south-expansion-2026",
                     "winback-2026h2"]
    assert not (built / "site").with_name("site.new").exists()


@pytest.mark.slow
def test_plan_page_shows_the_figures_and_statuses_that_matter(built: Path):
    html = (built / "site" / "plans" / "launch-2026q3" / "index.html").read_text("utf-8")
    doc = json.loads((built / "site" / "status.json").read_text("utf-8"))
    plan = next(p for p in doc["plans"] if p["id"] == "launch-2026q3")
    g1 = plan["goals"][0]
    assert f"{g1['attainment'] * 100:.1f}%" in html          # 89.5%
    assert f"{g1['target']:,.0f}" in html                     # 200,000
    for section in ("执行概况", "目标达成", "执行进度", "预算与ROI", "风险与问题", "预警",
                    "复盘与优化建议", "指标趋势", "变更记录"):
        assert section in html, section
    assert 'class="mxt-badge mxt-off_track">落后</span>' in html
    assert 'class="mxt-badge mxt-delayed">延期</span>' in html
    for alert in plan["alerts"]:
        assert alert["subject"] in html
    svgs = re.findall(r'src="([^"]+\.svg)"', html)
    assert len(svgs) >= 8  # goals, break-down, attainment, Gantt, burn, ROI, risks


@pytest.mark.slow
def test_status_json_in_site_matches_status_command(built: Path):
    result = CliRunner().invoke(main, ["status", "--json", "--project", str(built)])
    site = json.loads((built / "site" / "status.json").read_text("utf-8"))
    # the site's document adds the re-baselining keys that only the git history knows
    history_keys = {"first_target", "target_changes", "first_start", "first_end",
                    "date_changes"}

    def strip(value):
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items() if k not in history_keys}
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value

    assert strip(site) == json.loads(result.stdout)


@pytest.mark.slow
def test_links_and_images_resolve(built: Path):
    site = built / "site"
    checked = 0
    for page in site.rglob("*.html"):
        if page.name == "404.html":
            continue  # served from any depth, so MkDocs links it from the site root
        for kind, link in parse(page).links:
            url = urllib.parse.urlparse(link)
            if url.scheme or url.netloc or link.startswith("#"):
                continue
            target = (page.parent / urllib.parse.unquote(url.path)).resolve()
            if target.is_dir():
                target = target / "index.html"
            assert target.exists(), f"{page.relative_to(site)}: broken {kind} {link}"
            checked += 1
    assert checked > 100


@pytest.mark.slow
def test_no_template_syntax_left_and_no_foreign_scripts(built: Path):
    for page in (built / "site").rglob("*.html"):
        text = page.read_text("utf-8")
        assert "{{" not in text and "{%" not in text, page
        found = parse(page)
        assert not found.handlers, (page, found.handlers)
        for script in found.scripts:
            src = script.get("src") or ""
            # only the theme's own bundles: nothing from plan text, nothing from elsewhere
            assert not src or re.fullmatch(r"(\.\./)*/?assets/javascripts/[\w./-]+\.js", src), \
                (page, src)


@pytest.mark.slow
def test_home_alerts_owners_and_metrics_pages(built: Path):
    site = built / "site"
    home = (site / "index.html").read_text("utf-8")
    assert "计划总览" in home and "数据截至" in home and "timeline.svg" in home
    # the plan list is a real table, not pipes in a paragraph
    assert "|---|" not in home and home.count('<a href="plans/') >= 5
    assert re.search(r"<table>\s*<thead>\s*<tr>\s*<th>计划</th>", home)
    alerts = (site / "alerts" / "index.html").read_text("utf-8")
    # most severe first: every critical badge comes before the first warning badge
    assert alerts.rfind("mxt-critical") < alerts.find("mxt-warning")
    owners = (site / "owners" / "index.html").read_text("utf-8")
    assert "陈专员" in owners and "第二波KOC种草" in owners
    metrics = (site / "metrics" / "index.html").read_text("utf-8")
    assert "clicks / impressions" in metrics and "获客成本" in metrics


@pytest.mark.slow
def test_english_site(sample_english: Sample):
    # the session's build (samples.py) of the sample with theme.language: en, without PDFs
    project = sample_english.root
    assert "language: en" in (project / "mkdocs.yml").read_text("utf-8")
    html = (project / "site" / "plans" / "winback-2026h2" / "index.html").read_text("utf-8")
    for label in ("Overview", "Goals", "Schedule", "Budget and ROI", "Risks and issues",
                  "Retrospective", "missed"):
        assert label in html, label
    assert "执行概况" not in html


@pytest.mark.slow
def test_failed_build_leaves_previous_site(tmp_path: Path, sample: Sample):
    project = sample.copy(tmp_path / "p")  # its plans come from the cache
    build(project, pdf=False)
    before = (project / "site" / "index.html").read_bytes()
    plan = project / "plans" / "launch-2026q3.yaml"
    plan.write_text(plan.read_text("utf-8").replace("owner: 王经理（市场部）", "ownr: x", 1),
                    encoding="utf-8")
    result = CliRunner().invoke(main, ["build", "--no-pdf", "--project", str(project)])
    assert result.exit_code == 1
    lines = result.output.splitlines()  # in the project's language (zh)
    assert "plans/launch-2026q3.yaml:6:1: ownr: 未知字段 'ownr'（是否想写 'owner'？）" in lines
    assert lines[-1] == "2 个错误：未做任何计算，也未写入任何文件（现有站点保持不变）"
    assert (project / "site" / "index.html").read_bytes() == before
    assert not [p for p in project.iterdir() if p.name.startswith(".site")]


@pytest.mark.slow
def test_hostile_plan_text_stays_text(tmp_path: Path, sample: Sample):
    project = sample.copy(tmp_path / "hostile")  # the hostile plan alone is rendered
    shutil.copy(ROOT / "tests" / "fixtures" / "hostile" / "plan_with_hostile_text.yaml",
                project / "plans" / "hostile.yaml")
    build(project, pdf=False)
    site = project / "site"
    page = site / "plans" / "hostile" / "index.html"
    html = page.read_text("utf-8")
    for page_path in site.rglob("*.html"):
        found = parse(page_path)
        assert not found.handlers, (page_path, found.handlers)
        for _kind, link in found.links:
            assert not link.lower().startswith(("javascript:", "http://example.invalid")), link
        text = page_path.read_text("utf-8")
        for tag in ("<iframe", "<svg onload", "<marquee", "<style>body", "<img src=x"):
            assert tag not in text, (page_path, tag)
    # the text is shown, escaped, as written
    assert "&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt;" in html or \
        "&#60;script&#62;alert" in html
    # Jinja syntax in plan text is shown as typed, never evaluated
    assert "&#123;&#123; 7&#42;7 &#125;&#125;" in html
    assert all("49" not in m for m in re.findall(r"新品.{0,80}", html))
    assert "‮" not in html  # right-to-left override removed
    assert "🚀" in html
    # the site's scripts are exactly those of a plan page without hostile text
    clean = parse(site / "plans" / "launch-2026q3" / "index.html").scripts
    assert [s.get("src") for s in parse(page).scripts] == [s.get("src") for s in clean]


@pytest.mark.slow
def test_chinese_search_index_is_segmented(built: Path):
    """jieba splits Chinese into words with zero-width spaces, which the separator splits on."""
    index = json.loads((built / "site" / "search" / "search_index.json").read_text("utf-8"))
    assert "\\u200b" in index["config"]["separator"]
    words: set[str] = set()
    for doc in index["docs"]:  # the page and its sections
        if doc["location"].startswith("plans/launch-2026q3/"):
            words |= set(re.split(index["config"]["separator"], doc["text"]))
    assert {"获客", "成本", "预算"} <= words


@pytest.mark.slow
def test_incremental_build_renders_only_what_changed(tmp_path: Path, sample: Sample):
    # the cache of a first build of the sample (the session's, from an empty cache)
    project = sample.copy(tmp_path / "inc")
    build(project, pdf=False)
    cache = project / ".cache" / "mxt" / "build"
    before = {p.name for p in cache.iterdir()}
    plan_pages = project / "build" / "docs" / "plans"
    pages_before = {p.name: p.read_bytes() for p in plan_pages.iterdir()}
    assert len(before) == 5
    data = project / "data" / "double11-2026" / "daily.csv"
    lines = data.read_text("utf-8").splitlines(keepends=True)
    cells = lines[5].split(",")
    cells[-2] = str(int(float(cells[-2])) + 1)  # one value of one row
    lines[5] = ",".join(cells)
    data.write_text("".join(lines), "utf-8")
    build(project, pdf=False)
    after = {p.name for p in cache.iterdir()}
    assert len(after - before) == 1  # only double11 was rendered again
    pages_after = {p.name: p.read_bytes() for p in plan_pages.iterdir()}
    changed = {name for name in pages_after if pages_after[name] != pages_before[name]}
    assert changed <= {"double11-2026.md"}


def test_navigation_stays_small_for_many_plans():
    import datetime as dt

    from generator.render.site import NAV_SECTION_SIZE, navigation
    from generator.views.plan import Badge
    from generator.views.portfolio import PlanSummary

    plans = [PlanSummary(f"p{i:04d}", f"计划 {i}", "o", "", Badge("on_track", "正常"), "",
                         "", 0, "campaign", "2026 Q1",
                         (dt.date(2026, 1, 1) + dt.timedelta(days=i % 50)).strftime("%Y-%m"))
             for i in range(1000)]
    nav = navigation(plans, "zh")

    def leaves(node: object) -> list[list[object]]:
        """Every list of plan pages in the navigation tree."""
        if isinstance(node, dict):
            return [x for v in node.values() for x in leaves(v)]
        if isinstance(node, list):
            pages = [x for x in node if isinstance(x, dict) and
                     all(isinstance(v, str) for v in x.values())]
            nested = [x for x in node if x not in pages]
            return ([pages] if pages else []) + [y for x in nested for y in leaves(x)]
        return []

    groups = leaves(nav[-1])
    assert sum(len(g) for g in groups) == 1000
    assert max(len(g) for g in groups) <= NAV_SECTION_SIZE


@pytest.mark.slow
def test_plan_pages_speak_the_plans_language_and_size_their_charts(built: Path):
    english = (built / "site" / "plans" / "winback-2026h2" / "index.html").read_text("utf-8")
    assert '<div class="mxt-plan" lang="en">' in english
    article = english.split('<div class="mxt-plan" lang="en">', 1)[1]
    for word in ("执行概况", "目标达成", "健康度", "有风险", "未达成"):
        assert word not in article, word
    chinese = (built / "site" / "plans" / "launch-2026q3" / "index.html").read_text("utf-8")
    assert '<div class="mxt-plan" lang="zh">' in chinese
    for html in (english, chinese):
        images = re.findall(r"<img [^>]*mxt-chart[^>]*>", html)
        assert images and all("width=" in i and "height=" in i and 'alt="' in i
                              for i in images if "history" not in i)
        assert any("/narrow/" in i and "mxt-narrow" in i for i in images)

