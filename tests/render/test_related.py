"""Related speeches: exact scores, ties by archive order, and an edit's update equal to a full
computation."""

from __future__ import annotations

import numpy as np
import pytest

from generator.render import related
from generator.render.related import DIMENSIONS, compute, raw_vector, update

TOPICS = ("作风整顿", "营商环境", "落实")


def archive(
    count: int, seed: int, copies: int = 4
) -> tuple[list[str], list[tuple[str, ...]], np.ndarray]:  # type: ignore[type-arg]
    """`count` speeches (slugs in order) in groups of identical texts, as a generated archive
    has, vectors with some zero buckets, random topics."""
    rng = np.random.default_rng(seed)
    bases = rng.normal(size=(max(1, count // copies), DIMENSIONS)).astype(np.float32)
    bases[rng.random(bases.shape) < 0.1] = 0
    raw = bases[np.arange(count) % len(bases)].copy()
    topics = [tuple(t for t in TOPICS if rng.random() < 0.3) for _ in range(count)]
    return [f"s-{i:04d}" for i in range(count)], topics, raw


def test_similar_text_and_shared_topics_rank_first() -> None:
    texts = ["作风建设是全面从严治党的重要内容" * 20, "营商环境是发展的生命线" * 20]
    raw = np.stack([raw_vector(texts[0]), raw_vector(texts[1]), raw_vector(texts[0] + "。")])
    result = compute(["a", "b", "c"], [(), (), ()], raw, 2).as_dict()
    assert [slug for slug, _ in result["a"]] == ["c", "b"]
    assert result["a"][0][1] == pytest.approx(1.0, abs=0.005)
    with_topic = dict(compute(["a", "b", "c"], [("落实",), ("落实",), ()], raw, 2).as_dict()["a"])
    assert with_topic["b"] == pytest.approx(dict(result["a"])["b"] + 1, abs=0.002)  # +1 a topic


def test_ties_go_to_the_earlier_speech() -> None:
    slugs, topics, raw = archive(40, seed=1, copies=20)
    result = compute(slugs, [() for _ in topics], raw, 5).as_dict()
    # speeches 0, 2, 4, … share one text: speech 0's related are the next copies in order
    assert [slug for slug, _ in result["s-0000"]] == [
        "s-0002",
        "s-0004",
        "s-0006",
        "s-0008",
        "s-0010",
    ]
    assert [slug for slug, _ in result["s-0002"]] == [
        "s-0000",
        "s-0004",
        "s-0006",
        "s-0008",
        "s-0010",
    ]


def test_never_related_to_itself_and_short_archives() -> None:
    slugs, topics, raw = archive(3, seed=2, copies=1)
    result = compute(slugs, topics, raw, 5).as_dict()
    for slug, items in result.items():
        assert len(items) == 2 and slug not in [s for s, _ in items]
    assert compute(["only"], [()], raw[:1], 5).as_dict() == {"only": []}


@pytest.mark.parametrize(("count", "limit"), [(0, 5), (3, 5), (200, 5), (120, 9)])
def test_as_dict_lists_each_row_as_row_rounds_it(count: int, limit: int) -> None:
    """as_dict rounds each distinct score once: every row equals `row`, which rounds each of
    its scores on its own (short rows, with -inf beyond their last speech, included)."""
    slugs, topics, raw = archive(count, seed=5)
    result = compute(slugs, topics, raw, limit)
    assert result.as_dict() == {slug: result.row(i) for i, slug in enumerate(slugs)}


@pytest.mark.parametrize("seed", range(12))
def test_update_after_edits_equals_full_computation(seed: int) -> None:
    rng = np.random.default_rng(100 + seed)
    slugs, topics, raw = archive(int(rng.integers(20, 700)), seed)
    limit = int(rng.integers(1, 7))
    before = compute(slugs, topics, raw, limit)
    edited_raw, edited_topics = raw.copy(), list(topics)
    for row in rng.choice(len(slugs), size=int(rng.integers(1, 4)), replace=False):
        kind = rng.integers(0, 3)
        if kind == 0:  # a small edit of the text
            edited_raw[row, :5] += 0.5
        elif kind == 1:  # the text of another speech
            edited_raw[row] = raw[int(rng.integers(0, len(slugs)))]
        else:
            edited_topics[row] = tuple(t for t in TOPICS if rng.random() < 0.5)
    updated = update(before, slugs, edited_topics, edited_raw, limit)
    full = compute(slugs, edited_topics, edited_raw, limit)
    assert np.array_equal(updated.columns, full.columns)
    assert np.array_equal(updated.scores, full.scores)
    assert updated.as_dict() == full.as_dict()


def test_update_reuses_unchanged_and_recomputes_when_speeches_change() -> None:
    slugs, topics, raw = archive(50, seed=3)
    before = compute(slugs, topics, raw, 5)
    assert update(before, slugs, topics, raw.copy(), 5) is before
    fewer = update(before, slugs[1:], topics[1:], raw[1:].copy(), 5)
    assert fewer.as_dict() == compute(slugs[1:], topics[1:], raw[1:].copy(), 5).as_dict()
    assert "s-0000" not in str(fewer.as_dict())


def test_scores_are_exact_whatever_the_blocking(monkeypatch: pytest.MonkeyPatch) -> None:
    slugs, topics, raw = archive(300, seed=4, copies=3)
    whole = compute(slugs, topics, raw, 5)
    monkeypatch.setattr(related, "BLOCK", 7)
    blocked = compute(slugs, topics, raw, 5)
    assert np.array_equal(blocked.columns, whole.columns)
    assert np.array_equal(blocked.scores, whole.scores)


def brute_force(
    topics: list[tuple[str, ...]],
    raw: np.ndarray,  # type: ignore[type-arg]
    limit: int,
) -> list[list[int]]:
    """Each row's best `limit` other rows by a full sort: score, then the earlier row."""
    vectors = related._quantize(raw).astype(np.float64)
    out = []
    for i in range(len(topics)):
        scored = [
            (-(len(set(topics[i]) & set(topics[j])) * related.UNIT + vectors[i] @ vectors[j]), j)
            for j in range(len(topics))
            if j != i
        ]
        out.append([j for _, j in sorted(scored)[:limit]])
    return out


@pytest.mark.parametrize(
    ("count", "copies", "chunk"), [(2, 1, 64), (9, 3, 2), (150, 5, 4), (257, 1, 8)]
)
def test_best_rows_equal_a_full_sort(
    monkeypatch: pytest.MonkeyPatch, count: int, copies: int, chunk: int
) -> None:
    """The related rows found from chunk maxima (`_candidates`) are those a full sort finds, ties
    (copies of one text) included, on both sides of the short-archive fallback."""
    monkeypatch.setattr(related, "CHUNK", chunk)
    slugs, topics, raw = archive(count, seed=count, copies=copies)
    result = compute(slugs, topics, raw, 5)
    found = [[c for c in row if c >= 0] for row in result.columns.tolist()]
    assert found == brute_force(topics, raw, 5)
