"""The recipe: load → validate → compute → history → render → write → MkDocs.

The stages after compute are imported where they are used: `mxt status` and
`mxt validate` never load matplotlib, WeasyPrint or MkDocs.

First everything is read and computed; then every page, chart, report and
data file of the site is rendered in memory (`render.site`, pure: a mapping
of paths to bytes); only then is anything written, into temporary folders
that replace the site only when MkDocs succeeded (`publish`). The other
commands reuse these stages: `status` stops after compute, `report` renders
one PDF, `diff` and the change log compare computed snapshots, `serve` calls
`build` on every change.

Plans and data are read through a `Source`: the work tree by default, or a git
revision's objects (`--rev`, `sources.at_revision`). Templates, `docs/` and
`mkdocs.yml` are always the work tree's.
"""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from .compute import Computed, compute_portfolio
from .errors import DICTIONARY, InputError, Problem, say, sort_problems
from .load import load_project, read_mkdocs_config, site_language
from .metrics import MetricStore
from .people import check_people
from .policy import LIBRARY, Policy
from .rows import Rows, assemble
from .sources import DiskSource, GitSource, RevisionSource, Source
from .validate import Checked, check_dictionary, check_plans, check_rows
from .write import check_replaceable

if TYPE_CHECKING:
    from .changes import PlanSnapshot
    from .history import History
    from .render.site import NavItem, Progress


def default_as_of(rows: Rows) -> dt.date:
    """数据截至: the latest row date, or today when there are no rows (the one clock read)."""
    return rows.last_date() or dt.datetime.now(dt.UTC).date()


def check(root: Path, as_of: dt.date | None = None, source: Source | None = None) -> Checked:
    """Load plans, dictionary and rows; run every check; resolve the as-of date."""
    if source is None and not Path(root).is_dir():
        raise InputError([Problem(str(root), None, None, "", say("project_missing"))])
    project = load_project(root, source)
    problems = list(project.problems)
    if not project.plans and not project.broken_plan_ids:
        problems.append(Problem("plans/", None, None, "", say("no_plan_files")))
    problems += check_dictionary(project.dictionary, project.dictionary_doc)
    problems += check_plans(project)
    problems += check_people(project)
    rows, found = assemble(project.csv_files, project.dictionary, project.plan_ids,
                           project.prepared)
    problems += found
    problems += check_rows(project, rows, as_of)
    resolved = as_of or default_as_of(rows)
    if not project.dictionary_loaded:
        problems = _fold(problems, DICTIONARY)
    return Checked(project, rows, resolved, sort_problems(problems))


def _fold(problems: list[Problem], cause: str) -> list[Problem]:
    """When `cause` could not be read, what follows from it becomes one line after it."""
    moot = [p for p in problems if p.follows == cause and p.file != cause]
    if not moot:
        return problems
    kept = [p for p in problems if not (p.follows == cause and p.file != cause)]
    first = min((p for p in kept if p.file == cause), default=None,
                key=lambda p: (p.line or 0, p.col or 0))
    files = len({p.file for p in moot})
    return [*kept, Problem(cause, first.line if first else None, first.col if first else None,
                           "", say("folded", count=len(moot), files=files, cause=cause))]


def compute(root: Path, as_of: dt.date | None = None, plan_ids: set[str] | None = None,
            source: Source | None = None, policy: Policy = LIBRARY) -> Computed:
    """Checked project → computed portfolio; raises InputError when anything is wrong."""
    with policy.loading():
        checked = check(root, as_of, source)
        language = checked.project.language
        if checked.errors:
            raise InputError(checked.problems, language=language)
        if plan_ids:
            unknown = sorted(plan_ids - {p.id for p in checked.project.plans})
            if unknown:
                raise InputError([Problem("plans/", None, None, "",
                                          say("unknown_ref", what=say("ref_plan"), value=u,
                                              hint=""))
                                  for u in unknown], language=language)
        store = MetricStore(checked.rows, checked.project.dictionary, checked.as_of)
        return Computed(checked, store, compute_portfolio(checked.project, store, plan_ids))


def history(root: Path, computed: Computed, policy: Policy = LIBRARY,
            head: str | None = None) -> History:
    """Each plan's change log and states over the last commits of the project's git history
    up to `head` (a commit id; HEAD when None)."""
    from . import history as history_module
    from .changes import snapshot

    def snapshots(source: Source) -> dict[str, PlanSnapshot]:
        past = compute(root, source=source, policy=policy)
        return {p.id: snapshot(p, past.result.as_of) for p in past.result.plans}

    return history_module.history(root, {p.id: p.source for p in computed.result.plans},
                                  snapshots, head=head or "HEAD")


def _revision_of(source: Source | None) -> str | None:
    """The commit a source reads (None: the work tree)."""
    return source.commit if isinstance(source, RevisionSource | GitSource) else None


@dataclass(frozen=True)
class BuildResult:
    site_dir: Path
    as_of: dt.date
    plans: int
    warnings: list[Problem]


def build(root: Path, *, as_of: dt.date | None = None, source: Source | None = None,
          out: Path | None = None, pdf: bool = True, progress: Progress | None = None,
          workers: int | None = None, policy: Policy = LIBRARY) -> BuildResult:
    """Validate, compute, render and publish the site; the old site stays on any failure.

    `source`: where plans and data come from (default the work tree; a revision's
    objects with `sources.at_revision`, and then the change log ends at that commit).
    Templates, `docs/` and `mkdocs.yml` are the work tree's either way.
    """
    from .fonts import ensure_cjk_font
    from .publish import default_settings, publish
    from .render.site import quiet, render_site

    progress = progress or quiet
    root = Path(root).resolve()
    site_dir = (out or root / "site").resolve()
    check_replaceable(site_dir, root, default=site_dir == root / "site")  # before any work
    computed = compute(root, as_of, source=source, policy=policy)
    ensure_cjk_font()  # plan text may be Chinese whatever the site language
    inputs = site_inputs(root)
    past = history(root, computed, policy, head=_revision_of(source))
    site = render_site(computed, past, inputs.templates, progress, pdf=pdf,
                       site_name=site_name(root, computed.result.language),
                       cache_root=root / ".cache" / "mxt",
                       workers=workers, hide_money=hide_money(root))
    files = {**inputs.assets, **site.docs}
    for name, data in inputs.docs.items():
        files.setdefault(name, data)
    progress("mkdocs", 0, 1)
    with policy.publishing(computed.result.as_of):
        publish(root, site_dir, files, [*site.nav, *inputs.nav],
                default_settings(site_name(root, computed.result.language),
                                 computed.result.language))
    progress("mkdocs", 1, 1)
    return BuildResult(site_dir, computed.result.as_of, len(computed.result.plans),
                       computed.checked.warnings)


def report(root: Path, plan: str | None, *, as_of: dt.date | None = None,
           source: Source | None = None, policy: Policy = LIBRARY) -> bytes:
    """One plan's PDF review report, or the portfolio report when `plan` is None
    (plans and data from `source`, the work tree by default; templates the work tree's)."""
    from .fonts import ensure_cjk_font
    from .render import reports

    root = Path(root).resolve()
    computed = compute(root, as_of, {plan} if plan else None, source=source, policy=policy)
    ensure_cjk_font()
    templates = site_inputs(root).templates
    if plan is None:
        return reports.portfolio_report(computed, templates,
                                        site_name(root, computed.result.language))
    p = computed.result.plans[0]
    past = history(root, computed, policy, head=_revision_of(source))  # re-baselining notes
    return reports.plan_report(computed, p, templates, baselines=past.baselines(p.id))


# --- inputs of the site beside plans and data --------------------------------------


@dataclass(frozen=True)
class SiteInputs:
    """What a project adds to its site: templates, assets and hand-written pages."""

    templates: Path | None  # the project's overrides (site_templates/), read by Jinja
    assets: dict[str, bytes]  # assets/… of the built-in templates and the project's
    docs: dict[str, bytes]  # docs/…, by their path below docs/
    nav: list[NavItem]  # the hand-written pages, titled by their first heading


def site_inputs(root: Path) -> SiteInputs:
    """Read docs/, site_templates/ and check mkdocs.yml: only files inside the project."""
    from .render.pages import PACKAGE_TEMPLATES

    source = DiskSource(root)
    docs = {path.removeprefix("docs/"): source.read(path) for path in source.files("docs")}
    assets = {f"assets/{p.relative_to(PACKAGE_TEMPLATES / 'assets').as_posix()}": p.read_bytes()
              for p in sorted((PACKAGE_TEMPLATES / "assets").rglob("*")) if p.is_file()}
    for path in source.files("site_templates"):  # Jinja reads the templates: links out first
        if path.startswith("site_templates/assets/"):
            assets[path.removeprefix("site_templates/")] = source.read(path)
    problems = [*source.refused(), *_settings_outside(root)]
    if problems:
        raise InputError(problems, language=site_language(source))
    nav: list[NavItem] = [{html.escape(_title(data, PurePosixPath(name).stem)): name}
                          for name, data in docs.items() if name.endswith(".md")]
    return SiteInputs(project_templates(root), assets, docs, nav)


def _settings_outside(root: Path) -> list[Problem]:
    """mkdocs.yml settings that would make MkDocs read files outside the project."""
    config = read_mkdocs_config(root)
    theme = config.get("theme")
    named = {"INHERIT": config.get("INHERIT"),
             "theme.custom_dir": theme.get("custom_dir") if isinstance(theme, dict) else None}
    hooks = config.get("hooks")
    for n, hook in enumerate(hooks if isinstance(hooks, list) else []):
        named[f"hooks[{n}]"] = hook
    real_root = root.resolve()
    return [Problem("mkdocs.yml", None, None, key, say("setting_outside"))
            for key, value in named.items()
            if isinstance(value, str) and not (root / value).resolve().is_relative_to(real_root)]


def hide_money(root: Path) -> bool:
    """A public site: `extra: {mxt: {hide_money: true}}` in mkdocs.yml keeps money amounts
    off the site's pages, charts and status.json (its PDFs keep them)."""
    extra = read_mkdocs_config(root).get("extra")
    settings = extra.get("mxt") if isinstance(extra, dict) else None
    return isinstance(settings, dict) and settings.get("hide_money") is True


def project_templates(root: Path) -> Path | None:
    """The project's `site_templates/` overrides, when it has them."""
    folder = root / "site_templates"
    return folder if folder.is_dir() else None


def site_name(root: Path, language: str) -> str:
    """`site_name` from mkdocs.yml (report covers, the site), or the default one's."""
    from .views.catalogue import label

    name = read_mkdocs_config(root).get("site_name")
    return name if isinstance(name, str) and name.strip() else label("site_default_name", language)


def _title(text: bytes, fallback: str) -> str:
    for line in text.decode("utf-8", "replace").splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    return fallback
