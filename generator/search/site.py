"""The search index's files in the built site, under search/.

    search/index.json            what the browser reads first (revalidated on every visit):
                                 the index generation, bucket count, filter values, the
                                 bitmap that says which characters need the folding table
    search/<gen>/b/<n>.bin|.x    the buckets and their packs (index.py)
    search/<gen>/facets.bin      year, level and topics of every speech, for the filters
    search/t2s.<hash>.json       traditional → simplified, fetched only for queries that need it
    search/f/<n>.bin             speech n's fragment: its title, URL and details, then its
                                 text in compressed chunks, from which the browser cuts
                                 snippets (read with range requests, chunk by chunk, for
                                 shown results only)

Everything under search/<gen>/ is named by a digest of the index, so a browser never mixes
buckets of two builds; index.json, revalidated, points at the current generation.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np
import numpy.typing as npt

from generator.config import Topic
from generator.fsutil import stage
from generator.render.pages import LEVEL_ORDER, SpeechSummary
from generator.search import index
from generator.search.extract import GROUPS, DocPostings, split_fragment_body
from generator.search.fold import HAN_FIRST, HAN_LAST, client_table
from generator.search.varint import encode_one

FORMAT = 1


class Store(Protocol):
    """Where each speech's search data is cached (generator.bodystore.BodyStore)."""

    def read_bytes(self, locator: str, start: int = 0, length: int | None = None) -> bytes: ...


@dataclass(frozen=True)
class SearchDoc:
    """A speech as the index sees it: its summary and the locators of its cached postings and
    snippet text (written by the build's load step with `extract`)."""

    summary: SpeechSummary
    postings: str
    fragment: str
    digest: str = ""  # of the speech's source file: with the summary, what the index shows


class CachedPostings:
    """Postings read from the cache, one range of hash groups at a time."""

    HEADER = 2 * (GROUPS + 1) * 8

    def __init__(self, store: Store, locators: Sequence[str]) -> None:
        self.store = store
        self.locators = locators
        self.bounds = [
            np.frombuffer(store.read_bytes(loc, 0, self.HEADER), dtype=np.int64) for loc in locators
        ]

    def __len__(self) -> int:
        return len(self.locators)

    def total_keys(self) -> int:
        return sum(int(b[GROUPS]) for b in self.bounds)

    def groups(self, first: int, last: int) -> list[DocPostings]:
        return [
            self._read(loc, b, first, last)
            for loc, b in zip(self.locators, self.bounds, strict=True)
        ]

    def _read(
        self, locator: str, bounds: npt.NDArray[np.int64], first: int, last: int
    ) -> DocPostings:
        key_bounds, position_bounds = bounds[: GROUPS + 1], bounds[GROUPS + 1 :]
        n_keys = int(key_bounds[-1])
        k0, k1 = int(key_bounds[first]), int(key_bounds[last])
        p0, p1 = int(position_bounds[first]), int(position_bounds[last])
        read = self.store.read_bytes
        base = self.HEADER
        keys = np.frombuffer(read(locator, base + 8 * k0, 8 * (k1 - k0)), dtype=np.uint64)
        tfz = np.frombuffer(read(locator, base + 8 * n_keys + 4 * k0, 4 * (k1 - k0)), np.uint32)
        at = base + 12 * n_keys + 4 * p0
        positions = np.frombuffer(read(locator, at, 4 * (p1 - p0)), dtype=np.uint32)
        return DocPostings(
            keys,
            tfz,
            positions,
            key_bounds[first : last + 1] - k0,
            position_bounds[first : last + 1] - p0,
        )


def write_index(
    docs: Sequence[SearchDoc],
    topics: Sequence[Topic],
    store: Store,
    staging: Path,
    previous: dict[str, str],
    jobs: int = 1,
) -> dict[str, str]:
    """Write every file of the index into `staging` (files the output already holds with the
    same bytes are not written) and return each one's sha256, by path under the output.
    `docs` in slug order: a speech's number in the index is its place in that order."""
    pending = staging / "search" / ".pending"
    built = index.build(CachedPostings(store, [d.postings for d in docs]), jobs, pending)
    facets, years, levels = _facets([d.summary for d in docs], topics)
    digests = dict(built.digests)
    digests["facets.bin"] = hashlib.sha256(facets).hexdigest()
    (pending / "facets.bin").write_bytes(facets)
    gen_hash = hashlib.sha256()
    for name in sorted(digests):
        gen_hash.update(f"{name}\0{digests[name]}\n".encode())
    gen = gen_hash.hexdigest()[:16]
    for name, digest in digests.items():  # the output has this very file already
        if previous.get(f"search/{gen}/{name}") == digest:
            (pending / name).unlink()
    pending.rename(staging / "search" / gen)  # named by its content, once it is all there
    files = {f"search/{gen}/{name}": digest for name, digest in digests.items()}

    def put(name: str, data: bytes) -> None:
        files[name] = stage(staging, previous, name, data)

    table = client_table()
    table_json = json.dumps(
        {"from": table.source, "to": table.target}, ensure_ascii=False, separators=(",", ":")
    ).encode("utf-8")
    table_name = f"t2s.{hashlib.sha256(table_json).hexdigest()[:12]}.json"
    put(f"search/{table_name}", table_json)
    for number, doc in enumerate(docs):
        put(f"search/f/{number}.bin", fragment(doc, store))
    manifest = {
        "format": FORMAT,
        "gen": gen,
        "docs": len(docs),
        "bucketBits": built.bucket_bits,
        "table": table_name,
        "tableFirst": HAN_FIRST,
        "tableLast": HAN_LAST,
        "tableBitmap": base64.b64encode(table.bitmap).decode(),
        "topics": [{"name": t.name, "slug": t.slug} for t in topics],
        "levels": levels,
        "years": years,
        "keys": built.keys,
    }
    put(
        "search/index.json",
        json.dumps(manifest, ensure_ascii=False, separators=(",", ":")).encode("utf-8"),
    )
    return files


def fragment(doc: SearchDoc, store: Store) -> bytes:
    """A speech's fragment file, from its summary and its cached text (extract.fragment_body)."""
    s = doc.summary
    meta: dict[str, object] = {
        "title": s.title,
        "url": s.url,
        "date": s.date_display,
        "speaker": " ".join(x for x in (s.speaker_role, s.speaker) if x),
        "occasion": s.occasion or "",
        "level": s.level or "",
        "topics": [t.name for t in s.topics],
    }
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
