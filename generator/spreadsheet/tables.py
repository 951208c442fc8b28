"""Finding the table in a sheet and reading its rows into items of located values.

A sheet's header row is the first of its top rows that names the most known columns
(title rows merged above it are skipped, their text helps to tell which table it is);
every row below it that holds something is an item. The plan sheet (`计划`) is read
the other way round: one field per row, its label then its value.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..errors import Message, Problem
from . import cells
from .cells import Cell, Read, Unreadable
from .columns import PLAN, TABLES, Column, Kind, Table, best_table, normalize
from .reader import Grid, Place

HEADER_SEARCH = 15  # rows searched for the header
RANGE_FIELDS = {"dates": ("start", "end"), "actual_dates": ("actual_start", "actual_end")}
_SKIP_ROWS = ("合计", "总计", "小计", "total", "注", "说明", "填表说明", "备注说明")


@dataclass
class Value:
    value: Any
    place: Place
    cell: Cell
    note: Message | None = None


@dataclass
class Item:
    """One row of a table: its values by plan field, and where each column's cell is."""

    table: Table
    row: Place
    values: dict[str, Value] = field(default_factory=dict)
    places: dict[str, Place] = field(default_factory=dict)
    notes: list[Message | str] = field(default_factory=list)  # comments on the whole item

    def get(self, name: str) -> Any:
        found = self.values.get(name)
        return None if found is None else found.value

    def set(self, name: str, value: Any, note: Message | None = None,
            place: Place | None = None) -> None:
        """Set a value the rules derived (its place: the cell it came from, else the row)."""
        old = self.values.get(name)
        where = place or (old.place if old else self.places.get(name, self.row))
        self.values[name] = Value(value, where, old.cell if old else Cell(None), note)

    def place(self, name: str) -> Place:
        found = self.values.get(name)
        return found.place if found else self.places.get(name, self.row)


def read_cell(kind: Kind, cell: Cell, year: int | None) -> Read:
    """A non-blank cell read as its column's kind (Unreadable when it cannot be)."""
    match kind:
        case Kind.DATE:
            return cells.read_date(cell, year)
        case Kind.RANGE:
            return cells.read_range(cell, year)
        case Kind.NUMBER | Kind.AMOUNT:
            return cells.read_number(cell)
        case Kind.INT:
            return cells.read_int(cell)
        case Kind.PROGRESS:
            return cells.read_progress(cell)
        case Kind.FRACTION:
            return cells.read_fraction(cell)
        case Kind.LIST:
            return cells.read_list(cell)
        case Kind.IDS:
            return cells.read_ids(cell)
        case Kind.OWNER:
            return cells.read_owner(cell)
        case Kind.BOOL:
            return cells.read_bool(cell)
        case Kind.MAPPING:
            return cells.read_mapping(cell)
        case Kind.PACE:
            return cells.read_shares(cell)
        case Kind.BREAKDOWN:
            return cells.read_breakdown(cell)
        case Kind.LANGUAGE:
            return cells.read_language(cell)
        case Kind.TASK_STATUS:
            try:
                return cells.read_choice(cell, kind)
            except Unreadable:  # 进行中, 延期 …: computed by mxt, not an input
                return Read(None)
        case (Kind.LEVEL | Kind.PRIORITY | Kind.STRATEGY_PRIORITY | Kind.ISSUE_STATUS
              | Kind.RISK_STATUS | Kind.RULE | Kind.PERIOD | Kind.SEVERITY | Kind.PLAN_TYPE):
            return cells.read_choice(cell, kind)
    return cells.read_text(cell)


def _known(header: str) -> bool:
    return any(t.match(header) for t in TABLES if not t.fields_layout)


def recognise(grid: Grid) -> tuple[Table, int, dict[int, Column]] | None:
    """The table a sheet holds: (table, header row number, columns by 0-based index)."""
    best: tuple[int, int] | None = None
    for n, row in enumerate(grid.rows[:HEADER_SEARCH], 1):
        if n in grid.banners:
            continue
        count = sum(_known(c.text) for c in row if not c.blank)
        if count >= 2 and (best is None or count > best[1]):
            best = (n, count)
    if best is None:
        return None
    header = best[0]
    headers = [c.text for c in grid.rows[header - 1]]
    titles = " ".join([grid.sheet or "", *(grid.rows[r - 1][0].text for r in range(1, header)
                                           if grid.rows[r - 1] and r in grid.banners)])
    found = best_table(headers, titles)
    if found is None:
        return None
    table = found[0]
    columns: dict[int, Column] = {}
    ranks: dict[str, tuple[int, int]] = {}
    for i, text in enumerate(headers):
        m = table.match(text)
        if m is None:
            if text.strip():  # a column the plan has no field for: kept as a comment
                columns[i] = _note_column(text)
            continue
        column, rank = m
        if column.field in ranks:  # two columns for one field: the closer name wins
            other, other_rank = ranks[column.field]
            if rank >= other_rank:
                columns[i] = _note_column(text)
                continue
            columns[other] = _note_column(headers[other])
        ranks[column.field] = (i, rank)
        columns[i] = column
    return table, header, columns


def _note_column(header: str) -> Column:
    """A column read as a comment on its row (`header: value`), under its own header."""
    name = header.strip()
    return Column(f"note:{name}", Kind.NOTE, name, name)


def read_items(grid: Grid, table: Table, header_row: int, columns: dict[int, Column],
               year: int | None, problems: list[Problem]) -> list[Item]:
    """Every data row below the header as an item; unreadable cells become problems."""
    headers = [c.text.strip() for c in grid.rows[header_row - 1]]
    order = sorted(columns)
    items = []
    first_col = min(columns) + 1
    for n in range(header_row + 1, len(grid.rows) + 1):
        row = grid.rows[n - 1]
        if n in grid.banners or all(row[i].blank for i in columns):
            continue
        lead = next((row[i].text for i in order if not row[i].blank), "")
        if normalize(lead).startswith(_SKIP_ROWS):
            continue
        item = Item(table, grid.place(n, first_col))
        for i, column in columns.items():
            place = grid.place(n, i + 1, headers[i])
            item.places[column.field] = place
            for part in RANGE_FIELDS.get(column.field, ()):  # a range cell holds both dates
                item.places.setdefault(part, place)
            if not row[i].blank:
                _read_into(item, column, row[i], place, year, problems)
        items.append(item)
    return items


def _read_into(item: Item, column: Column, cell: Cell, place: Place, year: int | None,
               problems: list[Problem]) -> None:
    """A non-blank cell as the item's value of `column`; a note column, or a task status
    mxt computes (进行中), as a comment on the item; an unreadable cell as a problem."""
    if column.kind is Kind.NOTE:
        item.notes.append(f"{place.header}: {cell.text}")
        return
    try:
        read = read_cell(column.kind, cell, year)
    except Unreadable as e:
        problems.append(place.problem(e.problem))
        return
    if read.value is None and column.kind is Kind.TASK_STATUS:
        item.notes.append(f"{place.header}: {cell.text}")
        return
    item.values[column.field] = Value(read.value, place, cell, read.note)


def is_plan_sheet(grid: Grid) -> bool:
    """The sheet of plan fields: named 计划 / Plan, or three labels of them down a column."""
    if grid.sheet is not None and normalize(grid.sheet) in {normalize(t) for t in PLAN.titles}:
        return True
    labels = sum(1 for row in grid.rows[:40] if (lead := _lead(row)) is not None
                 and PLAN.match(row[lead].text) and not _known(row[lead].text))
    return labels >= 3


def _lead(row: list[Cell]) -> int | None:
    return next((i for i, c in enumerate(row) if not c.blank), None)


def read_fields(grid: Grid, year: int | None, problems: list[Problem]) -> Item:
    """The plan sheet: each row a label (计划名称, 负责人 …) and its value to the right."""
    item = Item(PLAN, grid.place(1, 1))
    for n, row in enumerate(grid.rows, 1):
        lead = _lead(row)
        if lead is None or lead + 1 >= len(row) or n in grid.banners:
            continue
        m = PLAN.match(row[lead].text)
        if m is None:
            continue
        column, cell = m[0], row[lead + 1]
        place = grid.place(n, lead + 2, row[lead].text.strip())
        item.places[column.field] = place
        if not cell.blank:
            _read_into(item, column, cell, place, year, problems)
    return item
