"""Metric rows: CSV files (long or wide) into one sorted table of NumPy arrays.

Clean files come typed from the fast path (`fastrows`); any other file is read
here cell by cell (`read_csv_text`, then `assemble` checks it against the metric
dictionary and the plans and melts wide files) so that every problem has its
line. `assemble` gathers every file's rows into one `Rows` table: day numbers,
values, and integer codes for plan, metric, each declared dimension ("" when a
row has none), `source` and `note`, sorted by (plan, metric, date, dimensions)
with one sort that also finds duplicate rows.

Why our own sort and not DuckDB's: `benchmarks/engine.py` orders the same rows both
ways. At 10M rows the packed sort took 0.9 s; DuckDB took 1.6 s to load them and
1.6 s to order them. `tests/test_rows_engine.py` proves both of our sort paths equal
to a plain sort of the rows.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import warnings
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from . import fastrows
from .errors import DICTIONARY, InputError, Message, Problem, Severity, did_you_mean, say
from .model import FIXED_COLUMNS, MAX_MAGNITUDE, MetricDictionary
from .sources import Buffer

if TYPE_CHECKING:  # pandas is for the careful path only: not imported on the fast one
    import pandas as pd

KEPT = ("source", "note")
PACKED_BITS = 63  # a key that fits in a signed 64-bit integer is sorted by value
MAX_MESSAGES_PER_COLUMN = 20


@dataclass
class CsvFile:
    """One CSV file as text cells, with the physical line of every row."""

    source: str
    folder_plan: str | None
    frame: pd.DataFrame | None  # the cells as text (careful path only)
    lines: np.ndarray
    problems: list[Problem] = field(default_factory=list)
    table: pa.Table | None = None  # typed rows from the fast path (then `frame` is None)
    data: Buffer = b""  # the file, for the careful path when the fast one cannot vouch
    warnings: list[Problem] = field(default_factory=list)  # the fast path's rows with no plan


def _records(text: str, source: str = "") -> list[tuple[int, list[str]]]:
    """(starting line, cells) of every non-blank CSV record, header included."""
    out = []
    reader = csv.reader(io.StringIO(text, newline=""))
    previous_end = 0
    try:
        for record in reader:
            begin = previous_end + 1
            previous_end = reader.line_num
            if record:
                out.append((begin, record))
    except csv.Error as e:  # a field over the csv module's limit: an unclosed quote, mostly
        raise InputError([Problem(source, previous_end + 1, None, "",
                                  say("csv_unclosed", error=str(e)))]) from e
    return out


def _physical_lines(text: str, count: int, source: str = "") -> np.ndarray:
    """1-based line where each data row starts (quoted newlines and blank lines aware)."""
    simple = '"' not in text and "\n\n" not in text.replace("\r\n", "\n")
    if simple and text[:1] not in "\r\n":
        return np.arange(2, count + 2, dtype=np.int64)
    return np.asarray([line for line, _ in _records(text, source)[1:count + 1]],
                      dtype=np.int64)


def _header(text: str, source: str = "") -> list[str]:
    first = next((line for line in text.splitlines() if line.strip()), "")
    return [c.strip() for c in (_records(first, source)[:1] or [(1, [])])[0][1]]


def _ragged(text: str, source: str) -> list[Problem]:
    """Rows whose number of cells differs from the header's (a stray comma, say)."""
    records = _records(text, source)
    if not records:
        return []
    width = len(records[0][1])
    out = []
    for line, cells in records[1:]:
        if len(cells) != width:
            out.append(Problem(source, line, None, "",
                               say("ragged_row", width=width, got=len(cells))))
            if len(out) >= MAX_MESSAGES_PER_COLUMN:
                break
    return out


def read_csv_text(text: str, source: str, folder_plan: str | None = None) -> CsvFile:
    """Parse CSV text into string cells; shape problems are kept on the result."""
    if not text.strip():
        return _failed(source, folder_plan,
                       [Problem(source, 1, None, "", say("csv_empty"))])
    try:
        return _parse(text, source, folder_plan)
    except InputError as e:  # located by the csv module's reader
        return _failed(source, folder_plan, e.problems)


def _failed(source: str, folder_plan: str | None, problems: list[Problem]) -> CsvFile:
    return CsvFile(source, folder_plan, None, np.zeros(0, np.int64), problems)


def _parse(text: str, source: str, folder_plan: str | None) -> CsvFile:
    import pandas as pd

    def failed(problems: list[Problem]) -> CsvFile:
        return _failed(source, folder_plan, problems)

    header = _header(text, source)
    twice = sorted({c for c in header if header.count(c) > 1})
    if twice:
        return failed([Problem(source, 1, None, c, say("header_twice")) for c in twice])
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", pd.errors.ParserWarning)
            frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False,
                                na_filter=False, index_col=False)
    except (pd.errors.ParserError, pd.errors.ParserWarning) as e:
        return failed(_ragged(text, source) or [
            Problem(source, None, None, "", say("csv_syntax", error=str(e).strip()))])
    except ValueError as e:
        return failed([Problem(source, None, None, "", say("csv_syntax", error=str(e).strip()))])
    frame.columns = [str(c).strip() for c in frame.columns]
    lines = _physical_lines(text, len(frame), source)
    return CsvFile(source, folder_plan, frame, lines, [])


def _located(file: CsvFile, mask: np.ndarray, column: str, key: str,
             severity: Severity = Severity.ERROR, follows: str = "", **values: str
             ) -> list[Problem]:
    """One problem per flagged row, capped, with the cell shown in the message `key`."""
    idx = np.flatnonzero(mask)
    out = []
    for i in idx[:MAX_MESSAGES_PER_COLUMN]:
        cells = file.frame
        cell = cells[column].iat[i] if cells is not None and column in cells.columns else ""
        out.append(Problem(file.source, int(file.lines[i]), None, column,
                           say(key, cell=cell, **values), severity, follows))
    if len(idx) > MAX_MESSAGES_PER_COLUMN:
        out.append(Problem(file.source, int(file.lines[idx[MAX_MESSAGES_PER_COLUMN]]), None,
                           column, say("more_rows_same", n=len(idx) - MAX_MESSAGES_PER_COLUMN),
                           severity, follows))
    return out


def _to_long(file: CsvFile, dictionary: MetricDictionary
             ) -> tuple[pd.DataFrame | None, list[Problem]]:
    """The file's rows in long shape with string cells, plus header problems."""
    frame, source = file.frame, file.source
    assert frame is not None  # read by the careful path
    columns = list(frame.columns)
    dims = set(dictionary.row_dimensions) | {"plan"}
    problems: list[Problem] = []
    if "date" not in columns:
        return None, [Problem(source, 1, None, "", say("header_lacks", column="date"))]
    long_shape = "metric" in columns or "value" in columns
    fixed = {"date", "plan", *KEPT} | ({"metric", "value"} if long_shape else set())
    metric_columns = [] if long_shape else [c for c in columns if c in dictionary.metrics
                                            and c not in FIXED_COLUMNS]
    for c in columns:
        if c in fixed or c in dims or c in metric_columns:
            continue
        options = [*dims, *KEPT, *dictionary.metrics] if not long_shape else [*dims, *KEPT]
        hint = did_you_mean(c, options, cutoff=0.6)
        problems.append(Problem(source, 1, None, c, say("unknown_column", column=c, hint=hint),
                                follows=DICTIONARY))
    if long_shape:
        for need in ("metric", "value"):
            if need not in columns:
                problems.append(Problem(source, 1, None, "", say("header_lacks", column=need)))
    elif not metric_columns:
        problems.append(Problem(source, 1, None, "", say("no_metric_column"),
                                follows=DICTIONARY))
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
    import pandas as pd

    problems: list[Problem] = []
    pos = long["_line"].to_numpy()
    view = CsvFile(file.source, file.folder_plan, long, pos)

    value_text = long["value"].astype(str).str.strip()
    present = (value_text != "").to_numpy()
    values = pd.to_numeric(value_text.where(present, "0"), errors="coerce").to_numpy(float)
    not_number = present & ~np.isfinite(values)
    too_large = present & np.isfinite(values) & (np.abs(values) > MAX_MAGNITUDE)
    for bad, key in ((not_number, "cell_not_a_number"), (too_large, "cell_too_large")):
        if wide:  # a wide file's value column is named after its metric
            for metric_column in pd.unique(long["metric"][bad]):
                cells = long.rename(columns={"value": metric_column})
                named = CsvFile(file.source, file.folder_plan, cells, pos)
                problems += _located(named, bad & (long["metric"] == metric_column).to_numpy(),
                                     metric_column, key)
        else:
            problems += _located(view, bad, "value", key)
    bad_value = not_number | too_large

    date_text = long["date"].astype(str).str.strip()
    dates = pd.to_datetime(date_text, format="%Y-%m-%d", errors="coerce")
    bad_date = dates.isna().to_numpy() | ~date_text.str.fullmatch(r"\d{4}-\d{2}-\d{2}").to_numpy()
    problems += _located(view, bad_date, "date", "cell_not_a_date")

    metric = long["metric"].astype(str).str.strip()
    known = metric.isin(list(dictionary.metrics)).to_numpy()
    problems += _located(view, ~known, "metric", "cell_unknown_metric", follows=DICTIONARY)
    derived = {m for m, d in dictionary.metrics.items() if not d.stored}
    is_derived = metric.isin(list(derived)).to_numpy()
    problems += _located(view, is_derived, "metric", "cell_derived_metric")

    plan = pd.Series("", index=long.index, dtype=object)
    if "plan" in long.columns:
        plan = long["plan"].astype(str).str.strip()
    if file.folder_plan is not None:
        if file.folder_plan not in plan_ids:
            problems.append(Problem(file.source, None, None, "",
                                    say("folder_no_plan", folder=file.folder_plan,
                                        hint=did_you_mean(file.folder_plan, plan_ids, cutoff=0.6))))
        clash = ((plan != "") & (plan != file.folder_plan)).to_numpy()
        problems += _located(view, clash, "plan", "cell_plan_in_folder",
                             folder=file.folder_plan)
        plan = pd.Series(file.folder_plan, index=long.index, dtype=object)
    unknown_plan = ((plan != "") & ~plan.isin(list(plan_ids))).to_numpy()
    if file.folder_plan is None:
        problems += _located(view, unknown_plan, "plan", "cell_unknown_plan")
    no_plan = (plan == "").to_numpy() & present
    problems += _located(view, no_plan, "plan", "cell_no_plan", Severity.WARNING)

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
    out["_line"] = pos[good]
    return out, problems


def decode(data: bytes, source: str) -> tuple[str | None, Problem | None]:
    """UTF-8 text (a BOM is dropped), or a problem naming the likely encoding."""
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        hint: str | Message = ""
        try:
            data.decode("gb18030")
            hint = say("gbk_hint")
        except UnicodeDecodeError:
            pass
        return None, Problem(source, line, None, "", say("not_utf8", hint=hint))


def read_csv_bytes(data: Buffer, source: str, folder_plan: str | None,
                   dictionary: MetricDictionary) -> CsvFile | None:
    """A CSV file by the fast path when it is clean, else None (use the careful path)."""
    found = fastrows.read(data, source, folder_plan, dictionary)
    if found is None:
        return None
    table, warned = found
    return CsvFile(source, folder_plan, None, np.zeros(0, np.int64), [], table, data, warned)


def careful(source: str, data: Buffer, folder_plan: str | None) -> CsvFile:
    """The careful path: decode (naming a wrong encoding) and parse cell by cell."""
    text, bad = decode(data if isinstance(data, bytes) else data[:], source)
    if text is None:
        assert bad is not None
        return CsvFile(source, folder_plan, None, np.zeros(0, np.int64), [bad])
    return read_csv_text(text, source, folder_plan)


def _names_plans(f: CsvFile) -> bool:
    """Whether the file's rows name their plan in a `plan` column."""
    if f.table is not None:
        return "plan" in (fastrows.header(f.data) or [])
    return f.frame is not None and "plan" in f.frame.columns


def _top_level(f: CsvFile, dictionary: MetricDictionary) -> CsvFile:
    """A file in a folder that is not a plan id, read like a file directly in data/."""
    if f.table is not None:
        return read_csv_bytes(f.data, f.source, None, dictionary) or careful(f.source, f.data,
                                                                             None)
    return replace(f, folder_plan=None)


def _as_arrow(frame: pd.DataFrame) -> pa.Table:
    """The careful path's typed rows as Arrow columns, like the fast path's."""
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


@dataclass
class _Part:
    """The rows of one file within the assembled table."""

    source: str
    table: pa.Table
    start: int  # its first row's position in file order
    lines: np.ndarray | None  # physical lines; None: row i stands on line i + 2


class Rows:
    """Every metric row, sorted by (plan, metric, date, dimensions), as NumPy arrays.

    The key columns are `plan`, `metric`, `date` (a day number: days since
    1970-01-01) and each declared dimension ("" for a dimension a row does not
    have); text is held as integer codes into `names`. Usually the sort packed a
    row's whole key into one integer, and the columns are read back from those
    integers only where asked (a plan's metric is a slice); otherwise they are
    plain arrays. `values` are floats, and `origin` is each row's position in file
    order, which `location` turns back into a file and a line for messages.
    `source` and `note`, read by reports only, are decoded when first asked for.
    """

    def __init__(self, values: np.ndarray, names: dict[str, list[str]], origin: np.ndarray,
                 parts: list[_Part], days: tuple[int, int], *,
                 packed: np.ndarray | None = None, layout: dict[str, tuple[int, int]] | None = None,
                 columns: dict[str, np.ndarray] | None = None):
        self.values, self.names, self.origin = values, names, origin
        self.first_day, self.last_day = days
        self._parts = parts
        self._starts = np.asarray([part.start for part in parts], np.int64)
        self._packed = packed
        self._layout = layout or {}  # column → (shift, bits) in the packed key
        self._columns = columns or {}
        self._slices: dict[tuple[str, str], tuple[int, int]] | None = None

    def __len__(self) -> int:
        return len(self.values)

    def part(self, name: str, lo: int, hi: int) -> np.ndarray:
        """Rows lo..hi of a key column (day numbers for `date`, codes for the others)."""
        if name in self._columns:
            return self._columns[name][lo:hi]
        assert self._packed is not None
        shift, bits = self._layout[name]
        out = (self._packed[lo:hi] >> shift) & ((1 << bits) - 1)
        return out + self.first_day if name == "date" else out

    def _at(self, name: str, index: np.ndarray) -> np.ndarray:
        """A key column at some rows."""
        if name in self._columns or self._packed is None:
            return self.column(name)[index]
        shift, bits = self._layout[name]
        return (self._packed[index] >> shift) & ((1 << bits) - 1)

    def column(self, name: str) -> np.ndarray:
        """A whole column in row order: a key column, or `source` / `note` (codes)."""
        if name not in self._columns:
            if name in self._layout:
                self._columns[name] = self.part(name, 0, len(self)).astype(np.int32)
            else:
                lookup: dict[str, int] = {}
                chunks = [np.zeros(0, np.int32)]
                for part in self._parts:
                    for batch in part.table.to_batches():
                        found = batch.column(name) if name in batch.schema.names else None
                        chunks.append(_text_codes(found, batch.num_rows, lookup))
                self._columns[name] = np.concatenate(chunks)[self.origin]
                self.names[name] = list(lookup) or [""]
        return self._columns[name]

    def slices(self) -> dict[tuple[str, str], tuple[int, int]]:
        """(plan, metric) → its rows lo..hi."""
        if self._slices is None:
            if self._packed is not None:  # the key down to metric, compared in one pass
                pair = self._packed >> self._layout["metric"][0]
                starts = np.flatnonzero(pair[1:] != pair[:-1]) + 1
                starts = np.concatenate([[0], starts]) if len(pair) else starts
                del pair
                plan, metric = self._at("plan", starts), self._at("metric", starts)
            else:
                plan, metric = self.column("plan"), self.column("metric")
                starts = np.flatnonzero((np.diff(plan, prepend=-1) != 0) |
                                        (np.diff(metric, prepend=-1) != 0))
                plan, metric = plan[starts], metric[starts]
            ends = np.append(starts[1:], len(self)) if len(starts) else starts
            plans, metrics = self.names["plan"], self.names["metric"]
            self._slices = {(plans[p], metrics[m]): (int(a), int(b))
                            for p, m, a, b in zip(plan, metric, starts, ends, strict=True)}
        return self._slices

    def up_to(self, last_day: int) -> Rows:
        """The rows dated on or before a day, still sorted."""
        if self.last_day <= last_day:
            return self
        keep = self.column("date") <= last_day
        columns = {c: self.column(c)[keep] for c in [*self._layout, *self._columns]}
        return Rows(self.values[keep], self.names, self.origin[keep], self._parts,
                    (self.first_day, min(self.last_day, last_day)), columns=columns)

    def location(self, i: int) -> tuple[str, int]:
        """The file and physical line of row i."""
        at = int(self.origin[i])
        part = self._parts[int(np.searchsorted(self._starts, at, "right")) - 1]
        offset = at - part.start
        return part.source, int(part.lines[offset]) if part.lines is not None else offset + 2

    def per_file(self, index: np.ndarray) -> list[tuple[str, int, int]]:
        """Some rows (`index`, in file order) counted file by file: (file, how many, the
        line of the first), in file order."""
        if not len(index):
            return []
        part_of = np.searchsorted(self._starts, self.origin[index], "right") - 1
        _, first, counts = np.unique(part_of, return_index=True, return_counts=True)
        order = np.argsort(first)  # files in the order their rows come
        out = []
        for at, n in zip(first[order], counts[order], strict=True):
            source, line = self.location(int(index[at]))
            out.append((source, int(n), line))
        return out

    def text(self, column: str, i: int) -> str:
        codes = self.part(column, i, i + 1) if column in self._layout else self.column(column)[i:]
        return self.names[column][int(codes[0])]

    def date(self, i: int) -> dt.date:
        return from_day(int(self.part("date", i, i + 1)[0]))

    def last_date(self) -> dt.date | None:
        """The latest row date, if there are rows."""
        return from_day(self.last_day) if len(self) else None

    def in_file_order(self, mask: np.ndarray) -> np.ndarray:
        """The indices of the rows flagged by `mask`, in the order they stand in the files."""
        index = np.flatnonzero(mask)
        return index[np.argsort(self.origin[index], kind="stable")]

    def plan_rows(self, plan: str) -> slice:
        """The contiguous rows of one plan."""
        try:
            code = self.names["plan"].index(plan)
        except ValueError:
            return slice(0, 0)
        plans = self.column("plan")
        return slice(int(np.searchsorted(plans, code, "left")),
                     int(np.searchsorted(plans, code, "right")))

    def frame(self) -> pd.DataFrame:
        """The rows as a pandas frame in file order (for inspection and tests)."""
        import pandas as pd

        order = np.argsort(self.origin, kind="stable")
        out = pd.DataFrame({"date": (self.column("date")[order].astype("datetime64[D]")
                                     .astype("datetime64[ns]")),
                            "value": self.values[order]})
        for c in [c for c in self.names if c != "date"] + [k for k in KEPT if k not in self.names]:
            out[c] = pd.Categorical.from_codes(self.column(c)[order], pd.Index(self.names[c]))
        where = [self.location(i) for i in order]
        out["_file"] = [f for f, _ in where]
        out["_line"] = [line for _, line in where]
        return out


_EPOCH = dt.date(1970, 1, 1)
_EPOCH_ORDINAL = _EPOCH.toordinal()


def day(d: dt.date) -> int:
    """A date as a day number (days since 1970-01-01), the unit the engine compares in."""
    return d.toordinal() - _EPOCH_ORDINAL


def from_day(n: int) -> dt.date:
    return _EPOCH + dt.timedelta(days=int(n))


_NUMPY_TYPES = {pa.int8(): np.int8, pa.int16(): np.int16, pa.int32(): np.int32,
                pa.int64(): np.int64, pa.float64(): np.float64, pa.date32(): np.int32}


def _numbers(array: pa.Array) -> np.ndarray:
    """A fixed-width Arrow array with no nulls as a NumPy view of its buffer.

    (Arrow's own `to_numpy` would load pandas, a fifth of a second, just to do this.)
    """
    kind = _NUMPY_TYPES.get(array.type)
    if kind is None or array.null_count:
        return array.to_numpy(zero_copy_only=False)
    dtype = np.dtype(kind)
    return np.frombuffer(array.buffers()[1], dtype, len(array), array.offset * dtype.itemsize)


def _text_codes(column: pa.Array | None, n: int, lookup: dict[str, int]) -> np.ndarray:
    """Codes of a text column's rows in `lookup` (grown with new strings); "" if absent."""
    if column is None:
        return np.full(n, lookup.setdefault("", len(lookup)), np.int32)
    if not pa.types.is_dictionary(column.type):
        column = column.dictionary_encode()
    words = column.dictionary.to_pylist()
    table = np.asarray([lookup.setdefault(w, len(lookup)) for w in words] or [0], np.int32)
    return table[_numbers(column.indices)]


def _collect(tables: list[tuple[str, pa.Table]], dictionary: MetricDictionary
             ) -> tuple[Rows, list[Problem]]:
    """One sorted row table from every file's rows, and the duplicate rows among them."""
    fields = ["plan", "metric", *dictionary.row_dimensions]
    lookups: dict[str, dict[str, int]] = {c: {} for c in fields}
    parts: list[_Part] = []
    n, first_day, last_day = 0, 2**31, -(2**31)
    for source, table in tables:
        if not table.num_rows:
            continue
        lines = (np.concatenate([_numbers(c) for c in table["_line"].chunks]).astype(np.int64)
                 if "_line" in table.column_names else None)
        parts.append(_Part(source, table, n, lines))
        n += table.num_rows
        span = pc.min_max(table["date"].cast(pa.int32()))
        first_day = min(first_day, span["min"].as_py())
        last_day = max(last_day, span["max"].as_py())
        for c in fields:  # every string first (dictionaries only, not rows): codes' widths
            if c not in table.column_names:
                lookups[c].setdefault("", len(lookups[c]))
                continue
            for chunk in table[c].chunks:
                words = (chunk.dictionary if pa.types.is_dictionary(chunk.type)
                         else pc.unique(chunk)).to_pylist()
                for w in words:
                    lookups[c].setdefault(w, len(lookups[c]))
    names = {c: list(lookups[c]) or [""] for c in fields}
    if not n:
        return Rows(np.zeros(0), names, np.zeros(0, np.int64), parts, (0, 0),
                    columns={c: np.zeros(0, np.int32) for c in ["date", *fields]}), []
    order = ["plan", "metric", "date", *dictionary.row_dimensions]  # most significant first
    widths = {c: len(names[c]) for c in fields} | {"date": last_day - first_day + 1}
    bits = {c: max(1, (widths[c] - 1).bit_length()) for c in order}
    index_bits = max(1, (n - 1).bit_length())
    batches = [(part.table.to_batches()) for part in parts]  # columns sliced alike, no copies
    if sum(bits.values()) + index_bits <= PACKED_BITS:
        rows, same = _packed_sort(batches, parts, names, lookups, order, bits, index_bits, n,
                                  (first_day, last_day))
    else:
        rows, same = _lexsort(batches, parts, names, lookups, order, (first_day, last_day))
    return rows, _duplicates(rows, same)


def _batch_columns(batch: pa.RecordBatch, order: list[str], lookups: dict[str, dict[str, int]],
                   first_day: int) -> list[np.ndarray]:
    """One batch's key columns: codes, and `date` as days since the first day."""
    names = batch.schema.names
    return [_numbers(batch.column("date")) - first_day if c == "date"
            else _text_codes(batch.column(c) if c in names else None, batch.num_rows, lookups[c])
            for c in order]


def _packed_sort(batches: list[list[pa.RecordBatch]], parts: list[_Part],
                 names: dict[str, list[str]], lookups: dict[str, dict[str, int]],
                 order: list[str], bits: dict[str, int], index_bits: int, n: int,
                 days: tuple[int, int]) -> tuple[Rows, np.ndarray]:
    """Sort by one integer per row: the key's columns side by side, then the row's position.

    One value sort (vectorised) orders the rows by key and, among equal keys, in
    file order; the key columns are read back from the sorted integers on demand.
    """
    packed = np.empty(n, np.int64)
    unsorted_values = np.empty(n, np.float64)
    at = 0
    for batch in (b for file_batches in batches for b in file_batches):
        k = batch.num_rows
        columns = _batch_columns(batch, order, lookups, days[0])
        key = columns[0].astype(np.int64)
        for c, column in zip(order[1:], columns[1:], strict=True):
            key <<= bits[c]
            key |= column
        key <<= index_bits
        key |= np.arange(at, at + k, dtype=np.int64)
        packed[at:at + k] = key
        unsorted_values[at:at + k] = _numbers(batch.column("value"))
        at += k
    packed.sort()
    layout, shift = {}, index_bits
    for c in reversed(order):
        layout[c] = (shift, bits[c])
        shift += bits[c]
    work = np.right_shift(packed, index_bits)
    same = work[1:] == work[:-1]
    origin = np.bitwise_and(packed, (1 << index_bits) - 1, out=work)
    return Rows(unsorted_values[origin], names, origin, parts, days, packed=packed,
                layout=layout), same


def _lexsort(batches: list[list[pa.RecordBatch]], parts: list[_Part],
             names: dict[str, list[str]], lookups: dict[str, dict[str, int]],
             order: list[str], days: tuple[int, int]) -> tuple[Rows, np.ndarray]:
    """The same order as `_packed_sort` for keys too wide to pack into one integer."""
    flat = [b for file_batches in batches for b in file_batches]
    per_batch = [_batch_columns(b, order, lookups, days[0]) for b in flat]
    key = [np.concatenate([cols[i] for cols in per_batch]) for i in range(len(order))]
    values = np.concatenate([_numbers(b.column("value")) for b in flat])
    origin = np.lexsort(key[::-1])  # stable: file order among equal keys
    same = np.ones(max(len(origin) - 1, 0), bool)
    columns = {}
    for c, column in zip(order, key, strict=True):
        columns[c] = column[origin] + (days[0] if c == "date" else 0)
        same &= columns[c][1:] == columns[c][:-1]
    return Rows(values[origin], names, origin, parts, days, columns=columns), same


def _duplicates(rows: Rows, same: np.ndarray) -> list[Problem]:
    """The same (date, metric, plan, dimensions) twice: double counting."""
    out = []
    for i in np.flatnonzero(same)[:50] + 1:
        first = int(i) - 1
        while first > 0 and same[first - 1]:
            first -= 1
        source, line = rows.location(int(i))
        first_source, first_line = rows.location(first)
        out.append(Problem(source, line, None, "", say(
            "duplicate_row", date=rows.date(int(i)), metric=rows.text("metric", int(i)),
            first=f"{first_source}:{first_line}")))
    return out


@dataclass
class Prepared:
    """Rows assembled from the fast path alone before the plans' ids were known."""

    files: list[CsvFile]
    rows: Rows
    problems: list[Problem]


def prepare(files: list[CsvFile], dictionary: MetricDictionary) -> Prepared | None:
    """Assemble ahead when every file came through the fast path (while plans are parsed).

    `assemble` uses the result when the plans turn out to own every row, as they
    usually do; otherwise it starts over.
    """
    if not files or any(f.problems or f.table is None for f in files):
        return None
    rows, problems = _collect([(f.source, f.table) for f in files if f.table is not None],
                              dictionary)
    return Prepared(files, rows, [p for f in files for p in f.warnings] + problems)


def _owned(f: CsvFile, plan_ids: set[str]) -> bool:
    """Whether every row of a fast-path file belongs to a known plan."""
    if f.table is None or f.problems:
        return False
    if f.folder_plan is not None:
        return f.folder_plan in plan_ids
    return fastrows.plans_known(f.table, plan_ids)


def assemble(files: list[CsvFile], dictionary: MetricDictionary, plan_ids: set[str],
             prepared: Prepared | None = None) -> tuple[Rows, list[Problem]]:
    """All files' rows in one sorted table, and every problem with them."""
    if (prepared is not None and prepared.files is files
            and all(_owned(f, plan_ids) for f in files)):
        return prepared.rows, list(prepared.problems)
    problems: list[Problem] = []
    parts: list[tuple[str, pa.Table]] = []
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
                problems += f.warnings
                parts.append((f.source, f.table))
                continue
        if f.problems:
            problems += f.problems
            continue
        long, found = _to_long(f, dictionary)
        problems += found
        if long is None:
            continue
        wide = f.frame is not None and "metric" not in f.frame.columns
        typed, found = _check_cells(f, long, dictionary, plan_ids, wide)
        problems += found
        parts.append((f.source, _as_arrow(typed)))
    rows, found = _collect(parts, dictionary)
    return rows, problems + found
