"""Build records before and after → the pages to reload and the assets to swap."""

from __future__ import annotations

import hashlib
from pathlib import Path

from generator.serve.changes import diff, logical_name, renamed_assets

OLD_CSS = "assets/css/site.1111111111.css"
NEW_CSS = "assets/css/site.2222222222.css"


def _page(root: Path, name: str, text: str) -> str:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return hashlib.sha256(text.encode()).hexdigest()


def test_fingerprinted_names() -> None:
    assert logical_name(OLD_CSS) == "assets/css/site.css"
    assert logical_name("assets/favicon.07be29bd62.svg") == "assets/favicon.svg"
    assert logical_name("assets/css/site.css") is None
    assert logical_name("speeches/a.1111111111.html") is None


def test_renamed_assets_pair_old_and_new_by_name() -> None:
    before = {OLD_CSS: "h1", "assets/js/site.aaaaaaaaaa.js": "j"}
    after = {NEW_CSS: "h2", "assets/js/site.aaaaaaaaaa.js": "j", "assets/new.bbbbbbbbbb.css": "n"}
    assert renamed_assets(before, after) == {OLD_CSS: NEW_CSS}


def test_a_page_that_changed_only_in_its_stylesheet_link_is_not_reloaded(tmp_path: Path) -> None:
    template = '<link rel="stylesheet" href="/archive/{}"><p>{}</p>'
    old_a = hashlib.sha256(template.format(OLD_CSS, "a").encode()).hexdigest()
    old_b = hashlib.sha256(template.format(OLD_CSS, "b").encode()).hexdigest()
    before = {"a/index.html": old_a, "b/index.html": old_b, OLD_CSS: "c1", "feed.xml": "f"}
    after = {
        "a/index.html": _page(tmp_path, "a/index.html", template.format(NEW_CSS, "a")),
        "b/index.html": _page(tmp_path, "b/index.html", template.format(NEW_CSS, "b, edited")),
        NEW_CSS: "c2",
        "feed.xml": "f2",
        "c/index.html": _page(tmp_path, "c/index.html", "new page"),
    }
    update = diff(before, after, tmp_path, "/archive/")
    assert update.pages == ["b/index.html", "c/index.html"]
    assert update.assets == {f"/archive/{OLD_CSS}": f"/archive/{NEW_CSS}"}
    assert set(update.written) == {"a/index.html", "b/index.html", "c/index.html", "feed.xml"} | {
        OLD_CSS,
        NEW_CSS,
    }


def test_removed_and_changed_pages_reload_and_unchanged_ones_do_not(tmp_path: Path) -> None:
    before = {"a/index.html": "1", "gone/index.html": "2", "same/index.html": "3"}
    after = {"a/index.html": _page(tmp_path, "a/index.html", "x"), "same/index.html": "3"}
    update = diff(before, after, tmp_path, "/")
    assert update.pages == ["a/index.html", "gone/index.html"]
    assert update.assets == {}
    assert diff(after, after, tmp_path, "/").written == []
