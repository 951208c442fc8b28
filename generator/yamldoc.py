"""YAML 1.2 reading with positions: values plus where each one stood in the file.

PyYAML's event parser (libyaml when available) gives marks for every node; we
build plain Python values from the events ourselves so that we can
- resolve plain scalars with the YAML 1.2 core schema (`no`, `on` stay text,
  dates stay text for the model to parse),
- refuse anchors and aliases (a small file must never expand to gigabytes),
- report duplicate keys with both lines,
- remember the line and column of every key and value for error messages.

Positions are only needed for messages, so a document is first built by a lean
pass that records none; the careful pass (positions, every duplicate key) runs
when a file needs it: when the lean pass meets anything unusual, or when a
message asks where something stood.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from .errors import InputError, Message, Problem, say

try:  # libyaml is much faster; fall back to the pure-Python parser
    _Loader: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on the PyYAML build
    _Loader = yaml.SafeLoader

Path = tuple[str | int, ...]

_NULL = {"", "~", "null", "Null", "NULL"}
_TRUE = {"true", "True", "TRUE"}
_FALSE = {"false", "False", "FALSE"}
_INT = re.compile(r"[-+]?[0-9]+\Z")
_OCT = re.compile(r"0o[0-7]+\Z")
_HEX = re.compile(r"0x[0-9a-fA-F]+\Z")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?\Z")
_INF = re.compile(r"[-+]?\.(inf|Inf|INF)\Z")
_NAN = re.compile(r"\.(nan|NaN|NAN)\Z")
_STD_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
}


@dataclass
class Document:
    """A parsed YAML document: its value and the 1-based positions of its parts."""

    source: str
    value: Any
    _values: dict[Path, tuple[int, int]] | None = field(default=None, repr=False)
    _keys: dict[Path, tuple[int, int]] | None = field(default=None, repr=False)
    text: str | None = field(default=None, repr=False)  # to find positions when asked
    # where the fast pass saw each value and key, in the order the parser met them
    marks: list[Any] | None = field(default=None, repr=False)

    @property
    def values(self) -> dict[Path, tuple[int, int]]:
        """Line and column of every value, by path."""
        return self._positions()[0]

    @property
    def keys(self) -> dict[Path, tuple[int, int]]:
        """Line and column of every mapping key, by the path of its value."""
        return self._positions()[1]

    def _positions(self) -> tuple[dict[Path, tuple[int, int]], dict[Path, tuple[int, int]]]:
        """Both tables, made on first use from the fast pass's marks (the value walked in
        the parser's order), or by the careful pass over the text if the value changed
        shape since."""
        if self._values is None or self._keys is None:
            self._values, self._keys = {}, {}
            placed = _place(self.value, self.marks) if self.marks is not None else None
            if placed is not None:
                self._values, self._keys = placed
            elif self.text is not None:
                located = _careful(self.text, self.source)[0]
                if located is not None:
                    self._values, self._keys = located.values, located.keys
        return self._values, self._keys

    def position(self, path: Path, *, key: bool = False) -> tuple[int | None, int | None]:
        """Line and column of `path`, or of its nearest ancestor that has one."""
        table = self.keys if key else self.values
        p = tuple(path)
        while p:
            if p in table:
                return table[p]
            if key and p in self.values:
                return self.values[p]
            p = p[:-1]
        return self.values.get((), (1, 1)) if self.values else (1, 1)

    def problem(self, path: Path, message: str, *, key: bool = False, **kw: Any) -> Problem:
        """A problem located at `path` in this document."""
        line, col = self.position(path, key=key)
        return Problem(self.source, line, col, format_path(path, self.value), message, **kw)


def format_path(path: Path, value: Any = None) -> str:
    """`tasks[9] (M-10).end` from `('tasks', 9, 'end')`: a list item's id beside its index,
    when the document (`value`) gives it one."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
            value = value[part] if isinstance(value, list) and 0 <= part < len(value) else None
            item_id = value.get("id") if isinstance(value, dict) else None
            if isinstance(item_id, str | int) and not isinstance(item_id, bool):
                out += f" ({item_id})"
        else:
            out += f".{part}" if out else str(part)
            value = value.get(part) if isinstance(value, dict) else None
    return out


_WORDS: dict[str, Any] = ({w: None for w in _NULL} | {w: True for w in _TRUE} |
                          {w: False for w in _FALSE})
_NUMBER_START = frozenset("0123456789+-.")  # how every number begins


def resolve_scalar(text: str) -> Any:
    """A plain scalar under the YAML 1.2 core schema (dates stay strings)."""
    if text in _WORDS:
        return _WORDS[text]
    if text[0] not in _NUMBER_START:
        return text
    if _INT.match(text):
        return int(text)
    if _FLOAT.match(text):
        return float(text)
    if _OCT.match(text):
        return int(text[2:], 8)
    if _HEX.match(text):
        return int(text[2:], 16)
    if _INF.match(text):
        return float("-inf") if text.startswith("-") else float("inf")
    if _NAN.match(text):
        return float("nan")
    return text


class _Refused(InputError):
    """A construct refused outright (anchor, tag, second document): stops the parse."""

    def __init__(self, problem: Problem):
        self.problem = problem
        super().__init__([problem])


def parse(text: str, source: str) -> tuple[Document | None, list[Problem]]:
    """Parse one YAML document; return it (or None) and every problem found."""
    marks: list[Any] = []
    try:
        value = _lean(yaml.parse(text, Loader=_Loader), marks)
    except _Unusual:
        return _careful(text, source)
    except yaml.YAMLError:
        return _careful(text, source)  # it words and locates the error
    return Document(source, value, text=text, marks=marks), []


class _Unusual(Exception):
    """Something only the careful pass reports (an alias, a tag, a duplicate key...)."""


_ScalarEvent, _MappingStart, _SequenceStart = (yaml.ScalarEvent, yaml.MappingStartEvent,
                                               yaml.SequenceStartEvent)
_Ends = (yaml.MappingEndEvent, yaml.SequenceEndEvent)


def _lean(events: Any, marks: list[Any]) -> Any:
    """Values from parser events; raises _Unusual where `_build` would speak. The start
    mark of every value and key goes to `marks`, in order (`_place` makes positions of
    them when a problem needs one)."""
    stack: list[Any] = []  # open containers; a mapping's pending key rides along
    keys: list[Any] = []
    root: Any = None
    documents = 0
    mark = marks.append
    for event in events:
        kind = type(event)
        if kind is _ScalarEvent:
            if event.anchor is not None or (event.tag is not None and event.tag != "!" and
                                            event.tag not in _STD_TAGS):
                raise _Unusual
            value: Any = (resolve_scalar(event.value) if event.implicit[0] and not event.style
                          else event.value)
        elif kind is _MappingStart or kind is _SequenceStart:
            if event.anchor is not None or (event.tag is not None and
                                            event.tag not in _STD_TAGS):
                raise _Unusual
            value = {} if kind is _MappingStart else []
        elif kind in _Ends:
            stack.pop()
            keys.pop()
            continue
        elif kind is yaml.DocumentStartEvent:
            documents += 1
            if documents > 1:
                raise _Unusual
            continue
        elif kind is yaml.AliasEvent:
            raise _Unusual
        else:
            continue
        mark(event.start_mark)
        if not stack:
            root = value
        else:
            container = stack[-1]
            if type(container) is list:
                container.append(value)
            elif keys[-1] is _NO_KEY:  # this value is a key
                if type(value) is dict or type(value) is list:
                    raise _Unusual
                key = "" if value is None else str(value)
                if key in container:
                    raise _Unusual
                keys[-1] = key
            else:
                container[keys[-1]] = value
                keys[-1] = _NO_KEY
        if kind is not _ScalarEvent:
            stack.append(value)
            keys.append(_NO_KEY)
    return root


_NO_KEY = object()


def _place(value: Any, marks: list[Any]
           ) -> tuple[dict[Path, tuple[int, int]], dict[Path, tuple[int, int]]] | None:
    """The positions of `value`'s parts and keys from the fast pass's marks: the value is
    walked in the order the parser met its parts. None when the two no longer agree (the
    value was changed after parsing)."""
    values: dict[Path, tuple[int, int]] = {}
    keys: dict[Path, tuple[int, int]] = {}
    at = iter(marks)

    def walk(node: Any, path: Path) -> None:
        mark = next(at)
        values[path] = (mark.line + 1, mark.column + 1)
        if type(node) is dict:
            for key, sub in node.items():
                mark = next(at)
                keys[(*path, key)] = (mark.line + 1, mark.column + 1)
                walk(sub, (*path, key))
        elif type(node) is list:
            for n, sub in enumerate(node):
                walk(sub, (*path, n))

    try:
        walk(value, ())
    except StopIteration:
        return None
    return (values, keys) if next(at, None) is None else None


def _careful(text: str, source: str) -> tuple[Document | None, list[Problem]]:
    """Parse with positions, reporting every problem (the careful pass)."""
    doc = Document(source, None, {}, {})
    problems: list[Problem] = []
    try:
        events = yaml.parse(text, Loader=_Loader)
        doc.value = _build(events, doc, problems)
        doc.text = text
    except _Refused as refused:
        return None, [refused.problem]
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (None, None)
        what: str = _phrase(e.problem or e.context or "invalid YAML")
        if e.context and e.problem and e.context_mark is not None:
            what = say("yaml_in_context", problem=what, context=_phrase(e.context),
                       line=e.context_mark.line + 1)
        if mark is not None and _is_tab(text, mark.line, mark.column):
            what = say("yaml_tab")
        first = min(m.line for m in (e.context_mark, e.problem_mark) if m is not None) + 1 \
            if mark is not None else 0
        full_width = [p for p in _full_width(text, source)
                      if line is not None and first <= (p.line or 0) <= line]
        if full_width:  # the cause, where it is, rather than where the parser gave up
            return None, full_width
        return None, [Problem(source, line, col, "", say("yaml_syntax", detail=what))]
    except yaml.reader.ReaderError as e:  # a character YAML does not allow (a control code)
        found = yaml.reader.Reader.NON_PRINTABLE.search(text)
        at = found.start() if found else 0
        line = text.count("\n", 0, at) + 1
        col = at - (text.rfind("\n", 0, at) + 1) + 1
        shown = f"U+{ord(text[at]):04X}" if found else str(e.character)
        return None, [Problem(source, line, col, "", say(
            "yaml_error", detail=f"the character {shown} is not allowed in YAML"))]
    except yaml.YAMLError as e:
        detail = str(e).strip().splitlines()[0] if str(e).strip() else "invalid YAML"
        return None, [Problem(source, None, None, "", say("yaml_error", detail=detail))]
    return doc, problems


# PyYAML's (libyaml's) wording of the common syntax errors, each with its catalogue key;
# any other wording is shown as PyYAML gives it
_PHRASES = {
    "mapping values are not allowed here": "yaml_mapping_values_here",
    "mapping values are not allowed in this context": "yaml_mapping_values",
    "could not find expected ':'": "yaml_expected_colon",
    "did not find expected key": "yaml_expected_key",
    "found character that cannot start any token": "yaml_bad_start",
    "did not find expected '-' indicator": "yaml_expected_dash",
    "did not find expected node content": "yaml_expected_content",
    "found unexpected end of stream": "yaml_end_of_stream",
    "did not find expected ',' or ']'": "yaml_expected_bracket",
    "did not find expected ',' or '}'": "yaml_expected_brace",
    "found unknown escape character": "yaml_bad_escape",
    "while parsing a block mapping": "yaml_in_block_mapping",
    "while parsing a block collection": "yaml_in_block_collection",
    "while parsing a flow sequence": "yaml_in_flow_sequence",
    "while parsing a flow mapping": "yaml_in_flow_mapping",
    "while scanning a quoted scalar": "yaml_scanning_quoted",
    "while parsing a quoted scalar": "yaml_parsing_quoted",
    "while scanning a simple key": "yaml_scanning_key",
    "while scanning for the next token": "yaml_scanning_token",
    "while scanning a plain scalar": "yaml_scanning_plain",
    "while parsing a block node": "yaml_in_block_node",
    "while parsing a flow node": "yaml_in_flow_node",
}


def _phrase(text: str) -> str | Message:
    """PyYAML's words for a problem or its context, translatable where we know them."""
    key = _PHRASES.get(text)
    return say(key) if key is not None else text


_KEY_THEN_WIDE_COLON = re.compile(r"^(\s*(?:-\s+)?)([A-Za-z_][\w.-]*)\s*：")
_FLOW_WIDE_COMMA = re.compile(r"[\[{][^\]}]*?(，)")


def _full_width(text: str, source: str) -> list[Problem]:
    """Full-width punctuation typed where YAML syntax belongs (a Chinese keyboard left on):
    `owner：` for `owner:`, `[a，b]` for `[a, b]`, “quotes” around a value with a comma."""
    out = []
    for n, line in enumerate(text.splitlines(), start=1):
        found = _KEY_THEN_WIDE_COLON.match(line)
        if found:
            out.append(Problem(source, n, line.index("：") + 1, found.group(2),
                               say("full_width_colon")))
        comma = _FLOW_WIDE_COMMA.search(line)
        if comma:
            out.append(Problem(source, n, comma.start(1) + 1, "", say("full_width_comma")))
    return out


def _is_tab(text: str, line: int, column: int) -> bool:
    lines = text.splitlines()
    return line < len(lines) and "\t" in lines[line][: column + 1]


def _pos(event: Any) -> tuple[int, int]:
    return event.start_mark.line + 1, event.start_mark.column + 1


def _check_event(event: Any, source: str) -> None:
    if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
        line, col = _pos(event)
        raise _Refused(Problem(source, line, col, "", say("yaml_anchor")))
    tag = getattr(event, "tag", None)
    if tag and tag != "!" and tag not in _STD_TAGS:
        line, col = _pos(event)
        raise _Refused(Problem(source, line, col, "", say("yaml_tag", tag=tag)))


def _build(events: Any, doc: Document, problems: list[Problem]) -> Any:
    """Turn a stream of parser events into values, recording positions."""
    # Each frame: [container, path, pending_key, seen_keys]
    stack: list[list[Any]] = []
    root: Any = None
    documents = 0

    def place(value: Any, event: Any) -> Path | None:
        nonlocal root
        if not stack:
            root = value
            doc.values[()] = _pos(event)
            return ()
        frame = stack[-1]
        container, path = frame[0], frame[1]
        if isinstance(container, list):
            sub = (*path, len(container))
            container.append(value)
            doc.values[sub] = _pos(event)
            return sub
        if frame[2] is None:  # this value is a key
            if isinstance(value, (dict, list)):
                line, col = _pos(event)
                raise _Refused(Problem(doc.source, line, col, format_path(path),
                                       say("yaml_key_not_plain")))
            key = "" if value is None else str(value)
            kpath = (*path, key)
            if key in frame[3]:
                line, col = _pos(event)
                first = frame[3][key]
                problems.append(Problem(doc.source, line, col, format_path(kpath),
                                        say("duplicate_key", key=key, line=first)))
                frame[2] = ("__dup__", key)
            else:
                frame[3][key] = _pos(event)[0]
                doc.keys[kpath] = _pos(event)
                frame[2] = (key,)
            return None
        pending = frame[2]
        frame[2] = None
        if pending[0] == "__dup__":
            return (*path, "\x00dup")
        sub = (*path, pending[0])
        container[pending[0]] = value
        doc.values[sub] = _pos(event)
        return sub

    for event in events:
        _check_event(event, doc.source)
        if isinstance(event, yaml.DocumentStartEvent):
            documents += 1
            if documents > 1:
                line, col = _pos(event)
                raise _Refused(Problem(doc.source, line, col, "", say("yaml_documents")))
        elif isinstance(event, yaml.ScalarEvent):
            value: Any
            if event.implicit[0] and not event.style:  # plain (libyaml says '', PyYAML None)
                value = resolve_scalar(event.value)
            else:
                value = event.value
            place(value, event)
        elif isinstance(event, yaml.MappingStartEvent):
            m: dict[str, Any] = {}
            sub = place(m, event)
            stack.append([m, sub if sub is not None else (), None, {}])
        elif isinstance(event, yaml.SequenceStartEvent):
            s: list[Any] = []
            sub = place(s, event)
            stack.append([s, sub if sub is not None else (), None, {}])
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            stack.pop()
    return root
