"""The vocabulary of the spreadsheet bridge: tables, their columns and the names people
give them.

Each `Table` is one kind of sheet (tasks, goals, risks …); each `Column` names the plan
field it fills, how its cells are read (`Kind`), the header the template writes in each
language and the other headers the teams' own tables use (the seeds: 任务ID, 负责人(R1),
起止时间, 交付成果, 前置依赖, 目标值, 达成时间, 问题描述, 影响程度 …). Headers are compared
after `normalize`: spaces, notes in brackets (`负责人(R1)`, `备注(如依赖资源)`) and a trailing
`%` are dropped, full-width characters folded, traditional characters simplified and
Latin letters lower-cased.

A column whose field starts with `note:` is kept as a comment in the plan file (actual
values, progress notes, resources: the plan has no field for them).
"""

from __future__ import annotations

import enum
import functools
import re
import unicodedata
from dataclasses import dataclass


class Kind(enum.Enum):
    """How a column's cells are read (see `cells`)."""

    TEXT = "text"
    ID = "id"
    DATE = "date"
    RANGE = "range"  # two dates in one cell: 2024-05-01-05-10, 2024.07.01-07.31
    NUMBER = "number"  # 20万, 1,200, 1:4 (a target in its metric's unit)
    AMOUNT = "amount"  # money, ≥ 0
    INT = "int"
    PROGRESS = "progress"  # percent 0–100: 30%, 0.3 in a percent cell, 30
    FRACTION = "fraction"  # a share: 8% or 0.08 → 0.08
    LEVEL = "level"  # 高/中/低
    PRIORITY = "priority"
    STRATEGY_PRIORITY = "strategy_priority"  # 核心/辅助 → core/support
    LIST = "list"  # 设计部、文案组
    IDS = "ids"  # references to other items: M-001/M-003
    OWNER = "owner"  # exactly one person: R1:张三 → 张三
    BOOL = "bool"
    MAPPING = "mapping"  # channel=抖音; region=华东 (where)
    PACE = "pace"  # 筹备期=5%; 爆发期=60% (phase → share)
    BREAKDOWN = "breakdown"  # region: 华东=80000; 华南=70000
    METRIC = "metric"  # a metric id or name from data/metrics.yaml
    PLAN_TYPE = "plan_type"
    TASK_STATUS = "task_status"
    RISK_STATUS = "risk_status"
    ISSUE_STATUS = "issue_status"
    RULE = "rule"  # below / above / rising / falling
    PERIOD = "period"  # week / month
    SEVERITY = "severity"
    LANGUAGE = "language"
    NOTE = "note"  # kept as a comment


@dataclass(frozen=True)
class Column:
    field: str
    kind: Kind
    zh: str  # the template's header
    en: str
    synonyms: tuple[str, ...] = ()

    def header(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en

    def names(self) -> tuple[str, ...]:
        """Every header this column is known by, normalised, best first."""
        return tuple(dict.fromkeys(normalize(n) for n in (self.zh, self.en, *self.synonyms)))


@dataclass(frozen=True)
class Table:
    key: str  # the plan section it fills: "tasks", "budget.lines", "plan" …
    zh: str  # the template's sheet name
    en: str
    titles: tuple[str, ...]  # words in a sheet name or title row that say "this table"
    columns: tuple[Column, ...]
    signature: frozenset[str]  # fields that tell this table from the others
    fields_layout: bool = False  # the plan sheet: one field per row (label, value)

    def sheet_name(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en

    def column(self, field: str) -> Column:
        return next(c for c in self.columns if c.field == field)

    def match(self, header: str) -> tuple[Column, int] | None:
        """The column a header names, with its rank (0: the template's own name)."""
        return self._by_name.get(normalize(header))

    @functools.cached_property
    def _by_name(self) -> dict[str, tuple[Column, int]]:
        """Every normalised name → (column, rank), the first column to use a name keeping
        it; built once, since every cell of a sheet's top rows is looked up."""
        found: dict[str, tuple[Column, int]] = {}
        for column in self.columns:
            for rank, name in enumerate(column.names()):
                if name:  # a blank header names no column
                    found.setdefault(name, (column, rank))
        return found


C = Column
_TRADITIONAL = str.maketrans(
    "務負責時間開結進賴標實際單階問題風險響應對態狀預計劃關聯優級協門執資點動達據數來異議類別"
    "體驗經處盤復註備環現發遲產輸認審種測試場額費號編稱從節週總幣範圍鍵準記錄轉換後屬區銷與則訂"
    "項細說啟條變幅權週礎額値",
    "务负责时间开结进赖标实际单阶问题风险响应对态状预计划关联优级协门执资点动达据数来异议类别"
    "体验经处盘复注备环现发迟产输认审种测试场额费号编称从节周总币范围键准记录转换后属区销与则订"
    "项细说启条变幅权周础额值")
_BRACKETS = re.compile(r"[(（\[【][^)）\]】]*[)）\]】]")


def normalize(header: object) -> str:
    """A header as compared: `负责人（R1）` → `负责人`, `進度%` → `进度`, `Task ID` → `taskid`."""
    text = unicodedata.normalize("NFKC", str(header or "")).translate(_TRADITIONAL)
    text = _BRACKETS.sub("", text)
    text = re.sub(r"[\s*:：_\-]+", "", text).rstrip("%").lower()
    return text


_OWNER = ("责任人", "执行人", "直接负责人", "r1", "owner", "responsible")
_START = ("开始日期", "开始时间", "计划开始", "计划开始时间", "计划开始日期", "开始", "起始日期",
          "start", "startdate")
_END = ("结束日期", "结束时间", "计划结束", "计划结束时间", "计划结束日期", "计划完成时间",
        "完成时间", "截止时间", "截止日期", "结束", "end", "enddate", "finish")
_DUE = ("截止", "截止日期", "截止时间", "达成时间", "完成时间", "计划完成时间", "期限", "deadline",
        "duedate")

PLAN = Table("plan", "计划", "Plan", ("计划信息", "基本信息", "计划", "plan"), (
    C("id", Kind.ID, "计划ID", "Plan ID", ("计划编号", "id")),
    C("title", Kind.TEXT, "计划名称", "Title", ("计划", "标题", "名称", "方案名称", "活动名称",
                                               "项目名称", "plan", "name")),
    C("type", Kind.PLAN_TYPE, "类型", "Type", ("计划类型",)),
    C("owner", Kind.OWNER, "负责人", "Owner", ("总负责人", *_OWNER)),
    C("start", Kind.DATE, "开始日期", "Start", _START),
    C("end", Kind.DATE, "结束日期", "End", _END),
    C("dates", Kind.RANGE, "周期", "Period", ("起止时间", "计划周期", "活动周期", "时间")),
    C("description", Kind.TEXT, "说明", "Description", ("描述", "简介", "概述", "背景")),
    C("tags", Kind.LIST, "标签", "Tags", ()),
    C("language", Kind.LANGUAGE, "语言", "Language", ()),
    C("currency", Kind.TEXT, "币种", "Currency", ("货币",)),
    C("total", Kind.AMOUNT, "总预算", "Total budget", ("预算总额", "预算")),
    C("contingency", Kind.FRACTION, "应急预算比例", "Contingency", ("应急预算", "预留比例")),
    C("overspend_alert", Kind.FRACTION, "超支预警线", "Overspend alert", ("超支预警",)),
), frozenset(), fields_layout=True)

PHASES = Table("phases", "阶段", "Phases", ("阶段", "执行计划", "phases"), (
    C("id", Kind.ID, "阶段ID", "Phase ID", ("阶段编号", "id")),
    C("name", Kind.TEXT, "阶段名称", "Phase", ("活动阶段", "阶段", "执行阶段", "name")),
    C("start", Kind.DATE, "开始日期", "Start", _START),
    C("end", Kind.DATE, "结束日期", "End", _END),
    C("dates", Kind.RANGE, "时间节点", "Dates", ("起止时间", "时间", "周期", "时间范围")),
    # 推广活动执行计划表: one action, its doer and a risk per phase
    C("action", Kind.TEXT, "核心动作", "Key action", ("关键动作", "主要动作")),
    C("action_owner", Kind.OWNER, "执行人", "Doer", ("负责人", "责任人")),
    C("note:resources", Kind.NOTE, "所需资源", "Resources", ("资源需求", "资源")),
    C("risk", Kind.TEXT, "风险点", "Risk", ("风险",)),
    C("mitigation", Kind.TEXT, "应对措施", "Mitigation", ("应对方案", "预案")),
), frozenset({"id", "dates", "note:resources", "risk"}))

MILESTONES = Table("milestones", "里程碑", "Milestones", ("里程碑", "milestones"), (
    C("id", Kind.ID, "里程碑ID", "Milestone ID", ("里程碑编号", "编号", "id")),
    C("name", Kind.TEXT, "里程碑名称", "Milestone", ("里程碑", "里程碑事件", "名称", "name")),
    C("date", Kind.DATE, "计划日期", "Date", ("日期", "时间节点", "计划时间", "date")),
    C("done", Kind.DATE, "完成日期", "Done", ("实际完成", "实际日期", "达成日期", "实际完成日期")),
), frozenset({"date", "done"}))

OBJECTIVES = Table("objectives", "OKR", "OKR", ("okr", "objectives"), (
    C("id", Kind.ID, "O编号", "Objective ID", ("目标编号", "编号", "id")),
    C("name", Kind.TEXT, "目标（O）", "Objective", ("目标", "名称", "o")),
    C("goals", Kind.IDS, "关键结果（KR）", "Key results", ("关键结果", "kr", "krs")),
), frozenset({"goals"}))

GOALS = Table("goals", "目标", "Goals", ("目标", "效果评估", "goals"), (
    C("id", Kind.ID, "目标ID", "Goal ID", ("目标编号", "kr编号", "编号", "id")),
    C("name", Kind.TEXT, "目标名称", "Goal", ("目标", "核心目标", "名称", "name")),
    C("category", Kind.TEXT, "目标类型", "Category", ("评估维度", "指标类别", "维度", "类别",
                                                    "目标维度", "category")),
    C("metric", Kind.METRIC, "指标", "Metric", ("量化指标", "核心指标", "具体指标", "指标名称",
                                               "指标ID", "kpi")),
    C("target", Kind.NUMBER, "目标值", "Target", ("目标数值", "target")),
    C("baseline", Kind.NUMBER, "基线值", "Baseline", ("基准值", "基线", "baseline")),
    C("change", Kind.FRACTION, "提升幅度", "Change", ("变化幅度", "提升比例")),
    C("unit", Kind.TEXT, "单位", "Unit", ("unit",)),
    C("start", Kind.DATE, "开始日期", "Start", ("开始时间", "开始", "start")),
    C("due", Kind.DATE, "截止日期", "Due", _DUE),
    C("where", Kind.MAPPING, "筛选条件", "Filter", ("筛选", "数据范围", "where")),
    C("breakdown", Kind.BREAKDOWN, "目标拆解", "Break-down", ("拆解", "breakdown")),
    C("pace", Kind.PACE, "阶段节奏", "Pace", ("节奏", "pace")),
    C("owner", Kind.OWNER, "负责人", "Owner", _OWNER),
    C("weight", Kind.NUMBER, "权重", "Weight", ("weight",)),
    C("strategy", Kind.TEXT, "核心策略方向", "Strategy", ("策略", "策略方向", "核心策略")),
    C("notes", Kind.TEXT, "备注", "Notes", ("备注说明", "依赖资源", "notes")),
    C("source", Kind.TEXT, "数据来源", "Source", ("来源", "source")),
    C("analysis", Kind.TEXT, "异常分析", "Analysis", ("偏差分析", "原因分析", "analysis")),
    C("suggestion", Kind.TEXT, "改进建议", "Suggestion", ("优化建议", "建议", "suggestion")),
    C("note:actual", Kind.NOTE, "实际值", "Actual", ("实际", "actual")),
    C("note:attainment", Kind.NOTE, "达成率", "Attainment", ("完成率", "attainment")),
    C("note:comparison", Kind.NOTE, "同比/环比", "vs before", ("环比", "同比")),
), frozenset({"target", "metric", "baseline", "note:actual", "note:attainment"}))

STRATEGIES = Table("strategies", "策略", "Strategies", ("策略动作", "策略清单", "strategies"), (
    C("id", Kind.ID, "策略ID", "Strategy ID", ("策略编号", "编号", "id")),
    C("name", Kind.TEXT, "策略名称", "Strategy", ("策略动作", "策略", "名称", "name")),
    C("goals", Kind.IDS, "关联目标", "Goals", ("目标", "goals")),
    C("priority", Kind.STRATEGY_PRIORITY, "优先级", "Priority", ("priority",)),
    C("owner", Kind.TEXT, "负责人", "Owner", (*_OWNER, "责任部门", "负责部门")),
    C("description", Kind.TEXT, "说明", "Description", ("描述", "动作细节", "description")),
    C("note:support", Kind.NOTE, "配合部门", "Support", ("协作部门",)),
), frozenset({"id", "name", "goals"}))

TASKS = Table("tasks", "任务", "Tasks", ("任务", "进度", "执行跟踪", "tasks"), (
    C("id", Kind.ID, "任务ID", "Task ID", ("任务编号", "编号", "序号", "id", "wbs")),
    C("name", Kind.TEXT, "任务名称", "Task", ("任务", "关键任务", "关键动作", "核心动作", "任务名",
                                             "工作内容", "事项", "name")),
    C("description", Kind.TEXT, "任务描述", "Description", ("描述", "说明", "任务说明",
                                                           "详细描述", "description")),
    C("strategy", Kind.TEXT, "关联策略", "Strategy", ("策略", "所属策略", "策略模块", "strategy")),
    C("phase", Kind.TEXT, "阶段", "Phase", ("活动阶段", "所属阶段", "执行阶段", "phase")),
    C("owner", Kind.OWNER, "负责人", "Owner", _OWNER),
    C("approver", Kind.TEXT, "审批人", "Approver", ("r2", "approver")),
    C("support", Kind.LIST, "协作部门", "Support", ("协作", "配合部门", "support", "执行部门",
                                                   "责任部门")),
    C("start", Kind.DATE, "开始时间", "Start", _START),
    C("end", Kind.DATE, "结束时间", "End", _END),
    C("dates", Kind.RANGE, "起止时间", "Dates", ("计划时间", "计划开始/结束时间", "计划起止时间",
                                               "时间节点", "时间", "周期", "dates")),
    C("actual_start", Kind.DATE, "实际开始", "Actual start", ("实际开始时间", "实际开始日期")),
    C("actual_end", Kind.DATE, "实际完成", "Actual end", (
        "实际结束", "实际完成时间", "实际结束时间", "实际完成日期", "完成日期")),
    C("actual_dates", Kind.RANGE, "实际起止时间", "Actual dates", ("实际时间",
                                                                 "实际开始/结束时间")),
    C("progress", Kind.PROGRESS, "进度", "Progress", ("完成率", "完成度", "完成进度", "完成比例",
                                                     "当前进度", "progress")),
    C("depends_on", Kind.IDS, "前置任务", "Depends on", ("前置依赖", "依赖", "依赖任务", "前置",
                                                        "前序任务", "predecessors")),
    C("milestone", Kind.BOOL, "里程碑", "Milestone", ("是否里程碑", "milestone")),
    C("status", Kind.TASK_STATUS, "状态", "Status", ("完成状态", "当前状态", "任务状态", "status")),
    C("blocked_reason", Kind.TEXT, "受阻原因", "Blocked reason", ("阻塞原因",)),
    C("deliverables", Kind.LIST, "交付物", "Deliverables", ("交付成果", "产出物", "输出物", "交付",
                                                           "成果", "deliverables")),
    C("priority", Kind.PRIORITY, "优先级", "Priority", ("priority",)),
    C("note:delay", Kind.NOTE, "延迟原因", "Delay reason", ("延期原因",)),
    C("note:goal", Kind.NOTE, "核心目标", "Objective", ()),
    C("note:problem", Kind.NOTE, "存在问题", "Problems", ("问题",)),
    C("note:solution", Kind.NOTE, "解决方案", "Solution", ("解决措施",)),
), frozenset({"id", "depends_on", "deliverables", "progress", "actual_dates", "actual_end",
              "status"}))

LINES = Table("budget.lines", "预算", "Budget", ("预算", "budget"), (
    C("id", Kind.ID, "科目ID", "Line ID", ("科目编号", "编号", "id")),
    C("name", Kind.TEXT, "预算科目", "Budget line", ("科目", "科目名称", "费用项目", "费用类别",
                                                   "项目", "name")),
    C("planned", Kind.AMOUNT, "计划金额", "Planned", ("预算", "预算金额", "计划预算", "计划",
                                                     "planned")),
    C("spent", Kind.AMOUNT, "已花费", "Spent", ("实际花费", "已使用", "实际金额", "花费", "spent")),
    C("cost_metric", Kind.METRIC, "成本指标", "Cost metric", ("costmetric",)),
    C("revenue_metric", Kind.METRIC, "收入指标", "Revenue metric", ("revenuemetric",)),
    C("where", Kind.MAPPING, "筛选条件", "Filter", ("筛选", "where")),
    C("pace", Kind.PACE, "阶段节奏", "Pace", ("节奏", "pace")),
), frozenset({"planned", "spent", "cost_metric"}))

DRAWS = Table("budget.draws", "应急预算动用", "Reserve draws", ("应急预算", "draws"), (
    C("date", Kind.DATE, "日期", "Date", ("动用日期", "date")),
    C("amount", Kind.AMOUNT, "金额", "Amount", ("动用金额", "amount")),
    C("reason", Kind.TEXT, "原因", "Reason", ("用途", "说明", "reason")),
    C("risk", Kind.ID, "风险ID", "Risk", ("关联风险", "risk")),
    C("issue", Kind.ID, "问题ID", "Issue", ("关联问题", "issue")),
), frozenset({"amount", "risk", "issue"}))

RISKS = Table("risks", "风险", "Risks", ("风险", "risks"), (
    C("id", Kind.ID, "风险ID", "Risk ID", ("风险编号", "编号", "id")),
    C("description", Kind.TEXT, "风险描述", "Risk", ("风险", "风险点", "风险事项", "风险名称",
                                                    "description")),
    C("probability", Kind.LEVEL, "发生概率", "Probability", ("概率", "可能性", "发生可能性",
                                                            "probability")),
    C("impact", Kind.LEVEL, "影响程度", "Impact", ("影响", "影响等级", "impact")),
    C("mitigation", Kind.TEXT, "应对措施", "Mitigation", ("应对预案", "预案", "应对方案",
                                                         "mitigation")),
    C("owner", Kind.TEXT, "负责人", "Owner", (*_OWNER, "责任部门/人", "责任部门")),
    C("status", Kind.RISK_STATUS, "状态", "Status", ("status",)),
), frozenset({"probability", "mitigation"}))

ISSUES = Table("issues", "问题", "Issues", ("问题", "异常", "issues"), (
    C("id", Kind.ID, "问题ID", "Issue ID", ("问题编号", "编号", "id")),
    C("date", Kind.DATE, "日期", "Date", ("发现日期", "发生日期", "提出日期", "记录日期", "date")),
    C("description", Kind.TEXT, "问题描述", "Issue", ("问题", "异常问题", "存在问题", "问题内容",
                                                     "description")),
    C("phase", Kind.TEXT, "发生阶段", "Phase", ("阶段", "phase")),
    C("task", Kind.TEXT, "关联任务", "Task", ("任务ID", "任务", "task")),
    C("impact", Kind.LEVEL, "影响程度", "Impact", ("严重程度", "impact")),
    C("effect", Kind.TEXT, "问题影响", "Effect", ("影响", "影响说明", "影响描述", "effect")),
    C("owner", Kind.TEXT, "责任人", "Owner", ("负责人", "责任部门/人", "责任部门", "owner")),
    C("action", Kind.TEXT, "处理措施", "Action", ("解决措施", "措施", "解决方案", "应对措施",
                                                 "action")),
    C("due", Kind.DATE, "预计解决时间", "Due", ("计划解决时间", "解决时限", "预计完成时间", *_DUE)),
    C("resolved", Kind.DATE, "实际解决时间", "Resolved", ("解决日期", "实际完成时间", "关闭日期",
                                                        "resolved")),
    C("status", Kind.ISSUE_STATUS, "状态", "Status", ("处理状态", "status")),
    C("note:progress", Kind.NOTE, "关键任务进展", "Progress", ("任务进展", "进展")),
    C("note:rate", Kind.NOTE, "完成率", "Completion", ()),
), frozenset({"description", "effect", "action", "resolved"}))

ALERTS = Table("alerts", "预警规则", "Alert rules", ("预警规则", "预警", "alerts"), (
    C("id", Kind.ID, "规则ID", "Rule ID", ("规则编号", "编号", "id")),
    C("rule", Kind.RULE, "规则", "Rule", ("规则类型", "rule")),
    C("metric", Kind.METRIC, "指标", "Metric", ("metric",)),
    C("value", Kind.NUMBER, "阈值", "Threshold", ("预警值", "value")),
    C("window", Kind.INT, "窗口天数", "Window (days)", ("窗口", "window")),
    C("by", Kind.FRACTION, "变化幅度", "Change", ("幅度", "by")),
    C("periods", Kind.INT, "连续期数", "Periods", ("期数", "periods")),
    C("period", Kind.PERIOD, "周期", "Period", ("period",)),
    C("where", Kind.MAPPING, "筛选条件", "Filter", ("筛选", "where")),
    C("action", Kind.TEXT, "措施", "Action", ("应对措施", "action")),
    C("severity", Kind.SEVERITY, "级别", "Severity", ("severity",)),
), frozenset({"rule", "value", "window", "periods"}))

RETRO = Table("retro", "复盘", "Retro", ("复盘", "retro"), (
    C("stage", Kind.TEXT, "复盘阶段", "Stage", ("阶段", "复盘环节", "stage")),
    C("successes", Kind.TEXT, "成功经验", "Successes", ("成功之处", "亮点", "successes")),
    C("shortfalls", Kind.TEXT, "不足之处", "Shortfalls", ("不足", "问题", "shortfalls")),
    C("root_cause", Kind.TEXT, "根本原因分析", "Root cause", ("根本原因", "原因分析", "根因")),
    C("actions", Kind.TEXT, "优化措施", "Actions", ("改进措施", "优化建议", "改进建议", "actions")),
    C("owner", Kind.TEXT, "责任人", "Owner", ("负责人", "owner")),
    C("due", Kind.DATE, "计划完成时间", "Due", _DUE),
    C("goals", Kind.IDS, "涉及目标", "Goals", ("关联目标", "goals")),
), frozenset({"successes", "shortfalls", "root_cause", "actions"}))

# in the order of the plan file (and of the template's sheets)
TABLES = (PLAN, PHASES, MILESTONES, OBJECTIVES, GOALS, STRATEGIES, TASKS, LINES, DRAWS, RISKS,
          ISSUES, ALERTS, RETRO)
BY_KEY = {t.key: t for t in TABLES}


def best_table(headers: list[str], title: str) -> tuple[Table, int] | None:
    """The table a header row (and the sheet's name and title rows) describe, with the
    number of headers it knows; None when no table knows two of them."""
    scored = []
    title = normalize(title)
    for table in TABLES:
        if table.fields_layout:
            continue
        known = [m[0] for h in headers if (m := table.match(h))]
        fields = {c.field for c in known}
        score = len(fields) + 2 * len(fields & table.signature)
        if any(normalize(t) in title for t in table.titles):
            score += 3
        if len(fields) >= 2:
            scored.append((score, len(fields), -TABLES.index(table), table))
    if not scored:
        return None
    best = max(scored, key=lambda s: s[:3])
    return best[3], best[1]
