"""A PDF's text as the paragraphs a reader sees, read with pdfminer.six.

Speeches are published as PDFs (a 政府工作报告 on a government site, a 讲话 exported from WPS
or Word), and copying the text out by hand breaks every line where the page did. pdfminer gives
each printed line with its place on the page; this module puts the paragraphs back together
the way a reader does, from the layout alone:

- a line indented past the text's left edge (the first-line indent, a centred title or
  signature) starts a paragraph, and so does a line after one that ended well short of the
  right edge, after a wider gap than the text's line spacing, or in another type size;
- page numbers (`— 3 —`, `- 3 -`, `第3页 共9页`, `3/9`) and running heads and feet (a line at
  the top or foot of most pages, the same but for its numbers) are set aside, to be listed as
  removed; a paragraph runs on across a page break as it does in print.

Lines are joined with nothing between Chinese characters and a space between words. Glyphs the
PDF gives no character for come through as `(cid:123)`, which the cleaner cuts out and lists.
"""

from __future__ import annotations

import io
import itertools
import logging
import math
import re
import statistics
import unicodedata
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from generator.errors import UserError

if TYPE_CHECKING:  # (pdfminer is imported when a PDF is read)
    from pdfminer.layout import LAParams, LTPage, LTTextLine

_RESAVE = "open it and export it to .docx (Word, WPS), or copy its text into a .txt file"

# Where page furniture stands: the top and the foot of a page, this share of its height.
_MARGIN_SHARE = 0.12
# Page numbers as printed alone on a line: — 3 —, - 3 -, 3, 第3页, 第3页 共9页, 3/9, Page 3 of 9.
_PAGE_NUMBER_RE = re.compile(
    r"[-—–－―~～·•\s]*(?:第\s*)?\d{1,4}(?:\s*页)?(?:\s*[,，/／]?\s*共\s*\d{1,4}\s*页)?"
    r"(?:\s*[/／]\s*\d{1,4})?[-—–－―~～·•\s]*"
    r"|(?i:page)\s*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?"
)
_DIGITS_RE = re.compile(r"\d+")
_LATIN_END_RE = re.compile(r"[A-Za-z0-9,;:.!?)\]'\"%]$")
_LATIN_START_RE = re.compile(r"^[A-Za-z0-9(\['\"]")


@dataclass(frozen=True)
class PdfLine:
    """One printed line: its page (from 1), its box in points from the page's bottom left,
    the size of its type, its text, and whether that text starts with spaces (an indent typed
    as 　　, which a PDF may print as characters at the left edge)."""

    page: int
    top: float
    left: float
    right: float
    size: float
    text: str
    spaced: bool = False
    rotated: bool = False  # set at a slant across the page: a watermark (see _lines_of)


@dataclass(frozen=True)
class PdfPage:
    """A page's height (points) and its lines of text, top to bottom."""

    height: float
    lines: list[PdfLine]


@dataclass(frozen=True)
class PdfText:
    """The paragraphs, the page furniture set aside (each after the paragraph it followed: its
    number), and how many pages there were."""

    paragraphs: list[str]
    furniture: list[tuple[int, str]]
    pages: int


def read_pdf(raw: bytes, path: Path) -> PdfText:
    """The text of a PDF; a damaged or locked file, or one with no text (a scan), is a
    UserError naming the file and what to do."""
    pages = _page_lines(raw, path)
    if not any(page.lines for page in pages):
        raise UserError(
            "the PDF holds no text: its pages are pictures (a scan)",
            path,
            hint="run text recognition (OCR) on it, or type the text into a .txt file",
        )
    furniture = _furniture(pages) | {
        id(line) for page in pages for line in page.lines if line.rotated
    }
    body = [line for page in pages for line in page.lines if id(line) not in furniture]
    paragraphs, after = _paragraphs(body, pages, furniture)
    return PdfText(paragraphs, after, len(pages))


def _page_lines(raw: bytes, path: Path) -> list[PdfPage]:
    """Every page with its lines of text."""
    from pdfminer.layout import LAParams
    from pdfminer.pdfdocument import PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfminer.psexceptions import PSException

    logging.getLogger("pdfminer").setLevel(logging.ERROR)  # (font warnings, per glyph)
    try:
        return [_lines_of(page, number) for number, page in _pages(raw, LAParams())]
    except PDFPasswordIncorrect:
        raise UserError("the PDF is locked with a password", path, hint=_RESAVE) from None
    except (PDFSyntaxError, PSException, ValueError, KeyError, TypeError, AssertionError) as exc:
        reason = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
        raise UserError(f"cannot read the PDF ({reason})", path, hint=_RESAVE) from None


def _pages(raw: bytes, laparams: LAParams) -> Iterator[tuple[int, LTPage]]:
    from pdfminer.high_level import extract_pages

    yield from enumerate(extract_pages(io.BytesIO(raw), laparams=laparams), start=1)


def _lines_of(page: LTPage, number: int) -> PdfPage:
    from pdfminer.layout import LTChar, LTTextContainer, LTTextLine

    lines = []
    for box in page:
        if not isinstance(box, LTTextContainer):
            continue
        for line in box:
            if not isinstance(line, LTTextLine):
                continue
            raw = _line_text(line)
            text = raw.strip()
            if not text:
                continue
            chars = [char for char in line if isinstance(char, LTChar)]
            size = statistics.median(char.size for char in chars) if chars else line.height
            spaced = raw.startswith(("\u3000", "  "))
            slanted = sum(1 for char in chars if _slanted(char.matrix)) * 2 > len(chars)
            lines.append(PdfLine(number, line.y1, line.x0, line.x1, size, text, spaced, slanted))
    lines.sort(key=lambda line: (-round(line.top), line.left))
    return PdfPage(page.height, _rows(_in_columns(_unless_turned(lines))))


_ROW_GAP = 1.5  # ems of white between two pieces of one line, at the least, to part cells


def _rows(lines: list[PdfLine]) -> list[PdfLine]:
    """A table's row (cells printed side by side, which pdfminer gives as lines of their own on
    one baseline) as one line, its cells parted by tabs, as the .docx reader gives a row: each
    cell had become a paragraph. Only level lines that follow each other in reading order
    (the same column) and stand on the same baseline are joined."""
    runs: list[list[PdfLine]] = []
    for line in lines:
        last = runs[-1][-1] if runs else None
        if (
            last is not None
            and not (last.rotated or line.rotated)
            and last.page == line.page
            and abs(last.top - line.top) < 0.25 * min(last.size, line.size)
            and line.left - last.right >= _ROW_GAP * min(last.size, line.size)
        ):
            runs[-1].append(line)
        else:
            runs.append([line])
    return [
        run[0]
        if len(run) == 1
        else replace(run[0], right=run[-1].right, text=_cells("\t".join(x.text for x in run)))
        for run in runs
    ]


def _cells(text: str) -> str:
    """`text` with its tabs, unless every piece between them is one character: a title set
    letter by letter across the page (`发　言　稿`), which is spaced out, not a table's row."""
    pieces = text.split("\t")
    return " ".join(pieces) if all(len(piece.strip()) <= 1 for piece in pieces) else text


_COLUMN_SHARE = 0.25  # of a page's level lines, each column holds this many at the least
_SPANNING_SHARE = 0.25  # and lines across the gutter (a title, a table) are at most this many
_COLUMN_LINES = 5


def _in_columns(lines: list[PdfLine]) -> list[PdfLine]:
    """A page set in two columns, in reading order: the lines above and below the columns
    (a title, a table set across the page) where they stand, each band between them its left
    column and then its right. The right column's lines are moved onto the left's measure, so
    paragraphs are joined as in one column. (Sorted top to bottom, the lines of the two
    columns had taken turns: `第一，作风整顿是…落实QQ206157060`.) A page in one column is as
    it was: its lines cross the middle."""
    level = [line for line in lines if not line.rotated]
    gutter = _gutter(level)
    if gutter is None:
        return lines
    right_lines = [line for line in level if line.left >= gutter]
    left_lines = [line for line in level if line.right <= gutter]
    shift = min(line.left for line in right_lines) - min(line.left for line in left_lines)
    ordered: list[PdfLine] = []
    band: list[PdfLine] = []
    for line in lines:  # (top to bottom)
        if line.rotated or line.left < gutter < line.right:  # across the page: a band ends
            ordered += [*_band(band, gutter, shift), line]
            band = []
        else:
            band.append(line)
    return ordered + _band(band, gutter, shift)


def _band(lines: list[PdfLine], gutter: float, shift: float) -> list[PdfLine]:
    left = [line for line in lines if line.right <= gutter]
    right = [
        replace(line, left=line.left - shift, right=line.right - shift)
        for line in lines
        if line.right > gutter
    ]
    return left + right


def _gutter(lines: list[PdfLine]) -> float | None:
    """The x between two columns of text: in the middle half of the text's width, crossed by
    few lines, with many lines wholly on each side of it; None for a page in one column."""
    if len(lines) < 2 * _COLUMN_LINES:
        return None
    start, end = min(line.left for line in lines), max(line.right for line in lines)
    best: tuple[int, float] | None = None
    for edge in sorted({round(line.right, 1) for line in lines}):
        x = edge + 0.5
        if not start + (end - start) / 4 < x < end - (end - start) / 4:
            continue
        before = sum(1 for line in lines if line.right <= x)
        after = sum(1 for line in lines if line.left >= x)
        across = len(lines) - before - after
        enough = min(before, after) >= max(_COLUMN_LINES, _COLUMN_SHARE * len(lines))
        few = across <= _SPANNING_SHARE * len(lines)
        if enough and few and (best is None or across < best[0]):
            best = (across, x)
    return None if best is None else best[1]


def _unless_turned(lines: list[PdfLine]) -> list[PdfLine]:
    """The lines, none of them a watermark where most of the page's text is turned: the page
    itself is then turned (a landscape table set sideways), and its text is the text."""
    turned = sum(len(line.text) for line in lines if line.rotated)
    if turned * 2 <= sum(len(line.text) for line in lines):
        return lines
    return [replace(line, rotated=False) for line in lines]


_SLANT = 0.08  # radians (under 5°) a character's baseline may turn and still be set level


def _slanted(matrix: tuple[float, float, float, float, float, float]) -> bool:
    """Whether a character's baseline is turned from the page's horizontal: a watermark set
    diagonally across the page (仅供学习, a site's name), which pdfminer gives as lines among
    the text's, splitting the paragraph it crosses. (Italic is sheared, not turned.)"""
    a, b = matrix[0], matrix[1]
    return abs(math.atan2(b, a)) > _SLANT


# The gap between a Chinese character and a Latin letter or digit that Word, WPS and LibreOffice
# leave of themselves (a fifth of an em: 前 3 年, 咨询 QQ): no space anyone typed, which makes it
# wider than this share of the type size.
_AUTOSPACE = 0.3


def _line_text(line: LTTextLine) -> str:
    """A line's text as pdfminer gives it, less the spaces it puts into the gap between a
    Chinese character and a Latin one that typesetting leaves (see _AUTOSPACE): the cleaner's
    rules read `咨询 QQ206157060` as no advertiser's line, and a title ran on into it."""
    from pdfminer.layout import LTChar

    items = list(line)
    kept = []
    for at, item in enumerate(items):
        before, after = (
            items[at - 1] if at else None,
            items[at + 1] if at + 1 < len(items) else None,
        )
        if (
            not isinstance(item, LTChar)
            and item.get_text() == " "
            and isinstance(before, LTChar)
            and isinstance(after, LTChar)
        ):
            gap, size = after.x0 - before.x1, max(before.size, after.size)
            if _wide(before.get_text()) != _wide(after.get_text()) and gap < _AUTOSPACE * size:
                continue
            if gap >= _ROW_GAP * size:  # (two cells of a table's row, pdfminer's one line)
                kept.append("\t")
                continue
        kept.append(item.get_text())
    return _cells("".join(kept))


def _wide(text: str) -> bool:
    return unicodedata.east_asian_width(text[:1]) in "WF"


def _furniture(pages: list[PdfPage]) -> set[int]:
    """The ids of the page numbers and running heads and feet: the lines at a page's top or
    foot that are a page number alone, or that (numbers aside) stand at the top or foot of
    at least two pages and half of them."""
    edges = [_edge_lines(page) for page in pages]
    seen = Counter(shape for lines in edges for shape in {_shape(line) for line in lines})
    repeated = {shape for shape, count in seen.items() if count >= max(2, len(pages) / 2)}
    return {
        id(line)
        for lines in edges
        for line in lines
        if _PAGE_NUMBER_RE.fullmatch(line.text) or _shape(line) in repeated
    }


def _edge_lines(page: PdfPage) -> list[PdfLine]:
    """A page's top two and bottom two lines where they stand in its top or foot margin band
    (by where they stand: a page in two columns lists its lines in reading order)."""
    band, lines = page.height * _MARGIN_SHARE, sorted(page.lines, key=lambda line: -line.top)
    ends = lines[:2] + lines[-2:] if len(lines) > 4 else lines
    return [line for line in ends if line.top >= page.height - band or line.top <= band * 1.5]


def _shape(line: PdfLine) -> str:
    return _DIGITS_RE.sub("#", line.text)


def _paragraphs(
    body: list[PdfLine], pages: list[PdfPage], furniture: set[int]
) -> tuple[list[str], list[tuple[int, str]]]:
    """The body's lines joined into paragraphs; the furniture, each with the number of the
    paragraph it came after (the first, for what stood above it)."""
    layout = _Layout.of(body)
    paragraphs: list[str] = []
    number: dict[int, int] = {}  # a body line's id → its paragraph's number
    previous: PdfLine | None = None
    for line in body:
        if previous is None or layout.breaks(previous, line):
            paragraphs.append(line.text)
        else:
            paragraphs[-1] = _join(paragraphs[-1], line.text)
        number[id(line)] = len(paragraphs)
        previous = line
    placed, current = [], 1
    for line in (line for page in pages for line in page.lines):
        if id(line) in furniture:
            placed.append((current, line.text))
        else:
            current = number[id(line)]
    return paragraphs, placed


@dataclass(frozen=True)
class _Layout:
    """The text's measures: its left and right edges, its type size and line spacing."""

    left: float
    right: float
    size: float
    pitch: float

    @classmethod
    def of(cls, lines: list[PdfLine]) -> _Layout:
        if not lines:
            return cls(0.0, 0.0, 1.0, 1.0)
        left = Counter(round(line.left) for line in lines).most_common(1)[0][0]
        rights = sorted(line.right for line in lines)
        right = rights[int(len(rights) * 0.9)]
        size = statistics.median(line.size for line in lines) or 1.0
        gaps = [
            a.top - b.top
            for a, b in itertools.pairwise(lines)
            if a.page == b.page and a.top - b.top > size / 2
        ]
        pitch = sorted(gaps)[len(gaps) // 4] if gaps else size * 1.5  # (most are a line's:
        # the lower quartile is one even where paragraphs have space between them)
        return cls(float(left), right, size, pitch)

    def breaks(self, before: PdfLine, line: PdfLine) -> bool:
        """Whether `line` starts a paragraph after `before`."""
        if (
            abs(line.size - before.size) > 0.15 * self.size  # another type size
            or (line.page == before.page and before.top - line.top > 1.6 * self.pitch)
            or line.spaced
        ):
            return True
        if self._centred(before) and self._centred(line):  # a title set on two lines
            free = (self.right - self.left) - (before.right - before.left)
            return free > self._needed(line)
        return (
            self.right - before.right > self._needed(line)  # (see _needed)
            or line.left > self.left + self.size  # indented, or centred
        )

    def _centred(self, line: PdfLine) -> bool:
        """Whether a line stands in the middle of the measure, set in from both edges alike
        (a title's first line, wrapped, nearly fills it; the text's own lines start at its
        left edge)."""
        inset_left, inset_right = line.left - self.left, self.right - line.right
        return inset_left > 0.25 * line.size and abs(inset_left - inset_right) < line.size

    def _needed(self, line: PdfLine) -> float:
        """The room the line before needed for this line's first word (or character, with
        the marks that may not start a line): where it had that room left and stopped, it
        ended its paragraph. A line of running text stops short only where what comes next
        did not fit (`政务服务“一网通` / `办”，推动…`, a ragged English line)."""
        return _width(_first_unit(line.text), line.size) + 0.25 * self.size


_UNIT_RE = re.compile(r"[A-Za-z0-9'’.,%-]+|.[”’」』）)》〉】〕，。、；：！？…—]*")
_LATIN_CHAR_EM = 0.6  # a Latin letter's width, in ems: a little over the average, so a wrapped
# word is not taken to have fitted


def _first_unit(text: str) -> str:
    """What a line break cannot split at the start of `text`: a word of Latin letters or a
    number (with a space before it), else a character with the closing marks after it."""
    found = _UNIT_RE.match(text)
    unit = found.group(0) if found else text[:1]
    return " " + unit if unit[:1].isascii() and unit[:1].isalnum() else unit


def _width(text: str, size: float) -> float:
    """About how wide `text` is set in type of `size`: a full-width character one em, any
    other a little over half of one."""
    return sum(
        size if unicodedata.east_asian_width(ch) in "WF" else size * _LATIN_CHAR_EM for ch in text
    )


def _join(text: str, more: str) -> str:
    """Two lines of one paragraph: a space between words, nothing between Chinese characters."""
    if _LATIN_END_RE.search(text) and _LATIN_START_RE.match(more):
        return f"{text} {more}"
    return text + more
