"""The search index updated where a few speeches changed, instead of merged again.

An edited speech has keys in most of the index's buckets, but an edit changes few of them: a
corrected character changes the postings of four keys, a sentence added at the end those of
the keys in it. The update compares each changed speech's postings with the ones the index
was built from, key by key, and rewrites only the buckets (and packs) of keys whose postings
differ — the bytes the full merge would write, which tests hold equal file by file. A change
to the list of speeches (which renumbers them) or to the bucket count, too many changed
speeches, or an index file that is missing or not what the last build wrote: the caller
merges everything again.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from generator.search import bucket, varint
from generator.search.bucket import Entry
from generator.search.extract import (
    CHAR_MASK,
    GROUP_BITS,
    GROUPS,
    DocPostings,
    key_hash,
    position_counts,
)
from generator.search.index import bucket_bits, gather
from generator.search.state import IndexState
from generator.workers import in_shares

# Beyond this many changed speeches nearly every bucket changes: the parallel merge is faster.
MAX_CHANGED = 32


@dataclass
class Patched:
    """The update: each changed bucket file's digest as `write` gave it (None: the file is
    gone), and how many keys the index has, all and in hash group 0 (deltas, in a part)."""

    files: dict[str, str | None] = field(default_factory=dict)
    keys: int = 0
    group0: int = 0


Read = Callable[[str], bytes | None]  # an index file of the last build by name, if still whole
Write = Callable[[str, bytes], str]  # stores a changed index file; returns its digest
Change = tuple[int, int, npt.NDArray[np.uint32] | None]  # document, tfz (0: gone), positions
Work = list[tuple[int, dict[int, list[Change]]]]  # buckets and the changes of their keys
PARALLEL_BUCKETS = 256  # fewer buckets to rewrite are done faster than workers are forked


def update(
    state: IndexState,
    slugs: Sequence[str],
    tokens: Sequence[str],
    read_postings: Callable[[int], tuple[DocPostings, DocPostings] | None],
    read_file: Read,
    write: Write,
    jobs: int = 1,
) -> Patched | None:
    """The bucket files that change when speech n's postings go from read_postings(n)[0] to
    [1], for every n whose token differs from the state's; None when the index must be
    merged again instead. (Text inserted early in a speech moves every later position, so
    most of its keys change and the update rewrites most buckets: still less work than a
    merge, at 1,000 speeches as at 10,000; such an update runs on `jobs` forked workers.)"""
    if list(slugs) != state.slugs:
        return None
    changed = [n for n, token in enumerate(tokens) if token != state.tokens[n]]
    if len(changed) > MAX_CHANGED:
        return None
    by_bucket: dict[int, dict[int, list[Change]]] = {}
    for doc in changed:
        pair = read_postings(doc)
        if pair is None:
            return None
        found = key_changes(*pair)
        keys = np.array([key for key, _, _ in found], dtype=np.uint64)
        buckets = (key_hash(keys) >> np.uint64(32 - state.bits)).tolist()
        for b, (key, tfz, positions) in zip(buckets, found, strict=True):
            by_bucket.setdefault(b, {}).setdefault(key, []).append((doc, tfz, positions))
    patched = Patched(keys=state.keys, group0=state.group0)
    for part in _patch_all(sorted(by_bucket.items()), state.bits, read_file, write, jobs):
        if part is None:
            return None
        patched.files.update(part.files)
        patched.keys += part.keys
        patched.group0 += part.group0
    if bucket_bits(GROUPS * patched.group0) != state.bits:
        return None  # the new bucket count renames every bucket
    return patched


_WORK: dict[str, Any] = {}  # what forked workers inherit: bits, read_file, write


def _patch_all(
    work: Work, bits: int, read_file: Read, write: Write, jobs: int
) -> list[Patched | None]:
    _WORK.update(bits=bits, read=read_file, write=write)
    try:
        return in_shares(_patch_some, work, jobs, PARALLEL_BUCKETS)
    finally:
        _WORK.clear()


def _patch_some(work: Work) -> Patched | None:
    """These buckets rewritten (key counts as deltas); None if one cannot be."""
    part = Patched()
    for b, changes in work:
        if not _patch_bucket(part, b, changes, _WORK["bits"], _WORK["read"], _WORK["write"]):
            return None
    return part


def _patch_bucket(
    patched: Patched,
    b: int,
    changes: dict[int, list[Change]],
    bits: int,
    read_file: Read,
    write: Write,
) -> bool:
    body, pack = read_file(f"b/{b}.bin"), read_file(f"b/{b}.x")
    if body is None or pack is None:
        return False
    entries = {entry.key: entry for entry in bucket.decode(body, pack)}
    before = len(entries)
    for key, of_key in changes.items():
        fresh = splice(entries.get(key), key, of_key)
        if fresh is None:
            entries.pop(key, None)
        else:
            entries[key] = fresh
    keys = np.array(sorted(entries), dtype=np.uint64)
    low = (key_hash(keys) & np.uint64(0xFFFF)).astype(np.int64)
    ordered = [entries[int(keys[i])] for i in np.lexsort((keys, low))]
    new_body, new_pack = bucket.encode(ordered)
    if new_body != body:
        patched.files[f"b/{b}.bin"] = write(f"b/{b}.bin", new_body)
    if new_pack != pack:
        patched.files[f"b/{b}.x"] = write(f"b/{b}.x", new_pack) if new_pack else None
    patched.keys += len(entries) - before
    if b >> (bits - GROUP_BITS) == 0:
        patched.group0 += len(entries) - before
    return True


def key_changes(
    old: DocPostings, new: DocPostings
) -> list[tuple[int, int, npt.NDArray[np.uint32] | None]]:
    """Every key whose postings differ between a speech's two versions: (key, new tfz,
    new positions), tfz 0 for a key the new version lacks."""
    common, at_old, at_new = np.intersect1d(
        old.keys, new.keys, assume_unique=True, return_indices=True
    )
    old_start, old_count = _position_slices(old)
    new_start, new_count = _position_slices(new)
    same = old.tfz[at_old] == new.tfz[at_new]
    check = np.flatnonzero(same & (old_count[at_old] > 0))
    if len(check):
        counts = old_count[at_old][check]
        equal = gather(old.positions, old_start[at_old][check], counts) == gather(
            new.positions, new_start[at_new][check], counts
        )
        segments = np.cumsum(counts) - counts
        same[check[~np.logical_and.reduceat(equal, segments)]] = False
    fresh = np.concatenate(
        [at_new[~same], np.flatnonzero(~np.isin(new.keys, common, assume_unique=True))]
    )
    out: list[tuple[int, int, npt.NDArray[np.uint32] | None]] = []
    for i in fresh.tolist():
        start, count = int(new_start[i]), int(new_count[i])
        positions = new.positions[start : start + count] if count else None
        out.append((int(new.keys[i]), int(new.tfz[i]), positions))
    for key in np.setdiff1d(old.keys, new.keys, assume_unique=True).tolist():
        out.append((int(key), 0, None))
    return out


def _position_slices(
    postings: DocPostings,
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Where each key's positions start in `postings.positions`, and how many it has."""
    counts = position_counts(postings.keys, postings.tfz)
    return np.cumsum(counts) - counts, counts


def splice(entry: Entry | None, key: int, changes: Sequence[Change]) -> Entry | None:
    """`entry` (None: a new key) with each change's document given its new tfz and positions
    (tfz 0: removed); None when no document is left. A long list (a common key's: thousands
    of speeches) is changed as numpy arrays, a short one (most keys an edit touches are rare)
    as Python lists, which numpy's per-call cost would make slower."""
    bigram = key & int(CHAR_MASK) != 0
    long = entry is not None and len(entry.docs) > SHORT
    docs, tfz, bounds, positions = _long(entry, bigram) if long else _short(entry, bigram)
    # From the last document back: each change leaves the bounds before it as they were.
    for doc, new_tfz, new_positions in sorted(changes, key=lambda c: c[0], reverse=True):
        i = bisect.bisect_left(docs, doc)
        present = i < len(docs) and docs[i] == doc
        if bigram:
            start = int(bounds[i])
            end = int(bounds[i + 1]) if present else start
            segment = b""
            if new_tfz and new_positions is not None:
                segment = _varints(_gapped(new_positions.astype(np.int64)).tolist())
            positions = positions[:start] + segment + positions[end:]
        if present and new_tfz:
            tfz[i] = new_tfz
        elif present:
            docs, tfz = _delete(docs, i), _delete(tfz, i)
        elif new_tfz:
            docs, tfz = _insert(docs, i, doc), _insert(tfz, i, new_tfz)
    if not len(docs):
        return None
    pairs = np.empty(2 * len(docs), dtype=np.uint64)
    pairs[0::2], pairs[1::2] = _gapped(np.asarray(docs, dtype=np.int64)), tfz
    return Entry(key, len(docs), _varints(pairs.tolist() if not long else pairs), positions)


SHORT = 64  # bytes of a list below which Python is faster than numpy's per-call cost

Numbers = list[int] | npt.NDArray[np.int64]


def _short(entry: Entry | None, bigram: bool) -> tuple[list[int], list[int], list[int], bytes]:
    """An entry's document numbers, tfz values, the byte where each document's positions
    start (and, last, where they end), and its positions' bytes — as lists."""
    if entry is None:
        return [], [], [0], b""
    values = varint.decode(entry.docs)[0]
    docs, tfz = list(itertools.accumulate(values[0::2])), values[1::2]
    bounds = [0]
    if bigram:
        ends = varint.ends(entry.positions).tolist()
        bounds += [ends[n - 1] for n in itertools.accumulate(t >> 2 for t in tfz)]
    return docs, tfz, bounds, entry.positions


def _long(
    entry: Entry | None, bigram: bool
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.int64], bytes]:
    """`_short`, as numpy arrays."""
    assert entry is not None
    values = varint.decode_array(entry.docs).astype(np.int64)
    docs, tfz = np.cumsum(values[0::2]), values[1::2].copy()
    bounds = np.zeros(1, dtype=np.int64)
    if bigram:
        ends = varint.ends(entry.positions)[np.cumsum(tfz >> 2) - 1]
        bounds = np.concatenate([bounds, ends])
    return docs, tfz, bounds, entry.positions


def _delete(values: Numbers, i: int) -> Numbers:
    if isinstance(values, list):
        del values[i]
        return values
    return np.delete(values, i)


def _insert(values: Numbers, i: int, value: int) -> Numbers:
    if isinstance(values, list):
        values.insert(i, value)
        return values
    return np.insert(values, i, value)


def _gapped(values: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """Each value less the one before it (the first as it is)."""
    gaps = values.copy()
    gaps[1:] -= values[:-1]
    return gaps


def _varints(values: list[int] | npt.NDArray[np.uint64]) -> bytes:
    if isinstance(values, list):
        return varint.encode_list(values)
    return varint.encode(values)[0]
