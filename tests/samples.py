"""The sample project (the repository root) in the configurations the tests build whole.

Building the sample renders every plan's charts (a wide and a phone layout), page and PDF,
from an empty cache: most of the suite's time. So each configuration here is built once a
session, from an empty cache, by `build(project, pdf=...)` as the tests built it before:

- tests that only read such a site read `Sample.root` (and never write in it);
- a test that builds the same inputs again starts from `Sample.copy`, which brings the
  per-plan cache (`.cache/mxt/build/`, keyed by content: `generator/plancache.py`) along:
  its build is a real one (validation, computation, the pages across plans, MkDocs,
  publishing) that renders again only the plans whose inputs the test changes;
- a test about the cache itself, a cold build, killing a build or the render workers
  starts from `copy_project` instead.

The session's builds run one after the other in one background process
(`python -m tests.samples FOLDER NAME...`, at a lower priority than the tests), started
with the session in the order in which the tests need them: they take the core a test
running on one core leaves idle. `MXT_TEST_SAMPLES=inline` builds each in the test
process instead, when a test first needs it. Under pytest-xdist (`make test` runs
`-n 2`), the workers of a run share one background process and its folder: the first
worker to start owns it and lets it finish before its session ends.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO

ROOT = Path(__file__).parent.parent
PROJECT_PARTS = ("plans", "data", "site_templates", "docs", "mkdocs.yml")
PEOPLE_PARTS = (*PROJECT_PARTS, "people.yaml")  # with the people directory


def copy_project(target: Path, parts: tuple[str, ...] = PROJECT_PARTS) -> Path:
    """A copy of the sample project to build in (tests never write into the repo)."""
    target.mkdir(parents=True, exist_ok=True)
    for name in parts:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, target / name)
        else:
            shutil.copy2(src, target / name)
    return target


def cache_entries(root: Path) -> dict[str, list[str]]:
    """A project's per-plan build cache: entry (folder name) → the files it holds."""
    folder = root / ".cache" / "mxt" / "build"
    if not folder.is_dir():
        return {}
    return {entry.name: json.loads((entry / "manifest.json").read_text("utf-8"))
            for entry in folder.iterdir() if (entry / "manifest.json").is_file()}


def english(root: Path) -> None:
    """`theme.language: en` (the site in English)."""
    config = root / "mkdocs.yml"
    config.write_text(config.read_text("utf-8").replace("language: zh", "language: en"),
                      encoding="utf-8")


def public(root: Path) -> None:
    """`hide_money: true` (a public site)."""
    settings = root / "mkdocs.yml"
    settings.write_text(settings.read_text("utf-8") + "extra:\n  mxt:\n    hide_money: true\n",
                        "utf-8")


def launch_only(root: Path) -> None:
    """The launch plan alone, with its data."""
    for plan in ("annual-2026", "double11-2026", "south-expansion-2026", "winback-2026h2"):
        (root / "plans" / f"{plan}.yaml").unlink()
        shutil.rmtree(root / "data" / plan, ignore_errors=True)
    for csv in ("winback_crm.csv",):
        (root / "data" / csv).unlink(missing_ok=True)


@dataclass(frozen=True)
class Config:
    parts: tuple[str, ...]
    pdf: bool  # built with its PDF reports
    edit: Callable[[Path], None] | None = None
    cli: bool = False  # built by `mxt build` (CliRunner) rather than by `build()`

    def make(self, target: Path) -> Path:
        """A fresh copy of this configuration's inputs (no cache, nothing built)."""
        root = copy_project(target, self.parts)
        if self.edit is not None:
            self.edit(root)
        return root


CONFIGS = {
    "sample": Config(PROJECT_PARTS, pdf=False),  # the sample as it is
    "sample-pdf": Config(PROJECT_PARTS, pdf=True),
    "english": Config(PROJECT_PARTS, pdf=False, edit=english),
    "people": Config(PEOPLE_PARTS, pdf=False),
    "public": Config(PEOPLE_PARTS, pdf=True, edit=public),  # with people.yaml
    # the launch plan alone, built twice by `mxt build` in the same process, each in a
    # copy of its own from an empty cache
    "launch": Config(PROJECT_PARTS, pdf=True, edit=launch_only, cli=True),
    "launch-again": Config(PROJECT_PARTS, pdf=True, edit=launch_only, cli=True),
}


def build_config(name: str, root: Path) -> None:
    """Make configuration `name` in `root` and build it from an empty cache."""
    from generator.build import build

    config = CONFIGS[name]
    config.make(root)
    if config.cli:
        from click.testing import CliRunner

        from generator.cli import main

        result = CliRunner().invoke(main, ["build", "--project", str(root),
                                           *([] if config.pdf else ["--no-pdf"])])
        if result.exit_code != 0:
            raise RuntimeError(f"mxt build exited with {result.exit_code}:\n{result.output}")
    else:
        build(root, pdf=config.pdf)


@dataclass(frozen=True)
class Sample:
    """A configuration of the sample, built from an empty cache: read it, never write in it."""

    name: str
    root: Path

    def copy(self, target: Path, *, cold_plans: tuple[str, ...] = ()) -> Path:
        """A fresh copy of the configuration's inputs with this build's per-plan cache, less
        the entries of `cold_plans` (which the copy's build then renders)."""
        root = CONFIGS[self.name].make(target)
        shutil.copytree(self.root / ".cache", root / ".cache")
        for entry, files in cache_entries(root).items():
            if any(f"plans/{plan}.md" in files for plan in cold_plans):
                shutil.rmtree(root / ".cache" / "mxt" / "build" / entry)
        return root


WAIT = 1800  # seconds a test waits for a background build at most


class Samples:
    """The session's builds of the sample, each in `folder/NAME`."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._ready: dict[str, Sample] = {}
        self._queued: list[str] = []
        self._process: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None

    def start(self, names: list[str], *, owner: bool = True) -> None:
        """Build `names`, in this order, in a background process; or, when another test
        process of the same run (a pytest-xdist worker) owns that process (`owner` False),
        wait for its builds in the same folder."""
        if not names or os.environ.get("MXT_TEST_SAMPLES") == "inline":
            return
        self._queued = list(names)
        if not owner:
            return
        self._log = (self.folder / "background.log").open("wb")
        # a temporary folder of its own: a test that looks for what PDF rendering leaves
        # in the temporary folder does not see this process's work in progress
        temp = self.folder / "tmp"
        temp.mkdir()
        self._process = subprocess.Popen(
            [sys.executable, "-m", "tests.samples", str(self.folder), *names], cwd=ROOT,
            env={**os.environ, "TMPDIR": str(temp)}, stdout=self._log,
            stderr=subprocess.STDOUT, process_group=0)
        # (a process group of its own, to end it whole, but not a session of its own: where
        # Linux groups processes by session (autogroup), a session would share the CPU
        # evenly with the tests whatever its niceness)

    def stop(self, *, finish: bool = False) -> None:
        """End the background process if it is still building (a session cut short), or,
        with `finish`, let it finish first (other test processes may still wait for it)."""
        if self._process is not None and finish:
            with contextlib.suppress(subprocess.TimeoutExpired):
                self._process.wait(timeout=WAIT)
        if self._process is not None and self._process.poll() is None:
            os.killpg(self._process.pid, signal.SIGTERM)
            self._process.wait()
        if self._log is not None:
            self._log.close()

    def get(self, name: str) -> Sample:
        """Configuration `name`, built: waits for the background build, or builds it here."""
        if name not in self._ready:
            root = self.folder / name
            if name in self._queued:
                self._wait(name)
            else:
                build_config(name, root)
            self._ready[name] = Sample(name, root)
        return self._ready[name]

    def _wait(self, name: str) -> None:
        import pytest

        deadline = time.monotonic() + WAIT
        while not (self.folder / f"{name}.ok").exists():
            failed = self.folder / f"{name}.failed"
            if failed.exists():
                pytest.fail(f"building the sample {name!r} failed:\n"
                            f"{failed.read_text('utf-8')}", pytrace=False)
            ended = self._process.poll() if self._process is not None else None
            if ended is not None and not (self.folder / f"{name}.ok").exists():
                log = (self.folder / "background.log").read_text("utf-8", errors="replace")
                pytest.fail(f"the background build of the samples ended ({ended}) before "
                            f"{name!r}:\n{log[-5000:]}", pytrace=False)
            if time.monotonic() > deadline:
                pytest.fail(f"the sample {name!r} was not built in {WAIT} s", pytrace=False)
            time.sleep(0.1)


def _suite_warning_filters() -> None:
    """The suite's `filterwarnings` (pyproject.toml), as pytest applies them in a test: a
    chart missing a glyph fails a build here as it fails one in a test."""
    import builtins
    import tomllib
    import warnings

    config = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    for entry in config["tool"]["pytest"]["ini_options"].get("filterwarnings", []):
        action, message, category = [*entry.split(":"), "", ""][:3]
        kind = getattr(builtins, category or "Warning")
        assert isinstance(kind, type) and issubclass(kind, Warning), entry
        warnings.filterwarnings(action, message, kind)  # type: ignore[arg-type]


def main(folder: Path, names: list[str]) -> int:
    """Build each configuration into `folder/NAME`: then `NAME.ok`, or `NAME.failed` (the
    error)."""
    _suite_warning_filters()
    os.nice(10)  # the tests come first: these builds take the time the tests leave idle
    failed = 0
    for name in names:
        start = time.monotonic()
        try:
            build_config(name, folder / name)
        except Exception:
            (folder / f"{name}.failed").write_text(traceback.format_exc(), "utf-8")
            failed += 1
        else:
            (folder / f"{name}.ok").touch()
        print(f"{name}: {time.monotonic() - start:.1f} s", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main(Path(sys.argv[1]), sys.argv[2:]))
