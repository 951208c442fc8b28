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


def test_message_catalogue_has_every_key_in_both_languages():
    from generator import i18n

    for table in (i18n.STATUS, i18n.LABELS, i18n.MESSAGES):
        assert set(table["zh"]) == set(table["en"])
