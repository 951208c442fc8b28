"""The row engine against DuckDB on the same rows, the same questions.

    .venv/bin/python benchmarks/engine.py                       # 1,000 plans, 10M rows
    .venv/bin/python benchmarks/engine.py --plans 100 --rows 1000000 --kind wide
    .venv/bin/python benchmarks/engine.py --project PATH        # an existing portfolio

The CSV files are read once by the product's reader (untimed: both engines start
from the same Arrow tables). Then, one after the other in this process:

1. assembly: the product's sorted row table (`rows.prepare`) against DuckDB
   ordering the same rows by (plan, metric, date, dimensions), by their text
   and by integer codes;
2. window values: every window the computations of the portfolio ask for
   (recorded during a real `compute_portfolio`: plan, metric, dates, `where`)
   answered by the metric store one by one, and by DuckDB in one set-based
   query (the windows as a table joined to the rows, grouped by window). Both
   answers are compared: they must agree.

Sum metrics only (the synthetic portfolios' stored metrics all are).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))


def timed(label: str, fn):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    value = fn()
    print(f"| {label} | {time.perf_counter() - start:.2f} s |", flush=True)
    return value


def recorded_windows(project: Path) -> tuple[object, list[tuple[str, str, dt.date, dt.date,
                                                                 tuple]]]:
    """The checked project and every stored-metric window its computations ask for."""
    from generator import build
    from generator.compute import compute_portfolio
    from generator.metrics import MetricStore

    checked = build.check(project)
    store = MetricStore(checked.rows, checked.project.dictionary, checked.as_of)
    asked: set[tuple[str, str, dt.date, dt.date, tuple]] = set()
    answer = store._value

    def record(metric, plan, start, end, where=()):  # type: ignore[no-untyped-def]
        if metric not in store._parsed:
            asked.add((metric, plan, start, end, where))
        return answer(metric, plan, start, end, where)

    store._value = record  # type: ignore[method-assign]
    store.value = record  # type: ignore[method-assign]
    compute_portfolio(checked.project, store, None)
    return checked, sorted(asked, key=repr)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plans", type=int, default=1000)
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--kind", default="long", help="long, wide or warnings (synth.py)")
    parser.add_argument("--project", type=Path, help="an existing portfolio instead")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        project = args.project
        if project is None:
            from synth import generate

            project = generate(Path(tmp) / "p", args.plans, args.rows, kind=args.kind)
        run(project)
    return 0


def run(project: Path) -> None:
    import duckdb
    import numpy as np
    import pyarrow as pa

    from generator import load
    from generator.metrics import MetricStore
    from generator.rows import prepare
    from generator.sources import DiskSource

    checked, windows = recorded_windows(project)
    dictionary = checked.project.dictionary  # type: ignore[attr-defined]
    dims = list(dictionary.row_dimensions)
    files = load._read_csvs(DiskSource(project), dictionary)
    tables = [f.table for f in files if f.table is not None]
    rows = sum(t.num_rows for t in tables)
    print(f"{project}: {rows:,} rows, {len(windows):,} windows asked\n")
    print("| step | time |\n|---|---|")

    timed("mxt: sorted row table (packed keys, one NumPy sort)",
          lambda: prepare(files, dictionary))

    con = duckdb.connect(config={"autoinstall_known_extensions": False,
                                 "autoload_known_extensions": False})
    con.execute("SET enable_progress_bar = false")
    selects = []
    for i, table in enumerate(tables):
        con.register(f"file{i}", table)
        cells = ["date", "plan", "metric", "value"] + [
            d if d in table.column_names else f"'' AS {d}" for d in dims]
        selects.append(f"SELECT {', '.join(cells)} FROM file{i}")
    union = " UNION ALL ".join(selects)
    key = ", ".join(["plan", "metric", "date", *dims])
    timed("DuckDB: the same rows ordered by their text keys",
          lambda: con.sql(f"SELECT * FROM ({union}) ORDER BY {key}").to_arrow_table())
    timed("DuckDB: the rows loaded as a table (dictionary text → VARCHAR)",
          lambda: con.execute(f"CREATE TABLE r AS {union}"))
    coded = ", ".join(f"dense_rank() OVER (ORDER BY {c}) AS {c}" for c in ["plan", "metric",
                                                                          *dims])
    con.execute(f"CREATE TABLE c AS SELECT date, value, {coded} FROM r")
    timed("DuckDB: ordered by integer codes",
          lambda: con.sql(f"SELECT * FROM c ORDER BY {key}").to_arrow_table())

    store = MetricStore(checked.rows, dictionary, checked.as_of)  # type: ignore[attr-defined]
    ours = timed("mxt: every window, one by one (binary search + mask)",
                 lambda: np.array([store._value(m, p, a, b, w) or 0.0
                                   for m, p, a, b, w in windows]))
    asked = pa.table({
        "id": np.arange(len(windows)),
        "metric": [w[0] for w in windows], "plan": [w[1] for w in windows],
        "a": pa.array([w[2] for w in windows], pa.date32()),
        "b": pa.array([min(w[3], checked.as_of) for w in windows],  # type: ignore[attr-defined]
                      pa.date32()),
        **{d: pa.array([dict(w[4]).get(d) for w in windows], pa.list_(pa.string()))
           for d in dims}})
    con.register("asked", asked)
    filters = " ".join(f"AND (w.{d} IS NULL OR list_contains(w.{d}, r.{d}))" for d in dims)
    query = (f"SELECT w.id, sum(r.value) AS v FROM asked w JOIN r ON r.plan = w.plan "
             f"AND r.metric = w.metric AND r.date BETWEEN w.a AND w.b {filters} "
             "GROUP BY w.id")
    found = timed("DuckDB: every window in one query (windows joined to rows)",
                  lambda: con.sql(query).to_arrow_table())
    theirs = np.zeros(len(windows))
    theirs[found["id"].to_numpy()] = found["v"].to_numpy()
    agree = np.allclose(ours, theirs, rtol=1e-9, atol=1e-6)
    print(f"\nthe two engines' {len(windows):,} window values agree: {agree}")
    if not agree:
        raise SystemExit(1)


if __name__ == "__main__":
    raise SystemExit(main())
