"""Golden site: the bundled sample builds to exactly the pages in tests/golden/site/.

The input is tests/golden/seeds/ (the seeds' golden ingest output), the repo's site.yaml and
themes, served from a sub-path (https://example.org/archive/). Every page, feed, sitemap and
robots.txt is compared byte for byte, with one normalisation: an asset's fingerprint reads
`.HASH.`, so a stylesheet edit does not change every page's golden file (the fingerprints have
tests of their own). The search index's data files and the assets are left out (tests/search
checks the index; its manifest names digests). Any other change to a page shows here as a
diff. After an intended change, regenerate with `UPDATE_GOLDEN=1 make unit` (or this file
alone) and review the diff before committing.
"""

from __future__ import annotations

import difflib
import os
import re
import shutil
from pathlib import Path

from generator.build import build_site
from generator.config import load_config
from tests.conftest import ROOT

GOLDEN = ROOT / "tests" / "golden" / "site"
SEEDS = ROOT / "tests" / "golden" / "seeds"
BASE_URL = "https://example.org/archive/"
FINGERPRINT = re.compile(r"\.[0-9a-f]{10}\.(?=[a-z0-9]+\b)")
KEPT = (".html", ".xml", ".txt")


def _pages(site: Path) -> dict[str, str]:
    """The site's pages, feeds and text files (not assets, not the index's data), normalised."""
    pages = {}
    for path in sorted(site.rglob("*")):
        name = path.relative_to(site).as_posix()
        if path.is_file() and name.endswith(KEPT) and not name.startswith("assets/"):
            pages[name] = FINGERPRINT.sub(".HASH.", path.read_text(encoding="utf-8"))
    return pages


def _build_sample(tmp_path: Path) -> dict[str, str]:
    shutil.copytree(SEEDS, tmp_path / "content" / "speeches")
    shutil.copytree(ROOT / "themes", tmp_path / "themes")
    shutil.copy(ROOT / "site.yaml", tmp_path / "site.yaml")
    result = build_site(load_config(tmp_path), base_url=BASE_URL, jobs=1)
    return _pages(result.output)


def _update(pages: dict[str, str]) -> None:
    shutil.rmtree(GOLDEN, ignore_errors=True)
    for name, text in pages.items():
        path = GOLDEN / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def _diff(name: str, expected: str, produced: str, lines: int = 60) -> str:
    diff = difflib.unified_diff(
        expected.splitlines(), produced.splitlines(), f"golden/{name}", f"built/{name}", lineterm=""
    )
    return "\n".join(list(diff)[:lines])


def test_the_sample_builds_to_the_golden_site(tmp_path: Path) -> None:
    produced = _build_sample(tmp_path)
    if os.environ.get("UPDATE_GOLDEN"):
        _update(produced)
    expected = {
        p.relative_to(GOLDEN).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(GOLDEN.rglob("*"))
        if p.is_file()
    }
    assert sorted(produced) == sorted(expected), "pages added or gone (UPDATE_GOLDEN=1)"
    changed = [name for name in expected if produced[name] != expected[name]]
    assert not changed, (
        f"{len(changed)} pages differ from tests/golden/site/ (if intended: UPDATE_GOLDEN=1 "
        f"make unit, and review the diff):\n"
        + _diff(changed[0], expected[changed[0]], produced[changed[0]])
    )


def test_the_golden_site_is_the_sample_as_a_reader_gets_it() -> None:
    """The golden files are pages worth keeping: every speech, topic and archive page, the
    feeds and the sitemap are there, and pages link within the sub-path."""
    names = {p.relative_to(GOLDEN).as_posix() for p in GOLDEN.rglob("*") if p.is_file()}
    speeches = {f"speeches/{p.stem}/index.html" for p in SEEDS.glob("*.md")}
    assert speeches <= names
    assert {"index.html", "404.html", "feed.xml", "sitemap.xml", "robots.txt"} <= names
    assert {"topics/index.html", "archive/index.html", "search/index.html"} <= names
    home = (GOLDEN / "index.html").read_text(encoding="utf-8")
    hrefs = re.findall(r'href="(/[^"]*)"', home)
    assert hrefs and all(h.startswith("/archive/") for h in hrefs), hrefs
