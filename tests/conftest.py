"""Shared builders: a metric store or plan from a few lines of text, no disk needed."""

from __future__ import annotations

import datetime as dt
import shutil
import textwrap
from pathlib import Path

import pytest

from generator.load import read_model, read_plan
from generator.metrics import MetricStore
from generator.model import MetricDictionary, Plan
from generator.rows import assemble, read_csv_text

FIXTURES = Path(__file__).parent / "fixtures"
ROOT = Path(__file__).parent.parent

DICTIONARY = """
dimensions: [plan, region, channel]
metrics:
  new_users: {name: 新增用户, aggregation: sum}
  impressions: {name: 曝光量, aggregation: sum}
  clicks: {name: 点击量, aggregation: sum}
  orders: {name: 订单数, aggregation: sum}
  visitors: {name: 访客数, aggregation: sum}
  gmv: {name: 成交额, aggregation: sum}
  cost: {name: 成本, aggregation: sum, direction: down}
  followers: {name: 粉丝数, aggregation: last}
  search_index: {name: 搜索指数, aggregation: mean}
  peak: {name: 峰值, aggregation: max}
  trough: {name: 谷值, aggregation: min}
  ctr: {name: 点击率, format: percent, formula: clicks / impressions}
  roi: {name: ROI, format: ratio, formula: gmv / cost}
  cac: {name: 获客成本, formula: cost / new_users, direction: down}
  profit_share: {name: 利润率, formula: (gmv - cost) / gmv}
"""


def dictionary(text: str = DICTIONARY) -> MetricDictionary:
    model, _, problems = read_model(textwrap.dedent(text), "data/metrics.yaml", MetricDictionary)
    assert not problems and model is not None, problems
    return model


def store(csv: str, as_of: str, text: str = DICTIONARY, plans: set[str] | None = None
          ) -> MetricStore:
    """A store over CSV text (long shape; rows of plan `p` unless the CSV says)."""
    d = dictionary(text)
    rows, problems = assemble([read_csv_text(textwrap.dedent(csv).lstrip(), "data/t.csv")],
                              d, plans or {"p"})
    assert not [p for p in problems if p.severity.value == "error"], problems
    return MetricStore(rows, d, dt.date.fromisoformat(as_of))


def plan(text: str) -> Plan:
    loaded, problems = read_plan(textwrap.dedent(text), "plans/p.yaml")
    assert loaded is not None and not problems, problems
    return loaded.plan


@pytest.fixture
def spec_project(tmp_path: Path) -> Path:
    """A writable copy of the spec's complete example project."""
    target = tmp_path / "project"
    shutil.copytree(FIXTURES / "spec_example", target)
    return target
