"""The search index's files in the built site, under search/.

    search/index.json            what the browser reads first (revalidated on every visit):
                                 the index generation, bucket count, filter values, the
                                 bitmap that says which characters need the folding table
    search/<gen>/b/<n>.bin|.x    the buckets and their packs (index.py)
    search/<gen>/facets.bin      year, level and topics of every speech, for the filters
    search/t2s.<hash>.json       traditional → simplified, fetched only for queries that need it
    search/<gen>/f/<n>.bin       speech n's fragment: its title, URL and details, then its
                                 text in compressed chunks, from which the browser cuts
                                 snippets (read with range requests, chunk by chunk, for
                                 shown results only)

Everything under search/<gen>/ is named by a digest of the index, so a browser never mixes
buckets or fragments of two builds (speech n of one build is not speech n of the next, once
a speech is added or removed); index.json, revalidated, points at the current generation.
"""

from __future__ import annotations

import base64
import hashlib
import json
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple, Protocol

import numpy as np
import numpy.typing as npt

from generator.bodystore import read_exactly
from generator.config import Topic, text_direction
from generator.fsutil import stage
from generator.render.pages import LEVEL_ORDER, SpeechSummary
from generator.search import index, patch
from generator.search.dates import date_forms
from generator.search.extract import (
    GROUPS,
    POSTINGS_HEADER,
    SECTION_GROUPS,
    DocPostings,
    section_offset,
    split_fragment_body,
)
from generator.search.fold import HAN_FIRST, HAN_LAST, client_table
from generator.search.index import Section, gather
from generator.search.state import IndexState
from generator.search.varint import encode_one
from generator.speech import shown_speaker
from generator.workers import in_shares

FORMAT = 2


class Store(Protocol):
    """Where each speech's search data is cached (generator.bodystore.BodyStore)."""

    def read_bytes(self, locator: str, start: int = 0, length: int | None = None) -> bytes: ...

    def locate(self, locator: str) -> tuple[int, int, int]: ...


class SearchDoc(NamedTuple):
    """A speech as the index sees it: its summary and the locators of its cached postings and
    snippet text (written by the build's load step with `extract`). (A named tuple: every
    build makes 10,000, in a third of the time frozen dataclasses took.)"""

    summary: SpeechSummary
    postings: str
    fragment: str
    digest: str = ""  # of the speech's source file: with the summary, what the index shows


class CachedPostings:
    """Postings read from the cache, one section (SECTION_GROUPS hash groups, as to_bytes stores
    them) at a time: one read per speech and pass, then every speech's keys, tfz and positions
    gathered by numpy at once — 10,000 speeches times 32 passes is 320,000 reads, and Python
    work per read is what the stage spent its time on."""

    def __init__(self, store: Store, locators: Sequence[str]) -> None:
        self.locators = locators
        located = [store.locate(loc) for loc in locators]  # (one parse of each locator)
        self.files = [fd for fd, _, _ in located]
        self.starts = np.array([offset for _, offset, _ in located], dtype=np.int64)
        headers = [
            read_exactly(locator, fd, POSTINGS_HEADER, offset)
            for locator, (fd, offset, _) in zip(locators, located, strict=True)
        ]
        width = POSTINGS_HEADER // 8  # (an archive of no speeches has no header to read)
        bounds = np.frombuffer(b"".join(headers), dtype=np.int64).reshape(len(locators), width)
        self.key_bounds = bounds[:, : GROUPS + 1]
        self.position_bounds = bounds[:, GROUPS + 1 :]

    def __len__(self) -> int:
        return len(self.locators)

    def total_keys(self) -> int:
        return int(self.key_bounds[:, GROUPS].sum())

    def groups(self, first: int, last: int) -> Section:
        """Groups first..last-1, which lie in one section (as a merge pass's do)."""
        start = first - first % SECTION_GROUPS
        end = start + SECTION_GROUPS
        if not start <= first < last <= end:
            raise ValueError(f"groups {first}..{last} span sections of {SECTION_GROUPS}")
        kb, pb = self.key_bounds, self.position_bounds
        keys_in = kb[:, end] - kb[:, start]  # each speech's keys in the section
        offsets = section_offset(kb[:, start], pb[:, start])
        sizes = section_offset(kb[:, end], pb[:, end]) - offsets
        padded = (sizes + 7) // 8 * 8  # each speech's section starts 8-aligned in the buffer
        at = np.cumsum(padded) - padded
        buffer = self._read_sections(offsets, sizes, padded)
        k0, k1 = kb[:, first] - kb[:, start], kb[:, last] - kb[:, start]
        p0, p1 = pb[:, first] - pb[:, start], pb[:, last] - pb[:, start]
        return Section(
            gather(buffer.view(np.uint64), at // 8 + k0, k1 - k0),
            gather(buffer.view(np.uint32), (at + 8 * keys_in) // 4 + k0, k1 - k0),
            gather(buffer.view(np.uint32), (at + 12 * keys_in) // 4 + p0, p1 - p0),
            k1 - k0,
        )

    def _read_sections(
        self,
        offsets: npt.NDArray[np.int64],
        sizes: npt.NDArray[np.int64],
        padded: npt.NDArray[np.int64],
    ) -> npt.NDArray[np.uint8]:
        parts: list[bytes] = []
        for locator, fd, at, size, pad in zip(
            self.locators,
            self.files,
            (self.starts + offsets).tolist(),
            sizes.tolist(),
            (padded - sizes).tolist(),
            strict=True,
        ):
            parts += (read_exactly(locator, fd, size, at), _ZEROS[pad])
        return np.frombuffer(b"".join(parts), dtype=np.uint8)


_ZEROS = [bytes(pad) for pad in range(8)]  # the padding that 8-aligns a speech's section


@dataclass
class _Buckets:
    """The index's bucket files, merged or updated: their generation, digests by name under
    it, and the counts IndexState keeps."""

    gen: str
    bits: int
    digests: dict[str, str]
    keys: int
    group0: int


def write_index(
    docs: Sequence[SearchDoc],
    topics: Sequence[Topic],
    store: Store,
    staging: Path,
    previous: dict[str, str],
    jobs: int = 1,
    last: tuple[IndexState, dict[str, str], Path] | None = None,
) -> tuple[dict[str, str], IndexState]:
    """Write every file of the index into `staging` (files the output already holds with the
    same bytes are not written) and return each one's sha256, by path under the output, with
    the state the next build updates it from. `docs` in slug order: a speech's number in the
    index is its place in that order. `previous`: the output's files still there. `last`: the
    last build's state, its index files and the output folder that holds them — when given,
    only the buckets of keys whose postings changed are written (patch.py), if that can be."""
    slugs = [d.summary.slug for d in docs]
    tokens = [d.digest or d.postings for d in docs]
    merged = None
    if last is not None:
        merged = _updated(last, slugs, tokens, docs, store, staging, previous, jobs)
    if merged is None:
        merged = _merged(slugs, docs, store, staging, previous, jobs)
    gen, digests = merged.gen, merged.digests
    facets, years, levels = _facets([d.summary for d in docs], topics)
    files = {f"search/{gen}/{name}": digest for name, digest in digests.items()}

    def put(name: str, data: bytes) -> None:
        files[name] = stage(staging, previous, name, data)

    put(f"search/{gen}/facets.bin", facets)
    version = hashlib.sha256()  # what the browser's cached buckets are valid for
    for name in sorted(files):
        version.update(f"{name}\0{files[name]}\n".encode())
    table = client_table()
    table_json = json.dumps(
        {"from": table.source, "to": table.target}, ensure_ascii=False, separators=(",", ":")
    ).encode("utf-8")
    table_name = f"t2s.{hashlib.sha256(table_json).hexdigest()[:12]}.json"
    put(f"search/{table_name}", table_json)
    shown = [f"{d.summary.key}|{d.digest or d.fragment}" for d in docs]
    known = last[0].fragments if last is not None and last[0].slugs == slugs else []
    # (Kept only as the output holds it as the last index wrote it: a build into another
    # output meanwhile leaves the cache describing that output's index, and this one's older.)
    wrote = last[1] if last is not None else {}
    todo = []
    for number in range(len(docs)):
        name = fragment_name(gen, number)
        held = previous.get(name)
        same = number < len(known) and known[number] == shown[number]
        if same and held is not None and held == wrote.get(name):
            files[name] = held  # shows what it showed: the same bytes
        else:
            todo.append(number)
    files.update(write_fragments(gen, todo, docs, store, staging, previous, jobs))
    manifest = {
        "format": FORMAT,
        "gen": gen,
        "version": version.hexdigest()[:16],
        "docs": len(docs),
        "bucketBits": merged.bits,
        "table": table_name,
        "tableFirst": HAN_FIRST,
        "tableLast": HAN_LAST,
        "tableBitmap": base64.b64encode(table.bitmap).decode(),
        "topics": [{"name": t.name, "slug": t.slug} for t in topics],
        "levels": levels,
        "years": years,
        "keys": merged.keys,
    }
    put(
        "search/index.json",
        json.dumps(manifest, ensure_ascii=False, separators=(",", ":")).encode("utf-8"),
    )
    state = IndexState(
        merged.bits,
        merged.keys,
        merged.group0,
        slugs,
        tokens,
        [d.postings for d in docs],
        shown,
    )
    return files, state


def generation(slugs: Sequence[str], bits: int) -> str:
    """The folder the buckets live in, named by what gives their document numbers and
    bucket numbers a meaning — the speeches, in order, and the bucket count — so that a page
    never pairs buckets with an index.json of other numbers (a stale folder is gone: 404,
    and search.js reads index.json again). An edited speech keeps the folder; index.json's
    `version` then tells the browser which buckets it fetched are stale."""
    hasher = hashlib.sha256(f"{FORMAT}|{bits}\n".encode())
    hasher.update("\n".join(slugs).encode())
    return hasher.hexdigest()[:16]


def _merged(
    slugs: list[str],
    docs: Sequence[SearchDoc],
    store: Store,
    staging: Path,
    previous: dict[str, str],
    jobs: int,
) -> _Buckets:
    """Every bucket merged from every speech's postings."""
    pending = staging / "search" / ".pending"
    built = index.build(CachedPostings(store, [d.postings for d in docs]), jobs, pending)
    gen = generation(slugs, built.bucket_bits)
    for name, digest in built.digests.items():  # the output has this very file already
        if previous.get(f"search/{gen}/{name}") == digest:
            (pending / name).unlink()
    pending.rename(staging / "search" / gen)
    return _Buckets(gen, built.bucket_bits, dict(built.digests), built.keys, built.group0)


def _updated(
    last: tuple[IndexState, dict[str, str], Path],
    slugs: list[str],
    tokens: list[str],
    docs: Sequence[SearchDoc],
    store: Store,
    staging: Path,
    previous: dict[str, str],
    jobs: int,
) -> _Buckets | None:
    """The last build's buckets with the changed speeches' postings updated, when every one
    of its index files is still in the output as it wrote it; else None."""
    state, recorded, output = last
    if not recorded.items() <= previous.items():  # (a set test, in C: 26,000 files at 10,000)
        return None
    gen = generation(state.slugs, state.bits)
    prefix = f"search/{gen}/"

    def read_file(name: str) -> bytes | None:
        digest = recorded.get(prefix + name)
        if digest is None:
            return b""  # (a bucket without a pack)
        try:
            data = (output / (prefix + name)).read_bytes()
        except OSError:
            return None
        return data if hashlib.sha256(data).hexdigest() == digest else None

    def read_postings(number: int) -> tuple[DocPostings, DocPostings] | None:
        try:
            before = store.read_bytes(state.locators[number])
        except OSError:  # (its cache is gone)
            return None
        after = store.read_bytes(docs[number].postings)
        return DocPostings.from_bytes(before), DocPostings.from_bytes(after)

    def write(name: str, data: bytes) -> str:
        return stage(staging, previous, prefix + name, data)

    patched = patch.update(state, slugs, tokens, read_postings, read_file, write, jobs)
    if patched is None:  # what it wrote before it found it could not goes: the merge writes all
        shutil.rmtree(staging / prefix, ignore_errors=True)
        return None
    buckets, cut = prefix + "b/", len(prefix)
    digests = {name[cut:]: digest for name, digest in recorded.items() if name.startswith(buckets)}
    for name, digest in patched.files.items():
        if digest is None:
            del digests[name]
        else:
            digests[name] = digest
    return _Buckets(gen, state.bits, digests, patched.keys, patched.group0)


PARALLEL_FRAGMENTS = 2_000  # fragments from which forked workers write them (a fork of
# the build's process costs tens of milliseconds; a fragment, 0.1 ms)
_FRAGMENTS: dict[str, Any] = {}  # what forked workers read (they inherit it)


def write_fragments(
    gen: str,
    numbers: list[int],
    docs: Sequence[SearchDoc],
    store: Store,
    staging: Path,
    previous: dict[str, str],
    jobs: int,
) -> dict[str, str]:
    """Stage the fragment files of speeches `numbers`; return each one's sha256 by name. A cold
    build writes 10,000 of them after the merge, a second of the parent's time: many go to
    forked workers, a share each."""
    _FRAGMENTS.update(gen=gen, docs=docs, store=store, staging=staging, previous=previous)
    try:
        files: dict[str, str] = {}
        for written in in_shares(_write_fragments, numbers, jobs, PARALLEL_FRAGMENTS):
            files.update(written)
        return files
    finally:
        _FRAGMENTS.clear()


def _write_fragments(numbers: list[int]) -> dict[str, str]:
    gen, docs, store = _FRAGMENTS["gen"], _FRAGMENTS["docs"], _FRAGMENTS["store"]
    staging, previous = _FRAGMENTS["staging"], _FRAGMENTS["previous"]
    files = {}
    for number in numbers:
        name = fragment_name(gen, number)
        files[name] = stage(staging, previous, name, fragment(docs[number], store))
    return files


def fragment_name(gen: str, number: int) -> str:
    """The fragment file of speech `number` of generation `gen`, under the output (search.js
    fetches the same)."""
    return f"search/{gen}/f/{number}.bin"


def fragment(doc: SearchDoc, store: Store) -> bytes:
    """A speech's fragment file, from its summary and its cached text (extract.fragment_body)."""
    s = doc.summary
    meta: dict[str, object] = {
        "title": s.title,
        "url": s.url,
        "date": s.date_display,
        "speaker": shown_speaker(s.speaker_role, s.speaker),
        "occasion": s.occasion or "",
        "level": s.level or "",
        "topics": [t.name for t in s.topics],
    }
    if s.date:  # the other forms it is found by: search.js marks the date a query wrote so
        meta["dates"] = date_forms(s.date, s.date_display)[1:]
    if s.lang_attr:  # a speech in another language than the pages: its title and text are
        meta["lang"] = s.lang  # marked with it in the results, as on its page
        if ' dir="' in s.lang_attr:  # and set in its direction (an Arabic one right to left)
            meta["dir"] = text_direction(s.lang)
    return fragment_file(meta, store.read_bytes(doc.fragment))


def fragment_file(meta: dict[str, object], text: bytes) -> bytes:
    """varint length + JSON details with the text's head (chunk lengths, folds), then the
    compressed chunks: the browser's first range request gets the details and usually the
    first chunks together."""
    text_head, body = split_fragment_body(text)
    head = json.dumps(meta | text_head, ensure_ascii=False, separators=(",", ":"))
    encoded = head.encode("utf-8")
    return encode_one(len(encoded)) + encoded + body


def _facets(
    summaries: Sequence[SpeechSummary], topics: Sequence[Topic]
) -> tuple[bytes, list[int], list[str]]:
    """Per speech: year (index + 1 into `years`, 0 for none), level (likewise), then a bit per
    topic — the filters run over every matching speech before any fragment is fetched."""
    years = sorted({s.year for s in summaries if s.year is not None})
    present = {s.level for s in summaries if s.level}
    levels = [lv for lv in LEVEL_ORDER if lv in present] + sorted(present - set(LEVEL_ORDER))
    year_index = {y: i + 1 for i, y in enumerate(years)}
    level_index = {lv: i + 1 for i, lv in enumerate(levels)}
    topic_bit = {t.name: i for i, t in enumerate(topics)}
    width = 2 + (len(topics) + 7) // 8
    out = bytearray(width * len(summaries))
    for number, s in enumerate(summaries):
        row = number * width
        out[row] = year_index.get(s.year, 0) if s.year is not None else 0
        out[row + 1] = level_index.get(s.level or "", 0)
        for ref in s.topics:
            bit = topic_bit.get(ref.name)
            if bit is not None:
                out[row + 2 + bit // 8] |= 1 << (bit % 8)
    return bytes(out), years, levels
