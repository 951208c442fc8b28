"""Which languages the product speaks: one catalogue file each in `locales/`.

Plans, the metric dictionary and the site configuration name languages by
these codes; the words themselves are read by `views.catalogue`.
"""

from __future__ import annotations

import functools
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
    return {code: str(yaml.safe_load((LOCALES / f"{code}.yaml").read_text("utf-8"))["name"])
            for code in languages()}


def match_language(value: object) -> str:
    """A configured language (`en`, `en_US`, `zh-CN`) as one of ours, else the default."""
    if isinstance(value, str):
        for code in languages():
            if value.lower().replace("-", "_").split("_")[0] == code:
                return code
    return DEFAULT_LANGUAGE
