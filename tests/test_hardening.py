"""Hardening: no file outside the project is read, no folder of the user's is replaced,
nothing is left behind (issue: hardening, second round)."""

from __future__ import annotations

import glob
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from generator.cli import main

from .conftest import ROOT, Sample, cache_entries, copy_project

SECRET = "TOP-SECRET-LINE-OF-A-RUNNER-FILE"


def run(root: Path, *args: str) -> Result:
    """`mxt ARGS --project ROOT`, messages in English (`--lang en`) where a command speaks."""
    lang = ["--lang", "en"] if args[0] in SPEAKING else []
    return CliRunner().invoke(main, [*args, *lang, "--project", str(root)])


SPEAKING = ("validate", "status", "build", "report", "diff")  # the commands with --lang


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "p")


@pytest.fixture
def warm(tmp_path: Path, sample: Sample) -> Path:
    """The sample with the cache of the session's build of it: a build renders no plan."""
    return sample.copy(tmp_path / "p")


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "passwd").write_text(f"{SECRET}\n", "utf-8")
    (outside / "plan.yaml").write_text((ROOT / "plans" / "launch-2026q3.yaml")
                                       .read_text("utf-8").replace("launch", "outside"), "utf-8")
    (outside / "rows.csv").write_text(f"date,plan,metric,value,source\n"
                                      f"2026-08-01,launch-2026q3,new_users,5,{SECRET}\n", "utf-8")
    (outside / "page.md").write_text(f"# Leak\n\n{SECRET}\n", "utf-8")
    return outside


@pytest.mark.parametrize(("link", "target"), [
    ("plans/x.yaml", "passwd"), ("plans/y.yaml", "plan.yaml"), ("data/x.csv", "rows.csv"),
    ("data/metrics.yaml", "passwd"), ("mkdocs.yml", "passwd"), ("docs/z.md", "page.md"),
    ("site_templates/plan.md.j2", "passwd"), ("site_templates/assets/x.css", "passwd"),
])
def test_a_link_out_of_the_project_is_refused_and_located(project: Path, secret: Path,
                                                          link: str, target: str):
    path = project / link
    if path.exists():
        path.unlink()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.symlink_to(secret / target)
    for command in (["validate"], ["status", "--json"], ["build", "--no-pdf"]):
        result = run(project, *command)
        if link.startswith(("docs/", "site_templates/")) and command[0] != "build":
            assert result.exit_code == 0, result.output  # read by build only
            continue
        assert result.exit_code == 1, (command, result.output)
        assert f"{link}: is a symbolic link that leads outside the project" in result.output
        assert SECRET not in result.output
    assert not (project / "site").exists()


def test_a_linked_folder_out_of_the_project_is_refused(project: Path, secret: Path):
    (project / "data" / "more").symlink_to(secret, target_is_directory=True)
    result = run(project, "validate")
    assert result.exit_code == 1
    assert "data/more: is a symbolic link that leads outside the project" in result.output


def test_links_inside_the_project_are_fine(warm: Path):
    (warm / "docs" / "again.md").symlink_to(warm / "docs" / "guide.md")
    assert run(warm, "build", "--no-pdf").exit_code == 0
    assert (warm / "site" / "again" / "index.html").is_file()


def test_links_stored_in_a_git_revision_are_refused(project: Path, secret: Path):
    git = ["git", "-C", str(project), "-c", "user.name=t", "-c", "user.email=t@t"]
    subprocess.run(["git", "init", "-q", str(project)], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-qm", "base"], check=True)
    (project / "data" / "x.csv").symlink_to(secret / "rows.csv")
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-qm", "link"], check=True)
    result = run(project, "diff", "HEAD~1", "HEAD")
    assert result.exit_code == 1
    assert "data/x.csv: is a symbolic link stored in the revision" in result.output


@pytest.mark.parametrize("out", ["plans", ".", "data", ".git", "docs/site", ".."])
def test_build_never_replaces_the_project_or_an_input(project: Path, out: str):
    (project / ".git").mkdir(exist_ok=True)
    before = sorted(p.relative_to(project.parent) for p in project.parent.rglob("*"))
    result = run(project, "build", "--no-pdf", "--out", str(project / out))
    assert result.exit_code == 1, result.output
    assert "refused" in result.output
    assert sorted(p.relative_to(project.parent) for p in project.parent.rglob("*")) == before


def test_build_replaces_only_a_new_empty_or_its_own_folder(warm: Path, tmp_path: Path):
    project = warm
    foreign = tmp_path / "photos"
    foreign.mkdir()
    (foreign / "holiday.jpg").write_bytes(b"\xff\xd8")
    result = run(project, "build", "--no-pdf", "--out", str(foreign))
    assert result.exit_code == 1 and "did not make" in result.output
    assert (foreign / "holiday.jpg").exists()
    ours = tmp_path / "out"
    assert run(project, "build", "--no-pdf", "--out", str(ours)).exit_code == 0
    assert (ours / ".mxt-output").is_file()
    assert run(project, "build", "--no-pdf", "--out", str(ours)).exit_code == 0  # ours again
    empty = tmp_path / "empty"
    empty.mkdir()
    assert run(project, "build", "--no-pdf", "--out", str(empty)).exit_code == 0


def test_a_file_is_never_written_over_or_among_inputs(project: Path):
    plan = project / "plans" / "launch-2026q3.yaml"
    text = plan.read_bytes()
    result = run(project, "report", "launch-2026q3", "-o", str(plan))
    assert result.exit_code == 1 and "refused" in result.output
    assert plan.read_bytes() == text
    assert run(project, "schema", "--out", str(project / "data")).exit_code == 1
    assert run(project, "schema").exit_code == 0  # schema/ is the product's own


def _weasyprint_folders() -> set[str]:
    return set(glob.glob(os.path.join(tempfile.gettempdir(), "weasyprint-*")))


@pytest.mark.slow
def test_reports_and_builds_leave_no_temporary_folders(tmp_path: Path, sample_with_pdfs: Sample):
    # two plans missing from the cache: the build renders them (charts, page and PDF) in
    # two worker processes, which exit without running WeasyPrint's finalizers
    fresh = ("annual-2026", "winback-2026h2")
    project = sample_with_pdfs.copy(tmp_path / "p", cold_plans=fresh)
    cached = cache_entries(project)
    before = _weasyprint_folders()
    assert run(project, "report", "launch-2026q3", "-o", str(tmp_path / "r.pdf")).exit_code == 0
    assert subprocess.run([sys.executable, "-m", "generator", "build", "--project",
                           str(project)], capture_output=True).returncode == 0
    assert _weasyprint_folders() <= before
    assert not list(project.glob(".site.*")) and not list((project / "build").glob(".docs.*"))
    # the build did render those plans' PDFs
    rendered = {f for entry, files in cache_entries(project).items() if entry not in cached
                for f in files}
    assert {f"reports/{plan}.pdf" for plan in fresh} <= rendered


@pytest.mark.slow
def test_a_killed_build_leaves_staging_folders_that_the_next_build_sweeps(warm: Path):
    project = warm  # the plans come from the cache: the build soon reaches MkDocs
    proc = subprocess.Popen([sys.executable, "-m", "generator", "build", "--no-pdf",
                             "--project", str(project)], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 60
    while not list(project.glob(".site.new-*")) and time.monotonic() < deadline:
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    assert list(project.glob(".site.new-*"))  # killed while MkDocs was writing
    assert run(project, "build", "--no-pdf").exit_code == 0
    assert not list(project.glob(".site.*")) and not list((project / "build").glob(".docs.*"))


def _children(pid: int) -> set[int]:
    found = set()
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":\t", 1) for line in status.read_text().splitlines()
                          if ":\t" in line)
        except OSError:
            continue
        if fields.get("PPid", "").strip() == str(pid):
            found.add(int(status.parent.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split()[2]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads /proc (Linux)")
def test_render_workers_die_with_a_killed_build(project: Path):
    proc = subprocess.Popen([sys.executable, "-m", "generator", "build", "--project",
                             str(project)], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    workers: set[int] = set()
    while len(workers) < 2 and time.monotonic() < deadline:
        workers = _children(proc.pid)
        time.sleep(0.05)
    assert workers, "the build forked no render workers"
    proc.kill()  # the parent only, as an OOM killer or a cancelled CI job would
    proc.wait()
    deadline = time.monotonic() + 5
    while any(_alive(w) for w in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(_alive(w) for w in workers)


def test_concurrent_runs_end_with_zero_or_one(project: Path, tmp_path: Path):
    """A few seconds of the stress run (scripts/stress.sh runs it longer): failing and
    passing validations side by side never abort or crash."""
    broken = copy_project(tmp_path / "broken")
    daily = broken / "data" / "launch-2026q3_daily.csv"
    lines = daily.read_text("utf-8").splitlines()
    daily.write_text("\n".join([*lines, lines[1]]) + "\n", "utf-8")  # a duplicate row
    runs = [subprocess.Popen([sys.executable, "-m", "generator", "validate", "--project",
                              str(root)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            for _ in range(4) for root in (project, broken)]
    codes = [(p.wait(), p.stderr.read() if p.stderr else b"") for p in runs]
    assert sorted({code for code, _ in codes}) == [0, 1]
    assert not any(b"terminate called" in err or b"Traceback" in err for _, err in codes)
