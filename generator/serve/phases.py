"""A preview rebuild in two applied phases: the pages first, the search index after.

Merging the search index again after an edit takes seconds on a large archive, rendering the
edited page a fraction of one; the reader is looking at the page. So phase 1 does all of a
build but the index — pages, feeds, sitemap, assets — applies it, and the open tabs are told
at once; the output keeps the previous index meanwhile (its files stay in the build record, so
nothing deletes them). Phase 2 merges the index in a forked child (workers.Forked) into a
staging folder of its own and applies it: the new generation's files (new names) first, then
the fragments, then index.json, then the old generation is deleted — under `search_lock`,
which the preview server holds while it reads a search file, so no response pairs an old
index with new fragments. After phase 2 the output is byte for byte what `speechsite build`
writes.

A change that arrives during phase 2 does not wait for it: the child and its workers are
killed, a thread removes their folder once they are all gone (`close` waits for such threads),
and the next batch's build, which finds the index out of date, merges it again. Until a
phase 2 completes the inputs' fingerprint stays removed, so no build (serve's or the CLI's)
takes the output for complete. `speechsite build` runs the same steps in one phase.

Between builds the process keeps what it read and computed (`Memory`): the build cache, the
output's record, unchanged speeches' summaries and page keys, the compiled templates.
"""

from __future__ import annotations

import gc
import shutil
import threading
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from generator.build import (
    CACHE_VERSION,
    Applied,
    Build,
    BuildResult,
    Memory,
    Progress,
    collector_paused,
    merge_search,
    staging_dir,
)
from generator.config import Config
from generator.search import cache as search_cache
from generator.search import site as search_site
from generator.search.state import IndexState
from generator.workers import Forked

INDEX_MANIFEST = "search/index.json"
FULL_COLLECTION_EVERY = 100  # phases


@dataclass
class SearchWork:
    """What phase 2 needs from phase 1: the build, the index's documents and key, and the
    output's previous index files (kept by phase 1, replaced by phase 2)."""

    build: Build
    docs: list[search_site.SearchDoc]
    key: str
    old_files: frozenset[str]


class PhasedBuilds:
    """The builds of one serve process into one output, with their memory."""

    def __init__(
        self, output: Path, base_url: str, jobs: int | None, search_lock: threading.Lock
    ) -> None:
        self.output = output
        self.base_url = base_url
        self.jobs = jobs
        self.search_lock = search_lock
        self.memory = Memory()
        self._phases = 0
        self._searches = 0
        self._reapers: list[threading.Thread] = []
        self._retired: object = None

    def pages(
        self,
        config: Config,
        progress: Progress | None = None,
        split: bool = True,
        applied: Applied | None = None,
    ) -> tuple[BuildResult, SearchWork | None]:
        """Phase 1 (with `split`; else the whole build): returns its result and, when the
        search index is out of date, the work phase 2 must do. `applied` is told as soon as
        the files are in the output, before the record and the cache are written."""
        build = Build(
            config,
            output=self.output,
            base_url=self.base_url,
            jobs=self.jobs,
            memory=self.memory,
        )
        if build.up_to_date():
            return build.result, None
        try:
            with collector_paused():
                return self._pages(build, progress, split, applied)
        except BaseException:
            self.memory.forget()
            raise
        finally:
            self._settle()

    def _pages(
        self, build: Build, progress: Progress | None, split: bool, applied: Applied | None
    ) -> tuple[BuildResult, SearchWork | None]:
        build.plan()
        staging = staging_dir(build.target)
        kept: dict[str, str] = {}
        try:
            files = build.write_pages(staging, progress)
            if split:
                kept = _index_files(build.previous, files)
                files.update(kept)
            else:
                files.update(build.write_search(staging))
            build.clock("search")
            build.apply(staging, files, applied=self._then_free(applied))
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        work = self._search_work(build, kept) if split else None  # (the tabs know already)
        build.save(complete=work is None)
        if work is None:
            build.finish()
            self._retired = build
        else:
            build.pause()
        return build.result, work

    def _search_work(self, build: Build, kept: dict[str, str]) -> SearchWork | None:
        """What phase 2 must do, or None when the index phase 1 kept is still right (a build
        would carry it over: the same key, the same files)."""
        docs = build.search_docs()
        key = search_cache.index_key(docs, build.config.topics, CACHE_VERSION)
        carried = search_cache.carry_over(build.cache_dir, key, build.previous, build.target)
        if carried == kept:
            return None
        return SearchWork(build, docs, key, frozenset(kept))

    def search(
        self, work: SearchWork, cancelled: Callable[[], bool], applied: Applied | None = None
    ) -> BuildResult | None:
        """Phase 2: merge and apply the search index; None if `cancelled()` came first (the
        output then still holds the previous index, whole)."""
        try:
            with collector_paused():
                return self._search(work, cancelled, applied)
        except BaseException:
            self.memory.forget()
            raise
        finally:
            self._settle()

    def _search(
        self, work: SearchWork, cancelled: Callable[[], bool], applied: Applied | None
    ) -> BuildResult | None:
        build = work.build
        result = build.next_phase()
        self._retired = work
        if cancelled():  # a newer change came during phase 1
            return None
        self._searches += 1  # a staging folder of its own: a cancelled one is removed later
        staging = staging_dir(build.target, f"search-{self._searches}")
        child = None
        try:
            write = partial(
                merge_search,
                work.docs,
                build.config,
                build.cache,
                staging,
                build.previous,
                build.target,
                build.jobs,
            )
            child = Forked(write)
            written = child.result(cancelled)
            if written is None:
                self._reap_later(child, staging)
                return None
            files, state = written
            build.clock("search")
            self._swap_in(work, staging, files, applied)
        finally:
            if child is None or not child.cancelled:
                shutil.rmtree(staging, ignore_errors=True)
        search_cache.remember(build.cache_dir, work.key, files, state, CACHE_VERSION)
        build.save()
        build.finish()
        return result

    def _swap_in(
        self, work: SearchWork, staging: Path, files: dict[str, str], applied: Applied | None
    ) -> None:
        """Apply the new index in `swap_order`, the server's search reads held meanwhile; the
        record keeps phase 1's files but the old index."""
        build = work.build
        kept = {name: value for name, value in build.previous.items() if name not in work.old_files}
        with self.search_lock:
            build.apply(staging, kept | files, swap_order, applied)

    def _then_free(self, applied: Applied | None) -> Applied:
        """`applied`, then the last build's objects freed: a few hundred thousand at 10,000
        speeches, a tenth of a second, which the tabs need not wait for. (A build's objects are
        kept, `_retired`, until the next one has told the tabs.)"""

        def told(before: dict[str, str], after: dict[str, str], result: BuildResult) -> None:
            if applied is not None:
                applied(before, after, result)
            self._retired = None

        return told

    def _reap_later(self, child: Forked[tuple[dict[str, str], IndexState]], staging: Path) -> None:
        """Let a thread wait for the killed child and its workers to be gone (a large process
        takes a tenth of a second to tear down, which the next build need not wait for: it
        writes elsewhere), then remove what they wrote."""

        def reap() -> None:
            child.reap()
            shutil.rmtree(staging, ignore_errors=True)

        self._reapers = [thread for thread in self._reapers if thread.is_alive()]
        thread = threading.Thread(target=reap, name="reap-search", daemon=True)
        thread.start()
        self._reapers.append(thread)

    def close(self) -> None:
        """Wait for the cancelled search phases' processes to be gone and their folders removed."""
        for thread in self._reapers:
            thread.join()
        self._reapers = []

    def _settle(self) -> None:
        """Freeze what the build left alive, most of it the memory: a full collection scans its
        500,000 objects for half a second, which would otherwise fall in the middle of a later
        build, or in this process while the forked search phase shares its pages (copying them
        all). A build leaves a few dozen cyclic garbage objects: once in a while they are
        collected after all, between phases."""
        self._phases += 1
        if self._phases % FULL_COLLECTION_EVERY == 0:
            gc.unfreeze()
            gc.collect()
        gc.freeze()


def _index_files(previous: dict[str, str], files: dict[str, str]) -> dict[str, str]:
    """The output's current search index, which phase 1 keeps: what the record has under
    search/ that phase 1 does not make (the search page)."""
    return {
        name: file_hash
        for name, file_hash in previous.items()
        if name.startswith("search/") and name not in files
    }


def swap_order(name: str) -> tuple[int, str]:
    """The order phase 2 moves the index's files in: the generation's buckets, fragments and
    facets and the folding table first (a new generation's names no current index.json points
    at), then index.json."""
    return (1 if name == INDEX_MANIFEST else 0, name)
