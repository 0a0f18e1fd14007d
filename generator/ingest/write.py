"""Writing speeches without ever destroying a hand edit.

`content/.ingest-manifest.json` records, per slug, the source it came from and the sha256 of the
Markdown that ingest wrote. A file whose bytes no longer match was edited by hand: it is left
alone (reported as skipped) unless `--force`, which first copies it to `content/.backups/`.
Topics an editor changed are carried over even then. Unchanged output is not rewritten, so
re-running ingest on unchanged sources changes no byte.
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any

from generator.config import is_language_tag
from generator.errors import UserError
from generator.fsutil import atomic_write_bytes, atomic_write_text
from generator.speech import Speech, read_front_matter

MANIFEST_NAME = ".ingest-manifest.json"
BACKUP_DIR = ".backups"


class Outcome(Enum):
    WRITTEN = "written"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    KEPT_EDIT = "kept hand edit"
    RENAMED = "kept: renamed by hand"
    SKIPPED_EDIT = "skipped: edited by hand"
    FORCED = "overwritten (backup kept)"
    SKIPPED_COPY = "skipped: a copy of another file"


@dataclass
class ManifestEntry:
    source: str
    output_sha256: str
    topics: list[str]
    source_sha256: str = ""
    parts: list[str] = field(default_factory=list)
    lang: str | None = None  # the language ingest found (speech.lang), to tell an editor's

    def saved(self) -> dict[str, object]:
        """As the manifest holds it: `lang` only where ingest found one, so a manifest of
        Chinese speeches reads as it did before speeches had one."""
        data = dict(vars(self))
        if data["lang"] is None:
            del data["lang"]
        return data


class Manifest:
    """What ingest wrote last time; lives beside content/speeches/."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.entries: dict[str, ManifestEntry] = {}
        self._by_source: dict[str, str] | None = None  # built on first use: O(1) slug lookups
        self._loaded_text = ""
        if path.exists():
            self._load()

    def _load(self) -> None:
        self._loaded_text = self.path.read_text(encoding="utf-8")
        try:
            data = json.loads(self._loaded_text)
            for slug, entry in data.get("speeches", {}).items():
                self.entries[slug] = ManifestEntry(**entry)
        except (ValueError, TypeError, AttributeError) as exc:
            raise UserError(
                f"ingest manifest is damaged: {exc}",
                self.path,
                hint="delete it to start afresh: speeches are then known by the source they name, "
                "and any that differ from what ingest would write are kept as hand edits",
            ) from None

    def slug_for_source(self, source: str) -> str | None:
        """The slug a source file was written to: as the speech's source, or one of its parts."""
        if self._by_source is None:
            entries = sorted(self.entries.items())
            self._by_source = {part: slug for slug, entry in entries for part in entry.parts}
            self._by_source.update((entry.source, slug) for slug, entry in entries)
        return self._by_source.get(source)

    def other_parts(self, source: str) -> list[str]:
        """The other recorded parts of the merged speech `source` is a part of (none when it
        is no part)."""
        slug = self.slug_for_source(source)
        entry = self.entries.get(slug) if slug else None
        return [part for part in entry.parts if part != source] if entry else []

    def slug_for_moved_source(self, source_sha256: str, root: Path) -> str | None:
        """The slug of a speech whose source file is gone from where it was and whose bytes
        this file has: the same file, renamed or moved (not a merged speech's part)."""
        for slug, entry in sorted(self.entries.items()):
            if (
                entry.source_sha256 == source_sha256
                and not entry.parts
                and not (root / entry.source).exists()
            ):
                return slug
        return None

    def save(self) -> None:
        data = {
            "version": 1,
            "speeches": {slug: self.entries[slug].saved() for slug in sorted(self.entries)},
        }
        text = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
        if text != self._loaded_text:
            atomic_write_text(self.path, text)
            self._loaded_text = text


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass
class WriteResult:
    outcome: Outcome
    path: Path
    backup: Path | None = None
    kept_topics: bool = False
    recreated: bool = False  # the file ingest wrote last time had been deleted


def write_speech(speech: Speech, directory: Path, manifest: Manifest, force: bool) -> WriteResult:
    """Write one speech's Markdown, honouring hand edits (see module docstring)."""
    path = directory / f"{speech.slug}.md"
    entry = manifest.entries.get(speech.slug)
    existing = path.read_bytes() if path.exists() else None
    if existing is None and entry is not None:
        renamed = renamed_speech(directory, speech.slug, entry.source)
        if renamed is not None:  # the editor renamed the file ingest wrote: it is theirs now
            return WriteResult(Outcome.RENAMED, renamed)
    edited = existing is not None and (
        entry is None or sha256_bytes(existing) != entry.output_sha256
    )
    computed_topics, computed_lang = list(speech.topics), speech.lang
    front = _front_matter(path) if existing is not None else None
    kept_topics = front is not None and _carry_editor_topics(speech, front, entry)
    if front is not None:
        _carry_editor_lang(speech, front, entry)
    data = speech.to_markdown().encode("utf-8")
    record = ManifestEntry(
        source=str(speech.source["path"]),
        output_sha256=sha256_bytes(data),
        topics=computed_topics,
        source_sha256=str(speech.source["sha256"]),
        parts=[str(p["path"]) for p in speech.source.get("parts", [])],
        lang=computed_lang,
    )
    if existing == data:
        manifest.entries[speech.slug] = record
        return WriteResult(Outcome.UNCHANGED, path, kept_topics=kept_topics)
    if edited and not force:
        unchanged_source = entry is not None and entry.source_sha256 == record.source_sha256
        outcome = Outcome.KEPT_EDIT if unchanged_source else Outcome.SKIPPED_EDIT
        return WriteResult(outcome, path)
    backup = _backup(path, existing) if edited and existing is not None else None
    atomic_write_bytes(path, data, durable=False)  # the pipeline flushes the batch once
    manifest.entries[speech.slug] = record
    if backup is not None:
        return WriteResult(Outcome.FORCED, path, backup, kept_topics)
    outcome = Outcome.WRITTEN if existing is None else Outcome.UPDATED
    recreated = existing is None and entry is not None
    return WriteResult(outcome, path, kept_topics=kept_topics, recreated=recreated)


def renamed_speech(directory: Path, slug: str, source: str) -> Path | None:
    """Another file of the folder whose front matter holds this slug, or names this source:
    the file ingest wrote, renamed by hand, its slug kept or changed (writing it again would
    give the build two speeches of one slug, or publish the speech twice). Asked only when a
    file ingest wrote has gone, so reading the folder's heads is rare."""
    wanted = f"\nslug: {slug}\n".encode()
    stem = Path(source).stem  # (in the head as YAML writes it: plain, quoted, or escaped)
    forms = {stem.encode(), stem.replace("'", "''").encode(), json.dumps(stem)[1:-1].encode()}
    for candidate in sorted(directory.glob("*.md")):
        with candidate.open("rb") as handle:
            head = handle.read(8192).replace(b"\r\n", b"\n")
        named = any(form in head for form in forms)
        if wanted in head or (named and names_source(candidate, [source])):
            return candidate
    return None


def names_source(path: Path, sources: list[str]) -> bool:
    """Whether the speech file's front matter names one of `sources` as its source (parsed:
    the writer quotes a path such as it's.txt, and an editor's tool may quote any)."""
    try:
        found = read_front_matter(path).get("source")
    except UserError:
        return False
    return isinstance(found, dict) and str(found.get("path")) in sources


def _front_matter(path: Path) -> dict[str, Any] | None:
    """The front matter of the speech file there, or None where it does not parse."""
    try:
        return read_front_matter(path)
    except UserError:
        return None


def _carry_editor_topics(
    speech: Speech, front: dict[str, Any], entry: ManifestEntry | None
) -> bool:
    """Keep a topics list an editor wrote: one that differs from what ingest last computed."""
    topics = front.get("topics")
    if not isinstance(topics, list) or not all(isinstance(t, str) for t in topics):
        return False
    if entry is not None and topics == entry.topics:
        return False
    if entry is None and topics == speech.topics:
        return False
    speech.topics = list(topics)
    return True


def _carry_editor_lang(speech: Speech, front: dict[str, Any], entry: ManifestEntry | None) -> None:
    """Keep a speech's language an editor set or removed: a `lang:` other than what ingest
    last found (a short English speech it could not tell, or a Chinese one it took for English).
    Rewritten with the found one, a forced ingest undid the editor's mark, and its page was read
    with the wrong voice again. (A value that is no language tag is not carried.)"""
    lang = front.get("lang")
    if lang is not None and not (isinstance(lang, str) and is_language_tag(lang)):
        return
    found_before = entry.lang if entry is not None else speech.lang
    if lang != found_before:
        speech.lang = lang


def _backup(path: Path, data: bytes) -> Path:
    stamp = time.strftime("%Y%m%d-%H%M%S")
    backup_dir = path.parent.parent / BACKUP_DIR
    target = backup_dir / f"{path.stem}.{stamp}.md"
    counter = 1
    while target.exists():
        counter += 1
        target = backup_dir / f"{path.stem}.{stamp}-{counter}.md"
    atomic_write_bytes(target, data)
    return target
