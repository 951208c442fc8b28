"""Changes in words: a plan's change log rows, and the PR comment of `mxt diff`."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..changes import PlanChange
from ..history import Entry
from ..model import MetricDef
from . import fmt
from .catalogue import label, status_label
from .messages import alert_message
from .plan import ChangeRow


def change_rows(entries: list[Entry], lang: str) -> list[ChangeRow]:
    """A plan's change log: each commit with the status changes it caused, in words."""
    return [ChangeRow(e.commit.date.date().isoformat(), e.commit.author, e.commit.message,
                      e.commit.id[:8], _change_texts(e.change, lang) if e.change else [])
            for e in entries]


def _change_texts(c: PlanChange, lang: str) -> list[str]:
    texts = []
    if c.status_moved:
        texts.append(_moved_text(label("plan", lang), c.status_before, c.status_after,
                                 c.health_before, c.health_after, lang))
    texts += [_moved_text(g.id, g.status_before, g.status_after, g.attainment_before,
                          g.attainment_after, lang) for g in c.goals]
    return texts


def _moved_text(who: str, s0: str | None, s1: str | None, a0: float | None, a1: float | None,
                lang: str) -> str:
    if s0 is None and s1 is not None:  # first seen in this commit: nothing to move from
        return f"{who}: {label('change_new', lang)} · {_s(s1, lang)}, {fmt.percent(a1)}"
    figures = f"{fmt.percent(a0)} → {fmt.percent(a1)}"
    if s0 == s1:
        return f"{who}: {figures}"
    return f"{who}: {_s(s0, lang)} → {_s(s1, lang)}, {figures}"


@dataclass(frozen=True)
class DiffResult:
    """What a change between two revisions does, computed as of one date."""

    base: str
    head: str
    as_of: dt.date
    as_of_rule: str  # catalogue key: why this as-of date
    language: str
    metrics: Mapping[str, MetricDef]
    plans: list[PlanChange]
    base_invalid: bool = False

    @property
    def changed(self) -> bool:
        return any(p.changed for p in self.plans)


_CONTROL = re.compile(r"[\x00-\x1f\x7f\u202a-\u202e\u2066-\u2069]")
_MARKDOWN = re.compile(r"([\\`*_\[\]|<>])")


def cell(text: str) -> str:
    """Plan text for a PR comment: readable in a terminal, inert in Markdown."""
    return _MARKDOWN.sub(r"\\\1", _CONTROL.sub(" ", text))


def _s(code: str | None, lang: str) -> str:
    return fmt.DASH if code is None else status_label(code, lang)


def to_markdown(d: DiffResult) -> str:
    """The PR comment: per changed plan, its goals, tasks, alerts, budget, issues, risks."""
    lang = d.language

    def L(key: str) -> str:
        return label(key, lang)

    out = [f"## {L('diff_title')}", "",
           f"`{d.base}` → `{d.head}` · {L('as_of')} **{d.as_of}** "
           f"({L('diff_rule')}: {L(d.as_of_rule)}, {L('diff_same')})", ""]
    if d.base_invalid:
        out += [f"> {L('diff_base_invalid')}", ""]
    if not d.changed:
        return "\n".join([*out, "" if d.base_invalid else L("diff_none"), ""])
    for p in d.plans:
        out += _plan_markdown(p, d, L)
    return "\n".join(out)


def _plan_markdown(p: PlanChange, d: DiffResult, L: Any) -> list[str]:
    lang = d.language
    health = f"{fmt.percent(p.health_before)} → {fmt.percent(p.health_after)}"
    out = [f"### {cell(p.title)} (`{p.id}`)", "",
           f"{L('status')}: {_s(p.status_before, lang)} → **{_s(p.status_after, lang)}** · "
           f"{L('health')}: {health}", ""]
    if p.goals:
        out += [f"| {L('goal')} | {L('status')} | {L('attainment')} | Δ |", "|---|---|---|---|"]
        for g in p.goals:
            delta = g.delta_points
            status = (f"{_s(g.status_before, lang)} → **{_s(g.status_after, lang)}**"
                      if g.status_before != g.status_after else _s(g.status_after, lang))
            out.append(f"| {cell(g.id)} {cell(g.name)} | {status} | "
                       f"{fmt.percent(g.attainment_before)} → "
                       f"{fmt.percent(g.attainment_after)} | "
                       f"{fmt.DASH if delta is None else f'{delta:+.1f} pts'} |")
        out.append("")
        for g in (g for g in p.goals if g.target_moved):  # what moved the bar, said first
            metric = d.metrics.get(g.metric)
            out.append(f"- 🎯 {L('diff_target_changed')} {cell(g.id)} {cell(g.name)}: "
                       f"{fmt.metric_value(g.target_before, metric)} → "
                       f"**{fmt.metric_value(g.target_after, metric)}**")
    for t in p.tasks:
        late = f" ({t.slip_days} {L('diff_days')})" if t.slip_days else ""
        out.append(f"- {L('task')} {cell(t.id)} {cell(t.name)}: {_s(t.status_before, lang)} → "
                   f"**{_s(t.status_after, lang)}**{late}")
    for a in p.alerts_added:
        out.append(f"- 🔺 {L('diff_new_alert')} [{_s(a.severity, lang)}] `{a.code}` "
                   f"{cell(a.subject)}: {cell(alert_message(a, lang, d.metrics))}")
    for a in p.alerts_cleared:
        out.append(f"- ✅ {L('diff_cleared_alert')} `{a.code}` {cell(a.subject)}")
    for b in p.budget:
        out.append(f"- {L('budget')} {cell(b.id)} {cell(b.name)}: {L('spent')} "
                   f"{fmt.money(b.spent_before)} → {fmt.money(b.spent_after)}, ROI "
                   f"{fmt.ratio(b.roi_before)} → {fmt.ratio(b.roi_after)}"
                   + (f", {_s(b.status_before, lang)} → **{_s(b.status_after, lang)}**"
                      if b.status_before != b.status_after else ""))
    for i in p.issues_added:
        out.append(f"- {L('diff_new_issue')} {cell(i.id)}: {cell(i.text)}")
    for i in p.issues_resolved:
        out.append(f"- {L('diff_resolved_issue')} {cell(i.id)}: {cell(i.text)}")
    for r in p.risks_added:
        out.append(f"- {L('diff_new_risk')} {cell(r.id)}: {cell(r.text)}")
    out.append("")
    return out


def to_json(d: DiffResult) -> dict[str, Any]:
    """The same differences for tools (raw numbers, status codes)."""
    return {
        "base": d.base, "head": d.head, "as_of": d.as_of.isoformat(),
        "as_of_rule": label(d.as_of_rule, "en"), "changed": d.changed,
        "base_invalid": d.base_invalid,
        "plans": [{
            "id": p.id, "title": p.title, "status": [p.status_before, p.status_after],
            "health": [p.health_before, p.health_after],
            "goals": [{"id": g.id, "status": [g.status_before, g.status_after],
                       "attainment": [g.attainment_before, g.attainment_after],
                       "delta_points": g.delta_points,
                       "target": [g.target_before, g.target_after]} for g in p.goals],
            "tasks": [{"id": t.id, "from": t.status_before, "to": t.status_after,
                       "slip_days": t.slip_days} for t in p.tasks],
            "alerts_added": [{"severity": a.severity.value, "code": a.code,
                              "subject": a.subject,
                              "message": alert_message(a, d.language, d.metrics)}
                             for a in p.alerts_added],
            "alerts_cleared": [{"code": a.code, "subject": a.subject}
                               for a in p.alerts_cleared],
            "budget": [{"id": b.id, "spent": [b.spent_before, b.spent_after],
                        "status": [b.status_before, b.status_after],
                        "roi": [b.roi_before, b.roi_after]} for b in p.budget],
            "issues_added": [i.id for i in p.issues_added],
            "issues_resolved": [i.id for i in p.issues_resolved],
            "risks_added": [r.id for r in p.risks_added],
        } for p in d.plans],
    }
