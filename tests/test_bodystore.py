"""Body packs: what is written reads back, in any process; unused packs go, live bodies stay."""

from __future__ import annotations

import multiprocessing
import re
from pathlib import Path

import pytest

from generator.bodystore import BodyStore
from generator.search.site import CachedPostings


def _write_in_child(args: tuple[BodyStore, str]) -> str:
    store, text = args
    return store.write(text)


def test_bodies_written_in_several_processes_read_back(tmp_path: Path) -> None:
    store = BodyStore(tmp_path)
    texts = [f"<p>第{i}段 {'讲话' * i}</p>" for i in range(40)]
    with multiprocessing.get_context("fork").Pool(2) as pool:
        locators = pool.map(_write_in_child, [(store, t) for t in texts], chunksize=3)
    locators.append(store.write("在本进程"))
    assert [store.read(loc) for loc in locators] == [*texts, "在本进程"]
    assert 1 < len(store.packs()) <= 3  # one pack a process, not one file a body
    store.close()


def test_collect_deletes_unused_packs_and_moves_mostly_dead_ones(tmp_path: Path) -> None:
    old = BodyStore(tmp_path, session="a")
    kept = [old.write("保留" * 100) for _ in range(3)]
    mostly_dead = [old.write("x" * 1000) for _ in range(10)]
    unused = BodyStore(tmp_path, session="b").write("无人使用")
    old.close()
    current = BodyStore(tmp_path, session="c")
    moved = current.collect([*kept, mostly_dead[0]])
    assert set(moved) == {*kept, mostly_dead[0]}  # pack a: 1,600 of 10,600 bytes live
    assert all(loc.startswith("c-") for loc in moved.values())
    assert [current.read(moved[loc]) for loc in kept] == ["保留" * 100] * 3
    assert current.packs() == {moved[kept[0]].split(":")[0]}
    assert unused.split(":")[0] not in current.packs()
    current.close()


def test_collect_keeps_packs_mostly_alive(tmp_path: Path) -> None:
    old = BodyStore(tmp_path, session="a")
    locators = [old.write("讲" * 50) for _ in range(4)]
    old.close()
    current = BodyStore(tmp_path, session="b")
    assert current.collect(locators[:3]) == {}
    assert current.read(locators[0]) == "讲" * 50
    current.close()


def test_a_truncated_pack_is_an_error_naming_it(tmp_path: Path) -> None:
    store = BodyStore(tmp_path)
    locator = store.write("讲话" * 50)
    store.close()
    pack = tmp_path / locator.rsplit(":", 2)[0]
    pack.write_bytes(pack.read_bytes()[:-10])
    with pytest.raises(OSError, match=re.escape(str(pack))):
        store.read(locator)
    with pytest.raises(OSError, match=re.escape(pack.name)):
        CachedPostings(store, [locator])  # (its header reaches past the end too)
