"""Speech bodies → HTML: the fast path gives exactly markdown-it's output, and text stays text."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.render.markdown import (
    RenderedBody,
    render_body,
    render_plain_subset,
    render_with_markdown_it,
)
from generator.speech import escape_markdown

ALPHABET = st.sampled_from(
    list("讲话落实作风×XxX○□＊二年甲乙，。！？“”（）、：；")
    + list(" \u3000\t")
    + list("abc123.,;:!?()\"'*_`[]<>&#|~{}\\/-+=>")
)
TEXT = st.text(ALPHABET, min_size=1, max_size=40)


def same(markdown: str) -> None:
    fast = render_plain_subset(markdown, "链接")
    if fast is not None:
        assert fast == render_with_markdown_it(markdown, "链接")


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(st.booleans(), TEXT), min_size=1, max_size=6))
def test_fast_path_equals_markdown_it_on_ingest_output(blocks: list[tuple[bool, str]]) -> None:
    parts = []
    for index, (heading, text) in enumerate(blocks):
        escaped = escape_markdown(text)
        parts.append(f"{{#s{index}}}\n## {escaped}" if heading else escaped)
    markdown = "\n\n".join(parts) + "\n"
    same(markdown)


@settings(max_examples=400, deadline=None)
@given(st.text(ALPHABET, max_size=80).map(lambda t: t.replace("|", "\n")))
def test_fast_path_equals_markdown_it_on_arbitrary_markdown(markdown: str) -> None:
    same(markdown)


def test_ingest_output_takes_the_fast_path() -> None:
    body = "{#s1}\n## 一、总体要求\n\n同志们：\n\n今年要做好三件事\\*，××同志负责。\n"
    assert render_plain_subset(body, "链接") is not None


def test_hand_written_markdown_falls_back_to_markdown_it() -> None:
    body = "一段话。\n\n- 列表项\n- 另一项\n\n**强调**的话。\n"
    assert render_plain_subset(body, "链接") is None
    html = render_body(body).html
    assert "<li>列表项</li>" in html and "<strong>强调</strong>" in html


def test_indented_and_fenced_text_is_shown_and_searchable() -> None:
    """An indented paragraph (pasted with its indent) is a paragraph, not code; a fenced block
    stays as it is, and both are in the text that search and 字数 see."""
    body = render_body("    今年以来，地区生产总值增长6.5%。\n\n```\n附表一\n```\n")
    assert '<p id="p1" data-n="1">今年以来，地区生产总值增长6.5%。</p>' in body.html
    assert "<pre><code>附表一" in body.html
    assert body.text == "今年以来，地区生产总值增长6.5%。\n附表一"
    assert [text for _, _, text in body.blocks] == ["今年以来，地区生产总值增长6.5%。", "附表一"]


def test_a_table_renders_in_a_named_scrolling_region_and_its_cells_are_searchable() -> None:
    """A pipe table (ingest writes a speech's tables so, editors write them by hand) is a
    table, in a focusable region that scrolls on a narrow screen; its cells stay escaped text."""
    body = render_body(
        "主要指标如下。\n\n| 指标 | 完成 |\n| --- | --- |\n| 财政收入 | ××亿元 |\n"
        "| <b>税收</b> | 9.8% |\n\n表后一段。\n",
        table_label="表格",
    )
    assert '<div class="table-wrap" role="region" tabindex="0" aria-label="表格 1">' in body.html
    twice = render_body("| 甲 |\n| --- |\n| 1 |\n\n段落。\n\n| 乙 |\n| --- |\n| 2 |\n").html
    assert [m for m in re.findall(r'aria-label="([^"]+)"', twice)] == ["表格 1", "表格 2"]
    assert "<th>指标</th>" in body.html and "<td>财政收入</td>" in body.html
    assert "<td>&lt;b&gt;税收&lt;/b&gt;</td>" in body.html
    assert '<mark class="placeholder" title="匿名化占位符">××</mark>亿元' in body.html
    assert body.paragraphs == 2  # the table is no numbered paragraph
    texts = [text for _, _, text in body.blocks]
    assert texts == [
        "主要指标如下。",
        "指标",
        "完成",
        "财政收入",
        "××亿元",
        "<b>税收</b>",
        "9.8%",
        "表后一段。",
    ]


def test_footnotes_render_and_a_reference_definition_stays_text() -> None:
    """An editor's footnote ([^1]) links to its note, shown after the text and searchable; a
    link reference definition ([1]: …) is a line of text, not a vanished line and a link."""
    body = render_body(
        "这是有脚注的一句话[^1]。\n\n[^1]: 脚注内容。\n\n引用[1]。\n\n[1]: 参考文献一\n"
    )
    assert '<sup class="footnote-ref"><a href="#fn1" id="fnref1">[1]</a></sup>' in body.html
    assert '<li id="fn1" class="footnote-item"><p>脚注内容。' in body.html
    assert '<p id="p3" data-n="3">[1]: 参考文献一</p>' in body.html
    assert "参考文献一" in body.text and "脚注内容。" in body.text
    assert 'href="%' not in body.html  # no link to a page named after the text


def test_heading_ids_stay_unique_whatever_the_anchors() -> None:
    """An anchor in a quote or a list, one the page uses itself, one taken already or one not
    plain ASCII gives its heading no id of its own: h<n> instead, so the page's ids stay
    unique (the skip link keeps its <main>, the contents' s1 its heading)."""
    body = render_body(
        "> {#s1}\n> ## 引用\n\n{#main}\n## 甲\n\n{#第一}\n## 乙\n\n{#s1}\n## 正\n\n{#s1}\n## 又\n"
    )
    ids = re.findall(r'<h2 id="([^"]+)"', body.html)
    assert ids == ["h1", "h2", "h3", "s1", "h5"]


def test_a_line_break_inside_a_paragraph_is_a_space_between_words_only() -> None:
    """An editor's line break inside a paragraph: between Latin words a space (in the text
    search, excerpts and feeds read: not workhard), between Chinese characters nothing (on
    the page too, where a browser drew the newline as a gap inside 落实)."""
    body = render_body("We must work\nhard and serve the people. 抓好落\n实工作。\n")
    assert body.text == "We must work hard and serve the people. 抓好落实工作。"
    assert body.html == (
        '<p id="p1" data-n="1">We must work\nhard and serve the people. 抓好落实工作。</p>\n'
    )
    assert [text for _, _, text in body.blocks] == [body.text]


def test_an_editors_comment_is_not_published_and_a_body_h1_is_a_section() -> None:
    """<!-- 待核实 --> is an editor's note: with raw HTML off it showed as text on the page and
    in search; escaped text (\\<!--, as ingest writes a speech's own) stays. A # heading in the
    body is a section (h2): the page's title is its one h1."""
    body = render_body("# 标题\n\n正文<!-- 待核实 -->。\n\n<!--\n多行\n-->\n\n\\<!-- 文字 -->\n")
    assert "待核实" not in body.html and "多行" not in body.text
    assert '<p id="p2" data-n="2">&lt;!-- 文字 --&gt;</p>' in body.html
    assert body.html.startswith('<h2 id="h1">标题')
    assert "<h1" not in body.html


@pytest.mark.parametrize(
    ("markdown", "tags"),
    [
        ("### 一、总体要求\n\n正文。\n\n#### （一）目标\n\n正文。\n", ["h2", "h3"]),
        ("{#s1}\n### 一、总体要求\n\n正文。\n", ["h2"]),
        ("# 一、总体要求\n\n## （一）目标\n\n### 1.任务\n", ["h2", "h2", "h3"]),
        ("## 一、总体要求\n\n#### （一）目标\n", ["h2", "h4"]),
    ],
)
def test_a_bodys_top_headings_are_h2_under_the_pages_title(markdown: str, tags: list[str]) -> None:
    """Probe 11: an editor's ### right under the page's h1 skipped a level (axe's
    heading-order); the body's headings move up together, the fast path as markdown-it."""
    for body in (render_with_markdown_it(markdown, "链接"), render_body(markdown)):
        assert re.findall(r"<(h\d) id=", body.html) == tags
    same(markdown)


def test_paragraphs_are_numbered_and_headings_anchored() -> None:
    body = render_body("{#s1}\n## 一、总体\n\n第一段。\n\n第二段。\n", "链接到本节")
    assert '<h2 id="s1">一、总体<a class="heading-anchor" href="#s1"' in body.html
    assert '<p id="p1" data-n="1">第一段。</p>' in body.html
    assert '<p id="p2" data-n="2">第二段。</p>' in body.html
    assert body.paragraphs == 2


def test_block_attributes_set_a_headings_id_and_nothing_else() -> None:
    """`{…}` above a block may name a heading; on any block it must not style the page, take a
    class or data attribute of the theme, or replace a paragraph's number."""
    evil = '{style="position:fixed;top:0;width:100%;height:100%" .evil #main data-x="1"}\n'
    markdown = (
        f'{{#s1 style="color:red" .big}}\n## 一、总体\n\n{evil}第一段。\n\n'
        f"{evil}- 一项\n- 二项\n\n{evil}> 引文\n\n{evil}3. 第三\n4. 第四\n"
    )
    html = render_body(markdown).html
    assert '<h2 id="s1">' in html
    assert '<p id="p1" data-n="1">第一段。</p>' in html
    for leaked in ("style=", "evil", "big", 'id="main"', "data-x"):
        assert leaked not in html, leaked
    assert "<ul>" in html and "<blockquote>" in html
    assert '<ol start="3">' in html  # (a list's own start is kept)


def test_placeholders_are_marked_but_multiplication_is_not() -> None:
    body = render_body("×书记和XX同志，规模2×35万千瓦，xx小时。\n")
    assert body.html.count('<mark class="placeholder"') == 3
    assert "2×35" in body.html
    assert body.placeholders == 3


def test_an_x_in_a_word_or_a_number_is_no_placeholder() -> None:
    body = render_body("购置X光机和X射线设备，4X100米接力，X86服务器，X同志，XX光伏公司。\n")
    assert body.placeholders == 2  # X同志, XX光伏公司
    assert '<mark class="placeholder" title="匿名化占位符">X</mark>同志' in body.html
    assert '<mark class="placeholder" title="匿名化占位符">XX</mark>光伏' in body.html


def test_technical_words_names_and_spaced_multiplication_are_no_placeholders() -> None:
    """Probe 11: X线机, X型钢, X轴, X染色体, iPhone X, X-ray and 2 × 3 were all marked (11
    placeholders counted where there were 4)."""
    body = render_body(
        "X线机、X型钢结构、X轴坐标、X染色体、iPhone X、X-ray、比分 2 × 3。"
        "第X条，XX县，××同志，xx局长，联系人××× 13800000000，王×× 2023年任职。\n"
    )
    marked = re.findall(r'<mark class="placeholder"[^>]*>([^<]*)</mark>', body.html)
    assert marked == ["X", "XX", "××", "xx", "×××", "××"]  # (runs whole: review)
    assert body.placeholders == 6


def test_circles_boxes_and_asterisks_that_withhold_are_placeholders() -> None:
    """○○○同志, 王＊＊, 原\\*\\*县 and 移送□□人 withhold names and numbers as × does; the
    circles of a year (二○○八年) and a lone bullet ○ or checkbox □ do not."""
    body = render_body("○○○同志，王＊＊，原\\*\\*县局局长，移送□□人。二○○八年，○ 要点，□ 同意。\n")
    marked = re.findall(r'<mark class="placeholder"[^>]*>([^<]*)</mark>', body.html)
    assert marked == ["○○○", "＊＊", "**", "□□"]
    assert body.placeholders == 4
    assert "二○○八年" in body.html


def test_markup_in_speech_text_stays_text() -> None:
    for text in ("<script>alert(1)</script>", "<img src=x onerror=alert(1)>", 'a & b "q"'):
        body = render_body(escape_markdown(text) + "\n")
        assert "<script" not in body.html and "<img" not in body.html
        assert body.text == text


def test_text_has_no_markdown_escapes() -> None:
    assert render_body(escape_markdown("一*二_三[四]") + "\n").text == "一*二_三[四]"


WHITESPACE = [chr(c) for c in range(0x3001) if chr(c).isspace()]  # tab … U+3000 ideographic


@settings(max_examples=300, deadline=None)
@given(st.text(st.sampled_from([*WHITESPACE, "讲", "话", "a", "1", "，", "\u200b", "\ufeff"])))
def test_chars_counts_what_is_not_regex_whitespace(text: str) -> None:
    import re

    body = RenderedBody("", text, 0, 0)
    assert body.chars == len(re.sub(r"\s", "", text))


def test_chars_leaves_out_every_kind_of_whitespace() -> None:
    assert len(WHITESPACE) >= 20  # (the sampled alphabet holds every one of them)
    assert RenderedBody("", "讲\u3000话\n落\u00a0实\t作 风\u2028", 0, 0).chars == 6


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_a_body_is_plain_inline_exactly_when_no_block_needs_escaping_or_marking(text: str) -> None:
    from generator.render.markdown import (
        _MAY_HOLD_PLACEHOLDER_RE,
        _NEEDS_ESCAPE_RE,
        _plain_inline,
    )

    needs = _NEEDS_ESCAPE_RE.search(text) or _MAY_HOLD_PLACEHOLDER_RE.search(text)
    assert _plain_inline(text) is (needs is None)


@pytest.mark.parametrize(
    "opening",
    [
        "同志们：",
        "各位代表、各位委员：",
        "Ladies and gentlemen,",
        "Dear friends,",
        "Distinguished guests, ladies and gentlemen,",
        "Good morning!",
        "Your Excellency President Li Wei, distinguished guests, ladies and gentlemen:",
        "Dear colleagues and friends from around the world,",
    ],
)
def test_an_opening_address_is_the_salutation_in_english_too(opening: str) -> None:
    """An English speech's address alone on its paragraph is set as 同志们： is (class
    salutation, flush left) and is no excerpt; longer than a Chinese one, it was neither."""
    markdown = f"{escape_markdown(opening)}\n\nIt is my great pleasure to welcome you here.\n"
    for body in (render_body(markdown), render_with_markdown_it(markdown, "链接")):
        assert body.html.startswith('<p id="p1" data-n="1" class="salutation">'), body.html
        assert body.lead == "It is my great pleasure to welcome you here."


@pytest.mark.parametrize(
    "first",
    [
        "同志们，今天我们召开全县大会，部署今年的工作。",  # an address, then the sentence
        "Ladies and gentlemen, today we gather to open the fair.",
        "Dear friends, it is an honour to be here.",
        "Students, teachers and parents have worked hard for this day!",
        "Members of the committee agreed!",
        "Thank you very much, Mr. Chairman, for the kind introduction.",
        "一年来，全县上下团结一心，各项工作取得新成效。",
        "Good morning, and welcome to the Hailar International Trade Fair!",
    ],
)
def test_a_sentence_is_no_salutation(first: str) -> None:
    markdown = f"{escape_markdown(first)}\n\n第二段。\n"
    for body in (render_body(markdown), render_with_markdown_it(markdown, "链接")):
        assert body.html.startswith('<p id="p1" data-n="1">'), body.html
        assert body.lead == first
