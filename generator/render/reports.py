"""PDF review reports: one per plan, and one for the portfolio, as bytes."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from ..compute import Computed
from ..compute.results import PlanResult
from ..history import Baselines
from ..views.contexts import PlanReport, PortfolioReport
from ..views.plan import plan_language
from ..views.report import portfolio_lines, portfolio_totals, report
from . import charts, pdf
from .plan_charts import PlanCharts, plan_charts


@functools.cache
def _fonts() -> dict[str, bytes]:
    return pdf.font_files()


@dataclass(frozen=True)
class ReportSource:
    """A report before WeasyPrint: its HTML and every resource it loads, by URL."""

    html: str
    files: dict[str, bytes]

    def pdf(self) -> bytes:
        return pdf.write_pdf(self.html, self.files)


def plan_report(computed: Computed, p: PlanResult, templates: Path | None,
                drawn: PlanCharts | None = None, baselines: Baselines | None = None) -> bytes:
    """One plan's review report as PDF bytes (its charts drawn here unless handed in:
    `plan_charts` draws them in the plan's language either way).

    `baselines`: the plan's re-baselined targets and task dates (`History.baselines(p.id)`);
    without them the report shows no re-baselining notes."""
    return plan_report_source(computed, p, templates, drawn, baselines).pdf()


def plan_report_source(computed: Computed, p: PlanResult, templates: Path | None,
                       drawn: PlanCharts | None = None, baselines: Baselines | None = None
                       ) -> ReportSource:
    """`plan_report`'s HTML and resources."""
    result = computed.result
    lang = plan_language(p, result.language)
    if drawn is None:
        drawn = plan_charts(p, computed.store, result, lang, baselines, phone=False)
    files, links = drawn.files("charts")
    gantt = {f"charts/gantt-print-{n}.svg": svg
             for n, svg in enumerate(charts.gantt_pages(p, result.as_of, lang), 1)}
    view = report(result, p, links, computed.sources(p.id), lang, baselines, list(gantt))
    html = pdf.render_html(PlanReport(view), templates, lang)
    return ReportSource(html, {**files, **gantt, **_fonts()})


def portfolio_report(computed: Computed, templates: Path | None, site_name: str) -> bytes:
    """The totals and every plan on a line, then a page per plan."""
    return portfolio_report_source(computed, templates, site_name).pdf()


def portfolio_report_source(computed: Computed, templates: Path | None, site_name: str
                            ) -> ReportSource:
    """`portfolio_report`'s HTML and resources."""
    result = computed.result
    lang = result.language
    timeline = charts.timeline_chart(result.plans, result.as_of, lang)
    document = PortfolioReport(lines=portfolio_lines(result, lang),
                               totals=portfolio_totals(result, lang), as_of=str(result.as_of),
                               site_name=site_name, timeline_chart="charts/timeline.svg")
    html = pdf.render_html(document, templates, lang)
    return ReportSource(html, {"charts/timeline.svg": timeline, **_fonts()})
