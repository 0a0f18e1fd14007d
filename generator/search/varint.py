"""LEB128 varints, encoded for whole arrays at once (numpy) and decoded for tests.

Postings are small integers (gaps between documents and positions, counts), so seven bits a
byte keeps the index small, and the browser decodes them in a tight loop (search.js, readVarint).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

_LIMITS = [np.uint64(1 << shift) for shift in (7, 14, 21, 28)]


def sizes(values: npt.NDArray[np.uint64]) -> npt.NDArray[np.int64]:
    """Bytes each value takes: counted in one byte each, and only up to the largest value's
    size (most of an index's values take one or two): a third of the time it took."""
    size = np.ones(len(values), dtype=np.uint8)
    top = values.max() if len(values) else np.uint64(0)
    for limit in _LIMITS:
        if top < limit:
            break
        size += (values >= limit).view(np.uint8)
    return size.astype(np.int64)


CHUNK = 1 << 20  # values encoded at a time, which bounds the temporary arrays


def encode(values: npt.NDArray[np.uint64]) -> tuple[bytes, npt.NDArray[np.int64]]:
    """All values' varints back to back, and each value's size in bytes."""
    parts: list[bytes] = []
    all_sizes: list[npt.NDArray[np.int64]] = []
    for start in range(0, len(values), CHUNK):
        data, size = _encode_chunk(values[start : start + CHUNK].astype(np.uint64, copy=False))
        parts.append(data)
        all_sizes.append(size)
    if not parts:
        return b"", np.zeros(0, dtype=np.int64)
    return b"".join(parts), np.concatenate(all_sizes)


def _encode_chunk(values: npt.NDArray[np.uint64]) -> tuple[bytes, npt.NDArray[np.int64]]:
    """Every value's low seven bits go to its first byte; then, byte by byte, only the values
    still going on (`live`) are shifted and placed — all in uint8, where most of the work is."""
    size = sizes(values)
    ends = np.cumsum(size)
    starts = ends - size
    out = np.empty(int(ends[-1]) if len(ends) else 0, dtype=np.uint8)
    more = size > 1
    first = values.astype(np.uint8) & np.uint8(0x7F)
    first |= more.view(np.uint8) << np.uint8(7)
    out[starts] = first
    live = np.flatnonzero(more)
    byte = 1
    while len(live):
        part = (values[live] >> np.uint64(7 * byte)).astype(np.uint8) & np.uint8(0x7F)
        further = size[live] > byte + 1
        part |= further.view(np.uint8) << np.uint8(7)
        out[starts[live] + byte] = part
        live = live[further]
        byte += 1
    return out.tobytes(), size


_SMALL = [bytes((value,)) for value in range(0x80)]  # most values an index holds are small


def encode_one(value: int) -> bytes:
    if value < 0x80:
        return _SMALL[value]
    out = bytearray()
    while True:
        low = value & 0x7F
        value >>= 7
        if value:
            out.append(low | 0x80)
        else:
            out.append(low)
            return bytes(out)


def encode_list(values: list[int]) -> bytes:
    """Varints of a short list, without numpy's per-call cost (an index update encodes the
    lists of thousands of rare keys, a few values each)."""
    return b"".join([_SMALL[v] if v < 0x80 else encode_one(v) for v in values])


def decode(data: bytes, offset: int = 0, count: int | None = None) -> tuple[list[int], int]:
    """Decode `count` varints (all, when None) from `offset`; return them and the end offset."""
    values: list[int] = []
    end = len(data)
    while offset < end and (count is None or len(values) < count):
        byte = data[offset]
        offset += 1
        if byte < 0x80:  # the common case: one byte
            values.append(byte)
            continue
        value, shift = byte & 0x7F, 7
        while True:
            byte = data[offset]
            offset += 1
            value |= (byte & 0x7F) << shift
            shift += 7
            if not byte & 0x80:
                break
        values.append(value)
    return values, offset


def decode_array(data: bytes | npt.NDArray[np.uint8]) -> npt.NDArray[np.uint64]:
    """Every varint in `data`, at numpy speed: an index update decodes whole document lists of
    the keys an edit touches, some of them ten thousand entries long."""
    raw = np.frombuffer(data, dtype=np.uint8) if isinstance(data, bytes) else data
    ends = np.flatnonzero(raw < 0x80)
    starts = np.empty_like(ends)
    starts[:1] = 0
    starts[1:] = ends[:-1] + 1
    lengths = ends - starts + 1
    values = np.zeros(len(ends), dtype=np.uint64)
    for byte in range(int(lengths.max()) if len(lengths) else 0):
        live = np.flatnonzero(lengths > byte)
        part = (raw[starts[live] + byte] & 0x7F).astype(np.uint64)
        values[live] |= part << np.uint64(7 * byte)
    return values


def ends(data: bytes | npt.NDArray[np.uint8]) -> npt.NDArray[np.int64]:
    """The offset just past each varint in `data`."""
    raw = np.frombuffer(data, dtype=np.uint8) if isinstance(data, bytes) else data
    return np.flatnonzero(raw < 0x80) + 1
