"""The `sources:` of the metric dictionary, checked without connecting anywhere.

What `mxt validate` says about a source and what `mxt pull` needs before it connects:
the shape rules the model cannot say (a table or a query, known metrics and
dimensions, a real time zone, an output file among the data files), and the rule that
keeps credentials out of git: a URL names its secrets as `${NAME}`, read from the
environment; a password written in the file is an error.
"""

from __future__ import annotations

import re
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePosixPath
from urllib.parse import parse_qsl, urlsplit

from ..environ import REFERENCE
from ..errors import Message, Problem, did_you_mean, say
from ..model import MetricDictionary, WarehouseSource

PULLED = "data/pulled"  # where a source's rows go unless it says `output:`
# query parameters that carry a secret as surely as a password does
SECRET_PARAMS = frozenset({"password", "passwd", "pwd", "secret", "token", "access_token",
                           "private_key", "private_key_passphrase", "api_key", "apikey"})


@dataclass(frozen=True)
class Backend:
    """An engine a source URL can name: Ibis' backend (also the SQL dialect) and the extra
    of mxt that installs its driver."""

    name: str
    extra: str
    # the engine's function that shows a zone-aware timestamp as wall-clock time of a zone:
    # its name and arguments ("ts": the timestamp, "zone": the zone, else text as given);
    # None: the engine has none mxt knows (store dates or local timestamps there)
    local_time: tuple[str, tuple[str, ...]] | None


BACKENDS = {
    "postgres": Backend("postgres", "postgres", ("timezone", ("zone", "ts"))),
    "mysql": Backend("mysql", "mysql", ("convert_tz", ("ts", "+00:00", "zone"))),
    "duckdb": Backend("duckdb", "duckdb", ("timezone", ("zone", "ts"))),
    "bigquery": Backend("bigquery", "bigquery", ("datetime", ("ts", "zone"))),
    "snowflake": Backend("snowflake", "snowflake", ("convert_timezone", ("zone", "ts"))),
    "clickhouse": Backend("clickhouse", "clickhouse", ("toTimeZone", ("ts", "zone"))),
    "trino": Backend("trino", "trino", ("at_timezone", ("ts", "zone"))),
    "databricks": Backend("databricks", "databricks", ("from_utc_timestamp", ("ts", "zone"))),
    "mssql": Backend("mssql", "mssql", None),
}
SCHEMES = {**{name: name for name in BACKENDS}, "postgresql": "postgres"}


Locate = Callable[[tuple[str | int, ...], Message], Problem]


def output_of(source_id: str, source: WarehouseSource) -> str:
    """The project-relative file a source's rows are written to."""
    return source.output or f"{PULLED}/{source_id}.csv"


def check_sources(dictionary: MetricDictionary, at: Locate) -> list[Problem]:
    """Every problem of `sources:` that needs no connection, located in the dictionary."""
    problems: list[Problem] = []
    outputs: dict[str, str] = {}
    for sid, source in dictionary.sources.items():
        def here(*path: str | int, message: Message, _sid: str = sid) -> None:
            problems.append(at(("sources", _sid, *path), message))

        if (source.table is None) == (source.query is None):
            here(message=say("source_table_or_query"))
        if not source.metrics:
            here("metrics", message=say("source_no_metrics"))
        for metric in source.metrics:
            known = dictionary.metrics.get(metric)
            if known is None:
                here("metrics", metric, message=say("unknown_metric_ref", value=metric,
                                                    hint=did_you_mean(metric, dictionary.metrics)))
            elif not known.stored:
                here("metrics", metric, message=say("source_derived_metric", metric=metric))
        dims = dictionary.row_dimensions
        for dim in source.dimensions:
            if dim not in dims:
                here("dimensions", dim, message=say(
                    "undeclared_dimension_list", dim=dim, dims=", ".join(dims) or say("none"),
                    hint=did_you_mean(dim, dims)))
        if not known_zone(source.timezone):
            here("timezone", message=say("source_timezone", zone=source.timezone))
        for message in url_problems(source.url):
            here("url", message=message)
        target = output_of(sid, source)
        if not _data_file(target):
            here("output", message=say("source_output", path=target))
        elif target in outputs:
            here("output", message=say("source_output_twice", path=target,
                                       other=outputs[target]))
        else:
            outputs[target] = sid
    return problems


def known_zone(name: str) -> bool:
    """An IANA time zone this machine knows (Asia/Shanghai, UTC, Europe/Berlin …)."""
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return False
    return True


def _data_file(target: str) -> bool:
    """A CSV file among the data files, not the dictionary, never outside `data/`."""
    path = PurePosixPath(target)
    return (not path.is_absolute() and ".." not in path.parts and len(path.parts) >= 2
            and path.parts[0] == "data" and path.suffix.lower() == ".csv"
            and "\\" not in target)


def url_problems(url: str) -> list[Message]:
    """A secret written in the URL itself (a password, a token parameter), or a scheme no
    backend has: checked on the text as written, before `${NAME}` is read."""
    problems: list[Message] = []
    try:
        parts = urlsplit(url)
        password = parts.password
    except ValueError:
        return [say("source_url_syntax")]
    if password and not REFERENCE.fullmatch(password):
        problems.append(say("source_password"))
    for key, value in parse_qsl(parts.query, keep_blank_values=True):
        if key.lower() in SECRET_PARAMS and value and not REFERENCE.fullmatch(value):
            problems.append(say("source_secret_param", param=key))
    scheme = scheme_of(url)
    if scheme is not None and scheme not in SCHEMES:
        problems.append(say("source_scheme", scheme=scheme, known=", ".join(sorted(SCHEMES))))
    return problems


def scheme_of(url: str) -> str | None:
    """The URL's scheme when the file writes it (None when `${NAME}` hides it)."""
    found = re.match(r"([A-Za-z][A-Za-z0-9+.-]*)://", url)
    return found.group(1).lower() if found else None


def backend_of(url: str) -> Backend | None:
    """The engine a (resolved) URL names, if mxt knows it."""
    scheme = scheme_of(url)
    return BACKENDS[SCHEMES[scheme]] if scheme in SCHEMES else None
