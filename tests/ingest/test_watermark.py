"""A file's own watermark: names learned from the file, never from the speech's own lines."""

from __future__ import annotations

import pytest

from generator.ingest.watermark import bare, learn


def test_a_name_is_learned_from_a_removed_credit_or_contact() -> None:
    removed = [
        "青岚文苑整理，咨询QQ308812345",
        "本文由笔尖公文整理ＱＱ：２９０８７２７９８",
        "更多请关注",
    ]
    assert set(learn(removed, []).names) == {"青岚文苑", "笔尖公文"}


def test_a_name_is_learned_from_a_short_line_the_file_repeats_however_decorated() -> None:
    lines = ["★墨·韵·文·库★", "今天开会。", "【墨韵文库】", "墨韵文库出品"]
    assert learn([], lines).names == ("墨韵文库",)
    assert learn([], lines[:2]).names == ()  # once is no watermark


@pytest.mark.parametrize(
    "line",
    [
        "政府工作报告",  # a title over each page
        "海南省人民政府",  # the issuing office at each page's foot
        "同志们",  # two characters short of a name, and a salutation
        "谢谢",
        "本站资料",  # a notice's words, no one's name
    ],
)
def test_the_speechs_own_repeated_lines_are_no_name(line: str) -> None:
    assert learn([], [line, line, line]).names == ()


def test_the_watermark_is_a_line_and_a_stamp_only_where_it_stands_apart() -> None:
    mark = learn(["墨韵文库整理，咨询QQ206157060"], [])
    assert mark.is_line("—— 墨韵文库整理 ——") and mark.is_line("墨 韵 文 库")
    assert not mark.is_line("墨韵文库的同志们")
    cut = [m.group(0) for m in mark.stamps("挑战，【墨韵文库】但对我们而言。墨韵文库整理")]
    assert cut == ["【墨韵文库】", "墨韵文库整理"]
    assert mark.stamps("我们参观了墨韵文库的展览。") == []  # a word of a sentence


def test_bare_drops_decoration_and_folds_width() -> None:
    assert bare("★ＱＱ：２９０８ 墨·韵★") == "QQ:2908墨韵"
