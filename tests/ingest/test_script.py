"""Patterns written in simplified characters meet text in traditional ones."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.config import load_config
from generator.ingest.script import compile_either, either_script, to_simplified
from generator.ingest.topics import score_topics


@pytest.mark.parametrize(
    ("pattern", "text", "matches"),
    [
        ("讲话|报告", "講話", True),
        ("讲话|报告", "讲话", True),
        ("[县市]长", "縣長", True),
        ("[^讲]", "講", False),  # a negated class leaves out the traditional forms too
        ("在.+上的讲话$", "在全縣教育工作會議上的講話", True),
        (r"\u8bb2话", "讲話", True),  # escapes are copied as they are
        (r"\d{2}年", "12年", True),
        ("来源[:：]", "來源：", True),
    ],
)
def test_a_pattern_matches_both_scripts(pattern: str, text: str, matches: bool) -> None:
    assert (compile_either(pattern).search(text) is not None) == matches


def test_group_names_and_references_are_kept() -> None:
    found = compile_either(r"(?P<县>县)(?P=县)").match("縣縣")
    assert found is not None and found.lastgroup == "县"
    assert either_script(r"(?P<县>县)") == r"(?P<县>[县縣])"


def test_text_folds_one_character_to_one() -> None:
    text = "在全縣教育工作會議上的講話"
    assert to_simplified(text) == "在全县教育工作会议上的讲话"
    assert len(to_simplified(text)) == len(text)


def test_topics_are_found_in_traditional_text(tmp_path: Path) -> None:
    topics = load_config(tmp_path).topics
    text = "我們要深入開展作風整頓，以作風整頓促進工作落實。" * 20
    assigned = {s.topic for s in score_topics(text, topics) if s.assigned}
    assert "作风整顿" in assigned
