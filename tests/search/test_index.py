"""The index files: varints, buckets with many keys, pack files, and the key property — a query
finds exactly the documents whose folded text contains every term."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.search import index, varint
from generator.search.extract import Block, postings
from generator.search.fold import fold, search_fold
from generator.search.reader import Reader, parse_query, query_plan

Doc = tuple[str, list[Block]]


@given(st.lists(st.integers(min_value=0, max_value=(1 << 35) - 1), max_size=50))
def test_varint_round_trip(values: list[int]) -> None:
    data, sizes = varint.encode(np.array(values, dtype=np.uint64))
    assert varint.decode(data) == (values, len(data))
    assert sizes.tolist() == [len(varint.encode_one(v)) for v in values]
    assert b"".join(varint.encode_one(v) for v in values) == data


def test_varint_sizes_at_the_limits() -> None:
    values = [0, 127, 128, 16383, 16384, (1 << 21) - 1, 1 << 21, (1 << 28) - 1, 1 << 28]
    _, sizes = varint.encode(np.array(values, dtype=np.uint64))
    assert sizes.tolist() == [1, 1, 2, 2, 3, 3, 4, 4, 5]
    assert varint.decode(b"\x80\x01\x05", 0, 1) == ([128], 2)


def write_index(folder: Path, docs: Sequence[Doc]) -> Reader:
    """Build the index of `docs` (numbered in order) into `folder` with a minimal manifest."""
    built = index.build(index.InMemory([postings(title, blocks) for title, blocks in docs]))
    for name, data in built.files.items():
        path = folder / "g" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    manifest = {"gen": "g", "docs": len(docs), "bucketBits": built.bucket_bits}
    (folder / "index.json").write_text(json.dumps(manifest), encoding="utf-8")
    return Reader(folder)


@contextmanager
def indexed(docs: Sequence[Doc]) -> Iterator[Reader]:
    with tempfile.TemporaryDirectory() as folder:
        yield write_index(Path(folder), docs)


def scan(docs: Sequence[Doc], query: str) -> set[int]:
    terms = parse_query(query)
    texts = [[search_fold(t) for t in [title, *(b[2] for b in blocks)]] for title, blocks in docs]
    if not terms:
        return set()
    return {
        n for n, texts_n in enumerate(texts) if all(any(t in x for x in texts_n) for t in terms)
    }


def found(reader: Reader, query: str) -> set[int]:
    _, results = reader.search(query)
    docs = [r.doc for r in results]
    assert len(docs) == len(set(docs))
    return set(docs)


ALPHABET = "营商环境放管服一次營𠮷5２.,、 "
TEXT = st.text(ALPHABET, min_size=1, max_size=40)
DOC = st.tuples(TEXT, st.lists(st.tuples(st.booleans(), TEXT), max_size=4)).map(
    lambda d: (d[0], [(f"p{i}", h, t) for i, (h, t) in enumerate(d[1])])
)
QUERY = st.one_of(
    st.text(ALPHABET.strip(), min_size=1, max_size=5),
    st.lists(st.text(ALPHABET.strip(), min_size=1, max_size=4), min_size=2, max_size=3).map(
        " ".join
    ),
)


def test_a_number_is_found_whole_not_inside_a_longer_one() -> None:
    """Probe 10: 5.2% found 35.2% and 25.2% (and ranked them first), 100亿 found 1100亿. A
    number is a token: found whole, however it is written (1,234 and 1234), and punctuation
    folding drops (1、2月份) still parts two numbers."""
    docs = [
        ("统计", [("p1", False, "全年增长5.2%，1、2月份开局良好。")]),
        ("分析", [("p1", False, "外贸增长35.2%，指数5.23，投资1100亿元，达到1,234亿元。")]),
        ("年份", [("p1", False, "2023年以来，新增120235户。")]),
    ]
    with indexed(docs) as reader:
        assert found(reader, "5.2%") == found(reader, "5.2") == {0}
        assert found(reader, "35.2%") == {1}
        assert found(reader, "100亿") == set()
        assert found(reader, "1100亿") == {1}
        assert found(reader, "1,234亿元") == found(reader, "1234亿元") == {1}
        assert found(reader, "2月份") == {0}
        assert found(reader, "2023") == {2}
        assert found(reader, "023") == found(reader, "202") == set()


def test_a_year_is_found_in_digits_and_in_chinese_numerals() -> None:
    """Probe 20: the reports of the 1950s write 一九五八年; 1958年 found only the speeches that
    write it in digits, and 二〇二五年 (二零二五年 from a pinyin keyboard) none of those."""
    docs = [
        ("1958年政府工作报告", [("p1", False, "一九五八年是大跃进的一年。")]),
        ("回顾", [("p1", False, "1958年以来，一二三产业协调发展。")]),
        ("展望", [("p1", False, "到二○三五年，2025年目标完成。")]),
    ]
    with indexed(docs) as reader:
        assert found(reader, "1958年") == found(reader, "一九五八年") == {0, 1}
        assert found(reader, "一九五八") == {0, 1}
        assert found(reader, "2035") == found(reader, "二零三五年") == {2}
        assert found(reader, "二〇二五年") == {2}
        assert found(reader, "一二三产业") == {1}
        assert reader.search("1958")[1][0].doc == 0  # its title says it


def check(docs: list[Doc], queries: list[str]) -> None:
    with indexed(docs) as reader:
        for query in queries:
            assert found(reader, query) == scan(docs, query), query


@settings(max_examples=40, deadline=None)
@given(st.lists(DOC, min_size=1, max_size=6), st.lists(QUERY, min_size=1, max_size=8))
def test_search_finds_exactly_the_documents_containing_every_term(
    docs: list[Doc], queries: list[str]
) -> None:
    check(docs, queries)


@settings(max_examples=25, deadline=None)
@given(st.lists(DOC, min_size=1, max_size=6), st.lists(QUERY, min_size=1, max_size=6))
def test_long_lists_in_pack_files(docs: list[Doc], queries: list[str]) -> None:
    """With tiny inline limits, document lists and positions go to the pack (`.x`) files."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(index, "INLINE_DOCS", 1)
        patch.setattr(index, "INLINE_POSITIONS", 1)
        check(docs, queries)


def test_pack_files_are_written_and_read(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(index, "INLINE_DOCS", 4)
    monkeypatch.setattr(index, "INLINE_POSITIONS", 4)
    docs: list[Doc] = [
        (f"标题{n}", [("p1", False, "营商环境放管服" * (n + 1) + "一次" * n)]) for n in range(30)
    ]
    reader = write_index(tmp_path, docs)
    assert list(tmp_path.glob("g/b/*.x"))
    for query in ("营商环境", "放管服", "一次", "营", "服营", "营商 一次", "管服营商环"):
        assert found(reader, query) == scan(docs, query)
    assert any("." in name and ".x@" in name for name in reader.fetched)
    _, results = reader.search("营商")
    assert results[0].doc == 29  # most occurrences first


def test_buckets_hold_many_keys(tmp_path: Path) -> None:
    """Small archives have 64 buckets and hundreds of keys: the reader must skip the others."""
    text = "深化放管服改革推进最多跑一次改革优化营商环境落实一岗双责作风建设高质量发展"
    docs: list[Doc] = [(text[i : i + 6], [("p1", False, text[i:] + text[:i])]) for i in range(10)]
    reader = write_index(tmp_path, docs)
    counts = [varint.decode(p.read_bytes(), 0, 1)[0][0] for p in sorted(tmp_path.glob("g/b/*.bin"))]
    assert len(counts) == 64
    assert max(counts) >= 3
    assert sum(c > 1 for c in counts) > 10
    for i in range(len(text) - 3):
        for query in (text[i], text[i : i + 2], text[i : i + 4], text[i] + " " + text[i + 3]):
            assert found(reader, query) == scan(docs, query), query
    assert found(reader, "改革改革") == set()
    assert found(reader, "营商环境 不存在") == set()


def test_more_documents_than_one_byte_of_gaps(tmp_path: Path) -> None:
    docs: list[Doc] = [
        (f"第{n}篇", [("p1", False, "营商环境" if n % 97 == 0 else "作风建设")]) for n in range(400)
    ]
    reader = write_index(tmp_path, docs)
    assert found(reader, "营商环境") == {n for n in range(400) if n % 97 == 0}
    assert found(reader, "作风建设") == {n for n in range(400) if n % 97}


def test_long_document_positions(tmp_path: Path) -> None:
    body = "作风" * 40_000 + "营商环境"
    docs: list[Doc] = [("甲", [("p1", False, body)]), ("乙", [("p1", False, "营商环境")])]
    reader = write_index(tmp_path, docs)
    assert found(reader, "风营商环") == {0}
    assert found(reader, "营商环境") == {0, 1}
    assert found(reader, "作风 营商环境") == {0}


def test_parallel_merge_writes_the_same_files(monkeypatch: pytest.MonkeyPatch) -> None:
    text = "深化放管服改革推进最多跑一次改革优化营商环境落实一岗双责作风建设高质量发展"
    docs = [postings(text[i:], [("p1", False, text[: i + 3] * 3)]) for i in range(20)]
    serial = index.build(index.InMemory(docs), jobs=1)
    monkeypatch.setattr(index, "PARALLEL_MIN", 0)
    parallel = index.build(index.InMemory(docs), jobs=2)
    assert parallel.files == serial.files
    assert (parallel.keys, parallel.postings, parallel.positions) == (
        serial.keys,
        serial.postings,
        serial.positions,
    )


def test_keys_sharing_a_hash_are_merged_apart(tmp_path: Path) -> None:
    """Two keys with one 32-bit hash share bucket and low hash bits, so the merge's radix order
    interleaves their postings document by document until its fix-up sorts the run by key."""
    from generator.search.extract import key_hash
    from tests.search.test_extract import COLLIDING, key

    keys = np.array([key(fold(pair)) for pair in COLLIDING], dtype=np.uint64)
    assert keys[0] != keys[1] and len(set(key_hash(keys).tolist())) == 1  # (else moot)
    first, second = COLLIDING
    texts = [first, second, first + "，" + second, second, first]
    docs: list[Doc] = [(f"第{n}篇", [("p1", False, text)]) for n, text in enumerate(texts)]
    check(docs, [first, second, f"{first} {second}", first[0], second[1]])
    reader = write_index(tmp_path, docs)
    assert found(reader, first) == {0, 2, 4}
    assert found(reader, second) == {1, 2, 3}


def test_a_query_loses_invisible_characters_and_the_quotes_around_its_terms() -> None:
    """A pasted query brings zero-width spaces and BOMs along, and readers quote phrases from
    the habit of search engines: neither may turn a phrase into one no speech contains."""
    assert parse_query("营商\u200b环境") == ["营商环境"]
    assert parse_query("\ufeff放管服\u00ad") == ["放管服"]
    assert parse_query('"营商环境"') == ["营商环境"]
    assert parse_query("'放管服' “最多跑一次” 「落实」") == ["放管服", "最多跑一次", "落实"]
    assert parse_query("“ ”") == []
    assert parse_query("放“管”服") == ["放管服"]  # inside a term too: folding drops them
    # a name's dot typed as a full stop (review); a figure's stays
    assert parse_query("艾尔肯.吐尼亚孜 艾尔肯．吐尼亚孜 5.2%") == [
        "艾尔肯吐尼亚孜",
        search_fold("5.2%"),
    ]


def test_a_query_reads_or_a_minus_and_a_plus_as_a_search_engine_does() -> None:
    """Probe 10 #15: 营商环境 -作风 found nothing (-作风 was a term), 营商环境 OR 作风 found
    `or` in 运作风险, 营商+环境 nothing. OR joins alternatives, a leading minus excludes, a
    leading plus and AND say what is said anyway."""
    docs = [
        ("甲", [("p1", False, "优化营商环境。")]),
        ("乙", [("p1", False, "优化营商环境，转变作风。")]),
        ("丙", [("p1", False, "转变作风，抓好落实。")]),
        ("丁", [("p1", False, "抓好落实。运作风险 or more。")]),
    ]
    with indexed(docs) as reader:
        assert found(reader, "营商环境 -作风") == {0}
        assert found(reader, "营商环境 －作风") == {0}  # a full-width minus
        assert found(reader, "营商环境 OR 落实") == {0, 1, 2, 3}
        assert found(reader, "营商环境 | 落实 作风") == {1, 2, 3}  # 运作风险 has 作风
        assert found(reader, "+营商 AND 环境") == {0, 1}
        assert found(reader, "-作风") == set()  # nothing to find
        assert found(reader, "营商环境 or") == set()  # lower case: a word to find
    plan = query_plan("OR 营商环境 OR 落实 -作风 -作风 营商环境 落实")
    assert plan.groups == [["营商环境", "落实"], ["营商环境"], ["落实"]]
    assert plan.excluded == ["作风"]
    assert plan.terms == ["营商环境", "落实"]
    assert parse_query("a-b 5-2") == [search_fold("a-b"), search_fold("5-2")]  # not leading
