"""Bare web addresses in a speech's text as links, as Hugo's Goldmark and GFM make them.

markdown-it-py's linkify rules do the token work; what finds an address is our own, because
linkify-it-py reads a URL as running on through any letter, and Chinese text follows an
address with no space between (详见https://www.gov.cn/a.html。下一步…): it took the sentence
after it into the link. Here an address is ASCII only: it ends at the first character that
cannot stand in a URL, and trailing punctuation (a stop, a closing bracket with no opening one
in the address) stays text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from generator.speech import unescape_markdown

if TYPE_CHECKING:
    from markdown_it.rules_core.state_core import StateCore
    from markdown_it.token import Token

# A scheme address (http://, https://) or one starting www. with a dot further on. Inside it,
# the characters RFC 3986 allows, and a Markdown backslash escape (\_ of a Markdown source: the
# inline rule reads the source, before escapes are resolved).
_URL_RE = re.compile(
    r"(?<![A-Za-z0-9.+\-])(?:(?P<scheme>https?://)|www\.(?=[A-Za-z0-9\-]+\.[A-Za-z]))"
    r"(?:[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]|\\[!-/:-@\[-`{-~])+",
    re.IGNORECASE,
)
_TRAILING = ".,:;!?'\"*\\"  # ends a sentence, not an address
_PAIRS = {")": "(", "]": "["}
_PRETEST_RE = re.compile(r"://|www\.", re.IGNORECASE)


@dataclass(frozen=True)
class Link:
    """One address found, in the shape markdown-it-py's linkify rules read."""

    url: str  # the address linked to (a www. one with http:// before it)
    text: str  # the address as the text shows it
    index: int  # where it starts in the text searched
    last_index: int  # where it ends (the source's end: escapes counted)
    schema: str | None  # "http:" or "https:", None for a www. address


def _trimmed(address: str) -> str:
    """`address` less the punctuation that ends the sentence around it."""
    while address and (_ends_sentence(address) or _closes_nothing(address)):
        address = address[:-1]
    return address


def _ends_sentence(address: str) -> bool:
    return address[-1] in _TRAILING  # (a backslash too: what is left of an escaped \* or \.)


def _closes_nothing(address: str) -> bool:
    """A closing bracket the address did not open: the sentence's (见(https://a.org))."""
    last = address[-1]
    return last in _PAIRS and address.count(last) > address.count(_PAIRS[last])


def _link(found: re.Match[str]) -> Link | None:
    source = _trimmed(found.group(0))
    text = unescape_markdown(source)
    scheme = found.group("scheme")
    if (scheme and len(text) <= len(scheme)) or (not scheme and text.count(".") < 2):
        return None  # a scheme alone (https:// in a sentence about addresses), or www.
    url = text if scheme else f"http://{text}"
    schema = scheme[:-2].lower() if scheme else None
    return Link(url, text, found.start(), found.start() + len(source), schema)


def find_links(text: str) -> list[Link]:
    """Every address in `text`, in order."""
    if not _PRETEST_RE.search(text):
        return []
    links = (_link(found) for found in _URL_RE.finditer(text))
    return [link for link in links if link is not None]


class AsciiLinkify:
    """What markdown-it-py asks of `md.linkify` (linkify-it-py's interface, the part its rules
    call)."""

    def pretest(self, text: str) -> bool:
        return _PRETEST_RE.search(text) is not None

    def test(self, text: str) -> bool:
        return bool(find_links(text))

    def match(self, text: str) -> list[Link] | None:
        return find_links(text) or None

    def match_at_start(self, text: str) -> Link | None:
        found = _URL_RE.match(text)
        link = _link(found) if found is not None else None
        # (the inline rule advances by the url's length: only a scheme address, unescaped)
        if link is None or link.schema is None or link.last_index != len(link.text):
            return None
        return link


def may_hold_link(markdown: str) -> bool:
    """Whether a body may hold an address to link: the fast renderer leaves such a body to
    markdown-it. (Substring tests: a case-blind regex over every body cost more.)"""
    return "://" in markdown or "www." in markdown or "WWW." in markdown


def join_escapes(state: StateCore) -> None:
    """A core rule before linkify: an escaped character (`\\_`, which ingest writes in an
    address) joined into the text around it, so the address is one text to find links in
    (markdown-it-py's text_join does this after linkify). An escaped colon stays apart: an
    editor's `http\\://` says "no link"."""
    for token in state.tokens:
        if token.type == "inline" and token.children and may_hold_link(token.content):
            token.children = _joined(token.children)


def _joined(tokens: list[Token]) -> list[Token]:
    out: list[Token] = []
    for token in tokens:
        if token.type == "text_special" and token.content != ":":
            token.type = "text"
        if token.type == "text" and out and out[-1].type == "text":
            out[-1].content += token.content
        else:
            out.append(token)
    return out
