"""Forked worker processes for the build's parallel steps, and a forked child for a step the
preview server may cancel (run_forked).

Ctrl-C in a terminal reaches every process of the foreground group, workers included: each
would print its own KeyboardInterrupt traceback. Workers ignore it instead, and the parent,
which gets it too, stops the build and reports it once.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import os
import pickle
import select
import signal
import time
import traceback
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Generic, NoReturn, TypeVar, cast

if TYPE_CHECKING:  # imported where a pool is made: a build of a few speeches makes none, and
    # multiprocessing took 11 ms of its start
    from concurrent.futures import ProcessPoolExecutor


def _ignore_interrupts(parent: int) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    gc.enable()  # (forked from a step that paused the collector: each worker collects its own)
    die_with_parent(parent)


def _keep_freed_memory(parent: int) -> None:
    _ignore_interrupts(parent)
    keep_freed_memory()


def fork_pool(workers: int, keep_memory: bool = False) -> ProcessPoolExecutor:
    """A pool of forked workers (they inherit the parent's data) that ignore Ctrl-C and die
    with the process that made them; with `keep_memory`, workers that reuse what they free
    (keep_freed_memory)."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    return ProcessPoolExecutor(
        workers,
        mp_context=multiprocessing.get_context("fork"),
        initializer=_keep_freed_memory if keep_memory else _ignore_interrupts,
        initargs=(os.getpid(),),
    )


_PR_SET_PDEATHSIG = 1  # prctl's option (linux/prctl.h)


def die_with_parent(parent: int) -> None:
    """Have the system kill this forked process when `parent` ends, however it ends. A build
    killed with SIGKILL (the OOM killer, a CI's hard timeout) left its workers sleeping for
    ever, holding the project's lock (an inherited descriptor of it): every later build
    refused, naming a process that no longer existed. Where there is no prctl (not Linux),
    nothing changes."""
    try:
        prctl = ctypes.CDLL(None).prctl
    except (OSError, AttributeError):
        return
    prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # (it ended before the request was made)
        os._exit(1)


_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3  # glibc's mallopt parameters (malloc.h)


def keep_freed_memory() -> None:
    """Have glibc's malloc keep freed memory for the next allocation instead of returning it
    to the system: a worker that allocates large arrays task after task (the index merge:
    tens of megabytes a pass) otherwise maps them fresh each time, and the kernel zeroes every
    page on first touch. At 10,000 speeches the search step's system time went from 4.2 to
    2.5 s and its wall time from 5.8 to 4.7 s, for a peak 70 MiB higher (both workers hold
    their largest pass's memory until they exit). Elsewhere than glibc, nothing changes."""
    try:
        libc = ctypes.CDLL(None)
        mallopt = libc.mallopt
    except (OSError, AttributeError):
        return
    mallopt(_M_MMAP_THRESHOLD, 1 << 30)  # (the largest allowed: arrays come from the heap)
    mallopt(_M_TRIM_THRESHOLD, 1 << 30)  # (freed memory at the heap's top stays)


T = TypeVar("T")
R = TypeVar("R")


def in_shares(function: Callable[[list[T]], R], items: list[T], jobs: int, least: int) -> list[R]:
    """`function` of all `items` here, with one job or fewer than `least` items (forking the
    build's process costs tens of milliseconds); else of every `jobs`-th item in each of
    `jobs` forked workers, so that big and small items mix. One result a share."""
    if jobs <= 1 or len(items) < least:
        return [function(items)]
    with fork_pool(jobs) as pool:
        return list(pool.map(function, [items[i::jobs] for i in range(jobs)]))


POLL = 0.01  # seconds between checks of `cancelled` while a forked child works
KILL_WAIT = 10.0  # seconds at most for a killed child's processes to be gone


class ChildFailed(Exception):
    """A forked child ended without a result (killed by the system, or a bug there)."""


class Forked(Generic[T]):
    """`work()` running in a forked child, whose result `result` waits for — or gives up on as
    soon as `cancelled()` is true.

    The child leads a process group of its own, which holds the workers it forks in turn: a
    cancel kills the whole group at once. (Waiting for a long step to reach a point where it
    could stop would keep the caller waiting for up to a second.) A killed process runs no
    more code, but the system takes a while to tear a large one down: `reap` waits for that,
    and for the child and every worker to be gone — each holds the pipe's write end, so its
    end of file says so, even for workers this process cannot wait for. Only then may the
    caller remove what they wrote. `work`'s exception is raised by `result`; its result is
    pickled back through the pipe."""

    def __init__(self, work: Callable[[], T]) -> None:
        self._reader, writer = os.pipe()
        parent = os.getpid()
        self.pid = os.fork()
        if self.pid == 0:  # pragma: no cover (the child; coverage does not follow it)
            os.close(self._reader)
            _child(work, writer, parent)
        os.close(writer)
        with contextlib.suppress(OSError):  # here too: a cancel may come before the child runs
            os.setpgid(self.pid, self.pid)
        self._reaped = False
        self.cancelled = False  # result() gave up on it

    def result(self, cancelled: Callable[[], bool]) -> T | None:
        """The child's result, or None once `cancelled()`: the child is then killed, and
        `reap` is for the caller to call."""
        try:
            data = _receive(self._reader, cancelled)
        except BaseException:
            self.kill()
            self.reap()
            raise
        if data is None:
            self.cancelled = True
            self.kill()
            return None
        status = self.reap()
        if not data:
            raise ChildFailed(f"the child process ended without a result (status {status})")
        ok, value = pickle.loads(data)
        if ok:
            return cast(T, value)
        raise value

    def kill(self) -> None:
        """Kill the child and its workers (at once: SIGKILL to the group) — unless reaped
        already: its number may then be another process's."""
        if self._reaped:
            return
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.pid, signal.SIGKILL)
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(self.pid, signal.SIGKILL)  # had it not made its group yet

    def reap(self) -> int:
        """Wait until the child and all its workers are gone (KILL_WAIT at most for the
        workers); return the child's wait status."""
        if self._reaped:
            return 0
        self._reaped = True
        deadline = time.monotonic() + KILL_WAIT
        try:
            while (left := deadline - time.monotonic()) > 0:
                ready, _, _ = select.select([self._reader], [], [], left)
                if ready and not os.read(self._reader, 1 << 20):
                    break
        finally:
            os.close(self._reader)
        try:
            return os.waitpid(self.pid, 0)[1]
        except ChildProcessError:
            return 0


def run_forked(work: Callable[[], T], cancelled: Callable[[], bool]) -> T | None:
    """`work()` run in a forked child (`Forked`), or None as soon as `cancelled()` is true —
    returning once the child and its workers are gone."""
    child = Forked(work)
    value = child.result(cancelled)
    child.reap()
    return value


def _child(work: Callable[[], Any], writer: int, parent: int) -> NoReturn:  # pragma: no cover
    """Run `work` and write (ok, result or exception) to `writer`; never return (os._exit: no
    cleanup of the parent's objects, no buffered output flushed twice)."""
    code = 0
    try:
        with contextlib.suppress(OSError):  # (the parent makes the group too)
            os.setpgid(0, 0)
        die_with_parent(parent)
        gc.freeze()  # the inherited objects: collecting them would copy every page they are on
        gc.enable()
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is for the parent to handle
        try:
            payload = pickle.dumps((True, work()), protocol=5)
        except BaseException as exc:
            payload = _pickled_error(exc)
        with os.fdopen(writer, "wb") as out:
            out.write(payload)
    except BaseException:
        code = 1
    finally:
        os._exit(code)


def _pickled_error(exc: BaseException) -> bytes:
    try:
        payload = pickle.dumps((False, exc), protocol=5)
        pickle.loads(payload)  # an exception whose arguments do not survive the trip
        return payload
    except Exception:
        text = "".join(traceback.format_exception(exc)).rstrip()
        return pickle.dumps((False, ChildFailed(text)), protocol=5)


def _receive(reader: int, cancelled: Callable[[], bool]) -> bytes | None:
    """Everything the child writes, or None once `cancelled()` (checked every POLL seconds)."""
    chunks: list[bytes] = []
    while True:
        if cancelled():
            return None
        ready, _, _ = select.select([reader], [], [], POLL)
        if not ready:
            continue
        chunk = os.read(reader, 1 << 20)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
