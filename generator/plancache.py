"""Per-plan rendering that is cached by content and runs on every core.

A plan's page, charts and PDF depend only on: the plan, its metric rows, the
metric dictionary, the as-of date, the language, the templates, its change
log, and the product's code. Their hash names a folder in
`.cache/mxt/build/`; a build renders only the plans whose hash is new, in
worker processes forked from the computed state (nothing is pickled but the
plan's index and the files that come back).
"""

from __future__ import annotations

import functools
import hashlib
import json
import multiprocessing
import os
import signal
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import __version__

Render = Callable[[int], dict[str, bytes]]

_WORK: Render | None = None  # set in the parent before forking; workers inherit it


def _die_with_parent(parent: int) -> None:
    """A render worker ends when the build that forked it ends, however it ends (killed
    included): Linux sends it SIGTERM then. Elsewhere the pool's own cleanup applies."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(1)


def _run(index: int) -> tuple[int, dict[str, bytes]]:
    assert _WORK is not None
    return index, _WORK(index)


@dataclass
class PlanCache:
    folder: Path

    def get(self, key: str) -> dict[str, bytes] | None:
        manifest = self.folder / key / "manifest.json"
        if not manifest.is_file():
            return None
        names = json.loads(manifest.read_text("utf-8"))
        try:
            return {name: (self.folder / key / f"{n:05d}").read_bytes()
                    for n, name in enumerate(names)}
        except FileNotFoundError:
            return None

    def put(self, key: str, files: dict[str, bytes]) -> None:
        target = self.folder / key
        temp = self.folder / f".{key}.{os.getpid()}.tmp"
        temp.mkdir(parents=True, exist_ok=True)
        names = sorted(files)
        for n, name in enumerate(names):
            (temp / f"{n:05d}").write_bytes(files[name])
        (temp / "manifest.json").write_text(json.dumps(names, ensure_ascii=False), "utf-8")
        if target.exists():
            import shutil

            shutil.rmtree(temp, ignore_errors=True)
            return
        os.replace(temp, target)


@functools.cache
def _code_digest() -> bytes:
    """The product's own code: a changed chart or page renderer invalidates the cache."""
    h = hashlib.sha256(__version__.encode())
    package = Path(__file__).resolve().parent
    for path in sorted(package.rglob("*.py")):
        h.update(path.relative_to(package).as_posix().encode())
        h.update(path.read_bytes())
    return h.digest()


def digest(*parts: Any) -> str:
    """A content hash of anything JSON-able or bytes, with the product's code."""
    h = hashlib.sha256(_code_digest())
    for part in parts:
        h.update(b"\x00")
        h.update(part if isinstance(part, bytes) else
                 json.dumps(part, ensure_ascii=False, sort_keys=True, default=str).encode())
    return h.hexdigest()[:32]


def render_all(keys: list[str], render: Render, cache: PlanCache | None,
               progress: Callable[[int, int], None], workers: int | None = None
               ) -> list[dict[str, bytes]]:
    """Every plan's files: from the cache where the key is known, else rendered in parallel."""
    global _WORK
    out: list[dict[str, bytes] | None] = [cache.get(k) if cache else None for k in keys]
    todo = [i for i, files in enumerate(out) if files is None]
    done = len(keys) - len(todo)
    progress(done, len(keys))
    workers = min(workers or os.cpu_count() or 1, len(todo))
    if workers > 1 and "fork" in multiprocessing.get_all_start_methods():
        _WORK = render
        pool = multiprocessing.get_context("fork").Pool(
            workers, initializer=_die_with_parent, initargs=(os.getpid(),))
        try:
            for i, files in pool.imap_unordered(_run, todo):
                out[i] = files
                if cache:
                    cache.put(keys[i], files)
                done += 1
                progress(done, len(keys))
        except BaseException:
            pool.terminate()  # an error or an interrupt: stop the other workers now
            raise
        finally:
            pool.close()
            pool.join()
            _WORK = None
    else:
        for i in todo:
            out[i] = render(i)
            if cache:
                cache.put(keys[i], out[i])  # type: ignore[arg-type]
            done += 1
            progress(done, len(keys))
    return [files or {} for files in out]
