"""Layouts the cleaner must read as their writers meant them (probe 15): a header set line by line
in a file whose paragraphs are set apart by blank lines, a speech flattened into one line with no
indents, and a speech kept as Markdown (front matter, lists, rules, escapes, emphasis, comments).

The text is real: the 海拉尔区 government work report of 2016 (/work/shared/corpus/hailar-reports).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from generator.config import load_config
from generator.ingest.clean import clean_lines, split_run_on
from generator.ingest.decode import SourceLine
from generator.ingest.outline import build_outline
from generator.ingest.pipeline import Prepared, prepare
from generator.text import HAN_RE

RULES = load_config(Path("/nonexistent-speechsite-project")).boilerplate

TITLE = "政府工作报告"
MEETING_TITLE = "在海拉尔区第十四届人民代表大会第五次会议上的报告"
SUBTITLE = "——2016年2月19日在海拉尔区第十四届人民代表大会第五次会议上"
BYLINE = "海拉尔区人民政府区长　　杜联合"
SALUTATION = "各位代表："
OPENING = "现在，我代表海拉尔区人民政府向大会作工作报告，并请区政协委员和列席会议的同志提出意见。"
SECTION_1 = "一、“十二五”时期和2015年工作回顾"
REVIEW = (
    "“十二五”时期，是我区发展极不平凡的五年。面对复杂严峻的经济形势和艰巨繁重的改革发展任务，"
    "区政府在市委、市政府和区委的坚强领导下，紧紧依靠全区各族干部群众，全面贯彻党的十八大和十八届"
    "三中、四中、五中全会精神。"
)
STRENGTH = (
    "综合实力显著增强。地区生产总值由2010年的162.4亿元增加到2015年的287.9亿元，年均增长12.1%；"
    "公共财政预算收入由2010年的5.24亿元增加到2015年的15.07亿元，年均增长23.53%。"
)
SECTION_2 = "二、2016年工作安排"
PLAN = (
    "产业结构不断优化。五年来，我区着力促转型、调结构，经济保持平稳增长，经济运行质量进一步提高。"
)
TOURISM = (
    "旅游业持续发展。2015年旅游收入达到69亿元，是2010年的2.6倍，旅游接待人数达到607万人次，"
    "是2010年的2.4倍。"
)


def ingest_text(tmp_path: Path, text: str, name: str = "report.txt") -> Prepared:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return prepare(path, load_config(tmp_path))


def body(prepared: Prepared) -> list[str]:
    return [p.text for p in prepared.meta.body]


def han(*pieces: str | None) -> Counter[str]:
    return Counter(char for piece in pieces if piece for char in HAN_RE.findall(piece))


def assert_nothing_lost(prepared: Prepared, text: str) -> None:
    meta = prepared.meta
    kept = han(
        *body(prepared),
        meta.title,
        meta.subtitle,
        meta.speaker,
        meta.speaker_role,
        *(r.text for r in prepared.removed),
    )
    assert not han(text) - kept


# --- probe 15 A2: a tight header in a file of blank-separated paragraphs ----------------------


def test_a_header_set_line_by_line_above_blank_separated_paragraphs_stays_apart(
    tmp_path: Path,
) -> None:
    """Title, byline and salutation on consecutive lines, the paragraphs below apart by blank
    lines (a WeChat or web copy): the header's lines end in no stop, and were joined as pieces
    of one paragraph — the title glued to the byline (在…上的报告区长杜联合), a title inferred
    or the file refused."""
    header = [MEETING_TITLE, "区长　杜联合", SALUTATION]
    text = "\n".join(header) + "\n\n" + "\n\n".join([OPENING, SECTION_1, REVIEW, STRENGTH]) + "\n"
    prepared = ingest_text(tmp_path, text)
    meta = prepared.meta
    assert meta.title == MEETING_TITLE
    assert (meta.speaker, meta.speaker_role) == ("杜联合", "区长")
    assert body(prepared) == [SALUTATION, OPENING, SECTION_1, REVIEW, STRENGTH]
    # (the subtitle and byline the report has: each its own paragraph)
    lines = [TITLE, SUBTITLE, BYLINE, SALUTATION, "", OPENING, "", REVIEW, "", STRENGTH]
    cleaned = clean_lines([SourceLine(t, n) for n, t in enumerate(lines, 1)], RULES)
    assert [p.text for p in cleaned.paragraphs][:4] == [
        TITLE,
        SUBTITLE,
        "海拉尔区人民政府区长杜联合",
        SALUTATION,
    ]


def test_break_tags_at_the_ends_of_lines_are_read_as_the_same_layout(tmp_path: Path) -> None:
    """A page's source with `<br/><br/>` ending each paragraph: the empty pieces the tags leave are
    blank lines, and the header above them was joined the same way (the file was refused)."""
    lines = [MEETING_TITLE, "区长　杜联合", SALUTATION, OPENING, SECTION_1, REVIEW, SECTION_2, PLAN]
    text = "\n".join(line + ("<br/><br/>" if index > 2 else "") for index, line in enumerate(lines))
    prepared = ingest_text(tmp_path, text)
    assert prepared.meta.title == MEETING_TITLE
    assert prepared.meta.speaker == "杜联合"
    assert body(prepared) == lines[2:]


def test_the_first_paragraph_cut_by_a_link_is_still_joined_in_that_layout() -> None:
    """The header is judged line by line only where its lines are a header's (short, no clause):
    the first paragraph's sentence, cut where a link was, is one paragraph again."""
    lines = [
        TITLE,
        "",
        "现在，我代表",
        "海拉尔区人民政府",
        "向大会作工作报告。",
        "",
        REVIEW,
        "",
        STRENGTH,
    ]
    cleaned = clean_lines([SourceLine(t, n) for n, t in enumerate(lines, 1)], RULES)
    assert [p.text for p in cleaned.paragraphs] == [
        TITLE,
        "现在，我代表海拉尔区人民政府向大会作工作报告。",
        REVIEW,
        STRENGTH,
    ]


# --- probe 15 A3: a speech flattened into one line without indents ----------------------------


def test_a_speech_flattened_into_one_line_gets_its_header_and_sections_back(
    tmp_path: Path,
) -> None:
    """Title, byline, salutation, headings and paragraphs all on one line with single spaces in
    the header: split after the title and around the salutation, and before each 一、/（一）
    that follows a sentence's end (or a colon announcing it). Nothing lost, nothing moved."""
    flat = " ".join(
        [
            MEETING_TITLE,
            "区长 杜联合",
            SALUTATION
            + OPENING
            + SECTION_1
            + "。"
            + REVIEW
            + "主要做了以下工作：（一）"
            + STRENGTH,
        ]
    )
    flat += "（二）" + TOURISM + SECTION_2 + "。" + PLAN
    prepared = ingest_text(tmp_path, flat + "\n")
    meta = prepared.meta
    assert meta.title == MEETING_TITLE
    assert (meta.speaker, meta.speaker_role) == ("杜联合", "区长")
    assert meta.salutation == "各位代表"
    assert body(prepared) == [
        SALUTATION,
        OPENING,
        SECTION_1 + "。" + REVIEW + "主要做了以下工作：",
        "（一）" + STRENGTH,
        "（二）" + TOURISM,
        SECTION_2 + "。" + PLAN,
    ]
    outline = build_outline(prepared.meta.body)
    assert [item.label for item in outline.items] == ["一、", "二、"]
    assert [child.label for child in outline.items[0].children] == ["（一）", "（二）"]
    assert "".join(body(prepared)) in flat.replace(" ", "")


def test_a_title_on_its_own_line_above_the_flattened_rest(tmp_path: Path) -> None:
    text = f"{TITLE}\n{BYLINE.replace('　　', ' ')} {SALUTATION}{OPENING}{SECTION_1}。{REVIEW}"
    text += f"{SECTION_2}。{PLAN}\n"
    prepared = ingest_text(tmp_path, text)
    assert prepared.meta.title == TITLE
    assert prepared.meta.speaker == "杜联合"
    assert body(prepared) == [
        SALUTATION,
        OPENING,
        SECTION_1 + "。" + REVIEW,
        SECTION_2 + "。" + PLAN,
    ]


def test_a_long_paragraph_of_a_speech_laid_out_line_by_line_is_not_split(
    tmp_path: Path,
) -> None:
    """Only the line that holds the text is split by its words: in a speech of many lines, a long
    paragraph quoting 一、…。二、… keeps them."""
    quoting = (
        OPENING + "会议议程：一、听取工作报告。二、审查计划报告。" + REVIEW + STRENGTH + TOURISM
    )
    lines = [TITLE, BYLINE, SALUTATION, quoting, SECTION_1, REVIEW, STRENGTH, SECTION_2, PLAN]
    prepared = ingest_text(tmp_path, "\n".join(lines) + "\n")
    assert body(prepared) == lines[2:]


def test_run_on_split_needs_evidence() -> None:
    """One label after a stop is no outline run on (a sentence may start 一、 in a quotation), and
    a salutation at the start with nothing to split after it leaves the line whole."""
    one_label = OPENING + SECTION_1 + "。" + REVIEW
    assert split_run_on(one_label) == [one_label]
    assert split_run_on(SALUTATION + OPENING + REVIEW) == [SALUTATION + OPENING + REVIEW]


# --- probe 15 B3–B6: a speech kept as Markdown ---------------------------------------------------
# (the whole of it in tests/fixtures/chrome/markdown_export_marks_and_front_matter.txt)


def test_front_matter_gives_the_title_only_to_a_text_without_one(tmp_path: Path) -> None:
    """A blog export's front matter is removed; its title field is the title of a text that has
    no title line (it was `title: …` itself, the date its timestamp, the speaker `title`)."""
    text = "\n".join(
        [
            "---",
            'title: "海拉尔区2016年政府工作报告"',
            "date: 2021-03-05 10:22:31",
            "tags:",
            "  - 政府工作报告",
            "---",
            "",
            SALUTATION,
            "",
            OPENING,
            "",
            REVIEW,
        ]
    )
    prepared = ingest_text(tmp_path, text + "\n", name="2016.txt")
    meta = prepared.meta
    assert meta.title == "海拉尔区2016年政府工作报告"
    assert "title taken from the front matter's title field" in meta.notes
    assert meta.date is None and meta.speaker is None
    assert body(prepared) == [SALUTATION, OPENING, REVIEW]
    assert {r.reason for r in prepared.removed} == {"front matter"}
    assert_nothing_lost(prepared, text)


def test_dashes_at_the_top_without_fields_are_no_front_matter(tmp_path: Path) -> None:
    """A rule above the title and one below it (no field between): the title stays the title."""
    text = "\n".join(["---", TITLE, "---", BYLINE, SALUTATION, OPENING, REVIEW]) + "\n"
    prepared = ingest_text(tmp_path, text)
    assert prepared.meta.title == TITLE
    assert prepared.meta.speaker == "杜联合"
    assert body(prepared) == [SALUTATION, OPENING, REVIEW]


def test_markdown_marks_go_and_the_text_stays() -> None:
    """List marks where two lines or more start with one (a lone `- ` may be the text's dash), a
    rule (a blank line: it parts paragraphs), single-mark and underscore emphasis, escapes, a
    comment over two lines (recorded as removed). Placeholders' asterisks stay."""
    lines = [
        TITLE,
        "",
        "* " + REVIEW,
        "* " + STRENGTH,
        "",
        "- - -",
        "_（根据录音整理）_",
        "<!-- 数据待",
        "核实 -->",
        "__" + SECTION_2 + "__",
        "1\\. " + PLAN,
        "原*县*局局长刘*、王*同志：" + TOURISM,
        "- 2 -",
    ]
    cleaned = clean_lines([SourceLine(t, n) for n, t in enumerate(lines, 1)], RULES)
    assert [p.text for p in cleaned.paragraphs] == [
        TITLE,
        REVIEW,
        STRENGTH,
        "（根据录音整理）",
        SECTION_2,
        "1." + PLAN,
        "原*县*局局长刘*、王*同志：" + TOURISM,
    ]
    assert [(r.line, r.text, r.reason) for r in cleaned.removed] == [
        (8, "<!-- 数据待", "comment"),
        (9, "核实 -->", "comment"),
        (13, "- 2 -", "page number"),  # (a page's number between dashes: no list item)
    ]


def test_an_escaped_backslash_is_no_escape_so_cleaning_twice_changes_nothing() -> None:
    once = clean_lines([SourceLine("路径\\\\.和\\[注\\]", 1)], RULES).paragraphs[0].text
    assert once == "路径\\\\.和[注]"
    assert clean_lines([SourceLine(once, 1)], RULES).paragraphs[0].text == once


def test_a_first_subheading_run_into_its_sections_heading_is_cut_off() -> None:
    """A heading ends in no stop, so its first subheading ran into it when the line breaks were
    lost (二、2016年工作安排（一）产业结构…): cut there too, when the run's （二） is cut."""
    text = OPENING + SECTION_1 + "。" + REVIEW + SECTION_2 + "（一）" + PLAN + "（二）" + TOURISM
    assert split_run_on(text) == [
        OPENING,
        SECTION_1 + "。" + REVIEW,
        SECTION_2,
        "（一）" + PLAN,
        "（二）" + TOURISM,
    ]


def test_a_title_repeated_over_each_page_without_page_numbers_is_a_running_head(
    tmp_path: Path,
) -> None:
    """A copy from a PDF that kept the title printed over each page but not the page numbers:
    each repeat is removed as a running head (it stood in the text as a paragraph of its own,
    the sentence over the page cut in two); the title, and a sentence that names the meeting,
    stay."""
    title = "在全县安全生产工作会议上的讲话"
    mention = "在全县安全生产工作会议上的讲话精神要传达到每个企业。"
    text = "\n".join(
        [title, "县长 李明", "同志们：", SECTION_1, REVIEW, title, STRENGTH, "", title, "", mention]
    )
    prepared = ingest_text(tmp_path, text)
    assert prepared.meta.title == title
    assert title not in body(prepared)
    assert body(prepared)[-1] == mention
    heads = [r for r in prepared.removed if r.reason == "running head"]
    assert [(r.line, r.text) for r in heads] == [(6, title), (9, title)]


def test_markdown_links_code_and_images_leave_their_text() -> None:
    """A note app's export links a document, sets a term as code and shows a photo: the link's
    text stays without its address, the code's without its backticks, a fenced block's lines
    without their fences, and the image goes, recorded (its alt text is a caption). Brackets
    and parentheses of the text itself are no link (国发[2023](5号)); in a text file backticks
    may be its quotation marks, and stay."""
    lines = [
        "# 在全市数字政府建设推进会上的讲话",
        "",
        "![会议现场](https://example.com/img/1.png)",
        "",
        "贯彻落实[国务院的指导意见](http://www.gov.cn/a_b.htm)，取得了`一网通办`的进展。",
        "",
        "```text",
        "依据国发[2023](5号)文件。",
        "```",
    ]
    cleaned = clean_lines([SourceLine(t, n) for n, t in enumerate(lines, 1)], RULES, True)
    assert [p.text for p in cleaned.paragraphs] == [
        "在全市数字政府建设推进会上的讲话",
        "贯彻落实国务院的指导意见，取得了一网通办的进展。",
        "依据国发[2023]（5号）文件。",  # (its parentheses made full-width, as the text's are)
    ]
    assert [(r.line, r.text, r.reason) for r in cleaned.removed] == [
        (3, "![会议现场](https://example.com/img/1.png)", "image")
    ]
    text = clean_lines([SourceLine("要做到`零漏洞`目标。", 1)], RULES).paragraphs[0].text
    assert text == "要做到`零漏洞`目标。"
