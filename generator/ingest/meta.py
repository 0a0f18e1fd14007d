"""Metadata from the top of a speech: title, subtitle, speaker, occasion, level, date, part.

A raw file has three zones: a preamble before the title (an advertiser's banner, a site's
breadcrumbs), a header between the title and the first line of speech (subtitle, byline, the
page's source and time lines, toolbar words) and the body. The header lines that carry metadata
become front matter; the other short lines there are page chrome and are removed, each recorded
so the report can show it. Long prose is never treated as chrome.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from generator.errors import UserError
from generator.ingest.clean import LEAD_IN_RE, Cleaned, Line, Removed
from generator.ingest.mail import subject_title
from generator.ingest.outline import match_enumerator
from generator.ingest.pagemarks import (
    INLINE_PAGE_MARK_RE,
    PAGE_MARK_RE,
    PART_WORDS,
    is_page_mark,
    page_of,
    title_page_mark,
    title_part_word,
)
from generator.ingest.pagemarks import PAGE_LINE_RE as _PAGE_LINE_RE
from generator.ingest.script import compile_either, to_simplified
from generator.numerals import parse_cn
from generator.text import (
    ADDRESS_LETTERS,
    HAN,
    count_han,
    english_address_line,
    english_address_opening,
    is_han,
)

# A year in Chinese numerals is read digit by digit (二〇二三); official documents write its
# zero as 〇, 零, or the circles ○ and ◯.
_CN_YEAR_DIGITS = {
    **dict.fromkeys("〇零○◯", 0),
    **{char: value for value, char in enumerate("一二三四五六七八九", start=1)},
}
_CN_DIGIT = "".join(_CN_YEAR_DIGITS)
_CN_NUM = "一二三四五六七八九十"
_YEAR = rf"(?P<y>\d{{4}}|[{_CN_DIGIT}]{{4}})"
_MONTH = rf"(?P<m>\d{{1,2}}|[{_CN_NUM}]{{1,3}}|元)"  # (元月: January)
_DAY = rf"(?P<d>\d{{1,2}}|[{_CN_NUM}]{{1,3}})"
DATE_RE = compile_either(
    rf"{_YEAR}\s*年\s*(?:{_MONTH}\s*月(?:\s*{_DAY}\s*日)?|(?P<new_year>元旦))"  # (2024年元旦)
)
# A month and day alone (3月7日): the speech's date when the title gives the year.
_MONTH_DAY_LINE_RE = compile_either(rf"^[（(]?{_MONTH}\s*月\s*{_DAY}\s*日[)）]?$")
# A page's stamp: a date in digits and then a name (2023-02-15  老刘的图书馆), as a repost site
# or a blog puts it under the title — the day it was saved, not the day of the speech.
_STAMP_RE = compile_either(
    rf"^\d{{4}}-\d{{1,2}}-\d{{1,2}}\s*(?!上午|下午|晚上|星期|周)(?![^：:]*[：:])[{HAN}]"
    # (not a government page's date and 来源：…, which the date line reads); or a WeChat
    # account's stamp, the name first: 原创 青川发布 2024-03-15 09:00
    rf"|^(?:原创\s*)?[{HAN}A-Za-z]{{2,20}}\s*\d{{4}}-\d{{1,2}}-\d{{1,2}}(?:\s*\d{{1,2}}:\d{{2}}(?::\d{{2}})?)?$"
)
# A date of the Republic of China's calendar (a Taiwan document's): 中華民國一一三年五月十五日,
# 民國113年5月15日 — year 113 is 2024.
ROC_DATE_RE = compile_either(
    rf"(?:中华)?民国\s*(?P<y>\d{{1,3}}|[{_CN_DIGIT}十百]{{1,5}})\s*年\s*{_MONTH}\s*月"
    rf"(?:\s*{_DAY}\s*日)?"
)
_ROC_OFFSET = 1911
# A date whose month or day was anonymised: 2023年×月×日, 2023年X月.
_ANONYMISED_DATE_LINE_RE = compile_either(
    rf"^[（(]?{_YEAR}\s*年\s*[×X\d]{{1,2}}\s*月(?:\s*[×X\d]{{1,2}}\s*日)?[)）]?$"
)
# A labelled date line that a boilerplate rule removes as a news page's (时间：…): the meeting's
# date when nothing else gives one. (Not 发布时间, 发布日期 or 成文日期: a page's or a
# document's date, which a repost can give years after the speech. No date beats a wrong one.)
_DATE_LABEL = r"(?:会议|讲话)?(?:时间|日期)\s*[:：]\s*"
_LABELLED_DATE_RE = compile_either(f"^{_DATE_LABEL}")
_TITLE_LABEL_RE = compile_either(r"^(?:标题|题目|文章标题|名称)\s*[:：]\s*")
_NUMERIC_DATE_RE = compile_either(r"(?P<y>\d{4})[.．/-](?P<m>\d{1,2})[.．/-](?P<d>\d{1,2})")
# A line that is a date, in words or digits (2024.01.28), perhaps with the time of day or a
# note in its brackets: （2023年8月16日上午，根据录音整理）.
_DATE_LINE_RE = compile_either(
    rf"^(?:{_DATE_LABEL})?[（(]?(?:公历|阳历)?(?:{DATE_RE.pattern}|{_NUMERIC_DATE_RE.pattern.replace('?P<', '?P<n')}"
    rf"|{ROC_DATE_RE.pattern.replace('?P<', '?P<r')})"
    r"(?![^（）()]*\d{1,2}[:：]\d{2})"  # (not a time: a stamp)
    r"(?:\s*[（(]?(?:星期|周|礼拜)[一二三四五六日天][)）]?)?"  # 2024年3月12日（星期二）
    r"(?:\s*[（(](?:农历|阴历)[^（）()。！？]{1,12}[)）])?"  # …（农历正月初九）
    r"(?:[^（）()。！？]{0,16}?)?[)）]?$"
)


_TITLE_WORDS = (
    "讲话|报告|致辞|发言|讲稿|演讲|演讲稿|讲话稿|讲话提纲|总结|主持词|贺词|祝词|开幕词|闭幕词|"
    "党课|述职报告|汇报|讲评|动员|部署|意见|决议|公报"
)
_TITLE_END_RE = compile_either(rf"(?:{_TITLE_WORDS})(?:[（(][^）)]*[)）])?$")
_ADDRESS = (
    r"(?:各位代表|同志们|各位委员|各位领导|各位来宾|各位同志|各位同仁|同事们|朋友们|女士们|先生们|"
    # a greeting, which a transcript writes without its mark (大家上午好)
    r"大家(?:上午|下午|晚上|早上|中午)?好|"
    r"尊敬的[^。！？]{1,40}|亲爱的[^。！？]{1,20}|各位[^。！？，,、]{1,12}|"
    # 同学们, 老师们, 父老乡亲们, 青年朋友们, 全体同学们
    r"[^。！？，,、：:\s]{0,4}(?:老师|同学|乡亲|朋友|同胞|战友|家长|青年|干部|职工|校友|嘉宾|员工|师生|"
    r"姐妹|兄弟)们|"
    # 全镇广大干部群众, 广大党员干部
    r"(?:全[省市县区镇乡旗]|全体)?广大[^。！？，,、：:\s]{0,8}"
    r"(?:干部|群众|职工|党员|青年|师生|官兵|农民|居民|同胞|市民|村民|妇女|朋友|同志))"
)
# After the first address, any plural or office names one more (各位副主任、秘书长、各位委员，
# 同志们: 秘书长 alone opens no salutation, but in the list it is one).
_MORE_ADDRESS = (
    rf"(?:{_ADDRESS}|[^。！？，,、：:\s]{{1,8}}(?:们|长|委员|代表|群众|领导|嘉宾|来宾|同仁|同志))"
)
# One address or several, between 、 or ， (同志们、朋友们：, 各位代表、各位委员，同志们：); a
# transcript may write it with no mark after it (尊敬的各位领导、各位嘉宾).
_SALUTATION_RE = compile_either(rf"^{_ADDRESS}(?:[、，,]{_MORE_ADDRESS})*(?:[：:！!，,]|$)")
_SALUTATION_LINE_RE = compile_either(rf"^{_ADDRESS}(?:[、，,]{_MORE_ADDRESS})*[：:！!]?$")
_SALUTATION_WITHIN = 3  # paragraphs of the body a salutation line may follow (a page's lead)
_ROLE = (
    r"(?:代理)?(?:代|副)?(?:省长|市长|县长|区长|旗长|州长|盟长|乡长|镇长|主席|总理|书记|主任|部长|"
    r"厅长|局长|委员长|秘书长|院长|检察长|理事长|会长|董事长|总经理|校长|行长|馆长|所长|站长|台长"
    r"|社长|团长|处长|科长|庭长|主编|总编辑)"
)
# A personal name: two to four Han characters, or a transcribed name joined by a middle dot
# (艾尔肯·吐尼亚孜). The cap keeps a caption such as 省长赵刚作政府工作报告 from passing as a name.
_DOT = "·•・"
# A name anonymised for publication keeps its surname, or none, and stands for the rest with
# placeholders: 王××, 张XX, ×××, XXX (the placeholders render.markdown marks).
# A name withheld: 王××, XX, ○○○, 李＊＊ (circles and boxes only as a whole name: 二○ is a year's).
_ANONYMISED_NAME = (
    rf"(?:[{HAN}]{{1,2}}(?:×{{1,3}}|X{{1,3}}|x{{2,3}}|＊{{1,3}}|\*{{1,3}})"
    r"|×{2,4}|X{2,4}|x{2,4}|○{2,4}|□{2,4}|＊{2,4}|\*{2,4})"
)
_NAME = rf"(?:[{HAN}]{{2,4}}|[{HAN}]{{1,8}}(?:[{_DOT}][{HAN}]{{1,8}})+|{_ANONYMISED_NAME})"
_BYLINE_BODY = rf"(?P<role>[^。！？：:，,]{{0,24}}?{_ROLE})\s*(?P<name>{_NAME})"
_BYLINE_RE = compile_either(rf"^{_BYLINE_BODY}(?:\s*同志)?$")
# The office after the name, in brackets: 王建国同志（县委副书记、政法委书记）, 张伟（市委书记）.
_BRACKETED_BYLINE_RE = compile_either(
    rf"^(?P<name>{_NAME})(?:\s*同志)?\s*[（(](?P<role>[^（）()。！？]{{0,30}}?{_ROLE})[）)]$"
)
# A byline with a label, as a lecture's or a report's page has it: 主讲人：刘建国, 报告人：县长 王明.
_LABELLED_BYLINE_RE = compile_either(
    rf"^(?:主讲人|主讲|讲话人|报告人|宣讲人|发言人|主持人|述职人|汇报人|致辞人|作者)\s*[:：]\s*"
    rf"(?:(?P<role>[^。！？：:，,]{{0,24}}?{_ROLE})\s*)?(?P<name>{_NAME})$"
)
_NAME_LINE_RE = compile_either(rf"^{_NAME}$")
# An office alone on its line, the name on the next (省人力资源和社会保障厅党组书记、厅长).
_OFFICE_LINE_RE = compile_either(rf"^[^。！？：:，,\s]{{0,30}}?{_ROLE}$")
# An anonymised name alone on a header line, or with 同志, is the speaker's wherever it stands:
# no site puts placeholders in its chrome.
_ANONYMISED_NAME_LINE_RE = compile_either(rf"^(?P<name>{_ANONYMISED_NAME})(?:同志)?$")
# So is a name with 同志 after it (杜联合同志: no site's chrome addresses anyone), and a name with
# the date in brackets (杜联合（2015年2月5日）), which gives the date too. (Not an audience:
# 各位同志, 全体同志.)
_ADDRESSED_NAME_LINE_RE = compile_either(
    rf"^(?!各位|全体|广大|在座|尊敬|亲爱|老|女|男)(?P<name>{_NAME})\s*同志$"
)
_NAME_DATE_LINE_RE = compile_either(
    rf"^(?P<name>{_NAME})(?:\s*同志)?\s*[（(]\s*(?P<date>{DATE_RE.pattern})\s*[)）]$"
)
# A subtitle gives the date and/or the meeting: ——2026年1月25日在…会议上 or （2020年5月8日）.
# It needs a dash, a bracket or a date in front: a bare 在…上的讲话 is a title. Some pages put
# the byline on the same line (…会议上 陕西省省长 赵刚).
_DASHES = "—\\-－–~～"
# An adopted text (决议, 决定) states when and where it was adopted: （2020年5月28日…会议通过）.
_ADOPTED_RE = compile_either(
    rf"^[（(]\s*(?P<date>{DATE_RE.pattern})\s*(?P<occ>[^。！？（）()]{{4,60}}?)"
    r"(?:审议通过|通过|批准)\s*[)）]$"
)
_SUBTITLE_START_RE = compile_either(rf"^(?:[{_DASHES}]+|[（(]|\s*{DATE_RE.pattern})")
_DASH_RE = compile_either(rf"^[{_DASHES}]{{1,4}}")
# A subtitle's dash typed with hyphens or a wave (--, ----, ~), or one em dash where Chinese
# sets two, shown as the dash it stands for.
_LEADING_DASHES_RE = compile_either(r"^(?:[-－–~～]{1,4}|—-+|-+—|—(?!—))")
# 在…上的讲话: the kind of a speech a title names, and the words before it (表态发言, 主旨演讲).
# pipeline.slug_text reads the same frame.
FRAME_KIND_PREFIX = (
    "总结|动员|主持|即席|专题|重要|表态|交流|点评|主旨|工作|典型|书面|开幕|闭幕|辅导|就职|任职|离任"
)
FRAME_KINDS = "讲话|发言|致辞|报告|讲稿|讲话稿|演讲|讲评|点评"
# what 在…上的 names in a title, and more
_TITLE_KINDS = f"{FRAME_KINDS}|讲话提纲|主持词|汇报|欢迎词|答谢词|祝酒词|贺词|祝词|开幕词|闭幕词"

# Any kind of speech a subtitle names (的表态发言, 的党课讲稿, 调研时的讲话, 的讲话（摘要）).
_SUBTITLE_RE = compile_either(
    rf"^(?:[{_DASHES}]+\s*[（(]?|[（(])?\s*(?:(?P<date>{DATE_RE.pattern})\s*)?"
    r"在(?P<occ>[^。！？]+?)(?:上|时)"
    rf"(?:的(?:{FRAME_KIND_PREFIX}|[{HAN}]{{0,4}}党课)?(?:{_TITLE_KINDS}|[{HAN}]{{0,4}}党课)"
    r"(?:\s*[（(][^（）()]{1,12}[)）])?)?\s*[)）]?"
    rf"(?:\s*{_BYLINE_BODY})?$"
)
_TITLE_SPEAKER_RE = compile_either(
    r"^《?(?P<who>[^在《》]{0,24}?)(?:同志)?在(?P<occ>.+)(?:上|时)的"
    rf"(?:{FRAME_KIND_PREFIX})?(?:{_TITLE_KINDS})"
)
# The same title without its 在 (全县经济工作会议上的讲话, 2023年度工作总结暨…部署大会上的讲话):
# the occasion when it names a gathering.
_BARE_OCCASION_RE = compile_either(
    r"^(?P<occ>[^在《》，。！？\s]{2,60}?(?:会议|大会|全会|会|仪式|典礼|论坛|培训班|开班式))"
    rf"(?:上|时)的(?:{FRAME_KIND_PREFIX})?(?:{_TITLE_KINDS})$"
)
# An interview's headline names who is interviewed: 专访｜县委书记陈立新：把…做实做细.
_INTERVIEW_TITLE_RE = compile_either(
    rf"^(?:独家)?(?:专访|访谈|对话|面对面)\s*[｜|丨:：]\s*{_BYLINE_BODY}\s*[：:]"
)
# A unit and a name under the title, the writer of a 心得体会 or a 交流发言 who holds no office
# a byline names (县财政局  王磊, 县第一中学　李娜): the unit is what the speaker's office would
# be. Not a unit alone (县人民政府办公室: its last characters are no name), nor an office
# (国务院总理, above the name's own line).
_UNIT_BYLINE_RE = compile_either(
    rf"^(?P<role>[{HAN}]{{2,20}}(?:局|委|办|部|厅|院|中心|公司|集团|学校|中学|小学|大学|学院|医院|银行"
    rf"|镇|乡|街道|社区|村|所|站|队|馆|协会|联合会))\s*(?P<name>(?!{_ROLE})[{HAN}]{{2,3}})$"
    rf"(?<![室局委办部厅院心司团校学所站队馆会村乡镇道区处科股组])"
)
# A press briefing's byline: 市发展改革委主任　何建明答记者问, …就《若干措施》答记者问.
_ANSWERS_RE = compile_either(rf"^{_BYLINE_BODY}\s*(?:就[^。！？]{{1,40}})?答(?:记者|网友)问$")
# A decision's title names the meeting that made it: 第十届…第五次会议关于政府工作报告的决议.
_ADOPTED_TITLE_RE = compile_either(
    r"^(?P<occ>[^，。！？\s]{4,40}?(?:会议|大会|全会))关于\S+的(?:决议|决定)$"
)
_ROLE_ONLY_RE = compile_either(rf"^[{HAN}]{{0,12}}{_ROLE}$")
# The opening sentence of a work report says whose report it is: 我代表…人民政府，向大会报告工作.
_REPORT_OPENING_RE = compile_either(
    r"我(?:代表|受)(?P<who>[^，,。！？]{2,30}?)(?:的委托)?[，,]?\s*向(?:本次)?(?:大会|会议)"
    r"(?:报告|作)(?P<what>[^，,。！？]{0,10})"
)
# Administrative units → level. In a name such as 呼伦贝尔市海拉尔区人民代表大会 the last unit is
# the one meeting, so the last match wins; province-level municipalities are 省.
_NATIONAL_RE = compile_either(
    r"国务院|全国人民代表大会|全国代表大会|全国政协|中共中央|党中央|全国人大"
)
# The unit characters also start common words (市场, 旗帜, 区域, 乡村, 镇静): those are no unit.
# Nor is a word that ends in a unit character: 城市, 超市; 社区, 园区, 开发区, 景区, 山区;
# 县域; 城镇; and 乡镇 names the kind, not the unit (全县乡镇工作会议 is the county's meeting).
# (上市, 都市; 联盟; 重点地区, 贫困地区; 城乡, 家乡, 下乡; 试验区, 示范区, 老区 are words too;
# 青山区, 南湖区, 神农架林区 are units where an institution of theirs follows: 山区 is a word.)
_UNIT_RE = compile_either(
    r"(?P<省>自治区|特别行政区|(?:香港|澳门)特区|生产建设兵团|省|(?:北京|上海|天津|重庆)市)"
    r"|(?P<市>(?<![城超门股夜集上都黑早菜])市(?![场民值容面])|自治州|州|(?<![联同结])盟(?![友约员])"
    r"|(?<![点困境分些各该本远达族])地区)"
    r"|(?P<县>县(?![域])|旗(?![帜舰号手])"
    r"|(?<![社园城景小校片辖灾疫山矿牧林库湖街营厂发验范老贸地])区(?![域别间块分位])"
    r"|(?<=[山矿牧林湖])区(?=委|人大|人民|政府|政协|第|纪委|党委|全会|长))"
    r"|(?P<乡镇>(?<![城家下返回还同老故异他思])乡(?![村亲愁土情贤音镇])|(?<![城乡])镇(?![静定压守])"
    r"|街道|苏木)"
)
# 全省…, 全县… opening an occasion names the jurisdiction whose meeting it is, whatever units
# its subject names after (全省住房和城乡建设工作会议, 全县企业上市工作推进会).
_WHOLE_UNIT_RE = compile_either(r"^全(省|市|县|区|州|旗|镇|乡)(?![场域级内外])")
# 全省/全县… as the speaker's own jurisdiction. Not inside a word (健全市场, 安全区) and not
# 全市场/全区域, which name no jurisdiction.
_TEXT_LEVEL_RE = compile_either(
    r"(?<![健完安齐保周成两十顾])全(国|省|区|市|县|镇|乡|旗|州)(?![场域级内外])"
)
_TEXT_LEVEL = {
    "国": "国家",
    "省": "省",
    "区": "县",
    "市": "市",
    "县": "县",
    "镇": "乡镇",
    "乡": "乡镇",
    "旗": "县",
    "州": "市",
}
_OPENING_PARAGRAPHS = 3  # how far into the body the opening sentence is looked for
_HEADER_LIMIT = 16  # lines between title and text beyond which we stop calling lines chrome
_LONG_HEADER_LIMIT = 40  # … where every one of them is a word or two (see _header_limit)


def _header_limit(paragraphs: list[Line], start: int) -> int:
    """How many lines after the title may be header. A repost puts its chrome one word to a
    line (原创 / 账号 / 发表于湖南 / #合集 / 编辑 / 丨 / 名字 …), past 16 lines; while every line
    is that short and no sentence, the header reads on, up to 40 lines."""
    run = 0
    for paragraph in paragraphs[start : start + _LONG_HEADER_LIMIT]:
        if len(paragraph.text) > 20 or any(mark in paragraph.text for mark in "。！？；"):
            break
        run += 1
    return max(_HEADER_LIMIT, min(_LONG_HEADER_LIMIT, run + 1))


@dataclass
class Meta:
    title: str
    title_line: int
    subtitle: str | None = None
    speaker: str | None = None
    speaker_role: str | None = None
    occasion: str | None = None
    level: str | None = None
    date: str | None = None
    salutation: str | None = None
    part: tuple[int, int] | None = None
    part_word: str | None = None  # 上, 中 or 下, where the part came from such a word
    title_from_filename: bool = False
    body: list[Line] = field(default_factory=list)
    removed: list[Removed] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def read_meta(cleaned: Cleaned, path: Path) -> Meta:
    """Split the cleaned paragraphs into preamble, title, header and body, and read the
    metadata (also from what cleaning removed: the subject of the mail the speech came in is a
    title when it has none, a news page's 时间：line a date)."""
    paragraphs = cleaned.paragraphs
    found = _find_title(paragraphs)
    if found is None:
        meta = Meta(title="", title_line=0)
        body_start = 0
        header = _untitled_header(paragraphs)
        if header is not None:  # no title, but a subtitle or byline (an advertiser's lines above)
            _drop_preamble(paragraphs[:header], meta)
            body_start = _read_header(paragraphs, header, meta)
    else:
        title_index, lines = found
        meta = _title_meta(paragraphs[title_index])
        if lines == 2:  # (its second line ends like a title)
            meta.title = join_title_lines(meta.title, paragraphs[title_index + 1].text)
        _drop_preamble(paragraphs[:title_index], meta)
        body_start = _read_header(paragraphs, title_index + lines, meta)
    meta.body = _read_body(paragraphs[body_start:], meta)
    if found is None:
        _untitled(meta, path, paragraphs, subject_title(cleaned.mail_subject), cleaned.front_title)
    _infer(meta)
    if meta.date is None and meta.body:
        meta.date = _date_from_labels(cleaned.removed, meta.title_line, meta.body[0].line)
    return meta


def is_prose(text: str) -> bool:
    """A sentence of running text, as opposed to a title, a label or a toolbar word: Chinese,
    or Latin words running on to a mark (an address at an international event in English:
    its paragraphs were removed as page chrome between the title and the text), or another
    script's words running on to its sentence's end (a Russian or Korean guest's speech)."""
    return len(text) >= 25 and (
        any(mark in text for mark in "。！？；")
        or (_LATIN_PROSE_RE.search(text) is not None and not _title_cased(text))
        or (
            _other_letters(text) >= 15
            and _OTHER_SENTENCE_RE.search(text.rstrip().removesuffix("།")) is not None
        )
    )


# A sentence's end in another script's text: a letter, then a full stop, question or
# exclamation mark (Arabic's ؟, Urdu's ۔, Tibetan's shad ། and Mongolian's ᠃ among them).
_OTHER_SENTENCE_RE = re.compile(r"[^\W\d_][.!?؟۔།᠃]")


# Five Latin words or more, separated by spaces or marks, the last followed by a mark.
_LATIN_PROSE_RE = re.compile(r"(?:[A-Za-z][a-z'’-]*[\s,;:]+){4,}[A-Za-z][a-z'’-]*[.!?:;,]")
_LONG_WORD_RE = re.compile(r"[A-Za-z][A-Za-z'’-]{3,}")
_TITLE_CASED = 0.6  # of the words of four letters or more, capitalised, at the least


def _title_cased(text: str) -> bool:
    """A line in title case, as an English title is, whatever commas it holds (`Statement by
    H.E. …, Permanent Representative of China to the United Nations, at the General Debate…`):
    most of its longer words capitalised, where a sentence's are in lower case. A line that
    ends a sentence is prose all the same."""
    if text.rstrip().endswith((".", "!", "?")):
        return False
    words = _LONG_WORD_RE.findall(text)
    return bool(words) and sum(word[0].isupper() for word in words) >= _TITLE_CASED * len(words)


# A red-headed document's letterhead (中共南湖区委办公室文件, ××县人民政府文件): the office that
# issued it, above the title.
_LETTERHEAD_RE = compile_either(
    r"^[^。！？，,：:\s]{2,30}(?:委员会|委|政府|办公室|办公厅|厅|局|部|院|会|组)\s*文件$"
)


def _without_page_mark(text: str) -> str:
    return title_page_mark(PAGE_MARK_RE.sub("", text).strip())[0]


# A writing service's slogan: its trade (公文, 写作, 范文…) and its boast (专注, 用心, 助手,
# 十年…) on a line that ends as no title does (专注公文写作十年, 原创公文 用心服务, 您身边的写作
# 助手) — above the title it became the title, or took the title for its subtitle. A title on
# the trade boasts of nothing: 做好新时代公文写作的几点思考, 让原创精品竞相涌现.
_SERVICE_SLOGAN_RE = compile_either(
    r"(?=.*(?:公文|写作|范文|文库|文秘|材料|资料|写手|原创))"
    r".*(?:专注|用心|助手|写手|您身边|首选|值得信赖|一站式|十年|多年|倾力|品质|专业)"
)


def _service_slogan(text: str) -> bool:
    core = _without_site_suffix(text)  # (…的讲话_百度文库: a title)
    return bool(_SERVICE_SLOGAN_RE.search(core)) and not _TITLE_END_RE.search(core)


_SLOGAN_LOOKAHEAD = 3  # lines under a service's slogan where the real title or header stands


def _header_follows(paragraphs: list[Line], index: int) -> bool:
    """Whether a title line, a subtitle or a byline comes within the next few lines."""
    for paragraph in paragraphs[index + 1 : index + 1 + _SLOGAN_LOOKAHEAD]:
        bare = _without_page_mark(paragraph.text)
        if _is_header_line(bare) or (_is_title_candidate(bare) and _TITLE_END_RE.search(bare)):
            return True
    return False


# A title's length, at the most: in characters for a Chinese one; an English one (a UN
# statement names the speaker, the office and the occasion) is more characters for as much.
_TITLE_MAX = 80
_LATIN_TITLE_MAX = 200


def _is_title_candidate(text: str) -> bool:
    bare = _without_page_mark(text)
    return (
        2 <= len(bare) <= (_LATIN_TITLE_MAX if _latin_line(bare) else _TITLE_MAX)
        and not is_prose(bare)
        and not _LETTERHEAD_RE.match(bare)
        and not _SALUTATION_RE.match(bare)
        and not (_SENTENCE_RE.match(bare) and (bare.endswith("。") or "，" in bare))
        and not _BREADCRUMB_RE.match(bare)
        and not _STAMP_RE.match(bare)
    )


# A site's trail to the page, its parts joined by > » › (公文写作交流论坛 » 讲话稿专区 » 【原创】
# 在…上的讲话, 主持词范文网 > 会议主持词): its last part may name the speech, but the line is
# the page's chrome, and the trail took the title and, read as 某某在…上的讲话, the speaker.
_BREADCRUMB_RE = compile_either(r"^(?:[^>»›＞。！？，；]{1,20}\s*[>»›＞]\s*)+[^>»›＞]{1,60}$")


def _find_title(paragraphs: list[Line]) -> tuple[int, int] | None:
    """Where the title is and on how many lines (1 or 2): the first title-like line that ends
    like a title (讲话, 报告…), passing over a site's column labels (领导讲话, 政府工作报告 alone)
    while a more specific one follows, with the line before it when the title began there;
    else the first short line before the speech starts."""
    fallback: int | None = None
    latin: int | None = None  # the first title-like line in Latin letters
    other: int | None = None  # the first in another script's letters (Cyrillic, Hangul, Arabic…)
    titled: list[int] = []
    for index, paragraph in enumerate(paragraphs[:40]):
        text = paragraph.text
        if _starts_body(text, paragraph) and not (
            not titled and fallback is None and _styled_title(text, paragraph, index)
        ):
            if not titled and _lead_in(paragraphs, index):
                continue  # (the reposted document's title is next: the account's name is none)
            break
        bare = _without_site_suffix(_without_page_mark(text))
        if not _is_title_candidate(bare) or _is_subtitle(bare):
            continue
        if _service_slogan(bare) and _header_follows(paragraphs, index):
            continue  # (专注公文写作十年 over the title; alone, 公文写作的几点体会 is one)
        if _TITLE_END_RE.search(bare) and (count_han(bare) >= 4 or _COLUMN_LABEL_RE.match(bare)):
            titled.append(index)
        elif fallback is None and count_han(bare) >= 4 and not _is_byline(bare):
            fallback = index
        elif latin is None and _LATIN_TITLE_RE.match(bare):
            latin = index
        elif other is None and _other_script_title(bare):
            other = index
    specific = [i for i in titled if not _is_genre_label(paragraphs[i].text)]
    if specific or titled:
        chosen = (specific or titled)[0]
        if chosen not in specific and _slogan_with_subtitle(paragraphs, chosen + 1):
            return chosen + 1, 1  # 专题党课讲稿 / 传承红色基因　赓续精神血脉 / ——在…上的讲稿
        if _first_of_two(paragraphs, chosen):
            return chosen - 1, 2
        return (chosen - 1, 1) if _under_slogan(paragraphs, chosen) else (chosen, 1)
    if fallback is None and latin is not None and _in_latin_letters(paragraphs[:40]):
        return latin, 1  # (a speech in English: its title, not a refusal for want of Chinese)
    if fallback is None and other is not None and _in_other_script(paragraphs[:40]):
        return other, 1  # (a Russian, Korean or Arabic guest's speech, likewise)
    return None if fallback is None else (fallback, 1)


# (Not Tibetan's shad, །, which ends a title as it ends each clause.)
_SENTENCE_END = (".", "!", "?", ";", ":", ",", "。", "！", "？", "؟", "।", "…")


def _other_letters(text: str) -> int:
    """Letters of a script that is neither Latin nor Han: Cyrillic, Greek, Arabic, Hebrew,
    Hangul, kana, Tibetan, Mongolian…"""
    return sum(1 for char in text if char.isalpha() and not char.isascii() and not is_han(char))


def _other_script_title(text: str) -> bool:
    """A title in another script: its letters, two words' worth at least, far more than any
    Han characters, and no sentence's end (Выступление на ярмарке в Хайларе; 경제 포럼 축사)."""
    letters = _other_letters(text)
    return (
        letters >= 4 and letters > 4 * count_han(text) and not text.rstrip().endswith(_SENTENCE_END)
    )


def _other_script_address(text: str) -> bool:
    """An address in another script alone on its line (Уважаемые гости,; السيدات والسادة،;
    Κυρίες και κύριοι,): the speech's first words, as 同志们： and Ladies and gentlemen, are,
    which were removed as page chrome between the title and the text."""
    letters = _other_letters(text)
    return (
        0 < letters <= ADDRESS_LETTERS
        and letters > 4 * count_han(text)
        and text.rstrip()[-1:] in (",", "،", "!", ":")
    )


def _in_other_script(paragraphs: list[Line]) -> bool:
    """Whether a text is written in another script than Latin or Han letters (see
    _other_letters), its Chinese lines, if any, few."""
    text = "".join(paragraph.text for paragraph in paragraphs)
    letters = _other_letters(text)
    return letters > 4 * count_han(text) and letters > sum(char.isascii() for char in text)


def _lead_in(paragraphs: list[Line], index: int) -> bool:
    """Whether the line is such a lead-in, with the document's title right after it."""
    if not LEAD_IN_RE.search(paragraphs[index].text):
        return False
    return any(
        _is_title_candidate(p.text) and _TITLE_END_RE.search(p.text)
        for p in paragraphs[index + 1 : index + 3]
    )


# A title in Latin letters: a capital, two words at least, no sentence's end (Speech at the
# Hailar International Trade Fair; Remarks by H.E. Li Wei at the Opening Ceremony).
_LATIN_TITLE_RE = re.compile(
    r"^[A-Z][\w'’.,:;&()/-]*(?: [\w'’.,:;&()/-]+)+(?<![.!?,;:])$", re.ASCII
)


def _in_latin_letters(paragraphs: list[Line]) -> bool:
    """Whether a text is written in Latin letters, not Chinese: a speech in English, whose
    title has no Chinese to be found by (its Chinese lines, a closing 谢谢大家！, are few)."""
    return _latin_line("".join(paragraph.text for paragraph in paragraphs))


def _latin_line(text: str) -> bool:
    letters = sum(1 for char in text if char.isascii() and char.isalpha())
    return letters > 4 * count_han(text)


def _styled_title(text: str, paragraph: Line, index: int) -> bool:
    """A Word paragraph in a heading style (标题 1, Heading 1) that is the document's title, not
    its first section: it stands first, or ends as a title does, and no enumerator labels it.
    Offices often set the title in 标题 1; it was taken for the body's start, removed as a
    line before the title, and the title inferred from the text."""
    return (
        paragraph.heading_level is not None
        and match_enumerator(text) is None
        and _is_title_candidate(text)
        and (index == 0 or _TITLE_END_RE.search(text) is not None)
    )


def _is_genre_label(text: str) -> bool:
    """A site's column label (领导讲话) or a genre named alone on a short line (专题党课讲稿,
    开幕词), which a more specific title line below it outranks; a site's name after it is no
    part of it (党课讲稿 | 党建网 outranked the speech's own title and had it removed)."""
    text = _without_site_suffix(text)
    return bool(_COLUMN_LABEL_RE.match(text)) or (
        len(text) <= 8 and _GENRE_RE.match(text) is not None
    )


_GENRE_RE = compile_either(rf"^[{HAN}]{{0,6}}?(?:{_TITLE_WORDS})稿?$")


def _slogan_with_subtitle(paragraphs: list[Line], index: int) -> bool:
    """A slogan title (传承红色基因　赓续精神血脉) at `index` with its dashed subtitle below."""
    if index + 1 >= len(paragraphs):
        return False
    text = paragraphs[index].text
    return (
        bool(_DASH_RE.match(paragraphs[index + 1].text))
        and _title_phrase(text)
        and not _is_byline(text)
    )


def _title_phrase(text: str) -> bool:
    """A line that can be (part of) a title: title-like, six Han characters or more, with no
    sentence or label mark and no date."""
    return (
        _is_title_candidate(text)
        and count_han(text) >= 6
        and not any(mark in text for mark in "。！？；：:")
        and not _DATE_LINE_RE.match(text)
    )


def _under_slogan(paragraphs: list[Line], index: int) -> bool:
    """Whether the title-like line at `index` is an undashed subtitle (在…上的讲话) under the
    speech's own title, a slogan (凝心聚力 实干争先 奋力谱写新篇章) that opens the file: not an
    office, a site, its slogan or a column label, which pages also put above a title (a line
    that follows other lines of a page's banner is the banner's)."""
    if index != 1 or not _is_bare_subtitle(paragraphs[index].text):
        return False
    before = paragraphs[index - 1].text
    return (
        _title_phrase(before)
        and not any(mark in before for mark in ">»›|｜_-–")  # (交流发言材料 - 公文派: a site's)
        and not _TITLE_END_RE.search(before)
        and not _COLUMN_LABEL_RE.match(before)
        and not _NOT_A_SLOGAN_RE.search(before)
        and not _SITE_WORD_RE.search(before)
        and not _service_slogan(before)
        and not _is_byline(before)
    )


def _is_bare_subtitle(text: str) -> bool:
    return text.startswith("在") and _SUBTITLE_RE.match(text) is not None


# A site's or a periodical's words, wherever they stand in a banner line.
_SITE_WORD_RE = compile_either(
    r"网站|网址|门户|官网|文库|之家|文档|范文|下载|平台|频道|公报|简报|日报|晚报|第.{1,4}期|"
    r"公众号|微信|微博|转载|转自|来源|本文|作者|发布|编辑|"
    r"星标|置顶|订阅|关注我们|关注本|获取更新|点击上方|蓝字"  # (a follow prompt: 星标我们，第一时间获取更新)
)
# What an office's or a site's name ends with (中共××县委办公室, 党建资料网; 文库, 之家 and the
# like _SITE_WORD_RE finds anywhere).
_NOT_A_SLOGAN_RE = compile_either(
    r"(?:委员会|办公室|办公厅|人民政府|政府|局|厅|委|部|处|院|中心|集团|公司|学校|大学|网|资料|"
    r"大全|精选|汇编|专栏)$"
)


def _first_of_two(paragraphs: list[Line], index: int) -> bool:
    """Whether the title line at `index` is the second line of a title set on two: it goes on
    from the line before (暨…, 及…), or that line opens the occasion (在…) it closes (…上的讲话)."""
    if index == 0:
        return False
    before, title = paragraphs[index - 1].text, paragraphs[index].text
    if not _is_title_candidate(before) or count_han(before) < 6 or _TITLE_END_RE.search(before):
        return False
    if any(mark in before for mark in "。！？；：:") or _is_byline(before):
        return False
    return bool(_GOES_ON_RE.match(title)) or (
        _opens_occasion(before)
        and not title.startswith("在")
        and bool(re.search(r"上的\S{0,6}$", title))
    )


def _opens_occasion(text: str) -> bool:
    """Whether a line opens an occasion it does not close: 在全市上半年经济运行, 县委书记王建国
    在全县 — a 在 without its 上的 (the 上 of 上半年 is no close)."""
    return "在" in text and "上的" not in text and not text.endswith("上")


_GOES_ON_RE = compile_either("^[暨及和与并兼]")  # (與, 並 too)
_BREAKS_OFF_RE = compile_either("[的之在和与及暨于对把将为同]$")  # a line that goes on


def join_title_lines(first: str, second: str) -> str:
    """A title set on two lines, as one: a phrase the layout broke (在全县招商引资暨项目建设 /
    攻坚年活动推进会上的讲话) is one word run, two phrases in parallel (坚定信心 / 攻坚克难) keep
    the space between them that they have on one line."""
    broken = (
        _opens_occasion(first)  # 在… waits for its 上的讲话
        or _GOES_ON_RE.match(second) is not None
        or _BREAKS_OFF_RE.search(first) is not None
    )
    return f"{first}{second}" if broken else f"{first} {second}"


# A web site's name for a column or genre, which pages put above a speech's title: 领导讲话,
# 重要讲话, 政府工作报告, 讲话稿精选; and a breadcrumb ending in one (文档之家 » 讲话致辞 » 领导讲话).
_COLUMN_LABEL_RE = compile_either(
    rf"^(?:.*[>»›＞]\s*)?(?:领导|重要|主要|最新|精选|热门|优秀|政府)?(?:{_TITLE_WORDS}|工作报告)"
    r"(?:稿|材料|精选|汇编|专栏|频道|范文)?$"
)


# Lines of the speech that are neither a sentence with its end mark nor chrome: an epigraph it
# opens with ("一个人遇到好老师是人生的幸运"), and the first line of a page set with hard line
# breaks, cut before its full stop (按照市委统一安排，现将本人…落实全面从严治党).
_EPIGRAPH_RE = compile_either(r"^[“「『][^“”「」『』]{4,}[”」』]$")
_CUT_SENTENCE_RE = compile_either(rf"^(?![—\-（(【\[《])(?=.{{20,}}$).*[{HAN}]，.*[{HAN}]$")


def _cut_sentence(text: str, following: str) -> bool:
    """A line of a page set with hard breaks, cut before its full stop, that the next line
    ends (…落实全面从严治党 / 主体责任和廉洁自律情况报告如下，请予评议。)."""
    return (
        _CUT_SENTENCE_RE.match(text) is not None
        and following[-1:] in ("。", "！", "？")
        and not _SALUTATION_RE.match(following)
        and match_enumerator(following) is None
    )


def _starts_body(text: str, paragraph: Line) -> bool:
    if _SALUTATION_RE.match(text) or is_prose(text) or _english_address(text):
        return True
    if _other_script_address(text):
        return True
    if _EPIGRAPH_RE.match(text):
        return True
    return match_enumerator(text, paragraph.heading_level) is not None and len(text) > 4


# What a document site appends to a page's title: its own name (…上的讲话_百度文库, | 豆丁网)
# and a bundle's count (（精选2篇）).
_TITLE_SITE_SUFFIX_RE = compile_either(
    r"\s*(?:[_|｜]\s*[^_|｜\s。，]{1,10}(?:文库|文档|网|范文|资料|平台|之家)"
    r"|[（(](?:精选|共)?\s*\d{1,2}\s*篇[)）])$"
)


_TITLE_DATE_RE = compile_either(rf"\s*[（(]\s*{DATE_RE.pattern}\s*[)）]$")


def _without_site_suffix(text: str) -> str:
    """A title line without the site's name a document site appends (…讲话_百度文库)."""
    suffix = _after_title(_TITLE_SITE_SUFFIX_RE, text)
    return text[: suffix.start()] if suffix else text


def _after_title(pattern: re.Pattern[str], text: str) -> re.Match[str] | None:
    """`pattern`'s match at the end of a title, when some title stands before it."""
    found = pattern.search(text)
    return found if found and found.start() > 0 else None


def _title_meta(paragraph: Line) -> Meta:
    label = _TITLE_LABEL_RE.match(paragraph.text)  # (标题：… in a disclosure table)
    text = paragraph.text[label.end() :] if label else paragraph.text
    suffix = _after_title(_TITLE_SITE_SUFFIX_RE, text)
    text = text[: suffix.start()] if suffix else text
    dated = _after_title(_TITLE_DATE_RE, text)  # …上的讲话（2024年1月5日）: the date, not the title
    text = text[: dated.start()].rstrip() if dated else text
    if text.startswith("《") and text.endswith("》") and text.count("《") == 1:
        text = text[1:-1]  # (a title set in title marks, as a repost's headline quotes it)
    meta = Meta(title=text, title_line=paragraph.line)
    if dated:
        meta.date = parse_date(dated.group(0))
        meta.removed.append(Removed(paragraph.line, dated.group(0), "date line, read as the date"))
    if label:
        meta.removed.append(Removed(paragraph.line, label.group(0).strip(), "the title's label"))
    if suffix:
        meta.removed.append(
            Removed(paragraph.line, suffix.group(0).strip(), "the site's title suffix")
        )
    titled, part, page = title_page_mark(text)
    if page:  # (…讲话 第2页 共2页, …讲话[2/2], …讲话（第2/2页）)
        meta.part, meta.title = part, titled
        meta.removed.append(Removed(paragraph.line, page, "page marker"))
    mark = PAGE_MARK_RE.search(meta.title)
    if mark:
        meta.part = meta.part or (int(mark.group("n")), int(mark.group("m")))
        meta.title = (meta.title[: mark.start()] + meta.title[mark.end() :]).strip()
    titled, word, written = title_part_word(meta.title)
    if word is not None and meta.part is None:  # …讲话（上） and …讲话（下）: one speech's halves
        meta.title, meta.part, meta.part_word = titled, PART_WORDS[word], word
        meta.removed.append(Removed(paragraph.line, written, "part marker"))
    subtitled = _TITLE_WITH_SUBTITLE_RE.match(meta.title)
    if subtitled and _subtitle_match(subtitled.group("sub")):
        # 政府工作报告—2017年2月11日在…会议上 某某区长 杨国宏: a title and its subtitle on the
        # one line a flattened text left them on
        meta.title = subtitled.group("title")
        _take_subtitle(meta, subtitled.group("sub"))
    return meta


_TITLE_WITH_SUBTITLE_RE = compile_either(
    rf"^(?P<title>[^{_DASHES}]{{2,40}}?)\s*(?P<sub>[—－]{{1,2}}\s*{DATE_RE.pattern}\s*在.+)$"
)


_FILENAME_PREFIX_RE = compile_either(r"^[A-Za-z0-9]+[-_]+")


def _untitled(
    meta: Meta, path: Path, paragraphs: list[Line], subject: str | None, front: str | None = None
) -> None:
    """A title for a file without a title line: the subject of the mail it came in, the title
    field of a Markdown export's front matter, its name, else what its opening says it is.

    The subject, the field and the file name are people's labels for the text, so they come
    first; a name without Chinese (2017.txt) says nothing, and then the kind of speech is read
    from the text."""
    if subject and count_han(subject) >= 2:
        meta.title = subject
        meta.notes.append("title taken from the e-mail's subject")
        return
    if front and count_han(front) >= 2:
        meta.title = front
        meta.notes.append("title taken from the front matter's title field")
        return
    stem = _FILENAME_PREFIX_RE.sub("", path.stem).replace("_", " ").strip()
    if count_han(stem) >= 2:
        meta.title, meta.title_from_filename = stem, True
        meta.notes.append("title taken from the file name")
        return
    derived = _title_from_opening(meta)
    if derived is None:
        raise UserError(
            "no recognisable title",
            path,
            paragraphs[0].line if paragraphs else None,
            "put the speech's title on the first line, or name the file after the title",
        )
    meta.title = derived
    meta.notes.append(f"no title line: title '{derived}' inferred from the opening")


def _title_from_opening(meta: Meta) -> str | None:
    """政府工作报告 / 工作报告 when the opening delivers a report, else 在{occasion}上的讲话."""
    for paragraph in meta.body[:_OPENING_PARAGRAPHS]:
        found = _REPORT_OPENING_RE.search(paragraph.text)
        if found is None:
            continue
        who, what = found.group("who"), found.group("what")
        if "政府" in who or "政府" in what:
            return "政府工作报告"
        return "工作报告" if "工作" in what else "报告"
    if meta.occasion:
        return f"在{meta.occasion}上的讲话"
    return None


_PREAMBLE_LINES = 8  # short lines above a subtitle a file without a title may hold
_PREAMBLE_LINE_MAX = 40  # characters of each


def _untitled_header(paragraphs: list[Line]) -> int | None:
    """Where the header of a file without a title line starts: its first line, or a subtitle or
    byline under a few short lines an advertiser left above it (no speech begins above its
    header: 原创公文 用心服务 / 购买后请勿外传！ / ——2017年2月11日在…会议上)."""
    for index, paragraph in enumerate(paragraphs[: _PREAMBLE_LINES + 1]):
        if _is_header_line(_without_page_mark(paragraph.text)):
            return index
        if len(paragraph.text) > _PREAMBLE_LINE_MAX:
            return None
    return None


def _drop_preamble(preamble: list[Line], meta: Meta) -> None:
    """Lines before the title are a site's or an advertiser's, unless they are prose."""
    for paragraph in preamble:
        if LEAD_IN_RE.search(paragraph.text):  # (the repost's words on the document, not its)
            meta.removed.append(Removed(paragraph.line, paragraph.text, "repost lead-in"))
        elif is_prose(paragraph.text) and len(paragraph.text) >= 40:
            meta.notes.append(f"line {paragraph.line} before the title kept as text")
            meta.body.append(paragraph)
        else:
            meta.removed.append(Removed(paragraph.line, paragraph.text, "before the title"))


def _read_header(paragraphs: list[Line], start: int, meta: Meta) -> int:
    """Read subtitle, byline, date and page marks; return the index where the speech starts."""
    index = start
    previous = "title" if start > 0 else ""  # what the last header line was
    limit = _header_limit(paragraphs, start)
    while index < len(paragraphs) and index - start < limit:
        paragraph = paragraphs[index]
        text = paragraph.text
        following = paragraphs[index + 1].text if index + 1 < len(paragraphs) else ""
        if (
            _starts_body(text, paragraph)
            or (_SENTENCE_RE.match(text) and not _CAPTION_RE.match(text))
            or _LABEL_LINE_RE.match(text)
            or _cut_sentence(text, following)
        ):
            resume = _subtitle_past_chrome(paragraphs, index)
            if resume is None:
                return index
            for chrome in paragraphs[index:resume]:
                meta.removed.append(
                    Removed(chrome.line, chrome.text, "page chrome between title and text")
                )
            index = resume
            continue
        dashed = _BYLINE_RE.match(_DASH_RE.sub("", text).strip()) if _DASH_RE.match(text) else None
        if dashed and meta.speaker is None:  # ——县委副书记 王小明: a byline, not a subtitle
            _set_speaker(meta, dashed.group("role"), dashed.group("name"))
            previous = "byline"
            index += 1
            continue
        if (
            _DASH_RE.match(text)
            or _is_subtitle(text)
            or (index == start and previous == "title" and _is_bare_subtitle(text))
        ):
            index = _read_subtitle(paragraphs, index, meta)
            previous = "subtitle"
            continue
        after = paragraphs[index + 2].text if index + 2 < len(paragraphs) else ""
        if previous == "title" and _continues_title(meta.title, text, following, after):
            meta.title = join_title_lines(meta.title, text)
        else:
            previous = _read_header_line(paragraph, meta, previous, following)
        index += 1
    if index - start >= limit:
        return start  # no recognisable start of speech: keep everything after the title
    return index


_CHROME_BEFORE_SUBTITLE = 4  # short lines a page may set between its title and the subtitle
_CHROME_LINE_MAX = 40  # characters of each


def _subtitle_past_chrome(paragraphs: list[Line], index: int) -> int | None:
    """Where the subtitle stands when the line at `index`, which reads as the start of the
    speech, is a page's chrome over it: an empty field of a disclosure table (发文字号：), a blog's
    标签：, a site's note (资源预览需要最新版本的Flash Player支持。), a Q&A site's 12 人赞同了该文章.
    The speech does not start above its subtitle (——2026年1月27日在…会议上), so the short lines
    before it are the page's. (Not past a salutation or a long line: 同志们： / 今天… is the
    speech however a subtitle-like line follows.)"""
    for ahead in range(index, min(index + _CHROME_BEFORE_SUBTITLE + 1, len(paragraphs))):
        text = paragraphs[ahead].text
        if ahead > index and (_DASH_RE.match(text) or _is_subtitle(text)):
            return ahead if _subtitle_match(text) else None
        if len(text) > _CHROME_LINE_MAX or _SALUTATION_RE.match(text):
            return None
    return None


# A whole sentence, however short (大家好！ 今天，我和大家一起学习交流。): the speech has begun.
# (Not one in brackets: （此文档可编辑！） is a site's note.)
_SENTENCE_RE = compile_either(rf"^[^（(【\[].*[{HAN}].*[。！？!?][”’」』]?$")
# A label introducing what follows, which the speech starts with: an addressee (县委：) or a
# participant of a symposium (张建国（宏达公司董事长）：).
_LABEL_LINE_RE = compile_either(rf"^[^：:]*[{HAN}][^：:]*[：:]$")
# A photo's caption on a report's page is a sentence too: 省长赵刚作政府工作报告。
_CAPTION_RE = compile_either(r"^[^，,。]{1,24}作[^，,。]{0,12}(?:报告|讲话|发言|说明)[。.]?$")


def _is_header_line(text: str) -> bool:
    """A line that belongs to a header: a subtitle, a byline or a date line."""
    return _is_subtitle(text) or _is_byline(text) or bool(_DATE_LINE_RE.match(text))


def _is_byline(text: str) -> bool:
    return _byline(text) is not None


def _byline(text: str) -> re.Match[str] | None:
    """A byline of any form: office and name, a label's (主讲人：…), the office in brackets."""
    return (
        _BYLINE_RE.match(text)
        or _LABELLED_BYLINE_RE.match(text)
        or _BRACKETED_BYLINE_RE.match(text)
    )


def _continues_title(title: str, text: str, following: str, after: str = "") -> bool:
    """The second (or third) line of a title set on several lines (高举…旗帜 / 为…而团结奋斗).

    Only when the first line does not end like a title, the line is title-like itself (enough
    Han characters, no sentence, no byline or date) and the subtitle, date or byline comes right
    after it, or after one more such line (`after`): a site's name or a section label between
    title and subtitle does not qualify."""
    closes = bool(_DASH_RE.match(following) or _is_header_line(following))
    if not closes and after:
        closes = _continues_title(title, following, after)
    return (
        closes
        and not _TITLE_END_RE.search(title)
        and _title_phrase(text)
        and not _BYLINE_RE.match(text)
    )


def _is_subtitle(text: str) -> bool:
    if _ADOPTED_RE.match(text):
        return True
    return bool(_SUBTITLE_RE.match(text) and _SUBTITLE_START_RE.match(text))


def _read_subtitle(paragraphs: list[Line], index: int, meta: Meta) -> int:
    paragraph = paragraphs[index]
    text, part, page = title_page_mark(paragraph.text)  # (——…会议上[1/2]: the part's mark)
    if page:
        meta.part = meta.part or part
        meta.removed.append(Removed(paragraph.line, page, "page marker"))
    following = paragraphs[index + 1].text if index + 1 < len(paragraphs) else ""
    if not _subtitle_match(text) and following and _subtitle_match(text + following):
        text += following  # a subtitle wrapped onto two lines
        index += 1
    if meta.subtitle is not None:
        meta.removed.append(Removed(paragraph.line, text, "repeated subtitle"))
        return index + 1
    _take_subtitle(meta, text)
    return index + 1


def _take_subtitle(meta: Meta, text: str) -> None:
    """The subtitle, and the occasion, date and byline it gives."""
    found = _subtitle_match(text)
    meta.subtitle = _LEADING_DASHES_RE.sub("——", text)  # (--2015年…, as typed for ——)
    if found is None:
        undashed = _DASH_RE.sub("", text).strip()
        if _DATE_LINE_RE.match(undashed):  # ——2024年3月12日: a subtitle that is a date
            meta.date = meta.date or parse_date(undashed)
        return
    meta.occasion = meta.occasion or found.group("occ").strip()
    if found.group("date"):  # (the day of the meeting: over a page's date line read before it,
        # 2024-02-07 under 来源：某某日报, the day the page was published)
        meta.date = parse_date(found.group("date")) or meta.date
    if "name" in found.groupdict() and found.group("name"):
        meta.subtitle = _LEADING_DASHES_RE.sub("——", text[: found.start("role")].strip())
        _set_speaker(meta, found.group("role"), found.group("name"))


def _subtitle_match(text: str) -> re.Match[str] | None:
    return _SUBTITLE_RE.match(text) or _ADOPTED_RE.match(text)


def _set_speaker(meta: Meta, role: str | None, name: str) -> None:
    if meta.speaker is None:
        meta.speaker = _without_address(name)
        unit = meta.speaker_role or ""  # (a unit's line above: 青山县教育局 / 局长 刘建华)
        meta.speaker_role = (unit + role.strip()) if role else (unit or None)


def _without_address(name: str) -> str:
    """A name without the 同志 after it, a form of address (张伟同志 is 张伟)."""
    return name[:-2] if name.endswith("同志") and len(name) > 3 else name


def _speaker_line(
    meta: Meta, paragraph: Line, role: str | None, name: str, more_than_name: bool
) -> str:
    """The speaker from a header line; a line that holds more than the office and the name
    (主讲人：, 同志) is kept in the report, as a date line is."""
    _set_speaker(meta, role, name)
    if more_than_name:
        meta.removed.append(
            Removed(paragraph.line, paragraph.text, "name line, read as the speaker")
        )
    return "byline"


def _read_header_line(paragraph: Line, meta: Meta, previous: str, following: str) -> str:
    """Take metadata from one header line and say what it was; chrome is recorded as removed.
    `following` is the next line's text."""
    text = paragraph.text
    byline = _byline(text)
    if byline and meta.speaker is None:  # (主讲人：刘建国 has a name without an office)
        more = byline.re is not _BYLINE_RE or text.endswith("同志")
        return _speaker_line(meta, paragraph, byline.group("role"), byline.group("name"), more)
    answers = _ANSWERS_RE.match(text)
    if answers and meta.speaker is None:
        return _speaker_line(meta, paragraph, answers.group("role"), answers.group("name"), True)
    unit = _UNIT_BYLINE_RE.match(text) if previous in ("title", "subtitle") else None
    if unit and meta.speaker is None:  # 县财政局  王磊 under a 心得体会's title
        return _speaker_line(meta, paragraph, unit.group("role"), unit.group("name"), False)
    if _STAMP_RE.match(text):
        meta.removed.append(Removed(paragraph.line, text, "page stamp (a date and a name)"))
        return "chrome"
    year = _MONTH_DAY_LINE_RE.match(text) and re.search(r"(\d{4})\s*年", meta.title)
    if year and meta.date is None:
        meta.date = parse_date(f"{year.group(1)}年{text.strip('（()）')}")
        meta.removed.append(Removed(paragraph.line, text, "date line, read with the title's year"))
        return "date"
    if _DATE_LINE_RE.match(text):
        meta.date = meta.date or parse_date(text)
        meta.removed.append(Removed(paragraph.line, text, "date line, read as the date"))
        return "date"
    anonymised = _ANONYMISED_DATE_LINE_RE.match(text)
    if anonymised:  # 2023年×月×日: the year is all the date there is
        meta.date = meta.date or str(_to_int(anonymised.group("y")))
        meta.removed.append(Removed(paragraph.line, text, "date line, read as the year"))
        return "date"
    page = _PAGE_LINE_RE.match(text)
    if page:
        meta.part = meta.part or page_of(page)
        meta.removed.append(Removed(paragraph.line, text, "page line, read as the part"))
        return "page"
    office = _OFFICE_LINE_RE.match(text)
    if office and meta.speaker is None and _NAME_LINE_RE.match(following):
        meta.speaker_role = text  # 省人社厅党组书记、厅长 / 周立新: the office, then the name
        return "office"
    if previous == "office" and meta.speaker is None and _NAME_LINE_RE.match(text):
        meta.speaker = text
        return "byline"
    named = previous in ("subtitle", "date") or (
        previous == "title" and bool(_DATE_LINE_RE.match(following))
    )
    if named and meta.speaker is None and _NAME_LINE_RE.match(text):
        # A name alone under the subtitle or the date is the speaker's (习　近　平), and so is
        # one between the title and the date line (title / 王刚 / （2024年1月5日）).
        meta.speaker = text
        return "byline"
    anonymised = _ANONYMISED_NAME_LINE_RE.match(text)
    if anonymised and meta.speaker is None:
        name = anonymised.group("name")
        return _speaker_line(meta, paragraph, None, name, name != text)
    addressed = _ADDRESSED_NAME_LINE_RE.match(text)
    if addressed and meta.speaker is None:
        return _speaker_line(meta, paragraph, None, addressed.group("name"), True)
    dated = _NAME_DATE_LINE_RE.match(text)
    date = parse_date(dated.group("date")) if dated and meta.speaker is None else None
    if dated and date:
        meta.date = meta.date or date
        return _speaker_line(meta, paragraph, None, dated.group("name"), True)
    note = _EDITORS_NOTE_RE.match(text)
    if note and meta.subtitle is None:
        meta.subtitle = note.group(1)  # （根据录音整理，未经本人审阅）: where the text came from
        return "subtitle"
    if (
        previous in ("title", "subtitle")
        and meta.speaker is None
        and _UNIT_SPEAKS_RE.search(meta.title)
        and _UNIT_LINE_RE.match(text)
    ):
        if _byline(following):  # the unit, then its head's byline: the head's office
            meta.speaker_role = text
            return "unit"
        meta.speaker = text  # 交流发言 / 青山县城关镇党委: the unit is who speaks
        return "byline"
    meta.removed.append(Removed(paragraph.line, text, "page chrome between title and text"))
    return "chrome"


# An editor's note in brackets under the title, on where the text came from: kept as the
# subtitle (it was dropped as chrome).
_EDITORS_NOTE_RE = compile_either(
    r"^[（(]([^（）()]{0,30}(?:整理|审阅|审定|摘要|节选|删节|删改|编者|记录稿)[^（）()]{0,20})[)）]$"
)
# A unit's name alone on a line (青山县城关镇党委, 县教育局, 青山集团) under the title of a
# speech a unit gives (交流发言, 表态发言, 经验介绍, 汇报): that unit is the speaker.
_UNIT_LINE_RE = compile_either(
    r"^[^。！？：:，,\s]{2,30}?(?:党委|党组|党工委|工委|党支部|支部|总支|人民政府|政府|委员会|"
    r"局|委|办公室|办|厅|院|所|站|中心|公司|集团|学校|大学|学院|中学|小学|医院|街道|社区|村|"
    r"镇|乡|协会|商会|联合会|部)$"
)
_UNIT_SPEAKS_RE = compile_either(r"(?:发言|经验介绍|经验交流|汇报)(?:材料|稿)?$")


def _read_body(paragraphs: list[Line], meta: Meta) -> list[Line]:
    body = list(meta.body)
    for paragraph in paragraphs:
        text = paragraph.text
        if is_page_mark(text):
            meta.removed.append(Removed(paragraph.line, text, "page marker"))
            continue
        if INLINE_PAGE_MARK_RE.search(text):  # …增长9.6%（第2页）其中… (or 第2頁)
            for mark in INLINE_PAGE_MARK_RE.findall(text):
                meta.removed.append(Removed(paragraph.line, mark, "page marker"))
            paragraph.text = INLINE_PAGE_MARK_RE.sub("", text)
        if meta.salutation is None and len(body) < _SALUTATION_WITHIN:
            meta.salutation = _salutation(text, alone=bool(body))
        body.append(paragraph)
    return body


def _english_address(text: str) -> bool:
    """An English speech's address opening a line (Ladies and gentlemen,): where its body
    starts, as 同志们： is a Chinese one's. (Short and without a full stop, it was dropped as
    page chrome between the title and the text.)"""
    return english_address_opening(text) is not None or english_address_line(text) is not None


def _salutation(text: str, alone: bool) -> str | None:
    """The address a paragraph opens with (同志们，今天… gives 同志们; Ladies and gentlemen,
    today… gives Ladies and gentlemen), without its mark; with `alone` (after a lead
    paragraph), only from a paragraph that is all address: 同志们：, Dear friends,."""
    found = (_SALUTATION_LINE_RE if alone else _SALUTATION_RE).match(text)
    if found is None:  # (an English speech's: Dear friends,)
        found = english_address_line(text) if alone else english_address_opening(text)
    return found.group(0).rstrip("：:！!，,") if found else None


def parse_date(text: str) -> str | None:
    """ISO date (or year-month) from 2026年1月25日 / 二〇二六年一月二十五日 / 民國115年1月25日."""
    roc = ROC_DATE_RE.search(text)
    found = roc or DATE_RE.search(text) or _NUMERIC_DATE_RE.search(text)
    if not found:
        return None
    year = _to_int(found.group("y"))
    if roc and year is not None:
        year += _ROC_OFFSET
    if found.groupdict().get("new_year"):
        return f"{year:04d}-01-01" if year else None
    month = _to_int(found.group("m"))
    day = _to_int(found.group("d")) if found.group("d") else None
    if year is None or month is None or not 1 <= month <= 12:
        return None
    if day is None:
        return f"{year:04d}-{month:02d}"
    if not 1 <= day <= 31:
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


def _to_int(text: str) -> int | None:
    if text == "元":  # 元月
        return 1
    if text.isdigit():
        return int(text)
    if len(text) in (3, 4) and all(c in _CN_YEAR_DIGITS for c in text):  # (3: 民國一一三年)
        return int("".join(str(_CN_YEAR_DIGITS[c]) for c in text))
    return parse_cn(text)


def _infer(meta: Meta) -> None:
    """Fill speaker, occasion, date and level from the title and text where the header had none."""
    found = _TITLE_SPEAKER_RE.match(meta.title)
    if found:
        meta.occasion = meta.occasion or found.group("occ").strip()
        who = found.group("who").strip().rstrip("：:").strip()  # (县长：在…上的讲话)
        if who and meta.speaker is None:
            byline = _BYLINE_RE.match(who)
            if byline:
                meta.speaker, meta.speaker_role = byline.group("name"), byline.group("role")
            else:
                meta.speaker = who
                if _ROLE_ONLY_RE.match(who):
                    meta.speaker_role = who
    interviewed = _INTERVIEW_TITLE_RE.match(meta.title) or _ANSWERS_RE.match(meta.title)
    if interviewed and meta.speaker is None:  # (…主任何建明就《方案》答记者问: who answers)
        meta.speaker, meta.speaker_role = interviewed.group("name"), interviewed.group("role")
    if meta.speaker is None:
        _speaker_from_signature(meta)
    adopted = _ADOPTED_TITLE_RE.match(meta.title) or _BARE_OCCASION_RE.match(meta.title)
    if adopted:
        meta.occasion = meta.occasion or adopted.group("occ")
    if meta.date is None:
        meta.date = _date_from_title(meta.title) or _date_from_ending(meta.body)
    meta.level = _level(meta)


def _speaker_from_signature(meta: Meta) -> None:
    """A speech signed at its end (××镇党委书记　刘长江, over the date) is that speaker's: the
    office and name alone on one of the last three lines. The lines stay in the text."""
    for paragraph in meta.body[-3:]:
        text = paragraph.text
        signed = _BYLINE_RE.match(text) or _LABELLED_BYLINE_RE.match(text)  # (讲话人：…)
        if signed and paragraph is not meta.body[0]:
            meta.speaker = _without_address(signed.group("name"))
            meta.speaker_role = (signed.group("role") or "").strip() or None
            return


def _date_from_title(title: str) -> str | None:
    full = parse_date(title)
    if full:
        return full
    year = re.match(r"^(\d{4})年(?!度)", title)  # (2023年度工作总结…: the year under review)
    return year.group(1) if year else None


def _date_from_labels(removed: list[Removed], after: int, before: int) -> str | None:
    """The date of the first labelled date line (时间：2024年10月8日) that cleaning removed
    from between the title's line and the body's first: the meeting's."""
    for line in removed:
        if not after < line.line < before:
            continue
        label = _LABELLED_DATE_RE.match(line.text)
        date = parse_date(line.text[label.end() :]) if label else None
        if date:
            return date
    return None


def _date_from_ending(body: list[Line]) -> str | None:
    """A date alone on one of the last lines (a signature date) is the speech's date."""
    for paragraph in body[-2:]:
        if _DATE_LINE_RE.match(paragraph.text):
            return parse_date(paragraph.text)
    return None


def _level(meta: Meta) -> str | None:
    """From the meeting, the office or the title; else from how the speech names its area.
    全区 of an autonomous region's meeting is the region (自治区党委书记 speaks), not a district."""
    others = f"{meta.speaker_role or ''} {meta.title}"
    if meta.occasion and _WHOLE_REGION_RE.search(meta.occasion) and "自治区" in others:
        return "省"
    for text in (meta.occasion, meta.speaker_role, meta.title):
        level = unit_level(text) if text else None
        if level:
            return level
    for paragraph in meta.body[:3]:  # 根据县委安排，现将本人…述职如下: whose report it is
        commissioned = _COMMISSIONED_RE.match(paragraph.text)
        if commissioned:
            return _TEXT_LEVEL[to_simplified(commissioned.group(1))]
    counts = Counter(
        _TEXT_LEVEL[to_simplified(found.group(1))]
        for p in meta.body
        for found in _TEXT_LEVEL_RE.finditer(p.text)
    )
    if counts:
        level, hits = counts.most_common(1)[0]
        if hits >= 3:
            return level
    return None


# A report opening with who asked for it (根据县委安排, 按照市委组织部统一部署): a report to
# that level's committee (a 述职述廉报告 names no meeting, and its speaker no office).
_COMMISSIONED_RE = compile_either(
    r"^(?:根据|按照)(省|市|县|区|镇|乡|旗|州)(?:委|政府|纪委|人大|政协)[^，,。]{0,10}?"
    r"(?:统一)?(?:安排|部署|要求)"
)
_WHOLE_REGION_RE = compile_either(r"(?<![健完安齐保周成两十顾])全区(?![域级内外])")


def unit_level(text: str) -> str | None:
    """The level (国家/省/市/县/乡镇) of the administrative unit a text names last."""
    if _NATIONAL_RE.search(text):
        return "国家"
    whole = _WHOLE_UNIT_RE.match(text)
    if whole:
        return _TEXT_LEVEL[to_simplified(whole.group(1))]
    matches = list(_UNIT_RE.finditer(text))
    if not matches:
        return None
    return matches[-1].lastgroup
