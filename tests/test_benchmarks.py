"""The benchmark harness runs (on a tiny portfolio) so that it cannot rot."""

from __future__ import annotations

import json
import math
import re
import subprocess
import sys

import pytest

from .conftest import ROOT


@pytest.mark.slow
def test_benchmark_runner_small_run():
    """The whole runner on 5 plans: every stage timed, mxt and DuckDB head to head."""
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "run.py"), "--sizes",
                           "5:2000", "--pdf-plans", "1", "--rounds", "1"],
                          capture_output=True, text=True, check=True, timeout=300)
    header, _rule, row = done.stdout.strip().splitlines()
    names = [c.strip() for c in header.strip("|").split("|")]
    cells = dict(zip(names, (c.strip() for c in row.strip("|").split("|")), strict=True))
    assert cells["plans"] == "5" and cells["rows"] == "2,000"
    duck_cell = cells["DuckDB read+group: query (process)"]
    query, process = (float(x) for x in duck_cell.rstrip(")").split(" ("))
    for stage in ("load", "validate", "compute", "pages+charts", "MkDocs", "PDF/plan"):
        # every stage ran ("—" when it did not) and took a finite time, in seconds to 0.01
        assert re.fullmatch(r"\d+\.\d\d", cells[stage]), (stage, cells[stage])
    # all but validate (a few milliseconds on 2,000 rows: it may print 0.00) take measurable time
    for stage in ("load", "compute", "pages+charts", "MkDocs", "PDF/plan"):
        assert float(cells[stage]) > 0, stage
    # DuckDB's whole process includes its query
    assert 0 < query < process
    seconds, peak = cells["status --json (process, peak MB)"].rstrip(")").split(" (")
    assert float(seconds) > 0 and float(peak.replace(",", "")) > 0
    # the ratios are mxt's seconds over DuckDB's, figures of the row (each shown to 0.01)
    ours = float(seconds)
    ratios = cells["ratio to query (to process)"].rstrip(")").split(" (")
    for duck, shown in zip((query, process), ratios, strict=True):
        ratio = float(shown.rstrip("x"))
        low, high = (ours - 0.005) / (duck + 0.005), (ours + 0.005) / (duck - 0.005)
        assert low - 0.005 <= ratio <= high + 0.005, (ours, duck, ratio)


def test_engine_comparison_runs_and_both_engines_agree(tmp_path):
    """benchmarks/engine.py on a small portfolio: every step timed, and the store's window
    values equal DuckDB's set-based answers (it exits 1 when they do not)."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from synth import generate

    project = generate(tmp_path / "p", 4, 4000)
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "engine.py"),
                           "--project", str(project)],
                          capture_output=True, text=True, check=True, timeout=300)
    steps = re.findall(r"^\| (mxt|DuckDB): .* \| (\d+\.\d\d) s \|$", done.stdout, re.M)
    assert [engine for engine, _ in steps] == ["mxt", "DuckDB", "DuckDB", "DuckDB", "mxt",
                                               "DuckDB"]
    asked = int(re.search(r"([\d,]+) windows asked", done.stdout)[1].replace(",", ""))
    assert asked > 4 * 4  # goals, budget lines, alerts and trends of four plans
    assert f"the two engines' {asked:,} window values agree: True" in done.stdout

def test_benchmark_stages_report_json(tmp_path):
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from synth import generate

    project = generate(tmp_path / "p", 2, 500)
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "run.py"), "--one",
                           str(project), "--pdf-plans", "0", "--charts-limit", "0"],
                          capture_output=True, text=True, check=True, timeout=300)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["pages_charts"] is None and "pdf_per_plan" not in result
    for stage in ("load", "validate", "compute", "status_json"):
        assert math.isfinite(result[stage]) and result[stage] > 0, stage
    assert result["peak_mb"] > 0


def test_synthetic_portfolio_is_valid_and_deterministic(tmp_path):
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from synth import generate

    from generator import build as pipeline

    a = generate(tmp_path / "a", 3, 3000, seed=1)
    b = generate(tmp_path / "b", 3, 3000, seed=1)
    for rel in ("plans/p0000.yaml", "data/rows-000.csv"):
        assert (a / rel).read_bytes() == (b / rel).read_bytes()
    checked = pipeline.check(a)
    assert checked.errors == [] and checked.warnings == []
    assert len(checked.rows) == 3000
