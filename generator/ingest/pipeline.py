"""Ingest orchestration: files → `Speech` values → Markdown files, one result per input.

Pure with respect to output: nothing here prints. The CLI renders the `IngestReport`.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from generator.config import Config
from generator.errors import UserError
from generator.fsutil import flush_to_disk
from generator.ingest.clean import Line, Removed, clean_lines
from generator.ingest.decode import (
    MARKDOWN_SUFFIXES,
    SUPPORTED,
    SourceLine,
    SourceText,
    read_source,
)
from generator.ingest.language import speech_language
from generator.ingest.meta import FRAME_KIND_PREFIX, FRAME_KINDS, Meta, read_meta
from generator.ingest.notes import (
    clean_note,
    lift_marks,
    number_notes,
    place_marks,
    unreferenced_note,
)
from generator.ingest.outline import (
    OutlineWarning,
    Paragraph,
    build_outline,
    check_declared,
    find_declared_points,
)
from generator.ingest.pagemarks import PARTS_OF_THREE
from generator.ingest.slug import slugify, truncate
from generator.ingest.topics import score_topics
from generator.ingest.write import MANIFEST_NAME, Manifest, Outcome, names_source, write_speech
from generator.speech import Speech, without_note_marks

READS = "speechsite reads .txt, .md, .docx, .doc, .wps, .odt, .rtf, .pdf, .html and .mht"


@dataclass
class Prepared:
    """One source file read, cleaned and split into metadata and body."""

    path: Path
    rel: str
    source: SourceText
    meta: Meta
    removed: list[Removed]
    notes: list[str] = field(default_factory=list)  # a Word file's notes: [^n] in the body


@dataclass
class FileResult:
    paths: list[str]
    encoding: str = ""
    title: str = ""
    slug: str = ""
    outline_items: int = 0
    warnings: list[str] = field(default_factory=list)
    removed: list[Removed] = field(default_factory=list)
    outcome: Outcome | None = None
    error: str | None = None
    incomplete: bool = False


@dataclass
class IngestReport:
    results: list[FileResult] = field(default_factory=list)
    unread: list[str] = field(default_factory=list)  # "<file>: <why>, <what to do>"

    @property
    def failed(self) -> list[FileResult]:
        return [r for r in self.results if r.error]


def collect_files(paths: Iterable[Path]) -> list[Path]:
    """Expand folders (recursively, skipping hidden entries) into supported files, sorted."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(p for p in _folder_files(path) if p.suffix.lower() in SUPPORTED)
        else:
            found.append(path)
    return sorted(set(found), key=lambda p: str(p))


def _folder_files(folder: Path) -> Iterator[Path]:
    for path in folder.rglob("*"):
        if path.is_file() and not any(
            part.startswith(".") for part in path.relative_to(folder).parts
        ):
            yield path


# Files in a raw folder that are evidently no speech text: pictures, and what Windows and
# macOS leave in folders. Any other file ingest cannot read is named, so an editor who dropped
# 讲话稿.rtf in learns that it was not ingested.
_NOT_TEXT = frozenset(
    (".jpg", ".jpeg", ".png", ".gif", ".bmp", ".webp", ".svg", ".tif", ".tiff", ".ico")
)
_OS_FILES = frozenset(("thumbs.db", "desktop.ini"))
_CONVERT_HINTS = dict.fromkeys(
    (".wpt", ".dot", ".dotx", ".docm", ".pages"),
    "open it in Word or WPS and save it as .docx",
)


def unread_files(paths: Iterable[Path], root: Path) -> list[str]:
    """Files in the given folders that ingest does not read, each with what to do about it
    (named relative to the project's `root`)."""
    unread: list[str] = []
    for folder in (path for path in paths if path.is_dir()):
        for path in sorted(_folder_files(folder), key=str):
            suffix = path.suffix.lower()
            if suffix in SUPPORTED or suffix in _NOT_TEXT or path.name.lower() in _OS_FILES:
                continue
            hint = _CONVERT_HINTS.get(suffix, READS)
            kind = f"a {suffix} file" if suffix else "a file without an extension"
            unread.append(f"{_rel(path, root)}: not read ({kind}): {hint}")
        unread += [
            f"{_rel(path, root)}: not read (its name starts with a dot, as hidden files' do): "
            "rename it without the dot to ingest it"
            for path in _hidden_speech_files(folder)
        ]
    return unread


def _hidden_speech_files(folder: Path) -> list[Path]:
    """Files of a kind ingest reads whose own name starts with a dot (..讲话.txt, skipped as
    hidden without a word), outside hidden folders; not macOS's ._ companions."""
    return sorted(
        path
        for path in folder.rglob(".*")
        if path.is_file()
        and path.suffix.lower() in SUPPORTED
        and not path.name.startswith("._")
        and not any(part.startswith(".") for part in path.relative_to(folder).parts[:-1])
    )


def ingest(
    paths: list[Path],
    config: Config,
    force: bool = False,
    on_file: Callable[[Path], None] | None = None,
) -> IngestReport:
    report = IngestReport(unread=unread_files(paths, config.root))
    manifest = Manifest(config.speeches_dir.parent / MANIFEST_NAME)
    prepared: list[Prepared] = []
    given = with_other_parts(collect_files(paths), manifest, config.root)
    files, copies = without_copies(given, config.root, manifest)
    report.results += [
        FileResult(
            [_rel(copy, config.root)],
            warnings=[f"{_rel(copy, config.root)}: {note}"],
            outcome=Outcome.SKIPPED_COPY,
        )
        for copy, note in copies
    ]
    for path in files:
        if on_file is not None:
            on_file(path)
        try:
            prepared.append(prepare(path, config))
        except UserError as err:
            report.results.append(FileResult([_rel(path, config.root)], error=str(err)))
        except Exception as exc:  # a bug met on one file: the others are still ingested
            report.results.append(FileResult([_rel(path, config.root)], error=_bug(path, exc)))
    taken = hand_written_slugs(config.speeches_dir, manifest)
    try:
        for group in group_parts(prepared):
            report.results.append(_finish(group, config, manifest, taken, force))
    finally:
        # Record what was written even when a later write fails: a file missing from the
        # manifest would look like a hand edit next time and be skipped, its slug taken.
        # Speeches are written without a per-file fsync; one flush puts them all on disk
        # before the manifest (which is fsynced) records them.
        flush_to_disk()
        manifest.save()
    return report


_SLUG_LINE_RE = re.compile(rb"^slug:\s*['\"]?([^'\"\s]+)", re.MULTILINE)


def hand_written_slugs(folder: Path, manifest: Manifest) -> set[str]:
    """The slugs of speech files not named after them (an editor's own, or one renamed with
    a new slug), which no file ingest writes may take: a raw file took a hand-written speech's
    slug, and the build then refused the two. (A file named after its slug holds it already:
    choose_slug sees the file.) Read from the head of the few files the manifest does not
    name."""
    slugs: set[str] = set()
    if not folder.is_dir():
        return slugs
    files = list(folder.glob("*.md"))
    for path in files:
        if path.stem in manifest.entries:
            continue
        with path.open("rb") as handle:
            found = _SLUG_LINE_RE.search(handle.read(4096))
        if found:
            slugs.add(found.group(1).decode("utf-8", "replace"))
    return slugs - set(manifest.entries) - {path.stem for path in files}


def without_copies(
    files: list[Path], root: Path, manifest: Manifest
) -> tuple[list[Path], list[tuple[Path, str]]]:
    """The files, less those with the very bytes of another (a copy dropped in by mistake was
    published as a second speech of the same text), each copy with a note. Of such files the
    one the manifest knows is the original, else the first by name."""
    from generator.ingest.write import sha256_bytes

    first: dict[tuple[int, str], Path] = {}
    kept: list[Path] = []
    copies: list[tuple[Path, str]] = []
    known = sorted(files, key=lambda path: manifest.slug_for_source(_rel(path, root)) is None)
    for path in known:  # (sorted stably: by name within the known and the others)
        try:
            data = path.read_bytes()
        except OSError:
            kept.append(path)  # (prepare reports what is wrong with it)
            continue
        key = (len(data), sha256_bytes(data))
        if key in first:
            copies.append(
                (path, f"a copy of {_rel(first[key], root)} (the same bytes): not ingested")
            )
        else:
            first[key] = path
            kept.append(path)
    order = {path: index for index, path in enumerate(files)}
    return sorted(kept, key=order.__getitem__), copies


def with_other_parts(files: list[Path], manifest: Manifest, root: Path) -> list[Path]:
    """The files, and the other parts of each merged speech one of them is a part of (as the
    manifest recorded them, where they still are): ingesting part 2 alone (the preview does, on
    its save) replaced the merged speech with part 2, and part 1's text was gone."""
    given = {_rel(path, root) for path in files}
    more = {
        other
        for path in files
        for other in manifest.other_parts(_rel(path, root))
        if other not in given and (root / other).is_file()
    }
    return files + sorted(root / other for other in more)


_OWN_KEYS = ("slug:", "source:", "outline:")  # what only ingest's front matter holds, together


def _written_by_ingest(lines: Sequence[SourceLine]) -> bool:
    """A cleaned speech (content/speeches/*.md, copied into the raw folder): read as raw
    Markdown, its front matter's lines came back as the text of a second speech of itself."""
    if not lines or lines[0].text.strip() != "---":
        return False
    keys: set[str] = set()
    for line in lines[1:]:
        if line.text.strip() == "---":
            break
        keys.update(key for key in _OWN_KEYS if line.text.startswith(key))
    return len(keys) == len(_OWN_KEYS)


def _bug(path: Path, exc: Exception) -> str:
    return (
        f"{path}: internal error ({type(exc).__name__}: {exc}); this is a bug in speechsite — "
        "please report it with this file; the other files were ingested"
    )


def prepare(path: Path, config: Config) -> Prepared:
    if not path.exists():
        raise UserError("no such file", path)
    if path.suffix.lower() not in SUPPORTED:
        raise UserError(
            f"unsupported file type '{path.suffix}'",
            path,
            hint=READS,
        )
    source = read_source(path)
    if _written_by_ingest(source.lines):
        raise UserError(
            "this is a speech ingest wrote (its front matter has slug, source and outline), not a"
            " raw one",
            path,
            1,
            "to publish it as it is, move it to content/speeches/; to ingest its source, give that",
        )
    lines, anchors = lift_marks(source.lines) if source.notes else (source.lines, [])
    cleaned = clean_lines(lines, config.boilerplate, path.suffix.lower() in MARKDOWN_SUFFIXES)
    if not cleaned.paragraphs:
        raise UserError("no text left after removing boilerplate", path, hint="is this a speech?")
    meta = read_meta(cleaned, path)
    if not meta.body:
        raise UserError("no speech text after the title", path, meta.title_line or None)
    hidden = [Removed(line.line, line.text, source.hidden_reason) for line in source.hidden]
    hidden += [Removed(line.line, line.text, "web page menu") for line in source.menus]
    removed = hidden + cleaned.removed + meta.removed
    place_marks(meta.body, anchors)
    notes = [clean_note(note) for note in source.notes]
    return Prepared(path, _rel(path, config.root), source, meta, removed, notes)


def _rel(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def group_parts(prepared: list[Prepared]) -> list[list[Prepared]]:
    """Parts of one speech (same title and folder, marked 第n/m页) ingested together → one group."""
    groups: dict[tuple[str, str, int], list[Prepared]] = {}
    order: list[tuple[str, str, int]] = []
    _parts_of_three(prepared)
    for index, item in enumerate(prepared):
        part = item.meta.part
        key = (str(item.path.parent), item.meta.title, part[1]) if part else ("", "", index)
        if key not in groups:
            groups[key] = []
            order.append(key)
        groups[key].append(item)
    result: list[list[Prepared]] = []
    for key in order:
        group = groups[key]
        group.sort(key=lambda p: p.meta.part[0] if p.meta.part else 0)
        numbers = [p.meta.part[0] for p in group if p.meta.part]
        if len(set(numbers)) < len(numbers):
            # The same part twice: a duplicate file, or two speeches of the same title. Merging
            # would repeat or mix their text, so each file stays a speech of its own.
            result.extend([item] for item in sorted(group, key=lambda p: str(p.path)))
        else:
            result.append(group)
    return result


def _parts_of_three(prepared: list[Prepared]) -> None:
    """Halves marked （上） and （下） are parts 1 and 2 of 2; where a （中） of the same title
    stands beside them, the three are parts 1, 2 and 3 of 3."""
    middles = {
        (str(item.path.parent), item.meta.title) for item in prepared if item.meta.part_word == "中"
    }
    for item in prepared:
        word = item.meta.part_word
        if word is not None and (str(item.path.parent), item.meta.title) in middles:
            item.meta.part = PARTS_OF_THREE[word]


def _finish(
    group: list[Prepared], config: Config, manifest: Manifest, taken: set[str], force: bool
) -> FileResult:
    first = group[0]
    result = FileResult(
        [p.rel for p in group], encoding=", ".join(sorted({p.source.encoding for p in group}))
    )
    body: list[Line] = [line for p in group for line in p.meta.body]
    origin = [p.rel for p in group for _ in p.meta.body]  # the file each body paragraph is from
    meta = first.meta
    result.removed = [r for p in group for r in p.removed]
    result.warnings = [f"{p.rel}: {note}" for p in group for note in p.meta.notes]
    part = _part(group, result)
    notes, unreferenced = number_notes([(p.meta.body, p.notes) for p in group])
    last_line = body[-1].line if body else 0
    appended = [Paragraph(unreferenced_note(note), last_line) for note in unreferenced]
    # (the language first: an English speech's points are read by English rules)
    texts = [*(line.text for line in body), *(note.text for note in appended)]
    lang = speech_language(meta.title, (without_note_marks(text) for text in texts))
    outline = build_outline(body, lang)
    outline.blocks += appended
    declared = find_declared_points(outline)
    warnings: list[OutlineWarning] = outline.warnings + check_declared(
        declared, outline, body[0].line if body else 0
    )
    result.warnings += [
        f"{origin[w.index] if origin else first.rel}:{w.line}: {w.kind}: {w.message}"
        for w in warnings
    ]
    text = "".join(without_note_marks(b.text) for b in outline.blocks)
    scores = score_topics(text, config.topics)
    speech = Speech(
        title=meta.title,
        slug="",
        blocks=outline.blocks,
        outline=outline.items,
        source=_source(group),
        speaker=meta.speaker,
        speaker_role=meta.speaker_role,
        occasion=meta.occasion,
        level=meta.level,
        date=meta.date,
        subtitle=meta.subtitle,
        salutation=meta.salutation,
        topics=[s.topic for s in scores if s.assigned],
        topic_evidence={s.topic: s.evidence() for s in scores if s.score > 0},
        part=list(part) if part else None,
        declared_points=declared,
        notes=notes,
        lang=lang,
    )
    speech.slug = choose_slug(speech, config, manifest, taken)
    taken.add(speech.slug)
    written = write_speech(speech, config.speeches_dir, manifest, force)
    result.title, result.slug, result.outcome = speech.title, speech.slug, written.outcome
    result.outline_items = _count(outline.items)
    if written.outcome is Outcome.SKIPPED_EDIT:
        result.warnings.append(
            f"{written.path}: edited by hand since the last ingest; not overwritten "
            "(use --force to overwrite, a backup is kept)"
        )
    if written.outcome is Outcome.RENAMED:
        result.warnings.append(
            f"{written.path}: holds the speech ingest wrote as {speech.slug}.md, renamed by"
            " hand; kept as it is, not written again (to ingest it afresh, delete that file)"
        )
    if written.backup is not None:
        result.warnings.append(f"{written.path}: hand edits backed up to {written.backup}")
    if written.recreated:
        result.warnings.append(
            f"{written.path}: had been deleted since the last ingest; written again from "
            f"{first.rel} (to retire a speech, move its raw file out of the raw folder)"
        )
    return result


def _part(group: list[Prepared], result: FileResult) -> tuple[int, int] | None:
    """None when the parts make a whole speech; else the (first part, of m) that we have."""
    parts = [p.meta.part for p in group if p.meta.part]
    if not parts:
        return None
    total = parts[0][1]
    have = sorted({n for n, _ in parts})
    if have == list(range(1, total + 1)):
        return None
    result.incomplete = True
    missing = sorted(set(range(1, total + 1)) - set(have))
    result.warnings.append(
        f"{group[0].rel}: incomplete: has part {', '.join(map(str, have))} of {total}; "
        f"missing {', '.join(map(str, missing))}"
    )
    return (have[0], total)


def _source(group: list[Prepared]) -> dict[str, object]:
    first = group[0]
    source: dict[str, object] = {
        "path": first.rel,
        "sha256": first.source.sha256,
        "encoding": first.source.encoding,
    }
    if len(group) > 1:
        source["parts"] = [
            {"path": p.rel, "sha256": p.source.sha256, "part": list(p.meta.part or ())}
            for p in group
        ]
    return source


def _count(items: list) -> int:  # type: ignore[type-arg]
    return sum(1 + _count(item.children) for item in items)


def choose_slug(speech: Speech, config: Config, manifest: Manifest, taken: set[str]) -> str:
    """A stable slug: the one this source had before, else the title's pinyin, made unique.

    A collision takes the first free of: -<year>, -<date>, -<hash of the source path>, -2, -3…
    so it never depends on which other files happen to be ingested in the same run."""
    source = str(speech.source["path"])
    # A merged speech keeps the slug any of its parts had (a lone part ingested earlier).
    sources = [source, *(str(p["path"]) for p in speech.source.get("parts", []))]
    for path in sources:
        previous = manifest.slug_for_source(path)
        if previous and previous not in taken:
            return previous
    if len(sources) == 1:  # a file renamed or moved keeps its speech, not a second copy
        moved = manifest.slug_for_moved_source(str(speech.source["sha256"]), config.root)
        if moved and moved not in taken:
            return moved
    base = slugify(slug_text(speech.title), config.slug_max_length)
    suffixes: list[str] = []
    if speech.date:
        suffixes += [speech.date[:4], speech.date.replace("-", "")]
    from generator.ingest.write import sha256_bytes

    suffixes.append(sha256_bytes(source.encode("utf-8"))[:6])
    if _free(base, sources, config, manifest, taken):
        return base
    for suffix in itertools.chain(suffixes, (str(n) for n in range(2, 1000))):
        slug = _suffixed(base, suffix, config.slug_max_length)
        if _free(slug, sources, config, manifest, taken):
            return slug
    raise UserError("could not find a free slug", source)


def _suffixed(base: str, suffix: str, max_length: int) -> str:
    """`base-suffix`, the base cut at a hyphen so the whole stays within `max_length`."""
    head = truncate(base, max_length - len(suffix) - 1)
    return f"{head or base}-{suffix}"


_FRAME_RE = re.compile(
    rf"^《?(?P<who>[^《]*?)在(?P<occ>.+?)上的(?:{FRAME_KIND_PREFIX})?(?:{FRAME_KINDS})"
)


def slug_text(title: str) -> str:
    """The part of a title worth a URL: 在…上的讲话 says nothing, the meeting and speaker do."""
    found = _FRAME_RE.match(title)
    if found is None:
        return title
    return f"{found.group('who')} {found.group('occ')}".strip()


def _free(
    slug: str, sources: list[str], config: Config, manifest: Manifest, taken: set[str]
) -> bool:
    if slug in taken:
        return False
    entry = manifest.entries.get(slug)
    if entry is not None:
        return entry.source in sources
    # A file the manifest does not know that names one of `sources` is theirs, written by an
    # ingest whose manifest was lost (deleted as its damage error suggests, or not copied with
    # the speeches): taken for another's, every speech came back under a suffixed slug.
    path = config.speeches_dir / f"{slug}.md"
    return not path.exists() or names_source(path, sources)
