"""One error family: template, WeasyPrint, MkDocs and git failures are located, exit 1, in every
command that can meet them, and never print a traceback or touch the previous output."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from generator.cli import main

from .conftest import Sample, copy_project

PLAN = "launch-2026q3"
pytestmark = pytest.mark.slow  # full builds with PDFs


def run(root: Path, *args: str) -> Result:
    """`mxt ARGS --project ROOT`, messages in English (`--lang en`) where a command speaks."""
    lang = ["--lang", "en"] if args[0] in SPEAKING else []
    return CliRunner().invoke(main, [*args, *lang, "--project", str(root)])


SPEAKING = ("validate", "status", "build", "report", "diff")  # the commands with --lang


def assert_clean_failure(result: Result, *expected: str) -> None:
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output and "internal error" not in result.output
    for text in expected:
        assert text in result.output, result.output


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "p")


@pytest.mark.parametrize(("template", "source", "where"), [
    ("plan.md.j2", "# {{ p.title }}\n{% if %}\n", "site_templates/plan.md.j2:2: template error"),
    ("plan.md.j2", "# {{ p.title }}\n\n{{ p.no_such_field }}\n",
     "site_templates/plan.md.j2:3: template error in plan.md.j2"),
    ("report.html.j2", "<p>{{ r.plan.title }}</p>\n{{ r.nothing.here }}",
     "site_templates/report.html.j2:2: template error in report.html.j2"),
])
def test_a_broken_template_is_located_in_build_and_report(project: Path, template: str,
                                                           source: str, where: str):
    (project / "site_templates" / template).write_text(source, "utf-8")
    pdf = [] if template.endswith(".html.j2") else ["--no-pdf"]  # page templates: no PDFs
    built = run(project, "build", *pdf, "--out", str(project / "out"))
    assert_clean_failure(built, where)
    assert not (project / "out").exists()
    if template.endswith(".html.j2"):
        reported = run(project, "report", PLAN, "-o", str(project / "r.pdf"))
        assert_clean_failure(reported, where)
        assert not (project / "r.pdf").exists()


def test_a_weasyprint_failure_is_reported_in_build_and_report(project: Path,
                                                              monkeypatch: pytest.MonkeyPatch):
    import weasyprint

    def broken(self: object, *args: object, **kw: object) -> bytes:
        raise AssertionError("layout engine gave up")  # what WeasyPrint raises on odd input

    monkeypatch.setattr(weasyprint.HTML, "render", broken)
    reported = run(project, "report", PLAN, "-o", str(project / "r.pdf"))
    assert_clean_failure(reported, "WeasyPrint could not render the report: layout engine gave up")
    portfolio = run(project, "report", "--portfolio", "-o", str(project / "p.pdf"))
    assert_clean_failure(portfolio, "WeasyPrint could not render the report")
    built = run(project, "build", "--out", str(project / "out"))
    assert_clean_failure(built, "WeasyPrint could not render the report")
    assert not (project / "out").exists()


def test_mkdocs_problems_name_the_configuration(tmp_path: Path, sample: Sample):
    project = sample.copy(tmp_path / "p")  # the plans come from the cache
    (project / "mkdocs.yml").unlink()  # no settings of its own: the package's defaults
    assert run(project, "build", "--no-pdf").exit_code == 0
    assert "<title>营销策略执行看板" in (project / "site" / "index.html").read_text("utf-8")
    (project / "mkdocs.yml").write_text("site_name: x\ntheme: {name: no-such-theme}\n", "utf-8")
    assert_clean_failure(run(project, "build", "--no-pdf"), "mkdocs.yml: MkDocs could not build")


def test_git_problems_are_reported_by_diff(project: Path):
    assert_clean_failure(run(project, "diff", "HEAD"), "is not in a git repository")
    subprocess.run(["git", "init", "-q", str(project)], check=True)
    subprocess.run(["git", "-C", str(project), "add", "-A"], check=True)
    subprocess.run(["git", "-C", str(project), "-c", "user.name=t", "-c", "user.email=t@t",
                    "commit", "-qm", "c"], check=True)
    assert_clean_failure(run(project, "diff", "no-such-rev"),
                         "'no-such-rev' is not a commit in this repository")
    assert run(project, "diff", "HEAD").exit_code == 0
