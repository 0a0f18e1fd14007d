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


def html_lines(text: str) -> tuple[Lines, Lines, Lines]:
    """The page's lines of visible text; the text it holds that no browser shows (the head's
    title, scripts); and its menus' lines: the last two left out, and listed with what the
    cleaner removes."""
    reader = _TextReader()
    reader.feed(text)
    reader.close()
    reader.end_line()
    return reader.lines, reader.hidden_text, reader.menus


_MENU_LINKS = 2  # links a line holds, at least, to be a menu's
_MENU_LABEL_MAX = 12  # characters of each of a menu's labels


class _TextReader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: Lines = []
        self.hidden_text: Lines = []
        self.current: list[str] = []
        self.start = 1
        self.hidden = 0  # depth inside elements whose text is not shown
        self.pre = 0  # depth inside <pre>, whose line breaks are the text's
        self.menus: Lines = []
        self.link = False  # inside an <a> (links do not nest)
        self.labels: list[str] = []  # the current line's links' texts
        self.unlinked = False  # the current line holds text outside a link

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HIDDEN:
            self.hidden += 1
        elif tag in _BLOCK:
            self.end_line()
            self.pre += tag == "pre"
        elif tag == "a" and not self.link:
            self.link = True
            self.labels.append("")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCK:
            self.end_line()

    def handle_endtag(self, tag: str) -> None:
        if tag == "a":
            self.link = False
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
        if self.link and self.labels:
            self.labels[-1] += text
        elif text.strip():
            self.unlinked = True

    def end_line(self) -> None:
        line = "".join(self.current).strip(" ")
        if line:
            (self.menus if self._menu() else self.lines).append((line, self.start))
        self.current, self.labels, self.unlinked = [], [], False

    def _menu(self) -> bool:
        """A line of links and nothing else, two or more, each a short label (首页 政务公开
        互动交流): a site's menu in a block no <nav> marks. Left in, it was the first line of
        the page's text, and the title. (A list of linked titles, one link to a line, is the
        cleaner's to judge: related articles.)"""
        labels = [label.strip() for label in self.labels if label.strip()]
        return (
            not self.unlinked
            and len(labels) >= _MENU_LINKS
            and all(len(label) <= _MENU_LABEL_MAX for label in labels)
        )
