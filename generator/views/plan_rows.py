"""The typed rows of a plan's page, report and terminal block: formatted strings only.

`views.plan.Formatter` fills them; templates print them (their fields are the contract
that tests/test_template_context.py checks).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from . import fmt


@dataclass(frozen=True)
class Badge:
    """A status shown as colour and words: `code` picks the colour, `label` is the text."""

    code: str
    label: str


@dataclass(frozen=True)
class ChartSize:
    """A chart's drawn size in CSS pixels (the page's `<img>` says it: no layout shift)."""

    width: int
    height: int


@dataclass(frozen=True)
class ChartLinks:
    """Where a plan's charts are, relative to the page that shows them (None: no chart)."""

    goals: Mapping[str, str] = field(default_factory=dict)  # goal id → its pace/level chart
    breakdowns: Mapping[str, str] = field(default_factory=dict)  # goal id → small multiples
    attainment: str | None = None
    gantt: str | None = None
    burn: str | None = None
    roi: str | None = None
    risks: str | None = None
    history: str | None = None
    narrow: Mapping[str, str] = field(default_factory=dict)  # link → its phone layout
    sizes: Mapping[str, ChartSize] = field(default_factory=dict)  # link → drawn size


@dataclass(frozen=True)
class Figure:
    """A chart as the page shows it: its file, a narrow one for phones, its size, and a
    text alternative that carries its figures."""

    src: str
    alt: str
    width: int | None = None
    height: int | None = None
    narrow: str | None = None
    narrow_width: int | None = None
    narrow_height: int | None = None


@dataclass(frozen=True)
class Card:
    """One figure of the plan page's header: a label, the value, what explains it."""

    label: str
    value: str
    note: str
    badge: Badge | None = None


@dataclass(frozen=True)
class GoalRow:
    id: str
    name: str
    owner: str
    metric: str
    window: str
    target: str
    actual: str
    attainment: str
    expected: str
    pace: str
    status: Badge
    is_child: bool
    chart: str | None = None
    breakdown_chart: str | None = None
    children: list[GoalRow] = field(default_factory=list)
    analysis: str | None = None
    suggestion: str | None = None
    # the forecast at the due date: value, 80% range, forecast attainment ("—" when none)
    forecast: str = fmt.DASH
    forecast_range: str = fmt.DASH
    forecast_attainment: str = fmt.DASH
    forecast_miss: bool = False
    has_forecast: bool = False
    # re-baselining: "目标于 10-05 由 X 调整为 Y", oldest first
    rebaselines: list[str] = field(default_factory=list)
    # achieved only against a lowered target: the original one is not reached
    lowered: bool = False
    figure: Figure | None = None
    breakdown_figure: Figure | None = None
    strategy: str | None = None  # how the goal is to be reached, as written


@dataclass(frozen=True)
class TaskRow:
    id: str
    name: str
    owner: str
    approver: str
    phase: str
    start: str
    end: str
    actual_end: str
    progress: str
    depends_on: str
    slip: str
    float: str
    critical: bool
    status: Badge
    milestone: bool
    planned: str = fmt.DASH  # planned dates, `08-01 ~ 08-07`
    forecast: str = fmt.DASH  # forecast dates of unfinished work, `12-08 ~ 12-17`
    forecast_late: bool = False  # forecast to end after its planned end
    finish: str = fmt.DASH  # `✓ 08-14` when finished, else the forecast dates
    overdue: Badge | None = None  # a milestone task past its day, not done: 逾期 N 天
    rebaselined: bool = False  # its planned dates were changed (see the plan's notes)
    priority: Badge | None = None  # shown when not the default (medium)
    strategy: str = fmt.DASH  # `S1 name`
    support: str = fmt.DASH  # supporting teams
    deliverables: list[str] = field(default_factory=list)
    blocked_reason: str | None = None


@dataclass(frozen=True)
class LineRow:
    id: str
    name: str
    planned: str
    spent: str
    utilization: str
    expected: str
    forecast: str
    roi: str
    status: Badge


@dataclass(frozen=True)
class DrawRow:
    date: str
    amount: str
    reason: str
    paid_for: str = fmt.DASH  # the risk or issue it paid for: `R2 description`


@dataclass(frozen=True)
class BudgetView:
    currency: str
    total: str
    planned: str
    spent: str
    utilization: str
    forecast: str
    reserve: str
    reserve_left: str
    unallocated: str
    roi: str
    status: Badge
    lines: list[LineRow]
    draws: list[DrawRow]
    reallocations: list[str]
    burn_chart: str | None
    roi_chart: str | None
    # why "overspent" can stand beside a utilization under 100%: reserve draws beyond it
    overspent_note: str | None = None
    burn_figure: Figure | None = None
    roi_figure: Figure | None = None


@dataclass(frozen=True)
class RiskRow:
    id: str
    description: str
    probability: str
    impact: str
    score: str
    level: Badge
    mitigation: str
    owner: str
    status: Badge
    draws: str = fmt.DASH  # the reserve draws against it: `2026-08-01 50,000`


@dataclass(frozen=True)
class IssueRow:
    id: str
    date: str
    description: str
    impact: str
    effect: str
    owner: str
    action: str
    due: str
    resolved: str
    overdue: bool
    status: Badge
    draws: str = fmt.DASH


@dataclass(frozen=True)
class AlertRow:
    plan_id: str
    plan_title: str
    severity: Badge
    code: str
    subject: str
    message: str
    action: str
    muted: str = ""  # "acknowledged until …" while an ack of the plan mutes it


@dataclass(frozen=True)
class RetroRow:
    stage: str
    successes: str
    shortfalls: str
    root_cause: str
    actions: str
    owner: str
    due: str
    goals: list[str] = field(default_factory=list)  # cited goals with their figures


@dataclass(frozen=True)
class TrendRow:
    metric: str
    current: str
    previous: str
    mom: str
    year_ago: str
    yoy: str


@dataclass(frozen=True)
class StrategyRow:
    id: str
    name: str
    goals: str
    owner: str


@dataclass(frozen=True)
class ChangeRow:
    date: str
    author: str
    message: str
    commit: str
    changes: list[str]


@dataclass(frozen=True)
class KeyResultRow:
    id: str
    name: str
    status: Badge
    attainment: str
    lowered: bool = False  # achieved only against a lowered target


@dataclass(frozen=True)
class ObjectiveRow:
    """An objective (OKR) with its key results; the score is an OKR grade, 0.00–1.00."""

    id: str
    name: str
    score: str
    status: Badge
    key_results: list[KeyResultRow]


@dataclass(frozen=True)
class MilestoneRow:
    id: str
    name: str
    date: str
    done: str
    status: Badge  # done, done late, overdue (逾期 N 天) or pending
    overdue: bool


@dataclass(frozen=True)
class NoteRow:
    """A note about one goal or task: `G1 新增注册用户20万` and what happened to it."""

    id: str
    name: str
    text: str


@dataclass(frozen=True)
class PlanView:
    id: str
    title: str
    heading: str  # the title as a report prints it (cut, the cut labelled)
    running_title: str  # the title in a report's running header (cut shorter)
    owner: str
    type: str
    period: str
    as_of: str
    description: str
    tags: str
    status: Badge
    health: str
    phase_now: str
    elapsed: str
    forecast_end: str
    goals_achieved: str
    alert_count: int
    goals: list[GoalRow]
    tasks: list[TaskRow]
    late_tasks: list[TaskRow]  # 延期与风险任务
    delayed_tasks: list[TaskRow]  # 延期: finished late or still open past the end
    budget: BudgetView | None
    risks: list[RiskRow]  # in file order
    risks_by_score: list[RiskRow]
    issues: list[IssueRow]
    open_issues: list[IssueRow]
    alerts: list[AlertRow]
    retro: list[RetroRow]
    trends: list[TrendRow]
    attainment_chart: str | None
    gantt_chart: str | None
    risk_chart: str | None
    history_chart: str | None
    report: str | None
    strategies: list[StrategyRow]
    changelog: list[ChangeRow]
    late: str | None = None  # 晚 N 天: the forecast end passes the period end
    period_end: str = fmt.DASH
    driving_chain: list[str] = field(default_factory=list)  # "M-10 name", first to last
    objectives: list[ObjectiveRow] = field(default_factory=list)
    milestones: list[MilestoneRow] = field(default_factory=list)
    goal_rebaselines: list[NoteRow] = field(default_factory=list)  # G1: 目标于 …
    task_rebaselines: list[NoteRow] = field(default_factory=list)  # M-09: 计划日期于 …
    lowered_goals: list[NoteRow] = field(default_factory=list)  # achieved when lowered only
    language: str = "zh"  # the page's language: the plan's, else the site's
    # the page's labels in its language (templates call `L`; a plan page rebinds it to this)
    # the page's words, as the site's own `L` (key, then any values)
    L: Callable[..., str] = field(default=lambda key, **_: key, repr=False, compare=False)
    cards: list[Card] = field(default_factory=list)  # the header: status, health, …
    health_note: str = ""  # what health is, and why it can pass 100%
    attainment_figure: Figure | None = None
    gantt_figure: Figure | None = None
    risk_figure: Figure | None = None
    history_figure: Figure | None = None
