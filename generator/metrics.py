"""Metric values over windows: the answering half of the row engine.

The row engine is three modules and nothing else touches rows: `fastrows`
(Arrow's CSV reader), `rows` (one table of NumPy arrays, sorted once) and this
one. The rows come sorted by (plan, metric, day) from `rows.assemble`; every value the
computations ask for is then a binary search for the window plus a mask for
the `where` filter on that small slice. Derived metrics evaluate their
formula on the values of their inputs over the same window and filter
(ratio of sums, never a mean of daily ratios).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Mapping
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np

from . import formula
from .model import Aggregation, MetricDictionary
from .rows import Rows, day, from_day

if TYPE_CHECKING:
    import pandas as pd

WhereKey = tuple[tuple[str, tuple[str, ...]], ...]


def where_key(where: Mapping[str, str | list[str]] | None) -> WhereKey:
    """A hashable, order-free form of a `where` filter."""
    if not where:
        return ()
    return tuple(sorted((k, tuple(sorted([v] if isinstance(v, str) else map(str, v))))
                        for k, v in where.items()))


def stored_inputs(metric: str, dictionary: MetricDictionary) -> set[str]:
    """The stored metrics a metric reads, each formula visited once (a cycle ends)."""
    out: set[str] = set()
    seen: set[str] = set()
    stack = [metric]
    while stack:
        current = stack.pop()
        if current in seen:
            continue
        seen.add(current)
        m = dictionary.metrics.get(current)
        if m is None:
            continue
        if m.formula is None:
            out.add(current)
            continue
        try:
            stack.extend(formula.references(formula.parse(m.formula)))
        except formula.FormulaError:
            continue
    return out


class MetricStore:
    """Values of metrics for plans over date windows, as of one date.

    It reads the assembled `Rows` (sorted by plan, metric, day, dimensions) without
    copying them unless some rows lie after as-of; a (plan, metric) pair is then a
    contiguous slice whose days are sorted.
    """

    def __init__(self, rows: Rows, dictionary: MetricDictionary, as_of: dt.date):
        self.dictionary = dictionary
        self.dimensions = dictionary.row_dimensions
        self.as_of = as_of
        self._as_of_day = day(as_of)
        self._table = rows.up_to(self._as_of_day)  # later rows are facts of the future
        self._values = self._table.values
        self._dim_names = {d: rows.names[d] for d in self.dimensions}
        self._dim_codes = {d: {n: i for i, n in enumerate(names)}
                           for d, names in self._dim_names.items()}
        self._slices = self._table.slices()
        self._days: dict[int, np.ndarray] = {}  # a slice's days, by its first row
        self._parsed = {m: formula.parse(d.formula) for m, d in dictionary.metrics.items()
                        if d.formula is not None}
        self.value = lru_cache(maxsize=None)(self._value)  # type: ignore[method-assign]

    def fingerprint(self, plan: str) -> bytes:
        """A hash of every row of a plan up to as-of (days, values, dimension values)."""
        h = hashlib.sha256()
        for (p, metric), (lo, hi) in sorted(self._slices.items()):
            if p != plan:
                continue
            h.update(metric.encode())
            h.update(self._table.part("date", lo, hi).astype(np.int64).tobytes())
            h.update(self._values[lo:hi].tobytes())
            for d in self.dimensions:  # by value, so other plans' data cannot change it
                used, local = np.unique(self._table.part(d, lo, hi), return_inverse=True)
                h.update(local.astype(np.int32).tobytes())
                h.update("\x00".join(self._dim_names[d][c] for c in used).encode())
        return h.digest()

    def inputs(self, metric: str) -> set[str]:
        """The stored metrics a metric is computed from (itself when stored)."""
        return stored_inputs(metric, self.dictionary)

    def is_sum(self, metric: str) -> bool:
        """True for stored flows that accumulate (aggregation `sum`)."""
        return metric not in self._parsed and self.dictionary.aggregation(metric) is Aggregation.SUM

    def is_last(self, metric: str) -> bool:
        """True for stored levels whose value is the latest one (aggregation `last`)."""
        return (metric not in self._parsed
                and self.dictionary.aggregation(metric) is Aggregation.LAST)

    def _rows(self, plan: str, metric: str, a: int, b: int, where: WhereKey
              ) -> tuple[np.ndarray, np.ndarray, Callable[[str], np.ndarray]] | None:
        """A plan's metric in [a, b] matching `where`: (days, values, dimension codes)."""
        found = self._slices.get((plan, metric))
        if found is None:
            return None
        lo, hi = found
        days = self._days.get(lo)
        if days is None:
            days = self._days[lo] = self._table.part("date", lo, hi)
        first = int(days.searchsorted(a, side="left"))
        last = int(days.searchsorted(min(b, self._as_of_day), side="right"))
        if last <= first:
            return None
        lo, hi = lo + first, lo + last
        mask: np.ndarray | slice = slice(None)
        if where:
            mask = np.ones(hi - lo, dtype=bool)
            for dim, allowed in where:
                codes = self._dim_codes.get(dim)
                if codes is None:
                    return None
                wanted = [codes[v] for v in allowed if v in codes]
                mask &= np.isin(self._table.part(dim, lo, hi), wanted)
            if not mask.any():
                return None

        def dimension(d: str) -> np.ndarray:
            return self._table.part(d, lo, hi)[mask]

        return days[first:last][mask], self._values[lo:hi][mask], dimension

    def _value(self, metric: str, plan: str, start: dt.date, end: dt.date,
               where: WhereKey = ()) -> float | None:
        """The metric's value for a plan over [start, end] (end capped at as-of)."""
        if metric in self._parsed:
            return formula.evaluate(self._parsed[metric],
                                    lambda m: self.value(m, plan, start, end, where))
        found = self._rows(plan, metric, day(start), day(end), where)
        if found is None:
            return None
        days, values, dimension = found
        agg = self.dictionary.aggregation(metric)
        if agg is Aggregation.SUM:
            return float(values.sum())
        if agg is Aggregation.LAST:
            # per series (one combination of dimension values): its latest row, then the sum
            series = np.zeros(len(values), np.int64)
            for d in self.dimensions:
                series = series * (len(self._dim_codes[d]) + 1) + dimension(d)
            _, first_from_end = np.unique(series[::-1], return_index=True)
            return float(values[::-1][first_from_end].sum())
        per_day = _per_day(days, values)[1]
        if agg is Aggregation.MEAN:
            return float(per_day.mean())
        return float(per_day.max() if agg is Aggregation.MAX else per_day.min())

    def latest_day(self, metric: str, plan: str, where: WhereKey = ()) -> dt.date | None:
        """The latest date on or before as-of with a row of the metric (or its inputs)."""
        latest: int | None = None
        for m in self.inputs(metric):
            found = self._rows(plan, m, -10**9, self._as_of_day, where)
            if found is not None:
                latest = max(latest or -10**9, int(found[0].max()))
        return None if latest is None else from_day(latest)

    def dimension_values(self, metric: str, plan: str, start: dt.date, end: dt.date,
                         where: WhereKey, dimension: str) -> list[str]:
        """The values of `dimension` ("" for rows without one) in a plan's rows of the
        metric (or its inputs) over the window matching `where`, sorted."""
        if dimension not in self._dim_names:
            return []
        codes: set[int] = set()
        for m in self.inputs(metric):
            found = self._rows(plan, m, day(start), day(end), where)
            if found is not None:
                codes.update(int(c) for c in np.unique(found[2](dimension)))
        return sorted(self._dim_names[dimension][c] for c in codes)

    def daily_points(self, metric: str, plan: str, start: dt.date, end: dt.date,
                     where: WhereKey = ()) -> tuple[np.ndarray, np.ndarray]:
        """(day numbers, values) of the days with rows in the window: daily sums, or each
        day's formula value (days where it has none left out)."""
        if metric in self._parsed:
            refs = sorted(formula.references(self._parsed[metric]))
            inputs = {r: dict(zip(*(a.tolist() for a in
                                    self.daily_points(r, plan, start, end, where)),
                                  strict=True)) for r in refs}
            days = sorted(set().union(*(d.keys() for d in inputs.values()))) if inputs else []
            out_days, out_values = [], []
            for d in days:
                value = formula.evaluate(self._parsed[metric],
                                         {r: v.get(d) for r, v in inputs.items()})
                if value is not None:
                    out_days.append(d)
                    out_values.append(value)
            return np.array(out_days, dtype=np.int64), np.array(out_values, dtype=float)
        found = self._rows(plan, metric, day(start), day(end), where)
        if found is None:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=float)
        return _per_day(found[0], found[1])

    def daily(self, metric: str, plan: str, start: dt.date, end: dt.date,
              where: WhereKey = ()) -> pd.Series:
        """Per-day values over the window: daily sums, or each day's formula value."""
        import pandas as pd  # for charts only: not loaded by `status`

        days, values = self.daily_points(metric, plan, start, end, where)
        return pd.Series(values, index=pd.Index([from_day(int(d)) for d in days], name="date"),
                         dtype=float)


def _per_day(days: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each distinct day with the sum of its values (days come sorted)."""
    unique_days, inverse = np.unique(days, return_inverse=True)
    return unique_days, np.bincount(inverse, weights=values, minlength=len(unique_days))
