"""LEB128 varints, encoded for whole arrays at once (numpy) and decoded for tests.

Postings are small integers (gaps between documents and positions, counts), so seven bits a
byte keeps the index small, and the browser decodes them in a tight loop (search.js, readVarint).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

_LIMITS = np.array([1 << 7, 1 << 14, 1 << 21, 1 << 28], dtype=np.uint64)


def sizes(values: npt.NDArray[np.uint64]) -> npt.NDArray[np.int64]:
    """Bytes each value takes."""
    size = np.ones(len(values), dtype=np.int64)
    for limit in _LIMITS:
        size += values >= limit
    return size


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
    size = sizes(values)
    starts = np.cumsum(size) - size
    out = np.zeros(int(size.sum()), dtype=np.uint8)
    out[starts] = (values & np.uint64(0x7F)).astype(np.uint8) | ((size > 1) << 7).astype(np.uint8)
    for byte in range(1, 5):
        live = np.flatnonzero(size > byte)
        if not len(live):
            break
        chunk = (values[live] >> np.uint64(7 * byte)) & np.uint64(0x7F)
        more = ((size[live] > byte + 1) << 7).astype(np.uint8)
        out[starts[live] + byte] = chunk.astype(np.uint8) | more
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
