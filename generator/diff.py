"""`mxt diff`: what a change between two revisions does to the statuses.

Both revisions are read from git objects (or HEAD from the work tree) and
computed as of the same date, so that the difference comes from the change
alone: `--as-of` when given, else the latest metric date at HEAD.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from .build import check, compute
from .changes import compare, snapshot
from .compute.results import PortfolioResult
from .errors import InputError, say
from .policy import LIBRARY, Policy
from .sources import DiskSource, GitSource, Source, project_prefix, resolve
from .views.changes import DiffResult


def diff(root: Path, base: str, head: str | None = None, as_of: dt.date | None = None,
         policy: Policy = LIBRARY, after: PortfolioResult | None = None) -> DiffResult:
    """Statuses at both revisions (same as-of) and what changed between them.

    `after`: the head's result when the caller has computed it already (a build's weekly
    page); its as-of is then the comparison's."""
    root = Path(root).resolve()
    prefix = project_prefix(root, say("why_diff"))
    base_id = resolve(root, base)
    head_source: Source
    if head is None:
        head_source, head_label = DiskSource(root), "work tree"
    else:
        head_id = resolve(root, head)
        head_source, head_label = GitSource(root, head_id, prefix), head_id[:12]
    rule = "rule_head" if as_of is None else "rule_flag"
    if after is not None:
        as_of = after.as_of
    else:
        if as_of is None:
            head_checked = check(root, None, head_source)
            if head_checked.errors:
                raise InputError(head_checked.problems)
            as_of = head_checked.as_of
        after = compute(root, as_of, source=head_source, policy=policy).result
    before: PortfolioResult | None
    try:
        before = compute(root, as_of, source=GitSource(root, base_id, prefix),
                         policy=policy).result
    except InputError:
        before = None
    old = {p.id: snapshot(p, as_of) for p in (before.plans if before else [])}
    new = {p.id: snapshot(p, as_of) for p in after.plans}
    # an invalid base: every plan of the head is listed as new, as the comment says
    plans = [compare(old.get(pid), new.get(pid)) for pid in sorted({*old, *new})]
    return DiffResult(base_id[:12], head_label, as_of, rule, after.language, after.metrics,
                      [p for p in plans if p.changed], before is None)
