"""The `Speech` value and its file format: YAML front matter, then a Markdown body.

Front matter schema (every key but `lang` is always written, `null` when unknown):

    title           the speech's title, page markers removed
    slug            URL name, unique in the archive
    lang            the speech's own language (a BCP 47 tag: en, en-GB, zh-Hant), written only
                    for a speech in another language than the archive's (see ingest/language.py)
    speaker         the speaker's name, or their role when only that is known (县长)
    speaker_role    the office (北京市市长), or null
    occasion        the meeting the speech was given at (…会议), or null
    level           国家 / 省 / 市 / 县 / 乡镇, or null
    date            YYYY-MM-DD, YYYY-MM or YYYY as the text states it; never invented
    subtitle        the subtitle line as written (——2026年1月25日在…会议上), or null
    salutation      the opening address (各位代表, 同志们), or null
    topics          list of topic names; an editor's list is never recomputed
    topic_evidence  per topic: score, per_10k and the matched terms with counts
    source          {path, sha256, encoding}; merged parts add `parts: [{path, sha256, part}]`
    part            [n, m] for an incomplete speech that is part n of m, else null
    declared_points the number of points the speaker announces (讲三点意见), or null
    stats           {chars, paragraphs} of the body text
    outline         list of {id, label, title, children}

In the body each outline item is a Markdown heading (## depth 1, ### depth 2, #### depth 3…)
preceded by its id as a block attribute line `{#s1-2}` (mdit-py-plugins' attrs_block syntax).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator.errors import UserError
from generator.yamlio import dump_front_matter, load_yaml, read_front_matter_fast

FRONT_MATTER_KEYS = (
    "title",
    "slug",
    "lang",
    "speaker",
    "speaker_role",
    "occasion",
    "level",
    "date",
    "subtitle",
    "salutation",
    "topics",
    "topic_evidence",
    "source",
    "part",
    "declared_points",
    "stats",
    "outline",
)

if TYPE_CHECKING:  # the build reads speeches without importing the ingest pipeline
    from generator.ingest.outline import Block, OutlineItem


@dataclass
class Speech:
    title: str
    slug: str
    blocks: list[Block]
    outline: list[OutlineItem]
    source: dict[str, Any]
    speaker: str | None = None
    speaker_role: str | None = None
    occasion: str | None = None
    level: str | None = None
    date: str | None = None
    subtitle: str | None = None
    salutation: str | None = None
    topics: list[str] = field(default_factory=list)
    topic_evidence: dict[str, Any] = field(default_factory=dict)
    part: list[int] | None = None
    declared_points: int | None = None
    notes: list[str] = field(default_factory=list)  # footnotes: [^n] in the blocks' text
    lang: str | None = None  # the speech's own language, where it is not the archive's

    def stats(self) -> dict[str, int]:
        chars = sum(len(re.sub(r"\s", "", without_note_marks(b.text))) for b in self.blocks)
        return {"chars": chars, "paragraphs": len(self.blocks)}

    def front_matter(self) -> dict[str, Any]:
        """The front matter, `lang` only where the speech has its own: a Chinese speech's
        file is as it was before speeches could have one."""
        return {
            "title": self.title,
            "slug": self.slug,
            **({"lang": self.lang} if self.lang else {}),
            "speaker": self.speaker,
            "speaker_role": self.speaker_role,
            "occasion": self.occasion,
            "level": self.level,
            "date": self.date,
            "subtitle": self.subtitle,
            "salutation": self.salutation,
            "topics": list(self.topics),
            "topic_evidence": self.topic_evidence,
            "source": self.source,
            "part": self.part,
            "declared_points": self.declared_points,
            "stats": self.stats(),
            "outline": [item.to_dict() for item in self.outline],
        }

    def to_markdown(self) -> str:
        body = render_body(self.blocks, self.notes)
        return f"---\n{dump_front_matter(self.front_matter())}---\n\n{body}"


def render_body(blocks: list[Block], notes: list[str] | None = None) -> str:
    """The Markdown body; the notes after it as footnote definitions (`[^1]: …`), their
    marks in the text left unescaped."""
    from generator.ingest.outline import Heading, Table

    count = len(notes or ())
    escape = escape_markdown if not count else lambda text: _escape_with_marks(text, count)
    parts: list[str] = []
    for block in blocks:
        if isinstance(block, Heading):
            hashes = "#" * min(block.depth + 1, 6)
            parts.append(f"{{#{block.id}}}\n{hashes} {escape(block.text)}\n")
        elif isinstance(block, Table):
            parts.append(pipe_table(block.rows))
        else:
            parts.append(f"{escape(block.text)}\n")
    parts += [
        f"[^{number}]: {escape_markdown(note)}\n" for number, note in enumerate(notes or (), 1)
    ]
    return "\n".join(parts)


# A footnote's mark in a block's text, `[^1]`: Markdown's footnote reference, as the Word reader
# writes a note's reference (ingest/docx.py) and the body renders it.
NOTE_MARK_RE = re.compile(r"\[\^(\d+)\]")


def without_note_marks(text: str) -> str:
    return NOTE_MARK_RE.sub("", text) if "[^" in text else text


def _escape_with_marks(text: str, count: int) -> str:
    """Escaped text whose marks of notes 1…count stay Markdown footnote references."""
    pieces: list[str] = []
    at = 0
    for found in NOTE_MARK_RE.finditer(text):
        if 0 < int(found.group(1)) <= count:
            pieces.append(escape_markdown(text[at : found.start()]) + found.group(0))
            at = found.end()
    return "".join(pieces) + escape_markdown(text[at:])


def pipe_table(rows: tuple[tuple[str, ...], ...]) -> str:
    """A GFM pipe table, the first row its head. Every row gets as many cells as the widest
    (a cell beyond the head's count would not be shown); `|` in a cell is escaped."""
    width = max(len(row) for row in rows)
    lines = []
    for number, row in enumerate(rows):
        cells = [escape_markdown(cell) for cell in row] + [""] * (width - len(row))
        lines.append("| " + " | ".join(cells) + " |")
        if number == 0:
            lines.append("|" + " --- |" * width)
    return "\n".join(lines) + "\n"


_INLINE_SPECIAL_RE = re.compile(r"([\\`*_\[\]<>&{}|~#])")
_LINE_START_RE = re.compile(r"^([#>+=-]|\d+[.)](?=\s|$))")
_EDGE_SPACE_RE = re.compile(r"^\s+|\s+$")


_ESCAPED_RE = re.compile(r"\\([!-/:-@\[-`{-~])")


def unescape_markdown(text: str) -> str:
    """Text with Markdown's backslash escapes resolved (every ASCII punctuation mark may be
    escaped, more than escape_markdown escapes)."""
    return _ESCAPED_RE.sub(r"\1", text) if "\\" in text else text


def escape_markdown(text: str) -> str:
    """Backslash-escape what Markdown would read as markup, so the text renders as written.

    `<` and `&` are escaped too: speech text never becomes HTML. Whitespace at the start or end,
    which Markdown would drop (or read as a code block), is written as character references."""
    if _INLINE_SPECIAL_RE.search(text):
        text = _INLINE_SPECIAL_RE.sub(r"\\\1", text)
    found = _LINE_START_RE.match(text)
    if found:
        marker = found.group(1)
        text = marker[:-1] + "\\" + marker[-1] + text[len(marker) :]
    if not text or not (text[0].isspace() or text[-1].isspace()):
        return text  # the usual paragraph: no edge whitespace to protect
    return _EDGE_SPACE_RE.sub(lambda edge: "".join(f"&#{ord(c)};" for c in edge.group(0)), text)


_FRONT_RE = re.compile(r"\A---\n(.*?\n)?---(?:\n|\Z)", re.DOTALL)


def _unclosed(text: str, path: Path) -> UserError:
    """Why a file's front matter was not found, at the line to fix: a file without it, a
    closing line with spaces after its ---, a YAML end mark (...), or no closing line."""
    if not text.startswith("---\n"):
        hint = "a speech file starts with a '---' line, YAML, then '---'"
        return UserError("no front matter", path, 1, hint)
    for number, line in enumerate(text.split("\n")[1:], start=2):
        if line.rstrip() == "---":
            hint = "make it '---' alone on its line"
            return UserError(
                "the front matter's closing '---' has spaces after it", path, number, hint
            )
        if line.rstrip() == "...":
            hint = "end the front matter with a '---' line"
            return UserError("the front matter ends with '...'", path, number, hint)
    hint = "end the front matter with a '---' line before the text"
    return UserError("the front matter is not closed: no '---' line ends it", path, 1, hint)


def split_front_matter(text: str, path: Path) -> tuple[dict[str, Any], str, int]:
    """Front matter mapping, body text, and the line number where the body starts."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")  # (CRLF, and CR alone)
    found = _FRONT_RE.match(text)
    if found is None:
        raise _unclosed(text, path)
    yaml_text = found.group(1) or ""  # (none between the two --- lines)
    data: Any = read_front_matter_fast(yaml_text)
    if data is None:  # (the YAML starts on line 2 of the file)
        data, _ = load_yaml(yaml_text, path, with_lines=False, first_line=2)
    if not isinstance(data, dict):
        raise UserError("front matter must be a mapping of keys", path, 2)
    body_line = found.group(0).count("\n") + 1
    return data, text[found.end() :], body_line


def read_front_matter(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise UserError(f"not valid UTF-8 at byte {exc.start}", path) from None
    data, _, _ = split_front_matter(text, path)
    return data


def shown_speaker(role: str | None, name: str | None) -> str:
    """The speaker as the pages show them: the office, then the name, the office once where the
    name holds it already (县长王五, not 县长 县长王五; 县长 alone, not 县长 县长)."""
    if role and name and role not in name:
        return f"{role} {name}"
    return name or role or ""
