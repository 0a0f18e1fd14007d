"""The search index's saved state: what the next build carries over or updates from."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.search import cache
from generator.search.patch import IndexState

VERSION = "build-cache-version"  # what the build passes: its cache's version


def _state() -> IndexState:
    return IndexState(12, 100, 3, ["a", "b"], ["t1", "t2"], ["p:0:5", "q:0:7"], ["f1", "f2"])


def test_remembered_state_is_read_back(tmp_path: Path) -> None:
    files = {"search/g/b/0.bin": "d0", "search/index.json": "d1"}
    cache.remember(tmp_path, "key", files, _state(), VERSION)
    assert cache.last_index(tmp_path, VERSION) == (_state(), files)
    (tmp_path / cache.FOLDER / cache.STATE).write_bytes(b"not a pickle")
    assert cache.last_index(tmp_path, VERSION) is None  # damaged: the index is merged afresh


def test_relocated_postings_follow_the_body_cache(tmp_path: Path) -> None:
    cache.remember(tmp_path, "key", {}, _state(), VERSION)
    cache.relocate(tmp_path, {"q:0:7": "r:40:7", "unrelated:0:1": "s:0:1"})
    found = cache.last_index(tmp_path, VERSION)
    assert found is not None
    assert found[0].locators == ["p:0:5", "r:40:7"]
    assert found[0].tokens == _state().tokens  # nothing else changed


def test_state_of_other_code_is_not_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache.remember(tmp_path, "key", {}, _state(), VERSION)
    assert cache.last_index(tmp_path, "another build-cache version") is None
    monkeypatch.setattr(cache, "_code_digest", lambda version: "other search code")
    assert cache.last_index(tmp_path, VERSION) is None
