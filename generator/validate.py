"""Cross-reference and consistency checks: every problem, never just the first.

Types and shapes were checked while loading; here live the rules that need
more than one field, one plan, or the metric dictionary and the rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from . import SCHEMA_VERSION, __version__, formula
from .errors import DICTIONARY, Message, Problem, Severity, did_you_mean, say
from .load import LoadedPlan, Project
from .metrics import stored_inputs
from .model import (
    BUILT_IN_ALERTS,
    FIRST_DAY,
    FIXED_COLUMNS,
    LAST_DAY,
    SLUG,
    Aggregation,
    MetricDictionary,
    Plan,
)
from .pull.config import check_sources
from .rows import Rows, day
from .yamldoc import Document, Path


@dataclass
class Checked:
    """A loaded project, its metric rows, the as-of date and every problem found."""

    project: Project
    rows: Rows
    as_of: dt.date
    problems: list[Problem]

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.WARNING]

    @property
    def language(self) -> str:
        """The project's language (`theme.language`): what its messages are printed in."""
        return self.project.language

BREAKDOWN_TOLERANCE = 0.005
PACE_TOLERANCE = 0.001
W = Severity.WARNING
ID_LISTS = ("phases", "milestones", "objectives", "goals", "strategies", "tasks", "risks",
            "issues", "alerts")


# what a reference names, by the item it must be: (its list in the plan, its catalogue word)
_REFERENCES = {"task": ("tasks", "ref_task"), "goal": ("goals", "ref_goal"),
               "phase": ("phases", "ref_phase"), "strategy": ("strategies", "ref_strategy"),
               "risk": ("risks", "ref_risk"), "issue": ("issues", "ref_issue"),
               "alert": ("alerts", "ref_alert")}


class _PlanChecker:
    """Checks of one plan, each problem located in its file."""

    def __init__(self, loaded: LoadedPlan, dictionary: MetricDictionary):
        self.plan: Plan = loaded.plan
        self.doc: Document = loaded.doc
        self.loaded = loaded
        self.dictionary = dictionary
        self.problems: list[Problem] = []

    def err(self, path: Path, message: Message, severity: Severity = Severity.ERROR,
            follows: str = "") -> None:
        self.problems.append(self.loaded.problem(path, message, severity=severity,
                                                 follows=follows))

    def ref(self, path: Path, value: str | None, known: Iterable[str], what: str,
            follows: str = "") -> None:
        """A reference that must name an existing item (left-out invalid ones count)."""
        items, word = _REFERENCES[what]
        known = [*known, *self.loaded.left_out.get(items, ())]
        if value is not None and value not in known:
            self.err(path, say("unknown_ref", what=say(word), value=value,
                               hint=did_you_mean(value, known)), follows=follows)

    def metric_ref(self, path: Path, metric: str | None) -> None:
        known = self.dictionary.metrics
        if metric is not None and metric not in known:
            hint = did_you_mean(metric, known)
            self.err(path, say("unknown_metric_ref", value=metric, hint=hint), follows=DICTIONARY)

    def where(self, path: Path, where: dict[str, Any] | None) -> None:
        for dim in where or {}:
            dims = self.dictionary.row_dimensions
            if dim not in dims:
                self.err((*path, dim), say("undeclared_dimension_list", dim=dim,
                                           dims=", ".join(dims) or say("none"),
                                           hint=did_you_mean(dim, dims)), follows=DICTIONARY)

    def window(self, path: Path, start: dt.date, end: dt.date, names: tuple[str, str]) -> bool:
        if start > end:
            self.err((*path, names[0]), say("after", first=names[0], start=start,
                                            second=names[1], end=end))
            return False
        return True

    def inside_period(self, path: Path, start: dt.date, end: dt.date, what: Message) -> None:
        period = self.plan.period
        if start < period.start or end > period.end:
            self.err(path, say("outside_period", what=what, start=start, end=end,
                               period_start=period.start, period_end=period.end))

    def run(self) -> list[Problem]:
        plan = self.plan
        self.window(("period",), plan.period.start, plan.period.end, ("start", "end"))
        # (goals or tasks written but all left out for their own errors are not missing)
        written = self.loaded.doc.value if isinstance(self.loaded.doc.value, dict) else {}
        if not (plan.goals or plan.tasks or written.get("goals") or written.get("tasks")):
            self.err((), say("needs_goal_or_task"))
        if plan.schema_version is not None and plan.schema_version > SCHEMA_VERSION:
            self.err(("schema_version",), say("newer_format", found=plan.schema_version,
                                              known=SCHEMA_VERSION, version=__version__))
        self.unique_ids()
        self.phases()
        self.goals()
        self.tasks()
        self.budget()
        self.others()
        return self.problems

    def unique_ids(self) -> None:
        seen: dict[str, str] = {}
        for field in ID_LISTS:
            for i, item in enumerate(getattr(self.plan, field)):
                if item.id in seen:
                    self.err((field, i, "id"), say("duplicate_id", id=item.id,
                                                   where=seen[item.id]))
                else:
                    seen[item.id] = f"{field}[{i}]"
        budget = self.plan.budget
        for i, line in enumerate(budget.lines if budget else []):
            if line.id in seen:
                self.err(("budget", "lines", i, "id"),
                         say("duplicate_id", id=line.id, where=seen[line.id]))
            else:
                seen[line.id] = f"budget.lines[{i}]"

    def phases(self) -> None:
        ordered = []
        for i, ph in enumerate(self.plan.phases):
            if self.window(("phases", i), ph.start, ph.end, ("start", "end")):
                self.inside_period(("phases", i), ph.start, ph.end,
                                   say("what_phase", id=ph.id))
                ordered.append((ph.start, ph.end, i, ph.id))
        ordered.sort()
        latest: tuple[dt.date, str] | None = None  # the latest end so far, and its phase
        for start, end, i, pid in ordered:
            if latest is not None and start <= latest[0]:
                self.err(("phases", i, "start"),
                         say("phases_overlap", id=pid, start=start, other=latest[1],
                             end=latest[0]))
            if latest is None or end > latest[0]:
                latest = (end, pid)

    def goals(self) -> None:
        phase_ids = [p.id for p in self.plan.phases]
        for i, g in enumerate(self.plan.goals):
            path: Path = ("goals", i)
            self.metric_ref((*path, "metric"), g.metric)
            self.where((*path, "where"), g.where)
            has_target, has_base, has_change = (g.target is not None, g.baseline is not None,
                                                g.change is not None)
            if has_change and not has_base:
                self.err((*path, "change"), say("change_needs_baseline"))
            elif has_base and has_change and has_target:
                self.err((*path, "target"), say("target_or_change"))
            elif has_base and not (has_change or has_target):
                self.err((*path, "baseline"), say("baseline_needs_change"))
            elif not (has_target or has_base):
                self.err(path, say("missing_target"))
            start, due = g.start or self.plan.period.start, g.due or self.plan.period.end
            if self.window(path, start, due, ("start", "due")):
                self.inside_period((*path, "due" if g.due else "start"), start, due,
                                   say("what_goal_window"))
            if g.thresholds.off_track > g.thresholds.on_track:
                self.err((*path, "thresholds", "off_track"), say("thresholds_order"))
            self.pace(path, g.pace, phase_ids)
            if g.breakdown:
                self.breakdown(path, g)
        goal_ids = [g.id for g in self.plan.goals]
        for i, o in enumerate(self.plan.objectives):
            for j, gid in enumerate(o.goals):
                self.ref(("objectives", i, "goals", j), gid, goal_ids, "goal")
        for i, s in enumerate(self.plan.strategies):
            for j, gid in enumerate(s.goals):
                self.ref(("strategies", i, "goals", j), gid, goal_ids, "goal")
        for i, r in enumerate(self.plan.retro):
            for j, gid in enumerate(r.goals):
                self.ref(("retro", i, "goals", j), gid, goal_ids, "goal")

    def breakdown(self, path: Path, g: Any) -> None:
        bd = g.breakdown
        dims = self.dictionary.row_dimensions
        if bd.by not in dims:
            self.err((*path, "breakdown", "by"), say("undeclared_dimension", dim=bd.by,
                                                     hint=did_you_mean(bd.by, dims)),
                     follows=DICTIONARY)
        metric = self.dictionary.metrics.get(g.metric)
        target, _ = g.target_and_baseline()
        additive = (metric is not None and metric.stored
                    and (metric.aggregation or Aggregation.SUM) is Aggregation.SUM)
        if additive and target is not None and bd.targets:
            total = sum(bd.targets.values())
            if abs(total - target) > BREAKDOWN_TOLERANCE * abs(target):
                self.err((*path, "breakdown", "targets"),
                         say("breakdown_sum", total=total, target=target), W)

    def tasks(self) -> None:
        tasks = self.plan.tasks
        by_id = {t.id: t for t in tasks}
        phase_ids = [p.id for p in self.plan.phases]
        strategy_ids = [s.id for s in self.plan.strategies]
        for i, t in enumerate(tasks):
            path: Path = ("tasks", i)
            self.window(path, t.start, t.end, ("start", "end"))
            if not t.owner.strip():
                self.err((*path, "owner"), say("owner_empty"))
            if t.progress is not None and not 0 <= t.progress <= 100:
                self.err((*path, "progress"), say("progress_range", progress=t.progress))
            elif t.actual_end is not None and t.progress is not None and t.progress < 100:
                self.err((*path, "actual_end"), say("done_but_progress", progress=t.progress),
                         W)
            if t.actual_start and t.actual_end and t.actual_start > t.actual_end:
                self.err((*path, "actual_start"), say("after", first="actual_start",
                                                      start=t.actual_start,
                                                      second="actual_end", end=t.actual_end))
            self.ref((*path, "phase"), t.phase, phase_ids, "phase")
            self.ref((*path, "strategy"), t.strategy, strategy_ids, "strategy")
            for j, dep in enumerate(t.depends_on):
                if dep not in by_id:  # (a task is no hint for its own link)
                    self.ref((*path, "depends_on", j), dep, [k for k in by_id if k != t.id],
                             "task")
                    continue
                pred = by_id[dep]
                # dates are inclusive: a predecessor ends at the end of its last day, so
                # starting on that day is already early (a milestone takes no time)
                overlap = (t.start < pred.end if (t.milestone or pred.milestone)
                           else t.start <= pred.end)
                if overlap:
                    self.err((*path, "start"), say("starts_before_predecessor", start=t.start,
                                                   dep=dep, end=pred.end), W)
        # the links as written, invalid tasks included: a cycle is a cause of its own and is
        # reported together with a task's field errors, not after they are fixed
        written = _written_links(self.loaded.doc.value)
        for cycle in _cycles({t: [d for d in deps if d in written] for t, (_, deps)
                              in written.items()}):
            index = written[cycle[0]][0]
            self.problems.append(self.loaded.doc.problem(
                ("tasks", index, "depends_on"),
                say("dependency_cycle", cycle=" → ".join([*cycle, cycle[0]]))))
        # so is a link of a task left out for its other errors to a task that does not exist
        for task_id in self.loaded.left_out.get("tasks", ()):
            index, deps = written.get(task_id, (-1, []))
            others = [k for k in written if k != task_id]
            for j, dep in enumerate(deps):
                if dep not in written:
                    self.problems.append(self.loaded.doc.problem(
                        ("tasks", index, "depends_on", j),
                        say("unknown_ref", what=say(_REFERENCES["task"][1]), value=dep,
                            hint=did_you_mean(dep, others))))

    def pace(self, path: Path, pace: dict[str, float] | None, phase_ids: list[str]) -> None:
        """Phase shares of a goal or a budget line: existing phases, summing to 1."""
        if not pace:
            return
        for phase in pace:
            self.ref((*path, "pace", phase), phase, phase_ids, "phase")
        total = sum(pace.values())
        if abs(total - 1) > PACE_TOLERANCE:
            self.err((*path, "pace"), say("pace_sum", total=total))

    def budget(self) -> None:
        budget = self.plan.budget
        if budget is None:
            return
        risk_ids = [r.id for r in self.plan.risks]
        issue_ids = [i.id for i in self.plan.issues]
        for i, line in enumerate(budget.lines):
            path: Path = ("budget", "lines", i)
            self.pace(path, line.pace, [p.id for p in self.plan.phases])
            if line.spent is None and line.cost_metric is None:
                self.err(path, say("budget_needs_spent"))
            elif line.spent is not None and line.cost_metric is not None:
                self.err((*path, "spent"), say("spent_or_cost_metric"))
            self.metric_ref((*path, "cost_metric"), line.cost_metric)
            self.metric_ref((*path, "revenue_metric"), line.revenue_metric)
            self.where((*path, "where"), line.where)
        for i, draw in enumerate(budget.draws):
            self.ref(("budget", "draws", i, "risk"), draw.risk, risk_ids, "risk")
            self.ref(("budget", "draws", i, "issue"), draw.issue, issue_ids, "issue")
        if budget.total is not None:
            planned = sum(ln.planned for ln in budget.lines)
            reserve = budget.total * budget.contingency
            if planned + reserve > budget.total * (1 + 1e-9):
                self.err(("budget", "total"), say("budget_over_total", planned=planned,
                                                  reserve=reserve, total=budget.total), W)

    def others(self) -> None:
        phase_ids = [p.id for p in self.plan.phases]
        task_ids = [t.id for t in self.plan.tasks]
        for i, r in enumerate(self.plan.risks):
            if r.unmitigated:
                self.err(("risks", i), say("risk_unmitigated"), W)
        for i, issue in enumerate(self.plan.issues):
            self.ref(("issues", i, "phase"), issue.phase, phase_ids, "phase")
            self.ref(("issues", i, "task"), issue.task, task_ids, "task")
        for i, rule in enumerate(self.plan.alerts):
            path: Path = ("alerts", i)
            self.metric_ref((*path, "metric"), rule.metric)
            self.where((*path, "where"), rule.where)
            if rule.rule in ("below", "above") and rule.value is None:
                self.err(path, say("rule_needs_value", rule=rule.rule))
            if rule.rule in ("rising", "falling") and rule.by is None:
                self.err(path, say("rule_needs_by", rule=rule.rule))
        codes = [*BUILT_IN_ALERTS, *(f"rule_{r.rule}" for r in self.plan.alerts)]
        for i, ack in enumerate(self.plan.acks):
            self.ref(("acks", i, "alert"), ack.alert, codes, "alert")


def _written_links(document: Any) -> dict[str, tuple[int, list[str]]]:
    """Task id → (its index in the file, the ids it depends on), from the file as written."""
    tasks = document.get("tasks") if isinstance(document, dict) else None
    out: dict[str, tuple[int, list[str]]] = {}
    for index, task in enumerate(tasks if isinstance(tasks, list) else []):
        if isinstance(task, dict) and isinstance(task.get("id"), str):
            deps = task.get("depends_on")
            deps = [d for d in deps if isinstance(d, str)] if isinstance(deps, list) else []
            out.setdefault(task["id"], (index, deps))
    return out


def _cycles(graph: dict[str, list[str]]) -> list[list[str]]:
    """Each dependency cycle once, as the list of ids along it (iterative DFS)."""
    color = dict.fromkeys(graph, 0)
    cycles: list[list[str]] = []
    seen: set[frozenset[str]] = set()
    for root in graph:
        if color[root]:
            continue
        stack: list[tuple[str, int]] = [(root, 0)]
        path: list[str] = []
        while stack:
            node, i = stack.pop()
            if i == 0:
                color[node] = 1
                path.append(node)
            if i < len(graph[node]):
                stack.append((node, i + 1))
                nxt = graph[node][i]
                if color[nxt] == 0:
                    stack.append((nxt, 0))
                elif color[nxt] == 1:
                    cycle = path[path.index(nxt):]
                    if frozenset(cycle) not in seen:
                        seen.add(frozenset(cycle))
                        cycles.append(cycle)
            else:
                color[node] = 2
                path.pop()
    return cycles


def check_dictionary(dictionary: MetricDictionary, doc: Document | None) -> list[Problem]:
    """Formulas parse, name known metrics and form no cycle; stored xor derived."""
    def at(path: Path, message: Message) -> Problem:
        if doc is None:
            return Problem("data/metrics.yaml", None, None, ".".join(map(str, path)), message)
        return doc.problem(path, message)

    problems = []
    if dictionary.schema_version is not None and dictionary.schema_version > SCHEMA_VERSION:
        problems.append(at(("schema_version",), say(
            "newer_format", found=dictionary.schema_version, known=SCHEMA_VERSION,
            version=__version__)))
    graph: dict[str, list[str]] = {}
    for mid, m in dictionary.metrics.items():
        path: Path = ("metrics", mid)
        if mid in FIXED_COLUMNS or mid in dictionary.dimensions:
            problems.append(at(path, say("metric_id_reserved", id=mid)))
        if m.formula is not None and m.aggregation is not None:
            problems.append(at((*path, "aggregation"), say("metric_stored_and_derived")))
        if m.formula is None:
            continue
        try:
            refs = sorted(formula.references(formula.parse(m.formula)))
        except formula.FormulaError as e:
            shown = m.formula if len(m.formula) <= 80 else f"{m.formula[:77]}…"
            problems.append(at((*path, "formula"), say("formula_syntax", error=e.message,
                                                       position=e.position + 1, formula=shown)))
            continue
        for ref in refs:
            if ref not in dictionary.metrics:
                hint = did_you_mean(ref, dictionary.metrics)
                problems.append(at((*path, "formula"), say(
                    "formula_unknown_metric", metric=ref, hint=hint)))
        graph[mid] = [r for r in refs if r in dictionary.metrics]
    for mid in graph:
        graph[mid] = [r for r in graph[mid] if r in graph]
    cycles = _cycles(graph)
    for cycle in cycles:
        problems.append(at(("metrics", cycle[0], "formula"),
                           say("formula_cycle", cycle=" → ".join([*cycle, cycle[0]]))))
    if not cycles:  # one message per chain: at the metric no other formula uses
        used = {r for refs in graph.values() for r in refs}
        for mid, depth in _formula_depths(graph).items():
            if depth > MAX_FORMULA_DEPTH and mid not in used:
                problems.append(at(("metrics", mid, "formula"),
                                   say("formula_depth", depth=depth, max=MAX_FORMULA_DEPTH)))
    for n, dim in enumerate(dictionary.dimensions):
        if dim in FIXED_COLUMNS and dim != "plan":
            problems.append(at(("dimensions", n), say("dimension_reserved", name=dim)))
    if len(set(dictionary.dimensions)) != len(dictionary.dimensions):
        problems.append(at(("dimensions",), say("dimension_twice")))
    problems += check_sources(dictionary, at)  # warehouse sources: what needs no connection
    return problems


MAX_FORMULA_DEPTH = 32  # derived metrics built on derived metrics, levels deep


def _formula_depths(graph: dict[str, list[str]]) -> dict[str, int]:
    """How many derived metrics deep each derived metric goes (1: only stored inputs);
    the graph has no cycle. Walked without recursion, however long the chain."""
    depth: dict[str, int] = {}
    for start in graph:
        stack = [start]
        while stack:
            current = stack[-1]
            pending = [r for r in graph[current] if r not in depth]
            if pending:
                stack.extend(pending)
                continue
            stack.pop()
            depth[current] = 1 + max((depth[r] for r in graph[current]), default=0)
    return depth


def check_plans(project: Project) -> list[Problem]:
    """Every plan's own checks, and plan ids unique across files."""
    problems: list[Problem] = []
    first: dict[str, LoadedPlan] = {}
    for loaded in project.plans:
        # (a plan with an invalid `id` of its own is told so by that field's problem)
        if (loaded.plan.id is None and not SLUG.fullmatch(loaded.id)
                and not (isinstance(loaded.doc.value, dict) and "id" in loaded.doc.value)):
            problems.append(loaded.doc.problem((), say("bad_plan_file_name", id=loaded.id)))
        if loaded.id in first:
            problems.append(loaded.doc.problem(("id",), say("duplicate_plan_id", id=loaded.id,
                                                            source=first[loaded.id].source),
                                               key=True))
        else:
            first[loaded.id] = loaded
        problems += _PlanChecker(loaded, project.dictionary).run()
    return problems


def check_rows(project: Project, rows: Rows, as_of: dt.date | None) -> list[Problem]:
    """Warnings that need the rows: goals with no rows, rows dated after as-of."""
    problems: list[Problem] = []
    present = set(rows.slices())
    dictionary = project.dictionary
    for loaded in project.plans:
        for i, g in enumerate(loaded.plan.goals):
            metric = dictionary.metrics.get(g.metric)
            if metric is None:
                continue
            inputs = stored_inputs(g.metric, dictionary)
            if not any((loaded.id, m) in present for m in inputs):
                problems.append(loaded.problem(("goals", i, "metric"),
                                               say("goal_metric_no_rows", metric=g.metric,
                                                   plan=loaded.id), severity=W))
    if len(rows) and (rows.first_day < day(FIRST_DAY) or rows.last_day > day(LAST_DAY)):
        dates = rows.column("date")
        far = rows.in_file_order((dates < day(FIRST_DAY)) | (dates > day(LAST_DAY)))
        for i in far[:20]:  # far dates overflow the day arithmetic of windows and charts
            problems.append(Problem(*rows.location(i), None, "date", say(
                "date_range", first=str(FIRST_DAY), last=str(LAST_DAY),
                given=repr(str(rows.date(i))))))
    if as_of is not None and rows.last_day > day(as_of) and len(rows):
        late = rows.in_file_order(rows.column("date") > day(as_of))
        for i in late[:20]:
            problems.append(Problem(*rows.location(i), None, "date",
                                    say("row_after_as_of", date=rows.date(i), as_of=as_of), W))
        for source, n, line in rows.per_file(late[20:]):  # the rest, counted in their files
            problems.append(Problem(source, line, None, "date",
                                    say("more_rows_after_as_of", n=n), W))
    return problems
