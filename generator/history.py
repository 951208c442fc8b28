"""The change log and status history of each plan, from git.

For the last commits that touched the inputs (`plans/`, `data/`, `mkdocs.yml`)
the portfolio is computed at each commit, read from git objects, as of that
commit's own default date (the view the site showed then). Results are cached
by content: the key is the tree ids of the inputs plus the product's code,
so a long history costs one computation per distinct state, once.
"""

from __future__ import annotations

import datetime as dt
import itertools
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .changes import PlanChange, PlanSnapshot, compare, snapshots_format
from .errors import GitError, InputError, say
from .plancache import digest
from .sources import INPUT_PATHS, GitSource, Source, git, project_prefix

log = logging.getLogger(__name__)

MAX_COMMITS = 50


@dataclass(frozen=True)
class Commit:
    id: str
    author: str
    date: dt.datetime
    message: str
    files: tuple[str, ...]


@dataclass(frozen=True)
class Entry:
    """One commit in a plan's change log, with what it changed in the plan's results."""

    commit: Commit
    change: PlanChange | None  # None: neither this commit nor the one before computed


@dataclass(frozen=True)
class State:
    """A plan as computed at one commit (for the status-history chart)."""

    commit: Commit
    plan: PlanSnapshot


@dataclass(frozen=True)
class TargetChange:
    """A goal's target as written, changed by a commit (re-baselining)."""

    commit: Commit
    before: float | None
    after: float | None


@dataclass(frozen=True)
class DatesChange:
    """A task's planned dates as written, changed by a commit (re-baselining)."""

    commit: Commit
    start_before: dt.date
    end_before: dt.date
    start_after: dt.date
    end_after: dt.date


@dataclass(frozen=True)
class Baselines:
    """Per goal (or break-down child) and per task: its changes, oldest first."""

    targets: dict[str, list[TargetChange]] = field(default_factory=dict)
    dates: dict[str, list[DatesChange]] = field(default_factory=dict)


def baselines(states: list[State]) -> Baselines:
    """Where a target or planned dates changed between consecutive states of a plan."""
    out = Baselines()
    for before, after in itertools.pairwise(states):
        old_goals = {g.id: g for g in before.plan.goals}
        for g in after.plan.goals:
            was = old_goals.get(g.id)
            if was is not None and was.target != g.target:
                out.targets.setdefault(g.id, []).append(
                    TargetChange(after.commit, was.target, g.target))
        old_tasks = {t.id: t for t in before.plan.tasks}
        for t in after.plan.tasks:
            old = old_tasks.get(t.id)
            if old is None or (old.start, old.end) == (t.start, t.end):
                continue
            out.dates.setdefault(t.id, []).append(
                DatesChange(after.commit, old.start, old.end, t.start, t.end))
    return out


@dataclass
class History:
    """Per plan: change-log entries (newest first) and states over time (oldest first)."""

    entries: dict[str, list[Entry]] = field(default_factory=dict)
    states: dict[str, list[State]] = field(default_factory=dict)
    _baselines: dict[str, Baselines] = field(default_factory=dict, repr=False, compare=False)

    def baselines(self, plan_id: str) -> Baselines:
        """The plan's re-baselined targets and task dates over its history (worked out once:
        the page, its cache key, its PDF and status.json all ask)."""
        if plan_id not in self._baselines:
            self._baselines[plan_id] = baselines(self.states.get(plan_id, []))
        return self._baselines[plan_id]


def _commits(root: Path, prefix: str, limit: int, head: str = "HEAD") -> list[Commit]:
    paths = [f":(top){prefix}{p}" for p in INPUT_PATHS]  # git runs in the project folder
    out = git(root, "log", head, "--first-parent", f"-n{limit}", "--no-renames",
              "--format=%x1e%H%x1f%an%x1f%aI%x1f%s", "--name-only", "--", *paths)
    commits = []
    for record in out.decode("utf-8", "replace").split("\x1e"):
        if not record.strip():
            continue
        fields, _, names = record.partition("\n")
        sha, author, date, message = fields.split("\x1f", 3)
        files = tuple(n[len(prefix):] for n in names.splitlines() if n.strip())
        commits.append(Commit(sha, author, dt.datetime.fromisoformat(date), message, files))
    return commits


def _key(root: Path, commit: str, prefix: str) -> str:
    listing = git(root, "ls-tree", "--full-tree", commit, "--",
                  *(f"{prefix}{p}" for p in INPUT_PATHS))
    return digest(listing)[:24]  # with the product's code: computations may change


Snapshots = Callable[[Source], dict[str, PlanSnapshot]]


def states_at(root: Path, commit: str, prefix: str, cache: Path, compute: Snapshots
              ) -> dict[str, PlanSnapshot]:
    """Every plan's snapshot at a commit (an invalid commit has none), cached by content."""
    path = cache / f"{_key(root, commit, prefix)}.json"
    if path.is_file():
        return snapshots_format().validate_json(path.read_bytes())
    try:
        states = compute(GitSource(root, commit, prefix))
    except InputError:
        states = {}
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_suffix(".tmp")
    temp.write_bytes(snapshots_format().dump_json(states))
    temp.replace(path)
    return states


def _logged(change: PlanChange) -> bool:
    """The change log lists a commit that moved the plan's status or a goal."""
    return change.status_moved or bool(change.goals)


def _touches(commit: Commit, plan_id: str, source: str) -> bool:
    """The commit edited the plan's file or its own data folder."""
    return any(f == source or f.startswith(f"data/{plan_id}/") for f in commit.files)


def history(root: Path, plan_sources: dict[str, str], compute: Snapshots,
            limit: int = MAX_COMMITS, head: str = "HEAD") -> History:
    """Change log and states of every plan over the last `limit` input commits up to
    `head` (a revision: `--rev` shows the history as it was then).

    `compute` gives every plan's snapshot of the project read from a source (the
    recipe's own load → validate → compute, as of the source's default date).
    """
    root = Path(root).resolve()
    result = History()
    try:
        prefix = project_prefix(root, say("why_change_log"))
        commits = _commits(root, prefix, limit, head)
    except GitError as e:
        log.info("no git history: %s", e)
        return result
    cache = root / ".cache" / "mxt" / "history"
    chronological = list(reversed(commits))
    states = [states_at(root, c.id, prefix, cache, compute) for c in chronological]
    previous: dict[str, PlanSnapshot] = {}
    if chronological:
        parent = git(root, "rev-list", "--max-count=1", "--skip=1", "--first-parent",
                     chronological[0].id).decode().strip()
        if parent:
            previous = states_at(root, parent, prefix, cache, compute)
    for commit, now in zip(chronological, states, strict=True):
        for plan_id, source in plan_sources.items():
            before, after = previous.get(plan_id), now.get(plan_id)
            if after is not None:
                result.states.setdefault(plan_id, []).append(State(commit, after))
            # a commit whose project did not validate has no snapshot: it is listed when it
            # touched the plan's files, with nothing to compare
            change = compare(before, after) if before or after else None
            if (change is not None and _logged(change)) or _touches(commit, plan_id, source):
                result.entries.setdefault(plan_id, []).insert(0, Entry(commit, change))
        previous = now
    return result
