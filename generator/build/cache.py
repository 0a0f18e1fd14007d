"""The build cache in .speechsite-cache/: each speech's entry and summary, the page keys, the
related state, saved in shards so an edit rewrites little; valid only for the code that wrote
it (CACHE_VERSION).
"""

from __future__ import annotations

import dataclasses
import gc
import hashlib
import mmap
import os
import pickle
import shutil
import struct
import zlib
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from generator import __version__
from generator.archive import Archive, Entry
from generator.bodystore import BodyStore
from generator.fsutil import atomic_write_bytes
from generator.lock import LOCK_NAME
from generator.render.pages import BodyInfo, SpeechSummary
from generator.search import cache as search_cache

if TYPE_CHECKING:  # imported where needed: a no-change build never pays for them
    from generator.render.related import Related


CACHE_DIR = ".speechsite-cache"


def _code_version() -> str:
    """Cached data is only valid for the code that made it: a digest of every module whose
    work the cache holds or a page shows (the package's own modules, its build/, render/ and
    search/ ones), so a change to any of them (or an upgrade) starts afresh. (Hashing named modules
    missed render/chart.py: a fixed chart stayed on every site built before the fix.)"""
    import isal

    package = Path(__file__).parent.parent
    hasher = hashlib.sha256(__version__.encode())
    hasher.update(isal.__version__.encode())  # its deflate writes the cached fragments' bytes
    for folder in (package, package / "build", package / "render", package / "search"):
        for path in sorted(folder.glob("*.py")):  # (read, not imported: numpy is slow to
            hasher.update(path.name.encode())  # import, and a no-change build needs none)
            hasher.update(path.read_bytes())
    return hasher.hexdigest()[:16]


CACHE_VERSION = _code_version()


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


FINGERPRINT = "inputs.sha256"


MOVING = "moving"  # in the cache folder while a build moves files into the output, to its end


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
    # What the page keys were made with: the pages' settings (render.settings_digest) and the
    # speeches in archive order (a speech page's neighbours); with `related_changed`, the
    # speeches whose related list the last related_for changed (None: any may have), this
    # tells which speech pages show what they showed (pages.LastPages)
    settings: str = ""
    order: list[str] = field(default_factory=list)
    related_changed: set[str] | None = None

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
        changed = _changed_rows(self.related, previous)
        self.related_changed = None if changed is None else {slugs[row] for row in changed}
        self.related_lists = _related_lists(self.related, previous, self.related_lists, changed)
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
        cache.settings, cache.order = data.get("settings", ""), data.get("order", [])
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
            "settings": self.settings,
            "order": self.order,
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
    changed: list[int] | None,
) -> dict[str, list[tuple[str, float]]]:
    """`related.as_dict()`, reusing `lists` (`previous.as_dict()`) but for the `changed` rows."""
    if related is previous and lists is not None:
        return lists
    if lists is None or changed is None:
        return related.as_dict()
    fresh = dict(lists)
    for row in changed:
        fresh[related.slugs[row]] = related.row(row)
    return fresh


def _changed_rows(related: Related, previous: Related | None) -> list[int] | None:
    """The rows whose related list differs from `previous`'s, or None where the two do not
    have the same rows (other speeches, another limit)."""
    import numpy as np

    if related is previous:
        return []
    if (
        previous is None
        or previous.slugs != related.slugs
        or previous.columns.shape != related.columns.shape
    ):
        return None
    changed = np.flatnonzero(
        (related.columns != previous.columns).any(axis=1)
        | (related.scores != previous.scores).any(axis=1)
    )
    return changed.tolist()


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
