"""Half-width punctuation in Chinese context becomes full-width; everything else is left alone."""

from __future__ import annotations

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from generator.ingest.punct import to_fullwidth

# --- converted --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("我们要,加强领导", "我们要，加强领导"),
        ("加强领导;狠抓落实", "加强领导；狠抓落实"),
        ("同志们:", "同志们："),
        ("为什么?", "为什么？"),
        ("加油!", "加油！"),
        ("为什么?!", "为什么？！"),
        ("我们(各级政府)要", "我们（各级政府）要"),
        ("第(一)条", "第（一）条"),
        ("2024年(第3期)", "2024年（第3期）"),
        ("《关于(试行)的通知》", "《关于（试行）的通知》"),
        ("(Hello)中国", "（Hello）中国"),
        ("中国(Hello)", "中国（Hello）"),
        ("1,中国", "1，中国"),
        ("中国,1", "中国，1"),
        ("A:中国", "A：中国"),
    ],
)
def test_simple_marks_and_brackets_in_chinese_context(text: str, expected: str) -> None:
    assert to_fullwidth(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('他说"好"然后"走"', "他说“好”然后“走”"),
        ('"中文"', "“中文”"),
        ('"好",他说', "“好”，他说"),
        ('他说:"我们要,加油!"', "他说：“我们要，加油！”"),
        ('“已有”和"新的"', "“已有”和“新的”"),
        ("他说'好'然后", "他说‘好’然后"),
        ('要坚持"马上办"和"落实住"', "要坚持“马上办”和“落实住”"),
    ],
)
def test_straight_quotes_become_paired_curly_quotes(text: str, expected: str) -> None:
    assert to_fullwidth(text) == expected


def test_unpaired_marks_are_left_alone() -> None:
    """An opening mark is never converted without its closing one."""
    assert to_fullwidth('他说"好') == '他说"好'
    assert to_fullwidth("(中国") == "(中国"
    assert to_fullwidth("中国)") == "中国)"


def test_quotes_pair_in_order() -> None:
    converted = to_fullwidth('"甲"和"乙"及"丙"')
    assert converted == "“甲”和“乙”及“丙”"
    assert converted.count("“") == converted.count("”") == 3


# --- left alone -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "共1,000人参加",
        "投资12,345,678元",
        "时间09:45开会",
        "比分3:2",
        "增长3.5%",
        "Hello, world!",
        "Hello, world! Is it OK? Yes; fine: (really)",
        "中文 Hello, world! 中文",
        "访问https://www.gov.cn/zhengce/a,b?x=1&y=(2)看",
        "ftp://files.example.org/a:b",
        "见www.gov.cn/page?id=3",
        "邮箱foo.bar+tag@example.com请",
        "××县",
        "XX市",
        "xx镇",
        "X同志",
        "×局长",
        "××××年××月××日",
        "don't stop",
        "到Xi'an去",
        "O'Brien说",
        "他说'Xi'an很美'",
    ],
)
def test_numbers_latin_urls_placeholders_and_apostrophes_untouched(text: str) -> None:
    expected = text.replace("'Xi'an很美'", "‘Xi'an很美’")
    assert to_fullwidth(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("××县,XX市,xx镇,X同志,×局", "××县，XX市，xx镇，X同志，×局"),
        ("到Xi'an去,好", "到Xi'an去，好"),
        ("共1,000人,好", "共1,000人，好"),
        ("邮件foo@example.com,谢谢", "邮件foo@example.com，谢谢"),
    ],
)
def test_protected_text_does_not_stop_conversion_around_it(text: str, expected: str) -> None:
    assert to_fullwidth(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("详见https://www.gov.cn,谢谢", "详见https://www.gov.cn，谢谢"),
        ("详见www.gov.cn,谢谢", "详见www.gov.cn，谢谢"),
        ("网址http://a.cn/x?y=1!请查看", "网址http://a.cn/x?y=1！请查看"),
        ('他说"http://a.cn"好', "他说“http://a.cn”好"),
        ("(见http://a.cn/wiki/X_(Y))中", "（见http://a.cn/wiki/X_(Y)）中"),
        ("(见http://a.cn)中", "（见http://a.cn）中"),
    ],
)
def test_url_ends_before_chinese_text_and_trailing_punctuation(text: str, expected: str) -> None:
    """Regression: a URL used to swallow everything up to the next space, Chinese included."""
    assert to_fullwidth(text) == expected


# --- properties -------------------------------------------------------------------------------

MIXED = st.text(
    st.sampled_from(list("中文好的是,;:?!()\"'abcXx×0123456789 .@/“”（）")), max_size=30
)


@settings(max_examples=200, deadline=None)
@given(MIXED)
def test_only_punctuation_changes_and_length_is_kept(text: str) -> None:
    assume("..." not in text)  # (an ellipsis of three dots becomes …… : two characters)
    converted = to_fullwidth(text)
    assert len(converted) == len(text)
    allowed = {
        ",": "，",
        ";": "；",
        ":": "：",
        "?": "？",
        "!": "！",
        "(": "（",
        ")": "）",
        '"': "“”",
        "'": "‘’",
        ".": "。",  # (between Chinese characters, or after one at the end)
    }
    for before, after in zip(text, converted, strict=True):
        assert after == before or after in allowed.get(before, "")


@settings(max_examples=200, deadline=None)
@given(MIXED)
def test_converted_brackets_and_quotes_stay_balanced(text: str) -> None:
    converted = to_fullwidth(text)
    for left, right in ("（）", "“”", "‘’"):
        added_left = converted.count(left) - text.count(left)
        added_right = converted.count(right) - text.count(right)
        assert added_left == added_right


@settings(max_examples=200, deadline=None)
@given(st.text(st.sampled_from(list("abcXYZ019 ,;:?!().-'\"")), max_size=30))
def test_text_without_chinese_is_untouched(text: str) -> None:
    assert to_fullwidth(text) == text


@pytest.mark.parametrize(
    "text",
    [
        "Ladies and gentlemen! 大家上午好！",
        "Thank you! 谢谢大家。",
        "Together we build a shared future. 让我们携手前行。",
        "Welcome to Hangzhou, 欢迎来到杭州。",
    ],
)
def test_an_english_clause_keeps_its_mark_and_space_through_cleaning(text: str) -> None:
    """The cleaner drops spaces next to Chinese text, then converts marks in Chinese context:
    the space after an English clause's mark is English spacing and keeps the mark English."""
    from generator.config import Boilerplate
    from generator.ingest.clean import clean_lines
    from generator.ingest.decode import SourceLine

    cleaned = clean_lines([SourceLine(text, 1)], Boilerplate(lines=(), blocks=()))
    assert [p.text for p in cleaned.paragraphs] == [text]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("城市更新是重要抓手.我们要加快推进", "城市更新是重要抓手。我们要加快推进"),
        ("这项工作很重要.", "这项工作很重要。"),
        ("紧迫性...希望大家", "紧迫性……希望大家"),
        ("人生的路很长。。。希望你们", "人生的路很长……希望你们"),
        ("好…大家", "好……大家"),
        ("脚踏实地--一步一个脚印", "脚踏实地——一步一个脚印"),
        # left alone: numbers, a label's dot, an ellipsis already whole, Latin, URLs
        ("增长1.5%，达到3...5倍", "增长1.5%，达到3...5倍"),
        ("二.准确把握新时代的新要求", "二.准确把握新时代的新要求"),
        ("读《史记.项羽本纪》有感.", "读《史记.项羽本纪》有感。"),
        ("一……二", "一……二"),
        ("2024-06-13", "2024-06-13"),
        ("Hello. 世界", "Hello. 世界"),
        ("见www.gov.cn.请登录", "见www.gov.cn.请登录"),
        # a foreign name's separator typed as a dot
        ("卡尔.马克思指出", "卡尔·马克思指出"),
        ("弗拉基米尔.伊里奇.列宁的著作", "弗拉基米尔·伊里奇·列宁的著作"),
        ("建设生态文明.加强保护", "建设生态文明。加强保护"),
        # a URL's line: the stops around the URL are converted, the URL kept
        (
            "详见https://www.gov.cn/a--b/x.html.请认真学习.抓好落实",
            "详见https://www.gov.cn/a--b/x.html.请认真学习。抓好落实",
        ),
        (
            "联系邮箱zhang.san@example.cn,紧迫性...希望大家",
            "联系邮箱zhang.san@example.cn，紧迫性……希望大家",
        ),
    ],
)
def test_ascii_stops_ellipses_and_dashes_in_chinese_text(text: str, expected: str) -> None:
    """Probe 8: 重要抓手.我们, 紧迫性..., 脚踏实地-- stayed as typed (and a heading's lead sentence
    ran past the stop)."""
    assert to_fullwidth(text) == expected
    assert to_fullwidth(expected) == expected


def test_an_items_number_in_brackets_before_a_figure_is_full_width() -> None:
    """Probe 15 E2: (1) opening a paragraph of Chinese text is an item's label, whatever follows
    it: before a year it stayed half-width while every other (1) became （1）."""
    assert to_fullwidth("(1)2015年旅游收入达到69亿元。") == "（1）2015年旅游收入达到69亿元。"
    assert to_fullwidth("(12)2015年，全区") == "（12）2015年，全区"
    assert to_fullwidth("(1) Tourism revenue: 6.9 billion") == "(1) Tourism revenue: 6.9 billion"
    assert to_fullwidth("增长(1)2") == "增长（1）2"  # (before it, Chinese: as it was)
