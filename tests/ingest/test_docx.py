"""Reading Word speeches: body order, headings, rendered list numbers, tracked changes."""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import zipfile
from pathlib import Path

import docx
import pytest
from docx.document import Document as DocxDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.text.paragraph import Paragraph

from generator.errors import UserError
from generator.ingest.decode import SourceText, read_source
from generator.ingest.docx import format_number
from tests.conftest import ROOT
from tests.helpers import run_ingest

W = nsdecls("w")


def save(document: DocxDocument, tmp_path: Path, name: str = "speech.docx") -> Path:
    path = tmp_path / name
    document.save(str(path))
    return path


def texts(source: SourceText) -> list[str]:
    return [line.text for line in source.lines]


def add_list(document: DocxDocument, abstract_id: int, levels: list[tuple[str, str, int]]) -> int:
    """Add a list definition (numFmt, lvlText, start per level) and a w:num using it."""
    numbering = document.part.numbering_part.element
    lvls = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/>'
        f'<w:lvlText w:val="{text}"/></w:lvl>'
        for i, (fmt, text, start) in enumerate(levels)
    )
    abstract = parse_xml(
        f'<w:abstractNum {W} w:abstractNumId="{abstract_id}">{lvls}</w:abstractNum>'
    )
    first_num = numbering.find(qn("w:num"))
    if first_num is not None:
        first_num.addprevious(abstract)  # schema order: all abstractNums before any num
    else:
        numbering.append(abstract)
    num_id = 100 + abstract_id
    numbering.append(
        parse_xml(f'<w:num {W} w:numId="{num_id}"><w:abstractNumId w:val="{abstract_id}"/></w:num>')
    )
    return num_id


def numbered(document: DocxDocument, text: str, num_id: int, ilvl: int = 0) -> Paragraph:
    paragraph = document.add_paragraph(text)
    paragraph._p.get_or_add_pPr().append(
        parse_xml(f'<w:numPr {W}><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num_id}"/></w:numPr>')
    )
    return paragraph


def paragraph_from_xml(document: DocxDocument, inner: str) -> None:
    document.add_paragraph()._p.append(parse_xml(f"<w:r {W}>{inner}</w:r>"))


# --- order and metadata -----------------------------------------------------------------------


def test_a_data_table_comes_row_by_row_where_the_table_is(tmp_path: Path) -> None:
    """A table of short cells is data: each row one line, its cells between tabs (an empty
    cell a space, so the cells after it keep their column), as the cleaner reads tables."""
    document = docx.Document()
    document.add_paragraph("前言")
    table = document.add_table(rows=2, cols=3)
    cells = {(0, 0): "指标", (0, 1): "目标", (0, 2): "完成", (1, 0): "财政收入", (1, 2): "9.8亿元"}
    for (row, col), text in cells.items():
        table.cell(row, col).text = text
    document.add_paragraph("")
    document.add_paragraph("结尾")
    path = save(document, tmp_path)
    source = read_source(path)
    assert texts(source) == ["前言", "指标\t目标\t完成", "财政收入\t \t9.8亿元", "", "结尾"]
    assert [line.line for line in source.lines] == list(range(1, 6))
    assert source.encoding == "docx"
    assert source.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_layout_table_of_prose_comes_paragraph_by_paragraph(tmp_path: Path) -> None:
    """A table that lays out text (a cell of several paragraphs, or of a long one) is no data
    table: its paragraphs come one by one, in reading order, as before."""
    document = docx.Document()
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "甲"
    table.cell(0, 1).text = "乙"
    table.cell(1, 0).text = "丙"
    table.cell(1, 1).text = "第一段。"
    table.cell(1, 1).add_paragraph("第二段。")
    source = read_source(save(document, tmp_path))
    assert texts(source) == ["甲", "乙", "丙", "第一段。", "第二段。"]
    long = "这是一段很长的正文，" * 8
    document = docx.Document()
    table = document.add_table(rows=2, cols=2)
    for (row, col), text in {(0, 0): "甲", (0, 1): "乙", (1, 0): "丙", (1, 1): long}.items():
        table.cell(row, col).text = text
    source = read_source(save(document, tmp_path, "long.docx"))
    assert texts(source) == ["甲", "乙", "丙", long]


def test_heading_levels_from_styles_and_outline_level(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_heading("讲话标题", level=0)  # Title style: not an outline heading
    document.add_heading("一级标题", level=1)
    document.add_heading("二级标题", level=2)
    document.add_paragraph("正文")
    document.styles.add_style("标题 3", WD_STYLE_TYPE.PARAGRAPH)
    document.add_paragraph("中文样式名", style="标题 3")
    by_id = document.styles.add_style("Custom Head", WD_STYLE_TYPE.PARAGRAPH)
    by_id.element.set(qn("w:styleId"), "2")  # the id Chinese Word gives heading 2
    by_id.element.remove(by_id.element.find(qn("w:name")))  # ids count only for nameless styles
    not_heading = document.styles.add_style("正文缩进", WD_STYLE_TYPE.PARAGRAPH)
    not_heading.element.set(qn("w:styleId"), "1")
    document.add_paragraph("编号样式", style=not_heading)
    document.add_paragraph("样式编号", style=by_id)
    direct = document.add_paragraph("大纲级别")
    direct._p.get_or_add_pPr().append(parse_xml(f'<w:outlineLvl {W} w:val="3"/>'))
    body_text = document.add_paragraph("大纲正文", style="Heading 1")
    body_text._p.get_or_add_pPr().append(parse_xml(f'<w:outlineLvl {W} w:val="9"/>'))
    inherited = document.styles.add_style("My Section", WD_STYLE_TYPE.PARAGRAPH)
    inherited.base_style = document.styles["Heading 2"]
    document.add_paragraph("继承样式", style="My Section")

    levels = [
        (line.text, line.heading_level) for line in read_source(save(document, tmp_path)).lines
    ]
    assert levels == [
        ("讲话标题", None),
        ("一级标题", 1),
        ("二级标题", 2),
        ("正文", None),
        ("中文样式名", 3),
        ("编号样式", None),
        ("样式编号", 2),
        ("大纲级别", 4),
        ("大纲正文", None),
        ("继承样式", 2),
    ]


# --- numbering --------------------------------------------------------------------------------


def test_chinese_outline_numbering_with_nested_restart(tmp_path: Path) -> None:
    document = docx.Document()
    # %2 is the second level's own counter; "%1" in a level-2 label would repeat the parent's.
    num = add_list(document, 50, [("chineseCounting", "%1、", 1), ("decimal", "（%2）", 1)])
    numbered(document, "工作回顾", num)
    numbered(document, "经济发展", num, 1)
    numbered(document, "民生改善", num, 1)
    document.add_paragraph("过去一年成绩显著。")
    numbered(document, "工作安排", num)
    numbered(document, "稳增长", num, 1)
    numbered(document, "政府建设", num)
    assert texts(read_source(save(document, tmp_path))) == [
        "一、工作回顾",
        "（1）经济发展",
        "（2）民生改善",
        "过去一年成绩显著。",
        "二、工作安排",
        "（1）稳增长",
        "三、政府建设",
    ]


def test_multi_level_text_start_and_bullets(tmp_path: Path) -> None:
    document = docx.Document()
    outline = add_list(document, 51, [("decimal", "%1.", 9), ("lowerLetter", "%1.%2", 1)])
    bullets = add_list(document, 52, [("bullet", "\uf0b7", 1)])
    numbered(document, "九", outline)
    numbered(document, "九点一", outline, 1)
    numbered(document, "十", outline)
    numbered(document, "要点", bullets)
    # (Word draws a tab after each label, w:suff's default: 9.a and its text stay apart.)
    assert texts(read_source(save(document, tmp_path))) == ["9.九", "9.a 九点一", "10.十", "要点"]


def add_suffix(document: DocxDocument, num_id: int, ilvl: int, suffix: str) -> None:
    """Give level `ilvl` of the list `num_id` (from add_list) a w:suff."""
    abstract_id = num_id - 100
    for abstract in document.part.numbering_part.element.iter(qn("w:abstractNum")):
        if abstract.get(qn("w:abstractNumId")) == str(abstract_id):
            level = abstract.findall(qn("w:lvl"))[ilvl]
            level.append(parse_xml(f'<w:suff {W} w:val="{suffix}"/>'))


def test_the_list_label_is_set_off_as_word_draws_it(tmp_path: Path) -> None:
    """Word draws a tab after a list label (w:suff: tab by default, space, or nothing); the
    label ran into its text (22015年工作安排, 第一章经济发展). A label ending in its own mark
    (一、) needs no space."""
    document = docx.Document()
    figures = add_list(document, 55, [("decimal", "%1", 1), ("decimal", "%1.%2", 1)])
    chapters = add_list(document, 56, [("chineseCounting", "第%1章", 1)])
    sections = add_list(document, 57, [("chineseCounting", "%1、", 1)])
    glued = add_list(document, 58, [("decimal", "%1", 1)])
    add_suffix(document, chapters, 0, "space")
    add_suffix(document, glued, 0, "nothing")
    numbered(document, "工作回顾", figures)
    numbered(document, "2015年工作安排", figures)
    numbered(document, "2015年主要预期目标", figures, 1)
    numbered(document, "经济发展", chapters)
    numbered(document, "工作回顾", sections)
    numbered(document, "号文件", glued)
    assert texts(read_source(save(document, tmp_path))) == [
        "1 工作回顾",
        "2 2015年工作安排",
        "2.1 2015年主要预期目标",
        "第一章 经济发展",
        "一、工作回顾",
        "1号文件",
    ]


def test_a_list_label_and_its_tab_make_an_outline_item(tmp_path: Path) -> None:
    """End to end: Word's heading numbering (%1 and a tab, 第%1章), on a plain paragraph or in
    a heading style, gives outline items, the label set off by an ideographic space."""
    (tmp_path / "content" / "raw").mkdir(parents=True)
    shutil.copy(ROOT / "site.yaml", tmp_path / "site.yaml")
    document = docx.Document()
    figures = add_list(document, 59, [("decimal", "%1", 1)])
    document.add_paragraph("在全区经济工作会议上的讲话")
    document.add_paragraph("同志们：")
    document.add_paragraph("现在，我代表区人民政府向大会作工作报告，请予审议。")
    numbered(document, "工作回顾", figures)
    document.add_paragraph("过去的一年，全区经济平稳运行，各项事业取得新进展。")
    heading = numbered(document, "2015年工作安排", figures)
    heading.style = document.styles["Heading 1"]
    document.add_paragraph("今年经济社会发展的主要预期目标是：地区生产总值增长8%。")
    save(document, tmp_path / "content" / "raw")
    assert not run_ingest(tmp_path).failed
    body = next((tmp_path / "content" / "speeches").glob("*.md")).read_text("utf-8")
    assert "## 1\u3000工作回顾\n" in body
    assert "## 2\u3000" in body and "2015年工作安排\n" in body
    assert "title: 工作回顾" in body


def test_counting_continues_past_ten(tmp_path: Path) -> None:
    document = docx.Document()
    num = add_list(document, 53, [("chineseCounting", "第%1，", 9)])
    for text in ("甲", "乙", "丙", "丁"):
        numbered(document, text, num)
    assert texts(read_source(save(document, tmp_path))) == [
        "第九，甲",
        "第十，乙",
        "第十一，丙",
        "第十二，丁",
    ]


def test_numbering_inherited_from_list_style(tmp_path: Path) -> None:
    document = docx.Document()
    for text in ("第一条", "第二条"):
        document.add_paragraph(text, style="List Number")  # template style → numId 5 → "%1."
    assert texts(read_source(save(document, tmp_path))) == ["1.第一条", "2.第二条"]


def test_start_override_restarts_a_shared_list(tmp_path: Path) -> None:
    document = docx.Document()
    first = add_list(document, 54, [("decimal", "%1)", 1)])
    restarted = 200
    document.part.numbering_part.element.append(
        parse_xml(
            f'<w:num {W} w:numId="{restarted}"><w:abstractNumId w:val="54"/>'
            '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>'
        )
    )
    numbered(document, "a", first)
    numbered(document, "b", first)
    numbered(document, "c", restarted)
    numbered(document, "d", restarted)
    assert texts(read_source(save(document, tmp_path))) == ["1)a", "2)b", "1)c", "2)d"]


def test_a_number_format_wrapped_in_alternate_content(tmp_path: Path) -> None:
    """Word 2010 and later write a custom format in mc:Choice with its nearest built-in in
    mc:Fallback, and no w:numFmt of the level's own: it read as decimal, 1、 for 一、."""
    document = docx.Document()
    numbering = document.part.numbering_part.element
    alternate = (
        f"<mc:AlternateContent {MC}><mc:Choice Requires='w14'>"
        '<w:numFmt w:val="custom" w:format="一, 二, 三, ..."/></mc:Choice>'
        '<mc:Fallback><w:numFmt w:val="{fallback}"/></mc:Fallback></mc:AlternateContent>'
    )
    for abstract_id, fallback in ((60, "chineseCounting"), (61, "upperRoman")):
        numbering.insert(
            0,
            parse_xml(
                f'<w:abstractNum {W} w:abstractNumId="{abstract_id}"><w:lvl w:ilvl="0">'
                f'<w:start w:val="1"/>{alternate.format(fallback=fallback)}'
                '<w:lvlText w:val="%1、"/></w:lvl></w:abstractNum>'
            ),
        )
        numbering.append(
            parse_xml(
                f'<w:num {W} w:numId="{abstract_id}"><w:abstractNumId w:val="{abstract_id}"/>'
                "</w:num>"
            )
        )
    numbered(document, "工作回顾", 60)
    numbered(document, "工作安排", 60)
    numbered(document, "附录", 61)
    assert texts(read_source(save(document, tmp_path))) == [
        "一、工作回顾",
        "二、工作安排",
        "I、附录",
    ]


@pytest.mark.parametrize(
    ("value", "fmt", "expected"),
    [
        (1, "chineseCounting", "一"),
        (10, "chineseCounting", "十"),
        (11, "chineseCounting", "十一"),
        (20, "chineseCounting", "二十"),
        (21, "chineseCounting", "二十一"),
        (99, "chineseCounting", "九十九"),
        (101, "chineseCountingThousand", "一百零一"),
        (110, "chineseCountingThousand", "一百一十"),
        (3, "ideographTraditional", "丙"),
        (12, "japaneseCounting", "十二"),
        (3, "decimalEnclosedCircle", "③"),
        (12, "decimalFullWidth", "１２"),
        (27, "upperLetter", "AA"),
        (2, "lowerLetter", "b"),
        (14, "upperRoman", "XIV"),
        (4, "lowerRoman", "iv"),
        (5, "bullet", ""),
        (7, "someFutureFormat", "7"),
    ],
)
def test_number_formats(value: int, fmt: str, expected: str) -> None:
    assert format_number(value, fmt) == expected


# --- text inside paragraphs -------------------------------------------------------------------


def test_runs_breaks_tabs_links_and_tracked_changes(tmp_path: Path) -> None:
    document = docx.Document()
    paragraph_from_xml(document, "<w:t>我们要坚持稳中求进，</w:t><w:br/><w:t>推动发展</w:t>")
    paragraph_from_xml(document, "<w:t>Dear</w:t><w:br/><w:t>friends</w:t>")
    paragraph_from_xml(document, "<w:t>姓名</w:t><w:tab/><w:t>职务</w:t>")
    rich = document.add_paragraph("我们")
    rich._p.append(parse_xml(f"<w:hyperlink {W}><w:r><w:t>坚持</w:t></w:r></w:hyperlink>"))
    rich._p.append(
        parse_xml(f'<w:ins {W} w:id="1" w:author="a"><w:r><w:t>稳中</w:t></w:r></w:ins>')
    )
    rich._p.append(
        parse_xml(
            f'<w:del {W} w:id="2" w:author="a"><w:r><w:delText>删掉</w:delText></w:r></w:del>'
        )
    )
    rich._p.append(parse_xml(f"<w:r {W}><w:t>求进</w:t></w:r>"))
    assert texts(read_source(save(document, tmp_path))) == [
        "我们要坚持稳中求进，推动发展",
        "Dear friends",
        "姓名 职务",
        "我们坚持稳中求进",
    ]


BREAK = "</w:t><w:br/><w:t>"


def test_a_soft_break_after_a_line_that_stands_alone_keeps_the_lines(tmp_path: Path) -> None:
    """A soft line break (Shift+Enter) was dropped between Chinese characters, so a title ran
    into its byline, a heading into its first sentence, a signature into its date. It ends
    the line where the line cannot run on (closed by its mark, or short with no sentence in
    it); inside a sentence, and between a heading's two short lines, it is still layout."""
    document = docx.Document()
    for text in (
        f"在全区经济工作会议上的讲话{BREAK}区长　杜联合",
        f"各位代表：{BREAK}现在，我代表区人民政府作报告。",
        f"一、工作回顾{BREAK}过去的一年，全区经济平稳运行。",
        f"海拉尔区人民政府{BREAK}2015年2月5日",
        f"面对复杂多变的经济形势和繁重紧迫的发展任务，区政府在市委、{BREAK}市政府的正确领导下",
        f"二、坚持稳中求进{BREAK}推动高质量发展",
        f"Dear{BREAK}friends",
    ):
        paragraph_from_xml(document, f"<w:t>{text}</w:t>")
    document.add_heading("", level=1)._p.append(
        parse_xml(f"<w:r {W}><w:t>三、工作安排{BREAK}今年的主要目标是：增长8%。</w:t></w:r>")
    )
    source = read_source(save(document, tmp_path))
    assert [(line.line, line.text, line.heading_level) for line in source.lines] == [
        (1, "在全区经济工作会议上的讲话", None),
        (1, "区长　杜联合", None),
        (2, "各位代表：", None),
        (2, "现在，我代表区人民政府作报告。", None),
        (3, "一、工作回顾", None),
        (3, "过去的一年，全区经济平稳运行。", None),
        (4, "海拉尔区人民政府", None),
        (4, "2015年2月5日", None),
        (5, "面对复杂多变的经济形势和繁重紧迫的发展任务，区政府在市委、市政府的正确领导下", None),
        (6, "二、坚持稳中求进推动高质量发展", None),
        (7, "Dear friends", None),
        (8, "三、工作安排", 1),  # (the heading is the line before the break)
        (8, "今年的主要目标是：增长8%。", None),
    ]


def test_soft_breaks_keep_the_title_byline_headings_and_date(tmp_path: Path) -> None:
    """End to end: the title and the byline under it, the headings and the date of the
    signature, each set off by a soft break, are read as such."""
    (tmp_path / "content" / "raw").mkdir(parents=True)
    shutil.copy(ROOT / "site.yaml", tmp_path / "site.yaml")
    document = docx.Document()
    paragraph_from_xml(document, f"<w:t>在全区经济工作会议上的讲话{BREAK}区长　杜联合</w:t>")
    document.add_paragraph("同志们：")
    document.add_paragraph("现在，我代表区人民政府向大会作工作报告，请予审议。")
    paragraph_from_xml(document, f"<w:t>一、工作回顾{BREAK}过去的一年，全区经济平稳运行。</w:t>")
    paragraph_from_xml(document, f"<w:t>二、工作安排{BREAK}今年要抓好三件事。</w:t>")
    paragraph_from_xml(document, f"<w:t>海拉尔区人民政府{BREAK}2015年2月5日</w:t>")
    save(document, tmp_path / "content" / "raw")
    assert not run_ingest(tmp_path).failed
    text = next((tmp_path / "content" / "speeches").glob("*.md")).read_text("utf-8")
    for line in (
        "title: 在全区经济工作会议上的讲话",
        "speaker: 杜联合",
        "speaker_role: 区长",
        "date: '2015-02-05'",
        "## 一、工作回顾\n",
        "## 二、工作安排\n",
    ):
        assert line in text


def test_hidden_text_and_a_generated_table_of_contents_are_left_out(tmp_path: Path) -> None:
    """Hidden runs (w:vanish) are no visible text: a site's stamp hides there. Word's table of
    contents (a content control of the "Table of Contents" gallery) repeats the headings with
    their page numbers glued on; it is not read. Other content controls are."""
    document = docx.Document()
    paragraph_from_xml(document, "<w:t>在全县大会上的讲话</w:t>")
    paragraph_from_xml(document, "<w:rPr><w:vanish/></w:rPr><w:t>本文由某某文库用户上传</w:t>")
    hidden_off = document.add_paragraph()
    hidden_off._p.append(
        parse_xml(f'<w:r {W}><w:rPr><w:vanish w:val="0"/></w:rPr><w:t>可见</w:t></w:r>')
    )
    body = document.element.body
    contents = parse_xml(
        f'<w:sdt {W}><w:sdtPr><w:docPartObj><w:docPartGallery w:val="Table of Contents"/>'
        "</w:docPartObj></w:sdtPr><w:sdtContent><w:p><w:r><w:t>一、总体要求</w:t></w:r>"
        "<w:r><w:tab/><w:t>1</w:t></w:r></w:p></w:sdtContent></w:sdt>"
    )
    other = parse_xml(
        f'<w:sdt {W}><w:sdtPr><w:alias w:val="正文"/></w:sdtPr><w:sdtContent><w:p><w:r>'
        "<w:t>同志们：</w:t></w:r></w:p></w:sdtContent></w:sdt>"
    )
    body.insert(len(body) - 1, contents)
    body.insert(len(body) - 1, other)
    assert texts(read_source(save(document, tmp_path))) == [
        "在全县大会上的讲话",
        "",
        "可见",
        "同志们：",
    ]


def test_text_hidden_through_a_style_is_left_out(tmp_path: Path) -> None:
    """A run hidden by its character style (or one that style is based on), or a paragraph
    whose style hides its text, is no visible text either: only direct w:vanish was read, and
    an editor's note hidden through a style stayed. The run's own setting wins over its
    styles', as in Word."""
    document = docx.Document()
    hidden = document.styles.add_style("隐藏文字", WD_STYLE_TYPE.CHARACTER)
    hidden.element.get_or_add_rPr().append(parse_xml(f"<w:vanish {W}/>"))
    based = document.styles.add_style("内部备注", WD_STYLE_TYPE.CHARACTER)
    based.base_style = hidden
    note = document.styles.add_style("批注段", WD_STYLE_TYPE.PARAGRAPH)
    note.element.get_or_add_rPr().append(parse_xml(f"<w:vanish {W}/>"))
    paragraph = document.add_paragraph("请予审议。")
    paragraph.add_run("【请办公室核对数字】", style=hidden)
    paragraph.add_run("过去的一年")
    paragraph.add_run("【待核实】", style=based)
    shown = paragraph.add_run("，成绩显著。", style=hidden)
    shown.font.hidden = False  # w:vanish w:val="0" on the run itself
    document.add_paragraph("本稿仅供内部征求意见", style=note)
    document.add_paragraph("同志们：")
    assert texts(read_source(save(document, tmp_path))) == [
        "请予审议。过去的一年，成绩显著。",
        "",
        "同志们：",
    ]


def _toc_entry(text: str, page: str, begin: bool = False, end: bool = False) -> str:
    """A TOC 1 paragraph as Word writes one: a hyperlink, a tab, a PAGEREF field; the first
    also opens the TOC field, the last closes it."""
    field = (
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        '<w:r><w:instrText xml:space="preserve"> TOC \\o "1-3" \\h \\z \\u </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
    )
    close = '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    return (
        f'<w:p {W}><w:pPr><w:pStyle w:val="TOC1"/></w:pPr>{field if begin else ""}'
        f'<w:hyperlink w:anchor="_Toc{page}"><w:r><w:t>{text}</w:t></w:r><w:r><w:tab/></w:r>'
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        f'<w:r><w:instrText xml:space="preserve"> PAGEREF _Toc{page} \\h </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        f'<w:r><w:t>{page}</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:hyperlink>'
        f"{close if end else ''}</w:p>"
    )


def test_a_table_of_contents_field_or_toc_styles_is_left_out_and_reported(
    tmp_path: Path,
) -> None:
    """A table of contents made by a TOC field (older Word, WPS: no content control around it)
    stayed, page numbers glued on, and made a second outline; so did entries in the TOC
    styles. Both go with the 目录 line above them, listed as removed."""
    document = docx.Document()
    document.add_paragraph("在全区经济工作会议上的讲话")
    document.add_paragraph("目　录")
    body = document.element.body
    for entry in (
        _toc_entry("一、工作回顾", "1", begin=True),
        _toc_entry("二、工作安排", "3", end=True),
    ):
        body.insert(len(body) - 1, parse_xml(entry))
    document.add_paragraph("同志们：")
    toc = document.styles.add_style("toc 2", WD_STYLE_TYPE.PARAGRAPH)  # (Word's own name)
    document.add_paragraph("Contents")
    document.add_paragraph("（一）经济发展\t2", style=toc)
    document.add_paragraph("一、工作回顾")
    document.add_paragraph("过去的一年，全区经济平稳运行。")
    source = read_source(save(document, tmp_path))
    assert texts(source) == [
        "在全区经济工作会议上的讲话",
        "同志们：",
        "一、工作回顾",
        "过去的一年，全区经济平稳运行。",
    ]
    assert [(line.line, line.text) for line in source.hidden] == [
        (2, "目　录"),
        (3, "一、工作回顾 1"),
        (4, "二、工作安排 3"),
        (6, "Contents"),
        (7, "（一）经济发展 2"),
    ]
    assert source.hidden_reason == "table of contents"


NOTES_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def add_notes(document: DocxDocument, kind: str, notes: dict[int, str]) -> None:
    """Give the document a footnotes.xml or endnotes.xml part holding `notes` (id → text),
    with the separator notes Word writes first."""
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    separators = "".join(
        f'<w:{kind} w:type="{t}" w:id="{i}"><w:p><w:r><w:separator/></w:r></w:p></w:{kind}>'
        for i, t in ((-1, "separator"), (0, "continuationSeparator"))
    )
    bodies = "".join(
        f'<w:{kind} w:id="{i}"><w:p><w:r><w:{kind}Ref/></w:r><w:r>'
        f'<w:t xml:space="preserve"> {text}</w:t></w:r></w:p></w:{kind}>'
        for i, text in notes.items()
    )
    xml = f'<w:{kind}s xmlns:w="{NOTES_NS}">{separators}{bodies}</w:{kind}s>'
    content_type = f"application/vnd.openxmlformats-officedocument.wordprocessingml.{kind}s+xml"
    part = Part(PackURI(f"/word/{kind}s.xml"), content_type, xml.encode(), document.part.package)
    relationship = RELATIONSHIP_TYPE.FOOTNOTES if kind == "footnote" else RELATIONSHIP_TYPE.ENDNOTES
    document.part.relate_to(part, relationship)


def note_reference(kind: str, note_id: int, custom: str = "") -> str:
    follows = ' w:customMarkFollows="1"' if custom else ""
    mark = f"<w:t>{custom}</w:t>" if custom else ""
    return (
        f'<w:r {W}><w:rPr><w:vertAlign w:val="superscript"/></w:rPr>'
        f'<w:{kind}Reference w:id="{note_id}"{follows}/>{mark}</w:r>'
    )


def noted(document: DocxDocument, *pieces: str) -> None:
    """A paragraph of text pieces and note references (pieces starting with "<")."""
    paragraph = document.add_paragraph()
    for piece in pieces:
        paragraph._p.append(
            parse_xml(piece if piece.startswith("<") else f"<w:r {W}><w:t>{piece}</w:t></w:r>")
        )


def test_footnotes_and_endnotes_are_marked_and_kept(tmp_path: Path) -> None:
    """Footnotes and endnotes were lost with their marks. Each reference is a Markdown
    footnote mark where Word shows it, numbered in the order of first reference, footnotes
    and endnotes in one sequence; a note referred to twice keeps its number, and a note's own
    mark (customMarkFollows: *) gives way to it."""
    document = docx.Document()
    add_notes(document, "footnote", {1: "“两个中心”指中心城区和先导区。", 2: "本文有删节。"})
    add_notes(document, "endnote", {1: "数据均为初步统计数。"})
    noted(document, "全力打造“两个中心”", note_reference("endnote", 1), "，成绩显著。")
    noted(
        document, "“两个中心”", note_reference("footnote", 1), "建设", note_reference("endnote", 1)
    )
    noted(document, "同志们：", note_reference("footnote", 2, custom="*"))
    source = read_source(save(document, tmp_path))
    assert texts(source) == [
        "全力打造“两个中心”[^1]，成绩显著。",
        "“两个中心”[^2]建设[^1]",
        "同志们：[^3]",
    ]
    assert source.notes == (
        "数据均为初步统计数。",
        "“两个中心”指中心城区和先导区。",
        "本文有删节。",
    )


def test_notes_reach_the_speech_as_markdown_footnotes(tmp_path: Path) -> None:
    """End to end: the marks stay where they were through cleaning (a paragraph that ends in
    one is not joined to the next, a title that ends in one is still the title), are not
    escaped, and the notes follow the body as definitions, which the page shows. A note on
    the title, whose mark has no place in the body, is kept as a paragraph after it."""
    from generator.render.markdown import render_body

    (tmp_path / "content" / "raw").mkdir(parents=True)
    shutil.copy(ROOT / "site.yaml", tmp_path / "site.yaml")
    document = docx.Document()
    add_notes(
        document, "footnote", {1: "这是在全区经济工作会议上的讲话。", 2: "指中心城区和先导区。"}
    )
    add_notes(document, "endnote", {1: "数据均为初步统计数。"})
    noted(document, "在全区经济工作会议上的讲话", note_reference("footnote", 1))
    document.add_paragraph("同志们：")
    noted(document, "现在，我代表区人民政府作工作报告，请予审议。", note_reference("endnote", 1))
    noted(document, "一、打造“两个中心”", note_reference("footnote", 2))
    document.add_paragraph("过去的一年，全区经济平稳运行，各项事业取得新进展。")
    save(document, tmp_path / "content" / "raw")
    assert not run_ingest(tmp_path).failed
    text = next((tmp_path / "content" / "speeches").glob("*.md")).read_text("utf-8")
    assert "title: 在全区经济工作会议上的讲话\n" in text
    assert "title: 打造“两个中心”\n" in text  # (the outline's title: no mark)
    body = text.split("\n---\n", 1)[1]
    assert body.endswith(
        "现在，我代表区人民政府作工作报告，请予审议。[^1]\n\n"
        "{#s1}\n## 一、打造“两个中心”[^2]\n\n"
        "过去的一年，全区经济平稳运行，各项事业取得新进展。\n\n"
        "注：这是在全区经济工作会议上的讲话。\n\n"
        "[^1]: 数据均为初步统计数。\n\n"
        "[^2]: 指中心城区和先导区。\n"
    )
    html = render_body(body).html
    assert 'href="#fn1"' in html and "数据均为初步统计数。" in html and "[^" not in html


# --- failures ---------------------------------------------------------------------------------


def read_error(path: Path) -> UserError:
    with pytest.raises(UserError) as info:
        read_source(path)
    assert str(path) in str(info.value)
    return info.value


def zip_bytes(files: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


@pytest.mark.parametrize(
    "data",
    [
        os.urandom(2048),
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512),
        zip_bytes({"hello.txt": "not a word file"}),
        "各位代表：".encode(),
    ],
    ids=["random-bytes", "old-doc", "zip-without-document", "text-file"],
)
def test_corrupt_docx(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "speech.docx"
    path.write_bytes(data)
    err = read_error(path)
    assert ".docx" in err.message
    assert err.hint is not None


def test_truncated_docx(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("各位代表：")
    good = save(document, tmp_path, "good.docx").read_bytes()
    path = tmp_path / "speech.docx"
    path.write_bytes(good[: len(good) // 2])
    read_error(path)


def test_docx_without_text(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("")
    document.add_paragraph("   ")
    err = read_error(save(document, tmp_path))
    assert "no text" in err.message


def test_empty_docx_file(tmp_path: Path) -> None:
    path = tmp_path / "speech.docx"
    path.write_bytes(b"")
    assert "empty" in read_error(path).message


def test_a_word_table_reaches_the_speech_as_a_markdown_table(tmp_path: Path) -> None:
    """End to end: the rows of a Word table become a pipe table in the speech's Markdown,
    between the paragraphs around it, every cell in its column."""
    (tmp_path / "content" / "raw").mkdir(parents=True)
    shutil.copy(ROOT / "site.yaml", tmp_path / "site.yaml")
    document = docx.Document()
    document.add_paragraph("在全县经济运行分析会上的讲话")
    document.add_paragraph("同志们：")
    document.add_paragraph("一季度主要指标如下。")
    table = document.add_table(rows=3, cols=3)
    rows = [
        ("指标", "完成", "增长"),
        ("地区生产总值", "86.4亿元", "5.8%"),
        ("财政收入", "", "-2.3%"),
    ]
    for row, values in enumerate(rows):
        for col, text in enumerate(values):
            table.cell(row, col).text = text
    document.add_paragraph("总体看，开局良好。")
    save(document, tmp_path / "content" / "raw")
    report = run_ingest(tmp_path)
    assert not report.failed
    body = next((tmp_path / "content" / "speeches").glob("*.md")).read_text("utf-8")
    assert (
        "一季度主要指标如下。\n\n| 指标 | 完成 | 增长 |\n| --- | --- | --- |\n"
        "| 地区生产总值 | 86.4亿元 | 5.8% |\n| 财政收入 |  | \\-2.3% |\n\n总体看，开局良好。\n"
    ) in body


MC = 'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"'
WPS = 'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"'
V = 'xmlns:v="urn:schemas-microsoft-com:vml"'


def _text_box(text: str) -> str:
    return f"<w:txbxContent><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:txbxContent>"


def test_text_in_a_text_box_is_read_once_before_its_anchor(tmp_path: Path) -> None:
    """A title Word floats in a text box was lost; a box comes twice in the file (the shape,
    and its VML copy in mc:Fallback) but once in the text."""
    document = docx.Document()
    document.add_paragraph()._p.append(
        parse_xml(
            f"<w:r {W} {MC} {WPS} {V}><mc:AlternateContent>"
            f"<mc:Choice Requires='wps'><w:drawing><wps:txbx>{_text_box('在全县工作会议上的讲话')}"
            "</wps:txbx></w:drawing></mc:Choice>"
            f"<mc:Fallback><w:pict><v:textbox>{_text_box('在全县工作会议上的讲话')}"
            "</v:textbox></w:pict></mc:Fallback></mc:AlternateContent></w:r>"
        )
    )
    document.add_paragraph("同志们：")
    document.add_paragraph("今天召开全县工作会议。")
    assert texts(read_source(save(document, tmp_path))) == [
        "在全县工作会议上的讲话",
        "",  # (the paragraph the box is anchored in)
        "同志们：",
        "今天召开全县工作会议。",
    ]


def test_ruby_text_keeps_its_base_and_its_reading(tmp_path: Path) -> None:
    """Characters with a reading set above them (Word's phonetic guide) were lost whole."""
    document = docx.Document()
    paragraph_from_xml(
        document,
        "<w:t>这里是</w:t><w:ruby><w:rubyPr/><w:rt><w:r><w:t>Kǎ</w:t></w:r></w:rt>"
        "<w:rubyBase><w:r><w:t>卡</w:t></w:r></w:rubyBase></w:ruby><w:t>口</w:t>",
    )
    assert texts(read_source(save(document, tmp_path))) == ["这里是卡（Kǎ）口"]
