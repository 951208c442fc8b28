"""Metric values over windows: the one place that owns the row engine.

The rows are sorted and split by (plan, metric) once; every value the
computations ask for is then a binary search for the window plus a mask for
the `where` filter on that small slice. Derived metrics evaluate their
formula on the values of their inputs over the same window and filter
(ratio of sums, never a mean of daily ratios).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
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


@dataclass(frozen=True)
class _Slice:
    days: np.ndarray  # sorted day numbers
    values: np.ndarray
    dims: pd.DataFrame  # dimension columns, same order


class MetricStore:
    """Values of metrics for plans over date windows, as of one date."""

    def __init__(self, rows: pd.DataFrame, dictionary: MetricDictionary, as_of: dt.date):
        self.dictionary = dictionary
        self.dimensions = dictionary.row_dimensions
        self.as_of = as_of
        self._as_of_day = day(as_of)
        days = rows["date"].to_numpy(dtype="datetime64[D]").astype(np.int64)
        keep = days <= self._as_of_day  # rows after as-of are facts of the future: ignored
        frame = pd.DataFrame({"plan": rows["plan"].to_numpy()[keep],
                              "metric": rows["metric"].to_numpy()[keep],
                              "day": days[keep],
                              "value": rows["value"].to_numpy(dtype=float)[keep]})
        for d in self.dimensions:
            frame[d] = rows[d].to_numpy()[keep] if d in rows.columns else ""
        frame = frame.sort_values(["plan", "metric", "day"], kind="stable", ignore_index=True)
        self._slices: dict[tuple[str, str], _Slice] = {}
        for (plan, metric), group in frame.groupby(["plan", "metric"], sort=False):
            self._slices[(str(plan), str(metric))] = _Slice(
                group["day"].to_numpy(), group["value"].to_numpy(),
                group[self.dimensions].reset_index(drop=True))
        self._parsed = {m: formula.parse(d.formula) for m, d in dictionary.metrics.items()
                        if d.formula is not None}
        self.value = lru_cache(maxsize=None)(self._value)  # type: ignore[method-assign]

    def inputs(self, metric: str) -> set[str]:
        """The stored metrics a metric is computed from (itself when stored)."""
        if metric not in self._parsed:
            return {metric}
        out: set[str] = set()
        for ref in formula.references(self._parsed[metric]):
            out |= self.inputs(ref)
        return out

    def is_sum(self, metric: str) -> bool:
        """True for stored flows that accumulate (aggregation `sum`)."""
        return metric not in self._parsed and self.dictionary.aggregation(metric) is Aggregation.SUM

    def _rows(self, plan: str, metric: str, a: int, b: int, where: WhereKey
              ) -> tuple[np.ndarray, np.ndarray, pd.DataFrame] | None:
        part = self._slices.get((plan, metric))
        if part is None:
            return None
        lo = int(np.searchsorted(part.days, a, side="left"))
        hi = int(np.searchsorted(part.days, min(b, self._as_of_day), side="right"))
        if hi <= lo:
            return None
        days, values, dims = part.days[lo:hi], part.values[lo:hi], part.dims.iloc[lo:hi]
        if where:
            mask = np.ones(hi - lo, dtype=bool)
            for dim, allowed in where:
                if dim not in dims.columns:
                    return None
                mask &= dims[dim].isin(allowed).to_numpy()
            if not mask.any():
                return None
            days, values, dims = days[mask], values[mask], dims[mask]
        return days, values, dims

    def _value(self, metric: str, plan: str, start: dt.date, end: dt.date,
               where: WhereKey = ()) -> float | None:
        """The metric's value for a plan over [start, end] (end capped at as-of)."""
        if metric in self._parsed:
            return formula.evaluate(self._parsed[metric],
                                    lambda m: self.value(m, plan, start, end, where))
        found = self._rows(plan, metric, day(start), day(end), where)
        if found is None:
            return None
        days, values, dims = found
        agg = self.dictionary.aggregation(metric)
        if agg is Aggregation.SUM:
            return float(values.sum())
        if agg is Aggregation.LAST:
            frame = dims.assign(_v=values)
            latest = frame.drop_duplicates(subset=self.dimensions, keep="last")
            return float(latest["_v"].sum())
        per_day = pd.Series(values).groupby(days).sum()
        return float({Aggregation.MEAN: per_day.mean, Aggregation.MAX: per_day.max,
                      Aggregation.MIN: per_day.min}[agg]())

    def latest_day(self, metric: str, plan: str, where: WhereKey = ()) -> dt.date | None:
        """The latest date on or before as-of with a row of the metric (or its inputs)."""
        latest: int | None = None
        for m in self.inputs(metric):
            found = self._rows(plan, m, -10**9, self._as_of_day, where)
            if found is not None:
                latest = max(latest or -10**9, int(found[0].max()))
        return None if latest is None else from_day(latest)

    def has_rows(self, plan: str, metric: str) -> bool:
        """Whether a plan has any row of the metric or of its inputs (any date)."""
        return any((plan, m) in self._slices for m in self.inputs(metric))

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
        days, values, _ = found
        per_day = pd.Series(values).groupby(days).sum()
        per_day.index = pd.Index([from_day(d) for d in per_day.index], name="date")
        return per_day
