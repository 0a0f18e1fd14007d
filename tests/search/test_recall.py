"""The recall check: for a set of queries, the results are exactly the speeches whose cleaned
text (title + rendered body blocks, folded) contains every term — 100% recall and precision —
on the bundled sample and on the 23 provincial government work reports of the shared corpus
plus the sample's raw seeds, ingested afresh."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.config import load_config
from generator.ingest.pipeline import ingest
from generator.search.reader import Reader, parse_query
from tests.conftest import CORPUS, ROOT
from tests.search.projects import build, cleaned_texts, new_project, scan

REPORTS = CORPUS / "gov-reports-2026"

QUERIES = [
    "放管服",
    "最多跑一次",
    "一岗双责",
    "营商环境",
    "跑一次",
    "商环境",
    "作风",
    "落实",
    "高质量发展",
    "營商環境",
    "高質量發展",
    "ＡＩ",
    "AI",
    "ai",
    "5G",
    "GDP",
    "营",
    "风",
    "改",
    "%",
    "营商环境 作风",
    "高质量发展 营商环境 落实",
    "放管服 最多跑一次",
    "一带一路",
    "新质生产力",
    "人工智能+",
    "乡村振兴",
    "“两个确立”",
    "主要预期目标",
    "营商环境营商环境营商环境",
    "不存在的短语甲乙丙",
    "作风 不存在的短语",
    "㐀",
    " 营商 ",
]


@pytest.fixture(scope="module")
def corpus_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not REPORTS.is_dir():
        pytest.skip(f"the shared corpus is not here ({REPORTS})")
    project = new_project(tmp_path_factory.mktemp("recall") / "project")
    raw = project / "content" / "raw"
    shutil.copytree(ROOT / "content" / "raw", raw / "seeds")
    shutil.copytree(REPORTS, raw / "reports", ignore=shutil.ignore_patterns("*.md"))
    config = load_config(project)
    ingest([config.raw_dir], config)
    build(project)
    return project


def check(project: Path, queries: list[str]) -> int:
    reader = Reader(project / "site" / "search")
    texts = cleaned_texts(project)
    assert reader.manifest["docs"] == len(texts)
    hits = 0
    for query in queries:
        terms, results = reader.search(query)
        assert terms == parse_query(query)
        found = [r.doc for r in results]
        assert len(found) == len(set(found)), query
        assert set(found) == scan(texts, terms), query
        hits += len(found)
    return hits


def test_recall_and_precision_on_the_sample(sample: tuple[Path, Path]) -> None:
    assert check(sample[0], QUERIES) > 20


def test_recall_and_precision_on_the_corpus(corpus_project: Path) -> None:
    texts = cleaned_texts(corpus_project)
    assert len(texts) >= 28
    assert check(corpus_project, QUERIES) > 200
    # every query with results finds what it should; a few must find something
    assert scan(texts, ["营商环境"]) and scan(texts, ["高质量发展"]) and scan(texts, ["ai"])


def test_phrases_cut_from_the_texts(corpus_project: Path) -> None:
    """Phrases of 2–8 characters taken from the texts themselves, so each has at least one
    match, some of them in many speeches and some in one."""
    texts = cleaned_texts(corpus_project)
    queries = []
    for n, text in enumerate(texts[:: max(1, len(texts) // 12)]):
        for length in (2, 3, 5, 8):
            start = (n * 977 + length * 131) % max(1, len(text) - length)
            phrase = text[start : start + length].strip()
            if phrase and " " not in phrase:
                queries.append(phrase)
    assert len(queries) > 30
    check(corpus_project, queries)
