"""A Word file's footnotes and endnotes: their reference marks through cleaning, their texts to
the speech's end.

The reader writes each reference as a Markdown footnote mark, `[^n]`, where Word shows it. The
cleaner and the metadata rules must not see the marks: a title that ends in one is no title to
them, and a paragraph that ends in one looks cut mid-sentence and is joined to the next. So the
marks are lifted out of the lines before cleaning, each with the text around it, and put back
into the cleaned body where that text is found. A mark whose line left the body (a note on the
title or the byline, or on a line removed as debris) has no place there: its note is kept as a
paragraph after the body instead, so that no note's text is lost.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from generator.ingest.clean import Line, normalise_chars, tidy_spaces
from generator.ingest.decode import SourceLine
from generator.ingest.punct import to_fullwidth
from generator.speech import NOTE_MARK_RE as MARK_RE
from generator.speech import without_note_marks as without_marks

_CONTEXT = 12  # letters or figures of the text before (or after) a mark that find its place
_SHORT_CONTEXT = 4  # …and the fewer tried when cleaning changed the text around it


@dataclass(frozen=True)
class Anchor:
    """Where a mark stood: its note's number, its source line, the letters and figures just
    before it (or, at a line's start, just after it), and how many marks (a quote, a stop)
    stood between those and the mark."""

    number: int
    line: int
    before: str
    after: str
    marks_between: int


def clean_note(text: str) -> str:
    """A note's text with the characters, spaces and punctuation of the speech's paragraphs."""
    return tidy_spaces(to_fullwidth(tidy_spaces(normalise_chars(text))))


def unreferenced_note(text: str) -> str:
    """A note without its mark in the body, as a paragraph after it: marked as a note."""
    return text if text.startswith("注") else f"注：{text}"


def mark(number: int) -> str:
    return f"[^{number}]"


def lift_marks(lines: tuple[SourceLine, ...]) -> tuple[tuple[SourceLine, ...], list[Anchor]]:
    """The lines without their marks, and where each mark stood."""
    anchors: list[Anchor] = []
    out: list[SourceLine] = []
    for line in lines:
        if "[^" not in line.text:
            out.append(line)
            continue
        for found in MARK_RE.finditer(line.text):
            before = without_marks(line.text[: found.start()])
            after = without_marks(line.text[found.end() :])
            letters = _letters(before)
            between = len("".join(before[_last_letter(before) + 1 :].split()))
            anchors.append(
                Anchor(
                    int(found.group(1)),
                    line.line,
                    letters[-_CONTEXT:],
                    _letters(after)[:_CONTEXT],
                    between,
                )
            )
        out.append(replace(line, text=without_marks(line.text)))
    return tuple(out), anchors


def place_marks(body: list[Line], anchors: list[Anchor]) -> None:
    """Put each mark back into the body paragraph that holds its line's text, after the text
    that stood before it (a mark that finds no place is left out: number_notes keeps its note
    as a paragraph after the body)."""
    cursors: dict[int, int] = {}  # per paragraph (by id): where the last mark went
    for anchor in anchors:
        for paragraph in _candidates(body, anchor.line):
            at = _position(paragraph.text, anchor, cursors.get(id(paragraph), 0))
            if at is None:
                continue
            paragraph.text = paragraph.text[:at] + mark(anchor.number) + paragraph.text[at:]
            cursors[id(paragraph)] = at + len(mark(anchor.number))
            break


def _candidates(body: list[Line], line: int) -> list[Line]:
    """The paragraphs that may hold a source line's text: those that start at it, then the
    one before them (a line joined to the paragraph above it)."""
    same = [p for p in body if p.line == line and not p.table]
    earlier = [p for p in body if p.line < line and not p.table]
    return same + earlier[-1:]


def _position(text: str, anchor: Anchor, start: int) -> int | None:
    """Where the mark goes in `text` (from `start` on), or None when its context is not there.
    A mark alone on its line (no context) goes at the end of its line's paragraph."""
    letters, index = _letters_with_index(text)
    first = next((i for i, at in enumerate(index) if at >= start), len(index))
    if anchor.before:
        for context in (anchor.before, anchor.before[-_SHORT_CONTEXT:]):
            found = letters.find(context, first)
            if found >= 0:
                return _skip_marks(text, index[found + len(context) - 1] + 1, anchor.marks_between)
        return None
    if anchor.after:
        found = letters.find(anchor.after, first)
        return index[found] if found >= 0 else None
    return len(text)


def _skip_marks(text: str, at: int, count: int) -> int:
    """Past the `count` marks (”, 。) that stood between the text and the note's mark."""
    while count and at < len(text) and not text[at].isalnum():
        if not text[at].isspace():
            count -= 1
        at += 1
    return at


def _letters(text: str) -> str:
    return "".join(char for char in text if char.isalnum())


def _letters_with_index(text: str) -> tuple[str, list[int]]:
    """The letters and figures of `text` (Han characters among them; not those of a mark
    already placed), each with its index in `text`."""
    masked = MARK_RE.sub(lambda found: " " * len(found.group(0)), text) if "[^" in text else text
    index = [at for at, char in enumerate(masked) if char.isalnum()]
    return "".join(masked[at] for at in index), index


def _last_letter(text: str) -> int:
    return max((at for at, char in enumerate(text) if char.isalnum()), default=-1)


def number_notes(parts: list[tuple[list[Line], list[str]]]) -> tuple[list[str], list[str]]:
    """Number the marks of the speech's parts (each its body and its notes) 1, 2, … in the
    order of their first reference in the text, rewriting them in the body; the notes in that
    order, and those no mark in the body refers to (kept as paragraphs after it)."""
    numbers: dict[tuple[int, int], int] = {}
    notes: list[str] = []
    for part, (body, texts) in enumerate(parts):

        def renumber(found: re.Match[str], part: int = part, texts: list[str] = texts) -> str:
            key = (part, int(found.group(1)))
            if key not in numbers:
                if not 0 < key[1] <= len(texts):
                    return found.group(0)  # (no such note: left as the text it is)
                numbers[key] = len(notes) + 1
                notes.append(texts[key[1] - 1])
            return mark(numbers[key])

        for paragraph in body:
            if "[^" in paragraph.text:
                paragraph.text = MARK_RE.sub(renumber, paragraph.text)
    unreferenced = [
        text
        for part, (_, texts) in enumerate(parts)
        for number, text in enumerate(texts, start=1)
        if (part, number) not in numbers
    ]
    return notes, unreferenced
