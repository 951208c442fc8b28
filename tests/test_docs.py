"""The README documents every command and every status code the product emits."""

from __future__ import annotations

import pytest

from generator.cli import main
from generator.compute.results import BudgetStatus, GoalStatus, PlanStatus, TaskStatus
from generator.model import AlertSeverity

from .conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
ALERT_CODES = ["goal_at_risk", "goal_off_track", "task_delayed", "task_at_risk", "budget_over",
               "budget_overspent", "issue_overdue", "risk_unmitigated", "data_stale",
               "budget_reallocation", "rule_below", "rule_above", "rule_rising", "rule_falling"]


@pytest.mark.parametrize("command", sorted(main.commands))
def test_every_command_is_documented(command: str):
    assert f"`mxt {command}" in README


@pytest.mark.parametrize("code", sorted({s.value for enum in (GoalStatus, PlanStatus, TaskStatus,
                                                              BudgetStatus, AlertSeverity)
                                         for s in enum} | set(ALERT_CODES)))
def test_every_status_code_is_documented(code: str):
    assert f"`{code}`" in README


def test_readme_starts_with_the_two_setup_commands():
    setup = README.split("## ", 2)[1]
    assert "make site" in setup and "make test" in setup


def test_every_language_file_has_every_key_of_the_default_catalogue():
    from generator.views import catalogue

    assert {"zh", "en"} <= set(catalogue.languages())
    default = catalogue.catalogue("zh")
    for lang in catalogue.languages():
        c = catalogue.catalogue(lang)
        assert c.language == lang and c.font and c.name
        for table in ("status", "labels", "messages", "problems"):
            ours, theirs = getattr(default, table), getattr(c, table)
            assert set(theirs) == set(ours), (lang, table, set(ours) ^ set(theirs))
            for key, text in ours.items():  # the same placeholders in every language
                assert _fields(theirs[key]) == _fields(text), (lang, key)


def _fields(text: str) -> set[str]:
    import string

    return {name for _, name, _, _ in string.Formatter().parse(text) if name}
