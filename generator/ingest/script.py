"""Traditional characters: the patterns ingest reads metadata and boilerplate with are written
in simplified characters, and a speech in traditional ones (a Big5 file, 縣長 陳國華, 講話) must
meet them too.

`either_script` rewrites a pattern so that each simplified character in it also matches its
traditional forms (讲 → [讲講]); `to_simplified` folds a text, one character to one character,
where only counting matters (topic terms). Both use OpenCC's character table, as search does.
"""

from __future__ import annotations

import re
from functools import cache

from generator.text import is_han


@cache
def _traditional() -> dict[str, str]:
    """Simplified character → its traditional forms."""
    from generator.search.fold import t2s_table

    forms: dict[str, str] = {}
    for traditional, simplified in t2s_table().items():
        forms[simplified] = forms.get(simplified, "") + traditional
    return forms


@cache
def _simplifier() -> dict[int, int]:
    from generator.search.fold import t2s_table

    return {ord(t): ord(s) for t, s in t2s_table().items()}


def to_simplified(text: str) -> str:
    return text.translate(_simplifier())


def either_script(pattern: str) -> str:
    """`pattern` with every simplified Han literal matching its traditional forms as well:
    outside a character class 讲 becomes [讲講], inside one the forms are added. Escapes and
    group names are copied as they are."""
    forms = _traditional()
    out: list[str] = []
    index, in_class = 0, False
    while index < len(pattern):
        char = pattern[index]
        if char == "\\":
            end = _escape_end(pattern, index)
            out.append(pattern[index:end])
            index = end
            continue
        if not in_class and pattern.startswith(("(?P<", "(?P="), index):
            end = pattern.index(">" if pattern[index + 3] == "<" else ")", index) + 1
            out.append(pattern[index:end])
            index = end
            continue
        if in_class:
            in_class = char != "]" or out[-1] in ("[", "[^")
            out.append(char + (forms.get(char, "") if is_han(char) else ""))
        elif char == "[":
            in_class = True
            out.append("[^" if pattern.startswith("[^", index) else "[")
            index += 2 if pattern.startswith("[^", index) else 1
            continue
        elif is_han(char) and char in forms:
            out.append(f"[{char}{forms[char]}]")
        else:
            out.append(char)
        index += 1
    return "".join(out)


_ESCAPE_LENGTHS = {"x": 4, "u": 6, "U": 10}


def _escape_end(pattern: str, start: int) -> int:
    kind = pattern[start + 1] if start + 1 < len(pattern) else ""
    if kind == "N":
        return pattern.index("}", start) + 1
    return start + _ESCAPE_LENGTHS.get(kind, 2)


def compile_either(pattern: str, flags: int = 0) -> re.Pattern[str]:
    return re.compile(either_script(pattern), flags)
