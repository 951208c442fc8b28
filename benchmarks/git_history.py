"""Benchmark: `mxt diff` and the change log on a repository with N commits of plans and data.

    .venv/bin/python benchmarks/git_history.py [--commits 200]

Builds a temporary repository: the sample portfolio, then N commits that each
append a day of metric rows or edit a plan, and times `mxt diff` across all of
them and the change log (cold, then cached).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from generator import build, diff, history  # noqa: E402
from generator.policy import CommandLine  # noqa: E402

POLICY = CommandLine()  # as `mxt diff` and `mxt build` run: collector paused while computing


def sh(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--commits", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        repo = Path(tmp) / "repo"
        repo.mkdir()
        for name in ("plans", "data", "mkdocs.yml"):
            src = ROOT / name
            (shutil.copytree if src.is_dir() else shutil.copy2)(src, repo / name)
        sh(repo, "init", "-q", "-b", "main")
        sh(repo, "config", "user.name", "bench")
        sh(repo, "config", "user.email", "bench@example.invalid")
        sh(repo, "add", "-A")
        sh(repo, "commit", "-q", "-m", "sample portfolio")
        extra = repo / "data" / "extra.csv"
        extra.write_text("date,plan,metric,value,region,channel\n", "utf-8")
        start = time.perf_counter()
        for i in range(args.commits):
            with extra.open("a", encoding="utf-8") as fh:
                fh.write(f"2026-11-{1 + i % 15:02d},launch-2026q3,new_users,{10 + i},华东,"
                         f"bench{i}\n")
            sh(repo, "add", "-A")
            sh(repo, "commit", "-q", "-m", f"rows {i}")
        made = time.perf_counter() - start
        print(f"{args.commits} commits made in {made:.1f} s")

        t = time.perf_counter()
        result = diff.diff(repo, f"HEAD~{args.commits}", "HEAD", policy=POLICY)
        t_diff = time.perf_counter() - t
        print(f"mxt diff HEAD~{args.commits} HEAD : {t_diff:6.2f} s "
              f"({len(result.plans)} plans changed)")
        computed = build.compute(repo, policy=POLICY)  # the plans to log (untimed)
        t = time.perf_counter()
        build.history(repo, computed, POLICY)
        t_cold = time.perf_counter() - t
        t = time.perf_counter()
        build.history(repo, computed, POLICY)
        t_warm = time.perf_counter() - t
        print(f"change log, last {history.MAX_COMMITS} commits, cold : {t_cold:6.2f} s")
        print(f"change log, cached                  : {t_warm:6.2f} s "
              f"({t_warm / t_cold:.0%} of cold)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
