"""The words of alert digests: a title and a Markdown body per message.

Markdown is what most chat services take (Apprise turns it into plain text or HTML
for the ones that do not, and into HTML beside the text for mail): severity headings,
one bullet per alert with its plan, figures, action, owner and a link to the page.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from ..compute.results import PortfolioResult
from ..compute.summary import Raised, latest_ack
from ..model import AlertSeverity, MetricDef
from .catalogue import label, status_label
from .changes import DiffResult, to_markdown
from .messages import alert_message

ORDER = (AlertSeverity.CRITICAL, AlertSeverity.WARNING, AlertSeverity.INFO)


@dataclass(frozen=True)
class Message:
    title: str
    body: str  # Markdown: Apprise turns it into what each service shows best


def page_url(site_url: str | None, plan_id: str) -> str | None:
    """The plan's page on the published site (MkDocs directory URLs)."""
    if not site_url:
        return None
    return site_url.rstrip("/") + f"/plans/{plan_id}/"


def _line(r: Raised, lang: str, metrics: Mapping[str, MetricDef], site_url: str | None,
          as_of: dt.date) -> list[str]:
    def L(key: str, **values: object) -> str:
        return label(key, lang, **values)

    text = alert_message(r.alert, lang, metrics)
    head = f"- **{r.plan.plan.title}** · {r.alert.subject}: {text}"
    tail = []
    last = latest_ack(r.plan, r.alert)
    if last is not None and last.until < as_of:  # acknowledged, and that ran out
        tail.append(L("notify_ack_expired", until=last.until.isoformat(), by=last.by))
    if r.alert.action:
        tail.append(f"{L('action')}: {r.alert.action}")
    tail.append(f"{L('owner')}: {r.owner}")
    link = page_url(site_url, r.plan.id)
    if link:
        tail.append(f"[{L('notify_open_page')}]({link})")
    return [head, "  " + " · ".join(tail)]


def _section(rows: list[Raised], lang: str, metrics: Mapping[str, MetricDef],
             site_url: str | None, as_of: dt.date) -> list[str]:
    out: list[str] = []
    for severity in ORDER:
        mine = [r for r in rows if r.alert.severity is severity]
        if not mine:
            continue
        out += ["", f"**{status_label(severity.value, lang)} ({len(mine)})**", ""]
        for r in mine:
            out += _line(r, lang, metrics, site_url, as_of)
    return out


def alert_digest(items: list[Raised], cleared: list[Raised], owner: str | None, said: str,
                 result: PortfolioResult, lang: str, site_url: str | None, base: str | None,
                 kind: str = "new", today: dt.date | None = None) -> Message:
    """One digest of new (or, daily, open) alerts, for a channel or one owner (`said`: how
    the message mentions them)."""
    def L(key: str, **values: object) -> str:
        return label(key, lang, **values)

    n = len(items)
    if kind == "daily":
        title = (L("notify_daily_owner", name=owner, n=n) if owner
                 else L("notify_daily", n=n))
    else:
        title = (L("notify_new_owner", name=owner, n=n) if owner
                 else L("notify_new", n=n))
    lines = [said] if said else []
    lines += _section(items, lang, result.metrics, site_url, today or result.as_of)
    if cleared:
        lines += ["", f"**{L('notify_cleared', n=len(cleared))}**", ""]
        for r in cleared:
            lines += [f"- ~~{r.plan.plan.title} · {r.alert.subject}: "
                      f"{alert_message(r.alert, lang, result.metrics)}~~"]
    since = L("notify_since", commit=base[:7]) if base and kind == "new" else ""
    lines += ["", L("notify_footer", as_of=result.as_of.isoformat(), since=since).strip()]
    return Message(title, "\n".join(lines).strip() + "\n")


def weekly_digest(week: DiffResult, start: dt.date, end: dt.date, lang: str) -> Message:
    """The weekly sync (每周例会): what changed between the last commit before the week and
    HEAD, as `mxt diff` says it (statuses moved, tasks finished or slipped, new and
    resolved issues, spend)."""
    body = to_markdown(week).split("\n", 1)[1].lstrip("\n")  # the title says what it is
    return Message(label("notify_weekly", lang, start=start.isoformat(), end=end.isoformat()),
                   body)
