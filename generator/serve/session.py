"""`speechsite serve` from start to Ctrl-C: bind, build, watch, serve, then stop everything.

Stopping (Ctrl-C or SIGTERM) stops the watcher first (no new batch), waits for a rebuild in
progress — whose search phase, if it is in it, gives way at once (its child process is killed,
its staging folder removed; the next build redoes it) — then closes the event streams and the
server: no thread, process or temporary folder is left behind. The first build runs in one
phase, so the site is complete, search index included, when serving starts.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType

from rich.console import Console
from rich.markup import escape

from generator.build import CACHE_DIR, Urls, guard_output, input_folders
from generator.config import CONFIG_NAME, Config, load_config
from generator.errors import UserError
from generator.lock import cache_lock
from generator.report import build_progress, print_build_result
from generator.serve.livereload import EventHub
from generator.serve.rebuild import Rebuilder
from generator.serve.server import PreviewServer, bind
from generator.serve.watch import Debouncer, watch

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000


def serve(
    root: Path,
    console: Console,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    output: Path | None = None,
    jobs: int | None = None,
    quiet: bool = False,
    stop: threading.Event | None = None,
) -> int:
    """Run until `stop` is set or Ctrl-C; returns the exit code."""
    config = load_config(root)
    target = (output or config.output).resolve()
    # Before anything is served: a folder the build may not write to (one speechsite did not
    # create, or the project's own parent) must not become the server's root either.
    guard_output(target, root.resolve(), input_folders(config))
    with cache_lock(root / CACHE_DIR):  # (a build or another serve meanwhile is refused)
        return _session(root, console, host, port, output, jobs, quiet, stop, config, target)


def _session(
    root: Path,
    console: Console,
    host: str,
    port: int,
    output: Path | None,
    jobs: int | None,
    quiet: bool,
    stop: threading.Event | None,
    config: Config,
    target: Path,
) -> int:
    urls = Urls(config.base_url)
    hub = EventHub()
    search_lock = threading.Lock()  # the search index's replacement, and the server's reads

    def log(text: str) -> None:
        console.print(text, highlight=False, soft_wrap=True)

    def busy(asked: int, got: int) -> None:
        log(f"port {asked} is in use; serving on the next free port, {got}, instead")

    try:
        server = bind(
            lambda p: PreviewServer(target, urls.base_path, host, p, hub, search_lock), port, busy
        )
    except OSError as err:  # (not a busy port: bind tries the next ones for that)
        raise UserError(
            f"cannot listen on {host}: {err.strerror or err}",
            hint="--host takes a name or address of this machine, such as 127.0.0.1 (the "
            "default) or localhost",
        ) from None
    rebuilder = Rebuilder(root, target, config.base_url, hub, log, jobs, search_lock)
    if output is None:
        rebuilder.configured_output = target
    debouncer = Debouncer(rebuilder)
    rebuilder.superseded = debouncer.pending
    content = root / "content"
    folders = [content, *input_folders(config)]  # (content/ covers those inside it)
    observer = watch(folders, [root / CONFIG_NAME], debouncer.add)  # (missing ones as they appear)
    try:
        with build_progress(console, quiet) as progress:
            first = rebuilder.run(set(), progress, announce=False, split=False)
        if first.build is not None and not quiet:
            print_build_result(console, first.build)
        debouncer.start()
        server.start()
        log(f"serving {escape(str(target))} at {server.url(host)} (Ctrl-C to stop)")
        log(f"watching {', '.join(escape(_rel(f, root)) for f in folders)} and {CONFIG_NAME}")
        with _interruptible():
            stopped = stop or threading.Event()
            # Woken four times a second: a Ctrl-C the kernel hands to another of the threads
            # (the rebuild's, the server's) does not interrupt a wait without a timeout, and the
            # main thread, which alone runs Python's handler, would sleep through it (serve then
            # stopped only at a second Ctrl-C, one run in eight of the test that rebuilds).
            while not stopped.wait(_WAKE_SECONDS):
                pass
    except KeyboardInterrupt:
        pass
    finally:
        with _shielded():
            observer.stop()
            observer.join()
            debouncer.stop()
            rebuilder.close()
            server.stop()
    log("stopped")
    return 0


_WAKE_SECONDS = 0.25


def _rel(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix() + "/"
    except ValueError:
        return str(path)


@contextmanager
def _shielded() -> Iterator[None]:
    """Ctrl-C (or SIGTERM) again while serve stops is ignored: stopping is what it asked for
    already, and a KeyboardInterrupt in the middle would leave the rebuild, the watcher or
    its staging folder behind (a rebuild in progress gives way at once, so this is short)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {s: signal.signal(s, signal.SIG_IGN) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


@contextmanager
def _interruptible() -> Iterator[None]:
    """SIGTERM stops the preview the way Ctrl-C does (only the main thread can set handlers)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    handler: Callable[[int, FrameType | None], None] = interrupt
    previous = signal.signal(signal.SIGTERM, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
