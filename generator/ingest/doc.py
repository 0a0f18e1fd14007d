"""The text of a Word 97–2003 file (`.doc`), and of a WPS Office `.wps`, which is written in the
same binary format: read with olefile and the format's piece table (MS-DOC, 2.4.1).

Government offices keep years of speeches as .doc and .wps; asking an editor to open and save
each one again as .docx is the step that loses an archive. The text of a binary Word file is
kept in pieces, in UTF-16 or in one byte a character, in the `WordDocument` stream, and the
table stream's piece table (the Clx) says where each piece is and which characters of the
document it holds. The main document comes first (its length is the FIB's ccpText); the other
stories follow it. Footnotes and endnotes are kept as notes, `[^n]` where Word shows their
numbers; headers and comments are left out. Text boxes (a title WPS floats above the
text, a note set in a frame) are read from their own story and put before the paragraph their
shape is anchored in, as the .docx reader puts them. In the text, 0x0D ends a paragraph, 0x0B is
a line break, 0x07 ends a table cell and a field's code (between 0x13 and 0x14) is left out
while its result (between 0x14 and 0x15) is kept, as Word shows it.
"""

from __future__ import annotations

import io
import struct
from dataclasses import dataclass
from pathlib import Path

from generator.errors import UserError

_RESAVE = "open it in Word or WPS and save it as .docx"
_FIB_MAGIC = 0xA5EC
_ENCRYPTED, _WHICH_TABLE = 0x0100, 0x0200  # FibBase flags
_CLX_INDEX = 33  # fcClx/lcbClx: the 34th pair of FibRgFcLcb97
_SPA_INDEX = 40  # fcPlcSpaMom: the main document's shapes and where each is anchored
_TXBX_INDEX = 56  # fcPlcftxbxTxt: where each text box's text is in the text box story
_STORIES = 8  # FibRgLw97's ccpText … ccpHdrTxbx: the lengths of the document's stories
_COMPRESSED = 0x40000000  # a piece's fc: its text is one byte a character (cp1252)
_FIELD_START, _FIELD_SEPARATOR, _FIELD_END = "\x13", "\x14", "\x15"
# Characters with a meaning in the text stream: line ends, or marks that stand for no text
# (a picture's anchor, a footnote's reference, a comment's) and an optional hyphen.
_TRANSLATION = {
    0x0D: "\n",
    0x0B: "\n",
    0x0C: "\n",
    0x07: "\t",
    0x1E: "-",
    0x1F: None,
    0x01: None,
    0x02: None,
    0x03: None,
    0x04: None,
    0x05: None,
    0x08: None,
    0xA0: " ",
}


def read_doc(raw: bytes, path: Path) -> tuple[list[str], list[str]]:
    """The main document's paragraphs, as Word shows them (a table's cells joined by tabs),
    and the texts of its footnotes and endnotes: note n is the n-th referred to (footnotes and
    endnotes in one sequence, as the .docx reader numbers them), its mark `[^n]` in the text
    where Word shows its number."""
    import olefile

    try:
        ole = olefile.OleFileIO(io.BytesIO(raw))
    except (OSError, ValueError) as exc:
        raise UserError(f"cannot read the Word file ({exc})", path, hint=_RESAVE) from None
    with ole:
        if not ole.exists("WordDocument"):
            what = "an Office file that is no Word document (Excel, PowerPoint?)"
            raise UserError(what, path, hint="copy the speech's text into a .txt file")
        document = ole.openstream("WordDocument").read()
        flags = _flags(document, path)
        table = "1Table" if flags & _WHICH_TABLE else "0Table"
        if not ole.exists(table):
            raise UserError("damaged Word file: its table stream is missing", path, hint=_RESAVE)
        text, notes = _main_text(document, ole.openstream(table).read(), path)
    return _paragraphs(_without_field_codes(text)), notes


def _flags(document: bytes, path: Path) -> int:
    if len(document) < 0x20 or struct.unpack_from("<H", document)[0] != _FIB_MAGIC:
        raise UserError("damaged Word file: no document header", path, hint=_RESAVE)
    flags: int = struct.unpack_from("<H", document, 0x0A)[0]
    if flags & _ENCRYPTED:
        raise UserError("the Word file is locked with a password", path, hint=_RESAVE)
    return flags


def _main_text(document: bytes, table: bytes, path: Path) -> tuple[str, list[str]]:
    """The characters of the main document, piece by piece, its notes' marks and text boxes
    put in; and the notes' texts."""
    try:
        fib = _fib_fields(document)
        fc_clx, lcb_clx = fib.pair(_CLX_INDEX)
        pieces = _pieces(table[fc_clx : fc_clx + lcb_clx])
        text = "".join(_piece_text(document, fc, length) for fc, length in pieces)
        chars = list(text[: fib.stories[0]])  # (one string a character position: edits below
        # keep every later position where it was)
        notes = _notes(fib, table, text, chars)
        _put_boxes(chars, _text_boxes(fib, table, _story(fib, text, 6)))
    except (struct.error, ValueError, IndexError) as exc:
        raise UserError(f"damaged Word file ({exc})", path, hint=_RESAVE) from None
    return "".join(chars), notes


def _story(fib: _Fib, text: str, number: int) -> str:
    """Story `number` of the document (0 main, 1 footnotes, 5 endnotes, 6 text boxes): the
    stories follow one another in the text, in that order."""
    start = sum(fib.stories[:number])
    return text[start : start + fib.stories[number]]


_NOTES = ((2, 3, 1), (46, 47, 5))  # footnotes', endnotes': PlcfxndRef, PlcfxndTxt, story


def _notes(fib: _Fib, table: bytes, text: str, chars: list[str]) -> list[str]:
    """The notes' texts in the order they are referred to; each reference mark in `chars`
    (0x02, Word's automatic number) replaced by `[^n]`."""
    found: list[tuple[int, str]] = []
    for ref_index, text_index, story_number in _NOTES:
        refs, _ = _plc(table, *fib.pair(ref_index), 2)
        bounds, _ = _plc(table, *fib.pair(text_index), 0)
        story = _story(fib, text, story_number)
        for n, cp in enumerate(refs[:-1]):
            if n + 1 < len(bounds) and 0 <= cp < len(chars):
                note = story[max(0, bounds[n]) : max(0, bounds[n + 1])]
                found.append((cp, "\n".join(_paragraphs(_without_field_codes(note))).strip()))
    found.sort()
    for number, (cp, _) in enumerate(found, start=1):  # (Word's mark, 0x02, is replaced)
        chars[cp] = ("" if chars[cp] == "\x02" else chars[cp]) + f"[^{number}]"
    return [note for _, note in found]


@dataclass(frozen=True)
class _Fib:
    """What the reader needs of the FIB: the stories' lengths (ccpText, ccpFtn, ccpHdd, ccpMcr,
    ccpAtn, ccpEdn, ccpTxbx, ccpHdrTxbx), and its (fc, lcb) pairs, each where a structure is in
    the table stream."""

    stories: tuple[int, ...]
    pairs: bytes

    def pair(self, index: int) -> tuple[int, int]:
        if len(self.pairs) < 8 * (index + 1):
            return 0, 0  # (an older or shorter FIB: the structure is not there)
        fc, lcb = struct.unpack_from("<II", self.pairs, 8 * index)
        return fc, lcb


def _fib_fields(document: bytes) -> _Fib:
    """The stories' lengths and the table stream's structures (the FIB's parts have counts, so
    the offsets are worked out, not assumed)."""
    csw = struct.unpack_from("<H", document, 0x20)[0]
    at = 0x22 + 2 * csw
    cslw = struct.unpack_from("<H", document, at)[0]
    stories = struct.unpack_from(f"<{_STORIES}i", document, at + 2 + 3 * 4)
    at += 2 + 4 * cslw
    cb_rg_fc_lcb = struct.unpack_from("<H", document, at)[0]
    if cb_rg_fc_lcb <= _CLX_INDEX:
        raise ValueError("no piece table in the header")
    pairs = document[at + 2 : at + 2 + 8 * cb_rg_fc_lcb]
    return _Fib(tuple(max(0, n) for n in stories), pairs)


def _plc(table: bytes, fc: int, lcb: int, size: int) -> tuple[list[int], list[bytes]]:
    """A PLC: n + 1 character positions, then n data elements of `size` bytes."""
    data = table[fc : fc + lcb]
    count = (len(data) - 4) // (4 + size)
    if count <= 0:
        return [], []
    cps = list(struct.unpack_from(f"<{count + 1}i", data))
    at = 4 * (count + 1)
    return cps, [data[at + size * n : at + size * (n + 1)] for n in range(count)]


def _text_boxes(fib: _Fib, table: bytes, story: str) -> list[tuple[int | None, str]]:
    """Each text box of the main document: where its shape is anchored (a position in the
    main text; None when no shape names it) and its text. A box deleted and kept for reuse
    (FTXBXS.fReusable) has none."""
    cps, boxes = _plc(table, *fib.pair(_TXBX_INDEX), 22)
    if not boxes or not story:
        return []
    anchors: dict[int, int] = {}
    spa_cps, shapes = _plc(table, *fib.pair(_SPA_INDEX), 26)
    for cp, shape in zip(spa_cps, shapes, strict=False):
        anchors.setdefault(struct.unpack_from("<i", shape)[0], cp)
    found = []
    for n, box in enumerate(boxes):
        reusable, lid = struct.unpack_from("<H", box, 8)[0], struct.unpack_from("<i", box, 14)[0]
        text = story[max(0, cps[n]) : max(0, cps[n + 1])]
        if not reusable and text.strip("\r\x07 "):  # (a box's text ends in two marks)
            found.append((anchors.get(lid), text.rstrip("\r") + "\r"))
    return found


def _put_boxes(chars: list[str], boxes: list[tuple[int | None, str]]) -> None:
    """Each text box's paragraphs before the paragraph its shape is anchored in (one no shape
    names, after the text: nothing is lost); `chars`, the main text, one string a position."""
    main = "".join(char[:1] for char in chars)  # (positions as in the file: a mark is one)
    before: dict[int, list[str]] = {}
    for anchor, text in boxes:
        start = len(chars) if anchor is None else main.rfind("\r", 0, min(anchor, len(main))) + 1
        before.setdefault(start, []).append(text)
    for start, texts in before.items():
        if start < len(chars):
            chars[start] = "".join(texts) + chars[start]
        else:
            if chars and not chars[-1].endswith("\r"):
                chars[-1] += "\r"
            chars.append("".join(texts))


def _pieces(clx: bytes) -> list[tuple[int, int]]:
    """(fc, characters) of each piece, in document order: the Clx's Prc entries (formatting)
    skipped, then its Pcdt's PlcPcd — n + 1 character positions, then n 8-byte descriptors."""
    at = 0
    while at < len(clx) and clx[at] == 0x01:
        at += 3 + struct.unpack_from("<h", clx, at + 1)[0]
    if at >= len(clx) or clx[at] != 0x02:
        raise ValueError("no piece table")
    size = struct.unpack_from("<I", clx, at + 1)[0]
    plc = clx[at + 5 : at + 5 + size]
    count = (len(plc) - 4) // 12
    cps = struct.unpack_from(f"<{count + 1}i", plc)
    descriptors = plc[4 * (count + 1) :]
    return [
        (struct.unpack_from("<I", descriptors, 8 * n + 2)[0], cps[n + 1] - cps[n])
        for n in range(count)
    ]


def _piece_text(document: bytes, fc: int, length: int) -> str:
    if fc & _COMPRESSED:
        start = (fc & ~_COMPRESSED) // 2
        return document[start : start + length].decode("cp1252", "replace")
    return document[fc : fc + 2 * length].decode("utf-16-le", "replace")


def _without_field_codes(text: str) -> str:
    """The text with each field's code left out and its result kept (nested fields too):
    `\\x13 PAGE \\x14 3\\x15` is `3`, a hyperlink field its shown text."""
    if _FIELD_START not in text:
        return text
    out: list[str] = []
    in_code: list[bool] = []  # per open field: still in its code part
    for ch in text:
        if ch == _FIELD_START:
            in_code.append(True)
        elif ch == _FIELD_SEPARATOR and in_code:
            in_code[-1] = False
        elif ch == _FIELD_END and in_code:
            in_code.pop()
        elif not any(in_code):
            out.append(ch)
    return "".join(out)


def _paragraphs(text: str) -> list[str]:
    """The lines of the text: a table row's end (its last cell's 0x07, then the row's own)
    ends a line, any other cell's end is a tab."""
    lines = text.replace("\x07\x07", "\x07\n").translate(_TRANSLATION).split("\n")
    return [line.rstrip("\t") for line in lines]
