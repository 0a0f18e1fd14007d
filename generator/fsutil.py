"""Atomic file writes, so an interrupted run never leaves a half-written file behind; and
staging a build's changed files beside its output."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path


def atomic_write_bytes(
    path: Path, data: bytes | Sequence[bytes | memoryview], durable: bool = True
) -> None:
    """Write `data` (or its parts, one after another) to a temporary file beside `path`, then
    rename it over `path`.

    `durable=False` skips the fsync of each file, for batches that flush once at the end
    (`flush_to_disk`): the rename still makes every write all-or-nothing for readers and against
    an interrupted run; only the moment the bytes reach the disk moves to the end of the batch."""
    path.parent.mkdir(parents=True, exist_ok=True)
    # One predictable name per process (O_EXCL guards against a clash); cheaper than mkstemp's
    # random names in a folder of thousands of files.
    tmp = str(path.parent / f".{path.name}.{os.getpid()}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except FileExistsError:
        os.unlink(tmp)  # left by a crashed run of this very process id
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    try:
        with os.fdopen(fd, "wb") as handle:
            for part in [data] if isinstance(data, bytes | bytearray | memoryview) else data:
                handle.write(part)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def atomic_write_text(path: Path, text: str) -> None:
    """Write UTF-8 text with LF line endings atomically."""
    atomic_write_bytes(path, text.encode("utf-8"))


def flush_to_disk() -> None:
    """Flush every written file to disk once, after a batch of `durable=False` writes."""
    os.sync()


def stage(staging: Path, previous: dict[str, str], name: str, data: bytes) -> str:
    """Write `data` to `staging/name` unless the output already holds exactly these bytes
    under that name (`previous`: name → sha256 of the last build's files); return the sha256.
    A build stages only what changed, so unchanged files keep their mtime."""
    digest = hashlib.sha256(data).hexdigest()
    if previous.get(name) != digest:
        write_new(os.path.join(staging, name), data)
    return digest


_NEW_FILE = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0)


def write_new(path: str, data: bytes) -> None:
    """Write a file of a staging folder, making its folder only when the file cannot be made
    without it. A build writes tens of thousands: a mkdir before each (that failed, the folder
    being there, for all but the first file of a folder) and Python's buffered file (which
    asks the file whether it is a terminal) were a fifth of the kernel time of a cold build."""
    try:
        fd = os.open(path, _NEW_FILE, 0o644)
    except FileNotFoundError:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        fd = os.open(path, _NEW_FILE, 0o644)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
    finally:
        os.close(fd)


@contextmanager
def presence(folder: Path) -> Iterator[Callable[[str], bool]]:
    """A test of whether a path relative to `folder` exists, for checking thousands: one
    `access` call relative to an open descriptor of the folder, where `os.path.exists` stats
    the full path, resolving the folder again each time. 29,000 files of a site are checked in
    a third less time (52 ms, not 83, at 10,000 speeches)."""
    if os.access not in os.supports_dir_fd:
        yield lambda name: os.path.exists(os.path.join(folder, name))
        return
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        yield lambda name: False
        return
    try:
        yield lambda name: os.access(name, os.F_OK, dir_fd=fd)
    finally:
        os.close(fd)


def missing(folder: Path, names: Iterable[str]) -> set[str]:
    """Which of `names` (paths relative to `folder`, with / separators) are not there: each
    of their folders is listed once and set against them, for thousands of names in a few
    folders (a search index's 26,000 files: asking for each took a tenth of a second)."""
    wanted: dict[str, set[str]] = {}
    for name in names:
        parent, _, base = name.rpartition("/")
        wanted.setdefault(parent, set()).add(base)
    gone: set[str] = set()
    for parent, bases in wanted.items():
        try:
            listed = set(os.listdir(folder / parent))
        except OSError:
            listed = set()
        gone.update(f"{parent}/{base}" if parent else base for base in bases - listed)
    return gone
