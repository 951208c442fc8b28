"""The fast path for metric rows: Arrow's multi-threaded CSV reader and vectorised checks.

A clean file (the usual case, and the case that must be fast at ten million
rows) is parsed by pyarrow straight into typed, dictionary-encoded columns and
checked column-wise. Rows that name no plan stay on this path: they are kept
(they count toward no goal) and warned about with their lines, as the careful
path would. Anything else unusual (a bad cell, a ragged row, a quoted newline,
a BOM-less encoding problem, stray spaces) makes it return None, and the
careful path in `rows.py` reads that file cell by cell to report every problem
with its line. Both paths produce the same rows and the same warnings.
"""

from __future__ import annotations

import csv

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from .errors import Problem, Severity, say
from .model import FIXED_COLUMNS, MAX_MAGNITUDE, MetricDictionary
from .sources import Buffer

DICT = pa.dictionary(pa.int32(), pa.string())
BOM = b"\xef\xbb\xbf"
BLOCK = 1 << 24
MAX_MESSAGES = 20  # per kind and file, as the careful path (`rows.MAX_MESSAGES_PER_COLUMN`)


def header(data: Buffer) -> list[str] | None:
    """The column names of a CSV file's first line."""
    return _header(data, len(BOM) if data[:len(BOM)] == BOM else 0)


def _header(data: Buffer, start: int) -> list[str] | None:
    end = data.find(b"\n", start)
    first = (data[start:] if end < 0 else data[start:end]).rstrip(b"\r")
    try:
        return next(csv.reader([first.decode("utf-8")]))
    except (UnicodeDecodeError, StopIteration, csv.Error):
        return None


def _lines(data: Buffer) -> int | None:
    """Lines in the file (a last line without a newline counts), counted by NumPy in blocks
    (no copy of the file, no interpreter lock held); None when a carriage return stands
    alone, which Arrow takes for a line break of its own."""
    raw = np.frombuffer(data, np.uint8)
    check_returns = data.find(b"\r") >= 0  # (memchr: Excel's CRLF files only pay below)
    newlines = 0
    for i in range(0, len(raw), BLOCK):
        block = raw[i:i + BLOCK + 1]  # one byte more: what follows a \r at the block's end
        body = block[:BLOCK]
        newlines += int(np.count_nonzero(body == ord("\n")))
        if not check_returns:
            continue
        returns = np.flatnonzero(body == ord("\r"))
        if len(returns) and (returns[-1] + 1 >= len(block) or
                             bool((block[returns + 1] != ord("\n")).any())):
            return None
    return newlines + (1 if len(raw) and raw[-1] != ord("\n") else 0)


def _values(column: pa.ChunkedArray) -> list[str]:
    """The distinct strings of a dictionary column (its dictionaries, not its rows)."""
    out: set[str] = set()
    for chunk in column.chunks:
        out.update(chunk.dictionary.to_pylist())
    return sorted(out)


def _clean(values: list[str]) -> bool:
    return all(v == v.strip() for v in values)


def read(data: Buffer, source: str, folder_plan: str | None, dictionary: MetricDictionary
         ) -> tuple[pa.Table, list[Problem]] | None:
    """A typed long table (date, plan, metric, value, dimensions, kept) and the warnings
    about its rows that name no plan, or None.

    Row i stands on line i + 2 of the file unless the table has a `_line` column (wide
    files and files with empty values, whose rows were melted or dropped).
    """
    start = len(BOM) if data[:len(BOM)] == BOM else 0
    header = _header(data, start)
    if not header or len(set(header)) != len(header) or "date" not in header:
        return None
    if any(h != h.strip() for h in header):
        return None
    dims = set(dictionary.row_dimensions)
    stored = {m for m, d in dictionary.metrics.items() if d.stored}
    long_shape = "metric" in header or "value" in header
    if long_shape and not {"metric", "value"} <= set(header):
        return None
    fixed = {"date", "plan", "source", "note"} | ({"metric", "value"} if long_shape else set())
    metric_columns = [] if long_shape else [c for c in header if c in stored
                                            and c not in FIXED_COLUMNS]
    if any(c not in fixed and c not in dims and c not in metric_columns for c in header):
        return None
    if not long_shape and not metric_columns:
        return None
    types = {c: (pa.date32() if c == "date" else pa.float64()
                 if c == "value" or c in metric_columns else DICT) for c in header}
    try:
        table = pacsv.read_csv(
            pa.BufferReader(pa.py_buffer(data).slice(start)),
            read_options=pacsv.ReadOptions(use_threads=True, block_size=1 << 22),
            parse_options=pacsv.ParseOptions(newlines_in_values=False),
            convert_options=pacsv.ConvertOptions(column_types=types, strings_can_be_null=False,
                                                 null_values=[""], quoted_strings_can_be_null=True))
    except (pa.ArrowInvalid, pa.ArrowTypeError, UnicodeDecodeError):
        return None
    # as many lines as records: every record on one line and no blank line, so row i
    # sits on line i + 2
    if _lines(data) != table.num_rows + 1:  # (None: never equal)
        return None
    if table.num_rows and table["date"].null_count:
        return None
    if not long_shape or table["value"].null_count:
        table = table.append_column("_line", pa.array(np.arange(2, table.num_rows + 2,
                                                                dtype=np.int32)))
    if long_shape:
        parts = [table]
    else:
        keep = [c for c in table.column_names if c not in metric_columns]
        parts = []
        for m in metric_columns:
            part = table.select(keep).append_column("metric", constant(m, table.num_rows))
            parts.append(part.append_column("value", table[m]))
    out = []
    for part in parts:
        if part["value"].null_count:  # an empty cell is no value, not zero
            part = part.filter(pc.is_valid(part["value"]))
        if part.num_rows and not (pc.all(pc.is_finite(part["value"])).as_py()
                                  and pc.max(pc.abs(part["value"])).as_py() <= MAX_MAGNITUDE):
            return None  # the careful path says which cell
        out.append(part)
    table = out[0] if len(out) == 1 else pa.concat_tables(
        out, promote_options="permissive").unify_dictionaries()
    metrics = _values(table["metric"])
    if not set(metrics) <= stored or not _clean(metrics):
        return None
    for c in table.column_names:
        if pa.types.is_dictionary(table[c].type) and not _clean(_values(table[c])):
            return None
    if folder_plan is not None:
        if "plan" in table.column_names and set(_values(table["plan"])) - {folder_plan}:
            return None
        table = table.drop_columns(["plan"]) if "plan" in table.column_names else table
        table = table.append_column("plan", constant(folder_plan, table.num_rows))
    elif "plan" not in table.column_names:
        return None  # every row with no plan: the careful path warns about each
    elif "" in _values(table["plan"]):
        return table, _no_plan(table, source)
    return table, []


def _no_plan(table: pa.Table, source: str) -> list[Problem]:
    """A warning on each row that names no plan (the first few, then a count), in the
    careful path's order (a wide file's rows metric by metric) and words."""
    rows = np.flatnonzero(pc.equal(table["plan"].cast(pa.string()), "")
                          .to_numpy(zero_copy_only=False))
    lines = (table["_line"].to_numpy() if "_line" in table.column_names
             else np.arange(2, table.num_rows + 2))
    out = [Problem(source, int(lines[i]), None, "plan", say("cell_no_plan", cell=""),
                   Severity.WARNING) for i in rows[:MAX_MESSAGES]]
    if len(rows) > MAX_MESSAGES:
        out.append(Problem(source, int(lines[rows[MAX_MESSAGES]]), None, "plan",
                           say("more_rows_same", n=len(rows) - MAX_MESSAGES),
                           Severity.WARNING))
    return out


def plans_known(table: pa.Table, plan_ids: set[str]) -> bool:
    """Whether every row names an existing plan or none (checked on the dictionary, not the
    rows)."""
    return set(_values(table["plan"])) - {""} <= plan_ids


def constant(value: str, n: int) -> pa.DictionaryArray:
    """A dictionary column holding one string n times (no per-row Python objects)."""
    return pa.DictionaryArray.from_arrays(pa.array(np.zeros(n, np.int32)), pa.array([value]))
