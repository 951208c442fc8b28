"""A source's daily rows as a metric file: long CSV, sorted, numbers written one way.

The same figures always give the same bytes, so the pull request that refreshes a file
shows exactly the figures that changed: rows sorted by date, plan, dimensions and metric;
integers and exact decimals as they are (no `.0`, no trailing zeros), other numbers to
15 significant digits (what a double holds, without the noise of summing order); a day
with no value of a metric writes no row (an empty value is no value, not zero).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ..model import WarehouseSource


@dataclass(frozen=True)
class DailyRows:
    """What a source's rows came to: the file's text and a summary for the command line."""

    text: str
    values: int  # rows written: one value each
    first: dt.date | None
    last: dt.date | None


def header(source: WarehouseSource) -> list[str]:
    """The columns of a pulled file, in the spec's canonical order."""
    plan = ["plan"] if source.plan is not None else []
    return ["date", *plan, "metric", "value", *source.dimensions, "source"]


def daily_rows(source_id: str, source: WarehouseSource,
               records: Iterable[Mapping[str, Any]]) -> DailyRows:
    """The file of a source's daily records (one mapping per day, plan and dimensions)."""
    dims = list(source.dimensions)
    rows: list[tuple[tuple[str, ...], list[str]]] = []
    for record in records:
        day = _day(record["date"])
        plan = [_text(record.get("plan"))] if source.plan is not None else []
        where = [_text(record.get(d)) for d in dims]
        for metric in source.metrics:
            value = number(record.get(metric))
            if value is not None:
                rows.append(((day, *plan, *where, metric),
                             [day, *plan, metric, value, *where, source_id]))
    rows.sort(key=lambda row: row[0])
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header(source))
    writer.writerows(cells for _, cells in rows)
    days = sorted({cells[0] for _, cells in rows})
    return DailyRows(out.getvalue(), len(rows),
                     dt.date.fromisoformat(days[0]) if days else None,
                     dt.date.fromisoformat(days[-1]) if days else None)


def _day(value: Any) -> str:
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return dt.date.fromisoformat(str(value)).isoformat()


def _text(value: Any) -> str:
    """A plan or dimension value as a cell (no value: an empty cell)."""
    return "" if value is None else str(value).strip()


def number(value: Any) -> str | None:
    """A figure written the same way whichever engine summed it; None for no value."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal):
        exact = value
    else:
        as_float = float(value)
        if not math.isfinite(as_float):
            return None
        exact = Decimal(format(as_float, ".15g"))
    if not exact.is_finite():
        return None
    text = format(exact.normalize(), "f")
    return "0" if text in ("-0", "0") else text
