"""Text copied out of a PDF (probe 17): lines hard-wrapped at the page's width, each paragraph's
first line indented, the page's number between the pages, where a sentence often runs on.

The text is real: the 海拉尔区 government work report of 2016 (/work/shared/corpus/hailar-reports),
set as a PDF sets it; the layout is what a PDF-to-text copy of such a report gives.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from generator.config import load_config
from generator.ingest.clean import Cleaned, clean_lines
from generator.ingest.decode import SourceLine
from generator.text import HAN_RE

RULES = load_config(Path("/nonexistent-speechsite-project")).boilerplate

REVIEW = (
    "“十二五”时期，是我区发展极不平凡的五年。面对复杂严峻的经济形势和艰巨繁重的改革发展任务"
    "，区政府在市委、市政府和区委的坚强领导下，紧紧依靠全区各族干部群众，全面贯彻党的十八大和"
    "十八届三中、四中、五中全会精神，按照自治区党委“8337”发展思路要求，围绕“两个中心”"
    "建设，主动适应经济发展新常态，有效应对各种风险和挑战，不断深化完善发展思路，努力破解发展"
    "难题，狠抓各项工作落实，全区呈现出经济持续快速发展、社会事业全面进步、城市更加宜居宜业、"
    "人民生活水平显著提高的崭新局面。"
)
SERVICES = (
    "现代服务业发展迅速。商业规模持续扩大，五年新增商业营业面积50万平方米，友谊公司与大商集"
    "团实现强强联合，龙凤新天地、炎黄世纪国贸家居博览中心、伊仕丹购物广场等大型商业综合体投入"
    "运营，商业从业人员突破6万人。中俄蒙国际物流园区累计完成投资2.65亿元，平台效应初步显"
    "现，中网科技云计算等入园项目开工建设。现代服务业实现了规模和效益的同步发展。"
)
TOURISM = (
    "旅游业持续发展。五年来，我区旅游产业取得长足发展。2015年旅游收入达到69亿元，是20"
    "10年的2.6倍，旅游接待人数达到607万人次，是2010年的2.4倍。旅游接待水平进一"
    "步提高，对全区14个景区景点的环境实施了完善提升；新建、改扩建酒店10家，首旅京伦、凯景"
    "嘉华、百府悦等一批星级酒店相继竣工运营。冬季旅游市场持续升温，成功举办了海拉尔（冰雪）全"
    "国汽车场地越野锦标赛，国际雪雕大赛、中俄蒙国际冬泳邀请赛等系列冰雪活动，地区旅游目的地和"
    "区域旅游集散中心地位显著提升。国际航空口岸地位日渐突显，口岸落地签证业务获国务院批准，落"
    "地签证服务中心投入使用，台湾居民口岸签注业务启动实施。开通了海拉尔至乌兰巴托、赤塔、韩国"
    "、台湾、香港等国际及地区航线10条，国内外航线累计达到60条，2015年空港旅客吞吐量实"
    "现183万人次的历史性突破，是2010年的3倍。"
)
PARAGRAPHS = [REVIEW, SERVICES, TOURISM]
NO_START = "，。、；：！？）》”’"  # marks a PDF's typesetting never puts at a line's start


def wrapped(paragraph: str, width: int) -> list[str]:
    """A paragraph as a PDF sets it: the first line indented two characters, every line `width`
    long, a closing mark kept on the line before (so a line may run one over)."""
    lines: list[str] = []
    line = ""
    for char in "\u3000\u3000" + paragraph:
        if len(line) >= width and char not in NO_START:
            lines.append(line)
            line = ""
        line += char
    return [*lines, line]


def cleaned(lines: list[str]) -> Cleaned:
    return clean_lines([SourceLine(text, n) for n, text in enumerate(lines, 1)], RULES)


def texts(result: Cleaned) -> list[str]:
    return [p.text for p in result.paragraphs]


def han(*pieces: str) -> Counter[str]:
    return Counter(char for piece in pieces for char in HAN_RE.findall(piece))


# --- long paragraphs: few lines are indented --------------------------------------------------


def test_long_indented_paragraphs_keep_a_full_line_that_ends_in_a_stop() -> None:
    """Paragraphs of ten lines and more: a tenth of the lines indented, where an indented layout
    asked a fifth, so a full line that happened to end in 。 (…平台效应初步显 / 现，…开工建设。)
    ended its paragraph there."""
    lines = [line for paragraph in PARAGRAPHS for line in wrapped(paragraph, 22)]
    stops = [
        line for line in lines[:-1] if line.endswith("。") and len(line) >= 22 and line[0] != "　"
    ]
    assert stops  # (the case: a full line inside a paragraph that ends in a stop)
    assert texts(cleaned(lines)) == PARAGRAPHS


# --- a printed page's bare number ------------------------------------------------------------


def paged(lines: list[str], length: int, foot: list[str]) -> list[str]:
    """`lines` cut into pages of `length` lines, each but the last followed by its foot lines
    ("{n}" standing for the page's number)."""
    out: list[str] = []
    pages = [lines[at : at + length] for at in range(0, len(lines), length)]
    for number, page in enumerate(pages, 1):
        out += page
        if number < len(pages):
            out += [piece.replace("{n}", str(number)) for piece in foot]
    return out


def test_bare_page_numbers_that_count_up_a_page_apart_are_removed() -> None:
    """A page's number alone on its line (1, 2, 3 at the foot of each page), with no blank line
    about it: it was glued into the sentence that ran over the page (人均可支1配收入)."""
    lines = [line for paragraph in PARAGRAPHS for line in wrapped(paragraph, 34)]
    result = cleaned(paged(lines, 9, ["{n}"]))
    assert texts(result) == PARAGRAPHS
    assert [(r.text, r.reason) for r in result.removed] == [
        ("1", "page number"),
        ("2", "page number"),
    ]


def test_bare_page_numbers_with_blank_lines_about_them_and_the_last_page_numbered() -> None:
    lines = [line for paragraph in PARAGRAPHS for line in wrapped(paragraph, 34)]
    source = [*paged(lines, 9, ["", "{n}", ""]), "", "3"]
    result = cleaned(source)
    assert texts(result) == PARAGRAPHS
    assert [r.text for r in result.removed] == ["1", "2", "3"]


def test_figures_alone_on_their_lines_that_do_not_count_pages_stay() -> None:
    """The keep case: a table flattened into lines of figures, and numbered lines close
    together, are the speech's own text."""
    table = [
        "指标",
        "2014年",
        "2015年",
        "旅游收入（亿元）",
        "1",
        "2",
        "3",
        "接待人数（万人次）",
        "607",
    ]
    lines = [REVIEW, "", *table, "", SERVICES]
    result = cleaned(lines)
    assert not result.removed
    assert texts(result) == [REVIEW, *table, SERVICES]


def test_figures_that_count_up_but_not_a_page_apart_stay() -> None:
    lines = [REVIEW, "1", SERVICES, "2", TOURISM]
    result = cleaned(lines)
    assert not result.removed
    assert texts(result) == [REVIEW, "1", SERVICES, "2", TOURISM]


# --- a page's number with blank lines about it, after a full line that ends in a stop ---------


def test_a_flush_line_after_a_page_break_goes_on_with_the_paragraph() -> None:
    """In an indented layout a new paragraph starts indented: a flush line after the page's
    number goes on, even where the page's last line was full and ended in 。 (a blank line
    about the number had ended the paragraph there)."""
    lines = [line for paragraph in PARAGRAPHS for line in wrapped(paragraph, 22)]
    at = next(
        index
        for index, line in enumerate(lines[:-1])
        if line.endswith("。") and len(line) >= 22 and not lines[index + 1].startswith("　")
    )
    source = [*lines[: at + 1], "", "— 3 —", "", *lines[at + 1 :]]
    result = cleaned(source)
    assert texts(result) == PARAGRAPHS
    assert [(r.text, r.reason) for r in result.removed] == [("— 3 —", "page number")]


def test_an_indented_line_or_a_short_head_after_a_page_break_stays_apart() -> None:
    """The keep cases: an indented line after the break starts its paragraph; a short flush
    line there, a head no rule knew, is not run into the sentence before."""
    lines = [line for paragraph in PARAGRAPHS for line in wrapped(paragraph, 22)]
    start = next(i for i, line in enumerate(lines) if line.startswith("　　现代服务业"))
    source = [*lines[:start], "", "— 3 —", "", *lines[start:]]
    assert texts(cleaned(source)) == PARAGRAPHS
    end = start + next(i for i, line in enumerate(lines[start:]) if line.endswith("发展。"))
    head = "海拉尔区人民政府办公室"
    source = [*lines[: end + 1], "", "— 3 —", "", head, "", *lines[end + 1 :]]
    result = texts(cleaned(source))
    assert head in result
    assert result[1] == SERVICES


# --- a note at a page's foot, inside a sentence ------------------------------------------------


def test_a_note_at_a_pages_foot_is_moved_out_of_the_sentence_and_kept() -> None:
    """A note set between a page's last line and its number (…达到607万人 / ①按可比价格计算。 /
    — 1 — / 次，是2010年的2.4倍…): it was glued into the sentence, which it cut in two. It is the
    document's text: it stays, as a paragraph after the one it stood in."""
    lines = wrapped(TOURISM, 34)
    at = next(i for i, line in enumerate(lines) if line.endswith("607万人"))
    for note in ("①按可比价格计算。", "[1] 按可比价格计算。", "注1：按可比价格计算。"):
        source = [
            *wrapped(REVIEW, 34),
            *lines[: at + 1],
            note,
            "",
            "— 1 —",
            "",
            *lines[at + 1 :],
            *wrapped(SERVICES, 34),
        ]
        result = cleaned(source)
        assert texts(result) == [REVIEW, TOURISM, note.replace(" ", ""), SERVICES], note


def test_a_list_over_a_page_break_keeps_its_order() -> None:
    """The keep case: items ①… ②… over a page, the first after a colon, are the speech's list,
    not notes at the page's foot: they stay where they are."""
    items = [
        "要做到：",
        "①坚持问题导向，深入查找作风方面的突出问题；",
        "②坚持标本兼治，健全完善长效机制。",
    ]
    source = [REVIEW, items[0], items[1], "", "— 1 —", "", items[2], SERVICES]
    assert texts(cleaned(source)) == [REVIEW, *items, SERVICES]


# --- a glyph the font maps to no character; a printed document's closing record -------------


def test_an_unmapped_pdf_glyph_is_cut_out_and_listed() -> None:
    """(cid:123) is how PDF-to-text tools write a glyph with no character: it cut the outline's
    label (一、过(cid:3)去…) and the words; cut, it is listed where the character went missing."""
    source = [
        "一、过(cid:3)去一年工作回顾",
        "全年地区生产总值完成235.2亿(cid:1234)元，同比增长18.5%。",
    ]
    result = cleaned(source)
    assert texts(result) == [
        "一、过去一年工作回顾",
        "全年地区生产总值完成235.2亿元，同比增长18.5%。",
    ]
    assert [(r.line, r.text, r.reason) for r in result.removed] == [
        (1, "(cid:3)", "unmapped PDF glyph"),
        (2, "(cid:1234)", "unmapped PDF glyph"),
    ]


def test_a_printed_documents_closing_record_is_removed() -> None:
    """The record GB/T 9704 sets below a document (版记): copies sent, the office that printed it
    and when, whether it is published. No sentence of the speech."""
    record = [
        "抄送：区委各部门，区人大常委会办公室，区政协办公室，区法院，区检察院。",
        "海拉尔区人民政府办公室　　2015年2月10日印发",
        "（此件公开发布）",
    ]
    result = cleaned([REVIEW, SERVICES, "", *record])
    assert texts(result) == [REVIEW, SERVICES]
    assert [(r.text, r.reason) for r in result.removed] == [
        (text, "document record") for text in record
    ]


def test_a_sentence_about_a_document_printed_or_copied_stays() -> None:
    """The keep case: a speech says what an office printed and to whom it was sent."""
    lines = [
        "县委办公室、县政府办公室2024年3月15日印发了《作风建设实施方案》，各单位要认真抓好落实。",
        "抄送的单位要对照方案逐项认领任务，抄送：不是走过场。",
        "此件公开发布后，要及时做好政策解读。",
    ]
    result = cleaned([REVIEW, *lines])
    assert texts(result) == [REVIEW, *lines]
    assert not result.removed


# --- a head with its number first; the rules about a closing record ---------------------------


def test_a_running_head_after_its_page_number_on_one_line_is_removed() -> None:
    """A book's left-hand pages set the number first (— 3 —　　政府工作报告), the right-hand ones
    last: both are running heads, and the sentence over the page is joined again."""
    lines = [line for paragraph in PARAGRAPHS for line in wrapped(paragraph, 34)]
    heads = ["政府工作报告　　　　— 2 —", "— 3 —　　　　政府工作报告"]
    source = [*lines[:4], heads[0], *lines[4:10], heads[1], *lines[10:]]
    result = cleaned(source)
    assert texts(result) == PARAGRAPHS
    assert [(r.text, r.reason) for r in result.removed] == [
        (head, "running head") for head in heads
    ]


def test_a_sentence_after_a_page_number_and_a_wide_gap_is_no_running_head() -> None:
    """The keep case: only a short line with no stop is a head; a sentence stays."""
    line = "— 3 —　　　　现代服务业实现了规模和效益的同步发展。"
    result = cleaned([REVIEW, line, SERVICES])
    assert not result.removed
    assert texts(result)[1] == "—3—现代服务业实现了规模和效益的同步发展。"  # (spaces tidied)


def test_a_long_rule_of_dashes_around_the_closing_record_parts_paragraphs_only() -> None:
    """The rules a printed document draws about its closing record (——————): not text, a break
    between paragraphs, as a Markdown rule is. A sentence's dash, or a short run, stays."""
    rule = "——————————————————————"
    result = cleaned([REVIEW, rule, "抄送：市委办公室，市政府办公室。", rule])
    assert texts(result) == [REVIEW]
    kept = ["——综合实力显著增强。", "———", "─────"]
    assert texts(cleaned([REVIEW, *kept])) == [REVIEW, *kept]


def test_the_header_above_an_indented_layout_keeps_its_lines() -> None:
    """The title block is set flush above the indented paragraphs; a subtitle most of a full
    line long (——2016年2月19日在…会议上, 33 of 38) was taken for a full line running on, and the
    byline, which the speaker is read from, was joined to it."""
    subtitle = "——2016年2月19日在海拉尔区第十四届人民代表大会第五次会议上"
    byline = "海拉尔区人民政府区长　　杜联合"
    lines = [line for paragraph in PARAGRAPHS for line in wrapped(paragraph, 38)]
    result = texts(cleaned(["政府工作报告", subtitle, byline, "", "　　各位代表：", *lines]))
    assert result[:3] == ["政府工作报告", subtitle, "海拉尔区人民政府区长杜联合"]
    assert result[3:] == ["各位代表：", *PARAGRAPHS]
