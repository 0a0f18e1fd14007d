"""Reading OpenDocument (.odt) and RTF speeches: the body's paragraphs as the page shows them
(list numbers drawn from the list's style, tables as rows, footnotes as notes), what is not
the speech's left out, and clear errors for a damaged, locked or foreign file. Fixtures:
tests/fixtures/doc/make.py (LibreOffice); the rest is written here by hand."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.errors import UserError
from generator.ingest.decode import read_source
from generator.ingest.odt import read_odt
from generator.ingest.rtf import read_rtf
from tests.conftest import ROOT
from tests.helpers import ingest_file, without_source

FIXTURES = ROOT / "tests" / "fixtures" / "doc"
SEED = ROOT / "tests" / "fixtures" / "pdf" / "seed.txt"
PARTS = [
    "在全县工作会议上的讲话",
    "同志们：",
    "一季度主要指标如下。",
    "指标\t完成\t增长",  # a table row: cells joined by tabs, as from a .docx
    "地区生产总值\t86.4亿元\t5.8%",
    "详见中国政府网发布的通知。",  # a link's words, not its address
]


@pytest.mark.parametrize("name", ["讲话.odt", "讲话.rtf", "讲话.RTF"])
def test_an_odt_or_rtf_reads_as_its_text_does(tmp_path: Path, name: str) -> None:
    """The opening of the sample's first speech, saved by LibreOffice: ingest writes the same
    speech as of its text."""
    source = FIXTURES / f"seed{Path(name).suffix.lower()}"
    from_file, _ = ingest_file(tmp_path / "file", source, name)
    from_text, _ = ingest_file(tmp_path / "txt", SEED, "a.txt")
    assert without_source(from_file) == without_source(from_text)


def test_the_odt_fixture_keeps_tables_links_and_line_breaks() -> None:
    document = read_odt((FIXTURES / "parts.odt").read_bytes(), Path("parts.odt"))
    texts = [p.text for p in document.paragraphs]
    assert texts[:6] == PARTS
    assert "第一行\n第二行。English words stay as they are." in texts  # (a soft break)
    assert not any("页脚" in text for text in texts)  # the footer is no part of the body


def test_the_rtf_fixture_keeps_tables_links_and_line_breaks() -> None:
    paragraphs, notes = read_rtf((FIXTURES / "parts.rtf").read_bytes(), Path("parts.rtf"))
    assert paragraphs[:6] == PARTS
    assert "本页是第1页。" in paragraphs  # a PAGE field's result, not its code
    assert "第一行\n第二行。English words stay as they are." in paragraphs
    assert not any("页脚" in text for text in paragraphs) and notes == []


def test_rtf_text_boxes_come_before_their_paragraph_and_notes_are_numbered_in_order() -> None:
    """As the .doc reader reads the same documents (LibreOffice's RTF of them): a title in a
    text box (a shape's \\shptxt) was lost; footnotes and an endnote are one sequence."""
    boxes, _ = read_rtf((FIXTURES / "boxes.rtf").read_bytes(), Path("boxes.rtf"))
    assert boxes[:5] == [
        "在全县工作会议上的讲话",
        "同志们：",
        "今天召开全县工作会议。",
        "框中注释",
        "第二段继续。",
    ]
    paragraphs, notes = read_rtf((FIXTURES / "notes.rtf").read_bytes(), Path("notes.rtf"))
    assert paragraphs[1:3] == ["据统计[^1]，全县生产总值增长5%[^2]。", "第二段[^3]结束。"]
    assert notes == ["数据来源：县统计局。", "尾注：初步核算数。", "第二个脚注。"]


def test_the_report_says_what_kind_of_file_it_was(tmp_path: Path) -> None:
    for name, kind in (("a.odt", "OpenDocument"), ("b.rtf", "RTF")):
        (tmp_path / name).write_bytes((FIXTURES / f"seed{Path(name).suffix}").read_bytes())
        assert read_source(tmp_path / name).encoding == kind


# --- OpenDocument, by hand ---------------------------------------------------------------------

_ODT_HEAD = (
    '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
    ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
    ' xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
    ' xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"'
    ' xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0">'
)
_CHINESE_LIST = (
    "<office:automatic-styles>"
    '<text:list-style style:name="L1">'
    '<text:list-level-style-number text:level="1" style:num-suffix="、"'
    ' style:num-format="一, 二, 三, ..."/>'
    '<text:list-level-style-number text:level="2" style:num-prefix="（" style:num-suffix="）"'
    ' style:num-format="一, 二, 三, ..."/>'
    '<text:list-level-style-number text:level="3" style:num-suffix="." style:num-format="1"/>'
    "</text:list-style>"
    '<text:list-style style:name="B1"><text:list-level-style-bullet text:level="1"'
    ' text:bullet-char="•"/></text:list-style>'
    "</office:automatic-styles>"
)


def odt(body: str, styles: str = _CHINESE_LIST, manifest: str = "", kind: str = "text") -> bytes:
    """An .odt file whose body is `body` (content.xml's office:text, or another `kind`)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("META-INF/manifest.xml", manifest or "<manifest/>")
        archive.writestr(
            "content.xml",
            f"{_ODT_HEAD}{styles}<office:body><office:{kind}>{body}</office:{kind}>"
            "</office:body>"
            "</office:document-content>",
        )
    return out.getvalue()


def odt_texts(body: str, styles: str = _CHINESE_LIST) -> list[str]:
    return [p.text for p in read_odt(odt(body, styles), Path("a.odt")).paragraphs]


def test_list_numbers_are_drawn_from_the_list_style_as_the_word_processor_shows_them() -> None:
    item = "<text:list-item><text:p>{}</text:p>{}</text:list-item>"
    inner = '<text:list text:style-name="L1">{}</text:list>'
    body = inner.format(
        item.format("深化思想认识", inner.format(item.format("提高站位", "") * 2))
        + item.format(
            "强化责任担当",
            inner.format(item.format("压实责任", inner.format(item.format("a", "")))),
        )
    )
    assert odt_texts(body) == [
        "一、深化思想认识",
        "（一）提高站位",
        "（二）提高站位",
        "二、强化责任担当",
        "（一）压实责任",  # (a new sub-list under the next item counts from one again)
        "1.a",
    ]


def test_headings_are_numbered_from_the_outline_numbering() -> None:
    outline = (
        '<office:styles><text:outline-style style:name="Outline">'
        '<text:outline-level-style text:level="1" style:num-suffix="、"'
        ' style:num-format="一, 二, 三, ..."/>'
        '<text:outline-level-style text:level="2" style:num-prefix="（" style:num-suffix="）"'
        ' style:num-format="一, 二, 三, ..."/>'
        "</text:outline-style></office:styles>"
    )
    heading = '<text:h text:outline-level="{}">{}</text:h>'
    body = "".join(
        heading.format(level, text)
        for level, text in ((1, "总体要求"), (2, "指导思想"), (2, "基本原则"), (1, "主要任务"))
    )
    body += '<text:h text:outline-level="2">深化改革</text:h><text:p>正文。</text:p>'
    assert odt_texts(body, outline) == [
        "一、总体要求",
        "（一）指导思想",
        "（二）基本原则",
        "二、主要任务",
        "（一）深化改革",
        "正文。",
    ]


def test_a_bullet_is_not_the_speech_s_text_and_a_start_value_is_kept() -> None:
    bullets = '<text:list text:style-name="B1"><text:list-item><text:p>要点</text:p></text:list-item></text:list>'
    started = (
        '<text:list text:style-name="L1"><text:list-item text:start-value="3">'
        "<text:p>第三点</text:p></text:list-item></text:list>"
    )
    assert odt_texts(bullets + started) == ["要点", "三、第三点"]


def test_headings_carry_their_level_and_spaces_and_tabs_are_kept() -> None:
    body = (
        '<text:h text:outline-level="2">二、加强领导</text:h>'
        '<text:p>甲<text:s text:c="3"/>乙<text:tab/>丙<text:s/>丁</text:p>'
    )
    document = read_odt(odt(body), Path("a.odt"))
    assert [(p.text, p.heading_level) for p in document.paragraphs] == [
        ("二、加强领导", 2),
        ("甲   乙\t丙 丁", None),
    ]


def test_comments_deletions_and_the_contents_list_are_not_the_speech_s_text() -> None:
    body = (
        "<text:tracked-changes><text:changed-region><text:deletion><text:p>删去的话</text:p>"
        "</text:deletion></text:changed-region></text:tracked-changes>"
        "<text:table-of-content><text:index-body><text:p>一、总体要求\t1</text:p>"
        "</text:index-body></text:table-of-content>"
        "<text:p>正文<office:annotation><text:p>批注</text:p></office:annotation>继续。</text:p>"
    )
    document = read_odt(odt(body), Path("a.odt"))
    assert [(p.text, p.contents) for p in document.paragraphs] == [
        ("一、总体要求\t1", True),  # (set aside and reported as removed)
        ("正文继续。", False),
    ]


def test_footnotes_become_notes_and_text_boxes_their_own_paragraphs() -> None:
    body = (
        "<text:p>据统计<text:note><text:note-citation>1</text:note-citation><text:note-body>"
        "<text:p>数据来源：县统计局。</text:p></text:note-body></text:note>，增长5%。</text:p>"
        "<text:p><draw:frame><draw:text-box><text:p>框中标题</text:p></draw:text-box>"
        "</draw:frame>正文。</text:p>"
    )
    document = read_odt(odt(body), Path("a.odt"))
    assert [p.text for p in document.paragraphs] == ["据统计[^1]，增长5%。", "框中标题", "正文。"]
    assert document.notes == ["数据来源：县统计局。"]


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"not a zip at all", "not a ZIP-based OpenDocument file"),
        (b"\xd0\xcf\x11\xe0" + bytes(600), "an old-style .doc file renamed to .odt"),
        (odt("<text:p>a</text:p>")[:200], "corrupt or invalid .odt file"),
        (
            odt("<text:p>a</text:p>").replace(b"<text:p>a</text:p>", b"<text:p>a</text:x>"),
            "content.xml",
        ),
        (
            odt("<text:p>a</text:p>", manifest="<manifest:encryption-data/>"),
            "password-protected",
        ),
    ],
)
def test_a_damaged_or_locked_odt_is_an_error_naming_the_file(
    tmp_path: Path, raw: bytes, message: str
) -> None:
    path = tmp_path / "讲话.odt"
    path.write_bytes(raw)
    with pytest.raises(UserError) as caught:
        read_source(path)
    assert message in str(caught.value) and caught.value.path == path


def test_a_spreadsheet_saved_as_odt_is_named_so() -> None:
    spreadsheet = odt("", kind="spreadsheet")
    with pytest.raises(UserError, match="no text document"):
        read_odt(spreadsheet, Path("a.odt"))


# --- RTF, by hand ------------------------------------------------------------------------------


def rtf(body: str, head: str = r"\ansi\ansicpg936\deff0") -> bytes:
    """An RTF file of `body`, its characters beyond ASCII written as \\uN with a ? fallback
    (as Word writes them; tests of \\'hh bytes write those themselves)."""
    fonts = r"{\fonttbl{\f0\fnil\fcharset134 \'cb\'ce\'cc\'e5;}{\f1\fswiss\fcharset0 Arial;}}"
    text = "".join(ch if ord(ch) < 0x80 else f"\\u{ord(ch)}?" for ch in body)
    return ("{\\rtf1" + head + fonts + text + "}").encode("ascii")


def rtf_text(body: str, head: str = r"\ansi\ansicpg936\deff0") -> tuple[list[str], list[str]]:
    return read_rtf(rtf(body, head), Path("a.rtf"))


def test_chinese_in_the_code_page_and_as_unicode_reads_alike() -> None:
    gbk = "".join(f"\\'{b:02x}" for b in "同志们：".encode("gbk"))
    unicode = "".join(f"\\u{ord(ch)}?" for ch in "同志们：")
    paragraphs, _ = rtf_text(rf"\pard\f0 {gbk}\par {unicode}\par")
    assert paragraphs[:2] == ["同志们：", "同志们："]


def test_bytes_in_an_ansi_font_are_in_the_document_s_code_page() -> None:
    """Word on a Chinese system marks its fonts ANSI (\\fcharset0) and writes GBK bytes; a
    Western document's bytes are Windows-1252."""
    gbk = "".join(f"\\'{b:02x}" for b in "作风整顿".encode("gbk"))
    assert rtf_text(rf"\pard\f1 {gbk}\par")[0][0] == "作风整顿"  # (f1: Arial, charset 0)
    western = r"\ansi\ansicpg1252\deff1"
    assert rtf_text(r"\pard\f1 caf\'e9\par", western)[0][0] == "café"


def test_a_unicode_character_skips_its_fallback_and_halves_beyond_the_bmp_join() -> None:
    # \uc2: two fallback bytes (a GBK character) follow each \uN; 𠀀 is two UTF-16 halves
    paragraphs, _ = rtf_text(r"\uc2\u20013\'d6\'d0\u-10176\'3f\'3f\u-9216\'3f\'3f\par")
    assert paragraphs[0] == "中\U00020000"


def test_what_is_not_the_speech_s_text_is_skipped() -> None:
    body = (
        r"{\info{\title 标题}{\author 某人}}{\header 页眉}{\footer 页脚}"
        r"{\*\unknowndestination 不显示}{\pict\pngblip\bin4 }}}}AB}"
        r"正文{\v 隐藏的字}继续{\deleted 删去的字}。"
        r'{\field{\*\fldinst HYPERLINK "https://www.gov.cn/"}{\fldrslt 中国政府网}}\par'
    )
    paragraphs, _ = rtf_text(body)
    assert paragraphs[0] == "正文继续。中国政府网"  # (AB is the picture's data, after \bin)


def test_list_labels_tables_footnotes_and_symbols() -> None:
    body = (
        r"{\listtext\f0 \'d2\'bb\'a1\'a2\tab}深化思想认识\par"
        r"\intbl 指标\cell 完成\cell\row"
        r"据统计{\super\chftn}{\footnote\pard {\super\chftn} 数据来源。}，增长\~5%\emdash 以上\par"
    )
    paragraphs, notes = rtf_text(body)
    assert paragraphs[:3] == [
        "一、\t深化思想认识",
        "指标\t完成",
        "据统计[^1]，增长\u00a05%\u2014以上",
    ]
    assert notes == ["数据来源。"]


def test_a_file_that_is_not_rtf_or_has_bytes_its_code_page_lacks_is_an_error(
    tmp_path: Path,
) -> None:
    path = tmp_path / "讲话.rtf"
    path.write_bytes("这是纯文本".encode())
    with pytest.raises(UserError, match="not an RTF file"):
        read_source(path)
    path.write_bytes(rtf(r"\pard\f0 \'81\'20\par"))  # (0x81 0x20: no GBK character)
    with pytest.raises(UserError, match="not valid in its code page"):
        read_source(path)


# --- whatever the bytes: text or a UserError, never a traceback ------------------------------

_RTF_PIECES = st.sampled_from(
    [
        "{", "}", "\\par ", "\\cell ", "\\row ", "\\u20013?", "\\u-10176?", "\\uc0 ", "\\uc3 ",
        "\\'d6", "\\'d0", "\\'81", "\\f0 ", "\\f9 ", "\\*", "\\footnote ", "\\pict ", "\\bin3 ",
        "\\bin999 ", "\\v ", "\\v0 ", "\\fonttbl", "\\fcharset134 ", "\\ansicpg936 ",
        "\\ansicpg99999 ", "\\", "\\\n", "同志们", "text ", "\\~", "\\listtext ", "\\fldrslt ",
    ]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(_RTF_PIECES, max_size=40))
def test_any_rtf_reads_as_text_or_a_clear_error(pieces: list[str]) -> None:
    raw = ("{\\rtf1" + "".join(pieces)).encode("utf-8")
    try:
        paragraphs, notes = read_rtf(raw, Path("a.rtf"))
    except UserError as error:
        assert error.path == Path("a.rtf")
        return
    for text in [*paragraphs, *notes]:
        text.encode("utf-8")  # (no half of a character left alone: it could not be written)


_ODT_PIECES = st.sampled_from(
    [
        "<text:p>", "</text:p>", "<text:h text:outline-level='x'>", "</text:h>",
        "<text:list text:style-name='L1'>", "</text:list>", "<text:list-item>",
        "</text:list-item>", "<text:s text:c='-2'/>", "<text:note><text:note-body>",
        "</text:note-body></text:note>", "<table:table><table:table-row><table:table-cell>",
        "</table:table-cell></table:table-row></table:table>", "讲话", "&amp;", "&bogus;",
        "<![CDATA[x]]>", "<text:list-item text:start-value='99999999999'>",
    ]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(_ODT_PIECES, max_size=30))
def test_any_odt_body_reads_as_text_or_a_clear_error(pieces: list[str]) -> None:
    try:
        read_odt(odt("".join(pieces)), Path("a.odt"))
    except UserError as error:
        assert error.path == Path("a.odt")


def test_a_footnote_marked_as_an_optional_destination_is_still_a_note() -> None:
    paragraphs, notes = rtf_text(r"甲{\*\footnote 注一。}乙{\footnote 注二。}\par")
    assert paragraphs[0] == "甲[^1]乙[^2]" and notes == ["注一。", "注二。"]


def test_rtf_as_macos_textedit_writes_it_reads_too() -> None:
    """TextEdit's RTF: a font table without a group for each font, GBK bytes under a font of
    charset 134, a backslash before a line break ending each paragraph."""
    gbk = "".join(f"\\'{b:02x}" for b in "同志们：".encode("gbk"))
    more = "".join(f"\\'{b:02x}" for b in "今天召开会议。".encode("gbk"))
    raw = (
        "{\\rtf1\\ansi\\ansicpg936\\cocoartf2513\n"
        "{\\fonttbl\\f0\\fnil\\fcharset134 PingFangSC-Regular;\\f1\\froman\\fcharset0 Times;}\n"
        "{\\colortbl;\\red255\\green255\\blue255;}\n"
        "\\pard\\pardeftab720\\partightenfactor0\n\n"
        f"\\f0\\fs24 \\cf0 {gbk}\\\n{more}\n\\f1 (2024)\\\n}}"
    ).encode("ascii")
    assert read_rtf(raw, Path("a.rtf"))[0][:2] == ["同志们：", "今天召开会议。(2024)"]
