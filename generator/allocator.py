"""Keep freed memory in the process for a one-shot build, instead of handing it back.

By default glibc's malloc serves each allocation over 128 KiB (the threshold grows, up to
32 MiB, with what is freed) from a fresh mapping, and returns the top of its heap to the
system once 128 KiB of it is free. The build allocates and frees numpy arrays of that size by
the hundred thousand, in its load and index workers, so each one's pages were faulted in
afresh — and a page fault on a virtual machine costs about 10 microseconds. A cold build of
10,000 speeches took 690,000 of them, 5 of its 17 seconds of kernel time.

Raising both thresholds makes freed blocks serve the next allocations from pages already
mapped. Peak memory hardly moves: what is kept is reused, not added to. Only commands that
end when their build does call this; the long-lived preview server keeps the defaults.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import sys

M_TRIM_THRESHOLD = -1  # mallopt parameters (glibc's malloc.h)
M_MMAP_THRESHOLD = -3
MMAP_THRESHOLD = 32 << 20  # glibc's upper limit; numpy maps larger arrays with huge pages
TRIM_THRESHOLD = 256 << 20


def retain_freed_memory() -> bool:
    """Raise glibc's mmap and trim thresholds; False where the C library is not glibc."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        mallopt = libc.mallopt
    except (OSError, AttributeError):  # musl and others: no mallopt, nothing to tune
        return False
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    mallopt.restype = ctypes.c_int
    return bool(mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD)) and bool(
        mallopt(M_TRIM_THRESHOLD, TRIM_THRESHOLD)
    )
