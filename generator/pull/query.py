"""One Ibis expression per source: the daily rows, computed where the data is.

The expression filters the source's date column to the days pulled (on the column
itself, so an index or a partition on it still serves), turns each row's date or
timestamp into a day of the source's time zone, and groups by day, plan and the
mapped dimensions. Per day, a metric of aggregation `sum` or `mean` is summed,
`max` / `min` take the max / min, and `last` takes the value at the series' latest
moment of the day (ties, and a plain date column, whose rows of a day have no order,
take the largest of the values there). Only these daily rows travel.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass
from typing import Any

import ibis
import ibis.expr.datatypes as dtypes
import ibis.expr.operations as ops
import ibis.expr.types as ir

from ..errors import MxtError
from ..model import Aggregation, MetricDictionary, SourcePlan, WarehouseSource
from .config import Backend

AT = "_mxt_at"  # the moment of a row: what `last` orders by
LATEST = "_mxt_latest_"  # + metric: the latest moment of the day with a value of that metric
ASSUMED_DATE_TYPE = dtypes.Timestamp(timezone="UTC")  # --explain: no connection, no schema


@dataclass(frozen=True)
class Days:
    """The days pulled: from `first` (None: all the source has) up to `end`, exclusive."""

    first: dt.date | None
    end: dt.date


def days(source: WarehouseSource, now: dt.datetime, include_today: bool) -> Days:
    """Up to yesterday in the source's time zone (today too when asked): today's figures
    are incomplete, and a pull at 17:00 must not make every forecast read low."""
    today = now.astimezone(zoneinfo.ZoneInfo(source.timezone)).date()
    return Days(source.since, today + dt.timedelta(days=1) if include_today else today)


class ColumnTypeError(MxtError):
    """A column of a type the pull cannot use; `run` locates it in the dictionary."""

    def __init__(self, path: tuple[str, ...], column: str, dtype: dtypes.DataType,
                 expected: str):
        # `expected`: the catalogue's words for the type wanted (source_expected_…)
        self.path, self.column, self.dtype, self.expected = path, column, str(dtype), expected
        super().__init__(f"column {column!r} is of type {dtype}; expected {expected}")


class NoLocalTime(MxtError):
    """The engine has no function mxt knows that turns a zone-aware timestamp into a day."""


def columns(source: WarehouseSource) -> dict[tuple[str, ...], str]:
    """Every column a source reads, by the path of the field that names it."""
    used: dict[tuple[str, ...], str] = {("date",): source.date}
    if isinstance(source.plan, str):
        used[("plan",)] = source.plan
    used.update({("dimensions", ours): theirs for ours, theirs in source.dimensions.items()})
    used.update({("metrics", ours): theirs for ours, theirs in source.metrics.items()})
    return used


def assumed_schema(source: WarehouseSource) -> ibis.Schema:
    """The schema --explain compiles against: a zone-aware timestamp for the date column
    (the case with every step shown), text for plans and dimensions, numbers for metrics."""
    fields: dict[str, dtypes.DataType] = {}
    for path, column in columns(source).items():
        kind = path[0]
        wanted = (ASSUMED_DATE_TYPE if kind == "date" else dtypes.float64 if kind == "metrics"
                  else dtypes.string)
        fields.setdefault(column, wanted)
    return ibis.schema(fields)


def _table_name(source: WarehouseSource) -> tuple[str, tuple[str, ...]]:
    """A source's table and what qualifies it (`schema.table`, `catalog.schema.table`)."""
    *where, name = (source.table or "").split(".")
    return name, tuple(where)


def bound(con: Any, source: WarehouseSource) -> ir.Table:
    """The source's table on a connection (its schema is the engine's)."""
    name, where = _table_name(source)
    if not where:
        return con.table(name)
    return con.table(name, database=where if len(where) > 1 else where[0])


def unbound(source: WarehouseSource, schema: ibis.Schema) -> ir.Table:
    """The source as a table of no connection: enough to compile its SQL."""
    if source.query is not None:
        return ops.SQLQueryResult(query=source.query, schema=schema, source=None).to_expr()
    name, where = _table_name(source)
    return ibis.table(schema, name=name, database=".".join(where) or None)


def daily(table: ir.Table, source: WarehouseSource, dictionary: MetricDictionary,
          backend: Backend, window: Days) -> ir.Table:
    """The expression of a source's daily rows: date, plan, dimensions, metrics."""
    moment = table[source.date]
    day, bounds = _day(moment, source.timezone, backend, window)
    table = table.filter(*bounds) if bounds else table
    keys: dict[str, ir.Value] = {"date": day}
    if isinstance(source.plan, SourcePlan):
        keys["plan"] = ibis.literal(source.plan.value, type="string")
    elif source.plan is not None:
        keys["plan"] = _text(table[source.plan], ("plan",), source.plan)
    for ours, theirs in source.dimensions.items():
        keys[ours] = _text(table[theirs], ("dimensions", ours), theirs)
    values = {ours: _number(table[theirs], ours, theirs)
              for ours, theirs in source.metrics.items()}
    last = [m for m in source.metrics if dictionary.aggregation(m) is Aggregation.LAST]
    rows = table.select(**keys, **values, **({AT: moment} if last else {}))
    names = list(keys)
    if last:  # per metric: the latest moment of the day at which it has a value
        rows = rows.mutate(**{f"{LATEST}{m}": ibis.ifelse(rows[m].notnull(), rows[AT],
                                                          ibis.null()).max().over(group_by=names)
                              for m in last})
    return rows.group_by(names).aggregate(
        **{m: _per_day(rows, m, dictionary.aggregation(m)) for m in source.metrics})


def _per_day(rows: ir.Table, metric: str, how: Aggregation) -> ir.Value:
    """A metric's one value of a day, by its aggregation."""
    column: Any = rows[metric]
    if how is Aggregation.MAX:
        return column.max()
    if how is Aggregation.MIN:
        return column.min()
    if how is Aggregation.LAST:
        return column.max(where=rows[AT] == rows[f"{LATEST}{metric}"])
    return column.sum()  # sum, and mean: the day's rows add up; the store averages days


def _day(moment: Any, zone: str, backend: Backend, window: Days
         ) -> tuple[ir.Value, list[ir.BooleanValue]]:
    """The day of each row in the source's time zone, and the filter on the raw column."""
    dtype = moment.type()
    tz = zoneinfo.ZoneInfo(zone)
    first = window.first

    def start_of(day: dt.date, aware: bool) -> dt.datetime:
        midnight = dt.datetime.combine(day, dt.time(), tzinfo=tz if aware else None)
        return midnight.astimezone(dt.UTC) if aware else midnight

    if dtype.is_date():
        bounds = [moment < ibis.literal(window.end)]
        if first is not None:
            bounds.insert(0, moment >= ibis.literal(first))
        return moment, bounds
    if not dtype.is_timestamp():
        raise ColumnTypeError(("date",), moment.get_name(), dtype,
                              "source_expected_date_or_timestamp")
    aware = dtype.timezone is not None
    literal = dtypes.Timestamp(timezone="UTC") if aware else dtypes.Timestamp()
    bounds = [moment < ibis.literal(start_of(window.end, aware), type=literal)]
    if first is not None:
        bounds.insert(0, moment >= ibis.literal(start_of(first, aware), type=literal))
    # a naive timestamp is wall-clock time of the source's zone already; an aware one is
    # shown in that zone first, by the engine's own function
    return (_local(moment, zone, backend) if aware else moment).date(), bounds


def _local(moment: ir.Value, zone: str, backend: Backend) -> ir.Value:
    """A zone-aware timestamp as wall-clock time of `zone`, in the engine's SQL."""
    if backend.local_time is None:
        raise NoLocalTime(f"{backend.name}: no time zone function")
    name, shape = backend.local_time
    args = [moment if a == "ts" else ibis.literal(zone if a == "zone" else a) for a in shape]
    signature = (tuple(arg.type() for arg in args), dtypes.Timestamp())
    convert = ibis.udf.scalar.builtin(name=name, signature=signature)(_BODIES[len(args)])
    return convert(*args)


def _two(first: Any, second: Any) -> Any:
    """The shape of an engine's two-argument function (its body never runs)."""


def _three(first: Any, second: Any, third: Any) -> Any:
    """The shape of an engine's three-argument function (its body never runs)."""


_BODIES = {2: _two, 3: _three}


def _text(column: Any, path: tuple[str, ...], name: str) -> ir.Value:
    """Plans and dimension values as text (a numeric region code stays one value)."""
    dtype = column.type()
    if not (dtype.is_string() or dtype.is_integer() or dtype.is_boolean()):
        raise ColumnTypeError(path, name, dtype, "source_expected_text")
    return column if dtype.is_string() else column.cast("string")


def _number(column: Any, metric: str, name: str) -> ir.Value:
    """A metric column must hold numbers (integers and decimals stay exact as summed)."""
    dtype = column.type()
    if not dtype.is_numeric() or dtype.is_boolean():
        raise ColumnTypeError(("metrics", metric), name, dtype, "source_expected_number")
    return column


def sql(expr: ir.Table, backend: Backend) -> str:
    """The SQL an expression runs as, in the engine's dialect."""
    return str(ibis.to_sql(expr, dialect=backend.name)).strip()
