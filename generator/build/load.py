"""Speeches → entries: each file parsed, its body rendered and its search data made, in parallel,
reusing the cache for files whose stat is unchanged.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from generator.archive import Entry, flatten, following_the_text, load_entry, outline_json
from generator.bodystore import BodyStore
from generator.build.cache import BuildCache, CachedEntry
from generator.build.inputs import Scan, scan_speeches
from generator.config import Config
from generator.errors import UserError
from generator.render.markdown import render_body
from generator.render.pages import (
    CHINESE_DATES,
    BodyInfo,
    DateFormats,
    body_info,
    counted_in_words,
    date_display,
    date_formats,
)
from generator.render.theme import Theme
from generator.search.dates import date_forms
from generator.speech import shown_speaker
from generator.workers import fork_pool

PARALLEL_MIN = 400  # below this many items a process pool costs more than it saves


def _load_one(
    args: tuple[str, tuple[str, str, str], DateFormats, str, BodyStore],
) -> tuple[Entry, BodyInfo, bytes] | UserError:
    """Parse one speech (by its path: a string is cheaper to send to a worker than a Path),
    store its rendered body and search data, and keep only what indexes need."""
    from generator.render.related import raw_vector
    from generator.search import extract as search_extract

    name, labels, dates, content_language, store = args
    try:
        entry = load_entry(Path(name))
    except UserError as err:
        return err
    body = render_body(entry.body, *labels)
    headings = {ident: (level, text) for ident, level, text in body.headings}
    if not set(headings) <= {item.id for item in flatten(entry.outline)}:
        # a heading written without an anchor: the contents list it where the text has it
        entry.outline_json = outline_json(following_the_text(entry.outline, headings))
    matched = entry.topic_terms
    terms = {topic: matched.get(topic, []) for topic in entry.topics}
    info = dataclasses.replace(
        body_info(
            store.write(body.html),
            body,
            entry.salutation,
            terms,
            counted_in_words(entry.lang or content_language),
        ),
        search_postings=store.write_bytes(
            search_extract.postings(
                entry.title, body.blocks, search_details(entry, dates), entry.topics
            ).to_bytes()
        ),
        search_fragment=store.write_bytes(search_extract.fragment_body(entry.title, body.blocks)),
    )
    vector = raw_vector(body.text).tobytes()
    entry.body = ""  # the fragment holds it now
    return entry, info, vector


def search_details(entry: Entry, formats: DateFormats = CHINESE_DATES) -> list[str]:
    """What search finds a speech by besides its text and topics: its speaker (with the
    office), its occasion, subtitle, date (as a page shows it, `formats`: February 5, 2026 on
    an English site; as the speech writes it, 2026年2月5日; and as 2026-02-05) — what a result
    shows, and what a reader looks a speech up by. (An office that is all a speech says of its
    speaker, 县长, once: a result read 县长 县长.)"""
    speaker = shown_speaker(entry.speaker_role, entry.speaker)
    dates = date_forms(entry.date, date_display(entry.date, formats))
    details = (speaker, entry.occasion, entry.subtitle, *dates)
    return [text for text in details if text]


def load_speeches(
    config: Config, theme: Theme, cache: BuildCache, jobs: int, scan: Scan | None = None
) -> tuple[list[Entry], dict[str, BodyInfo], dict[str, bytes]]:
    """Parse every speech file, reusing cached results for files whose stat (in `scan`, made
    by the build's start, or read here) matches."""
    labels = (
        theme.strings.get("anchor_label", "链接到本节"),
        theme.strings.get("placeholder_title", "匿名化占位符"),
        theme.strings.get("table_label", "表格"),
    )
    dates = date_formats(theme.strings)
    # (what a cached body and its details used: the site's content language says whether a
    # speech without a lang: of its own has its words counted)
    label = "\n".join([*labels, repr(dates), config.content_language])
    fresh: dict[str, CachedEntry] = {}
    entries: list[Entry] = []
    bodies: dict[str, BodyInfo] = {}
    todo: list[str] = []
    packs = cache.bodies.packs()
    # Entries the last load of this process (or BuildCache.load) found whole are still whole
    # while no pack went away.
    checked = cache.checked[1] if cache.checked and cache.checked[0] == packs else {}
    folder = f"{config.speeches_dir}{os.sep}"  # str(path) of each file, without making paths
    # Cached by absolute path: `speechsite build` in the project and `speechsite -C <path>`
    # (or the preview server) are the same files, and must not load all of them again.
    absolute = f"{os.path.abspath(config.speeches_dir)}{os.sep}"
    keys: list[str] = []
    stats: list[tuple[int, int]] = []  # (stamp, size) as scanned, before the file was read:
    # a file written while it loads then differs from its cache entry, and loads again
    for file_name, (size, stamp) in (scan or scan_speeches(config.speeches_dir)).items():
        name = absolute + file_name
        cached = cache.entries.get(name)
        if (
            cached
            and cached[:3] == (stamp, size, label)
            and (
                checked.get(name) is cached
                or all(loc.rsplit(":", 2)[0] in packs for loc in cached[5].locators())
            )
        ):
            entry, info = cached[4], cached[5]
            if cache.has_vector(entry):
                fresh[name] = cached
                entries.append(entry)
                bodies[entry.slug] = info
                continue
        todo.append(folder + file_name)
        keys.append(name)
        stats.append((stamp, size))
    cache.bodies.folder.mkdir(parents=True, exist_ok=True)
    work = [(p, labels, dates, config.content_language, cache.bodies) for p in todo]
    results = _map(_load_one, work, jobs)
    errors = [r for r in results if isinstance(r, UserError)]
    if errors:
        raise errors[0]
    vectors: dict[str, bytes] = {}
    for key, (stamp, size), loaded in zip(keys, stats, results, strict=True):
        entry, info, vector = loaded
        fresh[key] = (stamp, size, label, info.fragment, entry, info, "", None)
        entries.append(entry)
        bodies[entry.slug] = info
        vectors[entry.slug] = vector
    cache.entries = fresh
    cache.checked = (cache.bodies.packs(), fresh)  # (the packs this load wrote to included)
    return entries, bodies, vectors


def _map(function: Callable[[Any], Any], items: list[Any], jobs: int) -> list[Any]:
    if jobs <= 1 or len(items) < PARALLEL_MIN:
        return [function(item) for item in items]
    with fork_pool(jobs) as pool:
        # small chunks (a fifth of a second of work at 10,000): the workers finish together
        return list(pool.map(function, items, chunksize=max(1, len(items) // (jobs * 32))))
