"""Writing speeches: never destroy a hand edit, never leave a half-written file."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator.errors import UserError
from generator.fsutil import atomic_write_bytes
from generator.ingest.write import (
    BACKUP_DIR,
    MANIFEST_NAME,
    Manifest,
    Outcome,
    sha256_bytes,
    write_speech,
)
from generator.speech import Speech, read_front_matter
from tests.helpers import edit_topics, make_speech


def setup(tmp_path: Path) -> tuple[Path, Manifest]:
    directory = tmp_path / "content" / "speeches"
    return directory, Manifest(tmp_path / "content" / MANIFEST_NAME)


def slugged(speech: Speech, slug: str = "zuo-feng") -> Speech:
    speech.slug = slug
    return speech


def test_new_speech_is_written_and_recorded(tmp_path: Path) -> None:
    directory, manifest = setup(tmp_path)
    speech = slugged(make_speech())
    result = write_speech(speech, directory, manifest, force=False)
    path = directory / "zuo-feng.md"
    assert result.outcome is Outcome.WRITTEN and result.path == path
    assert path.read_bytes() == speech.to_markdown().encode("utf-8")
    entry = manifest.entries["zuo-feng"]
    assert entry.output_sha256 == sha256_bytes(path.read_bytes())
    assert entry.source == "content/raw/a.txt"


def test_unchanged_speech_is_not_rewritten(tmp_path: Path) -> None:
    directory, manifest = setup(tmp_path)
    write_speech(slugged(make_speech()), directory, manifest, force=False)
    path = directory / "zuo-feng.md"
    os.utime(path, ns=(1_000_000_000, 1_000_000_000))
    before = path.stat().st_mtime_ns
    result = write_speech(slugged(make_speech()), directory, manifest, force=False)
    assert result.outcome is Outcome.UNCHANGED
    assert path.stat().st_mtime_ns == before


def test_changed_source_updates_an_unedited_file(tmp_path: Path) -> None:
    directory, manifest = setup(tmp_path)
    write_speech(slugged(make_speech()), directory, manifest, force=False)
    result = write_speech(slugged(make_speech(text="新内容。")), directory, manifest, force=False)
    assert result.outcome is Outcome.UPDATED
    assert "新内容。" in (directory / "zuo-feng.md").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("new_text", "outcome"),
    [("同志们：今天开会。", Outcome.KEPT_EDIT), ("源文件改了。", Outcome.SKIPPED_EDIT)],
)
def test_hand_edit_is_left_alone(tmp_path: Path, new_text: str, outcome: Outcome) -> None:
    directory, manifest = setup(tmp_path)
    write_speech(slugged(make_speech()), directory, manifest, force=False)
    path = directory / "zuo-feng.md"
    edited = path.read_bytes().replace("今天开会".encode(), "今天开会（编辑补充）".encode())
    path.write_bytes(edited)
    result = write_speech(slugged(make_speech(text=new_text)), directory, manifest, force=False)
    assert result.outcome is outcome
    assert path.read_bytes() == edited
    assert not (tmp_path / "content" / BACKUP_DIR).exists()


def test_force_backs_up_the_hand_edit_first(tmp_path: Path) -> None:
    directory, manifest = setup(tmp_path)
    write_speech(slugged(make_speech()), directory, manifest, force=False)
    path = directory / "zuo-feng.md"
    edited = path.read_bytes() + "编辑加的一段。\n".encode()
    path.write_bytes(edited)
    speech = slugged(make_speech(text="源文件改了。"))
    result = write_speech(speech, directory, manifest, force=True)
    assert result.outcome is Outcome.FORCED
    assert result.backup is not None
    assert result.backup.parent == tmp_path / "content" / BACKUP_DIR
    assert result.backup.read_bytes() == edited
    assert path.read_bytes() == speech.to_markdown().encode("utf-8")
    # A second forced overwrite in the same second keeps both backups.
    path.write_bytes(edited + b"x")
    again = write_speech(slugged(make_speech(text="又改了。")), directory, manifest, force=True)
    assert again.backup is not None and again.backup != result.backup
    assert again.backup.read_bytes() == edited + b"x"


def test_editor_topics_survive_a_forced_write(tmp_path: Path) -> None:
    directory, manifest = setup(tmp_path)
    write_speech(slugged(make_speech(topics=["作风整顿"])), directory, manifest, force=False)
    path = directory / "zuo-feng.md"
    edit_topics(path, ["营商环境", "安全生产"])
    speech = slugged(make_speech(topics=["作风整顿"], text="源文件改了。"))
    result = write_speech(speech, directory, manifest, force=True)
    assert result.kept_topics
    assert read_front_matter(path)["topics"] == ["营商环境", "安全生产"]
    # The manifest remembers what ingest computed, so the editor's list is recognised next time.
    assert manifest.entries["zuo-feng"].topics == ["作风整顿"]


def test_editor_can_empty_the_topics(tmp_path: Path) -> None:
    directory, manifest = setup(tmp_path)
    write_speech(slugged(make_speech(topics=["作风整顿"])), directory, manifest, force=False)
    path = directory / "zuo-feng.md"
    edit_topics(path, [])
    write_speech(
        slugged(make_speech(topics=["作风整顿"], text="改了。")), directory, manifest, True
    )
    assert read_front_matter(path)["topics"] == []


def test_computed_topics_are_refreshed_when_nobody_edited_them(tmp_path: Path) -> None:
    directory, manifest = setup(tmp_path)
    write_speech(slugged(make_speech(topics=["作风整顿"])), directory, manifest, force=False)
    speech = slugged(make_speech(topics=["落实"], text="改了。"))
    result = write_speech(speech, directory, manifest, force=False)
    assert result.outcome is Outcome.UPDATED and not result.kept_topics
    assert read_front_matter(directory / "zuo-feng.md")["topics"] == ["落实"]


def _set_lang(path: Path, lang: str | None) -> None:
    """What an editor does: add, change or remove the `lang:` line under the slug."""
    lines = [
        line
        for line in path.read_text(encoding="utf-8").split("\n")
        if not line.startswith("lang:")
    ]
    if lang is not None:
        lines.insert(
            next(i for i, line in enumerate(lines) if line.startswith("slug:")) + 1, f"lang: {lang}"
        )
    path.write_text("\n".join(lines), encoding="utf-8")


def english(text: str = "It is a pleasure to be here.", lang: str | None = "en") -> Speech:
    speech = slugged(make_speech(title="Address at the Forum", text=text))
    speech.lang = lang
    return speech


def test_an_editors_language_survives_a_forced_write(tmp_path: Path) -> None:
    """A short English speech ingest could not tell: the editor's `lang: en` stays when the
    source changes and ingest is forced, as the editor's topics do."""
    directory, manifest = setup(tmp_path)
    write_speech(english(lang=None), directory, manifest, force=False)
    path = directory / "zuo-feng.md"
    _set_lang(path, "en")
    write_speech(english("Changed at the source.", lang=None), directory, manifest, force=True)
    assert read_front_matter(path)["lang"] == "en"
    assert "lang" not in manifest.entries["zuo-feng"].saved()  # what ingest found: none


def test_an_editor_may_remove_the_language_ingest_found(tmp_path: Path) -> None:
    directory, manifest = setup(tmp_path)
    write_speech(english(), directory, manifest, force=False)
    path = directory / "zuo-feng.md"
    _set_lang(path, None)
    write_speech(english("Changed at the source."), directory, manifest, force=True)
    assert "lang" not in read_front_matter(path)
    assert manifest.entries["zuo-feng"].lang == "en"


def test_the_language_ingest_found_is_refreshed_when_nobody_edited_it(tmp_path: Path) -> None:
    directory, manifest = setup(tmp_path)
    write_speech(english(), directory, manifest, force=False)
    result = write_speech(english("Changed.", lang="fr"), directory, manifest, force=False)
    assert result.outcome is Outcome.UPDATED
    assert read_front_matter(directory / "zuo-feng.md")["lang"] == "fr"
    # the manifest keeps what ingest found, to tell an editor's next time
    manifest.save()
    assert Manifest(manifest.path).entries["zuo-feng"].lang == "fr"


# --- atomic writes ----------------------------------------------------------------------------


def test_atomic_write_leaves_no_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "out" / "a.md"
    atomic_write_bytes(target, b"one")
    atomic_write_bytes(target, b"two")
    assert target.read_bytes() == b"two"
    assert [p.name for p in target.parent.iterdir()] == ["a.md"]


def test_failed_replace_keeps_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    directory, manifest = setup(tmp_path)
    write_speech(slugged(make_speech()), directory, manifest, force=False)
    path = directory / "zuo-feng.md"
    old = path.read_bytes()

    def broken_replace(src: str | os.PathLike[str], dst: str | os.PathLike[str]) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk full"):
        write_speech(slugged(make_speech(text="新内容。")), directory, manifest, force=False)
    assert path.read_bytes() == old
    assert [p.name for p in directory.iterdir()] == ["zuo-feng.md"]


def test_failed_write_keeps_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "a.md"
    target.write_bytes(b"old")

    def broken_fsync(fd: int) -> None:
        raise OSError("I/O error")

    monkeypatch.setattr(os, "fsync", broken_fsync)
    with pytest.raises(OSError):
        atomic_write_bytes(target, b"new")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["a.md"]


# --- the manifest -----------------------------------------------------------------------------


def test_manifest_round_trips_and_is_not_rewritten_when_unchanged(tmp_path: Path) -> None:
    directory, manifest = setup(tmp_path)
    write_speech(slugged(make_speech()), directory, manifest, force=False)
    manifest.save()
    reloaded = Manifest(manifest.path)
    assert reloaded.entries == manifest.entries
    assert reloaded.slug_for_source("content/raw/a.txt") == "zuo-feng"
    os.utime(manifest.path, ns=(1_000_000_000, 1_000_000_000))
    reloaded.save()
    assert manifest.path.stat().st_mtime_ns == 1_000_000_000


@pytest.mark.parametrize("text", ["{not json", '{"speeches": {"a": {"bogus": 1}}}', "[]"])
def test_damaged_manifest_is_a_user_error(tmp_path: Path, text: str) -> None:
    path = tmp_path / MANIFEST_NAME
    path.write_text(text, encoding="utf-8")
    with pytest.raises(UserError) as info:
        Manifest(path)
    assert str(path) in str(info.value)
    assert "manifest" in str(info.value)
