"""Metadata read from header lines: dates in words and digits, the level of a meeting's unit."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.config import load_config
from generator.errors import UserError
from generator.ingest.meta import parse_date, unit_level
from generator.ingest.pipeline import Prepared, prepare


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("2023年3月5日", "2023-03-05"),
        ("二〇二三年十二月二十六日", "2023-12-26"),  # read digit by digit: not 3034
        ("二零二三年一月十二日", "2023-01-12"),
        ("二○二三年十二月二十六日", "2023-12-26"),  # ○, the circle official documents use
        ("一九九九年十月一日", "1999-10-01"),
        ("二〇二〇年五月", "2020-05"),
        ("（2023年8月16日上午，根据录音整理）", "2023-08-16"),
        ("2024.01.28", "2024-01-28"),
        ("2024年元月8日", "2024-01-08"),  # 元月 is January
        ("二〇二四年元月", "2024-01"),
        ("2024年元旦", "2024-01-01"),
        ("中華民國一一三年五月十五日", "2024-05-15"),  # the Republic of China's year 113
        ("民國113年5月15日", "2024-05-15"),
        ("民国一百一十三年五月", "2024-05"),
        ("2023年13月1日", None),
        ("2023年工作回顾", None),
    ],
)
def test_dates_in_words_and_digits(text: str, date: str | None) -> None:
    assert parse_date(text) == date


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("全市社区工作会议", "市"),  # 社区 is no district
        ("全市县域经济发展大会", "市"),
        ("全市开发区高质量发展大会", "市"),
        ("全区文明城市创建工作推进会", "县"),  # 城市 is no city
        ("全市新型城镇化工作会议", "市"),
        ("全县乡镇党委书记会议", "县"),  # 乡镇 names the kind, not the unit
        ("呼伦贝尔市海拉尔区人民代表大会", "县"),
        ("某某镇人民代表大会", "乡镇"),
        ("北京市第十六届人民代表大会", "省"),
        ("香港特別行政區成立二十六周年酒會", "省"),  # a special administrative region
        ("澳门特区政府施政报告", "省"),
    ],
)
def test_the_level_is_the_unit_named_last(text: str, level: str) -> None:
    assert unit_level(text) == level


@pytest.mark.parametrize(
    ("text", "level"),
    [
        # 全省/全市/全县 opening an occasion is the jurisdiction, whatever it names after
        ("全省住房和城乡建设工作会议", "省"),  # was 乡镇 (城乡)
        ("全市城乡环境综合整治工作会议", "市"),
        ("全省自由贸易试验区建设推进会", "省"),  # was 县 (试验区)
        ("全省革命老区振兴发展工作会议", "省"),
        ("全市高新区建设推进会", "市"),
        ("全县企业上市工作推进会", "县"),  # was 市 (上市)
        ("全县乡村旅游产业联盟成立大会", "县"),  # was 市 (联盟)
        ("全省市县党委书记培训班", "省"),
        ("全市五面红旗村创建工作推进会", "市"),  # was 县 (红旗)
        # and the words themselves name no unit
        ("住房和城乡建设工作会议", None),
        ("企业上市工作推进会", None),
        ("产业联盟成立大会", None),
        ("重点地区治安整治会议", None),
        ("自由贸易试验区建设推进会", None),
        ("革命老区振兴发展座谈会", None),
        ("文化科技卫生“三下乡”活动", None),
        ("家乡人才回引工作座谈会", None),
        ("阿克苏地区行署工作会议", "市"),
        # a municipality's district is a district; a place named …山区, …湖区, …林区 is one
        # where its institutions follow (山区 alone is the mountains)
        ("北京市朝阳区第十七届人民代表大会第三次会议", "县"),  # was 省
        ("青山区第十八届人民代表大会第三次会议", "县"),  # was None
        ("南湖区委全会", "县"),
        ("神农架林区第十届人民代表大会第四次会议", "县"),
        ("山区群众增收座谈会", None),
        ("新疆生产建设兵团党委扩大会议", "省"),
    ],
)
def test_the_level_of_meeting_names_probe_8_found_wrong(text: str, level: str | None) -> None:
    assert unit_level(text) == level


def test_traditional_page_marks_and_title_lines_are_read_like_simplified(tmp_path: Path) -> None:
    """A 頁 in a page mark and 與 starting a title's second line, as 页 and 与 are (the two
    lines one phrase: joined without a space)."""
    from generator.config import load_config
    from generator.ingest.pipeline import prepare

    raw = tmp_path / "speech.txt"
    raw.write_text(
        "在全縣深化改革\n與優化營商環境推進會上的講話\n同志們：\n"
        "全縣貸款增長9.6%（第2頁）其中製造業增長24.1%。\n",
        encoding="utf-8",
    )
    meta = prepare(raw, load_config(tmp_path)).meta
    assert meta.title == "在全縣深化改革與優化營商環境推進會上的講話"
    assert [p.text for p in meta.body][-1] == "全縣貸款增長9.6%其中製造業增長24.1%。"


def test_an_address_to_students_is_no_title(tmp_path: Path) -> None:
    """A file opening with its salutation (各位老师、同学们：) has no title line: that is the
    clear error naming the file, not a title made of the address with the speech beheaded."""
    from generator.config import load_config
    from generator.errors import UserError
    from generator.ingest.pipeline import prepare

    raw = tmp_path / "speech-0419.txt"
    raw.write_text("各位老师、同学们：\n大家上午好！今天是我校建校六十周年纪念日。\n", "utf-8")
    with pytest.raises(UserError, match="no recognisable title"):
        prepare(raw, load_config(tmp_path))
    titled = tmp_path / "在建校六十周年纪念大会上的讲话.txt"
    titled.write_text(raw.read_text("utf-8"), "utf-8")
    meta = prepare(titled, load_config(tmp_path)).meta
    assert meta.title == "在建校六十周年纪念大会上的讲话"
    assert meta.salutation == "各位老师、同学们"
    assert meta.body[0].text == "各位老师、同学们："


def test_a_speech_in_english_has_its_english_title(tmp_path: Path) -> None:
    """A speech in English (a translation an archive keeps): its first line is its title, and
    its clauses keep their spaces where a line was joined (probe 15 e07: refused, as if no
    title were there, for want of Chinese in it). Its address is its salutation, a paragraph
    of its own as 同志们： is (it ran into the sentence after it: Ladies and gentlemen, It is…).
    A file opening with its salutation is still refused, and a Chinese speech's Latin line is
    no title."""
    from generator.config import load_config
    from generator.errors import UserError
    from generator.ingest.pipeline import prepare

    raw = tmp_path / "e07.txt"
    raw.write_text(
        "Speech at the Hailar International Trade Fair\n\nLadies and gentlemen,\n\n"
        "It is my great pleasure to welcome you to Hailar,\n"
        "the gateway to Russia and Mongolia.\n"
        "\n谢谢大家！\n",
        encoding="utf-8",
    )
    meta = prepare(raw, load_config(tmp_path)).meta
    assert meta.title == "Speech at the Hailar International Trade Fair"
    assert meta.salutation == "Ladies and gentlemen"
    assert [line.text for line in meta.body[:2]] == [
        "Ladies and gentlemen,",
        "It is my great pleasure to welcome you to Hailar, the gateway to Russia and Mongolia.",
    ]
    opening = tmp_path / "e07b.txt"
    opening.write_text(raw.read_text("utf-8").split("\n\n", 1)[1], "utf-8")
    with pytest.raises(UserError, match="no recognisable title"):
        prepare(opening, load_config(tmp_path))
    chinese = tmp_path / "e07c.txt"
    chinese.write_text(
        "Copyright Example Document Site\n同志们：\n今天我们召开全县大会，部署今年的工作。\n",
        "utf-8",
    )
    with pytest.raises(UserError, match="no recognisable title"):
        prepare(chinese, load_config(tmp_path))


def test_a_long_english_title_with_commas_is_the_title(tmp_path: Path) -> None:
    """A UN statement's title names the speaker, the office and the occasion: over 80
    characters, with commas, it was taken for a sentence and the file refused as having no
    title (probe 19b). A title-case line is a title; a sentence with as many words is not."""
    title = (
        "Statement by H.E. Ambassador Zhang Jun, Permanent Representative of China to the"
        " United Nations, at the General Debate of the General Assembly"
    )
    body = (
        "Mr. President,\n\nAt the outset, allow me to congratulate you on your election, and to"
        " thank your predecessor for the work of the past year, which we all value.\n"
    )
    raw = tmp_path / "statement.txt"
    raw.write_text(f"{title}\n\n{body}", encoding="utf-8")
    assert prepare(raw, load_config(tmp_path)).meta.title == title
    sentence = tmp_path / "sentence.txt"
    sentence.write_text(
        "At the outset, allow me to congratulate you on your election, and thank your"
        f" predecessor for the work of the past year\n\n{body}",
        encoding="utf-8",
    )
    with pytest.raises(UserError, match="no recognisable title"):
        prepare(sentence, load_config(tmp_path))


@pytest.mark.parametrize(
    ("header", "date"),
    [
        ("日期：2024年10月8日", "2024-10-08"),  # a header line, read as the date line it is
        ("会议时间：2024年10月8日上午", "2024-10-08"),
        ("时间：2024年10月8日", "2024-10-08"),  # removed as a news page's line; its date kept
        # when a page was published or changed: a repost's can be years after the speech
        ("发布时间：2024-04-18 10:30", None),
        ("更新时间：2024-04-18 10:30", None),
    ],
)
def test_a_labelled_date_line_gives_the_date(tmp_path: Path, header: str, date: str | None) -> None:
    from generator.config import load_config
    from generator.ingest.pipeline import prepare

    raw = tmp_path / "speech.txt"
    raw.write_text(
        f"在全镇森林防火工作会议上的讲话\n{header}\n同志们：\n今天召开全镇森林防火工作会议。\n",
        encoding="utf-8",
    )
    meta = prepare(raw, load_config(tmp_path)).meta
    assert meta.date == date
    assert [p.text for p in meta.body] == ["同志们：", "今天召开全镇森林防火工作会议。"]


# (A line of circles or boxes alone, ○○○, is a divider: a page's, not a name.)
@pytest.mark.parametrize("byline", ["○○○同志", "县委书记　○○○", "县长 李＊＊", "市长 王**"])
def test_a_name_withheld_by_circles_boxes_or_asterisks_is_the_speaker(
    tmp_path: Path, byline: str
) -> None:
    """As ×××同志 is: the byline goes to the front matter, not into the body as chrome."""
    from generator.config import load_config
    from generator.ingest.pipeline import prepare

    raw = tmp_path / "speech.txt"
    raw.write_text(
        f"在全县党风廉政建设工作会议上的讲话\n{byline}\n同志们：\n今天召开全县党风廉政建设工作会议。\n",
        encoding="utf-8",
    )
    meta = prepare(raw, load_config(tmp_path)).meta
    assert meta.speaker == byline.removesuffix("同志").split()[-1].replace("　", "")
    assert [p.text for p in meta.body] == ["同志们：", "今天召开全县党风廉政建设工作会议。"]


@pytest.mark.parametrize(
    ("head", "speaker", "role"),
    [
        ("专访｜县委书记陈立新：把县域经济这篇大文章做实做细", "陈立新", "县委书记"),
        ("对话丨市长 王海峰：营商环境没有最好只有更好", "王海峰", "市长"),
        ("《若干措施》政策解读\n市发展改革委主任　何建明答记者问", "何建明", "市发展改革委主任"),
        (
            "《若干措施》政策解读\n市发展改革委主任何建明就《若干措施》答记者问",
            "何建明",
            "市发展改革委主任",
        ),
    ],
)
def test_who_is_interviewed_or_answers_is_the_speaker(
    tmp_path: Path, head: str, speaker: str, role: str
) -> None:
    """An interview's headline (专访｜县委书记陈立新：…) and a briefing's byline (…答记者问)
    name the one who speaks, as a byline does."""
    from generator.config import load_config
    from generator.ingest.pipeline import prepare

    raw = tmp_path / "interview.txt"
    raw.write_text(
        f"{head}\n问：今年的总体思路是什么？\n答：我们坚持稳中求进，抓好项目建设和营商环境。\n",
        encoding="utf-8",
    )
    meta = prepare(raw, load_config(tmp_path)).meta
    assert (meta.speaker, meta.speaker_role) == (speaker, role)
    assert meta.body[0].text == "问：今年的总体思路是什么？"


@pytest.mark.parametrize(
    ("byline", "speaker", "role"),
    [
        ("王建国同志（县委副书记、政法委书记）", "王建国", "县委副书记、政法委书记"),
        ("张伟（市委书记）", "张伟", "市委书记"),
        ("市委书记 张伟 同志", "张伟", "市委书记"),  # 同志 is a form of address
        ("市委书记张伟同志", "张伟", "市委书记"),
        ("述职人：市财政局局长 郝建军", "郝建军", "市财政局局长"),
        ("汇报人：县委副书记 姚振华", "姚振华", "县委副书记"),
    ],
)
def test_bylines_with_the_office_after_the_name_or_a_label(
    tmp_path: Path, byline: str, speaker: str, role: str
) -> None:
    """Each was removed as page chrome, and the speech had no speaker."""
    from generator.config import load_config
    from generator.ingest.pipeline import prepare

    raw = tmp_path / "speech.txt"
    raw.write_text(
        f"在全县政法工作会议上的讲话\n{byline}\n同志们：\n今天召开全县政法工作会议。\n", "utf-8"
    )
    prepared = prepare(raw, load_config(tmp_path))
    assert (prepared.meta.speaker, prepared.meta.speaker_role) == (speaker, role)
    assert [r.reason for r in prepared.removed] in ([], ["name line, read as the speaker"])


@pytest.mark.parametrize(
    ("first", "second", "title"),
    [
        (
            "在全县招商引资暨项目建设",
            "攻坚年活动推进会上的讲话",
            "在全县招商引资暨项目建设攻坚年活动推进会上的讲话",
        ),
        (
            "在全区深化改革优化营商环境",
            "暨推进会上的讲话",
            "在全区深化改革优化营商环境暨推进会上的讲话",
        ),
        (
            "坚定信心 攻坚克难",
            "奋力开创高质量发展新局面",
            "坚定信心 攻坚克难 奋力开创高质量发展新局面",
        ),
    ],
)
def test_a_title_on_two_lines_is_joined_as_it_reads(first: str, second: str, title: str) -> None:
    from generator.ingest.meta import join_title_lines

    assert join_title_lines(first, second) == title


@pytest.mark.parametrize(
    ("title", "line", "date"),
    [
        ("在2024年全县“三八”国际妇女节表彰大会上的讲话", "3月7日", "2024-03-07"),
        ("在全县妇女节表彰大会上的讲话", "3月7日", None),  # no year anywhere: no date
        # a repost site's stamp: the day a page was saved, with its owner's name
        ("在全市安全生产工作会议上的讲话", "2023-02-15  老刘的图书馆", None),
        ("在全市安全生产工作会议上的讲话", "2023-02-15 上午", "2023-02-15"),
    ],
)
def test_a_month_and_day_take_the_titles_year_and_a_stamp_is_no_date(
    tmp_path: Path, title: str, line: str, date: str | None
) -> None:
    from generator.config import load_config
    from generator.ingest.pipeline import prepare

    raw = tmp_path / "speech.txt"
    raw.write_text(f"{title}\n{line}\n同志们：\n今天召开大会。\n", encoding="utf-8")
    meta = prepare(raw, load_config(tmp_path)).meta
    assert meta.date == date
    assert [p.text for p in meta.body] == ["同志们：", "今天召开大会。"]


@pytest.mark.parametrize(
    ("lines", "salutation"),
    [
        (["各位副主任、秘书长、各位委员，同志们："], "各位副主任、秘书长、各位委员，同志们"),
        (["各位代表、各位委员，同志们："], "各位代表、各位委员，同志们"),
        (["姐妹们、同志们："], "姐妹们、同志们"),
        (["全镇广大干部群众，同志们、朋友们："], "全镇广大干部群众，同志们、朋友们"),
        (["同志们，朋友们"], "同志们，朋友们"),
        # after a page's lead paragraph, a line that is all salutation
        (["编者按：本文是县委书记在全县大会上的讲话，现予刊发。", "同志们："], "同志们"),
        (["广大干部群众要提高认识，扎实工作。"], None),  # a sentence, not an address
    ],
)
def test_salutations_of_several_addresses(
    tmp_path: Path, lines: list[str], salutation: str | None
) -> None:
    from generator.config import load_config
    from generator.ingest.pipeline import prepare

    raw = tmp_path / "speech.txt"
    body = "\n".join(lines)
    raw.write_text(f"在全县工作会议上的讲话\n{body}\n今天召开全县工作会议。\n", "utf-8")
    assert prepare(raw, load_config(tmp_path)).meta.salutation == salutation


@pytest.mark.parametrize("style", ["Heading 1", "Title"])
def test_a_word_title_set_in_a_heading_style_is_the_title(tmp_path: Path, style: str) -> None:
    """Probe 15 A1: offices set a speech's title in 标题 1; it was read as the body's first
    section, removed as a line before the title, and the title inferred as 政府工作报告."""
    import docx

    from generator.config import load_config
    from generator.ingest.pipeline import prepare

    document = docx.Document()
    document.add_paragraph("在全区经济工作会议上的讲话", style=style)
    document.add_paragraph("区长　杜联合")
    document.add_paragraph("同志们：")
    document.add_paragraph(
        "现在，我代表区人民政府向大会作工作报告，请予审议。过去一年，经济稳中有进。"
    )
    document.add_paragraph("工作回顾", style="Heading 2")
    document.add_paragraph("一年来，我们坚持稳中求进工作总基调，经济社会发展取得新成绩。")
    raw = tmp_path / "speech.docx"
    document.save(str(raw))
    meta = prepare(raw, load_config(tmp_path)).meta
    assert meta.title == "在全区经济工作会议上的讲话"
    assert meta.speaker == "杜联合"
    headings = [p.text for p in meta.body if p.heading_level is not None]
    assert headings == ["工作回顾"]


def test_a_markdown_heading_without_a_number_is_a_heading(tmp_path: Path) -> None:
    """Probe 15 C5: `## 工作回顾` in a Markdown copy became the paragraph 工作回顾, out of the
    outline; its mark says it is a heading, as a Word heading style does."""
    from generator.config import load_config
    from generator.ingest.pipeline import prepare

    raw = tmp_path / "speech.txt"
    raw.write_text(
        "# 在全区经济工作会议上的讲话\n\n同志们：\n\n现在，我代表区人民政府作工作报告。\n\n"
        "## 工作回顾\n\n过去的一年，全区经济稳中有进。\n\n## 工作安排\n\n今年要抓好三件事。\n",
        encoding="utf-8",
    )
    meta = prepare(raw, load_config(tmp_path)).meta
    assert meta.title == "在全区经济工作会议上的讲话"
    headings = [(p.text, p.heading_level) for p in meta.body if p.heading_level is not None]
    assert headings == [("工作回顾", 2), ("工作安排", 2)]


# A county government work report's subtitle, byline and opening, under its title (and whatever
# a page set between them).
_REPORT_HEADER = [
    "——2024年1月20日在青山县第十八届人民代表大会第三次会议上",
    "县长 周立新",
    "各位代表：",
    "现在，我代表县人民政府向大会报告工作，请予审议。",
]


def _prepared(tmp_path: Path, lines: list[str]) -> Prepared:
    path = tmp_path / "report.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    return prepare(path, load_config(tmp_path))


@pytest.mark.parametrize(
    "chrome",
    [
        ["发文字号：", "2024年03月05日"],  # a disclosure table's empty field, its date
        ["标签：", "政府工作报告 杂谈", "分类： 时政"],  # a blog's tags
        ["资源预览需要最新版本的Flash Player支持。", "您尚未安装或版本过低，建议您"],
        ["12 人赞同了该文章"],  # a Q&A site's count, read as a heading
    ],
)
def test_a_pages_chrome_between_title_and_subtitle_does_not_start_the_speech(
    tmp_path: Path, chrome: list[str]
) -> None:
    lines = [
        "2024年青山县政府工作报告",
        *chrome,
        *_REPORT_HEADER,
    ]
    meta = _prepared(tmp_path, lines).meta
    assert meta.subtitle == "——2024年1月20日在青山县第十八届人民代表大会第三次会议上"
    assert (meta.speaker, meta.date) == ("周立新", "2024-01-20")
    assert meta.body[0].text == "各位代表："


def test_the_speech_starts_at_its_salutation_whatever_subtitle_like_line_follows(
    tmp_path: Path,
) -> None:
    lines = [
        "在全县春耕生产动员会上的讲话",
        "同志们：",
        "——2024年3月5日在全县春耕生产动员会上的部署，大家要抓好落实。",
        "今年春耕生产任务很重。",
    ]
    meta = _prepared(tmp_path, lines).meta
    assert meta.subtitle is None
    assert meta.body[0].text == "同志们："


def test_the_subtitles_meeting_day_is_the_date_over_a_pages_date_line(tmp_path: Path) -> None:
    lines = [
        "2024年青山县政府工作报告",
        "来源：青山日报",
        "2024-02-07",  # the day the page was published
        *_REPORT_HEADER,
    ]
    assert _prepared(tmp_path, lines).meta.date == "2024-01-20"


@pytest.mark.parametrize("lead", ["全文如下——", "全文如下：", "以下为报告全文："])
def test_a_reposts_lead_in_does_not_hide_the_documents_title(tmp_path: Path, lead: str) -> None:
    """A WeChat account's repost: its name, the time, then the editor's lead (…全文如下——) and
    the document. The lead stopped the title search, and the account's name was the title."""
    lines = [
        "青山发布",
        "2024-01-21 07:30",
        f"1月20日，青山县第十八届人民代表大会第三次会议开幕，县长周立新作政府工作报告。{lead}",
        "2024年青山县政府工作报告",
        *_REPORT_HEADER,
    ]
    prepared = _prepared(tmp_path, lines)
    meta = prepared.meta
    assert meta.title == "2024年青山县政府工作报告"
    assert (meta.speaker, meta.date, meta.salutation) == ("周立新", "2024-01-20", "各位代表")
    assert meta.body[0].text == "各位代表："
    assert ("repost lead-in", lines[2]) in {(r.reason, r.text) for r in prepared.removed}


def test_a_speech_that_quotes_a_document_in_full_keeps_its_sentence(tmp_path: Path) -> None:
    # (…全文如下： in the speech is its own sentence: the lead-in only counts before a title)
    lines = [
        "在全县安全生产会议上的讲话",
        "同志们：",
        "县政府近日印发了安全生产工作要点，全文如下：",
        "关于进一步加强安全生产工作的报告",
        "各乡镇要落实属地管理责任。",
    ]
    meta = _prepared(tmp_path, lines).meta
    assert meta.title == "在全县安全生产会议上的讲话"
    assert [p.text for p in meta.body] == lines[1:]
