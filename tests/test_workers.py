"""Build workers leave Ctrl-C to the parent, so an interrupted build prints one message."""

from __future__ import annotations

import signal

from generator.workers import fork_pool


def _sigint_handler(_: int) -> object:
    return signal.getsignal(signal.SIGINT)


def test_forked_workers_ignore_ctrl_c() -> None:
    with fork_pool(1) as pool:
        assert list(pool.map(_sigint_handler, [0])) == [signal.SIG_IGN]
    assert signal.getsignal(signal.SIGINT) is not signal.SIG_IGN  # the parent still hears it
