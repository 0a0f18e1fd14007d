"""Topics from keyword rules: weighted term counts, normalised by length.

Terms are matched longest first without overlap (优化营商环境 counts once, not also as 营商环境),
so weights mean what they say. The score per 10,000 characters makes a short speech that
mentions a topic often comparable with a long report that mentions it as often in proportion.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from dataclasses import dataclass

from generator.config import Topic
from generator.ingest.script import to_simplified


@dataclass(frozen=True)
class TopicScore:
    topic: str
    score: float
    per_10k: float
    terms: dict[str, int]
    assigned: bool

    def evidence(self) -> dict[str, object]:
        return {"score": self.score, "per_10k": self.per_10k, "terms": dict(self.terms)}


def score_topics(text: str, topics: tuple[Topic, ...]) -> list[TopicScore]:
    """Score every topic on `text`; `assigned` says whether it passes its threshold. A text
    in traditional characters is read as simplified (the terms are written so)."""
    text = to_simplified(text)
    length = max(len(text), 1)
    scores = []
    for topic in topics:
        counts = _count_terms(text, topic.terms)
        score = round(sum(topic.terms[t] * n for t, n in counts.items()), 2)
        per_10k = round(score * 10_000 / length, 2)
        assigned = per_10k >= topic.threshold and sum(counts.values()) >= topic.min_count
        ordered = dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))
        scores.append(TopicScore(topic.name, score, per_10k, ordered, assigned))
    return scores


def _count_terms(text: str, terms: dict[str, float]) -> Counter[str]:
    return Counter(_terms_pattern(tuple(terms)).findall(text))


@functools.lru_cache(maxsize=64)
def _terms_pattern(terms: tuple[str, ...]) -> re.Pattern[str]:
    """One alternation, longest term first, so overlapping terms count once (leftmost-longest)."""
    ordered = sorted(terms, key=lambda term: (-len(term), term))
    return re.compile("|".join(re.escape(term) for term in ordered))
