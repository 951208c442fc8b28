"""The pull recipe: first gather every source's daily rows, then write the files.

Like a build, in two phases: every source is read before any file is touched, so a
source that cannot be reached, a missing column or a missing variable leaves every
pulled file as it was (each file is then replaced whole: a temporary sibling renamed
over it). Errors are `Problem`s located in the metric dictionary, naming the source
and the column; secrets read from the environment never appear in them.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..environ import expand, secrets, unset
from ..errors import (
    DICTIONARY,
    EnvironmentProblem,
    InputError,
    Message,
    Problem,
    Severity,
    did_you_mean,
    say,
)
from ..load import read_dictionary
from ..model import MetricDictionary, WarehouseSource
from ..sources import DiskSource
from ..write import replace_file
from ..yamldoc import Document
from . import config
from .config import Backend
from .output import DailyRows, daily_rows

log = logging.getLogger(__name__)


class PullError(InputError):
    """Sources that could not be pulled: every problem at once; no file was changed."""

    SUMMARY = ("pull_failed_one", "pull_failed_other")


@dataclass(frozen=True)
class Pulled:
    """One source pulled: where its rows went and what they cover."""

    source: str
    path: str  # relative to the project
    values: int
    first: dt.date | None
    last: dt.date | None
    changed: bool  # False: the file already held exactly these rows


@dataclass(frozen=True)
class Explained:
    """The SQL one source would run, in its engine's dialect."""

    source: str
    dialect: str
    path: str
    first: dt.date | None
    end: dt.date  # exclusive
    timezone: str
    date_column: str
    sql: str


@dataclass(frozen=True)
class _Sources:
    dictionary: MetricDictionary
    doc: Document | None
    chosen: dict[str, WarehouseSource]

    def at(self, source_id: str, *path: str | int, message: Message) -> Problem:
        """A problem located at a field of a source in the dictionary."""
        full = ("sources", source_id, *path)
        if self.doc is None:
            return Problem(DICTIONARY, None, None, ".".join(map(str, full)), message)
        return self.doc.problem(full, message)


def _load(root: Path, only: tuple[str, ...]) -> _Sources:
    """The dictionary's sources (those named in `only`, else all); its errors stop here."""
    from ..validate import check_dictionary

    files = DiskSource(root)
    dictionary, doc, problems = read_dictionary(files)
    problems = [*files.refused(), *problems]
    if dictionary is not None:
        problems += check_dictionary(dictionary, doc)
    errors = [p for p in problems if p.severity is Severity.ERROR]
    if errors or dictionary is None:
        raise PullError(errors)
    unknown = [sid for sid in only if sid not in dictionary.sources]
    if unknown:
        known = list(dictionary.sources)
        raise PullError([Problem(DICTIONARY, None, None, "sources", say(
            "source_unknown", id=sid, hint=did_you_mean(sid, known))) for sid in unknown])
    chosen = {sid: s for sid, s in dictionary.sources.items() if not only or sid in only}
    return _Sources(dictionary, doc, chosen)


def explain(root: Path, now: dt.datetime, *, only: tuple[str, ...] = (),
            include_today: bool = False, dialect: str | None = None,
            environ: Mapping[str, str] | None = None) -> list[Explained]:
    """The SQL of every source, per its dialect, without connecting to anything."""
    try:
        from . import query
    except ImportError as e:
        raise EnvironmentProblem(f'Ibis is not installed ({e}): pip install "mxt[warehouse]" '
                                 '(or the extra of your engine, e.g. "mxt[postgres]")') from e
    environ = os.environ if environ is None else environ
    found = _load(Path(root), only)
    out, problems = [], []
    for sid, source in found.chosen.items():
        backend = _explain_backend(source, dialect, environ)
        if backend is None:
            problems.append(found.at(sid, "url", message=say("source_dialect_unknown")))
            continue
        window = query.days(source, now, include_today)
        try:
            expr = query.daily(query.unbound(source, query.assumed_schema(source)), source,
                               found.dictionary, backend, window)
        except query.NoLocalTime:
            problems.append(found.at(sid, "date", message=say("source_no_local_time",
                                                              engine=backend.name)))
            continue
        out.append(Explained(sid, backend.name, config.output_of(sid, source), window.first,
                             window.end, source.timezone, source.date, query.sql(expr, backend)))
    if problems:
        raise PullError(problems)
    return out


def _explain_backend(source: WarehouseSource, dialect: str | None,
                     environ: Mapping[str, str]) -> Backend | None:
    """--dialect, else the URL's scheme as written, else as the environment completes it."""
    if dialect is not None:
        return config.BACKENDS[config.SCHEMES[dialect]]
    backend = config.backend_of(source.url)
    if backend is not None:
        return backend
    if unset(source.url, environ):
        return None
    return config.backend_of(expand(source.url, environ))


def pull(root: Path, now: dt.datetime, *, only: tuple[str, ...] = (),
         include_today: bool = False, environ: Mapping[str, str] | None = None
         ) -> list[Pulled]:
    """Pull every source (or those in `only`) into its file; all or nothing is changed."""
    environ = os.environ if environ is None else environ
    root = Path(root)
    found = _load(root, only)
    gathered: dict[str, DailyRows] = {}
    problems: list[Problem] = []
    for sid, source in found.chosen.items():  # first gather: every source read
        rows, trouble = _fetch(root, found, sid, source, now, include_today, environ)
        problems += trouble
        if rows is not None:
            gathered[sid] = rows
    if problems:
        raise PullError(problems)
    done = []
    for sid, rows in gathered.items():  # then write, now that every source succeeded
        path = config.output_of(sid, found.chosen[sid])
        changed = _replace(root, path, rows.text)
        done.append(Pulled(sid, path, rows.values, rows.first, rows.last, changed))
    return done


def _fetch(root: Path, found: _Sources, sid: str, source: WarehouseSource, now: dt.datetime,
           include_today: bool, environ: Mapping[str, str]
           ) -> tuple[DailyRows | None, list[Problem]]:
    """One source's daily rows, or the problems that kept them."""
    def problem(*path: str | int, message: Message) -> tuple[None, list[Problem]]:
        return None, [found.at(sid, *path, message=message)]

    missing = unset(source.url, environ)
    if missing:
        return problem("url", message=say("source_env_missing", names=", ".join(sorted(missing))))
    url = expand(source.url, environ)
    backend = config.backend_of(url)
    if backend is None:
        return problem("url", message=say("source_scheme", scheme=config.scheme_of(url) or "",
                                          known=", ".join(sorted(config.SCHEMES))))
    hidden = secrets(source.url, environ)
    try:
        from . import query
    except ImportError as e:
        raise _missing_driver(backend, e) from e
    try:
        with _connected(root, url, backend) as con:
            return _daily(con, found, sid, source, backend, query.days(source, now,
                                                                          include_today))
    except ImportError as e:
        raise _missing_driver(backend, e) from e
    except _Unreachable as e:
        log.debug("source %s: cannot connect", sid, exc_info=True)
        return problem("url", message=say("source_unreachable", source=sid,
                                          detail=_scrub(e.__cause__, hidden)))
    except _Failed as e:
        log.debug("source %s: query failed", sid, exc_info=True)
        return problem(*e.path, message=say("source_query_failed", source=sid,
                                            detail=_scrub(e.__cause__, hidden)))


class _Unreachable(Exception):
    """The engine could not be connected to (the driver's error is the cause)."""


class _Failed(Exception):
    """The engine refused the table, the query or the pull (the driver's error is the cause)."""

    def __init__(self, *path: str | int):
        super().__init__(".".join(map(str, path)))
        self.path = path


@contextmanager
def _connected(root: Path, url: str, backend: Backend) -> Iterator[Any]:
    """A connection to a source's engine, closed after use; DuckDB files read-only and
    relative to the project."""
    import ibis

    try:
        if backend.name == "duckdb":
            path = url.split("://", 1)[1].split("?", 1)[0]
            target = Path(path) if Path(path).is_absolute() else root / path
            if not target.is_file():  # DuckDB would make a new, empty file
                raise FileNotFoundError(f"no such file: {path}")
            con = ibis.duckdb.connect(str(target), read_only=True)
        else:
            con = ibis.connect(url)
    except ImportError:
        raise
    except Exception as e:  # each driver has its own errors: all mean "not reached"
        raise _Unreachable() from e
    try:
        yield con
    finally:
        try:
            con.disconnect()
        except Exception:  # closing a broken connection may fail too; nothing to keep
            log.debug("disconnect failed", exc_info=True)


def _daily(con: Any, found: _Sources, sid: str, source: WarehouseSource, backend: Backend,
           window: Any) -> tuple[DailyRows | None, list[Problem]]:
    """Read the table's columns, check every mapped one, run the daily expression."""
    from . import query

    try:
        table = con.sql(source.query) if source.query is not None else query.bound(con, source)
    except Exception as e:
        raise _Failed("query" if source.query is not None else "table") from e
    have = list(table.columns)
    problems = [found.at(sid, *path, message=say(
        "source_no_column", source=sid, column=column, where=source.table or "query",
        hint=did_you_mean(column, have))) for path, column in query.columns(source).items()
        if column not in have]
    if problems:
        return None, problems
    try:
        expr = query.daily(table, source, found.dictionary, backend, window)
    except query.ColumnTypeError as e:
        return None, [found.at(sid, *e.path, message=say(
            "source_column_type", source=sid, column=e.column, type=str(e.dtype),
            expected=say(e.expected)))]
    except query.NoLocalTime:
        return None, [found.at(sid, "date", message=say("source_no_local_time",
                                                        engine=backend.name))]
    try:
        records = expr.to_pyarrow().to_pylist()
    except Exception as e:
        raise _Failed("metrics") from e
    return daily_rows(sid, source, records), []


def _scrub(error: BaseException | None, secrets: list[str]) -> str:
    """A driver's message on one line, with every secret of the URL blanked out."""
    text = " ".join(str(error or "").split()) or type(error).__name__
    for secret in secrets:
        text = text.replace(secret, "***")
    return text[:300] + ("…" if len(text) > 300 else "")


def _missing_driver(backend: Backend, error: ImportError) -> EnvironmentProblem:
    return EnvironmentProblem(
        f"the {backend.name} driver is not installed ({error}): "
        f'pip install "mxt[{backend.extra}]" (or pipx inject mxt "mxt[{backend.extra}]")')


def _replace(root: Path, relative: str, text: str) -> bool:
    """Write a pulled file whole (a temporary sibling renamed over it); False when it held
    these bytes already. `write.py` refuses files among the inputs by design: a pulled
    file is an input, so it is written here, and only below data/ of the project."""
    data = text.encode("utf-8")
    target = root / relative
    folder = (root / "data").resolve()
    if not target.parent.resolve().is_relative_to(folder) or target.is_dir():
        raise EnvironmentProblem("is not a file below data/ of the project: refused",
                                 file=relative)
    if target.is_file() and target.read_bytes() == data:
        return False
    try:
        replace_file(target, data)
    except OSError as e:
        raise EnvironmentProblem(f"cannot be written: {e.strerror or e}", file=relative) from e
    return True

