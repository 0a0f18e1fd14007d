"""One bucket file and its pack as a list of entries, for the index update (patch.py), which
reads the few buckets an edit touches, changes one speech's postings in them and writes them
back. The bytes are those the full merge writes (index._encode, numpy over a whole pass):
tests hold a patched index equal to a merged one, file by file."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from generator.search import varint
from generator.search.extract import CHAR_BITS, CHAR_MASK

INLINE_DOCS = 192  # a document list longer than this many bytes goes to the pack
INLINE_POSITIONS = 96


@dataclass(frozen=True)
class Entry:
    """A key's lists, encoded: `docs` the (gap, count << 2 | zone) pairs, `positions` each
    document's gap-coded positions in document order (bigrams only)."""

    key: int  # first << CHAR_BITS | second (second 0: a unigram)
    df: int
    docs: bytes
    positions: bytes
    head: bytes = b""  # its six header varints as read (empty: encode them), for an update
    # rewrites a bucket mostly of entries it leaves as they were


def decode(body: bytes, pack: bytes) -> list[Entry]:
    """The entries of a bucket file `body` whose long lists lie in `pack`."""
    (count,), at = varint.decode(body, 0, 1)
    entries = []
    for _ in range(count):
        start = at
        (first, second, df, doc_len, pos_len, flags), at = varint.decode(body, at, 6)
        head = body[start:at]
        parts = []
        for bit, length in ((1, doc_len), (2, pos_len)):
            if flags & bit:
                (offset,), at = varint.decode(body, at, 1)
                parts.append(pack[offset : offset + length])
            else:
                parts.append(body[at : at + length])
                at += length
        entries.append(Entry((first << CHAR_BITS) | second, df, parts[0], parts[1], head))
    if at != len(body):
        raise ValueError(f"bucket has {len(body) - at} bytes after its last entry")
    return entries


def encode(entries: Sequence[Entry]) -> tuple[bytes, bytes]:
    """A bucket file and its pack (empty: no pack file) for `entries`, in bucket order."""
    body = bytearray(varint.encode_one(len(entries)))
    pack = bytearray()
    for entry in entries:
        if entry.head:
            body += entry.head
        else:
            doc_len, pos_len = len(entry.docs), len(entry.positions)
            flags = (doc_len > INLINE_DOCS) | ((pos_len > INLINE_POSITIONS) << 1)
            first, second = entry.key >> CHAR_BITS, entry.key & int(CHAR_MASK)
            for value in (first, second, entry.df, doc_len, pos_len, flags):
                body += varint.encode_one(value)
        for data, limit in ((entry.docs, INLINE_DOCS), (entry.positions, INLINE_POSITIONS)):
            if len(data) > limit:
                body += varint.encode_one(len(pack))
                pack += data
            else:
                body += data
    return bytes(body), bytes(pack)
