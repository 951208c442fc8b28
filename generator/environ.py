"""`${NAME}` in settings: a secret is named in a file and read from the environment.

A source URL of the metric dictionary (`mxt pull`) and a channel or contact of `mxt.yaml`
and `people.yaml` (`mxt notify`) keep credentials out of git this way. A name the
environment leaves unset, or sets empty, is missing: callers say which with `unset`
before they `expand`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

REFERENCE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")


def unset(text: str, environ: Mapping[str, str]) -> list[str]:
    """The names of `text`'s `${NAME}`s the environment leaves unset or empty, in the
    order they are first written."""
    return [name for name in dict.fromkeys(REFERENCE.findall(text)) if not environ.get(name)]


def expand(text: str, environ: Mapping[str, str]) -> str:
    """`text` with every `${NAME}` read from the environment (an unset one as nothing:
    check `unset` first)."""
    return REFERENCE.sub(lambda m: environ.get(m.group(1), ""), text)


def secrets(text: str, environ: Mapping[str, str]) -> list[str]:
    """The values `text`'s `${NAME}`s stand for, longest first: what no message may show,
    whatever a driver or a service says back."""
    return sorted({environ[n] for n in REFERENCE.findall(text) if environ.get(n)},
                  key=len, reverse=True)
