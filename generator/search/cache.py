"""Search data in the build cache (.speechsite-cache/search/): per speech, its postings and its
fragment text, written once by the load step; and the last index's key and files, so a build in
which no speech's text or details changed carries the index over without merging anything."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Sequence
from pathlib import Path

from generator.config import Topic
from generator.render.pages import SpeechSummary
from generator.search.extract import Block, fragment_body, postings
from generator.search.site import SearchDoc

FOLDER = "search"
STATE = "state.json"


def _extract_version() -> str:
    """Per-speech search data is only valid for the code that made it."""
    from generator.search import extract, fold

    hasher = hashlib.sha256()
    for module in (extract, fold):
        if module.__file__:
            hasher.update(Path(module.__file__).read_bytes())
    return hasher.hexdigest()[:8]


EXTRACT_VERSION = _extract_version()


def paths(html_fragment: Path) -> tuple[Path, Path]:
    """Where a speech's postings and fragment text live, beside its cached body HTML."""
    folder = html_fragment.parent.parent / FOLDER
    stem = f"{html_fragment.stem}.{EXTRACT_VERSION}"
    return folder / f"{stem}.post", folder / f"{stem}.frag"


def present(html_fragment: Path) -> bool:
    return all(path.exists() for path in paths(html_fragment))


def extract(title: str, blocks: Sequence[Block], where: tuple[Path, Path]) -> None:
    """Write a speech's search data unless the cache has it (its name is a content digest)."""
    post, frag = where
    if post.exists() and frag.exists():
        return
    post.parent.mkdir(parents=True, exist_ok=True)
    for path, data in (
        (post, postings(title, blocks).to_bytes()),
        (frag, fragment_body(title, blocks)),
    ):
        temporary = path.with_suffix(f"{path.suffix}.{os.getpid()}.tmp")
        temporary.write_bytes(data)
        os.replace(temporary, path)


def doc(summary: SpeechSummary, html_fragment: Path) -> SearchDoc:
    post, frag = paths(html_fragment)
    return SearchDoc(summary, post, frag)


def _key(docs: Sequence[SearchDoc], topics: Sequence[Topic]) -> str:
    from generator.search import site

    hasher = hashlib.sha256(f"{site.FORMAT}|{_code_digest()}|{topics!r}".encode())
    for d in docs:
        hasher.update(f"{d.postings.name}|{d.summary.key}\n".encode())
    return hasher.hexdigest()


def _code_digest() -> str:
    """Index files are only reusable for the code that wrote them."""
    from generator.search import extract, fold, index, site, varint

    hasher = hashlib.sha256()
    for module in (extract, fold, index, site, varint):
        if module.__file__:
            hasher.update(Path(module.__file__).read_bytes())
    return hasher.hexdigest()[:16]


def carry_over(
    cache_dir: Path,
    docs: Sequence[SearchDoc],
    topics: Sequence[Topic],
    previous: dict[str, str],
    target: Path,
) -> dict[str, str] | None:
    """The previous build's index files, when they are still right and still in the output."""
    try:
        state = json.loads((cache_dir / FOLDER / STATE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(state, dict) or state.get("key") != _key(docs, topics):
        return None
    files = state.get("files")
    if not isinstance(files, dict):
        return None
    for name, file_hash in files.items():
        if previous.get(name) != file_hash or not (target / name).is_file():
            return None
    return {str(k): str(v) for k, v in files.items()}


def remember(
    cache_dir: Path, docs: Sequence[SearchDoc], topics: Sequence[Topic], files: dict[str, str]
) -> None:
    folder = cache_dir / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    state = {"key": _key(docs, topics), "files": dict(sorted(files.items()))}
    temporary = folder / f"{STATE}.{os.getpid()}.tmp"
    temporary.write_text(json.dumps(state), encoding="utf-8")
    os.replace(temporary, folder / STATE)


def collect_garbage(cache_dir: Path, used: set[str]) -> None:
    """Delete search data of speeches no longer in the archive (`used`: their stems)."""
    folder = cache_dir / FOLDER
    if not folder.is_dir():
        return
    for path in folder.iterdir():
        name, _, version = path.stem.partition(".")
        if path.suffix in (".post", ".frag") and (name not in used or version != EXTRACT_VERSION):
            path.unlink(missing_ok=True)
