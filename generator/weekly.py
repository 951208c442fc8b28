"""This week (本周进展): what changed over the last seven days, for the weekly sync.

The same content as the weekly digest of `mxt notify --kind weekly`: `mxt diff` between
the last commit at least seven days before the build's commit and the build's plans and
data (statuses moved, tasks finished or slipped, new and resolved issues and alerts,
spend). Dates come from the commits, so the same commit always builds the same page.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from .compute.results import PortfolioResult
from .diff import diff
from .errors import InputError
from .sources import GitError, first_parent_days
from .views.catalogue import label
from .views.changes import DiffResult, to_markdown

DAYS = 7


@dataclass(frozen=True)
class Week:
    start: dt.date
    end: dt.date
    changes: DiffResult


def this_week(root: Path, head: str | None = None, after: PortfolioResult | None = None,
              as_of: dt.date | None = None) -> Week | None:
    """The week before `head` (a commit; None: the work tree over HEAD), or None outside
    a git repository or before the first commit. `after`: the head's result, when the
    caller has it (a build: computed once), as of `as_of` when one was asked for."""
    try:
        commits = first_parent_days(root, head or "HEAD")
    except GitError:
        return None
    if not commits:
        return None
    end = commits[0][1]
    start = end - dt.timedelta(days=DAYS)
    # the last commit on or before the week's start; a younger history: its first commit
    base = next((sha for sha, day in commits if day <= start), commits[-1][0])
    try:
        return Week(start, end, diff(root, base, head, as_of, after=after))
    except (InputError, GitError):
        return None  # plans that do not compute at either end: no page, the build goes on


def page(week: Week, lang: str) -> bytes:
    """The page's Markdown."""
    body = to_markdown(week.changes).split("\n", 1)[1].lstrip("\n")
    title = label("notify_weekly", lang, start=week.start.isoformat(),
                  end=week.end.isoformat())
    return f"# {title}\n\n{body}".encode()
