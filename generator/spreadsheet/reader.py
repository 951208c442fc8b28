"""Reading a workbook (openpyxl) or one CSV table into grids of cells with their places.

Merged cells are filled from their first cell (a phase written once over three rows
belongs to each of them); a row that is one merged range (a title above the header, a
note below the table) is marked so that it is never read as data. Every problem met
later names its place: `计划.xlsx [任务]!F7` in a workbook, `tasks.csv:7` in a CSV file.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from ..errors import InputError, Message, Problem, Severity, say
from .cells import Cell

MAX_BYTES = 20 * 1024 * 1024  # a plan's workbook; bigger ones are something else
MAX_ROWS = 5000  # rows read per sheet


class SheetProblem(Problem):
    """A problem in a workbook: `file [sheet]!F7` (line = row, col = column number)."""

    def location(self) -> str:
        from openpyxl.utils import get_column_letter

        if self.line is None:
            return self.file
        col = f"{get_column_letter(self.col)}" if self.col else ""
        return f"{self.file}!{col}{self.line}"


@dataclass(frozen=True)
class Place:
    """Where a value came from: a cell of a sheet (or a field of a CSV line)."""

    file: str  # the workbook's file name
    sheet: str | None  # None: a CSV file
    row: int
    column: int  # 1-based
    header: str  # the column's header as written ("" for a whole row)

    def problem(self, message: Message | str, severity: Severity = Severity.ERROR
                ) -> Problem:
        if self.sheet is None:
            return Problem(self.file, self.row, None, self.header, message, severity)
        return SheetProblem(f"{self.file} [{self.sheet}]", self.row, self.column or None,
                            self.header, message, severity)

    def text(self) -> str:
        """The place alone, e.g. `[任务]!A5` (for "already used at …")."""
        if self.sheet is None:
            return f"{self.file}:{self.row}"
        from openpyxl.utils import get_column_letter

        return f"[{self.sheet}]!{get_column_letter(max(self.column, 1))}{self.row}"


@dataclass
class Grid:
    """One sheet's cells, row by row (1-based row numbers as in the sheet)."""

    file: str
    sheet: str | None
    rows: list[list[Cell]]
    banners: set[int] = field(default_factory=set)  # rows that are one merged range

    def place(self, row: int, column: int, header: str = "") -> Place:
        return Place(self.file, self.sheet, row, column, header)


def read_workbook(data: bytes, name: str) -> list[Grid]:
    """Every visible sheet of an .xlsx workbook, formulas as their saved values."""
    import zipfile

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    if len(data) > MAX_BYTES:
        raise InputError([Problem(name, None, None, "",
                                  say("import_too_large", n=MAX_BYTES // 2**20))])
    try:
        book = load_workbook(io.BytesIO(data), data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError) as e:
        raise InputError([Problem(name, None, None, "",
                                  say("import_not_a_workbook", error=str(e) or type(e).__name__))]
                         ) from e
    grids = []
    for ws in book.worksheets:
        if ws.sheet_state != "visible":
            continue
        grids.append(_grid(ws, name))
    return grids


def _grid(ws: object, name: str) -> Grid:
    from openpyxl.worksheet.worksheet import Worksheet

    assert isinstance(ws, Worksheet)
    last_row = min(ws.max_row, MAX_ROWS)
    width = ws.max_column
    rows = [[Cell(c.value, c.number_format or "General") for c in row]
            for row in ws.iter_rows(min_row=1, max_row=last_row, max_col=width)]
    banners = set()
    for merged in ws.merged_cells.ranges:
        top, left = merged.min_row, merged.min_col
        if top > last_row:
            continue
        first = rows[top - 1][left - 1]
        for r in range(top, min(merged.max_row, last_row) + 1):
            for c in range(left, merged.max_col + 1):
                rows[r - 1][c - 1] = first
            others = [c for i, c in enumerate(rows[r - 1], 1)
                      if not (left <= i <= merged.max_col) and not c.blank]
            if merged.max_col > left and not others:
                banners.add(r)
    return Grid(name, ws.title, rows, banners)


def read_csv(data: bytes, name: str) -> list[Grid]:
    """One table saved as CSV (UTF-8, with or without BOM, or Excel's GB18030)."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise InputError([Problem(name, None, None, "", say("import_unreadable_csv"))])
    try:
        lines = list(csv.reader(io.StringIO(text)))
    except csv.Error as e:
        raise InputError([Problem(name, None, None, "", say("csv_syntax", error=str(e)))]
                         ) from e
    width = max((len(line) for line in lines), default=0)
    rows = [[Cell(v if v.strip() else None) for v in line] + [Cell(None)] * (width - len(line))
            for line in lines[:MAX_ROWS]]
    return [Grid(name, None, rows)]
