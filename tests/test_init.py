"""`mxt init` and the package: a new project that builds as it stands, from a wheel."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
import venv
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from generator import SCHEMA_VERSION, __version__, newproject, yamldoc
from generator.cli import main

from .conftest import ROOT
from .test_workflows import PINNED, USES_LINE

TODAY = dt.date(2026, 11, 30)


def init(target: Path, *args: str) -> Any:
    return CliRunner().invoke(main, ["init", str(target), *args], catch_exceptions=False)


def run(project: Path, *args: str) -> Any:
    return CliRunner().invoke(main, [*args, "--project", str(project)], catch_exceptions=False)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_new_project_validates_and_computes(tmp_path: Path, lang: str):
    project = tmp_path / "team"
    result = init(project, "--lang", lang)
    assert result.exit_code == 0, result.output
    for name in ("plans/sample-launch.yaml", "data/sample-launch.csv", "data/metrics.yaml",
                 "mkdocs.yml", "README.md", ".gitignore", ".pre-commit-config.yaml",
                 ".github/workflows/pull-request.yml", ".github/workflows/publish.yml",
                 "schema/plan.schema.json", "schema/metrics.schema.json"):
        assert (project / name).is_file(), name
    plan = (project / "plans" / "sample-launch.yaml").read_text("utf-8")
    assert plan.startswith("# yaml-language-server: $schema=../schema/plan.schema.json")
    assert f"schema_version: {SCHEMA_VERSION}" in plan
    assert ("theme:\n  name: material\n  language: " + lang) in (project / "mkdocs.yml").read_text()
    checked = run(project, "validate", "--strict")
    assert checked.exit_code == 0, checked.output
    status = run(project, "status", "--json")
    assert status.exit_code == 0, status.output
    doc = json.loads(status.stdout)
    assert doc["schema_version"] == SCHEMA_VERSION and doc["mxt_version"] == __version__
    (p,) = doc["plans"]
    # live: six weeks of rows behind today, a period around today, goals with data
    start, end = dt.date.fromisoformat(p["period"]["start"]), dt.date.fromisoformat(
        p["period"]["end"])
    assert start < dt.date.fromisoformat(doc["as_of"]) < end
    assert all(g["actual"] is not None for g in p["goals"])
    readme = (project / "README.md").read_text("utf-8")
    if lang == "en":  # fully English: plan, rows, dictionary names shown, README
        assert "Add a plan" in readme
        chinese = re.compile(r"[\u4e00-\u9fff]")
        assert not chinese.search(plan)
        assert not chinese.search((project / "data" / "sample-launch.csv").read_text("utf-8"))
    else:
        assert "新增一个计划" in readme


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_init_here_tells_the_next_step_without_a_cd(tmp_path: Path, lang: str,
                                                     monkeypatch: pytest.MonkeyPatch):
    (tmp_path / "here").mkdir()
    monkeypatch.chdir(tmp_path / "here")
    done = CliRunner().invoke(main, ["init", "--lang", lang], catch_exceptions=False)
    assert done.exit_code == 0, done.output
    assert "cd " not in done.output and "mxt serve" in done.output
    elsewhere = CliRunner().invoke(main, ["init", "--lang", lang, str(tmp_path / "other")])
    assert f"cd {tmp_path / 'other'} && mxt serve" in elsewhere.output


def test_what_a_build_writes_is_ignored_by_git(tmp_path: Path):
    """After `mxt build` in a new project, git sees only the project's own files: the built
    docs (build/), the site, the cache and the PDFs are ignored."""
    project = tmp_path / "team"
    assert init(project).exit_code == 0
    subprocess.run(["git", "init", "-q", str(project)], check=True)
    built = run(project, "build", "--no-pdf")
    assert built.exit_code == 0, built.output
    assert (project / "build").is_dir() and (project / "site").is_dir()
    shown = subprocess.run(["git", "-C", str(project), "status", "--porcelain",
                            "--untracked-files=all"], capture_output=True, text=True,
                           check=True).stdout.split("\n")
    paths = sorted(line[3:] for line in shown if line)
    assert paths and not [p for p in paths
                          if p.split("/")[0] in ("build", "site", ".cache")], paths


def test_an_english_project_shows_no_chinese_anywhere_on_its_site(tmp_path: Path):
    """`mxt init --lang en`, a target changed in a second commit (the re-baseline box), then
    `mxt build`: no page has a Chinese character or Chinese punctuation (a full-width colon
    after a goal's name, brackets around the alerts' counts)."""
    project = tmp_path / "team"
    assert init(project, "--lang", "en").exit_code == 0

    def commit(message: str) -> None:
        for args in (["add", "-A"], ["-c", "user.name=t", "-c", "user.email=t@example.com",
                                     "commit", "-q", "-m", message]):
            subprocess.run(["git", "-C", str(project), *args], check=True)

    subprocess.run(["git", "init", "-q", str(project)], check=True)
    commit("start")
    plan = project / "plans" / "sample-launch.yaml"
    plan.write_text(re.sub(r"target: \d+", "target: 1234", plan.read_text("utf-8"), count=1),
                    "utf-8")
    commit("lower a target")
    built = run(project, "build", "--no-pdf")
    assert built.exit_code == 0, built.output
    pages = list((project / "site").rglob("*.html"))
    text = "\n".join(p.read_text("utf-8") for p in pages)
    assert "Target changed on" in text and "Critical (" in text.replace("&#40;", "(")
    chinese = re.compile(r"[\u4e00-\u9fff\u3001\uff08\uff09\uff1a\uff1b\uff0c]")
    found = {p.relative_to(project).as_posix(): chinese.findall(p.read_text("utf-8"))[:5]
             for p in pages if chinese.search(p.read_text("utf-8"))}
    assert not found, found


def test_init_refuses_to_overwrite_and_names_every_file(tmp_path: Path):
    project = tmp_path / "p"
    assert init(project).exit_code == 0
    (project / "README.md").write_text("ours", "utf-8")
    (project / "mkdocs.yml").write_text("site_name: ours\n", "utf-8")
    again = init(project)
    assert again.exit_code == 1
    assert "README.md" in again.output and "mkdocs.yml" in again.output
    assert "plans/sample-launch.yaml" in again.output and "--force" in again.output
    assert "Traceback" not in again.output
    # in init's own words: it computes nothing and has no site to keep
    assert again.output.splitlines()[-1].endswith("errors: nothing was written") or \
        again.output.splitlines()[-1].endswith("个错误：未写入任何文件")
    assert (project / "README.md").read_text("utf-8") == "ours"  # nothing written
    forced = init(project, "--force")
    assert forced.exit_code == 0, forced.output
    assert (project / "README.md").read_text("utf-8") != "ours"
    (tmp_path / "file").write_text("x")
    assert init(tmp_path / "file").exit_code == 1


def test_init_into_an_existing_repository_with_other_files(tmp_path: Path):
    (tmp_path / "notes.txt").write_text("keep")
    assert init(tmp_path).exit_code == 0
    assert (tmp_path / "notes.txt").read_text() == "keep"


def workflow(project: Path, name: str) -> dict[str, Any]:
    text = (project / ".github" / "workflows" / name).read_text("utf-8")
    doc, problems = yamldoc.parse(text, name)
    assert doc is not None and not problems, problems
    return doc.value


def test_written_workflows_are_pinned_and_least_privilege(tmp_path: Path):
    project = tmp_path / "p"
    assert init(project).exit_code == 0
    spec = newproject.install_spec()
    for name in ("pull-request.yml", "publish.yml", "notify.yml"):
        text = (project / ".github" / "workflows" / name).read_text("utf-8")
        uses = [m.group(1) for line in text.splitlines() if (m := USES_LINE.match(line))]
        assert uses and all(PINNED.match(u) for u in uses), uses
        wf = workflow(project, name)
        assert "pull_request_target" not in wf["on"]
        assert wf["permissions"] == {"contents": "read"}
        for job in wf["jobs"].values():
            assert "timeout-minutes" in job
            for step in job.get("steps", []):
                if step.get("uses", "").startswith("actions/checkout"):
                    assert step["with"]["persist-credentials"] is False
        installs = [s["run"] for job in wf["jobs"].values() for s in job.get("steps", [])
                    if "pip install" in s.get("run", "")]
        assert installs and all(f'"{spec}"' in r for r in installs), installs
        # pinned to this version: by name, or at this version's tag or an exact commit
        assert re.fullmatch(rf"mxt==({re.escape(__version__)})|mxt @ git\+\S+@"
                            rf"(v{re.escape(__version__)}|[0-9a-f]{{40}})", spec), spec


def test_written_workflows_pass_zizmor(tmp_path: Path):
    zizmor = shutil.which("zizmor") or str(Path(sys.executable).parent / "zizmor")
    if not Path(zizmor).exists():
        pytest.fail("zizmor is a dev dependency: `make install`")
    project = tmp_path / "p"
    assert init(project).exit_code == 0
    result = subprocess.run([zizmor, "--offline", "--no-progress",
                             str(project / ".github" / "workflows")],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


class _Dist:
    def __init__(self, direct: dict[str, Any] | None):
        self.direct = direct

    def read_text(self, name: str) -> str | None:
        return json.dumps(self.direct) if self.direct is not None else None


@pytest.mark.parametrize(("direct", "expected"), [
    (None, f"mxt=={__version__}"),  # from the package index
    ({"url": "https://github.com/acme/mxt.git",
      "vcs_info": {"vcs": "git", "commit_id": "a" * 40, "requested_revision": "main"}},
     "mxt @ git+https://github.com/acme/mxt.git@" + "a" * 40),  # a branch: its exact commit
    ({"url": "file:///home/me/mxt", "dir_info": {"editable": True}},
     f"mxt @ git+{newproject.SOURCE_URL}@v{__version__}"),  # a clone: this version's tag
])
def test_install_spec_pins_the_version_that_wrote_the_workflows(
        monkeypatch: pytest.MonkeyPatch, direct: dict[str, Any] | None, expected: str):
    monkeypatch.setattr(newproject.metadata, "distribution", lambda name: _Dist(direct))
    monkeypatch.setattr(newproject, "_source_url", lambda: newproject.SOURCE_URL)
    assert newproject.install_spec() == expected


def test_a_plan_of_a_newer_format_is_refused_with_advice(tmp_path: Path):
    project = tmp_path / "p"
    assert init(project).exit_code == 0
    plan = project / "plans" / "sample-launch.yaml"
    plan.write_text(plan.read_text("utf-8").replace(f"schema_version: {SCHEMA_VERSION}",
                                                    f"schema_version: {SCHEMA_VERSION + 1}"),
                    "utf-8")
    result = run(project, "validate", "--lang", "en")
    assert result.exit_code == 1
    assert "plans/sample-launch.yaml:4:" in result.output and "upgrade mxt" in result.output


def test_sample_rows_are_deterministic_and_end_yesterday():
    text = newproject.sample_rows(TODAY)
    assert text == newproject.sample_rows(TODAY)
    last = text.strip().splitlines()[-1].split(",")[0]
    assert last == (TODAY - dt.timedelta(days=1)).isoformat()


@pytest.mark.slow
def test_the_wheel_installs_and_a_new_project_builds_outside_the_repository(tmp_path: Path):
    """Everything the product needs ships in the wheel: built here, installed into a fresh
    venv (the test venv's packages visible, nothing downloaded), used from elsewhere."""
    wheels = tmp_path / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                    "--quiet", "-w", str(wheels), str(ROOT)], check=True, capture_output=True)
    (wheel,) = wheels.glob("mxt-*.whl")
    env_dir = tmp_path / "venv"
    venv.create(env_dir, system_site_packages=True, with_pip=False)
    python = env_dir / "bin" / "python"
    site = subprocess.run([str(python), "-c", "import site; print(site.getsitepackages()[0])"],
                          check=True, capture_output=True, text=True).stdout.strip()
    # the test venv's libraries (not its editable mxt: a plain path runs no .pth file)
    test_site = next(p for p in sys.path if p.endswith("site-packages") and sys.prefix in p)
    Path(site, "test-venv.pth").write_text(test_site + "\n")
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install",
                    "--no-deps", "--no-index", "--quiet", str(wheel)], check=True,
                   capture_output=True)
    mxt = env_dir / "bin" / "mxt"
    work = tmp_path / "elsewhere"
    work.mkdir()
    env = {**os.environ, "PYTHONPATH": "", "PYTHONSAFEPATH": "1"}

    def call(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
        done = subprocess.run([str(mxt), *args], cwd=cwd, env=env, capture_output=True,
                              text=True, timeout=600)
        assert done.returncode == 0, (args, done.stdout, done.stderr)
        return done

    where = subprocess.run([str(python), "-c", "import generator; print(generator.__file__)"],
                           cwd=work, env=env, check=True, capture_output=True, text=True)
    assert str(env_dir) in where.stdout, where.stdout  # the wheel's copy, not the repository
    call("init", "team", cwd=work)
    project = work / "team"
    call("validate", "--strict", cwd=project)
    call("build", cwd=project)
    for name in ("index.html", "status.json", "reports/sample-launch.pdf",
                 "reports/portfolio.pdf", "assets/javascripts/mxt.js"):
        assert (project / "site" / name).is_file(), name
    status = json.loads(call("status", "--json", cwd=project).stdout)
    assert status["plans"][0]["id"] == "sample-launch"
