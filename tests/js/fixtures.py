"""The fixtures node's tests read (tests/js/fixtures/): a tiny index with pack files, and what
the Python side says about it — folding, key hashes, decoded postings, search results — so
search.js is checked against the Python implementation value for value.

    python -m tests.js.fixtures     # regenerate after a change to generator/search/

tests/js/test_node.py fails when the committed fixtures differ from what this writes.
"""

from __future__ import annotations

import base64
import json
import shutil
from pathlib import Path

import numpy as np

from generator.search import index
from generator.search.extract import CHAR_BITS, Block, fragment_body, key_hash, postings
from generator.search.fold import (
    HAN_FIRST,
    HAN_LAST,
    client_table,
    fold,
    search_fold,
    t2s_table,
)
from generator.search.reader import Reader
from generator.search.site import fragment_file

FOLDER = Path(__file__).resolve().parent / "fixtures"

DOCS: list[tuple[str, list[Block]]] = [
    (
        "优化营商环境大会讲话",
        [("p1", False, "深化放管服改革，优化营商环境。"), ("p2", False, "作风建设永远在路上。")],
    ),
    (
        "作风整顿会议讲话",
        [
            ("s1", True, "一、持续优化营商环境"),
            ("p1", False, "推进最多跑一次改革，营商环境持续改善。"),
        ],
    ),
    (
        "營商環境座談會",
        [("p1", False, "優化營商環境，ＡＩ賦能產業。"), ("p2", False, "一岗双责，落实落细。")],
    ),
    ("落实工作会议", [("p1", False, "抓落实，营商环境" * 6), ("p2", False, "AI 与 5G 融合发展。")]),
    (
        "安全生产讲话",
        [("p1", False, '<script>window.__xss=1</script> 与 <img src=x onerror="x()">')],
    ),
]
# numbers are tokens: 5.2% is in one speech, 35.2% and 5.23 in another (probe 10)
DOCS.append(("统计公报解读", [("p1", False, "全年增长5.2%，1、2月份开局良好。")]))
DOCS.append(("经济形势分析", [("p1", False, "外贸增长35.2%，指数为5.23，达到1,234亿元。")]))
# long: positions of three varint bytes
DOCS.append(("长篇讲话", [("p1", False, "一" * 300 + "营商环境" + "二" * 20000 + "放管服")]))
# a phrase whose pairs are all in a title but the phrase itself is not (20…00 in 2009年): the
# title bonus is the other title's, where the phrase is
DOCS += [
    ("2009年政府工作报告", [("p1", False, "2000年以来，经济持续增长。")]),
    ("2000年政府工作报告", [("p1", False, "今年经济持续增长。")]),
]


def _varied(seed: int, length: int) -> str:
    """Simplified Han characters that do not repeat much, so the text compresses like a real
    speech's (and its fragment's folding table stays as short as a real speech's)."""
    table = t2s_table()
    chars = (chr(0x4E00 + (seed * 7919 + j * 104729) % 20000) for j in range(length * 2))
    return "".join(c for c in chars if c not in table)[:length]


# many chunks: the browser reads the first ones only, when they already hold the snippets
DOCS.append(
    (
        "乡村振兴推进会讲话",
        [(f"p{i}", False, f"第{i}段，深化放管服改革。" + _varied(i, 1500)) for i in range(12)]
        + [("p12", False, "全面推进乡村振兴。")],
    )
)
DOCS += [
    (f"第{n}次会议", [("p1", False, "营商环境" + "放管服" * (n % 3) + "作风" * n)])
    for n in range(20)
]

FOLD_CASES = [
    "營商環境",
    "ＡＢＣ abc ＡＩ",
    "１２３，（一）",
    "a\tb\nc\u3000d",
    "ﬁ İ ㈱",
    "優化營商環境",
    "一岗双责",
    "𠀀𠮷",
    "Ⅻ ⅱ",
    "ｶﾀｶﾅ",
    "É́",
]
KEYS = ["二放", "一营", "营", "营商", "商环", "放管", "a", "ai", "5g", "𠮷", "x", "作风"]
QUERIES = [
    "营商环境",
    "營商環境",
    "放管服",
    "作风",
    "营商环境 作风",
    "ＡＩ",
    "ai",
    "5g",
    "落实",
    "营",
    "放管服 作风 营商",
    "script",
    "onerror",
    "不存在",
    "营商环境营商环境",
    "一营商",
    "二放管服",
    "一 放管服",
    "2000",
    "2000年",
    "5.2%",
    "5.2",
    "2月份",
    "1234亿元",
    "1,234",
]
# searchFold against search_fold: the edges of numbers, joined by . and , only
SEARCH_FOLD_CASES = [
    "增长5.2%",
    "增长35.2%，1,234亿元",
    "第1、2、3条",
    "２０２３年 G20 5G",
    "𝟓.𝟐",
    "3. .5 1..2",
    "一九五八年、二○二五年，一二三产业，一九·五八，2一九五八",  # years in Chinese numerals
]


def key_text(text: str) -> tuple[int, int]:
    return ord(text[0]), ord(text[1]) if len(text) > 1 else 0


def generate(folder: Path) -> None:
    """Write the fixtures into `folder` (replacing what is there)."""
    if folder.exists():
        shutil.rmtree(folder)
    site = folder / "index"
    limits = index.INLINE_DOCS, index.INLINE_POSITIONS
    index.INLINE_DOCS, index.INLINE_POSITIONS = 8, 8  # so some lists sit in pack files
    try:
        built = index.build(index.InMemory([postings(t, b) for t, b in DOCS]))
    finally:
        index.INLINE_DOCS, index.INLINE_POSITIONS = limits
    for name, data in built.files.items():
        path = site / "g" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    for number, (title, blocks) in enumerate(DOCS):
        meta = {"title": title, "url": f"/speeches/{number}/", "topics": []}
        (site / "g" / "f").mkdir(exist_ok=True)
        (site / "g" / "f" / f"{number}.bin").write_bytes(
            fragment_file(meta, fragment_body(title, blocks))
        )
    table = client_table()
    (site / "t2s.json").write_text(
        json.dumps({"from": table.source, "to": table.target}, ensure_ascii=False),
        encoding="utf-8",
    )
    manifest = {
        "format": 1,
        "gen": "g",
        "version": "v1",
        "docs": len(DOCS),
        "bucketBits": built.bucket_bits,
        "table": "t2s.json",
        "tableFirst": HAN_FIRST,
        "tableLast": HAN_LAST,
        "tableBitmap": base64.b64encode(table.bitmap).decode(),
    }
    (site / "index.json").write_text(json.dumps(manifest), encoding="utf-8")
    reader = Reader(site)
    keys = []
    for text in KEYS:
        c1, c2 = key_text(text)
        h = int(key_hash(np.array([(c1 << CHAR_BITS) | c2], dtype=np.uint64))[0])
        found = reader.postings(c1, c2, True)
        keys.append(
            {
                "key": text,
                "c1": c1,
                "c2": c2,
                "hash": h,
                "bucket": reader.bucket_name(c1, c2).rsplit("/", 1)[1],
                "docs": found.docs if found else None,
                "counts": found.counts if found else None,
                "zones": found.zones if found else None,
                "positions": found.positions if found else None,
            }
        )
    searches = []
    for query in QUERIES:
        terms, results = reader.search(query)
        searches.append(
            {"query": query, "terms": terms, "results": [[r.doc, r.score] for r in results]}
        )
    expected = {
        "fold": [[text, fold(text)] for text in FOLD_CASES],
        "searchFold": [[text, search_fold(text)] for text in SEARCH_FOLD_CASES],
        "bucketBits": built.bucket_bits,
        "keys": keys,
        "searches": searches,
        "fragments": [
            {"title": t, "blocks": [[a, x] for a, _, x in b], "folds": _folds(t, b)}
            for t, b in DOCS
        ],
    }
    (folder / "expected.json").write_text(
        json.dumps(expected, ensure_ascii=False) + "\n", encoding="utf-8"
    )


def _folds(title: str, blocks: list[Block]) -> dict[str, str]:
    from generator.search.extract import split_fragment_body

    folds = split_fragment_body(fragment_body(title, blocks))[0].get("fold", {})
    assert isinstance(folds, dict)
    return folds


if __name__ == "__main__":
    generate(FOLDER)
