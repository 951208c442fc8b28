"""PDF review reports: one per plan, and one for the portfolio."""

from __future__ import annotations

import functools
from pathlib import Path

from . import pipeline
from .compute.plan import evaluate_plan
from .compute.results import PlanResult
from .plan_charts import plan_charts
from .render import charts, pdf, views


@functools.cache
def _fonts() -> dict[str, bytes]:
    return pdf.font_files()


def report_language(p: PlanResult, site_language: str) -> str:
    """A plan's `language` overrides the site's for its report."""
    return p.plan.language or site_language


def chart_files(rendered: dict[str, bytes], folder: str = "charts", link_prefix: str = ""
                ) -> tuple[dict[str, bytes], dict[str, str]]:
    """Chart files named by position (never by user text), and the links pages use."""
    files, links = {}, {}
    for n, (key, svg) in enumerate(rendered.items()):
        name = f"{folder}/{n:03d}-{key.split(':', 1)[0]}.svg"
        files[name] = svg
        links[key] = link_prefix + name
    return files, links


def plan_report(computed: pipeline.Computed, p: PlanResult, templates: Path | None,
                rendered: dict[str, bytes] | None = None) -> bytes:
    """One plan's review report as PDF bytes (charts re-drawn if its language differs)."""
    result = computed.result
    lang = report_language(p, result.language)
    if lang != result.language:  # alert messages and labels in the report's own language
        p = evaluate_plan(p.plan, p.id, p.source, computed.store, lang)
    if rendered is None or lang != result.language:
        rendered = plan_charts(p, computed.store, result, lang)
    files, links = chart_files(rendered)
    view = views.report(result, p, links, computed.sources(p.id), lang)
    html = pdf.render_html("report.html.j2", templates, lang, r=view)
    return pdf.write_pdf(html, {**files, **_fonts()})


def portfolio_report(computed: pipeline.Computed, templates: Path | None, site_name: str
                     ) -> bytes:
    """Every plan on a line, then a page of key figures per plan."""
    result = computed.result
    lang = result.language
    timeline = charts.timeline_chart(result.plans, result.as_of, lang)
    html = pdf.render_html("portfolio.html.j2", templates, lang,
                           lines=views.portfolio_lines(result, lang), as_of=str(result.as_of),
                           site_name=site_name, timeline_chart="charts/timeline.svg")
    return pdf.write_pdf(html, {"charts/timeline.svg": timeline, **_fonts()})
