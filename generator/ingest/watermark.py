"""A file's own watermark: the advertiser's name, learned from the file, cut wherever it stands.

The line rules describe kinds of debris; an advertiser's bare name (墨韵文库, ★墨韵文库★,
墨·韵·文·库) is no kind, and every site has its own. But a file says its name itself: in the
lines the rules removed for a credit or a contact (墨韵文库整理，咨询QQ…), and in a short line it
repeats (a watermark stands between paragraphs again and again). Once known, the name goes
wherever it stands: alone on a line, with its credit (墨韵文库出品), and stamped inside a
paragraph (【墨韵文库】今天…, …全面实现。墨韵文库整理，咨询QQ…) — before broken lines are joined,
so a stamp at a paragraph's end no longer leaves it "unfinished" and joined to the next.
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
# A way to reach the advertiser, and an ID or a number after it.
_CHANNEL = (
    r"(?:咨询|联系|添加|加)?(?:(?i:qq)|扣扣|微信号?|(?i:vx)|V信|加V|公众号|手机|电话|联系电话|邮箱"
    r"|客服|淘宝(?:店铺)?|店铺|小红书号?|抖音号?|快手号?|微博)"
)
_ID = r"[A-Za-z0-9Ａ-Ｚａ-ｚ０-９_@.\-]{5,}"
_CONTACT = rf"{_CHANNEL}\s*[:：]?\s*{_ID}"
# A name the file gives itself, in front of a credit or a contact (本文由笔尖公文整理QQ：…).
_NAME_BEFORE_RE = compile_either(
    rf"^(?:本文|本资料|本文档|此文)?由?(?P<name>[{HAN}A-Za-z]{{2,12}}?)"
    rf"(?:{_CREDIT})?[，,、]?(?:{_CREDIT}|{_CHANNEL}\s*[:：]?\s*{_ID})"
)
# A contact stamped after a paragraph's last sentence, with the name in front of it.
_TAIL_CONTACT_RE = compile_either(
    rf"[。！？!?；;]\s*(?P<name>[{HAN}A-Za-z]{{2,12}}?)(?:{_CREDIT})?[，,、]?\s*{_CONTACT}\s*$"
)
# A name in brackets inside a sentence (a label opens its paragraph: 【典型案例】…).
_MID_SENTENCE_BRACKET_RE = compile_either(
    rf"(?<=[{HAN}，,、；;])[【〖\[［]([{HAN}A-Za-z]{{3,12}})[】〗\]］](?=[{HAN}])"
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
_REPEATS = 2  # a short bare line that comes this often is the file's watermark


class Watermark:
    """The names a file gives itself, and the patterns that find them."""

    def __init__(self, names: tuple[str, ...]) -> None:
        self.names = names
        spaced = "|".join(_spaced(name) for name in sorted(names, key=len, reverse=True))
        self._line = compile_either(_line_pattern(spaced)) if names else None
        self._stamp = compile_either(_stamp_pattern(spaced)) if names else None

    def is_line(self, text: str) -> bool:
        """A line that is the watermark and nothing else (its decoration, credit, contact)."""
        return self._line is not None and self._line.fullmatch(text.strip()) is not None

    def stamps(self, text: str) -> list[re.Match[str]]:
        """The watermark's stamps inside a line of text."""
        return list(self._stamp.finditer(text)) if self._stamp is not None else []


def _spaced(name: str) -> str:
    """A name's pattern, letter-spaced or dotted as a watermark may set it (墨·韵·文·库)."""
    gap = r"[\s\u3000·•・‧∙]*"
    return gap.join(re.escape(char) for char in name)


_DECO_CLASS = "[" + re.escape(_DECORATION) + "]*"


def _line_pattern(names: str) -> str:
    return (
        rf"{_DECO_CLASS}(?:本文|本资料|本文档|此文)?由?{_DECO_CLASS}(?:{names}){_DECO_CLASS}"
        rf"(?:(?:{_CREDIT}){_DECO_CLASS})*(?:[，,、]?\s*(?:{_CONTACT}){_DECO_CLASS})*"
    )


def _stamp_pattern(names: str) -> str:
    """A stamp in running text: the name in brackets or decoration, or with its credit or
    contact, where a sentence or the line begins or ends — not a word of a sentence."""
    open_ = r"[【〖\[［〔（(★☆◆◇■●※—－\-]"
    close = r"[】〗\]］〕）)★☆◆◇■●※—－\-]"
    tail = rf"(?:(?:{_CREDIT})[，,]?\s*)*(?:{_CONTACT})?"
    return (
        rf"{open_}+\s*(?:{names})\s*{tail}\s*(?:{close}+|$)"  # 【墨韵文库】, …——墨韵文库整理
        rf"|(?:(?<=[。！？!?；;，,])|^)\s*{open_}*\s*(?:{names})\s*"
        rf"(?:(?:{_CREDIT})[，,]?\s*(?:{_CONTACT})?|(?:{_CONTACT}))\s*{close}*\s*$"  # …。墨韵文库整理
        rf"|(?:(?<=[。！？!?；;])|^)\s*(?:{names})\s*(?:(?:{_CREDIT})[，,]?\s*)+(?=\S)"
    )


def bare(text: str) -> str:
    """A line without its decoration, in NFKC (full-width letters and digits as ASCII)."""
    return _DECORATION_RE.sub("", unicodedata.normalize("NFKC", text))


def learn(removed: list[str], lines: list[str]) -> Watermark:
    """The names this file gives itself: from the lines rules removed as a credit or a contact,
    and from a short line it repeats (as it stands, or with a credit after it)."""
    names: set[str] = set()
    for text in removed:
        found = _NAME_BEFORE_RE.match(bare(text))
        if found is not None and _is_name(found.group("name")):
            names.add(found.group("name"))
    counts: Counter[str] = Counter()
    for text in lines:
        short = bare(text)
        if 0 < len(short) <= _SHORT and not _has_sentence_marks(text):
            name = re.sub(f"(?:{_CREDIT})+$", "", short)
            if _is_name(name):
                counts[name] += 1
        tail = _TAIL_CONTACT_RE.search(text)  # …全面实现。墨韵文库整理，咨询QQ…
        if tail is not None and _is_name(tail.group("name")):
            names.add(tail.group("name"))
        for inside in _MID_SENTENCE_BRACKET_RE.findall(text):  # 挑战，【墨韵文库】但…
            if _is_name(inside):
                counts[inside] += 1
    names.update(name for name, count in counts.items() if count >= _REPEATS)
    return Watermark(tuple(sorted(names)))


# A repeated short line that is the speech's own: its title over each page (政府工作报告), the
# office that issues it (海南省人民政府) — a running head, which remove_running_heads takes where
# it stands, but no stamp to cut from the text — or an address.
_OWN_LINE_RE = compile_either(
    r"(?:讲话|发言|致辞|报告|讲稿|贺词|祝词|主持词|意见|方案|总结|决定|通知|纪要|提纲|党课|汇报)$"
    r"|(?:政府|委员会|党委|党组|办公室|办公厅|[局厅部院委会县市省区州旗镇乡村]|街道|社区|公司|集团)$"
    r"|^(?:各位|尊敬|亲爱|谢谢)|们$"  # (an address a transcript repeats: 同志们, 谢谢大家)
)


def _is_name(name: str) -> bool:
    han = sum(1 for char in name if "\u4e00" <= char <= "\u9fff")
    latin = sum(1 for char in name if char.isascii() and char.isalpha())
    return (
        (han >= _NAME_MIN or latin >= 4)
        and not any(name.startswith(word) for word in _NOT_NAMES)
        and _OWN_LINE_RE.search(name) is None
    )


def _has_sentence_marks(text: str) -> bool:
    return any(mark in text for mark in "。！？；，、：:!?;")
