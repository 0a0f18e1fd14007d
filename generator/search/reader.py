"""Query a built search index from Python: the same matching and ranking as search.js.

The browser is the index's real reader; this one exists so the index can be checked without a
browser (tests, the recall check, the benchmark). Each step mirrors the function of the same name in search.js, and a test
runs both over the same index and queries and compares their answers.
"""

from __future__ import annotations

import itertools
import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from generator.errors import UserError
from generator.search.extract import (
    CHAR_BITS,
    TITLE_END_KEY,
    ZONE_TITLE,
    fragment_blocks,
    key_hash,
)
from generator.search.fold import search_fold
from generator.search.varint import decode


@dataclass(frozen=True)
class Entry:
    df: int
    docs: tuple[str, int, int] | None  # ("inline", offset, length) or ("pack", offset, length)
    positions: tuple[str, int, int] | None


@dataclass
class Postings:
    docs: list[int]
    counts: list[int]
    zones: list[int]
    positions: list[list[int]] | None = None


@dataclass(frozen=True)
class Hit:
    count: int
    zone: int
    positions: tuple[int, ...] | None


@dataclass(frozen=True)
class Result:
    doc: int
    score: float


@dataclass
class Reader:
    """A built site's search/ folder, read on demand; counts the bytes a browser would fetch."""

    folder: Path
    fetched: dict[str, int] = field(default_factory=dict)  # what a browser would download
    buckets: dict[str, bytes] = field(default_factory=dict)

    def __post_init__(self) -> None:
        path = self.folder / "index.json"
        if not path.is_file():
            raise UserError("no search index here", path, hint="run `speechsite build` first")
        self.manifest: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        self.fetched["index.json"] = path.stat().st_size

    def _read(self, name: str, offset: int = 0, length: int | None = None) -> bytes:
        with (self.folder / name).open("rb") as handle:
            handle.seek(offset)
            data = handle.read() if length is None else handle.read(length)
        self.fetched[f"{name}@{offset}"] = len(data)
        return data

    def bucket_name(self, c1: int, c2: int) -> str:
        h = int(key_hash(np.array([(c1 << CHAR_BITS) | c2], dtype=np.uint64))[0])
        return f"{self.manifest['gen']}/b/{h >> (32 - self.manifest['bucketBits'])}"

    def entry(self, c1: int, c2: int) -> tuple[Entry, bytes, str] | None:
        name = self.bucket_name(c1, c2)
        data = self._bucket(name)
        (count,), at = decode(data, 0, 1)
        for _ in range(count):
            (a, b, df, doc_len, pos_len, flags), at = decode(data, at, 6)
            parts: list[tuple[str, int, int] | None] = []
            for bit, length in ((1, doc_len), (2, pos_len)):
                if not length:
                    parts.append(None)
                elif flags & bit:
                    (offset,), at = decode(data, at, 1)
                    parts.append(("pack", offset, length))
                else:
                    parts.append(("inline", at, length))
                    at += length
            if (a, b) == (c1, c2):
                return Entry(df, parts[0], parts[1]), data, name
        return None

    def _bucket(self, name: str) -> bytes:
        if name not in self.buckets:
            self.buckets[name] = self._read(f"{name}.bin")
        return self.buckets[name]

    def _part(self, data: bytes, name: str, ref: tuple[str, int, int]) -> bytes:
        kind, offset, length = ref
        if kind == "inline":
            return data[offset : offset + length]
        return self._read(f"{name}.x", offset, length)

    def postings(self, c1: int, c2: int, with_positions: bool) -> Postings | None:
        found = self.entry(c1, c2)
        if found is None:
            return None
        entry, data, name = found
        assert entry.docs is not None
        values, _ = decode(self._part(data, name, entry.docs), 0, 2 * entry.df)
        docs, doc = [], 0
        for i, gap in enumerate(values[0::2]):
            doc = gap if i == 0 else doc + gap
            docs.append(doc)
        tfz = values[1::2]
        result = Postings(docs, [v >> 2 for v in tfz], [v & 3 for v in tfz])
        if with_positions and entry.positions is not None:
            raw = self._part(data, name, entry.positions)
            at, lists = 0, []
            for count in result.counts:
                gaps, at = decode(raw, at, count)
                lists.append(_running_sum(gaps))
            result.positions = lists
        return result

    def search(self, query: str) -> tuple[list[str], list[Result]]:
        plan = query_plan(query)
        multi = len(plan.groups) > 1
        matches = [union([self.match_term(t, multi) for t in group]) for group in plan.groups]
        results = rank(matches, int(self.manifest["docs"]))
        unwanted = {doc for term in plan.excluded for doc in self.match_term(term, False)}
        return plan.terms, [r for r in results if r.doc not in unwanted]

    def match_term(self, term: str, want_positions: bool) -> dict[int, Hit]:
        codes = [ord(c) for c in term]
        if len(codes) <= 2:
            second = codes[1] if len(codes) == 2 else 0
            found = self.postings(codes[0], second, want_positions and len(codes) == 2)
            if found is None:
                return {}
            return {
                d: Hit(c, z, tuple(found.positions[i]) if found.positions else None)
                for i, (d, c, z) in enumerate(
                    zip(found.docs, found.counts, found.zones, strict=True)
                )
            }
        pairs = list(itertools.pairwise(codes))
        entries = [self.entry(a, b) for a, b in pairs]
        if any(e is None for e in entries):
            return {}
        costs = [_cost(e[0]) for e in entries if e is not None]
        cover = choose_cover(costs)
        lists = [self.postings(*pairs[i], True) for i in cover]
        hits = verify(cover, [x for x in lists if x is not None])
        if any(hit.zone & ZONE_TITLE for hit in hits.values()):
            hits = self._in_title(hits, len(codes))
        return hits

    def _in_title(self, hits: dict[int, Hit], length: int) -> dict[int, Hit]:
        """A phrase's title bit only where its earliest start lies in the title (its pairs each
        occurring there says less: 20…00 in 2009年… and 2000 in the text). See TITLE_END_KEY."""
        ends = self.postings(0, TITLE_END_KEY, True)
        if ends is None or ends.positions is None:
            return hits
        end = {doc: ends.positions[i][0] for i, doc in enumerate(ends.docs)}
        return {
            doc: hit
            if not hit.zone & ZONE_TITLE or (hit.positions or (0,))[0] + length <= end.get(doc, 0)
            else Hit(hit.count, hit.zone & ~ZONE_TITLE, hit.positions)
            for doc, hit in hits.items()
        }

    def fragment(self, doc: int) -> dict[str, Any]:
        data = self._read(f"{self.manifest['gen']}/f/{doc}.bin")
        (length,), at = decode(data, 0, 1)
        meta: dict[str, Any] = json.loads(data[at : at + length].decode("utf-8"))
        meta["blocks"] = fragment_blocks(meta, data[at + length :])
        return meta


def _running_sum(gaps: list[int]) -> list[int]:
    out, total = [], 0
    for i, gap in enumerate(gaps):
        total = gap if i == 0 else total + gap
        out.append(total)
    return out


def _cost(entry: Entry) -> int:
    return (entry.positions[2] if entry.positions else 0) + (entry.docs[2] if entry.docs else 0)


# What a query loses before it is folded: invisible characters a paste brings along (zero-width
# spaces, a BOM, soft hyphens) and control characters a link can carry (%00: its NUL made the
# pair 商 + NUL the unigram key of 商, which has no positions). (Quotation marks a reader types
# around a term, "营商环境", folding drops, as it drops them from the text.)
QUERY_INVISIBLE_RE = re.compile("[\x00-\x08\x0e-\x1f\x7f\u00ad\u200b-\u200f\u2060-\u2064\ufeff]")


# A full stop typed between two Chinese characters in a query is a name's dot (艾尔肯.吐尼亚孜:
# the text has ·, which folding drops); in the text, ingest made it 。 or ·, which it drops too.
QUERY_NAME_DOT_RE = re.compile(r"(?<=[\u4e00-\u9fff])\.(?=[\u4e00-\u9fff])")


def parse_query(query: str) -> list[str]:
    """The query's distinct terms to find (see parseQuery in search.js)."""
    return query_plan(query).terms


@dataclass
class QueryPlan:
    """What a query asks (search.js queryPlan): every group (its alternatives) occurs, no
    excluded term does; `terms`, the distinct terms to find, for highlights."""

    groups: list[list[str]] = field(default_factory=list)
    excluded: list[str] = field(default_factory=list)
    terms: list[str] = field(default_factory=list)


EXCLUDED_RE = re.compile("[-\uff0d].")


def query_plan(query: str) -> QueryPlan:
    """A query as a search engine reads it: words separated by spaces all occur; a word after
    OR (or |) is an alternative to the one before (营商环境 OR 作风); a word with a leading
    minus must not occur (营商环境 -作风: probe 10 #15 found nothing, and OR found `or` in
    运作风险); a leading plus and AND say what is said anyway."""
    plan = QueryPlan()
    alternative = False
    for word in re.split(r"\s+", QUERY_INVISIBLE_RE.sub("", query)):
        if word in ("OR", "|"):
            alternative = bool(plan.groups)
            continue
        if word in ("AND", ""):
            continue
        excluded = bool(EXCLUDED_RE.match(word))
        text = word[1:] if excluded else word.lstrip("+\uff0b")
        for term in QUERY_NAME_DOT_RE.sub("", search_fold(text)).split(" "):
            if not term:
                continue
            if excluded:
                if term not in plan.excluded:
                    plan.excluded.append(term)
                continue
            if alternative:
                plan.groups[-1].append(term)
            else:
                plan.groups.append([term])
            alternative = False
            if term not in plan.terms:
                plan.terms.append(term)
        alternative = False
    seen: set[tuple[str, ...]] = set()
    distinct = []
    for group in plan.groups:
        key = tuple(sorted(group))
        if key not in seen:
            seen.add(key)
            distinct.append(group)
    plan.groups = distinct
    return plan


def union(alternatives: list[dict[int, Hit]]) -> dict[int, Hit]:
    """Alternatives' matches as one (search.js unionMatches)."""
    if len(alternatives) == 1:
        return alternatives[0]
    out: dict[int, Hit] = {}
    for matches in alternatives:
        for doc, hit in matches.items():
            had = out.get(doc)
            if had is None:
                out[doc] = hit
                continue
            positions = had.positions
            if had.positions is not None and hit.positions is not None:
                positions = tuple(sorted(had.positions + hit.positions))
            elif positions is None:
                positions = hit.positions
            out[doc] = Hit(had.count + hit.count, had.zone | hit.zone, positions)
    return out


def choose_cover(costs: list[int]) -> list[int]:
    """Cheapest pair offsets covering every character (see chooseCover in search.js)."""
    best, came = [costs[0]], [-1]
    for i in range(1, len(costs)):
        j = i - 2 if i >= 2 and best[i - 2] < best[i - 1] else i - 1
        best.append(costs[i] + best[j])
        came.append(j)
    cover: list[int] = []
    k = len(costs) - 1
    while k >= 0:
        cover.insert(0, k)
        k = came[k]
    return cover


def verify(cover: list[int], lists: list[Postings]) -> dict[int, Hit]:
    if len(lists) < len(cover):
        return {}
    rows = [{d: i for i, d in enumerate(lst.docs)} for lst in lists]
    anchor = lists[0]
    out: dict[int, Hit] = {}
    for i, doc in enumerate(anchor.docs):
        where = [r.get(doc) for r in rows]
        if any(w is None for w in where):
            continue
        zone = anchor.zones[i]
        sets = []
        for lst, w in zip(lists, where, strict=True):
            assert w is not None and lst.positions is not None
            zone &= lst.zones[w]
            sets.append(set(lst.positions[w]))
        assert anchor.positions is not None
        starts = [
            p - cover[0]
            for p in anchor.positions[i]
            if all(p - cover[0] + off in s for off, s in zip(cover[1:], sets[1:], strict=True))
        ]
        if starts:
            out[doc] = Hit(len(starts), zone, tuple(starts))
    return out


def minimal_span(lists: list[tuple[int, ...]]) -> float:
    events = sorted((p, t) for t, positions in enumerate(lists) for p in positions)
    seen = [0] * len(lists)
    have, best, left = 0, math.inf, 0
    for right in range(len(events)):
        if seen[events[right][1]] == 0:
            have += 1
        seen[events[right][1]] += 1
        while have == len(lists):
            best = min(best, events[right][0] - events[left][0])
            seen[events[left][1]] -= 1
            if seen[events[left][1]] == 0:
                have -= 1
            left += 1
    return best


# A match in the title, or in an outline heading, outweighs any number of matches in the body
# (a body term scores at most log(1 + N) * (1 + log2(1 + count)), about 100 for 10,000 speeches
# and a thousand matches).
TITLE_BONUS = 1000
HEADING_BONUS = 200
# A title match of a rarer term counts for more, by its rarity (idf, at most about 9 for 10,000
# speeches): among speeches with as many terms in their titles, those whose title holds the
# query's rarer words come first. Probe 20: 十七大 报告 put three resolutions with 报告 (in
# nearly every speech) in their titles above the report titled …十七大 (in 6 of 94).
TITLE_RARITY = 20


def rank(matches: list[dict[int, Hit]], doc_count: int) -> list[Result]:
    """Title and heading matches first, then more and closer matches (search.js: rank)."""
    if not matches:
        return []
    smallest = min(matches, key=len)
    results = []
    for doc in smallest:
        hits = [m.get(doc) for m in matches]
        if any(h is None for h in hits):
            continue
        score = 0.0
        spans: list[tuple[int, ...]] = []
        for m, hit in zip(matches, hits, strict=True):
            assert hit is not None
            idf = math.log(1 + doc_count / len(m))
            # a term's part summed as search.js sums it (scoreOf), so both round the same way
            part = idf * (1 + math.log2(1 + hit.count))
            if hit.zone & 2:
                part += TITLE_BONUS + TITLE_RARITY * idf
            if hit.zone & 1:
                part += HEADING_BONUS
            score += part
            if hit.positions is not None:
                spans.append(hit.positions)
        if len(matches) > 1 and len(spans) == len(matches):
            score += 4 / (1 + minimal_span(spans) / 10)
        results.append(Result(doc, score))
    results.sort(key=lambda r: (-r.score, r.doc))
    return results
