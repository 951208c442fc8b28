"""`mxt diff`: what a change between two revisions does to the statuses.

Both revisions are read from git objects (or HEAD from the work tree) and
computed as of the same date, so that the difference comes from the change
alone: `--as-of` when given, else the latest metric date at HEAD.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import fmt, i18n, pipeline
from .compute.results import GoalResult, PlanResult, PortfolioResult
from .errors import InputError
from .sources import DiskSource, GitError, GitSource, Source, git, resolve

ATTAINMENT_EPSILON = 0.0005  # below 0.05 points an attainment has not moved
BECAME = {"done", "done_late", "delayed"}


@dataclass
class GoalChange:
    id: str
    name: str
    status: tuple[str | None, str | None]
    attainment: tuple[float | None, float | None]

    @property
    def delta_points(self) -> float | None:
        before, after = self.attainment
        return None if before is None or after is None else (after - before) * 100


@dataclass
class PlanChange:
    id: str
    title: str
    status: tuple[str | None, str | None]
    health: tuple[float | None, float | None]
    goals: list[GoalChange] = field(default_factory=list)
    tasks: list[tuple[str, str, str | None, str, int]] = field(default_factory=list)
    alerts_added: list[tuple[str, str, str, str]] = field(default_factory=list)
    alerts_cleared: list[tuple[str, str, str, str]] = field(default_factory=list)
    budget: list[tuple[str, str, float | None, float | None, str | None, str | None,
                       float | None, float | None]] = field(default_factory=list)
    issues_added: list[tuple[str, str]] = field(default_factory=list)
    issues_resolved: list[tuple[str, str]] = field(default_factory=list)
    risks_added: list[tuple[str, str]] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.status[0] != self.status[1] or self.goals or self.tasks
                    or self.alerts_added or self.alerts_cleared or self.budget
                    or self.issues_added or self.issues_resolved or self.risks_added
                    or _moved(*self.health))


@dataclass
class DiffResult:
    base: str
    head: str
    as_of: dt.date
    as_of_rule: str
    language: str
    plans: list[PlanChange]
    base_invalid: bool = False

    @property
    def changed(self) -> bool:
        return any(p.changed for p in self.plans)


def _moved(before: float | None, after: float | None) -> bool:
    if before is None or after is None:
        return before is not after
    return abs(after - before) >= ATTAINMENT_EPSILON


def _goals(plan: PlanResult | None) -> dict[str, GoalResult]:
    out: dict[str, GoalResult] = {}
    for g in plan.goals if plan else []:
        out[g.id] = g
        for c in g.children:
            out[c.id] = c
    return out


def compare_plan(before: PlanResult | None, after: PlanResult | None) -> PlanChange:
    """Every status-level difference of one plan between two results."""
    ref = after or before
    assert ref is not None
    change = PlanChange(
        ref.id, ref.plan.title,
        (before.status.value if before else None, after.status.value if after else None),
        (before.health if before else None, after.health if after else None))
    old_goals, new_goals = _goals(before), _goals(after)
    for gid in dict.fromkeys([*old_goals, *new_goals]):
        a, b = old_goals.get(gid), new_goals.get(gid)
        status = (a.status.value if a else None, b.status.value if b else None)
        attainment = (a.attainment if a else None, b.attainment if b else None)
        if status[0] != status[1] or _moved(*attainment):
            name = (b or a).goal.name  # type: ignore[union-attr]
            child = (b or a).dimension_value  # type: ignore[union-attr]
            change.goals.append(GoalChange(gid, f"{name} / {child}" if child else name,
                                           status, attainment))
    old_tasks = {t.id: t for t in (before.tasks if before else [])}
    for t in after.tasks if after else []:
        was = old_tasks.get(t.id)
        if t.status.value in BECAME and (was is None or was.status is not t.status):
            change.tasks.append((t.id, t.task.name, was.status.value if was else None,
                                 t.status.value, t.slip_days))
    old_alerts = {(a.code, a.subject): a for a in (before.alerts if before else [])}
    new_alerts = {(a.code, a.subject): a for a in (after.alerts if after else [])}
    for key, alert in new_alerts.items():
        if key not in old_alerts:
            change.alerts_added.append((alert.severity.value, alert.code, alert.subject,
                                        alert.message))
    for key, alert in old_alerts.items():
        if key not in new_alerts:
            change.alerts_cleared.append((alert.severity.value, alert.code, alert.subject,
                                          alert.message))
    _budget(change, before, after)
    _items(change, before, after)
    return change


def _budget(change: PlanChange, before: PlanResult | None, after: PlanResult | None) -> None:
    old = {ln.id: ln for ln in (before.budget.lines if before and before.budget else [])}
    new = {ln.id: ln for ln in (after.budget.lines if after and after.budget else [])}
    for lid in dict.fromkeys([*old, *new]):
        a, b = old.get(lid), new.get(lid)
        spent = (a.spent if a else None, b.spent if b else None)
        status = (a.status.value if a else None, b.status.value if b else None)
        roi = (a.roi if a else None, b.roi if b else None)
        roi_moved = (roi[0] is None) != (roi[1] is None) or (
            roi[0] is not None and roi[1] is not None and abs(roi[1] - roi[0]) >= 0.05)
        if spent[0] != spent[1] or status[0] != status[1] or roi_moved:
            change.budget.append((lid, (b or a).name, *spent, *status,  # type: ignore[union-attr]
                                  *roi))


def _items(change: PlanChange, before: PlanResult | None, after: PlanResult | None) -> None:
    old_issues = {i.id: i for i in (before.plan.issues if before else [])}
    for i in after.plan.issues if after else []:
        if i.id not in old_issues:
            change.issues_added.append((i.id, i.description))
        elif i.resolved is not None and old_issues[i.id].resolved is None:
            change.issues_resolved.append((i.id, i.description))
    old_risks = {r.id for r in (before.plan.risks if before else [])}
    change.risks_added = [(r.id, r.description) for r in (after.plan.risks if after else [])
                          if r.id not in old_risks]


def _project_prefix(root: Path) -> str:
    """The project folder's path inside its repository ('' at the top)."""
    return git(root, "rev-parse", "--show-prefix").decode().strip()


def _compute(root: Path, source: Source, as_of: dt.date | None) -> pipeline.Computed:
    return pipeline.compute(root, as_of, None, source)


def diff(root: Path, base: str, head: str | None = None, as_of: dt.date | None = None
         ) -> DiffResult:
    """Statuses at both revisions (same as-of) and what changed between them."""
    root = Path(root).resolve()
    prefix = _project_prefix(root)
    base_id = resolve(root, base)
    head_source: Source
    if head is None:
        head_source, head_label = DiskSource(root), "work tree"
    else:
        head_id = resolve(root, head)
        head_source, head_label = GitSource(root, head_id, prefix), head_id[:12]
    if as_of is None:
        head_checked = pipeline.check(root, None, head_source)
        if head_checked.errors:
            raise InputError(head_checked.problems)
        as_of, rule = head_checked.as_of, "rule_head"
    else:
        rule = "rule_flag"
    after = _compute(root, head_source, as_of).result
    base_invalid = False
    try:
        before: PortfolioResult | None = _compute(root, GitSource(root, base_id, prefix),
                                                  as_of).result
    except InputError:
        before, base_invalid = None, True
    old = {p.id: p for p in (before.plans if before else [])}
    new = {p.id: p for p in after.plans}
    plans = [] if base_invalid else [compare_plan(old.get(pid), new.get(pid))
                                     for pid in sorted({*old, *new})]
    return DiffResult(base_id[:12], head_label, as_of, rule, after.language,
                      [p for p in plans if p.changed], base_invalid)


_CONTROL = re.compile(r"[\x00-\x1f\x7f\u202a-\u202e\u2066-\u2069]")
_MARKDOWN = re.compile(r"([\\`*_\[\]|<>])")


def cell(text: str) -> str:
    """Plan text for a PR comment: readable in a terminal, inert in Markdown."""
    return _MARKDOWN.sub(r"\\\1", _CONTROL.sub(" ", text))


def _s(code: str | None, lang: str) -> str:
    return fmt.DASH if code is None else i18n.status_label(code, lang)


def to_markdown(d: DiffResult) -> str:
    """The PR comment: per changed plan, its goals, tasks, alerts, budget, issues, risks."""
    lang = d.language
    L = lambda key: i18n.label(key, lang)  # noqa: E731
    out = [f"## {L('diff_title')}", "",
           f"`{d.base}` → `{d.head}` · {L('as_of')} **{d.as_of}** "
           f"({L('diff_rule')}: {L(d.as_of_rule)}, {L('diff_same')})", ""]
    if d.base_invalid:
        out += [f"> {L('diff_base_invalid')}", ""]
    if not d.changed:
        return "\n".join([*out, "" if d.base_invalid else L("diff_none"), ""])
    for p in d.plans:
        health = f"{fmt.percent(p.health[0])} → {fmt.percent(p.health[1])}"
        out += [f"### {cell(p.title)} (`{p.id}`)", "",
                f"{L('status')}: {_s(p.status[0], lang)} → **{_s(p.status[1], lang)}** · "
                f"{L('health')}: {health}", ""]
        if p.goals:
            out += [f"| {L('goal')} | {L('status')} | {L('attainment')} | Δ |", "|---|---|---|---|"]
            for g in p.goals:
                delta = g.delta_points
                out.append(f"| {cell(g.id)} {cell(g.name)} | {_s(g.status[0], lang)} → "
                           f"**{_s(g.status[1], lang)}** | {fmt.percent(g.attainment[0])} → "
                           f"{fmt.percent(g.attainment[1])} | "
                           f"{'—' if delta is None else f'{delta:+.1f} pts'} |")
            out.append("")
        for tid, name, was, now, slip in p.tasks:
            late = f" ({slip} {L('diff_days')})" if slip else ""
            out.append(f"- {L('task')} {cell(tid)} {cell(name)}: {_s(was, lang)} → "
                       f"**{_s(now, lang)}**{late}")
        for sev, code, subject, message in p.alerts_added:
            out.append(f"- 🔺 {L('diff_new_alert')} [{_s(sev, lang)}] `{code}` "
                       f"{cell(subject)}: {cell(message)}")
        for _sev, code, subject, _message in p.alerts_cleared:
            out.append(f"- ✅ {L('diff_cleared_alert')} `{code}` {cell(subject)}")
        for lid, name, spent_was, spent_now, s0, s1, r0, r1 in p.budget:
            out.append(f"- {L('budget')} {cell(lid)} {cell(name)}: {L('spent')} "
                       f"{fmt.money(spent_was)} → {fmt.money(spent_now)}, ROI "
                       f"{fmt.ratio(r0)} → {fmt.ratio(r1)}"
                       + (f", {_s(s0, lang)} → **{_s(s1, lang)}**" if s0 != s1 else ""))
        for iid, text in p.issues_added:
            out.append(f"- {L('diff_new_issue')} {cell(iid)}: {cell(text)}")
        for iid, text in p.issues_resolved:
            out.append(f"- {L('diff_resolved_issue')} {cell(iid)}: {cell(text)}")
        for rid, text in p.risks_added:
            out.append(f"- {L('diff_new_risk')} {cell(rid)}: {cell(text)}")
        out.append("")
    return "\n".join(out)


def to_json(d: DiffResult) -> dict[str, Any]:
    """The same differences for tools (raw numbers, status codes)."""
    return {
        "base": d.base, "head": d.head, "as_of": d.as_of.isoformat(),
        "as_of_rule": i18n.label(d.as_of_rule, "en"), "changed": d.changed,
        "base_invalid": d.base_invalid,
        "plans": [{
            "id": p.id, "title": p.title, "status": list(p.status), "health": list(p.health),
            "goals": [{"id": g.id, "status": list(g.status), "attainment": list(g.attainment),
                       "delta_points": g.delta_points} for g in p.goals],
            "tasks": [{"id": t[0], "from": t[2], "to": t[3], "slip_days": t[4]}
                      for t in p.tasks],
            "alerts_added": [{"severity": a[0], "code": a[1], "subject": a[2], "message": a[3]}
                             for a in p.alerts_added],
            "alerts_cleared": [{"code": a[1], "subject": a[2]} for a in p.alerts_cleared],
            "budget": [{"id": b[0], "spent": [b[2], b[3]], "status": [b[4], b[5]],
                        "roi": [b[6], b[7]]} for b in p.budget],
            "issues_added": [i[0] for i in p.issues_added],
            "issues_resolved": [i[0] for i in p.issues_resolved],
            "risks_added": [r[0] for r in p.risks_added],
        } for p in d.plans],
    }


__all__ = ["DiffResult", "GitError", "diff", "to_json", "to_markdown"]
