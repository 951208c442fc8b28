"""The change log and status history of each plan, from git.

For the last commits that touched the inputs (`plans/`, `data/`, `mkdocs.yml`)
the portfolio is computed at each commit, read from git objects, as of that
commit's own default date (the view the site showed then). Results are cached
by content: the key is the tree ids of the inputs plus the product's code,
so a long history costs one computation per distinct state, once.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import pipeline
from .errors import InputError
from .plancache import digest
from .sources import INPUT_PATHS, GitError, GitSource, git

log = logging.getLogger(__name__)

MAX_COMMITS = 50
ATTAINMENT_EPSILON = 0.0005


@dataclass(frozen=True)
class Commit:
    id: str
    author: str
    date: dt.datetime
    message: str
    files: tuple[str, ...]


@dataclass(frozen=True)
class PlanState:
    """What the change log compares: a plan's status, health and goals at one commit."""

    status: str
    health: float | None
    as_of: str
    goals: dict[str, tuple[str, float | None]]


@dataclass(frozen=True)
class Entry:
    """One commit in a plan's change log, with the status changes it caused."""

    commit: Commit
    changes: list[tuple[str, str | None, str | None, float | None, float | None]]


@dataclass
class History:
    """Per plan: change-log entries (newest first) and states over time (oldest first)."""

    entries: dict[str, list[Entry]] = field(default_factory=dict)
    states: dict[str, list[tuple[Commit, PlanState]]] = field(default_factory=dict)


def _commits(root: Path, prefix: str, limit: int) -> list[Commit]:
    paths = [f"{prefix}{p}" for p in INPUT_PATHS]
    out = git(root, "log", "--first-parent", f"-n{limit}", "--no-renames",
              "--format=%x1e%H%x1f%an%x1f%aI%x1f%s", "--name-only", "--", *paths)
    commits = []
    for record in out.decode("utf-8", "replace").split("\x1e"):
        if not record.strip():
            continue
        head, _, names = record.partition("\n")
        sha, author, date, message = head.split("\x1f", 3)
        files = tuple(n[len(prefix):] for n in names.splitlines() if n.strip())
        commits.append(Commit(sha, author, dt.datetime.fromisoformat(date), message, files))
    return commits


def _key(root: Path, commit: str, prefix: str) -> str:
    listing = git(root, "ls-tree", commit, "--", *(f"{prefix}{p}" for p in INPUT_PATHS))
    return digest(listing)[:24]  # with the product's code: computations may change


def _state_of(computed: pipeline.Computed) -> dict[str, PlanState]:
    out = {}
    for p in computed.result.plans:
        goals: dict[str, tuple[str, float | None]] = {}
        for g in p.goals:
            goals[g.id] = (g.status.value, g.attainment)
        out[p.id] = PlanState(p.status.value, p.health, str(computed.result.as_of), goals)
    return out


def _load(path: Path) -> dict[str, PlanState]:
    data = json.loads(path.read_text("utf-8"))
    return {pid: PlanState(s["status"], s["health"], s["as_of"],
                           {g: (v[0], v[1]) for g, v in s["goals"].items()})
            for pid, s in data.items()}


def _save(path: Path, states: dict[str, PlanState]) -> None:
    payload: dict[str, Any] = {pid: {"status": s.status, "health": s.health, "as_of": s.as_of,
                                     "goals": s.goals} for pid, s in states.items()}
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_suffix(".tmp")
    temp.write_text(json.dumps(payload, ensure_ascii=False, sort_keys=True), "utf-8")
    temp.replace(path)


def states_at(root: Path, commit: str, prefix: str, cache: Path) -> dict[str, PlanState]:
    """Every plan's state at a commit (an invalid commit has none), cached by content."""
    key = _key(root, commit, prefix)
    path = cache / f"{key}.json"
    if path.is_file():
        return _load(path)
    try:
        states = _state_of(pipeline.compute(root, None, None, GitSource(root, commit, prefix)))
    except InputError:
        states = {}
    _save(path, states)
    return states


def _changes(before: PlanState | None, after: PlanState | None
             ) -> list[tuple[str, str | None, str | None, float | None, float | None]]:
    """(subject, status before, after, attainment before, after) that moved."""
    out: list[tuple[str, str | None, str | None, float | None, float | None]] = []
    if after is None and before is None:
        return out
    if (before.status if before else None) != (after.status if after else None):
        out.append(("plan", before.status if before else None,
                    after.status if after else None,
                    before.health if before else None, after.health if after else None))
    old = before.goals if before else {}
    new = after.goals if after else {}
    for gid in dict.fromkeys([*old, *new]):
        s0, a0 = old.get(gid, (None, None))
        s1, a1 = new.get(gid, (None, None))
        moved = (a0 is None) != (a1 is None) or (
            a0 is not None and a1 is not None and abs(a1 - a0) >= ATTAINMENT_EPSILON)
        if s0 != s1 or moved:
            out.append((gid, s0, s1, a0, a1))
    return out


def _touches(commit: Commit, plan_id: str, source: str) -> bool:
    """The commit edited the plan's file or its own data folder."""
    return any(f == source or f.startswith(f"data/{plan_id}/") for f in commit.files)


def history(root: Path, plan_sources: dict[str, str], limit: int = MAX_COMMITS) -> History:
    """Change log and states of every plan over the last `limit` input commits."""
    root = Path(root).resolve()
    result = History()
    try:
        prefix = git(root, "rev-parse", "--show-prefix").decode().strip()
        commits = _commits(root, prefix, limit)
    except GitError as e:
        log.info("no git history: %s", e)
        return result
    cache = root / ".cache" / "mxt" / "history"
    chronological = list(reversed(commits))
    states = [states_at(root, c.id, prefix, cache) for c in chronological]
    previous: dict[str, PlanState] = {}
    if chronological:
        parent = git(root, "rev-list", "--max-count=1", "--skip=1", "--first-parent",
                     chronological[0].id).decode().strip()
        if parent:
            previous = states_at(root, parent, prefix, cache)
    for commit, now in zip(chronological, states, strict=True):
        for plan_id, source in plan_sources.items():
            before, after = previous.get(plan_id), now.get(plan_id)
            changes = _changes(before, after)
            if after is not None:
                result.states.setdefault(plan_id, []).append((commit, after))
            if changes or _touches(commit, plan_id, source):
                result.entries.setdefault(plan_id, []).insert(0, Entry(commit, changes))
        previous = now
    return result
