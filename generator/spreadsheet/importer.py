"""`mxt import`: a workbook laid out like the teams' tables becomes a plan file.

Read (every sheet, or one CSV table) → recognise each sheet's table → read its cells →
apply the rules (`draft`) → write YAML (`planyaml`) → check it with the project's own
validator. Every problem, the cells' and the validator's, is located in the workbook
(`计划.xlsx [任务]!F7: 结束时间: …`) and reported at once; nothing is written unless the
plan validates (warnings are printed, as `mxt validate` prints them).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import Any

from ..errors import InputError, Message, Problem, Severity, say
from ..load import LoadedPlan, Project, load_project, read_plan
from ..model import MetricDictionary
from ..validate import check_plans
from ..views.catalogue import label, languages
from ..write import replace_file
from . import cells, draft, planyaml
from .columns import BY_KEY, PLAN, TABLES
from .reader import Grid, Place, read_csv, read_workbook
from .tables import Item, is_plan_sheet, read_fields, read_items, recognise

FALLBACK_ID = "plan"


@dataclass(frozen=True)
class Converted:
    """A workbook as a plan file that validates."""

    plan_id: str
    text: str
    counts: dict[str, int]  # items per table key
    notes: int  # values that needed interpreting (comments in the file)
    warnings: list[Problem]


@dataclass(frozen=True)
class Imported:
    target: Path
    converted: Converted


def _status_title(grid: Grid) -> bool:
    """Whether a sheet opens with the title `mxt export` gives the status workbook's sheets
    (in any language): a status workbook is a report, not a plan to import."""
    first = grid.rows[0][0].value if grid.rows and grid.rows[0] else None
    titles = (re.escape(label("xlsx_title", lang, as_of="DATE")).replace("DATE", r"[\d-]+")
              for lang in languages())
    return isinstance(first, str) and any(re.fullmatch(t, first.strip()) for t in titles)


def _grids(data: bytes, name: str, as_csv: bool) -> list[Grid]:
    return read_csv(data, name) if as_csv else read_workbook(data, name)


def _read(grids: list[Grid], as_csv: bool, problems: list[Problem]
          ) -> tuple[Item, dict[str, list[Item]], list[str]]:
    """The plan sheet's fields and every table's items, by table key (sheets in order)."""
    year = cells.years([c for g in grids for row in g.rows for c in row])
    plan: Item | None = None
    sections: dict[str, list[Item]] = {}
    read = []
    for grid in grids:
        if not as_csv and plan is None and is_plan_sheet(grid):
            plan = read_fields(grid, year, problems)
            read.append(grid.sheet or grid.file)
            continue
        found = recognise(grid)
        if found is None:
            if any(not c.blank for row in grid.rows for c in row):
                problems.append(grid.place(1, 0).problem(say("import_sheet_skipped"),
                                                         Severity.WARNING))
            continue
        table, header, columns = found
        sections.setdefault(table.key, []).extend(
            read_items(grid, table, header, columns, year, problems))
        read.append(grid.sheet or grid.file)
    first = grids[0] if grids else None
    if plan is None:
        plan = Item(PLAN, first.place(1, 0) if first else Place("", None, 1, 0, ""))
    return plan, sections, read


def convert(data: bytes, name: str, *, dictionary: MetricDictionary,
            others: Sequence[LoadedPlan] = (), language: str = "zh",
            file_stem: str | None = None, as_csv: bool = False) -> Converted:
    """A workbook's (or one CSV table's) bytes as a plan file's text; raises InputError with
    every problem, located in the workbook, when the plan would not validate.

    The plan's id: the plan sheet's 计划ID, else `file_stem` (the name of the file it will
    be written to) when that is an id, else the workbook's name as an id, else "plan"."""
    problems: list[Problem] = []
    grids = _grids(data, name, as_csv)
    if not as_csv and grids and all(_status_title(g) for g in grids):
        raise InputError([Problem(name, None, None, "", say("import_status_workbook"))],
                         language=language)
    plan, sections, sheets = _read(grids, as_csv, problems)
    if not sections and not plan.values:
        raise InputError([*problems, Problem(name, None, None, "", say("import_no_tables"))],
                         language=language)
    stem = PurePath(name).stem
    made = draft.build(plan, sections, dictionary, stem)
    problems += made.problems
    given = str(made.plan.get("id") or "")
    usable = file_stem if file_stem is not None and draft.slug(file_stem) == file_stem else ""
    ident = given or usable or draft.slug(stem) or FALLBACK_ID
    doc, places = _document(made, name, sheets, ident, file_stem or ident, language)
    text = planyaml.emit(doc)
    problems += _validate(text, f"plans/{file_stem or ident}.yaml", places, dictionary,
                          others, name, language)
    problems = _dedupe(problems)
    errors = [p for p in problems if p.severity is Severity.ERROR]
    if errors:
        raise InputError(problems, language=language)
    counts = {t.key: len(made.sections[t.key]) for t in TABLES if made.sections.get(t.key)}
    notes = sum(1 for line in text.splitlines()[2:] if "# " in line)
    return Converted(ident, text, counts, notes, problems)


def _words(note: Message | str | None, language: str) -> str:
    if note is None:
        return ""
    return note.text(language) if isinstance(note, Message) else str(note)


_Places = dict[tuple[Any, ...], Place]


def _document(made: draft.Draft, name: str, sheets: list[str], ident: str, stem: str,
              language: str) -> tuple[planyaml.Document, _Places]:
    """The draft in the file's order, and the place of every value in it."""
    plan = made.plan
    places: _Places = {}

    def entry(item: Item, key: str, path: tuple[Any, ...]) -> planyaml.Entry:
        places[path] = item.place(key)
        return planyaml.Entry(key, item.get(key), _words(item.values[key].note, language))

    top = []
    if ident != stem:  # the file's name is not the plan's id: say it
        places[("id",)] = plan.place("id")
        top.append(planyaml.Entry("id", ident))
    for key in planyaml.TOP:
        if key == "period":
            start, end = plan.get("start"), plan.get("end")
            places[("period", "start")], places[("period", "end")] = (plan.place("start"),
                                                                      plan.place("end"))
            places[("period",)] = plan.place("start")
            note = "; ".join(dict.fromkeys(filter(None, (
                _words(plan.values[k].note, language) for k in ("start", "end")
                if k in plan.values))))
            top.append(planyaml.Entry("period", {"start": start, "end": end}, note))
        elif key != "id" and plan.get(key) is not None:
            top.append(entry(plan, key, (key,)))
    budget = [entry(plan, k, ("budget", k)) for k in planyaml.BUDGET if plan.get(k) is not None]
    if made.sections.get("budget.lines") and not any(e.key == "currency" for e in budget):
        budget.insert(0, planyaml.Entry("currency", "CNY"))
    sections: dict[str, list[planyaml.Block]] = {}
    for table in TABLES[1:]:
        blocks = []
        base = tuple(table.key.split("."))
        for i, item in enumerate(made.sections.get(table.key, [])):
            places[(*base, i)] = item.row
            for key, place in item.places.items():  # empty cells too: "required" points there
                places[(*base, i, key)] = place
            entries = [entry(item, k, (*base, i, k)) for k in planyaml.ORDER[table.key]
                       if item.get(k) is not None and item.get(k) != []]
            comments = [_words(n, language) for n in item.notes]
            blocks.append(planyaml.Block(entries, comments))
        sections[table.key] = blocks
    header = [say("import_header", file=PurePath(name).name, sheets=", ".join(sheets))
              .text(language)]
    schema = "yaml-language-server: $schema=../schema/plan.schema.json"
    return planyaml.Document([schema, *header], top, budget, sections), places


def _validate(text: str, source: str, places: _Places, dictionary: MetricDictionary,
              others: Sequence[LoadedPlan], name: str, language: str) -> list[Problem]:
    """The project's validator on the plan file to be, its problems placed in the cells
    (a plan of the same file name is the one being replaced)."""
    loaded, problems = read_plan(text, source)
    if loaded is not None:
        project = Project(Path("."), [*(p for p in others if p.source != source), loaded],
                          dictionary, None, [])
        problems += [p for p in check_plans(project) if p.file == source]
    return [_place(p, places, name, language) for p in problems]


def _path(text: str) -> tuple[Any, ...]:
    """`tasks[3] (M-04).depends_on[0]` → ("tasks", 3, "depends_on", 0)."""
    text = re.sub(r"\]\s\([^)]*\)", "]", text)
    return tuple(int(t[1:-1]) if t.startswith("[") else t
                 for t in re.findall(r"\[\d+\]|[^.\[\]]+", text))


def _place(problem: Problem, places: _Places, name: str, language: str) -> Problem:
    """A validator's problem at the cell its value came from (a missing field: the cell
    that was empty, else the row, named by the column the table would have)."""
    path = _path(problem.path)
    message = problem.message
    values = dict(message.values) if isinstance(message, Message) else {}
    if isinstance(values.get("field"), str):  # missing_field names it; the path stops short
        path = (*path, values["field"])
    for n in range(len(path), 0, -1):
        place = places.get(path[:n])
        if place is None:
            continue
        if isinstance(message, Message) and message.key == "missing_field" and n == len(path):
            message = say("import_required")
        if not place.header:  # a whole row: say which field, as the table would name it
            field = next((p for p in reversed(path[n:]) if isinstance(p, str)), str(path[-1]))
            place = Place(place.file, place.sheet, place.row, place.column,
                          _header(path[0], field, language))
        return place.problem(message, problem.severity)
    return Problem(name, None, None, problem.path, message, problem.severity)


def _header(section: object, field: str, language: str) -> str:
    table = BY_KEY.get(str(section)) or BY_KEY.get(f"budget.{field}")
    if table is not None and any(c.field == field for c in table.columns):
        return table.column(field).header(language)
    return field


def _dedupe(problems: list[Problem]) -> list[Problem]:
    """One problem per cell: a cell that could not be read is not also reported missing."""
    seen: set[tuple[str, int | None, int | None]] = set()
    out = []
    for p in problems:
        key = (p.file, p.line, p.col)
        if p.line is not None and key in seen and p.severity is Severity.ERROR:
            continue
        if p.severity is Severity.ERROR:
            seen.add(key)
        out.append(p)
    return out


def import_file(source: Path, project: Path, output: Path | None = None, *,
                as_csv: bool | None = None, force: bool = False,
                language: str | None = None) -> Imported:
    """Read `source` (an .xlsx workbook, or a CSV table), write the plan it holds to
    `output` (default `plans/<id>.yaml` of the project) once it validates."""
    source = Path(source)
    if not source.is_file():
        raise InputError([Problem(str(source), None, None, "", say("import_file_missing"))])
    loaded = load_project(project)
    lang = language or loaded.language
    csv_file = as_csv if as_csv is not None else source.suffix.lower() == ".csv"
    converted = convert(source.read_bytes(), source.name, dictionary=loaded.dictionary,
                        others=loaded.plans, language=lang,
                        file_stem=output.stem if output is not None else None, as_csv=csv_file)
    target = output or Path(project) / "plans" / f"{converted.plan_id}.yaml"
    write_new(target, converted.text.encode("utf-8"), force, lang)
    return Imported(target, converted)


def write_new(target: Path, data: bytes, force: bool, language: str | None = None) -> None:
    """Write a new input file whole (a temporary sibling renamed into place); an existing
    file is replaced only with `force`. (The site writer, `write.py`, never writes among
    the inputs; a plan file is an input, as `mxt init` writes them.)"""
    if target.exists() and not force:
        raise InputError([Problem(str(target), None, None, "", say("import_output_exists"))],
                         language=language)
    if not target.parent.is_dir():
        raise InputError([Problem(str(target.parent), None, None, "",
                                  say("import_no_folder"))], language=language)
    replace_file(target, data)


def for_new_project(workbook: Path, dictionary_text: str, language: str) -> Converted:
    """The plan of a new project (`mxt init --from`), checked against the metric dictionary
    the new project gets."""
    from ..errors import DICTIONARY
    from ..load import read_model

    if not workbook.is_file():
        raise InputError([Problem(str(workbook), None, None, "", say("import_file_missing"))],
                         language=language)
    dictionary, _, problems = read_model(dictionary_text, DICTIONARY, MetricDictionary)
    assert dictionary is not None and not problems, problems  # the product's own file
    return convert(workbook.read_bytes(), workbook.name, dictionary=dictionary,
                   language=language, as_csv=workbook.suffix.lower() == ".csv")
