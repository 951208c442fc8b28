"""How one spreadsheet cell is read, by the kind of its column.

People write `2024.07.15`, `7月15日`, `2024-05-01-05-10`, `30%`, `20万`, `1:4`, `R1:张三`,
`较高` or `P0`; each reader returns the plan's value and, when the cell did not say it
in the plan's own terms, a note (a keyed `Message`) that becomes a comment in the plan
file. A cell that cannot be read raises `Unreadable` with the problem's words.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass
from typing import Any

from ..errors import Message, MxtError, say
from ..languages import catalogue, language_names, languages
from .columns import Kind

EMPTY_MARKS = frozenset({"", "-", "--", "—", "–", "/", "无", "暂无", "n/a", "na", "none", "null"})


class Unreadable(MxtError):
    """A cell that cannot be read as its column's kind (its words in `problem`)."""

    def __init__(self, problem: Message):
        self.problem = problem
        super().__init__(str(problem))


@dataclass(frozen=True)
class Cell:
    """A cell's raw value and number format, as openpyxl (or a CSV field) gives them."""

    value: object
    number_format: str = "General"

    @property
    def blank(self) -> bool:
        return self.value is None or (isinstance(self.value, str)
                                      and self.value.strip().lower() in EMPTY_MARKS)

    @property
    def text(self) -> str:
        """The value as text (whole numbers without `.0`)."""
        v = self.value
        if isinstance(v, float) and v.is_integer():
            return str(int(v))
        if isinstance(v, dt.datetime):
            return v.date().isoformat() if v.time() == dt.time() else v.isoformat(" ")
        return str(v).strip() if v is not None else ""

    @property
    def percent_format(self) -> bool:
        """Formatted as a percentage (`0%`, `0.0%`; a quoted `"%"` is only a suffix)."""
        return "%" in re.sub(r'"[^"]*"|\\.', "", self.number_format or "")


@dataclass(frozen=True)
class Read:
    value: Any
    note: Message | None = None


@dataclass(frozen=True)
class Relative:
    """A target written as a change (`提升30%`): the goal needs a baseline too."""

    change: float


def _as(given: str, value: object) -> Message:
    return say("import_read_as", given=given, value=str(value))


# --- dates ---------------------------------------------------------------------------

_FULL = r"(?P<y{n}>\d{{4}})\s*[-./年]\s*(?P<m{n}>\d{{1,2}})\s*[-./月]\s*(?P<d{n}>\d{{1,2}})\s*日?"
_SHORT = r"(?P<m{n}>\d{{1,2}})\s*[-./月]\s*(?P<d{n}>\d{{1,2}})\s*日?"
_DAY = r"(?P<d{n}>\d{{1,2}})\s*日?"
_SEP = r"\s*(?:~|～|〜|至|到|—|–|－|-|/)\s*"
_ONE = [re.compile(p.format(n=1)) for p in (_FULL, _SHORT)]
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})")
_TWO = [re.compile(a.format(n=1) + _SEP + b.format(n=2))
        for a in (_FULL, _SHORT) for b in (_FULL, _SHORT, _DAY)]


def _day(y: int, m: int, d: int, given: str) -> dt.date:
    try:
        return dt.date(y, m, d)
    except ValueError:
        raise Unreadable(say("import_not_a_date", given=given)) from None


def _year(year: int | None, given: str) -> int:
    if year is None:
        raise Unreadable(say("import_no_year", given=given))
    return year


def read_date(cell: Cell, year: int | None) -> Read:
    """A date from a date cell, an ISO or Chinese date text, a serial number, or a month and
    day (`7月15日`: `year` is the plan's, from its other dates)."""
    v = cell.value
    if isinstance(v, dt.datetime):
        return Read(v.date())
    if isinstance(v, dt.date):
        return Read(v)
    given = cell.text
    if isinstance(v, int | float) and not isinstance(v, bool) and 20000 <= v <= 80000:
        from openpyxl.utils.datetime import from_excel

        day = from_excel(v)
        day = day.date() if isinstance(day, dt.datetime) else day
        return Read(day, _as(given, day))
    if (m := _COMPACT.fullmatch(given)) is not None:
        day = _day(int(m[1]), int(m[2]), int(m[3]), given)
        return Read(day, _as(given, day))
    for pattern in _ONE:
        if (m := pattern.fullmatch(given)) is not None:
            y = int(m["y1"]) if "y1" in m.groupdict() else _year(year, given)
            day = _day(y, int(m["m1"]), int(m["d1"]), given)
            if "y1" not in m.groupdict():
                return Read(day, say("import_year_assumed", given=given, value=str(day),
                                     year=y))
            return Read(day, None if given == day.isoformat() else _as(given, day))
    raise Unreadable(say("import_not_a_date", given=given))


def read_range(cell: Cell, year: int | None) -> Read:
    """Two dates in one cell: `2024-05-01-05-10`, `2024.07.01-07.31`, `6月1日~6月15日`,
    `2024-05-01 至 2024-05-10`; a single date is a one-day range."""
    if isinstance(cell.value, dt.date):
        day = read_date(cell, year).value
        return Read((day, day))
    given = re.sub(r"\s+", " ", cell.text)
    for pattern in _TWO:
        m = pattern.fullmatch(given)
        if m is None:
            continue
        g = m.groupdict()
        y1 = int(g["y1"]) if g.get("y1") else _year(year, given)
        start = _day(y1, int(g["m1"]), int(g["d1"]), given)
        y2 = int(g["y2"]) if g.get("y2") else y1
        m2 = int(g["m2"]) if g.get("m2") else start.month
        end = _day(y2, m2, int(g["d2"]), given)
        if end < start and not g.get("y2"):  # 12.20-01.10 crosses the new year
            end = _day(y2 + 1, m2, int(g["d2"]), given)
        return Read((start, end), _as(given, f"{start} ~ {end}"))
    try:
        day = read_date(cell, year)
    except Unreadable:
        raise Unreadable(say("import_not_a_range", given=given)) from None
    return Read((day.value, day.value), day.note)


def years(cells: list[Cell]) -> int | None:
    """The year most full dates among `cells` have (for dates written without one)."""
    counts: dict[int, int] = {}
    for cell in cells:
        v = cell.value
        if isinstance(v, dt.date):
            counts[v.year] = counts.get(v.year, 0) + 1
        elif isinstance(v, str):
            for m in re.finditer(r"(?<!\d)(19\d\d|2\d\d\d)\s*[-./年]\s*\d{1,2}", v):
                counts[int(m[1])] = counts.get(int(m[1]), 0) + 1
    return max(counts, key=lambda y: (counts[y], y)) if counts else None


# --- numbers -------------------------------------------------------------------------

_SCALE = {"万": 1e4, "亿": 1e8, "千": 1e3, "百万": 1e6, "千万": 1e7, "k": 1e3, "w": 1e4,
          "m": 1e6}
_NUMBER = re.compile(r"(?P<sign>[+-])?(?P<n>\d+(?:\.\d+)?|\.\d+)\s*"
                     r"(?P<scale>百万|千万|万|亿|千|k|w|m)?\s*(?P<unit>[^\d\s%％]{0,3})?\s*"
                     r"(?P<pct>[%％])?", re.IGNORECASE)
_RATIO = re.compile(r"1\s*[:：]\s*(\d+(?:\.\d+)?)")
_CHANGE = re.compile(r"(?:提升|增长|提高|增加|上涨|下降|降低|减少|\+|-)\s*(\d+(?:\.\d+)?)\s*[%％]")
_NOISE = re.compile(r"^(?:[≥≤><]=?|不低于|不少于|至少|不超过|最多|约|≈|~|￥|¥|\$|rmb|cny)+",
                    re.IGNORECASE)


def _number_text(given: str) -> tuple[float, bool, bool] | None:
    """(value, scaled, percent) of a number written as text, or None."""
    text = _NOISE.sub("", given.replace(",", "").replace("，", "").strip())
    m = _NUMBER.fullmatch(text.replace("元", "").strip()) if text else None
    if m is None:
        return None
    value = float(m["n"]) * (-1 if m["sign"] == "-" else 1)
    scaled = m["scale"] is not None
    if scaled:
        value *= _SCALE[m["scale"].lower()]
    if m["pct"]:
        value /= 100
    return value, scaled or bool(m["unit"]) or text != given.strip(), bool(m["pct"])


def _tidy(x: float) -> int | float:
    """Whole numbers as int (200000, not 200000.0); others rounded off float noise."""
    x = round(x, 10)
    return int(x) if float(x).is_integer() else x


def read_number(cell: Cell, percent_metric: bool = False) -> Read:
    """A figure: `20万` → 200000, `1:4` → 4, `1.8%` → 0.018, `1,200` → 1200; `提升30%` is a
    `Relative` change. For a percent metric a plain 1.8 is read as 1.8% (0.018)."""
    v = cell.value
    if isinstance(v, bool):
        raise Unreadable(say("import_not_a_number", given=cell.text))
    if isinstance(v, int | float):
        if percent_metric and not cell.percent_format and 1 < v <= 100:
            return Read(_tidy(v / 100), _as(cell.text, f"{_tidy(v)}%"))
        return Read(_tidy(v))
    given = cell.text
    if (m := _RATIO.fullmatch(given)) is not None:
        return Read(_tidy(float(m[1])), _as(given, _tidy(float(m[1]))))
    if (m := _CHANGE.fullmatch(given)) is not None:
        sign = -1 if given.lstrip()[:2] in ("下降", "降低", "减少") or given.startswith("-") else 1
        return Read(Relative(sign * float(m[1]) / 100))
    found = _number_text(given)
    if found is None:
        raise Unreadable(say("import_not_a_number", given=given))
    value, interpreted, _ = found
    if percent_metric and not found[2] and 1 < value <= 100:
        value, interpreted = value / 100, True
    return Read(_tidy(value), _as(given, _tidy(value)) if interpreted else None)


def read_int(cell: Cell) -> Read:
    read = read_number(cell)
    if isinstance(read.value, Relative) or not float(read.value).is_integer():
        raise Unreadable(say("import_not_a_number", given=cell.text))
    return Read(int(read.value), read.note)


def read_progress(cell: Cell) -> Read:
    """Percent done, 0–100: `30%` → 30, 0.3 in a percent cell → 30, `30` → 30, 完成 → 100."""
    v = cell.value
    if isinstance(v, int | float) and not isinstance(v, bool):
        if cell.percent_format or (0 < v < 1):
            value = _tidy(v * 100)
            return Read(value, None if cell.percent_format else _as(cell.text, value))
        return Read(_tidy(v))
    given = cell.text
    if given in ("完成", "已完成", "done", "Done", "完成✓"):
        return Read(100, _as(given, 100))
    found = _number_text(given)
    if found is None:
        raise Unreadable(say("import_not_a_number", given=given))
    value = _tidy(found[0] * 100) if found[2] else _tidy(found[0])
    return Read(value, _as(given, value) if found[2] else None)


def read_fraction(cell: Cell) -> Read:
    """A share: `8%` or 0.08 → 0.08; a plain 8 (no percent format) → 0.08."""
    v = cell.value
    if isinstance(v, int | float) and not isinstance(v, bool):
        if v > 1 and not cell.percent_format:
            return Read(_tidy(v / 100), _as(cell.text, f"{_tidy(v)}%"))
        return Read(_tidy(v))
    given = cell.text
    found = _number_text(given)
    if found is None:
        raise Unreadable(say("import_not_a_number", given=given))
    value = found[0]
    if not found[2] and value > 1:
        value /= 100
    return Read(_tidy(value), _as(given, _tidy(value)) if found[2] or value != found[0] else None)


# --- words ---------------------------------------------------------------------------

_Words = dict[str, tuple[str, ...]]
_LEVELS: _Words = {"high": ("高", "较高", "很高", "严重", "重大", "大", "h", "3", "high"),
           "medium": ("中", "中等", "一般", "较大", "m", "2", "medium", "med"),
           "low": ("低", "较低", "轻微", "小", "l", "1", "low")}
_PRIORITIES = {"high": ("高", "p0", "p1", "紧急", "重要", "h", "high"),
               "medium": ("中", "p2", "一般", "m", "medium", "med"),
               "low": ("低", "p3", "p4", "l", "low")}
_CANONICAL = {"高", "中", "低", "high", "medium", "low"}
_STRATEGY_PRIORITY = {"core": ("核心", "主要", "主", "core"),
                      "support": ("辅助", "支撑", "次要", "support", "supporting")}
_TASK_STATUS = {"blocked": ("受阻", "阻塞", "暂停", "卡住", "blocked", "on hold"),
                "cancelled": ("已取消", "取消", "作废", "cancelled", "canceled"),
                "done": ("已完成", "完成", "已结束", "结束", "done", "completed", "finished")}
_ISSUE_STATUS = {"resolved": ("已解决", "已处理", "已关闭", "解决", "关闭", "已完成", "完成",
                              "closed", "resolved", "done", "fixed"),
                 "open": ("处理中", "未解决", "待处理", "未关闭", "进行中", "跟进中", "open",
                          "pending", "in progress")}
_RISK_STATUS = {"open": ("未关闭", "打开", "开放", "监控中", "跟踪中", "open"),
                "occurred": ("已发生", "发生", "occurred"),
                "closed": ("已关闭", "关闭", "已解除", "解除", "closed")}
_RULES: _Words = {"below": ("低于", "below", "<"), "above": ("高于", "above", ">"),
          "rising": ("上涨", "连续上涨", "上升", "rising"),
          "falling": ("下降", "连续下降", "falling")}
_PERIODS: _Words = {"week": ("周", "每周", "week"), "month": ("月", "每月", "month")}
_SEVERITIES: _Words = {"info": ("info",), "warning": ("warning",), "critical": ("critical",)}
_PLAN_TYPES: _Words = {c: (c,) for c in ("campaign", "strategy", "annual", "regional", "activation",
                                 "other")}


_WORDS: dict[Kind, dict[str, tuple[str, ...]]] = {
    Kind.LEVEL: _LEVELS, Kind.PRIORITY: _PRIORITIES, Kind.STRATEGY_PRIORITY: _STRATEGY_PRIORITY,
    Kind.TASK_STATUS: _TASK_STATUS, Kind.ISSUE_STATUS: _ISSUE_STATUS,
    Kind.RISK_STATUS: _RISK_STATUS, Kind.RULE: _RULES, Kind.PERIOD: _PERIODS,
    Kind.SEVERITY: _SEVERITIES, Kind.PLAN_TYPE: _PLAN_TYPES}


@functools.cache
def _codes(kind: Kind) -> dict[str, str]:
    """word (lower case) → code for `kind`, adding each code's name in every catalogue
    (有风险 …); built once per kind, not once per cell."""
    words = _WORDS[kind]
    out = {w.lower(): code for code, ws in words.items() for w in ws}
    for lang in languages():
        for code in words:
            name = catalogue(lang).status.get(code)
            if name:
                out.setdefault(name.lower(), code)
    return out


def _choose(cell: Cell, kind: Kind) -> Read:
    given = cell.text
    code = _codes(kind).get(given.lower())
    if code is None:
        options = dict.fromkeys(ws[0] for ws in _WORDS[kind].values())
        raise Unreadable(say("import_one_of", given=given, options=" / ".join(options)))
    return Read(code, None if given.lower() in (code, *_CANONICAL) else _as(given, code))


def read_choice(cell: Cell, kind: Kind) -> Read:
    """A word of a fixed list (levels, priorities, statuses, rules …) as its code."""
    if kind is Kind.STRATEGY_PRIORITY:  # free text in the plan: other words stay as written
        try:
            return _choose(cell, kind)
        except Unreadable:
            return Read(cell.text)
    return _choose(cell, kind)


def read_bool(cell: Cell) -> Read:
    if isinstance(cell.value, bool):
        return Read(cell.value)
    given = cell.text.lower()
    if given in ("是", "y", "yes", "true", "√", "✓", "✔", "1", "里程碑"):
        return Read(True)
    if given in ("否", "n", "no", "false", "×", "0"):
        return Read(False)
    raise Unreadable(say("import_one_of", given=cell.text, options="是 / 否"))


_LIST_SPLIT = re.compile(r"\s*[、,，;；\n]\s*")
_IDS_SPLIT = re.compile(r"\s*[、,，;；/\n\s]\s*")
_ID_HEAD = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


def read_list(cell: Cell) -> Read:
    items = [i for i in _LIST_SPLIT.split(cell.text) if i and i.lower() not in EMPTY_MARKS]
    return Read(items)


def read_ids(cell: Cell) -> Read:
    """References (`M-001/M-003`, `M-002策划案确认` → M-002); a token with no id at its head
    is kept whole (a name, resolved later)."""
    ids, notes = [], []
    for token in _IDS_SPLIT.split(cell.text):
        if not token or token.lower() in EMPTY_MARKS:
            continue
        head = _ID_HEAD.match(token)
        if head is not None and head.end() < len(token) and not token[head.end()].isascii():
            ids.append(head[0])
            notes.append(token)
        else:
            ids.append(token)
    note = _as(cell.text, ", ".join(ids)) if notes else None
    return Read(ids, note)


_ROLE = re.compile(r"^(?:R1|负责人|owner)\s*[:：]\s*|\s*[(（](?:R1|负责)[)）]$", re.IGNORECASE)


def read_owner(cell: Cell) -> Read:
    """Exactly one owner: `R1:张三` → 张三; `张三、李四` or `张三/李四` is two, a problem."""
    given = cell.text
    name = _ROLE.sub("", given).strip()
    if re.search(r"[、,，;；&＆/／|｜]|\s和\s|\band\b", name):
        raise Unreadable(say("import_one_owner", given=given))
    return Read(name, None if name == given else _as(given, name))


_PAIR_SPLIT = re.compile(r"\s*[;；\n]\s*")
_KEY_VALUE = re.compile(r"\s*([^=:：＝]+?)\s*[=:：＝]\s*(.+?)\s*")


def _pairs(text: str, given: str, problem: str) -> list[tuple[str, str]]:
    pairs = []
    for part in _PAIR_SPLIT.split(text.strip()):
        if not part:
            continue
        m = _KEY_VALUE.fullmatch(part)
        if m is None:
            raise Unreadable(say(problem, given=given))
        pairs.append((m[1], m[2]))
    if not pairs:
        raise Unreadable(say(problem, given=given))
    return pairs


def read_mapping(cell: Cell) -> Read:
    """`channel=抖音; region=华东、华南` → {channel: 抖音, region: [华东, 华南]}."""
    out: dict[str, str | list[str]] = {}
    for key, value in _pairs(cell.text, cell.text, "import_not_a_mapping"):
        values = [v for v in re.split(r"\s*[、,，|]\s*", value) if v]
        out[key] = values[0] if len(values) == 1 else values
    return Read(out)


def read_shares(cell: Cell) -> Read:
    """`prep=0.05; burst=60%` → {prep: 0.05, burst: 0.6} (phase names resolved later)."""
    out: dict[str, float] = {}
    for key, value in _pairs(cell.text, cell.text, "import_not_a_mapping"):
        out[key] = read_fraction(Cell(value)).value
    return Read(out)


def read_breakdown(cell: Cell) -> Read:
    """`region: 华东=80000; 华南=7万` → {by: region, targets: {华东: 80000, 华南: 70000}}."""
    given = cell.text
    m = re.fullmatch(r"\s*([^:：=]+?)\s*[:：]\s*(.+)", given, re.S)
    if m is None:
        raise Unreadable(say("import_not_a_breakdown", given=given))
    targets = {}
    for key, value in _pairs(m[2], given, "import_not_a_breakdown"):
        number = read_number(Cell(value))
        if isinstance(number.value, Relative):
            raise Unreadable(say("import_not_a_breakdown", given=given))
        targets[key] = number.value
    return Read({"by": m[1], "targets": targets})


def read_language(cell: Cell) -> Read:
    given = cell.text.lower()
    for code, name in language_names().items():
        if given in (code, name.lower()):
            return Read(code)
    raise Unreadable(say("import_one_of", given=cell.text, options=" / ".join(languages())))


def read_text(cell: Cell) -> Read:
    return Read(cell.text)
