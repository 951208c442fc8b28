"""`mxt notify`: alerts that reach people, with no state file.

The git history says what is new: the alerts at HEAD, each revision computed as of its
own default date (what the site showed then), minus the alerts at a base revision
(`--since`: a revision, a date, or a span like `7d`). What is new goes out as digests:
one message per channel, and one per owner who has a contact for that channel in
`people.yaml`. Channels are Apprise URLs from `mxt.yaml` (secrets as `${NAME}`, read
from the environment when sending) or `--to`. Three kinds of message:

- `new` (default): the alerts the commits since the base made new (and, optionally,
  those they cleared);
- `daily`: each owner's open critical and overdue items at HEAD, a reminder;
- `weekly`: what changed over the span (statuses, tasks, issues, spend), as the
  "This week" page shows it.

A channel that fails does not stop the others; the command then exits 1 naming it
(never its URL, which may carry a secret).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
import urllib.parse
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from . import environ as env_refs
from .build import compute
from .compute.results import (
    IssueOverdue,
    MilestoneOverdue,
    PortfolioResult,
    TaskDelayed,
)
from .compute.summary import Raised, ack_for, expired_acks, subject_owner
from .errors import InputError, MxtError, Problem, say
from .model import AlertSeverity, PeopleDirectory, Person, Settings
from .sources import GitError, at_revision, git, last_commit_on, resolve
from .views.digest import Message

SETTINGS = "mxt.yaml"
SPAN = re.compile(r"^(\d+)([dw])$")
Kind = Literal["new", "daily", "weekly"]


class DeliveryError(MxtError):
    """Some channels could not be reached; the others were."""

    exit_code = 1

    def __init__(self, failed: list[str]):
        self.failed = failed
        super().__init__("could not deliver to: " + ", ".join(failed))


# --- settings -----------------------------------------------------------------------


def read_settings(root: Path) -> Settings:
    """`mxt.yaml` of the project (defaults when it has none); problems located."""
    from .load import read_model

    path = Path(root) / SETTINGS
    if not path.is_file():
        return Settings()
    model, _, problems = read_model(path.read_text("utf-8"), SETTINGS, Settings)
    if model is None or problems:
        raise InputError(problems)
    return model


def unset(text: str, environ: Mapping[str, str] | None = None) -> str:
    """The `${NAME}`s of a URL that the environment does not set, comma-separated."""
    return ", ".join(env_refs.unset(text, os.environ if environ is None else environ))


def expand(text: str, what: str, environ: Mapping[str, str] | None = None) -> str:
    """`${NAME}` replaced from the environment; a missing one is an error naming it."""
    environ = os.environ if environ is None else environ
    if missing := env_refs.unset(text, environ):
        raise InputError([Problem(SETTINGS, None, None, what,
                                  say("notify_env_missing", names=", ".join(missing)))])
    return env_refs.expand(text, environ)


# --- what is new --------------------------------------------------------------------


def raised(result: PortfolioResult) -> dict[tuple[str, str, str], Raised]:
    return {(p.id, a.code, a.subject): Raised(p, a, subject_owner(p, a))
            for p in result.plans for a in p.alerts}


def base_revision(root: Path, since: str, today: dt.date) -> str | None:
    """The commit `--since` names: a revision, a date (the last commit on or before it),
    or a span back from today (`7d`, `2w`). None: HEAD has no parent, so all is new."""
    span = SPAN.match(since)
    if span:
        days = int(span.group(1)) * (7 if span.group(2) == "w" else 1)
        return last_commit_on(root, today - dt.timedelta(days=days))
    try:
        day = dt.date.fromisoformat(since)
    except ValueError:
        day = None
    if day is not None:
        return last_commit_on(root, day)
    try:
        return resolve(root, since)
    except GitError:
        if since == "HEAD~1" and git(root, "rev-list", "--count", "HEAD").strip() == b"1":
            return None
        raise


@dataclass(frozen=True)
class Change:
    head: str
    base: str | None
    result: PortfolioResult  # at HEAD
    new: list[Raised]
    cleared: list[Raised]
    base_invalid: bool = False
    muted: list[Raised] = field(default_factory=list)  # new, but acknowledged until later
    expired: list[Raised] = field(default_factory=list)  # raised, their ack ran out since


def _commit_day(root: Path, commit: str) -> dt.date:
    stamp = git(root, "show", "-s", "--format=%cI", commit).decode().strip()
    return dt.datetime.fromisoformat(stamp).date()


def changes(root: Path, since: str, today: dt.date | None = None) -> Change:
    """The alerts at HEAD that were not raised at the base, and those that cleared; an
    acknowledged alert (`acks:` of its plan, until a later day) is muted, and one whose
    acknowledgement ran out since the base's commit day comes back."""
    root = Path(root).resolve()
    head = resolve(root, "HEAD")
    today = today or dt.datetime.now().astimezone().date()
    base = base_revision(root, since, today)
    after = compute(root, source=at_revision(root, head)).result
    before: PortfolioResult | None = None
    invalid = False
    if base is not None:
        try:
            before = compute(root, source=at_revision(root, base)).result
        except InputError:
            invalid = True  # the base does not compute: everything at HEAD is new
    now, then = raised(after), raised(before) if before else {}
    new = {k: r for k, r in now.items() if k not in then}
    muted = {k: r for k, r in new.items() if ack_for(r.plan, r.alert, today) is not None}
    # an acknowledgement that ran out between the base's commit day and HEAD's: each day
    # falls between exactly one pair of consecutive runs, so it is said once
    since_day = _commit_day(root, base) if base else dt.date.min
    expired = {k: now[k] for p in after.plans
               for _, alert in expired_acks(p, since_day, _commit_day(root, head))
               if (k := (p.id, alert.code, alert.subject))}
    sent = [r for k, r in new.items() if k not in muted]
    sent += [r for k, r in expired.items() if k not in new]
    return Change(head, base, after, sent, [r for k, r in then.items() if k not in now],
                  invalid, list(muted.values()), list(expired.values()))


def reminders(result: PortfolioResult, today: dt.date) -> list[Raised]:
    """The daily reminder: open critical alerts and overdue work (tasks, milestones,
    issues), whatever their age, unless acknowledged."""
    overdue = (TaskDelayed, MilestoneOverdue, IssueOverdue)
    return [r for r in raised(result).values()
            if (r.alert.severity is AlertSeverity.CRITICAL
                or isinstance(r.alert.params, overdue))
            and ack_for(r.plan, r.alert, today) is None]


# --- who gets what ------------------------------------------------------------------


@dataclass(frozen=True)
class Delivery:
    """One message to send: where (a channel, maybe for one owner) and what."""

    channel: str
    url: str  # expanded: may hold a secret, never printed
    items: list[Raised] = field(default_factory=list)
    cleared: list[Raised] = field(default_factory=list)
    owner: str | None = None  # the person's name when the digest is theirs
    mention: str = ""  # how the service mentions them, first in the message
    unset: str = ""  # the environment variables its URL needs and lacks: it fails alone

    @property
    def shown(self) -> str:
        return self.channel + (f" → {self.owner}" if self.owner else "")


def mention(url: str, handle: str) -> str:
    """How a chat service mentions a person by a handle (user id, phone, name)."""
    scheme = url.split("://", 1)[0].lower()
    if scheme in ("feishu", "lark"):
        return f'<at user_id="{handle}"></at>'
    if scheme == "slack" and re.fullmatch(r"[UW][A-Z0-9]+", handle):
        return f"<@{handle}>"
    if scheme in ("wecombot", "wxteams"):
        return f"<@{handle}>"
    return f"@{handle.lstrip('@')}"


def _mail_to(url: str, address: str) -> str:
    parts = urllib.parse.urlsplit(url)
    query = [(k, v) for k, v in urllib.parse.parse_qsl(parts.query) if k != "to"]
    query.append(("to", address))
    return urllib.parse.urlunsplit(parts._replace(query=urllib.parse.urlencode(query)))


def _reach(text: str, what: str, environ: Mapping[str, str] | None) -> tuple[str, str]:
    """(the URL or handle with its `${NAME}`s filled in, the names the environment lacks);
    a channel that lacks some cannot be reached, and fails alone."""
    lacking = unset(text, environ)
    return ("", lacking) if lacking else (expand(text, what, environ), "")


def _owner_target(url: str, handle: str) -> tuple[str, str]:
    """Where an owner's digest goes on a channel, and how it mentions them."""
    if "://" in handle:  # their own bot or webhook
        return handle, ""
    if url.lower().startswith(("mailto://", "mailtos://")):
        return _mail_to(url, handle), ""
    return url, mention(url, handle)  # a handle to mention in the channel


def route(items: list[Raised], cleared: list[Raised], settings: Settings,
          people: PeopleDirectory | None, extra: Iterable[str] = (),
          environ: Mapping[str, str] | None = None) -> list[Delivery]:
    """The messages to send: per channel of `mxt.yaml`, the owners with a contact of that
    channel get theirs, the team the rest; every `--to` URL gets everything."""
    people = people or PeopleDirectory()
    out: list[Delivery] = []
    least = settings.notify.min_severity
    for cid, channel in settings.notify.channels.items():
        floor = channel.min_severity or least

        def wanted(r: Raised, floor: AlertSeverity = floor,
                   plans: list[str] = channel.plans) -> bool:
            return r.alert.severity.rank >= floor.rank and (not plans or r.plan.id in plans)

        mine, gone = [r for r in items if wanted(r)], [r for r in cleared if wanted(r)]
        if not mine and not gone:
            continue
        url, lacking = _reach(channel.url, f"notify.channels.{cid}.url", environ)
        if lacking:
            out.append(Delivery(cid, "", mine, gone, unset=lacking))
            continue
        own: dict[str, tuple[Person, list[Raised], list[Raised]]] = {}
        for r, new in [*((r, True) for r in mine), *((r, False) for r in gone)]:
            person = people.resolve(r.owner) if channel.owners else None
            if person is not None and cid in person.contacts:
                entry = own.setdefault(person.id, (person, [], []))
                (entry[1] if new else entry[2]).append(r)
        for person, theirs, theirs_gone in own.values():
            handle, lacking = _reach(person.contacts[cid],
                                     f"people.{person.id}.contacts.{cid}", environ)
            target, said = _owner_target(url, handle) if not lacking else ("", "")
            out.append(Delivery(cid, target, theirs, theirs_gone, person.name, said, lacking))
        routed = {id(r) for _, theirs, theirs_gone in own.values() for r in
                  [*theirs, *theirs_gone]}
        team = [r for r in mine if id(r) not in routed]
        team_gone = [r for r in gone if id(r) not in routed]
        if channel.team and (team or team_gone):
            out.append(Delivery(cid, url, team, team_gone))
    mine = [r for r in items if r.alert.severity.rank >= least.rank]
    gone = [r for r in cleared if r.alert.severity.rank >= least.rank]
    if mine or gone:
        out += [Delivery(f"--to #{n}", url, mine, gone) for n, url in enumerate(extra, 1)]
    return out


# --- sending ------------------------------------------------------------------------


def send(deliveries: list[tuple[Delivery, Message]],
         progress: Callable[[Delivery, bool], None] | None = None) -> list[str]:
    """Deliver each message; the channels that failed (by name), after trying them all."""
    import apprise

    logging.getLogger("apprise").setLevel(logging.CRITICAL)  # it would print the URLs
    failed = []
    for delivery, message in deliveries:
        if delivery.unset:
            failed.append(f"{delivery.shown} ({delivery.unset}: not set)")
            continue
        sender = apprise.Apprise()
        ok = sender.add(delivery.url) and bool(sender.notify(
            body=message.body, title=message.title,
            body_format=apprise.NotifyFormat.MARKDOWN))
        if not ok:
            failed.append(delivery.shown)
        if progress is not None:
            progress(delivery, ok)
    return failed


def accepted(url: str) -> bool:
    """Whether the delivery library understands a URL (without sending anything)."""
    import apprise

    logging.getLogger("apprise").setLevel(logging.CRITICAL)
    return bool(apprise.Apprise().add(url))


# --- the command --------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    kind: Kind
    base: str | None  # the commit compared with (new, weekly)
    messages: list[tuple[Delivery, Message]]
    failed: list[str]  # channels that could not be reached (nothing when a dry run)
    language: str
    channels: int = 0  # where it could send: mxt.yaml's channels and the --to URLs


def notify(root: Path, *, kind: Kind = "new", since: str | None = None,
           to: Iterable[str] = (), min_severity: AlertSeverity | None = None,
           cleared: bool | None = None, dry_run: bool = False, today: dt.date | None = None,
           environ: Mapping[str, str] | None = None) -> Outcome:
    """Work out the digests of one kind and send them (or, `dry_run`, only say them)."""
    from .load import read_mkdocs_config, site_language
    from .views.digest import alert_digest, weekly_digest

    root = Path(root).resolve()
    settings = read_settings(root)
    options = settings.notify
    if min_severity is not None or cleared is not None:
        options = options.model_copy(update={
            "min_severity": min_severity or options.min_severity,
            "cleared": options.cleared if cleared is None else cleared})
        settings = settings.model_copy(update={"notify": options})
    lang = options.language or site_language(root)
    site_url = options.site_url or read_mkdocs_config(root).get("site_url")
    today = today or dt.datetime.now().astimezone().date()
    extra = [expand(url, "--to", environ) for url in to]
    if kind == "weekly":
        from .diff import diff

        base = base_revision(root, since or "7d", today)
        if base is None:
            raise GitError(say("weekly_needs_commit"))
        week = diff(root, base, resolve(root, "HEAD"))
        message = weekly_digest(week, today - dt.timedelta(days=7), today, lang)
        reached = {cid: _reach(c.url, f"notify.channels.{cid}.url", environ)
                   for cid, c in options.channels.items() if c.team}
        targets = [Delivery(cid, url, unset=lacking) for cid, (url, lacking) in reached.items()]
        targets += [Delivery(f"--to #{n}", url) for n, url in enumerate(extra, 1)]
        messages = [(d, message) for d in targets]
        result_base: str | None = base
    else:
        if kind == "new":
            change = changes(root, since or "HEAD~1", today)
            result, items = change.result, change.new
            gone = change.cleared if options.cleared else []
            result_base = change.base
        else:
            result = compute(root, source=at_revision(root, "HEAD")).result
            items, gone, result_base = reminders(result, today), [], None
        deliveries = route(items, gone, settings, result.people, extra, environ)
        messages = [(d, alert_digest(d.items, d.cleared, d.owner, d.mention, result, lang,
                                     site_url, result_base, kind, today))
                    for d in deliveries]
    failed = [] if dry_run else send(messages)
    return Outcome(kind, result_base, messages, failed, lang,
                   len(options.channels) + len(extra))
