"""Readable, URL-safe slugs from Chinese titles, via pypinyin.

A slug is the toneless pinyin of each character joined by hyphens (`全县作风整顿` →
`quan-xian-zuo-feng-zheng-dun`); Latin letters and digits are kept, everything else becomes a
separator, so a slug can never contain `/`, `.` or `..` and never escapes its folder.
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
    joined = "-".join(_NON_SLUG.sub("-", _fold_accents(s).lower()).strip("-") for s in syllables)
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


def _fold_accents(text: str) -> str:
    """Latin letters without their accents (café → cafe), so they are kept rather than dropped."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def is_valid_slug(slug: str) -> bool:
    return bool(SLUG_RE.fullmatch(slug))
