"""Spend, revenue and ROI by the value of a dimension (channel, region…) across plans.

Every budget line whose spend comes from a cost metric is split by the values the
dimension takes in the line's rows (its own `where` still applies): spend is the cost
metric, revenue the line's revenue metric, ROI the ratio of the sums (never a mean of
ratios). Amounts add up per value and currency, never across currencies. Rows with no
value for the dimension form their own value, "" (unassigned), so that a dimension's
values add up to the budgets' metric spend. Lines whose spend is typed by hand have no
rows to split and are left out.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from ..metrics import MetricStore, WhereKey, where_key
from ..model import BudgetLine
from .goals import ratio
from .results import GoalResult, PlanResult, PortfolioResult

UNASSIGNED = ""


@dataclass(frozen=True)
class ValueMoney:
    """One value's spend and revenue in one currency."""

    currency: str
    spend: float
    revenue: float | None  # None: no line with a revenue metric had rows for it
    roi: float | None  # revenue / spend


@dataclass(frozen=True)
class GoalRef:
    """A goal (or break-down child) whose `where` names the value."""

    plan_id: str
    goal: GoalResult


@dataclass(frozen=True)
class DimensionValue:
    value: str  # UNASSIGNED for rows without a value
    money: tuple[ValueMoney, ...]  # one per currency, sorted by currency
    plans: tuple[str, ...]  # plans spending on it or naming it in a `where`, in plan order
    goals: tuple[GoalRef, ...]


@dataclass(frozen=True)
class DimensionResult:
    dimension: str
    values: tuple[DimensionValue, ...]  # the most spend first, unassigned last


def _narrow(base: WhereKey, dimension: str, value: str) -> WhereKey:
    """A line's filter with the dimension fixed to one value."""
    return where_key({**{k: list(v) for k, v in base}, dimension: value})


def _line_values(line: BudgetLine, p: PlanResult, store: MetricStore, dimension: str
                 ) -> dict[str, tuple[float | None, float | None]]:
    """(spend, revenue) of one budget line for every value of the dimension in its rows."""
    assert line.cost_metric is not None
    start, end = p.plan.period.start, p.plan.period.end
    base = where_key(line.where)
    metrics = [m for m in (line.cost_metric, line.revenue_metric) if m is not None]
    values = sorted({v for m in metrics
                     for v in store.dimension_values(m, p.id, start, end, base, dimension)})
    out = {}
    for v in values:
        where = _narrow(base, dimension, v)
        cost = store.value(line.cost_metric, p.id, start, end, where)
        revenue = (store.value(line.revenue_metric, p.id, start, end, where)
                   if line.revenue_metric is not None else None)
        if cost is not None or revenue is not None:
            out[v] = (cost, revenue)
    return out


def _named(where: dict[str, str | list[str]] | None, dimension: str) -> tuple[str, ...]:
    """The values of the dimension a `where` filter names."""
    return dict(where_key(where)).get(dimension, ())


def by_dimension(result: PortfolioResult, store: MetricStore, dimension: str
                 ) -> DimensionResult:
    """Every value of one dimension with its money, plans and goals."""
    spend: dict[tuple[str, str], float] = defaultdict(float)
    revenue: dict[tuple[str, str], float] = {}
    plans: dict[str, set[str]] = defaultdict(set)
    goals: dict[str, list[GoalRef]] = defaultdict(list)
    for p in result.plans:
        budget = p.plan.budget
        for line in budget.lines if budget is not None else []:
            assert budget is not None
            for v in _named(line.where, dimension):
                plans[v].add(p.id)
            if line.cost_metric is None or line.spent is not None:
                continue
            for v, (cost, rev) in _line_values(line, p, store, dimension).items():
                key = (v, budget.currency)
                spend[key] += cost or 0.0
                if rev is not None:
                    revenue[key] = revenue.get(key, 0.0) + rev
                plans[v].add(p.id)
        for g in p.goals:
            for v in _named(g.goal.where, dimension):
                goals[v].append(GoalRef(p.id, g))
                plans[v].add(p.id)
            if g.goal.breakdown is not None and g.goal.breakdown.by == dimension:
                for child in g.children:
                    if child.dimension_value is not None:
                        goals[child.dimension_value].append(GoalRef(p.id, child))
                        plans[child.dimension_value].add(p.id)
    order = {p.id: n for n, p in enumerate(result.plans)}
    values = []
    for v in set(plans) | {v for v, _ in spend}:
        money = tuple(ValueMoney(c, spend[(v, c)], revenue.get((v, c)),
                                 ratio(revenue.get((v, c)), spend[(v, c)]))
                      for c in sorted(c for w, c in spend if w == v))
        values.append(DimensionValue(v, money, tuple(sorted(plans[v], key=order.__getitem__)),
                                     tuple(goals[v])))
    values.sort(key=lambda d: (d.value == UNASSIGNED,
                               -(d.money[0].spend if d.money else -1.0), d.value))
    return DimensionResult(dimension, tuple(values))


def all_dimensions(result: PortfolioResult, store: MetricStore) -> list[DimensionResult]:
    """The cross-plan view of every declared dimension that any plan's rows or filters use."""
    found = [by_dimension(result, store, d) for d in store.dimensions]
    return [d for d in found if any(v.value != UNASSIGNED for v in d.values)]
