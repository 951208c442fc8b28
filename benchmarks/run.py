"""Benchmark runner: time each stage of the product on synthetic portfolios.

    .venv/bin/python benchmarks/run.py                        # 5, 100 and 1,000 plans
    .venv/bin/python benchmarks/run.py --sizes 5:10000        # one size, quickly
    .venv/bin/python benchmarks/run.py --incremental 200      # cold vs one-row-changed build

Each size (of each --kinds: long, wide, warnings; see synth.py) is generated once.
First `mxt status --json` (a whole process, as
users run it) and DuckDB reading the same CSV files and grouping them by
(plan, metric, date) in a fresh process run one after the other, --rounds times, and
the medians are compared: with DuckDB's query alone, and with its whole process (Python
start-up and `import duckdb` included, as ours are). Then the stages are timed in a
fresh process (so peak memory is that size's own): load, validate, compute,
pages + charts (all cores), MkDocs, and a PDF (up to --pdf-plans plans).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

SIZES = [(5, 10_000), (100, 1_000_000), (1000, 10_000_000)]



def DEFAULTS():
    from generator.publish import default_settings

    return default_settings("benchmark", "zh")

def one(project: Path, pdf_plans: int, charts_limit: int) -> dict[str, float | None]:
    """Run every stage once on a synthetic project; seconds per stage, and peak MB."""
    from generator import build, load
    from generator.policy import CommandLine
    from generator.publish import run_mkdocs
    from generator.render import reports, status_json
    from generator.render.site import render_site
    from generator.rows import assemble
    from generator.validate import check_dictionary, check_plans, check_rows
    from generator.write import write_tree

    out: dict[str, float | None] = {}

    def timed(name: str, fn):  # type: ignore[no-untyped-def]
        start = time.perf_counter()
        value = fn()
        out[name] = time.perf_counter() - start
        return value

    def validate():  # type: ignore[no-untyped-def]
        check_dictionary(loaded.dictionary, loaded.dictionary_doc)
        check_plans(loaded)
        rows_, _ = assemble(loaded.csv_files, loaded.dictionary, loaded.plan_ids)
        check_rows(loaded, rows_, None)
        return rows_

    # `mxt` runs with the CommandLine policy: NumPy huge pages off and the collector paused
    # while a portfolio loads, as `build.compute` does around its own load and checks
    policy = CommandLine()
    with policy.loading():
        loaded = timed("load", lambda: load.load_project(project))
        timed("validate", validate)
    # leaving loading() froze these objects: unfrozen (untimed), compute's own loading()
    # starts with none frozen and has nothing to collect first, inside its timing
    gc.unfreeze()
    computed = timed("compute", lambda: build.compute(project, policy=policy))
    timed("status_json", lambda: status_json.dumps(computed.result))
    plans = len(computed.result.plans)
    with tempfile.TemporaryDirectory() as tmp:
        if plans <= charts_limit:
            # the change log (no git history here) is part of rendering the pages, as before
            rendered = timed("pages_charts", lambda: render_site(
                computed, build.history(project, computed, policy), None, pdf=False,
                cache_root=None))
            docs = Path(tmp) / "docs"
            write_tree(docs, rendered.docs)
            timed("mkdocs", lambda: run_mkdocs(project, docs, Path(tmp) / "site",
                                               rendered.nav, DEFAULTS()))
        else:
            out["pages_charts"] = out["mkdocs"] = None
    sample = computed.result.plans[:pdf_plans]
    if sample:
        start = time.perf_counter()
        for p in sample:
            reports.plan_report(computed, p, None)
        out["pdf_per_plan"] = (time.perf_counter() - start) / len(sample)
    out["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out


DUCKDB = """
import sys, time
import duckdb
start = time.perf_counter()
files = sys.argv[1] + "/data/*.csv"
if sys.argv[2] == "wide":  # one column per metric: unpivot, then the same grouping
    query = ("with w as (select * from read_csv(?)), u as (unpivot w on columns(* exclude"
             " (date, plan, region, channel)) into name metric value value)"
             " select plan, metric, date, sum(value) from u group by plan, metric, date")
else:
    query = "select plan, metric, date, sum(value) from read_csv(?) group by plan, metric, date"
con = duckdb.connect()
con.execute("SET enable_progress_bar = false")  # it would write to stdout past 2 s
con.execute(query, [files]).fetchall()
print(time.perf_counter() - start)
"""


def settle(project: Path) -> None:
    """Written files flushed to disk and read once, so that no write-back runs during the
    timings and both tools read the files from the page cache."""
    os.sync()
    for path in sorted(project.rglob("*")):
        if path.is_file():
            path.read_bytes()


def head_to_head(project: Path, rounds: int, kind: str = "long"
                 ) -> tuple[float, float | None, float | None, float]:
    """`mxt status --json` as users run it (a whole process) and DuckDB reading and grouping
    the same CSV files in a fresh process, one after the other, `rounds` times: the medians
    (mxt seconds, DuckDB's query alone and its whole process, or None; mxt peak MB)."""
    ours: list[float] = []
    theirs: list[float] = []
    processes: list[float] = []
    peaks: list[float] = []
    for _ in range(rounds):
        start = time.perf_counter()
        done = subprocess.run(["/usr/bin/time", "-f", "%M", sys.executable, "-m", "generator",
                               "status", "--json", "--project", str(project)],
                              capture_output=True, text=True, check=True)
        ours.append(time.perf_counter() - start)
        peaks.append(int(done.stderr.strip().splitlines()[-1]) / 1024)
        start = time.perf_counter()
        duck = subprocess.run([sys.executable, "-c", DUCKDB, str(project), kind],
                              capture_output=True, text=True, check=False)
        if duck.returncode == 0:
            theirs.append(float(duck.stdout.strip()))
            processes.append(time.perf_counter() - start)
    return (statistics.median(ours), statistics.median(theirs) if theirs else None,
            statistics.median(processes) if processes else None, max(peaks))


def incremental(plans: int, rows: int) -> dict[str, float]:
    """Cold build, then the same build after changing one metric row of one plan."""
    from synth import generate

    from generator import build
    from generator.policy import CommandLine

    with tempfile.TemporaryDirectory() as tmp:
        project = generate(Path(tmp) / "p", plans, rows)
        shutil.copytree(ROOT / "docs", project / "docs")
        start = time.perf_counter()
        build.build(project, pdf=False, policy=CommandLine())
        cold = time.perf_counter() - start
        data = project / "data" / "rows-000.csv"
        lines = data.read_text("utf-8").splitlines(keepends=True)
        cells = lines[1].rstrip("\n").split(",")
        cells[3] = str(int(cells[3]) + 1)
        lines[1] = ",".join(cells) + "\n"
        data.write_text("".join(lines), "utf-8")
        start = time.perf_counter()
        build.build(project, pdf=False, policy=CommandLine())
        warm = time.perf_counter() - start
    return {"cold": cold, "warm": warm, "ratio": warm / cold}


def site_scale(plans: int) -> float:
    """MkDocs alone on every page of N plans (pages rendered without charts): seconds."""
    from synth import generate

    from generator import build
    from generator.policy import CommandLine
    from generator.publish import run_mkdocs
    from generator.render import pages
    from generator.render.site import navigation
    from generator.views.plan import ChartLinks, Formatter
    from generator.views.portfolio import summaries as plan_summaries
    from generator.write import write_tree

    policy = CommandLine()
    with tempfile.TemporaryDirectory() as tmp:
        project = generate(Path(tmp) / "p", plans, plans * 200)
        result = build.compute(project, policy=policy).result
        env = pages.environment(None, result.language)
        f = Formatter(result, result.language)
        summaries = plan_summaries(result, result.language)
        docs = {f"plans/{p.id}.md": pages.render(env, "plan.md.j2",
                                                 p=f.plan(p, ChartLinks())).encode()
                for p in result.plans}
        docs["index.md"] = pages.render(env, "index.md.j2", plans=summaries, alerts=[],
                                        as_of=str(result.as_of), timeline_chart=None,
                                        portfolio_pdf=None).encode()
        docs["assets/mxt.css"] = (pages.PACKAGE_TEMPLATES / "assets" / "mxt.css").read_bytes()
        write_tree(Path(tmp) / "docs", docs)
        full = navigation(summaries, result.language)
        nav = [full[0], full[-1]]  # home and the plans (the other pages are not written)
        with policy.publishing(result.as_of):  # SOURCE_DATE_EPOCH, as `mxt build` sets it
            start = time.perf_counter()
            run_mkdocs(project, Path(tmp) / "docs", Path(tmp) / "site", nav, DEFAULTS())
            return time.perf_counter() - start


def fmt(x: float | None) -> str:
    return "—" if x is None else f"{x:7.2f}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=",".join(f"{p}:{r}" for p, r in SIZES),
                        help="plans:rows,... (default 5:10000,100:1000000,1000:10000000)")
    parser.add_argument("--pdf-plans", type=int, default=3)
    parser.add_argument("--charts-limit", type=int, default=100,
                        help="render pages, charts and MkDocs only up to this many plans")
    parser.add_argument("--incremental", type=int, default=0, metavar="PLANS")
    parser.add_argument("--site-scale", action="store_true",
                        help="MkDocs time for 100 and 1,000 plan pages (linear growth check)")
    parser.add_argument("--rounds", type=int, default=3,
                        help="status --json vs DuckDB, one after the other, this many times "
                        "(medians)")
    parser.add_argument("--kinds", default="long",
                        help="portfolio kinds, e.g. long,wide,warnings (see synth.py)")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one(Path(args.one), args.pdf_plans, args.charts_limit)))
        return 0
    from synth import generate

    print("| kind | plans | rows | load | validate | compute | status --json (process, peak MB) | "
          "DuckDB read+group: query (process) | ratio to query (to process) | pages+charts | "
          "MkDocs | PDF/plan |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    sizes = [tuple(map(int, size.split(":"))) for size in args.sizes.split(",")]
    for kind, (plans, rows) in ((k, s) for k in args.kinds.split(",") for s in sizes):
        with tempfile.TemporaryDirectory() as tmp:
            project = generate(Path(tmp) / "p", plans, rows, kind=kind)
            settle(project)
            seconds, duck, duck_process, peak = head_to_head(project, args.rounds, kind)
            done = subprocess.run([sys.executable, __file__, "--one", str(project),
                                   "--pdf-plans", str(args.pdf_plans),
                                   "--charts-limit", str(args.charts_limit)],
                                  capture_output=True, text=True, check=True)
        r = json.loads(done.stdout.strip().splitlines()[-1])
        ratio = seconds / duck if duck else None
        whole = seconds / duck_process if duck_process else None
        print(f"| {kind} | {plans} | {rows:,} | {fmt(r['load'])} | {fmt(r['validate'])} | "
              f"{fmt(r['compute'])} | {fmt(seconds)} ({peak:,.0f}) | {fmt(duck)} "
              f"({fmt(duck_process)}) | {fmt(ratio)}x ({fmt(whole)}x) | "
              f"{fmt(r['pages_charts'])} | {fmt(r['mkdocs'])} | "
              f"{fmt(r.get('pdf_per_plan'))} |", flush=True)
    if args.site_scale:
        small, large = site_scale(100), site_scale(1000)
        print(f"\nMkDocs, 100 plans: {small:.1f} s; 1,000 plans: {large:.1f} s "
              f"= {large / small:.1f}x (target ≤ 12x)")
    if args.incremental:
        inc = incremental(args.incremental, args.incremental * 1000)
        print(f"\nincremental build, {args.incremental} plans: cold {inc['cold']:.1f} s, "
              f"one row changed {inc['warm']:.1f} s = {inc['ratio']:.0%} of cold")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
