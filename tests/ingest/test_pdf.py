"""Reading PDF speeches: paragraphs put back together from the layout, page furniture set aside,
and a clear error for a scan, a damaged file or a locked one. The fixtures are printed by
Chromium (tests/fixtures/pdf/make.py)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from generator.errors import UserError
from generator.ingest import pdf
from generator.ingest.decode import read_source
from generator.ingest.pdf import PdfLine, PdfPage, read_pdf
from tests.conftest import ROOT
from tests.helpers import ingest_file, without_source

FIXTURES = ROOT / "tests" / "fixtures" / "pdf"


def ingested(tmp_path: Path, name: str) -> tuple[str, list[str]]:
    """The one speech ingest writes of the fixture `name`, and what it reported removed."""
    markdown, report = ingest_file(tmp_path, FIXTURES / name, name)
    removed = [f"{r.reason}: {r.text}" for result in report.results for r in result.removed]
    return markdown, removed


@pytest.mark.parametrize(
    ("name", "furniture"),
    [
        ("seed.pdf", ["— 1 —", "— 2 —", "××县人民政府办公室"]),
        ("seed-fpdf.pdf", ["- 1 -", "- 2 -"]),
        ("seed-office.pdf", ["— 1 —", "— 2 —"]),  # (a wrapped title; 前 3 年's autospace)
        ("seed-watermark.pdf", ["— 1 —", "酷乐文行 仅供学习"]),  # (set diagonally on each page)
        ("seed-columns.pdf", ["— 1 —", "— 2 —"]),  # (two columns under a title across the page)
    ],
)
def test_a_printed_speech_reads_as_its_text_does(
    tmp_path: Path, name: str, furniture: list[str]
) -> None:
    """The same speech, printed to PDF by three writers (a centred title, wrapped onto a second
    line by LibreOffice; first-line indents, set as a margin or typed as 　　; justified lines
    broken anywhere; page numbers and a running head; the gap an office suite leaves between
    前 and 3) and as the text it was printed from: ingest writes the same speech of both, title,
    metadata, outline and every paragraph, and lists the page furniture as removed."""
    from_pdf, removed = ingested(tmp_path / "pdf", name)
    from_text, _ = ingested(tmp_path / "txt", "seed.txt")
    assert without_source(from_pdf) == without_source(from_text)
    for text in furniture:
        assert f"PDF page number, running head or watermark: {text}" in removed


def test_an_english_pdf_joins_its_lines_with_spaces(tmp_path: Path) -> None:
    """Ragged lines with space between paragraphs (no indents) and `Page 1 of 2` at the foot."""
    markdown, removed = ingested(tmp_path, "english.pdf")
    front = yaml.safe_load(markdown.split("\n---\n", 1)[0].removeprefix("---\n"))
    assert front["title"] == "Remarks at the Opening of the Trade Forum"  # (two lines)
    assert front["lang"] == "en"
    assert (
        "Today I want to speak about three things: the rules that keep markets fair, the skills"
        " our young people need, and the infrastructure that connects us."
    ) in markdown
    assert "\n\nSecond, skills. We will open twelve new vocational colleges by 2027" in markdown
    assert "Page 1 of" not in markdown
    assert any(line.endswith("Page 1 of 1") or "Page 1 of" in line for line in removed)


def test_the_report_says_it_was_a_pdf(tmp_path: Path) -> None:
    shutil.copy(FIXTURES / "seed.pdf", tmp_path / "seed.pdf")
    source = read_source(tmp_path / "seed.pdf")
    assert (
        source.encoding.startswith("PDF, ") and source.encoding.split(",")[1].strip()[0].isdigit()
    )
    assert source.hidden and source.hidden_reason == "PDF page number, running head or watermark"


def test_a_pdf_without_text_is_an_error_that_says_it_is_a_scan() -> None:
    with pytest.raises(UserError) as caught:
        read_pdf((FIXTURES / "scan.pdf").read_bytes(), Path("scan.pdf"))
    assert "scan" in str(caught.value) and "OCR" in str(caught.value)


@pytest.mark.parametrize(
    "raw",
    [b"%PDF-1.7\n1 0 obj <<", b"not a pdf at all", (FIXTURES / "seed.pdf").read_bytes()[:3000]],
    ids=["cut-short", "not-pdf", "truncated"],
)
def test_a_damaged_pdf_is_an_error_naming_the_file(tmp_path: Path, raw: bytes) -> None:
    path = tmp_path / "raw" / "讲话.pdf"
    path.parent.mkdir()
    path.write_bytes(raw)
    with pytest.raises(UserError) as caught:
        read_source(path)
    assert "讲话.pdf" in str(caught.value)
    assert ".docx" in str(caught.value)  # what to do


def test_a_locked_pdf_is_an_error_that_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    from pdfminer.pdfdocument import PDFPasswordIncorrect

    def locked(raw: bytes, laparams: object) -> object:
        raise PDFPasswordIncorrect

    monkeypatch.setattr(pdf, "_pages", locked)
    with pytest.raises(UserError, match="password"):
        read_pdf(b"%PDF-1.7", Path("locked.pdf"))


def line(top: float, left: float, right: float, text: str, page: int = 1) -> PdfLine:
    return PdfLine(page, top, left, right, 16.0, text)


def paragraphs(lines: list[PdfLine]) -> list[str]:
    return pdf._paragraphs(lines, [PdfPage(842.0, lines)], set())[0]


LEFT, RIGHT = 90.0, 506.0  # a page's text edges: 26 characters of 16 points


def test_a_line_stopping_short_inside_a_sentence_runs_on() -> None:
    """A closing quote may not start a line, so the line before stops two characters short
    (`“一网通` / `办”，`): that is no paragraph's end, where a line stopping short of what the
    next one starts with is, indented or not."""
    lines = [
        line(700, LEFT + 32, RIGHT, "大力推进政务服务“一网通办”，推动审批智能化、服务自动"),
        line(671, LEFT, RIGHT - 32, "化，让数据多跑路，提升政务服务“一网通"),
        line(642, LEFT, RIGHT, "办”，水平。大力推进政务服务，推动审批智能化、服务自动化。"),
        line(613, LEFT, RIGHT - 40, "让数据多跑路，群众少跑腿，实现一网通办的目标。"),
        line(584, LEFT, RIGHT, "此后另起一段，没有缩进的段落也照样另起。"),
    ]
    assert paragraphs(lines) == [
        "大力推进政务服务“一网通办”，推动审批智能化、服务自动化，让数据多跑路，提升政务服务“一网"
        "通办”，水平。大力推进政务服务，推动审批智能化、服务自动化。让数据多跑路，群众少跑腿，实现"
        "一网通办的目标。",
        "此后另起一段，没有缩进的段落也照样另起。",
    ]


def test_a_paragraph_opening_with_a_figure_starts_after_one_that_stopped_short() -> None:
    """The first word of a line that opens with a figure is the figure (2023年 is set as
    2023 and 年), not the whole line up to a space it may not have."""
    lines = [
        line(700, LEFT, RIGHT, "各单位要认真贯彻落实会议精神，确保各项工作落到实处，取得实效。"),
        line(671, LEFT, RIGHT - 200, "会议就开到这里。"),
        line(642, LEFT, RIGHT, "2023年，全县地区生产总值增长5.2%，一般公共预算收入增长6.1%。"),
    ]
    assert len(paragraphs(lines)) == 2


def test_a_paragraph_runs_on_across_a_page_break() -> None:
    lines = [
        line(100, LEFT + 32, RIGHT, "第一，作风整顿是全面贯彻落实省市全会精神的实际行"),
        line(760, LEFT, RIGHT, "动。省委全会提出了工作方针和重点工作，为我们指明了方", page=2),
        line(731, LEFT, RIGHT - 100, "向、提供了根本遵循。", page=2),
    ]
    assert paragraphs(lines) == [
        "第一，作风整顿是全面贯彻落实省市全会精神的实际行动。省委全会提出了工作方针和重点工作，"
        "为我们指明了方向、提供了根本遵循。"
    ]


def test_a_centred_heading_and_a_wider_gap_start_paragraphs() -> None:
    lines = [
        line(760, LEFT + 100, RIGHT - 100, "在全县工作会议上的讲话"),
        line(700, LEFT, RIGHT, "同志们：今天召开全县工作会议，主要任务是总结工作、部署任务。"),
        line(671, LEFT, RIGHT, "会议开得很及时，很有必要，各单位要认真贯彻落实会议精神，抓"),
        line(600, LEFT, RIGHT, "好各项工作任务的落实，确保取得实效，确保各项工作落到实处。"),
    ]
    assert paragraphs(lines) == [
        "在全县工作会议上的讲话",
        "同志们：今天召开全县工作会议，主要任务是总结工作、部署任务。会议开得很及时，很有必要，"
        "各单位要认真贯彻落实会议精神，抓",
        "好各项工作任务的落实，确保取得实效，确保各项工作落到实处。",
    ]


def test_an_indent_typed_as_spaces_starts_a_paragraph() -> None:
    """Word and WPS files indented with 　　 print those spaces at the left edge: a paragraph
    whose last line fills the measure still ends there."""
    lines = [
        PdfLine(1, 700, LEFT, RIGHT, 16.0, "推进作风整顿，就是要进一步推动全县政府系统及其", True),
        PdfLine(1, 671, LEFT, RIGHT, 16.0, "工作人员增强理解力、提升执行力、发挥创造力。"),
        PdfLine(1, 642, LEFT, RIGHT, 16.0, "全县政府系统及其工作人员要紧紧围绕作风整顿目标", True),
    ]
    assert len(paragraphs(lines)) == 2


@pytest.mark.parametrize(
    "text", ["— 3 —", "- 3 -", "3", "第3页", "第 3 页 共 9 页", "3/9", "Page 3 of 9", "·3·"]
)
def test_page_numbers_at_a_pages_foot_are_furniture(text: str) -> None:
    body = [
        line(760 - 29 * n, LEFT, RIGHT, f"第{n}行正文，内容很长很长很长很长很长很长。")
        for n in range(6)
    ]
    foot = line(40, 280, 320, text)
    assert pdf._furniture([PdfPage(842.0, [*body, foot])]) == {id(foot)}


def test_a_number_in_the_text_is_no_page_number() -> None:
    """A line holding only a figure mid-page (a table's cell) stays."""
    body = [line(760 - 29 * n, LEFT, RIGHT, f"第{n}行正文。") for n in range(6)]
    figure = line(500, LEFT, 130, "2023")
    assert pdf._furniture([PdfPage(842.0, [*body[:3], figure, *body[3:]])]) == set()


def test_a_character_turned_from_the_horizontal_is_slanted_an_italic_one_is_not() -> None:
    import math

    turn = math.radians(35)
    assert not pdf._slanted((12, 0, 0, 12, 100, 700))  # level
    assert not pdf._slanted((12, 0, 2.5, 12, 100, 700))  # italic: sheared, not turned
    assert pdf._slanted((12 * math.cos(turn), 12 * math.sin(turn), 0, 12, 100, 700))
    assert pdf._slanted((-12, 0, 0, -12, 100, 700))  # upside down


def test_a_page_whose_text_is_mostly_turned_has_no_watermark() -> None:
    """A table set sideways on a landscape page: its text is the text, not a watermark; a
    watermark is a turned line on a page of level ones."""
    table = PdfLine(1, 700, 90, 500, 12, "表格的文字，横排在页上", rotated=True)
    note = PdfLine(1, 100, 90, 200, 12, "注")
    assert not any(line.rotated for line in pdf._unless_turned([table, note]))
    text = PdfLine(1, 700, 90, 500, 12, "正文的文字，平放在页上")
    mark = PdfLine(1, 400, 90, 300, 40, "仅供学习", rotated=True)
    assert [line.rotated for line in pdf._unless_turned([text, mark])] == [False, True]


def _column(left: float, right: float, tops: range, text: str) -> list[PdfLine]:
    return [PdfLine(1, top, left, right, 12, f"{text}{top}") for top in tops]


def test_a_page_in_one_column_keeps_its_order_whatever_its_short_lines() -> None:
    """Short last lines of paragraphs at the left, a signature and a date at the right: still
    one column, crossed in the middle by its full lines."""
    full = _column(90, 500, range(700, 400, -20), "正文")
    short = [PdfLine(1, 390, 90, 200, 12, "段末。"), PdfLine(1, 370, 90, 180, 12, "段末。")]
    signed = [
        PdfLine(1, 350, 380, 500, 12, "某某县人民政府"),
        PdfLine(1, 330, 400, 500, 12, "日期"),
    ]
    lines = full + short + signed
    assert pdf._in_columns(lines) == lines


def test_two_columns_are_read_column_by_column_band_by_band() -> None:
    """A title across the page, two columns, a table row across the page, two more columns:
    each band's left column, then its right, the right one moved onto the left's measure."""
    title = PdfLine(1, 760, 150, 450, 22, "标题")
    upper = _column(90, 280, range(720, 580, -20), "左") + _column(
        310, 500, range(720, 580, -20), "右"
    )
    across = PdfLine(1, 560, 90, 500, 12, "表格一行，横贯全页")
    lower = _column(90, 280, range(540, 400, -20), "左") + _column(
        310, 500, range(540, 400, -20), "右"
    )
    lines = sorted([title, *upper, across, *lower], key=lambda line: (-line.top, line.left))
    ordered = pdf._in_columns(lines)
    texts = [line.text for line in ordered]
    assert texts[0] == "标题" and texts[15] == "表格一行，横贯全页"
    assert texts[1:8] == [f"左{top}" for top in range(720, 580, -20)]
    assert texts[8:15] == [f"右{top}" for top in range(720, 580, -20)]
    assert texts[16:23] == [f"左{top}" for top in range(540, 400, -20)]
    assert {line.left for line in ordered if line.text.startswith("右")} == {90}


def test_a_tables_rows_read_as_lines_of_cells_parted_by_tabs() -> None:
    """Each cell had become a paragraph of its own; a row is a line, as from a .docx."""
    text = read_pdf((FIXTURES / "table.pdf").read_bytes(), Path("table.pdf"))
    assert text.paragraphs == [
        "在全县工作会议上的讲话",
        "同志们：",
        "一季度主要指标如下。",
        "指标\t完成\t增长",
        "地区生产总值\t86.4亿元\t5.8%",
        "固定资产投资\t31.2亿元\t9.1%",
        "以上数据表明，经济运行稳中向好。",
    ]


def test_pieces_of_one_baseline_join_only_across_a_cells_gap() -> None:
    cells = [PdfLine(1, 600, 100, 140, 12, "指标"), PdfLine(1, 600, 200, 240, 12, "完成")]
    assert [line.text for line in pdf._rows(cells)] == ["指标\t完成"]
    close = [PdfLine(1, 600, 100, 140, 12, "甲"), PdfLine(1, 600, 145, 200, 12, "乙")]
    lower = [PdfLine(1, 600, 100, 140, 12, "甲"), PdfLine(1, 580, 200, 240, 12, "乙")]
    assert len(pdf._rows(close)) == 2 and len(pdf._rows(lower)) == 2


def test_a_title_spaced_out_letter_by_letter_is_no_tables_row() -> None:
    letters = [PdfLine(1, 700, 100 + 60 * n, 116 + 60 * n, 16, ch) for n, ch in enumerate("发言稿")]
    assert [line.text for line in pdf._rows(letters)] == ["发 言 稿"]
