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
        "campaign": "营销活动", "strategy": "策略", "annual": "年度计划", "regional": "区域拓展",
        "activation": "用户激活", "other": "其他",
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
        "campaign": "Campaigns", "strategy": "Strategies", "annual": "Annual plans",
        "regional": "Regional expansion", "activation": "Activation", "other": "Other",
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
        "data_missing_where": "指标「{metric}」没有符合筛选条件 {where} 的数据（目标 {goal}）",
        "budget_reallocation": ("建议将「{giver}」（ROI 1:{giver_roi}）的 {amount} 预算调至"
                                "「{receiver}」（ROI 1:{receiver_roi}，平均 1:{average}）"),
        "budget_reallocation_spent": ("「{giver}」（ROI 1:{giver_roi}）的预算已用完：追加投入宜转向"
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
        "data_missing_where": "Metric “{metric}” has no rows matching {where} (goal {goal})",
        "budget_reallocation": ("Consider moving {amount} from “{giver}” (ROI 1:{giver_roi}) "
                                "to “{receiver}” (ROI 1:{receiver_roi}; average 1:{average})"),
        "budget_reallocation_spent": ("“{giver}” (ROI 1:{giver_roi}) has spent its budget: "
                                      "put further spend into “{receiver}” (ROI "
                                      "1:{receiver_roi}; average 1:{average})"),
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
        "chart_daily": "每日值", "chart_to_date": "至今", "chart_attainment": "目标达成率",
        "chart_gantt": "执行进度（甘特图）",
        "chart_planned_bar": "计划", "chart_actual_bar": "实际（颜色表示状态）",
        "chart_critical": "关键路径",
        "chart_milestone": "里程碑", "chart_burn": "预算消耗", "chart_spent": "累计花费",
        "chart_planned_spend": "计划花费", "chart_roi": "各科目 ROI", "chart_average": "平均",
        "chart_risk": "风险矩阵", "probability": "发生概率", "impact": "影响程度",
        "chart_timeline": "计划时间线", "date": "日期", "amount": "金额",
        "site_home": "首页", "site_alerts": "预警", "site_owners": "责任矩阵",
        "site_metrics": "指标字典", "site_plans": "计划", "portfolio": "计划总览",
        "goals_achieved": "已达成目标", "open_alerts": "预警数", "top_alerts": "最需关注的预警",
        "overview": "执行概况", "goals": "目标达成", "schedule": "执行进度",
        "budget_roi": "预算与ROI", "risks_issues": "风险与问题", "retro": "复盘与优化建议",
        "trends": "指标趋势（环比 / 同比）", "changelog": "变更记录", "report": "PDF 报告",
        "phase_now": "当前阶段", "forecast_end": "预计完成", "elapsed": "时间进度",
        "key_figures": "关键数据", "type": "类型", "tags": "标签", "description": "说明",
        "breakdown": "目标拆解", "metric": "指标", "window": "周期", "weight": "权重",
        "approver": "审批人", "support": "协作部门", "phase": "阶段", "start": "开始",
        "end": "结束", "actual_end": "实际完成", "progress": "进度", "depends_on": "前置任务",
        "float": "总时差（天）", "critical": "关键", "line": "科目", "forecast": "预测",
        "roi": "ROI", "reserve": "应急预算", "reserve_left": "应急预算剩余",
        "unallocated": "未分配", "draws": "应急预算动用", "reason": "原因",
        "reallocation": "预算调整建议", "risk": "风险", "score": "风险值", "level": "等级",
        "mitigation": "应对措施", "issue": "问题", "effect": "影响",
        "action": "措施", "due": "截止", "resolved": "解决日期", "overdue": "已逾期",
        "stage": "阶段", "successes": "成功经验", "shortfalls": "不足", "root_cause": "根因",
        "actions": "改进措施", "last_7": "近7天", "prev_7": "前7天", "mom": "环比",
        "yoy": "同比", "year_ago": "去年同期",
        "unit": "单位", "formula": "公式", "direction": "方向", "kind": "类型",
        "aggregation": "汇总方式", "definition": "口径", "used_by": "使用该指标的目标",
        "freshness": "数据时效（天）", "up": "越高越好", "down": "越低越好", "result": "结果指标",
        "process": "过程指标", "none": "无", "all_open_alerts": "全部预警（按严重程度）",
        "strategies": "策略", "objectives": "目标（OKR）", "priority": "优先级",
        "analysis": "异常分析", "suggestion": "改进建议", "open_issues": "未关闭问题",
        "milestones": "里程碑", "phases": "阶段", "currency": "币种", "total": "总预算",
        "no_items": "无", "children": "拆解",
        "report_title": "执行跟踪报告", "portfolio_report": "营销计划组合报告", "toc": "目录",
        "sec_summary": "执行概况", "sec_results": "关键成果", "sec_progress": "执行进度",
        "sec_budget": "预算与ROI", "sec_problems": "问题分析", "sec_suggestions": "优化建议",
        "sec_appendix": "附件", "page_of": "第 {page} 页 / 共 {pages} 页",
        "missed_goals": "未达成与有风险的目标", "delayed_tasks": "延期任务",
        "overspend": "超支科目", "risks_by_score": "风险（按风险值）",
        "goal_suggestions": "目标改进建议", "all_goals": "全部目标", "all_tasks": "全部任务",
        "data_sources": "数据来源", "metric_definitions": "指标口径",
        "summary_line": ("截至 {as_of}，计划整体状态为「{status}」，健康度 {health}；"
                         "{achieved} 个目标已达成，{alerts} 条预警。"),
        "plans_overview": "计划一览",
        "diff_title": "mxt：本次修改对执行状态的影响", "diff_rule": "规则",
        "rule_head": "HEAD 的最新指标日期", "rule_flag": "--as-of 指定",
        "diff_same": "两个版本使用同一日期", "diff_none": "无状态变化。",
        "diff_base_invalid": "基准版本的计划或数据无法通过校验，以下按新增计划列出。",
        "diff_days": "天", "diff_new_alert": "新增预警", "diff_cleared_alert": "解除预警",
        "diff_new_issue": "新问题", "diff_resolved_issue": "已解决问题", "diff_new_risk": "新风险",
        "history": "状态历史", "commit": "提交", "author": "作者",
        "changes": "状态变化", "no_history": "暂无 git 历史。",
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
        "chart_planned_bar": "Planned", "chart_actual_bar": "Actual (colour = status)",
        "chart_critical": "Critical path", "chart_milestone": "Milestone",
        "chart_burn": "Budget burn", "chart_spent": "Cumulative spend",
        "chart_planned_spend": "Planned spend", "chart_roi": "ROI by budget line",
        "chart_average": "Average", "chart_risk": "Risk matrix", "probability": "Probability",
        "impact": "Impact", "chart_timeline": "Plan timeline", "date": "Date",
        "amount": "Amount",
        "site_home": "Home", "site_alerts": "Alerts", "site_owners": "Owners",
        "site_metrics": "Metric dictionary", "site_plans": "Plans", "portfolio": "Portfolio",
        "goals_achieved": "Goals achieved", "open_alerts": "Alerts",
        "top_alerts": "Most severe alerts", "overview": "Overview", "goals": "Goals",
        "schedule": "Schedule", "budget_roi": "Budget and ROI",
        "risks_issues": "Risks and issues", "retro": "Retrospective",
        "trends": "Metric trends (period over period / year over year)",
        "changelog": "Change log", "report": "PDF report", "phase_now": "Current phase",
        "forecast_end": "Forecast end", "elapsed": "Time elapsed", "key_figures": "Key figures",
        "type": "Type", "tags": "Tags", "description": "Description", "breakdown": "Breakdown",
        "metric": "Metric", "window": "Window", "weight": "Weight", "approver": "Approver",
        "support": "Supporting teams", "phase": "Phase", "start": "Start", "end": "End",
        "actual_end": "Finished", "progress": "Progress", "depends_on": "Depends on",
        "float": "Total float (days)", "critical": "Critical", "line": "Line",
        "forecast": "Forecast", "roi": "ROI", "reserve": "Contingency reserve",
        "reserve_left": "Reserve left", "unallocated": "Unallocated",
        "draws": "Reserve draws", "reason": "Reason", "reallocation": "Reallocation",
        "risk": "Risk", "score": "Score", "level": "Level", "mitigation": "Mitigation",
        "issue": "Issue", "effect": "Effect", "action": "Action",
        "due": "Due", "resolved": "Resolved", "overdue": "Overdue", "stage": "Stage",
        "successes": "What worked", "shortfalls": "Shortfalls", "root_cause": "Root cause",
        "actions": "Actions", "last_7": "Last 7 days", "prev_7": "Previous 7 days",
        "mom": "Period over period", "yoy": "Year over year", "year_ago": "A year earlier",
        "unit": "Unit", "formula": "Formula", "direction": "Direction", "kind": "Kind",
        "aggregation": "Aggregation", "definition": "Definition", "used_by": "Used by goals",
        "freshness": "Freshness (days)", "up": "higher is better", "down": "lower is better",
        "result": "result", "process": "process", "none": "none",
        "all_open_alerts": "All alerts, most severe first", "strategies": "Strategies",
        "objectives": "Objectives (OKR)", "priority": "Priority", "analysis": "Analysis",
        "suggestion": "Suggestion", "open_issues": "Open issues", "milestones": "Milestones",
        "phases": "Phases", "currency": "Currency", "total": "Total budget",
        "no_items": "none", "children": "Breakdown",
        "report_title": "Execution review", "portfolio_report": "Portfolio review",
        "toc": "Contents", "sec_summary": "Summary", "sec_results": "Key results",
        "sec_progress": "Schedule", "sec_budget": "Budget and ROI",
        "sec_problems": "Problem analysis", "sec_suggestions": "Recommendations",
        "sec_appendix": "Appendix", "page_of": "Page {page} of {pages}",
        "missed_goals": "Missed and at-risk goals", "delayed_tasks": "Delayed tasks",
        "overspend": "Overspent lines", "risks_by_score": "Risks by score",
        "goal_suggestions": "Goal suggestions", "all_goals": "All goals",
        "all_tasks": "All tasks", "data_sources": "Data sources",
        "metric_definitions": "Metric definitions",
        "summary_line": ("As of {as_of} the plan is {status} with a health of {health}; "
                         "{achieved} goals achieved, {alerts} alerts."),
        "plans_overview": "Plans at a glance",
        "diff_title": "mxt: what this change does to the statuses", "diff_rule": "rule",
        "rule_head": "latest metric date at HEAD", "rule_flag": "set by --as-of",
        "diff_same": "the same date for both revisions", "diff_none": "No status change.",
        "diff_base_invalid": ("The base revision does not validate: its plans are listed "
                              "as new."),
        "diff_days": "days", "diff_new_alert": "new alert", "diff_cleared_alert": "cleared alert",
        "diff_new_issue": "new issue", "diff_resolved_issue": "resolved issue",
        "diff_new_risk": "new risk", "history": "Status history", "commit": "Commit",
        "author": "Author", "changes": "Status changes", "no_history": "No git history yet.",
    },
}


def _lang(language: str) -> str:
    return language if language in LANGUAGES else "zh"


def status_label(code: str, language: str) -> str:
    """A status code's name for people, e.g. `at_risk` → 有风险."""
    return STATUS[_lang(language)].get(code, code)


def label(key: str, language: str, **values: Any) -> str:
    """A column or section label (with its values filled in, where it has any)."""
    text = LABELS[_lang(language)][key]
    return text.format(**values) if values else text


def message(key: str, language: str, **values: Any) -> str:
    """An alert message with its values filled in."""
    return MESSAGES[_lang(language)][key].format(**values)


def word(key: str, language: str) -> str:
    """A single catalogue word such as a period unit."""
    return MESSAGES[_lang(language)][key]
