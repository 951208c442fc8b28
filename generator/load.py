"""The only reader of files: plans, the metric dictionary, CSV rows, site settings.

Loaders take text plus a source name so tests need no disk; `load_project`
walks a project folder and returns one `Project` with every problem found.
"""

from __future__ import annotations

import typing
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

import numpy as np
import yaml
from pydantic import BaseModel, ValidationError

from . import yamldoc
from .errors import DICTIONARY, Message, Problem, did_you_mean, say
from .languages import DEFAULT_LANGUAGE, match_language
from .model import METRIC_ID_PATTERN, SLUG, MetricDictionary, PeopleDirectory, Plan, Settings
from .rows import CsvFile, Prepared, careful, decode, prepare, read_csv_bytes
from .sources import DiskSource, Source

MAX_PLAN_BYTES = 5 * 1024 * 1024
MAX_CSV_BYTES = 1024 * 1024 * 1024  # 1 GiB: bigger exports are split (e.g. one per month)


@dataclass
class LoadedPlan:
    """A plan with where it came from, so later checks can point into the file."""

    plan: Plan
    id: str
    source: str
    doc: yamldoc.Document
    # When some parts of the file were invalid, the plan holds what was valid so that its
    # other checks still run: `positions` maps list positions back to the file's, and
    # `left_out` keeps the ids of list items that had to be dropped (they still exist).
    partial: bool = False
    positions: dict[yamldoc.Path, list[int]] = field(default_factory=dict)
    left_out: dict[str, set[str]] = field(default_factory=dict)

    def locate(self, path: yamldoc.Path) -> yamldoc.Path:
        """The file's own path for a path into the (possibly partial) plan."""
        for list_path, original in self.positions.items():
            n = len(list_path)
            position = path[n] if len(path) > n else None
            if path[:n] == list_path and isinstance(position, int):
                return (*list_path, original[position], *path[n + 1:])
        return path

    def problem(self, path: yamldoc.Path, message: str, **kw: Any) -> Problem:
        """A problem located in this plan's file."""
        return self.doc.problem(self.locate(path), message, **kw)


@dataclass
class Project:
    """Everything read from a project folder, before cross-checks and computing."""

    root: Path
    plans: list[LoadedPlan]
    dictionary: MetricDictionary
    dictionary_doc: yamldoc.Document | None
    csv_files: list[CsvFile]
    language: str = DEFAULT_LANGUAGE
    problems: list[Problem] = field(default_factory=list)
    broken_plan_ids: set[str] = field(default_factory=set)
    prepared: Prepared | None = None  # rows assembled ahead, while the plans were parsed
    dictionary_loaded: bool = True  # False: references to metrics cannot be checked
    people: PeopleDirectory | None = None  # people.yaml, when the project has one
    people_doc: yamldoc.Document | None = None

    @property
    def plan_ids(self) -> set[str]:
        """Ids of every plan file, including those that failed to load (no cascades)."""
        return {p.id for p in self.plans} | self.broken_plan_ids

    def plan(self, plan_id: str) -> LoadedPlan | None:
        """The plan with this id, if any."""
        return next((p for p in self.plans if p.id == plan_id), None)


MAX_REPEATS = 20  # messages of one kind per file; the rest are counted in one more line


def _pydantic_problems(err: ValidationError, doc: yamldoc.Document,
                       model: type[BaseModel]) -> list[Problem]:
    """Our located messages for pydantic's validation errors (each kind capped per file)."""
    out = []
    counts: dict[str, int] = {}
    first_unlisted: Problem | None = None
    for e in err.errors(include_url=False):
        etype = e["type"]
        counts[etype] = counts.get(etype, 0) + 1
        if counts[etype] > MAX_REPEATS:
            if first_unlisted is None:
                first_unlisted = doc.problem(_clean_loc(e["loc"], doc, etype == "missing"), "")
            continue
        path = _clean_loc(e["loc"], doc, etype == "missing")
        given = e.get("input")
        if etype == "extra_forbidden":
            out.append(doc.problem(path, _unknown_field(path, model), key=True))
            continue
        if etype == "missing":
            out.append(doc.problem(path[:-1], say("missing_field", field=path[-1])))
            continue
        out.append(doc.problem(path, _type_message(etype, e, given, path)))
    # pydantic may report several union members for one place: keep one each
    seen: dict[tuple[str, int | None], Problem] = {}
    for p in out:
        seen.setdefault((p.path, p.line), p)
    more = tuple(say("more_like", n=n - MAX_REPEATS,
                     kind=say(_KINDS[kind]) if kind in _KINDS else kind.replace("_", " "))
                 for kind, n in counts.items() if n > MAX_REPEATS)
    if first_unlisted is not None:  # located where the first one not listed is
        seen[("", None)] = Problem(doc.source, first_unlisted.line, first_unlisted.col, "",
                                   say("not_listed", more=more))
    return list(seen.values())


_KINDS = {"extra_forbidden": "kind_unknown_field", "missing": "kind_missing_field"}


def _clean_loc(loc: tuple[Any, ...], doc: yamldoc.Document, missing: bool) -> yamldoc.Path:
    """The document path of a pydantic location, without its union-member labels."""
    path: list[str | int] = []
    node: Any = doc.value
    for i, part in enumerate(loc):
        if isinstance(node, dict) and str(part) in node:
            path.append(str(part))
            node = node[str(part)]
        elif isinstance(node, list) and isinstance(part, int) and part < len(node):
            path.append(part)
            node = node[part]
        elif isinstance(node, dict) and missing and i == len(loc) - 1:
            path.append(str(part))  # a missing key
        elif not isinstance(node, (dict, list)):
            break
    return tuple(path)


def _fields_at(model: type[BaseModel], path: yamldoc.Path) -> list[str]:
    """The valid keys of the mapping that holds the last element of `path`."""
    current: Any = model
    keyed = False  # the previous field was a mapping: this part is one of its keys
    for part in path[:-1]:
        if isinstance(part, int) or keyed:
            keyed = False
            continue
        info = getattr(current, "model_fields", {}).get(part)
        if info is None:
            return []
        keyed = typing.get_origin(info.annotation) is dict
        current = _inner_model(info.annotation)
        if current is None:
            return []
    return list(getattr(current, "model_fields", {}))


def _inner_model(annotation: Any) -> type[BaseModel] | None:
    """The BaseModel inside `X`, `X | None` or `list[X]`."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


def _unknown_field(path: yamldoc.Path, model: type[BaseModel]) -> Message:
    key = str(path[-1])
    valid = _fields_at(model, path)
    hint = did_you_mean(key, valid, cutoff=0.6)
    if not hint and valid:
        shown = ", ".join(valid[:12]) + (", …" if len(valid) > 12 else "")
        hint = say("valid_fields", fields=shown)
    return say("unknown_field", key=key, hint=hint)


# the id patterns of `model`, in words
_ID_RULES = {f"^{SLUG.pattern}$": "id_rule_slug", METRIC_ID_PATTERN: "id_rule_metric"}
# pydantic's error types → the catalogue's name of what was expected
_EXPECTED = {
    "float_parsing": "type_number", "float_type": "type_number",
    "int_parsing": "type_whole_number", "int_type": "type_whole_number",
    "int_from_float": "type_whole_number", "finite_number": "type_finite_number",
    "string_type": "type_text", "bool_type": "type_bool", "bool_parsing": "type_bool",
    "list_type": "type_list", "dict_type": "type_mapping", "model_type": "type_mapping",
    "model_attributes_type": "type_mapping",
    "date_parsing": "type_date", "date_from_datetime_parsing": "type_date",
    "date_type": "type_date", "date_from_datetime_inexact": "type_date",
    "iso_date": "type_date",
}
_LIMITS = ("greater_than_equal", "greater_than", "less_than_equal", "less_than")
_DATE_REASONS = {"day is out of range for month": "date_day_out_of_range",
                 "month must be in 1..12": "date_month_out_of_range"}


def _shown(value: Any) -> str:
    """A value as a message shows it: text quoted (and cut), a mapping or list described."""
    if isinstance(value, str):
        return repr(value if len(value) <= 60 else value[:57] + "...")
    if isinstance(value, dict):
        return say("shown_mapping")
    if isinstance(value, list):
        return say("shown_list", n=len(value))
    return repr(value)


def _options(expected: str) -> str | Message:
    """pydantic's `'a', 'b' or 'c'` with its `or` in the reader's language."""
    head, sep, last = expected.rpartition(" or ")
    return say("choices", items=head, last=last) if sep else expected


def _type_message(etype: str, e: Any, given: Any, path: yamldoc.Path) -> Message:
    if path and path[-1] == "owner" and isinstance(given, list):
        return say("owner_list", n=len(given), owners=", ".join(map(str, given)))
    if etype == "no_such_date":
        reason = e["ctx"]["reason"]
        return say("no_such_date", given=given,
                   reason=say(_DATE_REASONS[reason]) if reason in _DATE_REASONS else reason)
    if etype == "date_range":
        return say("date_range", first=e["ctx"]["first"], last=e["ctx"]["last"],
                   given=_shown(given))
    if etype in _EXPECTED:
        return say("expected", expected=say(_EXPECTED[etype]), given=_shown(given))
    if etype in ("enum", "literal_error"):
        return say("one_of", options=_options(e.get("ctx", {}).get("expected", "")),
                   given=_shown(given))
    if etype == "string_pattern_mismatch":
        pattern = e["ctx"]["pattern"]
        rule = (say(_ID_RULES[pattern]) if pattern in _ID_RULES
                else say("id_rule_pattern", pattern=pattern))
        return say("id_pattern", rule=rule, given=_shown(given))
    if etype in _LIMITS:  # "Input should be greater than or equal to 0": the limit as shown
        return say(etype, limit=e["msg"].rsplit(" ", 1)[-1], given=_shown(given))
    if etype == "language":
        return say("language_code", known=e["ctx"]["known"], given=_shown(given))
    return say("other_type", detail=e["msg"], given=_shown(given))


def read_model(text: str, source: str, model: type[BaseModel]
               ) -> tuple[Any | None, yamldoc.Document | None, list[Problem]]:
    """Parse YAML text into `model`; every problem is located in `source`."""
    doc, problems = yamldoc.parse(text, source)
    if doc is None:
        return None, None, problems
    if not isinstance(doc.value, dict):
        got = say("shown_empty_file") if doc.value is None else _shown(doc.value)
        return None, doc, [*problems, doc.problem((), say("expected",
                                                          expected=say("type_mapping"),
                                                          given=got))]
    try:
        return model.model_validate(doc.value), doc, problems
    except ValidationError as err:
        return None, doc, [*problems, *_pydantic_problems(err, doc, model)]


def read_plan(text: str, source: str) -> tuple[LoadedPlan | None, list[Problem]]:
    """One plan file's text into a located plan (a partial one when parts are invalid)."""
    plan, doc, problems = read_model(text, source, Plan)
    if doc is None:
        return None, problems
    if plan is None:
        return _salvage(doc, source), problems
    plan_id = plan.id or Path(source).stem
    return LoadedPlan(plan, plan_id, source, doc), problems


LISTS = ("phases", "milestones", "objectives", "goals", "strategies", "tasks", "risks",
         "issues", "alerts", "retro")


def _salvage(doc: yamldoc.Document, source: str) -> LoadedPlan | None:
    """The valid part of a plan that failed validation, for its remaining checks.

    An unknown key is dropped; an invalid optional top-level field falls back to its
    default; a list item with any invalid field is left out (its id remembered).
    Returns None when a required top-level field itself is wrong.
    """
    import copy

    value = copy.deepcopy(doc.value)
    positions: dict[yamldoc.Path, list[int]] = {}
    left_out: dict[str, set[str]] = {}
    for _ in range(8):
        try:
            plan = Plan.model_validate(value)
        except ValidationError as err:
            drops: dict[yamldoc.Path, set[int]] = {}
            for e in err.errors(include_url=False):
                path = _clean_loc(e["loc"], yamldoc.Document(source, value),
                                  e["type"] == "missing")
                item = _item_of(path)
                if e["type"] == "extra_forbidden" and path and item is None:
                    _delete(value, path)
                elif item is not None:
                    drops.setdefault(item[:-1], set()).add(int(item[-1]))
                elif len(path) >= 1 and path[0] in Plan.model_fields and not (
                        Plan.model_fields[str(path[0])].is_required()):
                    value.pop(str(path[0]), None)
                else:
                    return None  # title, owner or period itself is wrong
            for list_path, indexes in drops.items():
                items = _get(value, list_path)
                original = positions.setdefault(list_path, list(range(len(items))))
                for i in sorted(indexes, reverse=True):
                    gone = items.pop(i)
                    original.pop(i)
                    if isinstance(gone, dict) and isinstance(gone.get("id"), str):
                        left_out.setdefault(str(list_path[-1]), set()).add(gone["id"])
            continue
        plan_id = plan.id or Path(source).stem
        return LoadedPlan(plan, plan_id, source, doc, True, positions, left_out)
    return None


def _item_of(path: yamldoc.Path) -> yamldoc.Path | None:
    """The list item a path points into (`tasks[3]`, `budget.lines[1]`), if any."""
    if len(path) >= 2 and path[0] in LISTS and isinstance(path[1], int):
        return path[:2]
    if len(path) >= 3 and path[:2] in (("budget", "lines"), ("budget", "draws")) and (
            isinstance(path[2], int)):
        return path[:3]
    return None


def _get(value: Any, path: yamldoc.Path) -> Any:
    for part in path:
        value = value[part]
    return value


def _delete(value: Any, path: yamldoc.Path) -> None:
    parent = _get(value, path[:-1])
    if isinstance(parent, dict):
        parent.pop(path[-1], None)


def read_mkdocs_config(root: Path | Source) -> dict[str, Any]:
    """mkdocs.yml as plain data (its `!!python/...` tags read as nothing); {} if absent."""
    source = DiskSource(root) if isinstance(root, Path) else root
    if source.size("mkdocs.yml") is None:
        return {}

    class _Lenient(yaml.SafeLoader):
        pass

    def _any(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> None:
        return None

    _Lenient.add_multi_constructor("", _any)
    try:
        config = yaml.load(source.read("mkdocs.yml").decode("utf-8"), Loader=_Lenient)
    except (yaml.YAMLError, UnicodeDecodeError):
        return {}
    return config if isinstance(config, dict) else {}


def site_language(root: Path | Source) -> str:
    """`theme.language` from mkdocs.yml, as one of our languages (the default otherwise)."""
    theme = read_mkdocs_config(root).get("theme")
    return match_language(theme.get("language") if isinstance(theme, dict) else None)


def read_dictionary(files: Source) -> tuple[MetricDictionary | None, yamldoc.Document | None,
                                            list[Problem]]:
    """The metric dictionary as written (None when it is missing, unreadable or invalid),
    its document and its problems. A dictionary refused as a link out of the project is
    not also called missing: `files.refused()` says why."""
    if files.size(DICTIONARY) is None:
        if any(p.file == DICTIONARY for p in files.refused()):
            return None, None, []
        return None, None, [Problem(DICTIONARY, None, None, "", say("dictionary_missing"))]
    text, bad = decode(files.read(DICTIONARY), DICTIONARY)
    if text is None:
        return None, None, [bad] if bad else []
    return read_model(text, DICTIONARY, MetricDictionary)


def load_project(root: Path, source: Source | None = None) -> Project:
    """Read plans, the metric dictionary and every CSV of a project (disk or a git revision)."""
    root = Path(root)
    files = source or DiskSource(root)
    dictionary, loaded = MetricDictionary(), False
    model, dict_doc, problems = read_dictionary(files)
    if model is None and dict_doc is not None:
        model = _salvage_dictionary(dict_doc.value)
    if model is not None:
        dictionary, loaded = model, True

    # Metric files are read (Arrow, threads outside the GIL) while plans are parsed.
    with ThreadPoolExecutor(max_workers=1) as pool:
        csv_job = pool.submit(_read_and_prepare, files, dictionary)
        plans, broken = _read_plans(files, problems)
        csv_files, prepared = csv_job.result()
    language = site_language(files)
    people, people_doc = _read_people(files, problems)
    _check_settings(files, problems)
    problems += files.refused()  # links out of the project, met while listing and reading
    return Project(root, plans, dictionary, dict_doc, csv_files, language, problems, broken,
                   prepared, loaded, people, people_doc)


PEOPLE = "people.yaml"


def _read_people(files: Source, problems: list[Problem]
                 ) -> tuple[PeopleDirectory | None, yamldoc.Document | None]:
    """The optional people directory (None when the project has none or it is invalid)."""
    if files.size(PEOPLE) is None:
        return None, None
    text, bad = decode(files.read(PEOPLE), PEOPLE)
    if text is None:
        problems.append(bad)  # type: ignore[arg-type]
        return None, None
    model, doc, found = read_model(text, PEOPLE, PeopleDirectory)
    problems.extend(found)
    return model, doc


SETTINGS = "mxt.yaml"


def _check_settings(files: Source, problems: list[Problem]) -> None:
    """mxt.yaml, when the project has one, is checked like plans (`mxt notify` reads it)."""
    if files.size(SETTINGS) is None:
        return
    text, bad = decode(files.read(SETTINGS), SETTINGS)
    if text is None:
        problems.append(bad)  # type: ignore[arg-type]
        return
    problems.extend(read_model(text, SETTINGS, Settings)[2])


def _salvage_dictionary(value: Any) -> MetricDictionary | None:
    """The usable part of a metric dictionary that failed validation, so that one typo in
    one metric does not make every plan and data file that names a metric wrong too.

    An unknown key is dropped; an invalid field falls back to its default; a metric whose
    entry is not a mapping keeps only its name. Its problems are reported all the same.
    """
    import copy

    if not isinstance(value, dict):
        return None
    value = copy.deepcopy(value)
    for _ in range(8):
        try:
            return MetricDictionary.model_validate(value)
        except ValidationError as err:
            for e in err.errors(include_url=False):
                if not _salvage_step(value, e["loc"], e["type"]):
                    return None
    return None


def _salvage_step(value: dict[str, Any], loc: tuple[Any, ...], kind: str) -> bool:
    """Mend one validation error of the dictionary in place; False when it cannot be."""
    metrics = value.get("metrics")
    if loc[:1] == ("metrics",) and len(loc) >= 2 and isinstance(metrics, dict):
        mid = loc[1]
        entry = metrics.get(mid)
        if (len(loc) >= 3 and loc[2] == "[key]") or mid not in metrics:
            metrics.pop(mid, None)  # the id itself is not valid
        elif not isinstance(entry, dict):
            metrics[mid] = {"name": str(mid)}
        elif kind == "missing" and len(loc) >= 3:
            entry[str(loc[2])] = str(mid)  # only `name` is required
        elif len(loc) >= 3:
            entry.pop(str(loc[2]), None)
        return True
    if loc and loc[0] in value and (kind == "extra_forbidden"
                                    or loc[0] in MetricDictionary.model_fields):
        value.pop(loc[0])
        return True
    return False


def _read_and_prepare(files: Source, dictionary: MetricDictionary
                      ) -> tuple[list[CsvFile], Prepared | None]:
    csv_files = _read_csvs(files, dictionary)
    return csv_files, prepare(csv_files, dictionary)


def _read_csvs(files: Source, dictionary: MetricDictionary) -> list[CsvFile]:
    """Every data/**/*.csv: the fast path when a file is clean, the careful one otherwise."""
    out = []
    for path in files.files("data"):
        if not path.lower().endswith(".csv"):
            continue
        if (files.size(path) or 0) > MAX_CSV_BYTES:  # refused before reading a byte
            out.append(CsvFile(path, None, None, np.zeros(0, np.int64), [Problem(
                path, None, None, "", say("csv_too_large", n=MAX_CSV_BYTES // 2**30))]))
            continue
        folder = PurePosixPath(path).parts[1:]
        # data/pulled/ holds what `mxt pull` wrote: its rows name their plans themselves
        folder_plan = folder[0] if len(folder) > 1 and folder[0] != "pulled" else None
        data = files.buffer(path)
        out.append(read_csv_bytes(data, path, folder_plan, dictionary)
                   or careful(path, data, folder_plan))
    return out


def _read_plans(files: Source, problems: list[Problem]) -> tuple[list[LoadedPlan], set[str]]:
    """Every plans/*.yaml; the ids of files that failed to load are kept too."""
    plans: list[LoadedPlan] = []
    broken: set[str] = set()
    for path in files.files("plans"):
        parts = PurePosixPath(path)
        if len(parts.parts) != 2 or parts.suffix.lower() not in (".yaml", ".yml"):
            continue
        size = files.size(path) or 0
        if size > MAX_PLAN_BYTES:
            problems.append(Problem(path, None, None, "",
                                    say("plan_too_large", n=MAX_PLAN_BYTES // 2**20)))
            continue
        text, bad = decode(files.read(path), path)
        if text is None:
            problems.append(bad)  # type: ignore[arg-type]
            continue
        loaded, found = read_plan(text, path)
        problems.extend(found)
        if loaded is not None:
            plans.append(loaded)
        else:
            broken.add(_declared_id(text, parts.stem))
    return plans, broken


def _declared_id(text: str, stem: str) -> str:
    """The id a plan file that failed to load would have had, so its rows are not orphans."""
    doc, _ = yamldoc.parse(text, "")
    value = doc.value.get("id") if doc is not None and isinstance(doc.value, dict) else None
    return value if isinstance(value, str) else stem
