"""The shared corpus of real reports ingests cleanly: no errors, metadata, outlines, no chrome, and
no character of the speech lost.

Every file under ../shared/corpus/ (provincial reports scraped with their web page's chrome, GBK
district reports, Wikisource national reports with wiki debris) is ingested once per session into
a scratch project. Expected values are read from each raw file by pattern, never written down per
file, so the checks hold for any report of the same kind. Skipped when the corpus is not there.

The same layouts in miniature, with made-up names, live in tests/fixtures/chrome/ as a raw file
and its expected metadata and body: they pin each rule even where the corpus is absent.
"""

from __future__ import annotations

import re
import shutil
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.config import load_config
from generator.ingest.clean import Removed
from generator.ingest.decode import read_source
from generator.ingest.pipeline import FileResult, ingest, prepare
from generator.speech import split_front_matter
from generator.text import HAN, HAN_RE, INVISIBLE_RE

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"
ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "chrome"
FILES = sorted(CORPUS.glob("*/*.txt")) if CORPUS.is_dir() else []

# Lines of web-page chrome that must never survive as a paragraph of the body.
CHROME_LINE_RE = re.compile(
    r"^(?:下载|打印|全屏|收藏|分享|加大|还原|减小|关闭窗口|打印本页|返回顶部|首页|>|】|【)\s*[:：]?$"
    r"|^【\s*(?:字号|字体)|^(?:来源|时间|发布时间|发表时间|责任编辑|编辑|阅读量)\s*[:：]"
    r"|^(?:相关报道|相关新闻|相关链接|相关附件)|扫一扫|^[0-9a-f]{24,}\s*[:：]?$"
    r"|^(?i:public domain|true|false)$|^本作品(?:是|来自)"
)
SUBTITLE_RE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日在(.{4,60}?会议)上")
SALUTATION_LINE_RE = re.compile(r"^[\s\u3000]*各位代表[：:！!，,]", re.MULTILINE)
FIRST_SECTION_RE = re.compile(r"^[\s\u3000]*一、", re.MULTILINE)
NATIONAL_RE = re.compile(r"国务院|全国人民代表大会|全国代表大会")
SPACED_OUT_RE = re.compile(f"(?:[{HAN}] ){{2,}}[{HAN}]")
NAME_RE = re.compile(f"^(?:[{HAN}]{{2,4}}|[{HAN}]+(?:·[{HAN}]+)+)$")
LEVEL_BY_SET = {"gov-reports-2026": "省", "hailar-reports": "县"}

# Removal budget. Chrome inside a page (toolbars, source lines, captions) is a few short lines;
# a footer or licence notice running to the end of the file may be longer, but bounded.
MAX_INNER_REMOVED_HAN = 250
MAX_TRAILING_REMOVED_HAN = 600
LONG_PROSE_RE = re.compile(r"^(?=.{60,}).*[。！？；]")
# A photo caption is prose by form; the rule only takes one that ends in a photographer's credit.
PROSE_LIKE_CHROME = {"photo caption"}


@dataclass
class Ingested:
    path: Path
    raw: str
    raw_lines: dict[int, str]
    result: FileResult
    front: dict[str, Any]
    body: str


def _id(path: Path) -> str:
    return f"{path.parent.name}/{path.name}"


def _han(*pieces: str | None) -> Counter[str]:
    return Counter(char for piece in pieces if piece for char in HAN_RE.findall(piece))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Ingested]:
    """Every corpus file ingested once into a scratch project, keyed by set/name."""
    if not FILES:
        pytest.skip(f"shared corpus not found at {CORPUS}")
    project = tmp_path_factory.mktemp("corpus-project")
    shutil.copy(ROOT / "site.yaml", project / "site.yaml")
    config = load_config(project)
    report = ingest([CORPUS], config)
    by_path = {Path(r.paths[0]).resolve(): r for r in report.results}
    out: dict[str, Ingested] = {}
    for path in FILES:
        result = by_path[path.resolve()]
        front: dict[str, Any] = {}
        body = ""
        if result.error is None:
            md = config.speeches_dir / f"{result.slug}.md"
            front, body, _ = split_front_matter(md.read_text(encoding="utf-8"), md)
        lines = {s.line: s.text for s in read_source(path).lines}
        out[_id(path)] = Ingested(path, "\n".join(lines.values()), lines, result, front, body)
    return out


def _file(corpus: dict[str, Ingested], path: Path) -> Ingested:
    item = corpus[_id(path)]
    assert item.result.error is None, item.result.error
    return item


def _is_report(path: Path) -> bool:
    return "报告" in path.stem and "决议" not in path.stem


def _trailing_start(item: Ingested) -> int:
    """First line of the run of removed lines that reaches the end of the file (or past it)."""
    removed = {r.line for r in item.result.removed}
    start = max(item.raw_lines, default=0) + 1
    for number in sorted(item.raw_lines, reverse=True):
        text = INVISIBLE_RE.sub("", item.raw_lines[number]).strip()
        if text and number not in removed:
            break
        start = number
    return start


def _body_paragraphs(item: Ingested) -> list[str]:
    return [line for line in item.body.splitlines() if line and not line.startswith("{#")]


# --- every file ------------------------------------------------------------------------------


@pytest.mark.parametrize("path", FILES, ids=_id)
def test_ingests_without_error(corpus: dict[str, Ingested], path: Path) -> None:
    item = _file(corpus, path)
    assert item.front["title"]
    assert item.body.strip()


@pytest.mark.parametrize("path", FILES, ids=_id)
def test_title_is_clean(corpus: dict[str, Ingested], path: Path) -> None:
    title = _file(corpus, path).front["title"]
    assert len(HAN_RE.findall(title)) >= 4, title
    assert not SPACED_OUT_RE.search(title), f"spaced-out title {title!r}"


@pytest.mark.parametrize("path", [p for p in FILES if _is_report(p)], ids=_id)
def test_reports_have_an_outline(corpus: dict[str, Ingested], path: Path) -> None:
    assert _file(corpus, path).front["outline"], "a report without 一、/（一） outline"


@pytest.mark.parametrize("path", FILES, ids=_id)
def test_no_page_chrome_left_in_the_body(corpus: dict[str, Ingested], path: Path) -> None:
    chrome = [p for p in _body_paragraphs(_file(corpus, path)) if CHROME_LINE_RE.search(p)]
    assert not chrome, chrome


@pytest.mark.parametrize("path", FILES, ids=_id)
def test_salutation_is_kept_and_recorded(corpus: dict[str, Ingested], path: Path) -> None:
    item = _file(corpus, path)
    salutation = SALUTATION_LINE_RE.search(item.raw)
    section = FIRST_SECTION_RE.search(item.raw)
    if salutation is None or (section is not None and section.start() < salutation.start()):
        pytest.skip("the speech does not open with 各位代表")
    assert item.front["salutation"] == "各位代表"
    assert _body_paragraphs(item)[0].startswith("各位代表")


@pytest.mark.parametrize("path", FILES, ids=_id)
def test_level(corpus: dict[str, Ingested], path: Path) -> None:
    item = _file(corpus, path)
    expected = LEVEL_BY_SET.get(path.parent.name)
    if expected is None and NATIONAL_RE.search(item.raw):
        expected = "国家"
    if expected is None:
        pytest.skip("no national body named: a local organisation's report")
    assert item.front["level"] == expected


@pytest.mark.parametrize("path", FILES, ids=_id)
def test_subtitle_gives_date_and_occasion(corpus: dict[str, Ingested], path: Path) -> None:
    item = _file(corpus, path)
    head = re.sub(r"[\s\u3000]", "", item.raw[:3000])
    found = SUBTITLE_RE.search(head)
    if found is None:
        pytest.skip("no dated subtitle 2026年1月25日在…会议上")
    year, month, day, occasion = found.groups()
    assert str(item.front["date"]) == f"{int(year):04d}-{int(month):02d}-{int(day):02d}"
    assert item.front["occasion"] == occasion


@pytest.mark.parametrize("path", [p for p in FILES if "gov-reports" in p.parent.name], ids=_id)
def test_provincial_reports_have_full_metadata(corpus: dict[str, Ingested], path: Path) -> None:
    item = _file(corpus, path)
    front = item.front
    for key in ("date", "occasion", "speaker", "speaker_role", "subtitle"):
        assert front[key], f"{key} missing"
    assert NAME_RE.match(front["speaker"]), front["speaker"]
    squeezed = re.sub(r"[\s\u3000]", "", item.raw)
    assert f"{front['speaker_role']}{front['speaker']}" in squeezed, "byline not in the raw text"


# --- nothing lost, little removed -------------------------------------------------------------


@pytest.mark.parametrize("path", FILES, ids=_id)
def test_no_han_character_lost(corpus: dict[str, Ingested], path: Path) -> None:
    """Every Han character of the raw file is in the body, in a front-matter field copied from
    a header line (title, subtitle, byline), or in a line the report lists as removed."""
    item = _file(corpus, path)
    front = item.front
    derived_title = any("title taken from" in w or "inferred" in w for w in item.result.warnings)
    kept = _han(
        item.body,
        None if derived_title else front["title"],
        front["subtitle"],
        front["speaker"],
        front["speaker_role"],
        *(r.text for r in item.result.removed),
    )
    lost = _han(item.raw) - kept
    assert not lost, f"lost {sum(lost.values())} Han characters: {''.join(lost.elements())[:80]}"


@pytest.mark.parametrize("path", FILES, ids=_id)
def test_removed_lines_are_chrome(corpus: dict[str, Ingested], path: Path) -> None:
    """Inside the text only short chrome goes; a footer or licence notice may run to the end."""
    item = _file(corpus, path)
    trailing = _trailing_start(item)
    inner: list[Removed] = [r for r in item.result.removed if r.line < trailing]
    tail: list[Removed] = [r for r in item.result.removed if r.line >= trailing]
    body_han = "".join(HAN_RE.findall(item.body))
    prose = [
        r.text
        for r in inner
        if LONG_PROSE_RE.match(r.text)
        and r.reason not in PROSE_LIKE_CHROME
        and "".join(HAN_RE.findall(r.text)) not in body_han
    ]
    assert not prose, f"prose removed from inside the text: {prose}"
    inner_han = sum(_han(r.text).total() for r in inner)
    assert inner_han <= MAX_INNER_REMOVED_HAN, f"{inner_han} Han characters removed inside"
    tail_han = sum(_han(r.text).total() for r in tail)
    assert tail_han <= MAX_TRAILING_REMOVED_HAN, f"{tail_han} Han characters removed at the end"


# --- the same layouts in miniature --------------------------------------------------------------

META_KEYS = (
    "title",
    "subtitle",
    "date",
    "occasion",
    "speaker",
    "speaker_role",
    "salutation",
    "level",
)


@pytest.mark.parametrize("raw", sorted(FIXTURES.glob("*.txt")), ids=lambda p: p.stem)
def test_fixture(raw: Path, tmp_path: Path) -> None:
    """raw → the metadata, the whole body and the removals listed in <name>.expected.yaml."""
    expected = yaml.safe_load(raw.with_suffix(".expected.yaml").read_text(encoding="utf-8"))
    prepared = prepare(raw, load_config(tmp_path))
    meta = prepared.meta
    for key in META_KEYS:
        if key in expected:
            assert getattr(meta, key) == expected[key], key
    assert [p.text for p in meta.body] == expected["body"]
    removed = {(r.reason, r.text) for r in prepared.removed}
    for reason, text in expected.get("removed", []):
        assert (reason, text) in removed, (reason, text)
    lost = _han(raw.read_bytes().decode(prepared.source.encoding.split(",")[0])) - _han(
        *(p.text for p in meta.body),
        meta.title,
        meta.subtitle,
        meta.speaker,
        meta.speaker_role,
        *(r.text for r in prepared.removed),
    )
    assert not lost, "".join(lost.elements())
