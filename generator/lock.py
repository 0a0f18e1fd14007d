"""One process at a time per build cache: `speechsite build`, `serve` and deploy's builds share
`.speechsite-cache/`, and two writing it at once corrupted it (one deleting the other's packs,
each overwriting the other's state). A second process stops at once with a clear message."""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from generator.errors import UserError

LOCK_NAME = "lock"


@contextmanager
def cache_lock(cache_dir: Path) -> Iterator[None]:
    """Hold the cache folder's lock (an advisory `flock`, released when the process ends, even
    when it is killed); raise a UserError naming the holder when another process has it."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    fd = os.open(cache_dir / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
            raise UserError(
                "another speechsite process"
                + (f" (pid {holder})" if holder.isdigit() else "")
                + " is building or serving this project",
                cache_dir,
                hint="wait for it to finish, or stop it (Ctrl-C in its terminal)",
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode("ascii"), 0)
        yield
    finally:
        os.close(fd)
