"""A speech → its postings: unigram and bigram keys, count and zone bits, bigram positions."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.bodystore import BodyStore
from generator.search.extract import (
    BLOCK_ALIGN,
    CHAR_BITS,
    CHUNK_CHARS,
    DROPPED_CODE,
    GROUP_BITS,
    GROUPS,
    SECTION_GROUPS,
    TITLE_END_KEY,
    ZONE_HEADING,
    ZONE_TITLE,
    Block,
    DocPostings,
    block_span,
    distinct,
    fold_codes,
    fragment_blocks,
    fragment_body,
    indexed_lengths,
    inflate_chunks,
    key_hash,
    mark_number_codes,
    postings,
    split_fragment_body,
    stream,
)
from generator.search.fold import fold, search_fold
from generator.search.index import InMemory
from generator.search.site import CachedPostings

Table = dict[str, tuple[int, int, list[int]]]  # key text → (count, zone, positions)
TITLE_END = chr(TITLE_END_KEY >> CHAR_BITS) + chr(TITLE_END_KEY & ((1 << CHAR_BITS) - 1))


def key(text: str) -> int:
    return (ord(text[0]) << CHAR_BITS) | (ord(text[1]) if len(text) > 1 else 0)


def table(doc: DocPostings) -> Table:
    """The postings as key text → (count, zone bits, positions), checking their layout."""
    out: Table = {}
    at = 0
    for i, k in enumerate(doc.keys.tolist()):
        first, second = k >> CHAR_BITS, k & ((1 << CHAR_BITS) - 1)
        tfz = int(doc.tfz[i])
        count = tfz >> 2
        text = chr(first) + (chr(second) if second else "")
        n = count if second else 0
        out[text] = (count, tfz & 3, doc.positions[at : at + n].tolist())
        at += n
    assert at == len(doc.positions)
    return out


def expected(title: str, blocks: list[Block]) -> Table:
    """The same table by a plain scan of the stream."""
    texts = [title] + [t for _, _, t in blocks]
    zones = [ZONE_TITLE] + [ZONE_HEADING if h else 0 for _, h, _ in blocks]
    counts: dict[str, int] = {}
    zone_bits: dict[str, int] = {}
    positions: dict[str, list[int]] = {}
    start = 0
    for text, zone in zip(texts, zones, strict=True):
        folded = fold(text)
        for i, char in enumerate(folded):
            grams = [char] if i + 1 == len(folded) else [char, folded[i : i + 2]]
            for gram in grams:
                counts[gram] = counts.get(gram, 0) + 1
                zone_bits[gram] = zone_bits.get(gram, 0) | zone
                if len(gram) == 2:
                    positions.setdefault(gram, []).append(start + i)
        start += block_span(len(folded))
    out = {g: (counts[g], zone_bits[g], positions.get(g, [])) for g in counts}
    if out:
        out[TITLE_END] = (1, 0, [len(fold(title))])  # where the title ends (TITLE_END_KEY)
    return out


def test_postings_of_a_small_speech() -> None:
    blocks: list[Block] = [("p1", False, "營商环境好"), ("s1", True, "营商")]
    found = table(postings("营商", blocks))
    a = BLOCK_ALIGN  # each block starts at a multiple of it: the paragraph at a, the heading 2a
    assert found["营商"] == (3, ZONE_TITLE | ZONE_HEADING, [0, a, 2 * a])
    assert found["营"] == (3, ZONE_TITLE | ZONE_HEADING, [])
    assert found["商环"] == (1, 0, [a + 1])
    assert found["环境"] == (1, 0, [a + 2])
    assert found["境好"] == (1, 0, [a + 3])
    assert found["好"] == (1, 0, [])
    # no pair spans two blocks (title → paragraph, paragraph → heading)
    assert "商营" not in found
    assert "好营" not in found
    assert found[TITLE_END] == (1, 0, [2])  # the title, 营商, ends at 2
    assert set(found) == {"营", "商", "环", "境", "好", "营商", "商环", "环境", "境好", TITLE_END}


def test_an_edit_inside_a_block_moves_no_other_blocks_positions() -> None:
    """A sentence inserted in a paragraph changes the positions of that paragraph's keys only
    (so the index update rewrites the buckets of those keys, not of every key after it); one
    that makes its block cross a multiple of BLOCK_ALIGN moves the blocks after it."""
    before: list[Block] = [
        ("p1", False, "营商环境"),
        ("p2", False, "作风建设"),
        ("p3", False, "安全生产"),
    ]
    after = [before[0], ("p2", False, "作风建设插入一句"), before[2]]
    old, new = table(postings("标题", before)), table(postings("标题", after))
    for pair in ("营商", "商环", "安全", "生产"):
        assert new[pair] == old[pair]
    assert new["建设"] == old["建设"] and "设插" in new and "设插" not in old
    long = [before[0], ("p2", False, "作风建设" * BLOCK_ALIGN), before[2]]
    assert table(postings("标题", long))["安全"][2] != old["安全"][2]


def test_stream_separates_blocks_and_zones() -> None:
    text, zones = stream("题\0目", [("p1", False, "正文"), ("s1", True, "标题")])
    assert text == "题 目\0正文\0标题"
    assert zones == [ZONE_TITLE, 0, ZONE_HEADING]


def test_details_rank_as_headings_and_topics_as_text() -> None:
    """Probe 10: a topic's tag ranked as a heading, so 13 speeches only tagged 作风整顿 came
    before the two that say it; a speaker's name still ranks as a heading does."""
    found = table(postings("题目", [("p1", False, "正文")], ["张三"], ["作风整顿"]))
    assert found["张三"][1] == ZONE_HEADING
    assert found["作风"][1] == 0


def test_a_phrase_reads_through_punctuation_in_the_text() -> None:
    """Probe 10: “十四五”规划 in 14 speeches, and 十四五规划 found one: positions count
    folded characters, so the pairs of 十四五规划 stand one after another."""
    found = table(postings("题", [("p1", False, "“十四五”规划")]))
    starts = [found[pair][2][0] for pair in ("十四", "四五", "五规", "规划")]
    assert starts == list(range(starts[0], starts[0] + 4))


def test_empty_speech_has_no_postings() -> None:
    doc = postings("", [])
    assert len(doc.keys) == 0
    assert doc.key_bounds.tolist() == [0] * (GROUPS + 1)


def _assert_grouped_and_ordered(doc: DocPostings) -> None:
    """Each hash group's keys inside its bounds, strictly ordered by (hash, key)."""
    hashes = key_hash(doc.keys).astype(np.int64)
    groups = hashes >> (32 - GROUP_BITS)
    for g in range(GROUPS):
        a, b = int(doc.key_bounds[g]), int(doc.key_bounds[g + 1])
        assert (groups[a:b] == g).all()
    pairs = list(zip(hashes.tolist(), doc.keys.tolist(), strict=True))
    assert pairs == sorted(set(pairs))


def test_keys_are_grouped_by_hash_and_ordered_by_hash_then_key() -> None:
    doc = postings("深化放管服改革", [("p1", False, "推进最多跑一次改革，优化营商环境。" * 3)])
    assert int(doc.key_bounds[-1]) == len(doc.keys) > 20
    _assert_grouped_and_ordered(doc)


COLLIDING = ("呉噋", "廼妶")  # two bigrams whose keys share their 32-bit hash


def test_keys_sharing_a_hash_keep_apart_with_their_own_positions() -> None:
    first, second = (key(fold(pair)) for pair in COLLIDING)
    hashes = key_hash(np.array([first, second], dtype=np.uint64)).tolist()
    assert first != second and hashes[0] == hashes[1]  # (else this tests nothing)
    text = "".join(COLLIDING) * 2 + COLLIDING[1] + "好" + COLLIDING[0]
    doc = postings("", [("p1", False, text)])
    _assert_grouped_and_ordered(doc)
    assert table(doc) == expected("", [("p1", False, text)])


ALPHABET = "营商环境放管服一次營環 ，A"
BLOCKS = st.lists(
    st.tuples(st.booleans(), st.text(ALPHABET, min_size=0, max_size=30)), max_size=5
).map(lambda xs: [(f"p{i}", h, t) for i, (h, t) in enumerate(xs)])


TITLE = st.text(ALPHABET, max_size=12)  # empty too: a speech may have no text at all


def test_speech_with_only_empty_texts_has_no_postings() -> None:
    doc = postings("", [("p1", False, "")])
    assert len(doc.keys) == 0


@settings(max_examples=60, deadline=None)
@given(TITLE, BLOCKS)
def test_postings_equal_a_plain_scan(title: str, blocks: list[Block]) -> None:
    assert table(postings(title, blocks)) == expected(title, blocks)


def _reference_hash(key: int) -> int:
    """key_hash in Python integers, as search.js's Math.imul computes it."""
    first, second = key >> CHAR_BITS, key & ((1 << CHAR_BITS) - 1)
    h = ((first * 0x9E3779B1) ^ ((second + 1) * 0x85EBCA77)) & 0xFFFFFFFF
    h ^= h >> 15
    h = (h * 0x2C1B3C6D) & 0xFFFFFFFF
    return h ^ (h >> 12)


@given(st.lists(st.tuples(st.integers(0, 0x10FFFF), st.integers(0, 0x10FFFF)), min_size=1))
def test_key_hash_equals_the_32_bit_formula(pairs: list[tuple[int, int]]) -> None:
    keys = [(first << CHAR_BITS) | second for first, second in pairs]
    hashed = key_hash(np.array(keys, dtype=np.uint64)).tolist()
    assert hashed == [_reference_hash(key) for key in keys]


@given(st.lists(st.text(max_size=30), min_size=1, max_size=5))
def test_fold_codes_equal_fold_as_characters_are_first_met(texts: list[str]) -> None:
    """The BMP table fills as characters come: each text, new characters or old, folds as
    `fold` does (a text beyond the BMP takes `fold`'s own path)."""
    for text in texts:
        assert fold_codes(text).tolist() == [
            ord(fold(c)) if fold(c) else DROPPED_CODE for c in text
        ]


@given(
    st.text(st.sampled_from("0123456789５𝟓.．,，、。 a年%"), max_size=30)
    | st.text(st.sampled_from("〇○零一二三九十1、· 年"), max_size=30)
    | st.text(max_size=30)
)
def test_the_index_marks_numbers_as_a_query_is_marked(text: str) -> None:
    """mark_number_codes (a speech at a time, as arrays) and search_fold (a query, per character)
    mark the same digits: otherwise a number in the index is never found."""
    codes = mark_number_codes(fold_codes(text), text).tolist()
    assert "".join(chr(code) for code in codes if code != DROPPED_CODE) == search_fold(text)


@given(st.lists(st.text(max_size=30), min_size=1, max_size=6))
def test_indexed_lengths_count_the_characters_folding_keeps(texts: list[str]) -> None:
    assert indexed_lengths(texts) == [len(fold(text)) for text in texts]


def test_long_speech_positions_beyond_16_bits() -> None:
    """Positions past 65,535 (no field of a sort key holds them) are exact too."""
    body = "一" * 70_000 + "营商环境"
    blocks: list[Block] = [("p1", False, "营商"), ("p2", False, body)]
    found = table(postings("标题", blocks))
    a = BLOCK_ALIGN  # (the title and 营商 take a block's span each: two characters)
    assert found["营商"] == (2, 0, [a, 2 * a + 70_000])
    assert found["境"] == (1, 0, [])
    assert found["一一"][0] == 69_999
    assert found == expected("标题", blocks)


@settings(max_examples=30, deadline=None)
@given(TITLE, BLOCKS)
def test_bytes_round_trip_and_group_slices(title: str, blocks: list[Block]) -> None:
    doc = postings(title, blocks)
    back = DocPostings.from_bytes(doc.to_bytes())
    for name in ("keys", "tfz", "positions", "key_bounds", "position_bounds"):
        assert getattr(back, name).tolist() == getattr(doc, name).tolist()
    parts = [back.group(first, first + 8) for first in range(0, GROUPS, 8)]
    assert np.concatenate([p.keys for p in parts]).tolist() == doc.keys.tolist()
    assert np.concatenate([p.tfz for p in parts]).tolist() == doc.tfz.tolist()
    assert np.concatenate([p.positions for p in parts]).tolist() == doc.positions.tolist()
    for part in parts:
        assert part.key_bounds[0] == 0 and part.position_bounds[0] == 0
        assert part.key_bounds[-1] == len(part.keys)
        assert part.position_bounds[-1] == len(part.positions)


def test_fragment_body_holds_blocks_and_the_folds_of_traditional_characters() -> None:
    blocks: list[Block] = [("p1", False, "優化營商環境"), ("s1", True, "作风")]
    head, body = split_fragment_body(fragment_body("營商", blocks))
    assert fragment_blocks(head, body) == [["p1", "優化營商環境"], ["s1", "作风"]]
    folds = head["fold"]
    assert isinstance(folds, dict)
    assert dict(zip(folds["from"], folds["to"], strict=True)) == {
        "優": "优",
        "營": "营",
        "環": "环",
    }
    assert "fold" not in split_fragment_body(fragment_body("营商", [("p1", False, "作风")]))[0]


def test_fragment_text_is_cut_into_chunks_of_whole_blocks() -> None:
    """Each chunk inflates on its own to whole blocks, in order, and closes once it holds
    CHUNK_CHARS characters — so the browser can stop reading after the chunks it needs."""
    blocks: list[Block] = [(f"p{i}", False, "营商环境" * (i + 40)) for i in range(30)]
    head, body = split_fragment_body(fragment_body("标题", blocks))
    lengths = head["chunks"]
    assert isinstance(lengths, list) and len(lengths) > 3
    assert sum(lengths) == len(body)
    at, seen = 0, []
    for length in lengths:
        [chunk] = inflate_chunks(body[at : at + length])
        at += length
        text = sum(len(t) for _, t in chunk)
        assert text >= CHUNK_CHARS or at == len(body)  # only the last chunk may be short
        assert text - len(chunk[-1][1]) < CHUNK_CHARS  # it closed at the first block past it
        seen.extend(chunk)
    assert seen == [[a, t] for a, _, t in blocks]
    texts = ["标题", *(t for _, _, t in blocks)]  # (no character here folds away)
    text = "".join(t.ljust(block_span(len(t)), "\0") for t in texts)  # as the index aligns it
    starts = head["starts"]
    assert isinstance(starts, list) and len(starts) == len(lengths)
    at = 0
    for length, start in zip(lengths, starts, strict=True):
        first = inflate_chunks(body[at : at + length])[0][0][1]
        at += length
        assert text[start : start + len(first)] == first  # index positions fall in this chunk
    assert fragment_blocks(*split_fragment_body(fragment_body("标题", []))) == []


def test_any_run_of_neighbouring_chunks_inflates_in_one_call() -> None:
    """The browser reads a run of chunks with one range request and inflates it with one
    DecompressionStream: every run, from any chunk to any later one, gives exactly its blocks."""
    blocks: list[Block] = [
        (f"p{i}", False, f"第{i}段：营商环境\n“引号”\\ ]" * (i % 7 + 30)) for i in range(25)
    ]
    head, body = split_fragment_body(fragment_body("标题", blocks))
    lengths = head["chunks"]
    assert isinstance(lengths, list)
    offsets = [sum(lengths[:i]) for i in range(len(lengths) + 1)]
    single = [inflate_chunks(body[offsets[i] : offsets[i + 1]])[0] for i in range(len(lengths))]
    for first in range(len(lengths)):
        for last in range(first, len(lengths)):
            assert (
                inflate_chunks(body[offsets[first] : offsets[last + 1]]) == single[first : last + 1]
            )


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.tuples(TITLE, BLOCKS), min_size=1, max_size=6))
def test_cached_postings_read_the_sections_the_merge_would_make(
    tmp_path_factory: pytest.TempPathFactory, docs: list[tuple[str, list[Block]]]
) -> None:
    """The build's reader (one read per speech and section, gathered by numpy) gives what the
    speeches' postings give in memory: every section, and a group inside one."""
    store = BodyStore(tmp_path_factory.mktemp("store"))
    made = [postings(title, blocks) for title, blocks in docs]
    cached = CachedPostings(store, [store.write_bytes(d.to_bytes()) for d in made])
    memory = InMemory(made)
    assert cached.total_keys() == memory.total_keys()
    ranges = [(s, s + SECTION_GROUPS) for s in range(0, GROUPS, SECTION_GROUPS)] + [(0, 1), (3, 4)]
    for first, last in ranges:
        got, want = cached.groups(first, last), memory.groups(first, last)
        for name in ("keys", "tfz", "positions", "lengths"):
            assert getattr(got, name).tolist() == getattr(want, name).tolist(), (name, first)
    with pytest.raises(ValueError):
        cached.groups(1, 3)  # two sections


@given(st.lists(st.integers(0, 0x10FFFF), max_size=200), st.sampled_from([np.uint32, np.int64]))
def test_distinct_is_what_np_unique_gives(values: list[int], dtype: type) -> None:
    array = np.array(values, dtype=dtype)
    assert distinct(array) == np.unique(array).tolist()
