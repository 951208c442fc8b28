"""Time that tells the truth, in words: forecasts, objectives, milestones, float, lateness
and re-baselining on the plan page and in the report."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from generator import build as pipeline
from generator.compute import Computed
from generator.compute.results import GoalStatus, PlanResult
from generator.history import Baselines, Commit, DatesChange, TargetChange
from generator.render import pages, pdf
from generator.views.contexts import PlanPage, PlanReport
from generator.views.plan import ChartLinks, Formatter
from generator.views.report import report

from .conftest import ROOT

COMMIT = Commit("0123456789abcdef", "王经理", dt.datetime(2026, 10, 5, 9, 30,
                                                          tzinfo=dt.UTC),
                "re-baseline", ("plans/launch-2026q3.yaml",))


@pytest.fixture(scope="module")
def computed() -> Computed:
    return pipeline.compute(ROOT)


def plan(computed: Computed, plan_id: str = "launch-2026q3") -> PlanResult:
    return next(p for p in computed.result.plans if p.id == plan_id)


def page(computed: Computed, p: PlanResult, baselines: Baselines | None = None,
         lang: str = "zh") -> str:
    view = Formatter(computed.result, lang).plan(p, ChartLinks(), baselines=baselines)
    return pages.render_page(pages.environment(None, lang), PlanPage(view))


def test_goal_table_has_the_forecast_column(computed: Computed):
    p = plan(computed)
    view = Formatter(computed.result, "zh").plan(p, ChartLinks())
    g1, text = view.goals[0], page(computed, p)
    assert "预测（80% 区间）" in text
    assert g1.forecast == f"{p.goals[0].forecast:,.0f}"
    assert g1.forecast_range == (f"{p.goals[0].forecast_low:,.0f} ~ "
                                 f"{p.goals[0].forecast_high:,.0f}")
    assert g1.forecast_attainment == f"{p.goals[0].forecast_attainment * 100:.1f}%"
    # the range is escaped like every printed value: `~` as an entity
    assert f'<span class="mxt-nw">{g1.forecast}</span> · <span class="mxt-nw">' in text
    assert g1.forecast_range.replace("~", "&#126;") in text
    # a goal without a forecast (a missed goal) shows a dash
    missed = next(g for g in plan(computed, "winback-2026h2").goals if g.forecast is None)
    assert Formatter(computed.result, "en").goal(missed, ChartLinks()).forecast == "—"


def test_objectives_list_key_results_with_score(computed: Computed):
    p = plan(computed)
    view = Formatter(computed.result, "zh").plan(p, ChartLinks())
    o1 = view.objectives[0]
    assert o1.id == "O1" and o1.name == "新品打开市场"
    assert [(k.id, k.name) for k in o1.key_results] == [("G1", "新增注册用户20万"),
                                                        ("G2", "品牌关键词搜索指数提升30%")]
    assert o1.score == f"{min(p.objectives[0].score, 1):.2f}"  # an OKR grade, 0.00–1.00
    text = page(computed, p)
    assert "目标（OKR）" in text and "关键结果" in text and "得分（0–1）" in text
    assert f"**{o1.score}**" in text
    assert "G1 新增注册用户20万 · " in text


def test_schedule_shows_forecast_float_milestones_and_lateness(computed: Computed):
    p = plan(computed)
    view = Formatter(computed.result, "zh").plan(p, ChartLinks())
    assert view.late == f"晚 {p.late_days} 天" and p.late_days > 0
    assert view.driving_chain == [f"{i} {next(t.task.name for t in p.tasks if t.id == i)}"
                                  for i in p.driving_chain]
    rows = {t.id: t for t in view.tasks}
    finished = [t for t in p.tasks if t.total_float is None]
    assert finished and all(rows[t.id].float == "—" for t in finished)
    m14 = next(t for t in p.tasks if t.id == "M-14")
    assert rows["M-14"].forecast == f"{m14.forecast_start:%m-%d} ~ {m14.forecast_end:%m-%d}"
    assert rows["M-14"].forecast_late and rows["M-14"].critical
    assert rows["M-01"].finish == "✓ 08-07" and rows["M-01"].forecast == "—"
    ms3 = next(m for m in view.milestones if m.id == "MS3")
    assert ms3.overdue and ms3.status.label == f"逾期 {p.milestones[2].days_overdue} 天"
    assert [m.status.code for m in view.milestones] == ["done", "done", "overdue", "pending"]
    text = page(computed, p)
    assert f'<span class="mxt-badge mxt-overdue">晚 {p.late_days} 天</span>' in text
    assert "第二波种草全部上线" in text and "逾期" in text


def test_rebaseline_notes_render_from_baselines(computed: Computed):
    p = plan(computed)
    baselines = Baselines(
        targets={"G1": [TargetChange(COMMIT, 250000, 200000)],
                 "G1/华北": [TargetChange(COMMIT, 60000, 50000)]},
        dates={"M-09": [DatesChange(COMMIT, dt.date(2026, 10, 1), dt.date(2026, 10, 20),
                                    dt.date(2026, 10, 5), dt.date(2026, 10, 30))]})
    view = Formatter(computed.result, "zh").plan(p, ChartLinks(), baselines=baselines)
    assert view.goals[0].rebaselines == ["目标于 10-05 由 250,000 调整为 200,000"]
    assert [n.id for n in view.goal_rebaselines] == ["G1", "G1/华北"]
    assert [n.text for n in view.task_rebaselines] == [
        "计划日期于 10-05 由 10-01 ~ 10-20 调整为 10-05 ~ 10-30"]
    assert next(t for t in view.tasks if t.id == "M-09").rebaselined
    text = page(computed, p, baselines)
    assert "目标于 10-05 由 250,000 调整为 200,000" in text
    assert "计划日期于 10-05 由 10-01 &#126; 10-20 调整为 10-05 &#126; 10-30" in text
    english = Formatter(computed.result, "en").plan(p, ChartLinks(), baselines=baselines)
    assert english.goals[0].rebaselines == ["Target changed on 10-05 from 250,000 to 200,000"]
    # without history there is nothing to say
    assert "目标于" not in page(computed, p)


def test_a_goal_achieved_only_against_a_lowered_target_is_marked(computed: Computed):
    p = plan(computed)
    g1 = p.goals[0]  # 新增注册用户: more is better
    achieved = dataclasses.replace(g1, status=GoalStatus.ACHIEVED, target=170000.0,
                                   children=[])
    f = Formatter(computed.result, "zh")
    lowered = [TargetChange(COMMIT, 200000, 170000)]
    assert f.lowered(achieved, lowered)
    assert not f.lowered(achieved, [TargetChange(COMMIT, 150000, 170000)])  # raised
    assert not f.lowered(dataclasses.replace(achieved, actual=205000.0), lowered)  # reached
    assert not f.lowered(dataclasses.replace(achieved, status=GoalStatus.ON_TRACK), lowered)
    # where less is better, a higher target is the easier one
    cac = dataclasses.replace(achieved, metric="cac", target=60.0, actual=55.0)
    assert f.lowered(cac, [TargetChange(COMMIT, 50, 60)])
    assert not f.lowered(cac, [TargetChange(COMMIT, 70, 60)])
    # on the page: the badge beside the status and the note with the original target
    rebaselined = dataclasses.replace(p, goals=[achieved, *p.goals[1:]])
    view = f.plan(rebaselined, ChartLinks(), baselines=Baselines(targets={"G1": lowered}))
    assert view.goals[0].lowered and [n.id for n in view.lowered_goals] == ["G1"]
    assert view.objectives[0].key_results[0].lowered  # O1's key result G1
    text = page(computed, rebaselined, Baselines(targets={"G1": lowered}))
    assert '<span class="mxt-badge mxt-lowered">按调整后目标</span>' in text
    assert "原目标 200,000 未达到" in text


def test_report_html_shows_forecast_objectives_milestones_and_rebaselining(
        computed: Computed):
    p = plan(computed)
    baselines = Baselines(targets={"G1": [TargetChange(COMMIT, 250000, 200000)]},
                          dates={"M-09": [DatesChange(COMMIT, dt.date(2026, 10, 1),
                                                      dt.date(2026, 10, 20),
                                                      dt.date(2026, 10, 5),
                                                      dt.date(2026, 10, 30))]})
    html = pdf.render_html(PlanReport(report(computed.result, p, ChartLinks(), [], "zh",
                                             baselines)), None, "zh")
    for text in ("预测（80% 区间）", "目标（OKR）", "关键结果", "里程碑", "逾期",
                 "决定完成日期的任务链", "目标于 10-05 由 250,000 调整为 200,000",
                 "计划日期于 10-05 由 10-01 ~ 10-20 调整为 10-05 ~ 10-30",
                 f"晚 {p.late_days} 天"):
        assert text in html, text
