"""The benchmark harness runs (on a tiny portfolio) so that it cannot rot."""

from __future__ import annotations

import json
import subprocess
import sys

from .conftest import ROOT


def test_benchmark_runner_small_run():
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "run.py"), "--one",
                           "5:2000", "--pdf-plans", "1"], capture_output=True, text=True,
                          check=True, timeout=300)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    for stage in ("load", "validate", "compute", "status_json", "pages_charts", "mkdocs",
                  "pdf_per_plan", "duckdb"):
        assert result[stage] is not None and result[stage] >= 0, stage
    assert result["peak_mb"] > 0


def test_synthetic_portfolio_is_valid_and_deterministic(tmp_path):
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from synth import generate

    from generator import pipeline

    a = generate(tmp_path / "a", 3, 3000, seed=1)
    b = generate(tmp_path / "b", 3, 3000, seed=1)
    for rel in ("plans/p0000.yaml", "data/rows-000.csv"):
        assert (a / rel).read_bytes() == (b / rel).read_bytes()
    checked = pipeline.check(a)
    assert checked.errors == [] and checked.warnings == []
    assert len(checked.rows) == 3000
