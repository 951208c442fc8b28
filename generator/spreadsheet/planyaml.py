"""A plan draft as YAML text, in the field order and style of the sample plans.

Short items (phases, milestones, strategies, budget lines, draws, alert rules) are one
`{…}` line each; goals, tasks, risks, issues and the retrospective are blocks. A value
that needed interpreting carries its note as a comment on its line; notes about a whole
item (a generated id, columns the plan has no field for) are comments above it.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import yaml

ORDER = {
    "phases": ("id", "name", "start", "end"),
    "milestones": ("id", "name", "date", "done"),
    "objectives": ("id", "name", "goals"),
    "goals": ("id", "name", "category", "metric", "target", "baseline", "change", "start", "due",
              "where", "owner", "weight", "strategy", "notes", "source", "breakdown", "pace",
              "analysis", "suggestion"),
    "strategies": ("id", "name", "goals", "priority", "owner", "description"),
    "tasks": ("id", "name", "description", "strategy", "phase", "owner", "approver", "support",
              "start", "end", "actual_start", "actual_end", "progress", "depends_on",
              "milestone", "status", "blocked_reason", "deliverables", "priority"),
    "budget.lines": ("id", "name", "planned", "spent", "cost_metric", "where", "revenue_metric",
                     "pace"),
    "budget.draws": ("date", "amount", "reason", "risk", "issue"),
    "risks": ("id", "description", "probability", "impact", "mitigation", "owner", "status"),
    "issues": ("id", "date", "phase", "task", "description", "impact", "effect", "owner",
               "action", "due", "resolved"),
    "alerts": ("id", "rule", "metric", "value", "window", "by", "periods", "period", "where",
               "action", "severity"),
    "retro": ("stage", "successes", "shortfalls", "root_cause", "actions", "owner", "due",
              "goals"),
}
FLOW = frozenset({"phases", "milestones", "objectives", "strategies", "budget.lines",
                  "budget.draws", "alerts"})
TOP = ("id", "title", "type", "owner", "period", "description", "tags", "language")
BUDGET = ("currency", "total", "contingency", "overspend_alert")
SECTIONS = ("phases", "milestones", "objectives", "goals", "strategies", "tasks", "budget",
            "risks", "issues", "alerts", "retro")


@dataclass
class Entry:
    key: str
    value: Any
    note: str = ""


@dataclass
class Block:
    entries: list[Entry]
    comments: list[str] = field(default_factory=list)


@dataclass
class Document:
    """What the file says: header comments, the plan's own fields, its lists."""

    comments: list[str]
    top: list[Entry]
    budget: list[Entry]
    sections: dict[str, list[Block]]


_PLAIN_START = re.compile(r"[^\s\-?:,\[\]{}#&*!|>'\"%@`]")
_NUMBERISH = re.compile(r"[-+]?(0o[0-7]+|0x[0-9a-f]+|\.inf|\.nan|[0-9][0-9_.e+:-]*)", re.I)


def scalar(value: Any, flow: bool = False) -> str:
    """One value as YAML: plain where that reads back as the same string, else quoted."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        text = repr(value)
        return format(Decimal(text), "f") if "e" in text or "E" in text else text
    if isinstance(value, list):
        return "[" + ", ".join(scalar(v, True) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{scalar(str(k), True)}: {scalar(v, True)}"
                               for k, v in value.items()) + "}"
    text = str(value)
    plain = (bool(text) and _PLAIN_START.match(text) is not None and text == text.strip()
             and ": " not in text and " #" not in text and not text.endswith(":")
             and "\n" not in text and not _NUMBERISH.fullmatch(text)
             and not (flow and any(c in text for c in ",[]{}"))
             and _reads_back(text))
    return text if plain else json.dumps(text, ensure_ascii=False)


def _reads_back(text: str) -> bool:
    try:
        return yaml.safe_load(text) == text
    except yaml.YAMLError:
        return False


def _comment(text: str) -> str:
    return "# " + re.sub(r"\s+", " ", text).strip()


def _trailing(note: str) -> str:
    """A value's note as a comment at the end of its line ("" when it has none)."""
    return f"  {_comment(note)}" if note else ""


def _flow(block: Block) -> str:
    body = ", ".join(f"{e.key}: {scalar(e.value, True)}" for e in block.entries)
    return "{" + body + "}" + _trailing("; ".join(e.note for e in block.entries if e.note))


def _block(block: Block, indent: str) -> list[str]:
    lines = []
    for n, e in enumerate(block.entries):
        lead = f"{indent}- " if n == 0 else f"{indent}  "
        note = _trailing(e.note)
        if e.key == "breakdown" and isinstance(e.value, dict):
            lines.append(f"{lead}breakdown:{note}")
            lines.append(f"{indent}    by: {scalar(e.value['by'])}")
            lines.append(f"{indent}    targets: {scalar(e.value['targets'])}")
        elif isinstance(e.value, str) and "\n" in e.value:
            text = e.value.strip("\n")
            lines.append(f"{lead}{e.key}: |-{note}")
            lines += [f"{indent}    {line}".rstrip() for line in text.split("\n")]
        else:
            lines.append(f"{lead}{e.key}: {scalar(e.value)}{note}")
    return lines


def _items(key: str, blocks: list[Block], indent: str) -> list[str]:
    lines = []
    for block in blocks:
        lines += [f"{indent}{_comment(c)}" for c in block.comments]
        if key in FLOW:
            lines.append(f"{indent}- {_flow(block)}")
        else:
            lines += _block(block, indent)
    return lines


def emit(doc: Document) -> str:
    """The plan file's text."""
    lines = [_comment(c) for c in doc.comments]
    lines += [f"{e.key}: {scalar(e.value)}{_trailing(e.note)}" for e in doc.top]
    for key in SECTIONS:
        if key == "budget":
            lines += _budget(doc)
            continue
        blocks = doc.sections.get(key)
        if blocks:
            lines += ["", f"{key}:", *_items(key, blocks, "  ")]
    return "\n".join(lines) + "\n"


def _budget(doc: Document) -> list[str]:
    lines_ = doc.sections.get("budget.lines") or []
    draws = doc.sections.get("budget.draws") or []
    if not (doc.budget or lines_ or draws):
        return []
    out = ["", "budget:"]
    out += [f"  {e.key}: {scalar(e.value)}{_trailing(e.note)}" for e in doc.budget]
    if lines_:
        out += ["  lines:", *_items("budget.lines", lines_, "    ")]
    if draws:
        out += ["  draws:", *_items("budget.draws", draws, "    ")]
    return out
