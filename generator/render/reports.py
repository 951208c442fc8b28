"""PDF review reports: one per plan, and one for the portfolio, as bytes."""

from __future__ import annotations

import functools
from pathlib import Path

from ..compute import Computed
from ..compute.results import PlanResult
from ..history import Baselines
from ..views.contexts import PlanReport, PortfolioReport
from ..views.plan import plan_language
from ..views.portfolio import portfolio_lines
from ..views.report import report
from . import charts, pdf
from .plan_charts import PlanCharts, plan_charts


@functools.cache
def _fonts() -> dict[str, bytes]:
    return pdf.font_files()


def plan_report(computed: Computed, p: PlanResult, templates: Path | None,
                drawn: PlanCharts | None = None, baselines: Baselines | None = None) -> bytes:
    """One plan's review report as PDF bytes (its charts drawn here unless handed in:
    `plan_charts` draws them in the plan's language either way).

    `baselines`: the plan's re-baselined targets and task dates (`History.baselines(p.id)`);
    without them the report shows no re-baselining notes."""
    result = computed.result
    lang = plan_language(p, result.language)
    if drawn is None:
        drawn = plan_charts(p, computed.store, result, lang, baselines, phone=False)
    files, links = drawn.files("charts")
    view = report(result, p, links, computed.sources(p.id), lang, baselines)
    html = pdf.render_html(PlanReport(view), templates, lang)
    return pdf.write_pdf(html, {**files, **_fonts()})


def portfolio_report(computed: Computed, templates: Path | None, site_name: str) -> bytes:
    """Every plan on a line, then a page of key figures per plan."""
    result = computed.result
    lang = result.language
    timeline = charts.timeline_chart(result.plans, result.as_of, lang)
    document = PortfolioReport(lines=portfolio_lines(result, lang), as_of=str(result.as_of),
                               site_name=site_name, timeline_chart="charts/timeline.svg")
    html = pdf.render_html(document, templates, lang)
    return pdf.write_pdf(html, {"charts/timeline.svg": timeline, **_fonts()})
