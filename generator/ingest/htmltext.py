"""A web page (saved as .html, or its source pasted into a .txt) → its lines of text.

Editors "save the page" as often as they copy its text. The page's markup is read with the
standard library's HTML parser: block elements (p, div, h1–h6, li, tr, br…) end lines, inline
ones (a, span, b) do not, and what a browser does not show as text (script, style, the head,
forms, menus) is left out. Each line keeps the number of the source line it starts on, so an
error still points into the file. The cleaner then treats the lines as any copied page's:
breadcrumbs, toolbars and share links go by its rules.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

_BLOCK = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "br",
        "caption",
        "dd",
        "div",
        "dl",
        "dt",
        "figcaption",
        "figure",
        "footer",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "ol",
        "p",
        "pre",
        "section",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "ul",
    ]
)
_HIDDEN = frozenset(
    [
        "script",
        "style",
        "noscript",
        "template",
        "head",
        "svg",
        "form",
        "select",
        "button",
        "nav",
        "iframe",
    ]
)
_HTML_DOCUMENT_RE = re.compile(r"\A\s*(?:<!doctype\s+html|<html[\s>])", re.IGNORECASE)


def is_html_document(text: str) -> bool:
    """Whether a .txt file holds a page's source rather than its text."""
    return _HTML_DOCUMENT_RE.match(text[:1000]) is not None


Lines = list[tuple[str, int]]  # text, and the source line it starts on


def html_lines(text: str) -> tuple[Lines, Lines]:
    """The page's lines of visible text, and the text it holds that no browser shows (the
    head's title, scripts): left out, and listed with what the cleaner removes."""
    reader = _TextReader()
    reader.feed(text)
    reader.close()
    reader.end_line()
    return reader.lines, reader.hidden_text


class _TextReader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: Lines = []
        self.hidden_text: Lines = []
        self.current: list[str] = []
        self.start = 1
        self.hidden = 0  # depth inside elements whose text is not shown
        self.pre = 0  # depth inside <pre>, whose line breaks are the text's

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HIDDEN:
            self.hidden += 1
        elif tag in _BLOCK:
            self.end_line()
            self.pre += tag == "pre"

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCK:
            self.end_line()

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        elif tag in _BLOCK:
            self.end_line()
            self.pre = max(0, self.pre - (tag == "pre"))

    def handle_data(self, data: str) -> None:
        if self.hidden:
            if data.strip():
                self.hidden_text.append((" ".join(data.split()), self.getpos()[0]))
            return
        if self.pre:
            line = self.getpos()[0]
            first, *rest = data.split("\n")
            self.add(first)
            for offset, piece in enumerate(rest, start=1):
                self.end_line()
                self.add(piece, line + offset)
            return
        self.add(re.sub(r"[ \t\r\n\f]+", " ", data))  # (HTML whitespace; not U+3000)

    def add(self, text: str, line: int | None = None) -> None:
        if not self.current:
            self.start = self.getpos()[0] if line is None else line
        self.current.append(text)

    def end_line(self) -> None:
        line = "".join(self.current).strip(" ")
        if line:
            self.lines.append((line, self.start))
        self.current = []
