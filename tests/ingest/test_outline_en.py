"""Outline detection for speeches in English, driven by tests/fixtures/outline/cases_en.txt (the
format of cases.txt): First, … Second, …, heading lines, numbered and Roman points; and a
Chinese speech's outline, whatever English it quotes, as the Chinese rules read it."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.ingest.outline import build_outline
from generator.speech import read_front_matter
from tests.helpers import paragraphs, run_ingest, speeches_dir, write_raw
from tests.ingest.test_outline import Case, describe_blocks, flatten, load_cases

CASES = load_cases(Path(__file__).resolve().parent.parent / "fixtures" / "outline" / "cases_en.txt")


@pytest.mark.parametrize("case", CASES, ids=[f"L{c.line}" for c in CASES])
def test_english_outline_case(case: Case) -> None:
    outline = build_outline(case.paragraphs, "en")
    assert flatten(outline.items) == case.outline, case.title
    if case.blocks is not None:
        assert describe_blocks(outline) == case.blocks, case.title
    assert [w.kind for w in outline.warnings] == case.warnings, case.title
    # No word is lost: a heading and the rest of its paragraph, joined by the space between.
    by_line: dict[int, list[str]] = {}
    for block in outline.blocks:
        by_line.setdefault(block.line, []).append(block.text)
    assert {line: " ".join(texts) for line, texts in by_line.items()} == {
        p.line: p.text for p in case.paragraphs
    }, case.title


def test_a_chinese_speech_is_read_by_the_chinese_rules() -> None:
    """An English list quoted in a Chinese speech is no outline of it; its 一、 are."""
    lines = paragraphs(
        "一、语言是沟通的桥梁", "First, listen. Second, understand.", "二、交流贵在真诚"
    )
    assert [item.label for item in build_outline(lines).items] == ["一、", "二、"]
    assert flatten(build_outline(lines, "zh-CN").items) == flatten(build_outline(lines).items)


SPEECH = """Address by the Minister for Education at the National Skills Summit

Ladies and gentlemen,

It is a great pleasure to be with you this morning. The choices we make about skills in the \
next few years will shape the lives of our children for decades to come.

First, we will invest in the skills of our young people. Every school leaver will have the \
right to an apprenticeship or a place in further education.

Second, we will make it easier for adults to retrain. A worker who loses a job should not have \
to start again from nothing.

Finally, we will measure what matters. We will publish, for every college, the share of its \
students who are in work a year after they leave.
"""

CHINESE = """在中外青年交流论坛上的致辞
各位来宾，同学们：
很高兴和大家相聚在这里。今天我想和大家谈两点体会。
一、语言是沟通的桥梁
一位英国朋友送给我一张卡片，上面写着：
First, listen. Second, understand. Third, speak.
二、交流贵在真诚
希望同学们多交朋友、交好朋友。
"""


def test_an_english_speech_ingested_has_its_points_as_outline(tmp_path: Path) -> None:
    """End to end: the language is found before the outline, and English points make it."""
    write_raw(tmp_path, "minister.txt", SPEECH)
    write_raw(tmp_path, "youth.txt", CHINESE)
    run_ingest(tmp_path)
    fronts = {
        str(front["title"]): front
        for front in map(read_front_matter, sorted(speeches_dir(tmp_path).glob("*.md")))
    }
    english = fronts["Address by the Minister for Education at the National Skills Summit"]
    assert english["lang"] == "en"
    assert [(item["label"], item["title"]) for item in english["outline"]] == [
        ("First", "we will invest in the skills of our young people"),
        ("Second", "we will make it easier for adults to retrain"),
        ("Finally", "we will measure what matters"),
    ]
    chinese = fronts["在中外青年交流论坛上的致辞"]
    assert "lang" not in chinese
    assert [item["label"] for item in chinese["outline"]] == ["一、", "二、"]
