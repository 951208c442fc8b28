"""Load and check a project once: the first half of every command."""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .compute import compute_portfolio
from .compute.results import PortfolioResult
from .errors import InputError, Problem, Severity, sort_problems
from .load import Project, load_project
from .metrics import MetricStore
from .rows import Rows, assemble
from .sources import Source
from .validate import check_dictionary, check_plans, check_rows


@dataclass
class Checked:
    """A loaded project, its metric rows, the as-of date and every problem found."""

    project: Project
    rows: Rows
    as_of: dt.date
    problems: list[Problem]

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.WARNING]


def default_as_of(rows: Rows) -> dt.date:
    """数据截至: the latest row date, or today when there are no rows (the one clock read)."""
    return rows.last_date() or dt.datetime.now(dt.UTC).date()


def check(root: Path, as_of: dt.date | None = None, source: Source | None = None) -> Checked:
    """Load plans, dictionary and rows; run every check; resolve the as-of date."""
    if source is None and not Path(root).is_dir():
        raise InputError([Problem(str(root), None, None, "",
                                  "the project folder does not exist")])
    project = load_project(root, source)
    problems = list(project.problems)
    if not project.plans and not project.broken_plan_ids:
        problems.append(Problem("plans/", None, None, "", "no plan files (plans/*.yaml) were "
                                "found: is this the project folder? (--project DIR)"))
    problems += check_dictionary(project.dictionary, project.dictionary_doc)
    problems += check_plans(project)
    rows, found = assemble(project.csv_files, project.dictionary, project.plan_ids,
                           project.prepared)
    problems += found
    problems += check_rows(project, rows, as_of)
    resolved = as_of or default_as_of(rows)
    return Checked(project, rows, resolved, sort_problems(problems))


@dataclass
class Computed:
    """A checked project with its metric store and computed portfolio."""

    checked: Checked
    store: MetricStore
    result: PortfolioResult

    def sources(self, plan_id: str) -> list[str]:
        """数据来源: the distinct `source` notes of a plan's metric rows."""
        rows = self.checked.rows
        codes, names = rows.column("source"), rows.names["source"]
        return sorted(s for s in (names[c] for c in np.unique(codes[rows.plan_rows(plan_id)]))
                      if s.strip())


@contextmanager
def _collector_paused() -> Iterator[None]:
    """No cyclic garbage collection while a portfolio is read and computed.

    Loading makes millions of small objects and next to no cycles, so the collector
    would only walk them again and again (a third of the time at a thousand plans).
    Afterwards they are frozen: they live as long as the command, and later
    collections (charts make cycles) skip them.
    """
    enabled = gc.isenabled()
    if gc.get_freeze_count():  # a previous portfolio (`mxt serve`, history, diff): let it go
        gc.unfreeze()
        gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


def compute(root: Path, as_of: dt.date | None = None, plan_ids: set[str] | None = None,
            source: Source | None = None) -> Computed:
    """Checked project → computed portfolio; raises InputError when anything is wrong."""
    with _collector_paused():
        return _compute(root, as_of, plan_ids, source)


def _compute(root: Path, as_of: dt.date | None, plan_ids: set[str] | None,
             source: Source | None) -> Computed:
    checked = check(root, as_of, source)
    if checked.errors:
        raise InputError(checked.problems)
    if plan_ids:
        unknown = sorted(plan_ids - {p.id for p in checked.project.plans})
        if unknown:
            raise InputError([Problem("plans/", None, None, "", f"no plan has the id {u!r}")
                              for u in unknown])
    store = MetricStore(checked.rows, checked.project.dictionary, checked.as_of)
    return Computed(checked, store, compute_portfolio(checked.project, store, plan_ids))


def status(root: Path, as_of: dt.date | None = None, plan_ids: set[str] | None = None
           ) -> tuple[PortfolioResult, Checked]:
    """The computed portfolio and the checked project it came from."""
    computed = compute(root, as_of, plan_ids)
    return computed.result, computed.checked
