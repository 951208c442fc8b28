"""A public site hides money: amounts become null in its status.json (ratios stay)."""

from __future__ import annotations

import json

import pytest

from generator import build
from generator.render.status_json import dumps

from .conftest import ROOT, Sample


def test_status_json_without_money_keeps_ratios_and_statuses():
    result = build.compute(ROOT).result
    full = json.loads(dumps(result))
    public = json.loads(dumps(result, hide_money=True))
    assert public["money_hidden"] is True and "money_hidden" not in full
    # (the sample has budget lines over plan: their alerts carry a spend forecast to hide)
    assert any(a["code"] in ("budget_over", "budget_overspent") and a["params"].get("forecast")
               for p in full["plans"] for a in p["alerts"])
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
            if alert["code"] in ("budget_over", "budget_overspent"):  # a line's forecast too
                assert alert["params"].get("forecast") is None


@pytest.mark.slow
def test_a_public_site_shows_no_money_and_its_pdfs_keep_it(sample_public: Sample):
    import io

    import pypdf

    from generator.views import fmt

    # the session's build (samples.py), with its PDFs, of the sample with people.yaml and
    # hide_money: true
    project = sample_public.root
    assert (project / "people.yaml").is_file()
    assert "hide_money: true" in (project / "mkdocs.yml").read_text("utf-8")
    site = project / "site"
    result = build.compute(project).result
    amounts = set()  # large enough not to be a count of users or orders by chance
    for p in result.plans:
        if p.budget is not None:
            figures = [p.budget.planned, p.budget.spent, *(ln.spent for ln in p.budget.lines),
                       *(ln.planned for ln in p.budget.lines)]
            amounts |= {fmt.money(x) for x in figures if x >= 100_000}
    written = "".join(f.read_text("utf-8") for f in (project / "plans").glob("*.yaml"))
    amounts = {a for a in amounts if a not in written}  # plan text may name a figure
    counts = set()  # the same digits may be a count of users: those stay
    for p in result.plans:
        for top in p.goals:
            metric = result.metrics[top.metric]
            if metric.format.value == "currency":
                continue
            for g in top.with_children():
                counts |= {fmt.metric_value(x, metric) for x in (
                    g.target, g.actual, g.expected, g.forecast, g.forecast_low, g.forecast_high)}
    amounts -= counts
    assert "1,947,000" in amounts and len(amounts) >= 10  # the launch plan's spend…
    for path in site.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".json", ".svg", ".md"):
            text = path.read_text("utf-8", errors="replace")
            for amount in amounts:
                assert amount not in text, (path, amount)
    status = json.loads((site / "status.json").read_text("utf-8"))
    assert status["money_hidden"] is True
    home = (site / "index.html").read_text("utf-8")
    assert "本站不公开金额" in home and "•••" in home
    pdf = (site / "reports" / "launch-2026q3.pdf").read_bytes()
    text = "".join(page.extract_text() or "" for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    assert "1,947,000" in text.replace(" ", "")
