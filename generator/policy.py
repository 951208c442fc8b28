"""Process-wide settings for speed and determinism, applied by the command line only.

Importing the library changes nothing global. A command that wants these
applies them around its work, scoped, and each is restored afterwards:

- NumPy's huge-page requests are off while a portfolio is loaded: the row
  engine allocates each large array once and reads it once or twice, and on
  Linux with transparent huge pages on `madvise` the page faults cost more than
  they save (assembling 10 million rows: 1.1 s → 0.5 s without).
- The cyclic garbage collector is paused while a portfolio is read and
  computed: loading makes millions of small objects and next to no cycles, so
  the collector would only walk them again and again (a third of the time at
  a thousand plans). Afterwards they are frozen, so later collections (charts
  make cycles) skip them; the next load lets the previous portfolio go.
- `SOURCE_DATE_EPOCH` defaults to the as-of date while MkDocs builds (the
  sitemap's dates), so two builds of the same inputs are byte-identical; a
  value the user set wins.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import os
from collections.abc import Iterator
from typing import Protocol


class Policy(Protocol):
    """What the recipe asks of its caller around two of its stages."""

    def loading(self) -> contextlib.AbstractContextManager[None]:
        """Around load → validate → compute."""

    def publishing(self, as_of: dt.date) -> contextlib.AbstractContextManager[None]:
        """Around the MkDocs build."""


class Library:
    """The library's own policy: change nothing global."""

    def loading(self) -> contextlib.AbstractContextManager[None]:
        return contextlib.nullcontext()

    def publishing(self, as_of: dt.date) -> contextlib.AbstractContextManager[None]:
        return contextlib.nullcontext()


class CommandLine:
    """The command line's policy: fast loads and reproducible sites, each restored after."""

    @contextlib.contextmanager
    def loading(self) -> Iterator[None]:
        with _huge_pages_off(), _collector_paused():
            yield

    @contextlib.contextmanager
    def publishing(self, as_of: dt.date) -> Iterator[None]:
        if os.environ.get("SOURCE_DATE_EPOCH"):
            yield
            return
        # the sitemap's gzip header holds an unsigned 32-bit time: 1970 to 2106
        epoch = min(max(int(dt.datetime(as_of.year, as_of.month, as_of.day, tzinfo=dt.UTC)
                            .timestamp()), 0), 2**32 - 1)
        os.environ["SOURCE_DATE_EPOCH"] = str(epoch)
        try:
            yield
        finally:
            os.environ.pop("SOURCE_DATE_EPOCH", None)


@contextlib.contextmanager
def _huge_pages_off() -> Iterator[None]:
    """No transparent huge pages for NumPy's allocations (a documented NumPy switch)."""
    from numpy._core.multiarray import _set_madvise_hugepage  # type: ignore[attr-defined]

    if os.environ.get("NUMPY_MADVISE_HUGEPAGE"):  # the user's own setting wins
        yield
        return
    previous = _set_madvise_hugepage(False)
    try:
        yield
    finally:
        _set_madvise_hugepage(previous)


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    enabled = gc.isenabled()
    if gc.get_freeze_count():  # a previous portfolio (`mxt serve`, history, diff): let it go
        gc.unfreeze()
        gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


LIBRARY: Policy = Library()
