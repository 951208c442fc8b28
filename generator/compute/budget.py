"""Budget lines, reserve and draws, forecast, ROI and reallocation (computations §7)."""

from __future__ import annotations

import datetime as dt
import math

from ..metrics import MetricStore, where_key
from ..model import Budget, BudgetLine, Plan
from .goals import EPSILON, expected_to_date, ratio
from .results import BudgetLineResult, BudgetResult, BudgetStatus, Reallocation

HIGH_ROI = 1.2
LOW_ROI = 0.8
REALLOCATION_SHARE = 0.10


def line_status(spent: float, planned: float, forecast: float, alert: float) -> BudgetStatus:
    """overspent > over > at_risk > ok, as §7 orders them."""
    limit = planned * (1 + alert)
    if spent > limit + EPSILON * max(limit, 1):
        return BudgetStatus.OVERSPENT
    if spent > planned + EPSILON * max(planned, 1):
        return BudgetStatus.OVER
    if forecast > limit + EPSILON * max(limit, 1):
        return BudgetStatus.AT_RISK
    return BudgetStatus.OK


def round_to_hundred(amount: float) -> float:
    """Half-up rounding to a multiple of 100."""
    return math.floor(amount / 100 + 0.5) * 100


def spend_fraction(line: BudgetLine, plan: Plan, as_of: dt.date) -> float:
    """The share of the line's budget due by as-of: elapsed share of the plan period, or
    the phase shares when the line declares a `pace` (§7)."""
    return expected_to_date(1.0, plan.period.start, plan.period.end, as_of, line.pace,
                            plan.phases)


def evaluate_line(line: BudgetLine, budget: Budget, plan: Plan, plan_id: str,
                  store: MetricStore) -> BudgetLineResult:
    """One budget line's spend, burn, forecast, ROI and status."""
    start, end = plan.period.start, plan.period.end
    where = where_key(line.where)
    if line.spent is not None:
        spent = float(line.spent)
    elif line.cost_metric is not None:
        spent = store.value(line.cost_metric, plan_id, start, end, where) or 0.0
    else:
        spent = 0.0
    revenue = (store.value(line.revenue_metric, plan_id, start, end, where)
               if line.revenue_metric is not None else None)
    f = spend_fraction(line, plan, store.as_of)
    forecast = (ratio(spent, f) or 0.0) if f > 0 else spent
    roi = ratio(revenue, spent) if line.revenue_metric is not None else None
    status = line_status(spent, line.planned, forecast, budget.overspend_alert)
    return BudgetLineResult(line.id, line.name, line.planned, spent,
                            ratio(spent, line.planned), line.planned * f, forecast,
                            revenue, roi, status)


def reallocations(lines: list[BudgetLineResult]) -> list[Reallocation]:
    """Move 10% of what is left on lines with ROI ≤ 0.8× average to the best line ≥ 1.2×."""
    with_roi = [ln for ln in lines if ln.roi is not None and ln.revenue is not None]
    spent = sum(ln.spent for ln in with_roi)
    if not with_roi or spent <= 0:
        return []
    average = ratio(sum(ln.revenue or 0.0 for ln in with_roi), spent)
    if average is None:
        return []
    receivers = sorted((ln for ln in with_roi
                        if (ln.roi or 0.0) >= HIGH_ROI * average * (1 - EPSILON)),
                       key=lambda ln: -(ln.roi or 0.0))
    givers = sorted((ln for ln in with_roi
                     if (ln.roi or 0.0) <= LOW_ROI * average * (1 + EPSILON)),
                    key=lambda ln: ln.roi or 0.0)
    if not receivers or not givers:
        return []
    best = receivers[0]
    # 10% of what the giver has left (nothing, when it has already spent it all)
    return [Reallocation(giver=g.id, giver_name=g.name, giver_roi=g.roi or 0.0,
                         receiver=best.id, receiver_name=best.name,
                         receiver_roi=best.roi or 0.0, average_roi=average,
                         amount=round_to_hundred(REALLOCATION_SHARE * left), left=left)
            for g in givers for left in (max(g.planned - g.spent, 0.0),)]


def evaluate_budget(plan: Plan, plan_id: str, store: MetricStore) -> BudgetResult | None:
    """The plan's budget: totals of the lines, reserve, draws and overall status."""
    budget = plan.budget
    if budget is None:
        return None
    lines = [evaluate_line(ln, budget, plan, plan_id, store) for ln in budget.lines]
    planned = sum(ln.planned for ln in lines)
    spent = sum(ln.spent for ln in lines)
    total = budget.total
    reserve = (total if total is not None else planned) * budget.contingency
    drawn = sum(d.amount for d in budget.draws)
    reserve_left = reserve - drawn
    status = max((ln.status for ln in lines), key=lambda s: s.rank, default=BudgetStatus.OK)
    if reserve_left < 0:
        status = BudgetStatus.OVERSPENT
    revenues = [ln.revenue for ln in lines if ln.revenue is not None]
    revenue = sum(revenues) if revenues else None
    roi_spent = sum(ln.spent for ln in lines if ln.revenue is not None)
    return BudgetResult(
        currency=budget.currency, total=total, planned=planned, spent=spent,
        utilization=ratio(spent, planned), expected=sum(ln.expected for ln in lines),
        forecast=sum(ln.forecast for ln in lines), reserve=reserve, drawn=drawn,
        reserve_left=reserve_left,
        unallocated=(total - reserve - planned) if total is not None else None,
        revenue=revenue, roi=ratio(revenue, roi_spent), status=status, lines=lines,
        reallocations=reallocations(lines))
