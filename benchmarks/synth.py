"""A synthetic portfolio in the product's own formats, deterministic from a seed.

    .venv/bin/python benchmarks/synth.py OUT --plans 100 --rows 1000000 [--seed 7]
        [--kind long|wide|warnings]

N plans (goals with a regional break-down and phase pace, 20–60 tasks with
dependencies, a budget with three lines, risks, issues, alert rules) and M
metric rows (long shape: date, plan, metric, value, region, channel) spread
over the plans, in CSV files of at most a million rows each. Kinds: `long` (one
value per row), `wide` (one column per metric, as dashboards export it) and
`warnings` (long, with what validation warns about in every plan and half of the
first plan's rows naming no plan).
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv

REGIONS = ["华东", "华南", "华北", "西南"]
CHANNELS = ["抖音", "小红书", "电商", "微信", "百度", "线下"]
STORED = ["new_users", "gmv", "cost", "clicks", "impressions"]
START = dt.date(2026, 1, 1)
DAYS = 330  # 2026-01-01 .. 2026-11-26
FILE_ROWS = 1_000_000

METRICS = """\
dimensions: [plan, region, channel]
metrics:
  new_users: {name: 新增用户, aggregation: sum}
  gmv: {name: 成交额, aggregation: sum, format: currency}
  cost: {name: 投放成本, aggregation: sum, direction: down, format: currency}
  clicks: {name: 点击量, aggregation: sum}
  impressions: {name: 曝光量, aggregation: sum}
  ctr: {name: 点击率, formula: clicks / impressions, format: percent}
  roi: {name: 投入产出比, formula: gmv / cost, format: ratio}
  cac: {name: 获客成本, formula: cost / new_users, direction: down, format: currency}
"""


KINDS = ("long", "wide", "warnings")


def plan_yaml(i: int, rng: random.Random, daily_users: float, warnings: bool = False) -> str:
    """One plan: goals, phases, tasks with dependencies, budget, risks, issues, alerts."""
    start = START + dt.timedelta(days=rng.randrange(0, 60))
    length = rng.randrange(150, 260)
    end = start + dt.timedelta(days=length)
    q = length // 4
    phases = [(f"p{k}", start + dt.timedelta(days=k * q),
               start + dt.timedelta(days=(k + 1) * q - 1 if k < 3 else length)) for k in range(4)]
    users = round(daily_users * length * rng.uniform(0.9, 1.3))
    by_region = [round(users * w) for w in (0.4, 0.3, 0.2)]
    by_region.append(users - sum(by_region) + (users // 10 if warnings else 0))  # ≠ target
    lines = [f"id: p{i:04d}", f"title: 合成计划 {i:04d} Synthetic plan", "type: campaign",
             "owner: 王经理", f"period: {{start: {start}, end: {end}}}", "phases:"]
    lines += [f"  - {{id: {pid}, name: 阶段{k}, start: {a}, end: {b}}}"
              for k, (pid, a, b) in enumerate(phases)]
    targets = ", ".join(f"{r}: {t}" for r, t in zip(REGIONS, by_region, strict=True))
    lines += ["goals:",
              f"  - {{id: G1, name: 新增用户, owner: 张, metric: new_users, target: {users},"
              f" breakdown: {{by: region, targets: {{{targets}}}}}}}",
              f"  - {{id: G2, name: 成交额, owner: 李, metric: gmv, target: {users * 90},"
              " pace: {p0: 0.1, p1: 0.2, p2: 0.5, p3: 0.2}}",
              "  - {id: G3, name: 点击率, owner: 赵, metric: ctr, target: 0.015}",
              "  - {id: G4, name: 投入产出比, owner: 王, metric: roi, target: 3}",
              "tasks:"]
    n_tasks = rng.randrange(20, 61)
    day, prev_end = start, start - dt.timedelta(days=1)
    for t in range(n_tasks):
        dur = rng.randrange(2, 12)
        t_start, t_end = day, min(day + dt.timedelta(days=dur), end)
        sequential = rng.random() < 0.7
        deps = [f"T{t - 1:03d}"] if t and sequential and day > prev_end else []
        progress = 100 if t_end < START + dt.timedelta(days=DAYS - 40) else rng.choice([0, 30])
        lines.append(f"  - {{id: T{t:03d}, name: 任务{t}, owner: 员工{t % 7}, start: {t_start},"
                     f" end: {t_end}, progress: {progress}, depends_on: [{', '.join(deps)}]}}")
        prev_end = t_end
        day = min(t_end + dt.timedelta(days=1) if sequential else t_start, end)
    lines += ["budget:", "  total: 1000000", "  contingency: 0.1", "  lines:"]
    for k, ch in enumerate(CHANNELS[:3]):
        lines.append(f"    - {{id: B{k}, name: {ch}投放, planned: 280000, cost_metric: cost,"
                     f" where: {{channel: {ch}}}, revenue_metric: gmv}}")
    lines += ["risks:"] + [f"  - {{id: R{k}, description: 风险{k}, probability: "
                           f"{rng.choice(['low', 'medium', 'high'])}, impact: "
                           f"{rng.choice(['low', 'medium', 'high'])}, mitigation: 预案{k}}}"
                           for k in range(5)]
    if warnings:  # high × high without mitigation
        lines.append("  - {id: R9, description: 无预案的高风险, probability: high, impact: high}")
    lines += ["issues:"] + [f"  - {{id: I{k}, date: {start}, description: 问题{k}, due: "
                            f"{start + dt.timedelta(days=20 * (k + 1))}}}" for k in range(3)]
    lines += ["alerts:",
              "  - {id: A1, rule: below, metric: ctr, value: 0.01, window: 7}",
              "  - {id: A2, rule: rising, metric: cac, by: 0.2, periods: 2, period: month}"]
    return "\n".join(lines) + "\n"


def rows_table(plans: int, rows: int, seed: int) -> pa.Table:
    """`rows` long-shape rows: (date, plan, metric, value, region, channel), unique keys."""
    rng = np.random.default_rng(seed)
    series_per_plan = len(REGIONS) * len(CHANNELS) * len(STORED)  # 120
    days = max(1, min(DAYS, -(-rows // max(1, plans * series_per_plan))))
    combos = plans * series_per_plan * days
    take = np.sort(rng.choice(combos, size=min(rows, combos), replace=False))
    day = take % days
    rest = take // days
    metric = rest % len(STORED)
    rest //= len(STORED)
    channel = rest % len(CHANNELS)
    rest //= len(CHANNELS)
    region = rest % len(REGIONS)
    plan = rest // len(REGIONS)
    base = np.array([40.0, 3600.0, 1200.0, 300.0, 20000.0])[metric]
    value = np.round(base * rng.uniform(0.6, 1.4, size=len(take)))
    dates = (np.datetime64(START) + (DAYS - days) + day).astype("datetime64[D]").astype(str)
    return pa.table({
        "date": pa.array(dates),
        "plan": pa.DictionaryArray.from_arrays(pa.array(plan.astype(np.int32)),
                                               pa.array([f"p{i:04d}" for i in range(plans)])),
        "metric": pa.DictionaryArray.from_arrays(pa.array(metric.astype(np.int32)),
                                                 pa.array(STORED)),
        "value": pa.array(value.astype(np.int64)),
        "region": pa.DictionaryArray.from_arrays(pa.array(region.astype(np.int32)),
                                                 pa.array(REGIONS)),
        "channel": pa.DictionaryArray.from_arrays(pa.array(channel.astype(np.int32)),
                                                  pa.array(CHANNELS)),
    })


def _wide(table: pa.Table) -> pa.Table:
    """The long rows pivoted to one column per metric (empty cells where none)."""
    frame = table.to_pandas()
    wide = frame.pivot_table(index=["date", "plan", "region", "channel"], columns="metric",
                             values="value", aggfunc="first", observed=True).reset_index()
    wide.columns = [str(c) for c in wide.columns]
    return pa.Table.from_pandas(wide, preserve_index=False)


def _without_plan(table: pa.Table, seed: int) -> pa.Table:
    """Half of the first plan's rows name no plan (validation warns about each; taken from
    one plan so that they stay unique)."""
    rng = np.random.default_rng(seed + 1)
    plan = table["plan"].cast(pa.string()).to_numpy(zero_copy_only=False).astype(object)
    plan[(plan == "p0000") & (rng.random(len(plan)) < 0.5)] = ""
    return table.set_column(table.column_names.index("plan"), "plan", pa.array(plan, pa.string()))


def generate(out: Path, plans: int, rows: int, seed: int = 7, kind: str = "long") -> Path:
    """Write the project into `out` (replaced) and return it."""
    if out.exists():
        shutil.rmtree(out)
    (out / "plans").mkdir(parents=True)
    (out / "data").mkdir()
    (out / "data" / "metrics.yaml").write_text(METRICS, encoding="utf-8")
    rng = random.Random(seed)
    per_plan_daily = max(1.0, rows / max(1, plans) / DAYS / 5 * 2)
    for i in range(plans):
        (out / "plans" / f"p{i:04d}.yaml").write_text(
            plan_yaml(i, rng, per_plan_daily, kind == "warnings"), encoding="utf-8")
    table = rows_table(plans, rows, seed)
    if kind == "wide":
        table = _wide(table)
    elif kind == "warnings":
        table = _without_plan(table, seed)
    options = pacsv.WriteOptions(include_header=True, quoting_style="none")
    for k, start in enumerate(range(0, max(1, table.num_rows), FILE_ROWS)):
        part = table.slice(start, FILE_ROWS)
        part = pa.table({c: part[c].cast(pa.string()) if pa.types.is_dictionary(part[c].type)
                         else part[c] for c in part.column_names})
        pacsv.write_csv(part, out / "data" / f"rows-{k:03d}.csv", options)
    mkdocs = Path(__file__).resolve().parents[1] / "mkdocs.yml"
    shutil.copy(mkdocs, out / "mkdocs.yml")
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--plans", type=int, default=100)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--kind", choices=KINDS, default="long")
    args = parser.parse_args()
    generate(args.out, args.plans, args.rows, args.seed, args.kind)
    print(f"wrote {args.plans} plans and {args.rows} rows into {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
