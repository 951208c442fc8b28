"""Charts render in Chinese and English without missing glyphs, deterministically."""

from __future__ import annotations

import dataclasses

import pytest

from generator import build as pipeline
from generator.compute import Computed
from generator.render import charts
from generator.render.plan_charts import plan_charts

from .conftest import ROOT


@pytest.fixture(scope="module")
def computed() -> Computed:
    return pipeline.compute(ROOT)


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.slow
def test_every_chart_of_every_plan_renders(computed: Computed, lang: str):
    kinds = set()
    for p in computed.result.plans:
        files, links = plan_charts(p, computed.store, computed.result, lang).files("charts")
        for name, svg in files.items():
            assert svg.startswith(b"<?xml") and b"<svg" in svg, name
            kinds.add(name.rsplit("-", 1)[1].removesuffix(".svg"))
        # every goal has its chart, and every chart file has its link
        assert set(links.goals) == {g.id for g in p.goals}
        linked = [*links.goals.values(), *links.breakdowns.values(), *(
            x for x in (links.attainment, links.gantt, links.burn, links.roi, links.risks) if x)]
        assert sorted(linked) == sorted(files)
    assert kinds == {"goal", "breakdown", "attainment", "gantt", "burn", "roi", "risks"}
    timeline = charts.timeline_chart(computed.result.plans, computed.result.as_of, lang)
    assert b"<svg" in timeline


@pytest.mark.slow
def test_charts_are_deterministic(computed: Computed):
    p = computed.result.plans[0]
    first = plan_charts(p, computed.store, computed.result, "zh")
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
