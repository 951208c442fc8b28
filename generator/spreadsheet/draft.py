"""From the tables' items to a plan draft: ids, references, dates, phases and metrics.

The tables say things the plan file says differently: a strategy or phase by its name,
a task's dates as one range, a goal's metric by its Chinese name, `已完成` for progress
100, an issue log without dates. Each rule here turns such a value into the plan's own
terms and notes how (the note becomes a comment in the plan file); what cannot be
turned is left for the validator, whose problems are located back in the cells.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections import Counter
from dataclasses import dataclass, field

from ..errors import Message, Problem, did_you_mean, say
from ..model import MetricDef, MetricDictionary, MetricFormat
from . import cells
from .cells import Relative
from .columns import RISKS, TASKS, normalize
from .reader import Place
from .tables import RANGE_FIELDS, Item, Value

PREFIX = {"phases": "P", "milestones": "MS", "objectives": "O", "goals": "G",
          "strategies": "S", "tasks": "T-", "budget.lines": "B", "risks": "R", "issues": "I",
          "alerts": "A"}
DATE_FIELDS = ("start", "end", "due", "date", "done", "actual_start", "actual_end", "resolved")


@dataclass
class Draft:
    plan: Item  # plan fields (title, owner, period …, and the budget's settings)
    sections: dict[str, list[Item]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def items(self, key: str) -> list[Item]:
        return self.sections.setdefault(key, [])


def build(plan: Item, sections: dict[str, list[Item]], dictionary: MetricDictionary,
          stem: str) -> Draft:
    """Apply every rule, in an order where each finds what it needs made."""
    draft = Draft(plan, sections)
    _phase_table(draft)
    for task in draft.items("tasks"):
        _task_dates(task)
        _task_status(task)
    for key in PREFIX:
        _ids(draft, key)
    _strategies(draft)
    _phases(draft)
    metrics = Metrics.of(dictionary)
    _goals(draft, metrics)
    _metrics(draft, metrics)
    _issues(draft)
    _risks(draft)
    _references(draft)
    _plan_fields(draft, stem)
    return draft


def _phase_table(draft: Draft) -> None:
    """推广活动执行计划表: one row per action; the phase spans its rows' dates, each row's
    action is a task (when no task sheet lists them) and its 风险点 a risk."""
    rows, merged = draft.items("phases"), dict[object, Item]()
    tasks_given = bool(draft.items("tasks"))
    for row in rows:
        if row.get("dates") is not None:
            start, end = row.get("dates")
            row.set("start", row.get("start") or start, row.values["dates"].note)
            row.set("end", row.get("end") or end)
        name = row.get("name") or row.get("id")
        if row.get("action") and not tasks_given and row.get("action_owner"):
            task = Item(TASKS, row.row, places=dict(row.places))
            for key, to in (("action", "name"), ("action_owner", "owner"), ("start", "start"),
                            ("end", "end")):
                if key in row.values:
                    task.values[to] = row.values[key]
            if name:
                task.set("phase", name, place=row.place("name"))
            task.places.update(name=row.place("action"), owner=row.place("action_owner"))
            draft.items("tasks").append(task)
        if row.get("risk"):
            risk = Item(RISKS, row.row, places=dict(row.places))
            risk.set("description", row.get("risk"), place=row.place("risk"))
            if row.get("mitigation"):
                risk.set("mitigation", row.get("mitigation"), place=row.place("mitigation"))
            if row.get("action_owner"):
                risk.set("owner", row.get("action_owner"), place=row.place("action_owner"))
            draft.items("risks").append(risk)
        if name in merged:  # one phase written over several rows
            first = merged[name]
            for key, pick in (("start", min), ("end", max)):
                if row.get(key) is not None:
                    value = row.get(key) if first.get(key) is None else pick(first.get(key),
                                                                            row.get(key))
                    first.set(key, value)
            continue
        merged[name] = row
    for row in merged.values():
        for key in ("dates", "action", "action_owner", "risk", "mitigation"):
            row.values.pop(key, None)
    draft.sections["phases"] = list(merged.values())


def _task_dates(task: Item) -> None:
    """起止时间 / 实际时间 ranges into start, end, actual_start, actual_end."""
    for key, (first, last) in RANGE_FIELDS.items():
        found = task.values.pop(key, None)
        if found is None:
            continue
        start, end = found.value
        if task.get(first) is None:
            task.values[first] = Value(start, found.place, found.cell, found.note)
        if task.get(last) is None:
            task.values[last] = Value(end, found.place, found.cell)


def _task_status(task: Item) -> None:
    """已完成 → progress 100; 受阻 / 已取消 stay; the rest is computed by mxt."""
    status = task.values.get("status")
    if status is None or status.value != "done":
        return
    del task.values["status"]
    if task.get("progress") is None:
        task.set("progress", 100, say("import_read_as", given=status.cell.text, value="100"),
                 place=status.place)


def _ids(draft: Draft, key: str) -> None:
    """Every item has a unique id: generated where the table has none, duplicates named."""
    items = draft.items(key)
    taken = {str(i.get("id")) for i in items if i.get("id") is not None}
    first: dict[str, Place] = {}
    n = 0
    for item in items:
        if item.get("id") is None:
            n += 1
            while f"{PREFIX[key]}{n}" in taken:
                n += 1
            item.set("id", f"{PREFIX[key]}{n}", say("import_id_generated"))
            continue
        ident = str(item.get("id"))
        item.set("id", ident)
        if ident in first:
            draft.problems.append(item.place("id").problem(
                say("import_duplicate_id", id=ident, first=first[ident].text())))
        else:
            first[ident] = item.place("id")


def _by_name(items: list[Item], text: str, name: str = "name") -> str | None:
    """The id of the item whose id or name is `text`."""
    for item in items:
        if text in (item.get("id"), item.get(name)):
            return str(item.get("id"))
    return None


def _named(item: Item, key: str, items: list[Item], name: str = "name") -> None:
    """A reference written as a name (关联策略 小红书种草) becomes the item's id."""
    text = item.get(key)
    if text is None:
        return
    ident = _by_name(items, str(text), name)
    if ident is not None and ident != text:
        item.set(key, ident, say("import_name_ref", given=str(text), id=ident))


def _make(draft: Draft, key: str, names: list[str], row: Item) -> None:
    """Items made from names met in another table (no sheet of their own)."""
    for name in dict.fromkeys(names):
        if _by_name(draft.items(key), name) is None:
            made = Item(row.table, row.row)
            made.set("id", f"{PREFIX[key]}{len(draft.items(key)) + 1}")
            made.set("name", name)
            made.notes.append(say("import_made_from", column=row.place(
                "strategy" if key == "strategies" else "phase").header or key))
            draft.items(key).append(made)


def _strategies(draft: Draft) -> None:
    tasks = [t for t in draft.items("tasks") if t.get("strategy")]
    if tasks and not draft.items("strategies"):
        _make(draft, "strategies", [str(t.get("strategy")) for t in tasks], tasks[0])
    for task in tasks:
        _named(task, "strategy", draft.items("strategies"))


def _phases(draft: Draft) -> None:
    """Phases by name; made from the tasks' phase column when there is no phase sheet, each
    spanning its tasks (a phase that would overlap the one before starts after it). An
    issue's phase that names none is kept as a comment (the field is optional)."""
    tasks = [t for t in draft.items("tasks") if t.get("phase")]
    if not draft.items("phases") and tasks:
        _make(draft, "phases", [str(t.get("phase")) for t in tasks], tasks[0])
        previous_end: dt.date | None = None
        for phase in draft.items("phases"):
            mine = [t for t in tasks if t.get("phase") == phase.get("name")]
            starts = [d for t in mine if isinstance(d := t.get("start"), dt.date)]
            ends = [d for t in mine if isinstance(d := t.get("end"), dt.date)]
            if not starts or not ends:
                continue
            start, end = min(starts), max(ends)
            if previous_end is not None and start <= previous_end:
                start = previous_end + dt.timedelta(days=1)
            phase.set("start", start)
            phase.set("end", max(end, start))
            previous_end = max(end, start)
    for item in tasks:
        _named(item, "phase", draft.items("phases"))
    for issue in draft.items("issues"):
        _named(issue, "phase", draft.items("phases"))
        written = issue.values.get("phase")
        if written is not None and _by_name(draft.items("phases"), str(written.value)) is None:
            issue.notes.append(f"{written.place.header}: {written.cell.text}")
            del issue.values["phase"]


@dataclass(frozen=True)
class Metrics:
    """The metric dictionary with every id and name (in each language) normalised once,
    not once per goal, budget line and alert rule that names a metric."""

    dictionary: MetricDictionary
    names: dict[str, str]  # normalised id or name → metric id

    @classmethod
    def of(cls, dictionary: MetricDictionary) -> Metrics:
        from ..languages import languages

        return cls(dictionary, {normalize(n): mid for mid, m in dictionary.metrics.items()
                                for n in (mid, *(m.label(lang) for lang in languages())) if n})

    def resolve(self, text: str) -> tuple[str | None, str]:
        """A metric id from an id or a name (新增注册用户数 → new_users): (id, hint)."""
        if text in self.dictionary.metrics:
            return text, ""
        wanted, names = normalize(text), self.names
        if wanted in names:
            return names[wanted], ""
        close = {mid for name, mid in names.items()
                 if len(name) >= 2 and (name in wanted or wanted in name)}
        if len(close) == 1:
            return close.pop(), ""
        guess = difflib.get_close_matches(wanted, list(names), n=1, cutoff=0.5)
        return None, names[guess[0]] if guess else ""


def _metric(item: Item, key: str, metrics: Metrics, problems: list[Problem]
            ) -> MetricDef | None:
    text = item.get(key)
    if text is None:
        return None
    metric_id, hint = metrics.resolve(str(text))
    if metric_id is None:
        problems.append(item.place(key).problem(say(
            "import_unknown_metric", given=str(text),
            hint=say("did_you_mean", name=hint) if hint else "")))
        item.values.pop(key)
        return None
    if metric_id != text:
        item.set(key, metric_id, say("import_read_as", given=str(text), value=metric_id))
    return metrics.dictionary.metrics[metric_id]


def _reread(found: Value, value: object) -> Message | None:
    """The note of a value read again (a percent metric, a unit): the cell's own note when
    the value is what the cell gave, else how the cell was read."""
    return found.note if value == found.value else say(
        "import_read_as", given=found.cell.text, value=value)


_UNITS = {"万": 1e4, "万元": 1e4, "亿": 1e8, "亿元": 1e8, "千": 1e3, "千元": 1e3, "%": 0.01,
          "％": 0.01, "百分比": 0.01}


def _goals(draft: Draft, metrics: Metrics) -> None:
    """Metric by id or name; target in the metric's unit (单位 万, a percent metric); a
    change (提升30%) with its baseline; the name from the metric when the table has none."""
    for goal in draft.items("goals"):
        metric_text = goal.get("metric")
        metric = _metric(goal, "metric", metrics, draft.problems)
        if goal.get("name") is None and metric_text is not None:
            goal.set("name", str(metric_text), say("import_name_from", column=goal.place(
                "metric").header), place=goal.place("metric"))
        percent = metric is not None and metric.format is MetricFormat.PERCENT
        scale = _UNITS.get(str(goal.get("unit") or "").strip(), 1.0)
        goal.values.pop("unit", None)
        for key in ("target", "baseline"):
            found = goal.values.get(key)
            if found is None:
                continue
            value = found.value
            if (metric is not None and not percent and metric.format is not MetricFormat.RATIO
                    and not isinstance(value, Relative)
                    and (found.cell.percent_format or re.search("[%％]", found.cell.text))):
                # 35% of an index or a count is no target in its unit (提升35% is a change)
                draft.problems.append(found.place.problem(say(
                    "import_percent_of_a_figure", given=found.cell.text, metric=metric.name)))
                goal.values.pop(key)
                continue
            if percent and not isinstance(value, Relative):
                typed = isinstance(found.cell.value, str)
                value = cells.read_number(found.cell, percent_metric=typed or scale == 1.0).value
            if isinstance(value, Relative):
                if key == "baseline" or goal.get("baseline") is None:
                    draft.problems.append(found.place.problem(say(
                        "import_change_needs_baseline", given=found.cell.text)))
                    goal.values.pop(key)
                    continue
                goal.values.pop(key)
                goal.set("change", value.change, say("import_read_as", given=found.cell.text,
                                                     value=f"change: {value.change:g}"),
                         place=found.place)
                continue
            if scale != 1.0:
                value = cells._tidy(value * scale)
            goal.set(key, value, _reread(found, value))


def _metrics(draft: Draft, metrics: Metrics) -> None:
    for line in draft.items("budget.lines"):
        _metric(line, "cost_metric", metrics, draft.problems)
        _metric(line, "revenue_metric", metrics, draft.problems)
    for rule in draft.items("alerts"):
        metric = _metric(rule, "metric", metrics, draft.problems)
        found = rule.values.get("value")
        if (found is not None and metric is not None and metric.format is MetricFormat.PERCENT
                and not isinstance(found.value, Relative)):
            value = cells.read_number(found.cell, percent_metric=True).value
            rule.set("value", value, _reread(found, value))


def _issues(draft: Draft) -> None:
    """An issue log without dates: the phase's start, else the due date; 已解决 without a
    date: resolved on the due date."""
    phases = {p.get("id"): p for p in draft.items("phases")}
    for issue in draft.items("issues"):
        status = issue.values.pop("status", None)
        if issue.get("date") is None:
            phase = phases.get(issue.get("phase"))
            start = phase.get("start") if phase else None
            for value, source in ((start, "phase"), (issue.get("due"), "due")):
                if value is not None:
                    issue.set("date", value, say("import_date_from", source=issue.place(
                        source).header or source))
                    break
        if status is not None and status.value == "resolved" and issue.get("resolved") is None:
            day = issue.get("due") or issue.get("date")
            if day is not None:
                issue.set("resolved", day, say("import_resolved_on", given=status.cell.text,
                                               value=str(day)), place=status.place)
        if status is not None and status.value == "open" and issue.get("resolved") is not None:
            issue.notes.append(say("import_read_as", given=status.cell.text, value="open"))


def _risks(draft: Draft) -> None:
    """A risk log without levels (风险点 of an execution plan): medium assumed, noted."""
    for risk in draft.items("risks"):
        missing = [key for key in ("probability", "impact") if risk.get(key) is None]
        for n, key in enumerate(missing):
            risk.set(key, "medium", None if n else say("import_level_assumed"))


def _references(draft: Draft) -> None:
    """Lists of ids (前置任务, 关联目标 …) whose items were written by name."""
    lists = [("tasks", "depends_on", "tasks"), ("strategies", "goals", "goals"),
             ("objectives", "goals", "goals"), ("retro", "goals", "goals")]
    for key, name, target in lists:
        known = [str(i.get("id")) for i in draft.items(target)]
        for item in draft.items(key):
            ids = item.get(name)
            if not ids:
                continue
            resolved = [_by_name(draft.items(target), str(x)) or str(x) for x in ids]
            if resolved != ids:
                old = item.values[name]
                item.set(name, resolved, old.note or say("import_read_as", given=old.cell.text,
                                                         value=", ".join(resolved)))
            for unknown in (x for x in resolved if x not in known):  # also in a row that has
                draft.problems.append(item.place(name).problem(say(  # other problems
                    "unknown_ref", what=say("ref_task" if target == "tasks" else "ref_goal"),
                    value=unknown, hint=did_you_mean(unknown, known))))
    for issue in draft.items("issues"):
        _named(issue, "task", draft.items("tasks"))
    for key in ("goals", "budget.lines"):
        for item in draft.items(key):
            shares = item.get("pace")
            if shares:
                ids = {(_by_name(draft.items("phases"), str(k)) or k): v for k, v in
                       shares.items()}
                if ids != shares:
                    item.set("pace", ids)


def _dates(draft: Draft) -> list[dt.date]:
    return [d for items in draft.sections.values() for i in items for k in DATE_FIELDS
            if isinstance(d := i.get(k), dt.date)]


def _plan_fields(draft: Draft, stem: str) -> None:
    """Title, owner and period: the plan sheet's, else the file name, the owner named most
    often and the span of every date (each noted)."""
    plan = draft.plan
    if plan.get("dates") is not None:
        start, end = plan.get("dates")
        found = plan.values.pop("dates")
        plan.set("start", plan.get("start") or start, found.note, found.place)
        plan.set("end", plan.get("end") or end, place=found.place)
    if plan.get("title") is None:
        plan.set("title", stem, say("import_title_from_file"))
    if plan.get("owner") is None:
        owners = Counter(str(i.get("owner")) for key in ("goals", "tasks")
                         for i in draft.items(key) if i.get("owner"))
        if owners:
            plan.set("owner", owners.most_common(1)[0][0], say("import_owner_most"))
        else:
            draft.problems.append(plan.place("owner").problem(say("import_no_owner")))
    dates = _dates(draft)
    for key, pick in (("start", min), ("end", max)):
        if plan.get(key) is None:
            if dates:
                plan.set(key, pick(dates), say("import_period_span"))
            else:
                draft.problems.append(plan.place(key).problem(say("import_no_period")))
    if plan.get("type") is None:
        plan.set("type", "campaign", say("import_default"))


def slug(text: str) -> str:
    """A plan id from a file name (`Q3 Launch` → `q3-launch`); "" when nothing is left."""
    value = re.sub(r"[^a-z0-9._-]+", "-", text.lower()).strip("-._")
    return value if value and re.fullmatch(r"[a-z0-9][a-z0-9._-]*", value) else ""
