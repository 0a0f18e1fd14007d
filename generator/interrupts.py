"""Ctrl-C and SIGTERM held back while a step that must not stop halfway runs."""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

_HELD = (signal.SIGINT, signal.SIGTERM)


@contextmanager
def signals_deferred() -> Iterator[None]:
    """Run the block to its end even if Ctrl-C or SIGTERM comes meanwhile; then act on the
    signal as it would have been acted on (KeyboardInterrupt, for a command). A build's move
    of its files into the output stopped halfway left a site of two builds. Only the main
    thread can set handlers; elsewhere the block runs as it is."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[signal.Signals] = []

    def hold(signum: int, frame: FrameType | None) -> None:
        caught.append(signal.Signals(signum))

    previous = {held: signal.signal(held, hold) for held in _HELD}
    try:
        yield
    finally:
        for held, handler in previous.items():
            signal.signal(held, handler)
        if caught:
            _deliver(caught[0], previous[caught[0]])


def _deliver(signum: int, handler: signal.Handlers | object) -> None:
    if callable(handler):
        handler(signum, None)
    elif handler == signal.SIG_DFL:
        signal.raise_signal(signum)
