"""Charts render in Chinese and English without missing glyphs, deterministically."""

from __future__ import annotations

import pytest

from generator.compute import Computed
from generator import build as pipeline
from generator.render.plan_charts import plan_charts
from generator.render import charts

from .conftest import ROOT


@pytest.fixture(scope="module")
def computed() -> Computed:
    return pipeline.compute(ROOT)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_chart_of_every_plan_renders(computed: Computed, lang: str):
    kinds = set()
    for p in computed.result.plans:
        rendered = plan_charts(p, computed.store, computed.result, lang)
        for key, svg in rendered.items():
            assert svg.startswith(b"<?xml") and b"<svg" in svg, key
            kinds.add(key.split(":")[0])
    assert kinds == {"goal", "breakdown", "attainment", "gantt", "burn", "roi", "risks"}
    timeline = charts.timeline_chart(computed.result.plans, computed.result.as_of, lang)
    assert b"<svg" in timeline


def test_charts_are_deterministic(computed: Computed):
    p = computed.result.plans[0]
    first = plan_charts(p, computed.store, computed.result, "zh")
    again = plan_charts(p, computed.store, computed.result, "zh")
    assert first == again
    assert all(b"<dc:date>" not in svg for svg in first.values())


def test_a_missing_glyph_fails_the_tests():
    # pyproject's filterwarnings turns matplotlib's missing-glyph warning into an error
    with pytest.raises(UserWarning, match="missing from font"):
        charts.attainment_chart([("\U00013000 hieroglyph", 0.5, "on_track")], "zh")
