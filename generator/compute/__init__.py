"""Pure computations over the loaded model and the metric store: facts, no files, no words."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..load import Project
from ..metrics import MetricStore
from ..validate import Checked
from .plan import evaluate_plan
from .results import PortfolioResult


def compute_portfolio(project: Project, store: MetricStore, plan_ids: set[str] | None = None
                      ) -> PortfolioResult:
    """Every plan's status as of the store's date (plans sorted by id)."""
    plans = sorted((p for p in project.plans if plan_ids is None or p.id in plan_ids),
                   key=lambda p: p.id)
    results = [evaluate_plan(p.plan, p.id, p.source, store) for p in plans]
    return PortfolioResult(store.as_of, project.language, results,
                           dict(project.dictionary.metrics), project.people)


@dataclass
class Computed:
    """A checked project with its metric store and computed portfolio."""

    checked: Checked
    store: MetricStore
    result: PortfolioResult

    def sources(self, plan_id: str) -> list[str]:
        """数据来源: the distinct `source` notes of a plan's metric rows."""
        rows = self.checked.rows
        codes, names = rows.column("source"), rows.names["source"]
        return sorted(s for s in (names[c] for c in np.unique(codes[rows.plan_rows(plan_id)]))
                      if s.strip())
