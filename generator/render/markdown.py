"""A speech's Markdown body → HTML: numbered paragraphs, heading anchors, marked placeholders.

markdown-it-py (CommonMark) with mdit-py-plugins' block attributes, raw HTML disabled, so text
from a speech is always escaped. Numbering happens on the token stream, so hand-written Markdown
(lists, quotes) renders too; only top-level paragraphs get numbers a reader can cite ("第12段").
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from generator.render.linkify import AsciiLinkify, join_escapes, may_hold_link
from generator.speech import unescape_markdown
from generator.text import english_address_line, is_cjk

if TYPE_CHECKING:  # markdown-it is imported only when a body needs it (see _parser)
    from markdown_it import MarkdownIt
    from markdown_it.renderer import RendererHTML
    from markdown_it.token import Token
    from markdown_it.utils import EnvType, OptionsDict

# × standing for a name or number (not 2×35, a multiplication), and X/XX/xx placeholders that
# are not part of a Latin word or a number (X86, 4X100米), nor the X of X光 and X射线. Runs of
# circles, boxes or asterisks withhold as × does (○○○同志, 移送□□人, 王＊＊, 原**县), but not
# one alone (a bullet, a checkbox), nor the circles of a year in words (二○○八年).
_NUMERAL = "〇○零一二三四五六七八九十"
# Not one: × between figures (2×35, 2 × 3); a lone X of a technical word (X光, X射线, X线,
# X型, X轴, X染色体, X片), of a name (iPhone X) or a compound (X-ray).
# A run of × is taken whole (possessively: a look-ahead that fails makes no shorter run of it,
# which marked ×× of ××× 13800000000); only a lone × may stand between spaced figures.
PLACEHOLDER_RE = re.compile(
    r"(?<![0-9０-９×])(?:××++(?![0-9０-９])|(?<![0-9０-９] )×(?![×0-9０-９]| [0-9０-９]))"
    r"|(?<![A-Za-z0-9０-９])(?<![A-Za-z] )(?:X(?![光射线型轴染片])|X{2,6}|x{2,6})"
    r"(?![A-Za-z0-9０-９-])"
)
# (A pattern of its own, tried only on text that holds one of its characters: in the one
# above, its look-arounds slowed every block with an x in it.)
_WITHHELD = "○□＊*"
WITHHELD_RE = re.compile(
    rf"(?<![{_NUMERAL}])○{{2,6}}(?![{_NUMERAL}年])"
    r"|□{2,6}|＊{2,6}|(?<![A-Za-z0-9*])\*{2,6}(?![A-Za-z0-9*])"
)


def mark_placeholders(text: str, mark: Callable[[re.Match[str]], str]) -> tuple[str, int]:
    """`text` with each placeholder replaced by `mark` of it, and how many there were."""
    text, count = PLACEHOLDER_RE.subn(mark, text)
    if any(char in text for char in _WITHHELD):
        text, more = WITHHELD_RE.subn(mark, text)
        count += more
    return text, count


@dataclass(frozen=True)
class RenderedBody:
    html: str
    text: str  # plain text of the body, paragraphs separated by newlines (for search, excerpts)
    paragraphs: int
    placeholders: int
    lead: str = ""  # the first paragraph that is not a heading (for excerpts)
    # (anchor id, is a heading, text) of every block, in order: what search indexes and shows.
    # Text inside a list or a quote belongs to the nearest block before it that has an anchor.
    blocks: tuple[tuple[str, bool, str], ...] = ()
    # (id, level, text) of each heading of the body's top level, in order: the table of
    # contents the page shows (archive.following_the_text), with the headings an editor wrote
    # without an anchor, which it left out.
    headings: tuple[tuple[str, int, str], ...] = ()

    @property
    def chars(self) -> int:
        """Characters of text, whitespace not counted (what 字数 means to a Chinese reader).
        `str.split()` cuts at exactly the characters `\\s` matches (both ask Py_UNICODE_ISSPACE)
        in a quarter of a regex substitution's time (25 against 86 µs a speech)."""
        return len("".join(self.text.split()))


@cache
def _parser() -> MarkdownIt:
    """The markdown-it parser, built on first use: the fast path renders ingest's bodies without
    it, so most builds never pay for importing it."""
    from markdown_it import MarkdownIt
    from mdit_py_plugins.attrs import attrs_block_plugin
    from mdit_py_plugins.footnote import footnote_plugin

    md = MarkdownIt("commonmark", {"html": False, "linkify": True, "typographer": False})
    # Bare addresses as links (render/linkify.py finds them). Escapes are joined into the text
    # first, or the \_ ingest writes in an address ended its link there.
    md.linkify = AsciiLinkify()
    md.enable("linkify")
    md.core.ruler.before("linkify", "join_escapes", join_escapes)
    # An indented line is a paragraph pasted with its indent (speeches hold no code): as an
    # indented code block it showed in monospace, unnumbered, and search never saw it.
    md.disable("code")
    md.enable("table")  # GFM pipe tables: ingest writes a speech's tables so, and editors do
    # An editor's footnotes ([^1] and [^1]: …) as footnotes; a link reference definition
    # ([1]: …) stays text: read as one it vanished from the page and made a broken link.
    md.use(footnote_plugin)
    md.disable("reference")
    md.use(attrs_block_plugin)
    md.add_render_rule("text", _render_text)
    md.add_render_rule("link_open", _render_link_open)
    md.add_render_rule("heading_close", _render_heading_close)
    md.add_render_rule("softbreak", _render_softbreak)
    md.add_render_rule("table_open", _render_table_open)
    md.add_render_rule("table_close", _render_table_close)
    return md


def _render_text(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    from markdown_it.renderer import RendererHTML

    escaped = RendererHTML.text(self, tokens, idx, options, env)
    if idx and _is_address(tokens[idx - 1]):
        return escaped  # (the xx of a web address is no placeholder)
    return mark_placeholders(escaped, env["mark"])[0]


def _is_address(token: Token) -> bool:
    """A link whose text is its address: a bare one, or one written <https://…>."""
    return token.type == "link_open" and token.markup in ("linkify", "autolink")


def _render_link_open(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    """An address as its link's text gets class "url": the theme lets it break anywhere, so it
    starts on the line before it (a justified line left before it spread its characters wide)."""
    if _is_address(tokens[idx]):
        tokens[idx].attrSet("class", "url")
    return self.renderToken(tokens, idx, options, env)


_PLACEHOLDER_TITLE = "匿名化占位符"
_TABLE_LABEL = "表格"


def _marker(title: str) -> Callable[[re.Match[str]], str]:
    def mark(found: re.Match[str]) -> str:
        return f'<mark class="placeholder" title="{title}">{found.group(0)}</mark>'

    return mark


def _render_heading_close(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    anchor = ""
    opening = tokens[idx - 2] if idx >= 2 else None
    if opening is not None and opening.type == "heading_open" and opening.attrGet("id"):
        ident = str(opening.attrGet("id"))
        label = env.get("anchor_label", "#")
        anchor = f'<a class="heading-anchor" href="#{ident}" aria-label="{label}">#</a>'
    return f"{anchor}</{tokens[idx].tag}>\n"


# An editor's note in an HTML comment (<!-- 待核实 -->) is not published: with raw HTML off it
# showed on the page as text. (Text of a speech is escaped, \<!--, and stays.)
_COMMENT_RE = re.compile(r"(?<!\\)<!--.*?-->", re.DOTALL)


def _render_table_open(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    """A table in a region of its own that scrolls sideways on a narrow screen (the page never
    does); focusable, so a keyboard can scroll it too, and named for screen readers."""
    env["tables"] = number = env.get("tables", 0) + 1  # (each region's name its own: 表格 2)
    label = f"{env.get('table_label', '')} {number}"
    return f'<div class="table-wrap" role="region" tabindex="0" aria-label="{label}">\n<table>\n'


def _render_table_close(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    return "</table>\n</div>\n"


_ID_RE = re.compile(r"[A-Za-z0-9_-]+")
# Ids the page gives itself: paragraphs' and headings' numbers, and the default theme's own
# (docs/theme-context.md lists them); a body anchor with one of them made two elements one id.
RESERVED_ID_RE = re.compile(
    r"p\d+|h\d+|main|search(?:-[a-z-]+)?|site-search-input|speech-title|cite-(?:heading|text)"
    r"|[a-z]+-heading"
)


def heading_id(given: str | None, number: int, used: set[str]) -> str:
    """A heading's id: the one its anchor gives, unless that is no plain ASCII name, one the
    page uses itself or one an earlier heading took; then h<number>, its place among the
    headings. (The load checks every anchor a top-level heading takes; this keeps a page's
    ids unique whatever reaches the renderer.)"""
    if (
        given
        and _ID_RE.fullmatch(given)
        and not RESERVED_ID_RE.fullmatch(given)
        and given not in used
    ):
        used.add(given)
        return given
    return f"h{number}"


def render_body(
    markdown: str,
    anchor_label: str = "链接到本节",
    placeholder_title: str = _PLACEHOLDER_TITLE,
    table_label: str = _TABLE_LABEL,
) -> RenderedBody:
    """HTML of a speech body: the fast path when the Markdown is the plain subset ingest writes,
    markdown-it-py otherwise. Both give the same bytes (tests/render/test_markdown.py).
    The labels are UI strings from the theme (attribute-safe text)."""
    anchor_label, placeholder_title = html.escape(anchor_label), html.escape(placeholder_title)
    fast = render_plain_subset(markdown, anchor_label, placeholder_title)
    if fast is not None:
        return fast
    return render_with_markdown_it(
        markdown, anchor_label, placeholder_title, html.escape(table_label)
    )


def render_with_markdown_it(
    markdown: str,
    anchor_label: str,
    placeholder_title: str = _PLACEHOLDER_TITLE,
    table_label: str = _TABLE_LABEL,
) -> RenderedBody:
    env: dict[str, Any] = {
        "anchor_label": anchor_label,
        "mark": _marker(placeholder_title),
        "table_label": table_label,
    }
    md = _parser()
    if "<!--" in markdown:
        markdown = _COMMENT_RE.sub("", markdown)
    tokens = md.parse(markdown, env)
    paragraphs = _number(tokens)
    rendered = md.renderer.render(tokens, md.options, env)
    text = "\n".join(_token_text(t) for t in tokens if t.type in _TEXT_TOKENS)
    paragraphs_text = (
        _inline_text(tokens[i + 1])
        for i, t in enumerate(tokens)
        if t.type == "paragraph_open" and t.level == 0
    )
    lead = next((p for p in paragraphs_text if not is_salutation(p)), "")
    marks = len(PLACEHOLDER_RE.findall(text)) + len(WITHHELD_RE.findall(text))
    headings = tuple(
        (str(t.attrGet("id")), int(t.tag[1]), _inline_text(tokens[i + 1]))
        for i, t in enumerate(tokens)
        if t.type == "heading_open" and t.level == 0
    )
    return RenderedBody(rendered, text, paragraphs, marks, lead, _blocks(tokens), headings)


def _blocks(tokens: list[Token]) -> tuple[tuple[str, bool, str], ...]:
    blocks: list[tuple[str, bool, str]] = []
    anchor, heading = "", False
    for index, token in enumerate(tokens):
        if token.type == "heading_open" or (token.type == "paragraph_open" and token.level == 0):
            anchor, heading = str(token.attrGet("id")), token.type == "heading_open"
        elif token.type == "inline":
            opener = tokens[index - 1] if index else None
            own = opener is not None and str(opener.attrGet("id") or "") == anchor
            blocks.append((anchor, heading and own, _inline_text(token)))
        elif token.type == "fence":  # (shown on the page: searchable too)
            blocks.append((anchor, False, _token_text(token)))
    return tuple(blocks)


_TEXT_TOKENS = ("inline", "fence")


def _token_text(token: Token) -> str:
    return _inline_text(token) if token.type == "inline" else token.content.rstrip("\n")


def _inline_text(token: Token) -> str:
    children = token.children or []
    return "".join(
        child.content
        if child.type in ("text", "text_special", "code_inline")
        else _break_text(children, index)
        for index, child in enumerate(children)
        if child.type in ("text", "text_special", "code_inline", "softbreak", "hardbreak")
    )


_INLINE_MARKUP = "*_`[]<>&\\!"  # what may make inline Markdown read other than its source


def inline_text(markdown: str) -> str:
    """The text a line of inline Markdown shows: a heading's, for the table of contents,
    where an editor's `**加强**领导` showed its asterisks and `[链接](url)` its URL."""
    if not any(char in markdown for char in _INLINE_MARKUP):
        return markdown
    tokens = _parser().parseInline(markdown)
    return _inline_text(tokens[0]) if tokens else markdown


def _break_text(children: Sequence[Token], index: int) -> str:
    """What a line break inside a paragraph is in running text: nothing between two Chinese
    characters (抓好落 / 实工作: one word, cut by the editor's line), a space elsewhere (work /
    hard: two words)."""
    before = next((t.content[-1:] for t in reversed(children[:index]) if t.content), "")
    after = next((t.content[:1] for t in children[index + 1 :] if t.content), "")
    return "" if before and after and is_cjk(before) and is_cjk(after) else " "


def _render_softbreak(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    """A line break inside a paragraph: a browser draws its newline as a space, which between
    two Chinese characters is a gap in the middle of a word; there it is left out."""
    return "" if _break_text(tokens, idx) == "" else "\n"


# --- the fast path ------------------------------------------------------------------------
# Ingest writes bodies of two kinds of block: `{#id}` + an ATX heading, and one-line paragraphs
# whose Markdown characters are all backslash-escaped. For exactly that subset the HTML is a
# few regex substitutions away; anything else (a list, emphasis, a link an editor added) goes
# to markdown-it. Rendering 10,000 speeches is then a matter of seconds, not minutes.

_BLOCK_SPLIT_RE = re.compile(r"\n{2,}")
# Inline text with no live Markdown: every \ escapes ASCII punctuation, no * _ ` [ ] < > &,
# no edge whitespace (markdown-it strips it), no line-start block syntax.
_PLAIN_PARAGRAPH_RE = re.compile(
    r"(?![#>+=~|{\-*_`<]|\d{1,9}[.)](?:\s|$)|\s)(?:[^\s*_`\[\]<>&\\]|\\[!-/:-@\[-`{-~]|[ \u3000](?=\S))+"
)
# What `\s` matches, spelt out: a class of ranges and literals only is one bitmap lookup a
# character, where `\s` in it is a category test (this class matched in half the time).
_WHITESPACE = "\t-\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
# The common case of the above, checked first because it is one character class: no whitespace,
# escapes or Markdown characters at all, and a first character that starts no block syntax.
_SIMPLE_PARAGRAPH_RE = re.compile(rf"(?![#>+=~|{{\-*_`<\d])[^{_WHITESPACE}*_`\[\]<>&\\]+")
_HEADING_RE = re.compile(
    r"(?:\{#(?P<id>[A-Za-z0-9_-]+)\}\n)?(?P<hashes>#{1,6}) "
    r"(?P<text>(?![\s#])(?:[^\s*_`\[\]<>&\\#]|\\[!-/:-@\[-`{-~]|[ \u3000](?=\S))+)"
)
_NEEDS_ESCAPE = '&<>"'
_MAY_HOLD_PLACEHOLDER = "×Xx○□＊*"
_NEEDS_ESCAPE_RE = re.compile(f"[{_NEEDS_ESCAPE}]")
_MAY_HOLD_PLACEHOLDER_RE = re.compile(f"[{_MAY_HOLD_PLACEHOLDER}]")
_INLINE_SPECIAL = _NEEDS_ESCAPE + _MAY_HOLD_PLACEHOLDER  # what _plain_inline looks for
# An opening address on its own (同志们：, 各位代表！) is no excerpt of what a speech says.
_ADDRESS_RE = re.compile(r".{1,16}[：:！!，,]")


def is_salutation(text: str) -> bool:
    """A paragraph that is an opening address and nothing else: a short one closed by its
    mark (同志们：), or one in English, longer than that allows (Distinguished guests, ladies
    and gentlemen,) and told by its words. A sentence after the address (同志们，今天…;
    Ladies and gentlemen, today we…) makes the paragraph the speech's first, not an address."""
    return _ADDRESS_RE.fullmatch(text) is not None or english_address_line(text) is not None


def render_plain_subset(
    markdown: str, anchor_label: str, placeholder_title: str = _PLACEHOLDER_TITLE
) -> RenderedBody | None:
    """Render the plain subset directly; None when the body uses any other Markdown, or holds
    a web address (a link: render/linkify.py)."""
    if may_hold_link(markdown):
        return None
    mark = _marker(placeholder_title)
    plain = _plain_inline(markdown)
    out: list[str] = []
    texts: list[str] = []
    blocks: list[tuple[str, bool, str]] = []
    lead = ""
    marks = 0
    paragraphs = headings = 0
    used: set[str] = set()  # heading ids given so far
    shift = _heading_shift(len(hashes) for hashes in _ATX_RE.findall(markdown))
    headings_found: list[tuple[str, int, str]] = []
    for block in _split_blocks(markdown.strip("\n")):
        if not block:
            continue
        heading = _HEADING_RE.fullmatch(block) if block[0] in "{#" else None
        if heading is not None:
            headings += 1
            text = unescape_markdown(heading.group("text"))
            ident = heading_id(heading.group("id"), headings, used)
            level = max(len(heading.group("hashes")), 2) - shift  # (see _number)
            anchor = f'<a class="heading-anchor" href="#{ident}" aria-label="{anchor_label}">#</a>'
            inner, found = (text, 0) if plain else _inline_html(text, mark)
            marks += found
            out.append(f'<h{level} id="{ident}">{inner}{anchor}</h{level}>\n')
            blocks.append((ident, True, text))
            headings_found.append((ident, level, text))
        elif _SIMPLE_PARAGRAPH_RE.fullmatch(block) or (
            "\n" not in block and _PLAIN_PARAGRAPH_RE.fullmatch(block)
        ):
            paragraphs += 1
            text = unescape_markdown(block)
            address = (paragraphs == 1 or not lead) and is_salutation(text)
            if not lead and not address:
                lead = text
            css = ' class="salutation"' if paragraphs == 1 and address else ""
            inner, found = (text, 0) if plain else _inline_html(text, mark)
            marks += found
            out.append(f'<p id="p{paragraphs}" data-n="{paragraphs}"{css}>{inner}</p>\n')
            blocks.append((f"p{paragraphs}", False, text))
        else:
            return None
        texts.append(text)
    text = "\n".join(texts)
    return RenderedBody(
        "".join(out), text, paragraphs, marks, lead, tuple(blocks), tuple(headings_found)
    )


def _split_blocks(markdown: str) -> list[str]:
    """The text between blank lines. Where no three newlines meet, every run of them is two,
    and `str.split` cuts there in a tenth of the regex's time."""
    return markdown.split("\n\n") if "\n\n\n" not in markdown else _BLOCK_SPLIT_RE.split(markdown)


def _plain_inline(markdown: str) -> bool:
    """No block of this body needs escaping or may hold a placeholder: asked once of the body
    by substring tests (a regex character class scanned it ten times slower), not twice of each
    of its forty-odd blocks."""
    return not any(char in markdown for char in _INLINE_SPECIAL)


def _inline_html(text: str, mark: Callable[[re.Match[str]], str]) -> tuple[str, int]:
    """Escaped HTML of one block's text and how many placeholders it marked."""
    if _NEEDS_ESCAPE_RE.search(text):
        text = (
            text.replace("&", "&amp;")
            .replace("<", "&lt;")
            .replace(">", "&gt;")
            .replace('"', "&quot;")
        )
    if not _MAY_HOLD_PLACEHOLDER_RE.search(text):
        return text, 0  # most paragraphs: skip the slower look-around patterns
    return mark_placeholders(text, mark)


def _closing(tokens: list[Token], index: int) -> int:
    """The index of the token that closes the one at `index`."""
    return next(
        i
        for i in range(index + 1, len(tokens))
        if tokens[i].type == "heading_close" and tokens[i].level == tokens[index].level
    )


_ATX_RE = re.compile(r"^ {0,3}(#{1,6})[ \t]", re.M)


def _heading_shift(levels: Iterable[int]) -> int:
    """How many levels a body's headings move up so its top one is h2, the level under the
    page's title (h1, as # is, counts as h2)."""
    return max(min((max(level, 2) for level in levels), default=2) - 2, 0)


def _number(tokens: list[Token]) -> int:
    """Give top-level paragraphs ids p1, p2…; give headings without an id a safe one. Block
    attributes (`{…}` above a block) may set a heading's id and nothing else: a speech file must
    not restyle the page (`{style="position:fixed…"}`) or take the theme's ids and classes."""
    count = headings = 0
    used: set[str] = set()  # heading ids given so far
    shift = _heading_shift(int(t.tag[1]) for t in tokens if t.type == "heading_open")
    for index, token in enumerate(tokens):
        if token.attrs and token.type != "heading_open":
            start = token.attrs.get("start") if token.type == "ordered_list_open" else None
            token.attrs = {"start": start} if start is not None else {}  # (<ol start="3">)
        if token.type == "paragraph_open" and token.level == 0:
            count += 1
            token.attrSet("id", f"p{count}")
            token.attrSet("data-n", str(count))
            if count == 1 and is_salutation(_inline_text(tokens[index + 1])):
                token.attrSet("class", "salutation")
        elif token.type == "heading_open":
            headings += 1
            # The page's title is its one h1: a body's # is a section, and its top level of
            # headings is h2 (an editor's ### under the title skipped a level)
            level = max(int(token.tag[1]), 2) - shift
            token.tag = tokens[_closing(tokens, index)].tag = f"h{level}"
            given = token.attrGet("id") if token.level == 0 else None  # (not in a quote, a list)
            ident = heading_id(None if given is None else str(given), headings, used)
            token.attrSet("id", ident)
            for name in list(token.attrs):
                if name not in ("id",):
                    del token.attrs[name]  # block attributes may only set the id
    return count
