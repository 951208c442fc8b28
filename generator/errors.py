"""One exception family: every error the product raises is an `MxtError`.

Like click's exceptions, each error carries its context and formats itself in
one method (`format_message`); the command line catches the base class once
and exits with `exit_code`. Third-party errors (YAML, Jinja, WeasyPrint, git,
MkDocs) are wrapped where they are met, with `raise … from`.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass

DICTIONARY = "data/metrics.yaml"  # the metric dictionary: every plan and data file names it


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

    def format(self) -> str:
        """The one-line text form used on terminals and in CI logs."""
        where = f"{self.path}: " if self.path else ""
        prefix = "warning: " if self.severity is Severity.WARNING else ""
        return f"{self.location()}: {prefix}{where}{self.message}"

    def to_json(self) -> dict[str, object]:
        """A plain mapping for `validate --format json`."""
        return {
            "file": self.file,
            "line": self.line,
            "col": self.col,
            "path": self.path,
            "message": self.message,
            "severity": self.severity.value,
        }


class MxtError(Exception):
    """Base of every error the product reports to a person: located, exit code 1."""

    exit_code = 1

    def __init__(self, message: str, *, file: str | None = None, line: int | None = None):
        self.message = message
        self.file = file
        self.line = line
        super().__init__(self.format_message())

    def location(self) -> str:
        """`file:line: ` where known, else nothing."""
        if self.file is None:
            return ""
        return f"{self.file}:{self.line}: " if self.line is not None else f"{self.file}: "

    def format_message(self) -> str:
        """The text a person reads, with its place first."""
        return f"{self.location()}{self.message}"

    def lines(self) -> list[str]:
        """Every line to print (one, except for input errors listing problems)."""
        return [self.format_message()]

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

    def __init__(self, problems: Iterable[Problem]):
        self.problems = sorted(problems, key=_problem_key)
        super().__init__("\n".join(p.format() for p in self.problems))

    @property
    def errors(self) -> list[Problem]:
        """Only the problems that are errors."""
        return [p for p in self.problems if p.severity is Severity.ERROR]

    def lines(self) -> list[str]:
        n = len(self.errors)
        return [*(p.format() for p in self.problems),
                f"{n} error{'s' if n != 1 else ''}: nothing was computed or written "
                "(an existing site is left as it was)"]


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

