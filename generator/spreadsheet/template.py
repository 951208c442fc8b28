"""The import template: a workbook with a sheet per table and the headers `mxt import`
reads, in Chinese or English; lists to choose statuses, priorities and levels from;
date, percent and money formats on the columns that hold them.

Given a plan, the same workbook comes filled with it (what a team would have typed):
importing that gives the plan back, which is how the round trip is tested.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from openpyxl import Workbook
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet
from pydantic import BaseModel

from ..model import Plan
from ..views.catalogue import listing, status_label
from . import xlstyle
from .columns import PLAN, TABLES, Column, Kind, Table
from .planyaml import ORDER

ROWS = 500  # rows prepared with formats and lists
_CHOICES: dict[Kind, dict[str, tuple[str, ...]]] = {  # code → (zh word, en word)
    Kind.LEVEL: {"high": ("高", "high"), "medium": ("中", "medium"), "low": ("低", "low")},
    Kind.PRIORITY: {"high": ("高", "high"), "medium": ("中", "medium"), "low": ("低", "low")},
    Kind.STRATEGY_PRIORITY: {"core": ("核心", "core"), "support": ("辅助", "support")},
    Kind.TASK_STATUS: {"done": ("已完成", "done"), "blocked": ("受阻", "blocked"),
                       "cancelled": ("已取消", "cancelled")},
    Kind.RULE: {"below": ("低于", "below"), "above": ("高于", "above"),
                "rising": ("上涨", "rising"), "falling": ("下降", "falling")},
    Kind.PERIOD: {"week": ("周", "week"), "month": ("月", "month")},
    Kind.BOOL: {"true": ("是", "yes"), "false": ("否", "no")},
}
_FROM_CATALOGUE = {Kind.RISK_STATUS: ("open", "occurred", "closed"),
                   Kind.SEVERITY: ("info", "warning", "critical"),
                   Kind.PLAN_TYPE: ("campaign", "strategy", "annual", "regional", "activation",
                                    "other")}
FORMATS = {Kind.DATE: xlstyle.DATE, Kind.AMOUNT: "#,##0", Kind.FRACTION: "0%",
           Kind.PROGRESS: "0"}


def choices(kind: Kind, lang: str) -> dict[str, str]:
    """code → the word the template offers for it, in `lang`."""
    if kind is Kind.PLAN_TYPE and lang != "zh":  # the English names are plurals (nav groups)
        return {code: code for code in _FROM_CATALOGUE[kind]}
    if kind in _FROM_CATALOGUE:
        return {code: status_label(code, lang) for code in _FROM_CATALOGUE[kind]}
    words = _CHOICES.get(kind, {})
    return {code: pair[0 if lang == "zh" else 1] for code, pair in words.items()}


def columns(table: Table) -> list[Column]:
    """The columns the template writes: one per plan field (no notes, no ranges)."""
    if table is PLAN:
        return [c for c in PLAN.columns if c.field != "dates"]
    return [c for c in table.columns if c.field in ORDER[table.key]]


def workbook(lang: str, plan: Plan | None = None, plan_id: str | None = None) -> bytes:
    """The template in `lang` (zh or en), empty or filled with `plan`."""
    book = Workbook()
    book.remove(book.active)
    for table in TABLES:
        ws = book.create_sheet(table.sheet_name(lang))
        if table is PLAN:
            _plan_sheet(ws, lang, plan, plan_id)
            continue
        cols = columns(table)
        xlstyle.header(ws, 1, [c.header(lang) for c in cols])
        for r, item in enumerate(_items(plan, table.key), 2):
            for c, column in enumerate(cols, 1):
                xlstyle.put(ws, r, c, cell_value(column, item.get(column.field), lang))
        _prepare(ws, cols, lang, 2)
        xlstyle.finish(ws, 1, len(cols))
    return xlstyle.save(book, plan.period.start if plan else dt.date(2000, 1, 1))


def _plan_sheet(ws: Worksheet, lang: str, plan: Plan | None, plan_id: str | None) -> None:
    values: dict[str, Any] = {}
    if plan is not None:
        values = _dump(plan)
        values.update(id=plan_id or plan.id, start=plan.period.start, end=plan.period.end)
        values.update(_dump(plan.budget) if plan.budget else {})
    xlstyle.header(ws, 1, ["字段", "内容"] if lang == "zh" else ["Field", "Value"])
    for r, column in enumerate(columns(PLAN), 2):
        xlstyle.put(ws, r, 1, column.header(lang)).font = xlstyle.LABEL_FONT
        cell = xlstyle.put(ws, r, 2, cell_value(column, values.get(column.field), lang))
        cell.number_format = FORMATS.get(column.kind, "General")
        _validation(ws, column.kind, lang, f"B{r}")
    xlstyle.finish(ws, 1, 2, filters=False)


def _dump(model: BaseModel) -> dict[str, Any]:
    """The fields a plan file wrote (defaults it left out stay empty)."""
    return {k: getattr(model, k) for k in model.model_fields_set}


def _items(plan: Plan | None, key: str) -> list[dict[str, Any]]:
    if plan is None:
        return []
    if key.startswith("budget."):
        found = getattr(plan.budget, key.split(".")[1]) if plan.budget else []
    else:
        found = getattr(plan, key)
    return [_dump(item) for item in found]


def _prepare(ws: Worksheet, cols: list[Column], lang: str, first: int) -> None:
    """Formats and choice lists down the prepared rows."""
    from openpyxl.utils import get_column_letter

    for c, column in enumerate(cols, 1):
        letter = get_column_letter(c)
        number_format = FORMATS.get(column.kind)
        if number_format:
            for r in range(first, ROWS + 1):
                ws.cell(r, c).number_format = number_format
        _validation(ws, column.kind, lang, f"{letter}{first}:{letter}{ROWS}")


def _validation(ws: Worksheet, kind: Kind, lang: str, cells: str) -> None:
    words = choices(kind, lang)
    if not words:
        return
    rule = DataValidation(type="list", formula1='"' + ",".join(words.values()) + '"',
                          allow_blank=True, showErrorMessage=False)
    rule.add(cells)
    ws.add_data_validation(rule)


def cell_value(column: Column, value: Any, lang: str) -> Any:
    """A plan value as a person would type it into the template."""
    if value is None or value == [] or value == {}:
        return None
    kind = column.kind
    words = choices(kind, lang)
    if words:
        return words.get(str(value).lower(), str(value))
    if kind in (Kind.LIST, Kind.IDS):
        return listing(map(str, value), lang)
    if kind in (Kind.MAPPING, Kind.PACE):
        return "; ".join(f"{k}={listing(v, lang) if isinstance(v, list) else v}"
                         for k, v in dict(value).items())
    if kind is Kind.BREAKDOWN:
        pairs = "; ".join(f"{k}={int(v) if float(v).is_integer() else v}"
                          for k, v in value.targets.items())
        return f"{value.by}: {pairs}"
    if hasattr(value, "value"):  # an enum
        return value.value
    return value
