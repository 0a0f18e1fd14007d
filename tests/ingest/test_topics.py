"""Topic scoring: weighted term counts (longest term first), per 10,000 characters, thresholds."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.config import Topic
from generator.ingest.topics import TopicScore, score_topics
from generator.speech import read_front_matter
from tests.helpers import run_ingest, speech_text, speeches_dir, write_raw


def topic(
    terms: dict[str, float], threshold: float = 0.0, min_count: int = 1, name: str = "营商环境"
) -> Topic:
    return Topic(name, "t", "", terms, threshold, min_count)


def score(text: str, *topics: Topic) -> list[TopicScore]:
    return score_topics(text, topics or (topic({"营商环境": 1}),))


# --- counting ---------------------------------------------------------------------------------


def test_longest_term_counts_first_and_only_once() -> None:
    [result] = score("优化营商环境，营商环境", topic({"营商环境": 1, "优化营商环境": 5}))
    assert result.terms == {"优化营商环境": 1, "营商环境": 1}
    assert result.score == 6.0


def test_overlapping_terms_do_not_double_count() -> None:
    [result] = score("作风整顿作风建设作风", topic({"作风": 1, "作风整顿": 3, "作风建设": 2}))
    assert result.terms == {"作风": 1, "作风建设": 1, "作风整顿": 1}
    assert result.score == 6.0


def test_terms_are_matched_literally() -> None:
    [result] = score("办法(试行)和办法试行.", topic({"(试行)": 2, ".": 1}))
    assert result.terms == {"(试行)": 1, ".": 1}


def test_weights_multiply_counts() -> None:
    [result] = score("放管服放管服政务服务", topic({"放管服": 3, "政务服务": 2.5}))
    assert result.terms == {"放管服": 2, "政务服务": 1}
    assert result.score == 8.5


def test_no_match_scores_zero() -> None:
    [result] = score("今天天气很好。", topic({"营商环境": 1}))
    assert (result.score, result.per_10k, result.terms, result.assigned) == (0, 0, {}, False)


def test_empty_text_does_not_divide_by_zero() -> None:
    [result] = score("", topic({"营商环境": 1}))
    assert result.score == 0 and not result.assigned


# --- normalisation and thresholds -------------------------------------------------------------


def test_per_10k_normalises_by_length() -> None:
    short = "营商环境" + "。" * 96  # 100 characters, one hit
    long = ("营商环境" + "。" * 96) * 10  # 1000 characters, ten hits
    [a] = score(short, topic({"营商环境": 2}))
    [b] = score(long, topic({"营商环境": 2}))
    assert a.score == 2.0 and b.score == 20.0
    assert a.per_10k == b.per_10k == 200.0


def test_per_10k_is_rounded_to_two_places() -> None:
    [result] = score("营商环境" + "。" * 2996, topic({"营商环境": 1}))
    assert result.per_10k == 3.33


@pytest.mark.parametrize(
    ("threshold", "assigned"), [(199.99, True), (200.0, True), (200.01, False)]
)
def test_threshold_is_inclusive(threshold: float, assigned: bool) -> None:
    [result] = score("营商环境" + "。" * 96, topic({"营商环境": 2}, threshold=threshold))
    assert result.per_10k == 200.0
    assert result.assigned is assigned


@pytest.mark.parametrize(("min_count", "assigned"), [(2, True), (3, False)])
def test_min_count_counts_all_term_occurrences(min_count: int, assigned: bool) -> None:
    [result] = score("营商环境放管服", topic({"营商环境": 5, "放管服": 5}, 0, min_count))
    assert result.per_10k > 10_000
    assert result.assigned is assigned


def test_each_topic_scored_on_its_own() -> None:
    results = score(
        "作风整顿营商环境营商环境",
        topic({"作风整顿": 1}, threshold=0, min_count=2, name="作风"),
        topic({"营商环境": 1}, threshold=0, min_count=2, name="营商"),
    )
    assert [(r.topic, r.assigned) for r in results] == [("作风", False), ("营商", True)]


# --- evidence ---------------------------------------------------------------------------------


def test_evidence_lists_score_rate_and_terms_by_count() -> None:
    [result] = score("乙甲乙丙乙甲。。。。", topic({"甲": 1, "乙": 0.5, "丙": 2}))
    evidence = result.evidence()
    assert evidence == {"score": 5.5, "per_10k": 5500.0, "terms": {"乙": 3, "甲": 2, "丙": 1}}
    assert list(evidence["terms"]) == ["乙", "甲", "丙"]  # type: ignore[call-overload]


def test_ties_are_ordered_by_term() -> None:
    [result] = score("丙甲乙", topic({"甲": 1, "乙": 1, "丙": 1}))
    assert list(result.terms) == sorted(["甲", "乙", "丙"])


@settings(max_examples=200, deadline=None)
@given(st.text(st.sampled_from("营商环境优化放管服作风整顿。，"), max_size=60))
def test_counts_never_overlap(text: str) -> None:
    terms = {"营商环境": 1.0, "优化营商环境": 2.0, "营商": 1.0, "放管服": 1.0, "作风": 1.0}
    [result] = score(text, topic(terms))
    assert result.terms == reference_counts(text, terms)
    assert sum(len(term) * n for term, n in result.terms.items()) <= len(text)
    assert result.score == round(sum(terms[t] * n for t, n in result.terms.items()), 2)


def reference_counts(text: str, terms: dict[str, float]) -> dict[str, int]:
    """Scan left to right; at each position take the longest term that starts there."""
    counts: dict[str, int] = {}
    longest_first = sorted(terms, key=len, reverse=True)
    index = 0
    while index < len(text):
        found = next((t for t in longest_first if text.startswith(t, index)), None)
        if found is None:
            index += 1
            continue
        counts[found] = counts.get(found, 0) + 1
        index += len(found)
    return counts


# --- in the pipeline --------------------------------------------------------------------------


def test_ingest_writes_topics_and_evidence(tmp_path: Path) -> None:
    write_raw(
        tmp_path,
        "a.txt",
        speech_text(
            "在全县优化营商环境大会上的讲话",
            "同志们：",
            "优化营商环境是发展的关键。要深化放管服改革，提升政务服务水平，打造一流营商环境。",
        ),
    )
    run_ingest(tmp_path)
    [path] = speeches_dir(tmp_path).glob("*.md")
    front = read_front_matter(path)
    assert front["topics"] == ["营商环境"]
    evidence = front["topic_evidence"]["营商环境"]
    assert evidence["terms"] == {"优化营商环境": 1, "营商环境": 1, "放管服": 1, "政务服务": 1}
    assert "作风整顿" not in front["topic_evidence"]  # topics that scored 0 are left out
