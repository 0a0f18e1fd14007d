"""Folding: the one normalisation both the index and the query go through."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.ingest.script import to_simplified
from generator.search.fold import (
    HAN_FIRST,
    HAN_LAST,
    client_table,
    fold,
    search_fold,
    search_table,
    t2s_table,
)


def test_traditional_becomes_simplified() -> None:
    assert fold("營商環境") == "营商环境"
    assert fold("優化營商環境實現高質量發展") == "优化营商环境实现高质量发展"
    assert fold("一崗雙責") == "一岗双责"


def test_full_width_becomes_half_width_and_lower_case() -> None:
    assert fold("ＡＢＣ") == "abc"
    assert fold("ＡＩ赋能") == "ai赋能"
    assert fold("AI") == "ai"
    assert fold("１２３４") == "1234"
    assert fold("5G") == "5g"


def test_simplified_text_is_unchanged() -> None:
    text = "深化放管服改革推进最多跑一次"
    assert fold(text) == text


def test_the_zero_of_a_year_folds_together_in_every_form() -> None:
    """Documents write the zero of a year as ○ or 〇; a pinyin keyboard gives 零 (二零三五年
    found nothing)."""
    assert fold("二○三五年") == fold("二〇三五年") == fold("二◯三五年") == "二〇三五年"
    assert fold("二零三五年") == "二〇三五年"


def test_a_year_in_chinese_numerals_is_the_same_number_as_in_digits() -> None:
    """Probe 20: 1958年 found 2 speeches, not the reports of 1958 and 1959 that write
    一九五八年 139 times; 二〇二五年 found none of the 25 that write 2025年."""
    assert search_fold("一九五八年") == search_fold("1958年")
    assert search_fold("二〇二五") == search_fold("二零二五") == search_fold("２０２５")
    assert search_fold("一九八○年代") == search_fold("1980年代")
    assert search_fold("一九五七、一九五八年") == search_fold("1957、1958年")
    # found whole, as any number is: not inside a longer one
    assert search_fold("1958") not in search_fold("一九五八五")
    assert search_fold("95") not in search_fold("一九五八年")


@pytest.mark.parametrize(
    "text",
    ["一二三产业", "十四五规划", "三五年", "二十五年", "三九五八", "一九五八五", "一九·五八"],
)
def test_other_runs_of_chinese_numerals_stay_words(text: str) -> None:
    """Only a run of exactly four, the first 一 or 二, is a year: 一二三产业 is three industries,
    a run parted by punctuation two runs."""
    assert search_fold(text) == fold(text)


@pytest.mark.parametrize(
    ("written", "typed"),
    [
        ("“十四五”规划", "十四五规划"),  # probe 10: found 1 of 14 speeches
        ("“六稳”、“六保”", "六稳六保"),
        ("下好“先手棋”，‘人’", '下好"先手棋",人'),  # curly and straight quotes alike
        ("学习《决定》精神", "学习决定精神"),
        ("艾尔肯·吐尼亚孜", "艾尔肯吐尼亚孜"),  # a name's dot in any form, or none
        ("艾尔肯•吐尼亚孜", "艾尔肯・吐尼亚孜"),
        ("改革，推进：（一）", "改革推进一"),
    ],
)
def test_punctuation_a_phrase_reads_through_is_dropped(written: str, typed: str) -> None:
    assert fold(written) == fold(typed)


def test_numbers_dates_and_names_keep_their_punctuation() -> None:
    assert fold("增长5.2%，2023-05-12，C++") == "增长5.2%2023-05-12c++"


def test_whitespace_becomes_a_plain_space() -> None:
    assert fold("a\tb\nc\u3000d\u00a0e") == "a b c d e"


def test_characters_whose_folding_is_longer_stay_as_they_are() -> None:
    # NFKC of ﬁ is "fi" and the lower case of İ is two code points: kept, so lengths match.
    assert fold("ﬁ") == "ﬁ"
    assert fold("İ") == "İ"
    assert fold("㈱") == "㈱"


def test_table_is_resolved_to_a_fixed_point() -> None:
    table = t2s_table()
    assert table["營"] == "营"
    for source, target in table.items():
        assert len(source) == len(target) == 1
        assert target not in table or table[target] == target


def test_client_table_matches_the_table() -> None:
    table = client_table()
    assert len(table.source) == len(table.target)
    assert dict(zip(table.source, table.target, strict=True)) == search_table()
    for char in table.source:
        code = ord(char)
        if HAN_FIRST <= code <= HAN_LAST:
            offset = code - HAN_FIRST
            assert table.bitmap[offset >> 3] & (1 << (offset & 7))
    # a simplified character has no bit: its query never fetches the table
    offset = ord("营") - HAN_FIRST
    assert not table.bitmap[offset >> 3] & (1 << (offset & 7))


TEXT = st.text(
    st.one_of(
        st.characters(codec="utf-8"),
        st.sampled_from("營商環境营商环境ＡＢＣabcABC１２３ \t\n\u3000ﬁİ"),
    ),
    max_size=60,
)


@given(TEXT)
def test_folding_drops_only_punctuation_and_is_idempotent(text: str) -> None:
    folded = fold(text)
    assert len(folded) == sum(1 for char in text if fold(char))
    assert all(len(fold(char)) <= 1 for char in text)
    assert fold(folded) == folded


@given(TEXT)
def test_folding_works_character_by_character(text: str) -> None:
    assert fold(text) == "".join(fold(char) for char in text)
    assert all(c == " " or not c.isspace() for c in fold(text))


def test_taiwan_and_hong_kong_variants_fold_like_their_simplified_forms() -> None:
    """隨著 and 著力 are how Taiwan writes 随着 and 着力; 保衞 is Hong Kong's 保卫. Search folds
    them alike (著名 too folds 著 to 着, on both sides); ingest keeps the text as written."""
    for written, simplified in [
        ("隨著", "随着"),
        ("著力", "着力"),
        ("沿著", "沿着"),
        ("保衞", "保卫"),
    ]:
        assert fold(written) == fold(simplified), written
    assert fold("著名") == fold("着名")
    assert fold("什么") == "什么"  # a simplified character with a traditional form of its own
    assert to_simplified("隨著著名") == "随著著名"
    table = search_table()
    for source, target in table.items():
        assert len(source) == len(target) == 1
        assert target not in table or table[target] == target
