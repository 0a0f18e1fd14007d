"""Ingest end to end: safe re-runs, hand edits, multi-part speeches, per-file failures."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from generator.ingest import pipeline
from generator.ingest.pipeline import FileResult, IngestReport, collect_files
from generator.ingest.write import BACKUP_DIR, MANIFEST_NAME, Outcome, WriteResult, write_speech
from generator.speech import read_front_matter, split_front_matter
from tests.helpers import (
    edit_topics,
    run_ingest,
    snapshot,
    speech_text,
    speeches_dir,
    write_raw,
)

TITLE = "县长在县政府全体会议上的讲话"
PART_1 = (
    "同志们：",
    "今天召开县政府全体会议，我讲三点意见。",
    "一、认清形势。今年以来，全县经济运行总体平稳。",
    "二、突出重点。要抓项目、抓招商、抓落实。",
)
PART_2 = (
    "三、狠抓落实。各级各部门要以更加务实的作风推动工作。",
    "同志们，让我们团结一心，奋力完成全年目标任务！",
)


def by_path(report: IngestReport) -> dict[str, FileResult]:
    return {path: result for result in report.results for path in result.paths}


def only_speech(root: Path) -> Path:
    files = sorted(speeches_dir(root).glob("*.md"))
    assert len(files) == 1, files
    return files[0]


def age(root: Path) -> None:
    """Set every file's mtime into the past, so a rewrite would show as a new mtime."""
    for path in (root / "content").rglob("*"):
        if path.is_file():
            os.utime(path, ns=(1_000_000_000, 1_000_000_000))


# --- re-running is safe -----------------------------------------------------------------------


def test_rerun_on_unchanged_sources_changes_no_byte(project: Path) -> None:
    first = run_ingest(project)
    assert not first.failed
    assert {r.outcome for r in first.results} == {Outcome.WRITTEN}
    assert (project / "content" / MANIFEST_NAME).exists()
    age(project)
    before = snapshot(project / "content")
    second = run_ingest(project)
    assert {r.outcome for r in second.results} == {Outcome.UNCHANGED}
    assert snapshot(project / "content") == before


def test_a_lost_manifest_duplicates_no_speech(project: Path) -> None:
    """Without content/.ingest-manifest.json (deleted as its damage error suggests, or not
    copied with the speeches) every speech was written a second time under a suffixed slug,
    and the site published each twice. A speech file that names the raw file as its source is
    that file's: unchanged, or kept as a hand edit."""
    run_ingest(project)
    files = sorted(speeches_dir(project).glob("*.md"))
    edited = files[0]
    edited.write_text(edited.read_text("utf-8").replace("同志们", "同志们、朋友们", 1), "utf-8")
    (project / "content" / MANIFEST_NAME).unlink()
    report = run_ingest(project)
    assert sorted(speeches_dir(project).glob("*.md")) == files
    outcomes = sorted(r.outcome.value for r in report.results)
    assert outcomes.count(Outcome.UNCHANGED.value) == len(files) - 1
    assert {r.outcome for r in report.results} <= {
        Outcome.UNCHANGED,
        Outcome.KEPT_EDIT,
        Outcome.SKIPPED_EDIT,
    }


def test_a_speech_deleted_by_hand_is_written_again_with_a_note(tmp_path: Path) -> None:
    """A speech file deleted to retire it came back at the next ingest without a word."""
    write_raw(tmp_path, "a.txt", speech_text("在全县作风整顿动员会议上的讲话"))
    run_ingest(tmp_path)
    only_speech(tmp_path).unlink()
    [result] = run_ingest(tmp_path).results
    assert result.outcome is Outcome.WRITTEN
    assert any("had been deleted since the last ingest" in w for w in result.warnings)
    assert any("move its raw file out of the raw folder" in w for w in result.warnings)


def test_a_byte_identical_copy_of_a_raw_file_is_not_a_second_speech(tmp_path: Path) -> None:
    """A copy of a raw file dropped into the folder was published as a second speech."""
    text = speech_text("在全县作风整顿动员会议上的讲话")
    write_raw(tmp_path, "a.txt", text)
    write_raw(tmp_path, "b/copy.txt", text)
    results = by_path(run_ingest(tmp_path))
    assert len(list(speeches_dir(tmp_path).glob("*.md"))) == 1
    copy = results["content/raw/b/copy.txt"]
    assert copy.outcome is Outcome.SKIPPED_COPY and copy.error is None
    assert copy.warnings == [
        "content/raw/b/copy.txt: a copy of content/raw/a.txt (the same bytes): not ingested"
    ]


def test_the_copy_is_the_file_the_manifest_does_not_know(tmp_path: Path) -> None:
    """A copy whose name sorted first was kept, and the original the manifest knew named the
    copy and skipped: the copy became a second speech."""
    text = speech_text("在全县作风整顿动员会议上的讲话")
    write_raw(tmp_path, "b-original.txt", text)
    run_ingest(tmp_path)
    write_raw(tmp_path, "a-copy.txt", text)
    results = by_path(run_ingest(tmp_path))
    assert results["content/raw/b-original.txt"].outcome is Outcome.UNCHANGED
    assert results["content/raw/a-copy.txt"].outcome is Outcome.SKIPPED_COPY
    assert len(list(speeches_dir(tmp_path).glob("*.md"))) == 1


def test_hand_edit_is_skipped_with_a_message(project: Path) -> None:
    run_ingest(project)
    target = sorted(speeches_dir(project).glob("*.md"))[0]
    edited = target.read_bytes() + "\n编辑补充的一段话。\n".encode()
    target.write_bytes(edited)
    age(project)
    before = snapshot(project / "content")
    report = run_ingest(project)
    result = next(r for r in report.results if r.slug == target.stem)
    assert result.outcome is Outcome.KEPT_EDIT
    assert snapshot(project / "content") == before
    # With a changed source the skip is also a warning that says how to overwrite.
    raw = project / "content" / "raw" / Path(result.paths[0]).name
    raw.write_bytes(raw.read_bytes() + "补充一句新的讲话内容。\n".encode())
    report = run_ingest(project)
    result = next(r for r in report.results if r.slug == target.stem)
    assert result.outcome is Outcome.SKIPPED_EDIT
    assert any(str(target) in w and "--force" in w for w in result.warnings)
    assert target.read_bytes() == edited
    assert not (project / "content" / BACKUP_DIR).exists()


def test_force_overwrites_after_a_backup(project: Path) -> None:
    run_ingest(project)
    target = sorted(speeches_dir(project).glob("*.md"))[0]
    original = target.read_bytes()
    edited = original + "\n编辑补充的一段话。\n".encode()
    target.write_bytes(edited)
    report = run_ingest(project, force=True)
    result = next(r for r in report.results if r.slug == target.stem)
    assert result.outcome is Outcome.FORCED
    assert target.read_bytes() == original
    backups = list((project / "content" / BACKUP_DIR).iterdir())
    assert [b.read_bytes() for b in backups] == [edited]
    assert any(str(backups[0]) in w for w in result.warnings)
    # Everything else was untouched by --force.
    assert {r.outcome for r in report.results if r is not result} == {Outcome.UNCHANGED}


def test_editor_topics_survive_force_and_a_source_change(tmp_path: Path) -> None:
    raw = write_raw(tmp_path, "a.txt", speech_text("在全县作风整顿动员会议上的讲话"))
    run_ingest(tmp_path)
    target = only_speech(tmp_path)
    assert read_front_matter(target)["topics"] != ["编辑指定"]
    edit_topics(target, ["编辑指定"])
    raw.write_text(speech_text("在全县作风整顿动员会议上的讲话", "同志们：", "新的讲话。"))
    run_ingest(tmp_path, force=True)
    assert read_front_matter(target)["topics"] == ["编辑指定"]
    assert "新的讲话。" in target.read_text(encoding="utf-8")
    # …and again on the next change, now without --force (the file is ingest's own again).
    raw.write_text(speech_text("在全县作风整顿动员会议上的讲话", "同志们：", "又一次修改。"))
    report = run_ingest(tmp_path)
    assert report.results[0].outcome is Outcome.UPDATED
    assert read_front_matter(target)["topics"] == ["编辑指定"]
    assert "又一次修改。" in target.read_text(encoding="utf-8")


def test_a_speech_renamed_with_a_new_slug_is_not_written_again(tmp_path: Path) -> None:
    """Renaming a speech and its slug (the Hugo way to change a URL): ingest wrote the old
    file again, and the speech was published twice."""
    write_raw(tmp_path, "a.txt", speech_text("在全县作风整顿动员会议上的讲话"))
    run_ingest(tmp_path)
    old = only_speech(tmp_path)
    text = old.read_text("utf-8").replace(f"slug: {old.stem}", "slug: zuofeng-dongyuan", 1)
    (old.parent / "zuofeng-dongyuan.md").write_text(text, "utf-8")
    old.unlink()
    [result] = run_ingest(tmp_path).results
    assert result.outcome is Outcome.RENAMED
    assert [p.name for p in speeches_dir(tmp_path).glob("*.md")] == ["zuofeng-dongyuan.md"]


def test_a_raw_file_does_not_take_a_hand_written_speechs_slug(tmp_path: Path) -> None:
    """An editor's own speech file (my-own-speech.md, slug da-hui) and a raw file whose title
    gives da-hui: ingest wrote da-hui.md with no word, and the build refused the two."""
    own = speeches_dir(tmp_path) / "my-own-speech.md"
    own.parent.mkdir(parents=True)
    own.write_text("---\ntitle: 大会讲话\nslug: da-hui\ntopics: []\n---\n\n正文。\n", "utf-8")
    write_raw(tmp_path, "a.txt", speech_text("在大会上的讲话"))
    [result] = run_ingest(tmp_path).results
    assert result.slug is not None and result.slug.startswith("da-hui-")
    assert own.read_text("utf-8").startswith("---\ntitle: 大会讲话")


def test_a_renamed_source_keeps_its_speech(project: Path) -> None:
    """Renaming or moving a raw file is the same speech: its Markdown is updated to name the
    new source, under the same slug, and no second copy appears."""
    run_ingest(project)
    before = sorted(p.name for p in speeches_dir(project).glob("*.md"))
    raw = sorted((project / "content" / "raw").glob("*.txt"))[0]
    moved = project / "content" / "raw" / "2026" / "重命名的讲话稿.txt"
    moved.parent.mkdir()
    raw.rename(moved)
    report = run_ingest(project)
    assert not report.failed
    assert sorted(p.name for p in speeches_dir(project).glob("*.md")) == before
    result = by_path(report)["content/raw/2026/重命名的讲话稿.txt"]
    assert result.outcome == Outcome.UPDATED
    speech = speeches_dir(project) / f"{result.slug}.md"
    assert f"{result.slug}.md" in before
    assert "content/raw/2026/重命名的讲话稿.txt" in speech.read_text("utf-8")
    assert {r.outcome for r in run_ingest(project).results} == {Outcome.UNCHANGED}


def test_a_speech_file_renamed_by_hand_is_not_written_again(project: Path) -> None:
    """Renaming the Markdown ingest wrote (my-renamed.md) and ingesting again wrote the old name
    back: two files with one slug, and the build refused both. The renamed file is the
    editor's: kept, nothing written, and the report says so."""
    run_ingest(project)
    original = sorted(speeches_dir(project).glob("*.md"))[0]
    renamed = original.with_name("my-renamed.md")
    original.rename(renamed)
    before = snapshot(speeches_dir(project))
    report = run_ingest(project)
    assert snapshot(speeches_dir(project)) == before
    result = next(r for r in report.results if r.outcome is Outcome.RENAMED)
    assert any("my-renamed.md" in w and "renamed by hand" in w for w in result.warnings)


def test_no_temporary_files_are_left_behind(project: Path) -> None:
    run_ingest(project)
    run_ingest(project, force=True)
    leftovers = [p for p in (project / "content").rglob("*") if p.name.endswith(".tmp")]
    assert leftovers == []


def test_failed_write_does_not_orphan_what_was_written(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Regression: the manifest was saved only after the last write, so the files written before
    a failure looked hand-made on the next run: skipped, and their slugs taken (-hash copies)."""
    calls = 0

    def failing_third_write(*args: Any, **kwargs: Any) -> WriteResult:
        nonlocal calls
        calls += 1
        if calls == 3:
            raise OSError(28, "No space left on device")
        return write_speech(*args, **kwargs)

    monkeypatch.setattr(pipeline, "write_speech", failing_third_write)
    with pytest.raises(OSError):
        run_ingest(project)
    monkeypatch.undo()
    report = run_ingest(project)
    outcomes = sorted(r.outcome.value for r in report.results if r.outcome)
    assert outcomes == ["unchanged", "unchanged", "written", "written", "written"]
    assert len(list(speeches_dir(project).glob("*.md"))) == 5


# --- speeches in parts ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (" 第1页 共2页", " 第2页 共2页"),  # (taken for a running head: the speech was refused)
        ("[1/2]", "[2/2]"),
        ("（1/2）", "（2/2）"),
        (" Page 1/2", " Page 2/2"),
        (" 共2页 第1页", " 共2页 第2页"),
    ],
)
def test_parts_merge_whatever_form_their_title_marks_take(
    tmp_path: Path, first: str, second: str
) -> None:
    """Probe 13: a page mark after a space, in square brackets or as Page N/M stayed in the title
    or took it away; each is the part's mark."""
    write_raw(tmp_path, "a.txt", speech_text(f"{TITLE}{second}", *PART_2))
    write_raw(tmp_path, "b.txt", speech_text(f"{TITLE}{first}", *PART_1))
    report = run_ingest(tmp_path)
    assert not report.failed and len(report.results) == 1
    front, _, _ = split_front_matter(only_speech(tmp_path).read_text("utf-8"), Path("x"))
    assert front["title"] == TITLE
    assert [p["part"] for p in front["source"]["parts"]] == [[1, 2], [2, 2]]


def test_halves_marked_shang_and_xia_merge(tmp_path: Path) -> None:
    """Probe 16 D1: 在…上的讲话（上） and （下） stayed two speeches, the second without its
    date, speaker or salutation; with a （中） they are three parts of one."""
    write_raw(tmp_path, "a.txt", speech_text(f"{TITLE}（下）", *PART_2))
    write_raw(tmp_path, "b.txt", speech_text(f"{TITLE}（上）", *PART_1))
    report = run_ingest(tmp_path)
    assert not report.failed and len(report.results) == 1 and not report.results[0].incomplete
    front, body, _ = split_front_matter(only_speech(tmp_path).read_text("utf-8"), Path("x"))
    assert front["title"] == TITLE
    assert [p["part"] for p in front["source"]["parts"]] == [[1, 2], [2, 2]]
    assert body.index("今天召开县政府全体会议") < body.index("狠抓落实")


def test_three_parts_marked_shang_zhong_xia_merge_in_order(tmp_path: Path) -> None:
    middle = ("二、突出重点。要抓项目、抓招商、抓落实。",)
    write_raw(tmp_path, "a.txt", speech_text(f"{TITLE}（下篇）", *PART_2))
    write_raw(tmp_path, "b.txt", speech_text(f"{TITLE}（中篇）", *middle))
    write_raw(tmp_path, "c.txt", speech_text(f"{TITLE}（上篇）", *PART_1[:3]))
    report = run_ingest(tmp_path)
    assert not report.failed and len(report.results) == 1 and not report.results[0].incomplete
    front, _, _ = split_front_matter(only_speech(tmp_path).read_text("utf-8"), Path("x"))
    assert [p["part"] for p in front["source"]["parts"]] == [[1, 3], [2, 3], [3, 3]]
    assert [item["label"] for item in front["outline"]] == ["一、", "二、", "三、"]


def test_a_lone_half_is_reported_incomplete(tmp_path: Path) -> None:
    write_raw(tmp_path, "a.txt", speech_text(f"{TITLE}（上）", *PART_1))
    report = run_ingest(tmp_path)
    assert report.results[0].incomplete
    assert read_front_matter(only_speech(tmp_path))["part"] == [1, 2]


def test_parts_merge_into_one_speech_in_order(tmp_path: Path) -> None:
    # Part 2 sorts first by file name: the order must come from the page marks.
    write_raw(tmp_path, "a.txt", speech_text(f"{TITLE}(第2/2页)", *PART_2))
    write_raw(tmp_path, "b.txt", speech_text(f"{TITLE}(第1/2页)", *PART_1))
    report = run_ingest(tmp_path)
    assert not report.failed
    assert len(report.results) == 1
    result = report.results[0]
    assert result.paths == ["content/raw/b.txt", "content/raw/a.txt"]
    assert not result.incomplete
    front, body, _ = split_front_matter(only_speech(tmp_path).read_text("utf-8"), Path("x"))
    assert front["title"] == TITLE
    assert front["part"] is None
    assert [p["path"] for p in front["source"]["parts"]] == [
        "content/raw/b.txt",
        "content/raw/a.txt",
    ]
    assert [p["part"] for p in front["source"]["parts"]] == [[1, 2], [2, 2]]
    assert [item["label"] for item in front["outline"]] == ["一、", "二、", "三、"]
    assert body.index("今天召开县政府全体会议") < body.index("狠抓落实")
    assert front["declared_points"] == 3
    assert not any("declared" in w for w in result.warnings)


def test_a_lone_part_is_kept_and_reported_incomplete(tmp_path: Path) -> None:
    write_raw(tmp_path, "a.txt", speech_text(f"{TITLE}(第2/2页)", *PART_2))
    report = run_ingest(tmp_path)
    assert not report.failed
    result = report.results[0]
    assert result.incomplete
    assert any("incomplete" in w and "missing 1" in w for w in result.warnings)
    front = read_front_matter(only_speech(tmp_path))
    assert front["part"] == [2, 2]
    assert front["title"] == TITLE


def test_missing_part_arriving_later_completes_the_same_speech(tmp_path: Path) -> None:
    """Regression: the merged speech used to get a new slug, leaving the lone part behind."""
    write_raw(tmp_path, "a.txt", speech_text(f"{TITLE}(第2/2页)", *PART_2))
    lone = run_ingest(tmp_path).results[0]
    write_raw(tmp_path, "b.txt", speech_text(f"{TITLE}(第1/2页)", *PART_1))
    merged = run_ingest(tmp_path).results[0]
    assert merged.slug == lone.slug
    assert merged.outcome is Outcome.UPDATED and not merged.incomplete
    assert read_front_matter(only_speech(tmp_path))["part"] is None
    # Losing part 1 again brings back the incomplete speech under the same slug.
    (tmp_path / "content" / "raw" / "b.txt").unlink()
    again = run_ingest(tmp_path).results[0]
    assert again.slug == lone.slug and again.incomplete
    assert read_front_matter(only_speech(tmp_path))["part"] == [2, 2]


def test_ingesting_one_part_of_a_merged_speech_reads_its_other_parts(tmp_path: Path) -> None:
    """`ingest b.txt` (or the preview, on a save of b.txt) replaced the merged speech with
    part 2 alone: part 1's text was gone from the Markdown and the site, with no backup."""
    from generator.config import load_config
    from generator.ingest.pipeline import ingest

    write_raw(tmp_path, "a.txt", speech_text(f"{TITLE}(第1/2页)", *PART_1))
    write_raw(tmp_path, "b.txt", speech_text(f"{TITLE}(第2/2页)", *PART_2))
    run_ingest(tmp_path)
    fixed = speech_text(f"{TITLE}(第2/2页)", *PART_2).replace("务实", "扎实")
    part_2 = write_raw(tmp_path, "b.txt", fixed)
    [result] = ingest([part_2], load_config(tmp_path)).results
    assert result.paths == ["content/raw/a.txt", "content/raw/b.txt"]
    assert not result.incomplete
    body = only_speech(tmp_path).read_text("utf-8")
    assert "今天召开县政府全体会议" in body and "更加扎实的作风" in body


def test_warnings_of_merged_parts_name_the_file_the_line_is_in(tmp_path: Path) -> None:
    """Regression: every warning of a merged speech was attributed to the first part's file."""
    write_raw(tmp_path, "a.txt", speech_text(f"{TITLE}(第1/2页)", *PART_1))
    write_raw(tmp_path, "b.txt", speech_text(f"{TITLE}(第2/2页)", "五、跳过了第四点。"))
    [result] = run_ingest(tmp_path).results
    gaps = [w for w in result.warnings if ": gap: " in w]
    assert gaps == ["content/raw/b.txt:2: gap: 五、 follows 2: numbers skipped"]


def test_the_same_part_twice_is_not_merged(tmp_path: Path) -> None:
    """Regression: a duplicate part was merged too, repeating its text in one 'complete' speech.
    (Two versions of part 1: a byte-identical copy is no part at all, see the test above.)"""
    write_raw(tmp_path, "a.txt", speech_text(f"{TITLE}(第1/2页)", *PART_1))
    write_raw(tmp_path, "b.txt", speech_text(f"{TITLE}(第1/2页)", *PART_1, "另一个版本。"))
    write_raw(tmp_path, "c.txt", speech_text(f"{TITLE}(第2/2页)", *PART_2))
    report = run_ingest(tmp_path)
    assert not report.failed
    assert all(r.incomplete for r in report.results)
    for path in speeches_dir(tmp_path).glob("*.md"):
        assert path.read_text(encoding="utf-8").count("今天召开县政府全体会议") <= 1


def test_parts_of_different_speeches_do_not_merge(tmp_path: Path) -> None:
    write_raw(tmp_path, "a.txt", speech_text(f"{TITLE}(第1/2页)", *PART_1))
    write_raw(tmp_path, "b.txt", speech_text("在全市经济工作会议上的讲话(第2/2页)", *PART_2))
    report = run_ingest(tmp_path)
    assert len(report.results) == 2
    assert all(r.incomplete for r in report.results)


# --- bad files fail alone ---------------------------------------------------------------------

BAD_FILES: dict[str, bytes] = {
    "empty.txt": b"",
    "binary.txt": bytes(range(256)) * 4,
    "image.txt": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64),
    "undecodable.txt": "在全县会议上的讲话\n同志们：".encode()
    + b"\xff\xfe\x80\x81"
    + b"\xc0\xc1\xf5" * 50,
    "x1.txt": "同志们：\n今天我们召开会议，主要任务是部署作风整顿工作。\n".encode(),
    "whitespace.txt": b" \n\t\n\xe3\x80\x80\n",
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_bad_file_gives_one_line_error_and_others_are_ingested(tmp_path: Path, name: str) -> None:
    write_raw(tmp_path, "good.txt", speech_text("在全县作风整顿动员会议上的讲话"))
    write_raw(tmp_path, name, BAD_FILES[name])
    report = run_ingest(tmp_path)
    results = by_path(report)
    bad = results[f"content/raw/{name}"]
    assert report.failed == [bad]
    assert bad.error is not None
    assert "\n" not in bad.error
    assert name in bad.error
    assert results["content/raw/good.txt"].outcome is Outcome.WRITTEN
    assert len(list(speeches_dir(tmp_path).glob("*.md"))) == 1


def test_all_bad_files_in_one_run(tmp_path: Path) -> None:
    for name, data in BAD_FILES.items():
        write_raw(tmp_path, name, data)
    write_raw(tmp_path, "good.txt", speech_text("在全县作风整顿动员会议上的讲话"))
    report = run_ingest(tmp_path)
    assert sorted(Path(r.paths[0]).name for r in report.failed) == sorted(BAD_FILES)
    assert [r.outcome for r in report.results if not r.error] == [Outcome.WRITTEN]


def test_collect_files_skips_hidden_and_unsupported(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    names = (
        "a.txt",
        "b.DOCX",
        "c.md",
        "c.pdf",
        "c.pages",
        ".hidden.txt",
        ".git/d.txt",
        "sub/e.txt",
    )
    for name in names:
        (raw / name).parent.mkdir(parents=True, exist_ok=True)
        (raw / name).write_text("x")
    found = [p.relative_to(raw).as_posix() for p in collect_files([raw])]
    assert found == ["a.txt", "b.DOCX", "c.md", "c.pdf", "sub/e.txt"]


def test_titles_and_outlines_of_the_sample(project: Path) -> None:
    """A smoke check across the five seeds: every one gets a title, a slug and an outline."""
    report = run_ingest(project)
    assert len(report.results) == 5
    for result in report.results:
        assert result.title and result.slug and result.outline_items > 0


def test_a_site_inline_rule_cuts_its_watermark_out_of_paragraphs(tmp_path: Path) -> None:
    """A site's inline rule removes only what it matches, wherever in a line, and reports it."""
    from generator.config import load_config

    (tmp_path / "site.yaml").write_text(
        "ingest:\n  boilerplate:\n    inline:\n      - {name: our stamp, pattern: '〔某某网〕'}\n",
        encoding="utf-8",
    )
    raw = tmp_path / "speech.txt"
    raw.write_text(
        "在全县工作会议上的讲话\n同志们：\n今天开会，〔某某网〕研究部署工作。\n〔某某网〕\n抓好落实。\n",
        encoding="utf-8",
    )
    prepared = pipeline.prepare(raw, load_config(tmp_path))
    assert [p.text for p in prepared.meta.body] == [
        "同志们：",
        "今天开会，研究部署工作。",
        "抓好落实。",
    ]
    assert [(r.line, r.reason, r.text) for r in prepared.removed if r.reason == "our stamp"] == [
        (3, "our stamp", "〔某某网〕"),
        (4, "our stamp", "〔某某网〕"),
    ]


def test_files_ingest_cannot_read_are_named_with_what_to_do(tmp_path: Path) -> None:
    """A Pages or Word template file dropped into the raw folder was skipped without a word."""
    from generator.ingest.pipeline import unread_files

    raw = tmp_path / "raw"
    names = (
        "a.txt",
        "讲话稿.pages",
        "发言.dotx",
        "b.rtf",
        "c.odt",
        "sub/讲话.pdf",
        "notes",
        ".x.doc",
    )
    for name in (*names, "photo.JPG"):
        (raw / name).parent.mkdir(parents=True, exist_ok=True)
        (raw / name).write_text("x")
    assert unread_files([raw], tmp_path) == [
        "raw/notes: not read (a file without an extension): speechsite reads .txt, .md, .docx,"
        " .doc, .wps, .odt, .rtf, .pdf, .html and .mht",
        "raw/发言.dotx: not read (a .dotx file): open it in Word or WPS and save it as .docx",
        "raw/讲话稿.pages: not read (a .pages file): open it in Word or WPS and save it as .docx",
        "raw/.x.doc: not read (its name starts with a dot, as hidden files' do): rename it without"
        " the dot to ingest it",
    ]


def test_a_speech_file_named_with_a_leading_dot_is_named_not_skipped(tmp_path: Path) -> None:
    """`..讲话.txt` was skipped as a hidden file without a word (macOS's `._` companions and
    files in hidden folders still are)."""
    from generator.ingest.pipeline import unread_files

    raw = tmp_path / "raw"
    for name in ("a.txt", "..讲话.txt", "._a.txt", ".git/x.txt", ".DS_Store"):
        (raw / name).parent.mkdir(parents=True, exist_ok=True)
        (raw / name).write_text("x")
    assert unread_files([raw], tmp_path) == [
        "raw/..讲话.txt: not read (its name starts with a dot, as hidden files' do): "
        "rename it without the dot to ingest it"
    ]


def test_a_bug_met_on_one_file_fails_that_file_only(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An unexpected exception while reading one file (a bug: KeyError from the decoder, met
    on a probe's file) stopped the whole ingest with a traceback; the file now fails with a
    message that names it and says what to do, and the others are ingested."""
    write_raw(project, "zz_odd.txt", "\n".join([TITLE, *PART_1]))
    real = pipeline.read_source

    def failing(path: Path) -> Any:
        if path.name == "zz_odd.txt":
            raise KeyError(149)
        return real(path)

    monkeypatch.setattr(pipeline, "read_source", failing)
    results = by_path(run_ingest(project))
    odd = next(result for path, result in results.items() if path.endswith("zz_odd.txt"))
    assert odd.error is not None
    assert "zz_odd.txt" in odd.error and "internal error (KeyError: 149)" in odd.error
    assert "please report it" in odd.error
    assert any(r.error is None for r in results.values())
