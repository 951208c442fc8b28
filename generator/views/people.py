"""责任矩阵: per person, what they are accountable for (R1), approve (R2) and support.

Owners are matched to the people directory (`people.yaml`) by id, name or alias,
so "王经理" and "王经理（市场部）" are one row when the directory says so; without
a directory (or for an owner it does not know) the owner text is its own row.
Contact handles are never shown.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from ..compute.results import PortfolioResult, TaskStatus
from ..model import PeopleDirectory
from .catalogue import label
from .plan import Badge, badge


@dataclass(frozen=True)
class OwnerItem:
    kind: str
    plan_id: str
    plan_title: str
    id: str
    name: str
    status: Badge
    role: str = "R1"  # R1 accountable, R2 approver, support


@dataclass(frozen=True)
class OwnerRows:
    """One person (or owner text) with their items and the matrix's counts."""

    owner: str  # the person's name, or the owner as written
    items: list[OwnerItem]
    team: str = ""
    person_id: str = ""  # "" when the directory does not know them
    spellings: str = ""  # how the plans write them, when not just the name
    r1: int = 0
    r2: int = 0
    support: int = 0
    late: int = 0  # their tasks still open past the end (延期)
    overdue: int = 0  # their open issues past due, their milestone tasks overdue
    anchor: str = ""


@dataclass
class _Person:
    name: str
    team: str = ""
    person_id: str = ""
    spellings: set[str] = field(default_factory=set)
    items: list[OwnerItem] = field(default_factory=list)
    late: int = 0
    overdue: int = 0


def _anchor(text: str, n: int) -> str:
    slug = re.sub(r"[^0-9A-Za-z]+", "-", text).strip("-").lower()
    return f"p{n}-{slug}" if slug else f"p{n}"


def display_name(people: PeopleDirectory, written: str) -> str:
    """The person's name for an owner as a plan writes it (the text itself when unknown)."""
    found = people.resolve(written)
    return found.name if found else written.strip()


def owners(result: PortfolioResult, lang: str) -> list[OwnerRows]:
    """Every person with a role in any plan, most late and overdue work first."""
    people = result.people or PeopleDirectory()
    table: dict[str, _Person] = {}

    def person(written: str) -> _Person:
        found = people.resolve(written)
        key = f"id:{found.id}" if found else f"text:{written.strip()}"
        if key not in table:
            table[key] = (_Person(found.name, found.team or "", found.id) if found
                          else _Person(written.strip()))
        table[key].spellings.add(written.strip())
        return table[key]

    teams: dict[str, list[_Person]] = defaultdict(list)
    for known in people.people:
        if known.team:
            teams[known.team.strip()].append(person(known.name))
    words = {k: label(k, lang) for k in ("plan", "goal", "task", "issue", "risk")}
    for p in result.plans:
        title, plan = p.plan.title, p.plan
        person(plan.owner).items.append(OwnerItem(words["plan"], p.id, title, p.id, title,
                                                  badge(p.status, lang)))
        for g in p.goals:
            person(g.goal.owner).items.append(OwnerItem(
                words["goal"], p.id, title, g.id, g.goal.name, badge(g.status, lang)))
        for t in p.tasks:
            task = t.task
            owner = person(task.owner)
            owner.items.append(OwnerItem(words["task"], p.id, title, t.id, task.name,
                                         badge(t.status, lang)))
            owner.late += t.status is TaskStatus.DELAYED
            owner.overdue += t.overdue
            if task.approver:
                person(task.approver).items.append(OwnerItem(
                    words["task"], p.id, title, t.id, task.name, badge(t.status, lang), "R2"))
            for team in task.support:
                # a directory entry named so (a team of its own), else the team's members
                helpers = ([person(team)] if people.resolve(team)
                           else teams.get(team.strip(), []))
                for h in helpers:
                    h.items.append(OwnerItem(words["task"], p.id, title, t.id, task.name,
                                             badge(t.status, lang), "support"))
        for i, issue in zip(p.issues, plan.issues, strict=True):
            if issue.owner:
                owner = person(issue.owner)
                owner.items.append(OwnerItem(words["issue"], p.id, title, i.id,
                                             issue.description,
                                             badge("open" if i.open else "closed", lang)))
                owner.overdue += i.overdue
        for r, risk in zip(p.risks, plan.risks, strict=True):
            if risk.owner:
                person(risk.owner).items.append(OwnerItem(words["risk"], p.id, title, r.id,
                                                          risk.description,
                                                          badge(r.status, lang)))
    rows = []
    for n, who in enumerate(sorted(table.values(),
                                   key=lambda w: (-(w.late + w.overdue), w.name))):
        if not who.items:
            continue
        roles = [i.role for i in who.items]
        others = sorted(who.spellings - {who.name})
        rows.append(OwnerRows(who.name, who.items, who.team, who.person_id,
                              " / ".join(others), roles.count("R1"), roles.count("R2"),
                              roles.count("support"), who.late, who.overdue,
                              _anchor(who.person_id or who.name, n)))
    return rows
