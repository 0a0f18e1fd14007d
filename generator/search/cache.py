"""The last search index's key, files and state (.speechsite-cache/search/state.json), so a
build in which no speech's text or details changed carries the index over without merging
anything, and one in which a few did updates only what they change (patch.py). Each speech's
own search data (postings, snippet text) is cached with its body (bodystore)."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path

from generator.config import Topic
from generator.fsutil import atomic_write_bytes
from generator.search.patch import IndexState
from generator.search.site import SearchDoc

FOLDER = "search"
STATE = "state.json"


def index_key(docs: Sequence[SearchDoc], topics: Sequence[Topic]) -> str:
    """A digest of everything the index shows: equal keys mean equal index files."""
    from generator.search import site

    hasher = hashlib.sha256(f"{site.FORMAT}|{_code_digest()}|{topics!r}".encode())
    for d in docs:
        hasher.update(f"{d.digest or d.postings}|{d.summary.key}\n".encode())
    return hasher.hexdigest()


@cache
def _code_digest() -> str:
    """Index files are only reusable for the code that wrote them."""
    from generator.search import extract, fold, index, site, varint

    hasher = hashlib.sha256()
    for module in (extract, fold, index, site, varint):
        if module.__file__:
            hasher.update(Path(module.__file__).read_bytes())
    return hasher.hexdigest()[:16]


def _read(cache_dir: Path) -> dict[str, object] | None:
    try:
        state = json.loads((cache_dir / FOLDER / STATE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return state if isinstance(state, dict) else None


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
    for name, file_hash in files.items():
        if previous.get(name) != file_hash or not (target / name).is_file():
            return None
    return {str(k): str(v) for k, v in files.items()}


def last_index(cache_dir: Path) -> tuple[IndexState, dict[str, str]] | None:
    """The state and files of the index the last build wrote, made by this very code."""
    state = _read(cache_dir)
    if state is None or state.get("code") != _code_digest():
        return None
    try:
        index = IndexState(**state["index"])  # type: ignore[arg-type]
        files = {str(k): str(v) for k, v in state["files"].items()}  # type: ignore[attr-defined]
    except (KeyError, TypeError, AttributeError):
        return None
    return index, files


def remember(cache_dir: Path, key: str, files: dict[str, str], index: IndexState) -> None:
    state = {
        "key": key,
        "code": _code_digest(),
        "files": dict(sorted(files.items())),
        "index": dataclasses.asdict(index),
    }
    # A cache file, not user data: renamed into place, not fsynced.
    atomic_write_bytes(cache_dir / FOLDER / STATE, json.dumps(state).encode(), durable=False)


def relocate(cache_dir: Path, moved: Mapping[str, str]) -> None:
    """The build cache moved these speeches' postings (old locator → new): the state follows,
    or the next update could not read what the index was built from."""
    state = _read(cache_dir)
    index = state.get("index") if state is not None else None
    if state is None or not isinstance(index, dict) or not moved:
        return
    postings = index.get("postings")
    if isinstance(postings, list) and any(loc in moved for loc in postings):
        index["postings"] = [moved.get(loc, loc) for loc in postings]
        atomic_write_bytes(cache_dir / FOLDER / STATE, json.dumps(state).encode(), durable=False)
