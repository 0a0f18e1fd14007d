"""Half-width punctuation in Chinese context → full-width.

`,;:?!()` and straight quotes become `，；：？！（）“”` when they sit in Chinese text. Numbers
(`1,000`, `09:45`, `3.5`), Latin phrases (`Hello, world`), URLs and e-mail addresses are left
exactly as they are. Quotes and brackets are paired first, then converted as pairs, so an opening
mark is never converted without its closing one.
"""

from __future__ import annotations

import re

from generator.text import HAN, is_cjk

_SIMPLE = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！"}
# A URL runs over the characters RFC 3986 allows (so it stops at Chinese text or a space); an
# e-mail address over ASCII word characters.
_URL_CHARS = r"[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]"
_PROTECTED_RE = re.compile(
    rf"(?:(?:https?|ftp)://|www\.){_URL_CHARS}+|[\w.+-]+@[\w-]+\.[\w.-]+", re.ASCII
)
# Punctuation at the end of a URL belongs to the sentence around it ("见www.gov.cn,请…").
_URL_TRAILING = ".,;:!?'*"


_CANDIDATES_RE = re.compile(r"[,;:?!()\"']")


_SIMPLE_RE = re.compile("[,;:?!]")
_BRACKET_RE = re.compile("[()]")


# A full stop, an ellipsis and a dash typed in ASCII in Chinese text (重要抓手.我们 / 紧迫性... /
# 脚踏实地--一步): between Chinese characters (the stop also at the paragraph's end), so that
# 1.5, 3...5 and 2024-06-13 stay as they are. An ellipsis of dots or of 。 becomes ……
_STOP_RE = re.compile(rf"(?<=[{HAN}])\.(?=[ \t]*[{HAN}]|$)")
_ELLIPSIS_RE = re.compile(
    rf"(?<=[{HAN}，。！？”])(?:\.{{3,}}|。{{3,}}|…(?!…))|(?:\.{{3,}}|。{{3,}})(?=[{HAN}])"
)
_DASH_RE = re.compile(rf"(?<=[{HAN}])-{{2,}}(?=[{HAN}])")


def to_fullwidth(text: str) -> str:
    """Convert half-width punctuation that sits in Chinese context to its full-width form."""
    if "." in text or "-" in text or "。。。" in text or "…" in text:
        text = _stops(text)
    if not _CANDIDATES_RE.search(text):
        return text  # the common case: a paragraph already in full-width punctuation
    chars = list(text)
    protected = _protected_positions(text)
    if "(" in text:
        _convert_brackets(chars, protected, text)
    if '"' in text:
        _convert_quotes(chars, protected, '"', "“", "”", text)
    if "'" in text:
        _convert_quotes(chars, protected, "'", "‘", "’", text)
    # Visit only the marks themselves: scanning every character of a long paragraph in Python
    # was the slowest part of cleaning.
    waiting = [found.start() for found in _SIMPLE_RE.finditer(text)]
    while waiting:  # (again while one converts: in ::中 the first colon's context is the
        left = [i for i in waiting if i in protected or not _in_chinese_context(chars, i)]
        for index in set(waiting) - set(left):  # second's full-width form, which the next
            chars[index] = _SIMPLE[chars[index]]  # cleaning found)
        if len(left) == len(waiting):
            break
        waiting = left
    converted = "".join(chars)
    if "…" in converted and converted != text:  # (!… became ！…, an ellipsis's Chinese context:
        converted = _stops(converted)  # the next cleaning made it ！……; make it so now)
    return converted


def _stops(text: str) -> str:
    """。, …… and —— for ASCII stops, ellipses and dashes in Chinese text, not in a URL or an
    address (whose dots and dashes are its own) — nor, any more, in the rest of a line that
    holds one, which kept every stop as typed."""
    if not _PROTECTED_RE.search(text):
        text = _ELLIPSIS_RE.sub("……", text)
        return _DASH_RE.sub("——", _STOP_RE.sub(_stop, text))
    parts, at = [], 0
    for start, end in _protected_spans(text):
        parts += [_stops(text[at:start]), text[start:end]]
        at = end
    return "".join([*parts, _stops(text[at:])])


_LABEL_RE = re.compile("[一二三四五六七八九十百]+")


# Characters that spell foreign names in Chinese (Xinhua's transliteration table, its most
# frequent ones): a dot between two runs of them is a name's separator typed as a stop
# (卡尔.马克思), not the end of a sentence.
_TRANSLITERATION = frozenset(
    "阿埃艾爱安昂奥巴拜班邦贝本比彼宾波伯博布查达戴丹道德迪蒂丁杜多厄恩法菲费芬弗福盖冈戈"
    "格古圭哈海汉豪赫亨胡霍基吉加贾杰金卡凯坎康考柯科克肯库夸奎拉莱赖兰朗劳勒雷蕾里利丽莉"
    "列林琳鲁路卢伦罗洛马玛迈麦曼梅门蒙米敏莫姆穆纳娜奈南内尼妮纽诺欧帕潘庞佩彭皮普奇乔琼"
    "萨塞桑瑟森沙莎尚舍什史斯苏索塔泰坦汤唐特提图托瓦万威韦维温沃乌西希谢辛休雅亚扬耶伊尤"
    "约泽詹朱兹茨尔夫宁"
)


def _stop(found: re.Match[str]) -> str:
    """。 for the stop, but not for the dot of a heading's label (二.准确把握…) nor one inside
    a title in 《》 (《史记.项羽本纪》: a book's part); · for one inside a foreign name."""
    text, start, end = found.string, found.start(), found.end()
    before = text[:start]
    if _LABEL_RE.fullmatch(before) or before.count("《") > before.count("》"):
        return "."
    name = text[max(0, start - 2) : start] + text[end : end + 2]
    if len(name) == 4 and all(char in _TRANSLITERATION for char in name):
        return "·"
    return "。"


def _protected_positions(text: str) -> set[int]:
    positions: set[int] = set()
    for start, end in _protected_spans(text):
        positions.update(range(start, end))
    return positions


def _protected_spans(text: str) -> list[tuple[int, int]]:
    """Where each URL and e-mail address is, less the punctuation after it that ends the
    sentence around it."""
    spans = []
    for match in _PROTECTED_RE.finditer(text):
        end = match.end()
        while end > match.start() + 1:
            last = text[end - 1]
            unbalanced = last == ")" and text.count("(", match.start(), end) < text.count(
                ")", match.start(), end
            )
            if last not in _URL_TRAILING and not unbalanced:
                break
            end -= 1
        spans.append((match.start(), end))
    return spans


def _neighbour(chars: list[str], index: int, step: int) -> str:
    """The character right before (step -1) or after (step 1) `index`, or ''.

    Spaces count: the cleaner has already removed spaces next to Chinese text, so a space here
    means Latin context ("world! 见" keeps its "!")."""
    index += step
    return chars[index] if 0 <= index < len(chars) else ""


def _in_chinese_context(chars: list[str], index: int) -> bool:
    before, after = _neighbour(chars, index, -1), _neighbour(chars, index, 1)
    if before.isdigit() and after.isdigit() and chars[index] in ",:":
        return False  # 1,000 and 09:45
    return bool(before and is_cjk(before)) or bool(after and is_cjk(after))


def _convert_brackets(chars: list[str], protected: set[int], text: str) -> None:
    stack: list[int] = []
    for found in _BRACKET_RE.finditer(text):
        index, char = found.start(), found.group(0)
        if index in protected:
            continue
        if char == "(":
            stack.append(index)
        elif char == ")" and stack:
            start = stack.pop()
            if _pair_is_chinese(chars, start, index):
                chars[start], chars[index] = "（", "）"


def _pair_is_chinese(chars: list[str], start: int, end: int) -> bool:
    inside = chars[start + 1 : end]
    if any(is_cjk(c) for c in inside):
        return True
    before, after = _neighbour(chars, start, -1), _neighbour(chars, end, 1)
    if bool(before and is_cjk(before)) or bool(after and is_cjk(after)):
        return True
    return start == 0 and _opens_chinese_item(chars, inside)


# An item's number in brackets (1, 12): where it opens a paragraph of Chinese text, the label
# of a Chinese item even with a figure after it ((1)2014年，…: it stayed half-width while every
# other (1) became （1）).
_ITEM_NUMBER_RE = re.compile(r"\d{1,2}")


def _opens_chinese_item(chars: list[str], inside: list[str]) -> bool:
    return bool(_ITEM_NUMBER_RE.fullmatch("".join(inside))) and any(is_cjk(c) for c in chars)


def _convert_quotes(
    chars: list[str], protected: set[int], mark: str, left: str, right: str, text: str
) -> None:
    positions = [m.start() for m in re.finditer(mark, text) if m.start() not in protected]
    if mark == "'":
        # An apostrophe between two Latin letters (don't, Xi'an) is not a quote.
        positions = [i for i in positions if not _is_apostrophe(chars, i)]
    for start, end in zip(positions[::2], positions[1::2], strict=False):
        if _pair_is_chinese(chars, start, end):
            chars[start], chars[end] = left, right


def _is_apostrophe(chars: list[str], index: int) -> bool:
    before = chars[index - 1] if index > 0 else ""
    after = chars[index + 1] if index + 1 < len(chars) else ""
    return before.isascii() and before.isalpha() and after.isascii() and after.isalpha()
