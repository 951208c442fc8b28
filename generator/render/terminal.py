"""The readable `mxt status` table on a terminal (rich), from the same views as the pages.

Fitting the width. A CI log or a pipe gets 80 columns (rich uses COLUMNS, else 80, when
stdout is not a terminal), so every plan block is laid out for the width it is printed in:

- Figures (amounts, percentages, ratios, dates, days) and status words (落后, off track) are
  never cut, folded or wrapped: their columns are as wide as their widest cell.
- Text (the plan heading, goal and task names, owners, alert subjects and messages) wraps to
  what is left, between words or between Chinese characters but never inside a number or
  a Latin word, and not before closing or after opening punctuation (so `（ROI 1:2.8）` and
  `3000万` stay whole) unless nothing else fits. Only a single word wider than its whole
  column is folded.
- Each text column has a least width. When the text columns cannot all get it, whole
  columns are left out of that plan's table, least important first (`DROP_ORDER`):

  goals       1. expected (预期进度): pace already compares the actual with it;
              2. target (目标值): the goal's name usually states it, and attainment
                 compares the actual with it;
              3. actual (实际值);
              4. pace (进度比).
              The goal, its attainment and its status always stay: they answer "how is
              this goal doing".
  late tasks  owner: the task, its status and its slip say what is late and by how much.
  alerts      subject: the message names its goal, task or budget line too.

  When everything fits, nothing is wrapped or left out. A console narrower than the
  columns that always stay (about 40 cells) squeezes text below its least width and is
  promised nothing.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property
from itertools import pairwise

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, JustifyMethod, RenderableType, RenderResult
from rich.table import Table
from rich.text import Text

from ..compute.results import PlanResult, PortfolioResult
from ..views.catalogue import label
from ..views.plan import Badge, ChartLinks, Formatter, PlanView

STYLE = {
    "achieved": "bold green", "done": "bold green", "on_track": "green",
    "at_risk": "yellow", "off_track": "bold red", "missed": "bold red",
    "no_data": "magenta", "not_started": "dim", "critical": "bold red",
    "warning": "yellow", "info": "cyan",
}

# Columns left out, least important first, when the text columns cannot get their least
# width (see the module docstring); columns not named here always stay.
DROP_ORDER = {
    "goals": ("expected", "target", "actual", "pace"),
    "tasks": ("owner",),
    "alerts": ("subject",),
}

# The least width (cells) a text column is wrapped to before columns are left out.
LEAST = {"goal": 16, "task": 12, "owner": 8, "subject": 16, "message": 20}
LONGEST_WORD = 24  # a text column is at least as wide as its widest word up to this

GAP = 2  # cells between two columns: rich's default padding, (0, 1) on each side

# No line starts with a closing mark and none ends with an opening one (a simplified
# UAX #14); a number is not parted from the unit after it.
CLOSING = set("，。、：；！？）」』》〉】〕｝］”’…‥・ー々〜～％.,;:!?)]}%") | {"\u201d", "\u2019"}
OPENING = set("（「『《〈【〔｛［“‘([{") | {"\u201c", "\u2018"}
UNITS = set("万亿元角分天周月年日时个件次人家单倍％")
SOFT_HYPHENS = set("-/")  # a break after these, inside a word, only when nothing else fits


def _badge(b: Badge) -> Text:
    return Text(b.label, style=STYLE.get(b.code, ""))


# -- wrapping ----------------------------------------------------------------------------

@dataclass(frozen=True)
class _Cluster:
    start: int
    end: int
    width: int
    kind: str  # "space", "wide" or "narrow"


def _clusters(s: str) -> list[_Cluster]:
    """The string's characters, a zero-width mark or a joined emoji kept with the one before."""
    out: list[_Cluster] = []
    joined = False
    for i, ch in enumerate(s):
        width = cell_len(ch)
        if out and (joined or width == 0 or unicodedata.combining(ch)):
            last = out[-1]
            out[-1] = _Cluster(last.start, i + 1, cell_len(s[last.start:i + 1]), last.kind)
        else:
            kind = "space" if ch.isspace() else "wide" if width >= 2 else "narrow"
            out.append(_Cluster(i, i + 1, width, kind))
        joined = ch == "\u200d"
    return out


def _breaks(s: str, cs: Sequence[_Cluster], keep: Sequence[tuple[int, int]]) -> dict[int, int]:
    """Where a line may start, by cluster index, and how willingly: 1 a good break (after
    a space, next to a Chinese character); 2 only for a piece that does not fit a line
    otherwise (inside `keep` ranges, after a hyphen or slash inside a word, before a lone
    last character); 3 only when even that does not fit (after an opening or before a
    closing mark, between a number and its unit). Never inside a number or a Latin word:
    one is folded only when it alone is wider than a line."""
    out: dict[int, int] = {}
    seen_content = False
    last_content = max((k for k, c in enumerate(cs) if c.kind != "space"), default=0)
    for k in range(1, len(cs)):
        a, b = cs[k - 1], cs[k]
        seen_content = seen_content or a.kind != "space"
        if b.kind == "space" or not seen_content:
            continue
        first, last = s[b.start], s[a.end - 1]
        if a.kind == "space":
            level = 1
        elif a.kind == "wide" or b.kind == "wide":
            glued = first in CLOSING or last in OPENING or (last.isdigit() and first in UNITS)
            level = 3 if glued else 1
        elif last in SOFT_HYPHENS and first.isalpha() and k >= 2 and \
                cs[k - 2].kind == "narrow" and s[cs[k - 2].start].isalnum():
            level = 2
        else:
            continue
        if level == 1 and (any(lo < b.start < hi for lo, hi in keep) or (
                a.kind == b.kind == "wide" and k == last_content)):
            level = 2
        out[k] = level
    return out


def _longest_word(s: str) -> int:
    """The widest piece of `s` that `wrap` never breaks when the line is wide enough."""
    widest = 0
    for line in s.split("\n"):
        cs = _clusters(line)
        starts = [0, *sorted(k for k, v in _breaks(line, cs, ()).items() if v == 1), len(cs)]
        for i, j in pairwise(starts):
            widest = max(widest, sum(c.width for c in cs[i:j] if c.kind != "space"))
    return widest


def wrap(text: Text, width: int, hang: int = 0,
         keep: Sequence[tuple[int, int]] = ()) -> Text:
    """`text` in lines of at most `width` cells (continuation lines indented by `hang`),
    broken between words or Chinese characters, never inside a number or a word unless
    that word alone is wider than a line; `keep`: (start, end) ranges kept on one line
    when they fit one."""
    if "\n" in text.plain:
        parts, offset, lines = text.split("\n", allow_blank=True), 0, []
        for part in parts:
            n = len(part.plain)
            lines.append(wrap(part, width, hang, [(lo - offset, hi - offset) for lo, hi in keep
                                                  if lo >= offset and hi <= offset + n]))
            offset += n + 1
        return Text("\n").join(lines)
    s = text.plain
    if width < 1 or cell_len(s) <= width:
        return text
    hang = hang if width - hang >= 8 else 0
    cs = _clusters(s)
    levels = _breaks(s, cs, keep)

    def trimmed(i: int, j: int) -> int:
        """The end of clusters [i, j) without the spaces they end with."""
        while j > i and cs[j - 1].kind == "space":
            j -= 1
        return j

    def content(i: int, j: int) -> int:
        return sum(c.width for c in cs[i:trimmed(i, j)])

    room = width - hang

    def pieces(i: int, j: int, level: int) -> Iterator[tuple[int, int, bool]]:
        """Clusters [i, j) in pieces no wider than a line, cut at the breaks of `level`,
        then of the next; and whether a piece starts a line of its own."""
        if content(i, j) <= room:
            yield i, j, False
        elif level > 3:  # a word wider than a line: from a new line, folded
            for k in range(i, j):
                yield k, k + 1, k == i
        else:
            cuts = [i, *sorted(k for k, v in levels.items() if v == level and i < k < j), j]
            for lo, hi in pairwise(cuts):
                yield from pieces(lo, hi, level + 1)

    rows: list[list[tuple[int, int]]] = [[]]
    used, avail = 0, width
    for i, j, fresh in pieces(0, len(cs), 1):
        need = content(i, j)
        if rows[-1] and (fresh or used + need > avail):
            rows.append([])
            used, avail = 0, room
        if not rows[-1] and len(rows) > 1 and not need:
            continue  # spaces where a line was broken
        rows[-1].append((i, j))
        used += sum(c.width for c in cs[i:j])
    out = []
    for n, row in enumerate(rows):
        if not row:
            continue
        i = row[0][0]
        j = trimmed(i, row[-1][1])
        line = text[cs[i].start:cs[j - 1].end] if j > i else Text("")
        out.append(Text(" " * hang) + line if n and hang else line)
    return Text("\n").join(out)


# -- tables that fit ---------------------------------------------------------------------

@dataclass
class _Column:
    key: str
    header: str
    cells: list[Text]
    text: bool = False  # wraps; otherwise a figure or status word, never cut
    justify: JustifyMethod = "left"
    hangs: list[int] | None = None  # continuation indent of each cell (text columns)

    @cached_property
    def natural(self) -> int:
        lines = [ln for c in self.cells for ln in c.plain.split("\n")]
        return max([cell_len(self.header), *(cell_len(ln) for ln in lines)])

    @cached_property
    def least(self) -> int:
        if not self.text:
            return self.natural
        word = min(LONGEST_WORD, max((_longest_word(c.plain) for c in self.cells), default=0))
        return min(self.natural, max(LEAST.get(self.key, 12), cell_len(self.header), word))


def _share(room: int, columns: Sequence[_Column]) -> list[int]:
    """`room` cells among text columns: each its least, the rest in proportion to what
    each lacks of its natural width (largest remainders first)."""
    least = [c.least for c in columns]
    lack = [c.natural - c.least for c in columns]
    extra = min(room - sum(least), sum(lack))
    if extra <= 0 or not sum(lack):
        return least
    exact = [extra * x / sum(lack) for x in lack]
    given = [int(x) for x in exact]
    order = sorted(range(len(columns)), key=lambda k: given[k] - exact[k])
    for k in order[:extra - sum(given)]:
        given[k] += 1
    return [lo + g for lo, g in zip(least, given, strict=True)]


def _fit(columns: Sequence[_Column], width: int, drop: Sequence[str], edge: int
        ) -> tuple[list[_Column], list[int]]:
    """The columns kept and their widths (cells) for a table at most `width` wide: drop
    `drop`, in order, until the text columns get at least their least width; `edge`: cells
    outside the first and last column."""
    kept = list(columns)
    for n in range(len(drop) + 1):
        if n:
            kept = [c for c in kept if c.key != drop[n - 1]]
        texts = [c for c in kept if c.text]
        room = width - edge - GAP * (len(kept) - 1) - sum(c.natural for c in kept
                                                           if not c.text)
        fits = room >= sum(c.least for c in texts)
        if fits or n == len(drop):
            shares = iter(_share(room, texts) if fits else _squeeze(room, texts))
            return kept, [next(shares) if c.text else c.natural for c in kept]
    raise AssertionError("unreachable")


def _squeeze(room: int, columns: Sequence[_Column]) -> list[int]:
    """Less than the least: the text columns share what there is (nothing else is left to
    drop; a width this small promises nothing)."""
    total = sum(c.least for c in columns) or 1
    return [max(1, room * c.least // total) for c in columns]


def _table(columns: Sequence[_Column], width: int, drop: Sequence[str], *, pad_edge: bool,
           title: str | None = None, header_style: str = "table.header") -> Table:
    kept, widths = _fit(columns, width, drop, 2 if pad_edge else 0)
    table = Table(title=title, title_justify="left", box=None, show_edge=False,
                  pad_edge=pad_edge, header_style=header_style)
    for c, w in zip(kept, widths, strict=True):
        table.add_column(c.header, justify=c.justify, width=w, no_wrap=True,
                         overflow="fold" if c.text else "ellipsis")
    rows = len(columns[0].cells) if columns else 0
    for r in range(rows):
        cells = []
        for c, w in zip(kept, widths, strict=True):
            cell = c.cells[r]
            cells.append(wrap(cell, w, c.hangs[r] if c.hangs else 0) if c.text else cell)
        table.add_row(*cells)
    return table


# -- a plan --------------------------------------------------------------------------------

def _heading(view: PlanView, lang: str) -> tuple[Text, list[tuple[int, int]]]:
    """The plan's heading line, and the ranges kept whole on a line when they fit one: the
    id, the status, health, owner and period, each with its label."""
    def L(key: str) -> str:
        return label(key, lang)

    head = Text.assemble((view.title, "bold"), "  ")
    keep: list[tuple[int, int]] = []
    pieces: list[Text | str] = [
        f"[{view.id}]", _badge(view.status), f"{L('health')} {view.health}",
        f"{L('owner')} {view.owner}", f"{L('period')} {view.period}"]
    for n, piece in enumerate(pieces):
        start = len(head.plain)
        head.append(piece)
        keep.append((start, len(head.plain)))
        if n < len(pieces) - 1:
            head.append("  ")
    return head, keep


class _PlanBlock:
    """One plan, laid out for the width it is printed in (see the module docstring)."""

    def __init__(self, p: PlanResult, formatter: Formatter):
        self.lang = formatter.lang
        self.view = formatter.plan(p, ChartLinks())

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield from self.parts(options.max_width)

    def parts(self, width: int) -> Iterator[RenderableType]:
        view, lang = self.view, self.lang

        def L(key: str) -> str:
            return label(key, lang)

        head, keep = _heading(view, lang)
        yield wrap(head, width, keep=keep)
        rows = [r for g in view.goals for r in (g, *g.children)]
        names = [Text(f"  └ {r.name}" if r.is_child else f"{r.id} {r.name}") for r in rows]
        goals = [
            _Column("goal", L("goal"), names, text=True,
                    hangs=[4 if r.is_child else cell_len(r.id) + 1 for r in rows]),
            *(_Column(key, L(key), [Text(getattr(r, key)) for r in rows], justify="right")
              for key in ("target", "actual", "attainment", "expected", "pace")),
            _Column("status", L("status"), [_badge(r.status) for r in rows]),
        ]
        if rows:  # (a plan of tasks alone has no goal table, not an empty one)
            yield _table(goals, width, DROP_ORDER["goals"], pad_edge=False,
                         header_style="bold")
        if view.late_tasks:
            ts = view.late_tasks
            tasks = [
                _Column("task", L("task"), [Text(f"{t.id} {t.name}") for t in ts], text=True,
                        hangs=[cell_len(t.id) + 1 for t in ts]),
                _Column("owner", L("owner"), [Text(t.owner) for t in ts], text=True),
                _Column("status", L("status"), [_badge(t.status) for t in ts]),
                _Column("slip", L("slip"), [Text(t.slip) for t in ts]),
            ]
            yield _table(tasks, width, DROP_ORDER["tasks"], pad_edge=True,
                         title=L("late_tasks"))
        if view.alerts:
            al = view.alerts
            alerts = [
                _Column("severity", L("severity"), [_badge(a.severity) for a in al]),
                _Column("subject", L("subject"), [Text(a.subject) for a in al], text=True),
                _Column("message", L("message"), [Text(a.message) for a in al], text=True),
            ]
            yield _table(alerts, width, DROP_ORDER["alerts"], pad_edge=True,
                         title=L("alerts"))
        yield Text("")


def plan_block(p: PlanResult, formatter: Formatter) -> RenderableType:
    """One plan: a heading line, its goals, late tasks and alerts, fitted to the width it
    is printed in."""
    return _PlanBlock(p, formatter)


def print_status(result: PortfolioResult, console: Console) -> None:
    """The whole portfolio, plan after plan."""
    formatter = Formatter(result, result.language)
    console.print(Text(f"{label('as_of', result.language)}: {result.as_of}", style="bold"))
    console.print()
    for p in result.plans:
        console.print(plan_block(p, formatter))
