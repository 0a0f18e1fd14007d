"""Raw speech files → numbered lines of text, whatever encoding or format they arrived in.

Speeches reach us as `.txt` files saved by many different editors over two decades (UTF-8, UTF-16
from Notepad, GB2312/GBK/GB18030 from older Chinese Windows, the odd Big5 file from Taiwan or Hong
Kong) and as Word `.docx` files. The encoding is inferred from the bytes alone, because file names
and system locales say nothing reliable about it. Every line keeps the number it has in the
original file so later stages can point the user at the exact place of a problem.

Nothing is cleaned here (the cleaner owns that); this layer only decodes and splits.
"""

from __future__ import annotations

import codecs
import functools
import hashlib
import itertools
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from charset_normalizer.md import mess_ratio

from generator.errors import UserError
from generator.ingest.doc import read_doc
from generator.ingest.docx import DocxText, read_docx
from generator.ingest.htmltext import html_lines, is_html_document
from generator.ingest.mhtml import mhtml_page
from generator.ingest.odt import read_odt
from generator.ingest.pdf import read_pdf
from generator.ingest.rtf import read_rtf
from generator.ingest.script import to_simplified
from generator.text import count_han, is_han

MARKDOWN_SUFFIXES = frozenset({".md", ".markdown"})
_HTML_SUFFIXES = frozenset({".html", ".htm"})
_MHT_SUFFIXES = frozenset({".mht", ".mhtml"})  # a web page saved as one file
_DOCX_SUFFIX = ".docx"
_PDF_SUFFIX = ".pdf"
_ODT_SUFFIX = ".odt"
_RTF_SUFFIX = ".rtf"
_DOC_SUFFIXES = {".doc": "Word 97–2003", ".wps": "WPS"}  # one binary format
# What read_source reads: ingest's filter of the raw folder too.
SUPPORTED = (
    frozenset({".txt", _DOCX_SUFFIX, _PDF_SUFFIX, _ODT_SUFFIX, _RTF_SUFFIX, *_DOC_SUFFIXES})
    | MARKDOWN_SUFFIXES
    | _HTML_SUFFIXES
    | _MHT_SUFFIXES
)
_SUPPORTED_HINT = (
    "supported: .txt (plain text), .md (Markdown), .docx, .doc and .wps (Word, WPS), .odt"
    " (OpenDocument), .rtf, .pdf, and .html or .mht (a saved web page)"
)
_SAVE_AS_HINT = "save the file as UTF-8 or GB18030"

# Line breaks: CRLF first so it counts as one break; U+2028/U+2029 appear in text pasted from web
# pages and Word exports and are breaks to every reader.
_LINE_BREAK = re.compile(r"\r\n|\r|\n|\u2028|\u2029")

# UTF-32 before UTF-16: the UTF-32-LE BOM begins with the UTF-16-LE one.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Formats people drop into the speeches folder by mistake; naming them beats "undecodable byte".
_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"%PDF-", "a PDF document (give it the .pdf extension)"),
    (b"PK\x03\x04", "a ZIP archive (a .docx saved under another extension?)"),
    (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        "an old-style Word .doc (OLE) file (give it the .doc extension)",
    ),
    (b"{\\rtf", "an RTF document"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
)

# Narrowest first, so the report names the encoding the file was most likely saved in.
_GB_FAMILY = ("gb2312", "gbk", "gb18030")

# Controls that legitimately occur in text files (tab, form feed from page breaks, DOS Ctrl-Z).
_TEXT_CONTROLS = frozenset("\t\n\r\f\v\x1a")

# Punctuation of running Chinese text in both scripts; counted as "common" when scoring.
_COMMON_PUNCTUATION = frozenset("，。、；：？！「」『』“”‘’（）《》〈〉【】—…·　")


@dataclass(frozen=True)
class SourceLine:
    """One physical line of a text file, or one paragraph of a Word file."""

    text: str
    line: int
    heading_level: int | None = None


@dataclass(frozen=True)
class SourceText:
    """A decoded source file, with what the report needs to say how it was read."""

    lines: tuple[SourceLine, ...]
    encoding: str
    sha256: str
    hidden: tuple[SourceLine, ...] = ()  # text not read as the speech's, reported as removed
    hidden_reason: str = "web page text not shown"  # (a page's head, scripts; a Word TOC)
    notes: tuple[str, ...] = ()  # a Word file's footnotes and endnotes: [^n] in the text
    menus: tuple[SourceLine, ...] = ()  # a web page's lines of menu links, reported as removed


def read_source(path: Path) -> SourceText:
    """Read a `.txt`, `.md`, `.docx`, `.doc`, `.wps`, `.odt`, `.rtf`, `.pdf`, `.html` or `.mht`
    speech (a .txt holding a page's source is read as the page); every problem surfaces as a
    `UserError`."""
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        raise _unsupported_suffix(path, suffix)
    raw = _read_bytes(path)
    digest = hashlib.sha256(raw).hexdigest()
    if not raw:
        raise UserError("file is empty", path, hint="nothing to import")
    if suffix == _DOCX_SUFFIX:
        return _word_source(read_docx(raw, path), path, digest, "docx")
    if suffix == _ODT_SUFFIX:
        return _word_source(read_odt(raw, path), path, digest, "OpenDocument")
    if suffix == _RTF_SUFFIX:
        return _rtf_source(raw, path, digest)
    if suffix == _PDF_SUFFIX:
        return _pdf_source(raw, path, digest)
    if suffix in _DOC_SUFFIXES:
        return _doc_source(raw, path, digest, _DOC_SUFFIXES[suffix])
    if suffix in _MHT_SUFFIXES:
        page, charset = mhtml_page(raw, path)
        text, encoding = _decode_text(page, path, charset)
        return _html_source(text, f"{encoding}, web archive", digest, path)
    text, encoding = _decode_text(raw, path)
    if suffix in _HTML_SUFFIXES or is_html_document(text):
        return _html_source(text, f"{encoding}, HTML page", digest, path)
    return SourceText(_split_lines(text), encoding, digest)


def _html_source(text: str, encoding: str, digest: str, path: Path) -> SourceText:
    """A web page's shown text as lines; its head, scripts and menus set aside."""
    shown, hidden, menus = html_lines(text)
    if not shown:
        raise UserError("web page contains no text", path, hint="nothing to import")
    return SourceText(
        tuple(SourceLine(line, number) for line, number in shown),
        encoding,
        digest,
        tuple(SourceLine(line, number) for line, number in hidden),
        menus=tuple(SourceLine(line, number) for line, number in menus),
    )


# A declared charset's superset, as browsers read it (a page declared gb2312 uses GBK's
# characters, and Big5 pages Microsoft's additions).
_SUPERSETS = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "big5": "cp950"}


def _declared(raw: bytes, charset: str | None) -> tuple[str, str] | None:
    """Bytes in the charset their MIME part declares; None where it declares none, names none
    Python knows, or the bytes are not in it (a declaration can be wrong): they are then read
    as any file's are."""
    if not charset:
        return None
    try:
        codec = codecs.lookup(_SUPERSETS.get(charset.lower(), charset)).name
    except LookupError:
        return None
    text = _strict(raw, codec)
    return None if text is None else (text, codec)


def _repair_mojibake(text: str, encoding: str) -> tuple[str, str]:
    """Text that was UTF-8 once and went through Windows-1252 or Latin-1 on its way here
    (Ã¤Â¸Â­ for 中), repaired by ftfy: only when the repair gives more Chinese and loses no
    character (a copy that already lost bytes, shown as ?, stays as it is). The encoding the
    report shows says so."""
    import ftfy
    import ftfy.badness

    if not ftfy.badness.is_bad(text):
        return text, encoding
    fixed = ftfy.fix_encoding(text)
    if fixed.count("\ufffd") > text.count("\ufffd") or count_han(fixed) <= count_han(text):
        return text, encoding
    return fixed, f"{encoding}, mojibake repaired"


_GARBLED_SHARE = 0.5  # Chinese text has nine in ten everyday characters; this mojibake a third
_REPAIRED_SHARE = 0.9
_LEAST_GARBLE = 20  # non-ASCII characters needed to judge


def _repair_gbk_mojibake(text: str, encoding: str, path: Path) -> tuple[str, str]:
    """Text that was UTF-8, was read as GBK and saved again (鍦ㄥ叏甯… for 在全市…): its
    characters are rare ones where Chinese text has everyday ones. Encoded back to GBK bytes
    and read as UTF-8 it is Chinese again: repaired when nothing was lost; when the wrong
    reading replaced bytes it could not read (�), the words around them are gone, and the file
    is refused rather than published garbled (ftfy, in _repair_mojibake, knows only the
    Windows-1252 kind)."""
    if sum(1 for ch in text if ord(ch) > 0x7F) < _LEAST_GARBLE:
        return text, encoding
    if _common_share(text) >= _GARBLED_SHARE:
        return text, encoding
    try:
        repaired = text.encode("gbk").decode("utf-8")
    except UnicodeError:
        repaired = None
    if repaired is not None and _common_share(repaired) >= _REPAIRED_SHARE:
        return repaired, f"{encoding}, mojibake repaired (UTF-8 read as GBK)"
    pieces = b"?".join(piece.encode("gb18030") for piece in text.split("\ufffd"))
    lossy = pieces.decode("utf-8", errors="replace").replace("\ufffd", "")
    if _common_share(lossy) >= _REPAIRED_SHARE:
        raise UserError(
            f"garbled text: UTF-8 that was read as GBK and saved again, with characters lost "
            f"({text.strip()[:12]}… was {lossy.strip()[:12]}…)",
            path,
            1,
            "find the original file, or copy the text again from its source",
        )
    return text, encoding


def _decode_text(raw: bytes, path: Path, charset: str | None = None) -> tuple[str, str]:
    """Decode a text file's bytes, returning the text (leading BOM dropped) and the encoding;
    in `charset` (a web archive's part declares one) where the bytes are in it."""
    if not raw:
        raise UserError("file is empty", path, hint="nothing to import")
    _reject_known_binary(raw, path)
    text, encoding = _declared(raw, charset) or _decode(raw, path)
    text = text.removeprefix("\ufeff")
    text, encoding = _repair_mojibake(text, encoding)
    text, encoding = _repair_gbk_mojibake(text, encoding, path)
    # A few stray controls in a short speech are a copy's leftovers (dropped by the cleaner, as
    # in a long one); many, or a tenth of the text, a binary file.
    controls = len(_STRAY_CONTROL.findall(text))
    if controls > 0.01 * len(text) and (controls > _STRAY_NULS or controls > 0.1 * len(text)):
        first = _STRAY_CONTROL.search(text)
        line = len(_LINE_BREAK.split(text[: first.start()])) if first else None
        raise UserError(
            "file looks binary (control characters), not plain text",
            path,
            line,
            "check that it is a text file; " + _SAVE_AS_HINT,
        )
    if not text.replace("\ufeff", "").strip():
        raise UserError("file contains only whitespace", path, hint="nothing to import")
    return with_unified_han(text, encoding)


def with_unified_han(text: str, encoding: str) -> tuple[str, str]:
    """The text with the radicals and compatibility ideographs a PDF's fonts give for common
    characters (⼀、⼯作、⼤⼒: Kangxi radicals; 﨑, 﨟) as the characters they stand for, the
    encoding's name saying how many: they look the same, but an outline's ⼀、 was no label,
    a search for 工作 missed ⼯作, and 在全县⼯作会议上 was the occasion."""
    unified, changed = unified_han(text)
    return unified, _with_count(encoding, changed)


def unified_han(text: str) -> tuple[str, int]:
    """`text` with its radical forms as characters, and how many there were."""
    unified = text.translate(_unified_table())
    if unified == text:
        return text, 0
    return unified, sum(1 for a, b in zip(text, unified, strict=True) if a != b)


def _with_count(encoding: str, changed: int) -> str:
    if not changed:
        return encoding
    return f"{encoding}, {changed} radical form{'s' if changed > 1 else ''} read as characters"


@functools.cache
def _unified_table() -> dict[int, str]:
    """Kangxi radicals, CJK radicals supplement and compatibility ideographs → the unified
    ideograph NFKC gives each (those it gives none, or no ideograph, stay)."""
    blocks = (range(0x2E80, 0x2FE0), range(0xF900, 0xFB00), range(0x2F800, 0x2FA20))
    table = {}
    for code in (code for block in blocks for code in block):
        folded = unicodedata.normalize("NFKC", chr(code))
        if folded != chr(code) and len(folded) == 1 and is_han(folded):
            table[code] = folded
    return table


def _split_lines(text: str) -> tuple[SourceLine, ...]:
    """Split on every kind of line break, numbering lines from 1 as an editor would."""
    parts = _LINE_BREAK.split(text)
    if len(parts) > 1 and parts[-1] == "":
        parts.pop()  # a final line break ends the last line; it does not start a new one
    return tuple(SourceLine(part, number) for number, part in enumerate(parts, start=1))


def _word_source(document: DocxText, path: Path, digest: str, kind: str) -> SourceText:
    """A Word or OpenDocument file's paragraphs, numbered as lines (the lines a soft break
    makes share their paragraph's number, and its heading level is the first one's); a table
    of contents is set aside, to be reported as removed."""
    paragraphs = document.paragraphs
    unified = [unified_han(p.text) for p in paragraphs]
    encoding = _with_count(kind, sum(changed for _, changed in unified))
    lines = [
        (SourceLine(text, number, p.heading_level if index == 0 else None), p.contents)
        for number, (p, (whole, _)) in enumerate(zip(paragraphs, unified, strict=True), start=1)
        for index, text in enumerate(whole.split("\n"))
    ]
    shown = tuple(line for line, contents in lines if not contents)
    if not any(line.text.strip() for line in shown):
        raise UserError("Word document contains no text", path, hint="nothing to import")
    contents = tuple(line for line, contents in lines if contents and line.text.strip())
    notes = tuple(document.notes)
    return SourceText(shown, encoding, digest, contents, "table of contents", notes)


def _pdf_source(raw: bytes, path: Path, digest: str) -> SourceText:
    """A PDF's paragraphs, numbered as lines; its page numbers, running heads and diagonal
    watermarks set aside, to be reported as removed."""
    document = read_pdf(raw, path)
    lines, changed = _numbered(document.paragraphs)
    pages = f"PDF, {document.pages} page{'s' if document.pages != 1 else ''}"
    furniture = tuple(SourceLine(text, n) for n, text in document.furniture)
    reason = "PDF page number, running head or watermark"
    return SourceText(lines, _with_count(pages, changed), digest, furniture, reason)


def _rtf_source(raw: bytes, path: Path, digest: str) -> SourceText:
    """An RTF file's paragraphs, numbered as lines, and its footnotes."""
    paragraphs, notes = read_rtf(raw, path)
    lines, changed = _numbered(paragraphs)
    if not any(line.text.strip() for line in lines):
        raise UserError("RTF document contains no text", path, hint="nothing to import")
    return SourceText(lines, _with_count("RTF", changed), digest, notes=tuple(notes))


def _doc_source(raw: bytes, path: Path, digest: str, kind: str) -> SourceText:
    """A Word 97–2003 or WPS file's paragraphs, numbered as lines, and its notes."""
    paragraphs, notes = read_doc(raw, path)
    lines, changed = _numbered(paragraphs)
    if not any(line.text.strip() for line in lines):
        raise UserError("Word document contains no text", path, hint="nothing to import")
    return SourceText(lines, _with_count(kind, changed), digest, notes=tuple(notes))


def _numbered(paragraphs: list[str]) -> tuple[tuple[SourceLine, ...], int]:
    """Paragraphs as lines numbered from 1, their radical forms read as the characters they
    stand for; and how many there were."""
    unified = [unified_han(text) for text in paragraphs]
    lines = tuple(SourceLine(text, n) for n, (text, _) in enumerate(unified, start=1))
    return lines, sum(changed for _, changed in unified)


def _unsupported_suffix(path: Path, suffix: str) -> UserError:
    what = f"unsupported file type '{suffix}'" if suffix else "file has no extension"
    return UserError(what, path, hint=_SUPPORTED_HINT)


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise UserError("file not found", path) from None
    except IsADirectoryError:
        raise UserError("is a directory, not a file", path) from None
    except OSError as exc:
        raise UserError(f"cannot read file: {exc.strerror or exc}", path) from None


def _reject_known_binary(raw: bytes, path: Path) -> None:
    for signature, what in _SIGNATURES:
        if raw.startswith(signature):
            hint = (
                "Word documents must have the .docx extension and PDFs .pdf; other text must be"
                " plain .txt"
            )
            raise UserError(f"file is {what}, not plain text", path, hint=hint)


def _decode(raw: bytes, path: Path) -> tuple[str, str]:
    """Try the encodings in order of how unambiguous their evidence is."""
    bom = _decode_with_bom(raw, path)
    if bom is not None:
        return bom
    utf32 = _decode_utf32_without_bom(raw)
    if utf32 is not None:
        return utf32
    utf16 = _decode_utf16_without_bom(raw)
    if utf16 is not None:
        return utf16
    if b"\x00" in raw:
        return _without_stray_nuls(raw, path)
    hz = _decode_hz(raw)
    if hz is not None:
        return hz
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    windows = _decode_utf8_with_windows_bytes(raw)
    if windows is not None:
        return windows
    legacy = _decode_legacy_chinese(raw)
    if legacy is not None and _reads_as_chinese(legacy[0]):
        return legacy
    other = _decode_japanese_or_korean(raw) or _decode_cyrillic(raw)
    if other is not None:
        return other
    if legacy is not None:
        raise _not_chinese(legacy[0], path)
    utf16 = _decode_chinese_utf16_without_bom(raw)  # CJK-only UTF-16 may hold no NUL at all
    if utf16 is not None:
        return utf16
    mixed = _decode_mixed_lines(raw)
    if mixed is not None:
        return mixed
    raise _undecodable(raw, path)


def _decode_utf32_without_bom(raw: bytes) -> tuple[str, str] | None:
    """UTF-32 without a BOM, known by its units: every character four bytes, the top one NUL
    and the next at most 0x10 (Unicode ends at U+10FFFF). Its NULs, three in four bytes for
    ASCII and two for Chinese, had the file refused as binary."""
    if len(raw) < 8 or len(raw) % 4:
        return None
    for encoding, top, plane in (("utf-32-be", 0, 1), ("utf-32-le", 3, 2)):
        if raw[top::4].count(0) != len(raw) // 4 or max(raw[plane::4]) > 0x10:
            continue
        text = _strict(raw, encoding)
        if text is not None and _looks_like_text(text) and _mostly_han_or_ascii(text):
            return text, encoding
    return None


_WINDOWS_BYTES_PER_CHARACTER = 1 / 8  # of the UTF-8 characters beyond ASCII, at most


def _decode_utf8_with_windows_bytes(raw: bytes) -> tuple[str, str] | None:
    """UTF-8 with a few single bytes of Windows-1252 in it (“smart quotes”, a dash, …, a
    no-break space that a Western editor or a paste put in), each read as the character it is
    there: the whole speech was refused over two quotes. Only where each such byte stands
    alone among valid UTF-8 and they are few beside the UTF-8 characters: a GB file read so
    has its pairs' bytes side by side, and is read as GB."""
    escaped = raw.decode("utf-8", errors="surrogateescape")  # (each bad byte: U+DC80 + byte)
    strays = [ord(found.group(0)) - 0xDC00 for found in _ESCAPED_BYTE_RE.finditer(escaped)]
    if _ESCAPED_PAIR_RE.search(escaped):
        return None  # (a sequence cut short, or two such bytes together: no stray byte)
    chars = {byte: _strict(bytes((byte,)), "cp1252") for byte in set(strays)}
    if None in chars.values():
        return None
    text = _ESCAPED_BYTE_RE.sub(lambda found: chars[ord(found.group(0)) - 0xDC00] or "", escaped)
    wide = sum(1 for char in escaped if ord(char) > 0x7F) - len(strays)
    if len(strays) > wide * _WINDOWS_BYTES_PER_CHARACTER:
        return None
    if not (_looks_like_text(text) and _mostly_han_or_ascii(text)):
        return None
    quotes = all(byte in _WINDOWS_PUNCTUATION for byte in strays)
    return text, f"utf-8, with Windows-1252 {'quotes' if quotes else 'characters'}"


_ESCAPED_BYTE_RE = re.compile("[\udc80-\udcff]")
_ESCAPED_PAIR_RE = re.compile("[\udc80-\udcff]{2}")


def _decode_hz(raw: bytes) -> tuple[str, str] | None:
    """HZ (RFC 1843): GB2312 in 7-bit ASCII between ~{ and ~}, as old mail and Usenet carried
    Chinese. It is valid ASCII, so read as UTF-8 it gave a page of ~{TZ:#@-6{…~}."""
    if not raw.isascii() or b"~{" not in raw or b"~}" not in raw:
        return None
    text = _strict(raw, "hz")
    if text is None or not any("\u4e00" <= char <= "\u9fff" for char in text):
        return None
    return text, "hz"


def _decode_mixed_lines(raw: bytes) -> tuple[str, str] | None:
    """A GB file with lines pasted in from a UTF-8 one (or the reverse): neither encoding reads
    the whole file, but each line reads in one of them. Every line that is valid UTF-8 is read
    so (a line of GBK Chinese is valid UTF-8 only by a rare accident), every other as GB18030,
    when those read as Chinese text."""
    texts: list[str] = []
    gb_lines: list[str] = []
    utf8_lines = 0
    for line in raw.splitlines(keepends=True):
        text = _strict(line, "utf-8")
        if text is None:
            text = _strict(line, "gb18030")
            if text is None:
                return None
            gb_lines.append(text)
        elif not line.isascii():
            utf8_lines += 1
        texts.append(text)
    if not utf8_lines or not gb_lines or not _looks_like_text("".join(gb_lines)):
        return None
    return "".join(texts), "gb18030, with UTF-8 lines"


def _without_stray_nuls(raw: bytes, path: Path) -> tuple[str, str]:
    """Text with a few NUL bytes in it (an editor's padding at the end, a stray one a copy
    left): decoded without them, the encoding's name saying so. Many NULs are a binary file."""
    nuls = raw.count(b"\x00")
    inside = nuls - (len(raw) - len(raw.rstrip(b"\x00")))  # (padding at the end is no sign)
    if inside > max(_STRAY_NULS, len(raw) // 1000):
        raise UserError("file looks binary (contains NUL bytes), not plain text", path)
    text, encoding = _decode(raw.replace(b"\x00", b""), path)
    return text, f"{encoding}, {nuls} NUL byte{'s' if nuls > 1 else ''} removed"


_STRAY_NULS = 8  # NUL bytes a text file may hold by accident, whatever its length


def _decode_with_bom(raw: bytes, path: Path) -> tuple[str, str] | None:
    for bom, encoding in _BOMS:
        if raw.startswith(bom):
            body_codec = "utf-8" if encoding == "utf-8-sig" else encoding
            try:
                return raw[len(bom) :].decode(body_codec), encoding
            except UnicodeDecodeError as exc:
                # A UTF-8 BOM some tool put in front of a GBK file: the body says what it is.
                legacy = _decode_legacy_chinese(raw[len(bom) :]) if bom == codecs.BOM_UTF8 else None
                if legacy is not None:
                    return legacy[0], f"{legacy[1]}, after a UTF-8 BOM"
                raise _decode_error(raw[len(bom) :], exc, body_codec, path, len(bom)) from None
    return None


def _decode_utf16_without_bom(raw: bytes) -> tuple[str, str] | None:
    """Recognise BOM-less UTF-16 by its NUL bytes, which ASCII characters leave in every pair."""
    if b"\x00" not in raw or len(raw) < 4 or len(raw) % 2:
        return None
    encoding = _utf16_order_from_nuls(raw[:4096])
    if encoding is not None:
        text = _strict(raw, encoding)
        if text is not None and _looks_like_text(text) and _mostly_han_or_ascii(text):
            return text, encoding
    # U+3000 and 一 (U+4E00) leave NULs too, on the other side of the pair from ASCII's.
    return _decode_chinese_utf16_without_bom(raw)


def _utf16_order_from_nuls(sample: bytes) -> str | None:
    pairs = len(sample) // 2
    even_nuls, odd_nuls = sample[0::2].count(0), sample[1::2].count(0)
    if odd_nuls >= 0.3 * pairs and even_nuls < 0.1 * pairs:
        return "utf-16-le"
    if even_nuls >= 0.3 * pairs and odd_nuls < 0.1 * pairs:
        return "utf-16-be"
    return None


def _decode_chinese_utf16_without_bom(raw: bytes) -> tuple[str, str] | None:
    """BOM-less UTF-16 of mostly Chinese text leaves no NUL pattern; everyday hanzi give it away.

    Arbitrary bytes read as UTF-16 land all over the code space, so demanding that the text be
    made of everyday characters keeps binary data and other encodings out.
    """
    if len(raw) < 4 or len(raw) % 2:
        return None
    for encoding in ("utf-16-le", "utf-16-be"):
        text = _strict(raw, encoding)
        if (
            text is not None
            and _looks_like_text(text)
            and _mostly_han_or_ascii(text)
            and _common_share(text) >= 0.8
        ):
            return text, encoding
    return None


def _decode_legacy_chinese(raw: bytes) -> tuple[str, str] | None:
    """GB family or Big5, whichever reads as real Chinese; GB wins ties (mainland sources)."""
    gb = _decode_gb(raw)
    big5 = _decode_big5(raw)
    if gb is None or big5 is None:
        return gb or big5
    return big5 if _prefer_big5(gb[0], big5[0]) else gb


# The 500 commonest characters of modern Chinese running text (simplified; a text is measured in
# simplified forms): the bulk of any speech's characters, half at the least in every document
# of the corpus and the probes (0.53 and up; 0.36 in a test file of one phrase repeated).
_EVERYDAY = frozenset(
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本"
    "去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总"
    "次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处队南给色光门即保治北造百规热领七海口东导器压志世金增争济阶油思术极交受联什认六共权"
    "收证改清己美再采转更单风切打白教速花带安场身车例真务具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集温传土许步群广石记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连"
    "断深难近矿千周委素技备半办青省列习响约支般史感劳便团往酸历市克何除消构府称太准精值号率族维划选标写存候毛亲快效斯院查江型眼王按格养易置派层片始却专状育厂京识适属圆包火住调满县局照参红细引听该铁价严"
)
_EVERYDAY_SHARE = 0.25  # of a text's Han characters, at the least; mojibake has 0.01–0.15
_EVERYDAY_LEAST = 50  # Han characters needed to judge


def _reads_as_chinese(text: str) -> bool:
    """Whether GB18030 or Big5 read the file into Chinese: everyday characters (or too few
    characters to tell). Korean in EUC-KR and Japanese in Shift-JIS or EUC-JP are valid GB
    codes too — EUC-KR's Hangul fall on GB2312's everyday hanzi — and read as Chinese of rare
    characters (傈惫救傈积魂雀狼楷汲)."""
    han = [ch for ch in to_simplified(text) if "\u4e00" <= ch <= "\u9fff"]
    return len(han) < _EVERYDAY_LEAST or sum(ch in _EVERYDAY for ch in han) >= (
        _EVERYDAY_SHARE * len(han)
    )


# Japanese and Korean legacy encodings, and the letters that show a text is in the language:
# kana (a Japanese text is 40–60% kana; Chinese read through Shift-JIS makes few or none),
# Hangul syllables (a Korean text is mostly Hangul).
# Korean is written in words parted by spaces (a fifth of its characters); Chinese bytes read
# as Korean (Windows' code page 949 takes most GBK pairs) make Hangul without any.
_KANA_RE = re.compile(r"[\u3041-\u3096\u30a1-\u30fa]")
_EAST_ASIAN = (
    ("cp932", _KANA_RE, 0.3, 0.0),
    ("euc_jp", _KANA_RE, 0.3, 0.0),
    ("cp949", re.compile(r"[\uac00-\ud7a3]"), 0.6, 0.08),
)
_EAST_ASIAN_LEAST = 20  # of the language's letters, to tell


def _decode_japanese_or_korean(raw: bytes) -> tuple[str, str] | None:
    """A Japanese speech in Shift-JIS or EUC-JP, a Korean one in EUC-KR: read in its encoding
    where that gives a text of the language's own letters (it was refused as no Chinese, with
    "save it as UTF-8"; an archive keeps a guest's speech beside its own)."""
    for encoding, letters, share, spaces in _EAST_ASIAN:
        text = _strict(raw, encoding)
        if text is None or not _looks_like_text(text):
            continue
        found = len(letters.findall(text))
        wide = sum(1 for ch in text if ord(ch) > 0x2FFF)
        spaced = text.count(" ") >= spaces * (found + text.count(" "))
        if found >= _EAST_ASIAN_LEAST and found >= share * wide and spaced:
            return text, encoding
    return None


_CYRILLIC_LOWER = re.compile(r"[\u0430-\u045f]")
_CYRILLIC_UPPER = re.compile(r"[\u0400-\u042f]")
_CYRILLIC_PLAIN = re.compile(r"[\u0400-\u045f\s\x20-\x7e«»—–…№“”„’]")
_LOWER_SHARE = 0.7  # of a Cyrillic text's letters: KOI8-R read as Windows-1251 is mostly capitals
_SPACE_SHARE = 0.1  # of its characters: Russian's words average six letters
_PLAIN_SHARE = 0.995  # letters, spaces, ASCII and the usual marks: no box drawing, no symbols


def _decode_cyrillic(raw: bytes) -> tuple[str, str] | None:
    """A Russian, Ukrainian, Bulgarian or Mongolian speech in Windows-1251 or KOI8-R (a guest's
    speech at a border city's fair), where that reading is plainly a text in one of those
    languages: Cyrillic words, mostly lower case, parted by spaces, with nothing but letters,
    ASCII and the usual marks, in a language language.py tells. (Any bytes read as
    Windows-1251 or KOI8-R: a GBK file with a broken byte reads as runs of letters and box
    drawing with no spaces, and is refused as before.)"""
    from generator.ingest.language import speech_language

    for encoding in ("cp1251", "koi8_r"):
        text = _strict(raw, encoding)
        if text is None or not text.strip():
            continue
        lower, upper = len(_CYRILLIC_LOWER.findall(text)), len(_CYRILLIC_UPPER.findall(text))
        if (
            lower < _LOWER_SHARE * (lower + upper)
            or text.count(" ") < _SPACE_SHARE * len(text)
            or len(_CYRILLIC_PLAIN.findall(text)) < _PLAIN_SHARE * len(text)
        ):
            continue
        lines = [line for line in text.splitlines() if line.strip()]
        if speech_language(lines[0], lines[1:] or lines) in ("ru", "uk", "bg", "mn"):
            return text, encoding
    return None


def _not_chinese(text: str, path: Path) -> UserError:
    """The refusal of a file that GB18030 or Big5 decode without an error but into no Chinese
    (see _reads_as_chinese), and no Japanese, Korean or Cyrillic encoding reads either: a
    Korean speech was written as Chinese of rare characters without a word."""
    first = next((line for line in text.splitlines() if count_han(line)), "")
    return UserError(
        f"the text does not read as Chinese: as GB18030 or Big5 it is rare characters "
        f"({first.strip()[:12]}…), as text in another encoding (Korean EUC-KR, Japanese "
        f"Shift-JIS) reads",
        path,
        1,
        "save the file as UTF-8 from the program that shows it correctly",
    )


# Big5 as Python names its variants, narrowest first: Windows' cp950 adds 裏, 碁, 銹, 恒 and
# the euro; Hong Kong's HKSCS adds 邨, 鰂 and several thousand more.
_BIG5_FAMILY = ("big5", "cp950", "big5hkscs")


def _decode_big5(raw: bytes) -> tuple[str, str] | None:
    for encoding in _BIG5_FAMILY:
        text = _strict(raw, encoding)
        if text is not None:
            return (text, encoding) if _looks_like_text(text) else None
    return None


def _decode_gb(raw: bytes) -> tuple[str, str] | None:
    """The narrowest GB codec that decodes; GB18030 only when the result reads as text."""
    for encoding in _GB_FAMILY:
        text = _strict(raw, encoding)
        if text is None:
            if encoding == "gbk" and (mixed := _gbk_with_windows_punctuation(raw)) is not None:
                return mixed, "gbk, with Windows-1252 quotes"
            continue
        if encoding == "gb2312":
            # Same bytes, but Python's gb2312 maps A1A4/A1AA to U+30FB/U+2015 where every Chinese
            # editor shows · and — (U+00B7/U+2014); GBK's mapping is the one people typed.
            text = raw.decode("gbk")
        # The codecs are supersets, so a wider one would produce the very same characters.
        plausible = _looks_like_text(text) and (encoding != "gb18030" or _mostly_han_or_ascii(text))
        return (text, encoding) if plausible else None
    return None


# Windows-1252's quotes, dashes and ellipsis: a file typed in GBK with “smart quotes” some
# Western tool put in holds them as single bytes, which GBK reads as the first half of a pair.
_WINDOWS_PUNCTUATION = {
    0x85: "…",
    0x91: "‘",
    0x92: "’",
    0x93: "“",
    0x94: "”",
    0x95: "•",
    0x96: "–",
    0x97: "—",
}
# (A byte of them followed by one in 0x40-0x7E is taken for the GBK character the two make: 昇
# is 95 4E, and as • and N it was published 刘•N. Chinese text does not put ASCII letters
# after an opening quote; it does put Han characters, whose bytes are 0x81 and up.)
_GBK_UNITS_RE = re.compile(
    rb"([\x85\x91-\x97])(?![\x40-\x7e])|[\x00-\x7f]+|[\x81-\xfe][\x40-\x7e\x80-\xfe]"
)


def _gbk_with_windows_punctuation(raw: bytes) -> str | None:
    """GBK text with Windows-1252 punctuation bytes where a character starts, when that reads
    the whole file and as Chinese text. GB18030 read such a file as misaligned pairs, each a
    wrong character or a private-use one (“学习贯彻” came out 撗肮岢箶): published garbled."""
    if not any(byte in raw for byte in _WINDOWS_PUNCTUATION):
        return None
    pieces: list[str] = []
    pending = bytearray()
    at = 0
    for unit in _GBK_UNITS_RE.finditer(raw):
        if unit.start() != at:
            return None
        at = unit.end()
        if unit.group(1) is None:
            pending += unit.group(0)
            continue
        pieces.append(_strict(bytes(pending), "gbk") or "\ufffd")
        pieces.append(_WINDOWS_PUNCTUATION[raw[unit.start()]])
        pending.clear()
    pieces.append(_strict(bytes(pending), "gbk") or "\ufffd")
    text = "".join(pieces)
    if at != len(raw) or "\ufffd" in text:
        return None
    return text if _looks_like_text(text) and _mostly_han_or_ascii(text) else None


def _prefer_big5(gb_text: str, big5_text: str) -> bool:
    """Decide between two strict decodings; mis-decoded text is full of rare characters."""
    gb_share, big5_share = _common_share(gb_text), _common_share(big5_text)
    if gb_share != big5_share:
        return big5_share > gb_share
    return mess_ratio(big5_text, maximum_threshold=1.0) < mess_ratio(gb_text, maximum_threshold=1.0)


def _strict(raw: bytes, encoding: str) -> str | None:
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError:
        return None


def _looks_like_text(text: str) -> bool:
    """No unassigned code points, few stray controls, at most a trace of private-use characters.

    Private-use code points are where GB18030 puts byte pairs no standard assigns, so more than a
    trace (a self-made character for a rare name, say) means the guess of encoding is wrong.
    """
    counts = Counter(unicodedata.category(ch) for ch in text)
    if counts["Cn"] or counts["Cs"]:
        return False
    return counts["Co"] <= max(1, len(text) // 1000) and _control_share(text) <= 0.01


def _mostly_han_or_ascii(text: str) -> bool:
    """GB18030 maps almost any byte string to *some* characters; real text is mainly Han/ASCII."""
    visible = [ch for ch in text if not ch.isspace()]
    if not visible:
        return True
    usual = sum(1 for ch in visible if _is_usual_chinese_text_char(ch))
    return usual >= 0.8 * len(visible)


def _is_usual_chinese_text_char(ch: str) -> bool:
    code = ord(ch)
    return (
        code < 0x80
        or ch in _COMMON_PUNCTUATION
        or 0x2000 <= code <= 0x206F  # general punctuation
        or 0x3000 <= code <= 0x303F  # CJK symbols and punctuation
        or 0x3400 <= code <= 0x9FFF  # CJK extension A and unified ideographs
        or 0xF900 <= code <= 0xFAFF  # compatibility ideographs
        or 0xFF00 <= code <= 0xFFEF  # full-width forms
        or 0x20000 <= code <= 0x3FFFF  # CJK extensions B and later
    )


# Unicode category Cc (C0 controls, DEL, C1 controls) minus the controls plain text uses.
_STRAY_CONTROL = re.compile("[\x00-\x08\x0e-\x19\x1b-\x1f\x7f-\x9f]")


def _control_share(text: str) -> float:
    """Share of control characters that plain text never holds (a regex: this runs per file)."""
    if not text:
        return 0.0
    return len(_STRAY_CONTROL.findall(text)) / len(text)


def _common_share(text: str) -> float:
    """Share of non-ASCII characters that are everyday Chinese characters or punctuation."""
    common = _common_characters()
    chars = [ch for ch in text if ord(ch) > 0x7F and not ch.isspace()]
    if not chars:
        return 0.0
    return sum(1 for ch in chars if ch in common) / len(chars)


@functools.cache
def _common_characters() -> frozenset[str]:
    """GB2312 level 1 and Big5 常用字 (the standards' lists of everyday hanzi), plus punctuation.

    Taken from the codecs rather than a data file; decoding text with the wrong one of the two
    yields mostly rare characters, kana, bopomofo and symbols, none of which are in this set.
    """
    gb2312_level1 = _decode_pairs("gb2312", range(0xB0, 0xD8), range(0xA1, 0xFF))
    big5_trails = itertools.chain(range(0x40, 0x7F), range(0xA1, 0xFF))
    big5_common = _decode_pairs("big5", range(0xA4, 0xC7), list(big5_trails))
    hanzi = {ch for ch in gb2312_level1 | big5_common if 0x4E00 <= ord(ch) <= 0x9FFF}
    full_width = {chr(code) for code in range(0xFF01, 0xFF5F)}  # １９５６年, ％, ．
    return frozenset(hanzi | full_width | _COMMON_PUNCTUATION)


def _decode_pairs(encoding: str, leads: Iterable[int], trails: Iterable[int]) -> set[str]:
    chars: set[str] = set()
    trail_list = list(trails)
    for lead in leads:
        for trail in trail_list:
            decoded = _strict(bytes((lead, trail)), encoding)
            if decoded is not None:
                chars.add(decoded)
    return chars


def _undecodable(raw: bytes, path: Path) -> UserError:
    """Point at the first bad byte as read by the encoding the file most plausibly uses.

    Usually that is UTF-8; but a GB file with one damaged byte fails UTF-8 at its first hanzi, so
    when GB18030 reads sensibly further into the file, its view of the bad byte is the useful one.
    """
    utf8_error = _first_error(raw, "utf-8")
    if utf8_error is None:  # cannot happen: UTF-8 was tried first; keep the error well-formed
        return UserError("cannot decode file", path, hint=_SAVE_AS_HINT)
    encoding, error = "utf-8", utf8_error
    # (GBK's view before GB18030's, which reads misaligned pairs on past a bad byte; Big5's
    # widest variant for a Taiwan or Hong Kong file)
    for candidate in ("gbk", "gb18030", _BIG5_FAMILY[-1]):
        found = _first_error(raw, candidate)
        if found is None or found.start <= error.start:
            continue
        prefix = raw[: found.start].decode(candidate)
        if _looks_like_text(prefix) and _mostly_han_or_ascii(prefix):
            encoding, error = candidate, found
    return _decode_error(raw, error, encoding, path, 0)


def _first_error(raw: bytes, encoding: str) -> UnicodeDecodeError | None:
    try:
        raw.decode(encoding)
    except UnicodeDecodeError as exc:
        return exc
    return None


def _decode_error(
    body: bytes, exc: UnicodeDecodeError, encoding: str, path: Path, base: int
) -> UserError:
    """Name the bad byte's line (1-based, as editors count) and offset (0-based, as hex editors)."""
    prefix = body[: exc.start].decode(encoding, errors="replace")
    line = len(_LINE_BREAK.split(prefix))
    offset = base + exc.start
    bad = body[exc.start]
    if encoding.startswith(("utf-16", "utf-32")):
        reason = (
            f"the file starts with a {encoding.upper()} byte-order mark but is not valid {encoding}"
        )
    else:
        reason = "the file is not valid UTF-8, GBK/GB18030 or Big5"
    message = f"cannot decode byte 0x{bad:02x} at byte offset {offset}: {reason}"
    return UserError(message, path, line, _SAVE_AS_HINT)
