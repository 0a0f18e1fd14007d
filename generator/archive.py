"""content/speeches/*.md → validated `Entry` values, collected into an `Archive`.

Loading one file is a pure function of its bytes (`load_entry`), so the build can run it in
worker processes and cache its result by content hash. Everything a user can get wrong in a
file — malformed YAML, a missing field, a bad slug or date, an unknown topic — is a `UserError`
with the file and line.
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import json
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from generator.config import Topic, is_language_tag
from generator.errors import UserError, utf8_text
from generator.ingest.slug import is_valid_slug
from generator.render.markdown import RESERVED_ID_RE, inline_text
from generator.speech import FRONT_MATTER_KEYS, split_front_matter
from generator.text import has_controls, without_controls

REQUIRED = ("title", "slug")
_DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


@dataclass
class OutlineEntry:
    id: str
    label: str
    title: str
    children: list[OutlineEntry] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"#{self.id}"


@dataclass
class Entry:
    """One speech as the build sees it. The build cache holds 10,000 of these and loads them
    all on every build that is not a no-change one, so its file is text, not a `Path`, and its
    outline and topic terms are JSON, decoded only when a page that shows them renders: with
    10,000 Path and 60,000 outline objects, the entries took well over twice as long to
    unpickle, and the 140,000 objects of their topic terms took half the time left."""

    file: str
    digest: str
    slug: str
    title: str
    body: str
    body_line: int
    speaker: str | None = None
    speaker_role: str | None = None
    occasion: str | None = None
    level: str | None = None
    date: str | None = None
    subtitle: str | None = None
    salutation: str | None = None
    topics: list[str] = field(default_factory=list)
    topic_terms_json: str = "{}"  # {topic: [[term, count], …]}: see `topic_terms`
    part: list[int] | None = None
    outline_json: str = "[]"  # [[id, label, title, [children…]], …]: see `outline`
    source_path: str | None = None
    lang: str | None = None  # the speech's own language tag (front matter `lang:`), or None

    @property
    def topic_terms(self) -> dict[str, list[tuple[str, int]]]:
        """Each topic's matched terms and their counts, made anew on each call (a topic page's
        render and the speech's load are the ones)."""
        return {
            topic: [(term, count) for term, count in terms]
            for topic, terms in json.loads(self.topic_terms_json).items()
        }

    @property
    def path(self) -> Path:
        return Path(self.file)

    @property
    def outline(self) -> list[OutlineEntry]:
        """The outline's entries, made anew on each call (a speech page's render is the one)."""
        return _outline_entries(json.loads(self.outline_json))

    @property
    def year(self) -> int | None:
        return int(self.date[:4]) if self.date else None

    def sort_key(self) -> tuple[str, str, str]:
        """Archive order: dated speeches first by date, then the rest, ties by title and slug."""
        return (self.date or "9999", self.title, self.slug)


_KNOWN_FIELDS = frozenset(FRONT_MATTER_KEYS)
SLUG_MAX = 200  # characters of a slug: the speech's folder name in the site


def load_entry(path: Path, data: bytes | None = None) -> Entry:
    raw = path.read_bytes() if data is None else data
    text = utf8_text(raw, path, "save as UTF-8", "utf-8-sig")
    if has_controls(raw, text):
        text = without_controls(text)
    front, body, body_line = split_front_matter(text, path)
    check = _FieldCheck(path, text)
    for key in REQUIRED:
        check.required(front, key)
    if not _KNOWN_FIELDS.issuperset(front):
        check.misspelt(front)
    slug = check.text(front, "slug")
    if not slug or not is_valid_slug(slug):
        raise check.fail(
            "slug",
            f"invalid slug {slug!r}",
            "use lowercase letters, digits and '-' (e.g. my-speech)",
        )
    if len(slug) > SLUG_MAX:  # (a folder name: file systems allow 255 bytes)
        raise check.fail(
            "slug", f"the slug is {len(slug)} characters long", f"keep it to {SLUG_MAX} at most"
        )
    return Entry(
        file=str(path),
        digest=hashlib.sha256(raw).hexdigest(),
        slug=slug,
        title=check.text(front, "title") or "",
        body=body,
        body_line=body_line,
        speaker=check.text(front, "speaker"),
        speaker_role=check.text(front, "speaker_role"),
        occasion=check.text(front, "occasion"),
        level=_level(check.text(front, "level")),
        date=check.date(front),
        subtitle=check.text(front, "subtitle"),
        salutation=check.text(front, "salutation"),
        topics=check.string_list(front, "topics"),
        topic_terms_json=json.dumps(
            _topic_terms(front.get("topic_evidence")), ensure_ascii=False, separators=(",", ":")
        ),
        part=check.part(front),
        outline_json=outline_json(check.anchors(check.outline(front), body, body_line)),
        source_path=_source_path(front.get("source")),
        lang=check.lang(front),
    )


def _key_lines(text: str) -> dict[str, int]:
    """Line of each top-level front-matter key, for error messages."""
    lines: dict[str, int] = {}
    for number, line in enumerate(text.split("\n")[1:], start=2):
        if line == "---":
            break
        found = re.match(r"^([A-Za-z_]+):", line)
        if found:
            lines.setdefault(found.group(1), number)
    return lines


class _FieldCheck:
    def __init__(self, path: Path, text: str) -> None:
        self.path = path
        self.source = text

    @cached_property
    def lines(self) -> dict[str, int]:
        """Each key's line, found only when an error needs it."""
        return _key_lines(self.source)

    def fail(self, key: str, message: str, hint: str | None = None) -> UserError:
        return UserError(f"{key}: {message}", self.path, self.lines.get(key, 1), hint)

    def misspelt(self, front: dict[str, Any]) -> None:
        """A field a speechsite field's name is close to (tpoics, dat, speeker) is that field
        mistyped: left unread, the speech quietly had no topics, date or speaker. Other fields
        of an editor's own are kept, unread, as front matter allows."""
        for key in front:
            close = difflib.get_close_matches(str(key), _KNOWN_FIELDS, n=1, cutoff=0.8)
            if str(key) not in _KNOWN_FIELDS and close:
                raise self.fail(str(key), "unknown field", f"did you mean '{close[0]}'?")

    def required(self, front: dict[str, Any], key: str) -> None:
        value = front.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            raise UserError(
                f"missing required field '{key}'",
                self.path,
                2,
                f"add '{key}: …' to the front matter",
            )

    def text(self, front: dict[str, Any], key: str) -> str | None:
        value = front.get(key)
        if value is None:
            return None
        if not isinstance(value, str):
            # (YAML reads 010 as 8 and 1. as 1.0: a number's text as written is gone)
            hint = f"put it in quotes: {key}: '…'" if isinstance(value, int | float) else None
            raise self.fail(key, f"expected text, got {type(value).__name__} {value!r}", hint)
        return without_controls(value).strip() or None

    def string_list(self, front: dict[str, Any], key: str) -> list[str]:
        value = front.get(key)
        if value is None:
            return []
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(key, "expected a list of names", f"e.g. {key}: [作风整顿, 落实]")
        return list(dict.fromkeys(v.strip() for v in value if v.strip()))  # (once each)

    def lang(self, front: dict[str, Any]) -> str | None:
        """The speech's own language, a tag as site.yaml's `content_language` is: it goes into
        the pages' lang= and the feeds' xml:lang= as written, where `en_US` or `English` would
        make them invalid and no screen reader would know the voice."""
        tag = self.text(front, "lang")
        if tag is not None and not is_language_tag(tag):
            raise self.fail(
                "lang", f"expected a language tag, got {tag!r}", "e.g. lang: en, en-GB or zh-Hant"
            )
        return tag

    def date(self, front: dict[str, Any]) -> str | None:
        value = front.get("date")
        if value is None or value == "":
            return None
        if isinstance(value, dt.date):
            return value.isoformat()[:10]
        if isinstance(value, int) and 1000 <= value <= 9999:
            return str(value)
        found = _DATE_RE.match(str(value).strip())
        if found is None:
            raise self.fail("date", f"invalid date {value!r}", "write YYYY-MM-DD, YYYY-MM or YYYY")
        try:
            dt.date(int(found.group(1)), int(found.group(2) or 1), int(found.group(3) or 1))
        except ValueError:
            raise self.fail("date", f"no such date {value!r}") from None
        return found.group(0)

    def part(self, front: dict[str, Any]) -> list[int] | None:
        value = front.get("part")
        if value is None:
            return None
        if (
            isinstance(value, list)
            and len(value) == 2
            and all(isinstance(v, int) and not isinstance(v, bool) for v in value)
            and 1 <= value[0] <= value[1]
        ):
            return [int(value[0]), int(value[1])]
        raise self.fail("part", f"expected [n, m] with 1 ≤ n ≤ m, got {value!r}")

    def outline(self, front: dict[str, Any]) -> list[OutlineEntry]:
        value = front.get("outline") or []
        if not isinstance(value, list):
            raise self.fail("outline", "expected a list of {id, label, title, children}")
        return [self._item(item) for item in value]

    def anchors(self, outline: list[OutlineEntry], body: str, body_line: int) -> list[OutlineEntry]:
        """Check the body's `{#id}` anchors against the outline: each id once, right above a
        heading, none that the page gives its paragraphs and headings itself (p3, h2) or its
        theme's elements (main, cite-text), and one for every outline entry, whose table of
        contents would link to nowhere. (Lines are counted only for an error: every build that
        loads a speech runs this.)"""
        known: dict[str, int] = {}  # id → where its anchor starts
        headings: dict[str, tuple[int, str]] = {}  # id → its heading's level and text
        for found in _ANCHOR_RE.finditer(body):
            at, ident = found.start(), found.group(1)
            if not _line_start(body, at):
                continue
            problem = _anchor_problem(body, body_line, found, known)
            if problem is not None:
                message, hint = problem
                raise UserError(message, self.path, body_line + body.count("\n", 0, at), hint)
            known[ident] = at
            heading = _HEADING_LINE_RE.match(body, found.end() + 1)
            if heading:
                text = inline_text(heading.group(2))
                # (# is a section, as ## is: the page makes both <h2>, see render/markdown.py)
                headings[ident] = (max(len(heading.group(1)), 2), without_controls(text))
        if outline and not body.strip():
            raise UserError(
                "the speech's text is missing: its outline names headings, but nothing follows"
                " the front matter",
                self.path,
                body_line,
                "put the speech's text back below the closing ---, or ingest its raw file again",
            )
        seen: set[str] = set()
        for item in flatten(outline):
            if item.id in seen:
                raise self.fail("outline", f"{item.id} is in the outline twice")
            seen.add(item.id)
            if item.id not in known:
                raise self.fail(
                    "outline",
                    f"{item.id} has no {{#{item.id}}} anchor in the text",
                    f"put {{#{item.id}}} on the line above its heading, or remove it from outline",
                )
        return following_the_text(outline, headings)

    def _item(self, item: Any) -> OutlineEntry:
        if not isinstance(item, dict) or not item.get("id") or "title" not in item:
            raise self.fail("outline", f"each item needs id and title, got {item!r}")
        ident = str(item["id"])
        if not re.fullmatch(r"[A-Za-z0-9_-]+", ident):
            raise self.fail("outline", f"invalid id {ident!r}", "use letters, digits, '-' and '_'")
        children = item.get("children") or []
        if not isinstance(children, list):
            raise self.fail("outline", f"children of {ident} must be a list")
        texts = [item.get("label") or "", item["title"]]
        if not all(isinstance(text, str) for text in texts):
            raise self.fail(
                "outline", f"label and title of {ident} must be text", "put them in quotes"
            )
        return OutlineEntry(
            ident,
            without_controls(texts[0]),
            without_controls(texts[1]),
            [self._item(c) for c in children],
        )


# An anchor line, `{#s1}`: found by its braces and then checked to start its line, since a
# search for `^` at every position of a speech took seven times as long.
_ANCHOR_RE = re.compile(r"\{#([A-Za-z0-9_-]+)\}[ \t]*$", re.M)


def _line_start(text: str, at: int) -> bool:
    """Whether the anchor at `at` opens its line, after up to three spaces (Markdown's indent
    for a block: markdown-it applies such an anchor too)."""
    start = text.rfind("\n", 0, at) + 1
    return at - start <= 3 and not text[start:at].strip(" ")


def _anchor_problem(
    body: str, body_line: int, found: re.Match[str], known: dict[str, int]
) -> tuple[str, str] | None:
    """What is wrong with one anchor line, with what to do, or None."""
    ident = found.group(1)
    if ident in known:
        line = body_line + body.count("\n", 0, known[ident])
        return (
            f"the anchor {{#{ident}}} is used twice (also line {line})",
            "give each heading its own id",
        )
    if RESERVED_ID_RE.fullmatch(ident):
        return (
            f"the anchor {{#{ident}}} is an id the page gives itself",
            "choose another id, such as s1 or s1-2",
        )
    following = body[found.end() + 1 : body.find("\n", found.end() + 1) % (len(body) + 1)]
    if not _ATX_HEADING_RE.match(following):
        if following.lstrip(" ").startswith("#"):
            return (
                f"the anchor {{#{ident}}} is above '{following.strip()[:20]}', which is no heading",
                "write a heading as one to six # and a space before its text: ## 一、…",
            )
        return (
            f"the anchor {{#{ident}}} is not on the line above a heading",
            "put it right above its heading (a line starting with #), or remove it",
        )
    return None


_ATX_HEADING_RE = re.compile(r" {0,3}#{1,6}(?:[ \t]|$)")


# (a closing run of #s, `## 标题 ##`, is no part of the heading's text)
_HEADING_LINE_RE = re.compile(r" {0,3}(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$", re.M)
_SEPARATORS = "，,、：: \u3000"
_END_MARKS = "。！？：:"


LEVELS = ("国家", "省", "市", "县", "乡镇")  # what ingest writes; pages rank them so


def _level(level: str | None) -> str | None:
    """A level as ingest writes it: an editor's 省级 or 乡镇级 is 省 or 乡镇 (the theme adds 级:
    a page read 省级级, and the archive grouped 省 and 省级 apart)."""
    if level and level.endswith("级") and level[:-1] in LEVELS:
        return level[:-1]
    return level


def following_the_text(
    outline: list[OutlineEntry], headings: dict[str, tuple[int, str]]
) -> list[OutlineEntry]:
    """The table of contents as the text has it: an entry's title is its heading's (after its
    label), and a heading given an anchor in the text that the outline lacks joins it, nested
    by its level. An editor who retitled a heading or added a section saw neither in the
    table of contents, which kept the front matter's outline."""
    old = {item.id: item for item in flatten(outline)}
    retitled = {ident: _entry(old.get(ident), ident, text) for ident, (_, text) in headings.items()}
    if set(headings) <= set(old):
        return [_retitle(item, retitled) for item in outline]
    roots: list[OutlineEntry] = []
    stack: list[tuple[int, OutlineEntry]] = []
    for ident, (level, _) in headings.items():  # (in the text's order)
        entry = retitled[ident]
        while stack and stack[-1][0] >= level:
            stack.pop()
        (stack[-1][1].children if stack else roots).append(entry)
        stack.append((level, entry))
    return roots


def _entry(item: OutlineEntry | None, ident: str, text: str) -> OutlineEntry:
    label = item.label if item is not None and item.label and text.startswith(item.label) else ""
    title = text[len(label) :].lstrip(_SEPARATORS).rstrip(_END_MARKS).strip()
    return OutlineEntry(ident, label, title or (item.title if item else text))


def _retitle(item: OutlineEntry, retitled: dict[str, OutlineEntry]) -> OutlineEntry:
    new = retitled.get(item.id, item)
    return OutlineEntry(
        item.id, new.label, new.title, [_retitle(c, retitled) for c in item.children]
    )


def flatten(items: list[OutlineEntry]) -> Iterator[OutlineEntry]:
    for item in items:
        yield item
        yield from flatten(item.children)


def outline_json(outline: list[OutlineEntry]) -> str:
    """The outline as `Entry.outline_json` holds it."""

    def compact(items: list[OutlineEntry]) -> list[Any]:
        return [[item.id, item.label, item.title, compact(item.children)] for item in items]

    return json.dumps(compact(outline), ensure_ascii=False, separators=(",", ":"))


def _outline_entries(items: list[Any]) -> list[OutlineEntry]:
    return [OutlineEntry(i, label, title, _outline_entries(c)) for i, label, title, c in items]


def _topic_terms(evidence: Any) -> dict[str, list[tuple[str, int]]]:
    out: dict[str, list[tuple[str, int]]] = {}
    if not isinstance(evidence, dict):
        return out
    for topic, info in evidence.items():
        terms = info.get("terms") if isinstance(info, dict) else None
        if isinstance(terms, dict):
            out[str(topic)] = [(str(t), int(n)) for t, n in terms.items() if isinstance(n, int)]
    return out


def _source_path(source: Any) -> str | None:
    if isinstance(source, dict) and source.get("path"):
        return str(source["path"])
    return None


@dataclass
class Archive:
    """All speeches in archive order, with the site's topics."""

    entries: list[Entry]
    topics: tuple[Topic, ...]

    def by_slug(self) -> dict[str, Entry]:
        return {e.slug: e for e in self.entries}


def speech_files(directory: Path) -> list[Path]:
    if not directory.exists():
        return []
    names = sorted(
        entry.name
        for entry in os.scandir(directory)
        if entry.name.endswith(".md") and not entry.name.startswith(".")
    )
    return [directory / name for name in names]


def _line_of(entry: Entry, key: str) -> int:
    """The line of a front-matter key in the entry's file, for an error (else the first key's)."""
    try:
        return _key_lines(entry.path.read_text(encoding="utf-8")).get(key, 2)
    except (OSError, UnicodeDecodeError):
        return 2


def assemble(entries: Iterable[Entry], topics: tuple[Topic, ...]) -> Archive:
    """Check what no single file can: unique slugs and known topics; sort into archive order."""
    known = {t.name for t in topics}
    seen: dict[str, Entry] = {}
    for entry in entries:
        other = seen.get(entry.slug)
        if other is not None:
            raise UserError(
                f"slug '{entry.slug}' is also used by {other.path}",
                entry.path,
                _line_of(entry, "slug"),
                "give one of them another slug in its front matter",
            )
        seen[entry.slug] = entry
        for topic in entry.topics:
            if topic not in known:
                raise UserError(
                    f"unknown topic '{topic}'",
                    entry.path,
                    _line_of(entry, "topics"),
                    f"known topics: {', '.join(sorted(known))}; or add it under 'topics:' in site.yaml",
                )
    return Archive(sorted(seen.values(), key=Entry.sort_key), topics)
