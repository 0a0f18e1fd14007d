"""Watch the project's inputs and turn bursts of file events into one rebuild at a time.

An editor's save is often several events (write a temporary file, rename it over the original);
a `git checkout` is hundreds. The debouncer collects changed paths until none has arrived for
`quiet` seconds (or `longest` seconds have passed since the first), then hands the whole batch
to one worker thread. Changes that arrive during a rebuild wait for the next batch, so two
builds never run at once; the rebuild's last, longest step (the search index) asks `pending`
and gives way to them.
"""

from __future__ import annotations

import threading
import time
import traceback
from collections.abc import Callable, Iterable
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver

Batch = Callable[[set[Path]], None]
EDITOR_DEBRIS = ("~", ".swp", ".swx", ".tmp", ".part", ".crdownload")


class Debouncer:
    """Collects paths from any thread; runs `action(batch)` on its own thread, one at a time."""

    def __init__(self, action: Batch, quiet: float = 0.03, longest: float = 1.0) -> None:
        self._action = action
        self._quiet = quiet
        self._longest = longest
        self._condition = threading.Condition()
        self._pending: set[Path] = set()
        self._first = 0.0
        self._last = 0.0
        self._stopped = False
        self._thread = threading.Thread(target=self._run, name="rebuild", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def add(self, paths: Iterable[Path]) -> None:
        with self._condition:
            now = time.monotonic()
            if not self._pending:
                self._first = now
            self._pending.update(paths)
            self._last = now
            self._condition.notify_all()

    def pending(self) -> bool:
        """Whether a newer batch is waiting, or no batch will run any more: what a long step of
        the running one (the search index) checks, to give way at once."""
        with self._condition:
            return self._stopped or bool(self._pending)

    def stop(self) -> None:
        """No new batch starts; waits for a running one to finish."""
        with self._condition:
            self._stopped = True
            self._condition.notify_all()
        if self._thread.is_alive():
            self._thread.join()

    def _next_batch(self) -> set[Path] | None:
        with self._condition:
            while True:
                if self._stopped:
                    return None
                if not self._pending:
                    self._condition.wait()
                    continue
                now = time.monotonic()
                due = min(self._last + self._quiet, self._first + self._longest)
                if now >= due:
                    batch, self._pending = self._pending, set()
                    return batch
                self._condition.wait(due - now)

    def _run(self) -> None:
        while (batch := self._next_batch()) is not None:
            try:
                self._action(batch)
            except Exception:  # a bug in one rebuild must not end every later one
                traceback.print_exc()


class _Forward(FileSystemEventHandler):
    def __init__(
        self,
        accept: Callable[[Path], bool],
        sink: Callable[[list[Path]], None],
        appeared: Callable[[Path], None] = lambda path: None,
    ) -> None:
        self._accept = accept
        self._sink = sink
        self._appeared = appeared

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed_no_write"):
            return  # reading a file changes nothing
        if event.is_directory and event.event_type in ("created", "moved"):
            name = event.dest_path if event.event_type == "moved" else event.src_path
            self._appeared(Path(name if isinstance(name, str) else name.decode()))
        if event.is_directory and event.event_type in ("modified", "created", "closed"):
            return  # a folder's own timestamp; the files in it report themselves
        paths = [event.src_path, getattr(event, "dest_path", "") or ""]
        found = [Path(p if isinstance(p, str) else p.decode()) for p in paths if p]
        wanted = [p for p in found if self._accept(p)]
        if wanted:
            self._sink(wanted)


def is_debris(path: Path) -> bool:
    """Editors' and tools' temporary files: hidden names, backups, swap and partial files."""
    name = path.name
    return name.startswith((".", "#")) or name.endswith(EDITOR_DEBRIS) or name.isdigit()


def watch(
    folders: list[Path], files: list[Path], sink: Callable[[list[Path]], None]
) -> BaseObserver:
    """A started watchdog observer: `folders` recursively, `files` by name in their folder."""
    wanted_files = {f.resolve() for f in files}
    resolved = {f.resolve() for f in folders}
    # A folder inside another watched folder is covered by it (content/raw/ by content/).
    roots = sorted(r for r in resolved if not any(r != o and r.is_relative_to(o) for o in resolved))

    def accept(path: Path) -> bool:
        if is_debris(path):
            return False
        if path.resolve() in wanted_files:
            return True
        return any(
            path.is_relative_to(root)
            and not any(part.startswith(".") for part in path.relative_to(root).parts)
            for root in roots
        )

    observer = Observer()
    # A folder not there yet (a new project's themes/) is watched from its parent until it
    # appears, and from then on as the others: serve said it watched themes/, and never saw
    # a theme made after it started.
    missing = {root for root in roots if not root.is_dir()}
    lock = threading.Lock()
    parents = {f.parent for f in wanted_files} | {_existing(root.parent) for root in missing}

    def appeared(path: Path) -> None:
        """A folder made: a missing root that is it (or now is inside it) is watched from now
        on; one still missing deeper down (content/ made, content/speeches/ not yet) is watched
        for from the nearest folder there is, which before was only the project's."""
        path = path.resolve()
        with lock:
            for root in sorted(r for r in missing if r.is_relative_to(path)):
                if root.is_dir():
                    missing.discard(root)
                    observer.schedule(handler, str(root), recursive=True)
                    sink([root])  # (what was written into it before the watch began)
                elif (nearest := _existing(root.parent)) not in parents:
                    parents.add(nearest)
                    observer.schedule(handler, str(nearest), recursive=False)

    handler = _Forward(accept, sink, appeared)
    for root in roots:
        if root.is_dir():
            observer.schedule(handler, str(root), recursive=True)
    for parent in sorted(parents - set(roots)):
        observer.schedule(handler, str(parent), recursive=False)
    observer.start()
    return observer


def _existing(folder: Path) -> Path:
    while not folder.is_dir() and folder != folder.parent:
        folder = folder.parent
    return folder
