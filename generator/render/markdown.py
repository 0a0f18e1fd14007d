"""A speech's Markdown body → HTML: numbered paragraphs, heading anchors, marked placeholders.

markdown-it-py (CommonMark) with mdit-py-plugins' block attributes, raw HTML disabled, so text
from a speech is always escaped. Numbering happens on the token stream, so hand-written Markdown
(lists, quotes) renders too; only top-level paragraphs get numbers a reader can cite ("第12段").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict
from mdit_py_plugins.attrs import attrs_block_plugin

# × standing for a name or number (not 2×35, a multiplication), and X/XX/xx placeholders that
# are not part of a Latin word.
PLACEHOLDER_RE = re.compile(
    r"(?<![0-9０-９])×+(?![0-9０-９])|(?<![A-Za-z])(?:X{1,6}|x{2,6})(?![A-Za-z])"
)


@dataclass(frozen=True)
class RenderedBody:
    html: str
    text: str  # plain text of the body, paragraphs separated by newlines (for search, excerpts)
    paragraphs: int
    placeholders: int


def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.use(attrs_block_plugin)
    md.add_render_rule("text", _render_text)
    md.add_render_rule("heading_close", _render_heading_close)
    return md


def _render_text(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    escaped = RendererHTML.text(self, tokens, idx, options, env)
    return PLACEHOLDER_RE.sub(_mark, escaped)


def _mark(found: re.Match[str]) -> str:
    return f'<mark class="placeholder" title="匿名化占位符">{found.group(0)}</mark>'


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


_MD = _parser()
_SAFE_ID_RE = re.compile(r"[^A-Za-z0-9_-]")


def render_body(markdown: str, anchor_label: str = "链接到本节") -> RenderedBody:
    env: dict[str, Any] = {"anchor_label": anchor_label}
    tokens = _MD.parse(markdown, env)
    paragraphs = _number(tokens)
    html = _MD.renderer.render(tokens, _MD.options, env)
    text = "\n".join(t.content for t in tokens if t.type == "inline")
    return RenderedBody(html, text, paragraphs, len(PLACEHOLDER_RE.findall(text)))


def _number(tokens: list[Token]) -> int:
    """Give top-level paragraphs ids p1, p2…; give headings without an id a safe one."""
    count = headings = 0
    for token in tokens:
        if token.type == "paragraph_open" and token.level == 0:
            count += 1
            token.attrSet("id", f"p{count}")
            token.attrSet("data-n", str(count))
        elif token.type == "heading_open":
            headings += 1
            ident = _SAFE_ID_RE.sub("-", str(token.attrGet("id") or f"h{headings}"))
            token.attrSet("id", ident)
            for name in list(token.attrs):
                if name not in ("id",):
                    del token.attrs[name]  # block attributes may only set the id
    return count
