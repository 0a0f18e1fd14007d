"""Outline detection: enumerator rules plus one nesting stack.

Each enumerator family is one small rule (a compiled pattern and a rank) that recognises a
paragraph-initial label such as 一、 （一） 1. （1） 第一，/首先， 一要 一是. Ranks follow the
official order of GB/T 9704 (一、 > （一） > 1. > 1.1 > 1.1.1 > （1） > 第一个问题 > 第一/其一 >
一要/一是; a report's 第一章, 第一部分 and 第一节 above them all): a family nests under any family of lower
rank that is open on the stack, never under a higher-ranked one, so the first style a speech
uses becomes its top level. Word heading styles outrank every enumerator; an unlabelled one
under labelled headings of a higher level ranks just below them.
Enumerators are recognised only at the start of a paragraph: a mid-paragraph 一是…二是… list is
body text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from generator.config import primary_language
from generator.ingest.clean import Line
from generator.ingest.script import compile_either, to_simplified
from generator.numerals import CN_NUMERAL_CHARS, parse_number
from generator.speech import without_note_marks

_CN = f"[{CN_NUMERAL_CHARS}]{{1,4}}"
_SEQUENCE_WORDS = {"首先": 1, "其次": 2, "再次": 3, "然后": None, "最后": None}


@dataclass(frozen=True)
class Rule:
    family: str
    rank: float
    pattern: re.Pattern[str]
    unstyled: bool = False  # only for a paragraph without a heading style


# 一、 (or 一．, as converted documents write it); _NEXT_SECTION uses it without RULES' guard.
_SECTION_LABEL = rf"^(?P<label>(?P<n>{_CN})(?:、|[．.](?![\d０-９])))"

# After a decimal label (1.1, 1.1.1): no more of the number, then (after a space or not) the
# rest of a heading's short line, with no sentence in it, that starts with no unit (a document
# site's 4.5分（126人评价）3.2万阅读 is a figure and its unit; so are 2.5亿元, 1.2万人).
_DECIMAL_END = (
    r"(?![\d０-９.．%％])(?=[ 　]*[^\s\d０-９。！？；%％分亿万千百倍个元米吨亩户人次天年月日号时秒度]"
    r"[^。！？；]{1,29}$)"
)

# What a run of numerals counts (一、二季度, 三、四月份, 一、二、三产业): no heading's label.
_COUNTED = "季度|月|年级|等奖|产业|类|级|成"

# The label is group "label"; the number is group "n" (or a sequence word in group "word").
RULES: tuple[Rule, ...] = (
    # 第一部分 of a long report, above its 一、 sections (not 第一部分是…, a sentence about it).
    Rule(
        "第一部分",
        0.95,
        compile_either(rf"^(?P<label>第(?P<n>{_CN})部分)(?![是的为和])[\s　、，,：:．.]*"),
    ),
    # A report's chapters, 第一章, above its 一、 (not 第一章规定…: a label and then a space).
    Rule("第一章", 0.9, compile_either(rf"^(?P<label>第(?P<n>{_CN})章)(?=[\s　、：:．.]+\S)")),
    # A chapter's sections, 第一节 (not 第一节课…: a label and then a space, as for 第一章).
    Rule("第一节", 0.97, compile_either(rf"^(?P<label>第(?P<n>{_CN})节)(?=[\s　、：:．.]+\S)")),
    # Roman numerals as a top level: Ⅰ、2023年工作回顾.
    Rule("Ⅰ、", 0.9, compile_either(r"^(?P<label>(?P<n>[Ⅰ-Ⅻ])(?:[、．.]|[ 　]+(?=\S)))")),
    # Not 一、二季度 or 三、四月份: a run of numerals joined by 、 counting something, however
    # long (一、二、三产业, 一、二、三等奖). But 一、一季度… is item one about the first quarter:
    # a run never repeats its numeral. 一．, as converted documents write it, is the same heading.
    Rule(
        "一、",
        1,
        compile_either(
            _SECTION_LABEL + rf"(?!(?!(?P=n)(?:{_COUNTED})){_CN}(?:、{_CN})*(?:{_COUNTED}))"
        ),
    ),
    Rule("（一）", 2, compile_either(rf"^(?P<label>[（(](?P<n>{_CN})[）)]、?)")),
    # 一　安全生产: a section label set off by a space instead of 、, on a heading's short line.
    Rule("一、", 1, compile_either(rf"^(?P<label>(?P<n>{_CN})[ 　]+)(?=[^。！？；，]{{2,30}}$)")),
    # ㈠ ㈡ and ⑴ ⑵: the one-character forms of （一） and （1） (Word's ⑴ numbering writes them).
    Rule("（一）", 2, compile_either(r"^(?P<label>(?P<n>[㈠-㈩]))")),
    Rule("（1）", 4, compile_either(r"^(?P<label>(?P<n>[⑴-⒇]))")),
    # Not 1.5亿 or 25、26日, nor a countdown (5……4……3); but 20.2026年… is item 20 followed by a
    # year.
    Rule(
        "1.",
        3,
        compile_either(
            r"^(?P<label>(?P<n>\d{1,2}|[０-９]{1,2})(?:[.．](?=\d{4}年)|[.．、](?![\d０-９.．…])))"
            r"(?!\d{1,2}[日号])"
        ),
    ),
    # 1.1 and 1.1.1 under 1., numbered by their last part: a heading's label set off by a
    # space, or on a heading's short line (not 2.5亿元…, 1.2万人…: a figure opening a sentence).
    Rule("1.1", 3.3, compile_either(rf"^(?P<label>\d{{1,2}}[.．](?P<n>\d{{1,2}})){_DECIMAL_END}")),
    Rule(
        "1.1.1",
        3.6,
        compile_either(rf"^(?P<label>\d{{1,2}}[.．]\d{{1,2}}[.．](?P<n>\d{{1,2}})){_DECIMAL_END}"),
    ),
    # 1　工作回顾, 2　2015年工作安排: a figure set off by a space, as Word draws a list number
    # and its tab. The cleaner keeps that space as 　 only on a heading's short line and in a
    # list (1　建立常态化督查机制。… beside 2　…, see clean.list_numbers_set_off); elsewhere a
    # figure runs into its word (10个城区). In a heading style the style says the level (its
    # 1.1　… sub-items are headings of the next level).
    Rule(
        "1.",
        3,
        compile_either(r"^(?P<label>(?P<n>\d{1,2})\u3000+)(?=[^\s\d。！？；，、：]|\d{4}年)"),
        unstyled=True,
    ),
    Rule("（1）", 4, compile_either(r"^(?P<label>[（(](?P<n>\d{1,2}|[０-９]{1,2})[）)]、?)")),
    # 1） and 1), a common variant of （1）, and 1）2015年… (item 1, then a year). (Not ① ② ③:
    # the usual marks of notes.)
    Rule(
        "1）",
        4,
        compile_either(
            r"^(?P<label>(?P<n>\d{1,2}|[０-９]{1,2})[）)])(?:(?![\d０-９])|(?=\d{4}年))"
        ),
    ),
    # 第一个问题，… 第二个问题，… (第一个方面, 第一方面, 第一点): a spoken speech's parts, as a
    # transcript gives them, above its 第一，第二， points (not 第一个问题是…, a sentence).
    Rule(
        "第一个问题",
        5,
        compile_either(rf"^(?P<label>第(?P<n>{_CN})(?:个问题|个方面|方面|点))(?P<sep>[，,、：:])"),
    ),
    Rule(
        "第一",
        5.5,
        compile_either(
            rf"^(?P<label>第(?P<n>{_CN})|(?P<word>首先|其次|再次|然后|最后))(?P<sep>[，,、：:])"
        ),
    ),
    # 其一，其二，: the points of an argument, as 第一，第二，
    Rule("其一", 5.5, compile_either(rf"^(?P<label>其(?P<n>{_CN}))(?P<sep>[，,、：:])")),
    # Not 三要素, 四要件 or 要紧的事: words that begin with 要. But 一要紧盯…, 二要紧扣… are
    # items (要 then 紧盯: the usual verbs of a directive).
    Rule(
        "一要",
        6,
        compile_either(rf"^(?P<label>(?P<n>{_CN})要)(?!求|素|点|件|闻|害|紧[的事处]|务|领)"),
    ),
    Rule("一是", 6, compile_either(rf"^(?P<label>(?P<n>{_CN})是)(?![的否])")),
)


@dataclass
class OutlineItem:
    id: str
    label: str
    title: str
    children: list[OutlineItem] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "label": self.label,
            "title": self.title,
            "children": [c.to_dict() for c in self.children],
        }


@dataclass(frozen=True)
class Heading:
    depth: int
    id: str
    text: str  # label and lead sentence exactly as written
    line: int


@dataclass(frozen=True)
class Paragraph:
    text: str
    line: int


@dataclass(frozen=True)
class Table:
    """A table of the speech: its rows of cells, the first row its head."""

    rows: tuple[tuple[str, ...], ...]
    line: int

    @property
    def text(self) -> str:
        return "\n".join("\t".join(row) for row in self.rows)

    @classmethod
    def from_text(cls, text: str, line: int) -> Table:
        return cls(tuple(tuple(row.split("\t")) for row in text.split("\n")), line)


Block = Heading | Paragraph | Table


@dataclass(frozen=True)
class OutlineWarning:
    kind: str  # "gap", "restart", "start", "declared"
    line: int
    message: str
    index: int = 0  # the paragraph's position in the input (which file, for merged parts)


@dataclass
class Outline:
    items: list[OutlineItem]
    blocks: list[Block]
    warnings: list[OutlineWarning]

    def top_level_count(self) -> int:
        return len(self.items)


@dataclass(frozen=True)
class Match:
    family: str
    rank: float
    number: int | None  # None: "最后"/"然后", which continue whatever came before
    label: str  # as written, without the separator after 第一/首先
    lead_end: int  # index in the text where the heading's lead (label + sentence) ends
    title: str


def match_enumerator(text: str, heading_level: int | None = None) -> Match | None:
    """Recognise a paragraph-initial enumerator, or a Word heading style."""
    for rule in RULES:
        if rule.unstyled and heading_level is not None:
            continue
        match = _match_rule(rule, text)
        if match is not None:
            return match
    return None if heading_level is None else heading_style_match(text, heading_level)


def heading_style_match(text: str, heading_level: int) -> Match:
    """A paragraph in a Word heading style and no label: its style is its level."""
    return Match(f"heading-{heading_level}", heading_level / 10, None, "", len(text), text)


def _match_rule(rule: Rule, text: str) -> Match | None:
    found = rule.pattern.match(text)
    if found is None:
        return None
    number = _number(found)
    if number == 0:
        return None
    lead_end, title = _lead(text, found.end())
    if not title:
        return None  # a bare label with nothing after it is not a heading
    label = found.group("label").rstrip(" 　")  # (一　安全生产's label is 一)
    return Match(rule.family, rule.rank, number, label, lead_end, title)


# 一、 without RULES' guard against a run of numerals (二、四季度): for the item that the open
# sequence expects next, 二、四季度重点工作 after 一、… is item 二 about the fourth quarter.
_NEXT_SECTION = Rule("一、", 1, compile_either(_SECTION_LABEL))


def _rank_untitled_headings(paragraphs: list[Line], matches: list[Match | None]) -> None:
    """Rank a Word heading that has no label by the labelled headings of the levels above it:
    in a document with 一、… in 标题 1 and unlabelled 标题 2 sections, a 标题 2 is a part of
    its 一、 (it outranked every enumerator, so 二、 nested under it). Where no heading has a
    label, headings keep their ranks above every enumerator."""
    labelled: dict[int, float] = {}
    for paragraph, match in zip(paragraphs, matches, strict=True):
        level = paragraph.heading_level
        if level is not None and match is not None and not match.family.startswith("heading-"):
            labelled[level] = min(labelled.get(level, match.rank), match.rank)
    if not labelled:
        return
    for index, (paragraph, match) in enumerate(zip(paragraphs, matches, strict=True)):
        level = paragraph.heading_level
        if level is None or match is None or not match.family.startswith("heading-"):
            continue
        above = [rank for labelled_level, rank in labelled.items() if labelled_level < level]
        if above:
            matches[index] = replace(match, rank=max(above) + level / 100)


def _expected_sections(paragraphs: list[Line], matches: list[Match | None]) -> None:
    """Fill in, in `matches`, the 一、 items that RULES passed over as a run of numerals but that
    come as the next number of the speech's 一、 sequence (一、…, then 二、四季度…)."""
    last = 0
    for index, paragraph in enumerate(paragraphs):
        match = matches[index]
        if match is None and not paragraph.table and last:
            candidate = _match_rule(_NEXT_SECTION, paragraph.text)
            if candidate is not None and candidate.number == last + 1:
                matches[index] = match = candidate
        if match is not None and match.family == "一、" and match.number is not None:
            last = match.number


# First code point of each run of one-character numerals: ㈠ is 1, ⑴ is 1, Ⅰ is 1.
_NUMERAL_RUNS = (("㈠", "㈩"), ("⑴", "⒇"), ("Ⅰ", "Ⅻ"))


def _number(found: re.Match[str]) -> int | None:
    word = found.groupdict().get("word")
    if word:
        return _SEQUENCE_WORDS[to_simplified(word)]  # (最後 is 最后)
    numeral = found.group("n")
    for first, last in _NUMERAL_RUNS:
        if len(numeral) == 1 and first <= numeral <= last:
            return ord(numeral) - ord(first) + 1
    return parse_number(numeral)


_OPEN = "“‘《（(「『【〔"
_CLOSE = "”’》）)」』】〕"


def _lead(text: str, start: int) -> tuple[int, str]:
    """End of the lead sentence (after its 。！？) and the title without label and end mark.

    End marks inside quotes or brackets do not end the lead."""
    depth = 0
    for index in range(start, len(text)):
        char = text[index]
        if char in _OPEN:
            depth += 1
        elif char in _CLOSE:
            depth = max(0, depth - 1)
        elif char in "：:" and depth == 0 and _runs_in_after_colon(text, start, index):
            return index + 1, text[start:index].strip()
        elif char in "。！？" and depth == 0:
            end = index + 1
            while end < len(text) and text[end] in "。！？":
                end += 1  # 为什么？！ ends once, after its last mark
            if end == len(text):
                break
            return end, text[start:index].strip()
    # (and without a heading's closing colon: 拓宽就业渠道：)
    return len(text), text[start:].rstrip("。！？：:").strip()


def _runs_in_after_colon(text: str, start: int, colon: int) -> bool:
    """A short heading ended by a colon with running text after it on its line (一、关于工作回顾：
    过去的一年，…。): the heading is what stands before the colon; its outline title was the
    whole first sentence. A label and its value (一、会议时间：3月5日) stays one line."""
    rest = text[colon + 1 :]
    return colon - start <= 20 and len(rest) >= 30 and any(mark in rest for mark in "。！？")


@dataclass
class _Open:
    family: str
    rank: float
    number: int
    item: OutlineItem
    line: int


def build_outline(paragraphs: list[Line], language: str | None = None) -> Outline:
    """Detect enumerators at paragraph starts and nest them with a stack. A speech whose
    `language` is English (speech.lang) is read by the English families of outline_en."""
    roots: list[OutlineItem] = []
    stack: list[_Open] = []
    blocks: list[Block] = []
    warnings: list[OutlineWarning] = []
    english = language is not None and primary_language(language) == "en"
    matches, not_points = _english(paragraphs) if english else _chinese(paragraphs)
    for index in (
        not_points | _colon_lists(paragraphs, matches) | _quoted(paragraphs) | _appended(paragraphs)
    ):
        matches[index] = None
    inline = _inline_english if english else _inline_list
    for index, (paragraph, match) in enumerate(zip(paragraphs, matches, strict=True)):
        if paragraph.table:
            blocks.append(Table.from_text(paragraph.text, paragraph.line))
            continue
        if (
            match is not None
            and match.number is None
            and not match.family.startswith("heading-")
            and not _in_stack(stack, match.family)
        ):
            match = None  # 最后/然后 only continue an ordinal sequence already open
        if match is not None and inline(paragraph.text, match):
            match = None  # 一是…；二是…: a list inside a paragraph stays its text
        if match is None:
            blocks.append(Paragraph(paragraph.text, paragraph.line))
            continue
        found = len(warnings)
        item = _place(match, paragraph.line, stack, roots, warnings)
        warnings[found:] = [replace(w, index=index) for w in warnings[found:]]
        blocks.append(
            Heading(len(stack), item.id, paragraph.text[: match.lead_end], paragraph.line)
        )
        rest = paragraph.text[match.lead_end :]
        if english:  # (the space before an English lead's next sentence goes with the break)
            rest = rest.lstrip()
        if rest:
            blocks.append(Paragraph(rest, paragraph.line))
    return Outline(roots, blocks, warnings)


def _chinese(paragraphs: list[Line]) -> tuple[list[Match | None], set[int]]:
    """The enumerators of a Chinese speech (RULES, and 一、 expected next), ranked, and the
    paragraphs that open with one but make no point (a courtesy before or after the points)."""
    matches = [None if p.table else match_enumerator(p.text, p.heading_level) for p in paragraphs]
    _expected_sections(paragraphs, matches)
    _rank_untitled_headings(paragraphs, matches)
    not_points = _openings(matches) | _lone_first(matches) | _closings(paragraphs, matches)
    return matches, not_points


def _english(paragraphs: list[Line]) -> tuple[list[Match | None], set[int]]:
    """The points of a speech in English (outline_en, imported for one only), as _chinese."""
    from generator.ingest import outline_en

    matches = outline_en.english_matches(paragraphs)
    _rank_untitled_headings(paragraphs, matches)
    return matches, outline_en.not_points(paragraphs, matches)


def _inline_english(text: str, match: Match) -> bool:
    from generator.ingest import outline_en

    return outline_en.inline_list(text, match)


def _openings(matches: list[Match | None]) -> set[int]:
    """Paragraphs (by their enumerator `matches`) opening with 首先 that the speech's own 第一
    follows as the next item of that family (首先，我代表学院向同学们表示祝贺。/ 第一，…): a
    courtesy before the points, not point one of a list that restarts at once."""
    found: set[int] = set()
    first: int | None = None  # the last 首先 paragraph, while no other item of its family came
    for index, match in enumerate(matches):
        if match is None or match.family != "第一":
            continue
        if first is not None and match.number == 1 and match.label.startswith("第"):
            found.add(first)
        first = index if match.label == "首先" else None
    return found


def _lone_first(matches: list[Match | None]) -> set[int]:
    """A 首先 that no other item of its family follows anywhere (首先，请…同志介绍情况。 in a
    host's script): the first thing done, not point one of a list."""
    family = [i for i, match in enumerate(matches) if match is not None and match.family == "第一"]
    if len(family) == 1 and (only := matches[family[0]]) is not None and only.label == "首先":
        return set(family)
    return set()


_THANKS = r"(?:致以|表示)[^。！？]{0,12}(?:感谢|谢意|祝贺|敬意|慰问|问候|祝福|欢迎)"
# What a closing courtesy opens with after 最后，: a wish (祝, 预祝), thanks (感谢, 谢谢,
# 我代表…向…表示衷心的感谢), or a rallying call (让我们…).
_CLOSING_RE = compile_either(
    r"(?:我们?|在此|借此机会|再次|衷心|真诚|诚挚|谨|也|还)*"
    rf"(?:祝|预祝|恭祝|谨祝|感谢|谢谢|让我们|(?:代表[^。！？]{{0,40}})?(?:向[^。！？]{{0,40}})?{_THANKS})"
)


def _closings(paragraphs: list[Line], matches: list[Match | None]) -> set[int]:
    """Paragraphs opening with 最后 that wish, thank or rally (最后，祝同学们前程似锦！): the
    speech's closing courtesy, not its last point — a point asks or states something
    (最后，希望大家…, 最后，关于…)."""

    def courtesy(text: str, match: Match) -> bool:
        return _CLOSING_RE.match(text, len(match.label) + 1) is not None

    return closing_courtesies(paragraphs, matches, "第一", courtesy)


def closing_courtesies(
    paragraphs: Sequence[Line],
    matches: list[Match | None],
    family: str,
    courtesy: Callable[[str, Match], bool],
) -> set[int]:
    """The paragraphs opening with a going-on word of the ordinal `family` (最后, Finally: no
    number of its own) whose text is a closing `courtesy`, as the language reads one."""
    return {
        index
        for index, match in enumerate(matches)
        if match is not None
        and match.family == family
        and match.number is None
        and courtesy(paragraphs[index].text, match)
    }


def _colon_lists(paragraphs: list[Line], matches: list[Match | None]) -> set[int]:
    """Runs of enumerated paragraphs right after one ending in a colon (会议共有四项议程：), each
    item one clause, all but the last ending in a semicolon (一是…通报情况； 二是…签订责任书；):
    a list the sentence announces, not the speech's points — a point has text of its own."""
    found: set[int] = set()
    for colon, paragraph in enumerate(paragraphs):
        if not paragraph.text.endswith(("：", ":")):
            continue
        end = _list_end(paragraphs, matches, colon + 1)
        items = paragraphs[colon + 1 : end]
        if len(items) >= 2 and all(item.text.endswith(("；", ";")) for item in items[:-1]):
            found.update(range(colon + 1, end))
    return found


def _list_end(paragraphs: list[Line], matches: list[Match | None], start: int) -> int:
    """Where a run of one-clause items from `start` ends: after its first item that ends in no
    semicolon (the list's last), or at an item of another family. The short heading that
    follows a list (1.…； 2.…。 then 三、加强组织领导) is one clause too, but no item of it."""
    end = start
    first = matches[start] if start < len(matches) else None
    while end < len(matches) and _clause_item(paragraphs[end], matches[end]):
        match = matches[end]
        if first is None or match is None or match.family != first.family:
            break
        end += 1
        if not paragraphs[end - 1].text.endswith(("；", ";")):
            break
    return end


def _clause_item(paragraph: Line, match: Match | None) -> bool:
    """An enumerated paragraph that is one clause: its lead is all of it, with no full stop
    before its end."""
    if match is None or match.family.startswith("heading-"):
        return False
    text = paragraph.text
    return match.lead_end == len(text) and not any(mark in text[:-1] for mark in "。！？")


_QUOTE_REACH = 8  # paragraphs a quotation may run over; a quote mark left open longer is a slip


def _quoted(paragraphs: list[Line]) -> set[int]:
    """Paragraphs inside a quotation that runs over several (《意见》明确提出：“一、… / （一）… /
    （二）…。”): another document's points, not the speech's. Only a quotation that closes within
    _QUOTE_REACH paragraphs: an unbalanced “ must not silence the rest of the outline."""
    found: set[int] = set()
    for start, paragraph in enumerate(paragraphs):
        depth = _quote_depth(paragraph.text)
        if depth <= 0:
            continue
        for end in range(start + 1, min(len(paragraphs), start + 1 + _QUOTE_REACH)):
            depth += _quote_depth(paragraphs[end].text)
            if depth <= 0:
                found.update(range(start + 1, end + 1))
                break
    return found


def _quote_depth(text: str) -> int:
    return text.count("“") - text.count("”") + text.count("「") - text.count("」")


# Where a document's attachments begin (GB/T 9704): 附件：1.…, 附件1 or 附件一 on its own line,
# 附表2：… — not a sentence about one (附件中的数据显示…). A report's glossary and notes after
# its text are appended the same way: 名词解释, 注释：, 附：名词解释 on a line of their own.
_ATTACHMENT_RE = compile_either(
    r"^(?:附[件表]\s*(?:\d{1,2}|[一二三四五六七八九十]{1,3})?\s*(?:[:：]|$)"
    r"|(?:附\s*[:：]?\s*)?(?:名词解释|名词注释|注释|注解|术语解释|词语解释)\s*[:：]?$)"
)


def _appended(paragraphs: list[Line]) -> set[int]:
    """Every paragraph from the first attachment mark on: an attachment (a table, a list of
    projects, a glossary) is appended to the speech, and its numbered lines are not the
    speech's points (附件：1.…表 / 2.…清单 nested as sub-items of the last section)."""
    for index, paragraph in enumerate(paragraphs):
        if not paragraph.table and _ATTACHMENT_RE.match(paragraph.text):
            return set(range(index, len(paragraphs)))
    return set()


_INLINE_FAMILIES = {"一是": "是", "一要": "要", "第一": None, "第一个问题": None}
_NUMERALS = "一二三四五六七八九十"


def _inline_list(text: str, match: Match) -> bool:
    """Whether a paragraph that opens with 一是 (一要, 第一) goes on to the next item within its
    first sentence: 一是…；二是…, 第一，…；第二，…; or, for 一是 and 一要, in a later one."""
    if match.family not in _INLINE_FAMILIES or match.number is None:
        return False
    if not 1 <= match.number < len(_NUMERALS):
        return False
    following = _NUMERALS[match.number]  # the next numeral (number is 1-based)
    suffix = _INLINE_FAMILIES[match.family]
    label = f"第{following}" if suffix is None else f"{following}{suffix}"
    lead = text[len(match.label) : match.lead_end]
    if re.search(f"[，,；;、：:]\\s*{label}", lead) is not None:
        return True
    # 一是…。二是…。 in one paragraph: the list begins and goes on in a later sentence of it,
    # so the paragraph is the list, not item one with 二是 hidden in its text. (Further into
    # a list of paragraphs, 三是…。四是… keeps 三是: the items before it are headings.)
    later = text[match.lead_end - 1 :]
    return (
        match.number == 1
        and suffix is not None
        and re.search(f"[。！？]\\s*{label}", later) is not None
    )


def _in_stack(stack: list[_Open], family: str) -> bool:
    return any(entry.family == family for entry in stack)


_SUBSECTION = 2  # the rank of （一）, a section's subsections
_LIST = 3  # ranks from here on are lists (1. （1）), not sections (一、 （一）)
_INFORMAL = 5  # ranks from here on (第一个问题, 第一, 首先, 一要, 一是): not in GB/T 9704's order


def _closes(stack: list[_Open], match: Match) -> bool:
    """Whether a style not yet open closes the innermost open item rather than nesting in it.

    A style closes the open items of its own rank and below, in GB/T 9704's order (一、 （一）
    1. （1）, then 第一/首先, then 一要/一是). But under an informal item (第一， 二要) a list
    in 1. or （1） is that item's sub-list; a section's style (一、 （一）) still closes it —
    save where informal items are the speech's top level (首先，… / （一）… / 其次，…): there
    a （一） opens under the item."""
    top = stack[-1]
    if top.rank < _INFORMAL or match.rank >= _INFORMAL:
        return top.rank >= match.rank
    if len(stack) == 1 and match.rank == _SUBSECTION and (match.number or 1) == 1:
        return False
    return match.rank < _LIST  # a section's style closes; a list's nests


def _place(
    match: Match,
    line: int,
    stack: list[_Open],
    roots: list[OutlineItem],
    warnings: list[OutlineWarning],
) -> OutlineItem:
    if _in_stack(stack, match.family):
        while stack[-1].family != match.family:
            stack.pop()
        previous = stack.pop()
        number = match.number if match.number is not None else previous.number + 1
        _check_sequence(previous.number, number, match, line, warnings)
    else:
        while stack and _closes(stack, match):
            stack.pop()
        number = match.number if match.number is not None else 1
        if number != 1:
            warnings.append(
                OutlineWarning("start", line, f"{match.label} starts its level at {number}, not 1")
            )
    siblings = stack[-1].item.children if stack else roots
    parent_id = stack[-1].item.id if stack else "s"
    item_id = f"{parent_id}-{len(siblings) + 1}" if stack else f"s{len(siblings) + 1}"
    item = OutlineItem(item_id, match.label, without_note_marks(match.title))  # (no [^1] there)
    siblings.append(item)
    stack.append(_Open(match.family, match.rank, number, item, line))
    return item


def _check_sequence(
    previous: int, number: int, match: Match, line: int, warnings: list[OutlineWarning]
) -> None:
    if number == previous + 1:
        return
    if number <= previous:
        warnings.append(
            OutlineWarning("restart", line, f"{match.label} restarts numbering after {previous}")
        )
    else:
        warnings.append(
            OutlineWarning("gap", line, f"{match.label} follows {previous}: numbers skipped")
        )


_DECLARED_RE = compile_either(
    rf"(?:讲|谈|强调|提|说|提出|讲讲|谈谈)(?:以下)?(?P<n>{_CN})(?:点|个方面|个问题)"
    r"(?:意见|要求|看法|想法|体会|建议)?"
)


def find_declared_points(outline: Outline) -> int | None:
    """The number of points a speaker announces (讲三点意见) before the outline's first heading
    (not before the first enumerated line: a quoted document's （一） is no heading of it)."""
    for block in outline.blocks:
        if isinstance(block, Heading):
            return None
        found = _DECLARED_RE.search(block.text) if isinstance(block, Paragraph) else None
        number = parse_number(found.group("n")) if found else None
        if number is not None and number >= 2:  # (我再强调一点 announces no outline)
            return number
    return None


def check_declared(declared: int | None, outline: Outline, line: int) -> list[OutlineWarning]:
    if declared is None or declared == outline.top_level_count():
        return []
    return [
        OutlineWarning(
            "declared",
            line,
            f"speaker announces {declared} points but the outline has "
            f"{outline.top_level_count()} top-level items",
        )
    ]
