"""Pure computations over the loaded model and the metric store: no files, no rendering."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from ..load import Project
from ..metrics import MetricStore
from .plan import evaluate_plan
from .results import PortfolioResult


def compute_portfolio(project: Project, rows: pd.DataFrame, as_of: dt.date,
                      plan_ids: set[str] | None = None) -> PortfolioResult:
    """Every plan's status as of one date (plans sorted by id)."""
    store = MetricStore(rows, project.dictionary, as_of)
    plans = sorted((p for p in project.plans if plan_ids is None or p.id in plan_ids),
                   key=lambda p: p.id)
    results = [evaluate_plan(p.plan, p.id, p.source, store, project.language) for p in plans]
    return PortfolioResult(as_of, project.language, results, dict(project.dictionary.metrics))
