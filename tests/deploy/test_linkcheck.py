"""The internal link check that runs before anything is published."""

from __future__ import annotations

import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from generator.build import build_site
from generator.config import load_config
from generator.deploy.linkcheck import BrokenLink, PageLinks, check_site, scan_page
from tests.conftest import ROOT

BASE = "https://example.org/archive/"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample built for https://example.org/archive/ (once for the module)."""
    project = tmp_path_factory.mktemp("linkcheck")
    shutil.copytree(ROOT / "content" / "speeches", project / "content" / "speeches")
    shutil.copytree(ROOT / "themes", project / "themes")
    shutil.copy(ROOT / "site.yaml", project / "site.yaml")
    build_site(load_config(project), output=project / "out", base_url=BASE, jobs=1)
    return project / "out"


@pytest.fixture
def site(built: Path, tmp_path: Path) -> Path:
    """A copy of the built sample that a test may break."""
    return Path(shutil.copytree(built, tmp_path / "site"))


def add_page(site: Path, name: str, body: str) -> None:
    path = site / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"<!doctype html><html><body>{body}</body></html>", encoding="utf-8")


def test_the_sample_has_no_broken_link(built: Path) -> None:
    result = check_site(built, BASE)
    assert result.broken == []
    assert result.pages >= 16
    assert result.links > 300  # every page's navigation, assets, topic and speech links


def test_a_deleted_page_and_a_deleted_asset_are_reported_with_the_pages_linking_them(
    site: Path,
) -> None:
    topic = next(p for p in (site / "topics").iterdir() if p.is_dir())
    shutil.rmtree(topic)
    css = next((site / "assets" / "css").glob("site.*.css"))
    css.unlink()
    broken = check_site(site, BASE).broken
    pages_missing_topic = {b.page for b in broken if f"topics/{topic.name}/" in b.link}
    assert "index.html" in pages_missing_topic  # the home page lists the topics
    assert "topics/index.html" in pages_missing_topic
    css_link = f"/archive/assets/css/{css.name}"
    missing_css = {b.page for b in broken if b.link == css_link}
    html_pages = {p.relative_to(site).as_posix() for p in site.rglob("*.html")}
    assert missing_css == html_pages  # every page loads the stylesheet
    assert all(b.problem == "no such file in the build" for b in broken)


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ('<a href="/archive/nowhere/">x</a>', "no such file in the build"),
        ('<a href="/topics/">x</a>', "outside /archive/, where the site is served"),
        ('<a href="../../elsewhere/">x</a>', "outside /archive/, where the site is served"),
        ('<a href="https://example.org/archive/gone.html">x</a>', "no such file in the build"),
        ('<img src="missing.png" alt="">', "no such file in the build"),
        ('<img srcset="a.png 1x, /archive/b.png 2x" alt="">', "no such file in the build"),
        ('<a href="/archive/#no-such-id">x</a>', "no id 'no-such-id' in index.html"),
        ('<a href="#nothing-here">x</a>', "no id 'nothing-here' in extra/page.html"),
        ('<form action="/archive/find/"></form>', "no such file in the build"),
        ('<link rel="stylesheet" href="/archive/x.css">', "no such file in the build"),
    ],
)
def test_broken_links_of_each_kind(site: Path, body: str, problem: str) -> None:
    add_page(site, "extra/page.html", f'<p id="here">{body}</p>')
    broken = check_site(site, BASE).broken
    assert broken
    assert all((b.page, b.problem) == ("extra/page.html", problem) for b in broken), broken


@pytest.mark.parametrize(
    "body",
    [
        '<a href="https://elsewhere.org/archive/nowhere/">external</a>',
        '<a href="mailto:someone@example.org">mail</a>',
        '<a href="#">top</a><a href="#top">top</a><a href="#here">here</a>',
        '<a href="/archive/topics">no slash: servers redirect</a>',
        '<a href="../">up</a><a href="/archive/index.html">home</a>',
        '<img src="data:image/png;base64,AAAA" alt="">',
        '<a href="/archive/?q=1">query</a>',
    ],
)
def test_links_that_are_fine_or_not_ours(site: Path, body: str) -> None:
    add_page(site, "extra/page.html", f'<p id="here">{body}</p>')
    assert check_site(site, BASE).broken == []


def test_css_url_references_are_checked(site: Path) -> None:
    (site / "assets" / "extra.css").write_text(
        "a{background:url('img/gone.png')} b{background:url(data:image/png;base64,AA)}",
        encoding="utf-8",
    )
    assert check_site(site, BASE).broken == [
        BrokenLink("assets/extra.css", "img/gone.png", "no such file in the build")
    ]


def test_a_relative_link_on_the_404_page_is_broken(site: Path) -> None:
    # 404.html is served for /archive/a/b/c too, where "topics/" would mean /archive/a/b/topics/.
    text = (site / "404.html").read_text(encoding="utf-8")
    (site / "404.html").write_text(text.replace("</main>", '<a href="topics/">t</a></main>'))
    broken = check_site(site, BASE).broken
    assert [(b.page, b.link) for b in broken] == [("404.html", "topics/")]
    assert "must start with /" in broken[0].problem


def test_a_path_only_base_url(tmp_path: Path) -> None:
    add_page(tmp_path, "index.html", '<a href="/sub/a/">a</a><a href="/sub/b/">b</a>')
    add_page(tmp_path, "a/index.html", '<a href="../">home</a>')
    broken = check_site(tmp_path, "/sub/").broken
    assert [(b.page, b.link) for b in broken] == [("index.html", "/sub/b/")]


# --- the fast page scanner against html.parser ------------------------------------------------


class Reference(HTMLParser):
    """What html.parser reports: the reference the fast scanner is held to."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found = PageLinks()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is not None:
                self.found.add(tag, name, value)

    handle_startendtag = handle_starttag


def reference(text: str) -> PageLinks:
    parser = Reference()
    parser.feed(text)
    parser.close()
    return parser.found


def test_the_scanner_reads_every_sample_page_as_html_parser_does(built: Path) -> None:
    pages = sorted(built.rglob("*.html"))
    assert len(pages) >= 16
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert scan_page(text) == reference(text), page


@pytest.mark.parametrize(
    "html",
    [
        '<a title="a > b" href="/x/">x</a>',
        "<A HREF='/Upper/'>x</A><IMG SRC=/unquoted.png ALT=x>",
        '<a href="/search/?q=1&amp;page=2">entity</a><a href="/a&#47;b/">numeric</a>',
        '<!-- <a href="/commented/">no</a> --><a href="/after/">yes</a>',
        '<script>var s = \'<a href="/in-script/">\';</script><script src="/app.js"></script>',
        '<style>a[href="/in-style/"]{}</style><link rel="stylesheet" href="/s.css">',
        '<img srcset="/a.png 1x, /b.png 2x" src="/a.png" alt=""/><input disabled id=box>',
        '<a name="old-anchor"></a><p id="p1" data-href="/not-a-link/">text &lt;a href="/text/"&gt;</p>',
        '<form action="/search/"><button formaction="/x/">go</button></form>',
        '<template><li data-search-result><a href="#" id="in-template">t</a></li></template>',
        '<video poster="/poster.jpg"><source src="/v.mp4" type="video/mp4"></video>',
        '<a\nhref="/newline/"\nclass="x">multi-line tag</a>',
    ],
)
def test_the_scanner_agrees_with_html_parser_on_awkward_markup(html: str) -> None:
    found = scan_page(html)
    assert found == reference(html)
    assert found.links or found.ids
