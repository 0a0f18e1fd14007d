"""search.js under node's own test runner, and search.js against the Python reader on the built
sample: the same queries give the same documents in the same order."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest

from generator.render.theme import minified
from generator.search.fold import client_table, fold
from generator.search.reader import Reader
from tests.e2e.sites import in_ci
from tests.js import fixtures
from tests.search.projects import REPORTS, built_corpus, built_sample

HERE = Path(__file__).resolve().parent
SEARCH_JS = HERE.parent.parent / "themes" / "default" / "static" / "js" / "search.js"
QUERIES = [
    "营商环境",
    "營商環境",
    "放管服",
    "最多跑一次",
    "一岗双责",
    "作风",
    "落实",
    "作风 落实",
    "营商环境 落实 作风",
    "高质量发展",
    "整顿",
    "风",
    "ＡＩ",
    "xx",
    "不存在的短语",
    "“最多跑一次”",
    "抓落实 营商",
    '"营商环境"',
    "'放管服' “落实”",
    "营商\u200b环境",
    "\ufeff「最多跑一次」",
    "营商环境 -作风",
    "营商环境 OR 作风",
    "作风 OR 营商环境 落实",
    "+营商 AND 环境",
    "落实 | 放管服 -整顿",
    "-作风",
]


def node() -> str:
    found = shutil.which("node") or shutil.which("nodejs")
    if found is None:
        message = "node is missing (Debian package nodejs; scripts/install-test-deps.sh)"
        if in_ci():
            pytest.fail(f"{message} (CI=true: missing tools fail instead of skipping)")
        pytest.skip(message)
    return found


def test_fixtures_are_current(tmp_path: Path) -> None:
    """The committed fixtures are what the Python code writes now (else: python -m
    tests.js.fixtures)."""
    fixtures.generate(tmp_path / "fixtures")
    fresh = {
        p.relative_to(tmp_path / "fixtures"): p.read_bytes()
        for p in (tmp_path / "fixtures").rglob("*")
        if p.is_file()
    }
    committed = {
        p.relative_to(fixtures.FOLDER): p.read_bytes()
        for p in fixtures.FOLDER.rglob("*")
        if p.is_file()
    }
    assert sorted(fresh) == sorted(committed)
    stale = [str(name) for name in fresh if fresh[name] != committed[name]]
    assert not stale, f"stale fixtures (run python -m tests.js.fixtures): {stale}"


def run_node_tests(env: dict[str, str] | None = None) -> None:
    tests = sorted(str(p) for p in HERE.glob("*.test.mjs"))
    run = subprocess.run(
        [node(), "--test", *tests],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env=None if env is None else {**os.environ, **env},
    )
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
    assert "# fail 0" in run.stdout


def test_node_test_runner_passes() -> None:
    run_node_tests()


def test_node_tests_pass_on_the_minified_search_js(tmp_path: Path) -> None:
    """The same tests over search.js as a build writes it: minifying changed no behaviour."""
    source = SEARCH_JS.read_bytes()
    script = tmp_path / "search.min.js"
    script.write_bytes(minified(".js", source))
    assert len(script.read_bytes()) < len(source)
    run_node_tests({"SEARCH_JS": str(script)})


def cross_check(folder: Path, queries: list[str], tmp_path: Path) -> int:
    """Run `queries` through search.js (node) and the Python reader over `folder`; assert the
    same terms, documents, order and scores. The number of queries with results."""
    queries_path = tmp_path / "queries.json"
    queries_path.write_text(json.dumps(queries, ensure_ascii=False), encoding="utf-8")
    run = subprocess.run(
        [node(), str(HERE / "cross_check.mjs"), str(folder), str(queries_path)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    answers = json.loads(run.stdout)
    reader = Reader(folder)
    found_any = 0
    for query, answer in zip(queries, answers, strict=True):
        terms, results = reader.search(query)
        assert answer["query"] == query
        assert answer["terms"] == terms, query
        assert answer["docs"] == [r.doc for r in results], query
        assert answer["scores"] == pytest.approx([r.score for r in results], rel=1e-12), query
        found_any += bool(results)
    return found_any


def test_search_js_agrees_with_the_python_reader(
    tmp_path_factory: pytest.TempPathFactory, tmp_path: Path
) -> None:
    _, site = built_sample(tmp_path_factory.mktemp("js-sample"))
    assert cross_check(site / "search", QUERIES, tmp_path) >= 10


def test_search_js_agrees_with_the_python_reader_on_the_corpus(
    tmp_path_factory: pytest.TempPathFactory, tmp_path: Path
) -> None:
    project = built_corpus(tmp_path_factory.mktemp("js-corpus"))
    if project is None:
        pytest.skip(f"the shared corpus is not here ({REPORTS})")
    queries = [*QUERIES, "新质生产力", "一带一路", "人工智能 乡村振兴", "gdp", "主要预期目标", "%"]
    assert cross_check(project / "site" / "search", queries, tmp_path) >= 15


def test_search_js_folds_every_character_as_python_does(tmp_path: Path) -> None:
    """Every code point of Python's Unicode database (surrogates aside). Characters Python does
    not know yet (newer Unicode in node/chromium) may differ; no speech text uses them."""
    text = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000)
    table = client_table()
    paths = [tmp_path / "text", tmp_path / "expected", tmp_path / "t2s.json"]
    paths[0].write_text(text, encoding="utf-8")
    paths[1].write_text(json.dumps([fold(char) for char in text]), encoding="utf-8")
    paths[2].write_text(
        json.dumps({"from": table.source, "to": table.target}, ensure_ascii=False),
        encoding="utf-8",
    )
    run = subprocess.run(
        [node(), str(HERE / "fold_all.mjs"), *map(str, paths)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    differ = [c for c in json.loads(run.stdout) if unicodedata.category(chr(c)) != "Cn"]
    assert not differ, [f"U+{c:04X} {unicodedata.name(chr(c), '')}" for c in differ[:20]]
