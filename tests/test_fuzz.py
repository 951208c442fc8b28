"""Structure-aware fuzzing of the command line (Hypothesis over plan, CSV and dictionary mutations).

A small valid project (two plans, a metric dictionary with stored and derived metrics,
one long and one wide CSV) is mutated by Hypothesis strategies that know its
structure: keys deleted, values of the wrong type, numbers at the edges (0, negative,
1e308, 10**400 as text, NaN, .inf), impossible or swapped dates, unknown references,
dependency and formula cycles, long and deeply nested formulas, chains of derived
metrics, duplicate ids and rows, malformed CSV (ragged rows, stray quotes, a 200,000
character field, empty file, BOM, GBK, thousands separators, `%`) and YAML oddities
(tabs, anchors, tags, duplicate keys, several documents, `yes` / `on`). Each project
is written to a temporary folder and run in-process through click's `CliRunner`.

Properties (from the hardening issue), checked on every generated project:

1. `validate` (text and `--format json`) exits 0 or 1, never raises, never prints a
   traceback or "internal error", and agrees with itself (text and JSON exit codes,
   JSON `ok`, as many text lines as JSON problems).
2. Every message has a location: in JSON every error and warning has a non-empty
   project-relative `file` (and, when given, a line inside that file and a column >= 1);
   in text mode every physical output line but the closing summary starts with the
   `file[:line[:col]]: ` of one of those problems.
3. `validate` exiting 0 implies `status --json` exits 0 (same `--as-of`) and prints
   JSON whose numbers are all finite, and (in the build test) that
   `build --no-pdf --out DIR` exits 0 and writes `DIR/index.html`.
4. No command runs longer than MXT_FUZZ_TIMEOUT seconds (default 60).

Each generated project may also carry an `--as-of` date (edge dates included), passed
to every command.

Nothing is weakened to make a run pass: a failure is a bug to report. The assertion
message names the property broken (the class of the error, e.g.
`FuzzFailure_status_internal_error_OverflowError_in_schedule_forecast_ends`), lists the
mutations, the `--as-of` date, every file that differs from the base project and the
commands run with their output. Hypothesis keeps failing examples in `.hypothesis/` and
replays them first on the next run; `@reproduce_failure` / `--hypothesis-seed` replay a
run exactly. Set `MXT_FUZZ_SHRINK=1` to let Hypothesis shrink a failure to a minimal
one (minutes: off by default) and `MXT_FUZZ_SAVE=DIR` to write the last failing project
(the shrunk one, since Hypothesis replays it last) to `DIR/<test name>/`, ready for
`mxt validate --project DIR/<test name>`.

Default profile (100 + 4 examples): under a minute on a 2-core machine, run by plain
`pytest` / `make test`; both fuzz tests are marked `slow`, so `-m 'not slow'` skips them.
Longer run (`scripts/fuzz.sh [EXAMPLES]` wraps it):

    MXT_FUZZ_EXAMPLES=2000 .venv/bin/python -m pytest tests/test_fuzz.py -q

`MXT_FUZZ_EXAMPLES` sets the examples of the validate/status test, and (divided by 25,
at least 4) of the build test unless `MXT_FUZZ_BUILD_EXAMPLES` is set;
`MXT_FUZZ_TIMEOUT` bounds each command (seconds, default 60): a command running
longer fails the test as a hang.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import json
import logging
import math
import os
import re
import shutil
import signal
import tempfile
import time
import traceback
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NoReturn

import pytest
import yaml
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from generator.cli import main

from .conftest import ROOT

EXAMPLES = int(os.environ.get("MXT_FUZZ_EXAMPLES", "100"))
BUILD_EXAMPLES = int(os.environ.get("MXT_FUZZ_BUILD_EXAMPLES", str(max(4, EXAMPLES // 25))))
COMMAND_SECONDS = float(os.environ.get("MXT_FUZZ_TIMEOUT", "60"))
SAVE_DIR = os.environ.get("MXT_FUZZ_SAVE")

SHRINK = os.environ.get("MXT_FUZZ_SHRINK", "") not in ("", "0")
SETTINGS = dict(
    # Shrinking a failure runs the commands hundreds of times (minutes): off in the
    # suite, whose examples are small anyway (at most 4 logged mutations of a small
    # project); on in the longer run (MXT_FUZZ_SHRINK=1, as scripts/fuzz.sh sets it).
    phases=[Phase.explicit, Phase.reuse, Phase.generate, *([Phase.shrink] if SHRINK else [])],
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                           HealthCheck.data_too_large],
)

# --------------------------------------------------------------------------- the base project

PLAN_ALPHA = """\
title: 新品上市：小红书种草 + 抖音信息流
type: campaign
owner: 王经理
period: {start: 2026-06-01, end: 2026-07-31}
description: 两个月新增用户1万。
tags: [新品, 测试]
phases:
  - {id: prep, name: 筹备期, start: 2026-06-01, end: 2026-06-10}
  - {id: burst, name: 爆发期, start: 2026-06-11, end: 2026-07-31}
milestones:
  - {id: MS1, name: 上线, date: 2026-06-11, done: 2026-06-11}
objectives:
  - {id: O1, name: 打开市场, goals: [G1, G2]}
goals:
  - id: G1
    name: 新增用户
    metric: new_users
    target: 10000
    owner: 张经理
    pace: {prep: 0.1, burst: 0.9}
    breakdown:
      by: region
      targets: {华东: 6000, 华南: 4000}
  - id: G2
    name: 投入产出比
    metric: roi
    target: 3
    owner: 王经理
    weight: 2
  - id: G3
    name: 点击率
    metric: ctr
    baseline: 0.01
    change: 0.5
    start: 2026-06-05
    due: 2026-07-15
    where: {channel: 抖音}
    owner: 李主管
    thresholds: {on_track: 0.9, off_track: 0.7}
strategies:
  - {id: S1, name: 种草, goals: [G1], priority: core, owner: 市场部}
tasks:
  - id: T1
    name: 选KOC
    strategy: S1
    phase: prep
    owner: 陈专员
    start: 2026-06-01
    end: 2026-06-05
    actual_start: 2026-06-01
    actual_end: 2026-06-05
    progress: 100
    priority: high
  - id: T2
    name: 内容制作
    owner: 周设计
    start: 2026-06-06
    end: 2026-06-10
    depends_on: [T1]
    progress: 50
  - id: T3
    name: 投放
    owner: 陈专员
    phase: burst
    start: 2026-06-11
    end: 2026-07-31
    depends_on: [T1, T2]
    status: blocked
  - {id: T4, name: 上线, owner: 王经理, start: 2026-06-11, end: 2026-06-11, milestone: true, depends_on: [T2]}
budget:
  currency: CNY
  total: 100000
  contingency: 0.1
  overspend_alert: 0.08
  lines:
    - {id: B1, name: 抖音投放, planned: 50000, cost_metric: cost, where: {channel: 抖音}, revenue_metric: gmv}
    - {id: B2, name: 物料, planned: 20000, spent: 5000}
  draws:
    - {date: 2026-06-08, amount: 1000, reason: 加急, risk: R1}
risks:
  - {id: R1, description: KOC取消, probability: medium, impact: high, mitigation: 备选, owner: 陈专员, status: occurred}
  - {id: R2, description: 审核不过, probability: low, impact: low, owner: 刘文案}
issues:
  - {id: I1, date: 2026-06-07, phase: prep, task: T2, description: 素材被驳回, impact: medium, owner: 刘文案, action: 修改, due: 2026-06-09, resolved: 2026-06-09}
  - {id: I2, date: 2026-06-12, description: 流量低, impact: high, owner: 王经理, action: 加投, due: 2026-06-20}
alerts:
  - {id: A1, rule: below, metric: ctr, value: 0.015, window: 7, where: {channel: 抖音}, action: 换素材}
  - {id: A2, rule: rising, metric: cac, by: 0.2, periods: 2, period: week, action: 评估渠道}
retro:
  - {stage: 筹备期, successes: 顺利, shortfalls: 无, root_cause: 无, actions: 继续, owner: 王经理, due: 2026-06-15, goals: [G1]}
"""  # noqa: E501

PLAN_BETA = """\
id: beta
title: Win-back
owner: Emma
period: {start: 2026-06-01, end: 2026-06-30}
goals:
  - {id: G1, name: GMV, metric: gmv, target: 50000, owner: Emma}
tasks:
  - {id: W1, name: Segments, owner: Ava, start: 2026-06-01, end: 2026-06-03}
  - {id: W2, name: Sends, owner: Emma, start: 2026-06-04, end: 2026-06-30, depends_on: [W1], progress: 20}
"""  # noqa: E501

DICTIONARY = """\
dimensions: [plan, region, channel]
metrics:
  new_users: {name: {zh: 新增用户, en: New users}, unit: 人, aggregation: sum, freshness_days: 30}
  impressions: {name: 曝光量, kind: process, aggregation: sum}
  clicks: {name: 点击量, kind: process, aggregation: sum}
  orders: {name: 订单数, aggregation: sum}
  visitors: {name: 访客数, aggregation: sum}
  gmv: {name: 成交额, unit: 元, format: currency, aggregation: sum}
  cost: {name: 投放成本, unit: 元, format: currency, aggregation: sum, direction: down}
  followers: {name: 粉丝数, aggregation: last}
  ctr: {name: 点击率, format: percent, formula: clicks / impressions, kind: process}
  conversion: {name: 转化率, format: percent, formula: orders / visitors}
  roi: {name: 投入产出比, format: ratio, formula: gmv / cost}
  cac: {name: 获客成本, unit: 元, formula: cost / new_users, direction: down}
  margin: {name: 毛利率, format: percent, formula: (gmv - cost) / gmv}
  roi_pct: {name: ROI百分比, formula: roi * 100}
"""

LONG_CSV = """\
date,plan,metric,value,region,channel,source
2026-06-01,alpha,new_users,120,华东,抖音,后台
2026-06-01,alpha,new_users,80,华南,抖音,后台
2026-06-01,beta,gmv,1500,,,CRM
2026-06-02,alpha,new_users,130,华东,抖音,后台
2026-06-02,beta,gmv,1700.5,,,CRM
2026-06-03,alpha,followers,1000,,抖音,
"""

WIDE_CSV = """\
date,region,channel,impressions,clicks,cost,gmv,orders,visitors,source
2026-06-01,华东,抖音,10000,150,800,2400,20,500,巨量
2026-06-01,华南,小红书,5000,60,300,900,8,200,蒲公英
2026-06-02,华东,抖音,11000,170,900,,22,520,巨量
2026-06-03,华南,小红书,5200,65,310,950,9,210,蒲公英
"""

MKDOCS = (ROOT / "mkdocs.yml").read_text("utf-8")
assert "language: zh" in MKDOCS

PLAN, DICT, CSV = "plan", "dict", "csv"
BASE: dict[str, tuple[str, str]] = {
    "plans/alpha.yaml": (PLAN_ALPHA, PLAN),
    "plans/beta.yaml": (PLAN_BETA, PLAN),
    "data/metrics.yaml": (DICTIONARY, DICT),
    "data/long.csv": (LONG_CSV, CSV),
    "data/alpha/wide.csv": (WIDE_CSV, CSV),
}

# --------------------------------------------------------------------------- YAML writing


class Raw(str):
    """A scalar written into the YAML text verbatim (impossible dates, tags, `yes`, ...)."""


_PLAIN_CHARS = r"A-Za-z0-9_\u00c0-\u024f\u3040-\u30ff\u3400-\u9fff\uac00-\ud7a3\uff01-\uffee"
_PLAIN = re.compile(rf"[{_PLAIN_CHARS}](?:[{_PLAIN_CHARS} ./+-]*[{_PLAIN_CHARS}.])?")


def _yaml_printable(ch: str) -> bool:
    o = ord(ch)
    return (ch in "\t\n\r" or 0x20 <= o <= 0x7E or o == 0x85 or 0xA0 <= o <= 0xD7FF
            or (0xE000 <= o <= 0xFFFD and o != 0xFEFF) or 0x10000 <= o <= 0x10FFFF)


def _quote(s: str) -> str:
    out = ['"']
    for ch in s:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif not _yaml_printable(ch) or ch == "\r":
            out.append(f"\\u{ord(ch):04x}" if ord(ch) <= 0xFFFF else f"\\U{ord(ch):08x}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def _plain_ok(s: str) -> bool:
    if not _PLAIN.fullmatch(s):
        return False
    try:
        return yaml.safe_load(s) == s  # YAML 1.1 resolves more than 1.2: quote those too
    except yaml.YAMLError:
        return False


def scalar(v: Any) -> str:
    if isinstance(v, Raw):
        return str(v)
    if v is None:
        return "null"
    if v is True or v is False:
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        if math.isnan(v):
            return ".nan"
        if math.isinf(v):
            return ".inf" if v > 0 else "-.inf"
        return repr(v)
    if isinstance(v, dt.date):
        return v.isoformat()
    s = str(v)
    return s if _plain_ok(s) else _quote(s)


def flow(v: Any) -> str:
    if isinstance(v, dict):
        return "{" + ", ".join(f"{scalar(k)}: {flow(x)}" for k, x in v.items()) + "}"
    if isinstance(v, list):
        return "[" + ", ".join(flow(x) for x in v) + "]"
    return scalar(v)


def _inline(v: Any) -> bool:
    return not isinstance(v, dict | list) or not v


def block(v: Any, indent: int = 0) -> list[str]:
    pad = " " * indent
    if isinstance(v, dict) and v:
        lines: list[str] = []
        for k, x in v.items():
            if _inline(x) or (isinstance(x, list) and all(_inline(i) for i in x)):
                lines.append(f"{pad}{scalar(k)}: {flow(x)}")
            else:
                lines.append(f"{pad}{scalar(k)}:")
                lines += block(x, indent + 2)
        return lines
    if isinstance(v, list) and v:
        lines = []
        for x in v:
            if _inline(x):
                lines.append(f"{pad}- {flow(x)}")
            else:
                inner = block(x, indent + 2)
                inner[0] = pad + "- " + inner[0][indent + 2:]
                lines += inner
        return lines
    return [pad + flow(v)]


def dump(tree: Any, style: str) -> str:
    if style == "flow":
        return flow(tree) + "\n"
    return "\n".join(block(tree)) + "\n"


# --------------------------------------------------------------------------- hostile values

CHARS = st.characters(codec="utf-8", exclude_categories=("Cs",))
SPECIAL_NUMBERS: list[Any] = [0, -1, -0.0, 0.5, 1e308, -1e308, 5e-324, 1e-320, 2**63, 2**64 + 1,
                              10**20, 1.7976931348623157e308]
RAW_NUMBERS = [Raw(s) for s in (
    "1" + "0" * 400, "-" + "9" * 400, "1" + "0" * 400 + ".5", ".nan", ".NaN", ".inf", "-.inf",
    "+.inf", "1e400", "-1e400", "1e-400", "0x1F", "0o17", "0b101", "1_000", "+12", "1,000",
    "12%", "１２", "1.2.3", "010", "1e308", "-0")]
RAW_DATES = [Raw(s) for s in (
    "2026-02-30", "2026-02-29", "2024-02-29", "2026-13-01", "2026-00-10", "2026-06-31",
    "0000-01-01", "0001-01-01", "9999-12-31", "1900-01-01", "2026-6-1", "2026/06/01",
    "20260601", "2026-06-01T10:00:00", "2026-06-01 10:00:00+08:00", "2026-06-01Z",
    "２０２６－０６－０１", "26-06-01", "-2026-06-01", "10000-01-01", "2026-W23-1")]
RAW_YAML = [Raw(s) for s in (
    "yes", "no", "on", "off", "Yes", "NO", "y", "n", "~", "null", "Null", "true", "False",
    "!!str 12", "!!int '12'", "!!float 1", "!!binary aGVsbG8=", "!!timestamp 2026-06-01",
    "!!python/object/apply:os.system ['true']", "!!set {a, b}", "!!omap [{a: 1}]",
    "!custom x", "&anc 1", "*nowhere", "'single ''quoted'''", '"unterminated',
    "'unterminated", "[", "]", "{", "}", "{a: 1", "[1, 2", "@at", "`tick", "%percent",
    "| literal", "> folded", "- item", "? key", "a: b", "a #comment", "#", "<<: {a: 1}",
    '"\\x00"', '"\\ud800"', '"\\U0010FFFF"', '"\\N"', "!!null ''", "!!bool yes",
    "!!map {}", "!!seq []", "&a [*a]")]
TEXTS = [
    "新品上市推广：小红书种草", "（全角括号）", "，。；：！？", "Ｆｕｌｌｗｉｄｔｈ", "ＩＤ－１",
    "a\u202eb", "\u200b", "\x7f", "\x00", "<script>alert(1)</script>", "{{ 7*7 }}",
    "{% raw %}", "{#", "[x](javascript:alert(1))", "| a | b |", "`code`", "*bold*",
    "# heading", "---", "...", "\\", "'", '"', "&amp;", "\ufeff", "😀", "é", "../../etc/passwd",
    "C:\\x", "x" * 300, "a\nb", "a\r\nb", " ", "", "\t", "%", "%%", "$(id)", "=1+1", "@SUM(A1)",
    "NaN", "inf", "null", "None", "true", "1e308", "2026-06-01", "王经理；李主管",
]
KEYS = ["ownr", "titel", "Title", "goal", "目标", "id ", " id", "", "x" * 300, "tasks2",
        "metrics", "name", "<<", "？", "ID", "1", "null", "owner", "description"]


def long_text() -> st.SearchStrategy[str]:
    return st.sampled_from([("长", 2000), ("a", 5000), ("长", 100_000), ("：", 200_000)]).map(
        lambda p: p[0] * p[1])


scalars = st.one_of(
    st.sampled_from(SPECIAL_NUMBERS), st.sampled_from(RAW_NUMBERS), st.sampled_from(RAW_DATES),
    st.sampled_from(RAW_YAML), st.sampled_from(TEXTS), st.none(), st.booleans(),
    st.integers(-10**6, 10**6), st.floats(allow_nan=True, allow_infinity=True),
    st.dates(dt.date(1, 1, 1), dt.date(9999, 12, 31)), st.text(CHARS, max_size=12),
    long_text(),
)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
        st.sampled_from(KEYS) | st.text(CHARS, min_size=1, max_size=6), inner, max_size=3),
    max_leaves=5,
)
#: values a valid plan could hold, to reach `status` and `build` (not only validate)
benign_texts = st.one_of(st.sampled_from(TEXTS), st.text(CHARS, min_size=1, max_size=30),
                         long_text())


# --------------------------------------------------------------------------- the project state


@dataclasses.dataclass
class State:
    """The project being mutated: YAML as trees, CSV as rows, until written as text."""

    trees: dict[str, Any]
    tables: dict[str, list[list[str]]]
    texts: dict[str, str]
    kinds: dict[str, str]
    touched: set[str]
    log: list[str]
    extra: dict[str, bytes] = dataclasses.field(default_factory=dict)
    encodings: dict[str, str] = dataclasses.field(default_factory=dict)
    dirs: list[str] = dataclasses.field(default_factory=list)


def _csv_rows(text: str) -> list[list[str]]:
    return [line.split(",") for line in text.splitlines()]


def base_state() -> State:
    trees: dict[str, Any] = {}
    tables: dict[str, list[list[str]]] = {}
    for rel, (text, kind) in BASE.items():
        if kind == CSV:
            tables[rel] = _csv_rows(text)
        else:
            trees[rel] = yaml.safe_load(text)
    return State(trees=trees, tables=tables, texts={rel: t for rel, (t, _) in BASE.items()},
                 kinds={rel: k for rel, (_, k) in BASE.items()}, touched=set(), log=[])


Draw = Callable[[st.SearchStrategy[Any]], Any]


def _pick(draw: Draw, items: list[Any]) -> Any:
    return items[draw(st.integers(0, len(items) - 1))]


def _slots(tree: Any) -> list[tuple[Any, Any, str]]:
    """Every (container, key, path) of a tree, in document order."""
    out: list[tuple[Any, Any, str]] = []

    def walk(node: Any, path: str) -> None:
        if isinstance(node, dict):
            for k in list(node):
                out.append((node, k, f"{path}.{k}" if path else str(k)))
                walk(node[k], out[-1][2])
        elif isinstance(node, list):
            for i, x in enumerate(node):
                out.append((node, i, f"{path}[{i}]"))
                walk(x, out[-1][2])

    walk(tree, "")
    return out


def _tree_file(draw: Draw, s: State, kinds: tuple[str, ...]) -> str | None:
    files = [f for f in sorted(s.trees) if s.kinds[f] in kinds]
    if not files:
        return None
    f = _pick(draw, files)
    s.touched.add(f)
    return f


def _dicts(tree: Any) -> list[tuple[dict[str, Any], str]]:
    found = [(tree, "")] if isinstance(tree, dict) else []
    found += [(c[k], p) for c, k, p in _slots(tree) if isinstance(c[k], dict)]
    return found


def _items(tree: Any, section: str) -> list[dict[str, Any]]:
    if not isinstance(tree, dict) or not isinstance(tree.get(section), list):
        return []
    return [i for i in tree[section] if isinstance(i, dict)]


# --------------------------------------------------------------------------- mutations


@dataclasses.dataclass(frozen=True)
class Mutation:
    name: str
    layer: int  # 0: structure, 1: text, 2: bytes
    apply: Callable[[Draw, State], str | None]

    def __repr__(self) -> str:
        return self.name


MUTATIONS: list[Mutation] = []
#: mutations that often keep the project valid: they reach `status` and `build`
VALID_MUTATIONS: list[Mutation] = []


def mutation(layer: int, keeps_valid: bool = False
             ) -> Callable[[Callable[[Draw, State], str | None]], Mutation]:
    def register(fn: Callable[[Draw, State], str | None]) -> Mutation:
        m = Mutation(fn.__name__, layer, fn)
        MUTATIONS.append(m)
        if keeps_valid:
            VALID_MUTATIONS.append(m)
        return m
    return register


# ---- generic tree mutations (plans and dictionary)


@mutation(0)
def delete_key(draw: Draw, s: State) -> str | None:
    f = _tree_file(draw, s, (PLAN, DICT))
    slots = _slots(s.trees[f]) if f else []
    if not slots:
        return None
    container, key, path = _pick(draw, slots)
    del container[key]
    return f"{f}: delete {path}"


@mutation(0)
def replace_value(draw: Draw, s: State) -> str | None:
    f = _tree_file(draw, s, (PLAN, DICT))
    slots = _slots(s.trees[f]) if f else []
    if not slots:
        return None
    container, key, path = _pick(draw, slots)
    container[key] = draw(values)
    return f"{f}: {path} = {container[key]!r:.200}"


@mutation(0)
def replace_document(draw: Draw, s: State) -> str | None:
    f = _tree_file(draw, s, (PLAN, DICT))
    if f is None:
        return None
    s.trees[f] = draw(values)
    return f"{f}: whole document = {s.trees[f]!r:.200}"


@mutation(0)
def add_unknown_key(draw: Draw, s: State) -> str | None:
    f = _tree_file(draw, s, (PLAN, DICT))
    dicts = _dicts(s.trees[f]) if f else []
    if not dicts:
        return None
    d, path = _pick(draw, dicts)
    key = draw(st.sampled_from(KEYS) | st.text(CHARS, min_size=1, max_size=8))
    d[key] = draw(values)
    return f"{f}: {path}.{key!r:.50} = {d[key]!r:.100}"


@mutation(0)
def duplicate_item(draw: Draw, s: State) -> str | None:
    f = _tree_file(draw, s, (PLAN, DICT))
    lists = [(c[k], p) for c, k, p in _slots(s.trees[f]) if isinstance(c[k], list) and c[k]] \
        if f else []
    if not lists:
        return None
    items, path = _pick(draw, lists)
    i = draw(st.integers(0, len(items) - 1))
    items.insert(i, copy.deepcopy(items[i]))
    return f"{f}: duplicate {path}[{i}]"


@mutation(0, keeps_valid=True)
def edge_number(draw: Draw, s: State) -> str | None:
    f = _tree_file(draw, s, (PLAN, DICT))
    slots = [(c, k, p) for c, k, p in _slots(s.trees[f])
             if isinstance(c[k], int | float) and not isinstance(c[k], bool)] if f else []
    if not slots:
        return None
    container, key, path = _pick(draw, slots)
    value = draw(st.sampled_from([
        0, -1, 1, 0.0001, 1e-9, 1e15, 1e308, 1.5e308, -1e308, 5e-324, 2**53 + 1, 10**400,
        *RAW_NUMBERS]) | st.floats(allow_nan=True, allow_infinity=True))
    if draw(st.booleans()):  # every field of that name: sums of targets, weights, amounts
        for c, k, _ in slots:
            if k == key:
                c[k] = value
        return f"{f}: every numeric {key!r} = {value!r:.60}"
    container[key] = value
    return f"{f}: {path} = {value!r:.60}"


@mutation(0, keeps_valid=True)
def stress_text(draw: Draw, s: State) -> str | None:
    """Names, titles, descriptions: markup, CJK punctuation, control characters, huge."""
    f = _tree_file(draw, s, (PLAN, DICT))
    fields = {"title", "name", "description", "owner", "mitigation", "action", "reason", "zh",
              "en", "unit", "definition", "stage", "successes", "notes", "category", "effect",
              "approver", "currency"}
    slots = [(c, k, p) for c, k, p in _slots(s.trees[f])
             if k in fields and isinstance(c[k], str)] if f else []
    if not slots:
        return None
    container, key, path = _pick(draw, slots)
    container[key] = draw(benign_texts)
    return f"{f}: {path} = {container[key]!r:.100}"


@mutation(0, keeps_valid=True)
def stress_id(draw: Draw, s: State) -> str | None:
    """Plan and item ids used in URLs, file names and CSV columns."""
    f = _tree_file(draw, s, (PLAN,))
    if f is None or not isinstance(s.trees[f], dict):
        return None
    slots = [(c, k, p) for c, k, p in _slots(s.trees[f]) if k == "id"]
    if "id" not in s.trees[f]:
        slots.append((s.trees[f], "id", "id"))
    container, key, path = _pick(draw, slots)
    container[key] = draw(st.sampled_from([
        "a", "a" * 200, "a..b", "con", "nul", "-x", ".hidden", "x.yaml", "index", "assets",
        "G1/华东", "../x", "a/b", "G 1", "目标一", "ＧＯ", "g1", "T1", "beta", "alpha", "0", "_",
        "a%2Fb", "a?b", "a#b", "<b>", "x" * 5000]) | st.text(CHARS, min_size=1, max_size=10))
    return f"{f}: {path} = {container[key]!r:.80}"


# ---- plan-specific structure


REFERENCE_FIELDS = ("metric", "phase", "strategy", "task", "risk", "by", "cost_metric",
                    "revenue_metric", "depends_on", "goals")


@mutation(0)
def unknown_reference(draw: Draw, s: State) -> str | None:
    f = _tree_file(draw, s, (PLAN,))
    slots = [(c, k, p) for c, k, p in _slots(s.trees[f]) if k in REFERENCE_FIELDS] if f else []
    if not slots:
        return None
    container, key, path = _pick(draw, slots)
    bad = draw(st.sampled_from(["nope", "G9", "T99", "ctr ", "CTR", "新增用户", "", "plan",
                                "date", "value", "G1/华东", "roi_pct", "followers"]))
    container[key] = [bad] if isinstance(container[key], list) else bad
    return f"{f}: {path} = {container[key]!r}"


@mutation(0)
def dependency_cycle(draw: Draw, s: State) -> str | None:
    f = _tree_file(draw, s, (PLAN,))
    tasks = _items(s.trees[f], "tasks") if f else []
    if not tasks:
        return None
    a, b = _pick(draw, tasks), _pick(draw, tasks)
    a["depends_on"] = [b.get("id")]
    b["depends_on"] = [a.get("id")]
    return f"{f}: tasks {a.get('id')!r} <-> {b.get('id')!r} depend on each other"


@mutation(0, keeps_valid=True)
def task_chain(draw: Draw, s: State) -> str | None:
    """A long valid dependency chain (critical path, Gantt, forecast end)."""
    f = _tree_file(draw, s, (PLAN,))
    if f is None or not isinstance(s.trees[f], dict):
        return None
    n = draw(st.sampled_from([3, 50, 300, 1200]))
    start = dt.date(2026, 6, 1)
    chain = [{"id": f"C{i}", "name": f"链{i}", "owner": "o", "start": start, "end": start,
              **({"depends_on": [f"C{i - 1}"]} if i else {})} for i in range(n)]
    tasks = s.trees[f].get("tasks")
    s.trees[f]["tasks"] = (tasks if isinstance(tasks, list) else []) + chain
    return f"{f}: append a chain of {n} dependent tasks"


@mutation(0, keeps_valid=True)
def move_dates(draw: Draw, s: State) -> str | None:
    """Valid but extreme dates: far past / future, leap days, zero-length periods."""
    f = _tree_file(draw, s, (PLAN,))
    slots = [(c, k, p) for c, k, p in _slots(s.trees[f]) if isinstance(c[k], dt.date)] if f else []
    if not slots:
        return None
    container, key, path = _pick(draw, slots)
    container[key] = draw(st.sampled_from([dt.date(1, 1, 1), dt.date(1899, 12, 31),
                                           dt.date(1900, 1, 1), dt.date(1970, 1, 1),
                                           dt.date(2024, 2, 29), dt.date(2026, 6, 3),
                                           dt.date(2026, 6, 4), dt.date(2999, 12, 31),
                                           dt.date(3000, 1, 1), dt.date(9999, 12, 31)])
                          | st.dates(dt.date(2025, 1, 1), dt.date(2027, 12, 31)))
    return f"{f}: {path} = {container[key]}"


@mutation(0)
def bad_date(draw: Draw, s: State) -> str | None:
    f = _tree_file(draw, s, (PLAN,))
    slots = [(c, k, p) for c, k, p in _slots(s.trees[f]) if isinstance(c[k], dt.date)] if f else []
    if not slots:
        return None
    if draw(st.booleans()):
        spans = [d for d, _ in _dicts(s.trees[f]) if "start" in d and "end" in d]
        if spans:
            d = _pick(draw, spans)
            d["start"], d["end"] = d["end"], d["start"]
            return f"{f}: swap start/end of {d.get('id', 'period')!r}"
    container, key, path = _pick(draw, slots)
    container[key] = draw(st.sampled_from(RAW_DATES))
    return f"{f}: {path} = {container[key]}"


@mutation(0, keeps_valid=True)
def breakdown_and_pace(draw: Draw, s: State) -> str | None:
    f = _tree_file(draw, s, (PLAN,))
    goals = _items(s.trees[f], "goals") if f else []
    if not goals:
        return None
    g = _pick(draw, goals)
    choice = draw(st.integers(0, 3))
    if choice == 0:
        n = draw(st.sampled_from([1, 2, 50, 500]))
        g["breakdown"] = {"by": draw(st.sampled_from(["region", "channel", "plan"])),
                          "targets": {f"区{i}": 1 for i in range(n)}}
        return f"{f}: goal {g.get('id')!r} broken down into {n} values"
    if choice == 1:
        g["breakdown"] = {"by": "channel", "targets": {draw(benign_texts): draw(values)}}
        return f"{f}: goal {g.get('id')!r} breakdown = {g['breakdown']!r:.120}"
    if choice == 2:
        g["pace"] = draw(st.dictionaries(st.sampled_from(["prep", "burst", "nope", ""]),
                                         st.sampled_from([0, 0.5, 1, 1.0005, -1, 1e308]),
                                         max_size=3))
        return f"{f}: goal {g.get('id')!r} pace = {g['pace']!r}"
    g["where"] = draw(st.dictionaries(st.sampled_from(["channel", "region", "plan", "nope"]),
                                      st.sampled_from(["抖音", "", "华东", "nope"])
                                      | st.lists(st.sampled_from(["抖音", "华南"]), max_size=2),
                                      max_size=2))
    return f"{f}: goal {g.get('id')!r} where = {g['where']!r}"


@mutation(0, keeps_valid=True)
def alert_rules(draw: Draw, s: State) -> str | None:
    f = _tree_file(draw, s, (PLAN,))
    if f is None or not isinstance(s.trees[f], dict):
        return None
    rule = {"id": "AX", "rule": draw(st.sampled_from(["below", "above", "rising", "falling",
                                                       "sideways"])),
            "metric": draw(st.sampled_from(["ctr", "cac", "gmv", "followers", "roi_pct", "nope"]))}
    for key, strategy in (("value", st.sampled_from([0, -1, 1e308, 0.5])),
                          ("window", st.sampled_from([0, 1, 7, 100_000, -3])),
                          ("by", st.sampled_from([0, 0.2, -0.5, 1e308])),
                          ("periods", st.sampled_from([0, 1, 2, 60, 10_000])),
                          ("period", st.sampled_from(["week", "month", "day", "year"])),
                          ("severity", st.sampled_from(["info", "warning", "critical", "fatal"]))):
        if draw(st.booleans()):
            rule[key] = draw(strategy)
    alerts = s.trees[f].get("alerts")
    s.trees[f]["alerts"] = (alerts if isinstance(alerts, list) else []) + [rule]
    return f"{f}: alert rule {rule!r}"


@mutation(0, keeps_valid=True)
def plan_options(draw: Draw, s: State) -> str | None:
    """Enumerations and flags of the spec, valid or one step off."""
    f = _tree_file(draw, s, (PLAN,))
    if f is None or not isinstance(s.trees[f], dict):
        return None
    plan = s.trees[f]
    targets: list[tuple[dict[str, Any], str, list[Any]]] = [
        (plan, "language", ["zh", "en", "fr", "ZH"]),
        (plan, "type", ["campaign", "strategy", "annual", "regional", "activation", "other",
                        "Campaign", "营销"]),
    ]
    for task in _items(plan, "tasks"):
        targets += [(task, "priority", ["high", "medium", "low", "urgent"]),
                    (task, "status", ["blocked", "cancelled", "done", "delayed"]),
                    (task, "milestone", [True, False, Raw("yes")]),
                    (task, "progress", [0, 100, 99.999, 0.001, 101, -1]),
                    (task, "support", [[], ["a"] * 50, "设计部"])]
    for risk in _items(plan, "risks"):
        targets += [(risk, "status", ["open", "occurred", "closed", "gone"]),
                    (risk, "probability", ["high", "low", "HIGH"]),
                    (risk, "mitigation", [None, ""])]
    for goal in _items(plan, "goals"):
        targets += [(goal, "weight", [0.001, 1e-300, 1e308, 0, -1]),
                    (goal, "thresholds", [{"on_track": 0.5, "off_track": 0.9},
                                          {"on_track": 0, "off_track": 0},
                                          {"on_track": 1e308, "off_track": 1e-308}]),
                    (goal, "target", [0, 1e-9, 1e15, -5])]
    target, key, options = _pick(draw, targets)
    target[key] = draw(st.sampled_from(options))
    return f"{f}: {target.get('id', 'plan')}.{key} = {target[key]!r:.60}"


# ---- dictionary-specific structure

@st.composite
def formulas(draw: Draw) -> str:
    kind = draw(st.integers(0, 7))
    ref = draw(st.sampled_from(["gmv", "cost", "clicks", "roi", "ctr"]))
    if kind == 0:  # long flat expression, around the length limit
        n = draw(st.sampled_from([2, 10, 100, 300, 399, 400, 499, 500, 666, 1000]))
        op = draw(st.sampled_from(["+", "-", "*", "/", " + ", " * "]))
        return op.join([ref] * n)
    if kind == 1:  # nested parentheses around the depth limit
        d = draw(st.sampled_from([1, 49, 50, 51, 200, 999, 5000]))
        return "(" * d + ref + ")" * d
    if kind == 2:  # unary minus chains and right-nested divisions
        d = draw(st.sampled_from([1, 2, 100, 1000, 1999, 5000]))
        if draw(st.booleans()):
            return "-" * d + ref
        return "".join(f"{ref}/(" for _ in range(min(d, 49))) + ref + ")" * min(d, 49)
    if kind == 3:  # overflow, underflow, zero division
        return draw(st.sampled_from([
            f"{ref} * 1e308 * 1e308", f"{ref} * 1" + "0" * 400, "1" + "0" * 400,
            "1" + "0" * 309 + f" * {ref}", f"{ref} / 0", f"{ref} / ({ref} - {ref})", "1 / 0",
            f"0 * {ref}", f"{ref} * 0.{'0' * 400}1", f"{ref} - {ref}", f"{ref} * {ref} * {ref}"
            f" * {ref} * {ref} * {ref} * {ref} * {ref}", "0.0", "99999999999999999999999"]))
    if kind == 4:  # outside the grammar
        return draw(st.sampled_from([
            f"{ref} ** 2", f"{ref} // 2", f"{ref} ／ cost", "ｇｍｖ / cost", f"{ref} × 2",
            "__import__('os').system('id')", f"{ref} /", "", " ", "()", f"({ref}", f"{ref})",
            "1e5 * gmv", "gmv.cost", "gmv cost", "gmv % 2", "abs(gmv)", "gmv; cost",
            "gmv\n/ cost", "新增用户 / 2", "1.2.3", "..5", "gmv\u00a0/ cost", "-(-(-gmv))"]))
    if kind == 5:  # self and mutual references
        return draw(st.sampled_from(["roi", "roi_pct / 100", "margin", "ctr * roi / roi"]))
    if kind == 6:
        return draw(st.text(st.sampled_from("gmvcost+-*/() 0.19e_"), max_size=30))
    return draw(st.text(CHARS, max_size=20))


@mutation(0, keeps_valid=True)
def stress_formula(draw: Draw, s: State) -> str | None:
    f = _tree_file(draw, s, (DICT,))
    metrics = s.trees[f].get("metrics") if f and isinstance(s.trees[f], dict) else None
    if not isinstance(metrics, dict):
        return None
    derived = [k for k, v in metrics.items() if isinstance(v, dict) and "formula" in v]
    if not derived:
        return None
    key = _pick(draw, derived)
    metrics[key]["formula"] = draw(formulas())
    return f"{f}: metrics.{key}.formula = {metrics[key]['formula']!r:.300}" + (
        f" ({len(metrics[key]['formula'])} chars)")


@mutation(0, keeps_valid=True)
def derived_chain(draw: Draw, s: State) -> str | None:
    """`roi` computed through a chain of n derived metrics (d0 = gmv / cost, dI = dI-1 * 1)."""
    f = _tree_file(draw, s, (DICT,))
    metrics = s.trees[f].get("metrics") if f and isinstance(s.trees[f], dict) else None
    if not isinstance(metrics, dict):
        return None
    n = draw(st.sampled_from([2, 20, 31, 32, 33, 100, 200, 1000]))
    op = draw(st.sampled_from([" * 1", " + 0", " / 1", "", " * 1e10", " * 1e300"]))
    for i in range(n):
        metrics[f"d{i}"] = {"name": f"派生{i}",
                            "formula": "gmv / cost" if i == 0 else f"d{i - 1}{op}"}
    metrics["roi"] = {"name": "投入产出比", "format": "ratio", "formula": f"d{n - 1}"}
    return f"{f}: roi = chain of {n} derived metrics (dI = dI-1{op})"


@mutation(0)
def formula_cycle(draw: Draw, s: State) -> str | None:
    f = _tree_file(draw, s, (DICT,))
    metrics = s.trees[f].get("metrics") if f and isinstance(s.trees[f], dict) else None
    if not isinstance(metrics, dict):
        return None
    n = draw(st.sampled_from([1, 2, 3, 100]))
    for i in range(n):
        metrics[f"c{i}"] = {"name": f"环{i}", "formula": f"c{(i + 1) % n} + 1"}
    if draw(st.booleans()):
        metrics["roi"] = {"name": "投入产出比", "formula": "c0"}
    return f"{f}: a formula cycle of {n} metrics"


@mutation(0, keeps_valid=True)
def metric_definition(draw: Draw, s: State) -> str | None:
    f = _tree_file(draw, s, (DICT,))
    metrics = s.trees[f].get("metrics") if f and isinstance(s.trees[f], dict) else None
    if not isinstance(metrics, dict) or not metrics:
        return None
    key = _pick(draw, sorted(metrics, key=str))
    m = metrics[key] if isinstance(metrics[key], dict) else {}
    field = draw(st.sampled_from(["aggregation", "format", "direction", "kind",
                                  "freshness_days", "formula", "name", "rename"]))
    if field == "rename":
        new = draw(st.sampled_from(["1abc", "a-b", "新增", "", "x" * 300, "date", "value",
                                    "plan", "region", "gmv", "Gmv", "g m v"]))
        metrics[new] = metrics.pop(key)
        return f"{f}: metric {key!r} renamed to {new!r:.40}"
    m[field] = draw(st.sampled_from({
        "aggregation": ["sum", "last", "mean", "max", "min", "median", "", None],
        "format": ["number", "percent", "ratio", "currency", "money", None],
        "direction": ["up", "down", "sideways"],
        "kind": ["result", "process", "other"],
        "freshness_days": [0, 1, -1, 10**9, 0.5, 1e308],
        "formula": ["gmv / cost", "new_users", "1"],
        "name": ["", "x" * 1000, "<b>x</b>", {"zh": "中"}, {"fr": "x"}],
    }[field]))
    metrics[key] = m
    return f"{f}: metrics.{key}.{field} = {m[field]!r:.60}"


@mutation(0, keeps_valid=True)
def dimensions(draw: Draw, s: State) -> str | None:
    f = _tree_file(draw, s, (DICT,))
    if f is None or not isinstance(s.trees[f], dict):
        return None
    s.trees[f]["dimensions"] = draw(st.lists(st.sampled_from(
        ["plan", "region", "channel", "product", "date", "value", "metric", "gmv", "source",
         "区域", "", "Region"]), max_size=6))
    return f"{f}: dimensions = {s.trees[f]['dimensions']!r}"


@mutation(0, keeps_valid=True)
def reserved_names(draw: Draw, s: State) -> str | None:
    """Dictionary names that are also CSV column names: date, plan, metric, value, ..."""
    f = _tree_file(draw, s, (DICT,))
    tree = s.trees[f] if f else None
    if not isinstance(tree, dict) or not isinstance(tree.get("metrics"), dict):
        return None
    name = draw(st.sampled_from(["date", "plan", "metric", "value", "source", "note", "region"]))
    op = draw(st.sampled_from(["dimension", "stored metric", "derived metric"]))
    if op == "dimension":
        dims = tree.get("dimensions")
        tree["dimensions"] = [*(dims if isinstance(dims, list) else []), name]
    elif op == "stored metric":
        tree["metrics"][name] = {"name": name, "aggregation": "sum"}
    else:
        tree["metrics"][name] = {"name": name, "formula": "gmv / cost"}
    return f"{f}: {name!r} as a {op}"


# ---- CSV rows


def _table(draw: Draw, s: State) -> str | None:
    files = sorted(s.tables)
    if not files:
        return None
    f = _pick(draw, files)
    s.touched.add(f)
    return f


CSV_VALUES = [
    "", "0", "-0", "-5", "1,200", "12%", "NaN", "nan", "inf", "-inf", "1e308", "1e309", "-1e308",
    "1" + "0" * 400, "5e-324", "1e-400", "0x10", "１２０", " 12 ", "1_000", "1.5.2", "+7", ".5",
    "5.", "1e5", "∞", "2026-02-30", "2026-13-01", "9999-12-31", "0001-01-01", "2026-6-1",
    "2026/06/01", "nope", "ctr", "roi", "gmv", "beta", "alpha", "华东", "抖音", "null", "None",
    "TRUE", "=1+1", "\t", "a\nb", 'say "hi"', "新品：推广", "\x00", "\ufeff1",
]


@mutation(0, keeps_valid=True)
def csv_cell(draw: Draw, s: State) -> str | None:
    f = _table(draw, s)
    rows = s.tables[f] if f else []
    cells = [(r, c) for r in range(len(rows)) for c in range(len(rows[r]))]
    if not cells:
        return None
    r, c = _pick(draw, cells)
    rows[r][c] = draw(st.sampled_from(CSV_VALUES) | st.text(CHARS, max_size=8))
    return f"{f}: line {r + 1} cell {c + 1} = {rows[r][c]!r}"


@mutation(0, keeps_valid=True)
def csv_valid_extremes(draw: Draw, s: State) -> str | None:
    """Values and dates that are valid but extreme: the as-of date, sums, ratios."""
    f = _table(draw, s)
    rows = s.tables[f] if f else []
    if len(rows) < 2 or not rows[0]:
        return None
    r = draw(st.integers(1, len(rows) - 1))
    header = rows[0]
    if draw(st.booleans()) and "date" in header and header.index("date") < len(rows[r]):
        value = draw(st.sampled_from(["0001-01-01", "1900-01-01", "1970-01-01", "2024-02-29",
                                      "2026-05-31", "2999-12-31",
                                      "2026-12-31", "2100-01-01", "9999-12-31"]))
        rows[r][header.index("date")] = value
        return f"{f}: line {r + 1} date = {value}"
    numeric = [i for i, name in enumerate(header) if name not in
               ("date", "plan", "metric", "region", "channel", "source") and i < len(rows[r])]
    if not numeric:
        return None
    i = _pick(draw, numeric)
    value = draw(st.sampled_from(["0", "-1", "1e308", "1.7976931348623157e308", "-1e308",
                                  "5e-324", "123456789012345678901234567890", "0.0", "", "1e-300",
                                  "1e15", "-1e15", "999999999999999.9",
                                  "0.1"]))
    if draw(st.booleans()):  # the whole column: sums, means and ratios over many rows
        for row in rows[1:]:
            if i < len(row):
                row[i] = value
        return f"{f}: every {header[i]} = {value}"
    rows[r][i] = value
    return f"{f}: line {r + 1} {header[i]} = {value}"


@mutation(0, keeps_valid=True)
def overflow(draw: Draw, s: State) -> str | None:
    """Each value finite and valid, their sum, product or weighted mean not."""
    value = draw(st.sampled_from(["1e308", "1.7976931348623157e308", "-1e308", "1.5e308",
                                  "1e15", "-1e15", "999999999999999"]))
    targets = [(f, name) for f in sorted(s.tables) for name in
               ("value", "gmv", "cost", "clicks", "impressions", "orders", "visitors")
               if s.tables[f] and name in s.tables[f][0]]
    targets += [(f, name) for f in sorted(s.trees) if s.kinds[f] == PLAN for name in
                ("weight", "planned", "spent", "target", "amount", "total", "baseline",
                 "targets")]
    if not targets:
        return None
    f, name = _pick(draw, targets)
    s.touched.add(f)
    if f in s.tables:
        rows = s.tables[f]
        i = rows[0].index(name)
        for row in rows[1:]:
            if i < len(row):
                row[i] = value
        return f"{f}: every {name} = {value}"
    slots = [(c, k) for c, k, _ in _slots(s.trees[f]) if k == name]
    if name in ("weight", "spent"):  # absent from some items: add it to all of them
        section = "goals" if name == "weight" else "budget"
        items = (_items(s.trees[f], section) if section == "goals" else
                 _items(s.trees[f].get("budget"), "lines") if isinstance(s.trees[f], dict) else [])
        slots += [(item, name) for item in items if name not in item]
    for c, k in slots:
        if isinstance(c, dict) and isinstance(c.get(k), dict):  # breakdown targets
            for key in c[k]:
                c[k][key] = float(value)
        else:
            c[k] = float(value)
    return f"{f}: every {name} = {value}" if slots else None


@mutation(0)
def csv_rows(draw: Draw, s: State) -> str | None:
    f = _table(draw, s)
    rows = s.tables[f] if f else []
    if not rows:
        return None
    r = draw(st.integers(0, len(rows) - 1))
    op = draw(st.sampled_from(["duplicate", "delete", "extra cell", "drop cell", "empty row"]))
    if op == "duplicate":
        rows.insert(r, list(rows[r]))
    elif op == "delete":
        del rows[r]
    elif op == "extra cell":
        rows[r].append(draw(st.sampled_from(CSV_VALUES)))
    elif op == "drop cell" and rows[r]:
        rows[r].pop()
    else:
        rows.insert(r, [])
    return f"{f}: {op} at line {r + 1}"


@mutation(0)
def csv_header(draw: Draw, s: State) -> str | None:
    f = _table(draw, s)
    rows = s.tables[f] if f else []
    if not rows or not rows[0]:
        return None
    header = rows[0]
    c = draw(st.integers(0, len(header) - 1))
    op = draw(st.sampled_from(["rename", "duplicate", "delete", "add dimension"]))
    if op == "rename":
        header[c] = draw(st.sampled_from(["Date", " date", "date ", "", "metric", "value",
                                          "plan", "product", "区域", "ctr", "new_users", "note",
                                          "\ufeffdate", "Value"]))
    elif op == "duplicate":
        header.insert(c, header[c])
    elif op == "delete":
        for row in rows:
            if c < len(row):
                del row[c]
    else:
        header.append(draw(st.sampled_from(["product", "segment", "city", "note", "source"])))
        for row in rows[1:]:
            row.append("x")
    return f"{f}: header {op} column {c + 1} -> {header!r:.200}"


@mutation(0)
def csv_huge_field(draw: Draw, s: State) -> str | None:
    f = _table(draw, s)
    rows = s.tables[f] if f else []
    cells = [(r, c) for r in range(len(rows)) for c in range(len(rows[r]))]
    if not cells:
        return None
    r, c = _pick(draw, cells)
    n = draw(st.sampled_from([1000, 131_071, 131_073, 200_000]))
    rows[r][c] = draw(st.sampled_from(["x", "1", "长"])) * n
    return f"{f}: line {r + 1} cell {c + 1} = a field of {n} characters"


@mutation(0)
def csv_many_problems(draw: Draw, s: State) -> str | None:
    """Many bad rows: the per-column message cap and its "... and N more rows" line."""
    f = _table(draw, s)
    rows = s.tables[f] if f else []
    if len(rows) < 2:
        return None
    n = draw(st.sampled_from([21, 500]))
    bad = draw(st.sampled_from(["1,200", "12%", "x", "2026-02-30"]))
    rows += [[bad] * len(rows[0]) for _ in range(n)]
    return f"{f}: {n} rows of {bad!r}"


# ---- files of the project


def _rename(s: State, f: str, dest: str) -> None:
    for store in (s.trees, s.tables, s.texts, s.kinds):
        if f in store:
            store[dest] = store.pop(f)
    if f in s.touched:
        s.touched.add(dest)


@mutation(0)
def project_files(draw: Draw, s: State) -> str | None:
    op = draw(st.sampled_from(["delete", "move", "copy plan", "empty plan", "dir as plan",
                               "odd plan name", "odd csv name"]))
    everything = sorted(s.kinds)
    if op == "delete" and everything:
        f = _pick(draw, everything)
        s.trees.pop(f, None)
        s.tables.pop(f, None)
        s.texts.pop(f, None)
        del s.kinds[f]
        return f"delete {f}"
    if op == "move" and s.tables:
        f = _pick(draw, sorted(s.tables))
        dest = draw(st.sampled_from(["data/x.csv", "data/beta/x.csv", "data/nope/x.csv",
                                     "data/alpha/deep/er/x.csv", "data/中文 目录/x.csv",
                                     "data/x.CSV", "data/x.tsv", "plans/x.csv"]))
        if dest in s.kinds:
            return None
        _rename(s, f, dest)
        return f"move {f} -> {dest}"
    plans = [f for f in sorted(s.trees) if s.kinds[f] == PLAN]
    if op == "copy plan" and plans:
        f = _pick(draw, plans)
        dest = draw(st.sampled_from(["plans/gamma.yaml", "plans/alpha.yml", "plans/ALPHA.yaml",
                                     "plans/sub/alpha.yaml"]))
        if dest in s.kinds:
            return None
        s.trees[dest] = copy.deepcopy(s.trees[f])
        s.texts[dest] = s.texts[f]
        s.kinds[dest] = PLAN
        if f in s.touched:
            s.touched.add(dest)
        return f"copy {f} -> {dest}"
    if op == "empty plan":
        s.extra["plans/empty.yaml"] = draw(st.sampled_from([b"", b"\n", b"---\n", b"~\n",
                                                            b"# only a comment\n", b"[]\n"]))
        return f"plans/empty.yaml = {s.extra['plans/empty.yaml']!r}"
    if op == "dir as plan":
        s.dirs.append("plans/folder.yaml")
        return "plans/folder.yaml is a directory"
    if op == "odd plan name" and plans:
        f = _pick(draw, plans)
        dest = draw(st.sampled_from(["plans/中文 计划.yaml", "plans/Upper.yaml", "plans/a b.yaml",
                                     "plans/-x.yaml", "plans/.hidden.yaml",
                                     "plans/" + "y" * 200 + ".yaml"]))
        if dest in s.kinds:
            return None
        _rename(s, f, dest)
        return f"rename {f} -> {dest}"
    if op == "odd csv name" and s.tables:
        f = _pick(draw, sorted(s.tables))
        dest = draw(st.sampled_from(["data/中文.csv", "data/a b.csv", "data/.x.csv",
                                     "data/metrics.csv"]))
        if dest in s.kinds:
            return None
        _rename(s, f, dest)
        return f"rename {f} -> {dest}"
    return None


# ---- text layer (after the trees and rows are written)


def _text_file(draw: Draw, s: State, kinds: tuple[str, ...]) -> str | None:
    files = [f for f in sorted(s.texts) if s.kinds.get(f) in kinds]
    return _pick(draw, files) if files else None


def _line_index(draw: Draw, text: str) -> tuple[list[str], int]:
    lines = text.split("\n")
    return lines, draw(st.integers(0, max(0, len(lines) - 1)))


@mutation(1)
def yaml_text(draw: Draw, s: State) -> str | None:
    f = _text_file(draw, s, (PLAN, DICT))
    if f is None:
        return None
    text = s.texts[f]
    lines, i = _line_index(draw, text)
    op = draw(st.sampled_from(["tab indent", "duplicate line", "delete line", "second document",
                               "yaml 1.1 directive", "anchor and alias", "billion laughs",
                               "truncate", "insert text", "merge key", "indent line",
                               "comment out"]))
    if op == "tab indent":
        lines[i] = "\t" + lines[i]
    elif op == "duplicate line":
        lines.insert(i, lines[i])
    elif op == "delete line":
        del lines[i]
    elif op == "second document":
        lines.append(draw(st.sampled_from(["---", "---\ntitle: again", "...", "--- []"])))
    elif op == "yaml 1.1 directive":
        lines.insert(0, draw(st.sampled_from(["%YAML 1.1\n---", "%YAML 1.2\n---",
                                              "%TAG ! tag:x.com,2000:\n---", "%FOO bar\n---"])))
    elif op == "anchor and alias":
        m = re.match(r"^(\s*(?:- )?[\w]+): (.+)$", lines[i])
        if not m:
            return None
        lines[i] = f"{m.group(1)}: &a {m.group(2)}"
        j = draw(st.integers(0, len(lines) - 1))
        m2 = re.match(r"^(\s*(?:- )?[\w]+): (.+)$", lines[j])
        if m2 and j > i:
            lines[j] = f"{m2.group(1)}: *a"
    elif op == "billion laughs":
        lines += ['x0: &x0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]'] + [
            f"x{k}: &x{k} [{', '.join([f'*x{k - 1}'] * 9)}]" for k in range(1, 9)]
    elif op == "truncate":
        cut = draw(st.integers(0, len(text)))
        s.texts[f] = text[:cut]
        return f"{f}: truncated at character {cut}"
    elif op == "insert text":
        pos = draw(st.integers(0, len(lines[i])))
        ins = draw(st.sampled_from([":", "：", " #", "\t", "\"", "'", "[", "{", "&", "*", "!",
                                    "|", "%", "@", "\u3000", "\ufeff", "\x00", "\x1b", "\u2028",
                                    "\r", ": x", "- ", "?", ">"]))
        lines[i] = lines[i][:pos] + ins + lines[i][pos:]
    elif op == "merge key":
        lines.insert(i, "<<: {a: 1}")
    elif op == "indent line":
        lines[i] = " " * draw(st.sampled_from([1, 3, 200])) + lines[i]
    else:
        lines[i] = "# " + lines[i]
    s.texts[f] = "\n".join(lines)
    return f"{f}: {op} at line {i + 1}"


@mutation(1)
def csv_text(draw: Draw, s: State) -> str | None:
    f = _text_file(draw, s, (CSV,))
    if f is None:
        return None
    text = s.texts[f]
    lines, i = _line_index(draw, text)
    op = draw(st.sampled_from(["stray quote", "unclosed quote", "empty", "header only",
                               "blank lines", "delimiter", "truncate", "comment line",
                               "only newlines", "quoted newline", "escaped quote"]))
    if op == "stray quote":
        pos = draw(st.integers(0, len(lines[i])))
        lines[i] = lines[i][:pos] + '"' + lines[i][pos:]
    elif op == "unclosed quote":
        lines[i] = '"' + lines[i]
    elif op == "empty":
        s.texts[f] = ""
        return f"{f}: empty"
    elif op == "header only":
        s.texts[f] = lines[0] + draw(st.sampled_from(["", "\n", "\r\n"]))
        return f"{f}: header only"
    elif op == "blank lines":
        lines.insert(i, "")
        lines.insert(i, ",,,")
    elif op == "delimiter":
        d = draw(st.sampled_from([";", "\t", "|", "，"]))
        lines = [line.replace(",", d) for line in lines]
    elif op == "truncate":
        cut = draw(st.integers(0, len(text)))
        s.texts[f] = text[:cut]
        return f"{f}: truncated at character {cut}"
    elif op == "comment line":
        lines.insert(i, "# exported by dashboard")
    elif op == "only newlines":
        s.texts[f] = "\n\n\n"
        return f"{f}: only newlines"
    elif op == "quoted newline":
        lines[i] = lines[i].replace(",", ',"a\nb",', 1)
    else:
        lines[i] = lines[i].replace(",", ',"1""2",', 1)
    s.texts[f] = "\n".join(lines)
    return f"{f}: {op} at line {i + 1}"


# ---- byte layer


@mutation(2)
def encoding(draw: Draw, s: State) -> str | None:
    files = sorted(s.texts)
    if not files:
        return None
    f = _pick(draw, files)
    op = draw(st.sampled_from(["bom", "gbk", "utf-16", "latin-1", "crlf", "cr", "nul",
                               "invalid byte", "bom in the middle"]))
    s.encodings[f] = op
    return f"{f}: {op}"


def _encode(text: str, op: str) -> bytes:
    if op == "bom":
        return b"\xef\xbb\xbf" + text.encode("utf-8", "surrogatepass")
    if op == "gbk":
        return text.encode("gbk", "replace")
    if op == "utf-16":
        return text.encode("utf-16")
    if op == "latin-1":
        return text.encode("latin-1", "replace")
    if op == "crlf":
        return text.replace("\n", "\r\n").encode()
    if op == "cr":
        return text.replace("\n", "\r").encode()
    if op == "nul":
        return text.encode() + b"\x00\x00"
    if op == "invalid byte":
        data = text.encode()
        return data[: len(data) // 2] + b"\xff\xfe\x80" + data[len(data) // 2:]
    data = text.encode()
    return data[: len(data) // 2] + b"\xef\xbb\xbf" + data[len(data) // 2:]


# --------------------------------------------------------------------------- rendering a project


def _csv_cell(cell: str) -> str:
    if isinstance(cell, Raw):
        return str(cell)
    if any(ch in cell for ch in ',"\n\r'):
        return '"' + cell.replace('"', '""') + '"'
    return cell


@dataclasses.dataclass
class Project:
    files: dict[str, bytes]
    dirs: list[str]
    log: list[str]
    as_of: str | None = None

    def write(self, root: Path) -> None:
        for rel in ("plans", "data"):
            (root / rel).mkdir(parents=True, exist_ok=True)
        for rel in self.dirs:
            (root / rel).mkdir(parents=True, exist_ok=True)
        for rel, data in self.files.items():
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            (root / rel).write_bytes(data)

    def describe(self, limit: int = 400, max_lines: int = 200) -> str:
        """The mutations and every file, long lines and long files cut (say so)."""
        out = ["mutations:", *(f"  - {m}" for m in self.log or ["(none: the base project)"]),
               f"--as-of: {self.as_of or '(default: the latest metric date)'}"]
        same = sorted(rel for rel, data in self.files.items()
                      if (rel in BASE and data == BASE[rel][0].encode())
                      or (rel == "mkdocs.yml" and data.decode() in (
                          MKDOCS, MKDOCS.replace("language: zh", "language: en"))))
        if same:
            out.append(f"unchanged from BASE (the texts at the top of tests/test_fuzz.py) or "
                       f"the repository's mkdocs.yml: {', '.join(same)}")
        for rel, data in sorted(self.files.items()):
            if rel in same:
                continue
            text = data.decode("utf-8", "backslashreplace")
            lines = text.split("\n")
            out.append(f"--- {rel} ({len(data)} bytes)")
            for line in lines[:max_lines]:
                out.append(line if len(line) <= limit
                           else f"{line[:limit]}... [line of {len(line)} characters cut]")
            if len(lines) > max_lines:
                out.append(f"... [{len(lines) - max_lines} more lines cut]")
        return "\n".join(out)

    def __repr__(self) -> str:  # Hypothesis prints this; the failure message has the files
        return "Project(" + "; ".join([*self.log, f"--as-of {self.as_of}"]) + ")"

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:  # Hypothesis' printer
        printer.text(repr(self))


@st.composite
def projects(draw: Draw, pool: tuple[Mutation, ...] = tuple(MUTATIONS), max_mutations: int = 4,
             languages: tuple[str | None, ...] = (None, "zh", "en")) -> Project:
    """The base project, a few mutations, maybe a mkdocs.yml (in `languages`, None: none)
    and maybe an `--as-of` date."""
    s = base_state()
    chosen = draw(st.lists(st.sampled_from(pool), max_size=max_mutations))
    for m in sorted(chosen, key=lambda m: m.layer):
        if m.layer == 1:  # write trees and rows before the first text mutation
            _serialise(draw, s)
        touched = set(s.touched)
        entry = m.apply(draw, s)
        if entry is None:  # nothing to mutate: keep the file's original text
            s.touched = touched
        else:
            s.log.append(f"{m.name}: {entry}")
    _serialise(draw, s)
    files = {rel: _encode(text, s.encodings[rel]) if rel in s.encodings else text.encode()
             for rel, text in s.texts.items()}
    files.update(s.extra)
    language = draw(st.sampled_from(languages))  # the site settings, if any
    if language:
        files["mkdocs.yml"] = MKDOCS.replace("language: zh", f"language: {language}").encode()
        s.log.append(f"mkdocs.yml: the repository's, theme.language: {language}")
    as_of = draw(st.sampled_from([None, None, None, None, "2026-06-02", "2026-06-01", "2026-05-31",
                                  "2026-07-31", "2026-08-01", "2027-06-01", "2000-01-01",
                                  "1900-01-01", "2999-12-31", "2024-02-29", "0001-01-01",
                                  "9999-12-31"]))
    return Project(files=files, dirs=list(s.dirs), log=s.log, as_of=as_of)


def _serialise(draw: Draw, s: State) -> None:
    for rel in list(s.trees):
        if rel in s.touched and rel in s.kinds:
            s.texts[rel] = dump(s.trees[rel], draw(st.sampled_from(["block", "flow"])))
        del s.trees[rel]
    for rel in list(s.tables):
        if rel in s.touched and rel in s.kinds:
            s.texts[rel] = "\n".join(",".join(_csv_cell(c) for c in row)
                                     for row in s.tables[rel]) + "\n"
        del s.tables[rel]


# --------------------------------------------------------------------------- running and checking


_FAILURES: dict[str, type[AssertionError]] = {}


def failure(kind: str) -> type[AssertionError]:
    """One AssertionError subclass per broken property (Hypothesis tells bugs apart by type)."""
    if kind not in _FAILURES:
        name = "FuzzFailure_" + re.sub(r"\W", "_", kind)
        _FAILURES[kind] = type(name, (AssertionError,), {"kind": kind})
    return _FAILURES[kind]


class _Crashes(logging.Handler):
    """Collects the tracebacks the command line logs when it turns a crash into one line."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.name == "generator" and record.exc_info and record.exc_info[1] is not None:
            self.records.append(record)


@contextmanager
def capture_crashes() -> Iterator[_Crashes]:
    """The `generator` logger's debug records with a traceback, kept off the output.

    The CLI catches every exception, prints `mxt: internal error: ...` and logs the
    traceback at debug level: catching the record finds crashes whatever the language of
    the message, and tells where they happened."""
    logger, handler = logging.getLogger("generator"), _Crashes()
    level, propagate = logger.level, logger.propagate
    logger.setLevel(logging.DEBUG)
    logger.propagate = False
    logger.addHandler(handler)
    try:
        yield handler
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
        logger.propagate = propagate


def _crash_site(exc: BaseException) -> str:
    """`module.function` of the innermost frame in generator/ (where the crash happened)."""
    site = "?"
    for frame in traceback.extract_tb(exc.__traceback__):
        path = Path(frame.filename)
        if "generator" in path.parts:
            site = f"{path.stem}.{frame.name}"
    return site


#: categories Python hides outside `-W` / dev mode: a real `mxt` run does not print them
HIDDEN_WARNINGS = (DeprecationWarning, PendingDeprecationWarning, ImportWarning, ResourceWarning)


class CommandTimeout(BaseException):  # not an Exception: the CLI must not catch it
    """A command ran longer than MXT_FUZZ_TIMEOUT seconds."""


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    def expired(signum: int, frame: Any) -> None:
        raise CommandTimeout(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)



class Run:
    """One generated project on disk, and the commands run on it."""

    def __init__(self, project: Project, root: Path, test: str):
        self.project, self.root, self.test = project, root, test
        self.transcript: list[str] = []

    def invoke(self, *args: str) -> Result:
        if self.project.as_of and args[0] in ("validate", "status", "build"):
            args = (*args, "--as-of", self.project.as_of)
        argv = [*args, "--project", str(self.root)]
        cmd = f"`mxt {' '.join(args)}`"
        start = time.monotonic()
        try:
            with (time_limit(COMMAND_SECONDS), capture_crashes() as crashes,
                  warnings.catch_warnings(record=True) as caught):
                result = CliRunner().invoke(main, argv)
        except CommandTimeout:
            self.fail(f"{args[0]}-timeout", f"{cmd} did not finish within {COMMAND_SECONDS} s")
        elapsed = time.monotonic() - start
        self.transcript.append(f"$ mxt {' '.join(args)}  -> exit {result.exit_code} "
                               f"({elapsed:.2f} s)\n{_cut(result.output)}")
        self.check_clean(args, result, crashes.records)
        shown = [w for w in caught if not issubclass(w.category, HIDDEN_WARNINGS)]
        if shown:  # a real run prints these to stderr: source lines, no location
            w = shown[0]
            self.fail(f"{args[0]}-python-warning-{w.category.__name__}",
                      f"{cmd} emitted a Python warning, which a real run prints to stderr: "
                      f"{w.filename}:{w.lineno}: {w.category.__name__}: {w.message}")
        return result

    def fail(self, kind: str, message: str) -> NoReturn:
        """Fail with an assertion error whose class names the property broken (`kind`), so
        that Hypothesis shrinks and reports distinct bugs separately."""
        if SAVE_DIR:
            target = Path(SAVE_DIR) / self.test
            shutil.rmtree(target, ignore_errors=True)
            shutil.copytree(self.root, target, ignore=shutil.ignore_patterns(".cache", "site"))
            (target / "FUZZ-FAILURE.txt").write_text(
                f"[{kind}] {message}\n\ncommands (run with --project {target}):\n"
                + "\n".join(t.split("\n")[0] for t in self.transcript) + "\n", "utf-8")
            message += f"\n(project saved to {target}, see FUZZ-FAILURE.txt there)"
        raise failure(kind)(f"[{kind}] {message}\n\n{self.project.describe()}\n\ncommands:\n"
                            + "\n".join(self.transcript))

    def check_clean(self, args: tuple[str, ...], result: Result,
                    crashes: list[logging.LogRecord]) -> None:
        """Exit 0 or 1, no exception escaping, no traceback, no internal error."""
        cmd, name = f"`mxt {' '.join(args)}`", args[0]
        for record in crashes:
            assert record.exc_info is not None and record.exc_info[1] is not None
            exc = record.exc_info[1]
            tb = "".join(traceback.format_exception(*record.exc_info)[-12:])
            self.fail(f"{name}-internal-error-{type(exc).__name__}-in-{_crash_site(exc)}",
                      f"{cmd} crashed (printed as an internal error):\n{tb}")
        exc = result.exception
        if exc is not None and not isinstance(exc, SystemExit):
            tb = "".join(traceback.format_exception(*result.exc_info)) if result.exc_info else ""
            self.fail(f"{name}-raised-{type(exc).__name__}", f"{cmd} raised {exc!r}\n{tb}")
        if result.exit_code not in (0, 1) and not self.usage_error(result):
            self.fail(f"{name}-exit-{result.exit_code}", f"{cmd} exited {result.exit_code}")
        crash = re.search(r"internal error: (\w+)", result.output)
        if crash:
            self.fail(f"{name}-internal-error-{crash.group(1)}", f"{cmd} printed an internal error")
        for bad in ("Traceback", "internal error"):
            if bad in result.output:
                self.fail(f"{name}-{bad.replace(' ', '-')}", f"{cmd} printed {bad!r}")

    def line_count(self, rel: str) -> int | None:
        path = self.root / rel
        return len(path.read_bytes().splitlines()) if path.is_file() else None

    def check_location(self, problem: dict[str, Any]) -> str:
        """A problem of `validate --format json` names a project file (and a line in it)."""
        file = problem.get("file")
        if not isinstance(file, str) or not file.strip():
            self.fail("location-no-file", f"a problem without a file: {problem}")
        if Path(file).is_absolute() or str(self.root) in file:
            self.fail("location-absolute", f"a problem located by an absolute path: {problem}")
        line, col = problem.get("line"), problem.get("col")
        if line is not None:
            lines = self.line_count(file)
            if not isinstance(line, int) or line < 1 or (lines is not None and line > lines + 1):
                self.fail("location-bad-line",
                          f"a problem on line {line!r} of {file} ({lines} lines): {problem}")
        if col is not None and (not isinstance(col, int) or col < 1):
            self.fail("location-bad-column", f"a problem at column {col!r}: {problem}")
        if not isinstance(problem.get("message"), str) or not problem["message"]:
            self.fail("no-message", f"a problem without a message: {problem}")
        return ":".join(str(part) for part in (file, line, col) if part is not None) + ": "

    def usage_error(self, result: Result) -> bool:
        """Exit 2 is for wrong usage: the only option drawn is `--as-of` (edge dates)."""
        return (result.exit_code == 2 and self.project.as_of is not None
                and "Usage:" in result.output and "--as-of" in result.output)

    def validate(self) -> bool:
        """Both output formats; True when the project is valid."""
        as_json = self.invoke("validate", "--format", "json")
        if self.usage_error(as_json):  # an --as-of out of the accepted range: nothing to check
            return False
        try:
            doc = json.loads(as_json.stdout)
        except ValueError as e:
            self.fail("validate-json-invalid", f"`mxt validate --format json`: no JSON ({e})")
        locations: set[str] = set()
        for key, severity in (("errors", "error"), ("warnings", "warning")):
            for problem in doc[key]:
                if problem.get("severity") != severity:
                    self.fail("validate-json-severity",
                              f"under {key}: a problem of severity {problem.get('severity')!r}")
                locations.add(self.check_location(problem))
        passed = as_json.exit_code == 0
        if doc["ok"] != passed or passed == bool(doc["errors"]):
            self.fail("validate-json-ok", f"`mxt validate --format json`: ok={doc['ok']}, "
                      f"{len(doc['errors'])} errors, exit {as_json.exit_code}")

        text = self.invoke("validate")
        if text.exit_code != as_json.exit_code:
            self.fail("validate-text-vs-json", f"`mxt validate` exited {text.exit_code}, "
                      f"`mxt validate --format json` exited {as_json.exit_code}")
        lines = text.output.split("\n")  # physical lines: what a terminal or CI log shows
        if lines and lines[-1] == "":
            lines.pop()
        # the summary, in the project's language: no location, the counts of the JSON
        summary = lines[-1] if lines else ""
        counts = {int(n) for n in re.findall(r"\d+", summary)}
        if (any(summary.startswith(where) for where in locations)
                or not {len(doc["errors"]), len(doc["warnings"])} <= counts):
            self.fail("validate-no-summary", "`mxt validate` did not end with its summary line "
                      f"(counting {len(doc['errors'])} errors, {len(doc['warnings'])} warnings)")
        for line in lines[:-1]:
            if not any(line.startswith(where) and len(line) > len(where) for where in locations):
                self.fail("location-text-line",
                          f"`mxt validate` printed a line without a location: {line[:300]!r}")
        problems = len(doc["errors"]) + len(doc["warnings"])
        if len(lines) - 1 != problems:
            self.fail("validate-text-count", f"`mxt validate` printed {len(lines) - 1} problem "
                      f"lines, `--format json` lists {problems} problems")
        return passed

    def status(self) -> None:
        """`status --json` passes and prints JSON with finite numbers only."""
        result = self.invoke("status", "--json")
        if result.exit_code != 0:
            self.fail("status-failed", "validate passed but `mxt status --json` failed")
        try:
            doc = json.loads(result.stdout, parse_constant=_refuse_constant)
        except ValueError as e:
            self.fail("status-json-invalid", f"`mxt status --json` printed invalid JSON ({e})")
        bad = list(_non_finite(doc))
        if bad:
            self.fail("status-non-finite", f"`mxt status --json`: non-finite numbers at {bad[:10]}")

    def build(self) -> None:
        """`build --no-pdf --out DIR` passes and writes the site."""
        site = self.root.parent / "site-out"
        result = self.invoke("build", "--no-pdf", "--out", str(site))
        if result.exit_code != 0:
            self.fail("build-failed", "validate passed but `mxt build --no-pdf` failed")
        if not (site / "index.html").is_file():
            self.fail("build-no-site", "`mxt build --no-pdf` exited 0 without writing index.html")


def _cut(text: str, limit: int = 3000) -> str:
    return text if len(text) <= limit else f"{text[:limit]}... [{len(text)} characters cut]"


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _non_finite(node: Any, path: str = "") -> Iterator[str]:
    if isinstance(node, float) and not math.isfinite(node):  # e.g. 1e999 parses as inf
        yield path or "."
    elif isinstance(node, dict):
        for k, v in node.items():
            yield from _non_finite(v, f"{path}.{k}")
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _non_finite(v, f"{path}[{i}]")


@contextmanager
def project_dir(tmp_path: Path, project: Project) -> Iterator[Path]:
    base = Path(tempfile.mkdtemp(dir=tmp_path))
    try:
        root = base / "p"
        root.mkdir()
        project.write(root)
        yield root
    finally:
        shutil.rmtree(base, ignore_errors=True)


# --------------------------------------------------------------------------- the tests


def test_base_project_is_valid(tmp_path: Path) -> None:
    """The fuzzer's starting point passes every command (else every example would fail)."""
    project = Project(files={rel: text.encode() for rel, (text, _) in BASE.items()},
                      dirs=[], log=[])
    with project_dir(tmp_path, project) as root:
        run = Run(project, root, "base")
        assert run.validate(), run.transcript
        result = run.invoke("validate", "--strict")
        assert result.exit_code == 0, result.output
        run.status()


@pytest.mark.slow
@settings(max_examples=EXAMPLES, **SETTINGS)  # type: ignore[arg-type]
@given(project=projects() | projects(pool=tuple(VALID_MUTATIONS), max_mutations=3))
def test_fuzz_validate_and_status(tmp_path: Path, project: Project) -> None:
    """validate: exit 0/1, located messages; valid implies `status --json` passes."""
    with project_dir(tmp_path, project) as root:
        run = Run(project, root, "test_fuzz_validate_and_status")
        if run.validate():
            run.status()


@pytest.mark.slow
@settings(max_examples=BUILD_EXAMPLES, **SETTINGS)  # type: ignore[arg-type]
@given(project=projects(pool=tuple(VALID_MUTATIONS), max_mutations=2))
def test_fuzz_valid_projects_build(tmp_path: Path, project: Project) -> None:
    """Mutations that tend to keep a project valid: then status and the site must work."""
    with project_dir(tmp_path, project) as root:
        run = Run(project, root, "test_fuzz_valid_projects_build")
        if run.validate():
            run.status()
            run.build()
