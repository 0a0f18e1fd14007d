"""Rich Text Format (`.rtf`, written by Word, WPS, WordPad and LibreOffice) → paragraphs as the
page shows them, and the footnotes' texts.

An RTF file is text with control words. Chinese reaches it two ways: as `\\uN` (a UTF-16 code
unit, with a fallback in the document's code page to skip) and as `\\'hh` bytes in the code
page of the font in use (`\\fcharset134`: GBK) or of the document (`\\ansicpg936`). Groups that
are not the speech's text are skipped: the font, colour and style tables, the document's
information, pictures and objects, headers and footers, comments, fields' instructions (their
results stay: a link reads as its words), hidden and deleted text, and every group marked
`\\*` that this reader does not know. A text box's text (a shape's `\\shptxt`) is read apart
and put before the paragraph the shape stands in. A list's number, which Word writes as text in
`\\listtext`, is kept, as it is on the page; a table's row is one line, its cells parted by
tabs, as from a `.docx`; a footnote becomes `[^n]` where its mark stands, its text the note.

(striprtf, the library for this, parts cells with `|`, appends a link's address to its words,
drops footnotes and leaves a character beyond the BMP as two halves: written out, those halves
failed as UTF-8. Hence this reader.)
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from generator.errors import UserError

_TOKEN = re.compile(
    r"\\([a-zA-Z]{1,32})(-?\d{1,10})? ?"  # a control word, its parameter, its delimiting space
    r"|\\'([0-9a-fA-F]{2})"  # a byte in the current code page
    r"|\\([^a-zA-Z])"  # a control symbol: \{ \} \\ \~ \- \_ \* \<newline>
    r"|([{}])"
    r"|[\r\n]+"  # (line breaks in the file are no text)
    r"|([^\\{}\r\n]+)"  # plain text
)

# Destinations that are not the speech's text (a group they open is skipped whole).
# fmt: off
_SKIPPED = frozenset((
    "fonttbl", "colortbl", "stylesheet", "info", "pict", "object", "header", "headerl", "headerr",
    "headerf", "footer", "footerl", "footerr", "footerf", "fldinst", "annotation", "atnid",
    "atnauthor", "atndate", "atnref", "atrfstart", "atrfend", "themedata", "colorschememapping",
    "latentstyles", "datastore", "xmlnstbl", "listtable", "listoverridetable", "rsidtbl",
    "generator", "revtbl", "pgdsctbl", "filetbl", "bkmkstart", "bkmkend", "shpinst", "shprslt",
    "nonshppict", "do", "template", "tc", "txe", "xe", "rxe", "comment", "private", "userprops",
    "docvar", "ftnsep", "ftnsepc", "ftncn", "aftnsep", "aftnsepc", "aftncn", "mmath", "pn",
    "pntxta", "pntxtb",
))
# fmt: on
_TEXT = {
    "tab": "\t",
    "cell": "\t",
    "nestcell": "\t",
    "line": "\n",
    "emdash": "\u2014",
    "endash": "\u2013",
    "emspace": "\u2003",
    "enspace": "\u2002",
    "qmspace": "\u2005",
    "bullet": "\u2022",
    "lquote": "\u2018",
    "rquote": "\u2019",
    "ldblquote": "\u201c",
    "rdblquote": "\u201d",
}
_BREAKS = frozenset({"par", "row", "nestrow", "page", "sect"})  # a paragraph ends
_SYMBOLS = {"~": "\u00a0", "_": "\u2011", "-": "", "{": "{", "}": "}", "\\": "\\"}
# \fcharset → code page (Windows' font character sets). ANSI (0) and DEFAULT (1) are the
# document's own code page (\ansicpg): on a Chinese system Word marks SimSun ANSI and writes
# its characters as GBK bytes.
_DOCUMENT_PAGE = 0
_CHARSETS = {
    0: _DOCUMENT_PAGE, 1: _DOCUMENT_PAGE, 2: 1252, 77: 10000, 128: 932, 129: 949, 130: 1361, 134: 936, 136: 950,
    161: 1253, 162: 1254, 163: 1258, 177: 1255, 178: 1256, 186: 1257, 204: 1251,
    222: 874, 238: 1250, 254: 437, 255: 850,
}  # fmt: skip
_RESAVE_HINT = "open it in Word or WPS and save it again, or save it as .docx"


@dataclass(frozen=True)
class _State:
    """What a group inherits and may change: whether its text is shown, the bytes to skip
    after a \\uN, the font in use, and whether this is the font table or a footnote."""

    skip: bool = False
    uc: int = 1
    font: str = ""
    hidden: bool = False
    in_fonts: bool = False
    note: int = 0  # the footnote (1, 2, …) whose text this group is, 0 in the body
    box: int = 0  # the text box (1, 2, …) whose text this group is (a shape's \shptxt)


@dataclass
class _Reader:
    path: Path
    codepage: int = 1252
    fonts: dict[str, int] = field(default_factory=dict)
    body: list[str] = field(default_factory=list)
    notes: list[list[str]] = field(default_factory=list)
    boxes: list[list[str]] = field(default_factory=list)
    pending: bytearray = field(default_factory=bytearray)  # \'hh bytes not decoded yet
    pending_page: int = 1252
    font_number: str = ""  # the font table entry being read
    skip_bytes: int = 0  # fallback bytes of the last \uN still to skip
    replaced: int = 0

    def out(self, state: _State) -> list[str]:
        if state.box:
            return self.boxes[state.box - 1]
        return self.notes[state.note - 1] if state.note else self.body

    def put_box(self, number: int) -> None:
        """A text box's paragraphs, before the paragraph its shape stands in (as the .doc and
        .docx readers put them): a title floated in a box was lost."""
        text = "".join(self.boxes[number - 1]).strip("\f")
        if not text.strip():
            return
        for at in range(len(self.body) - 1, -1, -1):
            if "\f" in self.body[at]:
                head, _, tail = self.body[at].rpartition("\f")
                self.body[at : at + 1] = [head + "\f", text + "\f", tail]
                return
        self.body.insert(0, text + "\f")

    def emit(self, state: _State, text: str) -> None:
        self.flush(state)
        if not (state.skip or state.hidden or state.in_fonts):
            self.out(state).append(text)

    def byte(self, state: _State, value: int) -> None:
        if self.skip_bytes:
            self.skip_bytes -= 1
            return
        if state.skip or state.hidden or state.in_fonts:
            return
        page = self.fonts.get(state.font, _DOCUMENT_PAGE) or self.codepage
        if self.pending and page != self.pending_page:
            self.flush(state)
        self.pending.append(value)
        self.pending_page = page

    def flush(self, state: _State) -> None:
        if not self.pending:
            return
        try:
            codec = codecs.lookup(f"cp{self.pending_page}").name
        except LookupError:
            codec = "cp1252"
        data = bytes(self.pending)
        text = data.decode(codec, errors="replace")
        if "\ufffd" in text and self.pending_page != self.codepage:
            # (double-byte text in a Western font: Word marks it \dbch, in the document's page)
            text = _decoded(data, self.codepage, text)
        self.replaced += text.count("\ufffd")
        self.pending.clear()
        if not (state.skip or state.hidden or state.in_fonts):
            self.out(state).append(text)


def read_rtf(raw: bytes, path: Path) -> tuple[list[str], list[str]]:
    """The paragraphs of an RTF document, in order, and its footnotes' texts."""
    if not raw.lstrip().startswith(b"{\\rtf"):
        raise UserError("not an RTF file (it does not start with {\\rtf)", path, hint=_RESAVE_HINT)
    text = raw.decode("latin-1")  # (one character a byte: \bin data and \'hh stay bytes)
    reader = _Reader(path)
    _read(text, reader)
    if reader.replaced:
        raise UserError(
            f"{reader.replaced} characters of the RTF file are not valid in its code page"
            f" (cp{reader.codepage})",
            path,
            hint=_RESAVE_HINT,
        )
    paragraphs = _combined("".join(reader.body)).split("\f")
    notes = [_combined("".join(note)).replace("\f", "\n").strip() for note in reader.notes]
    return [p.rstrip("\t") if "\t" in p else p for p in paragraphs], notes


def _read(text: str, reader: _Reader) -> None:
    stack: list[_State] = []
    state = _State()
    first_in_group = False  # the next control word is a group's first (its destination)
    starred = False
    at = 0
    while at < len(text):
        match = _TOKEN.match(text, at)
        if match is None:  # (a lone backslash at the very end)
            break
        at = match.end()
        word, arg, hexbyte, symbol, brace, plain = match.groups()
        if brace == "{":
            reader.flush(state)
            stack.append(state)
            first_in_group, starred = True, False
            continue
        if brace == "}":
            reader.flush(state)
            if state.in_fonts and reader.font_number:
                reader.font_number = ""
            if not stack:
                break  # the document's group has ended: what follows is no part of it
            closed, state = state, stack.pop()
            if closed.box and closed.box != state.box:
                reader.put_box(closed.box)
            reader.skip_bytes = 0
            continue
        if symbol is not None:
            if symbol == "*":
                starred = True
                continue
            if symbol in _SYMBOLS:
                reader.emit(state, _SYMBOLS[symbol])
            elif symbol in "\r\n":
                reader.emit(state, "\f")  # (a backslash before a line break is \par)
            first_in_group = False
            continue
        if hexbyte is not None:
            reader.byte(state, int(hexbyte, 16))
            first_in_group = False
            continue
        if plain is not None:
            if reader.skip_bytes:
                cut = min(reader.skip_bytes, len(plain))
                reader.skip_bytes -= cut
                plain = plain[cut:]
            if state.in_fonts:
                continue
            if plain:
                reader.emit(state, plain)
            first_in_group = False
            continue
        if word is None:
            continue
        state, at = _control(reader, state, word, arg, first_in_group, starred, match.end())
        first_in_group, starred = False, False
    reader.flush(state)


def _control(
    reader: _Reader,
    state: _State,
    word: str,
    arg: str | None,
    first: bool,
    starred: bool,
    end: int,
) -> tuple[_State, int]:
    """Apply one control word; return the state after it and where reading goes on (past
    \\bin's data)."""
    number = int(arg) if arg is not None else None
    if word == "footnote" and first and not state.skip:  # (a writer may mark it \*, too)
        reader.notes.append([])
        reader.emit(state, f"[^{len(reader.notes)}]")
        return replace(state, note=len(reader.notes)), end
    if word == "shptxt" and first and not state.note and not state.box:
        # A shape's text (a text box), inside the shape's instructions, skipped otherwise:
        # read apart, and put before its paragraph when its group ends (_Reader.put_box).
        reader.boxes.append([])
        return replace(state, skip=False, box=len(reader.boxes)), end
    if first and (word in _SKIPPED or starred) and word != "fonttbl":
        return replace(state, skip=True), end
    if word == "bin" and number:
        return state, end + number
    if word == "fonttbl":
        return replace(state, in_fonts=True), end
    if state.in_fonts:
        if word == "f" and arg is not None:
            reader.font_number = arg
        elif word == "fcharset" and number is not None and reader.font_number:
            reader.fonts.setdefault(reader.font_number, _CHARSETS.get(number, _DOCUMENT_PAGE))
        elif word == "cpg" and number and reader.font_number:
            reader.fonts[reader.font_number] = number
        return state, end
    if word == "ansicpg" and number:
        reader.codepage = number
    elif word == "f" and arg is not None:
        reader.flush(state)
        return replace(state, font=arg), end
    elif word == "uc" and number is not None:
        return replace(state, uc=max(0, number)), end
    elif word == "u" and number is not None:
        reader.emit(state, chr(number + 0x10000 if number < 0 else number))
        reader.skip_bytes = state.uc
    elif word in ("v", "deleted"):
        reader.flush(state)
        return replace(state, hidden=number != 0), end
    elif word in _TEXT:
        reader.emit(state, _TEXT[word])
    elif word in _BREAKS:
        reader.emit(state, "\f")
    return state, end


def _decoded(data: bytes, page: int, otherwise: str) -> str:
    """`data` in code page `page`, when every byte of it is a character there."""
    try:
        return data.decode(codecs.lookup(f"cp{page}").name)
    except (LookupError, UnicodeDecodeError):
        return otherwise


def _combined(text: str) -> str:
    """UTF-16 halves that \\uN wrote one at a time, as the characters they make."""
    if not any("\ud800" <= ch <= "\udfff" for ch in text):
        return text
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
