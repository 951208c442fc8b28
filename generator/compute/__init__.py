"""Pure computations over the loaded model and the metric store: no files, no rendering."""

from __future__ import annotations

from ..load import Project
from ..metrics import MetricStore
from .plan import evaluate_plan
from .results import PortfolioResult


def compute_portfolio(project: Project, store: MetricStore, plan_ids: set[str] | None = None
                      ) -> PortfolioResult:
    """Every plan's status as of the store's date (plans sorted by id)."""
    plans = sorted((p for p in project.plans if plan_ids is None or p.id in plan_ids),
                   key=lambda p: p.id)
    results = [evaluate_plan(p.plan, p.id, p.source, store, project.language) for p in plans]
    return PortfolioResult(store.as_of, project.language, results,
                           dict(project.dictionary.metrics))
