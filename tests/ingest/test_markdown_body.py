"""The Markdown body round-trips: whatever a speech says renders as exactly that text, never HTML.

Rendering uses the parser the site build will use: markdown-it-py's CommonMark preset plus the
attrs_block plugin that turns a `{#s1-2}` line into the next heading's id.
"""

from __future__ import annotations

import html
from html.parser import HTMLParser

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from mdit_py_plugins.attrs import attrs_block_plugin

from generator.ingest.outline import Block, Heading, Paragraph, Table
from generator.speech import escape_markdown, render_body

MD = MarkdownIt("commonmark").use(attrs_block_plugin)
BLOCK_TAGS = {"p", "h2", "h3", "h4", "h5", "h6"}


class _Collector(HTMLParser):
    """Every tag with its attributes, and the text of each block element."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.texts: list[str] = []
        self.inside = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag in BLOCK_TAGS:
            self.texts.append("")
            self.inside = True

    def handle_endtag(self, tag: str) -> None:
        if tag in BLOCK_TAGS:
            self.inside = False

    def handle_data(self, data: str) -> None:
        if self.inside:
            self.texts[-1] += data
        else:
            assert not data.strip(), f"text outside a block: {data!r}"


def render(markdown: str) -> _Collector:
    collector = _Collector()
    collector.feed(MD.render(markdown))
    collector.close()
    return collector


def assert_round_trips(text: str) -> None:
    escaped = escape_markdown(text)
    rendered = render(escaped)
    assert [tag for tag, _ in rendered.tags] == ["p"], (escaped, MD.render(escaped))
    assert rendered.texts == [text], escaped
    inline = MD.parse(escaped)[1]
    assert inline.children is not None
    assert {child.type for child in inline.children} == {"text"}
    assert "".join(child.content for child in inline.children) == text


# --- examples ---------------------------------------------------------------------------------

SPECIAL = [
    "<script>alert(1)</script>",
    "<img onerror=x>",
    '<a href="javascript:alert(1)">点我</a>',
    "<!-- 注释 -->",
    "&amp; &lt; &#x41; &copy",
    "a *b* _c_ **d** __e__ `f` ~~g~~ [h](i) ![j](k) <l@m.cn> <http://n.cn>",
    "{#s1} {.class} {key=value}",
    "表格 | 第一列 | 第二列 |",
    "反斜杠 \\ 和 \\* 和 \\\\",
    "# 不是标题",
    "## 也不是 ##",
    "1. 不是列表",
    "1) 不是列表",
    "2026. 年份后有空格",
    "- 不是列表",
    "+ 不是列表",
    "* 不是列表",
    "> 不是引用",
    "=",
    "===",
    "---",
    "***",
    "___",
    "```python",
    "~~~",
    "    四个空格不是代码块",
    "\t制表符开头",
    "\u3000全角空格开头",
    "结尾有空格  ",
    "[链接]: http://example.com",
    "1.5亿元",
    "10%的增长 #话题#",
]


@pytest.mark.parametrize("text", SPECIAL)
def test_special_text_round_trips(text: str) -> None:
    assert_round_trips(text)


def test_escaping_is_needed_at_all() -> None:
    """The examples would render as markup without escaping (so the test above can fail)."""
    for text in ("<script>alert(1)</script>", "1. 列表", "# 标题", "*强调*", "    代码", "{#x}"):
        assert MD.render(text) != f"<p>{html.escape(text, quote=False)}</p>\n"
        assert MD.render(escape_markdown(text)) == f"<p>{html.escape(text, quote=False)}</p>\n"


# --- property ---------------------------------------------------------------------------------

MARKDOWN_CHARS = st.sampled_from(list("*_[]<>&#|~{}\\`!()=+-.:;\"' \t\u3000") + list("0123456789"))
TEXT_CHARS = st.one_of(
    MARKDOWN_CHARS,
    st.sampled_from(list("讲话稿同志们一二三、，。abcXYZ")),
    # anything else but line breaks and control characters (a paragraph is one line of text)
    st.characters(exclude_categories=["Cc", "Cs", "Zl", "Zp"]),
)
LINE_START = st.sampled_from(
    ["", "1. ", "12) ", "- ", "+ ", "* ", "> ", "# ", "### ", "=", "---", "    ", "<", "{#x}", "|"]
)


@settings(max_examples=300, deadline=None)
@given(LINE_START, st.text(TEXT_CHARS, max_size=40))
@example("<script>", "alert(1)</script>")
@example("", "<img onerror=x>")
def test_any_text_round_trips(start: str, rest: str) -> None:
    text = start + rest
    if text:
        assert_round_trips(text)


# --- the whole body: headings with ids, paragraphs --------------------------------------------


def test_body_renders_headings_with_ids_and_plain_text() -> None:
    blocks: list[Block] = [
        Paragraph("同志们：<b>今天</b>开会。", 1),
        Heading(1, "s1", "一、*加强*领导。", 2),
        Paragraph("1. 要 # 落实 {#s9}", 2),
        Heading(2, "s1-1", "（一）[提高]认识 #", 3),
        Heading(3, "s1-1-1", "1.第一点", 4),
        Heading(6, "s1-1-1-1-1-1", "一是深层级", 5),
        Paragraph("> 结束 & 感谢", 6),
    ]
    rendered = render(render_body(blocks))
    assert rendered.tags == [
        ("p", {}),
        ("h2", {"id": "s1"}),
        ("p", {}),
        ("h3", {"id": "s1-1"}),
        ("h4", {"id": "s1-1-1"}),
        ("h6", {"id": "s1-1-1-1-1-1"}),
        ("p", {}),
    ]
    assert rendered.texts == [block.text for block in blocks]


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 4), st.text(TEXT_CHARS, min_size=1, max_size=20)),
        min_size=1,
        max_size=6,
    )
)
def test_any_body_round_trips(rows: list[tuple[int, str]]) -> None:
    blocks: list[Block] = [
        Heading(depth, f"s{index}", text, index) if depth else Paragraph(text, index)
        for index, (depth, text) in enumerate(rows, start=1)
    ]
    rendered = render(render_body(blocks))
    expected_tags = [
        (f"h{block.depth + 1}", {"id": block.id}) if isinstance(block, Heading) else ("p", {})
        for block in blocks
    ]
    assert rendered.tags == expected_tags
    assert rendered.texts == [block.text for block in blocks]


# --- tables -----------------------------------------------------------------------------------


class _Cells(HTMLParser):
    """The text of every table cell, row by row."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: list[list[str]] = []
        self.cell: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self.cell = ""

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append(self.cell)
            self.cell = None

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell += data


def table_cells(markdown: str) -> list[list[str]]:
    from generator.render.markdown import render_body as build_render

    parser = _Cells()
    parser.feed(build_render(markdown).html)
    parser.close()
    return parser.rows


CELL = st.text(
    st.sampled_from(list("指标完成×X，。|\\*_`[]<>&#-+=:!1. {}")), min_size=0, max_size=12
).map(str.strip)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(CELL, min_size=2, max_size=5), min_size=2, max_size=5))
@example([["指标", "完成"], ["财政收入", "9.8", "-2%", "未完成"]])  # a row wider than the head
@example([["| a |", "--- |"], ["<b>x</b>", "1. 列"]])
def test_a_table_block_renders_every_cell_as_written(rows: list[list[str]]) -> None:
    """Whatever the cells hold (pipes, Markdown, HTML), the build shows each as written, in
    its row and column; a row with more cells than the head loses none (the head is padded)."""
    table = Table(tuple(tuple(row) for row in rows), 1)
    shown = table_cells(render_body([Paragraph("表前。", 1), table]))
    width = max(len(row) for row in rows)
    assert shown == [row + [""] * (width - len(row)) for row in rows]
