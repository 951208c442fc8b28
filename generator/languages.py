"""Which languages the product speaks, and their words: one catalogue file each in
`locales/`.

Plans, the metric dictionary and the site configuration name languages by these
codes. The catalogues are read here, at the bottom of the package, because a
validation problem (`errors.Message`) is worded from them as much as a page is;
`views.catalogue` is how pages, charts and reports ask for their words.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import yaml

LOCALES = Path(__file__).resolve().parent / "locales"
DEFAULT_LANGUAGE = "zh"


@functools.cache
def languages() -> tuple[str, ...]:
    """The language codes that have a catalogue file, the default first."""
    found = sorted(p.stem for p in LOCALES.glob("*.yaml"))
    return (DEFAULT_LANGUAGE, *(code for code in found if code != DEFAULT_LANGUAGE))


@functools.cache
def language_names() -> dict[str, str]:
    """Each language's own name (中文, English), from its catalogue."""
    return {code: catalogue(code).name for code in languages()}


def match_language(value: object) -> str:
    """A configured language (`en`, `en_US`, `zh-CN`) as one of ours, else the default."""
    if isinstance(value, str):
        for code in languages():
            if value.lower().replace("-", "_").split("_")[0] == code:
                return code
    return DEFAULT_LANGUAGE


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


def problem_template(key: str, language: str) -> str:
    """A problem message's template (`{placeholders}`), English where `language` lacks it."""
    found = catalogue(language).problems.get(key)
    return found if found is not None else catalogue("en").problems[key]
