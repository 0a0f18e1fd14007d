"""The allocator tuning: after it, a large block comes from malloc's heap, not a fresh mapping
(whose pages would fault in again), and freeing it keeps the memory for the next one."""

from __future__ import annotations

import subprocess
import sys

import pytest

PROBE = """
import ctypes, sys
from generator.allocator import retain_freed_memory

class MallInfo2(ctypes.Structure):
    _fields_ = [(name, ctypes.c_size_t) for name in (
        "arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks",
        "fordblks", "keepcost")]

libc = ctypes.CDLL("libc.so.6")
libc.mallinfo2.restype = MallInfo2
libc.malloc.restype = ctypes.c_void_p
libc.free.argtypes = [ctypes.c_void_p]
if sys.argv[1] == "tuned":
    assert retain_freed_memory()
before = libc.mallinfo2().hblkhd
block = libc.malloc(8 << 20)
mapped = libc.mallinfo2().hblkhd - before
libc.free(block)
after = libc.mallinfo2()
print(mapped, after.arena)
"""


def _probe(mode: str) -> tuple[int, int]:
    out = subprocess.run(
        [sys.executable, "-c", PROBE, mode], capture_output=True, text=True, check=True
    ).stdout
    mapped, arena = out.split()
    return int(mapped), int(arena)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's malloc only")
def test_large_blocks_come_from_the_heap_and_stay() -> None:
    mapped, _ = _probe("default")
    assert mapped >= 8 << 20  # the default: its own mapping, unmapped on free
    mapped, arena = _probe("tuned")
    assert mapped == 0  # (what Python had mapped before is not counted)
    assert arena >= 8 << 20  # freed, and kept for the next allocation
