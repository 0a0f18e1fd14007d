"""Related speeches: shared topics first, then text similarity, computed at build time.

Each speech becomes a feature-hashed vector of its Han character bigrams (log term frequency,
bucket idf, unit length), so similarity of all pairs is one blocked matrix product in numpy —
about a second for 10,000 speeches — instead of a Python loop over 50 million pairs.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

DIMENSIONS = 256
BLOCK = 1024

FloatArray = npt.NDArray[np.float32]


def raw_vector(text: str) -> FloatArray:
    """One speech's hashed bigram vector before weighting (computed where the text is)."""
    return _hashed_bigrams(text)


def weighted(raw: list[bytes]) -> FloatArray:
    """Stack raw vectors, weight by bucket idf and scale to unit length."""
    matrix = np.zeros((len(raw), DIMENSIONS), dtype=np.float32)
    for row, data in enumerate(raw):
        matrix[row] = np.frombuffer(data, dtype=np.float32)
    return _weight(matrix)


def _weight(matrix: FloatArray) -> FloatArray:
    count = matrix.shape[0]
    presence = (matrix != 0).sum(axis=0)
    idf = np.log((1 + count) / (1 + presence)).astype(np.float32) + 1
    matrix *= idf
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0] = 1
    normalised: FloatArray = (matrix / norms).astype(np.float32)
    return normalised


def _hashed_bigrams(text: str) -> FloatArray:
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


def related_indices(
    topics: list[list[str]], vectors: FloatArray, limit: int = 5
) -> list[list[tuple[int, float]]]:
    """For each speech, up to `limit` (index, score) of others: shared topics + cosine."""
    count = len(topics)
    if count < 2:
        return [[] for _ in range(count)]
    names = sorted({t for ts in topics for t in ts})
    topic_matrix = np.zeros((count, max(len(names), 1)), dtype=np.float32)
    for row, ts in enumerate(topics):
        for name in ts:
            topic_matrix[row, names.index(name)] = 1
    result: list[list[tuple[int, float]]] = []
    for start in range(0, count, BLOCK):
        stop = min(start + BLOCK, count)
        scores = topic_matrix[start:stop] @ topic_matrix.T + vectors[start:stop] @ vectors.T
        scores = np.round(scores, 4)
        scores[np.arange(stop - start), np.arange(start, stop)] = -np.inf
        result.extend(_top(scores[row], limit) for row in range(stop - start))
    return result


def _top(row: npt.NDArray[np.float32], limit: int) -> list[tuple[int, float]]:
    take = min(limit, row.size - 1)
    if take <= 0:
        return []
    # The best few times `take`, so ties at the boundary are decided by index, not by chance.
    pool = min(take * 4, row.size)
    candidates = np.argpartition(-row, pool - 1)[:pool]
    ranked = sorted(candidates.tolist(), key=lambda i: (-float(row[i]), i))[:take]
    return [(i, float(row[i])) for i in ranked if np.isfinite(row[i])]
