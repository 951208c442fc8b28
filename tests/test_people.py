"""The people directory: owners matched by id, name or alias, unknown owners warned about
(errors under --strict), clashes refused, the 责任矩阵 merged per person, and contact
handles never published."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator import build
from generator.cli import main
from generator.model import PeopleDirectory, Person
from generator.views.people import owners

from .conftest import ROOT, Sample

PARTS = ("plans", "data", "site_templates", "docs", "mkdocs.yml", "people.yaml")


def copy(target: Path) -> Path:
    target.mkdir(parents=True, exist_ok=True)
    for name in PARTS:
        src = ROOT / name
        (shutil.copytree if src.is_dir() else shutil.copy2)(src, target / name)
    return target


def test_resolve_by_id_name_or_alias():
    people = PeopleDirectory(people=[Person(id="wang", name="王经理",
                                            aliases=["王经理（市场部）"])])
    for written in ("wang", "王经理", "王经理（市场部）", " 王经理 "):
        assert people.resolve(written).id == "wang"
    assert people.resolve("王总") is None


def test_sample_passes_strict_and_an_unknown_owner_is_located(tmp_path: Path):
    project = copy(tmp_path / "p")
    assert CliRunner().invoke(main, ["validate", "--strict", "--project", str(project)]
                              ).exit_code == 0
    plan = project / "plans" / "launch-2026q3.yaml"
    plan.write_text(plan.read_text("utf-8").replace("owner: 陈专员", "owner: 陈专圆", 1),
                    "utf-8")
    lenient = CliRunner().invoke(main, ["validate", "--lang", "en", "--project", str(project)])
    assert lenient.exit_code == 0 and "陈专圆" in lenient.output
    strict = CliRunner().invoke(main, ["validate", "--strict", "--lang", "en",
                                       "--project", str(project)])
    assert strict.exit_code == 1
    line = next(ln for ln in strict.output.splitlines() if "陈专圆" in ln)
    assert line.startswith("plans/launch-2026q3.yaml:") and ".owner" in line
    assert "not in people.yaml" in line and "陈专员" in line  # the closest name


def test_a_name_of_two_people_and_a_duplicate_id_are_errors(tmp_path: Path):
    project = copy(tmp_path / "p")
    people = project / "people.yaml"
    people.write_text(people.read_text("utf-8") + (
        "  - {id: wang2, name: 王二, aliases: [王经理]}\n"
        "  - {id: wang, name: 王三}\n"), "utf-8")
    result = CliRunner().invoke(main, ["validate", "--lang", "en", "--project", str(project)])
    assert result.exit_code == 1
    assert "'王经理' names both 'wang' and 'wang2'" in result.output
    assert "duplicate id 'wang'" in result.output
    assert "people.yaml:" in result.output and "Traceback" not in result.output


def test_without_a_directory_owners_are_not_checked(tmp_path: Path):
    project = copy(tmp_path / "p")
    (project / "people.yaml").unlink()
    assert CliRunner().invoke(main, ["validate", "--strict", "--project", str(project)]
                              ).exit_code == 0


def test_owner_matrix_merges_spellings_and_counts_roles():
    computed = build.compute(ROOT)
    rows = {o.person_id or o.owner: o for o in owners(computed.result, "zh")}
    # 赵总监 is written 赵总监（电商部） in one plan and 电商部（赵总监） in another
    zhao = rows["zhao-director"]
    assert zhao.owner == "赵总监" and zhao.team == "电商部"
    assert "赵总监（电商部）" in zhao.spellings and "电商部（赵总监）" in zhao.spellings
    assert not any(o.owner in ("赵总监（电商部）", "电商部（赵总监）") for o in rows.values())
    # 王经理 approves five launch tasks (R2) and owns the launch plan and a goal (R1)
    wang = rows["wang"]
    assert wang.r2 == 5 and wang.r1 >= 2
    # counts agree with the results: every delayed task counted once, at its owner
    delayed = sum(t.status.value == "delayed" for p in computed.result.plans for t in p.tasks)
    assert sum(o.late for o in rows.values()) == delayed
    overdue = sum(i.overdue for p in computed.result.plans for i in p.issues) + sum(
        t.overdue for p in computed.result.plans for t in p.tasks)
    assert sum(o.overdue for o in rows.values()) == overdue
    # the people with late or overdue work come first
    ordered = owners(computed.result, "zh")
    red = [o.late + o.overdue for o in ordered]
    assert red == sorted(red, reverse=True)


@pytest.mark.slow
def test_owners_page_is_a_matrix_and_contacts_are_never_published(sample_people: Sample):
    # the session's build (samples.py) of the sample with people.yaml, without PDFs
    site = sample_people.root / "site"
    assert (sample_people.root / "people.yaml").is_file()
    page = (site / "owners" / "index.html").read_text("utf-8")
    assert "负责（R1）" in page and "审批（R2）" in page and "赵总监" in page
    for path in site.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".json", ".md", ".svg", ".js"):
            text = path.read_text("utf-8", errors="replace")
            for handle in ("ou_wang_demo", "wang@example.com", "DINGTALK_ECOMMERCE",
                           "@emma.liu"):
                assert handle not in text, (path, handle)
