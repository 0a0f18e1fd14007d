"""The index in the built site: deterministic, incremental with the rest of the build (an
edit rewrites only the buckets it changes, byte for byte what a fresh build writes), and
named by generation so a browser never pairs buckets with another numbering of speeches."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import pytest

from generator import workers
from generator.build import build_site
from generator.build import run as build_run
from generator.config import load_config
from generator.search import index, patch, site
from generator.search.reader import Reader
from tests.helpers import snapshot
from tests.search.projects import Speech, build, new_project, sample_project, write_speech


@pytest.fixture(autouse=True)
def _updates(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Whether each build updated the index (True) or merged it."""
    seen: list[bool] = []
    update = patch.update

    def spied(*args: Any, **kwargs: Any) -> patch.Patched | None:
        result = update(*args, **kwargs)
        seen.append(result is not None)
        return result

    monkeypatch.setattr(patch, "update", spied)
    return seen


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
    assert {f"{gen}/f/{n}.bin" for n in range(5)} <= names
    buckets = {n for n in names if n.startswith(f"{gen}/b/") and n.endswith(".bin")}
    assert len(buckets) == 1 << int(str(m["bucketBits"]))
    assert all(n.split("/")[0] == gen or "/" not in n for n in names)
    assert m["docs"] == 5


def test_two_builds_of_the_same_input_are_identical(tmp_path: Path) -> None:
    first = build(sample_project(tmp_path / "a"))
    second = build(sample_project(tmp_path / "b"))
    a, b = search_files(first), search_files(second)
    assert sorted(a) == sorted(b)
    assert all(a[name][0] == b[name][0] for name in a)


def test_fragments_written_by_forked_workers_are_those_one_process_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    alone = search_files(build(sample_project(tmp_path / "a")))
    monkeypatch.setattr(site, "PARALLEL_FRAGMENTS", 1)
    pools = []
    real = workers.fork_pool

    def counted(jobs: int) -> Any:
        pools.append(jobs)
        return real(jobs)

    monkeypatch.setattr(workers, "fork_pool", counted)
    # (the search step in this process, as a large build runs it, not in a child beside the
    # pages, whose pools this process would not see)
    monkeypatch.setattr(build_run, "SEARCH_BESIDE_MAX", -1)
    project = sample_project(tmp_path / "b")
    output = build_site(load_config(project), jobs=2).output
    assert pools == [2]
    shared = search_files(output)
    assert sorted(shared) == sorted(alone)
    assert all(shared[name][0] == alone[name][0] for name in alone)


def test_editing_one_speech(tmp_path: Path, _updates: list[bool]) -> None:
    project = sample_project(tmp_path / "p")
    site = build(project)
    before = search_files(site)
    gen, version = manifest(site)["gen"], manifest(site)["version"]
    speeches = sorted((project / "content" / "speeches").glob("*.md"))
    edited = 2
    path = speeches[edited]
    path.write_text(
        path.read_text(encoding="utf-8") + "\n新增一段：推进数字政府建设。\n", encoding="utf-8"
    )
    build(project)
    assert _updates == [True]  # the first build merged; this one updated
    after = search_files(site)
    assert manifest(site)["gen"] == gen  # the same speeches: the same folder
    assert manifest(site)["version"] != version
    buckets = [name for name in before if name.startswith(f"{gen}/b/")]
    rewritten = [name for name in buckets if after.get(name) != before[name]]
    # Only the buckets of the keys in the added paragraph (and its neighbours) changed.
    assert 0 < len(rewritten) < len(buckets) // 4, rewritten
    fragments = [f"{gen}/f/{n}.bin" for n in range(len(speeches))]
    assert after[fragments[edited]][0] != before[fragments[edited]][0]
    for n, name in enumerate(fragments):
        if n != edited:
            assert after[name] == before[name], name  # same bytes, not rewritten
    assert after[str(manifest(site)["table"])] == before[str(manifest(site)["table"])]
    _, results = Reader(site / "search").search("数字政府建设")
    assert [r.doc for r in results] == [edited]
    fresh = search_files(build(project, tmp_path / "fresh"))  # the same input, built afresh
    assert {n: v[0] for n, v in after.items()} == {n: v[0] for n, v in fresh.items()}


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
    assert manifest(site)["gen"] == gen
    assert after[f"{gen}/facets.bin"][0] != before[f"{gen}/facets.bin"][0]
    assert after[f"{gen}/f/0.bin"][0] != before[f"{gen}/f/0.bin"][0]
    assert all(after[f"{gen}/f/{n}.bin"] == before[f"{gen}/f/{n}.bin"] for n in range(1, 5))
    buckets = [name for name in before if name.startswith(f"{gen}/b/")]
    assert all(after[name] == before[name] for name in buckets)  # not even rewritten


def test_removing_a_speech(tmp_path: Path) -> None:
    project = sample_project(tmp_path / "p")
    site = build(project)
    speeches = sorted((project / "content" / "speeches").glob("*.md"))
    before = search_files(site)
    gen = manifest(site)["gen"]
    speeches[0].unlink()
    build(project)
    after = search_files(site)
    assert manifest(site)["docs"] == 4
    assert manifest(site)["gen"] != gen  # renumbered: a new folder, the old one gone
    assert not any(name.startswith(f"{gen}/") for name in after)
    new = manifest(site)["gen"]
    assert f"{new}/f/4.bin" not in after
    assert [after[f"{new}/f/{n}.bin"][0] for n in range(4)] == [
        before[f"{gen}/f/{n}.bin"][0] for n in range(1, 5)
    ]
    reader = Reader(site / "search")
    _, results = reader.search("作风")
    assert results and all(r.doc < 4 for r in results)
    urls = {str(reader.fragment(r.doc)["url"]) for r in results}
    assert f"/speeches/{speeches[0].stem}/" not in urls


def test_new_code_merges_the_index_afresh_and_the_next_edit_updates_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, _updates: list[bool]
) -> None:
    """A new build-cache version (a new Markdown renderer, say) re-extracts every speech's
    postings: the index must be merged from them, not carried over, and the state it leaves
    must point at them, so the next edit is an update, not a second merge."""
    project = sample_project(tmp_path / "p")
    build(project)
    merges = []
    merge = index.build

    def counted(*args: Any, **kwargs: Any) -> index.IndexFiles:
        merges.append(1)
        return merge(*args, **kwargs)

    monkeypatch.setattr(index, "build", counted)
    for name, module in list(sys.modules.items()):  # (each build step that names it)
        if name.startswith("generator.build") and hasattr(module, "CACHE_VERSION"):
            monkeypatch.setattr(module, "CACHE_VERSION", "a-new-version")
    build(project)
    assert merges == [1]
    _updates.clear()
    _edit(project, 1, "新增：数字政府建设。")
    build(project)
    assert merges == [1] and _updates == [True]


def _edit(project: Path, number: int, addition: str) -> None:
    path = sorted((project / "content" / "speeches").glob("*.md"))[number]
    path.write_text(path.read_text(encoding="utf-8") + f"\n{addition}\n", encoding="utf-8")


def _touched_bucket(tmp_path: Path) -> str:
    """A bucket file the edit `_edit(project, 1, "新增：数字政府建设。")` rewrites."""
    probe = sample_project(tmp_path / "probe")
    probe_site = build(probe)
    before = search_files(probe_site)
    _edit(probe, 1, "新增：数字政府建设。")
    after = search_files(build(probe))
    gen = manifest(probe_site)["gen"]
    return next(n for n in before if n.startswith(f"{gen}/b/") and after[n][0] != before[n][0])


def test_an_index_file_changed_by_hand_is_merged_afresh(
    tmp_path: Path, _updates: list[bool]
) -> None:
    """An update reads the buckets it changes; one not as the last build wrote it means the
    whole index is merged again, and the output is what a fresh build writes."""
    project = sample_project(tmp_path / "p")
    site = build(project)
    name = _touched_bucket(tmp_path)
    (site / "search" / name).write_bytes(b"\x01garbage")
    _edit(project, 1, "新增：数字政府建设。")
    _updates.clear()
    after = search_files(build(project))
    assert _updates == [False]  # it would have read the changed file: merged instead
    fresh = search_files(build(project, tmp_path / "fresh"))
    assert {n: v[0] for n, v in after.items()} == {n: v[0] for n, v in fresh.items()}


def test_an_index_file_gone_from_the_output_is_written_again(tmp_path: Path) -> None:
    project = sample_project(tmp_path / "p")
    site = build(project)
    gen = manifest(site)["gen"]
    gone = sorted((site / "search" / str(gen) / "b").glob("*.bin"))[3]
    gone.unlink()
    _edit(project, 1, "新增：数字政府建设。")
    build(project)
    assert gone.is_file()
    after = search_files(site)
    fresh = search_files(build(project, tmp_path / "fresh"))
    assert {n: v[0] for n, v in after.items()} == {n: v[0] for n, v in fresh.items()}


def test_a_speech_is_found_by_its_speaker_occasion_and_topics(tmp_path: Path) -> None:
    """A result shows its speaker, occasion and topics: a reader searches them too, though the
    text never names them (the speaker's name is in the byline, not the speech)."""
    project = new_project(tmp_path / "p")
    path = write_speech(
        project, Speech("a", "在全县大会上的讲话", ["今天开会。"], topics=["营商环境"])
    )
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace(
            "topics:", "speaker: 欧阳明\nspeaker_role: 县长\noccasion: 全县春季动员大会\ntopics:"
        ),
        encoding="utf-8",
    )
    write_speech(project, Speech("b", "另一次讲话", ["同志们好。"]))
    reader = Reader(build(project) / "search")
    for query in ("欧阳明", "县长 欧阳明", "春季动员", "营商环境"):
        _, results = reader.search(query)
        assert [r.doc for r in results] == [0], query
    assert reader.fragment(0)["blocks"] == [["p1", "今天开会。"]]  # no details in the text


def test_a_speech_in_another_language_has_its_language_and_direction_in_its_fragment(
    tmp_path: Path,
) -> None:
    """A result shows a speech's title and snippets from its fragment: an English one's with
    lang="en", an Arabic one's with lang="ar" and dir="rtl" too, as its page marks them; a
    Chinese one's as the page reads."""
    project = new_project(tmp_path / "p")
    speeches = [
        Speech("a-zh", "在全县作风整顿动员会议上的讲话", ["同志们：今天召开会议。"]),
        Speech("b-en", "Address at the Forum", ["The digital economy is changing."], lang="en"),
        Speech("c-ar", "كلمة في افتتاح المعرض", ["يسعدني أن أرحب بكم في هايلار."], lang="ar"),
    ]
    for speech in speeches:
        write_speech(project, speech)
    reader = Reader(build(project) / "search")
    marks = {
        str(meta["url"]).strip("/").rsplit("/", 1)[-1]: (meta.get("lang"), meta.get("dir"))
        for meta in (reader.fragment(doc) for doc in range(3))
    }
    assert marks == {"a-zh": (None, None), "b-en": ("en", None), "c-ar": ("ar", "rtl")}
