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
import os
import pickle
import shutil
import sys
import time
import zlib
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from markupsafe import Markup

from generator import __version__
from generator.archive import Archive, Entry, assemble, load_entry, speech_files
from generator.bodystore import BodyStore
from generator.config import Config
from generator.errors import UserError
from generator.fsutil import atomic_write_bytes, stage
from generator.render.feeds import FEED_SIZE, atom_feed, robots, sitemap
from generator.render.markdown import render_body
from generator.render.pages import BodyInfo, Page, PageBuilder, SpeechSummary, body_info, digest
from generator.render.theme import Theme
from generator.search import cache as search_cache
from generator.search import site as search_site
from generator.workers import fork_pool

if TYPE_CHECKING:  # imported where needed: a no-change build never pays for them
    import jinja2

    from generator.render.related import Related

MARKER = ".speechsite-build.json"
CACHE_DIR = ".speechsite-cache"


def _code_version() -> str:
    """Cached data is only valid for the code that made it: a digest of the modules whose
    output the cache holds, so a change to any of them (or an upgrade) starts afresh."""
    from generator import archive, bodystore, speech, yamlio
    from generator.render import markdown, pages

    hasher = hashlib.sha256(__version__.encode())
    related = Path(__file__).parent / "render" / "related.py"  # not imported: numpy is slow to
    hasher.update(related.read_bytes())  # import and a no-change build does not need it
    for name in ("extract.py", "fold.py"):  # each speech's search data, cached with it
        hasher.update((Path(__file__).parent / "search" / name).read_bytes())
    for module in (archive, bodystore, speech, yamlio, markdown, pages, sys.modules[__name__]):
        if module.__file__:
            hasher.update(Path(module.__file__).read_bytes())
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


@dataclass
class Urls:
    base_url: str

    def __post_init__(self) -> None:
        parts = urlsplit(self.base_url)
        self.base_path = parts.path if parts.path.endswith("/") else parts.path + "/"
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
    user's next build of site/ stays incremental."""
    started = time.perf_counter()
    cache_dir = cache_dir or config.root / CACHE_DIR
    target = (output or config.output).resolve()
    urls = Urls(base_url or config.base_url)
    result = BuildResult(target)
    guard_output(target, config.root.resolve())
    theme = Theme(config.root / "themes", config.theme, config.language, config.minify)
    jobs = jobs or os.cpu_count() or 1
    fingerprint = inputs_fingerprint(config, urls, theme, target)
    if _up_to_date(cache_dir, fingerprint, target, result):
        result.seconds = time.perf_counter() - started
        return result
    cache = BuildCache.load(cache_dir)
    gc.freeze()  # the cache's many objects live to the end: keep the collector off them, and
    # off the pages forked workers share, which it would otherwise copy by touching them
    clock = _Clock(result)

    entries, bodies, vectors = load_speeches(config, theme, cache, jobs)
    archive = assemble(entries, config.topics)
    gc.freeze()
    clock("load")
    related = cache.related_for(archive, vectors, config.related)
    clock("related")
    builder = PageBuilder(
        archive,
        bodies,
        urls.url,
        theme.strings,
        config.per_page,
        config.latest,
        related,
        urls.absolute,
        cache.group_slugs,
    )
    pages = builder.pages()
    settings = settings_digest(config, urls, theme)
    for page in pages:
        page.key = digest([settings, page.template, page.key_data])
    clock("plan")

    previous = read_marker(target)
    staging = _staging_dir(target)
    try:
        files, result.rendered = render_pages(
            pages,
            theme,
            config,
            urls,
            previous,
            cache.pages,
            target,
            staging,
            jobs,
            progress,
            cache.bodies,
        )
        extras, extra_keys = write_extras(
            pages, builder, config, urls, theme, previous, cache.pages, target, staging
        )
        files.update(extras)
        clock("render")
        files.update(write_search(builder, bodies, config, previous, staging, target, cache, jobs))
        clock("search")
        apply(staging, target, previous, files, result)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    cache.pages = {page.output: page.key for page in pages} | extra_keys
    cache.collect_garbage()
    cache.save()
    atomic_write_bytes(cache_dir / FINGERPRINT, fingerprint.encode())
    clock("write")
    result.pages = len(pages)
    result.seconds = time.perf_counter() - started
    gc.unfreeze()  # (a failed build leaves them frozen: they are still freed when unused)
    return result


FINGERPRINT = "inputs.sha256"


def inputs_fingerprint(config: Config, urls: Urls, theme: Theme, target: Path) -> str:
    """Everything a build reads, by name, size and mtime: equal means nothing to do."""
    hasher = hashlib.sha256(f"{CACHE_VERSION}|{urls.base_url}|{target}|{theme.digest}".encode())
    if config.source is not None:
        hasher.update(config.source.read_bytes())
    hasher.update(repr(config.topics).encode())  # built-in topics live outside site.yaml
    for entry in (
        sorted(os.scandir(config.speeches_dir), key=lambda e: e.name)
        if config.speeches_dir.is_dir()
        else []
    ):
        if entry.name.endswith(".md") and not entry.name.startswith("."):
            stat = entry.stat()
            hasher.update(f"{entry.name}|{stat.st_size}|{stat.st_mtime_ns}\n".encode())
    return hasher.hexdigest()


def _up_to_date(cache_dir: Path, fingerprint: str, target: Path, result: BuildResult) -> bool:
    """True when the inputs are those of the last build and its output is all still there."""
    recorded = cache_dir / FINGERPRINT
    if not recorded.exists() or recorded.read_text(encoding="utf-8") != fingerprint:
        return False
    files = read_marker(target)
    if not files or not all((target / name).is_file() for name in files):
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


def guard_output(target: Path, root: Path) -> None:
    """Refuse to build into a folder speechsite did not create, or over the project itself."""
    if target == root or root.is_relative_to(target):
        raise UserError(
            "the output folder would contain the project itself",
            target,
            hint="choose an output such as site/",
        )
    if target.exists() and not target.is_dir():
        raise UserError("the output path is a file, not a folder", target)
    if target.is_dir() and any(target.iterdir()) and not (target / MARKER).exists():
        raise UserError(
            "refusing to replace a folder speechsite did not create",
            target,
            hint="empty it, or choose another --output",
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


def _staging_dir(target: Path) -> Path:
    staging = target.parent / f".{target.name}.staging-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    return staging


def apply(
    staging: Path,
    target: Path,
    previous: dict[str, str],
    files: dict[str, str],
    result: BuildResult,
) -> None:
    """Move staged files into the output; delete files of the previous build that are gone."""
    if not target.exists():
        # A first build: the staging folder becomes the output in one rename.
        result.written = sum(1 for name in files if (staging / name).exists())
        _write_marker(staging, files)
        staging.rename(target)
        return
    target.mkdir(parents=True, exist_ok=True)
    staged = sorted(_walk(staging))  # only what changed was staged
    for name in staged:
        destination = target / name
        destination.parent.mkdir(parents=True, exist_ok=True)
        os.replace(staging / name, destination)
    result.written = len(staged)
    result.unchanged = len(files) - len(staged)
    for name in sorted(set(previous) - set(files)):
        stale = (target / name).resolve()
        if stale.is_relative_to(target) and stale.is_file():
            stale.unlink()
            result.removed += 1
            _prune_empty_dirs(stale.parent, target)
    _write_marker(target, files)


def _walk(folder: Path) -> Iterator[str]:
    """Every file under `folder`, as a path relative to it with '/' separators."""
    for directory, _, names in os.walk(folder):
        relative = os.path.relpath(directory, folder)
        for name in names:
            yield name if relative == "." else f"{relative.replace(os.sep, '/')}/{name}"


def _write_marker(folder: Path, files: dict[str, str]) -> None:
    marker = {"generator": f"speechsite {__version__}", "files": dict(sorted(files.items()))}
    atomic_write_bytes(
        folder / MARKER, (json.dumps(marker, ensure_ascii=False, indent=0) + "\n").encode()
    )


def _prune_empty_dirs(directory: Path, root: Path) -> None:
    while directory != root and directory.is_relative_to(root) and not any(directory.iterdir()):
        directory.rmdir()
        directory = directory.parent


# --- loading ------------------------------------------------------------------------------


CachedEntry = tuple[int, int, str, str, Entry, BodyInfo]  # mtime_ns, size, labels, body, …
SHARDS = 32  # the entries are saved in this many files, by a hash of the speech's path


@dataclass
class BuildCache:
    """What the last build computed, kept in .speechsite-cache/ at the project root: each
    speech's metadata and summary (the HTML of its body lives in bodies/, see bodystore.py),
    each page's key, and the related speeches with each speech's text vector."""

    folder: Path
    entries: dict[str, CachedEntry] = field(default_factory=dict)
    pages: dict[str, str] = field(default_factory=dict)
    group_slugs: dict[str, str] = field(default_factory=dict)

    related: Related | None = None
    related_saved: Related | None = None  # as loaded: save only what changed
    digests: dict[str, str] = field(default_factory=dict)  # slug → digest of related's text
    saved_shards: dict[int, dict[str, CachedEntry]] = field(default_factory=dict)  # as on disk

    @cached_property
    def bodies(self) -> BodyStore:
        return BodyStore(self.folder / "bodies")

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
        return self.related.as_dict()

    @classmethod
    def load(cls, folder: Path) -> BuildCache:
        cache = cls(folder)
        data = _read_pickle(folder / "build.pickle")
        related = _read_pickle(folder / "related.pickle")
        if data is None or related is None:
            return cache
        cache.pages = data["pages"]
        cache.group_slugs = data["group_slugs"]
        cache.related = cache.related_saved = related["related"]
        cache.digests = related["digests"]
        for shard in range(SHARDS):
            entries = _read_pickle(folder / f"entries-{shard:02d}.pickle")
            if entries is not None:
                cache.entries.update(entries["entries"])
                cache.saved_shards[shard] = entries["entries"]
        return cache

    def save(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        if self.related is not self.related_saved:
            # Related first: an entry whose vector it lacks is loaded afresh (has_vector).
            related = {"version": CACHE_VERSION, "related": self.related, "digests": self.digests}
            atomic_write_bytes(
                self.folder / "related.pickle", pickle.dumps(related, protocol=5), False
            )
            self.related_saved = self.related
        shards: dict[int, dict[str, CachedEntry]] = {}
        for name, value in self.entries.items():
            shards.setdefault(zlib.crc32(name.encode()) % SHARDS, {})[name] = value
        for shard in range(SHARDS):
            entries, saved = shards.get(shard, {}), self.saved_shards.get(shard, {})
            if entries.keys() == saved.keys() and all(entries[k] is saved[k] for k in entries):
                continue  # one edit rewrites one shard, not the whole cache
            path = self.folder / f"entries-{shard:02d}.pickle"
            data = {"version": CACHE_VERSION, "entries": entries}
            atomic_write_bytes(path, pickle.dumps(data, protocol=5), False)
            self.saved_shards[shard] = entries
        data = {"version": CACHE_VERSION, "pages": self.pages, "group_slugs": self.group_slugs}
        atomic_write_bytes(self.folder / "build.pickle", pickle.dumps(data, protocol=5), False)
        self.bodies.close()

    def collect_garbage(self) -> None:
        """Drop bodies no speech uses any more (before save: moved bodies change entries)."""
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
                self.entries[name] = (*value[:3], info.fragment, value[4], info)
        for old in ("html", "search"):  # per-speech files of older versions
            shutil.rmtree(self.folder / old, ignore_errors=True)


def _read_pickle(path: Path) -> dict[str, Any] | None:
    """A cache file written by this very code, else None: a damaged, foreign or older cache is
    only a slower build."""
    enabled = gc.isenabled()
    gc.disable()  # unpickling makes many objects: let the collector not scan them all, often
    try:
        with path.open("rb") as handle:
            data = pickle.load(handle)
    except Exception:
        return None
    finally:
        if enabled:
            gc.enable()
    if not isinstance(data, dict) or data.get("version") != CACHE_VERSION:
        return None
    return data


def _load_one(args: tuple[Path, str, str, BodyStore]) -> tuple[Entry, BodyInfo, bytes] | UserError:
    """Parse one speech, store its rendered body and search data, and keep only what indexes
    need."""
    from generator.render.related import raw_vector
    from generator.search import extract as search_extract

    path, anchor_label, placeholder_title, store = args
    try:
        entry = load_entry(path)
    except UserError as err:
        return err
    body = render_body(entry.body, anchor_label, placeholder_title)
    terms = {topic: entry.topic_terms.get(topic, []) for topic in entry.topics}
    info = dataclasses.replace(
        body_info(store.write(body.html), body, entry.salutation, terms),
        search_postings=store.write_bytes(
            search_extract.postings(entry.title, body.blocks).to_bytes()
        ),
        search_fragment=store.write_bytes(search_extract.fragment_body(entry.title, body.blocks)),
    )
    vector = raw_vector(body.text).tobytes()
    entry.body = ""  # the fragment holds it now
    return entry, info, vector


def load_speeches(
    config: Config, theme: Theme, cache: BuildCache, jobs: int
) -> tuple[list[Entry], dict[str, BodyInfo], dict[str, bytes]]:
    """Parse every speech file, reusing cached results for files whose stat matches."""
    anchor = theme.strings.get("anchor_label", "链接到本节")
    placeholder = theme.strings.get("placeholder_title", "匿名化占位符")
    label = f"{anchor}\n{placeholder}"
    fresh: dict[str, CachedEntry] = {}
    entries: list[Entry] = []
    bodies: dict[str, BodyInfo] = {}
    todo: list[Path] = []
    packs = cache.bodies.packs()
    for path in speech_files(config.speeches_dir):
        name = str(path)
        stat = os.stat(name)
        cached = cache.entries.get(name)
        if (
            cached
            and cached[:3] == (stat.st_mtime_ns, stat.st_size, label)
            and all(loc.rsplit(":", 2)[0] in packs for loc in cached[5].locators())
        ):
            entry, info = cached[4], cached[5]
            if cache.has_vector(entry):
                fresh[name] = cached
                entries.append(entry)
                bodies[entry.slug] = info
                continue
        todo.append(path)
    cache.bodies.folder.mkdir(parents=True, exist_ok=True)
    results = _map(_load_one, [(p, anchor, placeholder, cache.bodies) for p in todo], jobs)
    errors = [r for r in results if isinstance(r, UserError)]
    if errors:
        raise errors[0]
    vectors: dict[str, bytes] = {}
    for path, loaded in zip(todo, results, strict=True):
        stat = path.stat()
        entry, info, vector = loaded
        fresh[str(path)] = (stat.st_mtime_ns, stat.st_size, label, info.fragment, entry, info)
        entries.append(entry)
        bodies[entry.slug] = info
        vectors[entry.slug] = vector
    cache.entries = fresh
    return entries, bodies, vectors


def _map(function: Callable[[Any], Any], items: list[Any], jobs: int) -> list[Any]:
    if jobs <= 1 or len(items) < PARALLEL_MIN:
        return [function(item) for item in items]
    with fork_pool(jobs) as pool:
        return list(pool.map(function, items, chunksize=max(1, len(items) // (jobs * 8))))


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
) -> tuple[dict[str, str], int]:
    """Render pages whose key changed (or whose file went missing) into `staging`; return
    every page's output hash and how many pages were rendered."""
    files: dict[str, str] = {}
    todo: list[int] = []
    root = f"{target}{os.sep}"
    for index, page in enumerate(pages):
        known = previous.get(page.output)
        if known and keys.get(page.output) == page.key and os.path.exists(root + page.output):
            files[page.output] = known
        else:
            todo.append(index)
    _STATE.update(
        pages=pages,
        theme=theme,
        config=config,
        urls=urls,
        previous=previous,
        staging=staging,
        store=store,
    )
    try:
        for done, (output, file_hash) in enumerate(_render_all(todo, jobs), start=1):
            files[output] = file_hash
            if progress is not None and (done % 100 == 0 or done == len(todo)):
                progress("render", done, len(todo))
    finally:
        if "writer" in _STATE:
            _STATE["writer"].shutdown()
        _STATE.clear()
    return files, len(todo)


def _render_all(todo: list[int], jobs: int) -> Iterator[tuple[str, str]]:
    """Rendered (output, hash) pairs, chunk by chunk, so progress can be shown as they come."""
    size = max(50, len(todo) // (jobs * 8))
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
        _STATE["env"] = _environment(_STATE["theme"], _STATE["config"], _STATE["urls"])
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


def _environment(theme: Theme, config: Config, urls: Urls) -> jinja2.Environment:
    env = theme.environment()

    def asset(name: str) -> str:
        found = theme.assets.get(name)
        if found is None:
            raise UserError(
                f"template asks for a static file that does not exist: {name}",
                theme.dirs[0] / "static",
            )
        return urls.url(found.path)

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
        generator=f"speechsite {__version__}",
    )
    return env


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
        raise UserError(
            f"template not found: {exc.name}",
            _STATE["theme"].dirs[0] / "templates",
            hint="a theme needs every page template or must inherit it from default",
        ) from None
    except jinja2.UndefinedError as exc:
        path, line = _template_frame(exc)
        raise UserError(
            f"template error: {exc.message}",
            path,
            line,
            "see docs/theme-context.md for the variables a template can use",
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
) -> tuple[dict[str, str], dict[str, str]]:
    """Assets, feeds, the sitemap and robots.txt; return their hashes and their keys. Like
    pages, a file whose key (a digest of what it shows) is unchanged is not made again."""
    _STATE.update(previous=previous, staging=staging)
    files: dict[str, str] = {}
    new_keys: dict[str, str] = {}

    def extra(name: str, key_data: Any, make: Callable[[], bytes]) -> None:
        key = digest([__version__, key_data])
        known = previous.get(name)
        if known and keys.get(name) == key and (target / name).exists():
            files[name] = known
        else:
            files[name] = _store(name, make())
        new_keys[name] = key

    try:
        for asset in theme.assets.values():
            extra(asset.path, asset.digest, lambda asset=asset: asset.data)  # type: ignore[misc]
        for name, feed in _feeds(builder, config, urls).items():
            extra(name, feed.keywords, lambda feed=feed: atom_feed(**feed.keywords))  # type: ignore[misc]
        locations = [urls.absolute(urls.url(p.path)) for p in pages if p.in_sitemap]
        extra("sitemap.xml", locations, lambda: sitemap(locations))
        robots_url = urls.absolute(urls.url("sitemap.xml"))
        extra("robots.txt", robots_url, lambda: robots(robots_url))
    finally:
        _STATE.clear()
    return files, new_keys


def write_search(
    builder: PageBuilder,
    bodies: dict[str, BodyInfo],
    config: Config,
    previous: dict[str, str],
    staging: Path,
    target: Path,
    cache: BuildCache,
    jobs: int = 1,
) -> dict[str, str]:
    """The search index: rebuilt when a speech's text or summary changed, else carried over."""
    entries = builder.archive.by_slug()
    docs = [
        search_site.SearchDoc(
            builder.summaries[slug],
            bodies[slug].search_postings,
            bodies[slug].search_fragment,
            entries[slug].digest,
        )
        for slug in sorted(builder.summaries)
    ]
    key = search_cache.index_key(docs, config.topics)
    carried = search_cache.carry_over(cache.folder, key, previous, target)
    if carried is not None:
        return carried
    files = search_site.write_index(docs, config.topics, cache.bodies, staging, previous, jobs)
    search_cache.remember(cache.folder, key, files)
    return files


@dataclass
class _Feed:
    keywords: dict[str, Any]  # atom_feed's arguments: also what the feed shows


def _feeds(builder: PageBuilder, config: Config, urls: Urls) -> dict[str, _Feed]:
    def absolute(items: list[SpeechSummary]) -> list[SpeechSummary]:
        from dataclasses import replace

        return [replace(s, url=urls.absolute(s.url)) for s in items[:FEED_SIZE]]

    dated = sorted(builder.summaries.values(), key=lambda s: (s.date or "", s.slug), reverse=True)
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
        items = [s for s in dated if any(t.name == topic.name for t in s.topics)]
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
