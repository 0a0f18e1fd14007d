"""Forked worker processes for the build's parallel steps.

Ctrl-C in a terminal reaches every process of the foreground group, workers included: each
would print its own KeyboardInterrupt traceback. Workers ignore it instead, and the parent,
which gets it too, stops the build and reports it once.
"""

from __future__ import annotations

import gc
import multiprocessing
import signal
from concurrent.futures import ProcessPoolExecutor


def _ignore_interrupts() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    gc.enable()  # (forked from a step that paused the collector: each worker collects its own)


def fork_pool(workers: int) -> ProcessPoolExecutor:
    """A pool of forked workers (they inherit the parent's data) that ignore Ctrl-C."""
    return ProcessPoolExecutor(
        workers, mp_context=multiprocessing.get_context("fork"), initializer=_ignore_interrupts
    )
