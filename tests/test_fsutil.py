"""Atomic writes and the existence test for many files (generator/fsutil.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.fsutil import atomic_write_bytes, missing, presence, stage, write_new


@pytest.mark.parametrize(
    "data",
    [b"\x00one buffer", bytearray(b"\x00one buffer"), memoryview(b"\x00one buffer")],
)
def test_one_buffer_of_any_kind_is_written_whole(tmp_path: Path, data: object) -> None:
    path = tmp_path / "sub" / "file.bin"
    atomic_write_bytes(path, data, durable=False)  # type: ignore[arg-type]
    assert path.read_bytes() == b"\x00one buffer"
    assert [p.name for p in path.parent.iterdir()] == ["file.bin"]  # no temporary left


def test_parts_are_written_one_after_another(tmp_path: Path) -> None:
    path = tmp_path / "file.bin"
    path.write_bytes(b"old")
    atomic_write_bytes(path, [b"ab", memoryview(b"cd"), b""])
    assert path.read_bytes() == b"abcd"


def test_presence_tells_files_and_folders_that_exist_from_those_that_do_not(
    tmp_path: Path,
) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "b" / "index.html").write_text("x", encoding="utf-8")
    with presence(tmp_path) as exists:
        assert exists("a/b/index.html") and exists("a/b")
        assert not exists("a/b/gone.html") and not exists("a/c/index.html")
    with presence(tmp_path / "missing") as exists:
        assert not exists("a/b/index.html")


def test_missing_names_the_files_not_there_whatever_their_folder(tmp_path: Path) -> None:
    (tmp_path / "search" / "b").mkdir(parents=True)
    (tmp_path / "search" / "b" / "1.bin").write_bytes(b"")
    (tmp_path / "index.json").write_bytes(b"")
    names = ["search/b/1.bin", "search/b/2.bin", "search/f/0.bin", "index.json", "gone.json"]
    assert missing(tmp_path, names) == {"search/b/2.bin", "search/f/0.bin", "gone.json"}
    assert missing(tmp_path, []) == set()


def test_write_new_makes_the_folders_a_file_needs_and_replaces_what_was_there(
    tmp_path: Path,
) -> None:
    target = tmp_path / "speeches" / "a" / "index.html"
    write_new(str(target), b"x" * 300_000)
    assert target.read_bytes() == b"x" * 300_000
    write_new(str(target), b"short")  # (a file written again is cut to its new length)
    assert target.read_bytes() == b"short"
    write_new(str(tmp_path / "speeches" / "b.bin"), b"")
    assert (tmp_path / "speeches" / "b.bin").read_bytes() == b""


def test_stage_writes_only_what_the_output_does_not_hold_already(tmp_path: Path) -> None:
    first = stage(tmp_path, {}, "search/g/b/1.bin", b"one")
    assert (tmp_path / "search/g/b/1.bin").read_bytes() == b"one"
    again = stage(tmp_path / "next", {"search/g/b/1.bin": first}, "search/g/b/1.bin", b"one")
    assert again == first and not (tmp_path / "next").exists()
