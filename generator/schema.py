"""JSON Schemas of the plan file and the metric dictionary, for editors (YAML language server).

Generated from the same pydantic models that validate the files; every
property carries a description in English and Chinese.
"""

from __future__ import annotations

import json
from typing import Any

from .languages import language_names
from .model import MetricDictionary, PeopleDirectory, Plan, Settings

# descriptions for fields whose model gives none: "English / 中文"
FIELD_TEXT = {
    "id": "Identifier, unique in its list / 编号", "name": "Name / 名称",
    "start": "Start date YYYY-MM-DD / 开始日期", "end": "End date YYYY-MM-DD / 结束日期",
    "date": "Date YYYY-MM-DD / 日期", "description": "Description / 说明",
    "owner": "Owner / 负责人", "goals": "Goal ids / 关联目标", "type": "Plan type / 计划类型",
    "tags": "Tags / 标签", "language": "Report language / 报告语言",
    "phases": "Phases / 阶段", "milestones": "Milestones / 里程碑",
    "objectives": "Objectives (OKR) / 目标 O", "strategies": "Strategies / 策略",
    "tasks": "Tasks (WBS) / 任务", "budget": "Budget / 预算", "risks": "Risks / 风险",
    "issues": "Issue log / 问题与调整记录", "alerts": "Custom alert rules / 自定义预警",
    "retro": "Retrospective / 复盘", "weight": "Weight in plan health / 健康度权重",
    "category": "Category / 类别", "strategy": "Strategy (text or id) / 策略",
    "notes": "Notes / 备注", "source": "Data source / 数据来源", "priority": "Priority / 优先级",
    "status": "Status / 状态", "blocked_reason": "Why blocked / 受阻原因",
    "milestone": "Zero-length milestone / 里程碑任务", "deliverables": "Deliverables / 交付物",
    "actual_start": "Actual start / 实际开始", "planned": "Planned amount / 计划金额",
    "currency": "Currency / 币种", "total": "Total budget / 总预算",
    "lines": "Budget lines / 预算科目",
    "draws": "Reserve draws / 应急预算动用", "amount": "Amount / 金额", "reason": "Reason / 原因",
    "risk": "Risk id / 风险编号", "issue": "Issue id / 问题编号",
    "probability": "Probability / 发生概率", "impact": "Impact / 影响程度",
    "mitigation": "Mitigation / 应对措施", "phase": "Phase id / 阶段", "task": "Task id / 任务",
    "effect": "Effect / 影响", "action": "Action / 措施", "resolved": "Resolved on / 解决日期",
    "rule": "below | above | rising | falling / 预警规则", "value": "Threshold / 阈值",
    "window": "Days / 天数", "periods": "Periods in a row / 连续周期数",
    "period": "week | month / 周期", "severity": "info | warning | critical / 级别",
    "stage": "Stage / 阶段", "successes": "What worked / 成功经验",
    "shortfalls": "Shortfalls / 不足", "root_cause": "Root cause / 根因",
    "actions": "Actions / 改进措施", "by": "Break-down dimension / 拆解维度",
    "targets": "Target per value / 各维度目标", "on_track": "On-track ratio / 正常阈值",
    "off_track": "Off-track ratio / 落后阈值", "dimensions": "Dimensions / 维度",
    "metrics": "Metrics by id / 指标", "unit": "Unit / 单位",
    "kind": "result | process / 结果指标 | 过程指标",
    "direction": "up: higher is better, down: lower is better / 方向",
    "aggregation": "sum | last | mean | max | min / 汇总方式",
    "formula": "Formula of other metric ids / 公式", "format": "Display format / 显示格式",
    "freshness_days": "Rows older than this are stale / 数据时效（天）",
    **{code: f"{name} ({code})" for code, name in language_names().items()},
}


def _describe(node: Any) -> None:
    if isinstance(node, dict):
        for name, prop in (node.get("properties") or {}).items():
            if isinstance(prop, dict) and "description" not in prop and name in FIELD_TEXT:
                prop["description"] = FIELD_TEXT[name]
        for value in node.values():
            _describe(value)
    elif isinstance(node, list):
        for value in node:
            _describe(value)


def schema(model: type[Plan] | type[MetricDictionary] | type[PeopleDirectory] | type[Settings],
           title: str
           ) -> dict[str, Any]:
    out = model.model_json_schema(mode="validation")
    out["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    out["title"] = title
    _describe(out)
    return out


def schemas() -> dict[str, str]:
    """File name → JSON text of each schema."""
    docs = {"plan.schema.json": schema(Plan, "mxt plan file / 营销计划"),
            "metrics.schema.json": schema(MetricDictionary, "mxt metric dictionary / 指标字典"),
            "people.schema.json": schema(PeopleDirectory, "mxt people directory / 人员目录"),
            "settings.schema.json": schema(Settings, "mxt settings (mxt.yaml) / 设置")}
    return {name: json.dumps(doc, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
            for name, doc in docs.items()}
