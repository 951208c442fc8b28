"""One exception family: every error the product raises is an `MxtError`.

Like click's exceptions, each error carries its context and formats itself in
one method (`format_message`); the command line catches the base class once
and exits with `exit_code`. Third-party errors (YAML, Jinja, WeasyPrint, git,
MkDocs) are wrapped where they are met, with `raise … from`.
"""

from __future__ import annotations

import difflib
import enum
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from .languages import problem_template

DICTIONARY = "data/metrics.yaml"  # the metric dictionary: every plan and data file names it
ENGLISH = "en"  # the language of `Problem.message` and of `str(error)`: logs, tests, tracebacks


class Message(str):
    """A problem's words, keyed: as a `str` it is the English text; `key` (a stable code,
    the catalogue entry under `problems:`) and `values` render it in any language.

    A value may itself be a Message (a hint, a type name: rendered in the same language)
    or a tuple of them (joined by the catalogue's `list_separator`); everything else (ids,
    file names, numbers, dates) is data and is printed as given, with the template's
    format spec (`{total:,.0f}`, `{key!r}`).
    """

    key: str
    values: tuple[tuple[str, Any], ...]

    def __new__(cls, key: str, values: tuple[tuple[str, Any], ...] = ()) -> Message:
        text = _render(key, values, ENGLISH)
        self = super().__new__(cls, text)
        self.key, self.values = key, values
        return self

    def text(self, language: str | None = None) -> str:
        """The message in `language` (English when None, or when that catalogue lacks it)."""
        if language is None or language == ENGLISH:
            return str.__str__(self)
        return _render(self.key, self.values, language)

    def __reduce__(self) -> tuple[object, ...]:
        return (Message, (self.key, self.values))


def _one_line(text: str) -> str:
    """Line breaks and other control characters shown as escapes, never as breaks."""
    return "".join(ch if ch >= " " or ch == "\t" else repr(ch)[1:-1] for ch in text)


def say(key: str, /, **values: Any) -> Message:
    """The message `key` of the `problems:` catalogue with its values, e.g.
    `say("unknown_field", key="ownr", hint=say("did_you_mean", name="owner"))`."""
    return Message(key, tuple(values.items()))


def did_you_mean(name: str, options: Iterable[str], cutoff: float = 0.5) -> str | Message:
    """"Did you mean …?" with the closest of `options`, or nothing when none is as close
    as `cutoff` (difflib's ratio)."""
    close = difflib.get_close_matches(name, list(options), n=1, cutoff=cutoff)
    return say("did_you_mean", name=close[0]) if close else ""


def say_count(n: int, one: str, other: str) -> Message:
    """A counted message: `one` for 1, `other` for any other number (`{n}` in both)."""
    return say(one if n == 1 else other, n=n)


def in_language(message: str | Message, language: str | None) -> str:
    """Any message (keyed or plain text) in `language`."""
    return message.text(language) if isinstance(message, Message) else message


def _render(key: str, values: tuple[tuple[str, Any], ...], language: str) -> str:
    return problem_template(key, language).format(
        **{name: _value(value, language) for name, value in values})


def _value(value: Any, language: str) -> Any:
    if isinstance(value, Message):
        return value.text(language)
    if isinstance(value, tuple):
        separator = problem_template("list_separator", language)
        return separator.join(str(_value(v, language)) for v in value)
    return value


class Severity(enum.StrEnum):
    """How bad a problem is: errors stop a build, warnings only fail `--strict`."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Problem:
    """One located problem: `file:line[:col]: path: message`."""

    file: str
    line: int | None
    col: int | None
    path: str
    message: str
    severity: Severity = Severity.ERROR
    follows: str = ""  # the file whose own problems make this one moot (folded then)

    def location(self) -> str:
        """`file:line:col`, leaving out what is unknown."""
        parts = [self.file]
        if self.line is not None:
            parts.append(str(self.line))
            if self.col is not None:
                parts.append(str(self.col))
        return ":".join(parts)

    @property
    def code(self) -> str:
        """The message's stable key in the catalogue ("" for a message given as plain text)."""
        return self.message.key if isinstance(self.message, Message) else ""

    def text(self, language: str | None = None) -> str:
        """The message in `language` (English, as `message`, when None)."""
        return in_language(self.message, language)

    def format(self, language: str | None = None) -> str:
        """The one-line text form used on terminals and in CI logs (English when None)."""
        where = f"{self.path}: " if self.path else ""
        prefix = (in_language(say("warning_prefix"), language)
                  if self.severity is Severity.WARNING else "")
        # one line whatever the input held: a quoted newline in a CSV header, say
        return _one_line(f"{self.location()}: {prefix}{where}{self.text(language)}")

    def to_json(self, language: str | None = None) -> dict[str, object]:
        """A plain mapping for `validate --format json`: `code` is the message's key."""
        return {
            "file": self.file,
            "line": self.line,
            "col": self.col,
            "path": self.path,
            "code": self.code,
            "message": self.text(language),
            "severity": self.severity.value,
        }


class MxtError(Exception):
    """Base of every error the product reports to a person: located, exit code 1."""

    exit_code = 1

    def __init__(self, message: str | Message, *, file: str | None = None,
                 line: int | None = None):
        self.message = message  # a keyed `Message` is said in the reader's language
        self.file = file
        self.line = line
        super().__init__(self.format_message())

    def location(self) -> str:
        """`file:line: ` where known, else nothing."""
        if self.file is None:
            return ""
        return f"{self.file}:{self.line}: " if self.line is not None else f"{self.file}: "

    def format_message(self, language: str | None = None) -> str:
        """The text a person reads, with its place first (English unless `language`)."""
        return f"{self.location()}{in_language(self.message, language)}"

    def lines(self, language: str | None = None) -> list[str]:
        """Every line to print (one, except for input errors listing problems), in
        `language` where the message is keyed (input errors: else the project's), else
        English."""
        return [self.format_message(language)]

    def __reduce__(self) -> tuple[object, ...]:
        # errors cross from render workers to the parent process whole, context included
        return (_rebuild, (type(self), self.__dict__))


def _rebuild(cls: type[MxtError], state: dict[str, object]) -> MxtError:
    error = cls.__new__(cls)
    error.__dict__.update(state)
    Exception.__init__(error, error.format_message())
    return error


class InputError(MxtError):
    """Invalid plans or data: carries every problem found, never just the first."""

    def __init__(self, problems: Iterable[Problem], *, language: str | None = None):
        self.problems = sorted(problems, key=_problem_key)
        self.language = language  # the project's, where it is known: what `lines` speaks
        super().__init__("\n".join(p.format() for p in self.problems))

    @property
    def errors(self) -> list[Problem]:
        """Only the problems that are errors."""
        return [p for p in self.problems if p.severity is Severity.ERROR]

    # the closing line's catalogue keys (one error, several), after the problems
    SUMMARY = ("nothing_written_one", "nothing_written_other")

    def lines(self, language: str | None = None,
              summary_keys: tuple[str, str] | None = None) -> list[str]:
        """The problems, then a closing line (`summary_keys`: the command's own words)."""
        lang = language or self.language
        summary = say_count(len(self.errors), *(summary_keys or self.SUMMARY))
        return [*(p.format(lang) for p in self.problems), in_language(summary, lang)]


class TemplateError(MxtError):
    """A page or report template is broken (syntax, a missing value): names file and line."""


class RenderError(MxtError):
    """A chart, page, report or the MkDocs site could not be made from valid input."""


class GitError(MxtError):
    """git is missing, a revision does not exist, or the folder is not a repository."""


class EnvironmentProblem(MxtError):
    """Something the machine lacks (a font, a program) or refuses (an unwritable folder)."""


def _problem_key(p: Problem) -> tuple[int, str, int, int, str, str]:
    """Causes first: the settings and the metric dictionary (everything refers to them),
    then the plans, then the data files; within a file, in reading order."""
    rank = 0 if p.file in (DICTIONARY, "mkdocs.yml") else 1 if p.file.startswith("plans/") else 2
    return (rank, p.file, p.line or 0, p.col or 0, p.path, p.message)


def sort_problems(problems: Iterable[Problem]) -> list[Problem]:
    """Problems in file, line, column order: the order a reader fixes them in."""
    return sorted(set(problems), key=_problem_key)

