"""Where a project's files come from: the work tree, or a git revision read from objects.

Loading goes through a `Source`, so that `mxt diff` and the change log read past
revisions straight from git (no checkout, the work tree untouched) with the
same code that reads the disk.
"""

from __future__ import annotations

import mmap
import os
import subprocess
import threading
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Protocol

from .errors import GitError

INPUT_PATHS = ("plans", "data", "mkdocs.yml")
MAP_FROM = 1 << 20  # files from this size are memory-mapped rather than read

Buffer = bytes | mmap.mmap  # read with slicing and `find` only, so either will do


class Source(Protocol):
    """Read-only access to a project's input files by POSIX relative path."""

    def files(self, folder: str) -> list[str]:
        """Every file below `folder` (sorted, hidden ones left out)."""
        ...

    def size(self, path: str) -> int | None:
        """Size in bytes, or None when the file does not exist."""
        ...

    def read(self, path: str) -> bytes:
        ...

    def buffer(self, path: str) -> Buffer:
        """The file's bytes for reading in place (a big file on disk is mapped, not copied)."""
        ...


@dataclass
class DiskSource:
    root: Path

    def files(self, folder: str) -> list[str]:
        base = self.root / folder
        if not base.is_dir():
            return []
        out: list[str] = []
        for dirpath, dirnames, filenames in os.walk(base):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            rel = Path(dirpath).relative_to(self.root)
            out.extend((rel / f).as_posix() for f in filenames if not f.startswith("."))
        return sorted(out)

    def size(self, path: str) -> int | None:
        target = self.root / path
        return target.stat().st_size if target.is_file() else None

    def read(self, path: str) -> bytes:
        return (self.root / path).read_bytes()

    def buffer(self, path: str) -> Buffer:
        with open(self.root / path, "rb") as f:
            if os.fstat(f.fileno()).st_size < MAP_FROM:
                return f.read()
            return mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)


def git(root: Path, *args: str, input: bytes | None = None) -> bytes:
    """Run git in `root`; raise GitError with git's own message on failure."""
    try:
        done = subprocess.run(["git", "-C", str(root), *args], input=input,
                              capture_output=True, check=False)
    except FileNotFoundError as e:
        raise GitError("git is not installed") from e
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(message[-1] if message else f"git {' '.join(args)} failed")
    return done.stdout


def resolve(root: Path, revision: str) -> str:
    """The commit id a revision names."""
    try:
        return git(root, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}"
                   ).decode().strip()
    except GitError:
        raise GitError(f"{revision!r} is not a commit in this repository") from None


@dataclass
class GitSource:
    """The input files of one commit, read from git objects in two batched calls."""

    root: Path
    commit: str
    prefix: str = ""  # the project's folder inside the repository
    _entries: dict[str, tuple[str, int]] = field(default_factory=dict)
    _blobs: dict[str, bytes] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        paths = [f"{self.prefix}{p}" for p in INPUT_PATHS]
        listing = git(self.root, "ls-tree", "-r", "-z", "--long", "--full-tree", self.commit,
                      "--", *paths)
        for record in listing.split(b"\0"):
            if not record:
                continue
            meta, path = record.split(b"\t", 1)
            _mode, kind, sha, size = meta.split()
            if kind != b"blob":
                continue
            name = path.decode("utf-8")[len(self.prefix):]
            self._entries[name] = (sha.decode(), int(size))

    def files(self, folder: str) -> list[str]:
        top = PurePosixPath(folder)
        return sorted(p for p in self._entries
                      if top in PurePosixPath(p).parents
                      and not any(part.startswith(".") for part in PurePosixPath(p).parts))

    def size(self, path: str) -> int | None:
        entry = self._entries.get(path)
        return None if entry is None else entry[1]

    def read(self, path: str) -> bytes:
        with self._lock:  # plans and metric files are read from two threads
            if path not in self._blobs:
                self._load_all()
        return self._blobs[path]

    def buffer(self, path: str) -> Buffer:
        return self.read(path)

    def _load_all(self) -> None:
        """Every blob of the commit's inputs in one `git cat-file --batch` call."""
        wanted = [p for p in self._entries if p not in self._blobs]
        request = "".join(f"{self._entries[p][0]}\n" for p in wanted).encode()
        out = git(self.root, "cat-file", "--batch", input=request)
        pos = 0
        for path in wanted:
            header_end = out.index(b"\n", pos)
            size = int(out[pos:header_end].split()[2])
            start = header_end + 1
            self._blobs[path] = out[start:start + size]
            pos = start + size + 1
