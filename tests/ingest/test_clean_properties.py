"""Properties of the whole cleaner (`clean_lines` with the built-in rules), checked with hypothesis.

(a) it never raises, whatever the text; (b) it is idempotent: cleaning its own output again
changes nothing; (c) it never loses a Han character: each one ends up in a paragraph or in a
line recorded as removed. Counterexamples found while writing these are pinned below as examples.
"""

from __future__ import annotations

import re
import string
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from generator.config import Boilerplate, load_config
from generator.ingest import decode
from generator.ingest.clean import Cleaned, clean_lines
from generator.ingest.decode import SourceLine
from generator.text import CONTROL_RE, HAN_RE

# The built-in rules: a project folder without site.yaml gets exactly those.
RULES: Boilerplate = load_config(Path("/nonexistent-speechsite-project")).boilerplate

# --- strategies -------------------------------------------------------------------------------

ODD_CHARS = (
    string.punctuation
    + " \t\n\r\x0b\x0c\u3000\u00a0\u2002\u2028\u2029"  # spaces and line breaks of every kind
    + "\u200b\u200c\u200d\u2060\ufeff\u00ad"  # zero-width characters, BOM, soft hyphen
    + "\x01\x08\x1b\x7f\x9f"  # control characters no page or feed may hold
    + "，。、；：？！“”‘’（）《》【】…—·×〇"
)
ANY_TEXT = st.text(
    st.one_of(
        st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF),
        st.characters(min_codepoint=0xFF01, max_codepoint=0xFF5E),  # full-width forms
        st.sampled_from(ODD_CHARS),
        st.characters(),
    ),
    max_size=300,
)

HAN_RUN = st.text(
    st.sampled_from("我们要坚持加强领导作风整顿落实发展工作会议同志县市省"), min_size=1
)
LABEL = st.sampled_from(
    [
        "一、",
        "二、",
        "（一）",
        "(二)",
        "1.",
        "2、",
        "（1）",
        "第一，",
        "首先，",
        "最后，",
        "一要",
        "一是",
        "三、",
        "（十二）",
        "1 ",  # a list number set off by a space (1 建立…), or a figure's (12 大工程)
        "2\u3000",
        "12 ",
    ]
)
PUNCT = st.sampled_from([*"，。、；：？！“”（）《》…—", *',.:!?"()'])
SPACE = st.sampled_from([" ", "\u3000", "  ", "\t"])
# Lines (or pieces of lines) the built-in rules remove: their Han characters must be recorded.
DEBRIS = st.sampled_from(
    [
        "仅供学习 禁止外传",
        "来源：新华社",
        "来源",
        "：县政府网",
        "责任编辑：张三",
        "相关报道",
        "打印本页",
        "【打击倒卖活动】",
        "会员群：12345",
        "首页 > 要闻",
        "[1]",
    ]
)


@st.composite
def speech_like(draw: st.DrawFn) -> str:
    """Lines of Han runs, punctuation and enumerators, with indentation, blank lines and debris."""
    lines: list[str] = []
    for _ in range(draw(st.integers(1, 12))):
        if draw(st.booleans()) and draw(st.booleans()):
            lines.append("")
            continue
        if draw(st.integers(0, 7)) == 0:
            lines.append(draw(DEBRIS))
            continue
        pieces = [draw(SPACE)] if draw(st.booleans()) else []
        if draw(st.booleans()):
            pieces.append(draw(LABEL))
        for _ in range(draw(st.integers(1, 4))):
            pieces.append(draw(HAN_RUN))
            if draw(st.booleans()):
                pieces.append(draw(PUNCT))
            if draw(st.integers(0, 5)) == 0:
                pieces.append(draw(SPACE))
        lines.append("".join(pieces))
    return "\n".join(lines)


# --- helpers ----------------------------------------------------------------------------------


def source_lines(text: str) -> tuple[SourceLine, ...]:
    """The decoder's own line splitting when it exposes one, else the same rule here."""
    split = getattr(decode, "split_lines", None)
    if split is not None:
        lines: tuple[SourceLine, ...] = split(text)
        return lines
    parts = re.split(r"\r\n|\r|\n|\u2028|\u2029", text)
    return tuple(SourceLine(part, number) for number, part in enumerate(parts, start=1))


def clean(text: str) -> Cleaned:
    return clean_lines(source_lines(text), RULES)


def texts(cleaned: Cleaned) -> list[str]:
    return [p.text for p in cleaned.paragraphs]


def han(*pieces: str) -> Counter[str]:
    return Counter(char for piece in pieces for char in HAN_RE.findall(piece))


# --- (a) never raises -------------------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(ANY_TEXT)
def test_never_raises_and_paragraphs_are_tidy(text: str) -> None:
    cleaned = clean(text)
    for paragraph in cleaned.paragraphs:
        assert paragraph.text, "no empty paragraphs"
        assert "\n" not in paragraph.text and "\r" not in paragraph.text
        assert paragraph.text == paragraph.text.strip(" \u3000")
        assert "\u200b" not in paragraph.text and "\ufeff" not in paragraph.text
        assert not CONTROL_RE.search(paragraph.text), "no control characters"


# --- (b) idempotent ---------------------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(speech_like())
@example("甲，\n[1]\n一、乙")
# (found by hypothesis: a colon list's item or header running on onto the next line; a table
# cell's stop before a space)
@example(
    "们 \n们 们们们们们：\n们 \n一、们们，们们们， 们们们们们们们们们们们们们，\n仅供学习 禁止外传\n来源：新华社"
)
@example("一、们们们们们: \n：县政府网\n仅供学习 禁止外传")
# (a colon list's item ending in a comma, then a blank line: joining joins the next line to it
# across the blank, so the list measures them together too; the notice was kept as an item)
@example(
    "们 \n们 们 们 \n们们们们们们：\n一、们们，们们们们们 们们们们们们们们们们们们，\n\n"
    "仅供学习 禁止外传\n来源：新华社"
)
# (a joined 来源：… judged among the joined paragraphs alone, after a colon list's header)
@example(
    "们，\n一、们 们 们 们： \n"
    + "仅供学习 禁止外传\n"
    + "们 \n们。 \n"
    + "仅供学习 禁止外传\n" * 4
    + "来源\n：县政府网"
)
@example("仅供学习 禁止外传\n" * 5 + "们\u3000们们. 们\n们\u3000们 \n们们\u3000们 ")
# (a notice above a heading its text repeats: the heading was first only in the second
# cleaning, which took the repeat for the title's running head)
@example("仅供学习 禁止外传\n二、们们们们 \n们 们\n们 \n二、们们们们 ")
@example("仅供学习 禁止外传\n我们要坚持加强领导\n们们。\n我们要坚持加强领导")
# (list items whose numbers the first cleaning set off with an ideographic space, read by the
# second as the rows of a two-column table)
@example(
    "仅供学习 禁止外传\n1 们 \n仅供学习 禁止外传\n1 们 们 们 \n仅供学习 禁止外传\n"
    "仅供学习 禁止外传\n2\u3000们 "
)
def test_idempotent_on_speech_like_text(text: str) -> None:
    once = texts(clean(text))
    twice = texts(clean("\n\n".join(once)))
    assert twice == once


@settings(max_examples=200, deadline=None)
@given(ANY_TEXT)
@example("中: 0")
@example("!…")  # (！… became ！…… the next time)
@example("::㐀")  # (one colon full-width, the other the next time)
@example("===\x08")  # (a rule behind an invisible character)
@example("\\\x1f:")  # (an escape behind one)
def test_idempotent_on_arbitrary_text(text: str) -> None:
    once = texts(clean(text))
    twice = texts(clean("\n\n".join(once)))
    assert twice == once


# --- (c) no Han character lost ----------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(speech_like())
@example("一、加强领导\n\n\u3000\u3000我们要坚持。")
def test_every_han_character_is_kept_or_recorded_as_removed(text: str) -> None:
    cleaned = clean(text)
    kept = han(*texts(cleaned))
    removed = han(*(r.text for r in cleaned.removed))
    assert kept + removed == han(text)


@settings(max_examples=200, deadline=None)
@given(ANY_TEXT)
def test_no_han_character_lost_on_arbitrary_text(text: str) -> None:
    cleaned = clean(text)
    assert han(*texts(cleaned)) + han(*(r.text for r in cleaned.removed)) == han(text)


# --- counterexamples found by the properties above, pinned --------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "来源\n：新华社",  # joining assembles a boilerplate line
        "好,\n走",  # a half-width comma ends the line
        "加强领导\n好,",  # a short tail that is Chinese only after conversion
        "一是\n发行国债。",  # a label alone on its line
        "中: 0",  # a space after a mark that becomes full-width
        "联系人: Tom",
        "会议定于: 2026年召开",
        "甲，\n[1]\n一、乙",  # a reference mark alone on a line between two lines
    ],
)
def test_idempotent_on_earlier_counterexamples(text: str) -> None:
    once = texts(clean(text))
    assert texts(clean("\n\n".join(once))) == once
