"""§1: the value of a metric over a window, every aggregation, filters and as-of cuts."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.metrics import where_key

from .conftest import store

D = dt.date.fromisoformat

CSV = """
date,plan,metric,value,region,channel
2024-06-01,p,new_users,100,华东,抖音
2024-06-01,p,new_users,50,华南,抖音
2024-06-02,p,new_users,30,华东,小红书
2024-06-03,p,new_users,20,华东,抖音
2024-06-04,p,new_users,999,华东,抖音
2024-06-01,p,followers,1000,华东,抖音
2024-06-03,p,followers,1200,华东,抖音
2024-06-02,p,followers,500,华南,小红书
2024-06-01,p,search_index,100,华东,
2024-06-01,p,search_index,50,华南,
2024-06-02,p,search_index,300,华东,
2024-06-01,p,peak,5,华东,
2024-06-01,p,peak,6,华南,
2024-06-02,p,peak,8,华东,
2024-06-01,p,trough,5,华东,
2024-06-01,p,trough,6,华南,
2024-06-02,p,trough,8,华东,
2024-06-01,p,clicks,10,华东,抖音
2024-06-02,p,clicks,90,华东,抖音
2024-06-01,p,impressions,1000,华东,抖音
2024-06-02,p,impressions,1000,华东,抖音
2024-06-01,p,gmv,500,华东,抖音
2024-06-01,p,cost,0,华东,抖音
"""


@pytest.fixture
def s():
    return store(CSV, "2024-06-03")


def test_sum_over_window_capped_at_as_of(s):
    # the 999 row of 06-04 is after as-of and ignored
    assert s.value("new_users", "p", D("2024-06-01"), D("2024-06-30")) == 200


def test_sum_with_where_single_value_and_list(s):
    assert s.value("new_users", "p", D("2024-06-01"), D("2024-06-30"),
                   where_key({"region": "华东"})) == 150
    assert s.value("new_users", "p", D("2024-06-01"), D("2024-06-30"),
                   where_key({"channel": ["抖音", "小红书"], "region": "华东"})) == 150
    assert s.value("new_users", "p", D("2024-06-01"), D("2024-06-30"),
                   where_key({"channel": "小红书"})) == 30


def test_window_start_inclusive_end_inclusive(s):
    assert s.value("new_users", "p", D("2024-06-02"), D("2024-06-03")) == 50
    assert s.value("new_users", "p", D("2024-06-03"), D("2024-06-03")) == 20


def test_empty_window_is_null(s):
    assert s.value("new_users", "p", D("2024-05-01"), D("2024-05-31")) is None
    assert s.value("new_users", "p", D("2024-06-01"), D("2024-06-30"),
                   where_key({"region": "华北"})) is None
    assert s.value("new_users", "other", D("2024-06-01"), D("2024-06-30")) is None


def test_last_takes_latest_per_series_then_sums(s):
    # 华东/抖音 latest 1200 (06-03), 华南/小红书 latest 500
    assert s.value("followers", "p", D("2024-06-01"), D("2024-06-30")) == 1700
    # cut at 06-02: 华东/抖音 is 1000
    assert s.value("followers", "p", D("2024-06-01"), D("2024-06-02")) == 1500


def test_mean_adds_series_per_date_first(s):
    # 06-01: 100 + 50 = 150; 06-02: 300 -> mean 225, not mean of rows (150)
    assert s.value("search_index", "p", D("2024-06-01"), D("2024-06-30")) == 225


def test_max_and_min_over_daily_totals(s):
    assert s.value("peak", "p", D("2024-06-01"), D("2024-06-30")) == 11
    assert s.value("trough", "p", D("2024-06-01"), D("2024-06-30")) == 8


def test_formula_is_ratio_of_sums_not_mean_of_ratios(s):
    # daily CTRs 1% and 9% average 5%, ratio of sums is 100 / 2000 = 5% too; make it differ
    t = store("""
        date,plan,metric,value
        2024-06-01,p,clicks,10
        2024-06-01,p,impressions,1000
        2024-06-02,p,clicks,90
        2024-06-02,p,impressions,3000
        """, "2024-06-30")
    assert t.value("ctr", "p", D("2024-06-01"), D("2024-06-30")) == pytest.approx(100 / 4000)


def test_division_by_zero_is_null_not_infinity(s):
    assert s.value("roi", "p", D("2024-06-01"), D("2024-06-30")) is None


def test_formula_with_missing_input_is_null(s):
    assert s.value("cac", "p", D("2024-06-01"), D("2024-06-30")) == 0.0  # 0 cost / 200 users
    assert s.value("cac", "p", D("2024-06-01"), D("2024-06-30"),
                   where_key({"channel": "小红书"})) is None  # users but no cost rows
    assert s.value("ctr", "p", D("2024-05-01"), D("2024-05-02")) is None


def test_nested_formula_with_numbers_and_parentheses():
    t = store("""
        date,plan,metric,value
        2024-06-01,p,gmv,1000
        2024-06-01,p,cost,250
        """, "2024-06-30")
    assert t.value("profit_share", "p", D("2024-06-01"), D("2024-06-30")) == pytest.approx(0.75)


def test_empty_value_cell_is_no_value_not_zero():
    t = store("""
        date,plan,metric,value
        2024-06-01,p,new_users,
        """, "2024-06-30")
    assert t.value("new_users", "p", D("2024-06-01"), D("2024-06-30")) is None


def test_wide_shape_rows_are_melted():
    from generator.rows import assemble, read_csv_text

    from .conftest import dictionary

    d = dictionary()
    f = read_csv_text("date,region,clicks,impressions\n2024-06-01,华东,5,100\n"
                      "2024-06-02,华东,,200\n", "data/p/wide.csv", folder_plan="p")
    rows, problems = assemble([f], d, {"p"})
    assert not problems
    frame = rows.frame()
    assert sorted(frame["metric"]) == ["clicks", "impressions", "impressions"]
    assert set(frame["plan"]) == {"p"}


@settings(max_examples=40, deadline=None)
@given(st.permutations(list(range(8))))
@pytest.mark.slow
def test_row_order_does_not_change_values(order):
    lines = CSV.strip().splitlines()
    header, body = lines[0], lines[1:]
    shuffled = [body[i] for i in order] + body[8:]
    t = store("\n".join([header, *shuffled]), "2024-06-03")
    for metric in ("new_users", "followers", "search_index", "ctr"):
        assert t.value(metric, "p", D("2024-06-01"), D("2024-06-30")) == store(
            CSV, "2024-06-03").value(metric, "p", D("2024-06-01"), D("2024-06-30"))
