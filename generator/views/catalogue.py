"""The message catalogue: every label and message, one YAML file per language.

`generator/locales/<language>.yaml` holds a language's status names, labels, messages, the
words of validation problems (`problems:`, rendered by `errors.Message`) and the font
family its charts and reports use. Adding a language is adding one
file (the suite checks it has every key of the Chinese one) and, where its
script needs it, installing that font.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..languages import Catalogue, catalogue, languages, problem_template


def status_label(code: str, language: str) -> str:
    """A status code's name for people, e.g. `at_risk` → 有风险."""
    return catalogue(language).status.get(code, code)


def label(key: str, language: str, **values: Any) -> str:
    """A column or section label (with its values filled in, where it has any). A label
    counted by `n` may have a `<key>_one` form, used when n is 1 ("1 new alert")."""
    labels = catalogue(language).labels
    if values.get("n") == 1 and f"{key}_one" in labels:
        key = f"{key}_one"
    text = labels[key]
    return text.format(**values) if values else text


def listing(words: Iterable[str], language: str) -> str:
    """Words one after another, as the language writes a list: 华东、华南 / East, South."""
    return catalogue(language).labels["enumeration"].join(words)


def message(key: str, language: str, **values: Any) -> str:
    """A message with its values filled in."""
    return catalogue(language).messages[key].format(**values)


def word(key: str, language: str) -> str:
    """A single catalogue word such as a period unit."""
    return catalogue(language).messages[key]


__all__ = ["Catalogue", "catalogue", "label", "languages", "listing", "message", "problem_template",
           "status_label", "word"]
