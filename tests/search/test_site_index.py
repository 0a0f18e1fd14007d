"""The index in the built site: deterministic, incremental with the rest of the build, and
named by generation so a browser never mixes two builds' buckets."""

from __future__ import annotations

import json
import os
from pathlib import Path

from generator.search.reader import Reader
from tests.helpers import snapshot
from tests.search.projects import build, sample_project


def search_files(site: Path) -> dict[str, tuple[bytes, int]]:
    return snapshot(site / "search")


def manifest(site: Path) -> dict[str, object]:
    data = json.loads((site / "search" / "index.json").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def test_layout(tmp_path: Path) -> None:
    site = build(sample_project(tmp_path / "p"))
    names = set(search_files(site))
    m = manifest(site)
    gen = str(m["gen"])
    assert {"index.json", "index.html", f"{gen}/facets.bin", str(m["table"])} <= names
    assert {f"f/{n}.bin" for n in range(5)} <= names
    buckets = {n for n in names if n.startswith(f"{gen}/b/") and n.endswith(".bin")}
    assert len(buckets) == 1 << int(str(m["bucketBits"]))
    assert all(n.split("/")[0] in (gen, "f") or "/" not in n for n in names)
    assert m["docs"] == 5


def test_two_builds_of_the_same_input_are_identical(tmp_path: Path) -> None:
    first = build(sample_project(tmp_path / "a"))
    second = build(sample_project(tmp_path / "b"))
    a, b = search_files(first), search_files(second)
    assert sorted(a) == sorted(b)
    assert all(a[name][0] == b[name][0] for name in a)


def test_editing_one_speech(tmp_path: Path) -> None:
    project = sample_project(tmp_path / "p")
    site = build(project)
    before = search_files(site)
    gen = manifest(site)["gen"]
    speeches = sorted((project / "content" / "speeches").glob("*.md"))
    edited = 2
    path = speeches[edited]
    path.write_text(
        path.read_text(encoding="utf-8") + "\n新增一段：推进数字政府建设。\n", encoding="utf-8"
    )
    build(project)
    after = search_files(site)
    new_gen = manifest(site)["gen"]
    assert new_gen != gen
    assert not any(name.startswith(f"{gen}/") for name in after)  # the old generation is gone
    assert any(name.startswith(f"{new_gen}/") for name in after)
    fragments = [f"f/{n}.bin" for n in range(len(speeches))]
    assert after[fragments[edited]][0] != before[fragments[edited]][0]
    for n, name in enumerate(fragments):
        if n != edited:
            assert after[name] == before[name], name  # same bytes, not rewritten
    assert after[str(manifest(site)["table"])] == before[str(manifest(site)["table"])]
    _, results = Reader(site / "search").search("数字政府建设")
    assert [r.doc for r in results] == [edited]


def test_no_op_rebuild_rewrites_nothing(tmp_path: Path) -> None:
    project = sample_project(tmp_path / "p")
    site = build(project)
    before = search_files(site)
    build(project)
    assert search_files(site) == before
    # a touched speech is re-read, but its text and details are the same: the index stays
    path = sorted((project / "content" / "speeches").glob("*.md"))[0]
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10**9))
    build(project)
    assert search_files(site) == before


def test_changed_details_change_fragment_and_facets_only(tmp_path: Path) -> None:
    project = sample_project(tmp_path / "p")
    site = build(project)
    before = search_files(site)
    gen = str(manifest(site)["gen"])
    path = sorted((project / "content" / "speeches").glob("*.md"))[0]
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("\nlevel: 市\n", "\nlevel: 县\n", 1), encoding="utf-8")
    assert path.read_text(encoding="utf-8") != text
    build(project)
    after = search_files(site)
    new_gen = str(manifest(site)["gen"])
    assert new_gen != gen
    assert after[f"{new_gen}/facets.bin"][0] != before[f"{gen}/facets.bin"][0]
    assert after["f/0.bin"][0] != before["f/0.bin"][0]
    assert all(after[f"f/{n}.bin"] == before[f"f/{n}.bin"] for n in range(1, 5))
    buckets_before = {k.split("/", 1)[1]: v[0] for k, v in before.items() if k.startswith(gen)}
    buckets_after = {k.split("/", 1)[1]: v[0] for k, v in after.items() if k.startswith(new_gen)}
    assert {k: v for k, v in buckets_before.items() if k.startswith("b/")} == {
        k: v for k, v in buckets_after.items() if k.startswith("b/")
    }
