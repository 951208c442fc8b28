"""The row engine: one sort for the store and the duplicate check, on either sort path.

The packed path (the whole key in one integer) and the general path (a
lexicographic sort, for keys too wide to pack) must agree with each other and
with a plain reference computation, for any rows in any file order.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator import rows as rows_module
from generator.load import load_project
from generator.metrics import MetricStore, where_key
from generator.rows import assemble, read_csv_text
from generator.sources import MAP_FROM

from .conftest import dictionary

START = dt.date(2024, 6, 1)
PLANS = ["p", "q", "r"]
METRICS = ["new_users", "clicks", "followers", "search_index", "peak"]
REGIONS = ["华东", "华南", ""]
CHANNELS = ["抖音", "小红书"]

row = st.tuples(st.sampled_from(PLANS), st.sampled_from(METRICS), st.integers(0, 40),
                st.sampled_from(REGIONS), st.sampled_from(CHANNELS),
                st.integers(-50, 500))


def csv_text(records: list[tuple[str, str, int, str, str, int]]) -> str:
    lines = ["date,plan,metric,value,region,channel"]
    lines += [f"{START + dt.timedelta(days=d)},{p},{m},{v},{r},{c}"
              for p, m, d, r, c, v in records]
    return "\n".join(lines) + "\n"


def build(text: str, packed: bool, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(rows_module, "PACKED_BITS", 63 if packed else 0)
    return assemble([read_csv_text(text, "data/t.csv")], dictionary(), set(PLANS))


def reference(records, metric: str, plan: str, lo: int, hi: int, region: str | None):
    """The value by the spec's rules, computed the plain way."""
    picked = [(d, r, c, v) for p, m, d, r, c, v in records
              if p == plan and m == metric and lo <= d <= hi and (region is None or r == region)]
    if not picked:
        return None
    if metric in ("new_users", "clicks"):
        return float(sum(v for *_, v in picked))
    if metric == "followers":  # last: each series' latest row, summed
        latest: dict[tuple[str, str], tuple[int, int]] = {}
        for d, r, c, v in picked:
            if (r, c) not in latest or d >= latest[(r, c)][0]:
                latest[(r, c)] = (d, v)
        return float(sum(v for _, v in latest.values()))
    per_day: dict[int, float] = {}
    for d, _, _, v in picked:
        per_day[d] = per_day.get(d, 0) + v
    if metric == "search_index":
        return sum(per_day.values()) / len(per_day)
    return max(per_day.values())


@settings(max_examples=60, deadline=None)
@given(st.lists(row, max_size=60, unique_by=lambda r: r[:5]), st.randoms(use_true_random=False),
       st.integers(0, 40), st.integers(0, 40), st.sampled_from([None, "华东", ""]))
def test_both_sort_paths_agree_with_the_reference(records, rnd, a, b, region):
    lo, hi = min(a, b), max(a, b)
    rnd.shuffle(records)
    text = csv_text(records)
    as_of = START + dt.timedelta(days=35)  # some rows lie after as-of
    with pytest.MonkeyPatch.context() as mp:
        stores = []
        for packed in (True, False):
            built, problems = build(text, packed, mp)
            assert problems == []
            stores.append(MetricStore(built, dictionary(), as_of))
    kept = [r for r in records if r[2] <= 35]
    where = where_key({"region": region} if region is not None else None)
    for plan in PLANS:
        for metric in METRICS:
            want = reference(kept, metric, plan, lo, hi, region)
            for store in stores:
                got = store.value(metric, plan, START + dt.timedelta(days=lo),
                                  START + dt.timedelta(days=hi), where)
                assert got == pytest.approx(want), (metric, plan, lo, hi, region)


@pytest.mark.parametrize("packed", [True, False])
def test_duplicates_name_both_rows_in_file_order(packed, monkeypatch):
    text = csv_text([("p", "clicks", 1, "华东", "抖音", 5), ("q", "clicks", 1, "华东", "抖音", 5),
                     ("p", "clicks", 2, "华东", "抖音", 5), ("p", "clicks", 1, "华东", "抖音", 7),
                     ("p", "clicks", 1, "华东", "抖音", 9)])
    _, problems = build(text, packed, monkeypatch)
    assert [(p.line, p.message) for p in problems] == [
        (5, "duplicate row: the same date 2024-06-02, metric 'clicks', plan and dimensions "
            "as data/t.csv:2"),
        (6, "duplicate row: the same date 2024-06-02, metric 'clicks', plan and dimensions "
            "as data/t.csv:2")]


def test_duplicates_across_files_and_a_missing_dimension(monkeypatch):
    a = read_csv_text("date,plan,metric,value\n2024-06-01,p,clicks,1\n", "data/a.csv")
    b = read_csv_text("date,plan,metric,value,region\n2024-06-02,p,clicks,1,\n"
                      "2024-06-01,p,clicks,3,\n", "data/b.csv")
    _, problems = assemble([a, b], dictionary(), {"p"})
    assert [(p.file, p.line) for p in problems] == [("data/b.csv", 3)]
    assert problems[0].message.endswith("as data/a.csv:2")


def test_rows_after_as_of_are_left_out_and_located(tmp_path, monkeypatch):
    records = [("p", "clicks", d, "华东", "抖音", 1) for d in range(10)]
    built, _ = build(csv_text(records), True, monkeypatch)
    assert built.last_date() == START + dt.timedelta(days=9)
    cut = built.up_to((START + dt.timedelta(days=4)).toordinal() - dt.date(1970, 1, 1).toordinal())
    assert len(cut) == 5 and cut.last_day < built.last_day
    assert [cut.location(i) for i in range(len(cut))] == [("data/t.csv", n) for n in range(2, 7)]
    store = MetricStore(built, dictionary(), START + dt.timedelta(days=4))
    assert store.value("clicks", "p", START, START + dt.timedelta(days=30)) == 5


def test_frame_and_kept_columns_follow_file_order(monkeypatch):
    text = ("date,plan,metric,value,source\n2024-06-03,q,clicks,3,后台\n"
            "2024-06-01,p,clicks,1,\n2024-06-02,p,clicks,2,巨量引擎\n")
    built, _ = assemble([read_csv_text(text, "data/t.csv")], dictionary(), {"p", "q"})
    frame = built.frame()
    assert frame["value"].tolist() == [3, 1, 2]
    assert frame["_line"].tolist() == [2, 3, 4]
    assert frame["source"].tolist() == ["后台", "", "巨量引擎"]
    codes = built.column("source")[built.plan_rows("p")]
    assert sorted(built.names["source"][c] for c in codes) == ["", "巨量引擎"]


@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"])
@pytest.mark.parametrize("last_newline", [True, False])
@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_a_big_file_is_read_in_place_with_right_lines(tmp_path: Path, bom, last_newline,
                                                      newline):
    """Files over MAP_FROM are memory-mapped; lines and values stay exact."""
    (tmp_path / "plans").mkdir()
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "metrics.yaml").write_text(
        "dimensions: [plan, region]\nmetrics:\n  clicks: {name: 点击量, aggregation: sum}\n",
        "utf-8")
    rnd = random.Random(4)
    lines = ["date,plan,metric,value,region"]
    day = dt.date(2024, 1, 1)
    size = 0
    while size < MAP_FROM + 5000:
        lines.append(f"{day},p,clicks,{rnd.randint(0, 99)},r{len(lines)}")
        size += len(lines[-1]) + 1
    text = newline.join(lines) + (newline if last_newline else "")
    (tmp_path / "data" / "big.csv").write_bytes(bom + text.encode())
    project = load_project(tmp_path)
    (csv,) = project.csv_files
    assert csv.table is not None and not isinstance(csv.data, bytes)  # fast path, mapped
    built, problems = assemble(project.csv_files, project.dictionary, {"p"})
    assert problems == []
    assert len(built) == len(lines) - 1
    total = sum(int(x.rsplit(",", 2)[1]) for x in lines[1:])
    store = MetricStore(built, project.dictionary, day)
    assert store.value("clicks", "p", day, day) == total
    last = int(built.origin.argmax())
    assert built.location(last) == ("data/big.csv", len(lines))


def test_a_lone_carriage_return_sends_the_file_to_the_careful_path(tmp_path: Path):
    """Arrow takes a lone \\r for a line break; the fast path must not then miscount lines."""
    from generator import build as pipeline

    (tmp_path / "plans").mkdir()
    (tmp_path / "data").mkdir()
    (tmp_path / "plans" / "p.yaml").write_text(
        "id: p\ntitle: P\nowner: 王\nperiod: {start: 2024-01-01, end: 2024-01-31}\n", "utf-8")
    (tmp_path / "data" / "metrics.yaml").write_text(
        "metrics:\n  clicks: {name: 点击量, aggregation: sum}\n", "utf-8")
    (tmp_path / "data" / "t.csv").write_bytes(
        b"date,plan,metric,value\n2024-01-01,p,clicks,1\r2024-01-02,p,clicks,2\n\n"
        b"2024-01-01,p,clicks,3\n")
    checked = pipeline.check(tmp_path)
    duplicates = [p for p in checked.errors if "duplicate row" in p.message]
    assert [(p.file, p.line) for p in duplicates] == [("data/t.csv", 5)]


def test_each_computation_lets_the_previous_portfolio_go():
    """`mxt serve`, the change log and `mxt diff` compute again and again: no store stays."""
    import gc
    import weakref

    from generator import build as pipeline

    from .conftest import ROOT

    stores = []
    for _ in range(3):
        stores.append(weakref.ref(pipeline.compute(ROOT).store))
        gc.collect()
    assert sum(ref() is not None for ref in stores) <= 1


def test_rows_prepared_ahead_are_used_only_when_the_plans_own_them(tmp_path: Path):
    import sys

    from generator import build as pipeline

    from .conftest import ROOT

    sys.path.insert(0, str(ROOT / "benchmarks"))
    from synth import generate

    project = generate(tmp_path / "p", 2, 400)
    checked = pipeline.check(project)
    assert checked.project.prepared is not None
    assert checked.rows is checked.project.prepared.rows
    (project / "plans" / "p0001.yaml").unlink()  # its rows now name no plan
    checked = pipeline.check(project)
    assert checked.project.prepared is not None
    assert checked.rows is not checked.project.prepared.rows
    assert any("no plan has the id 'p0001'" in p.message for p in checked.errors)


@pytest.mark.parametrize("wide", [False, True])
def test_rows_naming_no_plan_stay_on_the_fast_path_with_the_careful_warnings(wide):
    """A file where some rows name no plan is read by the fast path (no cell-by-cell read
    of a big export for a warning), with the careful path's rows and located warnings."""
    from generator.rows import read_csv_bytes

    if wide:
        lines = ["date,plan,region,clicks,impressions"]
        lines += [f"{START + dt.timedelta(days=i)},{'p' if i % 3 else ''},"
                  f"{REGIONS[i % 2]},{i},{10 * i}" for i in range(70)]
    else:
        lines = ["date,plan,metric,value,region"]
        lines += [f"{START + dt.timedelta(days=i)},{'p' if i % 3 else ''},clicks,{i},"
                  f"{REGIONS[i % 2]}" for i in range(70)]
    text = "\n".join(lines) + "\n"
    fast = read_csv_bytes(text.encode(), "data/t.csv", None, dictionary())
    assert fast is not None and fast.table is not None and fast.warnings
    careful = read_csv_text(text, "data/t.csv")
    (fast_rows, fast_problems), (rows, problems) = (
        assemble([f], dictionary(), set(PLANS)) for f in (fast, careful))
    assert fast_problems == problems and len(problems) == 21  # 20, then "… more rows"
    assert fast_rows.frame().equals(rows.frame())
