"""The build's search step: the index carried over, updated or merged afresh (generator/search/
does the work).
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import TYPE_CHECKING

from generator.build.cache import CACHE_VERSION, BuildCache
from generator.config import Config
from generator.fsutil import missing
from generator.render.pages import PageBuilder
from generator.search import cache as search_cache
from generator.search.state import IndexState

if TYPE_CHECKING:  # imported where needed: a no-change build never pays for them (numpy)
    from generator.search import site as search_site


def search_docs(builder: PageBuilder) -> list[search_site.SearchDoc]:
    """Every speech as the search index sees it, in slug order (a speech's number): from each
    slug's (entry, body, summary) as the builder keeps them, one lookup a speech, not four.
    A speech's digest is its file's with the date forms it is found by (the site's language
    sets them: see load.search_details): the index update takes a speech whose digest is
    the one it was indexed with as unchanged, and a new language changes no file."""
    known = builder.known
    shown = (known[slug] for slug in sorted(known))
    from generator.search import site as search_site

    Doc = search_site.SearchDoc
    forms = hashlib.sha256(repr(builder.dates).encode("utf-8")).hexdigest()[:12]
    return [
        Doc(s, b.search_postings, b.search_fragment, f"{e.digest}-{forms}") for e, b, s in shown
    ]


def write_search(
    builder: PageBuilder,
    config: Config,
    previous: dict[str, str],
    staging: Path,
    target: Path,
    cache: BuildCache,
    jobs: int = 1,
) -> dict[str, str]:
    """The search index: rebuilt when a speech's text or summary changed, else carried over."""
    docs = search_docs(builder)
    key = search_cache.index_key(docs, config.topics, CACHE_VERSION)
    elsewhere = cache.target != str(target)  # (the last index was written to another output)
    carried = None if elsewhere else search_cache.carry_over(cache.folder, key, previous, target)
    if carried is not None:
        return carried
    files, state = merge_search(docs, config, cache, staging, previous, target, jobs, elsewhere)
    search_cache.remember(cache.folder, key, files, state, CACHE_VERSION)
    return files


def merge_search(
    docs: list[search_site.SearchDoc],
    config: Config,
    cache: BuildCache,
    staging: Path,
    previous: dict[str, str],
    target: Path,
    jobs: int,
    elsewhere: bool = False,
) -> tuple[dict[str, str], IndexState]:
    """Write the search index into `staging` (only files the output lacks, byte for byte: a
    recorded file gone from the output counts as lacking), updating the last build's where
    it can; return its files and its state."""
    last = None if elsewhere else search_cache.last_index(cache.folder, CACHE_VERSION)
    from generator.search import site as search_site

    return search_site.write_index(
        docs,
        config.topics,
        cache.bodies,
        staging,
        _present(previous, target),
        jobs,
        (*last, target) if last is not None else None,
    )


def _present(previous: dict[str, str], target: Path) -> dict[str, str]:
    """The recorded files, less the search index's files gone from the output."""
    gone = missing(target, (name for name in previous if name.startswith("search/")))
    if not gone:
        return previous
    return {name: value for name, value in previous.items() if name not in gone}
