"""patch.update: the index updated where some speeches changed is, file by file, the index
merged afresh from the changed speeches; and it declines (the build then merges) whenever it
cannot be sure of that."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.search import bucket, index, patch
from generator.search.extract import BLOCK_ALIGN, Block, DocPostings, postings
from generator.search.patch import IndexState

ALPHABET = "甲乙丙丁戊己庚辛壬癸ab"  # few characters: keys many speeches share, long lists


def speech(text: str) -> DocPostings:
    blocks: list[Block] = [(f"p{i}", False, part) for i, part in enumerate(text.split("|"))]
    return postings("题", blocks)


def state_for(docs: Sequence[DocPostings], built: index.IndexFiles) -> IndexState:
    n = len(docs)
    return IndexState(
        built.bucket_bits,
        built.keys,
        built.group0,
        [f"s{i}" for i in range(n)],
        [f"t{i}" for i in range(n)],
        [str(i) for i in range(n)],
        [],
    )


def updated(
    old: Sequence[DocPostings],
    new: Sequence[DocPostings],
    changed: set[int],
    folder: Path | None = None,
    jobs: int = 1,
) -> tuple[dict[str, bytes], patch.Patched] | None:
    """The index of `old` updated to `new`; its files, and the update. The rewritten files
    are kept in memory, or in `folder` (forked workers write them there)."""
    built = index.build(index.InMemory(old))
    state = state_for(old, built)
    tokens = [f"t{i}" if i not in changed else f"new{i}" for i in range(len(new))]
    written: dict[str, bytes] = {}

    def write(name: str, data: bytes) -> str:
        if folder is None:
            written[name] = data
        else:
            (folder / name.replace("/", "_")).write_bytes(data)
        return hashlib.sha256(data).hexdigest()

    def read(name: str) -> bytes:
        return written[name] if folder is None else (folder / name.replace("/", "_")).read_bytes()

    patched = patch.update(
        state,
        state.slugs,
        tokens,
        lambda n: (old[n], new[n]),
        lambda name: built.files.get(name, b""),
        write,
        jobs,
    )
    if patched is None:
        return None
    files = dict(built.files)
    for name, digest in patched.files.items():
        if digest is None:
            del files[name]
        else:
            files[name] = read(name)
            assert digest == hashlib.sha256(files[name]).hexdigest()
    return files, patched


texts = st.text(alphabet=ALPHABET + "|", max_size=300)


@st.composite
def edits(draw: st.DrawFn) -> tuple[list[str], list[str]]:
    """Some speeches, and the same speeches with some of them edited as people edit: a
    character replaced, text inserted or deleted, a paragraph appended, all text rewritten."""
    before = draw(st.lists(texts, min_size=1, max_size=10))
    after = list(before)
    for i in draw(st.lists(st.integers(0, len(before) - 1), max_size=4, unique=True)):
        text = after[i]
        at = draw(st.integers(0, len(text)))
        kind = draw(st.sampled_from(["replace", "insert", "delete", "append", "rewrite"]))
        piece = draw(st.text(alphabet=ALPHABET + "|", min_size=1, max_size=40))
        if kind == "replace":
            after[i] = text[:at] + piece[:1] + text[at + 1 :]
        elif kind == "insert":
            after[i] = text[:at] + piece + text[at:]
        elif kind == "delete":
            after[i] = text[:at] + text[at + len(piece) :]
        elif kind == "append":
            after[i] = text + "|" + piece
        else:
            after[i] = draw(texts)
    return before, after


@pytest.mark.parametrize(("inline", "short"), [(None, None), (1, None), (None, 0)])
@settings(max_examples=120, deadline=None)
@given(case=edits())
def test_an_updated_index_is_the_merged_one(
    case: tuple[list[str], list[str]], inline: int | None, short: int | None
) -> None:
    before, after = case
    with pytest.MonkeyPatch.context() as mp:
        if inline is not None:  # every list in the pack, the packs' layout exercised
            for module in (index, bucket):
                mp.setattr(module, "INLINE_DOCS", inline)
                mp.setattr(module, "INLINE_POSITIONS", inline)
        if short is not None:  # every list through numpy, as long lists go
            mp.setattr(patch, "SHORT", short)
        old, new = [speech(t) for t in before], [speech(t) for t in after]
        changed = {i for i in range(len(before)) if before[i] != after[i]}
        result = updated(old, new, changed)
        assert result is not None
        files, patched = result
        fresh = index.build(index.InMemory(new))
    assert sorted(files) == sorted(fresh.files)
    for name, data in fresh.files.items():
        assert files[name] == data, name
    assert (patched.keys, patched.group0) == (fresh.keys, fresh.group0)


def test_an_appended_sentence_rewrites_few_buckets() -> None:
    texts = ["甲乙丙丁戊己庚辛" * 20 + f"|第{i}段" for i in range(30)]
    old = [speech(t) for t in texts]
    new = list(old)
    new[7] = speech(texts[7] + "|壬癸")
    result = updated(old, new, {7})
    assert result is not None
    # 壬, 癸, 壬癸 and the count of the title's and the block's... only a handful of keys
    assert 0 < len(result[1].files) <= 8, sorted(result[1].files)


def test_declines_what_it_cannot_update() -> None:
    old = [speech("甲乙丙|丁戊"), speech("己庚辛")]
    built = index.build(index.InMemory(old))
    state = state_for(old, built)
    new = [speech("甲乙丙|丁戊己"), old[1]]
    tokens = ["changed", "t1"]

    def postings_of(n: int) -> tuple[DocPostings, DocPostings]:
        return old[n], new[n]

    def files(name: str) -> bytes | None:
        return built.files.get(name, b"")

    def write(name: str, data: bytes) -> str:
        return name

    assert patch.update(state, state.slugs, tokens, postings_of, files, write) is not None
    # speeches renumbered: another list of slugs
    assert patch.update(state, ["s0", "s2"], tokens, postings_of, files, write) is None
    # a bucket file missing or not as the last build wrote it
    assert patch.update(state, state.slugs, tokens, postings_of, lambda name: None, write) is None
    # the cached postings of the last build gone
    assert patch.update(state, state.slugs, tokens, lambda n: None, files, write) is None
    # more changed speeches than an update is worth
    many = IndexState(state.bits, 0, 0, [f"s{i}" for i in range(40)], ["a"] * 40, [""] * 40, [])
    assert patch.update(many, many.slugs, ["b"] * 40, postings_of, files, write) is None


def test_key_changes_lists_exactly_the_keys_that_differ() -> None:
    old, new = speech("甲乙丙丁"), speech("甲乙丙戊")  # 丁 → 戊 at the end
    changes = {
        key: (tfz, None if p is None else p.tolist()) for key, tfz, p in patch.key_changes(old, new)
    }

    def key(text: str) -> int:
        codes = [ord(c) for c in text]
        return (codes[0] << 21) | (codes[1] if len(codes) > 1 else 0)

    assert set(changes) == {key("丁"), key("丙丁"), key("戊"), key("丙戊")}
    assert changes[key("丁")][0] == 0 and changes[key("丙丁")][0] == 0  # gone
    # once, in the body, which starts at BLOCK_ALIGN (the title "题" is the first block)
    assert changes[key("丙戊")] == (1 << 2, [BLOCK_ALIGN + 2])
    assert changes[key("戊")][1] is None  # a unigram has no positions
    assert np.array_equal(np.sort(np.array(list(changes))), np.unique(np.array(list(changes))))


def test_an_update_on_forked_workers_writes_the_same_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Many buckets to rewrite (text inserted early moves every later position) are split
    between forked workers, which write what they rewrite themselves."""
    monkeypatch.setattr(patch, "PARALLEL_BUCKETS", 1)
    texts = ["甲乙丙丁戊己庚辛壬癸" * 12 + f"|第{i}段ab" for i in range(12)]
    old = [speech(t) for t in texts]
    new = [speech("插入" + texts[0]), *old[1:-1], speech(texts[-1] + "|癸壬")]
    result = updated(old, new, {0, 11}, tmp_path, jobs=2)
    assert result is not None and len(result[1].files) > 2
    assert result[0] == index.build(index.InMemory(new)).files
