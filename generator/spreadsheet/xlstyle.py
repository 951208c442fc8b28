"""The look both workbooks share: header rows, status colours, widths that fit, filters.

Status cells are coloured as the site's badges (`templates/assets/mxt.css`: the
Okabe-Ito hues darkened to a contrast of at least 4.5:1 with white text; a test holds
the two in step).
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterable

from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

# code → the badge background of mxt.css (white text on every one)
STATUS_FILLS = {
    **dict.fromkeys(("achieved", "done", "low", "closed"), "00704F"),
    **dict.fromkeys(("on_track", "in_progress", "ok", "info"), "0067A3"),
    **dict.fromkeys(("at_risk", "over", "warning", "medium", "open"), "8F5600"),
    **dict.fromkeys(("off_track", "missed", "delayed", "overspent", "critical", "high",
                     "overdue"), "B83227"),
    "done_late": "2367A0",
    "blocked": "94407A",
    **dict.fromkeys(("no_data", "not_started", "cancelled", "occurred"), "5F5F5F"),
}
HEADER_FILL = PatternFill("solid", fgColor="33414E")
FONT = "Calibri"  # the workbook's own default: named, so no viewer falls back to a serif
HEADER_FONT = Font(name=FONT, bold=True, color="FFFFFF")
TITLE_FONT = Font(name=FONT, bold=True, size=13)
LABEL_FONT = Font(name=FONT, bold=True, color="33414E")
THIN = Side(style="thin", color="C9D1D9")
GRID = Border(bottom=THIN)
DATE = "yyyy-mm-dd"
MIN_WIDTH, MAX_WIDTH = 6, 48


def display_width(value: object, number_format: str = "General") -> int:
    """Columns a value takes on screen: CJK characters count two."""
    if value is None:
        return 0
    if isinstance(value, dt.date):
        return 10
    if isinstance(value, float | int) and not isinstance(value, bool):
        if "%" in number_format:
            return len(f"{value * 100:.1f}%")
        return len(f"{value:,.2f}") if isinstance(value, float) else len(f"{value:,}")
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in str(value))


def put(ws: Worksheet, row: int, col: int, value: object) -> Cell:
    """Write one value; text stays text: control characters shown as escapes (a worksheet
    cannot hold them) and a leading `=` never makes a formula (plan text is data)."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub(lambda m: repr(m[0])[1:-1], value)
    cell = ws.cell(row, col, value)
    if isinstance(value, str):
        cell.data_type = "s"
    return cell


def header(ws: Worksheet, row: int, labels: Iterable[str]) -> None:
    """A header row: bold white on slate, wrapped, centred."""
    for col, text in enumerate(labels, 1):
        cell = put(ws, row, col, text)
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)


def status(cell: object, code: str) -> None:
    """Colour a status cell as the site's badge of `code` (its text is already in it)."""
    assert isinstance(cell, Cell)
    fill = STATUS_FILLS.get(code)
    if fill is None:
        return
    cell.fill = PatternFill("solid", fgColor=fill)
    cell.font = HEADER_FONT  # white bold, as on the header's slate
    cell.alignment = Alignment(horizontal="center")


def finish(ws: Worksheet, header_row: int, columns: int, *, filters: bool = True) -> None:
    """Freeze the rows down to the header, turn filters on, fit every column's width
    (long text wraps within MAX_WIDTH)."""
    ws.freeze_panes = ws.cell(header_row + 1, 1)
    last = max(ws.max_row, header_row)
    if filters:
        ws.auto_filter.ref = f"A{header_row}:{get_column_letter(columns)}{last}"
    for col in range(1, columns + 1):
        widths = [display_width(ws.cell(r, col).value, ws.cell(r, col).number_format)
                  for r in range(header_row + 1, last + 1)]
        head = display_width(ws.cell(header_row, col).value)
        width = max([min(head, 16) + 3, *(w + 2 for w in widths), MIN_WIDTH])
        ws.column_dimensions[get_column_letter(col)].width = min(width, MAX_WIDTH)
        if width > MAX_WIDTH:
            for r in range(header_row + 1, last + 1):
                ws.cell(r, col).alignment = Alignment(wrap_text=True, vertical="top")
    ws.row_dimensions[header_row].height = 32
    # printed (and as PDF): landscape A4, as wide as the page, the header on every page
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.print_title_rows = f"1:{header_row}"


ZIP_FIRST = dt.datetime(1980, 1, 1, tzinfo=dt.UTC)
ZIP_LAST = dt.datetime(2107, 12, 31, tzinfo=dt.UTC)


def save(book: object, when: dt.date) -> bytes:
    """The workbook's bytes, the same for the same content: every zip entry and the
    document's created and modified times are `when` (openpyxl stamps the clock)."""
    import io
    import re
    import zipfile

    from openpyxl import Workbook

    assert isinstance(book, Workbook)
    stamp = dt.datetime(when.year, when.month, when.day, tzinfo=dt.UTC)
    book.properties.created = stamp.replace(tzinfo=None)  # openpyxl writes naive UTC
    # a zip entry's time can only be 1980 … 2107: an as-of outside keeps the nearest
    zipped = min(max(stamp, ZIP_FIRST), ZIP_LAST)
    raw = io.BytesIO()
    book.save(raw)
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" +
                              stamp.strftime("%Y-%m-%dT%H:%M:%SZ").encode(), data)
            entry = zipfile.ZipInfo(info.filename, date_time=zipped.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(entry, data)
    return out.getvalue()
