"""Chinese numerals (一 … 九十九, 百) ↔ integers, for enumerators like 十二、 and （二十）."""

from __future__ import annotations

_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_UNITS = {"十": 10, "百": 100}
CN_NUMERAL_CHARS = "零〇一二两三四五六七八九十百"


def parse_cn(text: str) -> int | None:
    """Value of a Chinese numeral such as 三, 十二, 二十, 一百零三; None if it is not one."""
    if not text or any(c not in _DIGITS and c not in _UNITS for c in text):
        return None
    total, current = 0, 0
    for char in text:
        if char in _DIGITS:
            current = _DIGITS[char]
        else:
            total += (current or 1) * _UNITS[char]
            current = 0
    return total + current


def parse_number(text: str) -> int | None:
    """An Arabic (also full-width) or Chinese numeral."""
    digits = text.translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    if digits.isdigit():
        return int(digits)
    return parse_cn(text)
