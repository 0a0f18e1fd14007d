"""The build on the bundled sample: pages, links, feeds, incremental rebuilds, safety, errors."""

from __future__ import annotations

import hashlib
import json
import math
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

import generator.build as build_module
import generator.build.cache as cache_module
import generator.build.load as load_module
from generator.archive import Entry, load_entry
from generator.bodystore import BodyStore
from generator.build import MARKER, BuildResult, build_site
from generator.cli import main
from generator.config import load_config
from generator.errors import UserError
from generator.render.pages import BodyInfo, PageBuilder, SpeechSummary
from tests.conftest import ROOT

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def site_project(tmp_path: Path) -> Path:
    """A project with the sample's ingested speeches, site.yaml and the themes."""
    shutil.copytree(ROOT / "content" / "speeches", tmp_path / "content" / "speeches")
    shutil.copytree(ROOT / "themes", tmp_path / "themes")
    shutil.copy(ROOT / "site.yaml", tmp_path / "site.yaml")
    return tmp_path


def build(project: Path, **kwargs: object) -> BuildResult:
    return build_site(load_config(project), jobs=1, **kwargs)  # type: ignore[arg-type]


def use_theme(config_path: Path, name: str = "mine") -> None:
    """Set `theme:` in the project's site.yaml (config_path), as a site with its own theme does."""
    config_path.write_text(config_path.read_text("utf-8") + f"\ntheme: {name}\n", "utf-8")


def front(path: Path) -> dict[str, object]:
    data = yaml.safe_load(path.read_text(encoding="utf-8").split("---\n", 2)[1])
    assert isinstance(data, dict)
    return data


class Links(HTMLParser):
    """Collects ids, hrefs and srcs of one page."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(str(values["id"]))
        for name in ("href", "src"):
            if values.get(name):
                self.links.append(str(values[name]))


def speech_with(project: Path, text: str) -> Path:
    """The first speech file of the project that holds `text`."""
    return next(
        path
        for path in sorted((project / "content" / "speeches").glob("*.md"))
        if text in path.read_text("utf-8")
    )


def table_of_contents(page: str) -> str:
    """A speech page's table of contents, as HTML."""
    toc = page[page.index('class="toc') :]
    return toc[: toc.index("</nav>")]


def parse(path: Path) -> Links:
    parser = Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def resolve(site: Path, base_path: str, link: str) -> Path | None:
    """The file an internal link points to, or None for external/anchor-only links."""
    if link.startswith(("http://", "https://", "mailto:", "#", "data:")):
        return None
    assert link.startswith(base_path), f"internal link {link} outside {base_path}"
    path = link[len(base_path) :].split("#")[0].split("?")[0]
    target = site / path
    return target / "index.html" if path == "" or path.endswith("/") else target


def test_sample_site_has_every_page(site_project: Path) -> None:
    result = build(site_project)
    site = result.output
    for name in (
        "index.html",
        "topics/index.html",
        "archive/index.html",
        "archive/level/index.html",
        "archive/speaker/index.html",
        "search/index.html",
        "404.html",
        "feed.xml",
        "sitemap.xml",
        "robots.txt",
    ):
        assert (site / name).is_file(), name
    speeches = sorted((site_project / "content" / "speeches").glob("*.md"))
    for path in speeches:
        assert (site / "speeches" / path.stem / "index.html").is_file()
    assert result.pages >= len(speeches) + 8


def test_a_project_without_a_themes_folder_builds_with_the_stock_theme(
    site_project: Path,
) -> None:
    """A new project (site.yaml and speeches) needs no copy of the default theme, as a Hugo or
    MkDocs site needs none of its stock theme: the build failed with 'the default theme is
    missing'. The same pages come out as with the project's copy."""
    with_copy = build(site_project).output
    pages = {p.relative_to(with_copy): p.read_bytes() for p in with_copy.rglob("*.html")}
    shutil.rmtree(site_project / "themes")
    shutil.rmtree(site_project / ".speechsite-cache")
    without = build(site_project).output
    assert {p.relative_to(without): p.read_bytes() for p in without.rglob("*.html")} == pages


def test_a_site_theme_inherits_from_the_stock_theme(site_project: Path) -> None:
    shutil.rmtree(site_project / "themes")
    mine = site_project / "themes" / "mine" / "templates"
    mine.mkdir(parents=True)
    (mine / "404.html").write_text(
        '{% extends "default/404.html" %}{% block title %}走丢了{% endblock %}', "utf-8"
    )
    with (site_project / "site.yaml").open("a", encoding="utf-8") as handle:
        handle.write("theme: mine\n")
    site = build(site_project).output
    assert "<title>走丢了" in (site / "404.html").read_text("utf-8")
    assert (site / "index.html").is_file()


def test_a_themes_stylesheet_points_at_its_fingerprinted_images(site_project: Path) -> None:
    """A theme's `url(../img/bg.png)` led nowhere once bg.png was written as bg.<hash>.png,
    and a stylesheet has no asset() to fix it with: its url()s now name the written files."""
    static = site_project / "themes" / "mine" / "static"
    (static / "img").mkdir(parents=True)
    (static / "img" / "bg.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (static / "fonts").mkdir()
    (static / "fonts" / "f.woff2").write_bytes(b"wOF2")
    (static / "css").mkdir()
    (static / "css" / "extra.css").write_text(
        "body{background:url(../img/bg.png)}"
        "@font-face{src:url('../fonts/f.woff2?v=1') format('woff2')}"
        "a{background:url(data:image/gif;base64,R0lGOD) url(https://example.org/x.png)}",
        "utf-8",
    )
    with (site_project / "site.yaml").open("a", encoding="utf-8") as handle:
        handle.write("theme: mine\n")
    site = build(site_project).output
    [css] = (site / "assets" / "css").glob("extra.*.css")
    text = css.read_text("utf-8")
    [image] = re.findall(r"url\((\.\./img/bg\.[0-9a-f]{10}\.png)\)", text)
    assert (css.parent / image).resolve().is_file()
    [font] = re.findall(r"url\('(\.\./fonts/f\.[0-9a-f]{10}\.woff2)\?v=1'\)", text)
    assert (css.parent / font).resolve().is_file()
    assert "url(data:image/gif;base64,R0lGOD)" in text and "url(https://example.org/x.png)" in text
    # a sheet that imports a sheet names it as it is written (the second's rewrite gives it
    # a new fingerprint: the import led to the old one)
    (static / "css" / "first.css").write_text('@import url("extra.css");', "utf-8")
    site = build(site_project).output
    [first] = (site / "assets" / "css").glob("first.*.css")
    [imported] = re.findall(r'url\("(extra\.[0-9a-f]{10}\.css)"\)', first.read_text("utf-8"))
    assert (first.parent / imported).is_file()


def test_outline_links_resolve_to_headings(site_project: Path) -> None:
    site = build(site_project).output
    for path in (site_project / "content" / "speeches").glob("*.md"):
        page = parse(site / "speeches" / path.stem / "index.html")
        ids = _outline_ids(front(path)["outline"])  # type: ignore[arg-type]
        assert ids, path.name
        for ident in ids:
            assert ident in page.ids, f"{path.stem}: heading #{ident} missing"
            assert f"#{ident}" in page.links, f"{path.stem}: no TOC link to #{ident}"


def test_the_table_of_contents_follows_headings_edited_in_the_text(site_project: Path) -> None:
    """An editor retitled a heading and added a section with its own anchor: the table of
    contents kept the front matter's outline, so it showed neither."""
    path = speech_with(site_project, "{#s2}")
    text = path.read_text("utf-8")
    first = re.search(r"\{#s1\}\n## (\S+?、)?(.+)", text)
    assert first is not None
    label = first.group(1) or ""
    text = text.replace(first.group(0), f"{{#s1}}\n## {label}编辑改过的标题", 1)
    text = text.rstrip("\n") + "\n\n{#added}\n## 编辑新增的一节\n\n新增的段落。\n"
    path.write_text(text, "utf-8")
    site = build(site_project).output
    page = (site / "speeches" / path.stem / "index.html").read_text("utf-8")
    toc = table_of_contents(page)
    assert "编辑改过的标题" in toc
    assert 'href="#added"' in toc and "编辑新增的一节" in toc


def test_headings_written_without_an_anchor_are_in_the_table_of_contents(
    site_project: Path,
) -> None:
    """Probe 11: an editor's `## 二、…` and `### （一）…` without `{#id}` were left out of the
    table of contents, though the page showed them."""
    path = speech_with(site_project, "{#s2}")
    text = path.read_text("utf-8").rstrip("\n")
    text += "\n\n## 编辑新加的一部分\n\n新的段落。\n\n### （一）编辑新加的小标题\n\n又一段。\n"
    path.write_text(text, "utf-8")
    site = build(site_project).output
    page = (site / "speeches" / path.stem / "index.html").read_text("utf-8")
    toc = table_of_contents(page)
    for title in ("编辑新加的一部分", "（一）编辑新加的小标题"):
        link = re.search(rf'href="#([^"]+)"[^>]*>(?:<[^>]+>)*[^<]*{re.escape(title[-6:])}', toc)
        assert link is not None, title
        assert f'id="{link.group(1)}"' in page
    assert 'href="#s1"' in toc  # (the anchored ones stay)


def test_the_table_of_contents_nests_as_the_page_does_whatever_the_anchors(
    site_project: Path,
) -> None:
    """Review: `# 甲` and `## 乙` are both <h2> on the page; the contents nested 乙 under 甲
    when every heading had an anchor, and not when one lacked it."""
    speeches = site_project / "content" / "speeches"
    text = next(speeches.glob("xian-luo-shi*.md")).read_text("utf-8")
    front = text[4 : text.index("\n---\n", 4) + 1]
    front = re.sub(r"(?ms)^outline:.*?(?=^[a-z_]+:|\Z)", "outline: []\n", front)
    head = f"---\n{front}---\n"
    nests = []
    for n, extra in enumerate(["", "\n## 无锚点的一节\n\n段落。\n"]):
        slug = f"toc-{n}"
        body = "\n{#a}\n# 甲\n\n段落。\n\n{#b}\n## 乙\n\n段落。\n" + extra
        copy = re.sub(r"^slug: .*$", f"slug: {slug}", head, count=1, flags=re.M) + body
        (speeches / f"{slug}.md").write_text(copy, "utf-8")
    site = build(site_project).output
    for n in range(2):
        page = (site / "speeches" / f"toc-{n}" / "index.html").read_text("utf-8")
        nests.append(table_of_contents(page).count("<ol"))
    assert nests[0] == nests[1] == 1, nests  # one list: 甲 and 乙 side by side


def test_the_table_of_contents_shows_a_headings_text_not_its_markdown(
    site_project: Path,
) -> None:
    """Emphasis, a link and a closing run of #s an editor wrote in a heading showed as
    asterisks, the URL and #s in the table of contents; the page's heading showed the text."""
    path = speech_with(site_project, "{#s1}")
    text = path.read_text("utf-8")
    first = re.search(r"\{#s1\}\n(## .+)", text)
    assert first is not None
    heading = "## 一、**加强**[组织](https://example.org/x)领导 \\*注\\* ##"
    path.write_text(text.replace(first.group(1), heading, 1), "utf-8")
    site = build(site_project).output
    page = (site / "speeches" / path.stem / "index.html").read_text("utf-8")
    toc = table_of_contents(page)
    assert "加强组织领导 *注*" in toc
    assert "**" not in toc and "example.org/x" not in toc and "##" not in toc


def test_zero_latest_and_related_turn_those_lists_off(site_project: Path) -> None:
    """Probe 11: `latest: 0` and `related: 0` were refused; they leave the lists out."""
    config = site_project / "site.yaml"
    config.write_text(
        config.read_text("utf-8") + "\nbuild:\n  latest: 0\n  related: 0\n", encoding="utf-8"
    )
    site = build(site_project).output
    assert 'class="home-latest"' not in (site / "index.html").read_text("utf-8")
    for page in site.glob("speeches/*/index.html"):
        assert 'class="related"' not in page.read_text("utf-8")


def test_a_topic_no_speech_has_is_no_bar_and_not_counted(site_project: Path) -> None:
    """Probe 11: the home page drew a bar of nothing for each configured topic no speech
    has, and counted those topics in 涉及 N 个主题."""
    config = site_project / "site.yaml"
    config.write_text(
        config.read_text("utf-8")
        + "\n  无人问津:\n    description: 没有讲话的主题。\n    terms: {无人问津的词: 1}\n",
        encoding="utf-8",
    )
    site = build(site_project).output
    builder_topics = re.findall(r"^  (\S+):$", config.read_text("utf-8"), re.MULTILINE)
    assert "无人问津" in builder_topics
    home = (site / "index.html").read_text("utf-8")
    assert "无人问津" in home  # listed, with its count of 0
    chart = home[home.index('<div class="chart-box">') :]
    chart = chart[: chart.index("</div>")]
    assert "无人问津" not in chart and "chart-row" in chart
    listed = re.findall(
        r'<li><a href="[^"]*topics/[^"]*">[^<]+</a> <span class="count">(\d+)', home
    )
    covered = sum(1 for n in listed if n != "0")
    assert "0" in listed and f"涉及 {covered} 个主题" in home


def test_a_level_written_with_its_suffix_is_the_level(site_project: Path) -> None:
    """Probe 11: `level: 省级` read 省级级 on the pages, and the archive grouped 省 and 省级
    apart."""
    speeches = sorted((site_project / "content" / "speeches").glob("*.md"))
    for path, level in zip(speeches[:2], ("省级", "省"), strict=True):
        text = re.sub(r"(?m)^level: .*$", f"level: {level}", path.read_text("utf-8"), count=1)
        path.write_text(text, "utf-8")
    site = build(site_project).output
    page = (site / "speeches" / speeches[0].stem / "index.html").read_text("utf-8")
    assert "省级级" not in page and "省级" in page
    levels = (site / "archive" / "level" / "index.html").read_text("utf-8")
    groups = re.findall(r'<h2 id="[^"]*"><bdi>([^<]+)</bdi>', levels)
    assert "省" in groups and "省级" not in groups, groups  # one group, 省


def _outline_ids(items: list[dict[str, object]]) -> list[str]:
    out: list[str] = []
    for item in items:
        out.append(str(item["id"]))
        out += _outline_ids(item["children"])  # type: ignore[arg-type]
    return out


def test_every_internal_link_resolves(site_project: Path) -> None:
    site = build(site_project, base_url="https://example.org/archive/").output
    for page in site.rglob("*.html"):
        for link in parse(page).links:
            target = resolve(site, "/archive/", link)
            if target is not None:
                assert target.is_file(), f"{page.relative_to(site)} links to missing {link}"


def test_topic_pages_list_exactly_their_speeches(site_project: Path) -> None:
    site = build(site_project).output
    config = load_config(site_project)
    for topic in config.topics:
        expected = {
            p.stem
            for p in (site_project / "content" / "speeches").glob("*.md")
            if topic.name in front(p)["topics"]  # type: ignore[operator]
        }
        page = site / "topics" / topic.slug / "index.html"
        listed = {
            m.group(1)
            for m in re.finditer(
                r'href="/speeches/([a-z0-9-]+)/"', page.read_text(encoding="utf-8")
            )
        }
        assert listed == expected, topic.name


def _shown_terms(page: Path, slug: str) -> list[tuple[str, int]]:
    """The matched terms a topic page shows for one speech's item."""
    text = page.read_text(encoding="utf-8")
    item = text[text.index(f'href="/speeches/{slug}/"') :]
    terms = item[: item.index("</p>", item.index('<p class="terms">'))]
    found = re.findall(r'<span class="term">([^<]+)<span class="term-count">×(\d+)</span>', terms)
    return [(term, int(count)) for term, count in found]


def test_topic_items_show_their_matched_terms_and_follow_an_edit_of_them(
    site_project: Path,
) -> None:
    """Each item of a topic page shows the speech's first 8 matched terms for that topic, as
    its front matter lists them; editing only those terms (nothing a summary shows) renders
    the topic page again."""
    site = build(site_project).output
    config = load_config(site_project)
    speech = sorted((site_project / "content" / "speeches").glob("*.md"))[0]
    data = front(speech)
    name = data["topics"][0]  # type: ignore[index]
    evidence = data["topic_evidence"][name]["terms"]  # type: ignore[index]
    page = site / "topics" / next(t.slug for t in config.topics if t.name == name) / "index.html"
    assert _shown_terms(page, speech.stem) == list(evidence.items())[:8]
    first = next(iter(evidence))
    text = speech.read_text(encoding="utf-8")
    speech.write_text(text.replace(f"      {first}: ", f"      {first}一: ", 1), encoding="utf-8")
    build(site_project)
    assert _shown_terms(page, speech.stem)[0][0] == f"{first}一"


def test_feeds_and_sitemap_parse(site_project: Path) -> None:
    site = build(site_project, base_url="https://example.org/archive/").output
    feed = ET.parse(site / "feed.xml").getroot()
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 5
    for entry in entries:
        href = entry.find(f"{ATOM}link").get("href")  # type: ignore[union-attr]
        assert href and href.startswith("https://example.org/archive/speeches/")
    for topic_feed in site.glob("topics/*/feed.xml"):
        assert ET.parse(topic_feed).getroot().tag == f"{ATOM}feed"
    urls = [
        loc.text
        for loc in ET.parse(site / "sitemap.xml")
        .getroot()
        .iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")
    ]
    assert "https://example.org/archive/" in urls
    assert all(u and u.startswith("https://example.org/archive/") for u in urls)
    assert not any(u and u.endswith("404.html") for u in urls)
    assert "Sitemap: https://example.org/archive/sitemap.xml" in (site / "robots.txt").read_text()


def test_build_is_deterministic(site_project: Path, tmp_path: Path) -> None:
    one = build(site_project, output=tmp_path / "one").output
    shutil.rmtree(site_project / ".speechsite-cache")
    two = build(site_project, output=tmp_path / "two").output
    files_one = sorted(p.relative_to(one) for p in one.rglob("*") if p.is_file())
    files_two = sorted(p.relative_to(two) for p in two.rglob("*") if p.is_file())
    assert files_one == files_two
    for name in files_one:
        assert (one / name).read_bytes() == (two / name).read_bytes(), name


def test_assets_are_fingerprinted(site_project: Path) -> None:
    site = build(site_project).output
    css = list((site / "assets").rglob("*.css"))
    assert css and all(re.search(r"\.[0-9a-f]{10}\.css$", p.name) for p in css)


def _assets_linked(page: Path) -> dict[str, str]:
    """Logical name (js/search.js) → linked output path (assets/js/search.<hash>.js)."""
    out = {}
    for link in parse(page).links:
        match = re.fullmatch(r"/(assets/(.+)\.[0-9a-f]{10}(\.\w+))", link)
        if match:
            out[match[2] + match[3]] = match[1]
    return out


def _set_minify(project: Path, on: bool) -> None:
    path = project / "site.yaml"
    text = re.sub(r"\nbuild:\n  minify: \w+\n", "\n", path.read_text(encoding="utf-8"))
    path.write_text(f"{text}\nbuild:\n  minify: {str(on).lower()}\n", encoding="utf-8")


def test_pages_link_to_minified_assets_named_by_their_bytes(site_project: Path) -> None:
    site = build(site_project).output
    static = site_project / "themes" / "default" / "static"
    linked = _assets_linked(site / "search" / "index.html")
    assert {"css/site.css", "css/print.css", "js/site.js", "js/search.js"} <= set(linked)
    for name, path in linked.items():
        written = (site / path).read_bytes()
        assert hashlib.sha256(written).hexdigest()[:10] in path
        if name.endswith((".js", ".css")):
            assert len(written) < len((static / name).read_bytes()), name


def test_minify_off_writes_the_sources_and_toggling_renames(site_project: Path) -> None:
    site = build(site_project).output
    static = site_project / "themes" / "default" / "static"
    minified = _assets_linked(site / "index.html")
    _set_minify(site_project, False)
    result = build(site_project)
    plain = _assets_linked(site / "index.html")
    assert set(plain) == set(minified)
    for name, path in plain.items():
        assert (site / path).read_bytes() == (static / name).read_bytes(), name
        if name.endswith((".js", ".css")):
            assert path != minified[name]
            assert not (site / minified[name]).exists()  # the old names are gone
    assert result.rendered > 0  # every page links to the new names
    for page in site.rglob("*.html"):
        for link in parse(page).links:
            target = resolve(site, "/", link)
            assert target is None or target.is_file(), f"{page} links to missing {link}"
    _set_minify(site_project, True)
    build(site_project)
    assert _assets_linked(site / "index.html") == minified


def test_a_site_theme_script_is_minified(site_project: Path) -> None:
    static = site_project / "themes" / "mine" / "static" / "js"
    static.mkdir(parents=True)
    source = "// 我的脚本\nconst  greeting = '你好';  /* end */\n"
    (static / "site.js").write_text(source, encoding="utf-8")
    config_path = site_project / "site.yaml"
    use_theme(config_path)
    site = build(site_project).output
    path = _assets_linked(site / "index.html")["js/site.js"]
    assert (site / path).read_text(encoding="utf-8") == "const greeting='你好';"


def test_no_change_rebuild_renders_and_writes_nothing(site_project: Path) -> None:
    build(site_project)
    site = site_project / "site"
    before = {p: p.stat().st_mtime_ns for p in site.rglob("*") if p.is_file()}
    result = build(site_project)
    assert result.rendered == 0
    assert result.written == 0
    after = {p: p.stat().st_mtime_ns for p in site.rglob("*") if p.is_file() and p.name != MARKER}
    assert after == {p: t for p, t in before.items() if p.name != MARKER}


def test_a_no_change_build_does_not_import_numpy(site_project: Path) -> None:
    """`speechsite build` with nothing changed stops after comparing the inputs: it needs none
    of the search index's or related speeches' numpy, whose import was a sixth of its time."""
    build(site_project)
    probe = (
        "import sys; from generator.cli import main; code = main(['-C', sys.argv[1], 'build',"
        " '-q']); print('numpy' in sys.modules, code)"
    )
    shown = subprocess.run(
        [sys.executable, "-c", probe, str(site_project)],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    ).stdout.split()
    assert shown == ["False", "0"]


def test_one_edit_rerenders_its_page_and_indexes(site_project: Path) -> None:
    build(site_project)
    site = site_project / "site"
    untouched = [site / "search" / "index.html", site / "404.html", site / "topics" / "index.html"]
    before = {p: p.stat().st_mtime_ns for p in untouched}
    path = next((site_project / "content" / "speeches").glob("xian-luo-shi*.md"))
    text = path.read_text(encoding="utf-8").rstrip("\n")
    path.write_text(text + "编辑新增的一句话。\n", encoding="utf-8")
    result = build(site_project)
    page = site / "speeches" / path.stem / "index.html"
    assert "编辑新增的一句话。" in page.read_text(encoding="utf-8")
    assert 1 <= result.rendered < result.pages
    assert result.written >= 1
    assert {p: p.stat().st_mtime_ns for p in untouched} == before


def test_an_edit_of_a_speechs_text_leaves_the_pages_that_list_it_alone(
    site_project: Path,
) -> None:
    """A speech page lists its neighbours and related speeches by title, date, speaker, level
    and topics: an edit of one speech's text (its length changes) re-rendered every page that
    listed it, some thirty at 10,000 speeches. Now only its own page and the list pages that
    show its length are made again; a change to what is listed (the title) still reaches them."""
    build(site_project)
    speeches = sorted((site_project / "content" / "speeches").glob("*.md"))
    path = speeches[0]
    others = [site_project / "site" / "speeches" / p.stem / "index.html" for p in speeches[1:]]
    listing = [p for p in others if f"/speeches/{path.stem}/" in p.read_text(encoding="utf-8")]
    assert listing  # (the sample's speeches list each other as related)
    before = {p: p.stat().st_mtime_ns for p in listing}
    text = path.read_text(encoding="utf-8").rstrip("\n")
    path.write_text(text + "编辑新增的一句话。\n", encoding="utf-8")
    result = build(site_project)
    assert f"speeches/{path.stem}/index.html" in result.changed
    assert {p: p.stat().st_mtime_ns for p in listing} == before
    title = re.search(r"(?m)^title: (.+)$", text)
    assert title is not None
    path.write_text(text.replace(title.group(0), "title: 改过的标题", 1) + "\n", encoding="utf-8")
    build(site_project)
    assert all("改过的标题" in p.read_text(encoding="utf-8") for p in listing)


def test_a_theme_that_lists_a_speechs_length_follows_every_edit_of_it(
    site_project: Path,
) -> None:
    """A site theme's own speech page may show a related speech's length: its pages are not
    spared as the stock theme's are, and show the edited length."""
    own = site_project / "themes" / "mine" / "templates"
    own.mkdir(parents=True)
    (own / "speech.html").write_text(
        '{% extends "default/speech.html" %}{% block content %}{{ super() }}'
        '{% for r in related %}<p class="len">{{ r.summary.chars }}</p>{% endfor %}'
        "{% endblock %}",
        encoding="utf-8",
    )
    config = site_project / "site.yaml"
    use_theme(config)
    build(site_project)
    speeches = sorted((site_project / "content" / "speeches").glob("*.md"))
    path = speeches[0]
    others = [site_project / "site" / "speeches" / p.stem / "index.html" for p in speeches[1:]]
    listing = [p for p in others if f"/speeches/{path.stem}/" in p.read_text(encoding="utf-8")]
    assert listing
    lengths = {p: re.findall(r'<p class="len">(\d+)</p>', p.read_text("utf-8")) for p in listing}
    text = path.read_text(encoding="utf-8").rstrip("\n")
    path.write_text(text + "编辑新增的一句话。\n", encoding="utf-8")
    build(site_project)
    for page, before in lengths.items():
        after = re.findall(r'<p class="len">(\d+)</p>', page.read_text("utf-8"))
        assert after != before and len(after) == len(before), page


def test_an_edit_that_keeps_size_and_mtime_is_built(site_project: Path) -> None:
    """`cp -p`, `touch -r` and some editors put the old mtime back; with the size unchanged the
    file's stat then matches its cache entry but for the ctime, which only the kernel sets."""
    build(site_project)
    path = next((site_project / "content" / "speeches").glob("xian-luo-shi*.md"))
    text = path.read_text(encoding="utf-8")
    stat = path.stat()
    head, body = text.rsplit("---\n", 1)
    sentence = body.split("。", 1)[0].splitlines()[-1]
    edited = f"{head}---\n{body.replace('。', '！', 1)}"
    assert len(edited.encode()) == len(text.encode())
    path.write_text(edited, encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert (path.stat().st_size, path.stat().st_mtime_ns) == (stat.st_size, stat.st_mtime_ns)
    result = build(site_project)
    page = (site_project / "site" / "speeches" / path.stem / "index.html").read_text("utf-8")
    assert result.rendered >= 1
    assert f"{sentence[-8:]}！" in page


def test_an_edit_made_while_its_speech_loads_is_built_by_the_next_build(
    site_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The cache records a file's stat from before it was read: an edit saved just after the
    read (an editor saving while a build runs) then still differs, and the next build loads
    it, where a stat taken after the read would have filed the new stat with the old text."""
    build(site_project)
    path = next((site_project / "content" / "speeches").glob("xian-luo-shi*.md"))
    text = path.read_text(encoding="utf-8").rstrip("\n")
    path.write_text(text + "第一次编辑。\n", encoding="utf-8")
    load_entry = load_module.load_entry

    def load_then_edit(file: Path) -> Entry:
        entry = load_entry(file)
        if file == path:  # the editor saves again, after the build read the first edit
            path.write_text(text + "第一次编辑。第二次编辑。\n", encoding="utf-8")
        return entry

    monkeypatch.setattr(load_module, "load_entry", load_then_edit)
    build(site_project)
    page = site_project / "site" / "speeches" / path.stem / "index.html"
    assert "第一次编辑。" in page.read_text(encoding="utf-8")
    monkeypatch.undo()
    build(site_project)
    assert "第一次编辑。第二次编辑。" in page.read_text(encoding="utf-8")


def test_a_relative_project_path_reuses_the_cache_of_an_absolute_one(
    site_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`speechsite build` in the project folder after `speechsite -C <path> build` (or the
    other way round) loads only what changed, not every speech again."""
    build(site_project)
    path = next((site_project / "content" / "speeches").glob("xian-luo-shi*.md"))
    path.write_text(path.read_text(encoding="utf-8") + "编辑新增的一句话。\n", encoding="utf-8")
    loaded: list[Path] = []
    load_one = load_module._load_one

    def spied(args: tuple[str, str, str, BodyStore]) -> object:
        loaded.append(Path(args[0]))
        return load_one(args)

    monkeypatch.setattr(load_module, "_load_one", spied)
    monkeypatch.chdir(site_project)
    result = build_site(load_config(Path(".")), jobs=1)
    assert [p.name for p in loaded] == [path.name]
    assert 1 <= result.rendered < result.pages


def test_a_new_process_makes_summaries_only_for_what_changed(
    site_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The cache keeps each speech's summary for the URLs and topics it was made with: the
    next build (a new `Memory`, as a new process has) makes only the edited speech's, and a
    new base URL makes every one again, with the new URLs."""
    build(site_project)
    path = next((site_project / "content" / "speeches").glob("xian-luo-shi*.md"))
    path.write_text(path.read_text(encoding="utf-8") + "编辑新增的一句话。\n", encoding="utf-8")
    made: list[str] = []
    new_summary = PageBuilder._new_summary

    def spied(self: PageBuilder, entry: Entry, body: BodyInfo) -> SpeechSummary:
        made.append(entry.slug)
        return new_summary(self, entry, body)

    monkeypatch.setattr(PageBuilder, "_new_summary", spied)
    build(site_project)
    assert made == [path.stem]
    made.clear()
    build(site_project, base_url="https://example.org/archive/")
    assert len(made) == len(list(path.parent.glob("*.md")))
    home = (site_project / "site" / "index.html").read_text(encoding="utf-8")
    assert f'href="/archive/speeches/{path.stem}/"' in home


def test_deleted_speech_disappears_from_site(site_project: Path) -> None:
    build(site_project)
    path = next((site_project / "content" / "speeches").glob("xian-zhang*.md"))
    path.unlink()
    result = build(site_project)
    assert not (site_project / "site" / "speeches" / path.stem).exists()
    assert result.removed >= 1
    assert path.stem not in (site_project / "site" / "index.html").read_text(encoding="utf-8")


def test_speech_text_is_escaped(site_project: Path) -> None:
    path = next((site_project / "content" / "speeches").glob("xian-luo-shi*.md"))
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace(
            "同志们：\n",
            "同志们：\n\n\\<script\\>alert(1)\\</script\\> <img src=x onerror=alert(1)>\n",
            1,
        ),
        encoding="utf-8",
    )
    html = (build(site_project).output / "speeches" / path.stem / "index.html").read_text(
        encoding="utf-8"
    )
    assert "<script>alert(1)" not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;alert(1)" in html


def test_sub_path_links_stay_inside_base(site_project: Path) -> None:
    site = build(site_project, base_url="/archive/").output
    for page in site.rglob("*.html"):
        for link in re.findall(r'(?:href|src)="(/[^"]*)"', page.read_text(encoding="utf-8")):
            assert link.startswith("/archive/"), f"{page.name}: {link}"


def test_failed_build_keeps_the_last_good_site(site_project: Path) -> None:
    build(site_project)
    site = site_project / "site"
    before = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    override = site_project / "themes" / "default" / "templates" / "speech.html"
    override.write_text(override.read_text(encoding="utf-8") + "{% if %}", encoding="utf-8")
    with pytest.raises(UserError) as caught:
        build(site_project)
    assert "speech.html" in str(caught.value)
    assert caught.value.line is not None
    after = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    assert after == before
    assert not list(site_project.glob(".site.staging-*"))


def _retitle(project: Path, title: str) -> None:
    config = project / "site.yaml"
    text = config.read_text(encoding="utf-8")
    config.write_text(re.sub(r"(?m)^title: .*$", f"title: {title}", text), encoding="utf-8")


def _failing_moves(monkeypatch: pytest.MonkeyPatch, put_back_fails: bool = False) -> list[str]:
    """Make the fifth move of a staged file into the output fail (a full disk), and with
    `put_back_fails` putting back the first file it replaced too; the moves tried, listed."""
    real = os.replace
    moves: list[str] = []

    def failing(source: str | Path, destination: str | Path) -> None:
        if ".site.staging-" in str(source):
            moves.append(str(destination))
            if len(moves) == 5:
                raise OSError(28, "No space left on device", str(source))
        if put_back_fails and ".site.undo-" in str(source) and str(destination) == moves[0]:
            raise OSError(5, "Input/output error", str(source))
        real(source, destination)

    monkeypatch.setattr(os, "replace", failing)
    return moves


def test_a_move_into_the_output_that_fails_halfway_puts_the_old_site_back(
    site_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file that cannot be moved into the output (a folder not writable, a full disk) left
    the pages moved before it new and the rest old: a site of two builds. Every move is now
    undone, files deleted as stale are back, and the error names the output's file."""
    build(site_project)
    site = site_project / "site"
    before = _files(site)
    _retitle(site_project, "改过的站点标题")
    moves = _failing_moves(monkeypatch)
    with pytest.raises(OSError) as caught:
        build(site_project)
    monkeypatch.undo()
    assert len(moves) == 5
    assert str(caught.value.filename).startswith(str(site))  # the output's file, not staging's
    assert _files(site) == before
    assert not list(site_project.glob(".site.undo-*"))
    assert "改过的站点标题" in (build(site_project).output / "index.html").read_text("utf-8")


def test_ctrl_c_while_files_move_in_finishes_the_move_then_stops(
    site_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl-C or SIGTERM while the build moved its files in stopped it there: 14 of 2,400
    pages were new, the rest old. The move now ends first, and then the build stops."""
    build(site_project)
    site = site_project / "site"
    _retitle(site_project, "改过的站点标题")
    real = os.replace
    sent = []

    def interrupted(source: str | Path, destination: str | Path) -> None:
        real(source, destination)
        if ".site.staging-" in str(source) and not sent:
            sent.append(destination)
            signal.raise_signal(signal.SIGINT)

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        build(site_project)
    monkeypatch.undo()
    pages = [p for p in site.rglob("*.html")]
    assert sent and len(pages) > 10
    assert all("改过的站点标题" in page.read_text("utf-8") for page in pages)
    # The record came with the move (held back after it, the next build's record said the old
    # build's while the pages were the new one's, and a title changed back stayed new).
    _retitle(site_project, "讲话稿档案")
    build(site_project)
    assert not any("改过的站点标题" in page.read_text("utf-8") for page in site.rglob("*.html"))


def test_files_that_cannot_be_put_back_are_kept_and_written_again(
    site_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A move failed, and so did putting back a file it replaced: the folder aside, the only
    copy of the old files, was deleted. It now stays (the error names it), and the record
    forgets the file, so the next build writes it anew."""
    build(site_project)
    site = site_project / "site"
    _retitle(site_project, "改过的站点标题")
    moves = _failing_moves(monkeypatch, put_back_fails=True)
    with pytest.raises(UserError) as caught:
        build(site_project)
    monkeypatch.undo()
    assert "kept in" in caught.value.message
    [aside] = site_project.glob(".site.undo-*")
    assert (aside / Path(moves[0]).relative_to(site)).is_file()
    _retitle(site_project, "讲话稿档案")
    build(site_project)
    assert not any("改过的站点标题" in page.read_text("utf-8") for page in site.rglob("*.html"))


def test_a_build_killed_while_moving_files_in_is_repaired_by_the_next(site_project: Path) -> None:
    """SIGKILL during the move (nothing holds it back) leaves new files under the old record,
    and the Undo folder beside: the next build writes every file anew, even with no input
    changed since the last complete build."""
    build(site_project)
    site = site_project / "site"
    before = _files(site)
    (site / "index.html").write_text("<p>a page of the killed build</p>", "utf-8")
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    (site_project / f".site.undo-{dead}").mkdir()
    build(site_project)
    after = _files(site)
    assert json.loads(after.pop(MARKER))["files"] == json.loads(before.pop(MARKER))["files"]
    assert after == before
    assert not list(site_project.glob(".site.undo-*"))


def test_the_build_after_a_move_stopped_halfway_deletes_what_it_no_longer_makes(
    site_project: Path,
) -> None:
    """After a move stopped halfway (the `moving` mark left in the cache), the next build
    writes every file anew and still deletes the files it no longer makes: those of the
    record, and those the stopped move added, which its mark names. (Both stayed for good.)"""
    from generator.build.cache import MOVING

    speeches = sorted((site_project / "content" / "speeches").glob("*.md"))
    build(site_project)
    site, cache = site_project / "site", site_project / ".speechsite-cache"
    removed = load_entry(speeches[0]).slug
    speeches[0].unlink()
    added = site / "speeches" / "added-by-the-stopped-move" / "index.html"
    added.parent.mkdir()
    added.write_text("<p>a page the stopped move added</p>", "utf-8")
    (cache / MOVING).write_bytes(b"speeches/added-by-the-stopped-move/index.html")
    result = build(site_project)
    assert result.rendered == result.pages  # (every file anew)
    assert not (site / "speeches" / removed).exists() and not added.parent.exists()
    recorded = json.loads((site / MARKER).read_text("utf-8"))["files"]
    assert not any(removed in name or "added-by" in name for name in recorded)
    assert set(recorded) == {
        p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()
    } - {MARKER}
    assert not (cache / MOVING).exists()


def test_a_killed_builds_staging_folder_goes_with_the_next_build(site_project: Path) -> None:
    """SIGKILL leaves a build's staging folder beside the output; the next build removes it
    (its process is gone), and leaves a live process's alone."""
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    orphan = site_project / f".site.staging-{dead.stdout.strip()}"
    (orphan / "speeches").mkdir(parents=True)
    undo = site_project / f".site.undo-{dead.stdout.strip()}"  # (a move killed halfway)
    (undo / "speeches").mkdir(parents=True)
    live = site_project / f".site.staging-{os.getppid()}-search-1"
    live.mkdir()
    build(site_project)
    assert not orphan.exists() and not undo.exists()
    assert live.is_dir()


def test_sigterm_stops_a_build_and_cleans_up_like_ctrl_c(site_project: Path) -> None:
    """A CI timeout or `docker stop` sends SIGTERM: the build stops as on Ctrl-C, with its
    staging folder removed and exit code 130, instead of dying on the spot."""
    process = subprocess.Popen(
        [sys.executable, "-m", "generator", "-C", str(site_project), "build", "--jobs", "1"],
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    while not list(site_project.glob(".site.staging-*")) and process.poll() is None:
        assert time.monotonic() < deadline
        time.sleep(0.005)
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=60)
    if process.returncode == 0:
        pytest.skip("the build finished before the signal arrived")
    assert process.returncode == 130, stderr
    assert "interrupted" in stderr and "Traceback" not in stderr
    assert not list(site_project.glob(".site.staging-*"))


@pytest.mark.parametrize("expression", ["{{ 1 / 0 }}", '{{ speech.chars + "字" }}'])
def test_a_template_expression_that_fails_names_its_line(
    site_project: Path, expression: str
) -> None:
    template = site_project / "themes" / "default" / "templates" / "speech.html"
    lines = template.read_text(encoding="utf-8").split("\n")
    lines.insert(20, expression)
    template.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(UserError) as caught:
        build(site_project)
    assert str(caught.value).startswith(f"{template}:21: template error: ")
    assert "Error" in caught.value.message  # ZeroDivisionError, TypeError


def test_a_damaged_compiled_template_is_compiled_afresh(site_project: Path) -> None:
    """A byte flipped in the cache of compiled templates made every build fail with an error
    in a template nobody had touched; the damaged file is now ignored and rebuilt."""
    build(site_project)
    cached = sorted((site_project / ".speechsite-cache" / "templates").glob("*.cache"))
    assert cached
    for path in cached:
        data = path.read_bytes()
        assert b"\x0benvironment" in data or b"environment" in data
        path.write_bytes(data.replace(b"environment", b"environmenX"))
    config = site_project / "site.yaml"
    config.write_text(config.read_text("utf-8").replace("title: ", "title: 新", 1), "utf-8")
    site = build(site_project).output
    assert "新" in (site / "index.html").read_text("utf-8")


def test_a_missing_include_names_the_template_and_line_that_asked(site_project: Path) -> None:
    custom = site_project / "themes" / "mine" / "templates"
    custom.mkdir(parents=True)
    (custom / "speech.html").write_text(
        '{% extends "default/speech.html" %}\n{% block content %}\n'
        '{% include "partials/nope.html" %}\n{% endblock %}\n',
        encoding="utf-8",
    )
    config_path = site_project / "site.yaml"
    use_theme(config_path)
    with pytest.raises(UserError) as caught:
        build(site_project)
    assert str(caught.value).startswith(
        f"{custom / 'speech.html'}:3: template not found: partials/nope.html"
    )


def test_control_characters_do_not_reach_pages_or_feeds(site_project: Path) -> None:
    """Word's soft line break (a vertical tab) and other C0 controls, in the text and in an
    escaped YAML string, are no XML and no HTML: they become line breaks or go."""
    path = next((site_project / "content" / "speeches").glob("xian-luo-shi*.md"))
    text = path.read_text(encoding="utf-8")
    title = 'title: "控制\\v字符\\x08的讲话\\uFFFE"'  # (YAML escapes: \v, \x08, U+FFFE)
    text = re.sub(r"^title: .*$", lambda _: title, text, count=1, flags=re.M)
    # (U+FFFF, like U+FFFE, is no character: a feed holding one is not XML)
    path.write_text(text.replace("同志们：", "同志们：\x0b\x01\uffff", 1), encoding="utf-8")
    site = build(site_project).output
    for file in [*site.rglob("*.html"), *site.rglob("*.xml")]:
        data = file.read_text(encoding="utf-8")
        assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]", data), file
    for feed in site.rglob("*.xml"):
        ET.parse(feed)  # well-formed
    assert "控制\n字符的讲话" in (site / "feed.xml").read_text(encoding="utf-8")


def test_a_topic_named_twice_is_listed_once(site_project: Path) -> None:
    path = next((site_project / "content" / "speeches").glob("xian-luo-shi*.md"))
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("topics:\n- ", "topics:\n- 落实\n- ' 落实 '\n- ", 1))
    site = build(site_project).output
    slug = path.stem
    page = (site / "speeches" / slug / "index.html").read_text(encoding="utf-8")
    chips = re.findall(r'<dd><ul class="chips">(.*?)</ul>', page, re.S)
    assert chips and chips[0].count(">落实<") == 1


def test_refuses_to_clear_a_foreign_folder(site_project: Path) -> None:
    foreign = site_project / "site"
    foreign.mkdir()
    (foreign / "precious.txt").write_text("keep me")
    with pytest.raises(UserError, match="did not create"):
        build(site_project)
    assert (foreign / "precious.txt").read_text() == "keep me"


def test_refuses_output_containing_the_project(site_project: Path) -> None:
    with pytest.raises(UserError, match="contain the project"):
        build(site_project, output=site_project.parent)


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda t: t.replace("slug: ", "slug: [", 1), "malformed YAML"),
        (
            lambda t: re.sub(r"^title: .*\n", "", t, count=1, flags=re.M),
            "missing required field 'title'",
        ),
        (lambda t: t.replace("topics:\n- ", "topics:\n- 不存在的主题\n- ", 1), "unknown topic"),
        (
            lambda t: re.sub(r"^slug: .*$", "slug: ../../etc", t, count=1, flags=re.M),
            "invalid slug",
        ),
        (lambda t: re.sub(r"^date: .*$", "date: 2020-13-45", t, count=1, flags=re.M), "date"),
        (
            lambda t: re.sub(r"^title: .*$", 'title: "   "', t, count=1, flags=re.M),
            "missing required field 'title'",
        ),
        (lambda t: t.replace("{#s1}\n", "", 1), "s1 has no {#s1} anchor"),
        (  # the body deleted whole: said so, not "s1 has no anchor"
            lambda t: t[: t.index("\n---\n", 4) + 5],
            "the speech's text is missing",
        ),
        (lambda t: t.replace("{#s1}\n", "{#s2}\n", 1), "{#s2} is used twice"),
        (
            lambda t: t.replace("{#s1}\n", "{#cite-text}\n", 1).replace(
                "- id: s1\n", "- id: cite-text\n", 1
            ),
            "{#cite-text} is an id the page gives itself",
        ),
        (lambda t: re.sub(r"\{#s1\}\n## ", "{#s1}\n段落：", t, count=1), "not on the line above"),
        (  # no space after the #s: a paragraph, and the contents' link would go nowhere
            lambda t: re.sub(r"\{#s1\}\n## ", "{#s1}\n##", t, count=1),
            "which is no heading",
        ),
        (  # an anchor indented (markdown-it applies it) is checked like one that is not
            lambda t: t.replace("{#s2}\n", "  {#main}\n", 1),
            "{#main} is an id the page gives itself",
        ),
        (
            lambda t: t.replace("{#s1}\n", "{#p2}\n", 1).replace("- id: s1\n", "- id: p2\n", 1),
            "{#p2} is an id the page gives itself",
        ),
        (  # an invisible space after the closing ---: "no front matter" at line 1 before
            lambda t: re.sub(r"\n---\n", "\n--- \n", t, count=1),
            "the front matter's closing '---' has spaces after it",
        ),
        (lambda t: re.sub(r"\n---\n", "\n...\n", t, count=1), "the front matter ends with '...'"),
        (  # YAML lets the last of two keys win without a word
            lambda t: t.replace("---\n", "---\ntitle: 另一个标题\n", 1),
            "the key is given twice: 'title' (also line 2)",
        ),
        (  # a field mistyped: the speech quietly had no topics
            lambda t: t.replace("topics:", "tpoics:", 1),
            "tpoics: unknown field",
        ),
        (  # a folder name longer than a file system allows
            lambda t: re.sub(r"^slug: .*$", "slug: " + "a" * 201, t, count=1, flags=re.M),
            "the slug is 201 characters long",
        ),
        (  # YAML reads 010 as 8: the text as written is gone, so it must be quoted
            lambda t: re.sub(r"^title: .*$", "title: 010", t, count=1, flags=re.M),
            "title: expected text, got int 8",
        ),
        (  # a speech's own language is a tag, as content_language is: it goes into lang=
            lambda t: t.replace("\nspeaker:", "\nlang: en_US\nspeaker:", 1),
            "lang: expected a language tag, got 'en_US'",
        ),
    ],
)
def test_bad_front_matter_is_a_clear_error(site_project: Path, edit, message: str) -> None:  # type: ignore[no-untyped-def]
    path = next((site_project / "content" / "speeches").glob("xian-luo-shi*.md"))
    path.write_text(edit(path.read_text(encoding="utf-8")), encoding="utf-8")
    with pytest.raises(UserError) as caught:
        build(site_project)
    assert message in str(caught.value)
    assert str(path) in str(caught.value)
    assert caught.value.line is not None


def test_front_matter_with_cr_line_ends_or_no_final_newline_is_read(site_project: Path) -> None:
    """Old Mac line ends (CR alone), and front matter closing at the end of the file without a
    newline, were "no front matter"."""
    speeches = site_project / "content" / "speeches"
    path = next(speeches.glob("xian-luo-shi*.md"))
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r"))
    (speeches / "bare.md").write_text("---\ntitle: 只有标题\nslug: bare\n---", encoding="utf-8")
    site = build(site_project).output
    assert (site / "speeches" / path.stem / "index.html").is_file()
    assert "只有标题" in (site / "speeches" / "bare" / "index.html").read_text("utf-8")


def test_slug_collision_names_both_files(site_project: Path) -> None:
    speeches = site_project / "content" / "speeches"
    original = next(speeches.glob("xian-luo-shi*.md"))
    shutil.copy(original, speeches / "copy.md")
    with pytest.raises(UserError, match="also used by") as caught:
        build(site_project)
    copy = caught.value.path if caught.value.path else ""
    slug_line = next(
        number
        for number, line in enumerate(Path(copy).read_text(encoding="utf-8").split("\n"), start=1)
        if line.startswith("slug:")
    )
    assert caught.value.line == slug_line  # (not always line 2)


def test_cli_build_error_has_no_traceback(
    site_project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = next((site_project / "content" / "speeches").glob("xian-luo-shi*.md"))
    path.write_text(
        path.read_text(encoding="utf-8").replace("title: ", "title: [", 1), encoding="utf-8"
    )
    code = main(["-C", str(site_project), "build", "--quiet"])
    captured = capsys.readouterr()
    assert code != 0
    assert "Traceback" not in captured.out + captured.err
    assert f"{path}:" in captured.err


def test_custom_theme_overrides_one_template(site_project: Path) -> None:
    custom = site_project / "themes" / "mine" / "templates"
    custom.mkdir(parents=True)
    (custom / "404.html").write_text(
        '{% extends "default/404.html" %}{% block content %}<p id="custom">自定义</p>{% endblock %}',
        encoding="utf-8",
    )
    config_path = site_project / "site.yaml"
    use_theme(config_path)
    site = build(site_project).output
    assert 'id="custom"' in (site / "404.html").read_text(encoding="utf-8")
    assert (site / "index.html").is_file()  # everything else comes from default


def test_the_favicon_is_inlined_from_the_theme_that_overrides_it(site_project: Path) -> None:
    """Every page carries the icon as a data: URL (no request for it), made of the bytes of the
    winning theme's file: an override of static/favicon.svg alone changes every page's icon."""
    import base64

    static = site_project / "themes" / "mine" / "static"
    static.mkdir(parents=True)
    icon = b'<svg xmlns="http://www.w3.org/2000/svg"><circle r="9"/></svg>'
    (static / "favicon.svg").write_bytes(icon)
    config_path = site_project / "site.yaml"
    use_theme(config_path)
    site = build(site_project).output
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 10
    for page in pages:
        links = re.findall(r'<link rel="icon" href="([^"]+)"', page.read_text(encoding="utf-8"))
        assert len(links) == 1, page
        kind, _, data = links[0].partition(";base64,")
        assert kind == "data:image/svg+xml"
        assert base64.b64decode(data) == icon, page


def test_a_template_inlining_a_missing_static_file_names_it(site_project: Path) -> None:
    base = site_project / "themes" / "default" / "templates" / "base.html"
    text = base.read_text(encoding="utf-8")
    base.write_text(text.replace("asset_data('favicon.svg')", "asset_data('icon.png')"))
    with pytest.raises(UserError, match=r"static file that does not exist: icon\.png"):
        build(site_project)


def test_large_archive_groups_get_their_own_pages(site_project: Path) -> None:
    speeches = site_project / "content" / "speeches"
    original = next(speeches.glob("xian-luo-shi*.md"))
    text = original.read_text(encoding="utf-8")
    for n in range(12):
        copy = re.sub(r"^slug: .*$", f"slug: copy-{n}", text, count=1, flags=re.M)
        copy = re.sub(r"^date: .*$", f"date: '2021-{n + 1:02d}-01'", copy, count=1, flags=re.M)
        (speeches / f"copy-{n}.md").write_text(copy, encoding="utf-8")
    site = build(site_project).output
    overview = (site / "archive" / "index.html").read_text(encoding="utf-8")
    assert 'href="/archive/year/2021/"' in overview
    newest = [f"copy-{n}" for n in range(11, -1, -1)]
    shown = re.findall(r'href="/speeches/(copy-\d+)/"', overview)
    assert shown == newest[:10]  # the overview shows a group's latest ten
    year_page = site / "archive" / "year" / "2021" / "index.html"
    listed = re.findall(r'href="/speeches/(copy-\d+)/"', year_page.read_text(encoding="utf-8"))
    assert list(dict.fromkeys(listed)) == newest
    for page in site.rglob("*.html"):
        for link in parse(page).links:
            target = resolve(site, "/", link)
            if target is not None:
                assert target.is_file(), f"{page.relative_to(site)} links to missing {link}"


def test_an_english_site_writes_dates_and_citations_in_english(site_project: Path) -> None:
    """Dates and the citation's form are theme strings: `language: en` switches them too, and a
    build after the switch shows no Chinese date its cache kept."""
    path = next((site_project / "content" / "speeches").glob("xian-luo-shi*.md"))
    text = re.sub(r"^date: .*$", "date: '2021-05-04'", path.read_text("utf-8"), count=1, flags=re.M)
    path.write_text(re.sub(r"^occasion: .*$", "occasion: 全县大会", text, count=1, flags=re.M))
    page = site_project / "site" / "speeches" / path.stem / "index.html"
    build(site_project)
    assert "2021年5月4日" in page.read_text("utf-8")
    config = site_project / "site.yaml"
    config.write_text(
        config.read_text("utf-8").replace("language: zh-CN", "language: en"), encoding="utf-8"
    )
    build(site_project)
    html = page.read_text("utf-8")
    assert "May 4, 2021" in html and "2021年5月4日" not in html
    citation = re.search(r'<p class="cite-text" id="cite-text">(.*?)</p>', html)
    assert citation is not None
    # (the speech names no speaker: the title first, as Chicago has it, not "Anonymous")
    assert re.fullmatch(r"“.+”, 全县大会, May 4, 2021\. /speeches/.+/", citation.group(1))
    # Only the dates' form changed, by a theme of the site's own: the summaries the cache keeps
    # were made with the old form, and must be made again.
    strings = site_project / "themes" / "mine" / "i18n" / "en.yaml"
    strings.parent.mkdir(parents=True)
    strings.write_text('date_day: "{d}/{m}/{y}"\n', encoding="utf-8")
    use_theme(config)
    build(site_project)
    html = page.read_text("utf-8")
    assert "4/5/2021" in html and "May 4, 2021" not in html


def test_an_english_site_counts_in_the_singular_and_titles_later_pages_in_english(
    site_project: Path,
) -> None:
    """A count of one reads "1 speech" (the theme's `<key>_one` form), in text and in the home
    chart's accessible name; a later page's title gets " (2/3)", not the full-width "（2/3）"."""
    config = site_project / "site.yaml"
    config.write_text(
        config.read_text("utf-8").replace("language: zh-CN", "language: en")
        + "\nbuild:\n  per_page: 2\n",
        encoding="utf-8",
    )
    site = build(site_project).output
    home = (site / "index.html").read_text("utf-8")
    counts = re.findall(r'<span class="count">([^<]+)</span>', home)
    assert "1 speech" in counts and "1 speeches" not in home
    chart = re.search(r'aria-label="Speeches per topic: ([^"]+)"', home)
    assert chart is not None and "1 speech," in chart.group(1) + ","
    assert "1 speeches" not in chart.group(1)
    later = next(site.glob("topics/*/page/2/index.html")).read_text("utf-8")
    title = re.search(r"<title>([^<]+)</title>", later)
    assert title is not None and re.search(r" \(2/\d+\) · ", title.group(1)), title.group(1)
    assert "（" not in title.group(1)


def test_an_english_site_marks_the_speeches_text_as_chinese(site_project: Path) -> None:
    """The pages' language is the site's; the speech text in them is the speeches' own
    (content_language), so screen readers and the theme treat it as Chinese. A Chinese site
    needs no mark beyond <html lang>."""
    site = build(site_project).output
    page = next(site.glob("speeches/*/index.html"))
    assert page.read_text("utf-8").count('lang="zh-CN"') == 1  # <html> only
    config = site_project / "site.yaml"
    config.write_text(
        config.read_text("utf-8").replace("language: zh-CN", "language: en"), encoding="utf-8"
    )
    build(site_project)
    html = page.read_text("utf-8")
    assert '<html lang="en"' in html
    for marked in ('id="speech-title"', 'class="speech-body"', 'class="toc-list toc-depth-1"'):
        tag = re.search(rf"<[^>]*{marked}[^>]*>", html)
        assert tag is not None and 'lang="zh-CN"' in tag.group(0), marked
    listing = (site / "archive" / "index.html").read_text("utf-8")
    assert re.search(r'<h\d class="speech-item-title" lang="zh-CN">', listing)
    # probe 11: the speaker, occasion and level a page lists were read with the English voice
    details = re.findall(r"<dt>(Speaker|Occasion|Level)</dt><dd([^>]*)>", html)
    assert details and all('lang="zh-CN"' in attrs for _, attrs in details), details
    assert re.search(r'<span lang="zh-CN"><bdi>', listing)  # a listed speech's speaker


ENGLISH_SPEECH = """---
title: Speech at the Hailar International Trade Fair
slug: hailar-trade-fair
lang: en
speaker: 李伟
salutation: Ladies and gentlemen
topics: [落实]
outline:
- {id: s1, label: 'I.', title: A gateway for trade, children: []}
---

Ladies and gentlemen,

It is my great pleasure to welcome you to Hailar, the gateway to Russia and Mongolia.

{#s1}
## I. A gateway for trade

Trade across the border has grown every year, and we will keep our promise to every partner.
"""


def _start_tags(html: str, attribute: str) -> list[str]:
    """Every start tag of `html` that holds `attribute` (such as lang="en")."""
    return re.findall(rf"<[a-z0-9]+\b[^>]*\b{attribute}[^>]*>", html)


def test_a_speech_in_another_language_marks_its_own_words_with_it(site_project: Path) -> None:
    """An English speech on a Chinese site: its title, subtitle, text, table of contents, the
    citation's title, and its title and excerpt where a list shows it carry lang="en"; the
    page's own words (the menu, the labels, the citation's form) stay the site's, and so does
    every Chinese speech. Its feed entry has xml:lang="en" (WCAG 3.1.2, Language of Parts)."""
    speeches = site_project / "content" / "speeches"
    (speeches / "hailar-trade-fair.md").write_text(ENGLISH_SPEECH, encoding="utf-8")
    site = build(site_project).output
    html = (site / "speeches" / "hailar-trade-fair" / "index.html").read_text("utf-8")
    assert '<html lang="zh-CN"' in html
    marked = _start_tags(html, 'lang="en"')
    assert len(marked) == 4, marked
    assert re.search(r'<h1 id="speech-title" class="page-title" lang="en">Speech at', html)
    assert re.search(r'<div class="speech-body" [^>]*lang="en">', html)
    assert '<ol class="toc-list toc-depth-1" lang="en">' in html
    cite = re.search(r'<p class="cite-text" id="cite-text">(.*?)</p>', html)
    assert cite is not None
    assert '<span lang="en">Speech at the Hailar International Trade Fair</span>' in cite.group(1)
    assert cite.group(1).startswith("李伟：《<span")  # (the form is the page's)
    assert '<p id="p1" data-n="1" class="salutation">Ladies and gentlemen,</p>' in html
    # a Chinese speech's page: no lang="en" but where it lists the English one (its pager)
    neighbour = re.search(r'<a href="([^"]+)" rel="next">', html)
    assert neighbour is not None
    chinese = (site / neighbour.group(1).strip("/") / "index.html").read_text("utf-8")
    shown = _start_tags(chinese, 'lang="en"')
    assert '<span class="pager-title" lang="en">' in shown
    assert set(shown) <= {
        '<span class="pager-title" lang="en">',
        '<h3 class="speech-item-title" lang="en">',
    }
    # lists: the English speech's title and excerpt (the archive shows none), nothing else
    excerpt = '<p class="excerpt" lang="en">'
    for listing, level, shows_excerpt in (
        ("index.html", 3, True),
        ("archive/index.html", 3, False),
        ("topics/luoshi/index.html", 2, True),
    ):
        title = f'<h{level} class="speech-item-title" lang="en">'
        shown = _start_tags((site / listing).read_text("utf-8"), 'lang="en"')
        assert shown == ([title, excerpt] if shows_excerpt else [title]), listing
    # the feeds
    for name in ("feed.xml", "topics/luoshi/feed.xml"):
        entries = ET.parse(site / name).getroot().findall(f"{ATOM}entry")
        langs = {
            entry.findtext(f"{ATOM}title"): entry.get("{http://www.w3.org/XML/1998/namespace}lang")
            for entry in entries
        }
        assert langs.pop("Speech at the Hailar International Trade Fair") == "en"
        assert set(langs.values()) == {None}, langs


def test_an_english_speech_is_measured_in_words(site_project: Path) -> None:
    """字数 counts characters, the measure of a Chinese text; an English speech's characters
    are no measure of it (553 字 for 100 words), so its page and lists give its words, and its
    reading time at an English reader's pace. A Chinese speech is measured as before."""
    speeches = site_project / "content" / "speeches"
    (speeches / "hailar-trade-fair.md").write_text(ENGLISH_SPEECH, encoding="utf-8")
    site = build(site_project).output
    html = (site / "speeches" / "hailar-trade-fair" / "index.html").read_text("utf-8")
    words = len(re.sub(r"(?s)^---.*?---|\{#s1\}|#", "", ENGLISH_SPEECH).split())
    assert f"<dd>{words} 词，约 1 分钟读完</dd>" in html
    assert f"<span>{words} 词</span>" in (site / "topics" / "luoshi" / "index.html").read_text(
        "utf-8"
    )
    chinese = sorted((site / "speeches").glob("quan-*/index.html"))[0].read_text("utf-8")
    assert re.search(r"<dd>\d+ 字，约 \d+ 分钟读完</dd>", chinese)


def test_speeches_are_counted_again_when_the_archives_language_changes(
    site_project: Path,
) -> None:
    """A speech is measured in words where its language is (a lang: of its own, else
    content_language): the cached count of a Chinese archive's speeches, which had none, is not
    what an archive declared English shows."""
    speech = site_project / "content" / "speeches" / "hailar-trade-fair.md"
    speech.write_text(ENGLISH_SPEECH.replace("lang: en\n", ""), encoding="utf-8")
    page = build(site_project).output / "speeches" / "hailar-trade-fair" / "index.html"
    assert re.search(r"<dd>\d+ 字，", page.read_text("utf-8"))
    config = site_project / "site.yaml"
    config.write_text(config.read_text("utf-8") + "\ncontent_language: en\n", "utf-8")
    build(site_project)
    assert re.search(r"<dd>\d+ 词，", page.read_text("utf-8"))


ARABIC_SPEECH = """---
title: كلمة في افتتاح معرض هايلار التجاري الدولي
slug: hailar-fair-ar
lang: ar
speaker: 李伟
topics: [落实]
outline:
- {id: s1, label: 'أولا', title: بوابة للتجارة, children: []}
---

السيدات والسادة،

يسعدني كثيرا أن أرحب بكم في هايلار، البوابة إلى روسيا ومنغوليا.

{#s1}
## أولا بوابة للتجارة

نمت التجارة عبر الحدود كل عام، وسنفي بوعدنا لكل شريك.
"""
RTL = 'lang="ar" dir="rtl"'


def test_a_right_to_left_speech_marks_its_words_with_their_direction_too(
    site_project: Path,
) -> None:
    """An Arabic speech on a Chinese site: wherever its lang marks its words (title, text,
    table of contents, citation, pager, lists) dir="rtl" goes with it, so the browser sets them
    right to left inside the page's left-to-right layout; the feed, which has no dir, has
    xml:lang only. The pages' own words and the Chinese speeches have neither."""
    speeches = site_project / "content" / "speeches"
    (speeches / "hailar-fair-ar.md").write_text(ARABIC_SPEECH, encoding="utf-8")
    site = build(site_project).output
    html = (site / "speeches" / "hailar-fair-ar" / "index.html").read_text("utf-8")
    assert '<html lang="zh-CN"' in html
    assert len(_start_tags(html, 'lang="ar"')) == len(_start_tags(html, RTL)) == 4
    assert re.search(rf'<h1 id="speech-title" class="page-title" {RTL}>كلمة', html)
    assert re.search(rf'<div class="speech-body" [^>]*{RTL}>', html)
    assert f'<ol class="toc-list toc-depth-1" {RTL}>' in html
    assert f"<span {RTL}>كلمة في افتتاح" in html  # the citation's title
    assert 'dir="' not in html.replace(RTL, "")
    neighbour = re.search(r'<a href="([^"]+)" rel="(?:next|prev)">', html)
    assert neighbour is not None
    chinese = (site / neighbour.group(1).strip("/") / "index.html").read_text("utf-8")
    assert f'<span class="pager-title" {RTL}>' in chinese
    assert set(_start_tags(chinese, 'dir="rtl"')) <= {
        f'<span class="pager-title" {RTL}>',
        f'<h3 class="speech-item-title" {RTL}>',
    }
    listing = (site / "topics" / "luoshi" / "index.html").read_text("utf-8")
    assert _start_tags(listing, 'dir="rtl"') == [
        f'<h2 class="speech-item-title" {RTL}>',
        f'<p class="excerpt" {RTL}>',
    ]
    feed = (site / "feed.xml").read_text("utf-8")
    assert '<entry xml:lang="ar">' in feed and "dir=" not in feed


JAPANESE_SPEECH = """---
title: ハイラル国際見本市開幕式における挨拶
slug: hailar-fair-ja
lang: ja
speaker: 李伟
topics: [落实]
---

{body}
"""
JAPANESE_PARAGRAPH = "本日は、ハイラル国際見本市の開幕にあたり、一言ご挨拶を申し上げます。"
KOREAN_PARAGRAPH = "하이라얼 국제무역박람회의 개막을 진심으로 축하드립니다."


@pytest.mark.parametrize(
    ("lang", "text"), [("ja", JAPANESE_PARAGRAPH * 27), ("ko", KOREAN_PARAGRAPH * 32)]
)
def test_a_japanese_or_korean_speech_is_measured_in_characters(
    site_project: Path, lang: str, text: str
) -> None:
    """Japanese and Korean are measured as Chinese is, in characters (字数; Korean's 글자 수,
    though its words stand apart), and read at 500 a minute, not a Chinese reader's 400; their
    pages are marked with their lang and no dir."""
    speech = JAPANESE_SPEECH.format(body=text).replace("lang: ja", f"lang: {lang}")
    (site_project / "content" / "speeches" / "hailar-fair-ja.md").write_text(speech, "utf-8")
    html = (build(site_project).output / "speeches" / "hailar-fair-ja" / "index.html").read_text(
        "utf-8"
    )
    chars = len("".join(text.split()))
    assert math.ceil(chars / 500) != math.ceil(chars / 400)  # (the pace tells)
    assert f"<dd>{chars} 字，约 {math.ceil(chars / 500)} 分钟读完</dd>" in html
    assert re.search(rf'<div class="speech-body" [^>]*lang="{lang}">', html)
    assert 'dir="' not in html


def test_a_speech_in_the_sites_language_needs_no_mark_of_its_own(site_project: Path) -> None:
    """On an English site of Chinese speeches, the English speech reads as its page does,
    while the Chinese ones carry content_language's zh-CN as before."""
    speeches = site_project / "content" / "speeches"
    (speeches / "hailar-trade-fair.md").write_text(ENGLISH_SPEECH, encoding="utf-8")
    config = site_project / "site.yaml"
    config.write_text(
        config.read_text("utf-8").replace("language: zh-CN", "language: en"), encoding="utf-8"
    )
    site = build(site_project).output
    html = (site / "speeches" / "hailar-trade-fair" / "index.html").read_text("utf-8")
    assert '<html lang="en"' in html and 'lang="en"' not in html.replace('<html lang="en"', "")
    assert '<h1 id="speech-title" class="page-title">Speech at' in html
    assert '<ol class="toc-list toc-depth-1">' in html
    # its speaker, as every speech's metadata, is the archive's (content_language)
    assert re.search(r'<dd lang="zh-CN">李伟</dd>', html)
    listing = (site / "archive" / "index.html").read_text("utf-8")
    assert re.search(r'<h3 class="speech-item-title"><a href="[^"]*/hailar-trade-fair/">', listing)
    assert re.search(r'<h3 class="speech-item-title" lang="zh-CN">', listing)


def test_a_theme_written_before_speeches_had_a_language_still_builds(
    site_project: Path,
) -> None:
    """A theme's own macros from before (its outline_tree knows content_lang only) and its own
    speech page showing `speech.citation`: the English speech's page builds, as it did."""
    (site_project / "content" / "speeches" / "hailar-trade-fair.md").write_text(
        ENGLISH_SPEECH, encoding="utf-8"
    )
    partials = site_project / "themes" / "mine" / "templates" / "partials"
    partials.mkdir(parents=True)
    (partials / "macros.html").write_text(
        "{% macro outline_tree(entries, depth=1) -%}\n"
        '<ol class="own-toc"{{ content_lang }}>{% for e in entries %}<li>{{ e.title }}</li>'
        "{% endfor %}</ol>\n{%- endmacro %}\n"
        "{% macro date(s) -%}{{ s.date_display }}{%- endmacro %}\n",
        encoding="utf-8",
    )
    (partials.parent / "speech.html").write_text(
        '{% extends "default/speech.html" %}{% block content %}'
        '<h1{{ content_lang }}>{{ speech.title }}</h1><p id="own-cite">{{ speech.citation }}</p>'
        "{{ super() }}{% endblock %}",
        encoding="utf-8",
    )
    config_path = site_project / "site.yaml"
    use_theme(config_path)
    site = build(site_project).output
    html = (site / "speeches" / "hailar-trade-fair" / "index.html").read_text("utf-8")
    assert '<ol class="own-toc"><li>A gateway for trade</li></ol>' in html
    assert re.search(
        r'<p id="own-cite">李伟：《Speech at the Hailar International Trade Fair》', html
    )


@pytest.mark.parametrize("tag", ["en", "en-GB", "zh-Hant", "fr"])
def test_a_speech_may_name_its_own_language(tmp_path: Path, tag: str) -> None:
    path = tmp_path / "speech.md"
    path.write_text(ENGLISH_SPEECH.replace("lang: en\n", f"lang: {tag}\n"), encoding="utf-8")
    assert load_entry(path).lang == tag
    path.write_text(ENGLISH_SPEECH.replace("lang: en\n", ""), encoding="utf-8")
    assert load_entry(path).lang is None


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("en_US", "lang: expected a language tag, got 'en_US'"),
        ("English", "lang: expected a language tag, got 'English'"),
        ("'zh CN'", "lang: expected a language tag, got 'zh CN'"),
        ("[en]", "lang: expected text, got list"),
    ],
)
def test_a_bad_lang_is_an_error_at_its_line(tmp_path: Path, value: str, message: str) -> None:
    path = tmp_path / "speech.md"
    path.write_text(ENGLISH_SPEECH.replace("lang: en\n", f"lang: {value}\n"), encoding="utf-8")
    with pytest.raises(UserError) as caught:
        load_entry(path)
    assert message in caught.value.message
    assert caught.value.path == path
    assert caught.value.line == 4  # (---, title, slug, then lang)


def test_speakers_are_listed_in_pinyin_order(site_project: Path) -> None:
    """A reader looks a name up by its sound: 李 (li), 欧阳 (ou), 王 (wang), 张 (zhang) — not by
    code point, which put 张 before 李 and 欧阳 after 王."""
    speeches = site_project / "content" / "speeches"
    text = next(speeches.glob("xian-luo-shi*.md")).read_text(encoding="utf-8")
    for n, name in enumerate(["张三", "王五", "欧阳娜", "李四"]):
        copy = re.sub(r"^slug: .*$", f"slug: speaker-{n}", text, count=1, flags=re.M)
        copy = re.sub(r"^speaker: .*$", f"speaker: {name}", copy, count=1, flags=re.M)
        (speeches / f"speaker-{n}.md").write_text(copy, encoding="utf-8")
    page = (build(site_project).output / "archive" / "speaker" / "index.html").read_text("utf-8")
    shown = [name for name in re.findall(r"<h2[^>]*>\s*(?:<bdi>)?([^<\s]+)", page)]
    order = [name for name in shown if name in ("张三", "王五", "欧阳娜", "李四")]
    assert order == ["李四", "欧阳娜", "王五", "张三"], shown


def test_withheld_speakers_are_not_listed_as_one_person(site_project: Path) -> None:
    """Probe 11: speeches by ×××, a 县委书记, a 市长 and a 乡长, were one speaker's group."""
    speeches = site_project / "content" / "speeches"
    text = next(speeches.glob("xian-luo-shi*.md")).read_text(encoding="utf-8")
    for n, name in enumerate(["×××", "'XX'", "○○○"]):
        copy = re.sub(r"^slug: .*$", f"slug: withheld-{n}", text, count=1, flags=re.M)
        copy = re.sub(r"^speaker: .*$", f"speaker: {name}", copy, count=1, flags=re.M)
        (speeches / f"withheld-{n}.md").write_text(copy, encoding="utf-8")
    page = (build(site_project).output / "archive" / "speaker" / "index.html").read_text("utf-8")
    shown = re.findall(r"<h2[^>]*>\s*(?:<bdi>)?([^<]+?)(?:</bdi>)? <span", page)
    assert not {"×××", "XX", "○○○"} & set(shown), shown
    assert "讲话人不详" in shown, shown


def _many_speeches(project: Path, copies: int) -> list[Path]:
    """`copies` copies of each sample speech, with their own slugs (texts shared, as related
    speeches with tied scores have)."""
    speeches = project / "content" / "speeches"
    out = []
    for path in sorted(speeches.glob("*.md")):
        text = path.read_text(encoding="utf-8")
        for number in range(1, copies):
            copy = speeches / f"{path.stem}-{number}.md"
            copy.write_text(
                text.replace(f"slug: {path.stem}\n", f"slug: {path.stem}-{number}\n", 1),
                encoding="utf-8",
            )
            out.append(copy)
    return out


def _files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}


def _edited(text: str, edit: str) -> str:
    """A speech's Markdown with one kind of edit: of its text, title, topics, speaker (what
    its neighbours' and related speeches' pages show of it) or date (its place in the order)."""
    if edit == "text":
        return text.rstrip("\n") + "编辑新增的一句话。\n"
    if edit == "title":
        return text.replace("title: ", "title: 改过的", 1)
    if edit == "speaker":
        return re.sub(r"^speaker: .*$", "speaker: 张三", text, count=1, flags=re.M)
    if edit == "date":
        return re.sub(r"^date: .*$", "date: '1990-01-02'", text, count=1, flags=re.M)
    return text.replace("topics: [", "topics: [营商环境, ", 1).replace(
        "topics:\n- ", "topics:\n- 营商环境\n- ", 1
    )


@pytest.mark.parametrize("jobs", [1, 2])
@pytest.mark.parametrize("edit", ["text", "title", "topics", "speaker", "date"])
def test_incremental_build_equals_a_cold_build(site_project: Path, edit: str, jobs: int) -> None:
    """An edit's build makes the site a cold build makes, byte for byte; with two jobs it runs
    the search step in a forked child while the pages render."""
    copies = _many_speeches(site_project, 8)
    build(site_project)
    path = copies[len(copies) // 2]
    text = _edited(path.read_text(encoding="utf-8"), edit)
    assert text != path.read_text(encoding="utf-8")
    path.write_text(text, encoding="utf-8")
    incremental = build_site(load_config(site_project), jobs=jobs)
    assert incremental.rendered < incremental.pages
    assert ("search beside render" in incremental.timings) == (jobs > 1)  # (the child's step)
    shutil.rmtree(site_project / ".speechsite-cache")
    cold = build(site_project, output=site_project / "cold")
    assert cold.rendered == cold.pages
    assert _files(site_project / "site") == _files(site_project / "cold")


@pytest.mark.parametrize("related", [5, 0])
@pytest.mark.parametrize("edit", ["text", "title", "speaker", "date"])
def test_a_new_process_keeps_the_keys_of_the_speech_pages_an_edit_leaves_as_they_were(
    site_project: Path, edit: str, related: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A new process takes the last build's key for a speech page that shows what it showed,
    without making its parts: every key is the one made from its parts, and the pages made
    anew are the edited speech's, and for an edit of what other pages show of it, those of
    its neighbours and of the speeches listing it as related; a speech moved in the order
    makes all anew. (Without related lists, where a neighbour is no related speech too.)"""
    from generator.build import run as run_module

    settings = site_project / "site.yaml"
    settings.write_text(
        settings.read_text(encoding="utf-8") + f"\nbuild:\n  related: {related}\n",
        encoding="utf-8",
    )
    copies = _many_speeches(site_project, 8)
    build(site_project)
    path = copies[len(copies) // 2]
    path.write_text(_edited(path.read_text(encoding="utf-8"), edit), encoding="utf-8")
    fast = run_module.Build(load_config(site_project))
    fast.plan()
    monkeypatch.setattr(run_module, "LastPages", lambda *args: None)
    slow = run_module.Build(load_config(site_project))
    slow.plan()
    assert {p.output: p.key for p in fast.pages} == {p.output: p.key for p in slow.pages}
    assert not any(page.kept for page in slow.pages)
    made = {p.output for p in fast.pages if p.kind == "speech" and not p.kept}
    slugs = [entry.slug for entry in fast.builder.archive.entries]
    edited = load_entry(path).slug
    moved = fast.cache.order != slugs  # (the last build's order)
    assert moved == (edit == "date") or edit == "title"  # (a title orders speeches of a date)
    if moved:
        assert made == {f"speeches/{slug}/index.html" for slug in slugs}
        return
    shown = {edited}
    if edit != "text":  # (what a neighbour or a related speech's page shows of it)
        at = slugs.index(edited)
        shown |= {*slugs[max(at - 1, 0) : at + 2]}
        shown |= {s for s, related in fast.builder.related.items() if edited in dict(related)}
    shown |= fast.cache.related_changed or set()
    assert made == {f"speeches/{slug}/index.html" for slug in shown}
    assert len(made) < len(slugs) / 2


def test_a_renamed_topic_reaches_the_page_of_the_one_speech_that_has_it(site_project: Path) -> None:
    """A speech page links its topics: a topic's slug changed in site.yaml changes the links
    on the page of its only speech, though none of what the page shows of other speeches
    changed (its own summary is of what its key is made)."""
    settings = site_project / "site.yaml"
    topic = "topics:\n  测试专题:\n    slug: ceshi\n    description: 测试。\n    terms: {测试: 1}\n"
    settings.write_text(
        settings.read_text(encoding="utf-8").replace("topics:\n", topic, 1), encoding="utf-8"
    )
    speech = sorted((site_project / "content" / "speeches").glob("*.md"))[0]
    text = speech.read_text(encoding="utf-8")
    added = re.sub(r"^topics:\n", "topics:\n- 测试专题\n", text, count=1, flags=re.M)
    speech.write_text(added, "utf-8")
    build(site_project)
    settings.write_text(
        settings.read_text(encoding="utf-8").replace("slug: ceshi", "slug: ceshi-2"), "utf-8"
    )
    build(site_project)
    slug = load_entry(speech).slug
    page = (site_project / "site" / "speeches" / slug / "index.html").read_text(encoding="utf-8")
    assert "topics/ceshi-2/" in page and "topics/ceshi/" not in page


def test_the_search_index_follows_the_date_forms_of_another_site_language(
    site_project: Path,
) -> None:
    """A speech is found by its date as the pages show it (search_details), which the site's
    language sets: the language changed, the index updated from the last one is the index a
    cold build makes, though no speech's file changed."""
    for number, path in enumerate(sorted((site_project / "content" / "speeches").glob("*.md"))):
        text = path.read_text(encoding="utf-8")
        dated = re.sub(r"^date: .*$", f"date: '2024-0{number + 1}-15'", text, count=1, flags=re.M)
        path.write_text(dated, encoding="utf-8")
    build(site_project)
    settings = site_project / "site.yaml"
    english = settings.read_text(encoding="utf-8").replace("language: zh-CN", "language: en", 1)
    settings.write_text(english, encoding="utf-8")
    build(site_project)
    build(site_project, output=site_project / "cold", cache_dir=site_project / "cold-cache")

    def index(site: Path) -> dict[str, bytes]:
        return {name: data for name, data in _files(site).items() if name.startswith("search/")}

    assert index(site_project / "site") == index(site_project / "cold")


def test_keys_saved_before_the_related_state_are_made_afresh_by_a_new_process(
    site_project: Path,
) -> None:
    """Serve's first phase saves the page keys but not the related state: a process started
    after it (the server stopped before its second phase) cannot tell which related lists
    changed since the keys were made, and makes every speech page's key from its parts."""
    import shutil as shell

    from generator.build import run as run_module
    from generator.build.output import staging_dir

    copies = _many_speeches(site_project, 3)
    build(site_project)
    copies[0].write_text(_edited(copies[0].read_text(encoding="utf-8"), "text"), "utf-8")
    first = run_module.Build(load_config(site_project))
    staging = staging_dir(first.target)
    first.plan()
    first.apply(staging, first.write_pages(staging, None))
    first.save(complete=False)
    shell.rmtree(staging, ignore_errors=True)
    after = run_module.Build(load_config(site_project))
    after.plan()
    assert not any(page.kept for page in after.pages)
    build(site_project)  # (a complete build: its keys are kept again)
    copies[1].write_text(_edited(copies[1].read_text(encoding="utf-8"), "text"), "utf-8")
    complete = run_module.Build(load_config(site_project))
    complete.plan()
    assert any(page.kept for page in complete.pages)


def test_a_search_step_beside_the_pages_that_fails_keeps_the_last_good_site(
    site_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The child's error is the build's (a UserError as it was raised, not a traceback from
    another process), and nothing of the failed build reaches the output or stays beside it."""
    from generator.build import run as run_module

    build(site_project)
    site = site_project / "site"
    before = _files(site)

    ran_in = site_project / "ran-in"

    def failing(*args: object, **kwargs: object) -> dict[str, str]:
        ran_in.write_text(str(os.getpid()))
        raise UserError("the index could not be written", site_project / "x.md", 3)

    monkeypatch.setattr(run_module, "write_search", failing)
    speech = sorted((site_project / "content" / "speeches").glob("*.md"))[0]
    speech.write_text(speech.read_text("utf-8").rstrip("\n") + "又一句。\n", "utf-8")
    with pytest.raises(UserError) as caught:
        build_site(load_config(site_project), jobs=2)
    assert "could not be written" in str(caught.value) and caught.value.line == 3
    assert int(ran_in.read_text()) != os.getpid()  # (in the child)
    assert _files(site) == before
    assert not list(site_project.glob(".site.staging-*"))
    monkeypatch.undo()
    assert build_site(load_config(site_project), jobs=2).written > 0


def test_a_render_that_fails_stops_the_search_step_beside_it(
    site_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A broken template fails the build while the search child still works: the child is
    stopped and gone before the staging folder is removed, and the site is the last one."""
    from generator.build import run as run_module

    build(site_project)
    site = site_project / "site"
    before = _files(site)
    children: list[int] = []
    real = run_module.Forked

    def recorded(work: Callable[[], object]) -> object:
        child = real(work)
        children.append(child.pid)
        return child

    monkeypatch.setattr(run_module, "Forked", recorded)
    speech = sorted((site_project / "content" / "speeches").glob("*.md"))[0]
    speech.write_text(speech.read_text("utf-8").rstrip("\n") + "又一句。\n", "utf-8")
    template = site_project / "themes" / "default" / "templates" / "speech.html"
    text = template.read_text("utf-8")
    template.write_text(text.replace("{% block content %}", "{% block content %}{{ 1 / 0 }}"))
    with pytest.raises(UserError):
        build_site(load_config(site_project), jobs=2)
    assert len(children) == 1
    with pytest.raises(ChildProcessError):  # (reaped: no such child any more)
        os.waitpid(children[0], os.WNOHANG)
    assert _files(site) == before
    assert not list(site_project.glob(".site.staging-*"))


def test_lost_body_cache_is_rebuilt(site_project: Path) -> None:
    build(site_project)
    for pack in (site_project / ".speechsite-cache" / "bodies").glob("*.pack"):
        pack.unlink()
    path = next((site_project / "content" / "speeches").glob("xian-luo-shi*.md"))
    path.write_text(path.read_text(encoding="utf-8") + "\n新的一段。\n", encoding="utf-8")
    build(site_project)
    page = site_project / "site" / "speeches" / path.stem / "index.html"
    assert "新的一段。" in page.read_text(encoding="utf-8")
    other = next((site_project / "content" / "speeches").glob("xian-zhang*.md"))
    assert "data-n=" in (site_project / "site" / "speeches" / other.stem / "index.html").read_text(
        encoding="utf-8"
    )


def test_a_lost_pack_reloads_only_the_speeches_it_held(
    site_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cache shard is trusted whole only while every pack it lists is there: after the pack
    an edit wrote is deleted, the edited speech loads again (and its page is right), and the
    speeches whose bodies are in the packs still there do not."""
    build(site_project)
    bodies = site_project / ".speechsite-cache" / "bodies"
    first = set(bodies.glob("*.pack"))
    path = next((site_project / "content" / "speeches").glob("xian-luo-shi*.md"))
    path.write_text(path.read_text(encoding="utf-8") + "\n新的一段。\n", encoding="utf-8")
    build(site_project)
    [second] = set(bodies.glob("*.pack")) - first
    second.unlink()
    loaded: list[str] = []
    load_one = load_module._load_one

    def counted(args: tuple[str, str, str, BodyStore]) -> object:
        loaded.append(Path(args[0]).stem)
        return load_one(args)

    monkeypatch.setattr(load_module, "_load_one", counted)
    other = next((site_project / "content" / "speeches").glob("xian-zhang*.md"))
    other.touch()  # (an input changed: the build does not stop at the fingerprint)
    build(site_project)
    assert sorted(loaded) == sorted([path.stem, other.stem])
    page = site_project / "site" / "speeches" / path.stem / "index.html"
    assert "新的一段。" in page.read_text(encoding="utf-8")


def _packed(project: Path) -> int:
    return sum(p.stat().st_size for p in (project / ".speechsite-cache" / "bodies").glob("*"))


def test_body_cache_garbage_stays_bounded(site_project: Path) -> None:
    """Collection is skipped while a build's new bodies are small beside the cache, so edit
    after edit leaves some dead bodies, but never more than a fraction of the cache; removed
    speeches are collected at once."""
    folder = site_project / "content" / "speeches"
    for path in sorted(folder.glob("*.md")):  # 25 speeches: one is a small part of the cache
        text = path.read_text(encoding="utf-8")
        for copy in range(4):
            slugged = re.sub(r"^slug: (.*)$", rf"slug: \1-{copy}", text, count=1, flags=re.M)
            (folder / f"{path.stem}-{copy}.md").write_text(slugged, encoding="utf-8")
    build(site_project)
    after_first = _packed(site_project)
    speeches = sorted(folder.glob("*.md"))
    for n in range(12):
        path = speeches[n % 2]
        path.write_text(path.read_text(encoding="utf-8") + f"\n第{n}次补充。\n", encoding="utf-8")
        build(site_project)
        assert _packed(site_project) < after_first * 1.5
    page = site_project / "site" / "speeches" / speeches[1].stem / "index.html"
    assert "第11次补充。" in page.read_text(encoding="utf-8")
    for path in speeches[2:]:
        path.unlink()
    build(site_project)
    assert _packed(site_project) < after_first / 4


def test_a_speech_page_made_from_the_cache_equals_one_made_from_its_file(
    site_project: Path,
) -> None:
    """The cache keeps each speech's file name as text and its outline as JSON: a page
    rendered again from them (its file deleted by hand, its speech not edited) is the page
    its speech file gave, outline and all."""
    build(site_project)
    pages = sorted((site_project / "site" / "speeches").glob("*/index.html"))
    expected = {page: page.read_bytes() for page in pages}
    for page in pages:
        page.unlink()
    result = build(site_project)
    assert result.rendered == len(pages)
    assert {page: page.read_bytes() for page in pages} == expected
    assert all(b'class="toc"' in data for data in expected.values())


def test_files_gone_from_the_output_are_written_again(site_project: Path) -> None:
    """A page, robots.txt and a search file deleted by hand come back with the next build,
    though their content did not change (the record still names their hashes)."""
    build(site_project)
    site = site_project / "site"
    speeches = site_project / "content" / "speeches"
    gone = [site / "404.html", site / "robots.txt"]  # (neither shows the edited speech)
    expected = {path: path.read_bytes() for path in gone}
    gen = json.loads((site / "search" / "index.json").read_text("utf-8"))["gen"]
    fragment = site / "search" / gen / "f" / "0.bin"
    for path in [*gone, fragment]:
        path.unlink()
    edited = next(speeches.glob("xian-luo-shi*.md"))  # another speech: the index is merged
    edited.write_text(edited.read_text(encoding="utf-8") + "\n新的一段。\n", encoding="utf-8")
    build(site_project)
    assert {path: path.read_bytes() for path in gone} == expected
    assert fragment.is_file()
    gone[0].unlink()
    build(site_project)  # no input changed, but a recorded file is missing
    assert gone[0].read_bytes() == expected[gone[0]]


def test_a_template_edit_carries_the_search_index_over(
    site_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The index shows no template: a theme edit renders pages again, never the index."""
    from generator.search import site as search_site

    build(site_project)
    merged: list[int] = []
    write_index = search_site.write_index

    def counted(*args: object, **kwargs: object) -> object:
        merged.append(1)
        return write_index(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(search_site, "write_index", counted)
    template = site_project / "themes" / "default" / "templates" / "speech.html"
    text = template.read_text(encoding="utf-8")
    template.write_text(text.replace("{% block content %}", "{% block content %}<!-- x -->"))
    result = build(site_project)
    assert result.rendered > 0 and not merged
    assert (site_project / ".speechsite-cache" / "search" / "state.pickle").is_file()


def test_an_index_file_deleted_by_hand_is_not_carried_over(site_project: Path) -> None:
    """A template edit carries the search index over only while its files are all still in
    the output: one deleted by hand comes back, byte for byte, not a record naming a file
    that is gone."""
    build(site_project)
    site = site_project / "site"
    facets = next((site / "search").glob("*/facets.bin"))
    expected = facets.read_bytes()
    facets.unlink()
    template = site_project / "themes" / "default" / "templates" / "speech.html"
    text = template.read_text(encoding="utf-8")
    template.write_text(text.replace("{% block content %}", "{% block content %}<!-- x -->"))
    build(site_project)
    assert facets.read_bytes() == expected


def test_cache_files_round_trip_their_arrays_and_refuse_damage(tmp_path: Path) -> None:
    """A cache file keeps arrays out of band; read back they are equal and writable. A file
    cut short, padded, emptied or not ours reads as None (a slower build, not a crash)."""
    import numpy as np

    path = tmp_path / "state.pickle"
    array = np.arange(1000, dtype=np.float32).reshape(10, 100)
    cache_module._write_pickle(path, {"version": cache_module.CACHE_VERSION, "a": array, "n": 1})
    data = cache_module._read_pickle(path)
    assert data is not None and data["n"] == 1
    assert np.array_equal(data["a"], array) and data["a"].flags.writeable
    whole = path.read_bytes()
    for damaged in (whole[:-1], whole + b"\0", b"", b"not a cache file at all", whole[:12]):
        path.write_bytes(damaged)
        assert cache_module._read_pickle(path) is None, damaged[:20]
    cache_module._write_pickle(path, {"version": "another version", "a": array})
    assert cache_module._read_pickle(path) is None


def test_a_damaged_build_cache_only_builds_again(site_project: Path) -> None:
    """Every cache file cut in half: the next build reads none of them, and makes the same
    site as before, byte for byte."""
    site = build(site_project).output
    before = {p: p.read_bytes() for p in site.rglob("*") if p.is_file()}
    cache = site_project / ".speechsite-cache"
    files = [*cache.glob("*.pickle"), *cache.glob("search/*.pickle")]
    assert len(files) > 3
    for path in files:
        path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    edited = next((site_project / "content" / "speeches").glob("*.md"))
    edited.touch()  # (an input changed: the build does not stop at the fingerprint)
    build(site_project)
    assert {p: p.read_bytes() for p in site.rglob("*") if p.is_file()} == before


def test_a_cache_whose_stores_hold_garbage_is_cleared_and_the_site_built_afresh(
    site_project: Path,
) -> None:
    """The cache's pickles read fine, but its stores of bodies and search postings hold other
    bytes than their locators say (as two processes writing one cache left it): reading them
    failed with a ValueError on every later build. The build now clears the cache, builds
    afresh, says so, and makes the same site as a clean build."""
    build(site_project)
    cache = site_project / ".speechsite-cache"
    packs = list((cache / "bodies").glob("*.pack"))
    assert packs
    for pack in packs:
        size = pack.stat().st_size
        pack.write_bytes(bytes(range(256)) * (size // 256) + b"\xff" * (size % 256))
    edited = next((site_project / "content" / "speeches").glob("xian-luo-shi*.md"))
    edited.write_text(edited.read_text("utf-8") + "\n补充一句。\n", encoding="utf-8")
    result = build(site_project)
    assert result.cache_cleared  # (it was, and the error is named for the warning)
    after = {
        p.relative_to(result.output): p.read_bytes()
        for p in result.output.rglob("*")
        if p.is_file()
    }
    shutil.rmtree(cache)
    shutil.rmtree(result.output)
    clean = build(site_project).output
    assert after == {p.relative_to(clean): p.read_bytes() for p in clean.rglob("*") if p.is_file()}


def test_a_build_into_another_output_and_back_leaves_no_stale_file(site_project: Path) -> None:
    """The cache's page keys and search state described the last output built, whichever: after
    an edit built into public/, a build of site/ kept site/'s old pages and search fragments,
    for good. Both outputs now match a clean build of the same inputs."""
    build(site_project)
    path = next((site_project / "content" / "speeches").glob("xian-luo-shi*.md"))
    text = re.sub(r"^title: .*$", "title: 改过的标题", path.read_text("utf-8"), count=1, flags=re.M)
    path.write_text(text, encoding="utf-8")
    build(site_project, output=site_project / "public")
    site = build(site_project).output

    def files(folder: Path) -> dict[Path, bytes]:
        return {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*") if p.is_file()}

    built, public = files(site), files(site_project / "public")
    shutil.rmtree(site_project / ".speechsite-cache")
    shutil.rmtree(site)
    assert built == files(build(site_project).output) == public


def test_an_archive_of_no_speeches_builds_an_empty_site(site_project: Path) -> None:
    """A new project, or one whose last speech was deleted: the search index's reader failed
    on no speeches with a traceback, and the deleted speech stayed published."""
    build(site_project)
    for path in (site_project / "content" / "speeches").glob("*.md"):
        path.unlink()
    site = build(site_project).output
    assert not list(site.glob("speeches/*/index.html"))
    assert json.loads((site / "search" / "index.json").read_text("utf-8"))["docs"] == 0
    assert (site / "index.html").is_file()


def test_a_second_process_on_one_cache_is_refused(site_project: Path) -> None:
    """Two processes writing one cache corrupted it: while one holds the cache's lock, another
    build stops at once, naming the holder."""

    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path; from generator.lock import cache_lock\n"
            "with cache_lock(Path(sys.argv[1])):\n    print('held', flush=True); time.sleep(30)",
            str(site_project / ".speechsite-cache"),
        ],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        with pytest.raises(UserError, match=f"another speechsite process \\(pid {holder.pid}\\)"):
            build(site_project)
    finally:
        holder.kill()
        holder.wait()
    build(site_project)  # (released with its process)


def test_a_speech_deleted_while_its_folder_is_scanned_is_left_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file listed but gone by the time it is stat'ed is not a crash: the build sees the
    folder as it was after the deletion."""
    import os

    (tmp_path / "kept.md").write_text("x", encoding="utf-8")
    (tmp_path / ".hidden.md").write_text("x", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("x", encoding="utf-8")
    listdir = os.listdir
    monkeypatch.setattr(os, "listdir", lambda folder: [*listdir(folder), "gone.md"])
    assert list(build_module.scan_speeches(tmp_path)) == ["kept.md"]


def test_an_output_given_inside_a_folder_speechsite_reads_is_refused(site_project: Path) -> None:
    """`--output content/raw/site`: the next ingest read the built pages as saved web pages
    and published them as speeches."""
    for inside in ("content/raw/site", "content/speeches/out", "themes/out"):
        with pytest.raises(UserError) as caught:
            build(site_project, output=site_project / inside)
        assert "which speechsite reads" in caught.value.message
        assert not (site_project / inside).exists()


@pytest.mark.parametrize(
    ("setting", "key", "expected"),
    [
        ("theme: nonexist\n", "theme", "theme 'nonexist' not found"),
        ("language: fr\n", "language", "language 'fr'"),
    ],
)
def test_a_theme_or_language_error_names_site_yamls_line(
    site_project: Path, setting: str, key: str, expected: str
) -> None:
    """Every other setting's error names site.yaml's line; these named a folder (for the
    language, one inside the installed package)."""
    config = site_project / "site.yaml"
    text = re.sub(rf"(?m)^{key}: .*\n", "", config.read_text("utf-8")) + setting
    config.write_text(text, "utf-8")
    with pytest.raises(UserError) as caught:
        build(site_project)
    assert caught.value.path == config
    assert caught.value.line == text.count("\n")
    assert caught.value.message.startswith(f"{key}: ") and expected in caught.value.message


def test_a_template_that_extends_itself_says_so(site_project: Path) -> None:
    """`{% extends "topics.html" %}` in a theme's own topics.html was a RecursionError."""
    mine = site_project / "themes" / "mine" / "templates"
    mine.mkdir(parents=True)
    (mine / "topics.html").write_text('{% extends "topics.html" %}', "utf-8")
    with (site_project / "site.yaml").open("a", encoding="utf-8") as handle:
        handle.write("theme: mine\n")
    with pytest.raises(UserError) as caught:
        build(site_project)
    assert "extends or includes itself" in caught.value.message
    assert caught.value.hint is not None and 'extends "default/topics.html"' in caught.value.hint


def test_the_cache_version_covers_every_module_a_build_runs() -> None:
    """Review: render/chart.py was not hashed into CACHE_VERSION, so a fixed chart stayed on
    every site built before the fix (the home page's key leaves the chart's code out). Every
    module of the package a build imports is in a folder _code_version hashes, but for
    ingest's and deploy's, which make no part of a page."""
    import importlib
    import pkgutil

    import generator

    # ingest, deploy and serve make no part of a page; defaults is data (its topics are in
    # the inputs' fingerprint); __main__ runs the command line
    others = ("generator.ingest", "generator.deploy", "generator.serve", "generator.defaults")
    package = Path(generator.__file__).parent
    for module in pkgutil.walk_packages([str(package)], "generator."):
        if not module.name.startswith(others) and module.name != "generator.__main__":
            importlib.import_module(module.name)
    hashed = {package, package / "build", package / "render", package / "search"}
    for name, module in list(sys.modules.items()):
        path = getattr(module, "__file__", None)
        if name.startswith("generator.") and path and not name.startswith(others):
            assert Path(path).parent in hashed, name


@pytest.mark.parametrize(
    "module",
    [
        "render/chart.py",
        "render/feeds.py",
        "render/theme.py",
        "text.py",
        "archive.py",
        "build/render.py",
    ],
)
def test_a_change_to_a_module_a_page_shows_the_work_of_changes_the_cache_version(
    monkeypatch: pytest.MonkeyPatch, module: str
) -> None:
    import generator

    target = Path(generator.__file__).parent / module
    read = Path.read_bytes
    monkeypatch.setattr(
        Path, "read_bytes", lambda self: read(self) + (b"#" if self == target else b"")
    )
    assert cache_module._code_version() != cache_module.CACHE_VERSION


def test_the_static_folder_is_published_as_it_is(site_project: Path) -> None:
    """Probe 11: a speech's pictures could not be published (a relative path led to a 404).
    content/static/ is copied into the site as it is: a file added, changed or removed there
    is so in the output, and a build after a change to it is not taken for a no-change one."""
    static = site_project / "content" / "static"
    (static / "images").mkdir(parents=True)
    picture = static / "images" / "会场.png"
    picture.write_bytes(b"\x89PNG first")
    (static / ".DS_Store").write_bytes(b"hidden")
    site = build(site_project).output
    assert (site / "images" / "会场.png").read_bytes() == b"\x89PNG first"
    assert not (site / ".DS_Store").exists()
    assert build(site_project).written == 0  # (nothing changed)
    picture.write_bytes(b"\x89PNG second, longer")
    result = build(site_project)
    assert (site / "images" / "会场.png").read_bytes() == b"\x89PNG second, longer"
    assert result.written == 1
    picture.unlink()
    build(site_project)
    assert not (site / "images" / "会场.png").exists()


def test_a_static_file_may_not_replace_a_file_the_build_makes(site_project: Path) -> None:
    static = site_project / "content" / "static"
    static.mkdir(parents=True)
    (static / "feed.xml").write_text("<feed/>", encoding="utf-8")
    with pytest.raises(UserError) as caught:
        build(site_project)
    assert "feed.xml" in caught.value.message and caught.value.path == static / "feed.xml"
