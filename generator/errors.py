"""One exception family for invalid input, each problem carrying its place."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass


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


class InputError(Exception):
    """Invalid plans or data: carries every problem found, never just the first."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = sorted(problems, key=_problem_key)
        super().__init__("\n".join(p.format() for p in self.problems))

    @property
    def errors(self) -> list[Problem]:
        """Only the problems that are errors."""
        return [p for p in self.problems if p.severity is Severity.ERROR]


def _problem_key(p: Problem) -> tuple[str, int, int, str, str]:
    return (p.file, p.line or 0, p.col or 0, p.path, p.message)


def sort_problems(problems: Iterable[Problem]) -> list[Problem]:
    """Problems in file, line, column order: the order a reader fixes them in."""
    return sorted(set(problems), key=_problem_key)

