"""The portfolio home, the alerts page and the cross-plan pages of the sample project.

Every figure on the home page's cards is checked against `status.json` (the document
`status --json` prints), so the page and the machine-readable status cannot disagree.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections import Counter
from typing import Any

import pytest

from generator import build
from generator.changes import snapshot
from generator.compute import Computed
from generator.compute.dimensions import UNASSIGNED, by_dimension
from generator.history import Commit, History, State
from generator.publish import PACKAGE_CSS, PACKAGE_JS
from generator.render import charts, pages, status_json
from generator.render.site import navigation, portfolio_pages
from generator.views import fmt, home
from generator.views.catalogue import label, status_label
from generator.views.contexts import AlertsPage, DimensionPage, IndexPage
from generator.views.portfolio import owned_alerts, raised_since, subject_owner, summaries

from .conftest import ROOT


@pytest.fixture(scope="module")
def computed() -> Computed:
    return build.compute(ROOT)


@pytest.fixture(scope="module")
def doc(computed: Computed) -> dict[str, Any]:
    return status_json.document(computed.result)


def _pages(computed: Computed, past: History | None = None) -> dict[str, Any]:
    return dict(portfolio_pages(computed, past or History(), "zh"))


def _card(index: IndexPage, key: str, **values: object) -> home.Card:
    return next(c for c in index.cards if c.title == label(key, "zh", **values))


def _lines(card: home.Card) -> dict[str, str]:
    return {ln.text: ln.value for ln in card.lines}


def test_every_card_figure_is_the_status_json_figure(computed: Computed, doc: dict[str, Any]):
    plans = doc["plans"]
    index = _pages(computed)["index.md"]
    assert isinstance(index, IndexPage)

    def S(code: str) -> str:
        return status_label(code, "zh")

    # plans by status
    by_status = Counter(p["status"] for p in plans)
    card = _card(index, "card_plans")
    assert card.figure == str(len(plans))
    assert _lines(card) == {S(s): str(n) for s, n in by_status.items()}
    # top-level goals by status, and those forecast to miss (their goal_forecast_miss alert)
    goals = Counter(g["status"] for p in plans for g in p["goals"])
    miss = sum(a["code"] == "goal_forecast_miss"
               and a["subject"] in {g["id"] for g in p["goals"]}
               for p in plans for a in p["alerts"])
    card = _card(index, "card_goals")
    assert card.figure == str(sum(goals.values()))
    assert _lines(card) == {**{S(s): str(n) for s, n in goals.items()},
                            label("forecast_miss", "zh"): str(miss)}
    assert miss >= 1  # the sample has one: the check is not vacuous
    # open critical alerts, by plan
    critical = {p["title"]: sum(a["severity"] == "critical" for a in p["alerts"])
                for p in plans}
    card = _card(index, "card_critical")
    assert card.figure == str(sum(critical.values()))
    assert _lines(card) == {t: str(n) for t, n in critical.items() if n}
    # overdue issues, milestones and milestone tasks
    issues = sum(i["overdue"] for p in plans for i in p["issues"])
    milestones = sum(m["overdue"] for p in plans for m in p["milestones"])
    tasks = sum(t["overdue"] for p in plans for t in p["tasks"])
    card = _card(index, "card_overdue")
    assert card.figure == str(issues + milestones + tasks)
    assert _lines(card) == {label("overdue_issues", "zh"): str(issues),
                            label("overdue_milestones", "zh"): str(milestones),
                            label("overdue_milestone_tasks", "zh"): str(tasks)}
    # plans forecast to finish after their period, with the forecast end and days late
    late = {p["title"]: (p["forecast_end"], (dt.date.fromisoformat(p["forecast_end"])
                                              - dt.date.fromisoformat(p["period"]["end"])).days)
            for p in plans if p["forecast_end"] and p["forecast_end"] > p["period"]["end"]}
    card = _card(index, "card_late")
    assert card.figure == str(len(late)) and len(late) == 2
    assert _lines(card) == {t: f"{end} · {label('late_by', 'zh', days=days)}"
                            for t, (end, days) in late.items()}
    # budgets per currency: total (declared, else planned), spent, forecast at completion
    currencies = {p["budget"]["currency"] for p in plans if p["budget"]}
    for currency in currencies:
        budgets = [p["budget"] for p in plans
                   if p["budget"] and p["budget"]["currency"] == currency]
        total = sum(b["total"] if b["total"] is not None else b["planned"] for b in budgets)
        spent = sum(b["spent"] for b in budgets)
        forecast = sum(b["forecast"] for b in budgets)
        card = _card(index, "card_budget", currency=currency)
        assert card.figure == fmt.money(spent)
        assert _lines(card) == {
            label("total", "zh"): fmt.money(total),
            label("spent", "zh"): f"{fmt.money(spent)} ({fmt.percent(spent / total)})",
            label("forecast_at_completion", "zh"): fmt.money(forecast)}
    budget_cards = [c for c in index.cards if c.title.startswith(label("budget", "zh"))]
    assert len(budget_cards) == len(currencies)  # one per currency: never added together


def test_the_rendered_home_page_shows_every_card_and_the_plan_table(computed: Computed):
    from generator.render.pages import environment

    env = environment(ROOT / "site_templates", "zh")
    index = _pages(computed)["index.md"]
    text = pages.render_page(env, index)
    assert text.startswith("---\nhide:\n  - toc\n---\n# 计划总览")
    assert "关于本看板" in text  # the demo's own introduction (its override) is kept
    for card in index.cards:
        assert f'<p class="mxt-card-figure">{pages.md_text(card.figure)}</p>' in text
        for ln in card.lines:
            assert pages.md_text(ln.value) in text
    # the plan table: budget, spend, forecast finish and owner of every plan; sortable
    assert '<div class="mxt-sortable" markdown="1">' in text
    for p in index.plans:
        assert pages.md_text(p.budget) in text and pages.md_text(p.owner) in text
        assert p.forecast_finish in text
    assert "charts/timeline.svg" in text


def test_plan_summaries_carry_budget_spend_and_forecast_finish(computed: Computed):
    rows = {s.id: s for s in summaries(computed.result, "zh")}
    launch = rows["launch-2026q3"]
    p = next(p for p in computed.result.plans if p.id == "launch-2026q3")
    assert p.budget is not None
    assert launch.budget == fmt.money(p.budget.total or p.budget.planned, p.budget.currency)
    assert launch.spent.startswith(fmt.money(p.budget.spent))
    assert launch.forecast_finish == str(p.forecast_end)
    assert launch.late == label("late_by", "zh", days=p.late_days) and p.late_days > 0


def test_each_alert_is_owned_by_the_owner_of_its_subject(computed: Computed):
    seen = set()
    for p in computed.result.plans:
        tasks = {t.id: t.task.owner for t in p.tasks}
        issues = {i.id: i.owner for i in p.plan.issues}
        goals = {g.id: g.goal.owner for top in p.goals for g in top.with_children()}
        for a in p.alerts:
            owner = subject_owner(p, a)
            if a.code == "task_delayed":
                assert owner == tasks[a.subject]
            elif a.code == "issue_overdue":
                assert owner == (issues[a.subject] or p.plan.owner)
            elif a.code.startswith("goal_"):
                assert owner == goals[a.subject]
            elif a.code in ("plan_late", "budget_over", "budget_overspent",
                            "budget_reallocation"):
                assert owner == p.plan.owner
            seen.add(a.code)
    assert {"task_delayed", "issue_overdue", "goal_off_track", "plan_late"} <= seen


def _commit(n: int) -> Commit:
    return Commit(f"{n:07d}abc", "a", dt.datetime(2026, 11, n, 9, tzinfo=dt.UTC), "m", ())


def test_an_alert_is_as_old_as_its_unbroken_run_up_to_the_newest_commit(computed: Computed):
    p = next(p for p in computed.result.plans if len(p.alerts) >= 2)
    base = snapshot(p, computed.result.as_of)
    a, b = p.alerts[0], p.alerts[1]

    def state(n: int, *alerts: Any) -> State:
        return State(_commit(n), dataclasses.replace(base, alerts=tuple(alerts)))

    # a: raised at 1, gone at 2, back from 3 on; b: raised at 1 and 2 only
    states = [state(1, a, b), state(2, b), state(3, a), state(4, a)]
    since = raised_since(states)
    assert since[(a.code, a.subject)].commit == _commit(3)
    assert (b.code, b.subject) not in since  # not raised now: no age
    assert raised_since([]) == {}
    rows = owned_alerts(computed.result, "zh", {p.id: states})
    first = next(r for r in rows if r.row.plan_id == p.id and r.row.code == a.code
                 and r.row.subject == a.subject)
    assert (first.since, first.commit) == ("2026-11-03", "0000003")
    others = [r for r in rows if r.row.plan_id != p.id]
    assert others and all(r.since == fmt.DASH for r in others)  # no history: "—"


def test_alerts_page_groups_by_severity_and_owner_and_explains_severities(computed: Computed):
    page = _pages(computed)["alerts.md"]
    assert isinstance(page, AlertsPage)
    assert [g.severity.code for g in page.severities] == ["critical", "warning", "info"]
    assert sum(len(g.alerts) for g in page.severities) == len(page.alerts)
    assert sum(o.critical + o.warning + o.info for o in page.owners) == len(page.alerts)
    critical = page.severities[0]
    assert "高优先级" in critical.note  # what makes a delayed task critical
    owners = [a.owner for a in critical.alerts]  # each owner's alerts together
    assert owners == sorted(owners, key=owners.index)
    text = pages.render_page(pages.environment(None, "zh"), page)
    assert text.rfind("mxt-critical") < text.find("mxt-warning")
    assert 'class="mxt-filter"' in text and "onclick" not in text


def test_channel_view_adds_spend_and_revenue_of_budget_lines_by_channel(
        computed: Computed, doc: dict[str, Any]):
    channel = by_dimension(computed.result, computed.store, "channel")
    values = {v.value: v for v in channel.values}
    assert UNASSIGNED not in values  # every cost row of the sample names its channel
    # split by channel, the lines' spend and revenue add up to the budgets' metric spend
    metric_lines = [(p, ln) for p in computed.result.plans if p.plan.budget
                    for ln in p.plan.budget.lines if ln.cost_metric and ln.spent is None]
    by_id = {(p["id"], ln["id"]): ln for p in doc["plans"] if p["budget"]
             for ln in p["budget"]["lines"]}
    spent = sum(by_id[(p.id, ln.id)]["spent"] for p, ln in metric_lines)
    revenue = sum(by_id[(p.id, ln.id)]["revenue"] or 0 for p, ln in metric_lines)
    assert sum(m.spend for v in channel.values for m in v.money) == pytest.approx(spent)
    assert sum(m.revenue or 0 for v in channel.values for m in v.money) == pytest.approx(revenue)
    tmall = values["天猫"]
    (cny,) = tmall.money
    assert cny.currency == "CNY" and cny.roi == pytest.approx((cny.revenue or 0) / cny.spend)
    assert set(tmall.plans) == {"annual-2026", "double11-2026"}
    assert any(g.goal.name.endswith("/ 天猫") for g in tmall.goals)  # a break-down child


def test_dimension_pages_are_in_the_navigation(computed: Computed):
    found = _pages(computed)
    dims = {name: page for name, page in found.items() if isinstance(page, DimensionPage)}
    assert "dimensions/channel.md" in dims and "dimensions/region.md" in dims
    text = pages.render_page(pages.environment(None, "zh"), dims["dimensions/channel.md"])
    assert text.splitlines()[4] == "# 按渠道"
    assert "*未指定*" not in text
    region = pages.render_page(pages.environment(None, "zh"), dims["dimensions/region.md"])
    assert "*未指定*" in region  # rows without a region: their own row
    index = found["index.md"]
    nav = navigation(index.plans, "zh", index.dimensions)
    assert nav[2] == {"跨计划分析": [{d.title: d.page} for d in index.dimensions]}


def test_the_sort_and_filter_script_and_styles_ship_with_the_package():
    assets = ROOT / "generator" / "templates"
    for css in PACKAGE_CSS:
        assert (assets / css).is_file()
    scripts = [(assets / js).read_text("utf-8") for js in PACKAGE_JS]
    assert "mxt-sortable" in scripts[0] and "mxt-filter" in scripts[0]
    for script in scripts:
        assert not re.search(r"https?://", script)  # offline: nothing fetched


def test_timeline_writes_plan_names_in_full(computed: Computed):
    svg = charts.timeline_chart(computed.result.plans, computed.result.as_of, "zh")
    texts = " ".join(re.findall(r"<!-- (.*?) -->", svg.decode("utf-8"), re.S))
    for p in computed.result.plans:
        assert p.plan.title in texts
    late = next(p for p in computed.result.plans if p.late_days > 0)
    assert label("late_by", "zh", days=late.late_days) in texts


def test_long_plan_names_wrap_instead_of_being_cut():
    name = "2027年度全渠道会员增长与品牌焕新整合营销计划：天猫、京东、抖音、小红书与线下门店联动"
    lines = charts._wrap(name, 300, 12)
    assert len(lines) == 2 and "".join(lines) == name
    words = "Reactivate dormant members across push, email and SMS with frequency caps"
    lines = charts._wrap(words, 260, 12)
    assert " ".join(lines) == words  # broken between words
    assert charts._wrap("x" * 500, 100, 12, most=3)[-1].endswith("…")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_portfolio_pages_render_in_every_language(computed: Computed, lang: str):
    env = pages.environment(None, lang)
    for name, page in portfolio_pages(computed, History(), lang):
        text = pages.render_page(env, page)
        assert "{{" not in text, name
    if lang == "en":
        index = dict(portfolio_pages(computed, History(), lang))["index.md"]
        assert [d.title for d in index.dimensions][:2] == ["By region", "By channel"]
