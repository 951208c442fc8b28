"""Shared builders: a metric store or plan from a few lines of text, no disk needed."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.load import read_model, read_plan
from generator.metrics import MetricStore
from generator.model import MetricDictionary, Plan
from generator.rows import assemble, read_csv_text

from .samples import PROJECT_PARTS, Sample, Samples, cache_entries, copy_project

__all__ = ["PROJECT_PARTS", "Sample", "cache_entries", "copy_project"]

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



# the session's builds of the sample (samples.py): fixture → (configuration, what it is)
SAMPLE_FIXTURES = {
    "sample": ("sample", "The sample as it is, built without its PDF reports "
                         "(`build(project, pdf=False)`)."),
    "sample_with_pdfs": ("sample-pdf", "The sample built with its PDF reports "
                                       "(`build(project)`)."),
    "sample_english": ("english", "The sample with `theme.language: en`, built without its "
                                  "PDF reports."),
    "sample_people": ("people", "The sample with its people directory (people.yaml), built "
                                "without its PDF reports."),
    "sample_public": ("public", "A public site: the sample with its people directory and "
                                "`hide_money: true`, built with its PDF reports."),
    "sample_launch": ("launch", "The sample's launch plan alone, built by `mxt build` with "
                                "its PDF reports."),
    "sample_launch_again": ("launch-again", "The same inputs as `sample_launch`, built again "
                                            "by `mxt build` in the same process right after "
                                            "it, in a copy of their own, from an empty cache."),
}


@pytest.fixture(scope="session", autouse=True)
def samples(request: pytest.FixtureRequest,
            tmp_path_factory: pytest.TempPathFactory) -> Iterator[Samples]:
    """The configurations of the sample that the selected tests use, built in a background
    process from the start of the session, in the order of the first test needing each."""
    needed: list[str] = []
    for item in request.session.items:
        for fixture in getattr(item, "fixturenames", ()):
            name = SAMPLE_FIXTURES.get(fixture, (None, ""))[0]
            if name is not None and name not in needed:
                needed.append(name)
    if os.environ.get("PYTEST_XDIST_WORKER"):
        # workers of one run (`-n 2`) share one background process and its builds, in the
        # run's folder; the first worker here owns the process, and lets it finish
        folder = tmp_path_factory.getbasetemp().parent / "samples"
        folder.mkdir(exist_ok=True)
        try:
            os.close(os.open(folder / "owner", os.O_CREAT | os.O_EXCL))
            owner = True
        except FileExistsError:
            owner = False
        finish = True
    else:
        folder, owner, finish = tmp_path_factory.mktemp("samples"), True, False
    made = Samples(folder)
    made.start(needed, owner=owner)
    yield made
    made.stop(finish=finish)


def _sample_fixture(name: str, config: str, doc: str) -> object:
    def built(samples: Samples) -> Sample:
        return samples.get(config)

    built.__doc__ = doc
    return pytest.fixture(scope="session", name=name)(built)


for _name, (_config, _doc) in SAMPLE_FIXTURES.items():
    globals()[_name] = _sample_fixture(_name, _config, _doc)
