"""Reading Word 97–2003 (.doc) and WPS (.wps) speeches: the main document's paragraphs from the
piece table, fields as Word shows them, tables as rows, and clear errors for a damaged, locked
or foreign file. Fixtures: tests/fixtures/doc/make.py."""

from __future__ import annotations

import io
import shutil
import struct
from pathlib import Path

import olefile
import pytest

from generator.errors import UserError
from generator.ingest import doc
from generator.ingest.decode import read_source
from generator.ingest.doc import read_doc
from tests.conftest import ROOT
from tests.helpers import ingest_file, without_source

FIXTURES = ROOT / "tests" / "fixtures" / "doc"


@pytest.mark.parametrize("name", ["讲话.doc", "讲话.wps", "讲话.DOC"])
def test_a_doc_reads_as_its_text_does(tmp_path: Path, name: str) -> None:
    """The opening of the sample's first speech, saved as Word 97–2003 (and under WPS's name
    for the same format): ingest writes the same speech as of its text."""
    seed = ROOT / "tests" / "fixtures" / "pdf" / "seed.txt"
    from_doc, _ = ingest_file(tmp_path / "doc", FIXTURES / "seed.doc", name)
    from_text, _ = ingest_file(tmp_path / "txt", seed, "a.txt")
    assert without_source(from_doc) == without_source(from_text)


def test_fields_tables_and_line_breaks_read_as_word_shows_them() -> None:
    assert read_doc((FIXTURES / "parts.doc").read_bytes(), Path("parts.doc"))[0] == [
        "在全县工作会议上的讲话",
        "同志们：",
        "一季度主要指标如下。",
        "指标\t完成\t增长",  # a table row: cells joined by tabs, as from a .docx
        "地区生产总值\t86.4亿元\t5.8%",
        "详见中国政府网发布的通知。",  # a link's text, not its HYPERLINK code
        "本页是第1页。",  # a PAGE field's result
        "第一行",  # a line break (Shift+Enter)
        "第二行。English words stay as they are.",
        "",  # (the document's last paragraph mark; the footer is no part of it)
    ]


def test_text_boxes_are_read_before_the_paragraph_they_are_anchored_in() -> None:
    """A title floated in a text box (as WPS sets one above the text) was lost, and the speech
    with it: ingest found no title. A box set in a line comes before its paragraph, as from a
    .docx or .odt."""
    assert read_doc((FIXTURES / "boxes.doc").read_bytes(), Path("boxes.doc"))[0] == [
        "在全县工作会议上的讲话",
        "同志们：",
        "今天召开全县工作会议。",
        "框中注释",
        "第二段继续。",
        "",
    ]


def test_footnotes_and_endnotes_are_notes_numbered_in_the_order_they_are_referred_to(
    tmp_path: Path,
) -> None:
    """They were left out, and the speech's sources with them; numbered as from a .docx."""
    paragraphs, notes = read_doc((FIXTURES / "notes.doc").read_bytes(), Path("notes.doc"))
    assert paragraphs[1:3] == ["据统计[^1]，全县生产总值增长5%[^2]。", "第二段[^3]结束。"]
    assert notes == ["数据来源：县统计局。", "尾注：初步核算数。", "第二个脚注。"]
    markdown, _ = ingest_file(tmp_path, FIXTURES / "notes.doc", "讲话.wps")
    assert "据统计[^1]，全县生产总值增长5%[^2]。" in markdown
    assert "[^1]: 数据来源：县统计局。" in markdown and "[^3]: 第二个脚注。" in markdown


def with_boxes(main: str, boxes: list[tuple[int | None, str]]) -> str:
    """`main` with its text boxes put in, as the reader puts them (one string a position)."""
    chars = list(main)
    doc._put_boxes(chars, boxes)
    return "".join(chars)


def test_a_text_box_anchored_where_another_is_keeps_their_order() -> None:
    boxes = [(3, "框一\r"), (4, "框二\r")]
    assert with_boxes("甲段\r乙段\r", boxes) == "甲段\r框一\r框二\r乙段\r"


def test_a_text_box_no_shape_names_is_kept_after_the_text() -> None:
    main = "甲段\r乙段\r"
    boxes = [(3, "框一\r"), (None, "无主的框\r"), (0, "框零\r")]
    assert with_boxes(main, boxes) == "框零\r甲段\r框一\r乙段\r无主的框\r"


def test_a_file_word_itself_saved_is_read() -> None:
    """olefile's test file: saved by Word as "Word 97-2003 Document"."""
    text = read_doc((FIXTURES / "word97.doc").read_bytes(), Path("word97.doc"))[0]
    assert text[0] == "Test OLE file, saved as Word 97-2003 Document."


def test_the_report_says_what_kind_of_file_it_was(tmp_path: Path) -> None:
    for name, kind in (("a.doc", "Word 97–2003"), ("b.wps", "WPS")):
        shutil.copy(FIXTURES / "seed.doc", tmp_path / name)
        assert read_source(tmp_path / name).encoding == kind


def _with_flags(raw: bytes, flags: int) -> bytes:
    """`raw` (an OLE .doc) with its FIB's flags word replaced."""
    data = io.BytesIO(raw)
    with olefile.OleFileIO(data, write_mode=True) as ole:
        stream = bytearray(ole.openstream("WordDocument").read())
        struct.pack_into("<H", stream, 0x0A, flags)
        ole.write_stream("WordDocument", bytes(stream))
    return data.getvalue()


def test_a_locked_doc_is_an_error_that_says_so(tmp_path: Path) -> None:
    path = tmp_path / "讲话.doc"
    path.write_bytes(_with_flags((FIXTURES / "seed.doc").read_bytes(), 0x0100))
    with pytest.raises(UserError, match="password") as caught:
        read_source(path)
    assert "讲话.doc" in str(caught.value) and ".docx" in str(caught.value)


@pytest.mark.parametrize(
    "raw",
    [
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100,
        b"not an office file",
        (FIXTURES / "seed.doc").read_bytes()[:4000],
    ],
    ids=["empty-container", "not-ole", "cut-short"],
)
def test_a_damaged_doc_is_an_error_naming_the_file(tmp_path: Path, raw: bytes) -> None:
    path = tmp_path / "讲话.doc"
    path.write_bytes(raw)
    with pytest.raises(UserError) as caught:
        read_source(path)
    assert "讲话.doc" in str(caught.value) and ".docx" in str(caught.value)


def test_an_office_file_with_no_word_document_is_named_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A spreadsheet saved as .doc holds no WordDocument stream."""
    real = olefile.OleFileIO.exists
    monkeypatch.setattr(
        olefile.OleFileIO, "exists", lambda self, name: name != "WordDocument" and real(self, name)
    )
    with pytest.raises(UserError, match="no Word document"):
        read_doc((FIXTURES / "seed.doc").read_bytes(), Path("sheet.doc"))


def test_pieces_in_one_byte_and_in_utf16_are_read_in_order() -> None:
    """A file Word saved fast, piece by piece: ASCII pieces are stored one byte a character
    (the fc's 0x40000000 bit, at half the offset), others in UTF-16."""
    document = b"\x00" * 16 + "讲话全文".encode("utf-16-le") + b"Hello"
    compressed = 0x40000000 | (24 * 2)  # "Hello" at byte 24
    plc = (
        struct.pack("<3i", 0, 4, 9)
        + struct.pack("<HIH", 0, 16, 0)
        + struct.pack("<HIH", 0, compressed, 0)
    )
    clx = b"\x01" + struct.pack("<h", 2) + b"\x00\x00" + b"\x02" + struct.pack("<I", len(plc)) + plc
    pieces = doc._pieces(clx)
    assert pieces == [(16, 4), (compressed, 5)]
    assert "".join(doc._piece_text(document, fc, n) for fc, n in pieces) == "讲话全文Hello"


def test_nested_fields_keep_their_results_only() -> None:
    text = "见\x13 HYPERLINK \x13 REF a \x14x\x15 \x14链接\x15。第\x13 PAGE \x143\x15页"
    assert doc._without_field_codes(text) == "见链接。第3页"
