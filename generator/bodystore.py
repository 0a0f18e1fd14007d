"""Speech bodies' HTML, cached between builds in a few append-only pack files.

A build renders each changed speech's body once and its page later, possibly in another
process, and the next build reuses the bodies of unchanged speeches. One file per body meant
creating and reopening 10,000 files per cold build, and creating a file is the slow part of
writing on many disks; a pack file per worker process and build is created once and appended
to. A body's locator, `pack:offset:length`, is all a reader needs (`os.pread`, so processes
sharing an open file never disturb each other's position). Packs no cached speech uses are
deleted; a pack mostly dead has its live bodies copied into the current one.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

_WRITERS: dict[tuple[str, int], tuple[str, int]] = {}  # (folder, pid) → (pack name, fd)
_READERS: dict[tuple[str, int, str], int] = {}  # (folder, pid, pack) → fd


@dataclass
class BodyStore:
    folder: Path
    session: str = field(default_factory=lambda: f"{time.time_ns():x}")  # this build's packs

    def write(self, html: str) -> str:
        """Append a body to this process's pack for this build; return its locator."""
        return self.write_bytes(html.encode("utf-8"))

    def write_bytes(self, data: bytes) -> str:
        """Append bytes (a body, or a speech's search data) to this process's pack."""
        key = (str(self.folder), os.getpid())
        writer = _WRITERS.get(key)
        if writer is None or not writer[0].startswith(self.session):
            if writer is not None:
                os.close(writer[1])
            name = f"{self.session}-{os.getpid()}.pack"
            fd = os.open(self.folder / name, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
            writer = _WRITERS[key] = (name, fd)
        name, fd = writer
        offset = os.lseek(fd, 0, os.SEEK_END)
        os.write(fd, data)
        return f"{name}:{offset}:{len(data)}"

    def read(self, locator: str) -> str:
        return self.read_bytes(locator).decode("utf-8")

    def read_bytes(self, locator: str, start: int = 0, length: int | None = None) -> bytes:
        """What `locator` holds, or `length` bytes of it from `start`."""
        fd, offset, size = self.locate(locator)
        wanted = size - start if length is None else length
        return read_exactly(locator, fd, wanted, offset + start, self.folder)

    def locate(self, locator: str) -> tuple[int, int, int]:
        """(open file, offset, length) of what `locator` holds, for a reader of many parts of
        many locators (the index merge reads 32 of each speech's) to `os.pread` itself; the
        file stays open for this process, and for processes it forks."""
        name, offset, size = locator.rsplit(":", 2)
        key = (str(self.folder), os.getpid(), name)
        fd = _READERS.get(key)
        if fd is None:
            fd = _READERS[key] = os.open(self.folder / name, os.O_RDONLY)
        return fd, int(offset), int(size)

    def packs(self) -> set[str]:
        """Names of the pack files present."""
        return set(self.sizes())

    def sizes(self) -> dict[str, int]:
        """Each pack file's size, by name."""
        if not self.folder.is_dir():
            return {}
        return {
            entry.name: entry.stat().st_size
            for entry in os.scandir(self.folder)
            if entry.name.endswith(".pack")
        }

    def close(self) -> None:
        """Close this process's open packs (the data is written already: no buffering)."""
        for writer in [k for k in _WRITERS if k[0] == str(self.folder)]:
            os.close(_WRITERS.pop(writer)[1])
        for reader in [k for k in _READERS if k[0] == str(self.folder)]:
            os.close(_READERS.pop(reader))

    def collect(self, used: Iterable[str]) -> dict[str, str]:
        """Delete packs no locator in `used` points into; move the live bodies of packs that
        are mostly dead into this build's pack. Returns old locator → new for those moved."""
        live: dict[str, list[str]] = {}
        for locator in used:
            live.setdefault(locator.rsplit(":", 2)[0], []).append(locator)
        moved: dict[str, str] = {}
        for name, size in self.sizes().items():
            locators = live.get(name, [])
            if locators and name.startswith(self.session):
                continue
            if locators and sum(int(loc.rsplit(":", 1)[1]) for loc in locators) * 2 >= size:
                continue
            for locator in locators:
                moved[locator] = self.write_bytes(self.read_bytes(locator))
            self.close_reader(name)
            (self.folder / name).unlink(missing_ok=True)
        return moved

    def close_reader(self, name: str) -> None:
        fd = _READERS.pop((str(self.folder), os.getpid(), name), None)
        if fd is not None:
            os.close(fd)


def read_exactly(locator: str, fd: int, size: int, at: int, folder: Path | None = None) -> bytes:
    """`size` bytes at `at` of the pack `locator` is in (open as `fd`: BodyStore.locate); an
    error names the pack, in `folder` when given."""
    data = os.pread(fd, size, at)
    if len(data) != size:
        pack = locator.rsplit(":", 2)[0]
        raise OSError(f"body cache truncated: {folder / pack if folder else pack}")
    return data
