"""Cleaning: raw source lines → paragraphs of speech text.

Each step is a small function over a list of `Line`s, applied in a fixed order by
`clean_lines`. Every removed line is recorded with its reason, so the report can show exactly
what was dropped and a user can check that nothing of the speech went with it.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from generator.config import Boilerplate
from generator.ingest.decode import SourceLine
from generator.ingest.punct import to_fullwidth
from generator.text import INDENT_CHARS, INVISIBLE_RE, ODD_SPACE_RE, TERMINAL, is_cjk


@dataclass
class Line:
    """A line or paragraph on its way through the cleaner; `line` is its first source line."""

    text: str
    line: int
    heading_level: int | None = None


@dataclass
class Removed:
    line: int
    text: str
    reason: str


@dataclass
class Cleaned:
    paragraphs: list[Line]
    removed: list[Removed] = field(default_factory=list)


def clean_lines(source: Iterable[SourceLine], rules: Boilerplate) -> Cleaned:
    """Normalise characters, drop boilerplate, and re-join broken lines into paragraphs."""
    lines = [Line(normalise_chars(s.text), s.line, s.heading_level) for s in source]
    removed: list[Removed] = []
    lines = remove_blocks(lines, rules, removed)
    lines = remove_lines(lines, rules, removed)
    paragraphs = join_broken_lines(lines)
    for paragraph in paragraphs:
        paragraph.text = to_fullwidth(tidy_spaces(paragraph.text))
    return Cleaned([p for p in paragraphs if p.text], removed)


def normalise_chars(text: str) -> str:
    """Remove invisible characters, fold odd spaces, strip ASCII and full-width indentation."""
    text = INVISIBLE_RE.sub("", text)
    text = ODD_SPACE_RE.sub(" ", text)
    return text.strip(INDENT_CHARS + "\r\n")


def remove_blocks(lines: list[Line], rules: Boilerplate, removed: list[Removed]) -> list[Line]:
    kept: list[Line] = []
    index = 0
    while index < len(lines):
        rule = next((r for r in rules.blocks if r.start.search(lines[index].text)), None)
        if rule is None:
            kept.append(lines[index])
            index += 1
            continue
        end = _block_end(lines, index, rule.end)
        for line in lines[index : end + 1]:
            if line.text:
                removed.append(Removed(line.line, line.text, rule.name))
        index = end + 1
    return kept


def _block_end(lines: Sequence[Line], start: int, end: re.Pattern[str] | None) -> int:
    if end is None:
        return len(lines) - 1
    for index in range(start + 1, len(lines)):
        if end.search(lines[index].text):
            return index
    return start  # no end found: remove only the start line rather than the rest of the file


def remove_lines(lines: list[Line], rules: Boilerplate, removed: list[Removed]) -> list[Line]:
    kept: list[Line] = []
    for line in lines:
        rule = next((r for r in rules.lines if line.text and r.pattern.search(line.text)), None)
        if rule is None:
            kept.append(line)
        else:
            removed.append(Removed(line.line, line.text, rule.name))
    return kept


# --- re-joining lines that a scraper or a hard wrap broke mid-sentence ------------------------

# A line starting with one of these continues the previous line ("…所作的\n报告\n。会议").
_CONTINUES = set("，。、；：！？）》」』】〕〉’”,.;:!?)]…")
# A line ending with one of these is continued by the next line.
_OPENS = set("（(《「『【〔〈‘“[，、")
_LABEL_ONLY_RE = re.compile(
    r"^(?:[一二三四五六七八九十百]+、|[（(][一二三四五六七八九十百]+[）)]|\d+[.．、]|[（(]\d+[）)]"
    r"|第[一二三四五六七八九十百]+[，、,]?)$"
)


def join_broken_lines(lines: list[Line]) -> list[Line]:
    """Join lines into paragraphs; a blank line or a complete line ends a paragraph."""
    width = hard_wrap_width(lines)
    out: list[Line] = []
    pending_break = True  # True when the next line must start a new paragraph
    previous_blank = True
    for line in lines:
        if not line.text:
            previous_blank = True
            pending_break = True
            continue
        last = out[-1] if out else None
        if last is not None and _joins(last, line, width, previous_blank, pending_break):
            last.text = _glue(last.text, line.text)
        else:
            out.append(Line(line.text, line.line, line.heading_level))
        pending_break = False
        previous_blank = False
    return _join_short_tails(out)


def _joins(last: Line, line: Line, width: int | None, after_blank: bool, new_para: bool) -> bool:
    if last.heading_level is not None or line.heading_level is not None:
        return False
    if line.text[0] in _CONTINUES:
        return True
    if last.text[-1] in _OPENS or _LABEL_ONLY_RE.match(last.text):
        return True
    if after_blank or new_para:
        return False
    return width is not None and len(last.text) >= width - 2 and last.text[-1] not in TERMINAL


def _join_short_tails(paragraphs: list[Line]) -> list[Line]:
    """Re-attach a fragment of one or two characters cut off a line ("政府工作报\\n告")."""
    out: list[Line] = []
    for paragraph in paragraphs:
        prev = out[-1] if out else None
        if (
            prev is not None
            and len(paragraph.text) <= 2
            and all(is_cjk(c) for c in paragraph.text)
            and prev.text[-1] not in TERMINAL
            and len(prev.text) >= 4
            and prev.heading_level is None
        ):
            prev.text += paragraph.text
        else:
            out.append(paragraph)
    return out


def _glue(left: str, right: str) -> str:
    """Join two pieces, keeping one space only between two Latin words."""
    if left[-1:].isascii() and left[-1:].isalnum() and right[:1].isascii() and right[:1].isalnum():
        return f"{left} {right}"
    return left + right


def hard_wrap_width(lines: Sequence[Line]) -> int | None:
    """The column at which a file was hard-wrapped, if it was.

    A wrapped file has many lines of (nearly) the same length that end mid-sentence; a file of
    one paragraph per line has lengths all over the place."""
    lengths = [len(line.text) for line in lines if len(line.text) >= 16]
    if len(lengths) < 5:
        return None
    counts = Counter(lengths)
    best, hits = max(((n, counts[n] + counts[n - 1]) for n in counts), key=lambda t: (t[1], t[0]))
    unfinished = sum(
        1 for line in lines if len(line.text) in (best, best - 1) and line.text[-1] not in TERMINAL
    )
    if hits >= 5 and hits / len(lengths) >= 0.4 and unfinished >= hits / 2:
        return best
    return None


# --- spaces inside a paragraph -----------------------------------------------------------------

_SPACE_RUN_RE = re.compile(r"[ \u3000]+")


def tidy_spaces(text: str) -> str:
    """Drop spaces next to Chinese text (layout, not content); keep one between Latin words."""
    pieces = _SPACE_RUN_RE.split(text.strip(INDENT_CHARS))
    out = pieces[0]
    for piece in pieces[1:]:
        if not piece:
            continue
        if out and (is_cjk(out[-1]) or is_cjk(piece[0])):
            out += piece
        else:
            out += " " + piece
    return out
