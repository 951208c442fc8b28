"""The people directory (`people.yaml`): who owns what, however the plans spell them.

Plans name owners as people write them (王经理, 王经理（市场部）, wang). The
optional directory gives each person an id, a name, a team, aliases and
contact handles (for notifications; never published on the site). Owners
match a person by id, name or alias; with a directory, an owner that matches
nobody is a warning (an error under `validate --strict`).
"""

from __future__ import annotations

from .errors import Problem, Severity, did_you_mean, say
from .load import LoadedPlan, Project
from .model import PeopleDirectory, Plan

W = Severity.WARNING


def owner_fields(plan: Plan) -> list[tuple[tuple[str | int, ...], str]]:
    """Every (path, text) of a plan that names one accountable person (R1 or R2)."""
    found: list[tuple[tuple[str | int, ...], str]] = [(("owner",), plan.owner)]
    for field in ("goals", "strategies", "issues", "risks", "retro"):
        for i, item in enumerate(getattr(plan, field)):
            if getattr(item, "owner", None):
                found.append(((field, i, "owner"), item.owner))
    for i, t in enumerate(plan.tasks):
        found.append((("tasks", i, "owner"), t.owner))
        if t.approver:
            found.append((("tasks", i, "approver"), t.approver))
    return found


def check_people(project: Project) -> list[Problem]:
    """The directory's own clashes, and owners in plans that match nobody in it."""
    people, doc = project.people, project.people_doc
    if people is None or doc is None:
        return []
    problems: list[Problem] = []
    seen: dict[str, tuple[str, int]] = {}
    for i, person in enumerate(people.people):
        for name in dict.fromkeys(n.strip() for n in person.names()):
            other = seen.get(name)
            if other is not None and other[0] != person.id:
                problems.append(doc.problem(("people", i), say(
                    "person_name_clash", name=name, first=other[0], second=person.id)))
            elif other is None:
                seen[name] = (person.id, i)
            elif other[1] != i:  # the same id twice
                problems.append(doc.problem(("people", i, "id"), say(
                    "duplicate_id", id=person.id, where=f"people[{other[1]}]")))
    for loaded in project.plans:
        problems += _unknown_owners(loaded, people, list(seen))
    return problems


def _unknown_owners(loaded: LoadedPlan, people: PeopleDirectory, known: list[str]
                    ) -> list[Problem]:
    out = []
    for path, owner in owner_fields(loaded.plan):
        if people.resolve(owner) is None:
            hint = did_you_mean(owner.strip(), known, cutoff=0.6)
            out.append(loaded.problem(path, say("owner_unknown", owner=owner, hint=hint),
                                      severity=W))
    return out


