"""`speechsite build`: content/ + theme → a complete static site, incrementally and safely.

The pipeline: load speeches (parallel, cached by file stat and content hash) → assemble the
archive (unique slugs, known topics) → page specifications with keys → render only the pages
whose key changed (parallel) into a staging folder beside the output → apply: move changed
files into the output, delete files the previous build made that are gone. A failed build
stops before the apply step, so the last good site stays as it was. Unchanged files are never
rewritten (same bytes, same mtime), so rsync-style deploys and browser caches see no change.
"""

from __future__ import annotations

import dataclasses
import gc
import hashlib
import json
import mmap
import os
import pickle
import re
import shutil
import struct
import time
import zlib
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar
from urllib.parse import urlsplit

from markupsafe import Markup

from generator import __version__
from generator.archive import (
    Archive,
    Entry,
    assemble,
    flatten,
    following_the_text,
    load_entry,
    outline_json,
)
from generator.bodystore import BodyStore
from generator.config import Config, normalise_base_url, read_folders
from generator.errors import UserError
from generator.fsutil import atomic_write_bytes, presence, stage
from generator.interrupts import signals_deferred
from generator.lock import LOCK_NAME, cache_lock
from generator.render.feeds import FEED_SIZE, atom_feed, robots, sitemap
from generator.render.markdown import render_body
from generator.render.pages import (
    CHINESE_DATES,
    BodyInfo,
    DateFormats,
    KnownPage,
    Page,
    PageBuilder,
    SpeechSummary,
    body_info,
    date_display,
    date_formats,
    digest,
)
from generator.render.theme import Asset, Theme, counted, data_url
from generator.search import cache as search_cache
from generator.search import site as search_site
from generator.search.patch import IndexState
from generator.speech import shown_speaker
from generator.workers import fork_pool

if TYPE_CHECKING:  # imported where needed: a no-change build never pays for them
    import jinja2

    from generator.render.related import Related

MARKER = ".speechsite-build.json"
CACHE_DIR = ".speechsite-cache"


def _code_version() -> str:
    """Cached data is only valid for the code that made it: a digest of every module whose
    work the cache holds or a page shows (the package's own modules, its render/ and search/
    ones), so a change to any of them (or an upgrade) starts afresh. (Hashing named modules
    missed render/chart.py: a fixed chart stayed on every site built before the fix.)"""
    import isal

    package = Path(__file__).parent
    hasher = hashlib.sha256(__version__.encode())
    hasher.update(isal.__version__.encode())  # its deflate writes the cached fragments' bytes
    for folder in (package, package / "render", package / "search"):
        for path in sorted(folder.glob("*.py")):  # (read, not imported: numpy is slow to
            hasher.update(path.name.encode())  # import, and a no-change build needs none)
            hasher.update(path.read_bytes())
    return hasher.hexdigest()[:16]


CACHE_VERSION = _code_version()
PARALLEL_MIN = 400  # below this many items a process pool costs more than it saves
# Files are written by a few threads per process while the next page renders: creating a file
# and its folder waits on the file system (about 0.3 ms on a virtual disk, more under load),
# and waits overlap, so 10,000 pages are written in a fraction of the time one at a time takes.
WRITE_THREADS = 8


@dataclass
class BuildResult:
    output: Path
    pages: int = 0
    rendered: int = 0
    written: int = 0
    removed: int = 0
    unchanged: int = 0
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)
    changed: list[str] = field(default_factory=list)  # output files moved in or deleted
    cache_cleared: str = ""  # the error a damaged cache gave, when it was cleared and rebuilt


@dataclass
class Urls:
    base_url: str

    def __post_init__(self) -> None:
        try:  # (--base-url comes here as typed; site.yaml's value is checked on load)
            self.base_url = normalise_base_url(self.base_url)
        except UserError as err:
            raise UserError(f"base URL: {err.message}", hint=err.hint) from None
        parts = urlsplit(self.base_url)
        self.base_path = parts.path  # (normalised: it ends with /)
        self.origin = f"{parts.scheme}://{parts.netloc}" if parts.scheme else ""

    def url(self, path: str) -> str:
        return self.base_path + path

    def absolute(self, url: str) -> str:
        """Absolute URL for feeds and sitemaps (a path when no host is configured)."""
        return self.origin + url


Progress = Callable[[str, int, int], None]


def build_site(
    config: Config,
    *,
    output: Path | None = None,
    base_url: str | None = None,
    jobs: int | None = None,
    progress: Progress | None = None,
    cache_dir: Path | None = None,
) -> BuildResult:
    """Build the site into `output` (default: the configured one). `cache_dir` (default
    .speechsite-cache/) holds what lets the next build of that output be incremental; a build
    into another output with other settings, such as deploy's, passes its own so that the
    user's next build of site/ stays incremental. The cache is held for the build (another
    process building or serving the project stops with a UserError); a cache that cannot be
    read (an error other than the user's) is cleared once and the site built afresh."""
    folder = cache_dir or config.root / CACHE_DIR
    with cache_lock(folder):
        try:
            return _build_once(config, output, base_url, jobs, progress, cache_dir)
        except (UserError, MemoryError):
            raise
        except Exception as exc:
            if _outside(exc, folder) or not clear_cache(folder):
                raise  # (a file of the output that cannot be written is no fault of the cache)
            result = _build_once(config, output, base_url, jobs, progress, cache_dir)
            result.cache_cleared = f"{type(exc).__name__}: {exc}"
            return result


def _outside(exc: Exception, folder: Path) -> bool:
    """An error about a file, and not one in `folder`."""
    name = getattr(exc, "filename", None)
    return isinstance(exc, OSError) and bool(name) and not Path(str(name)).is_relative_to(folder)


def _build_once(
    config: Config,
    output: Path | None,
    base_url: str | None,
    jobs: int | None,
    progress: Progress | None,
    cache_dir: Path | None,
) -> BuildResult:
    build = Build(config, output=output, base_url=base_url, jobs=jobs, cache_dir=cache_dir)
    if build.up_to_date():
        return build.result
    build.plan()
    staging = staging_path(build.target)
    try:  # (made inside the try: a signal right after it is made still has it removed)
        staging_dir(build.target)
        files = build.write_pages(staging, progress)
        files.update(build.write_search(staging))
        build.clock("search")
        build.apply(staging, files)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    build.save()
    build.finish()
    return build.result


def clear_cache(folder: Path) -> bool:
    """Delete what the build cache holds (not its lock); False when there was nothing to
    delete, so an error with an empty cache is not one the cache caused."""
    entries = [entry for entry in folder.iterdir() if entry.name != LOCK_NAME]
    for entry in entries:
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            entry.unlink(missing_ok=True)
    return bool(entries)


Stamp = tuple[int, int, int] | None  # a file's inode, size and mtime: it changes on any write


def _stamp(path: Path) -> Stamp:
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return (stat.st_ino, stat.st_size, stat.st_mtime_ns)


@dataclass
class Memory:
    """What a long-lived process (the preview server) keeps between builds of one output, so a
    warm build does not read again what it holds: the build cache, the output's record, the
    summaries and page keys of unchanged speeches, the compiled templates. Each part is used
    only while the file it mirrors has the stamp it had when this process last wrote it, so a
    `speechsite build` run meanwhile by hand makes the next build read from disk again."""

    cache: BuildCache | None = None
    cache_stamp: Stamp = None
    record: dict[str, str] | None = None
    record_stamp: Stamp = None
    summaries: dict[str, tuple[Entry, BodyInfo, SpeechSummary]] | None = None
    speech_pages: dict[str, KnownPage] | None = None
    summaries_for: str = ""  # what both depend on besides entry and body
    keys: dict[str, tuple[Any, str]] = field(default_factory=dict)  # page_keys' `known`
    environment: tuple[str, jinja2.Environment] | None = None

    def build_cache(self, folder: Path) -> BuildCache:
        if (
            self.cache is not None
            and self.cache.folder == folder
            and self.cache_stamp is not None
            and _stamp(folder / BuildCache.MAIN) == self.cache_stamp
        ):
            return self.cache
        self.cache = BuildCache.load(folder)
        self.cache_stamp = None
        return self.cache

    def saved(self, cache: BuildCache) -> None:
        self.cache, self.cache_stamp = cache, _stamp(cache.folder / BuildCache.MAIN)

    def output_record(self, target: Path) -> dict[str, str]:
        if self.record is not None and _stamp(target / MARKER) == self.record_stamp:
            return self.record
        return read_marker(target)

    def applied(self, target: Path, files: dict[str, str]) -> None:
        self.record, self.record_stamp = files, _stamp(target / MARKER)

    def forget(self) -> None:
        """After a failed build: what it changed in memory was never saved, so read it again."""
        self.cache = self.record = self.summaries = self.speech_pages = None
        self.keys = {}
        self.cache_stamp = self.record_stamp = None


@contextmanager
def collector_paused() -> Iterator[None]:
    """The cyclic garbage collector off for a step that makes tens of thousands of objects
    which all live on to the end of the build (summaries, pages, their keys and contexts, the
    related lists): it would scan them again and again, for a third of the step's time, to
    find no cycles among them."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class Build:
    """One build of an output, step by step. `build_site` runs every step at once: one staging
    folder, one apply. The preview server runs the same steps as two applied phases, pages
    first and the search index after (serve/phases.py), with a `Memory` kept between builds."""

    def __init__(
        self,
        config: Config,
        *,
        output: Path | None = None,
        base_url: str | None = None,
        jobs: int | None = None,
        cache_dir: Path | None = None,
        memory: Memory | None = None,
    ) -> None:
        self.started = time.perf_counter()
        self.config = config
        self.cache_dir = cache_dir or config.root / CACHE_DIR
        self.target = (output or config.output).resolve()
        self.urls = Urls(base_url or config.base_url)
        self.result = BuildResult(self.target)
        self.clock = _Clock(self.result)
        guard_output(self.target, config.root.resolve(), input_folders(config))
        try:
            self.theme = Theme(config.root / "themes", config.theme, config.language, config.minify)
        except UserError as error:
            if error.setting is not None:
                raise config.error((error.setting,), error) from None
            raise
        self.jobs = jobs or os.cpu_count() or 1
        self.memory = memory or Memory()
        require_speeches_dir(config)
        self.scan = scan_speeches(config.speeches_dir)
        self.static = scan_static(config.static_dir)
        self.fingerprint = inputs_fingerprint(
            config, self.urls, self.theme, self.target, self.scan, self.static
        )

    @cached_property
    def moved_halfway(self) -> bool:
        """Whether the last build of this output stopped while or after moving its files in
        but before it saved the cache (a signal held back to the move's end, SIGKILL, a power
        cut): the output is then part new, whatever the cache's page keys and the record
        say, and the next build writes every file anew."""
        return (self.cache_dir / MOVING).exists() or bool(_orphaned(self.target, "undo"))

    def up_to_date(self) -> bool:
        """Whether the inputs are those of the last complete build, whose output is all there."""
        if self.moved_halfway or not _up_to_date(
            self.cache_dir, self.fingerprint, self.target, self.result
        ):
            return False
        self.result.seconds = time.perf_counter() - self.started
        return True

    def plan(self) -> None:
        """Load the speeches, update the related ones, and list every page with its key."""
        with collector_paused():
            self._plan()

    def _plan(self) -> None:
        self.cache = cache = self.memory.build_cache(self.cache_dir)
        if cache.target != str(self.target):  # its keys describe another output's files
            cache.pages = {}  # (write_search leaves that output's index state aside too)
        gc.freeze()  # the cache's many objects live to the end: keep the collector off them,
        # and off the pages forked workers share, which it would otherwise copy by touching them
        self.clock.last = time.perf_counter()  # (the stages, as ever, from here)
        config = self.config
        entries, self.bodies, vectors = load_speeches(
            config, self.theme, cache, self.jobs, self.scan
        )
        archive = assemble(entries, config.topics)
        gc.freeze()
        self.clock("load")
        related = cache.related_for(archive, vectors, config.related)
        self.clock("related")
        self.builder = PageBuilder(
            archive,
            self.bodies,
            self.urls.url,
            self.theme.strings,
            config.per_page,
            config.latest,
            related,
            self.urls.absolute,
            cache.group_slugs,
            *self._known(),
        )
        self.pages = self.builder.pages()
        self.memory.summaries = self.builder.known
        self.memory.speech_pages = self.builder.known_pages
        settings = settings_digest(config, self.urls, self.theme)
        self.memory.keys = page_keys(self.pages, settings, self.memory.keys)
        self.previous = self.memory.output_record(self.target)
        if self.moved_halfway:  # every file written anew: which ones moved is not known
            self.previous, self.cache.pages = {}, {}
        gc.freeze()  # pages, summaries and related lists live to the end too: once the plan
        # let the collector run again, its first two passes scanned them all (0.08 s at 10,000)
        self.clock("plan")

    def _known(
        self,
    ) -> tuple[dict[str, tuple[Entry, BodyInfo, SpeechSummary]], dict[str, KnownPage]]:
        """The last build's summaries and speech pages, while what they show besides entry,
        body, neighbours and related speeches (URLs, topics) is the same. A new process has
        no speech pages yet, but the summaries the cache keeps with their speeches."""
        memory = self.memory
        if (
            memory.summaries is None
            or memory.speech_pages is None
            or memory.summaries_for != self.summaries_for
        ):
            memory.summaries = self.cache.summaries(self.summaries_for)
            memory.speech_pages, memory.summaries_for = {}, self.summaries_for
        return memory.summaries, memory.speech_pages

    @cached_property
    def summaries_for(self) -> str:
        """What a speech's summary shows besides its entry and body: URLs, topics, dates' form."""
        return f"{self.urls.base_url}|{self.config.topics!r}|{date_formats(self.theme.strings)!r}"

    def write_pages(self, staging: Path, progress: Progress | None) -> dict[str, str]:
        """Render changed pages and extras (feeds, sitemap, assets) into `staging`; return the
        hash of every file they make, changed or not."""
        files, self.result.rendered = render_pages(
            self.pages,
            self.theme,
            self.config,
            self.urls,
            self.previous,
            self.cache.pages,
            self.target,
            staging,
            self.jobs,
            progress,
            self.cache.bodies,
            self.memory,
            self.cache_dir / "templates",
        )
        extras, self.extra_keys = write_extras(
            self.pages,
            self.builder,
            self.config,
            self.urls,
            self.theme,
            self.previous,
            self.cache.pages,
            self.target,
            staging,
            self.static,
        )
        files.update(extras)
        self.clock("render")
        return files

    def search_docs(self) -> list[search_site.SearchDoc]:
        """Every speech as the search index sees it, in slug order (a speech's number)."""
        return search_docs(self.builder)

    def write_search(self, staging: Path) -> dict[str, str]:
        return write_search(
            self.builder,
            self.config,
            self.previous,
            staging,
            self.target,
            self.cache,
            self.jobs,
        )

    def apply(
        self,
        staging: Path,
        files: dict[str, str],
        order: Order | None = None,
        applied: Applied | None = None,
    ) -> None:
        """Move the staged files into the output and record `files` as its content; `applied`
        is called once they are in place, before the record is written. The inputs'
        fingerprint goes first: until the build is complete, no build may stop early."""
        (self.cache_dir / FINGERPRINT).unlink(missing_ok=True)
        atomic_write_bytes(self.cache_dir / MOVING, b"")  # (until save: see moved_halfway)
        before = self.previous

        def in_place() -> None:
            if applied is not None:
                applied(before, files, self.result)

        self.previous = apply(staging, self.target, before, files, self.result, order, in_place)
        self.memory.applied(self.target, self.previous)

    def save(self, complete: bool = True) -> None:
        """Save the cache: each page's key, and — once the build is `complete` (serve's phase 2
        still reads bodies where phase 1 found them) — drop unused bodies and save the large
        related state too."""
        self.cache.pages = {page.output: page.key for page in self.pages} | self.extra_keys
        self.cache.target = str(self.target)
        self.cache.keep_summaries(self.builder.known, self.summaries_for, self.builder.made)
        if complete:
            search_cache.relocate(self.cache.folder, self.cache.collect_garbage())
        self.cache.save(with_related=complete)
        self.memory.saved(self.cache)
        (self.cache_dir / MOVING).unlink(missing_ok=True)  # (the keys now describe the output)

    def finish(self) -> None:
        """The build is complete: the next one with the same inputs may stop at once."""
        atomic_write_bytes(self.cache_dir / FINGERPRINT, self.fingerprint.encode())
        self.pause()

    def pause(self) -> None:
        """End this phase's timing (serve's phase 1 ends so, its build not yet complete)."""
        self.clock("write")
        self.result.pages = len(self.pages)
        self.result.seconds = time.perf_counter() - self.started
        gc.unfreeze()  # (a failed build leaves them frozen: they are still freed when unused)

    def next_phase(self) -> BuildResult:
        """Start timing and counting a further phase of this build (serve's search index)."""
        self.started = time.perf_counter()
        self.result = BuildResult(self.target)
        self.clock = _Clock(self.result)
        return self.result


def page_keys(
    pages: list[Page], settings: str, known: dict[str, tuple[Any, str]]
) -> dict[str, tuple[Any, str]]:
    """Give each page its key: a digest of the settings, its template and what it shows. A page
    whose data is only strings (`key_parts`: a speech page's) keeps the key it had in `known`
    while they are equal — digesting 10,000 pages is a tenth of a second. Returns what to pass
    as `known` next time."""
    fresh: dict[str, tuple[Any, str]] = {}
    for page in pages:
        if page.key_parts is None:
            page.key = digest([settings, page.template, page.key_data])
            continue
        ident = (settings, page.template, page.key_parts)
        last = known.get(page.output)
        if last is not None and last[0] == ident:
            page.key = last[1]
        else:
            page.key = _parts_key(ident)
        fresh[page.output] = (ident, page.key)
    return fresh


def _parts_key(ident: tuple[str, str, tuple[str | None, ...]]) -> str:
    """The key of a page made of strings: their digest, one to a line (none holds a line break:
    settings and parts are digests, the template a file name): under half the time JSON took,
    which a new process pays for all 10,000 speech pages."""
    settings, template, parts = ident
    lines = "\n".join([settings, template, *["" if p is None else p for p in parts]])
    return hashlib.sha256(lines.encode("utf-8")).hexdigest()


FINGERPRINT = "inputs.sha256"
MOVING = "moving"  # in the cache folder while a build moves files into the output, to its end


Scan = dict[str, tuple[int, int]]  # speech file name → (size, change_stamp), in name order


def change_stamp(stat: os.stat_result) -> int:
    """A file's mtime and ctime in one number. mtime alone misses an edit that keeps the size
    and sets the time back (`cp -p`, `touch -r`, an editor keeping timestamps); the ctime,
    which no tool sets, moves on every write, replacement or rename onto the name."""
    return stat.st_mtime_ns | stat.st_ctime_ns << 64


def require_speeches_dir(config: Config) -> None:
    """A speeches folder that is not there is a mistyped path or a missed ingest, not an
    archive with nothing in it (an empty folder is one): the site it built was empty."""
    folder = config.speeches_dir
    if not folder.is_dir():
        where = "is a file, not a folder" if folder.exists() else "does not exist"
        raise UserError(
            f"the speeches folder {where}",
            folder,
            hint="run `speechsite ingest`, or set paths.speeches in site.yaml to the folder of .md files",
        )


def unread_speech_files(folder: Path) -> list[str]:
    """Files in the speeches folder that look like speeches but a build does not read: another
    spelling of the suffix (.MD, .markdown), or .md files in a subfolder. Named in a warning,
    where they were left out without a word."""
    names = []
    for entry in sorted(os.scandir(folder), key=lambda e: e.name):
        if entry.name.startswith("."):
            continue
        if entry.is_dir():
            names += [f"{entry.name}/{p.name}" for p in sorted(Path(entry.path).rglob("*.md"))]
        elif entry.name.lower().endswith((".md", ".markdown")) and not entry.name.endswith(".md"):
            names.append(entry.name)
        elif entry.name.endswith(".md") and not entry.is_file():
            names.append(entry.name)  # (a link to nowhere)
    return names


def scan_speeches(folder: Path) -> Scan:
    """The speech files and their stat, read once a build for its fingerprint and its load."""
    if not folder.is_dir():
        return {}
    found = []
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)  # (each stat relative to it: a seventh
    try:  # faster than DirEntry.stat, which resolves the folder's path again each time)
        for name in os.listdir(fd):
            if name.endswith(".md") and not name.startswith("."):
                try:
                    stat = os.stat(name, dir_fd=fd)
                except FileNotFoundError:  # deleted since it was listed: as if before
                    continue
                found.append((name, (stat.st_size, change_stamp(stat))))
    finally:
        os.close(fd)
    return dict(sorted(found))


def inputs_fingerprint(
    config: Config,
    urls: Urls,
    theme: Theme,
    target: Path,
    scan: Scan | None = None,
    static: Scan | None = None,
) -> str:
    """Everything a build reads, by name, size and change stamp: equal means nothing to do."""
    hasher = hashlib.sha256(f"{CACHE_VERSION}|{urls.base_url}|{target}|{theme.digest}".encode())
    if config.source is not None:
        hasher.update(config.source.read_bytes())
    hasher.update(repr(config.topics).encode())  # built-in topics live outside site.yaml
    scan = scan_speeches(config.speeches_dir) if scan is None else scan
    static = scan_static(config.static_dir) if static is None else static
    for files in (scan, static):
        hasher.update(
            "".join(f"{n}|{size}|{stamp}\n" for n, (size, stamp) in files.items()).encode()
        )
    return hasher.hexdigest()


def scan_static(folder: Path | None) -> Scan:
    """The files of the static folder (paths.static: pictures, documents a speech links to),
    by path relative to it with '/' separators, and their stat; hidden files and folders
    (.git, .DS_Store) left out."""
    if folder is None or not folder.is_dir():
        return {}
    found = []
    for directory, folders, names in os.walk(folder):
        folders[:] = sorted(name for name in folders if not name.startswith("."))
        relative = os.path.relpath(directory, folder).replace(os.sep, "/")
        for name in names:
            if name.startswith("."):
                continue
            try:
                stat = os.stat(os.path.join(directory, name))
            except OSError:  # (gone since it was listed)
                continue
            path = name if relative == "." else f"{relative}/{name}"
            found.append((path, (stat.st_size, change_stamp(stat))))
    return dict(sorted(found))


def _up_to_date(cache_dir: Path, fingerprint: str, target: Path, result: BuildResult) -> bool:
    """True when the inputs are those of the last build and its output is all still there."""
    recorded = cache_dir / FINGERPRINT
    if not recorded.exists() or recorded.read_text(encoding="utf-8") != fingerprint:
        return False
    files = read_marker(target)
    if not files:
        return False
    with presence(target) as exists:  # (names, not Paths: 30,000 Paths took a fifth of a second)
        if not all(map(exists, files)):
            return False
    result.pages = sum(1 for name in files if name.endswith(".html"))
    result.unchanged = len(files)
    return True


class _Clock:
    def __init__(self, result: BuildResult) -> None:
        self.result = result
        self.last = time.perf_counter()

    def __call__(self, stage: str) -> None:
        now = time.perf_counter()
        self.result.timings[stage] = now - self.last
        self.last = now


# --- output safety --------------------------------------------------------------------------


def guard_output(target: Path, root: Path, inputs: tuple[Path, ...] = ()) -> None:
    """Refuse to build into a folder speechsite did not create, over the project itself, or
    into a folder the build or ingest reads (`inputs`: an output inside content/raw/ was
    ingested back, its pages published as speeches)."""
    if target == root or root.is_relative_to(target):
        raise UserError(
            "the output folder would contain the project itself",
            target,
            hint="choose an output such as site/",
        )
    for folder in inputs:
        if target.is_relative_to(folder.resolve()):
            raise UserError(
                f"the output folder is inside {folder.name}/, which speechsite reads",
                target,
                hint="choose an output such as site/, beside content/ and themes/",
            )
    if target.exists() and not target.is_dir():
        raise UserError("the output path is a file, not a folder", target)
    if target.is_dir() and any(target.iterdir()) and not (target / MARKER).exists():
        raise UserError(
            f"refusing to replace a folder speechsite did not create (it has no {MARKER})",
            target,
            hint="empty it, or choose another --output; if speechsite built it, its record of"
            f" the files it wrote, {MARKER}, was deleted: empty the folder and build again",
        )


def input_folders(config: Config) -> tuple[Path, ...]:
    """The folders a project's build and ingest read: no output may be inside one. (The
    config's folders hold its root already: resolved, the root is not joined on twice, which
    with `-C project` made project/project/content/raw, and let an output into the raw one.)"""
    static = config.static_dir.resolve() if config.static_dir is not None else None
    return read_folders(
        config.root.resolve(), config.raw_dir.resolve(), config.speeches_dir.resolve(), static
    )


def read_marker(target: Path) -> dict[str, str]:
    """The previous build's files and their hashes."""
    marker = target / MARKER
    if not marker.exists():
        return {}
    try:
        data = json.loads(marker.read_text(encoding="utf-8"))
        files = data.get("files", {})
        return {str(k): str(v) for k, v in files.items()}
    except (ValueError, AttributeError):
        return {}


def staging_dir(target: Path, name: str = "") -> Path:
    """An empty folder beside `target` for this process's build (`name`: for one more).
    Folders a build left when it was killed (SIGKILL, a power cut) go first: their process
    is gone, and nothing else removes them."""
    _remove_orphaned_staging(target)
    staging = staging_path(target, name)
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    return staging


def staging_path(target: Path, name: str = "") -> Path:
    """Where staging_dir puts this process's folder (`name`: one more)."""
    return target.parent / f".{target.name}.staging-{os.getpid()}{'-' + name if name else ''}"


def _remove_orphaned_staging(target: Path) -> None:
    for folder in _orphaned(target, "staging") + _orphaned(target, "undo"):  # (Undo's too)
        shutil.rmtree(folder, ignore_errors=True)


def _orphaned(target: Path, kind: str) -> list[str]:
    """The `kind` folders (staging, undo) beside `target` of processes that are gone."""
    if not target.parent.is_dir():
        return []
    prefix = f".{target.name}.{kind}-"
    return [
        entry.path
        for entry in os.scandir(target.parent)
        if entry.name.startswith(prefix)
        and (found := re.fullmatch(r"(\d+)(?:-.*)?", entry.name[len(prefix) :]))
        and not _alive(int(found.group(1)))
    ]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True  # (another user's process; a number no pid can be: leave it be)
    return True


Order = Callable[[str], Any]  # sort key of a staged file's name: the order files move in
# Told once a build's files are in the output: its record before, its record after, its result
Applied = Callable[[dict[str, str], dict[str, str], BuildResult], None]


def apply(
    staging: Path,
    target: Path,
    previous: dict[str, str],
    files: dict[str, str],
    result: BuildResult,
    order: Order | None = None,
    in_place: Callable[[], None] | None = None,
) -> dict[str, str]:
    """Move staged files into the output (by name, or in `order`); delete files of the previous
    build that are gone; call `in_place`; record `files`, and return the record (`files` in
    the record's order, which the next build passes as `previous`). `result.changed` lists
    what was moved or deleted. (Telling the preview's tabs before writing the record saves
    them its time; a record written late or never only makes the next build stage a few files
    again.)"""
    if not target.exists():
        # A first build: the staging folder becomes the output in one rename.
        with presence(staging) as made:  # (30,000 Paths and stats took 0.4 s)
            result.changed = sorted(filter(made, files))
        result.written = len(result.changed)
        record = _write_marker(staging, files)
        staging.rename(target)
        if in_place is not None:
            in_place()
        return record
    target.mkdir(parents=True, exist_ok=True)
    staged = sorted(_walk(staging), key=order)  # only what changed was staged
    stale = sorted(set(previous) - set(files))
    with signals_deferred():  # (the record too: a signal after the move and before it left
        # a record of the old build beside the new one, and pages stale for good)
        with Undo(target, previous) as undo:
            for name in staged:
                undo.replace(staging / name, name)
            removed = _remove_stale(target, stale, undo)
        record = _write_marker(target, files, previous)
    result.written = len(staged)
    result.unchanged = len(files) - len(staged)
    result.removed = len(removed)
    result.changed = staged + removed
    if in_place is not None:
        in_place()
    return record


class Undo:
    """The moves of staged files into the output, all or none: each file replaced or deleted
    is kept aside (a hard link, in a folder beside the output; a copy where the file system
    has no hard links) until every move is done, and put back if one fails. A failed move (a
    folder not writable, a full disk) left a site half of the old build and half of the new.
    The error names the output's file, not the staged copy. Should a file not go back, the
    folder aside stays (the error names it) and the record forgets the file, so the next
    build writes it again."""

    def __init__(self, target: Path, previous: dict[str, str]) -> None:
        self.target = target
        self.previous = previous
        self.aside = undo_path(target)
        self.done: list[tuple[str, bool]] = []  # (name, kept aside) in the order done
        self.folders: set[Path] = set()  # folders made aside (one mkdir each, not one a file)

    def __enter__(self) -> Undo:
        shutil.rmtree(self.aside, ignore_errors=True)
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, _: Any
    ) -> None:
        lost = self._put_back() if error is not None else []
        if not lost:
            shutil.rmtree(self.aside, ignore_errors=True)
            return
        _write_marker(self.target, {k: v for k, v in self.previous.items() if k not in lost})
        raise UserError(
            f"a file could not be moved into the output ({error}), nor could {len(lost)} of the "
            f"files it replaced be put back: they are kept in {self.aside}",
            self.target,
            hint="free the disk or fix the folder's permissions, then build again; the build "
            "writes those files anew",
        ) from error

    def replace(self, source: Path, name: str) -> None:
        """Move `source` to the output's `name`, keeping the file it replaces."""
        destination = self.target / name
        destination.parent.mkdir(parents=True, exist_ok=True)
        kept = self._keep(destination, name)
        try:
            os.replace(source, destination)
        except OSError as error:
            error.filename = str(destination)
            raise
        self.done.append((name, kept))

    def delete(self, name: str) -> None:
        """Delete the output's `name`, keeping it aside."""
        os.replace(self.target / name, self._aside(name))
        self.done.append((name, True))

    def _aside(self, name: str) -> Path:
        aside = self.aside / name
        if aside.parent not in self.folders:
            aside.parent.mkdir(parents=True, exist_ok=True)
            self.folders.add(aside.parent)
        return aside

    def _keep(self, destination: Path, name: str) -> bool:
        try:
            os.link(destination, self._aside(name))
        except FileNotFoundError:
            return False  # (a new file: nothing to keep)
        except OSError:  # (a file system without hard links)
            shutil.copy2(destination, self.aside / name)
        return True

    def _put_back(self) -> list[str]:
        """Undo every move done, as far as it goes; the names of files that would not go back."""
        lost: list[str] = []
        for name, kept in reversed(self.done):
            destination = self.target / name
            try:
                if kept:
                    destination.parent.mkdir(parents=True, exist_ok=True)  # (pruned when emptied)
                    os.replace(self.aside / name, destination)
                else:
                    destination.unlink(missing_ok=True)
            except OSError:
                lost.append(name)
        self.done = []
        return lost


def undo_path(target: Path) -> Path:
    """Where this process's Undo keeps files aside, beside the output."""
    return target.parent / f".{target.name}.undo-{os.getpid()}"


def _remove_stale(target: Path, names: list[str], undo: Undo) -> list[str]:
    """Delete these files of the previous build (only inside the output), then the folders
    they leave empty, each folder once: a new search index removes thousands of files from
    one folder, and checking that folder after each would read it thousands of times."""
    removed, folders = [], set()
    for name in names:
        stale = (target / name).resolve()
        if stale.is_relative_to(target) and stale.is_file():
            undo.delete(name)
            removed.append(name)
            folders.add(stale.parent)
    for folder in sorted(folders, key=lambda path: len(path.parts), reverse=True):
        if folder.is_dir():  # (gone if a deeper one's pruning reached it)
            _prune_empty_dirs(folder, target)
    return removed


def _walk(folder: Path) -> Iterator[str]:
    """Every file under `folder`, as a path relative to it with '/' separators."""
    for directory, _, names in os.walk(folder):
        relative = os.path.relpath(directory, folder)
        for name in names:
            yield name if relative == "." else f"{relative.replace(os.sep, '/')}/{name}"


def _write_marker(
    folder: Path, files: dict[str, str], before: dict[str, str] | None = None
) -> dict[str, str]:
    """Write the record of the output's files, by name; return it in that order. `before`, a
    record this function returned (or read_marker read: the file's order), is in that order
    already: while the names are the same, as after most edits, its order is taken instead of
    sorting 30,000 names (25 ms)."""
    if before is not None and before.keys() == files.keys():
        ordered = {name: files[name] for name in before}
    else:
        ordered = dict(sorted(files.items()))
    marker = {"generator": f"speechsite {__version__}", "files": ordered}
    text = json.dumps(marker, ensure_ascii=False, separators=(",\n", ":"))
    atomic_write_bytes(folder / MARKER, (text + "\n").encode())
    return ordered


def _prune_empty_dirs(directory: Path, root: Path) -> None:
    while directory != root and directory.is_relative_to(root) and not any(directory.iterdir()):
        directory.rmdir()
        directory = directory.parent


# --- loading ------------------------------------------------------------------------------


# change stamp, size, labels, body, entry, body info, and the summary with what it was made for
CachedEntry = tuple[int, int, str, str, Entry, BodyInfo, str, SpeechSummary | None]
SHARDS = 32  # the entries are saved in this many files, by a hash of the speech's path


@dataclass
class BuildCache:
    """What the last build computed, kept in .speechsite-cache/ at the project root: each
    speech's metadata and summary (the HTML of its body lives in bodies/, see bodystore.py),
    each page's key, and the related speeches with each speech's text vector."""

    MAIN: ClassVar[str] = "build.pickle"  # written last by every save

    folder: Path
    entries: dict[str, CachedEntry] = field(default_factory=dict)
    pages: dict[str, str] = field(default_factory=dict)
    group_slugs: dict[str, str] = field(default_factory=dict)
    packed: tuple[int, int] = (0, 0)  # bytes of the packs and speeches at the last collection
    # The output the page keys and the search index's state were made for: a build into
    # another (--output public) leaves them describing that one.
    target: str = ""

    related: Related | None = None
    related_saved: Related | None = None  # as loaded: save only what changed
    digests: dict[str, str] = field(default_factory=dict)  # slug → digest of related's text
    # related.as_dict(), kept while the process lives (serve): the next build makes again only
    # the lists of rows that changed
    related_lists: dict[str, list[tuple[str, float]]] | None = None
    # The packs present at the last load and the entries it found whole (load_speeches), or,
    # when the cache was read from disk, those of the shards whose packs were all present
    checked: tuple[set[str], dict[str, CachedEntry]] | None = None
    saved_shards: dict[int, dict[str, CachedEntry]] = field(default_factory=dict)  # as on disk

    @cached_property
    def bodies(self) -> BodyStore:
        return BodyStore(self.folder / "bodies")

    def summaries(self, made_for: str) -> dict[str, tuple[Entry, BodyInfo, SpeechSummary]]:
        """slug → (entry, body, summary) of the cached speeches whose summary was made for
        `made_for` (pages.PageBuilder's `known`): a new process then makes none of 10,000
        summaries again, nor their keys (0.1 s)."""
        return {
            value[4].slug: (value[4], value[5], value[7])
            for value in self.entries.values()
            if value[7] is not None and value[6] == made_for
        }

    def keep_summaries(
        self,
        known: dict[str, tuple[Entry, BodyInfo, SpeechSummary]],
        made_for: str,
        new: set[str],
    ) -> None:
        """Keep each speech's summary with it, for `summaries`: those of the slugs in `new`,
        whose summaries were made by this build (the others' are the cache's own). An entry
        that gets no new summary stays the very same tuple, so its shard is not saved again."""
        if not new:
            return
        for name, value in self.entries.items():
            made = known.get(value[4].slug) if value[4].slug in new else None
            if (
                made is not None
                and made[0] is value[4]
                and made[1] is value[5]
                and (value[7] is not made[2] or value[6] != made_for)
            ):
                self.entries[name] = (*value[:6], made_for, made[2])

    def has_vector(self, entry: Entry) -> bool:
        """Whether the related state holds this very text's vector."""
        return self.digests.get(entry.slug) == entry.digest

    def related_for(
        self, archive: Archive, vectors: dict[str, bytes], limit: int
    ) -> dict[str, list[tuple[str, float]]]:
        """Related speeches, updated only where a speech's text or topics changed. `vectors`
        holds the speeches loaded afresh; the others' are the related state's."""
        import numpy as np

        from generator.render import related as related_mod

        entries = sorted(archive.entries, key=lambda entry: entry.slug)  # not the archive order:
        slugs = [entry.slug for entry in entries]  # an edited date or title moves no row
        topics = [tuple(entry.topics) for entry in entries]
        previous = self.related
        rows = {slug: row for row, slug in enumerate(previous.slugs)} if previous else {}
        if previous is not None and previous.slugs == slugs:  # the same speeches: copy, then
            raw = previous.raw.copy()  # replace the rows loaded afresh
            for slug, vector in vectors.items():
                raw[rows[slug]] = np.frombuffer(vector, dtype=np.float32)
        else:
            raw = np.empty((len(entries), related_mod.DIMENSIONS), dtype=np.float32)
            for row, slug in enumerate(slugs):
                data = vectors.get(slug)
                if data is not None:
                    raw[row] = np.frombuffer(data, dtype=np.float32)
                else:
                    assert previous is not None  # load_speeches loads anew what has_vector lacks
                    raw[row] = previous.raw[rows[slug]]
        self.related = related_mod.update(previous, slugs, topics, raw, limit)
        self.digests = {entry.slug: entry.digest for entry in entries}
        self.related_lists = _related_lists(self.related, previous, self.related_lists)
        return self.related_lists

    @classmethod
    def load(cls, folder: Path) -> BuildCache:
        cache = cls(folder)
        data = _read_pickle(folder / cls.MAIN)
        related = _read_pickle(folder / "related.pickle")
        if data is None or related is None:
            return cache
        cache.pages = data["pages"]
        cache.target = data.get("target", "")
        cache.group_slugs = data["group_slugs"]
        cache.packed = data.get("packed", (0, 0))
        cache.related = cache.related_saved = related["related"]
        cache.digests = related["digests"]
        present, whole = cache.bodies.packs(), {}
        for shard in range(SHARDS):
            entries = _read_pickle(folder / f"entries-{shard:02d}.pickle")
            if entries is not None:
                cache.entries.update(entries["entries"])
                cache.saved_shards[shard] = entries["entries"]
                listed = entries.get("packs")
                if isinstance(listed, list) and present.issuperset(listed):
                    whole.update(entries["entries"])  # (all its entries' bodies are there)
        cache.checked = (present, whole)  # checking each entry's three locators: 16 ms
        return cache

    def save(self, with_related: bool = True) -> None:
        """Save what changed. Without `with_related` the related state waits for the next save (it
        is large; until then the speeches edited since are only loaded again by a new process,
        as has_vector finds their vectors missing)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        if with_related and self.related is not self.related_saved:
            # Related first: an entry whose vector it lacks is loaded afresh (has_vector).
            related = {"version": CACHE_VERSION, "related": self.related, "digests": self.digests}
            _write_pickle(self.folder / "related.pickle", related)
            self.related_saved = self.related
        packs = sorted(self.bodies.packs())  # a shard's entries' bodies are in these
        shards: dict[int, dict[str, CachedEntry]] = {}
        for name, value in self.entries.items():
            shards.setdefault(zlib.crc32(name.encode()) % SHARDS, {})[name] = value
        for shard in range(SHARDS):
            entries, saved = shards.get(shard, {}), self.saved_shards.get(shard, {})
            if entries.keys() == saved.keys() and all(entries[k] is saved[k] for k in entries):
                continue  # one edit rewrites one shard, not the whole cache
            path = self.folder / f"entries-{shard:02d}.pickle"
            _write_pickle(path, {"version": CACHE_VERSION, "entries": entries, "packs": packs})
            self.saved_shards[shard] = entries
        data = {
            "version": CACHE_VERSION,
            "pages": self.pages,
            "group_slugs": self.group_slugs,
            "packed": self.packed,
            "target": self.target,
        }
        _write_pickle(self.folder / self.MAIN, data)
        self.bodies.close()

    def collect_garbage(self) -> dict[str, str]:
        """Drop bodies no speech uses any more (before save: moved bodies change entries);
        return the moved ones' locators, old → new. Skipped while no speech was removed and
        this build's packs hold less than an eighth of what the packs held after the last
        collection: only bodies this build replaced can have died, so garbage stays under an
        eighth of the cache, and an edit's build does not read every speech's locators (a
        tenth of a second at 10,000 speeches) to find that out."""
        _remove_old_formats(self.folder)
        sizes = self.bodies.sizes()
        fresh = sum(size for name, size in sizes.items() if name.startswith(self.bodies.session))
        if fresh * 8 < self.packed[0] and len(self.entries) >= self.packed[1]:
            return {}
        moved = self.bodies.collect(
            locator for value in self.entries.values() for locator in value[5].locators()
        )
        for name, value in list(self.entries.items()):
            info = value[5]
            if any(locator in moved for locator in info.locators()):
                info = dataclasses.replace(
                    info,
                    fragment=moved.get(info.fragment, info.fragment),
                    search_postings=moved.get(info.search_postings, info.search_postings),
                    search_fragment=moved.get(info.search_fragment, info.search_fragment),
                )
                self.entries[name] = (*value[:3], info.fragment, value[4], info, *value[6:])
        self.packed = (sum(self.bodies.sizes().values()), len(self.entries))
        return moved


def _related_lists(
    related: Related,
    previous: Related | None,
    lists: dict[str, list[tuple[str, float]]] | None,
) -> dict[str, list[tuple[str, float]]]:
    """`related.as_dict()`, reusing `lists` (`previous.as_dict()`) where a row is unchanged."""
    import numpy as np

    if related is previous and lists is not None:
        return lists
    if (
        previous is None
        or lists is None
        or previous.slugs != related.slugs
        or previous.columns.shape != related.columns.shape
    ):
        return related.as_dict()
    changed = np.flatnonzero(
        (related.columns != previous.columns).any(axis=1)
        | (related.scores != previous.scores).any(axis=1)
    )
    fresh = dict(lists)
    for row in changed.tolist():
        fresh[related.slugs[row]] = related.row(row)
    return fresh


def _remove_old_formats(folder: Path) -> None:
    """Delete the per-speech files of older versions (html/, search/), but not the search
    index's state (search/state.pickle), without which no build could carry the index over."""
    shutil.rmtree(folder / "html", ignore_errors=True)
    search = folder / search_cache.FOLDER
    for entry in os.scandir(search) if search.is_dir() else ():
        if entry.name == search_cache.STATE:
            continue
        if entry.is_dir(follow_symlinks=False):
            shutil.rmtree(entry.path, ignore_errors=True)
        else:
            os.unlink(entry.path)


def _write_pickle(path: Path, data: dict[str, Any]) -> None:
    """Save a cache file: the count and sizes of its parts, the pickle, then the arrays it
    holds, out of band, as they are in memory. Pickling copies an array into the pickle, and
    unpickling out of it again: the related state's 20 MB took 30 ms more of every edit's
    build. (A cache file, not user data: renamed into place, not fsynced.)"""
    buffers: list[pickle.PickleBuffer] = []
    parts: list[bytes | memoryview] = [
        pickle.dumps(data, protocol=5, buffer_callback=buffers.append)
    ]
    parts += [buffer.raw() for buffer in buffers]
    sizes = struct.pack(f"<{len(parts) + 1}Q", len(parts), *(len(part) for part in parts))
    atomic_write_bytes(path, [sizes, *parts], False)


def _read_pickle(path: Path) -> dict[str, Any] | None:
    """A cache file written by this very code (`_write_pickle`), else None: a damaged, foreign
    or older cache is only a slower build. Its arrays are the file's pages, mapped copy on
    write (a third of the time reading and copying the related state took). Cache files are
    replaced by rename, never written in place, so a mapped file never shrinks."""
    enabled = gc.isenabled()
    gc.disable()  # unpickling makes many objects: let the collector not scan them all, often
    try:
        with path.open("rb") as handle:
            content = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_COPY)
        view = memoryview(content)
        (count,) = struct.unpack_from("<Q", view)
        sizes = struct.unpack_from(f"<{count}Q", view, 8)
        at = 8 * (count + 1)
        if at + sum(sizes) != len(content):
            return None
        parts = []
        for size in sizes:
            parts.append(view[at : at + size])
            at += size
        data = pickle.loads(parts[0], buffers=parts[1:])
    except Exception:
        return None
    finally:
        if enabled:
            gc.enable()
    if not isinstance(data, dict) or data.get("version") != CACHE_VERSION:
        return None
    return data


def _load_one(
    args: tuple[str, tuple[str, str, str], DateFormats, BodyStore],
) -> tuple[Entry, BodyInfo, bytes] | UserError:
    """Parse one speech (by its path: a string is cheaper to send to a worker than a Path),
    store its rendered body and search data, and keep only what indexes need."""
    from generator.render.related import raw_vector
    from generator.search import extract as search_extract

    name, labels, dates, store = args
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
        body_info(store.write(body.html), body, entry.salutation, terms),
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
    shown = (date_display(entry.date, formats), date_display(entry.date), entry.date)
    dates = dict.fromkeys((*shown, *written_dates(entry.date))) if entry.date else {}
    details = (speaker, entry.occasion, entry.subtitle, *dates)
    return [text for text in details if text]


def written_dates(date: str) -> list[str]:
    """The other forms documents and readers write a date `YYYY-MM-DD` (or `YYYY-MM`) in:
    2023.05.12 and 2023.5.12, 2023/5/12 and 2023/05/12, 2023年05月12日 (probe 10: each found
    nothing; a number is found whole, so 2023.5.12 is not 2023.05.12). A year alone is
    written one way."""
    parts = date.split("-")
    if len(parts) < 2:
        return []
    short = [parts[0], *(str(int(p)) for p in parts[1:])]
    chinese = "".join(f"{p}{unit}" for p, unit in zip(parts, "年月日", strict=False))
    return [".".join(parts), ".".join(short), "/".join(short), "/".join(parts), chinese]


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
    label = "\n".join([*labels, repr(dates)])  # (what a cached body and its details used)
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
    results = _map(_load_one, [(p, labels, dates, cache.bodies) for p in todo], jobs)
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


def settings_digest(config: Config, urls: Urls, theme: Theme) -> str:
    """What every page depends on besides its own data."""
    return digest(
        [
            __version__,
            theme.digest,
            urls.base_url,
            config.title,
            config.description,
            config.language,
            config.content_language,
        ]
    )


# --- rendering ----------------------------------------------------------------------------

_STATE: dict[str, Any] = {}


def render_pages(
    pages: list[Page],
    theme: Theme,
    config: Config,
    urls: Urls,
    previous: dict[str, str],
    keys: dict[str, str],
    target: Path,
    staging: Path,
    jobs: int,
    progress: Progress | None,
    store: BodyStore,
    memory: Memory | None = None,
    bytecode: Path | None = None,
) -> tuple[dict[str, str], int]:
    """Render pages whose key changed (or whose file went missing) into `staging`; return
    every page's output hash and how many pages were rendered. `memory` keeps the compiled
    templates for the next build with the same theme and settings (compiling is the slow part
    of rendering a few pages), `bytecode` a folder that keeps them for the next process."""
    files: dict[str, str] = {}
    todo: list[int] = []
    gone: set[str] = set()  # recorded, but no longer in the output: staged whatever its bytes
    with presence(target) as exists:
        for index, page in enumerate(pages):
            known = previous.get(page.output)
            present = known is not None and exists(page.output)
            if known is not None and present and keys.get(page.output) == page.key:
                files[page.output] = known
            else:
                todo.append(index)
                if known is not None and not present:
                    gone.add(page.output)
    if gone:
        previous = {name: value for name, value in previous.items() if name not in gone}
    # List pages first: each takes several times a speech page's time, and in their place at
    # the end of the list they were the last chunks, one worker rendering them alone.
    todo.sort(key=lambda index: pages[index].kind == "speech")
    _STATE.update(
        pages=pages,
        theme=theme,
        config=config,
        urls=urls,
        previous=previous,
        staging=staging,
        store=store,
        bytecode=bytecode,
    )
    settings = settings_digest(config, urls, theme)  # all the compiled templates depend on
    if memory is not None and memory.environment and memory.environment[0] == settings:
        _STATE["env"] = memory.environment[1]
    try:
        for done, (output, file_hash) in enumerate(_render_all(todo, jobs), start=1):
            files[output] = file_hash
            if progress is not None and (done % 100 == 0 or done == len(todo)):
                progress("render", done, len(todo))
        if memory is not None and "env" in _STATE:  # compiled here, not in a worker
            memory.environment = (settings, _STATE["env"])
    finally:
        if "writer" in _STATE:
            _STATE["writer"].shutdown()
        _STATE.clear()
    return files, len(todo)


def _render_all(todo: list[int], jobs: int) -> Iterator[tuple[str, str]]:
    """Rendered (output, hash) pairs, chunk by chunk, so progress can be shown as they come."""
    size = max(50, len(todo) // (jobs * 16))  # (small chunks: the workers finish together)
    chunks = [todo[i : i + size] for i in range(0, len(todo), size)]
    if jobs <= 1 or len(todo) < PARALLEL_MIN:
        for chunk in chunks:
            yield from _render_chunk(chunk)
        return
    with fork_pool(jobs) as pool:
        for results in pool.map(_render_chunk, chunks):
            yield from results


def _render_chunk(indices: list[int]) -> list[tuple[str, str]]:
    pages: list[Page] = _STATE["pages"]
    if "env" not in _STATE:  # once per process: compiling templates is the slow part
        _STATE["env"] = _environment(
            _STATE["theme"], _STATE["config"], _STATE["urls"], _STATE["bytecode"]
        )
    env = _STATE["env"]
    if "writer" not in _STATE:
        _STATE["writer"] = ThreadPoolExecutor(WRITE_THREADS, thread_name_prefix="store")
    writer: ThreadPoolExecutor = _STATE["writer"]
    stored = []
    for index in indices:
        page = pages[index]
        data = _render(env, page)
        stored.append((page.output, writer.submit(_store, page.output, data)))
    return [(output, future.result()) for output, future in stored]


def _store(name: str, data: bytes) -> str:
    """Stage `data` unless the output already holds exactly these bytes; return its hash."""
    return stage(_STATE["staging"], _STATE["previous"], name, data)


def _environment(
    theme: Theme, config: Config, urls: Urls, bytecode: Path | None = None
) -> jinja2.Environment:
    env = theme.environment(bytecode)

    def found(name: str) -> Asset:
        asset = theme.assets.get(name)
        if asset is None:
            raise UserError(
                f"template asks for a static file that does not exist: {name}",
                theme.dirs[0] / "static",
            )
        return asset

    def asset(name: str) -> str:
        return urls.url(found(name).path)

    def asset_data(name: str) -> str:
        """The file itself as a data: URL. For the favicon: a browser fetches a linked icon
        only after the page's load, so a visit that leaves at once aborts that request, and
        a page with no icon link makes it ask for /favicon.ico, missing under a sub-path."""
        if name not in inlined:  # (made once a process: every page has the favicon)
            inlined[name] = data_url(found(name))
        return inlined[name]

    inlined: dict[str, str] = {}

    env.globals.update(
        site={
            "title": config.title,
            "description": config.description,
            "language": config.language,
            "base_url": urls.base_url,
            "base_path": urls.base_path,
        },
        t=theme.strings,
        url=urls.url,
        asset=asset,
        asset_data=asset_data,
        counted=lambda key, n: counted(theme.strings, key, n),
        content_lang=content_lang(config),
        generator=f"speechsite {__version__}",
    )
    return env


def content_lang(config: Config) -> Markup:
    """` lang="zh-CN"` for the elements holding speech text, where the site's own language is
    another (an English site of Chinese speeches: a screen reader then reads them with a
    Chinese voice, and the theme sets Chinese text as Chinese); else nothing."""
    site, content = (
        tag.split("-")[0].lower() for tag in (config.language, config.content_language)
    )
    return Markup("") if site == content else Markup(' lang="{}"').format(config.content_language)


def _nav(page: Page, urls: Urls, strings: dict[str, str]) -> list[dict[str, Any]]:
    items = [
        ("home", "", "home"),
        ("topics", "topics/", "topics"),
        ("archive", "archive/", "archive"),
        ("search", "search/", "search"),
    ]
    return [
        {
            "title": strings.get(key, key),
            "url": urls.url(path),
            "active": page.kind.startswith(kind) or (kind == "topics" and page.kind == "topic"),
        }
        for key, path, kind in items
    ]


def _render(env: jinja2.Environment, page: Page) -> bytes:
    import jinja2

    urls: Urls = _STATE["urls"]
    strings = _STATE["theme"].strings
    context = {**page.full_context()}
    if page.kind == "speech":
        speech = dict(context["speech"])
        speech["body_html"] = Markup(_STATE["store"].read(speech.pop("body_fragment")))
        context["speech"] = speech
    context |= {
        "page": {
            "kind": page.kind,
            "title": page.title,
            "description": page.description or _STATE["config"].description,
            "path": page.path,
            "canonical": urls.absolute(urls.url(page.path)) if page.kind != "404" else "",
            "feed_url": page.feed_url,
        },
        "nav": _nav(page, urls, strings),
    }
    try:
        template = env.get_template(page.template)
        return template.render(context).encode("utf-8")
    except jinja2.TemplateSyntaxError as exc:
        raise UserError(
            f"template error: {exc.message}",
            exc.filename or exc.name,
            exc.lineno,
            "fix the template syntax",
        ) from None
    except jinja2.TemplateNotFound as exc:
        asking, line = _template_frame(exc)  # the include, import or extends that named it
        if asking is None:
            raise UserError(
                f"template not found: {exc.name}",
                _STATE["theme"].dirs[0] / "templates",
                hint="a theme needs every page template or must inherit it from default",
            ) from None
        raise UserError(
            f"template not found: {exc.name}",
            asking,
            line,
            "check the name: templates are found in the theme's templates/ folder, then in"
            " the default theme's (default/… names the default's own)",
        ) from None
    except jinja2.UndefinedError as exc:
        path, line = _template_frame(exc)
        raise UserError(
            f"template error: {exc.message}",
            path,
            line,
            "see docs/theme-context.md for the variables a template can use",
        ) from None
    except UserError:
        raise
    except RecursionError as exc:  # {% extends "topics.html" %} in topics.html itself
        path, line = _template_frame(exc)
        raise UserError(
            "template error: the template extends or includes itself, over and over",
            path or page.template,
            line,
            f'to build on the stock template, write {{% extends "default/{page.template}" %}}',
        ) from None
    except Exception as exc:  # an expression that fails as it runs: {{ 1/0 }}, {{ n + "字" }}
        path, line = _template_frame(exc)
        if path is None:
            raise  # not the template's: a fault of ours, shown as one
        raise UserError(
            f"template error: {type(exc).__name__}: {exc}",
            path,
            line,
            "fix the expression on this line of the template",
        ) from None


def _template_frame(exc: BaseException) -> tuple[str | None, int | None]:
    """The template file and line where a render error happened, from the traceback."""
    tb = exc.__traceback__
    found: tuple[str | None, int | None] = (None, None)
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith((".html", ".xml")):
            found = (filename, tb.tb_lineno)
        tb = tb.tb_next
    return found


# --- feeds, sitemap, assets ---------------------------------------------------------------


def write_extras(
    pages: list[Page],
    builder: PageBuilder,
    config: Config,
    urls: Urls,
    theme: Theme,
    previous: dict[str, str],
    keys: dict[str, str],
    target: Path,
    staging: Path,
    static: Scan | None = None,
) -> tuple[dict[str, str], dict[str, str]]:
    """Assets, feeds, the sitemap, robots.txt and the static folder's files; return their
    hashes and their keys. Like pages, a file whose key (a digest of what it shows) is
    unchanged is not made again."""
    files: dict[str, str] = {}
    new_keys: dict[str, str] = {}

    def extra(name: str, key_data: Any, make: Callable[[], bytes]) -> None:
        key = digest([__version__, key_data])
        known = previous.get(name)
        present = known is not None and (target / name).exists()
        if known is not None and present and keys.get(name) == key:
            files[name] = known
        else:  # (a file gone from the output is staged even with its old bytes)
            files[name] = stage(staging, previous if present else {}, name, make())
        new_keys[name] = key

    for asset in theme.assets.values():
        extra(asset.path, asset.digest, lambda asset=asset: asset.data)  # type: ignore[misc]
    for name, feed in _feeds(builder, config, urls).items():
        extra(name, feed.keywords, lambda feed=feed: atom_feed(**feed.keywords))  # type: ignore[misc]
    paths = [p.path for p in pages if p.in_sitemap]  # the key: its URLs follow from these
    extra(
        "sitemap.xml",
        [urls.base_url, paths],
        lambda: sitemap([urls.absolute(urls.url(path)) for path in paths]),
    )
    robots_url = urls.absolute(urls.url("sitemap.xml"))
    extra("robots.txt", robots_url, lambda: robots(robots_url))
    made = {page.output for page in pages} | set(files)
    for name, stamp in (static or {}).items():
        assert config.static_dir is not None
        _check_static_name(config.static_dir, name, made)
        path = config.static_dir / name
        extra(name, ["static", stamp], lambda path=path: _read_static(path))  # type: ignore[misc]
    return files, new_keys


_BUILT_FOLDERS = ("assets/", "search/")  # what the build writes besides its pages and extras


def _check_static_name(folder: Path, name: str, made: set[str]) -> None:
    """A static file may not take the name of a file the build makes (a page, a feed, an
    asset): one of the two would be lost."""
    if name in made or name.startswith(_BUILT_FOLDERS) or name == MARKER:
        raise UserError(
            f"{name} would replace a file the build makes",
            folder / name,
            hint="rename or move it in the static folder (e.g. into images/ or files/)",
        )


def _read_static(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise UserError(f"cannot read it ({error.strerror})", path) from None


def search_docs(builder: PageBuilder) -> list[search_site.SearchDoc]:
    """Every speech as the search index sees it, in slug order (a speech's number): from each
    slug's (entry, body, summary) as the builder keeps them, one lookup a speech, not four."""
    known = builder.known
    shown = (known[slug] for slug in sorted(known))
    Doc = search_site.SearchDoc
    return [Doc(s, b.search_postings, b.search_fragment, e.digest) for e, b, s in shown]


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
    """The recorded files, less the search index's files gone from the output: each of the
    index's folders is listed once (a file's existence asked 20,000 times took longer)."""
    listed: dict[str, set[str]] = {}

    def there(name: str) -> bool:
        folder, _, base = name.rpartition("/")
        names = listed.get(folder)
        if names is None:
            try:
                names = listed[folder] = set(os.listdir(target / folder))
            except OSError:
                names = listed[folder] = set()
        return base in names

    return {n: v for n, v in previous.items() if not n.startswith("search/") or there(n)}


@dataclass
class _Feed:
    keywords: dict[str, Any]  # atom_feed's arguments: also what the feed shows


def _feeds(builder: PageBuilder, config: Config, urls: Urls) -> dict[str, _Feed]:
    def absolute(items: list[SpeechSummary]) -> list[SpeechSummary]:
        from dataclasses import replace

        return [replace(s, url=urls.absolute(s.url)) for s in items[:FEED_SIZE]]

    dated = [builder.summaries[entry.slug] for entry in builder.newest_first[:FEED_SIZE]]
    feeds = {
        "feed.xml": _Feed(
            {
                "title": config.title,
                "feed_url": urls.absolute(urls.url("feed.xml")),
                "site_url": urls.absolute(urls.url("")),
                "subtitle": config.description,
                "language": config.language,
                "items": absolute(dated),
                "generator": f"speechsite {__version__}",
            }
        )
    }
    for topic in config.topics:
        items = [builder.summaries[e.slug] for e in builder.by_topic[topic.name][:FEED_SIZE]]
        name = f"topics/{topic.slug}/feed.xml"
        feeds[name] = _Feed(
            {
                "title": f"{config.title} · {topic.name}",
                "feed_url": urls.absolute(urls.url(name)),
                "site_url": urls.absolute(urls.url(f"topics/{topic.slug}/")),
                "subtitle": topic.description,
                "language": config.language,
                "items": absolute(items),
                "generator": f"speechsite {__version__}",
            }
        )
    return feeds
