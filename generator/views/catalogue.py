"""The message catalogue: every label and message, one YAML file per language.

`generator/locales/<language>.yaml` holds a language's status names, labels, messages, the
words of validation problems (`problems:`, rendered by `errors.Message`) and the font
family its charts and reports use. Adding a language is adding one
file (the suite checks it has every key of the Chinese one) and, where its
script needs it, installing that font.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

import yaml

from ..languages import DEFAULT_LANGUAGE, LOCALES, languages


@dataclass(frozen=True)
class Catalogue:
    """One language's words."""

    language: str
    name: str
    font: str
    status: dict[str, str]
    labels: dict[str, str]
    messages: dict[str, str]
    problems: dict[str, str]


_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml: a fifth of the time


@functools.cache
def catalogue(language: str) -> Catalogue:
    """A language's catalogue (the default language's for one without a file)."""
    lang = language if language in languages() else DEFAULT_LANGUAGE
    data = yaml.load((LOCALES / f"{lang}.yaml").read_text(encoding="utf-8"), Loader=_LOADER)
    return Catalogue(language=lang, name=data["name"], font=data["font"],
                     status=data["status"], labels=data["labels"], messages=data["messages"],
                     problems=data["problems"])


def status_label(code: str, language: str) -> str:
    """A status code's name for people, e.g. `at_risk` → 有风险."""
    return catalogue(language).status.get(code, code)


def label(key: str, language: str, **values: Any) -> str:
    """A column or section label (with its values filled in, where it has any)."""
    text = catalogue(language).labels[key]
    return text.format(**values) if values else text


def message(key: str, language: str, **values: Any) -> str:
    """A message with its values filled in."""
    return catalogue(language).messages[key].format(**values)


def problem_template(key: str, language: str) -> str:
    """A problem message's template (`{placeholders}`), English where `language` lacks it."""
    found = catalogue(language).problems.get(key)
    return found if found is not None else catalogue("en").problems[key]


def word(key: str, language: str) -> str:
    """A single catalogue word such as a period unit."""
    return catalogue(language).messages[key]


__all__ = ["Catalogue", "catalogue", "label", "languages", "message", "problem_template",
           "status_label", "word"]
