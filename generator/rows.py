"""Metric rows: CSV text (long or wide) into one long, typed frame.

`read_csv_text` only parses; `assemble` checks the rows against the metric
dictionary and the plans, melts wide files, and concatenates everything into
the frame the computations read: columns `date` (datetime64), `plan`,
`metric`, `value` (float), one column per declared dimension ("" when a row
has none), `source`, `note`, and `_file` / `_line` for messages.
"""

from __future__ import annotations

import csv
import difflib
import io
import warnings
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd
import pyarrow as pa

from . import fastrows
from .errors import Problem, Severity
from .model import MetricDictionary

KEPT = ("source", "note")
MAX_MESSAGES_PER_COLUMN = 20


@dataclass
class CsvFile:
    """One CSV file as text cells, with the physical line of every row."""

    source: str
    folder_plan: str | None
    frame: pd.DataFrame
    lines: np.ndarray
    problems: list[Problem] = field(default_factory=list)
    table: pa.Table | None = None  # typed rows from the fast path (then `frame` is empty)
    data: bytes = b""  # the file, for the careful path when the fast one cannot vouch


def _records(text: str) -> list[tuple[int, list[str]]]:
    """(starting line, cells) of every non-blank CSV record, header included."""
    out = []
    reader = csv.reader(io.StringIO(text, newline=""))
    previous_end = 0
    for record in reader:
        begin = previous_end + 1
        previous_end = reader.line_num
        if record:
            out.append((begin, record))
    return out


def _physical_lines(text: str, count: int) -> np.ndarray:
    """1-based line where each data row starts (quoted newlines and blank lines aware)."""
    simple = '"' not in text and "\n\n" not in text.replace("\r\n", "\n")
    if simple and text[:1] not in "\r\n":
        return np.arange(2, count + 2, dtype=np.int64)
    return np.asarray([line for line, _ in _records(text)[1:count + 1]], dtype=np.int64)


def _header(text: str) -> list[str]:
    first = next((line for line in text.splitlines() if line.strip()), "")
    return [c.strip() for c in next(csv.reader([first]), [])]


def _ragged(text: str, source: str) -> list[Problem]:
    """Rows whose number of cells differs from the header's (a stray comma, say)."""
    records = _records(text)
    if not records:
        return []
    width = len(records[0][1])
    out = []
    for line, cells in records[1:]:
        if len(cells) != width:
            out.append(Problem(source, line, None, "", f"expected {width} cells as in the "
                               f"header, got {len(cells)} (an unquoted comma, such as a "
                               "thousands separator?)"))
            if len(out) >= MAX_MESSAGES_PER_COLUMN:
                break
    return out


def read_csv_text(text: str, source: str, folder_plan: str | None = None) -> CsvFile:
    """Parse CSV text into string cells; shape problems are kept on the result."""
    empty = pd.DataFrame()

    def failed(problems: list[Problem]) -> CsvFile:
        return CsvFile(source, folder_plan, empty, np.zeros(0, np.int64), problems)

    if not text.strip():
        return failed([Problem(source, 1, None, "", "the file is empty (a header row is needed)")])
    header = _header(text)
    twice = sorted({c for c in header if header.count(c) > 1})
    if twice:
        return failed([Problem(source, 1, None, c, "the header names this column twice")
                       for c in twice])
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", pd.errors.ParserWarning)
            frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False,
                                na_filter=False, index_col=False)
    except (pd.errors.ParserError, pd.errors.ParserWarning) as e:
        return failed(_ragged(text, source) or [
            Problem(source, None, None, "", f"CSV syntax error: {e}".strip())])
    except ValueError as e:
        return failed([Problem(source, None, None, "", f"CSV syntax error: {e}".strip())])
    frame.columns = [str(c).strip() for c in frame.columns]
    lines = _physical_lines(text, len(frame))
    return CsvFile(source, folder_plan, frame, lines, [])


def _located(file: CsvFile, mask: np.ndarray, column: str, message: str,
             severity: Severity = Severity.ERROR) -> list[Problem]:
    """One problem per flagged row, capped, with the cell shown in the message."""
    idx = np.flatnonzero(mask)
    out = []
    for i in idx[:MAX_MESSAGES_PER_COLUMN]:
        cell = file.frame[column].iat[i] if column in file.frame.columns else ""
        out.append(Problem(file.source, int(file.lines[i]), None, column,
                           message.format(cell=cell), severity))
    if len(idx) > MAX_MESSAGES_PER_COLUMN:
        out.append(Problem(file.source, int(file.lines[idx[MAX_MESSAGES_PER_COLUMN]]), None,
                           column, f"... and {len(idx) - MAX_MESSAGES_PER_COLUMN} more rows "
                           "with the same problem", severity))
    return out


def _hint(name: str, options: Iterable[str]) -> str:
    close = difflib.get_close_matches(name, list(options), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _to_long(file: CsvFile, dictionary: MetricDictionary
             ) -> tuple[pd.DataFrame | None, list[Problem]]:
    """The file's rows in long shape with string cells, plus header problems."""
    frame, source = file.frame, file.source
    columns = list(frame.columns)
    dims = set(dictionary.dimensions)
    problems: list[Problem] = []
    if "date" not in columns:
        return None, [Problem(source, 1, None, "", "the header has no 'date' column")]
    long_shape = "metric" in columns or "value" in columns
    fixed = {"date", "plan", *KEPT} | ({"metric", "value"} if long_shape else set())
    metric_columns = [] if long_shape else [c for c in columns if c in dictionary.metrics]
    for c in columns:
        if c in fixed or c in dims or c in metric_columns:
            continue
        options = [*dims, *KEPT, *dictionary.metrics] if not long_shape else [*dims, *KEPT]
        problems.append(Problem(source, 1, None, c, f"column {c!r} is neither a declared "
                                f"dimension nor a metric id{_hint(c, options)}"))
    if long_shape:
        for need in ("metric", "value"):
            if need not in columns:
                problems.append(Problem(source, 1, None, "", f"the header has no {need!r} column"))
    elif not metric_columns:
        problems.append(Problem(source, 1, None, "",
                                "no column is a metric id (and there are no 'metric' and "
                                "'value' columns)"))
    if problems:
        return None, problems
    keep = [c for c in columns if c in dims or c in KEPT or c in ("date", "plan")]
    work = frame.copy()
    work["_line"] = file.lines
    if long_shape:
        return work[[*keep, "metric", "value", "_line"]], []
    melted = work.melt(id_vars=[*keep, "_line"], value_vars=metric_columns,
                       var_name="metric", value_name="value")
    return melted, []


def _check_cells(file: CsvFile, long: pd.DataFrame, dictionary: MetricDictionary,
                 plan_ids: set[str], wide: bool) -> tuple[pd.DataFrame, list[Problem]]:
    """Type the cells of one file; rows with bad cells are dropped and reported."""
    problems: list[Problem] = []
    pos = long["_line"].to_numpy()
    view = CsvFile(file.source, file.folder_plan, long, pos)

    value_text = long["value"].astype(str).str.strip()
    present = (value_text != "").to_numpy()
    values = pd.to_numeric(value_text.where(present, "0"), errors="coerce").to_numpy(float)
    bad_value = present & ~np.isfinite(values)
    if wide:  # a wide file's value column is named after its metric
        for metric_column in pd.unique(long["metric"][bad_value]):
            cells = long.rename(columns={"value": metric_column})
            named = CsvFile(file.source, file.folder_plan, cells, pos)
            problems += _located(named, bad_value & (long["metric"] == metric_column).to_numpy(),
                                 metric_column, "expected a number, got '{cell}'")
    else:
        problems += _located(view, bad_value, "value", "expected a number, got '{cell}'")

    date_text = long["date"].astype(str).str.strip()
    dates = pd.to_datetime(date_text, format="%Y-%m-%d", errors="coerce")
    bad_date = dates.isna().to_numpy() | ~date_text.str.fullmatch(r"\d{4}-\d{2}-\d{2}").to_numpy()
    problems += _located(view, bad_date, "date", "expected a date YYYY-MM-DD, got '{cell}'")

    metric = long["metric"].astype(str).str.strip()
    known = metric.isin(list(dictionary.metrics)).to_numpy()
    problems += _located(view, ~known, "metric",
                         "unknown metric '{cell}' (not in data/metrics.yaml)")
    derived = {m for m, d in dictionary.metrics.items() if not d.stored}
    is_derived = metric.isin(list(derived)).to_numpy()
    problems += _located(view, is_derived, "metric",
                         "'{cell}' is a derived metric (it has a formula): it is computed, "
                         "never stored")

    plan = pd.Series("", index=long.index, dtype=object)
    if "plan" in long.columns:
        plan = long["plan"].astype(str).str.strip()
    if file.folder_plan is not None:
        if file.folder_plan not in plan_ids:
            problems.append(Problem(file.source, None, None, "",
                                    f"folder data/{file.folder_plan}/ names no plan"
                                    f"{_hint(file.folder_plan, plan_ids)}"))
        clash = ((plan != "") & (plan != file.folder_plan)).to_numpy()
        problems += _located(view, clash, "plan",
                             f"plan '{{cell}}' in a file of folder data/{file.folder_plan}/")
        plan = pd.Series(file.folder_plan, index=long.index, dtype=object)
    unknown_plan = ((plan != "") & ~plan.isin(list(plan_ids))).to_numpy()
    if file.folder_plan is None:
        problems += _located(view, unknown_plan, "plan", "no plan has the id '{cell}'")
    no_plan = (plan == "").to_numpy() & present
    problems += _located(view, no_plan, "plan", "row belongs to no plan: it counts toward "
                         "no goal", Severity.WARNING)

    good = present & ~bad_value & ~bad_date & known & ~is_derived & ~unknown_plan
    out = pd.DataFrame({
        "date": dates.to_numpy()[good],
        "plan": plan.to_numpy()[good],
        "metric": metric.to_numpy()[good],
        "value": values[good],
    })
    for c in long.columns:
        if c not in ("date", "plan", "metric", "value", "_line"):
            out[c] = long[c].astype(str).str.strip().to_numpy()[good]
    out["_file"] = file.source
    out["_line"] = pos[good]
    return out, problems


def decode(data: bytes, source: str) -> tuple[str | None, Problem | None]:
    """UTF-8 text (a BOM is dropped), or a problem naming the likely encoding."""
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        hint = ""
        try:
            data.decode("gb18030")
            hint = " (it looks like GBK/GB18030, as Excel saves Chinese text: save it as UTF-8)"
        except UnicodeDecodeError:
            pass
        return None, Problem(source, line, None, "", f"file is not valid UTF-8{hint}")


def read_csv_bytes(data: bytes, source: str, folder_plan: str | None,
                   dictionary: MetricDictionary) -> CsvFile | None:
    """A CSV file by the fast path when it is clean, else None (use the careful path)."""
    table = fastrows.read(data, source, folder_plan, dictionary)
    if table is None:
        return None
    return CsvFile(source, folder_plan, pd.DataFrame(), np.zeros(0, np.int64), [], table, data)


def careful(source: str, data: bytes, folder_plan: str | None) -> CsvFile:
    """The careful path: decode (naming a wrong encoding) and parse cell by cell."""
    text, bad = decode(data, source)
    if text is None:
        assert bad is not None
        return CsvFile(source, folder_plan, pd.DataFrame(), np.zeros(0, np.int64), [bad])
    return read_csv_text(text, source, folder_plan)


def _names_plans(f: CsvFile) -> bool:
    """Whether the file's rows name their plan in a `plan` column."""
    if f.table is not None:
        return "plan" in (fastrows.header(f.data) or [])
    return "plan" in f.frame.columns


def _top_level(f: CsvFile, dictionary: MetricDictionary) -> CsvFile:
    """A file in a folder that is not a plan id, read like a file directly in data/."""
    if f.table is not None:
        return read_csv_bytes(f.data, f.source, None, dictionary) or careful(f.source, f.data,
                                                                             None)
    return replace(f, folder_plan=None)


def _as_arrow(frame: pd.DataFrame) -> pa.Table:
    table = pa.Table.from_pandas(frame, preserve_index=False)
    columns = {}
    for name in table.column_names:
        column = table[name]
        if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
            column = column.cast(pa.string()).dictionary_encode()
        elif name == "date":
            column = column.cast(pa.timestamp("ms")).cast(pa.date32())
        columns[name] = column
    return pa.table(columns)


def _complete(table: pa.Table, columns: list[str]) -> pa.Table:
    """Every expected column, in order ("" for a dimension a file does not have)."""
    out = {}
    for c in columns:
        if c in table.column_names:
            out[c] = table[c]
        elif c == "_line":
            out[c] = pa.array(np.zeros(table.num_rows, np.int64))
        else:
            out[c] = fastrows.constant("", table.num_rows)
    return pa.table(out)


def assemble(files: list[CsvFile], dictionary: MetricDictionary, plan_ids: set[str]
             ) -> tuple[pd.DataFrame, list[Problem]]:
    """All files' rows in one long frame, and every problem with them."""
    problems: list[Problem] = []
    columns = ["date", "plan", "metric", "value", *dictionary.row_dimensions, *KEPT, "_file",
               "_line"]
    tables = []
    for f in files:
        problems += f.problems
        if f.problems:
            continue
        if f.folder_plan is not None and f.folder_plan not in plan_ids and _names_plans(f):
            f = _top_level(f, dictionary)  # data/2024/, data/raw/: just a folder
        if f.table is not None:
            if f.folder_plan is None and not fastrows.plans_known(f.table, plan_ids):
                f = careful(f.source, f.data, f.folder_plan)  # name each unknown plan
            elif f.folder_plan is not None and f.folder_plan not in plan_ids:
                f = careful(f.source, f.data, f.folder_plan)
            else:
                tables.append(_complete(f.table, columns))
                continue
        if f.problems:
            problems += f.problems
            continue
        long, found = _to_long(f, dictionary)
        problems += found
        if long is None:
            continue
        wide = "metric" not in f.frame.columns
        typed, found = _check_cells(f, long, dictionary, plan_ids, wide)
        problems += found
        tables.append(_complete(_as_arrow(typed), columns))
    if tables:
        table = pa.concat_tables(tables, promote_options="permissive").unify_dictionaries()
    else:
        table = _complete(pa.table({"date": pa.array([], pa.date32()),
                                    "value": pa.array([], pa.float64())}), columns)
    rows = table.to_pandas(date_as_object=False)
    rows["date"] = rows["date"].astype("datetime64[ns]")
    for c in ["plan", "metric", *dictionary.row_dimensions, *KEPT, "_file"]:
        if not isinstance(rows[c].dtype, pd.CategoricalDtype):
            rows[c] = rows[c].astype("category")
    if _any_duplicate(rows, ["metric", "plan", *dictionary.row_dimensions]):
        problems += _duplicates(rows, dictionary.row_dimensions)
    return rows, problems


def _any_duplicate(rows: pd.DataFrame, columns: list[str]) -> bool:
    """Whether two rows share date and every key column (codes packed into one integer)."""
    if len(rows) < 2:
        return False
    key = rows["date"].to_numpy(dtype="datetime64[D]").astype(np.int64)
    key = key - key.min()
    span = int(key.max()) + 1
    for c in columns:
        codes = rows[c].cat.codes.to_numpy(dtype=np.int64) + 1
        width = len(rows[c].cat.categories) + 1
        if span > (2**62) // width:  # would overflow: let pandas hash the columns instead
            return bool(rows.duplicated(subset=["date", *columns]).any())
        key = key * width + codes
        span *= width
    return bool(pd.Series(key).duplicated().any())  # hashing: one pass, no sort


def _duplicates(rows: pd.DataFrame, dimensions: list[str]) -> list[Problem]:
    """The same (date, metric, plan, dimensions) twice: double counting."""
    key = ["date", "metric", "plan", *dimensions]
    dup = rows.duplicated(subset=key, keep=False)
    if not dup.any():
        return []
    out = []
    for _, group in rows[dup].groupby(key, sort=True, dropna=False, observed=True):
        first = group.iloc[0]
        for _, again in group.iloc[1:].iterrows():
            out.append(Problem(
                str(again["_file"]), int(again["_line"]), None, "",
                f"duplicate row: the same date {again['date']:%Y-%m-%d}, metric "
                f"{again['metric']!r}, plan and dimensions as {first['_file']}:{first['_line']}"))
            if len(out) >= 50:
                return out
    return out
