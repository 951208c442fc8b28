"""The site's pages, charts, reports and data files, rendered in memory (no IO but caches).

A plan's files depend only on its inputs and the product's code, so they are
cached by content and rendered on every core (`plancache`).
"""

from __future__ import annotations

import html
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from .. import plancache
from ..compute import Computed
from ..compute.dimensions import all_dimensions
from ..compute.series import HistoryPoint
from ..history import History, State
from ..views import catalogue, fmt, home
from ..views.changes import change_rows
from ..views.contexts import (
    AlertsPage,
    DimensionPage,
    IndexPage,
    MetricsPage,
    OwnersPage,
    Page,
    PlanPage,
)
from ..views.people import owners
from ..views.plan import Formatter, plan_language
from ..views.portfolio import (
    DimensionView,
    PageLink,
    PlanSummary,
    by_owner,
    by_severity,
    dimension_view,
    metric_rows,
    owned_alerts,
    summaries,
)
from . import charts, pages, reports, status_json
from .plan_charts import plan_charts, svg_size

log = logging.getLogger(__name__)

Progress = Callable[[str, int, int], None]
NavItem = dict[str, "str | list[NavItem]"]
NAV_SECTION_SIZE = 30


@dataclass
class SiteFiles:
    """Everything rendered for one build, before any file is written."""

    docs: dict[str, bytes] = field(default_factory=dict)
    nav: list[NavItem] = field(default_factory=list)


def quiet(step: str, done: int, total: int) -> None:
    log.debug("%s %d/%d", step, done, total)


def _templates_digest(templates: Path | None) -> str:
    """A hash of every template file (project and built-in) a page may use."""
    parts = []
    for folder in (templates, pages.PACKAGE_TEMPLATES):
        if folder is not None and folder.is_dir():
            parts += [(str(f.relative_to(folder)), f.read_bytes().hex())
                      for f in sorted(folder.rglob("*")) if f.is_file()]
    return plancache.digest(parts)


def _history_points(states: list[State]) -> list[HistoryPoint]:
    return [HistoryPoint(s.commit.date, s.plan.health,
                         {g.id: g.attainment for g in s.plan.goals if not g.child})
            for s in states]


def render_site(computed: Computed, past: History, templates: Path | None,
                progress: Progress = quiet, *, pdf: bool = True, site_name: str = "",
                cache_root: Path | None = None, workers: int | None = None,
                hide_money: bool = False) -> SiteFiles:
    """Every page, chart, report and data file of the site, in memory (`hide_money`: a
    public site, whose pages, charts and status.json show no money amounts while its PDFs,
    for executives, keep them)."""
    with fmt.money_hidden(hide_money):
        return _render_site(computed, past, templates, progress, pdf, site_name, cache_root,
                            workers, hide_money)


def _render_site(computed: Computed, past: History, templates: Path | None,
                 progress: Progress, pdf: bool, site_name: str, cache_root: Path | None,
                 workers: int | None, hide_money: bool) -> SiteFiles:
    result, store = computed.result, computed.store
    lang = result.language
    env = pages.environment(templates, lang)
    formatter = Formatter(result, lang)
    site = SiteFiles()

    def render_plan(index: int) -> dict[str, bytes]:
        """One plan's charts, report and page."""
        p = result.plans[index]
        plan_lang = plan_language(p, lang)  # an English plan's page speaks English
        baselines = past.baselines(p.id)
        drawn = plan_charts(p, store, result, lang, baselines, hide_money=hide_money)
        files, links = drawn.files(f"charts/{p.id}", "../")
        report = None
        if pdf:
            with fmt.money_hidden(False):  # the executives' PDF keeps every amount
                for_pdf = (plan_charts(p, store, result, lang, baselines, phone=False)
                           if hide_money else drawn)
                files[f"reports/{p.id}.pdf"] = reports.plan_report(computed, p, templates,
                                                                   for_pdf, baselines)
            report = f"../reports/{p.id}.pdf"
        states = past.states.get(p.id, [])
        if len(states) >= 2:
            name = f"charts/{p.id}/history.svg"
            files[name] = charts.history_chart(_history_points(states), plan_lang)
            size = svg_size(files[name])
            links = replace(links, history=f"../{name}",
                            sizes={**links.sizes, **({f"../{name}": size} if size else {})})
        view = formatter.plan(p, links, report,
                              change_rows(past.entries.get(p.id, []), plan_lang),
                              baselines)
        files[f"plans/{p.id}.md"] = pages.render_page(env, PlanPage(view)).encode()
        return files

    shared = plancache.digest(lang, str(result.as_of), pdf, hide_money,
                              _templates_digest(templates),
                              computed.checked.project.dictionary.model_dump(mode="json"))
    keys = [plancache.digest(shared, p.plan.model_dump(mode="json"), p.id,
                             store.fingerprint(p.id),
                             [(e.commit.id, repr(e.change)) for e in past.entries.get(p.id, [])],
                             [(s.commit.id, s.plan.health) for s in past.states.get(p.id, [])],
                             repr(past.baselines(p.id)))
            for p in result.plans]
    cache = plancache.PlanCache(cache_root / "build") if cache_root else None
    total = len(result.plans)
    for files in plancache.render_all(keys, render_plan, cache,
                                      lambda done, n: progress("plans", done, n), workers):
        site.docs.update(files)
    progress("plans", total, total)
    progress("portfolio", 0, 1)  # the pages across plans and the portfolio report
    site.docs["charts/timeline.svg"] = charts.timeline_chart(result.plans, result.as_of, lang)
    portfolio_pdf = None
    if pdf:
        with fmt.money_hidden(False):
            site.docs["reports/portfolio.pdf"] = reports.portfolio_report(computed, templates,
                                                                          site_name)
        portfolio_pdf = "reports/portfolio.pdf"
    site_pages = portfolio_pages(computed, past, lang, portfolio_pdf)
    for name, page in site_pages:
        site.docs[name] = pages.render_page(env, page).encode()
    site.docs["status.json"] = status_json.dumps(result, past, hide_money).encode()
    from ..spreadsheet.export import workbook  # the status workbook, beside the PDFs

    site.docs["reports/status.xlsx"] = workbook(result, lang, hide_money)
    site.nav = navigation(summaries(result, lang), lang,
                          [PageLink(name, page.d.title) for name, page in site_pages
                           if isinstance(page, DimensionPage)])
    progress("portfolio", 1, 1)
    return site


def portfolio_pages(computed: Computed, past: History, lang: str,
                    portfolio_pdf: str | None = None) -> list[tuple[str, Page]]:
    """The pages across plans: home, alerts, owners, metrics and one per dimension."""
    result = computed.result
    alerts = owned_alerts(result, lang, past.states)
    dimensions = _dimension_views(computed, lang)
    as_of = str(result.as_of)
    return [
        ("index.md", IndexPage(
            plans=summaries(result, lang), alerts=alerts[:10], as_of=as_of,
            timeline_chart="charts/timeline.svg", portfolio_pdf=portfolio_pdf,
            cards=home.cards(home.figures(result), result, lang),
            money_hidden=fmt.hiding_money(),
            all_alerts=catalogue.label("all_alerts_count", lang, n=len(alerts)),
            dimensions=[PageLink(d.page, d.title) for d in dimensions])),
        ("alerts.md", AlertsPage(alerts=alerts, as_of=as_of, owners=by_owner(alerts),
                                 severities=by_severity(alerts, lang),
                                 has_history=bool(past.states))),
        ("owners.md", OwnersPage(owners=owners(result, lang), as_of=as_of)),
        ("metrics.md", MetricsPage(metrics=metric_rows(result, lang))),
        *((d.page, DimensionPage(d, as_of)) for d in dimensions)]


def _dimension_views(computed: Computed, lang: str) -> list[DimensionView]:
    """The cross-plan page of every dimension the plans' rows or filters use."""
    out: list[DimensionView] = []
    for n, d in enumerate(all_dimensions(computed.result, computed.store)):
        slug = re.sub(r"[^0-9A-Za-z_-]+", "-", d.dimension).strip("-").lower()
        if not slug or any(v.page == f"dimensions/{slug}.md" for v in out):
            slug = f"{slug}-{n}".strip("-")  # non-Latin names, or two that slug alike
        out.append(dimension_view(d, f"dimensions/{slug}.md", computed.result, lang))
    return out


def navigation(plans: list[PlanSummary], lang: str, dimensions: list[PageLink] | None = None
               ) -> list[NavItem]:
    """Home, alerts, the cross-plan pages, owners, metrics, then plans grouped by type
    (prunable sections)."""
    def L(key: str) -> str:
        return catalogue.label(key, lang)

    groups: dict[str, list[PlanSummary]] = {}
    for p in plans:
        groups.setdefault(p.type, []).append(p)
    plan_nav: list[NavItem] = [{catalogue.status_label(kind, lang): _sections(members)}
                               for kind, members in sorted(groups.items())]
    across: list[NavItem] = ([{L("site_dimensions"): [
        {html.escape(d.title): d.page} for d in dimensions]}]
        if dimensions else [])
    return [{L("site_home"): "index.md"}, {L("site_alerts"): "alerts.md"}, *across,
            {L("site_owners"): "owners.md"}, {L("site_metrics"): "metrics.md"},
            {L("site_plans"): plan_nav}]


def _entry(p: PlanSummary) -> NavItem:
    # the theme prints navigation titles as HTML: plan text must arrive escaped
    return {html.escape(p.title): f"plans/{p.id}.md"}


def _sections(members: list[PlanSummary]) -> list[NavItem]:
    """Plans as navigation items, nested by quarter, month, then runs of 30 when many.

    With `navigation.prune` each page renders only its own branch, so every page's
    navigation stays short and the site build grows linearly with the plans.
    """
    if len(members) <= NAV_SECTION_SIZE:
        return [_entry(p) for p in members]
    for level in ("quarter", "month"):
        groups: dict[str, list[PlanSummary]] = {}
        for p in members:
            groups.setdefault(getattr(p, level), []).append(p)
        if len(groups) > 1:
            return [{name: _sections(groups[name])} for name in sorted(groups, reverse=True)]
    return [{f"{i + 1}–{min(i + NAV_SECTION_SIZE, len(members))}":
             [_entry(p) for p in members[i:i + NAV_SECTION_SIZE]]}
            for i in range(0, len(members), NAV_SECTION_SIZE)]
