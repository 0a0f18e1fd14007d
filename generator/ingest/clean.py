"""Cleaning: raw source lines → paragraphs of speech text.

Each step is a small function over a list of `Line`s, applied in a fixed order by
`clean_lines`. Every removed line is recorded with its reason, so the report can show exactly
what was dropped and a user can check that nothing of the speech went with it.
"""

from __future__ import annotations

import functools
import html
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import accumulate, pairwise

from generator.config import BlockRule, Boilerplate, LineRule
from generator.ingest import markdown, watermark
from generator.ingest.decode import SourceLine
from generator.ingest.mail import mail_top
from generator.ingest.pagemarks import is_page_break, is_page_mark
from generator.ingest.punct import to_fullwidth
from generator.ingest.script import compile_either
from generator.text import (
    ADDRESS_LETTERS,
    HAN,
    HAN_RE,
    INDENT_CHARS,
    INVISIBLE_RE,
    ODD_SPACE_RE,
    TERMINAL,
    english_address_line,
    is_cjk,
)


@dataclass
class Line:
    """A line or paragraph on its way through the cleaner; `line` is its first source line."""

    text: str
    line: int
    heading_level: int | None = None
    joined: bool = False  # assembled from more than one source line
    table: bool = False  # a table: rows separated by "\n", cells by "\t" (see group_tables)
    indented: bool = False  # its source line began with an indent (see indent_layout)
    foot_note: bool = False  # a note at a page's foot, inside a sentence (see page_foot_notes)


@dataclass
class Removed:
    line: int
    text: str
    reason: str


@dataclass
class Cleaned:
    paragraphs: list[Line]
    removed: list[Removed] = field(default_factory=list)
    mail_subject: str | None = None  # the subject of the mail the speech was forwarded in
    front_title: str | None = None  # the title field of a Markdown export's front matter


def clean_lines(
    source: Iterable[SourceLine], rules: Boilerplate, is_markdown: bool = False
) -> Cleaned:
    """Normalise characters, drop boilerplate, and re-join broken lines into paragraphs.
    `is_markdown`: the file says it is Markdown (.md), so `**` and `__` pairs are emphasis
    wherever they stand (要**坚决**落实), not characters an anonymised text withheld (刘**),
    and backticks mark code, not quotations."""
    rules = either_script_rules(rules)
    removed: list[Removed] = []
    source_lines, front_title = markdown_syntax(
        [Line(s.text, s.line, s.heading_level) for s in source], removed
    )
    if is_markdown:
        source_lines = [_markdown_inline(line) for line in source_lines]
    pieces = [(s, piece) for s in source_lines for piece in from_html(s.text)]
    one_line = one_line_text([piece for _, piece in pieces])
    lines = group_tables(
        [
            Line(text, s.line, s.heading_level)
            for s, html_piece in pieces
            for text in split_flattened(html_piece, one_line)
            if not _only_invisible(text)
        ],
        rules,
    )
    lines, subject = remove_mail_headers(lines, removed)
    lines = fold_split_marks(lines)
    lines = strip_symbol_bullets(lines, removed)
    lines = remove_blocks(lines, rules, removed)
    lines = remove_running_heads(lines, removed, rules)
    lines = remove_contents(lines, removed)
    lines = remove_lines(lines, rules, removed)
    lines = remove_inline(lines, rules, removed)
    lines = remove_watermark(lines, removed)
    lines = remove_reference_marks(lines, removed)
    paragraphs = join_broken_lines(lines)
    labels = list_numbers_set_off(paragraphs)
    for index, paragraph in enumerate(paragraphs):
        if paragraph.table:
            paragraph.text = map_cells(paragraph.text, lambda cell: tidy_spaces(to_fullwidth(cell)))
            continue
        text = strip_reference_marks(paragraph, removed)
        paragraph.text = _tidy_set_off(text) if index in labels else _tidy(text)
    # Short tails are judged on finished text, so a second cleaning sees what the first saw.
    paragraphs = join_short_tails([p for p in paragraphs if p.text])
    paragraphs = _rejudged(paragraphs, rules, removed)
    return Cleaned(paragraphs, removed, subject, front_title)


def _tidy(text: str) -> str:
    # Spaces are tidied again after the conversion: "：" is Chinese where ":" was not.
    return tidy_spaces(to_fullwidth(tidy_spaces(text)))


# A paragraph opening with a list's number: set off by a space before Chinese text that is no
# figure's unit (1 建立常态化督查机制。…, not 10 个城区… or 3 月底前…), or with its own mark
# (1. 1、, not 1.5亿).
_FIGURE_UNITS = "个家名位年月日号万亿元倍岁户亩吨余%％"
_SET_OFF_NUMBER_RE = compile_either(
    rf"^[ \u3000]*(?P<n>\d{{1,2}})[ \u3000]+(?=[{HAN}])(?![{_FIGURE_UNITS}])"
)
_MARKED_NUMBER_RE = compile_either(r"^[ \u3000]*(?P<n>\d{1,2})[.．、](?!\d)")


def list_numbers_set_off(paragraphs: Sequence[Line]) -> set[int]:
    """The paragraphs (by index) whose opening number, set off by a space, labels an item of a
    list: 1 建立常态化督查机制。市创建办要…, as a list number and its tab are copied. Removing
    the space made 1建立…, which reads as a figure, and the outline lost the item.

    A number is a label where its list goes on around it: the number before it opens an
    earlier paragraph, or the one after it a later one (1 … 2 …, or 1、… 2 …). A figure that
    opens a paragraph with a stray space (12 大工程全部开工) has no such neighbours. (Only a
    number that passes is a neighbour of another, so a second cleaning finds the same.)"""
    numbers: list[tuple[int, int, bool]] = []  # (paragraph, its number, set off by a space)
    for index, paragraph in enumerate(paragraphs):
        if paragraph.table:
            continue
        spaced = _SET_OFF_NUMBER_RE.match(paragraph.text)
        found = spaced or _MARKED_NUMBER_RE.match(paragraph.text)
        if found is not None:
            numbers.append((index, int(found.group("n")), spaced is not None))
    later = Counter(number for _, number, _ in numbers)
    earlier: set[int] = set()
    labels: set[int] = set()
    for index, number, set_off in numbers:
        later[number] -= 1
        if set_off and (number - 1 in earlier or later[number + 1] > 0):
            labels.add(index)
        earlier.add(number)
    return labels


def _tidy_set_off(text: str) -> str:
    """A list item's text with its number set off by one ideographic space, as a label set off
    from a short heading is (see _LABEL_SPACE_RE): 1　建立常态化督查机制。…"""
    found = _SET_OFF_NUMBER_RE.match(text)
    if found is None:  # (a reference mark before the number, now gone)
        return _tidy(text)
    return f"{found.group('n')}\u3000{_tidy(text[found.end() :])}"


def _rejudged(paragraphs: list[Line], rules: Boilerplate, removed: list[Removed]) -> list[Line]:
    """Joining can assemble a boilerplate line from pieces ("来源" + "：新华社"), so the line
    rules look again at every paragraph that joining made; that also keeps the cleaner
    idempotent. They look at it among all the paragraphs, as a second cleaning does: among the
    joined ones alone, two far apart stood side by side (a colon list's header, …：, then
    来源：县政府网, taken for its item and kept, and removed the second time)."""
    if not any(p.joined for p in paragraphs):
        return paragraphs
    verdicts: list[Removed] = []
    kept = {id(p) for p in remove_lines(paragraphs, rules, verdicts)}
    gone = {(p.line, p.text) for p in paragraphs if p.joined and id(p) not in kept}
    removed.extend(verdict for verdict in verdicts if (verdict.line, verdict.text) in gone)
    return [p for p in paragraphs if not p.joined or id(p) in kept]


# --- Markdown's syntax (generator.ingest.markdown) ----------------------------------------------


def markdown_syntax(lines: list[Line], removed: list[Removed]) -> tuple[list[Line], str | None]:
    """The lines without a Markdown export's front matter (recorded as removed; its title
    returned, for a text without a title line), editors' comments (recorded), bullet lists'
    marks and rules (a blank line: they part paragraphs). A bullet is a list's mark where two
    lines or more start with it; one `- ` alone may be the text's own dash."""
    texts = [line.text for line in lines]
    front = markdown.front_matter(texts)
    title = None
    if front is not None:
        removed.extend(
            Removed(lines[i].line, texts[i], "front matter") for i in front.lines if texts[i]
        )
        lines = [line for index, line in enumerate(lines) if index not in front.lines]
        title = front.title
    if any("<!--" in line.text for line in lines):
        lines = _without_comments(lines, removed)
    if any("![" in line.text for line in lines):
        lines = _without_images(lines, removed)
    return _without_list_marks(lines), title


def _without_images(lines: list[Line], removed: list[Removed]) -> list[Line]:
    """A Markdown image (![会议现场](photo.png)) is cut out of its line and recorded: the page
    shows no picture of it, and its alt text is a caption, not the speech."""
    kept: list[Line] = []
    for line in lines:
        text, cut = markdown.images(line.text)
        removed.extend(Removed(line.line, piece, "image") for piece in cut)
        kept.append(line if not cut else Line(text, line.line, line.heading_level))
    return kept


def _without_comments(lines: list[Line], removed: list[Removed]) -> list[Line]:
    """A line that was nothing but a comment goes (it parted no paragraphs: Markdown shows
    nothing there); a comment inside a line is cut out of it."""
    kept: list[Line] = []
    for line, (text, cut) in zip(
        lines, markdown.comments([each.text for each in lines]), strict=True
    ):
        removed.extend(Removed(line.line, piece, "comment") for piece in cut)
        if text.strip() or not cut:
            kept.append(Line(text, line.line, line.heading_level))
    return kept


def _without_list_marks(lines: list[Line]) -> list[Line]:
    texts = [line.text for line in lines]
    bullets = {i: found for i, text in enumerate(texts) if (found := markdown.bullet_end(text))}
    lists = Counter(mark for mark, _ in bullets.values())
    out: list[Line] = []
    for index, line in enumerate(lines):
        text = line.text
        if markdown.is_rule(texts, index) or markdown.is_fence(text):
            text = ""
        elif index in bullets and lists[bullets[index][0]] >= 2:
            text = text[bullets[index][1] :]
        out.append(line if text == line.text else Line(text, line.line, line.heading_level))
    return out


# --- tables -------------------------------------------------------------------------------------
# A table copied out of Word, Excel or a web page arrives as lines of cells between tabs
# (指标\t目标\t完成). Folding the tabs to spaces, as other odd spaces are, glued the cells
# together (地区生产总值120亿元125亿元6.5%); a run of such rows is kept as a table instead, which
# no line rule removes and no line joins, and which the writer turns into a Markdown table.

_CELL_SPLIT_RE = re.compile(r"\t+")


def row_cells(text: str) -> list[str] | None:
    """The cells of a line that has text on both sides of a tab (an indent is no cell), each
    normalised; None for any other line."""
    inner = text.strip(INDENT_CHARS + "\t\r\n")
    if "\t" not in inner:
        return None
    cells = [normalise_chars(cell) for cell in _CELL_SPLIT_RE.split(inner)]
    return cells if sum(bool(cell) for cell in cells) >= 2 else None


def group_tables(lines: list[Line], rules: Boilerplate | None = None) -> list[Line]:
    """Normalise every line; make each run of two or more rows (blank lines between them
    allowed) one Line holding the table. A lone row is a line like any other. Rows set out
    with bars are no table when line rules remove most of them (编辑 | 李娜 / 校对 | 赵敏: a
    page's credits)."""
    out: list[Line] = []
    index = 0
    while index < len(lines):
        rows, end = _table_at(lines, index, row_cells)
        if len(rows) < 2:
            rows, end = _aligned_table_at(lines, index)
        if len(rows) < 2 and ("|" in lines[index].text or "｜" in lines[index].text):
            rows, end = _aligned_table_at(lines, index, pipe_cells)
            if rules is not None and _mostly_chrome(lines[index:end], rules):
                rows, end = [], index
        if len(rows) >= 2:
            first = lines[index]
            out.append(Line("\n".join("\t".join(r) for r in rows), first.line, table=True))
            index = end
            continue
        line = lines[index]
        normal = normalise_chars(line.text)
        text = without_markdown_mark(normal)
        indented = line.text[:1] in _INDENTS and bool(text)
        out.append(Line(text, line.line, _heading_level(line, normal, text), indented=indented))
        index += 1
    return out


def _table_at(
    lines: list[Line], start: int, cells_of: Callable[[str], list[str] | None]
) -> tuple[list[list[str]], int]:
    """The rows of the table starting at `start` (none if it is no row), each line's cells by
    `cells_of`, and the index after its last row."""
    rows: list[list[str]] = []
    index = end = start
    while index < len(lines):
        line = lines[index]
        if not line.text.strip():
            index += 1
            continue
        cells = cells_of(line.text) if line.heading_level is None else None
        if cells is None:
            break
        rows.append(cells)
        index = end = index + 1
    return rows, end


# A table set out with spaces (a fixed-width export): cells apart by runs of two spaces or
# more. Weaker evidence than tabs, so three rows or more, each with as many cells, none of
# them prose or letter-spaced OCR (全 县  经 济: its wider gaps are between words).
_CELL_GAP_RE = re.compile(r" {2,}|\u3000+")
_ALIGNED_MIN_ROWS = 3
_ALIGNED_CELL_MAX = 30


# A list item's number set off by one ideographic space (1　建立…), as the cleaner itself writes
# it (_tidy_set_off): the item's text, not a second cell, so a run of three such items read
# again is still a list, not a two-column table.
_SET_OFF_ITEM_RE = re.compile(r"^\d{1,2}\u3000(?=[^\s\u3000])")


def aligned_cells(text: str) -> list[str] | None:
    inner = text.strip(INDENT_CHARS + "\r\n")
    cells = [cell.strip() for cell in _CELL_GAP_RE.split(inner)]
    if len(cells) == 2 and _SET_OFF_ITEM_RE.match(inner):
        return None
    return _table_cells(cells)


def _table_cells(cells: list[str]) -> list[str] | None:
    """Cells of a row set out by spaces or bars, normalised: two or more, none empty, long
    or a sentence (prose, or letter-spaced OCR, is no table)."""
    if len(cells) < 2 or not all(cells) or any(len(cell) > _ALIGNED_CELL_MAX for cell in cells):
        return None
    if any(cell[-1] in "。！？；" or cell.count(" ") > 1 for cell in cells):
        return None
    return [normalise_chars(cell) for cell in cells]


# A table set out with bars, as a web page's or Markdown's is copied (事项 | 原时限 | 现时限,
# | a | b |): cells between bars, a Markdown rule row (|---|---|) left out. A run of them was
# glued into one escaped paragraph, and a row naming 注册 was taken for a site's menu.
_PIPE_RE = re.compile(r"\s*[|｜]\s*")
_RULE_ROW_RE = re.compile(r"^\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)+\|?$")


def _mostly_chrome(lines: list[Line], rules: Boilerplate) -> bool:
    texts = [line.text for line in lines if line.text.strip()]
    chrome = sum(line_rule(text, rules) is not None for text in texts)
    return 2 * chrome > len(texts)


def pipe_cells(text: str) -> list[str] | None:
    inner = text.strip(INDENT_CHARS + "\r\n")
    if _RULE_ROW_RE.match(inner):
        return []  # (a row of the table that holds no cells)
    if "|" not in inner and "｜" not in inner:
        return None
    return _table_cells(_PIPE_RE.split(inner.strip("|｜ ")))


def _aligned_table_at(
    lines: list[Line], start: int, cells_of: Callable[[str], list[str] | None] = aligned_cells
) -> tuple[list[list[str]], int]:
    rows, end = _table_at(lines, start, cells_of)
    # The rows from the top with as many cells as the first (a Markdown rule row, no cells,
    # among them).
    even = next((i for i, row in enumerate(rows) if row and len(row) != len(rows[0])), len(rows))
    if even < _ALIGNED_MIN_ROWS or not rows[0]:
        return [], start
    if even < len(rows):
        end = _end_of_rows(lines, start, even)
    return [row for row in rows[:even] if row], end


def _end_of_rows(lines: list[Line], start: int, count: int) -> int:
    """The index after the `count`-th non-blank line from `start`."""
    index = start
    while count:
        if lines[index].text.strip():
            count -= 1
        index += 1
    return index


def map_cells(table: str, change: Callable[[str], str]) -> str:
    """A table's text with `change` applied to each of its cells."""
    return "\n".join("\t".join(change(c) for c in row.split("\t")) for row in table.split("\n"))


# Text copied out of a page's source: entities (&ldquo; &nbsp; &#8220;) and the tags of
# paragraphs, line breaks and inline styling. Only these tags: a "<" in a speech stays.
_ENTITY_RE = compile_either(r"&(?:[A-Za-z][A-Za-z0-9]{1,31}|#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6});")
_BREAK_TAG_RE = compile_either(r"<(?:br|/?p|/?div)(?:\s[^<>]{0,200})?\s*/?>", re.IGNORECASE)
_INLINE_TAG_RE = compile_either(
    r"</?(?:span|font|strong|b|em|i|u|a|sup|sub)(?:\s[^<>]{0,200})?>", re.IGNORECASE
)


# Emphasis a Markdown editor left in the text (**一、总体要求**), and a heading set in
# brackets (【一、总体要求】): the heading without its wrapping.
# (Not ** standing for withheld characters, as anonymised texts write them: 原**县**局局长, 刘**:
# emphasis opens its line or holds four characters or more, and ends at a mark or the end.)
# The same for __…__ (__一、2014年工作回顾__), which some editors write for bold.
_WITHHELD_RE = compile_either(r"\*\*[^*\s]{1,3}\*\*(?!\*)")  # 原**县**局: a line that withholds
_BOLD_RE = compile_either(
    r"(?:^|(?=\*\*[^*\s]{4}))\*\*(?=\S)([^*]+?)"
    r"(?:(?<=[。！？；：，、.!?;:])\*\*|(?<=\S)\*\*(?=$|[\s，。！？；：、,.!?;:）)”’」』】]))"
)
_UNDERSCORE_BOLD_RE = compile_either(
    r"(?:^|(?=__[^_\s]{4}))__(?=\S)([^_]+?)"
    r"(?:(?<=[。！？；：，、.!?;:])__|(?<=\S)__(?=$|[\s，。！？；：、,.!?;:）)”’」』】]))"
)
_BRACKETED_HEADING_RE = compile_either(
    r"^【((?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[）)]|\d+[.．、])[^【】]+)】$"
)


# A heading's label alone in 【】 before its title: 【第一部分】深刻认识…, 【一】…: the label as the
# outline reads it, set off by a space.
_BRACKETED_LABEL_RE = compile_either(
    r"^【((?:第[一二三四五六七八九十]+(?:部分|章))|[一二三四五六七八九十]+)】[ \u3000]*(?=[^\s【】。！？])"
)


# Strong emphasis as CommonMark reads it, for a file that is Markdown: a pair of ** or __ around
# text that neither starts nor ends with a space, wherever the pair stands.
_STRONG_RE = compile_either(r"\*\*(?=[^\s*])(.+?)(?<=[^\s*])\*\*|__(?=[^\s_])(.+?)(?<=[^\s_])__")


def _markdown_inline(line: Line) -> Line:
    """A Markdown file's line without its strong emphasis and code spans' marks."""
    text = markdown.without_code_marks(line.text)
    if "**" in text or "__" in text:
        text = _STRONG_RE.sub(lambda found: found.group(1) or found.group(2), text)
    return line if text == line.text else Line(text, line.line, line.heading_level)


# A Markdown heading's or quote's mark opening a line (## 一、…, > 2024年6月3日); not a
# topic tag (#乡村振兴, #话题#), which has no space after its #.
_MARKDOWN_LINE_MARK_RE = compile_either(r"^(?:#{1,6}\s+|>\s*)(?=[^#>\s])")


def from_html(text: str) -> list[str]:
    """The line as text: tags of breaks split it, inline tags go, entities are decoded, and
    Markdown's escapes and emphasis and a bracketed heading lose their wrapping. (Escapes go
    before emphasis, `\\*\\*要点\\*\\*` being bold too: a second cleaning sees no more.
    Invisible characters go first, as normalise_chars takes them later: one between a
    backslash and its mark hid the escape once, and the next cleaning found it.)"""
    if INVISIBLE_RE.search(text) and INVISIBLE_RE.sub("", text).strip():  # (a line of only
        text = INVISIBLE_RE.sub("", text)  # them stays: a wiki's link left one, no break)
    if "<" in text:
        text = _INLINE_TAG_RE.sub("", text)
        if _BREAK_TAG_RE.search(text):
            return [piece for part in _BREAK_TAG_RE.split(text) for piece in from_html(part)]
    if "&" in text and _ENTITY_RE.search(text):
        text = html.unescape(text)
    text = markdown.unescape(markdown.without_links(text))
    if "**" in text and not _WITHHELD_RE.search(text):
        text = _BOLD_RE.sub(r"\1", text)
    if "__" in text:
        text = _UNDERSCORE_BOLD_RE.sub(r"\1", text)
    text = markdown.without_emphasis(text)
    if text.startswith("【"):
        text = _BRACKETED_HEADING_RE.sub(r"\1", text.strip())
        text = _BRACKETED_LABEL_RE.sub("\\1\u3000", text)
    return [text]


# A page's paragraphs flattened into one long line keep the indent each paragraph began with
# (　　今天，我们召开…　　一、认清形势…) or the gap between them: a run of two or more spaces.
_FLATTENED_MIN = 300  # characters of a line that may be a whole flattened text
_PARAGRAPH_GAP_RE = re.compile(r"[ \u3000]{2,}")


def split_flattened(text: str, one_line: bool = False) -> list[str]:
    """A long line that holds several paragraphs, split where each began; a heading's short
    title and the text set off from it by a space (二、聚焦重点 要集中力量…。), split there — the
    space dropped, the title ran into the sentence; any other line as it is. Not a
    letter-spaced line (全 县 经 济), whose wider gaps are between words. The line that holds
    the whole text (`one_line`: see one_line_text) is split by its words too (split_run_on)."""
    titled = _TITLE_SPACE_RE.match(text.strip(INDENT_CHARS))
    if titled:
        return [titled.group(1), titled.group(2)]
    pieces = [text]
    if len(text) >= _FLATTENED_MIN and _PARAGRAPH_GAP_RE.search(text.strip(INDENT_CHARS)):
        words = [word for word in re.split(r"[ \u3000]+", text) if word]
        if sum(len(word) == 1 for word in words) <= 0.3 * len(words):
            pieces = [piece for piece in _PARAGRAPH_GAP_RE.split(text) if piece.strip()]
    if not one_line:
        return pieces
    return [part for piece in pieces for part in split_run_on(piece)]


_ONE_LINE_SHARE = 2 / 3  # of a file's characters, in its longest line
_ONE_LINE_MIN = 150  # characters of that line: a short speech's, at the least


def one_line_text(lines: Sequence[str]) -> bool:
    """Whether one line holds the text: long, and most of the file's characters (the title
    may stand above it). A speech copied out of a viewer that drops line breaks — and
    indents — arrives so: its title, byline, headings and paragraphs run together."""
    lengths = [len("".join(line.split())) for line in lines]
    longest = max(lengths, default=0)
    return longest >= _ONE_LINE_MIN and longest >= _ONE_LINE_SHARE * sum(lengths)


# A label that opens an outline item (一、 （二） 第三部分) right after a sentence's end or a
# colon that announces it (…工作：（一）…), in such a line: where a heading began. (Not a figure's
# 1. or （1）: a glossary's or an attachment's run-in entries are numbered so, and a figure after
# a stop is as often a sentence's, 。2.5亿元.)
_RUN_ON_LABEL_RE = compile_either(
    r"[。！？!?：:][”’」』）)]*[ \u3000]*"
    r"(?P<label>(?P<cn>[一二三四五六七八九十]{1,3}、)|(?P<cnp>[（(][一二三四五六七八九十]{1,3}[）)])"
    r"|(?P<part>第[一二三四五六七八九十]{1,3}部分))"
)
# The salutation near its start (同志们：, 各位代表、各位委员：), and the title the header before
# it ends with (…上的讲话), followed by a space.
_RUN_ON_ADDRESS = "同志们|各位代表|各位委员|各位领导|各位来宾|各位同志|同事们|朋友们|同学们|老师们"
_RUN_ON_SALUTATION_RE = compile_either(
    rf"(?:^|[ \u3000]+)((?:尊敬的)?(?:{_RUN_ON_ADDRESS})(?:[、，,](?:{_RUN_ON_ADDRESS}))*[：:！!])"
)
_RUN_ON_HEAD_MAX = 80  # characters before the salutation: a title and a byline
_RUN_ON_TITLE_RE = compile_either(
    r"^[^。！？]*?(?:讲话|讲话稿|发言|致辞|贺词|报告|演讲|主持词|汇报|提纲|总结|》)[ \u3000]+(?=\S)"
)


# A section's first subheading run into the section's heading, which ends in no stop
# (二、突出重点，扎实做好各项准备（一）抓好隐患排查。): cut before it too.
_FIRST_SUBHEADING_RE = compile_either(r"[（(]一[）)]")
_SECTION_LABEL_RE = compile_either(
    r"(?:[一二三四五六七八九十]{1,3}、|第[一二三四五六七八九十]{1,3}部分)"
)


def _first_subheadings(text: str, cuts: set[int]) -> set[int]:
    """Where a （一） stands in the heading of a section the cuts start (no sentence ended since
    the label), when the run's （二） is cut: the heading's line break was lost before it."""
    if not any(_SUBHEADING_TWO_RE.match(text, at) for at in cuts):
        return set()
    found: set[int] = set()
    for sub in _FIRST_SUBHEADING_RE.finditer(text):
        start = max((at for at in cuts if at < sub.start()), default=None)
        if start is None or not _SECTION_LABEL_RE.match(text, start):
            continue
        if not any(mark in text[start : sub.start()] for mark in "。！？!?"):
            found.add(sub.start())
    return found


_SUBHEADING_TWO_RE = compile_either(r"[（(]二[）)]")


def split_run_on(text: str) -> list[str]:
    """The line that holds a whole speech with no indents left, split where its paragraphs
    began as far as its words show it: before each outline label that follows a sentence's end
    (…任务。二、2015年工作安排), when two labels of one kind show an outline run on; after the
    salutation, and before it and after the title where the header stands before it set off by
    spaces (在…上的讲话 区长 杜联合 同志们：现在，…). Nothing is dropped but the spaces at a cut, nor
    moved; a line without such evidence stays as it is."""
    labels = list(_RUN_ON_LABEL_RE.finditer(text))
    outline = any(
        len({found.group(kind) for found in labels if found.group(kind)}) >= 2
        for kind in ("cn", "cnp", "part")
    )
    salutation = _RUN_ON_SALUTATION_RE.search(text, 0, _RUN_ON_HEAD_MAX)
    head = text[: salutation.start()] if salutation else ""
    headed = bool(head.strip()) and not any(mark in head for mark in "。！？!?")
    cuts: set[int] = set()
    if outline:
        cuts.update(found.start("label") for found in labels)
        cuts.update(_first_subheadings(text, cuts))
    if salutation is not None and (headed or (outline and not head.strip())):
        cuts.update((salutation.start(1), salutation.end(1)))
        title = _RUN_ON_TITLE_RE.match(head) if headed else None
        if title is not None:
            cuts.add(title.end())
    if not cuts:
        return [text]
    bounds = [0, *sorted(cuts), len(text)]
    pieces = [text[start:end].strip(" \u3000") for start, end in pairwise(bounds)]
    return [piece for piece in pieces if piece]


# A numbered heading's short title, a space, then a sentence (what split_flattened splits): a
# sentence of its own, starting with a Han character and long or of clauses — not the rest of
# the heading after a space around a Latin word or a stray one (一、加快推进 5G 网络建设。).
_TITLE_SPACE_RE = compile_either(
    r"^((?:[一二三四五六七八九十]{1,3}、|[（(][一二三四五六七八九十]{1,3}[）)]|\d{1,2}[.．、])"
    rf"[{HAN}][^。！？；，,、：:\s]{{1,17}})[ \u3000]+"
    rf"((?=[{HAN}](?:.*[，,；]|.{{11,}}))[^。！？；\s].{{4,}}[。！？；][”’）)]?)$"
)


def normalise_chars(text: str) -> str:
    """Remove invisible characters, fold odd spaces, strip ASCII and full-width indentation."""
    if _ODD_CHAR_RE.search(text):
        text = ODD_SPACE_RE.sub(" ", INVISIBLE_RE.sub("", text))
    return text.strip(INDENT_CHARS + "\r\n")


def _heading_level(line: Line, normal: str, text: str) -> int | None:
    """A Word heading's level, or a Markdown heading's (## 工作回顾: a heading even without a
    number, as a Word heading style is; it was a paragraph)."""
    if line.heading_level is not None or text == normal or not normal.startswith("#"):
        return line.heading_level
    return len(normal) - len(normal.lstrip("#"))


def without_markdown_mark(text: str) -> str:
    """A normalised line without a Markdown heading's or quote's mark (## 一、…, > 2024年6月3日):
    a speech kept as Markdown. Not a table's cell, where > 5% is text."""
    return _MARKDOWN_LINE_MARK_RE.sub("", text) if text[:1] in ("#", ">") else text


# Either kind of character the two substitutions above handle: one search spares most lines both.
_ODD_CHAR_RE = compile_either(f"{INVISIBLE_RE.pattern}|{ODD_SPACE_RE.pattern}")


def _only_invisible(text: str) -> bool:
    """A line holding nothing but zero-width characters is an empty inline element a scraper
    put on a line of its own: it is neither text nor a paragraph break, so it is skipped."""
    return bool(INVISIBLE_RE.search(text)) and not INVISIBLE_RE.sub("", text).strip()


# Bullets of a symbol font (Wingdings) copied out of a PDF or Word file as the letters of the
# same codes: ● as l, ➢ as Ø, ✓ as ü, ■ as n, ◆ as u, § and Ÿ, before the item's first
# character.
_SYMBOL_BULLET_RE = compile_either(f"^[lnuØüŸ§¨q]\\s*(?=[{HAN}])")


def remove_mail_headers(lines: list[Line], removed: list[Removed]) -> tuple[list[Line], str | None]:
    """Drop the e-mail a speech was forwarded in (see generator.ingest.mail); return the rest
    and the mail's subject."""
    top = mail_top([line.text for line in lines])
    if top is None:
        return lines, None
    for index, line in enumerate(lines[: top.end]):
        if line.text.strip():
            reason = "e-mail header" if index in top.headers else "e-mail note"
            removed.append(Removed(line.line, line.text, reason))
    return lines[top.end :], top.subject


def strip_symbol_bullets(lines: list[Line], removed: list[Removed]) -> list[Line]:
    """Take such bullets off the items they start, where two lines or more start with one
    (a single n型 or u盘 is a word)."""
    marked = [(line, bullet) for line in lines if (bullet := _SYMBOL_BULLET_RE.match(line.text))]
    if len(marked) < 2:
        return lines
    for line, bullet in marked:
        removed.append(Removed(line.line, bullet.group(0).strip(), "symbol-font bullet"))
        line.text = line.text[bullet.end() :]
    return lines


@lru_cache(maxsize=8)
def either_script_rules(rules: Boilerplate) -> Boilerplate:
    """The boilerplate rules, each matching traditional characters as well (來源, 責任編輯)."""
    return Boilerplate(
        tuple(
            LineRule(rule.name, compile_either(rule.pattern.pattern, rule.pattern.flags))
            for rule in rules.lines
        ),
        tuple(
            BlockRule(
                rule.name,
                compile_either(rule.start.pattern, rule.start.flags),
                compile_either(rule.end.pattern, rule.end.flags) if rule.end else None,
            )
            for rule in rules.blocks
        ),
        tuple(
            LineRule(rule.name, compile_either(rule.pattern.pattern, rule.pattern.flags))
            for rule in rules.inline
        ),
    )


def remove_blocks(lines: list[Line], rules: Boilerplate, removed: list[Removed]) -> list[Line]:
    kept: list[Line] = []
    index = 0
    while index < len(lines):
        rule = next((r for r in rules.blocks if r.start.search(lines[index].text)), None)
        if rule is not None and rule.end is None and _speech_goes_on(lines[index + 1 :], rules):
            rule = None  # (延伸阅读： before a quotation, with the speech's next section after)
        if rule is None:
            kept.append(lines[index])
            index += 1
            continue
        end = _block_end(lines, index, rule.end)
        for line in lines[index : end + 1]:
            if line.text:
                removed.append(Removed(line.line, line.text, rule.name))
        index = end + 1
    return kept


# What only a speech has after a footer's first line: a section's label (一、 （二） 第三，) or
# the speaker turning to the audience again (同志们，).
_SECTION_RE = compile_either(
    r"(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)]"
    r"|第[一二三四五六七八九十]+[，、,]"
    r"|(?:同志们|各位代表|各位委员|朋友们|同事们|同学们)[，,！!])"
)


# A sentence: a line of some length that ends as a sentence does (。！？, a closing quote after).
_SENTENCE_RE = re.compile(r"^.{7,}[。！？!?][”’」』）)]?$")
_THANKS_RE = re.compile(r"谢谢(?:大家|各位)?[。！!]?$")
# The speaker turning to the audience with a wish or a call: 希望大家…, 祝大家…！, 让我们….
_SPEAKER_TURNS_RE = compile_either(
    r"^(?:希望(?:大家|各位|同学们|同志们)|祝(?:大家|各位|同学们|同志们)|让我们)[^。！？]*[。！!]$"
)


def _speech_goes_on(rest: Sequence[Line], rules: Boilerplate) -> bool:
    """Whether the lines after a footer's start (a block without an end, which would run to the
    end of the file) go on with the speech: then the start was a line of the speech too. A
    footer holds links, titles, names and dates; a speech goes on in sentences (延伸阅读： or
    责任编辑： in the middle or at the top of a page took the rest of the speech with it) — a
    sentence no line rule removes, as a disclaimer's would be. Sentences must be half the lines
    that follow, as a footer's related-news list may quote one; or the speaker thanks the
    audience after them."""
    texts = [line.text.strip() for line in rest if line.text.strip()]
    if any(_SECTION_RE.search(text) or _THANKS_RE.search(text) for text in texts):  # (anywhere
        return True  # in a line: once joined to the line before it, the same decision)
    if any(_SPEAKER_TURNS_RE.match(text) for text in texts):
        return True  # (推荐阅读： / 《红岩》 … / 希望大家多读书、读好书。 / 祝大家暑假愉快！)
    sentences = [
        text for text in texts if _SENTENCE_RE.match(text) and line_rule(text, rules) is None
    ]
    return 2 * len(sentences) >= len(texts) > 0


def _block_end(lines: Sequence[Line], start: int, end: re.Pattern[str] | None) -> int:
    if end is None:
        return len(lines) - 1
    for index in range(start + 1, len(lines)):
        if end.search(lines[index].text):
            return index
    return start  # no end found: remove only the start line rather than the rest of the file


# A table of contents' entry: a heading, dot leaders, its page number (一、工作回顾……1). A
# heading that is a sentence keeps its stop before the leaders (一是联合港澳承办十五运会。……2);
# a stop inside it is a sentence's with leaders in it, no entry. (An ellipsis is three dots:
# two of them are leaders.)
_CONTENTS_ENTRY_RE = compile_either(
    r"^(?![^。！？]*[。！？][^。！？]*[^。！？.．…·・\s\d])\S.{0,80}?[。！？]?(?:(?:…\s*){2,}|(?:[.．…·・]\s*){4,})\s*\d{1,4}$"
)
_CONTENTS_TITLE_RE = compile_either(r"^目\s*录$|^(?i:contents)$")


def remove_contents(lines: list[Line], removed: list[Removed]) -> list[Line]:
    """Drop a table of contents a Word or PDF export kept: its entries (dot leaders and a page
    number end each one; an entry starts with its heading's enumerator, so the line rules,
    which leave enumerated lines alone, would not) and the 目录 line above them. Left in, it
    became a second outline before the speech's own."""
    entries = {i for i, line in enumerate(lines) if _CONTENTS_ENTRY_RE.match(line.text)}
    if not entries:
        return lines
    drop = set(entries)
    for i, line in enumerate(lines):
        if _CONTENTS_TITLE_RE.match(line.text):
            after = next((j for j in range(i + 1, len(lines)) if lines[j].text), None)
            if after in entries:
                drop.add(i)
    if len(drop) < 2:  # one entry and no 目录 is no table (a host's countdown: 5……4……3……2……1)
        return lines
    for index in sorted(drop):
        removed.append(Removed(lines[index].line, lines[index].text, "table of contents"))
    return [line for index, line in enumerate(lines) if index not in drop]


# What a running head or foot can be: a short line that is no sentence.
_RUNNING_HEAD_RE = compile_either(r"^[^。！？!?；;]{2,40}$")


def remove_running_heads(
    lines: list[Line], removed: list[Removed], rules: Boilerplate
) -> list[Line]:
    """Drop the running heads and feet a printed document's text (PDF to text) repeats at each
    page break: a short line beside a page number that is the document's first line (its
    title, at the top of every page) or that stands there twice or more (a gazette's name). Left in, they cut the sentence that runs over the break in two.

    The first line is the first that no line rule of `rules` takes: a site's notice above the
    title (仅供学习 禁止外传) is removed later, and the line under it was then first only in a
    second cleaning, which took that line's repeats as running heads the first had kept."""
    first = next(
        (i for i, line in enumerate(lines) if line.text and line_rule(line.text, rules) is None),
        -1,
    )
    # (not the first line: a title with its page mark, 在…上的讲话 第2页 共2页, is a title)
    numbered = {i for i, line in enumerate(lines) if i != first and _numbered_head(line.text)}
    counted = counted_pages(lines)
    breaks = sorted(
        numbered | counted | {i for i, line in enumerate(lines) if is_page_break(line.text)}
    )
    if not breaks:
        return _without_title_repeats(lines, first, removed)
    where: dict[str, set[int]] = defaultdict(set)  # text → the lines holding it beside a break
    for at in breaks:
        for index in _beside(lines, at):
            text = lines[index].text
            if index != first and _RUNNING_HEAD_RE.match(text) and not _ENUMERATOR_RE.match(text):
                where[text].add(index)
    title = lines[first].text if first >= 0 else ""
    drop = {
        index
        for text, found in where.items()
        if text == title or len(found) >= 2  # (the same words on two lines: no sentence piece)
        for index in found
    }
    notes = page_foot_notes(lines, breaks, numbered | counted)
    drop |= numbered | _inside_a_sentence(lines, breaks, numbered | counted | notes)
    for index in sorted(drop | counted):
        reason = "page number" if index in counted else "running head"
        removed.append(Removed(lines[index].line, lines[index].text, reason))
    # (the counted page numbers stay until the gaps about them are closed: they are breaks)
    kept = [line for index, line in enumerate(lines) if index not in drop]
    pages = {id(lines[index]) for index in counted}
    return [line for line in _close_page_gaps(kept, pages) if id(line) not in pages]


# A note's label at its line's start: ①, [1], ［1］, 注①, 注1：.
_FOOT_NOTE_RE = compile_either(
    r"^(?:[\u2460-\u2473]|\[\d{1,2}\]|［\d{1,2}］|注\s*(?:[\u2460-\u2473]|\d{1,2}\s*[：:.．、]))\s*\S"
)
_HAN_OR_FIGURE_END_RE = compile_either(f"[{HAN}A-Za-z0-9]$")


def page_foot_notes(lines: list[Line], breaks: list[int], skip: set[int]) -> set[int]:
    """Mark (Line.foot_note) and return the notes a page sets at its foot, between its last line
    and its number, where a sentence runs over the page (…支出略有结 / [1] 本报告中部分数据为初步
    统计数。 / — 1 — / 余。…): left where they stood, the note was glued into the sentence and cut
    it in two. Joining takes them out of the sentence and puts them after its paragraph, as it
    does a page's mark: the note is the document's text and stays. Only where the line above
    stops inside a word (no mark at its end: a list's item, ①…；, follows a stop or a colon)
    and the next page does not go on with the next such label (②…: a list over the page)."""
    found: set[int] = set()
    for at in breaks:
        index = at - 1
        block: list[int] = []
        while index >= 0:
            text = lines[index].text
            if not text or index in skip or is_page_break(text):
                index -= 1
            elif _FOOT_NOTE_RE.match(text):
                block.append(index)
                index -= 1
            else:
                break
        if not block or index < 0 or not _HAN_OR_FIGURE_END_RE.search(lines[index].text):
            continue
        after = at + 1
        while after < len(lines) and (
            not lines[after].text or after in skip or is_page_break(lines[after].text)
        ):
            after += 1
        if after < len(lines) and _FOOT_NOTE_RE.match(lines[after].text):
            continue
        found.update(block)
    for index in found:
        lines[index].foot_note = True
    return found


_BARE_NUMBER_RE = re.compile(r"^\d{1,3}$")
_PAGE_LINES_MIN = 8  # lines of text on a page, at the least, between two of its numbers


def counted_pages(lines: Sequence[Line]) -> set[int]:
    """The lines that are a printed page's bare number (…人均可支 / 1 / 配收入…): a figure alone
    on its line, one more than the last such figure a page's worth of lines before it, two or
    more in such a run. Alone, a figure may be a table's cell or a list's number, which stand
    close together or do not count up; the pages of a PDF copy count up, a page apart. Left in,
    the number was glued into the sentence that ran over the page (人均可支1配收入)."""
    figures = [
        index
        for index, line in enumerate(lines)
        if _BARE_NUMBER_RE.match(line.text) and not _in_brackets(lines, index)
    ]
    text_before = list(accumulate(bool(line.text) for line in lines))
    found: set[int] = set()
    for at, index in enumerate(figures):
        number = int(lines[index].text)
        following = (
            later
            for later in figures[at + 1 :]
            if int(lines[later].text) == number + 1
            and text_before[later] - text_before[index] > _PAGE_LINES_MIN
        )
        page = next(following, None)
        if page is not None:
            found.update((index, page))
    # (the last page may hold a few lines only: its number, the file's last line, counts on)
    last = next((i for i in range(len(lines) - 1, -1, -1) if lines[i].text), None)
    if last in figures and any(
        int(lines[index].text) + 1 == int(lines[last].text) for index in found
    ):
        found.add(last)
    return found


def _in_brackets(lines: Sequence[Line], index: int) -> bool:
    """A figure between a line ending in an opening bracket and one starting with a closing
    one: a note's reference a wiki scrape cut onto lines of its own ([ / 1 / ])."""
    before = next((line.text for line in reversed(lines[:index]) if line.text), "")
    after = next((line.text for line in lines[index + 1 :] if line.text), "")
    return before[-1:] in "[［【(（" and after[:1] in "]］】)）"


_TITLE_REPEAT_MIN = 6  # characters of a first line whose repeats are running heads


def _without_title_repeats(lines: list[Line], first: int, removed: list[Removed]) -> list[Line]:
    """Drop the document's first line (its title) where the text repeats it on a line of its
    own: a running head a copy from a PDF kept without the page numbers beside it
    (在全县安全生产工作会议上的讲话 over each page). A speech never says its title as a line
    of its text; the repeat cut a sentence running over the page in two. The blank lines about
    it go too where that sentence runs on. A first line opening with a list's number (二、…) is
    a heading of the text, not its title, and may well come again."""
    if (
        first < 0
        or len(_squashed(lines[first].text)) < _TITLE_REPEAT_MIN
        or _ENUMERATOR_RE.match(lines[first].text)
    ):
        return lines
    title = _squashed(lines[first].text)
    repeats = [
        index
        for index, line in enumerate(lines)
        if index > first and _squashed(line.text) == title and _RUNNING_HEAD_RE.match(line.text)
    ]
    if not repeats:
        return lines
    for index in repeats:
        removed.append(Removed(lines[index].line, lines[index].text, "running head"))
    # (each stands where a page broke: the gaps about it are closed as a page number's are)
    heads = {id(lines[index]) for index in repeats}
    return [line for line in _close_page_gaps(lines, heads) if id(line) not in heads]


def _squashed(text: str) -> str:
    return "".join(text.split())


# A running head with its page number on the one line: 2026年某省政府工作报告　　第4页; on a
# book's left-hand pages the number comes first: — 3 —　　2026年某省政府工作报告.
_NUMBERED_HEAD_RE = compile_either(
    r"^[^。！？!?；;]{2,40}?[ \u3000\t]+"
    r"(?:第\s*\d{1,3}\s*页(?:\s*[/／，,]?\s*共\s*\d{1,3}\s*页)?|[-—－–]\s*\d{1,3}\s*[-—－–])$"
    r"|^(?:第\s*\d{1,3}\s*页|[-—－–]\s*\d{1,3}\s*[-—－–])[ \u3000\t]+[^。！？!?；;]{2,40}$"
)
_HEAD_IN_SENTENCE_MAX = 30  # characters of a head or foot line a sentence runs through
_HEADS_AT_A_BREAK = 2  # such lines on each side of a break, at most


def _numbered_head(text: str) -> bool:
    """(Not a page mark itself, 共3页 第3页, which meta reads as the speech's part.)"""
    return (
        bool(_NUMBERED_HEAD_RE.match(text))
        and not _ENUMERATOR_RE.match(text)
        and not is_page_break(text)
    )


def _inside_a_sentence(lines: list[Line], breaks: list[int], numbered: set[int]) -> set[int]:
    """Head and foot lines that stand, once, where a sentence runs over a page break (…火灾呈 /
    — 4 — / 海南省人民政府 / 现“一降三减”良好态势。): short, no sentence and no heading, with the
    sentence's two halves around them. Left in, joining glued them into the sentence."""
    found: set[int] = set()
    for at in breaks:
        before, heads_before = _heads_beside(lines, at, -1, numbered)
        after, heads_after = _heads_beside(lines, at, 1, numbered)
        if before is None or after is None or not _runs_over_a_break(lines[before].text):
            continue
        continuation = lines[after].text
        if _ENUMERATOR_RE.match(continuation):
            continue
        longest = len(lines[before].text)
        heads = heads_before + heads_after
        if all(len(lines[i].text) < longest for i in heads):
            found.update(heads)
    return found


def _heads_beside(
    lines: list[Line], at: int, step: int, numbered: set[int]
) -> tuple[int | None, list[int]]:
    """Walking from break `at` by `step`: the first line of text past the head or foot lines
    (None: none), and those lines."""
    heads: list[int] = []
    index = at + step
    while 0 <= index < len(lines):
        text = lines[index].text
        if not text or is_page_break(text) or index in numbered:
            index += step
            continue
        if len(heads) < _HEADS_AT_A_BREAK and _head_line(text):
            heads.append(index)
            index += step
            continue
        return index, heads
    return None, heads


def _head_line(text: str) -> bool:
    return (
        len(text) <= _HEAD_IN_SENTENCE_MAX
        and bool(_RUNNING_HEAD_RE.match(text))
        and text[-1] not in TERMINAL
        and not _ENUMERATOR_RE.match(text)
    )


def _close_page_gaps(lines: list[Line], pages: AbstractSet[int] = frozenset()) -> list[Line]:
    """Drop the blank lines a page break puts around its page number where a sentence runs
    over it (the text before it is unfinished: no stop, no heading), so joining sees one
    sentence, as it does across a page mark with no blank lines about it. In an indented
    layout (see indent_layout) a flush line after the break goes on with the paragraph even
    when the page's last line was full and ended in a stop (…用力也不够。 / — 3 — / 还比如，…):
    a new paragraph would have started indented."""
    blank: set[int] = set()
    full = indent_layout([line for line in lines if id(line) not in pages])

    def page_break(line: Line) -> bool:
        return id(line) in pages or line.foot_note or is_page_break(line.text)

    for at, line in enumerate(lines):
        if not page_break(line):
            continue
        before = at - 1
        while before >= 0 and (not lines[before].text or page_break(lines[before])):
            before -= 1
        if before < 0:
            continue
        after = at + 1
        while after < len(lines) and (not lines[after].text or page_break(lines[after])):
            after += 1
        if not _runs_over_a_break(lines[before].text) and not (
            full is not None
            and after < len(lines)
            and _goes_on_flush(lines[before], lines[after], full)
        ):
            continue
        blank.update(i for i in range(before + 1, after) if not lines[i].text)
    return [line for index, line in enumerate(lines) if index not in blank]


def _goes_on_flush(before: Line, after: Line, full: int) -> bool:
    """In an indented layout, a flush line after a full one: the paragraph runs on. (Not a
    short line that may be a head no rule knew, 某某县人民政府: it stays a line apart.)"""
    short = len(after.text) < _FULL_SHARE * full
    return (
        len(before.text) >= _FULL_SHARE * full
        and not after.indented
        and not after.table
        and not _ENUMERATOR_RE.match(after.text)
        and not (short and _head_line(after.text))
    )


def _runs_over_a_break(text: str) -> bool:
    """A line a sentence goes on from: long enough to be text, with no stop, not a heading."""
    return len(text) >= 10 and text[-1] not in TERMINAL and not _ENUMERATOR_RE.match(text)


def _beside(lines: list[Line], at: int) -> list[int]:
    """The indexes of the two lines of text nearest before and after line `at`."""
    found: list[int] = []
    for step in (-1, 1):
        index, taken = at + step, 0
        while 0 <= index < len(lines) and taken < 2:
            if lines[index].text and not is_page_break(lines[index].text):
                found.append(index)
                taken += 1
            index += step
    return found


def line_rule(text: str, rules: Boilerplate) -> LineRule | None:
    """The first line rule that matches `text`, or None; a line with full-width letters,
    digits or an address's marks (ＱＱ：２９０８…, ＷＷＷ．ＸＸ．ＣＯＭ) is also tried with them as
    ASCII, as the rules write them."""
    if _QUOTED_RE.search(text):  # (a speech quoting debris to condemn it: “仅代表作者观点”)
        text = _QUOTED_RE.sub("“”", text)
    found = next((rule for rule in rules.lines if rule.pattern.search(text)), None)
    if found is None and _FULL_WIDTH_ASCII_RE.search(text):
        narrow = _FULL_WIDTH_ASCII_RE.sub(_narrow, text)
        found = next((rule for rule in rules.lines if rule.pattern.search(narrow)), None)
    return found


# (and the marks of an address: ＷＷＷ．ＹＵＮＦＡＮ．ＣＯＭ, ｘｘ＠ｑｑ．ｃｏｍ)
_FULL_WIDTH_ASCII_RE = re.compile("[Ａ-Ｚａ-ｚ０-９．＠／＿]")
# A quotation in a line: what it quotes is no line's own words (有的平台以“文章仅代表作者观点”为由…
# quotes a disclaimer; 不能让‘侵权必究’成为一句空话), so the rules read the line without it.
# (A quoted name stays: an office's account, “青山发布”, is what tells its line from an ad's.)
_QUOTED_RE = re.compile("“[^“”]{7,40}”|‘[^‘’]{7,40}’|「[^「」]{7,40}」|『[^『』]{7,40}』")


def _narrow(found: re.Match[str]) -> str:
    return chr(ord(found.group(0)) - 0xFEE0)


def remove_lines(lines: list[Line], rules: Boilerplate, removed: list[Removed]) -> list[Line]:
    """Lines no rule matches. A line that starts with an enumerator is an item of the speech
    and is never matched: "（2）严禁传播未经核实的信息。" is no notice, however short. Nor is a
    piece of a hard-wrapped sentence: a line the line before it runs into, or that runs into
    the next, at the file's wrapping width (its short-line guards fit every wrapped line)."""
    kept: list[Line] = []
    matched = {
        index: rule
        for index, line in enumerate(lines)
        if line.text and (rule := line_rule(line.text, rules)) is not None
    }
    # (the wrap width from the lines no rule takes: a chat's message headers, all of one
    # length, made a width of their own, and were then kept as pieces of wrapped sentences)
    unmatched = [line for index, line in enumerate(lines) if index not in matched]
    wrapped = _wrapped_pieces(lines, hard_wrap_width(unmatched)) | _list_items(lines)
    listed = _colon_list_items(lines, matched)
    for index, line in enumerate(lines):
        rule = matched.get(index)
        if (
            rule is None
            or line.table
            or (index in wrapped and not is_page_break(line.text))
            or (index in listed and rule.name not in _NEVER_LISTED)
            or _NUMBERED_RE.match(line.text)
        ):
            kept.append(line)
        else:
            removed.append(Removed(line.line, line.text, rule.name))
    return kept


_BULLET_RE = compile_either(r"^[▲△●○◆◇■□▪•★☆►▶➢✓√]")


def _list_items(lines: list[Line]) -> set[int]:
    """Indexes of the bulleted lines of a list: one a line ending in a colon introduces (以下几项
    工作： / ▲推进… / ■强化…), or two or more bulleted lines in a row (a photo's caption stands
    alone under it) — items of the speech, whatever a caption rule makes of ▲."""
    items: set[int] = set()
    open_list = False
    run: list[int] = []
    for index, line in enumerate([*lines, Line("\0", 0)]):  # (a sentinel that ends a run)
        if not line.text:
            continue
        if _BULLET_RE.match(line.text):
            run.append(index)
            if open_list:
                items.add(index)
            continue
        if len(run) >= 2:
            items.update(run)
        run = []
        open_list = line.text[-1] in "：:"
    return items


# What no list of the speech holds, however a colon introduces it: a selling pitch, and a page's
# own chrome under the text (a document site's 下载文档到电脑… / 还剩3页未读，继续阅读, its notes
# and ratings, the links to the next article, the footer): met under a colon, it ends the list,
# for a preview cut off after 要重点抓好以下十方面工作： is followed by the site's page, not by
# the items. (A contact may be an office's own, in its list of channels: 请大家广泛宣传： /
# 举报电话… / 微信公众号：…; 诉求类型分为： / 咨询 / 投诉 / 举报 holds toolbar words.)
_NEVER_LISTED = frozenset(
    {
        "service pitch",
        "download prompt",
        "paid content pitch",
        "document site notes",
        "document rating",
        "page navigation",
        "copyright line",
        "platform disclaimer",
        "forum chrome",
        "template site note",
        "export note",
    }
)
_LIST_ITEM_MAX = 30  # characters of an item of a list a colon introduces
_LIST_MAX = 12  # items of it


def _colon_list_items(lines: list[Line], matched: dict[int, LineRule]) -> set[int]:
    """Indexes of the short lines a line of the speech ending in a colon introduces (涉密文件管理
    要做到： / 不得私自复制 / 不得擅自转发; 诉求类型分为： / 咨询 / 投诉 / 举报): items of the speech,
    however a rule reads them alone. (Not under a line a rule takes, 分享到：, nor under a
    field's label, 发文字号：, which a disclosure table leaves empty.)"""
    items: set[int] = set()
    open_list = False
    blanks = 0
    item = 0  # characters of the item so far, while it runs on (its line ends in a comma…)
    for index, line in enumerate(lines):
        if not line.text:
            blanks += 1
            continue
        if blanks >= 2:  # (a gap of blank lines ends a list)
            open_list = False
        # (：县政府网 after 一、…: the line before goes on, no item: the lines are joined, and a
        # second cleaning sees where that line ends)
        goes_on = blanks == 0 and index > 0 and line.text[0] in _CONTINUES and not item
        # (an item ending in a comma runs on across a blank line too, as joining joins it)
        length = len(line.text) + item
        blanks = 0
        rule = matched.get(index)
        if open_list and rule is not None and rule.name in _NEVER_LISTED:
            open_list = False  # (the page's chrome, where the preview stopped: no more items)
        if (
            not goes_on
            and open_list
            and length <= _LIST_ITEM_MAX  # (with the lines it runs on from: once they are
            and len(items) < _LIST_MAX  # joined, a second cleaning sees the whole item)
            and HAN_RE.search(line.text)
        ):
            items.add(index)
            open_list = line.text[-1] not in "。！？!?."
            item = length if line.text[-1] in _OPENS else 0
            continue
        item = 0
        open_list = (
            line.text[-1] in "：:" and index not in matched and len(HAN_RE.findall(line.text)) >= 6
        )
    return items


def _wrapped_pieces(lines: list[Line], width: int | None) -> set[int]:
    """Indexes of the lines that are pieces of a hard-wrapped sentence (no blank line between),
    in a file wrapped at `width`."""
    if width is None:
        return set()

    pieces: set[int] = set()
    for index in range(len(lines) - 1):
        this, after = lines[index], lines[index + 1]
        if this.text and after.text and _runs_on(this.text, width):
            pieces.update((index, index + 1))
    return pieces


# --- re-joining lines that a scraper or a hard wrap broke mid-sentence ------------------------

# A line starting with one of these continues the previous line ("…所作的\n报告\n。会议").
_CONTINUES = frozenset("，。、；：！？）》」』】〕〉’”,.;:!?)]…")
# A line ending with one of these is continued by the next line.
_OPENS = frozenset("（(《「『【〔〈‘“[，、,")
_CN_ORDINAL = "一二三四五六七八九十百"
# An enumerator alone on its line ("三、", "第一，", "一是") labels the line after it.
# 一、 and 一．(as converted documents write it; not 一.5倍)
_CN_ITEM = rf"[{_CN_ORDINAL}]+(?:、|[．.](?![\d０-９]))"
# 第一部分: a long report's parts, above its 一、 sections.
_PART = rf"第[{_CN_ORDINAL}]+部分"
_PART_ONLY_RE = compile_either(rf"^{_PART}$")
_LABEL_ONLY_RE = compile_either(
    rf"^(?:{_CN_ITEM}|[（(][{_CN_ORDINAL}]+[）)]|\d+[.．、]|[（(]\d+[）)]"
    rf"|第[{_CN_ORDINAL}]+[，、,]?|{_PART}|[{_CN_ORDINAL}]+[是要])$"
)
# A paragraph is finished when it ends with a sentence or clause mark, possibly inside quotes.
_FINISHED_RE = compile_either(r"[。！？!?…；;：:][”’」』)）》\]]*$")
# An enumerator that starts a heading or a list item (一、 （一） 1. （1） 第一， 一要 一是
# 首先， 第一部分): a line it starts is an item of the speech, which ends where the line ends.
_ENUMERATOR = (
    rf"(?:{_CN_ITEM}|[（(][{_CN_ORDINAL}\d]+[）)]|\d+[.．、](?!\d)|第[{_CN_ORDINAL}]+[，、,：:]"
    rf"|[{_CN_ORDINAL}]{{1,3}}[要是](?=[^，,。\s])|(?:首先|其次|再次|最后)[，,]|\d{{1,2}}[）)]"
    rf"|{_PART}|[①-⑳●◆■▪•])"
)
_ENUMERATOR_RE = compile_either(f"^{_ENUMERATOR}")
# An item of the speech by its number (一、 （二） 3. 第四， 五要 ⑥): no line rule takes it. A
# symbol bullet (◆ ● ■) numbers nothing, and shielded ◆墨韵文库◆整理，扣扣：… from every rule;
# a list of such items is kept by _list_items.
_NUMBERED_RE = compile_either(f"^(?![●◆■▪•]){_ENUMERATOR}")
# Items run into a sentence: 一是…；二是…, 一要…, 第一，…
_RUN_IN_RE = compile_either(
    r"^(?:[一二三四五六七八九十]{1,3}[是要]|第[一二三四五六七八九十]{1,3}[，,])"
)
# A numbered heading ("一、…", "（二）…", "1.…") is short and is followed by its text, on the
# next line even where a single line break is otherwise a cut inside a paragraph.
_HEADING_RE = compile_either(rf"^{_ENUMERATOR}.{{2,38}}$")
# Bullets strung along one line, each before a word or two (● 免费下载 ● 无水印): a site's badges,
# not an item of the speech, so the line rules judge it.
_BULLET_STRIP_RE = compile_either(r"^(?:[●◆■▪•]\s*[^●◆■▪•。！？；，]{0,8}\s*){2,}$")
# A short line ending in a colon or an exclamation mark is an address (各位代表：) or a label.
_ADDRESS_RE = compile_either(r"^[^。！？!?]{1,15}[：:！!]$")
# Longest line that may be a heading without an enumerator.
_HEADING_MAX = 40
# Longest line that counts as a link fragment cut out of a sentence ("政府工作报告").
_FRAGMENT_MAX = 24


def join_broken_lines(lines: list[Line]) -> list[Line]:
    """Join lines into paragraphs; a blank line or a complete line ends a paragraph.

    Two layouts are told apart: one paragraph per line (web pages, Word exports), and paragraphs
    separated by blank lines (wiki and e-book scrapes). In the second, a single line break inside
    a paragraph is where a link, a footnote or a subscript was cut out, so the pieces belong
    together unless the first one is finished."""
    width = hard_wrap_width(lines)
    soft = blank_separated(lines)
    indents = indent_layout(lines)
    verse = verse_lines(lines)
    previous_line: Line | None = None  # the last line of text, which ends the last paragraph
    out: list[Line] = []
    after_blank: list[bool] = []  # per paragraph in `out`: did it start after a blank line?
    previous_blank = True
    # Page marks met since the last line of text, with the blank state before them: a page
    # break often falls inside a sentence, so the lines around it are joined as if it were not
    # there, and the marks follow as paragraphs of their own (meta.py removes them).
    held: list[Line] = []
    blank_before_marks = True
    header = True  # no sentence has ended yet: the title, byline and salutation
    for line in lines:
        if line.text and (is_page_mark(line.text) or line.foot_note):
            if not held:
                blank_before_marks = previous_blank
            held.append(Line(line.text, line.line, line.heading_level))
            continue
        if not line.text:
            previous_blank = True
            continue
        if held:
            previous_blank = blank_before_marks
        last = out[-1] if out else None
        if previous_line is not None and id(previous_line) in verse and id(line) in verse:
            joins = False  # a line of verse after another: its own line
        elif (
            last is not None
            and previous_line is not None
            and indents
            and not previous_blank
            and not (header and _header_line(last.text))
        ):
            # (not in the header: its title, subtitle and byline are set flush, and a subtitle
            # near the width was no full line running on — it took the byline in, the speaker lost)
            joins = _joins_indented(last, line, len(previous_line.text), indents)
        else:
            # (a header set line by line, title / byline / 同志们：, in a file whose paragraphs
            # are set apart by blank lines: its lines end in no stop, and joined, the title was
            # glued onto the byline — judged as a file of one paragraph per line judges them)
            set_apart = last is not None and header and _header_line(last.text)
            joins = last is not None and _joins(
                last, line, width, previous_blank, soft and not set_apart
            )
        header = header and not _ends_sentence(line.text)
        previous_line = line
        if last is not None and joins:
            if _rejoins_fragment(out, after_blank, line):
                _merge_last_two(out, after_blank)
                last = out[-1]
            wrapped = width is not None and _at_width(last.text, width)  # (cut at the column)
            last.text = last.text + line.text if wrapped else _glue(last.text, line.text)
            last.joined = True
        else:
            _place_marks(held, out, after_blank)
            out.append(
                Line(
                    line.text,
                    line.line,
                    line.heading_level,
                    table=line.table,
                    indented=line.indented,
                )
            )
            after_blank.append(previous_blank)
        previous_blank = False
    _place_marks(held, out, after_blank)
    return out


# Indentation a paragraph may begin with: full-width spaces (　　), spaces, a tab.
_INDENTS = frozenset(INDENT_CHARS + "\t\u00a0")
_INDENT_SHARE = 0.2  # of the text lines, flush at the least, for an indented layout
_INDENTED_MIN = 3  # indented lines (paragraphs) of an indented layout, at the least
_INDENTED_SHARE = 0.04  # of the text lines: a PDF's paragraphs may run to 20 lines each
_FULL_SHARE = 0.8  # a line this much of the longest is full: the text ran on past it


def indent_layout(lines: Sequence[Line]) -> int | None:
    """The length of a full line, when the file is set as a PDF or a typed page is: each
    paragraph's first line indented, the lines it runs on to flush left (　　作风建设永远在路上，…目标导
    / 向、结果导向，…同考核。 / 要健全完善…). There the indent alone says where a paragraph
    starts — a full line that happens to end in 。 goes on, and a wrapped line that happens to
    start with 三是 is no heading. The layout is taken only where most flush lines follow a
    full line that stops mid-sentence (what a wrap leaves); None for any other."""
    text = [line for line in lines if line.text and not line.table and not is_page_mark(line.text)]
    if len(text) < 6:
        return None
    indented = sum(line.indented for line in text)
    # (a fifth of the lines indented, as asked before, missed a PDF copy of a report whose
    # paragraphs run to ten lines and more: a full line there that ended in 。 or ” split its
    # paragraph; the wrapped lines' own evidence, below, is what tells the layout)
    if not max(_INDENTED_MIN, _INDENTED_SHARE * len(text)) <= indented:
        return None
    if indented > (1 - _INDENT_SHARE) * len(text):
        return None
    full = sorted(len(line.text) for line in text)[int(len(text) * 0.9)]
    after = [
        before
        for before, line in pairwise(text)
        if not line.indented and before.line + 1 == line.line
    ]
    cut = sum(len(b.text) >= _FULL_SHARE * full and b.text[-1] not in TERMINAL for b in after)
    return full if after and cut >= 0.5 * len(after) else None


_VERSE_MAX = 16  # characters of a line of verse
_VERSE_RUN = 3  # lines of verse in a row, at the least


def verse_lines(lines: Sequence[Line]) -> set[int]:
    """Lines (by id) of verse a speech quotes — a poem, a 顺口溜: three or more short lines in a
    row, each a clause closed by its mark, of one length give or take a character or two
    (“开会研究研究， / 工作安排安排， / 文件传达传达， / 事情等等再说。”). Each keeps its line; joined,
    they read as one run-on sentence."""
    found: set[int] = set()
    run: list[Line] = []
    for line in [*lines, Line("", 0)]:
        if _verse_like(line) and (not run or abs(len(line.text) - len(run[0].text)) <= 2):
            run.append(line)
            continue
        if len(run) >= _VERSE_RUN:
            found.update(id(verse) for verse in run)
        run = [line] if _verse_like(line) else []
    return found


def _verse_like(line: Line) -> bool:
    text = line.text.rstrip("”’」』")
    return (
        bool(text) and not line.table and len(line.text) <= _VERSE_MAX and text[-1] in "，。！？；"
    )


def _joins_indented(last: Line, line: Line, last_length: int, full: int) -> bool:
    """In an indented layout: a flush line after a full one goes on with its paragraph; any
    other line is judged as in a file of one paragraph per line (so that cleaning the output
    again, where no indent is left, decides the same)."""
    plain = last.heading_level is None and line.heading_level is None
    flush = not (last.table or line.table or line.indented)
    if plain and flush and last_length >= _FULL_SHARE * full:
        return True
    return _joins(last, line, None, False, False)


def _place_marks(held: list[Line], out: list[Line], after_blank: list[bool]) -> None:
    """Page marks held back while a paragraph went on: each becomes a paragraph of its own."""
    out.extend(held)
    after_blank.extend(True for _ in held)
    held.clear()


def blank_separated(lines: Sequence[Line]) -> bool:
    """True when this file separates paragraphs with blank lines.

    Counted over lines that end a sentence: in a blank-separated file most are followed by a
    blank line; in a one-paragraph-per-line file almost none are (the corpus splits 0.0–0.1
    against 0.6–1.0, so the middle is a safe cut)."""
    blank = tight = 0
    for this, after in pairwise(lines):
        if not this.text or this.text[-1] not in "。！？":
            continue
        if not after.text:
            blank += 1
        elif after.text[0] not in _CONTINUES:
            tight += 1
    return blank >= 2 and blank >= tight


# An editor's lead-in to a document reposted whole (2月3日，…市长龚正作政府工作报告。全文如下——;
# 以下为讲话全文：): the document follows, its title first: the lead's line ends its paragraph (its dashes
# joined the title to it), and meta.py looks past it for the title (a WeChat account's name
# above the lead was taken for the title).
LEAD_IN_RE = compile_either(
    r"(?:全文如下|原文如下|(?:全文)?(?:刊发|刊登|转发|发布)如下|以下(?:是|为)[^。！？]{0,8}全文)"
    r"[：:。，,—－\-…\s]*$"
)


def _joins(last: Line, line: Line, width: int | None, after_blank: bool, soft: bool) -> bool:
    if last.heading_level is not None or line.heading_level is not None:
        return False
    if last.table or line.table:
        return False
    if line.text[0] in _CONTINUES:
        return True
    if _address(last.text, line.text) or LEAD_IN_RE.search(last.text):
        return False
    if last.text[-1] in _OPENS or _LABEL_ONLY_RE.match(last.text):
        return True
    if after_blank:
        return False
    if width is not None:
        if not _runs_on(last.text, width):
            return False
        # (a full line that stops at ；or ，goes on: 二是…； / 三是… there is the list run in)
        return not _ENUMERATOR_RE.match(line.text) or (
            last.text[-1] in "；;，," and _RUN_IN_RE.match(line.text) is not None
        )
    if _starts_own_paragraph(line.text):
        return False
    if soft:
        return _unfinished(last.text)
    if _wrapped_heading(last.text, line.text):
        return True
    return _cut_mid_sentence(last) and not _ENUMERATOR_RE.match(line.text)


def _address(text: str, following: str) -> bool:
    """An address alone on its line before a sentence: English's (see _english_address), or
    one in another cased script (Уважаемые гости, / Мы рады…; Κυρίες και κύριοι, / Είναι…): a
    short line of its letters ending in a comma, the next line starting a sentence."""
    if _english_address(text, following):
        return True
    letters = [char for char in text if char.isalpha()]
    cased = any(char.upper() != char.lower() for char in letters)
    return (
        (following[:1].isupper() or not cased)  # (Arabic, Hebrew and Hangul have no case)
        and 0 < len(letters) <= ADDRESS_LETTERS
        and text.rstrip()[-1:] in ",،"
        and all(not char.isascii() and _spaced_letter(char) for char in letters)
    )


def _english_address(text: str, following: str) -> bool:
    """An English speech's address alone on its line, before a sentence (Ladies and
    gentlemen, / It is my…): its own paragraph, as 同志们： is. English closes an address with
    a comma, which elsewhere says the line goes on; joined, the address ran into the sentence
    (Ladies and gentlemen, It is…). A line after it in lower case is a wrap: it goes on."""
    return following[:1].isupper() and english_address_line(text) is not None


_WRAPPED_HEADING_MIN = 24  # characters of a heading line a wrap may have cut
_HEADING_TAIL_MAX = 10  # characters of the piece it put on the next line
_CUT_CLAUSE_TAIL_MAX = 16  # of that piece, where the heading's last clause was visibly cut
_CLAUSE_SLACK = 4  # characters a heading's clauses may differ by


def _wrapped_heading(heading: str, line: str) -> bool:
    """A long numbered heading of clauses cut before its last words (一、强化担当，…各项任务
    不折不扣 / 落到实处): the short unpunctuated piece after it is its end, not a paragraph. A
    longer piece is its end only where the heading's last clause was visibly cut short (see
    _cut_clause): a short line after a whole heading may be a heading of its own."""
    return (
        len(heading) >= _WRAPPED_HEADING_MIN
        and "，" in heading
        and heading[-1] not in TERMINAL
        and _ENUMERATOR_RE.match(heading) is not None
        and len(line) <= _CUT_CLAUSE_TAIL_MAX
        and not any(mark in line for mark in "，。！？；：、,.;:!?")
        and _ENUMERATOR_RE.match(line) is None
        and (len(line) <= _HEADING_TAIL_MAX or _cut_clause(heading, line))
    )


def _cut_clause(heading: str, tail: str) -> bool:
    """Whether a heading's last clause stops short of its first, and the line after it makes
    it up (一、充分认识…重大意义，切实增强做好 / 民营经济工作的责任感使命感): the clauses of a heading
    are about as long as each other (认清形势，…), so a last clause under half the first was
    cut by a wrap. A heading whose clauses are whole is left alone (…所急所盼问题，持续优化…
    then 着力破除市场准入隐性壁垒, a heading of its own)."""
    found = _ENUMERATOR_RE.match(heading)
    clauses = heading[found.end() if found else 0 :].split("，")
    first, last = len(clauses[0]), len(clauses[-1])
    return 2 * last <= first and last + len(tail) <= first + _CLAUSE_SLACK


def _cut_mid_sentence(paragraph: Line) -> bool:
    """In a one-paragraph-per-line file, a paragraph that visibly stops inside a sentence: a
    bold or subscript span cut out onto its own line ("…发展的" / "主要目标" / "是：…", "…PM" /
    "2.5" / "年平均浓度…"). A heading or a short label without punctuation is not such a cut."""
    text = paragraph.text
    if text[-1] in TERMINAL or _ENUMERATOR_RE.match(text):
        return False
    if text.endswith("的") or paragraph.joined:
        return True
    # A line of clauses without an end: cut. A heading often has a comma and no end mark
    # (坚持问题导向，扎实推进各项整改任务落地见效), but no sentence ends inside it.
    if any(mark in text for mark in "。；"):
        return len(text) >= 20
    return len(text) > _HEADING_MAX and "，" in text


def _header_line(text: str) -> bool:
    """A line a header may hold: short, no clause in it (a title, a byline, a date)."""
    return len(text) <= _HEADING_MAX and not any(mark in text for mark in "，,、；;。")


def _ends_sentence(text: str) -> bool:
    """A line that ends as a sentence does (。！？, a closing quote or bracket after)."""
    return text.rstrip("”’」』)）》]")[-1:] in ("。", "！", "？", "!", "?")


def _unfinished(text: str) -> bool:
    """A paragraph that stops mid-sentence: no closing mark, and not a heading."""
    return not _FINISHED_RE.search(text) and not _HEADING_RE.match(text)


def _starts_own_paragraph(text: str) -> bool:
    """A subtitle dash or an address line starts a paragraph even without a blank line."""
    return text.startswith(("——", "--", "—")) or bool(_ADDRESS_RE.match(text))


def _rejoins_fragment(out: list[Line], after_blank: list[bool], line: Line) -> bool:
    """A line continuing the paragraph before it shows that paragraph to be a fragment cut from
    the middle of a sentence ("…所作的" / "政府工作报告" / "。会议…"): it belongs to the one
    before as well, when that one is unfinished and nothing separated them."""
    if line.text[0] not in _CONTINUES or len(out) < 2 or after_blank[-1]:
        return False
    before, fragment = out[-2], out[-1]
    return (
        len(fragment.text) <= _FRAGMENT_MAX
        and fragment.heading_level is None
        and before.heading_level is None
        and before.text[-1] not in TERMINAL
        and _unfinished(before.text)
    )


def _merge_last_two(out: list[Line], after_blank: list[bool]) -> None:
    fragment = out.pop()
    after_blank.pop()
    out[-1].text = _glue(out[-1].text, fragment.text)
    out[-1].joined = True


def remove_inline(lines: list[Line], rules: Boilerplate, removed: list[Removed]) -> list[Line]:
    """Cut the inline rules' matches out of lines (a watermark stamped onto paragraphs); a line
    left empty goes. Each cut is reported with the line it was cut from."""
    if not rules.inline:
        return lines
    out = []
    for line in lines:
        was_text = bool(line.text)
        for rule in rules.inline:
            cut = [m.group(0) for m in rule.pattern.finditer(line.text) if m.group(0)]
            if cut:
                if line.table:  # (cell by cell: a cut never takes a table's tabs)
                    line.text = map_cells(line.text, functools.partial(_cut, rule.pattern))
                else:
                    line.text = _cut(rule.pattern, line.text)
                removed.extend(Removed(line.line, text, rule.name) for text in cut)
        if line.text or not was_text:  # (a blank line stays: it ends a paragraph)
            out.append(line)
    return out


def remove_watermark(lines: list[Line], removed: list[Removed]) -> list[Line]:
    """The file's own watermark (watermark.py: the advertiser's name, learned from the lines
    the rules removed and the short lines it repeats), as a line and as stamps in lines."""
    # (Learned from every line, taken only where it stands apart: a repeated line a sentence
    # runs through is no watermark to remove; and counted only where it stood apart, a second
    # cleaning, where blank lines part what joining kept together, learned what the first had
    # not.)
    mark = watermark.learn([(r.text, r.reason) for r in removed], [line.text for line in lines])
    if not mark.names:
        return lines
    kept: list[Line] = []
    for index, line in enumerate(lines):
        if line.table or not line.text:
            kept.append(line)
            continue
        if mark.is_line(line.text) and not _runs_on_from_before(lines, index):
            removed.append(Removed(line.line, line.text, "the file's watermark"))
            continue
        stamps = mark.stamps(line.text)
        for stamp in stamps:  # (the line's own characters: a stamp is found in its ASCII form)
            cut = line.text[stamp.start() : stamp.end()].strip()
            removed.append(Removed(line.line, cut, "the file's watermark"))
        text = "".join(_between(line.text, stamps)).strip() if stamps else line.text
        if text:
            line.text = text
            kept.append(line)
    return kept


def _runs_on_from_before(lines: list[Line], index: int) -> bool:
    """Whether the line before runs into this one (no blank line between, and it stops short
    of a sentence's end): a piece of the sentence, such as a title a page set as a link on a
    line of its own (…发表了《 / 关于正确处理人民内部矛盾的问题 / 》这部著作), however often it
    comes."""
    before = lines[index - 1].text if index > 0 else ""
    return (
        bool(before) and before[-1] not in TERMINAL and (len(before) >= 10 or before[-1] in _OPENS)
    )


def _between(text: str, stamps: list[re.Match[str]]) -> list[str]:
    """The pieces of `text` outside the stamps."""
    pieces, at = [], 0
    for stamp in stamps:
        pieces.append(text[at : stamp.start()])
        at = stamp.end()
    pieces.append(text[at:])
    return pieces


def _cut(pattern: re.Pattern[str], text: str) -> str:
    return pattern.sub("", text).strip()


def join_short_tails(paragraphs: list[Line]) -> list[Line]:
    """Re-attach a fragment of one or two characters cut off a line ("政府工作报\n告").

    Above the first sentence (the title, subtitle, byline and date) such a line is often a
    line of its own: a two-character name (王刚), a platform's label (原创). There a piece is
    re-attached only to a line that cannot end as it does: one character to a line that does
    not close a title (…上的讲话, a bracket), two to a line ending in a word that needs more
    (…会议上的\n讲话)."""
    out: list[Line] = []
    in_header = True
    for paragraph in paragraphs:
        prev = out[-1] if out else None
        if (
            prev is not None
            and len(paragraph.text) <= 2
            and all(is_cjk(c) for c in paragraph.text)
            and prev.text[-1] not in TERMINAL
            and len(prev.text) >= 4
            and prev.heading_level is None
            and not prev.table
            and (not in_header or _cut_in_header(prev.text, paragraph.text))
        ):
            # (tidied again as one line: a space two phrases kept stands in a sentence now,
            # which a second cleaning would take out)
            prev.text = _retidied(prev.text + paragraph.text)
            prev.joined = True
        else:
            out.append(paragraph)
        in_header = in_header and paragraph.text[-1] not in TERMINAL
    return out


_LIST_NUMBER_KEPT_RE = compile_either(rf"^\d{{1,2}}\u3000(?=[{HAN}])")


def _retidied(text: str) -> str:
    """A paragraph tidied again, a list number's space that cleaning kept staying (1　建立…)."""
    found = _LIST_NUMBER_KEPT_RE.match(text)
    if found is None:
        return tidy_spaces(text)
    return found.group() + tidy_spaces(text[found.end() :])


# What a title or subtitle ends with: the kind of text it names, or a closing bracket.
_TITLE_END_RE = compile_either(
    r"(?:讲话|讲话稿|讲稿|发言|致辞|贺词|报告|演讲|主持词|汇报|提纲|总结|》|」|】)$"
)
_NEEDS_MORE = "的之在和与及暨于对把将为同上"  # a line ending in these goes on in the next


def _cut_in_header(text: str, piece: str) -> bool:
    """Whether a header line was cut before `piece` (see join_short_tails)."""
    if len(piece) == 1:
        return not _TITLE_END_RE.search(text)
    return text[-1] in _NEEDS_MORE


# The end of a clause in Latin words (Ladies and gentlemen,): the next piece is a word of its
# own. Not a Latin term in Chinese text (推动GDP,), whose pieces were glued as they are.
_LATIN_WORDS_END_RE = re.compile(r"[A-Za-z]+ [A-Za-z0-9'’-]+[,;:.!?]$")


def _glue(left: str, right: str) -> str:
    """Join two pieces, keeping one space only between two Latin words.

    A letter next to a digit is glued without a space: the break was a cut-out subscript or
    link (M\\n2 → M2, PM\\n2.5 → PM2.5), not a space between words."""
    a, b = left[-1:], right[:1]
    if _PART_ONLY_RE.match(left):  # 第一部分 / 过去一年的工作回顾: a part's label and its title
        return f"{left} {right}"
    if _spaced_letter(a) and _spaced_letter(b):
        return f"{left} {right}"  # (Latin words, and Cyrillic, Greek, Arabic or Hangul ones)
    if a in ",;:.!?" and b.isascii() and b.isalpha() and _LATIN_WORDS_END_RE.search(left):
        return f"{left} {right}"  # (an English clause after its mark: gentlemen, / It is…)
    if a in ",;:.!?،؛" and _spaced_letter(b) and not b.isascii() and _spaced_letter(left[-2:-1]):
        return f"{left} {right}"  # (likewise in Cyrillic, Greek, Arabic, Hebrew, Hangul)
    if a.isascii() and a.isdigit() and b.isascii() and b.isdigit():
        return f"{left} {right}"
    return left + right


def _spaced_letter(char: str) -> bool:
    """A letter of a script whose words spaces part (Latin, Cyrillic, Greek, Arabic, Hebrew,
    Hangul…), not a Han character or kana: two such words a line break parted are two words
    (a Russian line joined to the next read `гостей,Мы`)."""
    return (
        char.isalpha()
        and not is_cjk(char)
        and not ("\u3040" <= char <= "\u30ff" or "\uff00" <= char <= "\uffef")
    )


def _at_width(text: str, width: int) -> bool:
    """Whether a line of a hard-wrapped file is full: it reached the wrapping column."""
    return len(text) >= width - 2


def _runs_on(text: str, width: int) -> bool:
    """Whether a line of a hard-wrapped file goes on in the next one: full, and not finished."""
    return _at_width(text, width) and text[-1] not in TERMINAL


def hard_wrap_width(lines: Sequence[Line]) -> int | None:
    """The column at which a file was hard-wrapped, if it was.

    A wrapped file has many lines of (nearly) the same length that end mid-sentence; a file of
    one paragraph per line has lengths all over the place. Lines that start with an enumerator
    are no evidence: parallel headings (一、坚持以上率下，带头转变工作作风 …) are often written
    to one length, and end without a stop."""
    plain = [line for line in lines if len(line.text) >= 16 and not _ENUMERATOR_RE.match(line.text)]
    lengths = [len(line.text) for line in plain]
    if len(lengths) < 5:
        return None
    counts = Counter(lengths)
    best, hits = max(((n, counts[n] + counts[n - 1]) for n in counts), key=lambda t: (t[1], t[0]))
    unfinished = sum(
        1 for line in plain if len(line.text) in (best, best - 1) and line.text[-1] not in TERMINAL
    )
    if hits >= 5 and hits / len(lengths) >= 0.4 and unfinished >= hits / 2:
        return best
    return None


# --- editors' reference marks ------------------------------------------------------------------

# A wiki's or an editor's note reference: [1], [12], [注1], [CPC 2]. ASCII brackets only: a
# document's own full-width ［1］ notes are part of the published text. Inside running text a mark
# follows a character; alone on a line it is a mark too, but "[1] 文字" at a line start is a label.
_MARK_LABEL_RE = compile_either(r"(?:注|[A-Za-z]{1,10})?\s?\d{1,3}")
_MARK_LINE_RE = compile_either(rf"\[{_MARK_LABEL_RE.pattern}\]")
_REFERENCE_RE = compile_either(rf"(?<=[^\s\[]){_MARK_LINE_RE.pattern}")


def fold_split_marks(lines: list[Line]) -> list[Line]:
    """Put a reference mark cut onto three lines ("[" / "1" / "]") back on one line.

    Done before the boilerplate rules, which would otherwise take the lone brackets for toolbar
    debris and leave the number behind in the sentence."""
    if not any(line.text == "[" for line in lines):
        return lines
    out: list[Line] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        if (
            line.text == "["
            and index + 2 < len(lines)
            and lines[index + 2].text == "]"
            and _MARK_LABEL_RE.fullmatch(lines[index + 1].text)
        ):
            out.append(Line(f"[{lines[index + 1].text}]", line.line, line.heading_level))
            index += 3
        else:
            out.append(line)
            index += 1
    return out


def remove_reference_marks(lines: list[Line], removed: list[Removed]) -> list[Line]:
    """Remove reference marks from every line before lines are joined; a line that is only a
    mark goes altogether (it is no paragraph break either), so joining never sees a mark."""
    kept: list[Line] = []
    for line in lines:
        if "[" not in line.text:
            kept.append(line)
        elif _MARK_LINE_RE.fullmatch(line.text):
            removed.append(Removed(line.line, line.text, "reference mark"))
        else:
            line.text = strip_reference_marks(line, removed)
            kept.append(line)
    return kept


def strip_reference_marks(paragraph: Line, removed: list[Removed]) -> str:
    """Remove note reference marks from inside a paragraph, recording each one.

    The notes they point to are an editor's, not the speaker's, and a mark left behind reads as
    part of the sentence. Repeated until stable so that cleaning twice removes nothing more."""
    text = paragraph.text
    while "[" in text:
        marks = _REFERENCE_RE.findall(text)
        if not marks:
            break
        removed.extend(Removed(paragraph.line, mark, "reference mark") for mark in marks)
        text = _REFERENCE_RE.sub("", text)
    return text


# --- spaces inside a paragraph -----------------------------------------------------------------

_SPACE_RUN_RE = compile_either(r"[ \u3000]+")


def _unspaced(text: str) -> str:
    """A letter-spaced line, as OCR or a spaced-out layout writes one (全 县 G D P 增 长
    1 2 . 5 %): nearly every character alone between single spaces. Its characters are put
    back together, digits and Latin letters too; a wider gap stays a space between words."""
    tokens = text.split(" ")
    words = [t for t in tokens if t]
    if len(words) < 6 or sum(len(w) == 1 for w in words) < 0.9 * len(words):
        return text
    return " ".join("".join(run.split(" ")) for run in text.split("  ")).strip()


def tidy_spaces(text: str) -> str:
    """Drop spaces next to Chinese text (layout, not content); keep one between Latin words."""
    text = text.strip(INDENT_CHARS)
    if " " not in text and "\u3000" not in text:
        return text  # most paragraphs of Chinese text have no inner spaces at all
    text = _unspaced(text)
    label = _LABEL_SPACE_RE.match(text)
    if label:  # 一　安全生产, 第一章　…: the space sets the label off, as 、 would
        return f"{label.group(1)}\u3000{tidy_spaces(text[label.end() :])}"
    if _FIELDS_LINE_RE.match(text) and _FIELD_GAP_RE.search(text):
        # 某某办公室　　　　2015年2月10日印发: fields set apart, the date no part of the name
        return "\u3000".join(tidy_spaces(field) for field in _FIELD_GAP_RE.split(text))
    pieces = _SPACE_RUN_RE.split(text)
    phrases = _PHRASES_RE.match(text) is not None
    out = pieces[0]
    for piece in pieces[1:]:
        if not piece:
            continue
        if phrases and _HAN_RUN_END_RE.search(out) and _HAN_RUN_START_RE.match(piece):
            out += " " + piece  # 坚持人民至上 推动高质量发展: two phrases of a title
        elif _LATIN_CLAUSE_END_RE.search(out):
            out += " " + piece  # Thank you! 谢谢: the English keeps its space and its mark
        elif out and (is_cjk(out[-1]) or is_cjk(piece[0])):
            out += piece
        else:
            out += " " + piece
    return out


# A heading's label set off from its short title by a space instead of 、 (一　安全生产,
# 第一章　从百年党史中汲取奋进力量, Ⅱ 重点工作, 1 工作回顾 as Word draws a list number and its
# tab): the space stays, or the label runs into the title (一安全生产, 1工作回顾). The outline
# reads such a label (generator.ingest.outline). (A figure's title starts with no figure but a
# year's.)
_LABEL_SPACE_RE = compile_either(
    r"^([一二三四五六七八九十]{1,3}|第[一二三四五六七八九十百]{1,4}(?:章|节|部分|篇)|[㈠-㈩⑴-⒇Ⅰ-Ⅻ]"
    r"|\d{1,2}(?:[.．]\d{1,2}){0,3}(?=[ \u3000]+(?:\D|\d{4}年)))"
    r"[ \u3000]+(?=[^。！？；，\s][^。！？；，]{1,29}$)"
)
# A short line of fields set apart by a wide gap (a document's 印发 line, a byline with its
# date), where a figure meets a word across the gap: the gap stays, as one ideographic space.
_FIELDS_LINE_RE = compile_either(r"^(?=.{4,60}$)(?!.*[。！？；，、])")
_GAP = "(?: {2,}|[ \u3000]*\u3000[ \u3000]*)"  # (one ideographic space: what the first pass left)
_FIELD_GAP_RE = compile_either(rf"(?<=[{HAN}]){_GAP}(?=\d)|(?<=\d){_GAP}(?=[{HAN}])")
# An English word and the mark that ends its clause (gentlemen!, future.): the space after it
# is English spacing, and taking it away would make the mark look Chinese to to_fullwidth.
_LATIN_CLAUSE_END_RE = re.compile(r"[A-Za-z][.!?,;:]$")
# A short line of phrases set apart by spaces, as titles and headings are (坚持人民至上 推动
# 高质量发展): no sentence mark, a few runs of four Chinese characters or more. Between two such
# runs the space is the title's own, not layout.
_PHRASES_RE = compile_either(
    f"^(?=.{{8,40}}$)(?!.*[。！？；，、：]).*[{HAN}]{{4}}[ \u3000]+[{HAN}]{{4}}"
)
# (Not where the words run on across the space: 会议 上的讲话, 关于 加强…, …的 意见.)
_HAN_RUN_END_RE = compile_either(f"(?:^|[^{HAN}])[{HAN}]{{3,}}(?<![的之与和及在为于对把将向])$")
_HAN_RUN_START_RE = compile_either(f"^(?![上的之与和及暨并为于对在])[{HAN}]{{4,}}(?:[^{HAN}]|$)")
