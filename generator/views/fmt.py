"""Number formatting for people: percent to 0.1, money whole with separators, 1:x ratios.

Computations keep full precision; only pages, reports, messages and the
terminal table format numbers, and they all do it here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from ..model import MetricDef, MetricFormat

DASH = "—"
HIDDEN = "•••"  # a money amount a public site does not show
_HIDE_MONEY: ContextVar[bool] = ContextVar("hide_money", default=False)


@contextmanager
def money_hidden(hide: bool = True) -> Iterator[None]:
    """Within: every money amount is written as HIDDEN (a public site); `hide=False`
    shows them again (the PDFs of the same build, for executives)."""
    token = _HIDE_MONEY.set(hide)
    try:
        yield
    finally:
        _HIDE_MONEY.reset(token)


def hiding_money() -> bool:
    return _HIDE_MONEY.get()


def percent(x: float | None, digits: int = 1) -> str:
    """0.9 → '90.0%'."""
    return DASH if x is None else f"{x * 100:.{digits}f}%"


def ratio(x: float | None) -> str:
    """5.2 → '1:5.2'."""
    return DASH if x is None else f"1:{x:.1f}"


def money(x: float | None, currency: str | None = None) -> str:
    """1234567.8 → '1,234,568': whole units, but unit costs under 100 keep cents (48.70)."""
    if x is None:
        return DASH
    if _HIDE_MONEY.get():
        return HIDDEN
    text = f"{x:,.0f}" if abs(x) >= 100 or float(x).is_integer() else f"{x:,.2f}"
    return f"{text} {currency}" if currency else text


def number(x: float | None) -> str:
    """A plain figure: whole numbers with separators, small ones with two decimals."""
    if x is None:
        return DASH
    if abs(x) >= 100 or float(x).is_integer():
        return f"{x:,.0f}"
    return f"{x:,.2f}"


def metric_value(x: float | None, metric: MetricDef | None) -> str:
    """A value in its metric's format (percent, ratio, currency or number)."""
    fmt = metric.format if metric is not None else MetricFormat.NUMBER
    if fmt is MetricFormat.PERCENT:
        return percent(x)
    if fmt is MetricFormat.RATIO:
        return ratio(x)
    if fmt is MetricFormat.CURRENCY:
        return money(x)
    return number(x)


def date(d: dt.date | None) -> str:
    """ISO date, or a dash."""
    return DASH if d is None else d.isoformat()
