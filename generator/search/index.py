"""Every speech's postings → the search index's files: hashed buckets the browser fetches on demand.

A key (a folded character, or two in a row) lives in bucket `bucket_of(key)`. A bucket file
lists its keys, each with its document list (gap-coded document numbers, count and zone) and,
for bigrams, its positions (gap-coded, per document). Small lists sit in the bucket file itself;
long ones go to the bucket's pack file, which the browser reads with an HTTP range request, so a
query fetches the few kilobytes it needs and never a whole long list it does not.
The whole merge is numpy over arrays: 10,000 speeches hold about 50 million postings.

Bucket file: varint count, then per key: c1, c2 (0 for a unigram), document count, document
list length, positions length, flags (1: document list in the pack, 2: positions in the pack),
then for each part either its offset in the pack (varint) or its bytes inline.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, TypeVar

import numpy as np
import numpy.typing as npt

from generator.fsutil import write_new
from generator.search import varint
from generator.search.bucket import INLINE_DOCS, INLINE_POSITIONS
from generator.search.extract import (
    CHAR_BITS,
    CHAR_MASK,
    GROUP_BITS,
    GROUPS,
    SECTION_GROUPS,
    DocPostings,
    key_hash,
    position_counts,
    sort_runs_by_key,
)
from generator.workers import fork_pool

KEYS_PER_BUCKET = 40  # about 1.5 KB a bucket: a query reads little beside its keys


@dataclass(frozen=True)
class Section:
    """One range of hash groups of every speech, concatenated in document order: what a merge
    pass works on. `lengths[d]`: how many of the keys are speech d's."""

    keys: npt.NDArray[np.uint64]
    tfz: npt.NDArray[np.uint32]
    positions: npt.NDArray[np.uint32]
    lengths: npt.NDArray[np.int64]


class PostingsSource(Protocol):
    """Every speech's postings, in document order, one range of hash groups at a time."""

    def __len__(self) -> int: ...

    def total_keys(self) -> int: ...

    def groups(self, first: int, last: int) -> Section: ...


class InMemory:
    def __init__(self, docs: Sequence[DocPostings]) -> None:
        self.docs = docs

    def __len__(self) -> int:
        return len(self.docs)

    def total_keys(self) -> int:
        return sum(len(d.keys) for d in self.docs)

    def groups(self, first: int, last: int) -> Section:
        return concatenated([d.group(first, last) for d in self.docs])


def concatenated(docs: Sequence[DocPostings]) -> Section:
    if not docs:
        return Section(
            np.zeros(0, np.uint64),
            np.zeros(0, np.uint32),
            np.zeros(0, np.uint32),
            np.zeros(0, np.int64),
        )
    return Section(
        np.concatenate([d.keys for d in docs]),
        np.concatenate([d.tfz for d in docs]),
        np.concatenate([d.positions for d in docs]),
        np.array([len(d.keys) for d in docs], dtype=np.int64),
    )


_T = TypeVar("_T", bound=np.generic)


def gather(
    values: npt.NDArray[_T], starts: npt.NDArray[np.int64], counts: npt.NDArray[np.int64]
) -> npt.NDArray[_T]:
    """values[starts[0]:starts[0]+counts[0]], then the next run, ... as one array."""
    total = int(counts.sum())
    shift = np.repeat(starts - (np.cumsum(counts) - counts), counts)
    return values[shift + np.arange(total)]


def bucket_bits(keys: int) -> int:
    """log2 of the bucket count: at least one bucket per hash group, about KEYS_PER_BUCKET
    keys in each (a bucket then holds 1–4 KB of headers and short lists)."""
    bits = GROUP_BITS
    while (1 << bits) * KEYS_PER_BUCKET < keys and bits < 16:
        bits += 1
    return bits


def group0_keys(source: PostingsSource) -> int:
    """Distinct keys of hash group 0. Keys spread evenly over the groups, so GROUPS times
    this estimates the whole index's keys, from which the bucket count follows before any
    merging (and which an update of the index keeps exact, patch.py)."""
    if not len(source):
        return 0
    return len(np.unique(source.groups(0, 1).keys))


@dataclass
class IndexFiles:
    bucket_bits: int
    files: dict[str, bytes] = field(default_factory=dict)  # b/<n>.bin and b/<n>.x (in memory)
    digests: dict[str, str] = field(default_factory=dict)  # every file's sha256, also when written
    keys: int = 0
    group0: int = 0  # distinct keys in hash group 0 (group0_keys)
    postings: int = 0
    positions: int = 0

    @property
    def buckets(self) -> int:
        return 1 << self.bucket_bits


PARALLEL_MIN = 2_000_000  # postings below which one process is faster than a pool


def build(source: PostingsSource, jobs: int = 1, out: Path | None = None) -> IndexFiles:
    """Merge pass by pass; passes are independent, so on several cores they run in parallel
    (forked workers inherit the source). With `out`, each pass writes its files there and
    keeps only their digests, so no process ever holds the whole index."""
    group0 = group0_keys(source)
    bits = bucket_bits(GROUPS * group0)
    ranges = [(first, first + SECTION_GROUPS) for first in range(0, GROUPS, SECTION_GROUPS)]
    _SOURCE["source"], _SOURCE["bits"], _SOURCE["out"] = source, bits, out
    try:
        if jobs > 1 and source.total_keys() >= PARALLEL_MIN:
            with fork_pool(min(jobs, len(ranges)), keep_memory=True) as pool:
                parts = list(pool.map(_pass, ranges))
        else:
            parts = [_pass(r) for r in ranges]
    finally:
        _SOURCE.clear()
    index = IndexFiles(bits, group0=group0)
    for part in parts:
        index.files.update(part.files)
        index.digests.update(part.digests)
        index.keys += part.keys
        index.postings += part.postings
        index.positions += part.positions
    return index


_SOURCE: dict[str, Any] = {}


def _pass(bounds: tuple[int, int]) -> IndexFiles:
    first, last = bounds
    part = IndexFiles(_SOURCE["bits"])
    _merge(part, _SOURCE["source"].groups(first, last), first, last)
    out: Path | None = _SOURCE["out"]
    for name, data in part.files.items():
        part.digests[name] = hashlib.sha256(data).hexdigest()
        if out is not None:
            write_new(os.path.join(out, name), data)
    if out is not None:
        part.files = {}
    return part


def _merge(index: IndexFiles, section: Section, first: int, last: int) -> None:
    """Merge one range of hash groups of every speech into that range's bucket files."""
    lengths = section.lengths
    per_group = 1 << (index.bucket_bits - GROUP_BITS)
    buckets = range(first * per_group, last * per_group)
    total = int(lengths.sum())
    if total == 0:
        for b in buckets:
            index.files[f"b/{b}.bin"] = varint.encode_one(0)
        return
    key, tfz, positions = section.keys, section.tfz, section.positions
    doc = np.repeat(np.arange(len(lengths), dtype=np.uint32), lengths)
    counts = position_counts(key, tfz)
    pos_start = np.cumsum(counts) - counts
    h = key_hash(key)
    bucket = (h >> np.uint64(32 - index.bucket_bits)).astype(np.int64)
    order = _group_order(key, h, bucket - buckets.start)
    counts = counts[order]
    out = _encode(
        key[order], tfz[order], doc[order], counts, pos_start[order], positions, bucket[order]
    )
    for b in buckets:
        body, pack, entries = out.get(b, (bytearray(), bytearray(), 0))
        index.files[f"b/{b}.bin"] = varint.encode_one(entries) + bytes(body)
        if pack:
            index.files[f"b/{b}.x"] = bytes(pack)
    index.keys += sum(entries for _, _, entries in out.values())
    index.postings += total
    index.positions += int(counts.sum())


def _group_order(
    key: npt.NDArray[np.uint64], h: npt.NDArray[np.uint64], bucket: npt.NDArray[np.int64]
) -> npt.NDArray[np.int64]:
    """A stable order that puts each bucket's postings together, each key's postings together
    inside it, in document order: two radix passes over 16-bit values (numpy sorts those in
    linear time), then a fix-up of the rare runs where two keys share bucket and low hash."""
    low = (h & np.uint64(0xFFFF)).astype(np.uint16)
    order = np.argsort(low, kind="stable")
    order = order[np.argsort(bucket[order].astype(np.uint16), kind="stable")]
    group = (bucket[order].astype(np.uint64) << np.uint64(16)) | low[order]
    sort_runs_by_key(order, group[1:] == group[:-1], key[order])
    return order


def _encode(
    key: npt.NDArray[np.uint64],
    tfz: npt.NDArray[np.uint32],
    doc: npt.NDArray[np.uint32],
    counts: npt.NDArray[np.int64],
    pos_start: npt.NDArray[np.int64],
    positions: npt.NDArray[np.uint32],
    bucket: npt.NDArray[np.int64],
) -> dict[int, tuple[bytearray, bytearray, int]]:
    """Bucket number → (bucket file body, pack file, number of keys)."""
    n = len(key)
    entry_start = np.flatnonzero(np.concatenate([[True], key[1:] != key[:-1]]))
    entry_end = np.append(entry_start[1:], n)

    # Document lists: gap-coded document numbers interleaved with count-and-zone.
    gaps = doc.astype(np.int64)
    gaps[1:] -= doc[:-1].astype(np.int64)
    gaps[entry_start] = doc[entry_start]
    pairs = np.empty(2 * n, dtype=np.uint64)
    pairs[0::2], pairs[1::2] = gaps, tfz
    doc_bytes, doc_sizes = varint.encode(pairs)
    doc_len = np.add.reduceat(doc_sizes[0::2] + doc_sizes[1::2], entry_start)
    doc_off = np.concatenate([[0], np.cumsum(doc_len)])[:-1]

    # Positions: gathered into the merged order, gap-coded within each document.
    total = int(counts.sum())
    pair_first = np.cumsum(counts) - counts
    ordered = gather(positions, pos_start, counts)
    gapped = ordered.astype(np.int64)
    gapped[1:] -= ordered[:-1].astype(np.int64)
    has = counts > 0
    gapped[pair_first[has]] = ordered[pair_first[has]]
    pos_bytes, pos_sizes = varint.encode(gapped.astype(np.uint64))
    pos_cum = np.concatenate([[0], np.cumsum(pos_sizes)])
    entry_count = np.add.reduceat(counts, entry_start)
    first_slot = np.minimum(pair_first[entry_start], total)
    pos_off = pos_cum[first_slot]
    pos_len = pos_cum[np.minimum(first_slot + entry_count, total)] - pos_off

    heads = key[entry_start]
    fields = np.stack(
        [
            heads >> np.uint64(CHAR_BITS),
            heads & CHAR_MASK,
            (entry_end - entry_start).astype(np.uint64),
            doc_len.astype(np.uint64),
            pos_len.astype(np.uint64),
            ((doc_len > INLINE_DOCS) | ((pos_len > INLINE_POSITIONS) << 1)).astype(np.uint64),
        ],
        axis=1,
    ).ravel()
    head_bytes, head_sizes = varint.encode(fields)
    head_end = np.cumsum(head_sizes.reshape(-1, 6).sum(axis=1))
    out: dict[int, tuple[bytearray, bytearray, int]] = {}
    entry_bucket = bucket[entry_start].tolist()
    rows = zip(
        entry_bucket,
        (head_end - head_sizes.reshape(-1, 6).sum(axis=1)).tolist(),
        head_end.tolist(),
        doc_off.tolist(),
        doc_len.tolist(),
        pos_off.tolist(),
        pos_len.tolist(),
        strict=True,
    )
    for b, h0, h1, do, dl, po, pl in rows:
        body, pack, entries = out.get(b) or (bytearray(), bytearray(), 0)
        body += head_bytes[h0:h1]
        for size, offset, data, limit in (
            (dl, do, doc_bytes, INLINE_DOCS),
            (pl, po, pos_bytes, INLINE_POSITIONS),
        ):
            if size > limit:
                body += varint.encode_one(len(pack))
                pack += data[offset : offset + size]
            elif size:
                body += data[offset : offset + size]
        out[b] = (body, pack, entries + 1)
    return out
