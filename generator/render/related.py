"""Related speeches: shared topics first, then text similarity, computed at build time.

Each speech becomes a feature-hashed vector of its Han character bigrams (signed, log term
frequency, unit length), so similarity of all pairs is one blocked matrix product in numpy
instead of a Python loop over 50 million pairs. A score is the number of shared topics plus
the cosine of the two texts; ties go to the speech whose slug sorts first.

Scores are exact: each unit vector is scaled by SCALE and rounded, so every product and every
partial sum of a dot product is an integer below 2^24, which float32 holds exactly whatever
order the BLAS library adds in. A speech's ranking therefore does not depend on the machine,
on the block it was computed in, or on whether it was computed alone, and a vector depends on
its own text only (no idf: with 256 signed buckets every bucket occurs in 83-99% of speeches,
so bucket idf measured sign cancellation, not rare words, and tied every speech's weights to
every other's). That is what lets an edit update only the rows it can change (`update`) and
still give exactly what a full computation gives (tests/render/test_related.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

import numpy as np
import numpy.typing as npt

DIMENSIONS = 256
BLOCK = 512  # rows scored at once: 512 x 10,000 float32 scores are 20 MB
CHUNK = 64  # columns a row's maximum is taken over, to bound its best scores (_candidates)
SCALE = 2048  # |any partial dot product| <= (SCALE + DIMENSIONS**0.5 / 2)**2 < 2**24
UNIT = float(SCALE * SCALE)  # a score of 1: identical texts, or one shared topic
REBUILD_SHARE = 8  # more than 1/8 of the speeches edited: recompute everything

FloatArray = npt.NDArray[np.float32]
IndexArray = npt.NDArray[np.int64]


def raw_vector(text: str) -> FloatArray:
    """One speech's hashed bigram vector before weighting (computed where the text is)."""
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    if codes.size < 2:
        return np.zeros(DIMENSIONS, dtype=np.float32)
    han = (codes >= 0x4E00) & (codes <= 0x9FFF)
    keep = han[:-1] & han[1:]
    pairs = (codes[:-1][keep] << np.uint64(16)) ^ codes[1:][keep]
    mixed = (pairs * np.uint64(0x9E3779B97F4A7C15)) >> np.uint64(32)
    buckets = (mixed % np.uint64(DIMENSIONS)).astype(np.int64)
    signs = np.where((mixed >> np.uint64(20)) & np.uint64(1), 1.0, -1.0)
    counts = np.bincount(buckets, weights=signs, minlength=DIMENSIONS)
    return (np.sign(counts) * np.log1p(np.abs(counts))).astype(np.float32)


def stack(raw: list[bytes]) -> FloatArray:
    """Raw vectors (as stored in the build cache) as one matrix, a row a speech."""
    if not raw:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    return np.frombuffer(b"".join(raw), dtype=np.float32).reshape(len(raw), DIMENSIONS).copy()


@dataclass
class Related:
    """Every speech's related speeches, with what is needed to update them after an edit.
    Rows are the speeches in slug order."""

    slugs: list[str]
    topics: list[tuple[str, ...]]
    raw: FloatArray  # unweighted vectors, a row a speech
    vectors: FloatArray  # unit length, times SCALE, rounded: integers
    columns: IndexArray  # per row, the `limit` best other rows, best first, -1 where fewer
    scores: FloatArray  # their scores times UNIT, -inf where fewer
    limit: int

    def as_dict(self) -> dict[str, list[tuple[str, float]]]:
        """slug → [(related slug, score rounded to 3 places)], best first. Scores take few
        values (a few hundred among 50,000 at 10,000 speeches): each is rounded once, which
        halved the time a new process takes to list them all. The pairs of all rows are made
        in one list, then cut row by row: a list made per row took twice as long (26 ms)."""
        values, which = np.unique(self.scores, return_inverse=True)
        rounded = np.array([_shown(value) for value in values.tolist()], dtype=object)
        valid = self.columns >= 0
        slugs = self.slugs
        names = list(map(slugs.__getitem__, cast(list[int], self.columns[valid].tolist())))
        shown = cast(list[float], rounded[which.reshape(self.scores.shape)[valid]].tolist())
        pairs = list(zip(names, shown, strict=True))
        ends = cast(list[int], np.cumsum(valid.sum(axis=1)).tolist())
        return {
            slug: pairs[start:end]
            for slug, start, end in zip(slugs, [0, *ends][:-1], ends, strict=True)
        }

    def row(self, index: int) -> list[tuple[str, float]]:
        """One speech's entry of `as_dict`."""
        return self._listed(self.columns[index].tolist(), self.scores[index].tolist())

    def _listed(self, columns: list[int], scores: list[float]) -> list[tuple[str, float]]:
        return [(self.slugs[c], _shown(s)) for c, s in zip(columns, scores, strict=True) if c >= 0]


def _shown(score: float) -> float:
    """A score as the lists show it: in units of UNIT, rounded to 3 places."""
    return round(score / UNIT, 3)


def compute(
    slugs: list[str], topics: list[tuple[str, ...]], raw: FloatArray, limit: int
) -> Related:
    """Related speeches of every speech, from scratch. `slugs` must be sorted."""
    count = len(slugs)
    vectors = _quantize(raw)
    columns, scores = _empty(count, limit)
    matrix = _topic_matrix(topics)
    scratch = _Scratch.of(min(BLOCK, count), count)
    for start in range(0, count, BLOCK):
        rows = np.arange(start, min(start + BLOCK, count))
        columns[rows], scores[rows] = _top_rows(rows, vectors, matrix, limit, scratch)
    return Related(slugs, topics, raw, vectors, columns, scores, limit)


def update(
    previous: Related | None,
    slugs: list[str],
    topics: list[tuple[str, ...]],
    raw: FloatArray,
    limit: int,
) -> Related:
    """`compute`'s result, reusing `previous` where an edit cannot have changed it.

    With the same speeches, only the edited rows' vectors and topics differ, so only the scores
    against them changed. A row keeps its related speeches unless one of them was edited (then
    the row is recomputed: which one would come next is unknown) or an edited speech now ranks
    above its last one (then it is merged in)."""
    count = len(slugs)
    if (
        previous is None
        or previous.limit != limit
        or previous.slugs != slugs
        or previous.raw.shape != raw.shape
    ):
        return compute(slugs, topics, raw, limit)
    edited = np.flatnonzero(
        (previous.raw != raw).any(axis=1)
        | np.array([a != b for a, b in zip(previous.topics, topics, strict=True)], dtype=bool)
    )
    if edited.size == 0:
        return previous
    if edited.size * REBUILD_SHARE > count:
        return compute(slugs, topics, raw, limit)
    vectors = previous.vectors.copy()
    vectors[edited] = _quantize(raw[edited])
    matrix = _topic_matrix(topics)
    columns, scores = previous.columns.copy(), previous.scores.copy()
    is_edited = np.zeros(count, dtype=bool)
    is_edited[edited] = True
    lost = (is_edited[np.maximum(columns, 0)] & (columns >= 0)).any(axis=1) | is_edited
    again = np.flatnonzero(lost)
    scratch = _Scratch.of(min(BLOCK, again.size), count)
    for start in range(0, again.size, BLOCK):
        rows = again[start : start + BLOCK]
        columns[rows], scores[rows] = _top_rows(rows, vectors, matrix, limit, scratch)
    keep = np.flatnonzero(~lost)
    for start in range(0, keep.size, BLOCK * 8):
        rows = keep[start : start + BLOCK * 8]
        challengers = _scores(rows, edited, vectors, matrix)
        merged_columns = np.concatenate(
            [columns[rows], np.broadcast_to(edited, challengers.shape)], axis=1
        )
        merged_scores = np.concatenate([scores[rows], challengers], axis=1)
        columns[rows], scores[rows] = _best(merged_columns, merged_scores, limit)
    return Related(slugs, topics, raw, vectors, columns, scores, limit)


def _quantize(raw: FloatArray) -> FloatArray:
    """Unit length, times SCALE, rounded: row by row in float64, so a row's values depend on
    its own text only."""
    weighted = raw.astype(np.float64)
    norms = np.sqrt((weighted * weighted).sum(axis=1, keepdims=True))
    norms[norms == 0] = 1
    quantized: FloatArray = np.rint(weighted / norms * SCALE).astype(np.float32)
    return quantized


def _topic_matrix(topics: list[tuple[str, ...]]) -> FloatArray:
    names = {name: column for column, name in enumerate(sorted({t for ts in topics for t in ts}))}
    matrix = np.zeros((len(topics), max(len(names), 1)), dtype=np.float32)
    for row, ts in enumerate(topics):
        for name in ts:
            matrix[row, names[name]] = 1
    return matrix


def _scores(
    rows: IndexArray, columns: IndexArray, vectors: FloatArray, topics: FloatArray
) -> FloatArray:
    """Scores of `rows` against `columns` times UNIT: exact integer products, then one float32
    multiply and add per element, so every element comes out the same however it is blocked.
    A speech is never related to itself (-inf: found by a search of the sorted `columns`, not
    by comparing every row with every column)."""
    scores: FloatArray = topics[rows] @ topics[columns].T
    scores *= np.float32(UNIT)
    scores += vectors[rows] @ vectors[columns].T
    at = np.minimum(np.searchsorted(columns, rows), max(columns.size - 1, 0))
    itself = np.flatnonzero(columns[at] == rows) if columns.size else at[:0]
    scores[itself, at[itself]] = -np.inf
    return scores


@dataclass
class _Scratch:
    """Two blocks' worth of scores, written again for each block of rows: fresh 20 MB
    arrays a block, and copies of the whole matrices indexed by every column, were page
    faults and copying (the related step of 10,000 speeches: 0.79–1.07 → 0.66–0.88 s)."""

    scores: FloatArray
    shared: FloatArray

    @classmethod
    def of(cls, rows: int, columns: int) -> _Scratch:
        return cls(*(np.empty((rows, columns), dtype=np.float32) for _ in range(2)))


def _all_scores(
    rows: IndexArray, vectors: FloatArray, topics: FloatArray, scratch: _Scratch
) -> FloatArray:
    """`_scores` of `rows` against every row, in `scratch`: the same values (a sum of two
    float32 values does not depend on their order)."""
    scores = np.matmul(vectors[rows], vectors.T, out=scratch.scores[: rows.size])
    shared = np.matmul(topics[rows], topics.T, out=scratch.shared[: rows.size])
    shared *= np.float32(UNIT)
    scores += shared
    scores[np.arange(rows.size), rows] = -np.inf
    return scores


def _top_rows(
    rows: IndexArray, vectors: FloatArray, topics: FloatArray, limit: int, scratch: _Scratch
) -> tuple[IndexArray, FloatArray]:
    """The best `limit` other rows of each of `rows`, best first."""
    count = vectors.shape[0]
    take = min(limit, count - 1)
    if take <= 0:
        return _empty(rows.size, limit)
    scores = _all_scores(rows, vectors, topics, scratch)
    row, column = _candidates(scores, take)
    return _best_pairs(row, column, scores[row, column], rows.size, limit)


def _candidates(scores: FloatArray, take: int) -> tuple[IndexArray, IndexArray]:
    """(row, column) of every score at or above its row's floor: a score no higher than the
    row's `take`-th best, so the candidates hold the best `take` and all tied with them
    (`_best_pairs` then keeps the best).

    The floor is the `take`-th best of the maxima of CHUNK-wide slices (those maxima are
    `take` scores of the row), found from a sixty-fourth of the row — a full partition of
    every row was half of the cold build's related step. Only the slices whose maximum
    reaches it can hold a candidate, so only they are searched: a few per row, where
    comparing and scanning the whole block took a quarter of the step."""
    count = scores.shape[1]
    chunks = -(-count // CHUNK)
    if chunks < take:  # (a short archive: its rows are short too)
        floor = np.partition(scores, count - take, axis=1)[:, count - take]
        found = np.nonzero(scores >= floor[:, None])
        return found[0].astype(np.int64), found[1].astype(np.int64)
    maxima = _chunk_maxima(scores, chunks)
    floor = np.partition(maxima, chunks - take, axis=1)[:, chunks - take]
    row, chunk = np.nonzero(maxima >= floor[:, None])
    columns = chunk[:, None] * CHUNK + np.arange(CHUNK)  # each such slice's columns
    inside = columns < count  # (the last slice may be short)
    columns = np.minimum(columns, count - 1)
    hit = (scores[row[:, None], columns] >= floor[row][:, None]) & inside
    pair, at = np.nonzero(hit)
    return row[pair].astype(np.int64), columns[pair, at].astype(np.int64)


def _chunk_maxima(scores: FloatArray, chunks: int) -> FloatArray:
    """Each row's maximum over each CHUNK-wide slice of its columns, the last one possibly
    shorter (taken by itself, not by padding a copy of the whole block)."""
    rows, count = scores.shape
    whole = count // CHUNK
    maxima = np.empty((rows, chunks), dtype=np.float32)
    maxima[:, :whole] = scores[:, : whole * CHUNK].reshape(rows, whole, CHUNK).max(axis=2)
    if whole < chunks:
        maxima[:, whole] = scores[:, whole * CHUNK :].max(axis=1)
    return maxima


def _best(columns: IndexArray, scores: FloatArray, limit: int) -> tuple[IndexArray, FloatArray]:
    """Each row's best `limit` of (column, score) pairs: higher score, then lower column."""
    row = np.repeat(np.arange(columns.shape[0]), columns.shape[1])
    listed = columns.ravel() >= 0
    return _best_pairs(
        row[listed], columns.ravel()[listed], scores.ravel()[listed], columns.shape[0], limit
    )


def _best_pairs(
    row: IndexArray, column: IndexArray, score: FloatArray, rows: int, limit: int
) -> tuple[IndexArray, FloatArray]:
    order = np.lexsort((column, -score, row))
    row, column, score = row[order], column[order], score[order]
    rank = np.arange(row.size) - np.searchsorted(row, row)
    kept = rank < limit
    columns, scores = _empty(rows, limit)
    columns[row[kept], rank[kept]] = column[kept]
    scores[row[kept], rank[kept]] = score[kept]
    return columns, scores


def _empty(rows: int, limit: int) -> tuple[IndexArray, FloatArray]:
    return (
        np.full((rows, limit), -1, dtype=np.int64),
        np.full((rows, limit), -np.inf, dtype=np.float32),
    )
