"""Build workers leave Ctrl-C to the parent, so an interrupted build prints one message; a
forked child (serve's search phase) returns its result or error, and once cancelled and reaped
neither it nor its own workers run on."""

from __future__ import annotations

import os
import shutil
import signal
import time
from functools import partial
from pathlib import Path

import pytest

from generator.errors import UserError
from generator.workers import Forked, fork_pool, run_forked


def _sigint_handler(_: int) -> object:
    return signal.getsignal(signal.SIGINT)


def test_forked_workers_ignore_ctrl_c() -> None:
    with fork_pool(1) as pool:
        assert list(pool.map(_sigint_handler, [0])) == [signal.SIG_IGN]
    assert signal.getsignal(signal.SIGINT) is not signal.SIG_IGN  # the parent still hears it


def _answer() -> int:
    return 42


def _fail() -> int:
    raise UserError("no index today", "search/index.json", 3)


def _forever(folder: Path) -> int:
    """Forks a worker of its own, as the search merge does; both write files until killed."""
    with fork_pool(1) as pool:
        pool.submit(_write_forever, folder / "worker")
        _write_forever(folder / "child")
    return 0


def _write_forever(folder: Path) -> None:
    for number in range(10**9):  # (the folder made again each time: were it removed)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{number % 100}.txt").write_text(str(number))


def test_a_forked_child_returns_its_result_or_raises_its_error() -> None:
    assert run_forked(_answer, lambda: False) == 42
    with pytest.raises(UserError) as raised:
        run_forked(_fail, lambda: False)
    assert raised.value.message == "no index today" and raised.value.line == 3


def test_a_reaped_child_is_never_signalled_again(monkeypatch: pytest.MonkeyPatch) -> None:
    """Once its result is in, the child is reaped and its number free for another process:
    a kill then (a build's cleanup after its search step ended) must signal nobody."""
    child = Forked(lambda: 42)
    assert child.result(lambda: False) == 42
    signalled: list[int] = []
    monkeypatch.setattr(os, "killpg", lambda pid, sig: signalled.append(pid))
    monkeypatch.setattr(os, "kill", lambda pid, sig: signalled.append(pid))
    child.kill()
    child.reap()
    assert signalled == []


def test_a_cancelled_child_and_its_workers_are_gone_when_reaped(tmp_path: Path) -> None:
    """Nothing writes into the folder once `reap` returned, so the caller can remove it."""
    deadline = time.monotonic() + 10
    child = Forked(partial(_forever, tmp_path))

    def cancelled() -> bool:  # once both processes are writing (or after 10 s)
        writing = (tmp_path / "worker").is_dir() and (tmp_path / "child").is_dir()
        return writing or time.monotonic() > deadline

    assert child.result(cancelled) is None and child.cancelled
    child.reap()
    shutil.rmtree(tmp_path)
    time.sleep(0.2)
    assert not tmp_path.exists()  # nothing wrote there again
    with pytest.raises(ChildProcessError):
        os.waitpid(child.pid, os.WNOHANG)


def _resident_after_freeing(_: int) -> tuple[int, int]:
    """Resident bytes grown by a 256 MiB array while it lives, and still grown once freed
    (larger than any free memory the forked worker may already hold)."""
    import numpy as np

    def resident() -> int:
        with open("/proc/self/statm") as handle:
            return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")

    before = resident()
    array = np.ones(256 << 20, dtype=np.uint8)
    living = resident() - before
    del array
    return living, resident() - before


@pytest.mark.skipif(not os.path.exists("/proc/self/statm"), reason="glibc on Linux")
def test_workers_that_keep_memory_reuse_what_they_freed() -> None:
    with fork_pool(1, keep_memory=True) as pool:
        living, freed = next(pool.map(_resident_after_freeing, [0]))
    assert living >= 200 << 20 and freed >= living - (8 << 20)  # kept, for the next to reuse
    with fork_pool(1) as pool:  # (by default, glibc returns so large an array to the system)
        living, freed = next(pool.map(_resident_after_freeing, [0]))
    assert living >= 200 << 20 and freed < 8 << 20
    assert signal.getsignal(signal.SIGINT) is not signal.SIG_IGN


_ORPHAN_SCRIPT = """
import os, sys, time
from generator.workers import fork_pool
pool = fork_pool(2)
futures = [pool.submit(time.sleep, 0.2) for _ in range(4)]
for f in futures: f.result()
print(" ".join(str(p) for p in pool._processes), flush=True)
time.sleep(60)
"""


def test_workers_die_with_a_killed_build() -> None:
    """A build killed with SIGKILL (the OOM killer, a CI's hard timeout) left its workers
    sleeping, holding the project's lock: every later build refused."""
    import subprocess
    import sys

    process = subprocess.Popen(
        [sys.executable, "-c", _ORPHAN_SCRIPT], stdout=subprocess.PIPE, text=True
    )
    assert process.stdout is not None
    workers = [int(pid) for pid in process.stdout.readline().split()]
    assert len(workers) == 2
    process.kill()
    process.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(_alive(pid) for pid in workers):
        time.sleep(0.05)
    assert not any(_alive(pid) for pid in workers)


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split(") ")[1][0] != "Z"  # (a zombie waits for init to reap it)
    except (FileNotFoundError, IndexError):
        return False
