"""The last search index's key, files and state (.speechsite-cache/search/state.pickle), so a
build in which no speech's text or details changed carries the index over without merging
anything, and one in which a few did updates only what they change (patch.py). Each speech's
own search data (postings, snippet text) is cached with its body (bodystore)."""

from __future__ import annotations

import dataclasses
import hashlib
import os
import pickle
from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from generator.config import Topic
from generator.fsutil import atomic_write_bytes, missing
from generator.search.state import IndexState

if TYPE_CHECKING:  # (site.py imports numpy, which a build with no change never needs)
    from generator.search.site import SearchDoc

FOLDER = "search"
STATE = "state.pickle"


def index_key(docs: Sequence[SearchDoc], topics: Sequence[Topic], postings_version: str) -> str:
    """A digest of everything the index shows: equal keys mean equal index files.
    `postings_version`: the version of the code that made the cached postings (see
    `_code_digest`)."""
    from generator.search import site

    code = _code_digest(postings_version)
    hasher = hashlib.sha256(f"{site.FORMAT}|{code}|{topics!r}".encode())
    for d in docs:
        hasher.update(f"{d.digest or d.postings}|{d.summary.key}\n".encode())
    return hasher.hexdigest()


@cache
def _code_digest(postings_version: str) -> str:
    """Index files are only reusable for the code that wrote them, and for the code that made
    the cached postings they were merged from: the build cache's version (which the build
    passes in) covers the Markdown renderer whose blocks the postings index, and a new version
    re-extracts every speech's postings to new places, which an update must read the old ones
    from."""
    from generator.search import bucket, extract, fold, index, patch, site, varint

    hasher = hashlib.sha256(postings_version.encode())
    for module in (bucket, extract, fold, index, patch, site, varint):
        if module.__file__:
            hasher.update(Path(module.__file__).read_bytes())
    return hasher.hexdigest()[:16]


_LAST_READ: dict[Path, tuple[tuple[int, int, int], dict[str, object]]] = {}


def _read(cache_dir: Path) -> dict[str, object] | None:
    """The state as the last build saved it; None if missing or damaged (a full merge). A build
    asks twice (carry_over, then last_index): the second time, while the file is the very one
    read (every write makes a new file: a new inode), it is not unpickled again (10 ms at
    10,000 speeches)."""
    path = cache_dir / FOLDER / STATE
    try:
        with path.open("rb") as handle:
            stat = os.fstat(handle.fileno())
            stamp = (stat.st_ino, stat.st_size, stat.st_mtime_ns)
            last = _LAST_READ.get(path)
            if last is not None and last[0] == stamp:
                return last[1]
            state = pickle.loads(handle.read())
    except Exception:
        return None
    if not isinstance(state, dict):
        return None
    _LAST_READ.clear()  # (one state kept: the latest)
    _LAST_READ[path] = (stamp, state)
    return state


def _write(cache_dir: Path, state: dict[str, object]) -> None:
    # A cache file, not user data: renamed into place, not fsynced. Pickled: 10,000 speeches'
    # state as JSON took a twentieth of a second to write, each build.
    atomic_write_bytes(cache_dir / FOLDER / STATE, pickle.dumps(state, protocol=5), False)


def carry_over(
    cache_dir: Path, key: str, previous: dict[str, str], target: Path
) -> dict[str, str] | None:
    """The previous build's index files, when they are still right and still in the output."""
    state = _read(cache_dir)
    if state is None or state.get("key") != key:
        return None
    files = state.get("files")
    if not isinstance(files, dict):
        return None
    if not files.items() <= previous.items() or missing(target, files):  # (set tests)
        return None
    return {str(k): str(v) for k, v in files.items()}


def last_index(cache_dir: Path, postings_version: str) -> tuple[IndexState, dict[str, str]] | None:
    """The state and files of the index the last build wrote, made by this very code."""
    state = _read(cache_dir)
    if state is None or state.get("code") != _code_digest(postings_version):
        return None
    index, files = state.get("index"), state.get("files")
    if not isinstance(index, IndexState) or not isinstance(files, dict):
        return None
    return index, files


def remember(
    cache_dir: Path, key: str, files: dict[str, str], index: IndexState, postings_version: str
) -> None:
    code = _code_digest(postings_version)
    _write(cache_dir, {"key": key, "code": code, "files": files, "index": index})


def relocate(cache_dir: Path, moved: Mapping[str, str]) -> None:
    """The build cache moved these speeches' postings (old locator → new): the state follows,
    or the next update could not read what the index was built from."""
    state = _read(cache_dir) if moved else None
    index = state.get("index") if state is not None else None
    if state is None or not isinstance(index, IndexState):
        return
    if any(locator in moved for locator in index.locators):
        locators = [moved.get(locator, locator) for locator in index.locators]
        _write(cache_dir, state | {"index": dataclasses.replace(index, locators=locators)})
