"""Word `.docx` → paragraphs of text as the reader sees them on the page.

python-docx gives us the package and its XML, but its `Paragraph.text` leaves out what Chinese
speeches rely on most: automatic outline numbers (`一、`, `（一）`) live in numbering.xml and are
drawn by Word, not stored in the text. We render them here, keep tables in their place in the
body, honour tracked changes as accepted, and read heading levels from styles so the outline can
be rebuilt without guessing.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Protocol

import docx
from docx.document import Document as DocxDocument
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.opc.part import XmlPart
from docx.oxml import parse_xml
from docx.oxml.ns import qn

from generator.errors import UserError
from generator.speech import without_note_marks


class XmlElement(Protocol):
    """The slice of lxml's element API we use (lxml ships no type stubs)."""

    @property
    def tag(self) -> object: ...  # str for elements; comments and PIs carry a callable

    @property
    def text(self) -> str | None: ...

    def get(self, key: str, default: str | None = None) -> str | None: ...

    def find(self, path: str) -> XmlElement | None: ...

    def iter(self, *tags: str) -> Iterator[XmlElement]: ...  # descendants with a tag, self too

    def __iter__(self) -> Iterator[XmlElement]: ...


@dataclass(frozen=True)
class DocxText:
    """A Word file's paragraphs, and the texts of the footnotes and endnotes they refer to:
    note n is `notes[n - 1]`, its mark `[^n]` in the text where Word shows it."""

    paragraphs: list[DocxParagraph]
    notes: list[str]


@dataclass(frozen=True)
class DocxParagraph:
    """One paragraph: its visible text (with its list label) and its outline level, if any;
    `contents` marks a paragraph of a table of contents (not read as the speech's)."""

    text: str
    heading_level: int | None
    contents: bool = False


W_P, W_R, W_T, W_PPR = qn("w:p"), qn("w:r"), qn("w:t"), qn("w:pPr")
W_VAL = qn("w:val")

# Block-level wrappers whose paragraphs belong to the body flow, in document order.
_BLOCK_CONTAINERS = frozenset(
    qn(t) for t in ("w:tbl", "w:tr", "w:tc", "w:sdt", "w:sdtContent", "w:customXml")
)
# Inline wrappers whose runs are visible text; w:del and w:moveFrom (deleted text) are left out.
_INLINE_CONTAINERS = frozenset(
    qn(t)
    for t in (
        "w:hyperlink",
        "w:ins",
        "w:moveTo",
        "w:smartTag",
        "w:customXml",
        "w:sdt",
        "w:sdtContent",
        "w:fldSimple",
        "w:dir",
        "w:bdo",
    )
)
_SPACE_TAGS = frozenset(qn(t) for t in ("w:tab", "w:ptab"))
_BREAK_TAGS = frozenset(qn(t) for t in ("w:br", "w:cr"))

# Localised names of the built-in "heading N" styles (Word stores the English name, WPS and
# converted documents often the local one).
_HEADING_NAME = re.compile(
    r"^(?:heading|标题|標題|見出し|제목|überschrift|titre|título|titolo|kop|nagłówek|заголовок)"
    r"\s*([1-9])$",
    re.IGNORECASE,
)
_HEADING_ID = re.compile(r"^(?:heading)?([1-9])$", re.IGNORECASE)
_TOC_STYLE = re.compile(r"^(?:toc\s*(?:[1-9]|heading)|目\s*[录錄]\s*[1-9])$", re.IGNORECASE)


def read_docx(raw: bytes, path: Path) -> DocxText:
    """All body paragraphs, table cells included, in reading order, and the notes."""
    document = _open_document(raw, path)
    try:
        styles = _Styles(document.styles.element)
        numbering = _Numbering(_numbering_element(document), styles)
        reader = _Reader(styles, _Notes(document))
        paragraph_text = reader.paragraph_text
        paragraphs: list[DocxParagraph] = []
        for item in reader.iter_blocks(_body(document)):
            if isinstance(item, list):  # a data table's rows (see _table_rows)
                for row in item:
                    cells = (
                        numbering.label_for(p) + paragraph_text(p, False) if p is not None else " "
                        for p in row
                    )
                    paragraphs.append(DocxParagraph("\t".join(cells), None))
            else:
                paragraph, contents = item
                text = numbering.label_for(paragraph) + paragraph_text(paragraph)
                level = styles.heading_level(paragraph)
                paragraphs.append(DocxParagraph(text, level, contents))
        return DocxText(_with_contents_titles(paragraphs), reader.note_texts())
    except (ValueError, KeyError, AttributeError, TypeError, RecursionError) as exc:
        # Structures python-docx accepted but that make no sense (missing body, absurd nesting).
        reason = f"{type(exc).__name__}: {exc}"
        raise UserError(f"corrupt .docx file ({reason})", path, hint=_RESAVE_HINT) from None


_RESAVE_HINT = "open it in Word or WPS and save it again as .docx"


def _open_document(raw: bytes, path: Path) -> DocxDocument:
    try:
        return docx.Document(io.BytesIO(raw))
    except Exception as exc:  # python-docx raises zip, XML, Key and Value errors for bad files
        reason = "not a ZIP-based Word file" if not raw.startswith(b"PK") else type(exc).__name__
        if raw.startswith(b"\xd0\xcf\x11\xe0"):
            reason = "an old-style .doc file renamed to .docx"
        raise UserError(
            f"corrupt or invalid .docx file ({reason})", path, hint=_RESAVE_HINT
        ) from None


def _body(document: DocxDocument) -> XmlElement:
    body: XmlElement | None = document.element.body
    if body is None:
        raise ValueError("word/document.xml has no body")
    return body


def _numbering_element(document: DocxDocument) -> XmlElement | None:
    try:
        part = document.part.part_related_by(RELATIONSHIP_TYPE.NUMBERING)
    except KeyError:
        return None
    if not isinstance(part, XmlPart):  # a numbering part python-docx could not parse as XML
        return None
    element: XmlElement = part.element
    return element


W_TBL, W_TR, W_TC = qn("w:tbl"), qn("w:tr"), qn("w:tc")
_CELL_MAX = 60  # longest cell text of a data table; a layout table holds paragraphs of prose
W_TXBX_CONTENT = qn("w:txbxContent")
MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
W_RUBY, W_RUBY_BASE, W_RT = qn("w:ruby"), qn("w:rubyBase"), qn("w:rt")


class _Reader:
    """Reads the body's blocks and the text of its paragraphs. A run's visibility depends on
    the styles (a character style or the paragraph's style may hide it), so reading text is
    done here, where the styles are known."""

    def __init__(self, styles: _Styles, notes: _Notes | None = None) -> None:
        self.styles = styles
        self.notes = notes or _Notes(None)
        self._fields: list[str] = []  # instructions of the fields open at this point
        self._custom_mark = False  # a note's own mark (*, ①) follows its reference

    def note_texts(self) -> list[str]:
        """The text of each note referred to, by its number; a note may refer to another,
        which then gets the next number."""
        texts: list[str] = []
        while len(texts) < len(self.notes.order):
            paragraphs = self.notes.paragraphs(len(texts) + 1)
            lines = (self.paragraph_text(p, False).strip() for p in paragraphs)
            texts.append(" ".join(line for line in lines if line))
        return texts

    def iter_blocks(
        self, container: XmlElement, contents: bool = False
    ) -> Iterator[tuple[XmlElement, bool] | list[list[XmlElement | None]]]:
        """Paragraphs of the body in order, each with whether it belongs to a table of
        contents Word generated (its entries repeat the headings, page numbers glued on: a
        second outline), descending into tables row by row, cell by cell. A table of data
        (short cells, a paragraph or none each) comes as its rows of cells, which the reader
        writes between tabs, as a table copied out of Word into a .txt file arrives (the
        cleaner keeps such rows a table)."""
        for child in container:
            if child.tag == W_TBL and (rows := self._table_rows(child)) is not None:
                yield rows
            elif child.tag == W_P:
                for box in text_boxes(child):  # (a title or a note Word floats in a box)
                    yield from self.iter_blocks(box)
                in_field = self._in_contents_field(child)  # (the field state moves on here)
                yield child, contents or in_field or self.styles.is_contents(child)
            elif child.tag in _BLOCK_CONTAINERS:
                yield from self.iter_blocks(child, contents or _is_contents(child))

    def _in_contents_field(self, paragraph: XmlElement) -> bool:
        """Whether the paragraph is (partly) inside a TOC field: fldChar begin, instrText
        ` TOC \\o "1-3" …`, the entries, fldChar end, over as many paragraphs as it has
        entries. Older Word and WPS write a table of contents so, without a content control
        around it. Fields nest (each entry's PAGEREF), so the open ones are kept as a stack of
        their instructions."""
        inside = _is_toc_field(self._fields)
        for element in paragraph.iter(W_FLD_CHAR, W_INSTR_TEXT):
            if element.tag == W_INSTR_TEXT:
                if self._fields:
                    self._fields[-1] += element.text or ""
            elif element.get(qn("w:fldCharType")) == "begin":
                self._fields.append("")
            elif element.get(qn("w:fldCharType")) == "end" and self._fields:
                self._fields.pop()
            inside = inside or _is_toc_field(self._fields)
        return inside

    def _table_rows(self, table: XmlElement) -> list[list[XmlElement | None]] | None:
        """The rows of a data table, each cell its paragraph (None: empty): two or more rows,
        one with two or more cells, every cell one short paragraph or none; None for any other
        table (a layout of prose, a nested table)."""
        rows: list[list[XmlElement | None]] = []
        for row in (child for child in table if child.tag == W_TR):
            cells: list[XmlElement | None] = []
            for cell in (child for child in row if child.tag == W_TC):
                if next(cell.iter(W_TBL), None) is not None:
                    return None
                texts = [(p, self.paragraph_text(p, False).strip()) for p in cell.iter(W_P)]
                full = [(p, t) for p, t in texts if t]
                if len(full) > 1 or any(len(t) > _CELL_MAX or "\t" in t for _, t in full):
                    return None
                cells.append(full[0][0] if full else None)
            rows.append(cells)
        if len(rows) < 2 or max(len(row) for row in rows) < 2:
            return None
        return rows

    def paragraph_text(self, paragraph: XmlElement, lines: bool = True) -> str:
        """The paragraph's visible text; soft line breaks as the reader reads them: a line
        break where a line stands alone, if `lines` (see _join_breaks)."""
        pieces: list[str | None] = []  # None marks a line break
        self._collect_inline(paragraph, pieces, self.styles.style_id(paragraph))
        return _join_breaks(pieces, lines)

    def _collect_inline(
        self, element: XmlElement, pieces: list[str | None], paragraph_style: str | None
    ) -> None:
        for child in element:
            if child.tag == W_R:
                self._collect_run(child, pieces, paragraph_style)
            elif child.tag in _INLINE_CONTAINERS:
                self._collect_inline(child, pieces, paragraph_style)

    def _collect_run(
        self, run: XmlElement, pieces: list[str | None], paragraph_style: str | None
    ) -> None:
        # Text the document hides (w:vanish): a site's stamp or an editor's note, never the
        # speech's.
        if self.styles.hides(run, paragraph_style):
            return
        for child in run:
            tag = child.tag
            if tag == W_T:
                if not self._custom_mark:
                    pieces.append(child.text or "")
                self._custom_mark = False
            elif tag in _NOTE_REFERENCES:
                number = self.notes.reference(_NOTE_REFERENCES[tag], child.get(qn("w:id")))
                pieces.append(f"[^{number}]" if number is not None else "")
                self._custom_mark = child.get(qn("w:customMarkFollows")) in ("1", "true", "on")
            elif tag == W_RUBY:  # 拼 with pīn above it: the text, then its reading in brackets
                self._collect_ruby(child, pieces, paragraph_style)
            elif tag in _SPACE_TAGS:
                pieces.append(" ")
            elif tag in _BREAK_TAGS:
                pieces.append(None)
            elif tag == qn("w:noBreakHyphen"):
                pieces.append("-")

    def _collect_ruby(
        self, ruby: XmlElement, pieces: list[str | None], paragraph_style: str | None
    ) -> None:
        base: list[str | None] = []
        reading: list[str | None] = []
        for part in ruby:
            if part.tag == W_RUBY_BASE:
                self._collect_inline(part, base, paragraph_style)
            elif part.tag == W_RT:
                self._collect_inline(part, reading, paragraph_style)
        pieces.extend(base)
        annotation = "".join(piece for piece in reading if piece).strip()
        if annotation:
            pieces.append(f"（{annotation}）")


_NOTE_REFERENCES = {qn("w:footnoteReference"): "footnote", qn("w:endnoteReference"): "endnote"}


class _Notes:
    """The footnotes and endnotes (footnotes.xml, endnotes.xml), numbered as they are first
    referred to, footnotes and endnotes in one sequence, as a Markdown page shows its notes."""

    def __init__(self, document: DocxDocument | None) -> None:
        self._notes: dict[tuple[str, str], XmlElement] = {}
        self.order: list[tuple[str, str]] = []
        self._numbers: dict[tuple[str, str], int] = {}
        for kind, relationship in (
            ("footnote", RELATIONSHIP_TYPE.FOOTNOTES),
            ("endnote", RELATIONSHIP_TYPE.ENDNOTES),
        ):
            part = _related_element(document, relationship) if document is not None else None
            for note in part if part is not None else ():
                note_id = note.get(qn("w:id"))
                if (
                    note.tag == qn(f"w:{kind}")
                    and note_id is not None
                    and not note.get(qn("w:type"))
                ):
                    self._notes[kind, note_id] = note  # (not the separator lines, typed)

    def reference(self, kind: str, note_id: str | None) -> int | None:
        """The number of the note a reference points at; None for a note the file lacks."""
        key = (kind, note_id or "")
        if key not in self._notes:
            return None
        if key not in self._numbers:
            self.order.append(key)
            self._numbers[key] = len(self.order)
        return self._numbers[key]

    def paragraphs(self, number: int) -> list[XmlElement]:
        return list(self._notes[self.order[number - 1]].iter(W_P))


def _related_element(document: DocxDocument, relationship: str) -> XmlElement | None:
    """The XML of a part the document relates to (python-docx parses the numbering part, not
    the notes parts: those come as bytes)."""
    try:
        part = document.part.part_related_by(relationship)
    except KeyError:
        return None
    if isinstance(part, XmlPart):
        element: XmlElement = part.element
        return element
    parsed: XmlElement = parse_xml(part.blob)
    return parsed


def text_boxes(element: XmlElement) -> Iterator[XmlElement]:
    """The text boxes anchored in a paragraph, outermost first (a box's own boxes come with its
    paragraphs), each once: a drawing comes twice, as a DrawingML shape and, in mc:Fallback,
    as the VML copy older readers use."""
    for child in element:
        if child.tag == W_TXBX_CONTENT:
            yield child
        elif child.tag != MC_FALLBACK and isinstance(child.tag, str):
            yield from text_boxes(child)


def _is_contents(element: XmlElement) -> bool:
    """A content control that is a table of contents (docPartGallery "Table of Contents")."""
    if element.tag != qn("w:sdt"):
        return False
    gallery = _find(element, "w:sdtPr", "w:docPartObj", "w:docPartGallery")
    return "table of contents" in (_str_attr(gallery) or "").lower()


W_FLD_CHAR, W_INSTR_TEXT = qn("w:fldChar"), qn("w:instrText")


def _is_toc_field(fields: list[str]) -> bool:
    return any(instruction.split()[:1] == ["TOC"] for instruction in fields)


# The line above a table of contents: 目录, 目　录, Contents.
_CONTENTS_TITLE = re.compile(r"^(?:目\s*[录錄]|(?:table\s+of\s+)?contents)$", re.IGNORECASE)


def _with_contents_titles(paragraphs: list[DocxParagraph]) -> list[DocxParagraph]:
    """The 目录 line above a table of contents counts as part of it (a content control holds
    its own; a TOC field or TOC-styled entries have it as a paragraph before them)."""
    out = list(paragraphs)
    for index, paragraph in enumerate(paragraphs):
        if not paragraph.contents or (index and paragraphs[index - 1].contents):
            continue
        before = next((j for j in range(index - 1, -1, -1) if out[j].text.strip()), None)
        if before is not None and _CONTENTS_TITLE.match(out[before].text.strip()):
            out[before] = replace(out[before], contents=True)
    return out


def _switched_on(element: XmlElement) -> bool:
    """A toggle property (w:vanish, w:b): on unless its w:val says off."""
    return (_str_attr(element) or "true").lower() not in ("0", "false", "off")


def _join_breaks(pieces: list[str | None], lines: bool = True) -> str:
    """The pieces of a paragraph, each soft line break (Shift+Enter) made what the reader reads
    there: a new line ("\\n") where the line before it stands alone (see _stands_alone) and
    `lines` is asked for (a table's cell is one line); else nothing between Chinese
    characters (a break inside a sentence is layout), a space between words."""
    out = ""
    for segment in _segments(pieces):
        if not out or not segment:
            out += segment
        elif lines and _stands_alone(out.rpartition("\n")[2], segment):
            out += "\n" + segment
        elif _joins_without_space(out[-1], segment[0]):
            out += segment
        else:
            out += " " + segment
    return out


def _segments(pieces: list[str | None]) -> list[str]:
    """The text between line breaks (None)."""
    segments = [""]
    for piece in pieces:
        if piece is None:
            segments.append("")
        else:
            segments[-1] += piece
    return segments


_LINE_MAX = 40  # characters of a line that may be a title, a heading or a signature
_CLOSED_RE = re.compile(r"[。！？!?；;：:…][”’」』）)》】]*$")
_CLAUSE_RE = re.compile(r"[，、,。！？；;]")
_HAN_RE = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
# A heading's number at the start of a line (一、 （一） 1. 第一章).
_LABEL_START_RE = re.compile(
    r"^(?:[一二三四五六七八九十]+[、．.]|[（(][一二三四五六七八九十\d]+[）)]|\d+[.．、]"
    r"|第[一二三四五六七八九十百]+(?:章|节|部分|篇))"
)


def _stands_alone(line: str, after: str) -> bool:
    """Whether a line of Chinese text ends where a soft break follows it, so the next text
    starts a line of its own: the line is closed by its mark (…。, 各位代表：), or it is short
    and no sentence runs through it, as a title, a heading, a byline or a signature is (在…上
    的讲话 / 区长　杜联合, 一、工作回顾 / 过去的一年，…, 海拉尔区人民政府 / 2015年2月5日).
    Joined, they ran together, and the title, the outline and the date were lost. A line that
    runs on (a clause mark in it, or a full line) is joined as before, and so is a heading's
    label and title that go on to a second short line (一、坚持稳中求进 / 推动高质量发展).
    The cleaner then judges the lines as it judges a text file's."""
    line, after = without_note_marks(line).strip(), after.strip()
    if not line or not after or not _HAN_RE.search(line):
        return False
    if _CLOSED_RE.search(line):
        return True
    label = _LABEL_START_RE.match(line)
    if len(line) > _LINE_MAX or _CLAUSE_RE.search(line[label.end() if label else 0 :]):
        return False
    return not (label and _short_phrase(after))


def _short_phrase(text: str) -> bool:
    return len(text) <= _LINE_MAX and not _CLAUSE_RE.search(text)


def _joins_without_space(left: str, right: str) -> bool:
    kinds = (_cjk_kind(left), _cjk_kind(right))
    return "latin" not in kinds and "cjk" in kinds


def _cjk_kind(ch: str) -> str:
    """'cjk' for Han/kana/CJK punctuation, 'neutral' for quotes and dashes shared by both."""
    code = ord(ch)
    if ch in "“”‘’—…·":
        return "neutral"
    if (
        0x2E80 <= code <= 0x9FFF
        or 0xAC00 <= code <= 0xD7AF
        or 0xF900 <= code <= 0xFAFF
        or 0xFE30 <= code <= 0xFE4F
        or 0xFF00 <= code <= 0xFFEF
        or 0x20000 <= code <= 0x3FFFF
    ):
        return "cjk"
    return "latin"


def _int_attr(element: XmlElement | None, default: int | None = None) -> int | None:
    """`w:val` as an int; damaged files carry junk here, which counts as absent."""
    if element is None:
        return default
    value = element.get(W_VAL)
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def _str_attr(element: XmlElement | None) -> str | None:
    return None if element is None else element.get(W_VAL)


def _find(element: XmlElement | None, *tags: str) -> XmlElement | None:
    """Follow a path of child tags; None as soon as one is missing."""
    for tag in tags:
        if element is None:
            return None
        element = element.find(qn(tag))
    return element


class _Styles:
    """Paragraph style lookups along the `basedOn` chain, as Word inherits properties."""

    def __init__(self, styles: XmlElement | None) -> None:
        self._by_id: dict[str, XmlElement] = {}
        self._character: dict[str, XmlElement] = {}
        self._list_styles: dict[str, XmlElement] = {}
        self._default_id: str | None = None
        self._default_vanish = _find(styles, "w:docDefaults", "w:rPrDefault", "w:rPr", "w:vanish")
        self._hidden_by_styles: dict[tuple[str | None, str | None], bool] = {}
        for style in styles if styles is not None else ():
            style_id = style.get(qn("w:styleId"))
            if style.tag != qn("w:style") or style_id is None:
                continue
            kind = style.get(qn("w:type"))
            if kind == "numbering":
                self._list_styles[style_id] = style
            elif kind == "character":
                self._character[style_id] = style
            elif kind == "paragraph":
                self._by_id[style_id] = style
                if style.get(qn("w:default")) in ("1", "true", "on"):
                    self._default_id = style_id

    def list_style_num_id(self, style_id: str) -> str | None:
        """The w:num a list (numbering) style points at."""
        return _str_attr(_find(self._list_styles.get(style_id), "w:pPr", "w:numPr", "w:numId"))

    def style_id(self, paragraph: XmlElement) -> str | None:
        return _str_attr(_find(paragraph, "w:pPr", "w:pStyle")) or self._default_id

    def chain(
        self, style_id: str | None, by_id: dict[str, XmlElement] | None = None
    ) -> Iterator[XmlElement]:
        """The style and those it is based on, nearest first (paragraph styles by default)."""
        styles = self._by_id if by_id is None else by_id
        seen: set[str] = set()
        while style_id is not None and style_id not in seen and style_id in styles:
            seen.add(style_id)
            style = styles[style_id]
            yield style
            style_id = _str_attr(_find(style, "w:basedOn"))

    def hides(self, run: XmlElement, paragraph_style: str | None) -> bool:
        """Whether Word hides the run (w:vanish). The nearest setting wins, as Word resolves
        run properties: the run's own, its character style's (along basedOn), the paragraph
        style's, the document's default. A stamp an editor hid through a style stayed."""
        direct = _find(run, "w:rPr", "w:vanish")
        if direct is not None:
            return _switched_on(direct)
        key = (_str_attr(_find(run, "w:rPr", "w:rStyle")), paragraph_style)
        if key not in self._hidden_by_styles:
            self._hidden_by_styles[key] = self._styles_hide(*key)
        return self._hidden_by_styles[key]

    def _styles_hide(self, character_style: str | None, paragraph_style: str | None) -> bool:
        styles = [
            *self.chain(character_style, self._character),
            *self.chain(paragraph_style),
        ]
        for style in styles:
            vanish = _find(style, "w:rPr", "w:vanish")
            if vanish is not None:
                return _switched_on(vanish)
        return self._default_vanish is not None and _switched_on(self._default_vanish)

    def is_contents(self, paragraph: XmlElement) -> bool:
        """A paragraph in a style of table-of-contents entries (toc 1…toc 9, 目录 1…, or their
        heading, TOC Heading), which Word gives the entries it generates."""
        for style in self.chain(self.style_id(paragraph)):
            name = _str_attr(_find(style, "w:name")) or style.get(qn("w:styleId")) or ""
            if _TOC_STYLE.match(name.strip()):
                return True
        return False

    def heading_level(self, paragraph: XmlElement) -> int | None:
        """Outline level 1–9; direct formatting beats the style, as in Word's navigation pane."""
        direct = _find(paragraph, "w:pPr", "w:outlineLvl")
        if direct is not None:
            return _outline_to_level(_int_attr(direct))
        for style in self.chain(self.style_id(paragraph)):
            level = _heading_level_of_style(style)
            if level is not None:
                return level
            outline = _find(style, "w:pPr", "w:outlineLvl")
            if outline is not None:
                return _outline_to_level(_int_attr(outline))
        return None

    def num_pr(self, paragraph: XmlElement) -> tuple[str | None, int | None]:
        """(numId, ilvl) from the paragraph, each falling back to the style chain."""
        direct = _find(paragraph, "w:pPr", "w:numPr")
        num_id = _str_attr(_find(direct, "w:numId"))
        ilvl = _int_attr(_find(direct, "w:ilvl"))
        for style in self.chain(self.style_id(paragraph)):
            inherited = _find(style, "w:pPr", "w:numPr")
            if inherited is None:
                continue
            num_id = num_id if num_id is not None else _str_attr(_find(inherited, "w:numId"))
            ilvl = ilvl if ilvl is not None else _int_attr(_find(inherited, "w:ilvl"))
        return num_id, ilvl


def _outline_to_level(outline: int | None) -> int | None:
    """w:outlineLvl counts from 0 and uses 9 for body text."""
    return outline + 1 if outline is not None and 0 <= outline <= 8 else None


def _heading_level_of_style(style: XmlElement) -> int | None:
    """By name; by id ("Heading1", or "1" as Chinese Word writes it) only for nameless styles.

    Ids are arbitrary labels, and some editors number unrelated styles "1", "2"…, so an id
    cannot overrule a name that says the style is something else.
    """
    name = _str_attr(_find(style, "w:name"))
    if name is not None:
        match = _HEADING_NAME.match(name.strip())
    else:
        match = _HEADING_ID.match(style.get(qn("w:styleId")) or "")
    return int(match.group(1)) if match else None


@dataclass(frozen=True)
class _Level:
    """One level of a list definition (w:lvl)."""

    fmt: str
    text: str | None
    start: int
    restart_after: int | None  # w:lvlRestart; None means "after any shallower level"
    legal: bool
    style_id: str | None
    suffix: str = "tab"  # w:suff: what Word draws after the label (tab, space or nothing)


@dataclass
class _NumInstance:
    """A w:num: which list definition it uses and the levels it overrides."""

    abstract_id: str
    start_overrides: dict[int, int] = field(default_factory=dict)
    levels: dict[int, _Level] = field(default_factory=dict)


class _Numbering:
    """Renders list labels the way Word counts them.

    Counters belong to the list definition (abstractNum), so separate w:num instances of one
    definition continue a single sequence unless a w:startOverride restarts it.
    """

    def __init__(self, numbering: XmlElement | None, styles: _Styles) -> None:
        self._styles = styles
        self._abstracts: dict[str, dict[int, _Level]] = {}
        self._abstract_style_links: dict[str, str] = {}
        self._nums: dict[str, _NumInstance] = {}
        self._counters: dict[str, dict[int, int]] = {}
        self._overrides_applied: set[tuple[str, int]] = set()
        for child in numbering if numbering is not None else ():
            if child.tag == qn("w:abstractNum"):
                self._add_abstract(child)
            elif child.tag == qn("w:num"):
                self._add_num(child)

    def _add_abstract(self, element: XmlElement) -> None:
        abstract_id = element.get(qn("w:abstractNumId"))
        if abstract_id is None:
            return
        self._abstracts[abstract_id] = _levels(element)
        link = _str_attr(_find(element, "w:numStyleLink"))
        if link is not None:
            self._abstract_style_links[abstract_id] = link

    def _add_num(self, element: XmlElement) -> None:
        num_id = element.get(qn("w:numId"))
        abstract_id = _str_attr(_find(element, "w:abstractNumId"))
        if num_id is None or abstract_id is None:
            return
        instance = _NumInstance(abstract_id)
        for override in element:
            if override.tag != qn("w:lvlOverride"):
                continue
            ilvl = _int_attr_named(override, "w:ilvl")
            if ilvl is None:
                continue
            start = _int_attr(_find(override, "w:startOverride"))
            if start is not None:
                instance.start_overrides[ilvl] = start
            level = _find(override, "w:lvl")
            if level is not None:
                instance.levels[ilvl] = _parse_level(level)
        self._nums[num_id] = instance

    def label_for(self, paragraph: XmlElement) -> str:
        """The list label Word would draw before this paragraph, advancing the counters."""
        num_id, ilvl = self._styles.num_pr(paragraph)
        instance = self._nums.get(num_id) if num_id is not None else None
        if num_id is None or instance is None:  # numId 0 means "numbering removed": not in _nums
            return ""
        abstract_id = self._resolve_abstract(instance.abstract_id)
        levels = {**self._abstracts.get(abstract_id, {}), **instance.levels}
        if ilvl is None:
            ilvl = self._level_for_style(levels, self._styles.style_id(paragraph))
        level = levels.get(ilvl)
        if level is None:
            return ""
        counters = self._counters.setdefault(abstract_id, {})
        self._advance(counters, levels, ilvl, instance.start_overrides.get(ilvl), num_id)
        if level.fmt == "bullet" or level.text is None:
            return ""
        label = _render(level, levels, counters)
        return label + _separator(label, level.suffix)

    def _resolve_abstract(self, abstract_id: str) -> str:
        """Follow a list style link (w:numStyleLink) to the definition that holds the levels."""
        for _ in range(5):
            link = self._abstract_style_links.get(abstract_id)
            if link is None:
                return abstract_id
            target = self._linked_abstract(link)
            if target is None or target == abstract_id:
                return abstract_id
            abstract_id = target
        return abstract_id

    def _linked_abstract(self, style_id: str) -> str | None:
        num_id = self._styles.list_style_num_id(style_id)
        instance = self._nums.get(num_id) if num_id is not None else None
        return instance.abstract_id if instance is not None else None

    @staticmethod
    def _level_for_style(levels: dict[int, _Level], style_id: str | None) -> int:
        for ilvl, level in levels.items():
            if style_id is not None and level.style_id == style_id:
                return ilvl
        return 0

    def _advance(
        self,
        counters: dict[int, int],
        levels: dict[int, _Level],
        ilvl: int,
        start_override: int | None,
        num_id: str,
    ) -> None:
        key = (num_id, ilvl)
        if start_override is not None and key not in self._overrides_applied:
            self._overrides_applied.add(key)
            counters[ilvl] = start_override
        elif ilvl in counters:
            counters[ilvl] += 1
        else:
            counters[ilvl] = levels[ilvl].start
        for deeper in [d for d in counters if d > ilvl]:
            if _restarts(levels.get(deeper), deeper, ilvl):
                del counters[deeper]


def _int_attr_named(element: XmlElement, name: str) -> int | None:
    value = element.get(qn(name))
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def _levels(abstract: XmlElement) -> dict[int, _Level]:
    levels: dict[int, _Level] = {}
    for child in abstract:
        if child.tag == qn("w:lvl"):
            ilvl = _int_attr_named(child, "w:ilvl")
            if ilvl is not None:
                levels[ilvl] = _parse_level(child)
    return levels


def _parse_level(element: XmlElement) -> _Level:
    legal = _find(element, "w:isLgl")
    return _Level(
        fmt=_number_format(element),
        text=_str_attr(_find(element, "w:lvlText")),
        start=_int_attr(_find(element, "w:start"), 0) or 0,
        restart_after=_int_attr(_find(element, "w:lvlRestart")),
        legal=legal is not None and _str_attr(legal) not in ("0", "false", "off"),
        style_id=_str_attr(_find(element, "w:pStyle")),
        suffix=_str_attr(_find(element, "w:suff")) or "tab",
    )


def _separator(label: str, suffix: str) -> str:
    """What stands for the tab or space Word draws after a list label (w:suff), so the label
    does not run into its text (2 + 2015年工作安排 read 22015年工作安排): a space, which the
    cleaner keeps after a label on a heading's line (第一章　经济发展, 1　工作回顾) and between
    figures. A label that ends in its own mark (一、, （一）, 1.) is set off already: a space
    after it would only be dropped again. Nothing where Word draws nothing."""
    return " " if suffix != "nothing" and label[-1:].isalnum() else ""


MC_ALTERNATE = "{http://schemas.openxmlformats.org/markup-compatibility/2006}AlternateContent"
MC_CHOICE = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Choice"


def _number_format(level: XmlElement) -> str:
    """The level's w:numFmt. Word 2010 and later write a format older readers lack inside
    mc:AlternateContent: the new one in mc:Choice (a custom 一, 二, 三…), its nearest built-in
    in mc:Fallback. Without a direct w:numFmt, the first of those we can draw is taken, then
    any; read as decimal, 一、 came out as 1、."""
    direct = _str_attr(_find(level, "w:numFmt"))
    if direct is not None:
        return direct
    wrapped = [
        fmt
        for alternate in level
        if alternate.tag == MC_ALTERNATE
        for branch in alternate
        if branch.tag in (MC_CHOICE, MC_FALLBACK)
        and (fmt := _str_attr(_find(branch, "w:numFmt"))) is not None
    ]
    known = [fmt for fmt in wrapped if fmt in _SIMPLE_FORMATS or fmt in ("none", "bullet")]
    return (known or wrapped or ["decimal"])[0]


def _restarts(level: _Level | None, deeper: int, used: int) -> bool:
    """Whether using level `used` resets the counter of level `deeper` (w:lvlRestart)."""
    restart_after = deeper if level is None or level.restart_after is None else level.restart_after
    return used < restart_after


_PLACEHOLDER = re.compile(r"%([1-9])")


def _render(level: _Level, levels: dict[int, _Level], counters: dict[int, int]) -> str:
    """Fill `%1`…`%9` in w:lvlText with each level's counter in that level's number format."""

    def substitute(match: re.Match[str]) -> str:
        ilvl = int(match.group(1)) - 1
        ref = levels.get(ilvl)
        value = counters.get(ilvl, ref.start if ref is not None else 1)
        fmt = "decimal" if level.legal or ref is None else ref.fmt
        return format_number(value, fmt)

    return _PLACEHOLDER.sub(substitute, level.text or "")


# --- number formats (ECMA-376 ST_NumberFormat) -------------------------------------------------

_MAX_COUNTER = 32767
_CN_DIGITS = "〇一二三四五六七八九"
_CN_ZERO = "零"
_CN_UNITS = ("", "十", "百", "千")
_LEGAL_SIMPLIFIED = ("零壹贰叁肆伍陆柒捌玖", ("", "拾", "佰", "仟"))
_LEGAL_TRADITIONAL = ("零壹貳參肆伍陸柒捌玖", ("", "拾", "佰", "仟"))
_HEAVENLY_STEMS = "甲乙丙丁戊己庚辛壬癸"
_EARTHLY_BRANCHES = "子丑寅卯辰巳午未申酉戌亥"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_PARENTHESISED = "⑴⑵⑶⑷⑸⑹⑺⑻⑼⑽⑾⑿⒀⒁⒂⒃⒄⒅⒆⒇"
_FULL_STOP = "⒈⒉⒊⒋⒌⒍⒎⒏⒐⒑⒒⒓⒔⒕⒖⒗⒘⒙⒚⒛"
_ROMAN = (
    (1000, "M"),
    (900, "CM"),
    (500, "D"),
    (400, "CD"),
    (100, "C"),
    (90, "XC"),
    (50, "L"),
    (40, "XL"),
    (10, "X"),
    (9, "IX"),
    (5, "V"),
    (4, "IV"),
    (1, "I"),
)


def format_number(value: int, fmt: str) -> str:
    """Render a list counter in a Word number format; unknown formats fall back to decimal."""
    if fmt in ("none", "bullet"):
        return ""
    if not 0 < value <= _MAX_COUNTER and fmt not in ("decimal", "decimalZero"):
        return str(value)  # Word's own limit; also keeps junk like start=10**11 from exploding
    simple = _SIMPLE_FORMATS.get(fmt)
    return simple(value) if simple is not None else str(value)


def _chinese_counting(value: int) -> str:
    """一…九十九 like chineseCountingThousand; from 100 on Word spells the digits (一〇一)."""
    if value >= 100:
        return _digitwise(value)
    return _positional(value, _CN_DIGITS, _CN_UNITS, omit_leading_one=True)


def _digitwise(value: int) -> str:
    return "".join(_CN_DIGITS[int(d)] for d in str(value))


def _positional(
    value: int,
    digits: str,
    units: tuple[str, str, str, str],
    *,
    omit_leading_one: bool,
    zero: str = _CN_ZERO,
) -> str:
    """Chinese place-value numerals below 10,000 (一百零一, 十二); larger values as digits."""
    if value >= 10_000:
        return _digitwise(value)
    out: list[str] = []
    zero_pending = False
    for power in (3, 2, 1, 0):
        digit = value // 10**power % 10
        if digit == 0:
            zero_pending = bool(out)
            continue
        if zero_pending:
            out.append(zero)
            zero_pending = False
        out.append(digits[digit] + units[power])
    text = "".join(out)
    if omit_leading_one and 10 <= value < 20:
        text = text[1:]
    return text


def _japanese_counting(value: int) -> str:
    """Japanese omits 一 before 十/百/千 and never writes a zero: 百一, 千十."""
    if value >= 10_000:
        return _digitwise(value)
    out: list[str] = []
    for power in (3, 2, 1, 0):
        digit = value // 10**power % 10
        if digit:
            numeral = "" if digit == 1 and power > 0 else _CN_DIGITS[digit]
            out.append(numeral + _CN_UNITS[power])
    return "".join(out)


def _letters(value: int, alphabet: str) -> str:
    """Word's A…Z, AA…ZZ, AAA…: the letter repeats rather than counting in base 26."""
    return alphabet[(value - 1) % 26] * ((value - 1) // 26 + 1)


def _roman(value: int) -> str:
    out: list[str] = []
    for amount, numeral in _ROMAN:
        count, value = divmod(value, amount)
        out.append(numeral * count)
    return "".join(out)


def _from_table(table: str, value: int) -> str:
    return table[value - 1] if value <= len(table) else str(value)


def _cycle(table: str, value: int) -> str:
    return table[(value - 1) % len(table)]


def _full_width(value: int) -> str:
    return "".join(chr(ord(d) - ord("0") + ord("０")) for d in str(value))


_SIMPLE_FORMATS: dict[str, Callable[[int], str]] = {
    "decimal": str,
    "decimalZero": lambda v: f"{v:02d}",
    "decimalFullWidth": _full_width,
    "decimalFullWidth2": _full_width,
    "decimalEnclosedCircle": lambda v: _from_table(_CIRCLED, v),
    "decimalEnclosedCircleChinese": lambda v: _from_table(_CIRCLED, v),
    "decimalEnclosedParen": lambda v: _from_table(_PARENTHESISED, v),
    "decimalEnclosedFullstop": lambda v: _from_table(_FULL_STOP, v),
    "upperLetter": lambda v: _letters(v, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"),
    "lowerLetter": lambda v: _letters(v, "abcdefghijklmnopqrstuvwxyz"),
    "upperRoman": _roman,
    "lowerRoman": lambda v: _roman(v).lower(),
    "chineseCounting": _chinese_counting,
    "taiwaneseCounting": _chinese_counting,
    "chineseCountingThousand": lambda v: _positional(
        v, _CN_DIGITS, _CN_UNITS, omit_leading_one=True
    ),
    "taiwaneseCountingThousand": lambda v: _positional(
        v, _CN_DIGITS, _CN_UNITS, omit_leading_one=True
    ),
    "japaneseCounting": _japanese_counting,
    "ideographDigital": _digitwise,
    "taiwaneseDigital": _digitwise,
    "japaneseDigitalTenThousand": _digitwise,
    "chineseLegalSimplified": lambda v: _positional(
        v, _LEGAL_SIMPLIFIED[0], _LEGAL_SIMPLIFIED[1], omit_leading_one=False
    ),
    "ideographLegalTraditional": lambda v: _positional(
        v, _LEGAL_TRADITIONAL[0], _LEGAL_TRADITIONAL[1], omit_leading_one=False
    ),
    "ideographTraditional": lambda v: _cycle(_HEAVENLY_STEMS, v),
    "ideographZodiac": lambda v: _cycle(_EARTHLY_BRANCHES, v),
}
