"""Outline detection for a speech in English (`lang: en`, see generator.ingest.language).

An English speech marks its points otherwise than a Chinese one: First, … Second, … Finally, …
(Firstly, To begin with, Lastly), numbered 1. and (1), Roman I. II. sections, and headings on a
line of their own in title case or capitals (Peace and Security, FINANCIAL PERFORMANCE). These
are the English speech's families, ranked as the Chinese ones are (generator.ingest.outline):
Roman sections above heading lines, above numbered points, above First/Second. Only a speech
found to be English is read so: a Chinese speech that quotes an English list (First, listen.
Second, understand.) keeps the Chinese rules. Imported only for a speech in English, so that
building a Chinese archive compiles none of these patterns.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from generator.ingest.clean import Line
from generator.ingest.outline import Match, Rule, closing_courtesies, heading_style_match
from generator.text import english_address_line

_ORDINALS: tuple[str, ...] = ("first", "second", "third", "fourth", "fifth", "sixth")
_ORDINALS += ("seventh", "eighth", "ninth", "tenth")
# Words that open a list as its first point, like 首先 (First of all, / To begin with,).
_OPENING_WORDS = frozenset(
    ("first of all", "first and foremost", "to begin with", "to start with", "in the first place")
)
# Words that go on with a list already open, like 最后 (Next, / Finally,).
_GOING_ON_WORDS = ("next", "finally", "and finally", "lastly", "last but not least", "last")
_NUMBERS: dict[str, int | None] = {
    **{word: index for index, word in enumerate(_ORDINALS, start=1)},
    **{f"{word}ly": index for index, word in enumerate(_ORDINALS, start=1)},
    **dict.fromkeys(_OPENING_WORDS, 1),
    **dict.fromkeys(_GOING_ON_WORDS, None),
}
_WORDS = "|".join(
    word.capitalize().replace(" ", r"\s+") for word in sorted(_NUMBERS, key=len, reverse=True)
)
_ROMAN = {"I": 1, "V": 5, "X": 10}

# The label is group "label"; the number group "n" (or a sequence word, group "word"). A
# point's word is set off by a comma, a colon or a dash (First, we will… / Second — …).
RULES: tuple[Rule, ...] = (
    # I. Where we stand: Roman sections (I to XXXIX), above everything but a heading style
    # (not I. M. Pei: initials).
    Rule(
        "I.",
        1,
        re.compile(
            r"^(?P<label>(?P<n>(?=[IVX])X{0,3}(?:IX|IV|V?I{0,3}))\.)\s+(?=[A-Z])(?![A-Z]\.)"
        ),
    ),
    # 1. Growth and jobs, 2) Public services (not 1.5 per cent…: a figure).
    Rule("1.", 3, re.compile(r"^(?P<label>(?P<n>\d{1,2})[.)])\s+(?=[^\s\d])")),
    Rule("(1)", 4, re.compile(r"^(?P<label>\((?P<n>\d{1,2})\))\s*(?=[^\s\d])")),
    Rule("First", 5.5, re.compile(rf"^(?P<label>(?P<word>{_WORDS}))(?:,|:|\s*[—–]|\s+-)\s*(?=\S)")),
)


def english_matches(paragraphs: Sequence[Line]) -> list[Match | None]:
    """Each paragraph's point (its label and lead sentence), or None: the families of RULES,
    a Word heading style, and heading lines in title case or capitals (see _heading_lines)."""
    matches = [None if p.table else _match(p.text, p.heading_level) for p in paragraphs]
    for index in _heading_lines(paragraphs, matches):
        text = paragraphs[index].text
        matches[index] = Match("heading-line", 2, None, "", len(text), text)
    return matches


def _match(text: str, heading_level: int | None) -> Match | None:
    for rule in RULES:
        found = rule.pattern.match(text)
        if found is None:
            continue
        number = _number(found)
        lead_end, title = lead(text, found.end())
        if number != 0 and title:
            return Match(rule.family, rule.rank, number, found.group("label"), lead_end, title)
    return None if heading_level is None else heading_style_match(text, heading_level)


def _number(found: re.Match[str]) -> int | None:
    word = found.groupdict().get("word")
    if word is not None:
        return _NUMBERS[" ".join(word.lower().split())]
    numeral = found.group("n")
    if numeral.isdigit():
        return int(numeral)
    values = [_ROMAN[char] for char in numeral]  # (IV is 5 - 1, VI 5 + 1)
    return sum(-v if v < after else v for v, after in zip(values, [*values[1:], 0], strict=True))


# A sentence's end: its mark (and a closing quote or bracket), then a space and the next
# sentence's capital, or the paragraph's end. Not the point of Mr. Smith, U.S. or J. Smith.
_SENTENCE_END_RE = re.compile(r"[.!?]+[”’\"')\]]*(?=\s+[A-Z0-9“‘\"'(]|\s*$)")
_ABBREVIATION_RE = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|Prof|St|Mt|No|Nos|Jr|Sr|Gen|Gov|Sen|Rep|Hon|Rev|vs|etc|approx)"
    r"|\b[A-Z]|\.[A-Za-z])$"
)


def lead(text: str, start: int) -> tuple[int, str]:
    """Where a point's lead sentence ends (after its mark), and its title: the sentence after
    the label, without its end mark (First, we will invest in skills. → we will invest in
    skills). A paragraph of no sentence (1. Growth and jobs) is all lead."""
    for found in _SENTENCE_END_RE.finditer(text, start):
        if _ABBREVIATION_RE.search(text, 0, found.start()) is None:
            return found.end(), text[start : found.start()].strip()
    return len(text), text[start:].rstrip(".!?:;").strip()


# Words a title leaves in lower case (Peace and Security, The Role of Finance).
_MINOR_WORDS: frozenset[str] = frozenset(
    ("a", "an", "the", "and", "or", "but", "nor", "for", "of", "on", "in", "to", "at", "by")
)
_MINOR_WORDS |= {"with", "from", "as", "into", "over", "per", "via", "than", "up", "out", "upon"}
_HEADING_LINE_MAX = 10  # words of a heading line
# A capital, and no clause's mark but a colon within (AI Adoption: Where We Are Today).
_HEADING_LINE_RE = re.compile(r"^[A-Z][^.!?,;]{0,79}(?<!:)$")
_WORD_RE = re.compile(r"[A-Za-z][\w'’-]*")


def _heading_lines(paragraphs: Sequence[Line], matches: list[Match | None]) -> list[int]:
    """Paragraphs that are a heading on a line of their own (Peace and Security, OUR STRATEGY):
    short, in title case or capitals, no mark of a clause, and followed by a paragraph that
    is no such line. At least two of them, as a speech's sections come: a lone title-case line
    is a name, a signature or a slogan."""
    found = [
        index
        for index, (paragraph, match) in enumerate(zip(paragraphs, matches, strict=True))
        if match is None and not paragraph.table and _title_styled(paragraph.text)
    ]
    lines = set(found)
    kept = [
        index
        for index in found
        if index + 1 < len(paragraphs)
        and index + 1 not in lines
        and not paragraphs[index + 1].table
    ]
    return kept if len(kept) >= 2 else []


# A transcript's note of the audience on a line of its own (Applause, LAUGHTER): no heading.
_AUDIENCE_NOTES = frozenset(
    ("applause", "laughter", "cheers", "cheering", "crosstalk", "inaudible")
)


def _title_styled(text: str) -> bool:
    """A short line in title case (every word but a minor one capitalised) or in capitals,
    and no address (Ladies and Gentlemen) or transcript's note (Applause)."""
    if _HEADING_LINE_RE.match(text) is None or english_address_line(f"{text},") is not None:
        return False
    if text.strip().lower() in _AUDIENCE_NOTES:
        return False
    words = _WORD_RE.findall(text)
    if not words or len(text.split()) > _HEADING_LINE_MAX:
        return False
    if text.upper() == text:
        return True
    return all(word[0].isupper() or word.lower() in _MINOR_WORDS for word in words)


def not_points(paragraphs: Sequence[Line], matches: list[Match | None]) -> set[int]:
    """Paragraphs that open with a point's word but make no point of a list: a courtesy
    before the points (First of all, let me thank… before Firstly, …), a list of one (a lone
    First, or 1.), and a closing courtesy (Finally, I wish you all…)."""
    return _openings(matches) | _lists_of_one(matches) | _closings(paragraphs, matches)


def _openings(matches: list[Match | None]) -> set[int]:
    """An opening word (First of all, To begin with) that the speech's own First or Firstly
    follows as the next of its family: a courtesy before the points, as 首先 before 第一."""
    found: set[int] = set()
    opening: int | None = None
    for index, match in enumerate(matches):
        if match is None or match.family != "First":
            continue
        word = " ".join(match.label.lower().split())
        if opening is not None and match.number == 1 and word not in _OPENING_WORDS:
            found.add(opening)
        opening = index if word in _OPENING_WORDS else None
    return found


def _lists_of_one(matches: list[Match | None]) -> set[int]:
    """The one numbered point of a family that has no other (First of all, I thank…; I. M.
    Pei…): a list of one is no list. Its going-on words (Finally,) then continue nothing."""
    members: dict[str, list[int]] = {}
    for index, match in enumerate(matches):
        if match is not None and match.number is not None and match.family in _FAMILIES:
            members.setdefault(match.family, []).append(index)
    return {only[0] for only in members.values() if len(only) == 1}


_FAMILIES = frozenset(rule.family for rule in RULES)

# What a closing courtesy says after Finally,: thanks, a wish, a toast (Finally, I would like
# to thank all of you…; Finally, I wish you every success).
_CLOSING_RE = re.compile(
    r"(?:please\s+)?"
    r"(?:(?:let me|allow me to|may I|I would like to|I'd like to|I want to|I wish to)\s+)?"
    r"(?:(?:once )?again\s+|also\s+)?"
    r"(?:thank|express (?:my|our)|congratulate|wish|I wish|raise|propose a toast|join me)",
    re.IGNORECASE,
)


def _closings(paragraphs: Sequence[Line], matches: list[Match | None]) -> set[int]:
    """A going-on word (Finally, Lastly) before thanks, a wish or a toast: the speech's
    closing courtesy, not its last point (Finally, we will measure what matters)."""

    def courtesy(text: str, match: Match) -> bool:
        return _CLOSING_RE.match(_after_label(text, match)) is not None

    return closing_courtesies(paragraphs, matches, "First", courtesy)


def _after_label(text: str, match: Match) -> str:
    return text[len(match.label) :].lstrip(",:—–- ")


def inline_list(text: str, match: Match) -> bool:
    """Whether a paragraph that opens with First (Firstly, To begin with) goes on to the next
    point within itself (First, listen; second, understand. / First, listen. Second, …): a
    list in its text, not point one with the others hidden in it."""
    if match.family != "First" or match.number is None or match.number >= len(_ORDINALS):
        return False
    following = _ORDINALS[match.number]  # the next point's ordinal (number is 1-based)
    within = rf"[,;:]\s*(?:and\s+)?{following}(?:ly)?\b"
    if re.search(within, text[: match.lead_end], re.IGNORECASE) is not None:
        return True
    later = rf"[.!?]\s+{following.capitalize()}(?:ly)?\b"
    return match.number == 1 and re.search(later, text[match.lead_end - 1 :]) is not None
