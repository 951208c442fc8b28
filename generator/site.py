"""`mxt build`: load → validate → compute → render → write → MkDocs, in that order.

First every page, chart and file of the site is rendered in memory; then the
Markdown tree is written into `build/docs` and MkDocs builds it into a
temporary folder that replaces the site folder only when all succeeded.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import html
import logging
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from . import history, pipeline, plancache, reports
from .errors import Problem
from .fonts import ensure_cjk_font
from .plan_charts import plan_charts
from .render import charts, pages, status_json, views
from .write import staging, swap_in, write_tree

log = logging.getLogger(__name__)

Progress = Callable[[str, int, int], None]
NAV_SECTION_SIZE = 30


class BuildError(Exception):
    """The site could not be built (MkDocs failed, a template broke): nothing was replaced."""


@dataclass
class SiteFiles:
    """Everything rendered for one build, before any file is written."""

    docs: dict[str, bytes] = field(default_factory=dict)
    nav: list[dict[str, object]] = field(default_factory=list)


def _quiet(step: str, done: int, total: int) -> None:
    log.debug("%s %d/%d", step, done, total)


def _templates_digest(templates: Path | None) -> str:
    """A hash of every template file (project and built-in) a page may use."""
    parts = []
    for folder in (templates, pages.PACKAGE_TEMPLATES):
        if folder is not None and folder.is_dir():
            parts += [(str(f.relative_to(folder)), f.read_bytes().hex())
                      for f in sorted(folder.rglob("*")) if f.is_file()]
    return plancache.digest(parts)


def render_site(computed: pipeline.Computed, templates: Path | None,
                progress: Progress = _quiet, *, pdf: bool = True, site_name: str = "",
                cache_root: Path | None = None, workers: int | None = None) -> SiteFiles:
    """Render every page, chart, report and data file of the site in memory."""
    result, store = computed.result, computed.store
    lang = result.language
    env = pages.environment(templates, lang)
    fmt = views.Formatter(result, lang)
    site = SiteFiles()
    total = len(result.plans)
    past = history.history(computed.checked.project.root, {p.id: p.source for p in result.plans})

    def render_plan(index: int) -> dict[str, bytes]:
        """One plan's charts, report and page."""
        p = result.plans[index]
        files: dict[str, bytes] = {}
        rendered = plan_charts(p, store, result, lang)
        chart_files, links = reports.chart_files(rendered, f"charts/{p.id}", "../")
        files.update(chart_files)
        report = None
        if pdf:
            files[f"reports/{p.id}.pdf"] = reports.plan_report(computed, p, templates, rendered)
            report = f"../reports/{p.id}.pdf"
        view = fmt.plan(p, links, report)
        states = past.states.get(p.id, [])
        history_chart = None
        if len(states) >= 2:
            name = f"charts/{p.id}/history.svg"
            files[name] = charts.history_chart(
                [(c.date, s.health, {g: a for g, (_, a) in s.goals.items()})
                 for c, s in states], lang)
            history_chart = f"../{name}"
        view = fmt.with_history(view, past.entries.get(p.id, []), history_chart)
        files[f"plans/{p.id}.md"] = pages.render(env, "plan.md.j2", p=view).encode()
        return files

    shared = plancache.digest(lang, str(result.as_of), pdf, _templates_digest(templates),
                              computed.checked.project.dictionary.model_dump(mode="json"))
    keys = [plancache.digest(shared, p.plan.model_dump(mode="json"), p.id,
                             store.fingerprint(p.id),
                             [(e.commit.id, e.changes) for e in past.entries.get(p.id, [])],
                             [(c.id, s.health) for c, s in past.states.get(p.id, [])])
            for p in result.plans]
    cache = plancache.PlanCache(cache_root / "build") if cache_root else None
    for files in plancache.render_all(keys, render_plan, cache,
                                      lambda done, n: progress("plans", done, n), workers):
        site.docs.update(files)
    progress("plans", total, total)
    site.docs["charts/timeline.svg"] = charts.timeline_chart(result.plans, result.as_of, lang)
    summaries = views.summaries(result, lang)
    alerts = views.all_alerts(result, lang)
    portfolio_pdf = None
    if pdf:
        site.docs["reports/portfolio.pdf"] = reports.portfolio_report(computed, templates,
                                                                      site_name)
        portfolio_pdf = "reports/portfolio.pdf"
    site.docs["index.md"] = pages.render(
        env, "index.md.j2", plans=summaries, alerts=alerts[:10], as_of=str(result.as_of),
        timeline_chart="charts/timeline.svg", portfolio_pdf=portfolio_pdf).encode()
    site.docs["alerts.md"] = pages.render(env, "alerts.md.j2", alerts=alerts,
                                          as_of=str(result.as_of)).encode()
    site.docs["owners.md"] = pages.render(env, "owners.md.j2",
                                          owners=views.owners(result, lang),
                                          as_of=str(result.as_of)).encode()
    site.docs["metrics.md"] = pages.render(env, "metrics.md.j2",
                                           metrics=views.metric_rows(result, lang)).encode()
    site.docs["status.json"] = status_json.dumps(result).encode()
    site.nav = navigation(summaries, lang)
    return site


def navigation(plans: list[views.PlanSummary], lang: str) -> list[dict[str, object]]:
    """Home, alerts, owners, metrics, then plans grouped by type (prunable sections)."""
    from . import i18n

    L = lambda key: i18n.label(key, lang)  # noqa: E731
    groups: dict[str, list[views.PlanSummary]] = {}
    for p in plans:
        groups.setdefault(p.type, []).append(p)

    def entry(p: views.PlanSummary) -> dict[str, object]:
        # the theme prints navigation titles as HTML: plan text must arrive escaped
        return {html.escape(p.title): f"plans/{p.id}.md"}

    plan_nav = [{i18n.status_label(kind, lang): _sections(members, entry)}
                for kind, members in sorted(groups.items())]
    return [{L("site_home"): "index.md"}, {L("site_alerts"): "alerts.md"},
            {L("site_owners"): "owners.md"}, {L("site_metrics"): "metrics.md"},
            {L("site_plans"): plan_nav}]


def site_name(root: Path) -> str:
    """`site_name` from mkdocs.yml, for report covers."""
    from .load import read_mkdocs_config

    name = read_mkdocs_config(root).get("site_name")
    return name if isinstance(name, str) else ""


def _sections(members: list[views.PlanSummary],
              entry: Callable[[views.PlanSummary], dict[str, object]]
              ) -> list[dict[str, object]]:
    """Plans as navigation items, nested by quarter, month, then runs of 30 when many.

    With `navigation.prune` each page renders only its own branch, so every page's
    navigation stays short and the site build grows linearly with the plans.
    """
    if len(members) <= NAV_SECTION_SIZE:
        return [entry(p) for p in members]
    for level in ("quarter", "month"):
        groups: dict[str, list[views.PlanSummary]] = {}
        for p in members:
            groups.setdefault(getattr(p, level), []).append(p)
        if len(groups) > 1:
            return [{name: _sections(groups[name], entry)} for name in sorted(groups, reverse=True)]
    return [{f"{i + 1}–{min(i + NAV_SECTION_SIZE, len(members))}":
             [entry(p) for p in members[i:i + NAV_SECTION_SIZE]]}
            for i in range(0, len(members), NAV_SECTION_SIZE)]


def _static_assets(templates: list[Path]) -> dict[str, bytes]:
    """assets/ from the template folders (project first, built-in second)."""
    out: dict[str, bytes] = {}
    for folder in reversed(templates):
        assets = folder / "assets"
        if assets.is_dir():
            for path in sorted(assets.rglob("*")):
                if path.is_file():
                    out[f"assets/{path.relative_to(assets).as_posix()}"] = path.read_bytes()
    return out


def _hand_written(root: Path) -> tuple[dict[str, bytes], list[dict[str, object]]]:
    """Pages written by hand in docs/ (a guide, the methodology), kept beside ours."""
    folder = root / "docs"
    files: dict[str, bytes] = {}
    nav: list[dict[str, object]] = []
    if folder.is_dir():
        for path in sorted(folder.rglob("*")):
            if path.is_file() and not path.name.startswith("."):
                rel = path.relative_to(folder).as_posix()
                files[rel] = path.read_bytes()
                if rel.endswith(".md"):
                    title = _title(path)
                    nav.append({html.escape(title): rel})
    return files, nav


def _title(path: Path) -> str:
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    return path.stem


def _quiet_jieba() -> None:
    """jieba (Chinese search segmentation) logs its dictionary loading at DEBUG: hush it."""
    try:
        import jieba
    except ImportError:
        return
    jieba.setLogLevel(logging.WARNING)


@contextlib.contextmanager
def _build_date(as_of: dt.date | None) -> Iterator[None]:
    """SOURCE_DATE_EPOCH for MkDocs (sitemap dates): the user's if set, else the as-of date.

    Two builds of the same inputs are then byte-identical.
    """
    if os.environ.get("SOURCE_DATE_EPOCH") or as_of is None:
        yield
        return
    epoch = int(dt.datetime(as_of.year, as_of.month, as_of.day, tzinfo=dt.UTC).timestamp())
    os.environ["SOURCE_DATE_EPOCH"] = str(epoch)
    try:
        yield
    finally:
        os.environ.pop("SOURCE_DATE_EPOCH", None)


def run_mkdocs(root: Path, docs: Path, site_dir: Path, nav: list[dict[str, object]],
               as_of: dt.date | None = None) -> None:
    """Build the Markdown tree with MkDocs Material (strict: a warning fails the build)."""
    from mkdocs import config as mkconfig
    from mkdocs import exceptions
    from mkdocs.commands import build as mkbuild

    _quiet_jieba()
    config_file = root / "mkdocs.yml"
    if not config_file.is_file():
        raise BuildError(f"{config_file}: the MkDocs configuration is missing")
    try:
        cfg = mkconfig.load_config(config_file=str(config_file), docs_dir=str(docs),
                                   site_dir=str(site_dir), nav=nav, strict=True)
        if "assets/mxt.css" not in [str(c) for c in cfg.extra_css]:
            cfg.extra_css.append("assets/mxt.css")
        cfg.plugins.on_startup(command="build", dirty=False)
        try:
            with _build_date(as_of):
                mkbuild.build(cfg)
        finally:
            cfg.plugins.on_shutdown()
    except (exceptions.MkDocsException, exceptions.Abort) as e:
        raise BuildError(f"MkDocs could not build the site: {e}") from e


@dataclass
class BuildResult:
    site_dir: Path
    as_of: dt.date
    plans: int
    warnings: list[Problem]


def build(root: Path, *, as_of: dt.date | None = None, out: Path | None = None,
          pdf: bool = True, progress: Progress = _quiet, workers: int | None = None
          ) -> BuildResult:
    """Validate, compute, render and publish the site; the old site stays on any failure."""
    root = Path(root).resolve()
    computed = pipeline.compute(root, as_of)
    ensure_cjk_font()  # plan text may be Chinese whatever the site language
    templates = root / "site_templates"
    try:
        site = render_site(computed, templates if templates.is_dir() else None, progress,
                           pdf=pdf, site_name=site_name(root), cache_root=root / ".cache" / "mxt",
                           workers=workers)
    except jinja2.TemplateError as e:
        where = (f"site_templates/{e.name}:{e.lineno}: "
                 if isinstance(e, jinja2.TemplateSyntaxError) else "")
        raise BuildError(f"{where}template error: {e.message}") from e
    template_dirs = [d for d in (templates, pages.PACKAGE_TEMPLATES) if d.is_dir()]
    files = {**_static_assets(template_dirs), **site.docs}
    hand, hand_nav = _hand_written(root)
    for name, data in hand.items():
        files.setdefault(name, data)
    nav = [*site.nav, *hand_nav]
    site_dir = (out or root / "site").resolve()
    docs_dir = root / "build" / "docs"
    progress("mkdocs", 0, 1)
    try:
        _publish(root, site_dir, docs_dir, files, nav, computed)
    except OSError as e:
        raise BuildError(f"cannot write the site to {site_dir}: {e.strerror or e}") from e
    progress("mkdocs", 1, 1)
    return BuildResult(site_dir, computed.result.as_of, len(computed.result.plans),
                       computed.checked.warnings)


def _publish(root: Path, site_dir: Path, docs_dir: Path, files: dict[str, bytes],
             nav: list[dict[str, object]], computed: pipeline.Computed) -> None:
    """Write the docs, run MkDocs into a temporary folder, swap both in."""
    with staging(site_dir) as new_site:
        new_docs = Path(tempfile.mkdtemp(prefix=".docs.new-", dir=new_site.parent))
        try:
            write_tree(new_docs, files)
            run_mkdocs(root, new_docs, new_site, nav, computed.result.as_of)
        except BaseException:
            shutil.rmtree(new_docs, ignore_errors=True)
            raise
        docs_dir.parent.mkdir(parents=True, exist_ok=True)
        swap_in(new_docs, docs_dir)

