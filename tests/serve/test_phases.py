"""A preview rebuild in two phases: the tabs hear of the pages before the search index is merged
again; after the second phase the output is byte for byte what `speechsite build` writes; a
newer change cancels a search phase (no process, no folder left, the old index kept whole);
a failed search phase is reported; the memory kept between builds notices a build made by
hand meanwhile."""

from __future__ import annotations

import json
import os
import shutil
import threading
from pathlib import Path
from typing import Any

import pytest

from generator.build import CACHE_DIR, FINGERPRINT, MARKER, build_site, read_marker
from generator.config import load_config
from generator.errors import UserError
from generator.search import site as search_site
from generator.serve import phases
from generator.serve.livereload import EventHub
from generator.serve.rebuild import Rebuilder
from generator.workers import Forked

SLUG = "quan-shi-shen-hua-ji-guan-zuo-feng-zheng-dun-ling-dao-xiao"


class Snapshots(EventHub):
    """A hub that notes, with each message, the search index and the speech page on disk."""

    def __init__(self, site: Path) -> None:
        super().__init__()
        self.site = site
        self.seen: list[tuple[str, bytes, str]] = []

    def _note(self, kind: str) -> None:
        index = (self.site / "search" / "index.json").read_bytes()
        page = (self.site / "speeches" / SLUG / "index.html").read_text(encoding="utf-8")
        self.seen.append((kind, index, page))

    def publish_update(self, pages: list[str], assets: dict[str, str]) -> None:
        self._note("update")
        super().publish_update(pages, assets)

    def publish_search(self) -> None:
        self._note("search")
        super().publish_search()


def rebuilder(project: Path, hub: EventHub) -> Rebuilder:
    run = Rebuilder(project, project / "site", "/", hub, lambda line: None, jobs=1)
    assert run.run(set(), split=False).error is None
    return run


def edit(project: Path, sentence: str, slug: str = SLUG) -> Path:
    speech = project / "content" / "speeches" / f"{slug}.md"
    speech.write_text(speech.read_text(encoding="utf-8") + f"\n{sentence}\n", encoding="utf-8")
    return speech


def files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}


def built_by_hand(project: Path, tmp_path: Path) -> dict[str, bytes]:
    """What `speechsite build` writes for the project as it is now, from a cold cache."""
    twin = tmp_path / "twin"
    shutil.rmtree(twin, ignore_errors=True)
    shutil.copytree(project / "content", twin / "content")
    shutil.copytree(project / "themes", twin / "themes")
    shutil.copy(project / "site.yaml", twin / "site.yaml")
    build_site(load_config(twin), jobs=1)
    return files(twin / "site")


def index_is_whole(site: Path) -> None:
    """index.json names a generation whose files are all there, with every recorded file."""
    manifest = json.loads((site / "search" / "index.json").read_text(encoding="utf-8"))
    assert (site / "search" / manifest["gen"] / "facets.bin").is_file()
    assert (site / "search" / manifest["gen"] / "f" / f"{manifest['docs'] - 1}.bin").is_file()
    assert all((site / name).is_file() for name in read_marker(site))


class NewerAfter:
    """`superseded` for a Rebuilder: true from its `looks`-th call on."""

    def __init__(self, looks: int) -> None:
        self.looks = looks
        self.lock = threading.Lock()

    def __call__(self) -> bool:
        with self.lock:
            self.looks -= 1
            return self.looks <= 0


def leftovers(project: Path) -> list[str]:
    return [p.name for p in project.iterdir() if ".staging-" in p.name]


def test_the_tabs_hear_of_the_page_before_the_search_index_is_merged(sample: Path) -> None:
    site = sample / "site"
    hub = Snapshots(site)
    run = rebuilder(sample, hub)
    hub.seen.clear()
    old_index = (site / "search" / "index.json").read_bytes()
    outcome = run.run({edit(sample, "两阶段预览新增的一句。")})
    assert outcome.error is None and not outcome.superseded
    assert outcome.search is not None and outcome.search.written > 0
    [(first, index_then, page_then), (second, index_after, _)] = hub.seen
    assert first == "update" and "两阶段预览新增的一句" in page_then  # the page is new …
    assert index_then == old_index  # … while the index is still the old one
    assert second == "search" and index_after != old_index
    assert outcome.build is not None and outcome.build.timings.keys() >= {"render", "write"}
    assert (sample / CACHE_DIR / FINGERPRINT).is_file()  # complete: the next build may stop early
    run.close()
    assert not leftovers(sample.parent)


def test_after_the_search_phase_the_output_is_what_build_writes(
    sample: Path, tmp_path: Path
) -> None:
    run = rebuilder(sample, EventHub())
    speeches = sample / "content" / "speeches"
    run.run({edit(sample, "第一处改动。")})
    copy = speeches / "copy-of-one.md"
    text = (speeches / f"{SLUG}.md").read_text(encoding="utf-8")
    copy.write_text(text.replace(f"slug: {SLUG}", "slug: copy-of-one", 1), encoding="utf-8")
    run.run({copy})
    gone = sorted(speeches.glob("*.md"))[-1]
    gone.unlink()
    outcome = run.run({gone})
    assert outcome.search is not None
    assert files(sample / "site") == built_by_hand(sample, tmp_path)
    run.close()


def test_a_newer_change_cancels_the_search_phase_and_the_next_build_merges_it(
    sample: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = sample / "site"
    run = rebuilder(sample, EventHub())
    old_index = (site / "search" / "index.json").read_bytes()
    children: list[Forked[Any]] = []

    class Watched(Forked[Any]):
        def __init__(self, work: Any) -> None:
            super().__init__(work)
            children.append(self)

    monkeypatch.setattr(phases, "Forked", Watched)
    run.superseded = NewerAfter(looks=2)  # a change comes once the search phase has begun
    outcome = run.run({edit(sample, "很快又被改掉的一句。")})
    assert outcome.superseded and outcome.search is None and outcome.error is None
    assert "很快又被改掉的一句" in (site / "speeches" / SLUG / "index.html").read_text()
    assert (site / "search" / "index.json").read_bytes() == old_index
    index_is_whole(site)
    assert not (sample / CACHE_DIR / FINGERPRINT).exists()  # the output is not complete yet
    run.close()
    assert not leftovers(sample.parent)
    [child] = children
    assert child.cancelled
    with pytest.raises(ChildProcessError):
        os.waitpid(child.pid, os.WNOHANG)  # killed and reaped

    run.superseded = lambda: False
    outcome = run.run(set())  # the next batch (here: nothing new) merges the index
    assert outcome.search is not None
    assert (site / "search" / "index.json").read_bytes() != old_index
    index_is_whole(site)
    assert files(site) == built_by_hand(sample, tmp_path)
    run.close()


def test_a_failed_search_phase_is_reported_and_keeps_the_old_index(
    sample: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = sample / "site"
    hub = EventHub()
    run = rebuilder(sample, hub)
    old_index = (site / "search" / "index.json").read_bytes()

    def broken(*args: object, **kwargs: object) -> dict[str, str]:
        raise UserError("the index could not be written", "search/index.json")

    monkeypatch.setattr(search_site, "write_index", broken)  # (the forked child inherits it)
    outcome = run.run({edit(sample, "索引失败时新增的一句。")})
    assert outcome.error is not None and "could not be written" in outcome.error.message
    assert hub.failing
    assert "索引失败时新增的一句" in (site / "speeches" / SLUG / "index.html").read_text()
    assert (site / "search" / "index.json").read_bytes() == old_index
    index_is_whole(site)
    assert not leftovers(sample.parent)

    monkeypatch.undo()
    outcome = run.run(set())
    assert outcome.error is None and outcome.search is not None and not hub.failing
    index_is_whole(site)
    run.close()


def test_the_index_is_swapped_in_with_index_json_last() -> None:
    names = [
        "search/index.json",
        "search/f0e1d2c3b4a59687/f/0.bin",
        "search/t2s.0123456789ab.json",
        "search/f0e1d2c3b4a59687/b/0.bin",
        "search/0a1b2c3d4e5f6071/facets.bin",
        "search/f0e1d2c3b4a59687/f/10.bin",
    ]
    ordered = sorted(names, key=phases.swap_order)
    assert ordered[-1] == "search/index.json"
    assert sorted(ordered[:-1]) == sorted(names[1:])


def test_a_template_edit_renders_its_pages_again(sample: Path) -> None:
    run = rebuilder(sample, EventHub())
    template = sample / "themes" / "default" / "templates" / "speech.html"
    text = template.read_text(encoding="utf-8")
    marked = text.replace("{% block content %}", "{% block content %}<!-- 模板已改 -->")
    template.write_text(marked, encoding="utf-8")
    outcome = run.run({template})
    assert outcome.error is None and outcome.search is None  # the index shows no template
    for page in (sample / "site" / "speeches").glob("*/index.html"):
        assert "模板已改" in page.read_text(encoding="utf-8")
    run.close()


def test_a_build_made_by_hand_meanwhile_is_noticed(sample: Path, tmp_path: Path) -> None:
    run = rebuilder(sample, EventHub())
    speech = sample / "content" / "speeches" / f"{SLUG}.md"
    original = speech.read_text(encoding="utf-8")
    edit(sample, "在另一个终端构建的一句。")
    build_site(load_config(sample), jobs=1)  # what the process holds in memory is now stale
    speech.write_text(original, encoding="utf-8")
    outcome = run.run({speech})
    assert outcome.error is None
    page = (sample / "site" / "speeches" / SLUG / "index.html").read_text(encoding="utf-8")
    assert "在另一个终端构建的一句" not in page
    assert files(sample / "site") == built_by_hand(sample, tmp_path)
    assert (
        read_marker(sample / "site")
        == json.loads((sample / "site" / MARKER).read_text(encoding="utf-8"))["files"]
    )
    run.close()


def test_every_kind_of_edit_gives_what_build_writes(sample: Path, tmp_path: Path) -> None:
    """A run of edits in one process — what it keeps between builds (summaries, speech pages,
    related lists, page keys) must never show a stale page: after each, the output is what a
    cold `speechsite build` writes."""
    speeches = sample / "content" / "speeches"
    for path in sorted(speeches.glob("*.md")):
        text = path.read_text(encoding="utf-8")
        for number in range(1, 5):
            dated = text.replace("date: null", f"date: '2020-0{number}-1{number}'", 1)
            copy = dated.replace(f"slug: {path.stem}\n", f"slug: {path.stem}-{number}\n", 1)
            (speeches / f"{path.stem}-{number}.md").write_text(copy, encoding="utf-8")
    run = rebuilder(sample, EventHub())
    target = speeches / "xian-luo-shi-gong-jian-nian-dong-yuan-da-hui-2.md"

    def change(old: str, new: str) -> set[Path]:
        text = target.read_text(encoding="utf-8")
        assert old in text
        target.write_text(text.replace(old, new, 1), encoding="utf-8")
        return {target}

    def add() -> set[Path]:
        added = speeches / "added.md"
        text = target.read_text(encoding="utf-8")
        added.write_text(text.replace("slug: xian-luo", "slug: added-xian-luo", 1), "utf-8")
        return {added}

    def remove() -> set[Path]:
        gone = speeches / "xian-luo-shi-gong-jian-nian-dong-yuan-da-hui-3.md"
        gone.unlink()
        return {gone}

    edits = [
        lambda: change("同志们", "同志们，朋友们"),  # text (the salutation line stays)
        lambda: change("title: 在县", "title: 在全县"),  # title: archive order, neighbours
        lambda: change("date: '2020-02-12'", "date: '2018-07-01'"),  # year groups, feeds
        lambda: change("- 落实\n", ""),  # topics: topic pages, related speeches
        add,
        remove,
    ]
    for edit in edits:
        outcome = run.run(edit())
        assert outcome.error is None and not outcome.superseded
        assert files(sample / "site") == built_by_hand(sample, tmp_path)
    run.close()


def test_a_build_into_another_output_meanwhile_leaves_no_stale_search_file(
    sample: Path, tmp_path: Path
) -> None:
    """The search cache then describes the other output's index: a fragment it shows as the
    next build would must still be written again where the preview's output holds an older
    one."""
    run = rebuilder(sample, EventHub())
    speech = sample / "content" / "speeches" / f"{SLUG}.md"
    text = speech.read_text(encoding="utf-8")
    speech.write_text(text.replace("occasion: ", "occasion: 另一场合", 1), encoding="utf-8")
    build_site(load_config(sample), output=sample / "public", jobs=1)
    outcome = run.run(
        {edit(sample, "另一篇讲话新增的一句。", "xian-luo-shi-gong-jian-nian-dong-yuan-da-hui")}
    )
    assert outcome.error is None and outcome.search is not None
    assert files(sample / "site") == built_by_hand(sample, tmp_path)
    run.close()
