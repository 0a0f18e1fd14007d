"""A file's own watermark: the advertiser's name, learned from the file, cut wherever it stands.

The line rules describe kinds of debris; an advertiser's bare name (墨韵文库, ★墨韵文库★,
墨·韵·文·库) is no kind, and every site has its own. But a file says its name itself: in the
lines the rules removed for a credit or a contact (墨韵文库整理，咨询QQ…), in any short line that
signs it with a contact and a credit or stars (◆墨韵文库◆出品 电话：…), and in a short line it
repeats (a watermark stands between paragraphs again and again). Once known, the name goes
wherever it stands: alone on a line, with its credit (墨韵文库出品), and stamped inside a
paragraph (【墨韵文库】今天…, …全面实现。墨韵文库整理，咨询QQ…, 来源：墨韵文库…, …，墨韵文库整理做强…)
— before broken lines are joined, so a stamp at a paragraph's end no longer leaves it
"unfinished" and joined to the next. A name the file signed is an advertiser's for sure, and goes
bare too at a paragraph's edge (…顺利完成。墨韵文库); a sentence that names it keeps it
(墨韵文库整理的《大事记》即将出版, 墨韵文库是…).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

from generator.ingest.script import compile_either
from generator.text import HAN

# What decorates a watermark: spaces, dots, stars, brackets, dashes, bars.
_DECORATION = (
    " \u3000\t·•・‧∙★☆◆◇■□●○◎※▲△▼▽♦♢【】〖〗［］[]〔〕「」『』()（）<>〈〉《》—－-–_~～|｜*＊#＃=+"
)
_DECORATION_RE = re.compile("[" + re.escape(_DECORATION) + "]+")
# What a site says it did, after its name (墨韵文库整理, …出品, …独家原创).
_CREDIT = (
    "独家整理|原创首发|独家原创|独家发布|整理|出品|原创|独家|制作|编辑|收集|提供|首发|发布|分享"
)
# Ways to reach the advertiser, and an ID or a number after one. The channels only an
# advertiser gives an ID on (_AD_CHANNELS) are what a name is learned from; an office too gives
# a telephone, a mailbox, a service desk or an account.
# (手机/微信同号: one number for both, as shops give it; 客服热线: a shop's service line.)
_AD_CHANNELS = (
    r"手机\s*[/／]\s*微信(?:同号)?|微信同号"
    r"|(?i:qq)|扣扣|微信号?|(?i:vx)|V信|加V|加微|小红书号?|抖音号?|快手号?"
)
_CHANNELS = (
    rf"{_AD_CHANNELS}|公众号|手机|电话|联系电话|热线(?:电话)?|邮箱|客服|淘宝(?:店铺)?|店铺|微博"
)
_ID = r"[A-Za-z0-9Ａ-Ｚａ-ｚ０-９_@.\-]{5,}"
_REACH = r"(?:咨询|联系|添加|加|客服)?"  # (the verb before a channel: 咨询QQ, 联系电话, 加微)
_CONTACT = rf"{_REACH}(?:{_CHANNELS})\s*[:：]?\s*{_ID}"
_AD_CONTACT = rf"{_REACH}(?:{_AD_CHANNELS})\s*[:：]?\s*{_ID}"
# Who signs, before a name (本文由…), and the name: a few letters, as few as will do.
_SIGNED_BY = r"(?:本文|本资料|本文档|此文)?由?"
_NAME = rf"(?P<name>[{HAN}A-Za-z]{{2,12}}?)"
# A name the file gives itself, in front of a credit or an advertiser's contact (本文由笔尖公文
# 整理QQ：…).
_NAME_BEFORE_RE = compile_either(
    rf"^{_SIGNED_BY}{_NAME}(?:{_CREDIT})?[，,、]?(?:{_CREDIT}|{_AD_CONTACT})"
)
# An advertiser's contact stamped after a paragraph's last sentence, the name in front of it.
_TAIL_CONTACT_RE = compile_either(
    rf"[。！？!?；;]\s*{_NAME}(?:{_CREDIT})?[，,、]?\s*{_AD_CONTACT}\s*$"
)
# A short line that signs the name with a contact, the name marked off as an advertiser's by a
# credit or by stars around it (◆某某文库◆出品电话：…, ☆某☆某☆文☆库☆ 联系电话 …): learned from
# any line, since the line rules leave a telephone to an office (县融媒体中心出品 电话：… is the
# office's, and _OWN_LINE_RE keeps its name).
_SIGNED_LINE_RE = compile_either(
    rf"^{_SIGNED_BY}{_NAME}(?P<credit>(?:{_CREDIT})+)?[，,、]?(?:{_CONTACT})"
)
_STARS_RE = re.compile("[★☆◆◇■●※♦]")
# The rules whose lines are an advertiser's (a name in front of their credit is the file's).
LEARNED_FROM = frozenset(
    {
        "advertiser contact",
        "site credit",
        "study-only notice",
        "distribution notice",
        "reprint notice",
        "document site watermark",
        "membership pitch",
        "service pitch",
        "group invitation",
    }
)
# How a watermark marks itself off, which a line of the speech does not: stars and diamonds
# around it, letters spaced or dotted, a credit after it (★墨韵文库★, 墨·韵·文·库, 墨韵文库出品).
_MARKED_RE = compile_either(
    rf"[★☆◆◇■●※♦]|[{HAN}][ \u3000·•・‧∙][{HAN}][ \u3000·•・‧∙][{HAN}]|(?:{_CREDIT})\W*$"
)
# A name in brackets inside a sentence (a label opens its paragraph: 【典型案例】…).
_MID_SENTENCE_BRACKET_RE = compile_either(
    rf"(?<=[{HAN}，,、；;])[【〖\[［]([{HAN}A-Za-z]{{3,12}})[】〗\]］](?=[{HAN}])"
)
# A site's name in brackets or parentheses anywhere in a line — inside a sentence, at a
# paragraph's or a heading's start or end (推进（晨光材料网）重点项目, （晨光材料网）高水平建设…,
# 一、加快项目前期工作【晨光材料网】, …满意度。（晨光材料网））: a name of a site's kind (…网, …文库,
# …文秘), stamped twice or more and once where no citation stands (between two words, opening a
# paragraph, closing a heading), is the file's watermark even without an address. (Not any name
# in parentheses: （国家级）, （试行） and （县发改委） are the speech's; nor a source a speech cites
# after its sentence, …。（新华网）.)
_BRACKETED_SITE_RE = compile_either(
    rf"[【〖\[［（(]\s*([{HAN}A-Za-z]{{1,10}}(?:网|站|文库|文秘|文苑|文汇|坊|之家))\s*[】〗\]］）)]"
)
# Words of a credit or a notice that are no one's name.
_NOT_NAMES = frozenset(
    [
        "本文",
        "本站",
        "本店",
        "资料",
        "材料",
        "文章",
        "会员",
        "更多",
        "免费",
        "欢迎",
        "关注",
        "咨询",
        "联系",
        "扫码",
        "长按",
        "官方",
        "全站",
        "精品",
        "原创",
        "独家",
        "整理",
        "客服",
        "内容",
        "文档",
        "作者",
        "网友",
        "用户",
        "学习",
        "内部",
    ]
)
_SHORT = 16  # characters of a bare line that may be a name
_NAME_MIN = 3  # characters of a name (two Han characters are a word of the speech too)
_BARE_MIN = 4  # characters of a signed name that is cut bare at a paragraph's edge
_REPEATS = 2  # a short bare line that comes this often is the file's watermark


# Full-width Latin letters, digits and marks as ASCII, one character for one (ｙｕｎｆａｎ →
# yunfan), so a name learned from a line's NFKC form finds the line as it stands, and a match's
# places are the line's own.
_FULL_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}


def _narrow(text: str) -> str:
    return text.translate(_FULL_WIDTH)


class Watermark:
    """The names a file gives itself, and the patterns that find them. `signed` are the names
    the file signed with a credit or a contact (墨韵文库整理，咨询QQ…): an advertiser's for
    sure, so found bare too, at a paragraph's edge; a name learned only from a repeated
    decorated line (★乡村振兴★) may be a heading's words, and is cut only where it is marked."""

    def __init__(self, names: tuple[str, ...], signed: tuple[str, ...] = ()) -> None:
        self.names = names
        # (Four letters or more: a person's name, 张晓丽 QQ：…, is no stamp to cut bare.)
        self.signed = tuple(name for name in signed if name in names and len(name) >= _BARE_MIN)
        spaced = _alternatives(names)
        bare_ends = _alternatives(self.signed)
        self._line = compile_either(_line_pattern(spaced)) if names else None
        self._stamp = compile_either(_stamp_pattern(spaced, bare_ends)) if names else None

    def is_line(self, text: str) -> bool:
        """A line that is the watermark and nothing else (its decoration, credit, contact)."""
        return self._line is not None and self._line.fullmatch(_narrow(text.strip())) is not None

    def stamps(self, text: str) -> list[re.Match[str]]:
        """The watermark's stamps inside a line of text."""
        return list(self._stamp.finditer(_narrow(text))) if self._stamp is not None else []


def _alternatives(names: tuple[str, ...]) -> str:
    return "|".join(_spaced(name) for name in sorted(names, key=len, reverse=True))


def _spaced(name: str) -> str:
    """A name's pattern, letter-spaced, dotted or starred as a watermark may set it (墨·韵·文·库,
    ☆墨☆韵☆文☆库☆)."""
    gap = r"[\s\u3000·•・‧∙★☆◆◇■●※♦]*"
    return gap.join(re.escape(char) for char in name)


_DECO_CLASS = "[" + re.escape(_DECORATION) + "]*"


# A credit letter-spaced as the name before it is (墨 香 公 文 网 原 创).
_SPACED_CREDIT = "|".join(_spaced(word) for word in _CREDIT.split("|"))
# A slogan after the name, set off by a dot, a dash or a bar (云帆文秘·精品材料, 某某文库 - 让每个人
# 平等地提升自我): short, and no sentence.
_SLOGAN = r"[ \u3000]*[·•・‧∙|｜\-—－–]{1,2}[ \u3000]*[^\s。，,！？!?；;：:、]{2,16}"


# A short label before a contact on the name's line (某某文库独家 | 更多材料：电话：…).
_LABEL = rf"[{HAN}]{{1,6}}[:：]\s*"
# The credits a stamp carries inside a paragraph (not 提供, 发布, 编辑: a sentence's verbs).
_STAMP_CREDIT = "独家整理|原创首发|独家原创|独家发布|整理|出品|原创|独家|首发"
# What follows a name and its credit when they are a sentence's subject and verb, not a stamp
# (县档案馆整理的《大事记》, 某某整理了…).
_SENTENCE_GOES_ON = "[的了过着地得后时中完好出成]"
# What follows a name that is a sentence's subject (某某文库是…, 某某文库和…), or the rest of a
# longer name it begins (某某传媒有限公司…).
_SUBJECT_GOES_ON = "[的是和与在将已要还也等之、，,]|有限|股份|公司|集团|工作室|中心"


def _line_pattern(names: str) -> str:
    return (
        rf"{_DECO_CLASS}{_SIGNED_BY}{_DECO_CLASS}(?:{names}){_DECO_CLASS}"
        rf"(?:(?:{_SPACED_CREDIT}){_DECO_CLASS})*"
        rf"(?:[，,、]?\s*(?:{_LABEL})?(?:{_CONTACT}){_DECO_CLASS})*"
        rf"(?:{_SLOGAN})?"
    )


def _stamp_pattern(names: str, signed: str = "") -> str:
    """A stamp in running text: the name in brackets or decoration, or with its credit or
    contact, where a sentence or the line begins or ends; with a contact or as a source
    anywhere — not a word of a sentence. A signed name (`signed`) is a stamp bare too, after a
    paragraph's last sentence or before its first word."""
    open_ = r"[【〖\[［〔（(★☆◆◇■●※—－\-]"
    close = r"[】〗\]］〕）)★☆◆◇■●※—－\-]"
    tail = rf"(?:(?:{_CREDIT})[，,]?\s*)*(?:{_CONTACT})?"
    # (A credit or a contact after the brackets: 〖墨韵文库〗整理，联系电话….)
    after = (
        rf"(?:\s*(?:(?:{_STAMP_CREDIT})[，,]?\s*)?(?:{_CONTACT})"
        rf"|\s*(?:{_STAMP_CREDIT})(?!{_SENTENCE_GOES_ON}))?"
    )
    pattern = (
        rf"{open_}+\s*(?:{names})\s*{tail}\s*(?:{close}+{after}|$)"  # 【墨韵文库】, …——墨韵文库整理
        rf"|(?:(?<=[。！？!?；;，,])|^)\s*{open_}*\s*(?:{names})\s*"
        rf"(?:(?:{_CREDIT})[，,]?\s*(?:{_CONTACT})?|(?:{_CONTACT}))\s*{close}*\s*$"  # …。墨韵文库整理
        # The name with its contact, wherever it stands (…。墨韵文库QQ：12345678现代服务业…).
        rf"|(?:{names})\s*(?:(?:{_CREDIT})[，,]?\s*)*(?:{_CONTACT})"
        # The name as the source (来源：墨韵文库今天上午，…).
        rf"|(?:来源|出处|转自|摘自)\s*[:：]\s*(?:{names})(?:{_STAMP_CREDIT})?"
        # The name and its credit where a sentence or a clause begins (…，墨韵文库整理做强…),
        # not as the sentence's subject and verb (县档案馆整理的《大事记》即将出版).
        rf"|(?:(?<=[。！？!?；;，,：:])|^)\s*(?:{names})\s*(?:{_STAMP_CREDIT})(?!{_SENTENCE_GOES_ON})"
    )
    if signed:
        pattern += (
            rf"|(?<=[。！？!?；;”])\s*(?:{signed})\s*$"  # …顺利完成。墨韵文库
            rf"|^\s*(?:{signed})(?=[{HAN}“（(])(?!{_SUBJECT_GOES_ON}|{_CREDIT})"  # 墨韵文库工业…
        )
    return pattern


def bare(text: str) -> str:
    """A line without its decoration, in NFKC (full-width letters and digits as ASCII)."""
    return _DECORATION_RE.sub("", unicodedata.normalize("NFKC", text))


def learn(removed: list[tuple[str, str]], lines: list[str]) -> Watermark:
    """The names this file gives itself: from the lines an advertiser's rules removed (text,
    rule name), in front of a credit or an advertiser's contact; and from a short line it
    repeats that marks itself off as a watermark at least once (decorated, letter-spaced, with
    a credit, in brackets inside a sentence) — a refrain, a subheading or a date repeated as
    it stands is the speech's."""
    names: set[str] = set()
    for text, rule in removed:
        found = _NAME_BEFORE_RE.match(bare(text)) if rule in LEARNED_FROM else None
        if found is not None and _is_name(found.group("name")):
            names.add(found.group("name"))
    for text in lines:
        signs = _signed_line_name(text)
        if signs is not None:
            names.add(signs)
    counts: Counter[str] = Counter()
    stamped: Counter[str] = Counter()  # a site's name in brackets, wherever it stands
    stamped_apart: set[str] = set()  # … and where no citation stands
    marked: set[str] = set()
    for text in lines:
        short = bare(text)
        if 0 < len(short) <= _SHORT and not _has_sentence_marks(text):
            name = re.sub(f"(?:{_CREDIT})+$", "", short)
            if _is_name(name):
                counts[name] += 1
                if _MARKED_RE.search(text.strip()):
                    marked.add(name)
        tail = _TAIL_CONTACT_RE.search(text)  # …全面实现。墨韵文库整理，咨询QQ…
        if tail is not None and _is_name(tail.group("name")):
            names.add(tail.group("name"))
        for inside in _MID_SENTENCE_BRACKET_RE.findall(text):  # 挑战，【墨韵文库】但…
            if _is_name(inside):
                counts[inside] += 1
                marked.add(inside)
        for site in _BRACKETED_SITE_RE.finditer(_narrow(text.strip())):
            if _is_name(site.group(1)):  # 推进（晨光材料网）重点项目, …工作【晨光材料网】
                stamped[site.group(1)] += 1
                if _stamp_place(text.strip(), site):
                    stamped_apart.add(site.group(1))
    signed = set(names)  # (signed with a credit or a contact)
    names.update(name for name, count in counts.items() if count >= _REPEATS and name in marked)
    names.update(n for n, count in stamped.items() if count >= _REPEATS and n in stamped_apart)
    return Watermark(tuple(sorted(names)), tuple(sorted(signed)))


def _signed_line_name(text: str) -> str | None:
    """The name a short line signs with a contact, marked off by a credit or stars."""
    short = bare(text)
    if len(short) > 40 or any(mark in text for mark in "。！？!?；;"):
        return None
    found = _SIGNED_LINE_RE.match(short)
    if found is None or not (found.group("credit") or _STARS_RE.search(text)):
        return None
    name = found.group("name")
    return name if _is_name(name) else None


# A repeated short line that is the speech's own: its title over each page (政府工作报告), the
# office that issues it (海南省人民政府) — a running head, which remove_running_heads takes where
# it stands, but no stamp to cut from the text — or an address.
_OWN_LINE_RE = compile_either(
    r"(?:讲话|发言|致辞|报告|讲稿|贺词|祝词|主持词|意见|方案|总结|决定|通知|纪要|提纲|党课|汇报)$"
    r"|(?:政府|委员会|党委|党组|办公室|办公厅|[局厅部院委会县市省区州旗镇乡村]|街道|社区|公司|集团)$"
    r"|(?:中心|图书馆|档案馆|博物馆|文化馆|纪念馆|报社|杂志社|出版社|合作社|通讯社|电视台|电台"
    r"|派出所|研究所|事务所|服务站|工作站|学校|中学|小学|大学|学院|协会|学会|联合会|医院|媒体)$"
    # (县融媒体中心出品, 县档案馆独家整理: an office's own work; 某某公文馆, 某某写作社 are sites')
    r"|^(?:各位|尊敬|亲爱|谢谢)|们$"  # (an address a transcript repeats: 同志们, 谢谢大家)
)


def _stamp_place(text: str, found: re.Match[str]) -> bool:
    """Whether a bracketed name stands where a stamp does and a citation does not: between
    two words, opening the line before its text, or closing a line that is no sentence."""
    before, after = text[: found.start()], text[found.end() :]
    if not before:
        return bool(after)
    if not after:
        return not any(mark in before for mark in "。！？!?；;")
    return bool(re.match(f"[{HAN}]", before[-1])) and bool(re.match(f"[{HAN}]", after[0]))


def _is_name(name: str) -> bool:
    if any(char.isdigit() for char in name):  # (a date under the title and in the 落款)
        return False
    han = sum(1 for char in name if "\u4e00" <= char <= "\u9fff")
    latin = sum(1 for char in name if char.isascii() and char.isalpha())
    return (
        (han >= _NAME_MIN or latin >= 4)
        and not any(name.startswith(word) for word in _NOT_NAMES)
        and _OWN_LINE_RE.search(name) is None
    )


def _has_sentence_marks(text: str) -> bool:
    return any(mark in text for mark in "。！？；，、：:!?;")
