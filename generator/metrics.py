"""Metric values over windows: the one place that owns the row engine.

The rows are sorted and split by (plan, metric) once; every value the
computations ask for is then a binary search for the window plus a mask for
the `where` filter on that small slice. Derived metrics evaluate their
formula on the values of their inputs over the same window and filter
(ratio of sums, never a mean of daily ratios).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping
from functools import lru_cache

import numpy as np
import pandas as pd

from . import formula
from .model import Aggregation, MetricDictionary

WhereKey = tuple[tuple[str, tuple[str, ...]], ...]


def where_key(where: Mapping[str, str | list[str]] | None) -> WhereKey:
    """A hashable, order-free form of a `where` filter."""
    if not where:
        return ()
    return tuple(sorted((k, tuple(sorted([v] if isinstance(v, str) else map(str, v))))
                        for k, v in where.items()))


def day(d: dt.date) -> int:
    """A date as a day number, the unit the engine compares in."""
    return int(np.datetime64(d, "D").astype(np.int64))


def from_day(n: int) -> dt.date:
    return dt.date(1970, 1, 1) + dt.timedelta(days=int(n))


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


def _codes(column: pd.Series) -> tuple[np.ndarray, list[str]]:
    """Integer codes and their names for a text column (categorical or not)."""
    cat = column if isinstance(column.dtype, pd.CategoricalDtype) else column.astype("category")
    return cat.cat.codes.to_numpy(dtype=np.int64), [str(c) for c in cat.cat.categories]


class MetricStore:
    """Values of metrics for plans over date windows, as of one date.

    Rows are kept as parallel NumPy arrays sorted by (plan, metric, day); text
    columns are integer codes. A (plan, metric) pair is a contiguous slice.
    """

    def __init__(self, rows: pd.DataFrame, dictionary: MetricDictionary, as_of: dt.date):
        self.dictionary = dictionary
        self.dimensions = dictionary.row_dimensions
        self.as_of = as_of
        self._as_of_day = day(as_of)
        days = rows["date"].to_numpy(dtype="datetime64[D]").astype(np.int64)
        keep = np.flatnonzero(days <= self._as_of_day)  # later rows are facts of the future
        plan, plan_names = _codes(rows["plan"])
        metric, metric_names = _codes(rows["metric"])
        # one packed integer key and one sort: (plan, metric, day) order (ties are rows of
        # one day in different series, whose order no aggregation depends on)
        n_metrics, first_day = len(metric_names) + 1, int(days.min()) if len(days) else 0
        span = int(days.max()) - first_day + 1 if len(days) else 1
        packed = (plan[keep] * n_metrics + metric[keep]) * span + (days[keep] - first_day)
        order = keep[np.argsort(packed)]
        self._days = days[order]
        self._values = rows["value"].to_numpy(dtype=float)[order]
        self._dims: dict[str, np.ndarray] = {}
        self._dim_codes: dict[str, dict[str, int]] = {}
        self._dim_names: dict[str, list[str]] = {}
        for d in self.dimensions:
            if d in rows.columns:
                codes, names = _codes(rows[d])
            else:
                codes, names = np.zeros(len(rows), np.int64), [""]
            self._dims[d] = codes[order]
            self._dim_codes[d] = {n: i for i, n in enumerate(names)}
            self._dim_names[d] = names
        pair = plan[order] * (len(metric_names) + 1) + metric[order]
        cuts = np.flatnonzero(np.diff(pair)) + 1
        starts = np.concatenate([[0], cuts]) if len(pair) else np.zeros(0, np.int64)
        ends = np.concatenate([cuts, [len(pair)]]) if len(pair) else np.zeros(0, np.int64)
        p_sorted, m_sorted = plan[order], metric[order]
        self._slices: dict[tuple[str, str], tuple[int, int]] = {
            (plan_names[p_sorted[a]], metric_names[m_sorted[a]]): (int(a), int(b))
            for a, b in zip(starts, ends, strict=True)}
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
            h.update(self._days[lo:hi].tobytes())
            h.update(self._values[lo:hi].tobytes())
            for d in self.dimensions:  # by value, so other plans' data cannot change it
                used, local = np.unique(self._dims[d][lo:hi], return_inverse=True)
                h.update(local.astype(np.int32).tobytes())
                h.update("\x00".join(self._dim_names[d][c] for c in used).encode())
        return h.digest()

    def inputs(self, metric: str) -> set[str]:
        """The stored metrics a metric is computed from (itself when stored)."""
        return stored_inputs(metric, self.dictionary)

    def is_sum(self, metric: str) -> bool:
        """True for stored flows that accumulate (aggregation `sum`)."""
        return metric not in self._parsed and self.dictionary.aggregation(metric) is Aggregation.SUM

    def _rows(self, plan: str, metric: str, a: int, b: int, where: WhereKey
              ) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
        """(days, values, row indices) of a plan's metric in [a, b] matching `where`."""
        found = self._slices.get((plan, metric))
        if found is None:
            return None
        lo, hi = found
        days = self._days[lo:hi]
        lo2 = lo + int(np.searchsorted(days, a, side="left"))
        hi2 = lo + int(np.searchsorted(days, min(b, self._as_of_day), side="right"))
        if hi2 <= lo2:
            return None
        index = np.arange(lo2, hi2)
        if where:
            mask = np.ones(hi2 - lo2, dtype=bool)
            for dim, allowed in where:
                codes = self._dim_codes.get(dim)
                if codes is None:
                    return None
                wanted = [codes[v] for v in allowed if v in codes]
                mask &= np.isin(self._dims[dim][lo2:hi2], wanted)
            if not mask.any():
                return None
            index = index[mask]
        return self._days[index], self._values[index], index

    def _value(self, metric: str, plan: str, start: dt.date, end: dt.date,
               where: WhereKey = ()) -> float | None:
        """The metric's value for a plan over [start, end] (end capped at as-of)."""
        if metric in self._parsed:
            return formula.evaluate(self._parsed[metric],
                                    lambda m: self.value(m, plan, start, end, where))
        found = self._rows(plan, metric, day(start), day(end), where)
        if found is None:
            return None
        days, values, index = found
        agg = self.dictionary.aggregation(metric)
        if agg is Aggregation.SUM:
            return float(values.sum())
        if agg is Aggregation.LAST:
            # per series (one combination of dimension values): its latest row, then the sum
            series = np.zeros(len(index), np.int64)
            for d in self.dimensions:
                series = series * (len(self._dim_codes[d]) + 1) + self._dims[d][index]
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

    def daily(self, metric: str, plan: str, start: dt.date, end: dt.date,
              where: WhereKey = ()) -> pd.Series:
        """Per-day values over the window: daily sums, or each day's formula value."""
        if metric in self._parsed:
            refs = sorted(formula.references(self._parsed[metric]))
            series = {r: self.daily(r, plan, start, end, where) for r in refs}
            index = sorted(set().union(*(s.index for s in series.values()))) if series else []
            out = [formula.evaluate(self._parsed[metric],
                                    {r: (float(s[i]) if i in s.index else None)
                                     for r, s in series.items()}) for i in index]
            return pd.Series(out, index=pd.Index(index, name="date"), dtype=float)
        found = self._rows(plan, metric, day(start), day(end), where)
        if found is None:
            return pd.Series(dtype=float, index=pd.Index([], name="date"))
        unique_days, sums = _per_day(found[0], found[1])
        return pd.Series(sums, index=pd.Index([from_day(d) for d in unique_days], name="date"))


def _per_day(days: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each distinct day with the sum of its values (days come sorted)."""
    unique_days, inverse = np.unique(days, return_inverse=True)
    return unique_days, np.bincount(inverse, weights=values, minlength=len(unique_days))
