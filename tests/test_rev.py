"""`--rev REV` and `--published DAY`: plans and data read from a git revision's objects.

One repository with committer dates set by hand; the project mostly lives in a subfolder
(`proj/`), so that every file is named as it is in the project, not in the repository.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from generator import build
from generator.cli import main
from generator.sources import at_revision, last_commit_on

from .conftest import ROOT
from .test_git import METRICS, PLAN, rows

HEADER = "date,plan,metric,value\n"
FIRST, SECOND, THIRD = "计划与前10天数据", "新增两天数据；目标改为 2000", "只改说明"


def sh(repo: Path, *args: str, when: str | None = None) -> str:
    env = {**os.environ, "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when} if when else None
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True,
                          text=True, env=env).stdout


def commit(repo: Path, files: dict[str, str], message: str, when: str,
           folder: str = "proj") -> str:
    for name, text in files.items():
        path = repo / folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
        sh(repo, "add", str(Path(folder, name)))
    sh(repo, "commit", "-q", "-m", message, when=when)
    return sh(repo, "rev-parse", "HEAD").strip()


class Repo:
    """The repository, its project folder and its three commits (oldest first)."""

    def __init__(self, repo: Path, folder: str = "proj") -> None:
        self.repo, self.project = repo, repo / folder
        sh(repo, "init", "-q", "-b", "main")
        sh(repo, "config", "user.name", "测试者")
        sh(repo, "config", "user.email", "t@example.invalid")
        self.first = commit(repo, {"data/metrics.yaml": METRICS, "plans/p.yaml": PLAN,
                                   "data/rows.csv": HEADER + rows(range(1, 11), 34)},
                            FIRST, "2024-06-10T09:00:00+08:00", folder)
        self.second = commit(repo, {"data/rows.csv": HEADER + rows(range(1, 13), 34),
                                    "plans/p.yaml": PLAN.replace("target: 1000", "target: 2000")},
                             SECOND, "2024-06-12T23:30:00+08:00", folder)
        # 06-13 where it was made, 06-12 in UTC: the committer's own day counts
        self.third = commit(repo, {"plans/p.yaml": PLAN.replace("target: 1000", "target: 2000")
                                   .replace("第一版说明", "第二版说明")},
                            THIRD, "2024-06-13T00:30:00+08:00", folder)
        # the work tree moves on, uncommitted; the site settings are the work tree's only
        plan = self.project / "plans" / "p.yaml"
        plan.write_text(plan.read_text("utf-8").replace("target: 2000", "target: 5000"), "utf-8")
        (self.project / "mkdocs.yml").write_text((ROOT / "mkdocs.yml").read_text("utf-8"),
                                                 "utf-8")


@pytest.fixture
def git_history(tmp_path: Path) -> Repo:
    (tmp_path / "repo").mkdir()
    return Repo(tmp_path / "repo")


@pytest.fixture
def top_history(tmp_path: Path) -> Repo:
    """The same history with the project at the top of its repository."""
    (tmp_path / "top").mkdir()
    return Repo(tmp_path / "top", "")


def mxt(project: Path, *args: str) -> Result:
    return CliRunner().invoke(main, [*args, "--project", str(project)])


def status(project: Path, *args: str) -> dict:
    result = mxt(project, "status", "--json", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def goal(doc: dict) -> dict:
    (plan,) = doc["plans"]
    return plan["goals"][0]


def test_status_rev_reads_the_revision_not_the_work_tree(git_history: Repo):
    project = git_history.project
    before = sh(git_history.repo, "status", "--porcelain")
    assert goal(status(project))["target"] == 5000  # the work tree
    then = status(project, "--rev", git_history.first[:8])
    assert then["as_of"] == "2024-06-10"  # the revision's own latest metric date
    assert (goal(then)["target"], goal(then)["actual"]) == (1000, 340)
    assert goal(status(project, "--rev", "HEAD"))["target"] == 2000
    assert goal(status(project, "--rev", "HEAD~2"))["target"] == 1000
    table = mxt(project, "status", "--rev", git_history.first)
    assert table.exit_code == 0 and "1,000" in table.stdout, table.output
    assert sh(git_history.repo, "status", "--porcelain") == before  # nothing checked out


def test_rev_combines_with_as_of(git_history: Repo):
    doc = status(git_history.project, "--rev", git_history.second, "--as-of", "2024-06-11")
    assert doc["as_of"] == "2024-06-11"
    assert (goal(doc)["target"], goal(doc)["actual"]) == (2000, 11 * 34)


def test_only_plans_and_data_come_from_the_revision(git_history: Repo):
    """The site settings (mkdocs.yml: language, name) stay the work tree's."""
    repo, project = git_history.repo, git_history.project
    (project / "mkdocs.yml").write_text("site_name: Old\ntheme: {name: material, language: zh}\n",
                                        "utf-8")
    sh(repo, "add", "proj/mkdocs.yml")
    sh(repo, "commit", "-q", "-m", "站点设置", when="2024-06-14T10:00:00+08:00")
    (project / "mkdocs.yml").write_text("site_name: New\ntheme: {name: material, language: en}\n",
                                        "utf-8")
    source = at_revision(project, "HEAD")
    assert source.read("mkdocs.yml").startswith(b"site_name: New")
    assert source.files("plans") == ["plans/p.yaml"]
    assert build.check(project, None, source).project.language == "en"
    (plan,) = status(project, "--rev", "HEAD")["plans"]
    assert plan["alerts"][0]["message"].startswith("Goal ")  # not 目标…


def test_validate_rev_of_a_good_and_of_a_broken_revision(git_history: Repo):
    repo, project = git_history.repo, git_history.project
    good = mxt(project, "validate", "--rev", git_history.first, "--strict")
    assert good.exit_code == 0, good.output
    sh(repo, "switch", "-q", "-c", "broken")
    broken = commit(repo, {"plans/p.yaml": PLAN.replace("target: 1000", "target: TBD")},
                    "目标待定", "2024-06-14T10:00:00+08:00")
    sh(repo, "switch", "-q", "main")
    bad = mxt(project, "validate", "--rev", broken)
    assert bad.exit_code == 1
    assert "plans/p.yaml:6:63: goals[0] (G1).target:" in bad.stdout, bad.output
    assert "proj/" not in bad.stdout and "Traceback" not in bad.output
    for command in (["status"], ["build", "--no-pdf"]):  # the same problems, nothing built
        failed = mxt(project, *command, "--rev", "broken")
        assert failed.exit_code == 1 and "plans/p.yaml:6:63:" in failed.output, failed.output
    assert not (project / "site").exists()


@pytest.mark.parametrize(("args", "says"), [
    # (the project speaks Chinese: git's problems too)
    (["--rev", "nope"], "'nope' 不是本仓库中的提交"),
    (["--rev", "HEAD:proj"], "不是本仓库中的提交"),
    (["--published", "2024-06-09"],
     "没有日期在 2024-06-09 或更早的提交（最早的提交日期为 2024-06-10）"),
])
def test_a_bad_revision_is_one_clear_line(git_history: Repo, args: list[str], says: str):
    for command in ("status", "validate", "build", "report"):
        if command == "validate" and args[0] == "--published":
            continue
        extra = ["p"] if command == "report" else []
        result = mxt(git_history.project, command, *extra, *args)
        assert result.exit_code == 1, (command, result.output)
        assert says in result.output and "Traceback" not in result.output, result.output
    assert not (git_history.project / "site").exists()


def test_no_repository_or_a_folder_not_in_the_revision(git_history: Repo, tmp_path: Path):
    alone = tmp_path / "alone"
    shutil.copytree(git_history.project, alone)
    result = mxt(alone, "status", "--rev", "HEAD")
    assert result.exit_code == 1 and "不在 git 仓库中" in result.output, result.output
    result = mxt(alone, "build", "--published", "2024-06-12", "--lang", "en")
    assert result.exit_code == 1, result.output
    assert ("--published reads plans and data from the git history, and this folder is not "
            "in a git repository") in result.output
    untracked = git_history.repo / "later"
    shutil.copytree(git_history.project, untracked)
    result = mxt(untracked, "validate", "--rev", "HEAD")
    assert result.exit_code == 1, result.output
    assert "项目文件夹 later 不在版本 HEAD" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize(("day", "target", "commit"), [
    ("2024-06-10", 1000, "first"), ("2024-06-11", 1000, "first"),
    ("2024-06-12", 2000, "second"),  # the third commit is 06-12 in UTC but 06-13 where made
    ("2024-06-13", 2000, "third"), ("2030-01-01", 2000, "third")])
def test_published_picks_the_last_commit_of_that_day(git_history: Repo, day: str,
                                                     target: int, commit: str):
    chosen = last_commit_on(git_history.project, dt.date.fromisoformat(day))
    assert chosen == getattr(git_history, commit)
    doc = status(git_history.project, "--published", day)
    assert doc["as_of"] == day and goal(doc)["target"] == target


def test_the_documented_git_recipe_picks_the_same_commit(git_history: Repo):
    """README: `git rev-list -1 --first-parent --before='DAY 23:59:59' HEAD` (local time)."""
    env = {**os.environ, "TZ": "UTC-8"}  # POSIX for UTC+8, the zone the commits were made in
    for day in ("2024-06-10", "2024-06-12", "2024-06-13"):
        recipe = subprocess.run(["git", "-C", str(git_history.repo), "rev-list", "-1",
                                 "--first-parent", f"--before={day} 23:59:59", "HEAD"],
                                check=True, capture_output=True, text=True, env=env)
        assert recipe.stdout.strip() == last_commit_on(git_history.project,
                                                       dt.date.fromisoformat(day))


def test_published_follows_first_parents_only(git_history: Repo):
    repo = git_history.repo
    sh(repo, "stash", "-q")  # the work tree's uncommitted plan (a temporary repository)
    sh(repo, "switch", "-q", "-c", "side", git_history.first)
    side = commit(repo, {"plans/p.yaml": PLAN.replace("progress: 30", "progress: 60")},
                  "旁支", "2024-06-11T12:00:00+08:00")
    sh(repo, "switch", "-q", "main")
    sh(repo, "merge", "-q", "--no-ff", "-m", "合并", side, when="2024-06-14T10:00:00+08:00")

    def progress(day: str) -> int:
        (plan,) = status(git_history.project, "--published", day)["plans"]
        return plan["tasks"][1]["progress"]

    assert progress("2024-06-11") == 30  # the side branch's commit was not on main that day
    assert progress("2024-06-13") == 30 and progress("2024-06-14") == 60


@pytest.mark.parametrize("command", ["status", "build", "report"])
@pytest.mark.parametrize("other", [["--rev", "HEAD"], ["--as-of", "2024-06-10"]])
def test_published_with_rev_or_as_of_is_a_usage_error(git_history: Repo, command: str,
                                                      other: list[str]):
    extra = ["p"] if command == "report" else []
    result = mxt(git_history.project, command, *extra, "--published", "2024-06-12", *other)
    assert result.exit_code == 2 and other[0] in result.output, result.output


def test_help_documents_rev_and_published():
    for command in ("validate", "status", "build", "report"):
        text = CliRunner().invoke(main, [command, "--help"]).stdout
        assert "--rev REV" in text and "work tree" in text, command
        assert ("--published" in text) == (command != "validate"), command


def test_build_rev_site_reflects_the_revision(top_history: Repo, tmp_path: Path):
    out = tmp_path / "site"
    result = mxt(top_history.project, "build", "--no-pdf", "--rev", top_history.second,
                 "--out", str(out))
    assert result.exit_code == 0, result.output
    doc = json.loads((out / "status.json").read_text("utf-8"))
    assert doc["as_of"] == "2024-06-12" and goal(doc)["target"] == 2000
    page = (out / "plans" / "p" / "index.html").read_text("utf-8")
    assert "第一版说明" in page and "第二版说明" not in page
    assert SECOND in page and FIRST in page and THIRD not in page  # the log ends there
    assert '<html lang="zh' in (out / "index.html").read_text("utf-8")  # work tree's mkdocs.yml


def test_build_published_is_rev_and_as_of(git_history: Repo, tmp_path: Path):
    out = tmp_path / "site"
    result = mxt(git_history.project, "build", "--no-pdf", "--published", "2024-06-11",
                 "--out", str(out))
    assert result.exit_code == 0, result.output
    doc = json.loads((out / "status.json").read_text("utf-8"))
    assert doc["as_of"] == "2024-06-11" and goal(doc)["target"] == 1000
    assert goal(doc)["actual"] == 340  # the first commit's rows end on 06-10


def test_change_log_at_a_revision_ends_there(top_history: Repo):
    project = top_history.project
    computed = build.compute(project, source=at_revision(project, top_history.second))
    entries = build.history(project, computed, head=top_history.second).entries["p"]
    assert [e.commit.message for e in entries] == [SECOND, FIRST]


@pytest.mark.slow
def test_report_rev_writes_the_revisions_pdf(git_history: Repo, tmp_path: Path):
    import io

    import pypdf

    target = tmp_path / "p.pdf"
    result = mxt(git_history.project, "report", "p", "--rev", git_history.first,
                 "-o", str(target))
    assert result.exit_code == 0, result.output
    data = target.read_bytes()
    assert data.startswith(b"%PDF")
    text = "".join(page.extract_text() or "" for page in pypdf.PdfReader(io.BytesIO(data)).pages)
    assert "2024-06-10" in text and "1,000" in text and "5,000" not in text


def test_change_log_of_a_project_in_a_subfolder(git_history: Repo):
    project = git_history.project
    computed = build.compute(project, source=at_revision(project, git_history.second))
    entries = build.history(project, computed, head=git_history.second).entries.get("p", [])
    assert [e.commit.message for e in entries] == [SECOND, FIRST]
    keys = list((project / ".cache" / "mxt" / "history").iterdir())
    assert len(keys) == 2  # one cached state per distinct content of the inputs
