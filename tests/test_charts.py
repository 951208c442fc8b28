"""Charts render in Chinese and English without missing glyphs, deterministically."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import pytest

from generator import build as pipeline
from generator.compute import Computed
from generator.compute.results import PlanResult
from generator.render import charts
from generator.render.plan_charts import PlanCharts, plan_charts
from generator.views.plan import plan_language

from .conftest import ROOT

Draw = Callable[[PlanResult, str], PlanCharts]


@pytest.fixture(scope="module")
def computed() -> Computed:
    return pipeline.compute(ROOT)


@pytest.fixture(scope="module")
def drawn(computed: Computed) -> Draw:
    """`plan_charts` of a plan in a site language, drawn once per plan and the language it
    draws in: a plan with a language of its own (the English win-back plan) draws the same
    charts whatever the site's language (`plan_charts` draws in `plan_language`), so those
    are not drawn twice."""
    memo: dict[tuple[str, str], PlanCharts] = {}

    def draw(p: PlanResult, lang: str) -> PlanCharts:
        key = (p.id, plan_language(p, lang))
        if key not in memo:
            memo[key] = plan_charts(p, computed.store, computed.result, lang)
        return memo[key]

    return draw


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.slow
def test_every_chart_of_every_plan_renders(computed: Computed, drawn: Draw, lang: str):
    kinds = set()
    for p in computed.result.plans:
        files, links = drawn(p, lang).files("charts")
        for name, svg in files.items():
            assert svg.startswith(b"<?xml") and b"<svg" in svg, name
            kinds.add(name.rsplit("-", 1)[1].removesuffix(".svg"))
        # every goal has its chart, and every chart file has its link
        assert set(links.goals) == {g.id for g in p.goals}
        linked = [*links.goals.values(), *links.breakdowns.values(), *(
            x for x in (links.attainment, links.gantt, links.burn, links.roi, links.risks) if x),
            *links.narrow.values()]  # each chart's phone layout, `narrow/` + its name
        assert sorted(linked) == sorted(files)
        assert set(links.narrow) == set(linked) - set(links.narrow.values())
    assert kinds == {"goal", "breakdown", "attainment", "gantt", "burn", "roi", "risks"}
    timeline = charts.timeline_chart(computed.result.plans, computed.result.as_of, lang)
    assert b"<svg" in timeline


@pytest.mark.slow
def test_charts_are_deterministic(computed: Computed, drawn: Draw):
    p = computed.result.plans[0]
    first = drawn(p, "zh")  # drawn earlier in the session when the test above ran
    again = plan_charts(p, computed.store, computed.result, "zh")
    assert first == again
    assert all(b"<dc:date>" not in svg for svg in first.files("charts")[0].values())


def test_a_missing_glyph_fails_the_tests():
    # pyproject's filterwarnings turns matplotlib's missing-glyph warning into an error
    import io

    from matplotlib.figure import Figure

    fig = Figure()
    fig.text(0, 0, "\U00013000 hieroglyph")
    with pytest.raises(UserWarning, match="missing from font"):
        fig.savefig(io.BytesIO(), format="svg")


def test_plan_text_the_fonts_cannot_draw_is_left_out(computed: Computed):
    p = computed.result.plans[0]
    titled = dataclasses.replace(p, plan=p.plan.model_copy(update={"title": "🎰 双11促销"}))
    svg = charts.timeline_chart([titled], p.plan.period.start, "zh")  # no warning: no box
    assert b"<svg" in svg


def _texts(svg: bytes) -> list[str]:
    """The text of a chart: matplotlib writes each text it draws as paths after a comment."""
    import re

    return [t.strip() for t in re.findall(r"<!-- (.*?) -->", svg.decode("utf-8"))]


def _plan(computed: Computed, plan_id: str):
    return next(p for p in computed.result.plans if p.id == plan_id)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_gantt_shows_forecast_chain_named_milestones_and_lateness(computed: Computed,
                                                                   lang: str):
    from generator.views.catalogue import label

    p = _plan(computed, "launch-2026q3")
    assert p.late_days > 0 and p.driving_chain
    svg = charts.gantt_chart(p, computed.result.as_of, lang)
    texts = _texts(svg)
    # every milestone by id and name, the overdue one with its days
    for m in p.milestones:
        assert f"◆ {m.id} {m.name}" in texts
    overdue = [m for m in p.milestones if m.overdue]
    assert overdue  # MS3
    for m in overdue:
        days = label("days_overdue", lang, days=m.days_overdue)
        assert f"{m.date:%m-%d} · {days}" in texts, texts
    # the driving chain is starred, and every critical task with it
    for t in p.tasks:
        starred = any(x.startswith(f"★ {t.id} ") for x in texts)
        assert starred == t.critical, t.id
    assert {t.id for t in p.tasks if t.critical} >= set(p.driving_chain)
    # forecast bars are hatched and named in the legend; the period end and the forecast
    # end (with how late) are lines named with their dates
    assert b"<pattern" in svg
    assert label("chart_forecast_bar", lang) in texts
    assert f"{label('chart_period_end', lang)} {p.plan.period.end}" in texts
    late = label("late_by", lang, days=p.late_days)
    assert f"{label('chart_forecast_end', lang)} {p.forecast_end} ({late})" in texts


def test_gantt_of_a_plan_with_a_done_late_milestone(computed: Computed):
    p = _plan(computed, "south-expansion-2026")  # MS2 planned 04-30, done 05-18
    texts = _texts(charts.gantt_chart(p, computed.result.as_of, "zh"))
    assert "✓ 05-18 (计划 04-30)" in texts


def test_goal_chart_draws_the_forecast_cone_and_the_original_target(computed: Computed):
    from generator.compute.series import goal_series

    p = _plan(computed, "launch-2026q3")
    g = p.goals[0]
    series = goal_series(g, p.plan, p.id, computed.store)
    assert series.forecast_dates and series.forecast_dates[-1] == g.due
    plain = _texts(charts.goal_chart(series, "zh"))
    assert any(t.startswith("预测 80% 区间 ") for t in plain), plain
    assert any(t.startswith("预测 ") and "区间" not in t for t in plain), plain
    assert not any(t.startswith("原目标") for t in plain)
    rebaselined = _texts(charts.goal_chart(series, "en", original_target=250000,
                                           lowered=True))
    assert "Original target 250K" in rebaselined
    assert any("against the lowered target" in t for t in rebaselined), rebaselined


def test_level_goal_chart_has_its_cone_too(computed: Computed):
    from generator.compute.series import goal_series

    p = _plan(computed, "launch-2026q3")
    g = next(g for g in p.goals if g.id == "G2")  # a level (mean) goal in progress
    series = goal_series(g, p.plan, p.id, computed.store)
    assert not series.cumulative and series.forecast_dates
    assert any(t.startswith("Forecast 80% range") for t in
               _texts(charts.goal_chart(series, "en")))


def test_burn_chart_names_the_expected_spend():
    import datetime as dt

    from generator.compute.series import BurnSeries

    days = [dt.date(2026, 1, 1) + dt.timedelta(days=i) for i in range(10)]
    burn = BurnSeries(days[:5], [10.0 * i for i in range(5)], days,
                      [5.0 * i * i for i in range(10)], 405.0)
    assert "预期花费" in _texts(charts.burn_chart(burn, "CNY", "zh"))
    assert "Expected spend (phase pace)" in _texts(charts.burn_chart(burn, "CNY", "en",
                                                                     paced=True))
