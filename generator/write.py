"""The only writer: a {relative path: bytes} mapping into a fresh folder, swapped in whole.

A build writes into a temporary sibling of its target and renames it into
place only when everything succeeded, so a failed or killed build leaves the
previous output untouched.

Nothing is written where it could destroy work: a folder the product replaces
is never the project, `.git`, an input folder or one holding an input, and it
must be new, empty, or made by the product (it carries a marker file); a file
is never written over or among the project's inputs. Staging folders left by a
killed build are swept by the next one.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import time
from collections.abc import Iterator, Mapping
from pathlib import Path, PurePosixPath

from .errors import EnvironmentProblem

MARKER = ".mxt-output"  # in every folder the product made, so it may replace it later
INPUTS = (".git", "plans", "data", "docs", "site_templates", "mkdocs.yml")
STALE_AFTER = 24 * 3600  # seconds: a staging folder this old is removed whoever made it


def check_replaceable(target: Path, root: Path, *, default: bool = False) -> None:
    """Refuse to replace the project, an input, a folder holding one, or someone's folder."""
    target, root = Path(target).resolve(), Path(root).resolve()
    inputs = [root / name for name in INPUTS]
    if root.is_relative_to(target) or any(target.is_relative_to(p) for p in inputs):
        raise EnvironmentProblem("is the project, an input folder or a folder holding one: "
                                 "refused (choose a new folder for the output)", file=str(target))
    if target.exists() and not target.is_dir():
        raise EnvironmentProblem("is a file, not a folder: refused", file=str(target))
    if (target.is_dir() and not default and not (target / MARKER).exists()
            and any(target.iterdir())):
        raise EnvironmentProblem("is a folder mxt did not make and it is not empty: refused "
                                 "(choose a new or empty folder)", file=str(target))


def check_writable_file(target: Path, root: Path) -> None:
    """Refuse to write a file over or among the project's inputs."""
    target, root = Path(target).resolve(), Path(root).resolve()
    for name in INPUTS:
        if target == root / name or target.is_relative_to(root / name):
            raise EnvironmentProblem(f"is inside the project's inputs ({name}): refused "
                                     "(write the file somewhere else)", file=str(target))


def _safe_relative(name: str) -> PurePosixPath:
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise ValueError(f"refusing to write outside the output folder: {name!r}")
    return path


def write_tree(folder: Path, files: Mapping[str, bytes]) -> None:
    """Write every file of the mapping below `folder` (sorted, for deterministic order)."""
    for name in sorted(files):
        target = folder.joinpath(*_safe_relative(name).parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(files[name])


@contextlib.contextmanager
def staging(target: Path, root: Path, *, default: bool = False) -> Iterator[Path]:
    """A temporary folder beside `target`, swapped in for it when the block succeeds."""
    check_replaceable(target, root, default=default)
    target = Path(target).resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    sweep(target)
    temp = Path(tempfile.mkdtemp(prefix=f".{target.name}.new-", dir=target.parent))
    try:
        (temp / MARKER).write_text(f"made by mxt (process {os.getpid()}); the next build "
                                   "replaces this folder whole\n", "utf-8")
        yield temp
    except BaseException:
        shutil.rmtree(temp, ignore_errors=True)
        raise
    swap_in(temp, target)


def sweep(target: Path) -> None:
    """Remove what killed builds left beside `target`: old trees being deleted, and staging
    folders whose build process is gone (a build running beside this one keeps its own)."""
    for left in target.parent.glob(f".{target.name}.old-*"):
        shutil.rmtree(left, ignore_errors=True)
    for left in target.parent.glob(f".{target.name}.new-*"):
        with contextlib.suppress(OSError):
            if left.is_dir() and _abandoned(left):
                shutil.rmtree(left, ignore_errors=True)


def _abandoned(folder: Path) -> bool:
    """The process that made a staging folder is gone (or the folder is a day old)."""
    if time.time() - folder.stat().st_mtime > STALE_AFTER:
        return True
    try:
        text = (folder / MARKER).read_text("utf-8")
        pid = int(text.split("(process ", 1)[1].split(")", 1)[0])
    except (OSError, IndexError, ValueError):
        return time.time() - folder.stat().st_mtime > 60  # not yet marked: a build starting
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def swap_in(new: Path, target: Path) -> None:
    """Replace `target` by `new` with renames: the old tree is never half-replaced."""
    old = None
    if target.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent))
        os.rmdir(old)
        os.replace(target, old)
    os.replace(new, target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def write_file(target: Path, data: bytes, root: Path) -> None:
    """Write one output file whole, never over or among the project's inputs."""
    check_writable_file(target, root)
    replace_file(Path(target), data)


def replace_file(target: Path, data: bytes) -> None:
    """Write a file whole: a temporary sibling renamed over the target, so a reader sees
    the old bytes or the new ones, never a part. The one writer of single files: outputs
    (`write_file`), and the inputs mxt makes on request (`mxt init`, `mxt import`,
    `mxt pull`)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(temp, 0o666 & ~_umask())  # mkstemp makes 0600; give the usual mode
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)
        raise


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current
