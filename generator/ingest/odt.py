"""OpenDocument text (`.odt`, written by LibreOffice, WPS and Word) → paragraphs as the reader
sees them, in the shape the `.docx` reader gives (docx.DocxText).

The text is content.xml's body: paragraphs and headings (with their outline level), lists,
tables (a row to a line, cells parted by tabs, as from a .docx), sections and text boxes, in
document order. What the page does not show as the speech's is left out or set aside: comments,
tracked deletions, a table of contents (marked `contents`, reported as removed), and footnotes,
whose texts become the document's notes with `[^n]` where their marks stand, as Word's do.
Headers and footers live in styles.xml, which is not read. A list's numbers (`一、`, `1.`) are
drawn by the word processor from the list's style and are not in the text: they are rendered
here from that style, as the `.docx` reader renders Word's numbering.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree

from generator.errors import UserError
from generator.ingest.docx import DocxParagraph, DocxText, format_number

_NS = {
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "draw": "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0",
    "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
}


def _q(name: str) -> str:
    prefix, local = name.split(":")
    return f"{{{_NS[prefix]}}}{local}"


_P, _H = _q("text:p"), _q("text:h")
_LIST, _ITEM, _HEADER = _q("text:list"), _q("text:list-item"), _q("text:list-header")
_TABLE, _ROW, _CELL = _q("table:table"), _q("table:table-row"), _q("table:table-cell")
_COVERED = _q("table:covered-table-cell")
_SPACE, _TAB, _BREAK = _q("text:s"), _q("text:tab"), _q("text:line-break")
_NOTE, _CITATION, _NOTE_BODY = _q("text:note"), _q("text:note-citation"), _q("text:note-body")
_FRAME, _TEXT_BOX = _q("draw:frame"), _q("draw:text-box")
_RUBY_TEXT = _q("text:ruby-text")
# Not the speech's words: comments, deleted text kept for change tracking, a field's hidden
# instructions, list numbers a converter froze as text (rendered from the style here instead).
_HIDDEN = frozenset(
    _q(name)
    for name in (
        "office:annotation",
        "office:annotation-end",
        "text:tracked-changes",
        "text:sequence-decls",
        "text:variable-decls",
        "text:user-field-decls",
        "text:number",
        "text:index-title-template",
        "text:table-of-content-source",
        "text:alphabetical-index-source",
        "text:illustration-index-source",
    )
)
# Indexes the word processor generated from headings: set aside, not the speech's text.
_INDEXES = frozenset(
    _q(f"text:{name}")
    for name in (
        "table-of-content",
        "alphabetical-index",
        "illustration-index",
        "table-index",
        "object-index",
        "user-index",
        "bibliography",
    )
)
# Groupings of paragraphs whose paragraphs are the body's, in order.
_BLOCKS = frozenset(
    _q(name)
    for name in (
        "text:section",
        "text:index-body",
        "table:table-header-rows",
        "table:table-rows",
        "table:table-row-group",
        "text:soft-page-break",
    )
)
_OUTLINE = "\0outline"  # the headings' numbering (text:outline-style), kept as a list style
_NUMBERED_LEVELS = frozenset({_q("text:list-level-style-number"), _q("text:outline-level-style")})
_LARGEST_PART = 256 * 1024 * 1024  # a content.xml larger than this is a zip bomb, not a speech
_RESAVE_HINT = "open it in LibreOffice, WPS or Word and save it again, or save it as .docx"


def read_odt(raw: bytes, path: Path) -> DocxText:
    """All body paragraphs, table cells included, in reading order, and the footnotes."""
    content, styles = _parts(raw, path)
    try:
        numbering = _ListStyles(content, styles)
        reader = _Reader(numbering)
        body = content.find("office:body/office:text", _NS)
        if body is None:
            raise UserError(
                "the OpenDocument file holds no text document (a spreadsheet or a drawing?)",
                path,
                hint="ingest reads word-processor files: save the speech as .odt or .docx",
            )
        paragraphs = list(reader.blocks(body, contents=False, levels=()))
        return DocxText(paragraphs, reader.notes)
    except (ValueError, TypeError, RecursionError) as exc:
        reason = f"{type(exc).__name__}: {exc}"
        raise UserError(f"corrupt .odt file ({reason})", path, hint=_RESAVE_HINT) from None


def _parts(raw: bytes, path: Path) -> tuple[Any, Any]:
    """content.xml and styles.xml (the list styles a document names may be either's)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
    except zipfile.BadZipFile:
        reason = "not a ZIP-based OpenDocument file"
        if raw.startswith(b"\xd0\xcf\x11\xe0"):
            reason = "an old-style .doc file renamed to .odt"
        raise UserError(
            f"corrupt or invalid .odt file ({reason})", path, hint=_RESAVE_HINT
        ) from None
    with archive:
        names = set(archive.namelist())
        if "META-INF/manifest.xml" in names and _encrypted(archive):
            raise UserError(
                "the .odt file is password-protected",
                path,
                hint="open it, remove the password (File → Properties → Security) and save it",
            )
        if "content.xml" not in names:
            raise UserError("corrupt .odt file (it has no content.xml)", path, hint=_RESAVE_HINT)
        return _xml(archive, "content.xml", path), (
            _xml(archive, "styles.xml", path) if "styles.xml" in names else None
        )


def _encrypted(archive: zipfile.ZipFile) -> bool:
    return b"encryption-data" in archive.read("META-INF/manifest.xml")


def _xml(archive: zipfile.ZipFile, name: str, path: Path) -> Any:
    if archive.getinfo(name).file_size > _LARGEST_PART:
        raise UserError(f"corrupt .odt file ({name} is too large)", path, hint=_RESAVE_HINT)
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        return etree.fromstring(archive.read(name), parser)
    except (etree.XMLSyntaxError, zipfile.BadZipFile, OSError, EOFError) as exc:
        reason = f"{name}: {exc}"
        raise UserError(f"corrupt .odt file ({reason})", path, hint=_RESAVE_HINT) from None


@dataclass
class _Reader:
    """Walks the body in document order, keeping the count of each list's items."""

    numbering: _ListStyles
    notes: list[str] = field(default_factory=list)
    counters: dict[tuple[str, int], int] = field(default_factory=dict)

    def blocks(
        self, element: Any, contents: bool, levels: tuple[tuple[str, int], ...]
    ) -> Iterator[DocxParagraph]:
        for child in element:
            yield from self.block(child, contents, levels)

    def block(
        self, child: Any, contents: bool, levels: tuple[tuple[str, int], ...]
    ) -> Iterator[DocxParagraph]:
        tag = child.tag
        if not isinstance(tag, str) or tag in _HIDDEN:
            return
        if tag in (_P, _H):
            yield from self.paragraph(child, contents, levels)
        elif tag == _LIST:
            yield from self.numbered_list(child, contents, levels)
        elif tag == _TABLE:
            yield from self.table(child, contents)
        elif tag in _INDEXES:
            yield from self.blocks(child, True, levels)
        else:  # sections, an index's body, table row groups, and what ODF adds later
            yield from self.blocks(child, contents, levels)

    def paragraph(
        self, element: Any, contents: bool, levels: tuple[tuple[str, int], ...]
    ) -> Iterator[DocxParagraph]:
        boxes: list[DocxParagraph] = []
        text = self.inline(element, boxes)
        yield from boxes  # (a text box anchored in the paragraph: its own paragraphs, first)
        label = self.label(levels) if levels else ""
        level = None
        if element.tag == _H:
            outline = element.get(_q("text:outline-level"))
            level = int(outline) if outline and outline.isdigit() and 0 < int(outline) < 10 else 1
            if not levels and element.get(_q("text:is-list-header")) != "true":
                label = self.heading_label(level)
        yield DocxParagraph(label + text, level, contents)

    def heading_label(self, level: int) -> str:
        """A heading's number from the document's outline numbering (第一章, 一、), counted
        over the headings before it: a heading counts at its level and restarts the deeper."""
        key = (_OUTLINE, level)
        self.counters[key] = self.counters.get(key, 0) + 1
        self.restart(_OUTLINE, level + 1)
        counts = [self.counters.get((_OUTLINE, d), 1) for d in range(1, level + 1)]
        return self.numbering.label(_OUTLINE, level, counts)

    def numbered_list(
        self, element: Any, contents: bool, levels: tuple[tuple[str, int], ...]
    ) -> Iterator[DocxParagraph]:
        style = element.get(_q("text:style-name")) or (levels[-1][0] if levels else "")
        depth = len(levels) + 1
        if element.get(_q("text:continue-numbering")) != "true" and not levels:
            self.restart(style, depth)
        for item in element:
            if item.tag not in (_ITEM, _HEADER):
                continue
            inner = (*levels, (style, depth))
            if item.tag == _ITEM:
                start = item.get(_q("text:start-value"))
                key = (style, depth)
                self.counters[key] = (
                    int(start) if start and start.isdigit() else self.counters.get(key, 0) + 1
                )
                self.restart(style, depth + 1)
            else:  # a list header: an unnumbered paragraph in the list
                inner = levels
            first = True
            for child in item:
                if child.tag in (_P, _H) and first and item.tag == _ITEM:
                    yield from self.paragraph(child, contents, inner)
                    first = False
                elif child.tag in (_P, _H):
                    yield from self.paragraph(child, contents, ())
                else:
                    yield from self.block(child, contents, inner)

    def restart(self, style: str, depth: int) -> None:
        for key in [k for k in self.counters if k[0] == style and k[1] >= depth]:
            del self.counters[key]

    def label(self, levels: tuple[tuple[str, int], ...]) -> str:
        style, depth = levels[-1]
        counts = [self.counters.get((style, d), 1) for d in range(1, depth + 1)]
        return self.numbering.label(style, depth, counts)

    def table(self, element: Any, contents: bool) -> Iterator[DocxParagraph]:
        for row in element.iter(_ROW):
            cells = []
            for cell in row:
                if cell.tag == _COVERED:
                    cells.append(" ")
                elif cell.tag == _CELL:
                    texts = [p.text for p in self.blocks(cell, contents, ()) if p.text.strip()]
                    cells.append(" ".join(texts) or " ")
            if any(cell.strip() for cell in cells):
                yield DocxParagraph("\t".join(cells), None, contents)

    def inline(self, element: Any, boxes: list[DocxParagraph]) -> str:
        """A paragraph's text: spans, links and fields' shown text; `text:s` as its spaces,
        tabs, line breaks; a footnote as its `[^n]` mark."""
        parts = [element.text or ""]
        for child in element:
            tag = child.tag
            if isinstance(tag, str) and tag not in _HIDDEN and tag != _RUBY_TEXT:
                parts.append(self.inline_element(child, boxes))
            parts.append(child.tail or "")
        return "".join(parts)

    def inline_element(self, child: Any, boxes: list[DocxParagraph]) -> str:
        tag = child.tag
        if tag == _SPACE:
            count = child.get(_q("text:c"))
            return " " * (int(count) if count and count.isdigit() else 1)
        if tag == _TAB:
            return "\t"
        if tag == _BREAK:
            return "\n"
        if tag == _NOTE:
            body = child.find(_NOTE_BODY)
            text = (
                "\n".join(p.text for p in self.blocks(body, False, ())) if body is not None else ""
            )
            self.notes.append(text.strip())
            return f"[^{len(self.notes)}]"
        if tag == _FRAME:
            for box in child.iter(_TEXT_BOX):
                boxes.extend(p for p in self.blocks(box, False, ()) if p.text.strip())
            return ""
        return self.inline(child, boxes)


class _ListStyles:
    """The number format of each list style's levels, from content.xml's automatic styles
    and styles.xml's named ones: prefix, format (1, a, A, i, I, 一…), suffix, how many upper
    levels the label shows, and the first number."""

    def __init__(self, content: Any, styles: Any) -> None:
        self.levels: dict[tuple[str, int], tuple[str, str, str, int]] = {}
        for root in (styles, content):
            if root is None:
                continue
            for style in root.iter(_q("text:list-style"), _q("text:outline-style")):
                name = style.get(_q("style:name")) or ""
                if style.tag == _q("text:outline-style"):
                    name = _OUTLINE
                for level in style:
                    depth = level.get(_q("text:level"))
                    if not depth or not depth.isdigit():
                        continue
                    if level.tag in _NUMBERED_LEVELS:
                        shown = level.get(_q("text:display-levels")) or "1"
                        self.levels[(name, int(depth))] = (
                            level.get(_q("style:num-prefix")) or "",
                            level.get(_q("style:num-format")) or "",
                            level.get(_q("style:num-suffix")) or "",
                            int(shown) if shown.isdigit() else 1,
                        )
                    elif level.tag == _q("text:list-level-style-bullet"):
                        self.levels[(name, int(depth))] = ("", "", "", 0)

    def label(self, style: str, depth: int, counts: list[int]) -> str:
        """The label the word processor draws before an item; none for a bullet or an
        unnumbered level (a bullet is not the speech's text)."""
        found = self.levels.get((style, depth))
        if found is None:
            return ""
        prefix, form, suffix, shown = found
        if not form:
            return ""
        numbers = [
            _formatted(count, self.levels.get((style, d), ("", form, "", 1))[1] or form)
            for d, count in zip(range(depth - shown + 1, depth + 1), counts[-shown:], strict=True)
        ]
        return f"{prefix}{'.'.join(numbers)}{suffix}"


# ODF's num-format values (LibreOffice writes the Chinese ones as the list's first numbers)
# as Word's number formats, which docx.format_number renders.
_FORMATS = {
    "1": "decimal",
    "a": "lowerLetter",
    "A": "upperLetter",
    "i": "lowerRoman",
    "I": "upperRoman",
    "一": "chineseCounting",
    "壹": "chineseLegalSimplified",
    "①": "decimalEnclosedCircle",
    "１": "decimalFullWidth",
    "甲": "ideographTraditional",
    "子": "ideographZodiac",
}


def _formatted(number: int, form: str) -> str:
    """`number` in an ODF num-format (1, a, A, i, I, or a list's first numbers: 一, 二, …)."""
    return format_number(number, _FORMATS.get(form[:1], "decimal"))
