"""Page marks: what a paged web page or a printed document puts between its pages.

A mark that says which part of a speech a page is, `(第2/4页)` or `第1页 共2页`, is read for
merging parts (meta.py); the others only number a page or link to the next one. All of them
stand alone on their line when they are not in a title, and none is text of the speech.
"""

from __future__ import annotations

import re

from generator.ingest.script import compile_either

# In a title or alone: (第2/4页), and in other brackets or without 第…页: [2/2], （2/2）, 【2/4】.
_BRACKETED_PAGE = r"[（(【\[［]\s*(?:第\s*)?(?P<n>\d+)\s*[/／]\s*(?P<m>\d+)\s*页?\s*[)）】\]］]"
PAGE_MARK_RE = compile_either(_BRACKETED_PAGE)
# At a title's end: those, 【第2页】, and a page line (…讲话 第2页 共2页, …讲话 共2页 第2页,
# …讲话 Page 2/2, …讲话 第2页; the space may be gone, tidied away). Cut before the line is
# judged: as a whole it read as a running head with its number, and the speech lost its title.
TITLE_PAGE_MARK_RE = compile_either(
    rf"\s*(?:{_BRACKETED_PAGE}|[（(【\[［]\s*第\s*(?P<n2>\d+)\s*页\s*[)）】\]］]"
    r"|\s*(?:第\s*(?P<n3>\d+)\s*页(?:\s*[/／，,]?\s*共\s*(?P<m3>\d+)\s*页)?"
    r"|共\s*(?P<m4>\d+)\s*页\s*[/／，,]?\s*第\s*(?P<n4>\d+)\s*页"
    r"|(?i:page)\s*(?P<n5>\d+)\s*(?:[/／]|(?i:of))\s*(?P<m5>\d+)))\s*$"
)


def title_page_mark(text: str) -> tuple[str, tuple[int, int] | None, str]:
    """A title without the page mark at its end, the part that mark says (page, pages) when it
    says how many, and the mark ("" when there is none)."""
    found = TITLE_PAGE_MARK_RE.search(text)
    if found is None:
        return text, None, ""
    groups = found.groupdict()
    n = next((groups[k] for k in ("n", "n2", "n3", "n4", "n5") if groups.get(k)), None)
    m = next((groups[k] for k in ("m", "m3", "m4", "m5") if groups.get(k)), None)
    part = (int(n), int(m)) if n and m else None
    return text[: found.start()].rstrip(), part, found.group(0).strip()


# At a title's end, the half of a speech posted in two (or three) parts: （上） （下）, （上篇）.
_TITLE_PART_WORD_RE = compile_either(r"\s*[（(](?P<w>[上中下])篇?[)）]$")
PART_WORDS = {"上": (1, 2), "下": (2, 2), "中": (2, 3)}  # (with a 中: see parts_of_three)
PARTS_OF_THREE = {"上": (1, 3), "中": (2, 3), "下": (3, 3)}


def title_part_word(text: str) -> tuple[str, str | None, str]:
    """A title without its （上）/（下）/（中） and that word ("" as the mark when there is none)."""
    found = _TITLE_PART_WORD_RE.search(text)
    if found is None or found.start() == 0:
        return text, None, ""
    return text[: found.start()].rstrip(), found.group("w"), found.group(0).strip()


# Alone: 第1页 共2页, 第2页/共4页, （第1页，共3页）; 共3页 第1页; Page 1 of 3
PAGE_LINE_RE = compile_either(
    r"^[（(]?\s*(?:第\s*(?P<n>\d+)\s*页\s*[/／，,]?\s*[（(]?\s*共\s*(?P<m>\d+)\s*页\s*[)）]?"
    r"|共\s*(?P<m2>\d+)\s*页\s*[/／，,]?\s*第\s*(?P<n2>\d+)\s*页"
    r"|(?i:page)\s*(?P<n3>\d+)\s*(?i:of)\s*(?P<m3>\d+))\s*[)）]?$"
)


def page_of(found: re.Match[str]) -> tuple[int, int]:
    """(page, pages) of a PAGE_LINE_RE match, whichever order it says them in."""
    n = found.group("n") or found.group("n2") or found.group("n3")
    m = found.group("m") or found.group("m2") or found.group("m3")
    return int(n), int(m)


# Alone, numbering a page without saying how many there are: 第 2 页, ·3·, 3/4, and a
# page's pager: 上一页 1 2 3 下一页, 本文共2页，当前第1页 下一页.
_PAGE_NUMBER_RE = compile_either(
    r"^(?:第\s*\d{1,3}\s*页|[·•]\s*\d{1,3}\s*[·•]|\d{1,3}\s*[/／]\s*\d{1,3}"
    # in brackets or between dashes (【第5页】, —第3页—, -2/3-), a continued page's mark
    # (（续第4页）, （本页完）), Page 4/5
    r"|[（(【\[［]\s*第\s*\d{1,3}\s*页\s*[)）】\]］]|[-—－–]+\s*第\s*\d{1,3}\s*页\s*[-—－–]+"
    r"|[-—－–]+\s*\d{1,3}\s*[/／]\s*\d{1,3}\s*[-—－–]+|[（(]\s*(?:续第\s*\d{1,3}\s*页|本页完)\s*[)）]"
    r"|(?i:page)\s*\d{1,3}\s*[/／]\s*\d{1,3}"
    r"|上一页|(?:上一页|首页)?[\s\d]*(?:下一页|尾页)|(?:本文)?共\s*\d+\s*页\s*[，,]?\s*当前第\s*\d+\s*页"
    r"(?:\s*(?:上一页|下一页))*)$"
)


# Inside a sentence of the body, where a scraper left a page's mark: （第2页）, (第2/4页).
INLINE_PAGE_MARK_RE = compile_either(r"[（(]\s*第\s*\d{1,3}\s*(?:[/／]\s*\d{1,3}\s*)?页\s*[)）]")


# A printed page's number between dashes (GB/T 9704: - 2 -, —3—). The built-in "page number"
# rule removes it before lines are joined; the cleaner also needs to know it is a page break.
DASHED_PAGE_NUMBER_RE = compile_either(r"^[-—－–]{1,2}\s*\d{1,3}\s*[-—－–]{1,2}$")


def is_page_mark(text: str) -> bool:
    """A line that is nothing but a page mark of any kind."""
    return bool(
        PAGE_MARK_RE.fullmatch(text) or PAGE_LINE_RE.match(text) or _PAGE_NUMBER_RE.match(text)
    )


def is_page_break(text: str) -> bool:
    """A line that is a page mark or a printed page's number: where a page ended."""
    return bool(text) and (is_page_mark(text) or bool(DASHED_PAGE_NUMBER_RE.match(text)))
