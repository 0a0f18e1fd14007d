"""One speech → what the search index needs of it: its postings and its snippet fragment.

Runs once per changed speech, in the build's load workers, so the index step only merges.
A speech is searched as one stream of folded characters (fold.py: the punctuation a phrase
reads through is dropped): its title, then every block of its body (headings and paragraphs,
in order), with separators between blocks so no phrase spans two, each block starting at a
multiple of BLOCK_ALIGN (an edit inside a block moves no other block's positions). Every
character of the stream is indexed as a unigram and, with its successor in the same block, as
a bigram; bigrams also keep their positions, which make phrase matches exact.
"""

from __future__ import annotations

import dataclasses
import json
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, TypeVar

import numpy as np
import numpy.typing as npt
from isal import isal_zlib

from generator.search.fold import (
    CHINESE_DIGITS,
    NUMBER_ALONE,
    NUMBER_END,
    NUMBER_JOINERS,
    NUMBER_START,
    YEAR_LENGTH,
    fold,
    search_table,
    year_codes,
)
from generator.search.varint import decode, encode_one

SEPARATOR = 0  # code of the block separator in the folded stream (NUL never reaches the text)
CHAR_BITS = 21  # every code point fits; a key is first << 21 | second (second 0: a unigram)
CHAR_MASK = np.uint64((1 << CHAR_BITS) - 1)  # a key's second character
ZONE_TITLE, ZONE_HEADING = 2, 1  # bits of a posting's zone: where in the speech it occurs
# A key no text makes (the block separator, then U+0001: a pair never starts at a separator),
# with one posting per speech whose one position is where its title ends in the stream. A
# phrase's zone bits are those its pairs share; 20…00 in the title of 2009年…报告 and 2000年 in
# its text gave 2000 the title's bonus there. Its earliest start before this position is the
# title's (search.js and reader.py check that).
TITLE_END_KEY = 1

Block = tuple[str, bool, str]  # anchor, is a heading, text


GROUP_BITS = 6  # postings are merged group by group (the top bits of the key's hash)
GROUPS = 1 << GROUP_BITS
SECTION_GROUPS = 2  # groups merged in one pass, stored together (memory: 1/32 of it a pass)
_M1, _M2, _M3 = 0x9E3779B1, 0x85EBCA77, 0x2C1B3C6D


def key_hash(keys: npt.NDArray[np.uint64]) -> npt.NDArray[np.uint64]:
    """32-bit hash of keys (first << 21 | second); search.js computes the same with Math.imul."""
    return key_hash32(keys).astype(np.uint64)


def key_hash32(keys: npt.NDArray[np.uint64]) -> npt.NDArray[np.uint32]:
    """key_hash in uint32, whose products wrap as Math.imul's do: half the work of masking
    uint64 ones (a tenth of a millisecond a speech in the cold build's load step)."""
    first = (keys >> np.uint64(CHAR_BITS)).astype(np.uint32)
    second = (keys & CHAR_MASK).astype(np.uint32)
    h = (first * np.uint32(_M1)) ^ ((second + np.uint32(1)) * np.uint32(_M2))
    h ^= h >> np.uint32(15)
    h *= np.uint32(_M3)
    h ^= h >> np.uint32(12)
    return h


_TITLE_END_HASH = np.uint32(key_hash32(np.array([TITLE_END_KEY], dtype=np.uint64))[0])


@dataclass(frozen=True)
class DocPostings:
    """A speech's postings, ordered by key hash (so by hash group), then key: `tfz` is
    count << 2 | zone bits; `positions` holds, key by key, the stream offsets of each bigram
    (none for unigrams).
    `key_bounds`/`position_bounds` give each group's slice, so the merge can take one group of
    every speech at a time and never hold the whole archive's postings in memory."""

    keys: npt.NDArray[np.uint64]
    tfz: npt.NDArray[np.uint32]
    positions: npt.NDArray[np.uint32]
    key_bounds: npt.NDArray[np.int64]
    position_bounds: npt.NDArray[np.int64]

    def to_bytes(self) -> bytes:
        """The bounds, then section by section (SECTION_GROUPS groups) its keys, tfz and
        positions: the merge reads one section of every speech a pass, one read each."""
        parts: list[bytes | memoryview] = [
            self.key_bounds.tobytes(),
            self.position_bounds.tobytes(),
        ]
        keys, tfz, positions = self.keys.data, self.tfz.data, self.positions.data
        key_at = self.key_bounds[::SECTION_GROUPS].tolist()  # (plain slices: this runs once
        position_at = self.position_bounds[::SECTION_GROUPS].tolist()  # per speech loaded)
        for section in range(len(key_at) - 1):
            k0, k1 = key_at[section], key_at[section + 1]
            p0, p1 = position_at[section], position_at[section + 1]
            parts += [keys[k0:k1], tfz[k0:k1], positions[p0:p1]]
        return b"".join(parts)

    @classmethod
    def from_bytes(cls, data: bytes) -> DocPostings:
        bounds = np.frombuffer(data, dtype=np.int64, count=2 * (GROUPS + 1))
        key_bounds, position_bounds = bounds[: GROUPS + 1], bounds[GROUPS + 1 :]
        sections = [
            section_from_bytes(data, key_bounds, position_bounds, first)
            for first in range(0, GROUPS, SECTION_GROUPS)
        ]
        return cls(
            np.concatenate([s.keys for s in sections]),
            np.concatenate([s.tfz for s in sections]),
            np.concatenate([s.positions for s in sections]),
            key_bounds,
            position_bounds,
        )

    def group(self, first: int, last: int) -> DocPostings:
        """Groups first..last-1 of this speech's postings (bounds relative to the slice)."""
        k0, k1 = int(self.key_bounds[first]), int(self.key_bounds[last])
        p0, p1 = int(self.position_bounds[first]), int(self.position_bounds[last])
        return DocPostings(
            self.keys[k0:k1],
            self.tfz[k0:k1],
            self.positions[p0:p1],
            self.key_bounds[first : last + 1] - k0,
            self.position_bounds[first : last + 1] - p0,
        )


def position_counts(
    keys: npt.NDArray[np.uint64], tfz: npt.NDArray[np.uint32]
) -> npt.NDArray[np.int64]:
    """How many positions each key's postings hold: its count for a bigram, none for a
    unigram (positions only verify phrases)."""
    return np.where(keys & CHAR_MASK != 0, tfz >> np.uint32(2), np.uint32(0)).astype(np.int64)


POSTINGS_HEADER = 2 * (GROUPS + 1) * 8  # to_bytes's bounds, before the sections
_Int = TypeVar("_Int", int, npt.NDArray[np.int64])


def section_offset(keys_before: _Int, positions_before: _Int) -> _Int:
    """Where in to_bytes's output the section starts that has this many keys and positions
    before it (each key 8 + 4 bytes, each position 4): scalars, or arrays of them."""
    return POSTINGS_HEADER + 12 * keys_before + 4 * positions_before


def section_from_bytes(
    data: bytes,
    key_bounds: npt.NDArray[np.int64],
    position_bounds: npt.NDArray[np.int64],
    first: int,
) -> DocPostings:
    """The section starting at group `first` of to_bytes's output `data`."""
    last = first + SECTION_GROUPS
    k0, k1 = int(key_bounds[first]), int(key_bounds[last])
    p0, p1 = int(position_bounds[first]), int(position_bounds[last])
    at = section_offset(k0, p0)
    keys = np.frombuffer(data, dtype=np.uint64, count=k1 - k0, offset=at)
    tfz = np.frombuffer(data, dtype=np.uint32, count=k1 - k0, offset=at + 8 * (k1 - k0))
    positions = np.frombuffer(data, dtype=np.uint32, count=p1 - p0, offset=at + 12 * (k1 - k0))
    return DocPostings(
        keys,
        tfz,
        positions,
        key_bounds[first : last + 1] - k0,
        position_bounds[first : last + 1] - p0,
    )


def stream(
    title: str, blocks: Sequence[Block], details: Sequence[str] = (), tags: Sequence[str] = ()
) -> tuple[str, list[int]]:
    """The searchable text of a speech and the zone of each of its blocks: the title, the
    body's blocks, then `details` (speaker, occasion, subtitle, date: what a result and the
    page show beside the title, so a reader searches them too) and `tags` (its topics), each a
    block of its own."""
    texts = [title] + [text for _, _, text in blocks] + list(details) + list(tags)
    zones = [ZONE_TITLE] + [ZONE_HEADING if heading else 0 for _, heading, _ in blocks]
    # Details rank as a heading does: a search for a speaker's name finds that speaker's own
    # speeches above the ones that mention the name once in their text. Topics, which keyword
    # rules give, rank as the text does: with a heading's bonus, 13 speeches only tagged 作风整顿
    # came before the two that say it.
    zones += [ZONE_HEADING] * len(details) + [0] * len(tags)
    return "\0".join(t.replace("\0", " ") for t in texts), zones


def postings(
    title: str, blocks: Sequence[Block], details: Sequence[str] = (), tags: Sequence[str] = ()
) -> DocPostings:
    text, block_zones = stream(title, blocks, details, tags)
    # (as long as `text`: a dropped character is DROPPED_CODE)
    folded = mark_number_codes(fold_codes(text), text)
    lengths = np.array([len(t) + 1 for t in text.split("\0")], dtype=np.int64)
    zones = np.repeat(np.array(block_zones, dtype=np.uint32), lengths)[: len(folded)]
    kept = folded != DROPPED_CODE
    codes = folded[kept]
    if not np.any(codes != SEPARATOR):  # no text at all (empty title and blocks)
        none = np.zeros(GROUPS + 1, dtype=np.int64)
        empty = np.zeros(0, dtype=np.uint64)
        return DocPostings(empty, np.zeros(0, np.uint32), np.zeros(0, np.uint32), none, none)
    # (one more zone, 0, for the title-end posting, which stands at no character)
    zone = np.append(zones[kept], np.uint32(0))
    doc = _postings_of(codes, zone, int(np.count_nonzero(kept[: len(title)])))
    return dataclasses.replace(doc, positions=aligned(doc.positions, codes))


# Every block starts at a multiple of this many positions in the stream, the gap filled with
# separators. An edit inside one block then moves no other block's positions unless its
# length crosses a multiple: an inserted sentence changes the postings of the keys of its own
# block, not of every key after it (with blocks end to end, it moved every later position, and
# the index update rewrote a tenth of all buckets: 2,000-3,500 files at 10,000 speeches, not
# 30). A sentence of n characters crosses one with odds n/BLOCK_ALIGN. Cost: a gap between a
# key's positions in two blocks is on average half this much larger: the buckets of 1,000
# speeches took 1.5% more bytes (0.6% with 64, which a sentence crossed four times as often).
BLOCK_ALIGN = 256


_Length = TypeVar("_Length", int, npt.NDArray[np.int64])


def block_span(length: _Length) -> _Length:
    """The positions a block of `length` indexed characters takes, its separator included (the
    one rule the postings' positions and the fragments' chunk starts share)."""
    return -(-(length + 1) // BLOCK_ALIGN) * BLOCK_ALIGN


def aligned(
    positions: npt.NDArray[np.uint32], codes: npt.NDArray[np.uint64]
) -> npt.NDArray[np.uint32]:
    """`positions` in `codes` (the blocks end to end, a SEPARATOR after each but the last) moved
    to where each block starts once aligned (BLOCK_ALIGN). The stream itself is not spread out:
    a speech of many short lines would have taken hundreds of times its length."""
    ends = np.flatnonzero(codes == SEPARATOR)
    starts = np.concatenate([[0], ends + 1])
    lengths = np.diff(np.append(starts, len(codes) + 1)) - 1  # (the last: no separator after)
    moved_to = np.concatenate([[0], np.cumsum(block_span(lengths))[:-1]])
    # each position's block's shift; one more, the last block's, for the title-end posting
    # of a speech that is its title alone (its position is the stream's end)
    shift = np.repeat(moved_to - starts, lengths + 1)
    moved: npt.NDArray[np.uint32] = (positions + shift[positions]).astype(np.uint32)
    return moved


def _postings_of(
    codes: npt.NDArray[np.uint64], zone: npt.NDArray[np.uint32], title_end: int
) -> DocPostings:
    """Occurrences ordered by their key's 32-bit hash, whose top bits are the hash group, with
    a stable radix sort, so a key's positions stay in stream order (the occurrences come in it:
    unigrams, then bigrams) with no third field to sort. `zone` has one entry more than
    `codes`: the title-end posting's."""
    real = codes != SEPARATOR
    pair = real[:-1] & real[1:]
    bigram_at = np.flatnonzero(pair).astype(np.uint64)
    unigram_at = np.flatnonzero(real).astype(np.uint64)
    keys = np.concatenate(
        [
            codes[unigram_at] << np.uint64(CHAR_BITS),
            (codes[bigram_at] << np.uint64(CHAR_BITS)) | codes[bigram_at + np.uint64(1)],
            np.array([TITLE_END_KEY], dtype=np.uint64),
        ]
    )
    hashes = key_hash32(keys)
    order, ordered_hashes = _hash_order(hashes, keys)
    keys = keys[order]
    where = np.concatenate([unigram_at, bigram_at, np.array([len(codes)], dtype=np.uint64)])
    where = where.astype(np.uint32)[order]  # (where in `zone`, then in the stream)
    starts = np.flatnonzero(np.concatenate([[True], keys[1:] != keys[:-1]]))
    counts = np.diff(np.append(starts, len(keys))).astype(np.uint32)
    zone_bits = np.bitwise_or.reduceat(zone[where], starts).astype(np.uint32)
    # The title-end posting, found by its hash without a pass over the arrays (a key that
    # shares the hash is rare, and sorts after it: it is the smallest key there is).
    title = int(np.searchsorted(ordered_hashes, _TITLE_END_HASH))
    while keys[title] != TITLE_END_KEY:
        title += 1
    where[title] = title_end
    unique = keys[starts]
    is_bigram_key = (unique & CHAR_MASK) != 0
    groups = ordered_hashes[starts] >> np.uint32(32 - GROUP_BITS)
    key_bounds = np.searchsorted(groups, np.arange(GROUPS + 1), side="left").astype(np.int64)
    position_counts = np.where(is_bigram_key, counts, 0).astype(np.int64)
    position_bounds = np.concatenate([[0], np.cumsum(position_counts)])[key_bounds]
    positions = where[(keys & CHAR_MASK) != 0]
    tfz = ((counts << 2) | zone_bits).astype(np.uint32)
    return DocPostings(unique, tfz, positions, key_bounds, position_bounds)


def _hash_order(
    hashes: npt.NDArray[np.uint32], keys: npt.NDArray[np.uint64]
) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.uint32]]:
    """The stable order by (hash, key), and the hashes in it: two passes over 16-bit digits of
    the hash, each a linear-time stable argsort in numpy (a fifth faster than three over the 48
    bits of hash group and key), then a fix-up of the rare runs where two keys share a hash."""
    order = np.argsort(hashes.astype(np.uint16), kind="stable")
    order = order[np.argsort((hashes[order] >> np.uint32(16)).astype(np.uint16), kind="stable")]
    ordered_hashes = hashes[order]
    sort_runs_by_key(order, ordered_hashes[1:] == ordered_hashes[:-1], keys[order])
    return order, ordered_hashes


_Order = TypeVar("_Order", np.intp, np.int64)


def sort_runs_by_key(
    order: npt.NDArray[_Order],
    same_run: npt.NDArray[np.bool_],
    ordered_keys: npt.NDArray[np.uint64],
) -> None:
    """Sort by key, stably and in place, each run of `order` that holds more than one key
    (`same_run[i]`: element i + 1 is in element i's run; `ordered_keys`: the keys in `order`):
    the rare runs of keys that share a hash, after a radix sort by hash that keeps a key's
    postings together only where no other key has its hash."""
    mixed = np.flatnonzero(same_run & (ordered_keys[1:] != ordered_keys[:-1]))
    if not len(mixed):
        return
    starts = np.flatnonzero(np.concatenate([[True], ~same_run]))
    ends = np.append(starts[1:], len(order))
    for run in distinct(np.searchsorted(starts, mixed, side="right") - 1):
        a, b = int(starts[run]), int(ends[run])
        order[a:b] = order[a:b][np.argsort(ordered_keys[a:b], kind="stable")]


def distinct(values: npt.NDArray[np.integer[Any]]) -> list[int]:
    """The distinct values, ascending, of an array of small integers ≥ 0 (code points, run
    numbers): what np.unique gives, without the 7 ms a new process spends importing numpy.ma
    for np.unique's check for masked arrays."""
    return np.flatnonzero(np.bincount(values)).tolist() if values.size else []


_UNKNOWN = 0xFFFFFFFF  # not folded yet: no code point is this large
DROPPED_CODE = 0xFFFFFFFE  # fold_codes' code of a character folding drops (fold.DROPPED)
# Each BMP character's folding, filled in as characters are first met: folding all 65,536
# up front took a tenth of a second, paid again by each process that indexes a speech.
_BMP_TABLE = np.full(0x10000, _UNKNOWN, dtype=np.uint32)


def fold_codes(text: str) -> npt.NDArray[np.uint64]:
    """Each character of `text` folded, as a code point, or DROPPED_CODE where folding drops
    it (so the result is as long as `text`): by table lookup for the BMP (the Python loop only
    for characters not met before, and for each one beyond the BMP: all of a speech holding
    one such character took the loop, twice as long a load)."""
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    if not len(codes):
        return codes.astype(np.uint64)
    big = codes > 0xFFFF  # (rare: a character of CJK extension B in a name, an emoji)
    small = np.where(big, 0, codes) if big.any() else codes
    folded = _BMP_TABLE[small]
    if int(folded.max()) == _UNKNOWN:
        new = distinct(small[folded == _UNKNOWN])
        _BMP_TABLE[new] = [c if 0xD800 <= c < 0xE000 else _fold_code(chr(c)) for c in new]
        folded = _BMP_TABLE[small]
    out = folded.astype(np.uint64)
    if small is not codes:  # only the characters beyond the BMP one by one, not the speech
        out[big] = [_fold_code(chr(code)) for code in codes[big].tolist()]
    return out


_TWO_FALSE = np.zeros(2, dtype=bool)


def mark_number_codes(folded: npt.NDArray[np.uint64], text: str) -> npt.NDArray[np.uint64]:
    """`fold_codes(text)` with each number's first and last digit marked and each year in
    Chinese numerals made one, as fold.search_fold does (there, per character; here, for a
    whole speech, as arrays)."""
    return _mark_years(_mark_digits(folded, text))


# Each BMP code's value as a Chinese digit (fold.CHINESE_DIGITS), -1 for any other.
_CHINESE_VALUE = np.full(0x10000, -1, dtype=np.int8)
_CHINESE_VALUE[list(CHINESE_DIGITS)] = list(CHINESE_DIGITS.values())


def _mark_years(folded: npt.NDArray[np.uint64]) -> npt.NDArray[np.uint64]:
    """Runs of exactly YEAR_LENGTH Chinese digits, the first 一 or 二, as marked Arabic digits
    (fold.year_codes). `folded` is as long as the text, so a dropped character parts a run."""
    values = _CHINESE_VALUE[np.where(folded < 0x10000, folded, 0)]
    edges = np.flatnonzero(np.diff(np.concatenate([[0], values >= 0, [0]]).astype(np.int8)))
    starts, ends = edges[0::2], edges[1::2]  # (a run is [start, end))
    years = starts[(ends - starts == YEAR_LENGTH) & ((values[starts] == 1) | (values[starts] == 2))]
    if not len(years):
        return folded
    out = folded.copy()
    for at in years.tolist():
        out[at : at + YEAR_LENGTH] = year_codes(values[at : at + YEAR_LENGTH].tolist())
    return out


def _mark_digits(folded: npt.NDArray[np.uint64], text: str) -> npt.NDArray[np.uint64]:
    digit = (folded >= 0x30) & (folded <= 0x39)
    if not digit.any():
        return folded
    # A joiner stands between two digits: only there is the text asked (np.isin over a whole
    # speech took five times folding's time).
    joiner = np.zeros(len(digit) + 4, dtype=bool)  # (index i of `digit` is i + 2 here)
    for between in (np.flatnonzero(digit[:-2] & digit[2:] & ~digit[1:-1]) + 1).tolist():
        joiner[between + 2] = text[between] in NUMBER_JOINERS
    d = np.concatenate([_TWO_FALSE, digit, _TWO_FALSE])
    at = np.flatnonzero(digit) + 2  # the digits only: a tenth of a speech's characters
    left = d[at - 1] | (joiner[at - 1] & d[at - 2])
    right = d[at + 1] | (joiner[at + 1] & d[at + 2])
    shift = np.where(
        left,
        np.where(right, 0, NUMBER_END - 0x30),
        np.where(right, NUMBER_START - 0x30, NUMBER_ALONE - 0x30),
    ).astype(np.uint64)
    out = folded.copy()
    out[at - 2] += shift
    return out


def _fold_code(char: str) -> int:
    folded = fold(char)
    return ord(folded) if folded else DROPPED_CODE


def indexed_lengths(texts: list[str]) -> list[int]:
    """How many positions each text takes in the stream: its characters less those folding
    drops (by fold_codes' table, at numpy speed: `len(fold(text))` took a millisecond a
    speech, a tenth of the cold build's load step)."""
    kept = np.concatenate([[0], np.cumsum(fold_codes("\0".join(texts)) != DROPPED_CODE)])
    ends = np.cumsum(np.array([len(text) + 1 for text in texts], dtype=np.int64)) - 1
    starts = ends - np.array([len(text) for text in texts], dtype=np.int64)
    counts: list[int] = (kept[ends] - kept[starts]).tolist()
    return counts


CHUNK_CHARS = 600  # a snippet chunk closes once its blocks hold this many characters


def fragment_body(title: str, blocks: Sequence[Block]) -> bytes:
    """The text a result's snippets are cut from, in chunks the browser reads one range at a
    time, stopping once it has its snippets (a result costs its first chunk or two, not the
    whole speech). JSON {"fold": {"from", "to"}, "chunks": [compressed length, ...], "starts":
    [stream position, ...]} — the speech's traditional characters with their simplified
    forms, so the browser folds this text as the index did without the whole table; where
    each chunk starts in the stream (`stream`), so positions from the index say which chunk
    holds a match — then the chunks: one raw deflate stream of JSON lines [[anchor, text],
    ...], one line per chunk, fully flushed after each line. A full flush makes every chunk
    start a fresh, byte-aligned block that needs nothing before it, so any run of neighbouring
    chunks inflates in one call (`inflate_chunks`) — the browser pays one DecompressionStream
    per range it reads, not one per chunk."""
    table = search_table()
    used = _traditional_in("".join([title, *(t for _, _, t in blocks)]))
    grouped = _chunks(blocks)
    chunks = _deflate(grouped)
    lengths = iter(indexed_lengths([title, *(text for _, _, text in blocks)]))
    starts, at = [], block_span(next(lengths))  # (positions in the stream, as the index's)
    for chunk in grouped:
        starts.append(at)
        at += sum(block_span(next(lengths)) for _ in chunk)
    # "end": where the body ends in the stream and the details begin (not in the chunks)
    head: dict[str, object] = {"chunks": [len(c) for c in chunks], "starts": starts, "end": at}
    if used:
        head["fold"] = {"from": "".join(used), "to": "".join(table[c] for c in used)}
    encoded = json.dumps(head, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return encode_one(len(encoded)) + encoded + b"".join(chunks)


@cache
def _is_traditional() -> npt.NDArray[np.bool_]:
    """A flag per code point: has an entry in the traditional → simplified table."""
    flags = np.zeros(0x110000, dtype=np.bool_)
    flags[[ord(char) for char in search_table()]] = True
    return flags


def _traditional_in(text: str) -> list[str]:
    """The table's characters that occur in `text`, sorted: looked up by code point at numpy
    speed (this runs once per speech in the cold build's load step; a set intersection with
    the string took a quarter of a millisecond)."""
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    return [chr(code) for code in distinct(codes[_is_traditional()[codes]])]


def _chunks(blocks: Sequence[Block]) -> list[list[list[str]]]:
    chunks: list[list[list[str]]] = []
    current: list[list[str]] = []
    chars = 0
    for anchor, _, text in blocks:
        current.append([anchor, text])
        chars += len(text)
        if chars >= CHUNK_CHARS:
            chunks.append(current)
            current, chars = [], 0
    if current:
        chunks.append(current)
    return chunks


DEFLATE_LEVEL = 1  # ISA-L's fastest; its level 3 made fragments 0.9% smaller in a fifth more time


def _deflate(grouped: list[list[list[str]]]) -> list[bytes]:
    """Raw deflate, as zlib and the browser's DecompressionStream read it, written by ISA-L
    (python-isal): 0.12 ms a speech against zlib level 6's 0.43 ms — the largest single cost
    of loading a speech in the cold build — for chunks 6% larger."""
    compressor = isal_zlib.compressobj(DEFLATE_LEVEL, isal_zlib.DEFLATED, -isal_zlib.MAX_WBITS)
    chunks = []
    for chunk in grouped:
        line = json.dumps(chunk, ensure_ascii=False, separators=(",", ":")) + "\n"
        chunks.append(
            compressor.compress(line.encode("utf-8")) + compressor.flush(isal_zlib.Z_FULL_FLUSH)
        )
    return chunks


FINAL_BLOCK = b"\x03\x00"  # an empty final block: ends a run of chunks cut from the stream


def inflate_chunks(data: bytes) -> list[list[list[str]]]:
    """A run of neighbouring chunks, each as its blocks — what search.js's inflateChunks does."""
    text = zlib.decompressobj(-zlib.MAX_WBITS).decompress(data + FINAL_BLOCK).decode("utf-8")
    return [json.loads(line) for line in text.split("\n")[:-1]]


def split_fragment_body(data: bytes) -> tuple[dict[str, object], bytes]:
    """The head (fold, chunk lengths) and the chunks' bytes."""
    (length,), offset = decode(data, 0, 1)
    head: dict[str, object] = json.loads(data[offset : offset + length].decode("utf-8"))
    return head, data[offset + length :]


def fragment_blocks(head: dict[str, object], body: bytes) -> list[list[str]]:
    """Every block of a fragment, as the browser would read them all (for the Python reader)."""
    lengths: list[int] = head.get("chunks", [])  # type: ignore[assignment]
    return [block for chunk in inflate_chunks(body[: sum(lengths)]) for block in chunk]
