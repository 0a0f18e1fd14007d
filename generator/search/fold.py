"""Character folding for search: the one normalisation both the index and the query go through.

A reader who types 營商環境, ＡＢＣ or abc must find 营商环境, ABC and ABC. Folding works one
character at a time and maps each character to one character, or to none: punctuation a
phrase reads through (DROPPED: quotes, brackets, the enumeration comma, stops, the dot of a
name) is dropped, so 十四五规划 finds “十四五”规划 and 艾尔肯吐尼亚孜 finds 艾尔肯·吐尼亚孜, as
a search engine finds them. Positions in the index count folded characters; the browser folds
a snippet's text with each folded character's offset in the original (foldWithOffsets).
Per character: Unicode NFKC (full-width → half-width, compatibility ideographs → unified), then
lower case, then the few look-alikes NFKC keeps apart (EQUIVALENTS: ○ and 零 and 〇), then
traditional → simplified by OpenCC's character table (opencc-python-reimplemented
ships it, Apache-2.0), resolved to a fixed point so folding twice changes nothing. A character
whose NFKC or lower case is more than one character (ﬁ, İ) is kept as it is; whitespace becomes
a plain space. The browser gets the same table (`client_table`) and applies the same steps.
"""

from __future__ import annotations

import importlib.resources
import unicodedata
from dataclasses import dataclass
from functools import cache

# Where traditional characters live in the BMP; the browser checks a query's characters against
# a bitmap of this range before it fetches the (larger) traditional → simplified table.
HAN_FIRST, HAN_LAST = 0x3400, 0x9FFF


@cache
def t2s_table() -> dict[str, str]:
    """Traditional → simplified, one character to one character, chains resolved."""
    source = importlib.resources.files("opencc") / "dictionary" / "TSCharacters.txt"
    table: dict[str, str] = {}
    for line in source.read_text(encoding="utf-8").splitlines():
        traditional, _, candidates = line.partition("\t")
        simplified = candidates.split(" ")[0]
        if len(traditional) == 1 and len(simplified) == 1 and traditional != simplified:
            table[traditional] = simplified
    for key in list(table):
        seen = {key}
        value = table[key]
        while value in table and value not in seen:
            seen.add(value)
            value = table[value]
        table[key] = value
    return table


@cache
def search_table() -> dict[str, str]:
    """What search folds: `t2s_table`, and the variant forms Taiwan and Hong Kong texts write
    that it leaves alone — 著 for 着 (隨著, 著力), 衞 for 衛 — brought to the same simplified
    character through OpenCC's variant tables (TWVariantsRev, HKVariantsRev). Search only:
    著 in 著名 folds to 着 as well, on both sides of every comparison, so nothing is lost,
    while ingest keeps every character as written."""
    table = dict(t2s_table())
    folder = importlib.resources.files("opencc") / "dictionary"
    simplified = {  # characters with a traditional form of their own (么 → 麼): no variants
        line.partition("\t")[0]
        for line in (folder / "STCharacters.txt").read_text(encoding="utf-8").splitlines()
    }
    for name in ("TWVariantsRev.txt", "HKVariantsRev.txt"):
        for line in (folder / name).read_text(encoding="utf-8").splitlines():
            variant, _, standard = line.partition("\t")
            standard = standard.split(" ")[0]
            if len(variant) == 1 and len(standard) == 1:
                target = table.get(standard, standard)
                if target != variant and variant not in table and variant not in simplified:
                    table[variant] = target
    return table


# Characters that read the same to a reader but that NFKC keeps apart: the circle documents
# write for the zero of a year (二○三五年), 〇, and the 零 a pinyin keyboard gives for it
# (二零三五年 found nothing). search.js has the same list (EQUIVALENTS).
EQUIVALENTS = {"○": "〇", "◯": "〇", "零": "〇"}
# Punctuation that a phrase reads through, as NFKC leaves it (，→ , （→ ( ：→ :): quotes
# (“十四五”规划), brackets (学习《决定》精神), the enumeration comma (六稳、六保), stops and pauses,
# dashes and ellipses, and the dots that part a name (艾尔肯·吐尼亚孜, in any of its forms).
# A reader leaves them out of a query, or types other ones; 5.2%, 2023-05-12 and C++ keep
# theirs. search.js has the same set (DROPPED).
DROPPED = frozenset("\"'“”‘’«»、,。;:!?()《》〈〉「」『』【】〔〕〖〗—…·•・‧∙⋅")


def _one(char: str) -> str:
    if char.isspace():
        return " "
    folded = unicodedata.normalize("NFKC", char)
    if len(folded) != 1:
        folded = char
    lowered = folded.lower()
    if len(lowered) == 1:
        folded = lowered
    folded = EQUIVALENTS.get(folded, folded)
    if folded in DROPPED:
        return ""
    return search_table().get(folded, folded)


class _FoldMap(dict[int, int | None]):
    """A str.translate table that computes each character's folding the first time it is seen
    (None: dropped)."""

    def __missing__(self, code: int) -> int | None:
        folded = _one(chr(code))
        value = ord(folded) if folded else None
        self[code] = value
        return value


_MAP = _FoldMap()


def fold(text: str) -> str:
    """The folded text, character for character (a DROPPED one leaves nothing)."""
    return text.translate(_MAP)


# A number is a token: 5.2% must not find 35.2%, nor 2023 the 2023 of 120235. So the first and
# last digit of each number (a run of digits, joined across . or , between two digits: 35.2,
# 1,234) fold to marked forms of themselves, in the Private Use Area (U+F700…, where Apple's
# function keys live: no document holds them): NUMBER_START + d, NUMBER_END + d, and
# NUMBER_ALONE + d for a number of one digit. Query and text are marked alike, so a number
# is found only whole. Figures are told apart on the text as written: punctuation folding drops
# (1、2、3) parts numbers, and only a point or a comma joins them. search.js marks the same
# (markNumbers).
NUMBER_START, NUMBER_END, NUMBER_ALONE = 0xF700, 0xF710, 0xF720
NUMBER_JOINERS = ".,．"


# A year written digit by digit in Chinese numerals (一九五八年, 二〇三五年, 一九八○年: the way
# reports wrote years until the 1990s, and a pinyin keyboard's 二零二五) is the same number as
# 1958, 2035, 1980: a run of exactly four characters that fold to 〇 一 二 … 九 (no 十, so not
# 二十五), the first 一 or 二, folds to those four digits, marked as a number of its own. 1958年
# found 1958年中华人民共和国国务院政府工作报告 and not the 139 一九五八年 of the reports of
# 1958 and 1959. Shorter runs are words (一二三产业, 十四五, 三五年), longer ones not years.
# Told on the text as written: a character folding drops parts a run. search.js does the same
# (markYears); extract.mark_number_codes too.
CHINESE_DIGITS = {ord(char): value for value, char in enumerate("〇一二三四五六七八九")}
YEAR_LENGTH = 4


def _year_digits(codes: list[int | None]) -> dict[int, int]:
    """Where a Chinese-numeral year stands in `codes` (text folded character by character),
    each of its characters' code as search_fold marks it."""
    values = [-1 if code is None else CHINESE_DIGITS.get(code, -1) for code in codes]
    out: dict[int, int] = {}
    at = 0
    while at < len(values):
        end = at
        while end < len(values) and values[end] >= 0:
            end += 1
        if end - at == YEAR_LENGTH and values[at] in (1, 2):
            out.update(zip(range(at, end), year_codes(values[at:end]), strict=True))
        at = end + 1
    return out


def year_codes(values: list[int]) -> list[int]:
    """A year's four digit values as marked codes: a number's first, two inside, its last."""
    first, *middle, last = values
    return [NUMBER_START + first, *(0x30 + v for v in middle), NUMBER_END + last]


def search_fold(text: str) -> str:
    """`fold(text)` with each number's edges marked (and a year in Chinese numerals made one):
    what the index holds and a query is."""
    codes = [_MAP[ord(char)] for char in text]
    digits = [code is not None and 0x30 <= code <= 0x39 for code in codes]
    joiners = [char in NUMBER_JOINERS for char in text]
    years = _year_digits(codes)
    out: list[str] = []
    last = len(text) - 1
    for at, code in enumerate(codes):
        if code is None:
            continue
        if at in years:
            code = years[at]
        elif digits[at]:
            left = at > 0 and (digits[at - 1] or (at > 1 and joiners[at - 1] and digits[at - 2]))
            right = at < last and (
                digits[at + 1] or (at + 1 < last and joiners[at + 1] and digits[at + 2])
            )
            code += _number_mark(left, right)
        out.append(chr(code))
    return "".join(out)


def _number_mark(left: bool, right: bool) -> int:
    """What a digit's code moves by: a number goes on to its left, to its right, or both."""
    if left and right:
        return 0
    if left:
        return NUMBER_END - 0x30
    return (NUMBER_START if right else NUMBER_ALONE) - 0x30


@dataclass(frozen=True)
class ClientTable:
    source: str  # traditional characters, sorted
    target: str  # their simplified forms, position for position
    bitmap: bytes  # bit c - HAN_FIRST set when character c is in `source`


def client_table() -> ClientTable:
    """What the browser needs to fold a query exactly as `fold` does: the traditional →
    simplified pairs (as two equal-length strings) and a bitmap of the BMP Han characters that
    have an entry, so a query in simplified characters never fetches the table."""
    table = search_table()
    bitmap = bytearray((HAN_LAST - HAN_FIRST + 8) // 8)
    for char in table:
        code = ord(char)
        if HAN_FIRST <= code <= HAN_LAST:
            offset = code - HAN_FIRST
            bitmap[offset >> 3] |= 1 << (offset & 7)
    keys = "".join(sorted(table))
    return ClientTable(keys, "".join(table[k] for k in keys), bytes(bitmap))
