"""Where a project's files come from: the work tree, or a git revision read from objects.

Loading goes through a `Source`, so that `mxt diff` and the change log read past
revisions straight from git (no checkout, the work tree untouched) with the
same code that reads the disk.
"""

from __future__ import annotations

import datetime as dt
import mmap
import os
import subprocess
import threading
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Protocol

from .errors import GitError, InputError, Message, Problem, say

INPUT_PATHS = ("plans", "data", "mkdocs.yml", "people.yaml")
REVISION_PATHS = ("plans", "data")  # what `--rev` reads from git; the site's settings stay
MAP_FROM = 1 << 20  # files from this size are memory-mapped rather than read

Buffer = bytes | mmap.mmap  # read with slicing and `find` only, so either will do


class Source(Protocol):
    """Read-only access to a project's input files by POSIX relative path.

    Only files inside the project are ever read: a symbolic link that leads
    out of it (or any link stored in a git revision) is refused, and named by
    `refused()`, so that a pull request cannot publish a file of the machine
    that builds it.
    """

    def files(self, folder: str) -> list[str]:
        """Every file below `folder` (sorted, hidden ones and refused ones left out)."""
        ...

    def refused(self) -> list[Problem]:
        """The files met so far that were refused, each as a located problem."""
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
    """The project's files in the work tree; links that lead outside it are refused."""

    root: Path
    _refused: dict[str, Problem] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.root = Path(self.root)
        self._real_root = self.root.resolve()

    def inside(self, path: str) -> bool:
        """Whether the file (after every link) is in the project; records it when not."""
        target = self.root / path
        try:
            real = target.resolve(strict=True)
        except (OSError, RuntimeError):  # a dangling or looping link
            real = None
        if real is not None and real.is_relative_to(self._real_root):
            return True
        if target.is_symlink() or real is not None:
            self._refused[path] = Problem(path, None, None, "", say("link_outside"))
        return False

    def files(self, folder: str) -> list[str]:
        base = self.root / folder
        if not base.exists() and not base.is_symlink():
            return []
        if not self.inside(folder) or not base.is_dir():
            return []
        out: list[str] = []
        for dirpath, dirnames, filenames in os.walk(base):
            rel = Path(dirpath).relative_to(self.root)
            for d in sorted(dirnames):
                if not d.startswith(".") and (self.root / rel / d).is_symlink():
                    self.inside((rel / d).as_posix())  # a linked folder is not walked
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            out.extend(name for name in ((rel / f).as_posix() for f in filenames
                                         if not f.startswith("."))
                       if self.inside(name))
        return sorted(out)

    def refused(self) -> list[Problem]:
        return sorted(self._refused.values(), key=lambda p: p.file)

    def size(self, path: str) -> int | None:
        target = self.root / path
        if not (target.exists() or target.is_symlink()) or not self.inside(path):
            return None
        return target.stat().st_size if target.is_file() else None

    def read(self, path: str) -> bytes:
        self._check(path)
        return (self.root / path).read_bytes()

    def _check(self, path: str) -> None:
        if not self.inside(path):
            raise InputError([self._refused[path]])

    def buffer(self, path: str) -> Buffer:
        self._check(path)
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
        raise GitError(say("git_missing")) from e
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
        raise GitError(say("not_a_commit", revision=revision)) from None


@dataclass
class GitSource:
    """The input files of one commit, read from git objects in two batched calls."""

    root: Path
    commit: str
    prefix: str = ""  # the project's folder inside the repository
    paths: tuple[str, ...] = INPUT_PATHS  # the project's files and folders to read
    _entries: dict[str, tuple[str, int]] = field(default_factory=dict)
    _links: list[str] = field(default_factory=list)
    _blobs: dict[str, bytes] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        paths = [f"{self.prefix}{p}" for p in self.paths]
        listing = git(self.root, "ls-tree", "-r", "-z", "--long", "--full-tree", self.commit,
                      "--", *paths)
        for record in listing.split(b"\0"):
            if not record:
                continue
            meta, path = record.split(b"\t", 1)
            mode, kind, sha, size = meta.split()
            if kind != b"blob":
                continue
            name = path.decode("utf-8")[len(self.prefix):]
            if mode == b"120000":  # a symbolic link stored in the revision: never followed
                self._links.append(name)
                continue
            self._entries[name] = (sha.decode(), int(size))

    def files(self, folder: str) -> list[str]:
        top = PurePosixPath(folder)
        return sorted(p for p in self._entries
                      if top in PurePosixPath(p).parents
                      and not any(part.startswith(".") for part in PurePosixPath(p).parts))

    def refused(self) -> list[Problem]:
        return [Problem(p, None, None, "", say("link_in_revision"))
                for p in sorted(self._links)]

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


def project_prefix(root: Path, why: Message) -> str:
    """The project folder's path inside its git repository ('' at the top).

    `why` says what needed git, for the message when the folder is in no repository.
    """
    try:
        return git(root, "rev-parse", "--show-prefix").decode().strip()
    except GitError as e:
        raise GitError(say("not_in_repository", why=why, git=e.message),
                       file=str(root)) from e


@dataclass
class RevisionSource:
    """`--rev`: plans and data from a commit's objects, every other file from the work tree.

    The site's settings (`mkdocs.yml`: its language, its name) stay the work tree's, as do
    the templates and `docs/`, which are never read through a source.
    """

    revision: GitSource
    work_tree: DiskSource

    @property
    def commit(self) -> str:
        return self.revision.commit

    def _of(self, path: str) -> Source:
        return self.revision if PurePosixPath(path).parts[0] in REVISION_PATHS else self.work_tree

    def files(self, folder: str) -> list[str]:
        return self._of(folder).files(folder)

    def refused(self) -> list[Problem]:
        return sorted([*self.revision.refused(), *self.work_tree.refused()], key=lambda p: p.file)

    def size(self, path: str) -> int | None:
        return self._of(path).size(path)

    def read(self, path: str) -> bytes:
        return self._of(path).read(path)

    def buffer(self, path: str) -> Buffer:
        return self._of(path).buffer(path)


def at_revision(root: Path, revision: str) -> RevisionSource:
    """The project's plans and data as they are in `revision` (read from git objects)."""
    if not Path(root).is_dir():
        raise InputError([Problem(str(root), None, None, "", say("project_missing"))])
    root = Path(root).resolve()  # messages name the folder whatever the working directory
    prefix = project_prefix(root, say("why_rev"))
    commit = resolve(root, revision)
    if prefix and not git(root, "ls-tree", "--full-tree", commit, "--", prefix.rstrip("/")):
        raise GitError(say("project_not_in_revision", folder=prefix.rstrip("/"),
                           revision=revision, commit=commit[:12]), file=str(root))
    return RevisionSource(GitSource(root, commit, prefix, REVISION_PATHS), DiskSource(root))


def first_parent_days(root: Path, head: str = "HEAD") -> list[tuple[str, dt.date]]:
    """(commit, committer day in the committer's zone) of `head`'s first-parent history,
    newest first; one pass in Python, as git's own date filter reads no year after 2099."""
    out = git(root, "log", "--first-parent", "--format=%H %cI", head, "--").decode().split()
    return [(sha, dt.datetime.fromisoformat(when).date())
            for sha, when in zip(out[::2], out[1::2], strict=True)]


def last_commit_on(root: Path, day: dt.date) -> str:
    """The newest commit of HEAD's first-parent history dated `day` or earlier.

    The committer date counts, in the committer's own time zone (as `git log` shows it):
    the commit a site built on every push to the branch was built from at the end of `day`.
    """
    if not Path(root).is_dir():
        raise InputError([Problem(str(root), None, None, "", say("project_missing"))])
    root = Path(root).resolve()
    project_prefix(root, say("why_published"))
    resolve(root, "HEAD")
    commits = first_parent_days(root)
    for sha, date in commits:
        if date <= day:
            return sha
    shallow = git(root, "rev-parse", "--is-shallow-repository").decode().strip() == "true"
    raise GitError(say("no_commit_dated_shallow" if shallow else "no_commit_dated", day=day,
                       first=commits[-1][1]), file=str(root))
