"""Markdown's syntax in a speech kept as Markdown: what a note app, a blog or an editor
(Typora, Notion, Obsidian, a static-site generator) exported, copied into a .txt.

Its marks are no words of the speech. Left in, they reached the output escaped — `\\-` before
list items, `\\---` for a rule, `\\*（根据录音整理）\\*`, `1\\\\.` for an escaped `1.` — headings in
`__…__` or `1\\.` were no headings, and the export's front matter (`---` / `title: …` / `---`)
was taken for the title. The cleaner (generator.ingest.clean) takes them out here; a `#`
heading's and a `>` quote's marks and `**bold**` it takes out itself. Text is never dropped:
only a mark, the front matter and an editor's `<!-- comment -->`, which are recorded as removed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from generator.ingest.pagemarks import is_page_break
from generator.text import INVISIBLE_RE

# --- front matter ---------------------------------------------------------------------------------

_FENCE_RE = re.compile(r"^-{3}\s*$")
_FENCE_END_RE = re.compile(r"^(?:-{3}|\.{3})\s*$")
# A field (title: …, date: …, 标题: …), an item of a list (  - 讲话), or a value's next line.
_FIELD_RE = re.compile(r"^(?P<key>[A-Za-z_][\w.-]{0,30}|[\u4e00-\u9fff]{1,8})\s*:(?:\s|$)")
_FIELD_MORE_RE = re.compile(r"^(?:\s+\S|-\s)")
_TITLE_KEYS = frozenset({"title", "标题", "题目"})
_FRONT_MATTER_MAX = 60  # lines between the fences, at the most


@dataclass(frozen=True)
class FrontMatter:
    """The front matter at the top of a file: its lines (indexes), and its title field."""

    lines: range
    title: str | None


def front_matter(texts: Sequence[str]) -> FrontMatter | None:
    """The YAML front matter a note app or a blog export puts at the top (`---`, fields, `---`):
    a fence on the first line of text, one field at least, nothing but fields, list items and
    their continuations before the closing fence. None when the file has none."""
    first = next((i for i, text in enumerate(texts) if text.strip()), None)
    if first is None or not _FENCE_RE.match(texts[first].lstrip("\ufeff")):
        return None
    fields: dict[str, str] = {}
    for index in range(first + 1, min(len(texts), first + 2 + _FRONT_MATTER_MAX)):
        text = texts[index]
        if _FENCE_END_RE.match(text):
            if not fields:
                return None
            return FrontMatter(range(first, index + 1), _title_field(fields))
        field = _FIELD_RE.match(text)
        if field is not None:
            fields.setdefault(field.group("key").lower(), text[field.end() :].strip())
        elif text.strip() and not _FIELD_MORE_RE.match(text):
            return None
    return None


def _title_field(fields: dict[str, str]) -> str | None:
    value = next((fields[key] for key in _TITLE_KEYS if key in fields), "")
    value = value.strip().strip("'\"").strip()
    return value or None


# --- comments -------------------------------------------------------------------------------------

_COMMENT_OPEN = "<!--"
_COMMENT_CLOSE = "-->"
_COMMENT_LINES_MAX = 50  # lines a comment may run over: an open mark without its end is text


def comments(texts: Sequence[str]) -> list[tuple[str, list[str]]]:
    """Each line without the editors' comments in it (`<!-- 此处待补充数据 -->`, which Markdown
    never shows: a note to the editor, no words of the speech), and the comments taken out of
    it. A comment may run over lines; an opening mark with no end near it stays as text."""
    out: list[tuple[str, list[str]]] = []
    inside = False
    for index, text in enumerate(texts):
        kept, cut, at = [], [], 0
        while at < len(text):
            if inside:
                end = text.find(_COMMENT_CLOSE, at)
                stop = len(text) if end < 0 else end + len(_COMMENT_CLOSE)
                cut.append(text[at:stop])
                at, inside = stop, end < 0
                continue
            start = text.find(_COMMENT_OPEN, at)
            if start < 0 or not _closes(texts, index, start):
                kept.append(text[at:])
                break
            kept.append(text[at:start])
            at, inside = start, True
        out.append(("".join(kept), [piece for piece in cut if piece.strip()]))
    return out


def _closes(texts: Sequence[str], index: int, start: int) -> bool:
    """Whether the comment opening at `start` of line `index` is closed near it."""
    if texts[index].find(_COMMENT_CLOSE, start + len(_COMMENT_OPEN)) >= 0:
        return True
    following = texts[index + 1 : index + _COMMENT_LINES_MAX]
    return any(_COMMENT_CLOSE in text for text in following)


# --- list marks and rules -------------------------------------------------------------------------

# A bullet list's mark (- 过去的一年…, * 2014年…, + …), a space after it; not a dash of the
# text (-5℃, --, ——) nor the dashes around a page number (- 2 -).
_BULLET_RE = re.compile(r"^[ \t]{0,6}(?P<mark>[-*+])[ \t]+(?=[^\s\-*+])")
# A thematic break (---, ***, * * *, ___): a line of three marks or more and nothing else; and
# the rule a printed document draws above and below its closing record (版记), copied out of a
# PDF as a line of six dashes or more (——————, ─────): no dash of a sentence stands so alone.
_RULE_RE = re.compile(
    r"^[ \t]{0,3}(?:(?P<mark>[-*_=])(?:[ \t]*(?P=mark)){2,}|(?P<long>[—－─━])(?P=long){5,})[ \t]*$"
)


def bullet_end(text: str) -> tuple[str, int] | None:
    """The mark and where the item's text starts, for a line that opens with a bullet."""
    found = _BULLET_RE.match(text)
    if found is None or is_page_break(text.strip()):
        return None
    return found.group("mark"), found.end()


# A code fence's line (```, ```text, ~~~): a mark, not text; the lines between are the text.
_CODE_FENCE_RE = re.compile(r"^[ \t]{0,3}(?:`{3,}[^`]*|~{3,}.*)$")


def is_fence(text: str) -> bool:
    return _CODE_FENCE_RE.match(text) is not None


def is_rule(texts: Sequence[str], index: int) -> bool:
    """A thematic break: dashes, underscores or equals signs (a heading's underline), or
    asterisks standing between blank lines (*** alone under a title may stand for a name
    withheld, as 县长 *** does)."""
    found = _RULE_RE.match(INVISIBLE_RE.sub("", texts[index]))  # (as the cleaner reads it
    if found is None:  # later: ===, then a control character, was a rule the next time)
        return False
    if found.group("mark") != "*":  # (a long dash's rule has no mark: it is a rule)
        return True
    before = texts[index - 1] if index > 0 else ""
    after = texts[index + 1] if index + 1 < len(texts) else ""
    return not before.strip() and not after.strip()


# --- inside a line --------------------------------------------------------------------------------

# A backslash escape (1\. 经济发展, \[注\], \#乡村振兴\#, \*\*): the character it shields. Not
# an escaped backslash (\\), nor the character after one: cleaning again changes nothing.
_ESCAPE_RE = re.compile(r"(?<!\\)\\([!\"#$%&'()*+,\-./:;<=>?@\[\]^_`{|}~])")
# Emphasis in single marks (*（根据录音整理）*, _重要_), between a line's ends, spaces or
# punctuation: not a placeholder's asterisks inside a word (刘*、王*, 原*县*局).
_BEFORE = r"(?:^|(?<=[\s，。！？；：、,.!?;:（(“‘「『【]))"
_AFTER = r"(?=$|[\s，。！？；：、,.!?;:）)”’」』】])"
_EMPHASIS_RE = re.compile(
    rf"{_BEFORE}\*(?=[^\s*])([^*]*?[^\s*])\*{_AFTER}|{_BEFORE}_(?=[^\s_])([^_]*?[^\s_])_{_AFTER}"
)


def unescape(text: str) -> str:
    """The line without Markdown's backslash escapes."""
    return _ESCAPE_RE.sub(r"\1", text) if "\\" in text else text


# A link, [text](target "title"), and an image, ![alt](target): the link's text stays — its
# target, an address, is no word of the speech — and an image is removed, and recorded (its
# alt text is a caption the page does not show). Not an escaped bracket (\[注\]), nor a reference mark
# with no target after it ([1]), nor brackets and parentheses of the text: a target is an
# address or a file, with a / . # or : in it (国发[2023](5号) stays).
_LINK_RE = re.compile(
    r"(?<!\\)(!?)\[([^\[\]\n]*)\]\((?:<[^<>\n]*>|(?=[^\s()]*[/.#:])[^\s()]+(?:\([^\s()]*\)[^\s()]*)*)"
    r"(?:[ \t]+(?:\"[^\"\n]*\"|'[^'\n]*'))?\)"
)
# Inline code (`一网通办`, ``a`b``): the text without its backticks.
_CODE_RE = re.compile(r"(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)")


def images(text: str) -> tuple[str, list[str]]:
    """The line without its images, and the images cut (the cleaner records them removed)."""
    if "![" not in text:
        return text, []
    cut: list[str] = []

    def image(found: re.Match[str]) -> str:
        if not found.group(1):
            return found.group(0)
        cut.append(found.group(0))
        return ""

    return _LINK_RE.sub(image, text), cut


def without_links(text: str) -> str:
    """The line with each Markdown link as its text."""
    if "](" not in text:
        return text
    return _LINK_RE.sub(lambda found: found.group(0) if found.group(1) else found.group(2), text)


def without_code_marks(text: str) -> str:
    """The line with each code span's text without its backticks: for a Markdown file only
    (in a text file a pair of backticks may be the text's own quotation marks, `零漏洞`)."""
    if "`" not in text:
        return text
    return _CODE_RE.sub(lambda found: found.group(2).strip(" ") or found.group(0), text)


def without_emphasis(text: str) -> str:
    """The line without single-mark emphasis (its text kept)."""
    if "*" not in text and "_" not in text:
        return text
    return _EMPHASIS_RE.sub(lambda found: found.group(1) or found.group(2), text)
