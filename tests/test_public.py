"""A public site hides money: amounts become null in its status.json (ratios stay)."""

from __future__ import annotations

import json

from generator import build
from generator.render.status_json import dumps

from .conftest import ROOT


def test_status_json_without_money_keeps_ratios_and_statuses():
    result = build.compute(ROOT).result
    full = json.loads(dumps(result))
    public = json.loads(dumps(result, hide_money=True))
    assert public["money_hidden"] is True and "money_hidden" not in full
    for plan, shown in zip(full["plans"], public["plans"], strict=True):
        assert shown["status"] == plan["status"] and shown["health"] == plan["health"]
        budget, hidden = plan["budget"], shown["budget"]
        if budget is None:
            continue
        assert budget["spent"] > 0 and hidden["spent"] is None and hidden["planned"] is None
        assert hidden["utilization"] == budget["utilization"]  # a share, not an amount
        for line, hidden_line in zip(budget["lines"], hidden["lines"], strict=True):
            assert hidden_line["spent"] is None and hidden_line["roi"] == line["roi"]
        for goal, hidden_goal in zip(plan["goals"], shown["goals"], strict=True):
            currency = result.metrics[goal["metric"]].format.value == "currency"
            assert hidden_goal["actual"] == (None if currency else goal["actual"])
            assert hidden_goal["attainment"] == goal["attainment"]
        for alert in shown["alerts"]:
            for key in ("spent", "planned", "reserve_left", "amount", "left"):
                assert alert["params"].get(key) is None
