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
import enum
import html
import time
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Protocol, Self

from .compute import Computed, compute_portfolio
from .errors import DICTIONARY, InputError, Message, Problem, say, say_count, sort_problems
from .load import load_project, read_mkdocs_config, site_language
from .metrics import MetricStore
from .people import check_people
from .policy import LIBRARY, Policy
from .rows import Rows, assemble
from .sources import DiskSource, GitSource, RevisionSource, Source
from .validate import Checked, check_dictionary, check_plans, check_rows
from .write import check_replaceable

if TYPE_CHECKING:
    from rich import progress as rich_progress
    from rich.console import Console, RenderableType
    from rich.progress import ProgressColumn, TaskID

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
            source: Source | None = None, policy: Policy = LIBRARY,
            progress: BuildProgress | None = None) -> Computed:
    """Checked project → computed portfolio; raises InputError when anything is wrong.
    `progress` hears two stages: CHECK, then COMPUTE (once the project validates)."""
    progress = progress or Silent()
    with policy.loading():
        progress.begin(Stage.CHECK)
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
        progress.end(len(checked.project.plans))
        progress.begin(Stage.COMPUTE)
        store = MetricStore(checked.rows, checked.project.dictionary, checked.as_of)
        computed = Computed(checked, store, compute_portfolio(checked.project, store, plan_ids))
        progress.end(len(computed.result.plans))
        return computed


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
          out: Path | None = None, pdf: bool = True, progress: BuildProgress | None = None,
          workers: int | None = None, policy: Policy = LIBRARY) -> BuildResult:
    """Validate, compute, render and publish the site; the old site stays on any failure.

    `source`: where plans and data come from (default the work tree; a revision's
    objects with `sources.at_revision`, and then the change log ends at that commit).
    Templates, `docs/` and `mkdocs.yml` are the work tree's either way. `progress` hears
    each `Stage` begin and end as it goes (the command line shows them).
    """
    from .fonts import ensure_cjk_font
    from .publish import default_settings, publish
    from .render.site import render_site
    from .views.catalogue import label
    from .weekly import page as weekly_page
    from .weekly import this_week

    progress = progress or Silent()
    root = Path(root).resolve()
    site_dir = (out or root / "site").resolve()
    check_replaceable(site_dir, root, default=site_dir == root / "site")  # before any work
    computed = compute(root, as_of, source=source, policy=policy, progress=progress)
    ensure_cjk_font()  # plan text may be Chinese whatever the site language
    inputs = site_inputs(root)
    progress.begin(Stage.HISTORY)
    past = history(root, computed, policy, head=_revision_of(source))
    # 本周进展: the last seven days' changes, over the result computed above
    week = this_week(root, _revision_of(source), computed.result, as_of)
    progress.end(_commits_read(past))
    progress.begin(Stage.PLANS)  # render_site ends it, then begins and ends PORTFOLIO
    site = render_site(computed, past, inputs.templates,
                       _render_progress(progress, len(computed.result.plans)), pdf=pdf,
                       site_name=site_name(root, computed.result.language),
                       cache_root=root / ".cache" / "mxt",
                       workers=workers, hide_money=hide_money(root))
    files = {**inputs.assets, **site.docs}
    nav = [*site.nav, *inputs.nav]
    if week is not None:
        lang = computed.result.language
        files["weekly.md"] = weekly_page(week, lang)
        nav.insert(1, {label("site_weekly", lang): "weekly.md"})
    for name, data in inputs.docs.items():
        files.setdefault(name, data)
    progress.begin(Stage.PUBLISH)
    with policy.publishing(computed.result.as_of):
        publish(root, site_dir, files, nav,
                default_settings(site_name(root, computed.result.language),
                                 computed.result.language))
    progress.end(len(files))
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


# --- the stages of a build, shown as they go ---------------------------------------


class Stage(enum.StrEnum):
    """The stages of `build`, in order (`render_site` names PLANS and PORTFOLIO in its
    progress calls). A stage ends with a count: of plans (CHECK, COMPUTE, PLANS), of
    commits (HISTORY) or of files (PUBLISH)."""

    CHECK = "check"  # read and validate plans, data, the dictionary and the people
    COMPUTE = "compute"  # statuses, forecasts, alerts
    HISTORY = "history"  # the portfolio at each of the last commits: the change log
    PLANS = "plans"  # each plan's page, charts and PDF, in worker processes (cached)
    PORTFOLIO = "portfolio"  # the pages across plans and the portfolio PDF
    PUBLISH = "publish"  # write the Markdown tree, run MkDocs, swap the site in


class BuildProgress(Protocol):
    """What `build` tells its caller as it goes: one stage after the other."""

    def begin(self, stage: Stage) -> None:
        """`stage` starts."""

    def advance(self, done: int, total: int) -> None:
        """Items of the current stage done so far (the plans, as they are rendered)."""

    def end(self, count: int = 0) -> None:
        """The current stage is over; `count`: its plans, commits or files (see `Stage`)."""


class Silent:
    """Shows nothing: the library's default (`serve`, tests)."""

    def begin(self, stage: Stage) -> None:
        pass

    def advance(self, done: int, total: int) -> None:
        pass

    def end(self, count: int = 0) -> None:
        pass


def _commits_read(past: History) -> int:
    """The commits a change log was worked out from."""
    return len({s.commit.id for states in past.states.values() for s in states}
               | {e.commit.id for entries in past.entries.values() for e in entries})


def _render_progress(progress: BuildProgress, plans: int) -> Progress:
    """`render_site`'s progress calls as stages: "plans" as each plan is done; then
    "portfolio" with 0 done (the plans are over, the portfolio begins) and 1 (it ends)."""

    def report(step: str, done: int, total: int) -> None:
        if step == Stage.PLANS:
            progress.advance(done, total)
        elif done == 0:
            progress.end(plans)
            progress.begin(Stage.PORTFOLIO)
        else:
            progress.end()

    return report


# the catalogue's words of each stage: (while it runs, once it is done); literal keys,
# so that the suite finds every key of the catalogue used
_STAGE_WORDS: dict[Stage, tuple[str, str]] = {
    Stage.CHECK: ("stage_check", "stage_check_done"),
    Stage.COMPUTE: ("stage_compute", "stage_compute_done"),
    Stage.HISTORY: ("stage_history", "stage_history_done"),
    Stage.PLANS: ("stage_plans", "stage_plans_done"),
    Stage.PORTFOLIO: ("stage_portfolio", "stage_portfolio_done"),
    Stage.PUBLISH: ("stage_publish", "stage_publish_done"),
}
# … of the stages whose words name the PDFs, when none are made (--no-pdf)
_NO_PDF_WORDS: dict[Stage, tuple[str, str]] = {
    Stage.PLANS: ("stage_plans_no_pdf", "stage_plans_done_no_pdf"),
    Stage.PORTFOLIO: ("stage_portfolio_no_pdf", "stage_portfolio_done_no_pdf"),
}
_STAGE_COUNTS: dict[Stage, tuple[str, str]] = {
    Stage.CHECK: ("plans_one", "plans_other"), Stage.COMPUTE: ("plans_one", "plans_other"),
    Stage.HISTORY: ("commits_one", "commits_other"), Stage.PLANS: ("plans_one", "plans_other"),
    Stage.PUBLISH: ("files_one", "files_other")}


def stage_words(stage: Stage, pdf: bool, count: int | None = None) -> Message:
    """A stage while it runs ("reading and validating plans and data"), or, given its
    count, done ("validated 5 plans and their data"); `pdf`: the PDFs are rendered too."""
    running, done = (None if pdf else _NO_PDF_WORDS.get(stage)) or _STAGE_WORDS[stage]
    if count is None:
        return say(running)
    counted = _STAGE_COUNTS.get(stage)
    return say(done, count=say_count(count, *counted) if counted else "")


class StageLines:
    """Without a terminal (CI, a pipe): one plain line per finished stage with its
    duration, `mxt: validated 5 plans and their data … 0.6 s`; no bar, no colour. A stage
    that counts its items (the plans, minutes with PDFs) also says how far it got, at
    most every `EVERY` seconds: a long stage is never silent, a short log stays short."""

    EVERY = 30.0

    def __init__(self, console: Console, language: str, pdf: bool = True) -> None:
        self.console, self.language, self.pdf = console, language, pdf
        self.stage: Stage | None = None
        self.started = self.said = 0.0

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        pass

    def begin(self, stage: Stage) -> None:
        self.stage, self.started = stage, time.perf_counter()
        self.said = self.started

    def advance(self, done: int, total: int) -> None:
        now = time.perf_counter()
        if self.stage is None or done >= total or now - self.said < self.EVERY:
            return  # the stage's end says the rest
        self.said = now
        line = say("stage_so_far", stage=stage_words(self.stage, self.pdf), done=done,
                   total=total, seconds=now - self.started)
        self.show(line.text(self.language))

    def end(self, count: int = 0) -> None:
        if self.stage is None:
            return
        line = say("stage_line", stage=stage_words(self.stage, self.pdf, count),
                   seconds=time.perf_counter() - self.started)
        self.stage = None
        self.show(line.text(self.language))

    def show(self, line: str) -> None:
        self.console.print(line, markup=False, highlight=False, soft_wrap=True)


class StageDisplay(StageLines):
    """On a terminal: the running stage with a spinner and its time, and while the plans
    render a bar of plans done (PDFs included); each finished stage's line stays above."""

    live: rich_progress.Progress  # rich is imported when the display starts
    task: TaskID | None = None

    def __enter__(self) -> Self:
        from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        self.live = Progress(SpinnerColumn(), TextColumn("{task.description}", markup=False),
                             _bar_while_counting(), TimeElapsedColumn(),
                             console=self.console, transient=True)
        self.live.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.live.stop()

    def begin(self, stage: Stage) -> None:
        super().begin(stage)
        self._drop_task()
        self.task = self.live.add_task(stage_words(stage, self.pdf).text(self.language),
                                       total=None)
        self.live.refresh()

    def advance(self, done: int, total: int) -> None:
        if self.task is not None:
            self.live.update(self.task, completed=done, total=total, refresh=True)

    def end(self, count: int = 0) -> None:
        self._drop_task()
        super().end(count)

    def show(self, line: str) -> None:
        from rich.text import Text

        self.live.console.print(Text(line, style="dim"))  # the display is drawn again below

    def _drop_task(self) -> None:
        if self.task is not None:
            self.live.remove_task(self.task)
            self.task = None
            self.live.refresh()


def _bar_while_counting() -> ProgressColumn:
    """For a stage that counts its items (the plans): a bar and "done/total"; else nothing."""
    from rich.progress import BarColumn, ProgressColumn, Task
    from rich.table import Table
    from rich.text import Text

    class Bar(ProgressColumn):
        bar = BarColumn()

        def render(self, task: Task) -> RenderableType:
            if task.total is None:
                return Text()
            row = Table.grid(padding=(0, 1))
            row.add_row(self.bar.render(task), f"{task.completed:.0f}/{task.total:.0f}")
            return row

    return Bar()


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
