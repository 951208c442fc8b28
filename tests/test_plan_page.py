"""The plan page: figure cards that explain themselves, nothing typed lost, the plan's own
language, charts with their figures in words and a phone layout."""

from __future__ import annotations

import dataclasses
import re

import pytest

from generator import build as pipeline
from generator.compute import Computed
from generator.compute.results import PlanResult
from generator.model import Retro
from generator.render import charts, pages
from generator.render.plan_charts import svg_size
from generator.views.contexts import PlanPage
from generator.views.plan import ChartLinks, ChartSize, Formatter, PlanView

from .conftest import ROOT


@pytest.fixture(scope="module")
def computed() -> Computed:
    return pipeline.compute(ROOT)


def _plan(computed: Computed, plan_id: str) -> PlanResult:
    return next(p for p in computed.result.plans if p.id == plan_id)


def _page(computed: Computed, view: PlanView, lang: str = "zh") -> str:
    env = pages.environment(None, lang)
    return pages.render_page(env, PlanPage(view))


def test_cards_say_why_the_status_and_explain_health_and_overspending(computed: Computed):
    p = _plan(computed, "launch-2026q3")
    view = Formatter(computed.result, "zh").plan(p, ChartLinks())
    cards = {c.label: c for c in view.cards}
    assert list(cards) == ["状态", "健康度", "预测达成率", "预算已用 / 时间已过", "预计完成"]
    status = cards["状态"]
    assert status.badge is not None and status.badge.code == p.status.value
    worst = next(g for top in p.goals for g in top.with_children()
                 if g.status.value == p.status.value)
    assert worst.id in status.note  # the worst goal is named beside the status
    assert "120%" in cards["健康度"].note and "120%" in view.health_note
    budget = cards["预算已用 / 时间已过"]
    assert budget.badge is not None and budget.badge.code == "overspent"
    assert budget.value.startswith("93.6%")  # overspent below 100%: explained where it stands
    assert view.budget is not None and view.budget.overspent_note is not None
    assert "抖音信息流广告" in view.budget.overspent_note
    assert "108%" in view.budget.overspent_note
    assert cards["预计完成"].badge is not None  # late: 晚 N 天


def test_reserve_draws_beyond_the_contingency_are_explained(computed: Computed):
    p = _plan(computed, "launch-2026q3")
    assert p.budget is not None
    overdrawn = dataclasses.replace(p, budget=dataclasses.replace(
        p.budget, reserve=10_000.0, drawn=30_000.0, reserve_left=-20_000.0))
    view = Formatter(computed.result, "en").plan(overdrawn, ChartLinks())
    assert view.budget is not None and view.budget.overspent_note is not None
    assert "30,000" in view.budget.overspent_note and "10,000" in view.budget.overspent_note
    card = next(c for c in view.cards if c.label == "Budget used / time elapsed")
    assert "reserve" in card.note


def test_nothing_typed_is_lost(computed: Computed):
    p = _plan(computed, "launch-2026q3")
    plan = p.plan
    retro = Retro(stage="中期", shortfalls="华北落后", goals=["G1", "G9"])
    p = dataclasses.replace(p, plan=plan.model_copy(update={"retro": [retro]}))
    view = Formatter(computed.result, "zh").plan(p, ChartLinks())
    md = _page(computed, view)
    # tasks: priority, strategy, supporting teams and deliverables
    task = next(t for t in plan.tasks if t.deliverables)
    row = next(r for r in view.tasks if r.id == task.id)
    assert row.deliverables and row.deliverables[0] in md
    assert any(r.priority is not None for r in view.tasks)
    assert any(r.strategy != "—" for r in view.tasks) or not any(t.strategy for t in plan.tasks)
    assert any(r.support != "—" for r in view.tasks) or not any(t.support for t in plan.tasks)
    # goals: their strategy as written
    goal = next(g for g in plan.goals if g.strategy)
    assert goal.strategy is not None and pages.md_text(goal.strategy) in md
    # each reserve draw with the risk it paid for, and per risk its draws
    assert plan.budget is not None
    draw = plan.budget.draws[0]
    assert view.budget is not None and view.budget.draws[0].paid_for.startswith(str(draw.risk))
    risk = next(r for r in view.risks if r.id == draw.risk)
    assert "30,000" in risk.draws
    # a retrospective entry with the goals it cites and their figures (unknown ids as written)
    cited = view.retro[0].goals
    assert cited[0].startswith("G1 ") and "89.5%" in cited[0] and cited[1] == "G9"
    assert "89.5%" in md


def test_an_english_plan_is_all_english_in_a_chinese_site(computed: Computed):
    p = _plan(computed, "winback-2026h2")
    assert p.plan.language == "en" and computed.result.language == "zh"
    view = Formatter(computed.result, "zh").plan(p, ChartLinks())
    assert view.language == "en"
    md = _page(computed, view)
    assert 'lang="en"' in md
    body = re.sub(r"^---.*?---", "", md, flags=re.DOTALL)
    # labels, statuses, metric names and messages are English; only plan text may be Chinese
    for word in ("执行概况", "目标达成", "健康度", "状态", "有风险", "未达成", "预警"):
        assert word not in body, word
    assert "Overview" in body or "Health" in body


def test_figures_carry_their_numbers_size_and_phone_layout(computed: Computed):
    p = _plan(computed, "launch-2026q3")
    g1 = p.goals[0]
    links = ChartLinks(goals={g1.id: "c/000-goal.svg"}, attainment="c/001-attainment.svg",
                       narrow={"c/000-goal.svg": "c/narrow/000-goal.svg"},
                       sizes={"c/000-goal.svg": ChartSize(720, 300),
                              "c/narrow/000-goal.svg": ChartSize(400, 330)})
    view = Formatter(computed.result, "zh").plan(p, links)
    fig = view.goals[0].figure
    assert fig is not None and (fig.width, fig.height) == (720, 300)
    assert fig.narrow == "c/narrow/000-goal.svg" and fig.narrow_width == 400
    assert "89.5%" in fig.alt and "200,000" in fig.alt  # attainment and target in words
    assert view.attainment_figure is not None and "89.5%" in view.attainment_figure.alt
    md = _page(computed, view)
    assert "width=720 height=300" in md and ".mxt-narrow" in md


def test_narrow_charts_are_relaid_out_not_shrunk(computed: Computed):
    p = _plan(computed, "launch-2026q3")
    assert p.budget is not None
    wide = charts.roi_chart(p.budget, "zh")
    with charts.narrow():
        phone = charts.roi_chart(p.budget, "zh")
    assert wide is not None and phone is not None
    w, n = svg_size(wide), svg_size(phone)
    assert w is not None and n is not None
    assert n.width < 0.7 * w.width  # drawn for a phone's width, with its type 1.3× larger:
    assert n.height / n.width > w.height / w.width  # so taller for its width, not shrunk


def test_gantt_tells_not_started_blocked_and_cancelled_apart(computed: Computed):
    p = _plan(computed, "launch-2026q3")
    svg = charts.gantt_chart(p, computed.result.as_of, "zh").decode()
    texts = re.findall(r"<!-- (.*?) -->", svg)
    for word in ("未开始", "受阻", "已取消"):
        assert any(word in t for t in texts), word
