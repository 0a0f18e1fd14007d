"""Outline detection, driven by the fixture file tests/fixtures/outline/cases.txt.

Each case gives cleaned paragraphs and the expected outline, blocks and warning kinds; one
parametrised test runs them all, and every case is also checked for the no-loss rule.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.ingest.clean import Line
from generator.ingest.outline import (
    Heading,
    Outline,
    OutlineItem,
    Paragraph,
    build_outline,
    check_declared,
    find_declared_points,
    match_enumerator,
)
from tests.helpers import paragraphs

CASES_FILE = Path(__file__).resolve().parent.parent / "fixtures" / "outline" / "cases.txt"


@dataclass
class Case:
    title: str
    line: int  # where the case starts in the fixture file, for failure messages
    paragraphs: list[Line] = field(default_factory=list)
    outline: list[tuple[int, str, str, str]] = field(default_factory=list)
    blocks: list[str] | None = None
    warnings: list[str] = field(default_factory=list)


def load_cases(path: Path) -> list[Case]:
    cases: list[Case] = []
    section = ""
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if raw.startswith("=== "):
            cases.append(Case(raw[4:].strip(), number))
            section = "input"
            continue
        if not cases or not raw.strip() or (section != "input" and raw.startswith("#")):
            continue
        case = cases[-1]
        if raw.startswith("--- "):
            section = raw[4:].strip()
            assert section in {"outline", "blocks", "warnings"}, f"line {number}: {raw}"
            if section == "blocks":
                case.blocks = []
            continue
        if section == "input":
            level = None
            text = raw
            if raw.startswith("@"):
                marker, text = raw[1:].split(" ", 1)
                level = int(marker)
            case.paragraphs.append(Line(text, len(case.paragraphs) + 1, level))
        elif section == "outline":
            depth, item_id, label, title = (part.strip() for part in raw.split("|"))
            case.outline.append((int(depth), item_id, label, title))
        elif section == "blocks":
            assert case.blocks is not None
            case.blocks.append(raw)
        elif section == "warnings":
            case.warnings.append(raw.strip())
    return cases


CASES = load_cases(CASES_FILE)


def flatten(items: list[OutlineItem], depth: int = 1) -> list[tuple[int, str, str, str]]:
    rows: list[tuple[int, str, str, str]] = []
    for item in items:
        rows.append((depth, item.id, item.label, item.title))
        rows += flatten(item.children, depth + 1)
    return rows


def describe_blocks(outline: Outline) -> list[str]:
    return [
        f"H{block.depth} {block.text}" if isinstance(block, Heading) else f"P {block.text}"
        for block in outline.blocks
    ]


def warning_kinds(lines: list[Line]) -> tuple[Outline, list[str]]:
    """Outline and warnings the way the pipeline computes them (declared points included)."""
    outline = build_outline(lines)
    declared = check_declared(find_declared_points(outline), outline, lines[0].line)
    return outline, [w.kind for w in outline.warnings + declared]


def test_fixture_file_has_cases() -> None:
    assert len(CASES) >= 40
    assert len({case.title for case in CASES}) == len(CASES), "case titles must be unique"


@pytest.mark.parametrize("case", CASES, ids=[f"L{c.line}" for c in CASES])
def test_outline_case(case: Case) -> None:
    outline, kinds = warning_kinds(case.paragraphs)
    assert flatten(outline.items) == case.outline, case.title
    if case.blocks is not None:
        assert describe_blocks(outline) == case.blocks, case.title
    assert kinds == case.warnings, case.title
    # No character is lost or repeated: a paragraph's blocks join back into the paragraph.
    by_line: dict[int, str] = {}
    for block in outline.blocks:
        by_line[block.line] = by_line.get(block.line, "") + block.text
    assert by_line == {p.line: p.text for p in case.paragraphs}, case.title


@pytest.mark.parametrize("case", CASES, ids=[f"L{c.line}" for c in CASES])
def test_heading_depth_matches_its_id(case: Case) -> None:
    """A heading's depth is the number of parts of its id, and ids are unique."""
    outline = build_outline(case.paragraphs)
    headings = [b for b in outline.blocks if isinstance(b, Heading)]
    assert [h.depth for h in headings] == [h.id.count("-") + 1 for h in headings]
    assert len({h.id for h in headings}) == len(headings)
    assert [h.id for h in headings] == [row[1] for row in flatten(outline.items)]


def test_ids_are_stable_across_runs() -> None:
    lines = paragraphs("一、甲", "（一）子", "二、乙", "（一）子")
    first, second = build_outline(lines), build_outline(lines)
    assert flatten(first.items) == flatten(second.items)
    assert [b.id for b in first.blocks if isinstance(b, Heading)] == ["s1", "s1-1", "s2", "s2-1"]


def test_body_paragraph_keeps_source_line() -> None:
    outline = build_outline([Line("前言。", 3), Line("一、甲。正文。", 7)])
    assert outline.blocks == [
        Paragraph("前言。", 3),
        Heading(1, "s1", "一、甲。", 7),
        Paragraph("正文。", 7),
    ]


def test_warnings_name_the_line() -> None:
    outline = build_outline([Line("一、甲", 4), Line("三、丙", 9)])
    assert [(w.kind, w.line, w.index) for w in outline.warnings] == [("gap", 9, 1)]
    assert "三、" in outline.warnings[0].message


def test_declared_points_stop_at_first_heading() -> None:
    """An announcement after the outline has started is not the speech's declared points."""
    lines = paragraphs("一、甲。", "下面我讲三点意见。", "二、乙。")
    assert find_declared_points(build_outline(lines)) is None
    assert find_declared_points(build_outline(paragraphs("我讲三点意见。", "一、甲。"))) == 3
    # a quoted document's points before it are no headings of the speech
    quoted = paragraphs("提出：", "“（一）甲；", "（二）乙。”", "下面我讲三点意见。", "一、丙。")
    assert find_declared_points(build_outline(quoted)) == 3


PARAGRAPH_CHARS = st.sampled_from(
    list("一二三四五六七八九十第是要首先其次最后然再、，。！？：“”《》（）()．.123１２ 甲乙丙")
)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(PARAGRAPH_CHARS, min_size=1, max_size=20), min_size=1, max_size=8))
def test_no_character_is_lost_or_repeated(texts: list[str]) -> None:
    lines = paragraphs(*texts)
    outline = build_outline(lines)
    joined: dict[int, str] = {}
    for block in outline.blocks:
        joined[block.line] = joined.get(block.line, "") + block.text
        assert block.text, "no empty blocks"
    assert joined == {p.line: p.text for p in lines}
    headings = [b for b in outline.blocks if isinstance(b, Heading)]
    assert len(headings) == len(flatten(outline.items))


@pytest.mark.parametrize(
    ("text", "title", "runs_on"),
    [
        (
            "一、关于工作回顾：过去的一年，面对复杂多变的经济形势和繁重紧迫的发展任务，"
            "区政府团结带领全区各族人民，较好地完成了各项目标任务。",
            "关于工作回顾",
            True,
        ),
        ("一、会议时间：2024年3月5日上午9时", "会议时间：2024年3月5日上午9时", False),
        ("（一）拓宽就业渠道：", "拓宽就业渠道", False),
    ],
)
def test_a_heading_run_in_with_a_colon_ends_at_the_colon(
    text: str, title: str, runs_on: bool
) -> None:
    """Probe 15 C6: 一、关于工作回顾：过去的一年，…。 had the whole first sentence as its title
    in the contents; a label and its value stay one heading."""
    match = match_enumerator(text)
    assert match is not None and match.title == title
    assert (match.lead_end < len(text)) is runs_on
