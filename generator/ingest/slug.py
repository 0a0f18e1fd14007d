"""Readable, URL-safe slugs from Chinese titles, via pypinyin (and anyascii for other scripts).

A slug is the toneless pinyin of each character joined by hyphens (`全县作风整顿` →
`quan-xian-zuo-feng-zheng-dun`); Latin letters and digits are kept, letters of other scripts
are transliterated (`Владимир` → `vladimir`, `김철수` → `gim-cheol-su`), everything else becomes
a separator, so a slug can never contain `/`, `.` or `..` and never escapes its folder.
"""

from __future__ import annotations

import re
import unicodedata

_NON_SLUG = re.compile(r"[^a-z0-9]+")
SLUG_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def slugify(text: str, max_length: int = 60) -> str:
    """Pinyin slug of `text`, cut at a hyphen so it is at most `max_length` characters."""
    from pypinyin import Style, lazy_pinyin  # a tenth of a second to import: only when needed

    text = unicodedata.normalize("NFKC", text)
    syllables = lazy_pinyin(text, style=Style.NORMAL, errors="default", v_to_u=False)
    joined = "-".join(_NON_SLUG.sub("-", _romanised(s).lower()).strip("-") for s in syllables)
    slug = _NON_SLUG.sub("-", joined).strip("-")
    return truncate(slug, max_length) or "speech"


def truncate(slug: str, max_length: int) -> str:
    """`slug` cut at a hyphen to at most `max_length` characters (mid-word only if it must be)."""
    if len(slug) <= max_length:
        return slug
    if max_length <= 0:
        return ""
    cut = slug[: max_length + 1]
    slug = cut.rsplit("-", 1)[0] if "-" in cut else cut[:max_length]
    return slug.strip("-")


def _romanised(text: str) -> str:
    """`text` (what pypinyin left: no Han) in Latin letters: accents dropped (café → cafe) and
    the letters of other scripts transliterated, so they are kept rather than dropped (every
    Cyrillic, Korean or Arabic name had the slug `speech`, and all of them sorted together).
    A Hangul or kana character is a syllable, as a Han one is, and is a part of the slug of
    its own (김철수 → gim-cheol-su). Symbols stay separators (an emoji's name is no part of a
    title), nor is a Han character pypinyin left (it has no reading for it)."""
    from anyascii import anyascii

    parts: list[str] = []
    for char in unicodedata.normalize("NFC", text):
        name = "" if char.isascii() else unicodedata.name(char, "")
        if char.isascii():
            parts.append(char)
        elif unicodedata.category(char)[0] in "LN" and not _HAN_NAME.match(name):
            latin = anyascii(char)
            parts.append(f"-{latin}-" if name.startswith(_SYLLABIC) else latin)
        elif not unicodedata.combining(char):
            parts.append(" ")
    return "".join(parts)


_SYLLABIC = ("HANGUL", "HIRAGANA", "KATAKANA")
# A Han character pypinyin does not know (𠮷 of the extensions) is left out, as before: anyascii
# reads some by their Japanese sound (𠮷 → kichi), which is no part of a Chinese title's slug.
_HAN_NAME = re.compile("CJK (?:UNIFIED|COMPATIBILITY) IDEOGRAPH")


def is_valid_slug(slug: str) -> bool:
    return bool(SLUG_RE.fullmatch(slug))
