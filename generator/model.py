"""The typed plan and metric dictionary, as written by users.

Pydantic checks shapes and types (with `extra="forbid"` so a typo such as
`ownr:` is an error); cross-references and other rules live in `validate`.
Descriptions double as the JSON Schema text for editors.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import re
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    RootModel,
    StrictBool,
    StringConstraints,
    WithJsonSchema,
)
from pydantic_core import PydanticCustomError

from .languages import DEFAULT_LANGUAGE, languages

# the columns of a metric file that are never a metric or a dimension of one's own
FIXED_COLUMNS = frozenset({"date", "plan", "metric", "value", "source", "note"})
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
FIRST_DAY, LAST_DAY = dt.date(1900, 1, 1), dt.date(2999, 12, 31)  # dates a plan may name


def _iso_date(value: object) -> object:
    """Only YYYY-MM-DD text (or a date): no timestamps, no times, no numbers."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str) and _ISO_DATE.fullmatch(value.strip()):
        try:
            day = dt.date.fromisoformat(value.strip())
        except ValueError as e:
            raise PydanticCustomError("no_such_date", "no such date: {reason}",
                                      {"reason": str(e)}) from None
        if not FIRST_DAY <= day <= LAST_DAY:  # far dates overflow the day arithmetic
            raise PydanticCustomError("date_range", "a date from {first} to {last}",
                                      {"first": str(FIRST_DAY), "last": str(LAST_DAY)})
        return day
    raise PydanticCustomError("iso_date", "expected a date YYYY-MM-DD")


Date = Annotated[dt.date, BeforeValidator(_iso_date)]
SLUG = re.compile(r"[a-z0-9][a-z0-9._-]*")
Slug = Annotated[str, StringConstraints(pattern=f"^{SLUG.pattern}$")]
METRIC_ID_PATTERN = r"^[A-Za-z_][A-Za-z0-9_]*$"
MetricId = Annotated[str, StringConstraints(pattern=METRIC_ID_PATTERN)]
# a quadrillion: beyond any budget or count, so that sums and ratios of figures stay finite
MAX_MAGNITUDE = 1e15
Amount = Annotated[float, Field(ge=0, le=MAX_MAGNITUDE, allow_inf_nan=False)]
Number = Annotated[float, Field(ge=-MAX_MAGNITUDE, le=MAX_MAGNITUDE, allow_inf_nan=False)]
Where = dict[str, str | list[str]]


def _known_language(value: str) -> str:
    if value not in languages():
        raise PydanticCustomError("language", "expected a language of the product: {known}",
                                  {"known": ", ".join(languages())})
    return value


# a language code with a catalogue file (zh, en, and any added in generator/locales/)
Language = Annotated[str, AfterValidator(_known_language),
                     WithJsonSchema({"type": "string", "enum": list(languages())})]


class Strict(BaseModel):
    """Base of every model: unknown keys are errors, values are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True, coerce_numbers_to_str=True,
                              allow_inf_nan=False)


class PlanType(enum.StrEnum):
    CAMPAIGN = "campaign"
    STRATEGY = "strategy"
    ANNUAL = "annual"
    REGIONAL = "regional"
    ACTIVATION = "activation"
    OTHER = "other"


class Level(enum.StrEnum):
    """low / medium / high, for risk probability and impact and issue impact."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"

    @property
    def score(self) -> int:
        return {"low": 1, "medium": 2, "high": 3}[self.value]


class Priority(enum.StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


class Period(Strict):
    start: Date = Field(description="First day (YYYY-MM-DD) / 开始日期")
    end: Date = Field(description="Last day, inclusive / 结束日期")


class Phase(Strict):
    id: str = Field(description="Phase id / 阶段编号")
    name: str = Field(description="Phase name, e.g. 预热期 / 阶段名称")
    start: Date
    end: Date


class Milestone(Strict):
    id: str
    name: str
    date: Date = Field(description="Planned date / 计划日期")
    done: Date | None = Field(None, description="Date reached / 实际完成日期")


class Objective(Strict):
    id: str
    name: str = Field(description="Objective (O of an OKR) / 目标 O")
    goals: list[str] = Field(default_factory=list, description="Key results (goal ids)")


class Breakdown(Strict):
    by: str = Field(description="Dimension to break the target down by / 拆解维度")
    targets: dict[str, Number] = Field(description="Target per dimension value / 各维度目标")


class Thresholds(Strict):
    on_track: Number = Field(0.95, description="Pace ratio for 正常 (on track)")
    off_track: Number = Field(0.80, description="Below this pace ratio: 落后 (off track)")


class Goal(Strict):
    model_config = ConfigDict(json_schema_extra={"oneOf": [  # as validate checks them
        {"required": ["target"], "not": {"anyOf": [{"required": ["baseline"]},
                                                  {"required": ["change"]}]}},
        {"required": ["baseline", "change"], "not": {"required": ["target"]}},
        {"required": ["baseline", "target"], "not": {"required": ["change"]}}]})

    id: str
    name: str = Field(description="Goal name / 目标名称")
    owner: str = Field(description="Owner / 负责人")
    metric: MetricId = Field(description="Metric id from data/metrics.yaml / 指标")
    target: Number | None = Field(None, description="Absolute target / 目标值")
    baseline: Number | None = Field(None, description="Baseline of a relative goal / 基线值")
    change: Number | None = Field(None, description="Relative change, 0.3 = +30% / 提升幅度")
    start: Date | None = Field(None, description="Window start (default period.start)")
    due: Date | None = Field(None, description="Window end (default period.end) / 截止日期")
    where: Where | None = Field(None, description="Row filter: dimension → value(s)")
    breakdown: Breakdown | None = Field(None, description="Break-down / 目标拆解")
    pace: dict[str, Number] | None = Field(None, description="Phase id → share of target")
    thresholds: Thresholds = Thresholds()
    weight: Annotated[float, Field(gt=0, le=MAX_MAGNITUDE, allow_inf_nan=False)] = 1.0
    category: str | None = None
    strategy: str | None = None
    notes: str | None = None
    source: str | None = None
    analysis: str | None = Field(None, description="异常分析 / analysis of deviation")
    suggestion: str | None = Field(None, description="改进建议 / suggestion")


    def target_and_baseline(self) -> tuple[float | None, float | None]:
        """(target, baseline): a relative goal's target is baseline × (1 + change)."""
        if self.baseline is not None:
            if self.target is not None:
                return self.target, self.baseline
            if self.change is not None:
                return self.baseline * (1 + self.change), self.baseline
        return self.target, None


class Strategy(Strict):
    id: str
    name: str
    goals: list[str] = Field(default_factory=list)
    priority: str | None = Field(None, description="core / support ...")
    owner: str | None = None
    description: str | None = None


class ManualTaskStatus(enum.StrEnum):
    BLOCKED = "blocked"
    CANCELLED = "cancelled"


class Task(Strict):
    id: str
    name: str
    owner: str = Field(description="Exactly one owner (R1) / 单一责任人",
                       json_schema_extra={"minLength": 1, "pattern": r"\S"})
    start: Date
    end: Date
    description: str | None = None
    approver: str | None = Field(None, description="Approver (R2) / 审批人")
    support: list[str] = Field(default_factory=list, description="Supporting teams / 协作部门")
    actual_start: Date | None = None
    actual_end: Date | None = Field(None, description="Set when finished / 实际完成")
    progress: Number | None = Field(None, description="0-100 percent / 进度",
                                    json_schema_extra={"minimum": 0, "maximum": 100})
    depends_on: list[str] = Field(default_factory=list, description="Predecessor task ids")
    phase: str | None = None
    strategy: str | None = None
    status: ManualTaskStatus | None = None
    blocked_reason: str | None = None
    priority: Priority = Priority.MEDIUM
    milestone: StrictBool = False
    deliverables: list[str] = Field(default_factory=list)


class BudgetLine(Strict):
    model_config = ConfigDict(json_schema_extra={"oneOf": [
        {"required": ["spent"], "not": {"required": ["cost_metric"]}},
        {"required": ["cost_metric"], "not": {"required": ["spent"]}}]})

    id: str
    name: str
    planned: Amount
    spent: Amount | None = Field(None, description="Spend typed in by hand")
    cost_metric: MetricId | None = Field(None, description="Metric whose sum is the spend")
    where: Where | None = None
    revenue_metric: MetricId | None = Field(None, description="Metric for ROI")
    pace: dict[str, Number] | None = Field(
        None, description="Phase id → share of the line's budget (default: linear)")


class Draw(Strict):
    date: Date
    amount: Amount
    reason: str | None = None
    risk: str | None = None
    issue: str | None = None


class Budget(Strict):
    currency: str = "CNY"
    total: Amount | None = None
    contingency: Annotated[float, Field(ge=0, le=1)] = Field(
        0.0, description="Share of total kept as reserve / 应急预算比例")
    overspend_alert: Annotated[float, Field(ge=0)] = Field(
        0.08, description="Overspend alert line / 超支预警线")
    lines: list[BudgetLine] = Field(default_factory=list)
    draws: list[Draw] = Field(default_factory=list)


class RiskStatus(enum.StrEnum):
    OPEN = "open"
    OCCURRED = "occurred"
    CLOSED = "closed"


class Risk(Strict):
    id: str
    description: str
    probability: Level
    impact: Level
    mitigation: str | None = None
    owner: str | None = None
    status: RiskStatus = RiskStatus.OPEN


    @property
    def unmitigated(self) -> bool:
        """Open, high in probability and impact, with no mitigation written (the alert
        `risk_unmitigated` and the validation warning both ask this)."""
        return (self.status is RiskStatus.OPEN and self.probability is Level.HIGH
                and self.impact is Level.HIGH and not (self.mitigation or "").strip())


class PlanIssue(Strict):
    id: str
    date: Date
    description: str
    phase: str | None = None
    task: str | None = None
    impact: Level = Level.MEDIUM
    effect: str | None = None
    owner: str | None = None
    action: str | None = None
    due: Date | None = None
    resolved: Date | None = None


# every built-in alert code (a custom rule's is `rule_<rule>`), as acks name them
BUILT_IN_ALERTS = ("goal_at_risk", "goal_off_track", "goal_forecast_miss", "plan_late",
                   "milestone_overdue", "task_delayed", "task_at_risk", "budget_over",
                   "budget_overspent", "budget_reallocation", "issue_overdue",
                   "risk_unmitigated", "data_stale")


class AlertSeverity(enum.StrEnum):
    INFO = "info"
    WARNING = "warning"
    CRITICAL = "critical"

    @property
    def rank(self) -> int:
        return {"info": 0, "warning": 1, "critical": 2}[self.value]


class AlertRule(Strict):
    model_config = ConfigDict(json_schema_extra={"allOf": [
        {"if": {"properties": {"rule": {"enum": ["below", "above"]}}, "required": ["rule"]},
         "then": {"required": ["value"]}},
        {"if": {"properties": {"rule": {"enum": ["rising", "falling"]}}, "required": ["rule"]},
         "then": {"required": ["by"]}}]})

    id: str
    rule: Literal["below", "above", "rising", "falling"]
    metric: MetricId
    value: Number | None = Field(None, description="Threshold for below / above")
    window: Annotated[int, Field(ge=1)] = Field(7, description="Days, for below / above")
    by: Annotated[float, Field(ge=0)] | None = Field(None, description="Change, 0.2 = 20%")
    periods: Annotated[int, Field(ge=1)] = 1
    period: Literal["week", "month"] = "month"
    where: Where | None = None
    action: str | None = None
    severity: AlertSeverity = AlertSeverity.WARNING


class Ack(Strict):
    """An alert acknowledged: muted in digests and shown muted on the site until a date."""

    alert: str = Field(description="The alert's code, e.g. goal_at_risk / 预警代码")
    subject: str = Field(description="What it is about: a goal, task, line … id / 对象")
    until: Date = Field(description="Muted up to and including this day / 静默至")
    by: str = Field(description="Who acknowledged it / 确认人",
                    json_schema_extra={"minLength": 1, "pattern": r"\S"})
    reason: str | None = Field(None, description="Why / 原因")


class Retro(Strict):
    stage: str | None = None
    successes: str | None = None
    shortfalls: str | None = None
    root_cause: str | None = None
    actions: str | None = None
    owner: str | None = None
    due: Date | None = None
    goals: list[str] = Field(default_factory=list)


class Plan(Strict):
    """One marketing plan file (`plans/*.yaml`)."""
    model_config = ConfigDict(json_schema_extra={"anyOf": [  # at least one goal or task
        {"required": ["goals"], "properties": {"goals": {"minItems": 1}}},
        {"required": ["tasks"], "properties": {"tasks": {"minItems": 1}}}]})


    schema_version: int | None = Field(
        None, ge=1, description="Format version of this file (mxt init writes the current one)")
    id: Slug | None = Field(None, description="Plan id (default: file stem)")
    title: str = Field(description="Plan title / 计划名称")
    type: PlanType = PlanType.CAMPAIGN
    owner: str = Field(description="Accountable person or team / 负责人")
    period: Period
    description: str | None = None
    tags: list[str] = Field(default_factory=list)
    language: Language | None = None
    phases: list[Phase] = Field(default_factory=list)
    milestones: list[Milestone] = Field(default_factory=list)
    objectives: list[Objective] = Field(default_factory=list)
    goals: list[Goal] = Field(default_factory=list)
    strategies: list[Strategy] = Field(default_factory=list)
    tasks: list[Task] = Field(default_factory=list)
    budget: Budget | None = None
    risks: list[Risk] = Field(default_factory=list)
    issues: list[PlanIssue] = Field(default_factory=list)
    alerts: list[AlertRule] = Field(default_factory=list)
    acks: list[Ack] = Field(default_factory=list,
                            description="Acknowledged alerts, muted until a date / 已确认的预警")
    retro: list[Retro] = Field(default_factory=list)


class Direction(enum.StrEnum):
    UP = "up"
    DOWN = "down"


class Aggregation(enum.StrEnum):
    SUM = "sum"
    LAST = "last"
    MEAN = "mean"
    MAX = "max"
    MIN = "min"


class MetricFormat(enum.StrEnum):
    NUMBER = "number"
    PERCENT = "percent"
    RATIO = "ratio"
    CURRENCY = "currency"


class LocalText(RootModel[dict[Language, str | None]]):
    """Text per language, `{zh: ..., en: ...}`: the keys are the product's languages."""

    model_config = ConfigDict(frozen=True)


def localized(text: str | LocalText | None, language: str) -> str | None:
    """Text in `language` from a plain string or a per-language mapping (else the default
    language's, else any)."""
    if text is None or isinstance(text, str):
        return text
    found = text.root.get(language) or text.root.get(DEFAULT_LANGUAGE)
    return found or next((t for t in text.root.values() if t), None)


class MetricDef(Strict):
    name: str | LocalText = Field(description="Label, or {zh: ..., en: ...}")
    unit: str | LocalText | None = Field(None, description="Unit, or {zh: ..., en: ...}")
    kind: Literal["result", "process"] = "result"
    direction: Direction = Direction.UP
    aggregation: Aggregation | None = None
    formula: str | None = None
    format: MetricFormat = MetricFormat.NUMBER
    freshness_days: Annotated[int, Field(ge=0, le=3660)] = 7  # up to ten years
    definition: str | LocalText | None = Field(
        None, description="口径: the agreed definition, or {zh: ..., en: ...}")

    def label(self, language: str) -> str:
        """The metric's name in `language`, falling back to the other one."""
        return localized(self.name, language) or ""


    @property
    def stored(self) -> bool:
        return self.formula is None


class SourcePlan(Strict):
    """`plan: {value: ...}`: every row of a source belongs to this one plan."""

    value: Slug = Field(description="Plan id of every row / 计划编号")


class WarehouseSource(Strict):
    """One entry of `sources:`: a database table or query `mxt pull` turns into daily rows."""

    model_config = ConfigDict(json_schema_extra={"oneOf": [  # as validate checks them
        {"required": ["table"], "not": {"required": ["query"]}},
        {"required": ["query"], "not": {"required": ["table"]}}]})

    url: str = Field(description="Connection URL; secrets only as ${ENV_NAME}, e.g. "
                                 "${MXT_ADS_URL} / 连接地址（密码只能来自环境变量）")
    table: str | None = Field(None, description="Table (schema.table allowed) / 表名")
    query: str | None = Field(None, description="A SELECT instead of a table / 查询语句")
    date: str = Field(description="Date or timestamp column / 日期或时间列")
    plan: str | SourcePlan | None = Field(
        None, description="Column holding the plan id, or {value: plan-id} / 计划列")
    dimensions: dict[str, str] = Field(default_factory=dict,
                                       description="Our dimension → their column / 维度映射")
    metrics: dict[MetricId, str] = Field(description="Our stored metric → their column / 指标映射")
    since: Date | None = Field(None, description="First day pulled / 起始日期")
    timezone: str = Field("UTC", description="Time zone of the days, e.g. Asia/Shanghai / 时区")
    output: str | None = Field(None, description="File written (default "
                                                 "data/pulled/<source id>.csv) / 输出文件")


class MetricDictionary(Strict):
    """`data/metrics.yaml`."""

    schema_version: int | None = Field(
        None, ge=1, description="Format version of this file (mxt init writes the current one)")
    dimensions: list[str] = Field(default_factory=list)
    metrics: dict[MetricId, MetricDef] = Field(default_factory=dict)
    sources: dict[Slug, WarehouseSource] = Field(
        default_factory=dict, description="Warehouse sources that `mxt pull` reads into "
                                          "data/pulled/ / 数仓数据源")

    @property
    def row_dimensions(self) -> list[str]:
        """Declared dimensions that are columns of their own (`plan` is always one; the
        other fixed columns never are: validation reports such a declaration)."""
        return [d for d in dict.fromkeys(self.dimensions) if d not in FIXED_COLUMNS]

    def aggregation(self, metric: str) -> Aggregation:
        """How a stored metric's rows combine (sum when not said)."""
        return self.metrics[metric].aggregation or Aggregation.SUM


class Person(Strict):
    """One person of the optional people directory (`people.yaml`)."""

    id: str = Field(description="Short id, e.g. wang / 编号")
    name: str = Field(description="Name as people write it / 姓名")
    team: str | None = Field(None, description="Team or department / 部门")
    aliases: list[str] = Field(default_factory=list,
                               description="Other spellings used in plans / 别名")
    contacts: dict[str, str] = Field(
        default_factory=dict,
        description="Channel → handle for notifications, e.g. {feishu: ou_x, email: a@b.c, "
                    "webhook: ${ENV_NAME}}; never published on the site / 联系方式")

    def names(self) -> list[str]:
        """Every string that names this person in a plan: id, name and aliases."""
        return [self.id, self.name, *self.aliases]


class PeopleDirectory(Strict):
    """`people.yaml`: who is who, so that owners written differently are one person."""

    people: list[Person] = Field(default_factory=list)

    @functools.cached_property
    def by_name(self) -> dict[str, Person]:
        """Every id, name and alias (stripped) → its person; the first entry wins."""
        index: dict[str, Person] = {}
        for person in self.people:
            for name in person.names():
                index.setdefault(name.strip(), person)
        return index

    def resolve(self, written: str) -> Person | None:
        """The person a plan's owner text names (by id, name or alias; spaces ignored)."""
        return self.by_name.get(written.strip())


class Channel(Strict):
    """One place alerts are sent: a chat group's bot, a mail server, a webhook."""

    url: str = Field(description="Delivery URL (Apprise: feishu://, dingtalk://, wecombot://, "
                                 "slack://, workflows://, mailto://, json:// …); put secrets in "
                                 "${ENV_NAME}, never in git / 推送地址")
    owners: bool = Field(True, description="Owners with a contact of this channel's id in "
                                           "people.yaml get their own digest / 按负责人分别推送")
    team: bool = Field(True, description="The alerts of owners without their own contact go "
                                         "to the channel itself / 其余预警发到群")
    min_severity: AlertSeverity | None = Field(
        None, description="Least severity sent on this channel / 最低级别")
    plans: list[str] = Field(default_factory=list,
                             description="Only these plans (default: all) / 只推送这些计划")


class NotifySettings(Strict):
    """`notify:` of mxt.yaml: where alert digests go."""

    site_url: str | None = Field(None, description="The published site, for links (default: "
                                                   "site_url of mkdocs.yml) / 站点地址")
    language: Language | None = Field(None, description="Language of the messages (default: "
                                                        "the site's) / 消息语言")
    min_severity: AlertSeverity = Field(AlertSeverity.WARNING,
                                        description="Least severity sent / 最低级别")
    cleared: bool = Field(False, description="Also say which alerts cleared / 同时推送已解除的预警")
    channels: dict[Slug, Channel] = Field(
        default_factory=dict, description="Channel id (a contact key in people.yaml) → "
                                          "channel / 推送渠道")


class Settings(Strict):
    """`mxt.yaml`: the project's settings beside its plans and data."""

    schema_version: int | None = Field(None, ge=1, description="Format version of this file")
    notify: NotifySettings = Field(default_factory=NotifySettings)
