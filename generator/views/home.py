"""The portfolio home's headline cards: counts and sums of the computed results, as words.

`figures()` counts what the cards show from the same results `status.json` is written
from (tests/test_home.py checks every figure against that document); `cards()` puts
them into words. Money is summed per currency, never across currencies.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from ..compute.results import GOAL_SEVERITY, GoalStatus, PlanStatus, PortfolioResult
from . import fmt
from .catalogue import label, status_label

# worst first: the order of a card's lines
PLAN_ORDER = [PlanStatus.MISSED, PlanStatus.OFF_TRACK, PlanStatus.AT_RISK, PlanStatus.NO_DATA,
              PlanStatus.ON_TRACK, PlanStatus.NOT_STARTED, PlanStatus.ACHIEVED, PlanStatus.DONE]
GOAL_ORDER = [*GOAL_SEVERITY, GoalStatus.NOT_STARTED]
RED_PLANS = frozenset({PlanStatus.MISSED, PlanStatus.OFF_TRACK})


@dataclass(frozen=True)
class Money:
    """One currency's budgets: total (declared, else planned), spent, forecast at completion,
    and the revenue of the lines that name a revenue metric."""

    currency: str
    total: float
    spent: float
    forecast: float
    revenue: float | None = None
    revenue_spent: float = 0.0  # what the lines with a revenue metric spent
    plans: int = 0

    @property
    def utilization(self) -> float | None:
        return self.spent / self.total if self.total else None

    @property
    def roi(self) -> float | None:
        """Revenue over what the lines that earn it spent (as a plan's ROI is)."""
        if self.revenue is None or not self.revenue_spent:
            return None
        return self.revenue / self.revenue_spent


@dataclass(frozen=True)
class LatePlan:
    plan_id: str
    title: str
    forecast_end: dt.date
    late_days: int


@dataclass(frozen=True)
class Figures:
    """Every number on the home page's cards."""

    plans: dict[str, int]  # plan status → plans
    goals: dict[str, int]  # top-level goal status → goals
    forecast_miss: int  # top-level goals forecast to miss their target
    money: list[Money]  # by currency
    critical_alerts: int
    critical_by_plan: dict[str, int]  # plan id → its critical alerts (only plans with some)
    overdue_issues: int
    overdue_milestones: int  # of `milestones:`
    overdue_milestone_tasks: int  # milestone tasks past their day
    late_plans: list[LatePlan]  # forecast to finish after their period, latest first

    @property
    def overdue(self) -> int:
        return self.overdue_issues + self.overdue_milestones + self.overdue_milestone_tasks


def figures(result: PortfolioResult) -> Figures:
    """The cards' numbers, from the portfolio's results."""
    plans = Counter(p.status.value for p in result.plans)
    goals = Counter(g.status.value for p in result.plans for g in p.goals)
    money: dict[str, Money] = {}
    for p in result.plans:
        if p.budget is not None:
            b = p.budget
            m = money.get(b.currency, Money(b.currency, 0.0, 0.0, 0.0))
            revenue = m.revenue if b.revenue is None else (m.revenue or 0.0) + b.revenue
            money[b.currency] = Money(b.currency, m.total + (b.total if b.total is not None
                                                              else b.planned),
                                      m.spent + b.spent, m.forecast + b.forecast, revenue,
                                      m.revenue_spent + sum(ln.spent for ln in b.lines
                                                            if ln.revenue is not None),
                                      m.plans + 1)
    critical = {p.id: p.critical_alerts for p in result.plans if p.critical_alerts}
    late = sorted((LatePlan(p.id, p.plan.title, p.forecast_end, p.late_days)
                   for p in result.plans if p.late_days > 0 and p.forecast_end is not None),
                  key=lambda x: -x.late_days)
    return Figures(
        plans=dict(plans), goals=dict(goals),
        forecast_miss=sum(g.forecast_miss for p in result.plans for g in p.goals),
        money=[money[c] for c in sorted(money)],
        critical_alerts=sum(critical.values()), critical_by_plan=critical,
        overdue_issues=sum(i.overdue for p in result.plans for i in p.issues),
        overdue_milestones=sum(m.overdue for p in result.plans for m in p.milestones),
        overdue_milestone_tasks=sum(t.overdue for p in result.plans for t in p.tasks),
        late_plans=late)


@dataclass(frozen=True)
class CardLine:
    text: str
    value: str
    code: str = ""  # a status code: a coloured mark before the line ("" none)
    link: str | None = None  # a page of the site, relative to the home page


@dataclass(frozen=True)
class Card:
    title: str
    figure: str
    code: str  # the card's colour: "critical" red, "warning" amber, "ok" calm
    lines: list[CardLine] = field(default_factory=list)
    note: str = ""  # what the figure counts
    wide: bool = False  # the full width on a phone (plan names, amounts, the odd card out)


def _tone(red: int, amber: int = 0) -> str:
    return "critical" if red else "warning" if amber else "ok"


def cards(f: Figures, result: PortfolioResult, lang: str) -> list[Card]:
    """The headline cards, most alarming questions first."""
    def L(key: str, **values: object) -> str:
        return label(key, lang, **values)

    titles = {p.id: p.plan.title for p in result.plans}
    out = [
        Card(L("card_critical"), str(f.critical_alerts), _tone(f.critical_alerts),
             [CardLine(titles[pid], str(n), "critical", f"plans/{pid}.md")
              for pid, n in f.critical_by_plan.items()], L("card_critical_note"), wide=True),
        Card(L("card_plans"), str(sum(f.plans.values())),
             _tone(sum(f.plans.get(s, 0) for s in RED_PLANS), f.plans.get("at_risk", 0)),
             [CardLine(status_label(s, lang), str(f.plans[s]), s)
              for s in PLAN_ORDER if f.plans.get(s)]),
        Card(L("card_goals"), str(sum(f.goals.values())),
             _tone(f.goals.get("missed", 0) + f.goals.get("off_track", 0),
                   f.goals.get("at_risk", 0) + f.forecast_miss),
             [*(CardLine(status_label(s, lang), str(f.goals[s]), s)
                for s in GOAL_ORDER if f.goals.get(s)),
              CardLine(L("forecast_miss"), str(f.forecast_miss),
                       "at_risk" if f.forecast_miss else "")]),
        Card(L("card_late"), str(len(f.late_plans)), _tone(len(f.late_plans)),
             [CardLine(x.title, f"{fmt.date(x.forecast_end)} · {L('late_by', days=x.late_days)}",
                       "delayed", f"plans/{x.plan_id}.md") for x in f.late_plans],
             L("card_late_note"), wide=True),
        Card(L("card_overdue"), str(f.overdue), _tone(f.overdue),
             [CardLine(L("overdue_issues"), str(f.overdue_issues),
                       "overdue" if f.overdue_issues else ""),
              CardLine(L("overdue_milestones"), str(f.overdue_milestones),
                       "overdue" if f.overdue_milestones else ""),
              CardLine(L("overdue_milestone_tasks"), str(f.overdue_milestone_tasks),
                       "overdue" if f.overdue_milestone_tasks else "")], wide=True),
    ]
    for m in f.money:
        over = m.forecast > m.total
        out.append(Card(L("card_budget", currency=m.currency), fmt.money(m.spent),
                        _tone(int(m.spent > m.total), int(over)),
                        [CardLine(L("total"), fmt.money(m.total)),
                         CardLine(L("spent"), f"{fmt.money(m.spent)} "
                                  f"({fmt.percent(m.spent / m.total if m.total else None)})"),
                         CardLine(L("forecast_at_completion"), fmt.money(m.forecast),
                                  "over" if over else "")],
                        L("card_budget_note"), wide=True))
    return out

