"""`speechsite serve` end to end in Debian chromium: edit files on disk and watch the open page
follow without touching the browser — new text after a Markdown edit (scroll kept), the error
overlay for broken front matter and its removal after the fix, a CSS change swapped in without a
reload, a tab showing an unaffected page left alone, and a script change reloading the page."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from scripts.serve_process import ServeProcess
from tests.conftest import ROOT

if TYPE_CHECKING:
    from playwright.sync_api import Browser

pytestmark = pytest.mark.browser

SLUG = "quan-shi-shen-hua-ji-guan-zuo-feng-zheng-dun-ling-dao-xiao"
TIMEOUT = 15_000  # ms; a rebuild of the sample takes about 0.1 s


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the sample project: speeches, themes, site.yaml."""
    shutil.copytree(ROOT / "content" / "speeches", tmp_path / "content" / "speeches")
    shutil.copytree(ROOT / "themes", tmp_path / "themes")
    shutil.copy(ROOT / "site.yaml", tmp_path / "site.yaml")
    return tmp_path


def test_edits_on_disk_show_in_the_open_page(chromium: Browser, project: Path) -> None:
    from playwright.sync_api import expect

    speech = project / "content" / "speeches" / f"{SLUG}.md"
    original = speech.read_text(encoding="utf-8")
    with ServeProcess(project) as serve:
        context = chromium.new_context(viewport={"width": 1280, "height": 700})
        page = context.new_page()
        page.goto(serve.url + f"speeches/{SLUG}/")
        other = context.new_page()  # the search page does not list speeches: it must stay put
        other.goto(serve.url + "search/")
        other.evaluate("window.__stayed = true")
        page.evaluate("window.scrollTo(0, 800)")
        page.wait_for_function("window.scrollY >= 800")

        # 1. A Markdown edit: the new sentence appears, the page was reloaded, scroll kept.
        page.evaluate("window.__before = true")
        edited = original.rstrip("\n") + "\n\n这是实时预览新增的一句话。\n"
        speech.write_text(edited, encoding="utf-8")
        page.wait_for_function(
            "document.body.innerText.includes('这是实时预览新增的一句话')", timeout=TIMEOUT
        )
        assert page.evaluate("window.__before === undefined"), "the page was not reloaded"
        page.wait_for_function("window.scrollY >= 700", timeout=TIMEOUT)

        # 2. Broken front matter: an overlay with the message, the file and the line.
        page.evaluate("window.__before = true")
        speech.write_text(edited.replace("title: ", "title: [unclosed ", 1), encoding="utf-8")
        overlay = page.locator("#__speechsite-overlay")
        expect(overlay).to_be_visible(timeout=TIMEOUT)
        expect(overlay.locator(".__speechsite-file")).to_have_text(
            re.compile(rf"content/speeches/{SLUG}\.md:[23]")  # the title line or the next
        )
        expect(overlay.locator(".__speechsite-message")).to_contain_text("malformed YAML")
        # the site's own stylesheet (its .hint is muted) does not reach the overlay's lines
        hint = overlay.locator(".__speechsite-hint")
        expect(hint).to_be_visible()
        assert hint.evaluate("el => getComputedStyle(el).color") == "rgb(255, 224, 130)"
        assert hint.evaluate("el => getComputedStyle(el).fontSize") == "16px"
        assert page.evaluate("window.__before === true"), "an error must not reload the page"
        assert (project / "site" / "speeches" / SLUG / "index.html").is_file()
        # A page opened while the build is broken shows the overlay too.
        late = context.new_page()
        late.goto(serve.url)
        expect(late.locator("#__speechsite-overlay")).to_be_visible(timeout=TIMEOUT)
        late.close()

        # 3. The fix removes the overlay.
        speech.write_text(edited, encoding="utf-8")
        expect(overlay).to_have_count(0, timeout=TIMEOUT)
        assert page.evaluate("document.body.innerText.includes('这是实时预览新增的一句话')")

        # 4. A CSS edit: the style changes, the page is not reloaded.
        page.evaluate("window.__before = true")
        title = page.locator(".site-title")
        assert title.evaluate("e => getComputedStyle(e).color") != "rgb(1, 2, 3)"
        css = project / "themes" / "default" / "static" / "css" / "site.css"
        css.write_text(
            css.read_text(encoding="utf-8") + "\n.site-title { color: rgb(1, 2, 3) !important; }\n",
            encoding="utf-8",
        )
        page.wait_for_function(
            "getComputedStyle(document.querySelector('.site-title')).color === 'rgb(1, 2, 3)'",
            timeout=TIMEOUT,
        )
        assert page.evaluate("window.__before === true"), "a CSS change must not reload the page"
        assert page.evaluate("document.querySelectorAll('link[rel=stylesheet]').length") == 2
        assert page.evaluate("window.scrollY") >= 700

        # The unaffected tab was never reloaded, but got the new stylesheet as well.
        other.wait_for_function(
            "getComputedStyle(document.querySelector('.site-title')).color === 'rgb(1, 2, 3)'",
            timeout=TIMEOUT,
        )
        assert other.evaluate("window.__stayed === true"), "the search page was reloaded"

        # 5. A script edit cannot be swapped into a running page: the tab reloads.
        script = project / "themes" / "default" / "static" / "js" / "site.js"
        script.write_text(
            script.read_text(encoding="utf-8")
            + "\ndocument.documentElement.dataset.edited = '1';\n",
            encoding="utf-8",
        )
        page.wait_for_function("document.documentElement.dataset.edited === '1'", timeout=TIMEOUT)
        assert page.evaluate("window.__before === undefined"), "a script change must reload"
        context.close()
        code = serve.stop()
    assert code == 0, serve.output
    assert "Traceback" not in serve.output


def test_a_search_page_showing_results_follows_the_index(chromium: Browser, project: Path) -> None:
    """The edited page is shown first; once the search index caught up (the second phase), a
    tab showing results for a query reloads and finds the new text; an empty one stays."""
    speech = project / "content" / "speeches" / f"{SLUG}.md"
    phrase = "两阶段预览检索标记"
    with ServeProcess(project) as serve:
        context = chromium.new_context(viewport={"width": 1280, "height": 700})
        searching = context.new_page()
        searching.goto(serve.url + f"search/?q={phrase}")
        searching.wait_for_function("document.getElementById('search').dataset.state === 'done'")
        assert searching.evaluate("document.querySelectorAll('[data-search-result]').length") == 0
        searching.evaluate("window.__before = true")
        idle = context.new_page()
        idle.goto(serve.url + "search/")
        idle.evaluate("window.__stayed = true")

        speech.write_text(speech.read_text(encoding="utf-8") + f"\n{phrase}。\n", "utf-8")
        searching.wait_for_function(
            "window.__before === undefined && "
            "document.querySelectorAll('[data-search-result]').length === 1",
            timeout=TIMEOUT,
        )
        assert SLUG in searching.evaluate(
            "document.querySelector('[data-search-result]').getAttribute('data-search-result')"
        )
        serve.wait_for_output("search index updated")
        assert idle.evaluate("window.__stayed === true"), "a search page with no query reloaded"
        context.close()
        code = serve.stop()
    assert code == 0, serve.output
    assert "Traceback" not in serve.output
