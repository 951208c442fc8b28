"""The message catalogue: every label and message in Chinese and English.

Templates, charts, the terminal table and alert messages take their words
from here, never from strings scattered in code.
"""

from __future__ import annotations

from typing import Any

LANGUAGES = ("zh", "en")

STATUS = {
    "zh": {
        "not_started": "未开始", "no_data": "无数据", "achieved": "已达成", "missed": "未达成",
        "on_track": "正常", "at_risk": "有风险", "off_track": "落后", "done": "已完成",
        "cancelled": "已取消", "blocked": "受阻", "done_late": "延期完成", "delayed": "延期",
        "in_progress": "进行中", "ok": "正常", "over": "超预算", "overspent": "严重超支",
        "open": "未关闭", "occurred": "已发生", "closed": "已关闭",
        "info": "提示", "warning": "警告", "critical": "严重",
        "low": "低", "medium": "中", "high": "高",
    },
    "en": {
        "not_started": "not started", "no_data": "no data", "achieved": "achieved",
        "missed": "missed", "on_track": "on track", "at_risk": "at risk",
        "off_track": "off track", "done": "done", "cancelled": "cancelled",
        "blocked": "blocked", "done_late": "done late", "delayed": "delayed",
        "in_progress": "in progress", "ok": "ok", "over": "over budget",
        "overspent": "overspent", "open": "open", "occurred": "occurred", "closed": "closed",
        "info": "info", "warning": "warning", "critical": "critical",
        "low": "low", "medium": "medium", "high": "high",
    },
}

MESSAGES = {
    "zh": {
        "goal_at_risk": "目标「{name}」有风险：达成率 {attainment}，进度比 {pace}",
        "goal_off_track": "目标「{name}」{status}：达成率 {attainment}，进度比 {pace}",
        "task_delayed": "任务「{name}」延期 {days} 天（负责人：{owner}）",
        "task_at_risk": "任务「{name}」有风险：进度 {progress}%，预期 {expected}%",
        "budget_line": "预算科目「{name}」{status}：已花费 {spent} / 计划 {planned}",
        "budget_plan": "预算{status}：应急预算剩余 {left}",
        "issue_overdue": "问题「{name}」已逾期 {days} 天（负责人：{owner}）",
        "risk_unmitigated": "高概率高影响风险「{name}」没有应对措施",
        "data_stale": "指标「{metric}」自 {last} 起无新数据（目标 {goal}，要求 {days} 天内）",
        "data_missing": "指标「{metric}」没有任何数据（目标 {goal}）",
        "budget_reallocation": ("建议将「{giver}」（ROI 1:{giver_roi}）的 {amount} 预算调至"
                                "「{receiver}」（ROI 1:{receiver_roi}，平均 1:{average}）"),
        "rule_below": "「{metric}」近 {window} 天为 {value}，低于 {threshold}",
        "rule_above": "「{metric}」近 {window} 天为 {value}，高于 {threshold}",
        "rule_rising": "「{metric}」连续 {periods} 个{period}上涨 ≥ {by}：{values}",
        "rule_falling": "「{metric}」连续 {periods} 个{period}下降 ≥ {by}：{values}",
        "week": "周", "month": "月",
    },
    "en": {
        "goal_at_risk": "Goal “{name}” is at risk: attainment {attainment}, pace {pace}",
        "goal_off_track": "Goal “{name}” is {status}: attainment {attainment}, pace {pace}",
        "task_delayed": "Task “{name}” is {days} days late (owner: {owner})",
        "task_at_risk": "Task “{name}” is at risk: {progress}% done, {expected}% expected",
        "budget_line": "Budget line “{name}” is {status}: spent {spent} of {planned}",
        "budget_plan": "Budget is {status}: contingency reserve left {left}",
        "issue_overdue": "Issue “{name}” is {days} days overdue (owner: {owner})",
        "risk_unmitigated": "High-probability, high-impact risk “{name}” has no mitigation",
        "data_stale": ("Metric “{metric}” has had no new rows since {last} (goal {goal}, "
                       "expected within {days} days)"),
        "data_missing": "Metric “{metric}” has no rows at all (goal {goal})",
        "budget_reallocation": ("Consider moving {amount} from “{giver}” (ROI 1:{giver_roi}) "
                                "to “{receiver}” (ROI 1:{receiver_roi}; average 1:{average})"),
        "rule_below": "“{metric}” over the last {window} days is {value}, below {threshold}",
        "rule_above": "“{metric}” over the last {window} days is {value}, above {threshold}",
        "rule_rising": "“{metric}” rose by ≥ {by} for {periods} {period}(s) in a row: {values}",
        "rule_falling": "“{metric}” fell by ≥ {by} for {periods} {period}(s) in a row: {values}",
        "week": "week", "month": "month",
    },
}

LABELS = {
    "zh": {
        "plan": "计划", "status": "状态", "health": "健康度", "owner": "负责人",
        "period": "周期", "goal": "目标", "target": "目标值", "actual": "实际值",
        "attainment": "达成率", "expected": "预期进度", "pace": "进度比",
        "late_tasks": "延期与风险任务", "task": "任务", "slip": "延期天数",
        "alerts": "预警", "severity": "级别", "subject": "对象", "message": "内容",
        "as_of": "数据截至", "no_alerts": "无预警", "budget": "预算",
        "spent": "已花费", "planned": "计划", "utilization": "使用率",
        "chart_cumulative": "累计实际", "chart_pace": "目标进度线", "chart_target": "目标值",
        "chart_daily": "每日值", "chart_to_date": "至今", "chart_attainment": "目标达成率", "chart_gantt": "执行进度（甘特图）",
        "chart_planned_bar": "计划", "chart_actual_bar": "实际", "chart_critical": "关键路径",
        "chart_milestone": "里程碑", "chart_burn": "预算消耗", "chart_spent": "累计花费",
        "chart_planned_spend": "计划花费", "chart_roi": "各科目 ROI", "chart_average": "平均",
        "chart_risk": "风险矩阵", "probability": "发生概率", "impact": "影响程度",
        "chart_timeline": "计划时间线", "date": "日期", "amount": "金额",
    },
    "en": {
        "plan": "Plan", "status": "Status", "health": "Health", "owner": "Owner",
        "period": "Period", "goal": "Goal", "target": "Target", "actual": "Actual",
        "attainment": "Attainment", "expected": "Expected", "pace": "Pace",
        "late_tasks": "Late and at-risk tasks", "task": "Task", "slip": "Slip (days)",
        "alerts": "Alerts", "severity": "Severity", "subject": "Subject", "message": "Message",
        "as_of": "As of", "no_alerts": "No alerts", "budget": "Budget",
        "spent": "Spent", "planned": "Planned", "utilization": "Utilization",
        "chart_cumulative": "Cumulative actual", "chart_pace": "Target pace",
        "chart_target": "Target", "chart_daily": "Daily value", "chart_to_date": "To date",
        "chart_attainment": "Goal attainment", "chart_gantt": "Schedule (Gantt)",
        "chart_planned_bar": "Planned", "chart_actual_bar": "Actual",
        "chart_critical": "Critical path", "chart_milestone": "Milestone",
        "chart_burn": "Budget burn", "chart_spent": "Cumulative spend",
        "chart_planned_spend": "Planned spend", "chart_roi": "ROI by budget line",
        "chart_average": "Average", "chart_risk": "Risk matrix", "probability": "Probability",
        "impact": "Impact", "chart_timeline": "Plan timeline", "date": "Date",
        "amount": "Amount",
    },
}


def _lang(language: str) -> str:
    return language if language in LANGUAGES else "zh"


def status_label(code: str, language: str) -> str:
    """A status code's name for people, e.g. `at_risk` → 有风险."""
    return STATUS[_lang(language)].get(code, code)


def label(key: str, language: str) -> str:
    """A column or section label."""
    return LABELS[_lang(language)][key]


def message(key: str, language: str, **values: Any) -> str:
    """An alert message with its values filled in."""
    return MESSAGES[_lang(language)][key].format(**values)


def word(key: str, language: str) -> str:
    """A single catalogue word such as a period unit."""
    return MESSAGES[_lang(language)][key]
