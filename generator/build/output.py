"""The output folder, changed safely: staging beside it, moving the changed files in with an undo,
the record of what the build wrote (MARKER), and the guard that refuses a folder speechsite did
not create.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator import __version__
from generator.build.result import BuildResult
from generator.errors import UserError
from generator.fsutil import atomic_write_bytes, presence
from generator.interrupts import signals_deferred

if TYPE_CHECKING:  # imported where needed: a no-change build never pays for them
    pass


MARKER = ".speechsite-build.json"


def guard_output(target: Path, root: Path, inputs: tuple[Path, ...] = ()) -> None:
    """Refuse to build into a folder speechsite did not create, over the project itself, or
    into a folder the build or ingest reads (`inputs`: an output inside content/raw/ was
    ingested back, its pages published as speeches)."""
    if target == root or root.is_relative_to(target):
        raise UserError(
            "the output folder would contain the project itself",
            target,
            hint="choose an output such as site/",
        )
    for folder in inputs:
        if target.is_relative_to(folder.resolve()):
            raise UserError(
                f"the output folder is inside {folder.name}/, which speechsite reads",
                target,
                hint="choose an output such as site/, beside content/ and themes/",
            )
    if target.exists() and not target.is_dir():
        raise UserError("the output path is a file, not a folder", target)
    if target.is_dir() and any(target.iterdir()) and not (target / MARKER).exists():
        raise UserError(
            f"refusing to replace a folder speechsite did not create (it has no {MARKER})",
            target,
            hint="empty it, or choose another --output; if speechsite built it, its record of"
            f" the files it wrote, {MARKER}, was deleted: empty the folder and build again",
        )


def read_marker(target: Path) -> dict[str, str]:
    """The previous build's files and their hashes."""
    marker = target / MARKER
    if not marker.exists():
        return {}
    try:
        data = json.loads(marker.read_text(encoding="utf-8"))
        files = data.get("files", {})
        return {str(k): str(v) for k, v in files.items()}
    except (ValueError, AttributeError):
        return {}


def staging_dir(target: Path, name: str = "") -> Path:
    """An empty folder beside `target` for this process's build (`name`: for one more).
    Folders a build left when it was killed (SIGKILL, a power cut) go first: their process
    is gone, and nothing else removes them."""
    _remove_orphaned_staging(target)
    staging = staging_path(target, name)
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    return staging


def staging_path(target: Path, name: str = "") -> Path:
    """Where staging_dir puts this process's folder (`name`: one more)."""
    return target.parent / f".{target.name}.staging-{os.getpid()}{'-' + name if name else ''}"


def _remove_orphaned_staging(target: Path) -> None:
    for folder in orphaned(target, "staging") + orphaned(target, "undo"):  # (Undo's too)
        shutil.rmtree(folder, ignore_errors=True)


def orphaned(target: Path, kind: str) -> list[str]:
    """The `kind` folders (staging, undo) beside `target` of processes that are gone."""
    if not target.parent.is_dir():
        return []
    prefix = f".{target.name}.{kind}-"
    return [
        entry.path
        for entry in os.scandir(target.parent)
        if entry.name.startswith(prefix)
        and (found := re.fullmatch(r"(\d+)(?:-.*)?", entry.name[len(prefix) :]))
        and not _alive(int(found.group(1)))
    ]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True  # (another user's process; a number no pid can be: leave it be)
    return True


Order = Callable[[str], Any]  # sort key of a staged file's name: the order files move in


# Told once a build's files are in the output: its record before, its record after, its result
Applied = Callable[[dict[str, str], dict[str, str], BuildResult], None]


def apply(
    staging: Path,
    target: Path,
    previous: dict[str, str],
    files: dict[str, str],
    result: BuildResult,
    order: Order | None = None,
    in_place: Callable[[], None] | None = None,
) -> dict[str, str]:
    """Move staged files into the output (by name, or in `order`); delete files of the previous
    build that are gone; call `in_place`; record `files`, and return the record (`files` in
    the record's order, which the next build passes as `previous`). `result.changed` lists
    what was moved or deleted. (Telling the preview's tabs before writing the record saves
    them its time; a record written late or never only makes the next build stage a few files
    again.)"""
    if not target.exists():
        # A first build: the staging folder becomes the output in one rename.
        with presence(staging) as made:  # (30,000 Paths and stats took 0.4 s)
            result.changed = sorted(filter(made, files))
        result.written = len(result.changed)
        record = _write_marker(staging, files)
        staging.rename(target)
        if in_place is not None:
            in_place()
        return record
    target.mkdir(parents=True, exist_ok=True)
    staged = sorted(_walk(staging), key=order)  # only what changed was staged
    stale = sorted(set(previous) - set(files))
    with signals_deferred():  # (the record too: a signal after the move and before it left
        # a record of the old build beside the new one, and pages stale for good)
        with Undo(target, previous) as undo:
            for name in staged:
                undo.replace(os.path.join(staging, name), name)
            removed = _remove_stale(target, stale, undo)
        record = _write_marker(target, files, previous)
    result.written = len(staged)
    result.unchanged = len(files) - len(staged)
    result.removed = len(removed)
    result.changed = staged + removed
    if in_place is not None:
        in_place()
    return record


class Undo:
    """The moves of staged files into the output, all or none: each file replaced or deleted
    is kept aside (a hard link, in a folder beside the output; a copy where the file system
    has no hard links) until every move is done, and put back if one fails. A failed move (a
    folder not writable, a full disk) left a site half of the old build and half of the new.
    The error names the output's file, not the staged copy. Should a file not go back, the
    folder aside stays (the error names it) and the record forgets the file, so the next
    build writes it again."""

    def __init__(self, target: Path, previous: dict[str, str]) -> None:
        self.target = target
        self.previous = previous
        self.aside = undo_path(target)
        self.done: list[tuple[str, bool]] = []  # (name, kept aside) in the order done
        # Folders known to be there, aside and in the output: one mkdir each, not one a file.
        # (Paths as strings: an edit early in a speech moves 2,500 of the index's files, and
        # pathlib's objects for them took a fifth of a second.)
        self.folders: set[str] = set()

    def __enter__(self) -> Undo:
        shutil.rmtree(self.aside, ignore_errors=True)
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, _: Any
    ) -> None:
        lost = self._put_back() if error is not None else []
        if not lost:
            shutil.rmtree(self.aside, ignore_errors=True)
            return
        _write_marker(self.target, {k: v for k, v in self.previous.items() if k not in lost})
        raise UserError(
            f"a file could not be moved into the output ({error}), nor could {len(lost)} of the "
            f"files it replaced be put back: they are kept in {self.aside}",
            self.target,
            hint="free the disk or fix the folder's permissions, then build again; the build "
            "writes those files anew",
        ) from error

    def replace(self, source: str, name: str) -> None:
        """Move `source` to the output's `name`, keeping the file it replaces."""
        destination = os.path.join(self.target, name)
        self._folder(os.path.dirname(destination))
        kept = self._keep(destination, name)
        try:
            os.replace(source, destination)
        except OSError as error:
            error.filename = destination
            raise
        self.done.append((name, kept))

    def delete(self, name: str) -> None:
        """Delete the output's `name`, keeping it aside."""
        os.replace(os.path.join(self.target, name), self._aside(name))
        self.done.append((name, True))

    def _folder(self, folder: str) -> None:
        if folder not in self.folders:
            os.makedirs(folder, exist_ok=True)
            self.folders.add(folder)

    def _aside(self, name: str) -> str:
        aside = os.path.join(self.aside, name)
        self._folder(os.path.dirname(aside))
        return aside

    def _keep(self, destination: str, name: str) -> bool:
        aside = self._aside(name)
        try:
            os.link(destination, aside)
        except FileNotFoundError:
            return False  # (a new file: nothing to keep)
        except OSError:  # (a file system without hard links)
            shutil.copy2(destination, aside)
        return True

    def _put_back(self) -> list[str]:
        """Undo every move done, as far as it goes; the names of files that would not go back."""
        lost: list[str] = []
        for name, kept in reversed(self.done):
            destination = self.target / name
            try:
                if kept:
                    destination.parent.mkdir(parents=True, exist_ok=True)  # (pruned when emptied)
                    os.replace(self.aside / name, destination)
                else:
                    destination.unlink(missing_ok=True)
            except OSError:
                lost.append(name)
        self.done = []
        return lost


def undo_path(target: Path) -> Path:
    """Where this process's Undo keeps files aside, beside the output."""
    return target.parent / f".{target.name}.undo-{os.getpid()}"


def _remove_stale(target: Path, names: list[str], undo: Undo) -> list[str]:
    """Delete these files of the previous build (only inside the output), then the folders
    they leave empty, each folder once: a new search index removes thousands of files from
    one folder, and checking that folder after each would read it thousands of times."""
    removed, folders = [], set()
    for name in names:
        stale = (target / name).resolve()
        if stale.is_relative_to(target) and stale.is_file():
            undo.delete(name)
            removed.append(name)
            folders.add(stale.parent)
    for folder in sorted(folders, key=lambda path: len(path.parts), reverse=True):
        if folder.is_dir():  # (gone if a deeper one's pruning reached it)
            _prune_empty_dirs(folder, target)
    return removed


def _walk(folder: Path) -> Iterator[str]:
    """Every file under `folder`, as a path relative to it with '/' separators."""
    for directory, _, names in os.walk(folder):
        relative = os.path.relpath(directory, folder)
        for name in names:
            yield name if relative == "." else f"{relative.replace(os.sep, '/')}/{name}"


def _write_marker(
    folder: Path, files: dict[str, str], before: dict[str, str] | None = None
) -> dict[str, str]:
    """Write the record of the output's files, by name; return it in that order. `before`, a
    record this function returned (or read_marker read: the file's order), is in that order
    already: while the names are the same, as after most edits, its order is taken instead of
    sorting 30,000 names (25 ms)."""
    if before is not None and before.keys() == files.keys():
        ordered = {name: files[name] for name in before}
    else:
        ordered = dict(sorted(files.items()))
    marker = {"generator": f"speechsite {__version__}", "files": ordered}
    text = json.dumps(marker, ensure_ascii=False, separators=(",\n", ":"))
    atomic_write_bytes(folder / MARKER, (text + "\n").encode())
    return ordered


def _prune_empty_dirs(directory: Path, root: Path) -> None:
    while directory != root and directory.is_relative_to(root) and not any(directory.iterdir()):
        directory.rmdir()
        directory = directory.parent
