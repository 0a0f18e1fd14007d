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


def test_a_name_is_learned_from_any_line_that_signs_it_with_a_contact() -> None:
    # (a telephone is an office's too: the credit or the stars mark the name off as a site's)
    assert learn([], ["◆青山文舍◆出品电话：0282-7026809"]).names == ("青山文舍",)
    assert learn([], ["〖青山文舍〗整理，联系电话18220801420"]).names == ("青山文舍",)
    assert learn([], ["☆青☆山☆文☆舍☆  联系电话 18345056218"]).names == ("青山文舍",)
    assert learn([], ["★InkNest★出品 客服热线：4008123456"]).names == ("InkNest",)


def test_a_name_is_learned_before_a_shops_other_contacts() -> None:
    removed = [
        ("（青山文舍 加微：qs_2024）", CONTACT),
        ("松风文汇 手机/微信同号 13912345678", CONTACT),
    ]
    assert learn(removed, []).names == ("松风文汇", "青山文舍")


@pytest.mark.parametrize(
    "line",
    [
        "县融媒体中心出品 电话：0471-5201234",  # an office's own credit and telephone
        "市长热线 电话：12345678",  # no credit, no stars: an office's number
        "【便民服务】电话：0471-5201234",  # a label in brackets, no credit
        "欢迎来电咨询，电话：0471-5201234。",  # a sentence
    ],
)
def test_no_name_is_learned_from_a_line_an_office_signs(line: str) -> None:
    assert learn([], [line]).names == ()


def test_a_learned_name_is_cut_where_it_is_stamped_inside_a_paragraph() -> None:
    mark = learn([("本文由墨韵文库整理 微信号：moyun610", CONTACT)], [])

    def cut(text: str) -> list[str]:
        return [m.group(0) for m in mark.stamps(text)]

    assert cut("二要细化。来源：墨韵文库《实施方案》部署了") == ["来源:墨韵文库"]
    assert cut("坚强领导下，墨韵文库整理以踏石留印的劲头") == ["墨韵文库整理"]
    assert cut("墨韵文库整理一是着力扩内需") == ["墨韵文库整理"]
    assert cut("顺利完成。墨韵文库") == ["墨韵文库"]
    assert cut("墨韵文库工业经济稳步增长。") == ["墨韵文库"]
    assert cut("（墨韵文库 手机/微信同号 15663389606）") == ["(墨韵文库 手机/微信同号 15663389606)"]
    assert cut("建设。墨韵文库QQ：３５３８８３８２６现代服务业") == ["墨韵文库QQ:353883826"]
    assert cut("〖墨韵文库〗整理，联系电话18220801420") == ["〖墨韵文库〗整理,联系电话18220801420"]
    assert mark.is_line("墨韵文库独家 | 更多材料：联系电话 18918198544")
    assert mark.is_line("☆墨☆韵☆文☆库☆  联系电话 18345056218")


@pytest.mark.parametrize(
    "text",
    [
        "墨韵文库是一家专做公文材料的网店。",  # the name as the sentence's subject
        "墨韵文库和县图书馆联合举办了读书月活动。",
        "墨韵文库有限公司承办了本次展会。",  # the start of a longer name
        "墨韵文库整理的《大事记》即将出版。",  # its credit as the sentence's verb
        "我们参观了墨韵文库的展览。",  # a word of a sentence
        "来源：县统计局",  # a source that is not the name
    ],
)
def test_a_learned_name_in_a_sentence_stays(text: str) -> None:
    mark = learn([("本文由墨韵文库整理 微信号：moyun610", CONTACT)], [])
    assert mark.stamps(text) == []


def test_a_name_learned_only_from_repeated_decorated_lines_is_not_cut_bare() -> None:
    # ★乡村振兴★ twice may be a heading's decoration: its words open a paragraph of the speech
    mark = learn([], ["★乡村振兴★", "★乡村振兴★"])
    assert mark.names == ("乡村振兴",)
    assert mark.stamps("乡村振兴取得新成效。") == []
    assert mark.stamps("今年的重点工作。乡村振兴") == []


def test_a_short_signed_name_is_not_cut_bare() -> None:
    # (three letters may be a person's name, 张晓丽 QQ：…: it opens a paragraph of the speech)
    mark = learn([("张晓丽QQ：308812345", CONTACT)], [])
    assert mark.names == ("张晓丽",)
    assert mark.stamps("张晓丽同志多年扎根基层。") == []
