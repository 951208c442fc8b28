"""The typed context of every template: what each page and report may print.

A template receives exactly the fields of its context class (and the
environment's globals: `L` for labels, `S` for status names, `lang`; reports
also get `page_numbers` and `sections`). The suite checks every attribute a
template reads against these types (tests/test_template_context.py), so a
renamed field fails the tests, not a page.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from .home import Card
from .people import OwnerRows
from .plan import PlanView
from .portfolio import (
    DimensionView,
    MetricRow,
    OwnedAlert,
    OwnerAlertCount,
    PageLink,
    PlanSummary,
    SeverityGroup,
)
from .report import PortfolioLine, PortfolioTotals, ReportView


@dataclass(frozen=True)
class IndexPage:
    template: ClassVar[str] = "index.md.j2"
    plans: list[PlanSummary]
    alerts: list[OwnedAlert]  # the most severe first, at most ten
    as_of: str
    timeline_chart: str | None
    portfolio_pdf: str | None
    cards: list[Card]
    all_alerts: str  # the link to every alert, with their number
    dimensions: list[PageLink]  # the cross-plan pages (by channel, region…)
    money_hidden: bool = False  # a public site: money amounts are in the PDFs only


@dataclass(frozen=True)
class AlertsPage:
    template: ClassVar[str] = "alerts.md.j2"
    alerts: list[OwnedAlert]  # the most severe first
    as_of: str
    owners: list[OwnerAlertCount]  # the most critical first
    severities: list[SeverityGroup]  # critical, warning, info
    has_history: bool  # False: no git history, every age is "—"


@dataclass(frozen=True)
class DimensionPage:
    template: ClassVar[str] = "dimension.md.j2"
    d: DimensionView
    as_of: str


@dataclass(frozen=True)
class OwnersPage:
    template: ClassVar[str] = "owners.md.j2"
    owners: list[OwnerRows]
    as_of: str


@dataclass(frozen=True)
class MetricsPage:
    template: ClassVar[str] = "metrics.md.j2"
    metrics: list[MetricRow]


@dataclass(frozen=True)
class PlanPage:
    template: ClassVar[str] = "plan.md.j2"
    p: PlanView


@dataclass(frozen=True)
class PlanReport:
    template: ClassVar[str] = "report.html.j2"
    r: ReportView


@dataclass(frozen=True)
class PortfolioReport:
    template: ClassVar[str] = "portfolio.html.j2"
    lines: list[PortfolioLine]
    totals: PortfolioTotals
    as_of: str
    site_name: str
    timeline_chart: str


Page = IndexPage | AlertsPage | OwnersPage | MetricsPage | PlanPage | DimensionPage
Document = PlanReport | PortfolioReport
CONTEXTS: tuple[type[Page] | type[Document], ...] = (
    IndexPage, AlertsPage, OwnersPage, MetricsPage, PlanPage, DimensionPage, PlanReport,
    PortfolioReport)
