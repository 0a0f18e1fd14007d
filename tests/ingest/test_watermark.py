"""A file's own watermark: names learned from the file, never from the speech's own lines."""

from __future__ import annotations

import pytest

from generator.ingest.watermark import bare, learn

CONTACT = "advertiser contact"


def test_a_name_is_learned_from_a_removed_credit_or_an_advertisers_contact() -> None:
    removed = [
        ("青岚文苑整理，咨询QQ308812345", CONTACT),
        ("本文由笔尖公文整理ＱＱ：２９０８７２７９８", CONTACT),
        ("更多请关注", "reprint notice"),
    ]
    assert set(learn(removed, []).names) == {"青岚文苑", "笔尖公文"}


@pytest.mark.parametrize(
    "line",
    [
        "县电商服务中心客服：0471-5201234",  # an office's service desk (probe 14)
        "——县融媒体中心出品——",  # an office's own credit
        "县档案馆独家整理",  # an office's own work (县档案馆独家整理的《大事记》…)
    ],
)
def test_no_name_is_learned_from_an_offices_line(line: str) -> None:
    assert learn([(line, CONTACT)], []).names == ()


def test_a_repeated_line_is_a_name_only_where_it_marks_itself_off_as_one() -> None:
    lines = ["★墨·韵·文·库★", "今天开会。", "【墨韵文库】", "墨韵文库出品"]
    assert learn([], lines).names == ("墨韵文库",)
    assert learn([], lines[:2]).names == ()  # once is no watermark


@pytest.mark.parametrize(
    "line",
    [
        "政府工作报告",  # a title over each page
        "海南省人民政府",  # the issuing office at each page's foot
        "同志们",  # an address
        "撸起袖子加油干",  # a refrain (probe 14)
        "主要做法",  # a subheading in each section
        "2024年3月12日",  # the date under the title and in the 落款
        "刘志刚",  # the speaker's name under the title and as the signature
        "【典型案例】",  # a label, each time it opens a case
    ],
)
def test_the_speechs_own_repeated_lines_are_no_name(line: str) -> None:
    assert learn([], [line, line, line]).names == ()


def test_the_watermark_is_a_line_and_a_stamp_only_where_it_stands_apart() -> None:
    mark = learn([("墨韵文库整理，咨询QQ206157060", CONTACT)], [])
    assert mark.is_line("—— 墨韵文库整理 ——") and mark.is_line("墨 韵 文 库")
    assert not mark.is_line("墨韵文库的同志们")
    cut = [m.group(0) for m in mark.stamps("挑战，【墨韵文库】但对我们而言。墨韵文库整理")]
    assert cut == ["【墨韵文库】", "墨韵文库整理"]
    assert mark.stamps("我们参观了墨韵文库的展览。") == []  # a word of a sentence
    # (a name and its credit opening a sentence are its subject: probe 14)
    assert mark.stamps("墨韵文库整理的《大事记》即将出版。") == []


def test_bare_drops_decoration_and_folds_width() -> None:
    assert bare("★ＱＱ：２９０８ 墨·韵★") == "QQ:2908墨韵"
