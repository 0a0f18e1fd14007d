"""Archive → page specifications: for every output file, its template, context and a key.

A page's `key` is a digest of everything it shows (apart from theme and settings, which the
build adds), so the build can tell which pages a change touched without rendering them.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field, fields
from functools import cached_property, lru_cache, partial
from typing import Any

from markupsafe import Markup, escape

from generator.archive import LEVELS, Archive, Entry
from generator.config import Topic, primary_language, same_language, text_direction
from generator.render.chart import bar_chart, column_chart
from generator.render.markdown import RenderedBody
from generator.render.theme import counted

READING_CHARS_PER_MINUTE = 400
# Characters a minute for the other languages measured in characters. Japanese: a reader is
# usually said to take 400 to 600 a minute, and a Japanese text takes some 1.4 times the
# characters of its Chinese (the IReST texts, read aloud: 357 against 255 a minute), 560 on
# the 400 above. Korean: 202 words a minute read silently (Rhiu et al., Korean J Ophthalmol
# 2017), a word being two to three syllables, some 500 to 600. 500 for both, the lower end.
_READING_CHARS_PER_MINUTE = {"ja": 500, "ko": 500}
# A text in a language written in words (an English address): its length in words, and the
# time read at an adult's pace in them; its characters were shown as 字, 553 for 100 words.
READING_WORDS_PER_MINUTE = 230
# Languages whose texts are measured in characters (字数), not words: no spaces part their words;
# or, Korean, they do, but a Korean text is measured in characters too (글자 수), as a manuscript.
_CHARACTER_COUNTED = frozenset({"zh", "ja", "ko", "yue", "wuu", "lzh"})
EXCERPT_CHARS = 120
ARCHIVE_PREVIEW = 10  # speeches a group shows on its mode's overview page
ARCHIVE_PER_PAGE = 50  # speeches on each page of a group of its own
LEVEL_ORDER = list(LEVELS)


@dataclass(frozen=True)
class TopicRef:
    name: str
    slug: str
    url: str


@dataclass(frozen=True)
class SpeechSummary:
    slug: str
    title: str
    url: str
    date: str | None
    date_display: str
    year: int | None
    speaker: str | None
    speaker_role: str | None
    occasion: str | None
    level: str | None
    topics: list[TopicRef]
    chars: int
    reading_minutes: int
    excerpt: str
    placeholder_count: int
    # Its length in words where its language is measured so (English), else 0: `chars` then
    words: int = 0
    # The language the speech is written in (its own `lang:`, else site.yaml's
    # content_language), and ` lang="…"` for the elements holding its words where that is not
    # the pages' language, else nothing (see lang_attribute).
    lang: str = "zh-CN"
    lang_attr: Markup = field(default_factory=Markup)

    @cached_property
    def key(self) -> str:
        """A digest of every field, computed once: index pages list thousands of summaries.
        (Of a tuple's repr, with the topics as tuples too: the dataclasses' own reprs took
        three times as long, 0.07 s of a cold build at 10,000 speeches.)"""
        values = [getattr(self, name) for name in SUMMARY_FIELDS]
        values[_TOPICS_FIELD] = [(t.name, t.slug, t.url) for t in self.topics]
        return hashlib.sha256(repr(tuple(values)).encode("utf-8")).hexdigest()[:20]

    @cached_property
    def listed_key(self) -> str:
        """A digest of what the stock theme's speech page shows of another speech, its
        neighbour or a related one: not its length, excerpt or placeholders, which an edit of
        its text changes. With them, an edit of one speech re-rendered every page that lists
        it (some thirty at 10,000 speeches). A theme whose speech page is its own may show
        them: its pages take `key` instead (PageBuilder's `brief_listing`)."""
        topics = [(t.name, t.slug, t.url) for t in self.topics]
        shown = (self.title, self.url, self.date, self.date_display, self.year, self.speaker)
        values = (*shown, self.speaker_role, self.occasion, self.level, topics, self.lang_attr)
        return hashlib.sha256(repr(values).encode("utf-8")).hexdigest()[:20]


SUMMARY_FIELDS = tuple(f.name for f in fields(SpeechSummary))
_TOPICS_FIELD = SUMMARY_FIELDS.index("topics")


@lru_cache(maxsize=64)  # (made for each of 10,000 summaries, in a language or two)
def lang_attribute(tag: str, page_language: str) -> Markup:
    """` lang="en"` for an element holding words in `tag` on a page in `page_language`, where
    the two are other languages; else nothing, the element reading as its page does (a
    region or a script apart is the same language: see config.same_language). With
    ` dir="rtl"` where the words are written in the other direction than the page's (an Arabic
    speech on a Chinese site), so they are set right to left, apart from the page's text."""
    lang = "" if same_language(tag, page_language) else Markup(' lang="{}"').format(tag)
    direction = text_direction(tag)
    if direction == text_direction(page_language):
        return Markup(lang)
    return Markup('{} dir="{}"').format(lang, direction)


@dataclass(frozen=True)
class BodyInfo:
    """What the index pages need of a speech's rendered body; the HTML stays in a fragment file
    so a build of 10,000 speeches never holds all their text in memory."""

    fragment: str
    chars: int
    paragraphs: int
    words: int
    placeholders: int
    excerpt: str
    topic_excerpts: dict[str, str]
    # Locators (bodystore) of the speech's search postings and snippet text (search/extract.py).
    search_postings: str = ""
    search_fragment: str = ""

    def locators(self) -> tuple[str, ...]:
        return tuple(x for x in (self.fragment, self.search_postings, self.search_fragment) if x)


def counted_in_words(lang: str) -> bool:
    """Whether a text in `lang` is measured in words (English), not in characters (字数)."""
    return primary_language(lang) not in _CHARACTER_COUNTED


def minutes_to_read(lang: str, chars: int, words: int) -> int:
    """The minutes a text takes to read, at least one: in words where it is measured in them,
    else in characters at its language's pace."""
    if words:
        return max(1, math.ceil(words / READING_WORDS_PER_MINUTE))
    pace = _READING_CHARS_PER_MINUTE.get(primary_language(lang), READING_CHARS_PER_MINUTE)
    return max(1, math.ceil(chars / pace))


# A word: what white space parts, or Tibetan's tsheg and shad (་ ། ༎), which stand between its
# syllables where other scripts have spaces (a Tibetan speech split at spaces alone was a few
# dozen "words" long, read in a minute).
_WORD_RE = re.compile(r"[^\s\u0f0b\u0f0d\u0f0e]+")


def body_info(
    fragment: str,
    body: RenderedBody,
    salutation: str | None,
    topic_terms: dict[str, list[tuple[str, int]]],
    in_words: bool = False,
) -> BodyInfo:
    """What lists show of a body; its words counted only where they are its measure
    (`in_words`): splitting every Chinese speech's text took 35 µs of each one's load."""
    return BodyInfo(
        fragment=fragment,
        chars=body.chars,
        paragraphs=body.paragraphs,
        words=len(_WORD_RE.findall(body.text)) if in_words else 0,
        placeholders=body.placeholders,
        excerpt=_clip(body.lead, EXCERPT_CHARS) or excerpt(body.text, salutation),
        topic_excerpts={
            topic: _sentence_with(body.text, [t for t, _ in terms])
            for topic, terms in topic_terms.items()
        },
    )


@dataclass
class Page:
    output: str  # file path relative to the site root
    path: str  # URL path relative to the base ("" for home)
    template: str
    kind: str
    title: str
    description: str
    context: dict[str, Any]
    key_data: Any  # what the page shows, for its key (None when `key_parts` says it)
    feed_url: str | None = None
    in_sitemap: bool = True
    key: str = field(default="")
    make_context: Callable[[], dict[str, Any]] | None = None  # a context built on demand
    # What the page shows, when that is only strings (a speech page's: digests of its entry
    # and the summaries it shows): equal parts, equal key, so a process building again need
    # not digest it again, and a new one digests them as plain lines (build.page_keys).
    key_parts: tuple[str | None, ...] | None = None
    # `key` is the one the last build gave this page, which shows what it showed then
    # (LastPages): neither its parts nor its key are made again
    kept: bool = False

    def full_context(self) -> dict[str, Any]:
        return self.make_context() if self.make_context is not None else self.context


def _jsonable(value: Any) -> Any:
    if isinstance(value, SpeechSummary):
        return value.key
    if hasattr(value, "__dataclass_fields__"):
        return asdict(value)
    return str(value)


# What json.dumps(data, ensure_ascii=False, sort_keys=True, default=_jsonable) makes, without
# making the encoder again for each of 10,000 pages.
_ENCODER = json.JSONEncoder(ensure_ascii=False, sort_keys=True, default=_jsonable)


def digest(data: Any) -> str:
    return hashlib.sha256(_ENCODER.encode(data).encode("utf-8")).hexdigest()


# How a date reads, by how much of it is known: theme strings date_year, date_month, date_day
# ({y}, {m}, {d}, and {month}, the month's name from the comma-separated `months`).
DateFormats = tuple[str, str, str, tuple[str, ...]]
CHINESE_DATES: DateFormats = ("{y}年", "{y}年{m}月", "{y}年{m}月{d}日", ())


def date_formats(strings: dict[str, str]) -> DateFormats:
    return (
        strings.get("date_year", CHINESE_DATES[0]),
        strings.get("date_month", CHINESE_DATES[1]),
        strings.get("date_day", CHINESE_DATES[2]),
        tuple(name.strip() for name in strings.get("months", "").split(",") if name.strip()),
    )


@lru_cache(maxsize=4096)  # (10,000 speeches share a few thousand dates)
def date_display(date: str | None, formats: DateFormats = CHINESE_DATES) -> str:
    if not date:
        return ""
    parts = [int(p) for p in date.split("-")]
    y, m, d = [*parts, 0, 0][:3]
    months = formats[3]
    month = months[m - 1] if len(months) == 12 and m else str(m)
    form = (formats[0], formats[1], formats[2])[len(parts) - 1]
    return form.format(y=y, m=m, d=d, month=month)


def excerpt(text: str, salutation: str | None, limit: int = EXCERPT_CHARS) -> str:
    lines = [line for line in text.split("\n") if line.strip()]
    if (
        lines
        and salutation
        and lines[0].startswith(salutation)
        and len(lines[0]) <= len(salutation) + 2
    ):
        lines = lines[1:]
    return _clip(lines[0] if lines else "", limit)


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


_NO_RELATED: list[tuple[str, float]] = []  # (one object, never changed: see _reuse)


@dataclass(frozen=True)
class LastPages:
    """What a new process knows of the last build's speech pages, from the build cache, made
    with the same settings: the speeches in archive order then, each page's key by output,
    and the speeches whose related list changed since (None: any may have). A speech page
    keeps its key while its speech, its neighbours and its related speeches are those it had
    and none of them shows otherwise: a new process then neither lists the parts of 10,000
    unchanged pages nor digests them (a fifth of an edit's build)."""

    order: list[str]
    keys: dict[str, str]
    related_changed: set[str] | None


# A speech page and what it was made of: entry, previous, next, related list, page
KnownPage = tuple[Entry, SpeechSummary | None, SpeechSummary | None, list[tuple[str, float]], Page]


@dataclass
class PageBuilder:
    """Builds all pages of the site from the archive and each speech's rendered body."""

    archive: Archive
    bodies: dict[str, BodyInfo]
    url: Callable[[str], str]
    strings: dict[str, str]
    per_page: int = 20
    latest_count: int = 10
    related: dict[str, list[tuple[str, float]]] = field(default_factory=dict)
    absolute: Callable[[str], str] = str
    group_slugs: dict[str, str] = field(default_factory=dict)  # label → slug, kept by the build
    # What an earlier builder with the same url, absolute and topics made, for a process that
    # builds again (serve): slug → (entry, body, summary), a summary reused while its entry
    # and body are the very same objects; and slug → the speech page and what it was made of
    # (`_reuse`). So 10,000 equal summaries and speech pages are neither made nor digested again.
    known: dict[str, tuple[Entry, BodyInfo, SpeechSummary]] = field(default_factory=dict)
    known_pages: dict[str, KnownPage] = field(default_factory=dict)
    # The theme's speech page lists other speeches as the stock theme's does (Theme.brief_listing)
    brief_listing: bool = False
    language: str = "zh-CN"  # the pages' (site.yaml `language`)
    content_language: str = "zh-CN"  # the speeches', where one has no `lang:` of its own
    last_pages: LastPages | None = None  # for a new process (the keys above are a process's)

    def __post_init__(self) -> None:
        self.dates = date_formats(self.strings)
        self.topic_refs = {
            t.name: TopicRef(t.name, t.slug, self.url(f"topics/{t.slug}/"))
            for t in self.archive.topics
        }
        earlier, self.known = self.known, {}
        self.made: set[str] = set()  # slugs whose summary is new (not reused)
        self._topic_infos: list[dict[str, Any]] | None = None
        self.summaries = {e.slug: self._summary(e, earlier) for e in self.archive.entries}
        # new summaries that a speech page shows otherwise than before (or that are new)
        self.relisted = {
            slug
            for slug in self.made
            if (last := earlier.get(slug)) is None
            or self._listed(last[2]) != self._listed(self.summaries[slug])
        }

    def _summary(
        self, entry: Entry, earlier: dict[str, tuple[Entry, BodyInfo, SpeechSummary]]
    ) -> SpeechSummary:
        body = self.bodies[entry.slug]
        last = earlier.get(entry.slug)
        if last is not None and last[0] is entry and last[1] is body:
            self.known[entry.slug] = last
            return last[2]
        summary = self._new_summary(entry, body)
        self.known[entry.slug] = (entry, body, summary)
        self.made.add(entry.slug)
        return summary

    def _new_summary(self, entry: Entry, body: BodyInfo) -> SpeechSummary:
        chars = body.chars
        lang = entry.lang or self.content_language
        words = body.words if counted_in_words(lang) else 0
        return SpeechSummary(
            slug=entry.slug,
            title=entry.title,
            url=self.url(f"speeches/{entry.slug}/"),
            date=entry.date,
            date_display=date_display(entry.date, self.dates),
            year=entry.year,
            speaker=entry.speaker,
            speaker_role=entry.speaker_role,
            occasion=entry.occasion,
            level=entry.level,
            topics=[self.topic_refs[t] for t in entry.topics if t in self.topic_refs],
            chars=chars,
            reading_minutes=minutes_to_read(lang, chars, words),
            excerpt=body.excerpt,
            placeholder_count=body.placeholders,
            words=words,
            lang=lang,
            lang_attr=lang_attribute(lang, self.language),
        )

    def pages(self) -> list[Page]:
        pages = [self.home(), self.topics_index(), self.search(), self.not_found()]
        pages += self.speech_pages()
        for topic in self.archive.topics:
            pages += self.topic_pages(topic)
        pages += self.archive_pages()
        return pages

    # --- speeches ---------------------------------------------------------------------------

    @cached_property
    def in_order(self) -> list[SpeechSummary]:
        """The summaries in archive order."""
        return [self.summaries[entry.slug] for entry in self.archive.entries]

    def speech_pages(self) -> list[Page]:
        entries = self.archive.entries
        ordered = self.in_order
        earlier, self.known_pages = self.known_pages, {}
        last = self._last_pages(earlier)
        pages = []
        for index, entry in enumerate(entries):
            prev = ordered[index - 1] if index > 0 else None
            nxt = ordered[index + 1] if index + 1 < len(ordered) else None
            related = self.related.get(entry.slug, _NO_RELATED)
            page = self._reuse(earlier.get(entry.slug), entry, prev, nxt, related)
            if page is None:
                key = None if last is None else self._kept_key(last, entry, prev, nxt, related)
                page = self._speech_page(entry, prev, nxt, related, key)
            self.known_pages[entry.slug] = (entry, prev, nxt, related, page)
            pages.append(page)
        return pages

    def _reuse(
        self,
        last: KnownPage | None,
        entry: Entry,
        prev: SpeechSummary | None,
        nxt: SpeechSummary | None,
        related: list[tuple[str, float]],
    ) -> Page | None:
        """The earlier builder's page for this speech, when everything it shows is the same:
        the same entry, neighbours and related list (the very objects: a summary or list that
        changed is a new one), and no related speech with a new summary. Its context is then
        built by this builder (the earlier one's body locators may have moved)."""
        if (
            last is None
            or last[0] is not entry
            or last[1] is not prev
            or last[2] is not nxt
            or last[3] is not related
            or any(slug in self.made for slug, _ in related)
            or last[4].kept  # (no parts to tell a changed setting by: made afresh once)
        ):
            return None
        page = last[4]
        page.make_context = partial(self._speech_context, entry, prev, nxt, related, page.path)
        return page

    def _last_pages(self, earlier: dict[str, KnownPage]) -> LastPages | None:
        """`last_pages`, in a new process (`earlier` empty) whose speeches are in the order
        they were, so each page has the neighbours it had."""
        last = self.last_pages
        if earlier or last is None or last.order != [e.slug for e in self.archive.entries]:
            return None
        return last

    def _kept_key(
        self,
        last: LastPages,
        entry: Entry,
        prev: SpeechSummary | None,
        nxt: SpeechSummary | None,
        related: list[tuple[str, float]],
    ) -> str | None:
        """The key the last build gave this speech's page, while the page shows what it showed:
        the same speech (its summary not made anew), neighbours (the same order) and related
        list, and no summary among them shows otherwise (what _speech_page's parts say)."""
        relisted, changed = self.relisted, last.related_changed
        if entry.slug in self.made or changed is None or entry.slug in changed:
            return None
        if relisted and (  # (none, after most edits of a text)
            (prev is not None and prev.slug in relisted)
            or (nxt is not None and nxt.slug in relisted)
            or any(slug in relisted for slug, _ in related)
        ):
            return None
        return last.keys.get(f"speeches/{entry.slug}/index.html")

    def _speech_page(
        self,
        entry: Entry,
        prev: SpeechSummary | None,
        nxt: SpeechSummary | None,
        related: list[tuple[str, float]],
        key: str | None = None,
    ) -> Page:
        """A speech's page; `key`, when it is known to be the last build's (_kept_key)."""
        path = f"speeches/{entry.slug}/"
        summary = self.summaries[entry.slug]
        # What the page shows: its file's digest, its summary's key (the URLs of its topics,
        # which site.yaml may change and its file not) and the keys of the others it shows
        parts = None
        if key is None:
            parts = (
                entry.digest,
                summary.key,
                self._listed(prev),
                self._listed(nxt),
                *[self._listed(self.summaries[slug]) for slug, _ in related],
            )
        return Page(
            output=f"{path}index.html",
            path=path,
            template="speech.html",
            kind="speech",
            title=entry.title,
            description=summary.excerpt,
            context={},
            key_data=None,
            make_context=partial(self._speech_context, entry, prev, nxt, related, path),
            key_parts=parts,
            key=key or "",
            kept=key is not None,
        )

    def _listed(self, summary: SpeechSummary | None) -> str | None:
        """The key of what a speech page shows of another speech (see listed_key)."""
        if summary is None:
            return None
        return summary.listed_key if self.brief_listing else summary.key

    def _speech_context(
        self,
        entry: Entry,
        prev: SpeechSummary | None,
        nxt: SpeechSummary | None,
        related_slugs: list[tuple[str, float]],
        path: str,
    ) -> dict[str, Any]:
        """A speech page's context, built only when the page is rendered: most builds render
        few of the 10,000 speech pages whose keys they check."""
        summary = self.summaries[entry.slug]
        body = self.bodies[entry.slug]
        related = [
            {
                "summary": self.summaries[slug],
                "shared_topics": [r for r in summary.topics if r in self.summaries[slug].topics],
                "score": score,
            }
            for slug, score in related_slugs
        ]
        speech = {
            **{name: getattr(summary, name) for name in SUMMARY_FIELDS},
            "topics": summary.topics,
            "subtitle": entry.subtitle,
            "salutation": entry.salutation,
            "paragraphs": body.paragraphs,
            "part": entry.part,
            "outline": entry.outline,
            "body_fragment": body.fragment,
            "citation": self._citation(summary, path),
            "citation_html": self._citation(summary, path, html=True),
            "source_path": entry.source_path,
        }
        return {"speech": speech, "prev": prev, "next": nxt, "related": related}

    def _citation(self, summary: SpeechSummary, path: str, html: bool = False) -> str:
        """`作者：《题名》，场合，日期。URL` — the speaker's office once, the page's full URL; the
        form is the theme's (strings citation, citation_where, list_separator; with no speaker,
        citation_no_author where the theme has it, else unknown_speaker as the author). With
        `html`, the same as escaped HTML, the title in a `<span lang>` where the speech is in
        another language than the page: an English title in a Chinese citation was read with
        the page's Chinese voice. (The plain text is what a theme puts in an attribute.)"""
        role, name = summary.speaker_role or "", summary.speaker or ""
        author = (
            name if not role or role == name else (name if name.startswith(role) else role + name)
        )
        s = self.strings
        form = s.get("citation", "{author}：《{title}》{where}。{url}")
        if not author and s.get("citation_no_author"):
            form = s["citation_no_author"]  # (Chicago: a work with no author starts with its title)
        title: str = summary.title
        if html:  # (Markup's format escapes the text put into it)
            form = escape(form)
            if summary.lang_attr:
                title = Markup("<span{}>{}</span>").format(summary.lang_attr, title)
        author = author or s.get("unknown_speaker", "佚名")  # (GB/T 7714: 佚名)
        shown = [p for p in (summary.occasion, summary.date_display) if p]
        where = s.get("list_separator", "，").join(shown)
        return form.format(
            author=author,
            title=title,
            where=s.get("citation_where", "，{where}").format(where=where) if where else "",
            url=self.absolute(self.url(path)),
        )

    # --- index pages -------------------------------------------------------------------------

    def topic_infos(self) -> list[dict[str, Any]]:
        """Each topic with its count: made once a builder (home, the topic list and every
        topic's pages show it; counting goes over every speech)."""
        if self._topic_infos is None:
            self._topic_infos = self._count_topics()
        return self._topic_infos

    def _count_topics(self) -> list[dict[str, Any]]:
        return [
            {
                "name": t.name,
                "slug": t.slug,
                "url": self.url(f"topics/{t.slug}/"),
                "description": t.description,
                "count": len(self.by_topic[t.name]),
                "feed_url": self.url(f"topics/{t.slug}/feed.xml"),
            }
            for t in self.archive.topics
        ]

    @cached_property
    def by_topic(self) -> dict[str, list[Entry]]:
        """Each topic's speeches, newest first (`newest_first`), in one pass over them all.
        (An entry names each topic once: archive.load_entry keeps the first of repeats.)"""
        lists: dict[str, list[Entry]] = {t.name: [] for t in self.archive.topics}
        for entry in self.newest_first:
            for name in entry.topics:
                if name in lists:
                    lists[name].append(entry)
        return lists

    @cached_property
    def newest_first(self) -> list[Entry]:
        """The speeches by date, newest first, a later slug first on the same date, then the
        undated ones: the order of topic pages and feeds, sorted once for all of them."""
        return sorted(self.archive.entries, key=lambda e: (e.date or "", e.slug), reverse=True)

    def latest(self) -> list[SpeechSummary]:
        """The newest dated speeches; should there be too few, undated ones in archive order."""
        count = self.latest_count
        shown = [e for e in self.newest_first[:count] if e.date]
        if len(shown) < count:
            shown += [e for e in self.archive.entries if not e.date][: count - len(shown)]
        return [self.summaries[e.slug] for e in shown]

    def home(self) -> Page:
        topics = self.topic_infos()
        years: dict[int, int] = defaultdict(int)
        levels: dict[str, int] = defaultdict(int)
        for summary in self.summaries.values():
            if summary.year:
                years[summary.year] += 1
            if summary.level:
                levels[summary.level] += 1
        s = self.strings

        def speeches(n: int) -> str:
            return counted(s, "speeches_count", n)

        chart_topics = bar_chart(  # (a configured topic no speech has is no bar: a site
            [(t["name"], t["count"]) for t in topics if t["count"]],  # of one speech drew
            # three bars of nothing, and 36 topics with three in use made 33 empty rows)
            title=s.get("chart_topics", "各主题讲话数"),
            count_text=speeches,
        )
        chart_years = column_chart(
            year_columns(years), title=s.get("chart_years", "各年份讲话数"), count_text=speeches
        )
        level_list = [
            {
                "name": name,
                "count": levels[name],
                "url": self.url(f"archive/level/#{_anchor(name)}"),
            }
            for name in sorted(levels, key=_level_rank)
        ]
        latest = self.latest()
        context = {
            "total": len(self.archive.entries),
            "topics": topics,
            "latest": latest,
            "chart_topics": Markup(chart_topics),
            "chart_years": Markup(chart_years),
            "levels": level_list,
        }
        key = [topics, latest, sorted(years.items()), level_list]
        return Page(
            "index.html", "", "home.html", "home", "", "", context, key, self.url("feed.xml")
        )

    def topics_index(self) -> Page:
        topics = self.topic_infos()
        return Page(
            "topics/index.html",
            "topics/",
            "topics.html",
            "topics",
            self.strings.get("topics", "主题"),
            self.strings.get("topics_description", ""),
            {"topics": topics},
            topics,
        )

    def topic_pages(self, topic: Topic) -> list[Page]:
        entries = self.by_topic[topic.name]
        info = next(t for t in self.topic_infos() if t["name"] == topic.name)
        base = f"topics/{topic.slug}/"
        pages = []
        chunks = list(self._paginate(entries, self.per_page, base))
        for number, (chunk, path, pagination) in enumerate(chunks, start=1):
            # What an item shows besides its summary, its excerpt and matched terms, follows
            # from its speech's file: the file's digest stands for them in the key. (Encoding
            # them took 40 ms of every build at 10,000 speeches; the items themselves are made
            # only for a page that renders.)
            shown = [[e.digest, self.summaries[e.slug].key] for e in chunk]
            title = topic.name if number == 1 else topic.name + self._part_of(number, len(chunks))
            pages.append(
                Page(
                    f"{path}index.html",
                    path,
                    "topic.html",
                    "topic",
                    title,
                    topic.description,
                    {},
                    [info, shown, pagination],
                    self.url(f"{base}feed.xml"),
                    make_context=partial(self._topic_context, topic, info, chunk, pagination),
                )
            )
        return pages

    def _topic_context(
        self, topic: Topic, info: dict[str, Any], chunk: list[Entry], pagination: dict[str, Any]
    ) -> dict[str, Any]:
        items = [self._topic_item(e, topic) for e in chunk]
        return {"topic": info, "items": items, "pagination": pagination}

    def _topic_item(self, entry: Entry, topic: Topic) -> dict[str, Any]:
        terms = entry.topic_terms.get(topic.name, [])
        body = self.bodies[entry.slug]
        return {
            "summary": self.summaries[entry.slug],
            "excerpt": body.topic_excerpts.get(topic.name) or self.summaries[entry.slug].excerpt,
            "terms": terms[:8],
        }

    def archive_pages(self) -> list[Page]:
        """Each mode's overview shows every group with its latest few speeches; a larger group
        gets pages of its own, so no archive page grows with the size of the archive."""
        s = self.strings
        modes = [
            ("year", s.get("archive_by_year", "按年份"), "archive/"),
            ("level", s.get("archive_by_level", "按级别"), "archive/level/"),
            ("speaker", s.get("archive_by_speaker", "按讲话人"), "archive/speaker/"),
        ]
        pages = []
        for mode, title, path in modes:
            groups = self._groups(mode)
            mode_links = [
                {"mode": m, "title": t, "url": self.url(p), "active": m == mode}
                for m, t, p in modes
            ]
            heading = f"{s.get('archive', '归档')} · {title}"
            overview = [{**g, "items": g["items"][:ARCHIVE_PREVIEW]} for g in groups]
            context = {
                "mode": mode,
                "modes": mode_links,
                "groups": overview,
                "total": len(self.archive.entries),
                "pagination": None,
            }
            pages.append(
                Page(
                    f"{path}index.html",
                    path,
                    "archive.html",
                    "archive",
                    heading,
                    s.get("archive_description", ""),
                    context,
                    [mode, overview],
                )
            )
            for group in groups:
                if group["count"] > ARCHIVE_PREVIEW:
                    pages += self._group_pages(mode, heading, mode_links, group)
        return pages

    def _part_of(self, number: int, pages: int) -> str:
        """What a list's later page adds to its title: `（2/5）`, or ` (2/5)` in English."""
        form = self.strings.get("page_suffix", "（{n}/{m}）")
        return form.replace("{n}", str(number)).replace("{m}", str(pages))

    def _paginate(
        self, items: list[Any], size: int, base: str
    ) -> Iterator[tuple[list[Any], str, dict[str, Any]]]:
        """(items, path, pagination) for each page of a list: `base`, then `base`page/2/…"""
        chunks = [items[i : i + size] for i in range(0, len(items), size)] or [[]]
        paths = [base if n == 1 else f"{base}page/{n}/" for n in range(1, len(chunks) + 1)]
        for number, chunk in enumerate(chunks, start=1):
            yield (
                chunk,
                paths[number - 1],
                {
                    "page": number,
                    "pages": len(chunks),
                    "prev_url": self.url(paths[number - 2]) if number > 1 else None,
                    "next_url": self.url(paths[number]) if number < len(chunks) else None,
                    "pages_urls": [
                        (n, self.url(paths[n - 1])) for n in _window(number, len(chunks))
                    ],
                },
            )

    def _group_pages(
        self, mode: str, heading: str, mode_links: list[dict[str, Any]], group: dict[str, Any]
    ) -> list[Page]:
        pages = []
        chunks = list(self._paginate(group["items"], ARCHIVE_PER_PAGE, group["path"]))
        for number, (chunk, path, pagination) in enumerate(chunks, start=1):
            shown = [{**group, "items": chunk}]
            context = {
                "mode": mode,
                "modes": mode_links,
                "groups": shown,
                "total": group["count"],
                "pagination": pagination,
            }
            title = f"{heading} · {group['label']}"
            if number > 1:
                title += self._part_of(number, len(chunks))
            pages.append(
                Page(
                    f"{path}index.html",
                    path,
                    "archive.html",
                    "archive",
                    title,
                    "",
                    context,
                    [mode, shown, pagination],
                )
            )
        return pages

    def _groups(self, mode: str) -> list[dict[str, Any]]:
        unknown = {"year": "date_unknown", "level": "level_unknown", "speaker": "speaker_unknown"}[
            mode
        ]
        buckets: dict[str, list[SpeechSummary]] = defaultdict(list)
        value = _GROUP_VALUE[mode]
        for summary in self.in_order:
            buckets[value(summary) or ""].append(summary)
        for items in buckets.values():  # newest first, as topic pages list them: an overview
            items.sort(key=lambda s: s.date or "", reverse=True)  # shows a group's latest

        for label in buckets:
            if label not in self.group_slugs:  # pinyin is slow to load: reuse earlier slugs
                self.group_slugs[label] = _group_slug(label)

        def order(label: str) -> tuple[Any, ...]:
            if not label:
                return (2, "")
            if mode == "year":
                return (0, -int(label))
            if mode == "level":
                return (0, _level_rank(label))
            return (0, self.group_slugs[label], label)  # speakers by pinyin (their slug), as
            # a reader looks a name up, not by code point (张 after 李 and 王)

        folder = {
            "year": "archive/year/",
            "level": "archive/level/",
            "speaker": "archive/speaker/",
        }[mode]
        groups = []
        for label, items in sorted(buckets.items(), key=lambda kv: order(kv[0])):
            path = f"{folder}{self.group_slugs[label]}/"
            groups.append(
                {
                    "label": label or self.strings.get(unknown, "未知"),
                    "anchor": _anchor(label or "unknown"),
                    "items": items,
                    "count": len(items),
                    "path": path,
                    "url": self.url(path) if len(items) > ARCHIVE_PREVIEW else None,
                }
            )
        return groups

    def search(self) -> Page:
        return Page(
            "search/index.html",
            "search/",
            "search.html",
            "search",
            self.strings.get("search", "搜索"),
            "",
            {},
            [],
        )

    def not_found(self) -> Page:
        return Page(
            "404.html",
            "404.html",
            "404.html",
            "404",
            self.strings.get("not_found_title", "页面未找到"),
            "",
            {},
            [],
            in_sitemap=False,
        )


def _named(speaker: str | None) -> str | None:
    """A speaker's name, or None where it is withheld (×××, XX, ○○): three anonymised
    speakers, a 县委书记, a 市长 and a 乡长, were listed as one person."""
    if speaker and not _WITHHELD_NAME_RE.fullmatch(speaker):
        return speaker
    return None


_WITHHELD_NAME_RE = re.compile(r"[×XxＸｘ○〇□＊*某\s]+")


_GROUP_VALUE: dict[str, Callable[[SpeechSummary], str | None]] = {
    "year": lambda summary: str(summary.year) if summary.year else None,
    "level": lambda summary: summary.level,
    "speaker": lambda summary: _named(summary.speaker),
}


MAX_COLUMNS = 40  # columns of the per-year chart; a longer span is counted by decade, or more


def year_columns(years: dict[int, int]) -> list[tuple[str, int]]:
    """(label, count) for every year from the first to the last, the empty ones too; over a
    span of more than MAX_COLUMNS years, for every decade (1990–1999), century and so on: one
    speech dated 1900 beside those of 2024 made 125 columns too thin to read."""
    if not years:
        return []
    first, last = min(years), max(years)
    size = 1
    while (last // size - first // size) + 1 > MAX_COLUMNS:
        size *= 10
    counts: dict[int, int] = defaultdict(int)
    for year, count in years.items():
        counts[year // size * size] += count
    starts = range(first // size * size, last // size * size + 1, size)
    if size == 1:
        return [(str(start), counts[start]) for start in starts]
    return [(f"{start}–{start + size - 1}", counts[start]) for start in starts]


def _group_slug(label: str) -> str:
    """A URL name for an archive group: the year itself, else pinyin plus a short hash (two
    speakers' names can share a pinyin)."""
    if not label:
        return "unknown"
    if label.isascii() and label.isdigit() and len(label) <= 8:  # (not ① nor ١٢٣, a year)
        return label
    from generator.ingest.slug import slugify

    return f"{slugify(label, 40)}-{hashlib.sha256(label.encode('utf-8')).hexdigest()[:4]}"


def _window(page: int, pages: int, around: int = 2) -> list[int]:
    """Page numbers to link: the first, the last and a few around the current one, so a topic
    with 500 pages does not list 500 links on each of them."""
    wanted = {1, pages, *range(page - around, page + around + 1)}
    return sorted(n for n in wanted if 1 <= n <= pages)


def _level_rank(level: str) -> int:
    return LEVEL_ORDER.index(level) if level in LEVEL_ORDER else len(LEVEL_ORDER)


def _anchor(label: str) -> str:
    """An id for a group heading; Unicode ids are valid HTML, but keep them short and safe."""
    return "g-" + hashlib.sha256(label.encode("utf-8")).hexdigest()[:8]


def _sentence_with(text: str, terms: list[str], limit: int = EXCERPT_CHARS) -> str:
    for term in terms:
        at = text.find(term)
        if at < 0:
            continue
        start = max(text.rfind("。", 0, at), text.rfind("\n", 0, at)) + 1
        end_candidates = [i for i in (text.find("。", at), text.find("\n", at)) if i >= 0]
        end = min(end_candidates) + 1 if end_candidates else len(text)
        return _clip(text[start:end].strip(), limit)
    return ""
