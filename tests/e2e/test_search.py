"""The search page in Debian chromium: typing queries into the real page of the built sample
(results, count, snippets with <mark>, links to paragraphs), traditional characters, the ?q=
link, filters, the keyboard, "no results" with a suggestion, speech text that looks like HTML
shown as text and never run, and the note shown without JavaScript."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, quote, urlsplit

import pytest
import yaml

from generator.search.reader import Reader
from scripts.static_server import StaticServer
from tests.conftest import ROOT
from tests.e2e.browser import AXE_RUN_JS, BLOCKING, NARROW, Visitor
from tests.e2e.sites import ServedSite
from tests.search.projects import Speech, build, new_project, write_speech

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, Request, Route

pytestmark = pytest.mark.browser

XSS_SCRIPT = "<script>window.__xss=1</script>"
XSS_IMG = '<img src=x onerror="window.__xss=1">'
BODY = "今天召开会议，研究部署工作。"
EXTRA = [
    Speech(
        "a-2019",
        "二〇一九年营商环境会议讲话",
        [BODY, "持续优化营商环境。"],
        "2019-03-01",
        "市",
        ["营商环境"],
    ),
    Speech(
        "b-2020",
        "二〇二〇年工作会议讲话",
        [BODY, "## 一、优化营商环境", "抓落实。"],
        "2020-05-01",
        "县",
        ["营商环境", "落实"],
    ),
    Speech(
        "c-2021",
        "二〇二一年作风建设会议讲话",
        [BODY, "营商环境和作风建设。"],
        "2021-07-01",
        "县",
        ["作风整顿"],
    ),
    Speech(
        "d-xss",
        "安全测试讲话",
        [BODY, f"脚本 {XSS_SCRIPT} 结束。", f"图片 {XSS_IMG} 结束。"],
        "2021-09-01",
        "市",
    ),
]

EXTRA.append(Speech("t-trad", "數字經濟座談會講話", [BODY, "加快發展數字經濟，ＡＩ賦能。"]))
EXTRA.append(
    Speech(
        "e-en",
        "Address at the Forum on the Digital Economy",
        ["Ladies and gentlemen,", "The digital economy is changing how we work."],
        lang="en",
    )
)
EXTRA += [
    Speech(f"k-{n:02d}", f"第{n}次数字政府会议", [BODY, "数字政府" * (n + 1)]) for n in range(12)
]


@dataclass
class Watch:
    """Console errors, uncaught exceptions and failed requests of one page."""

    problems: list[str] = field(default_factory=list)

    def attach(self, page: Page) -> Page:
        page.on(
            "console",
            lambda m: self.problems.append(f"console: {m.text}") if m.type == "error" else None,
        )
        page.on("pageerror", lambda e: self.problems.append(f"uncaught: {e}"))
        page.on("requestfailed", self.failed)
        page.on(
            "response",
            lambda r: self.problems.append(f"HTTP {r.status} {r.url}") if r.status >= 400 else None,
        )
        return page

    def failed(self, request: Request) -> None:
        # requests still running when a test follows a link are cancelled, not failed
        if request.failure != "net::ERR_ABORTED":
            self.problems.append(f"failed: {request.url} {request.failure}")


@dataclass
class Browsing:
    visitor: Visitor
    browser: Browser
    sample: ServedSite
    extra_url: str
    extra_dir: Path
    watch: Watch = field(default_factory=Watch)

    def page(self, javascript: bool = True) -> Page:
        context = self.browser.new_context(
            viewport={"width": 1280, "height": 900}, locale="zh-CN", java_script_enabled=javascript
        )
        return self.watch.attach(context.new_page())


@pytest.fixture(scope="module")
def browsing(visitor: Visitor, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browsing]:
    """The sample served at the root and the chromium of the other browser checks (one
    Playwright per session), and a small site of dated speeches, one of them holding markup,
    on a server of its own."""
    project = new_project(tmp_path_factory.mktemp("search-e2e") / "project")
    for speech in EXTRA:
        write_speech(project, speech)
    site = build(project)
    with StaticServer(site) as server:
        yield Browsing(visitor, visitor.browser, visitor.served["root"], server.url, site)


@pytest.fixture
def browse(browsing: Browsing) -> Iterator[Browsing]:
    """Per test: no console error, uncaught exception or failed request."""
    browsing.watch.problems.clear()
    yield browsing
    assert not browsing.watch.problems, "\n".join(browsing.watch.problems)


def wait_done(page: Page, query: str) -> None:
    """Wait until the page has shown the results of `query`."""
    page.wait_for_function(
        """query => {
          const root = document.getElementById('search');
          return root.dataset.state === 'done' && window.__lastQuery === query;
        }""",
        arg=query,
    )


def open_search(page: Page, base: str, query: str = "") -> None:
    page.add_init_script(
        """document.addEventListener('speechsite:results',
             e => { window.__lastQuery = e.detail.query; }, true);"""
    )
    page.goto(base + "search/" + query)


def type_query(page: Page, query: str) -> None:
    box = page.locator("#search-input")
    box.fill("")
    box.press_sequentially(query, delay=30)
    wait_done(page, query)


def result_urls(page: Page) -> list[str]:
    urls = page.eval_on_selector_all(
        "[data-search-result]", "els => els.map(e => e.getAttribute('data-search-result'))"
    )
    return [str(url) for url in urls]


def without_hits(href: str) -> str:
    """A result's link without the h= parameters it passes to the speech page."""
    parts = urlsplit(href)
    return parts.path + (f"#{parts.fragment}" if parts.fragment else "")


def hits_of(href: str) -> list[str]:
    """The texts a result's link asks the speech page to mark."""
    return parse_qs(urlsplit(href).query).get("h", [])


def expected_urls(site_dir: Path, query: str) -> list[str]:
    reader = Reader(site_dir / "search")
    return [str(reader.fragment(r.doc)["url"]) for r in reader.search(query)[1]]


def test_typing_a_phrase_shows_results_snippets_and_marks(browse: Browsing) -> None:
    page = browse.page()
    site = browse.sample.site.directory
    open_search(page, browse.sample.url)
    type_query(page, "营商环境")
    urls = result_urls(page)
    assert urls and urls == expected_urls(site, "营商环境")[: len(urls)]
    assert all(re.fullmatch(r"/speeches/[a-z0-9-]+/", url) for url in urls)
    count = page.locator("[data-search-count]").inner_text()
    assert str(len(expected_urls(site, "营商环境"))) in count
    marks = page.locator("[data-search-result] .snippets mark").all_inner_texts()
    assert marks and all(m == "营商环境" for m in marks)
    links = page.eval_on_selector_all(
        "[data-search-result] .snippets a", "els => els.map(e => e.getAttribute('href'))"
    )
    assert links
    for link in links:
        path, _, anchor = without_hits(link).partition("#")
        assert path in urls and re.fullmatch(r"p\d+|s[\d-]+", anchor), link
        html = (site / path.strip("/") / "index.html").read_text(encoding="utf-8")
        assert f'id="{anchor}"' in html, link
        assert hits_of(link) == ["营商环境"], link  # what the page is to mark
    # the result title links to the speech too
    titles = page.eval_on_selector_all(
        "[data-search-result] [data-field=title]", "els => els.map(e => e.getAttribute('href'))"
    )
    assert [without_hits(title) for title in titles] == urls
    page.context.close()


def test_a_phrase_is_found_and_marked_through_the_punctuation_inside_it(
    browse: Browsing,
) -> None:
    """Probe 10: 十四五规划 found 1 of the 14 speeches that write “十四五”规划. The sample writes
    推进“放管服”改革。: the phrase typed bare finds it, and the mark covers the quotes inside the
    phrase, not the stop after it."""
    page = browse.page()
    open_search(page, browse.sample.url)
    type_query(page, "推进放管服改革")
    urls = result_urls(page)
    assert urls and urls == expected_urls(browse.sample.site.directory, "推进放管服改革")
    marks = page.locator("[data-search-result] .snippets mark").all_inner_texts()
    assert "推进“放管服”改革" in marks, marks
    page.context.close()


def test_a_match_in_the_speaker_or_a_topic_is_marked_too(browse: Browsing) -> None:
    """Probe 10: a result found by its speaker or topic showed no mark: the reader could not
    see why it was there."""
    page = browse.page()
    open_search(page, browse.sample.url)
    type_query(page, "县长")
    assert "县长" in page.locator("[data-search-result] [data-field=meta] mark").all_inner_texts()
    type_query(page, "营商环境")
    topics = page.locator("[data-search-result] [data-field=topics] mark").all_inner_texts()
    assert "营商环境" in topics, topics
    page.context.close()


def test_a_date_written_otherwise_marks_the_date_a_result_shows(browse: Browsing) -> None:
    """Probe 20: 2023-03-05 found its speech, whose result shows 2023年3月5日, and marked
    nothing: the reader could not see why it was there. The date is marked whole; a query
    the date shows as it is marks only its own part."""
    page = browse.page()
    open_search(page, browse.extra_url)
    meta = page.locator("[data-search-result] [data-field=meta] mark")
    for query in ("2019-03-01", "2019.3.1", "2019/03/01"):
        type_query(page, query)
        assert result_urls(page) == ["/speeches/a-2019/"], query
        assert meta.all_inner_texts() == ["2019年3月1日"], query
    type_query(page, "2019年")
    assert "2019年" in meta.all_inner_texts()
    assert "2019年3月1日" not in meta.all_inner_texts()
    page.context.close()


def test_traditional_query_finds_the_same(browse: Browsing) -> None:
    page = browse.page()
    open_search(page, browse.sample.url)
    type_query(page, "营商环境")
    simplified = result_urls(page)
    type_query(page, "營商環境")
    assert result_urls(page) == simplified
    assert "营商环境" in page.locator("[data-search-result] .snippets mark").all_inner_texts()
    page.context.close()


def test_query_link_loads_with_results(browse: Browsing) -> None:
    page = browse.page()
    open_search(page, browse.sample.url, "?q=%E6%94%BE%E7%AE%A1%E6%9C%8D")
    wait_done(page, "放管服")
    assert page.locator("#search-input").input_value() == "放管服"
    assert result_urls(page) == expected_urls(browse.sample.site.directory, "放管服")
    assert page.locator("[data-search-result] mark").first.inner_text() == "放管服"
    page.context.close()


def test_filters_narrow_results_and_update_the_url(browse: Browsing) -> None:
    page = browse.page()
    open_search(page, browse.extra_url)
    type_query(page, "营商环境")
    assert sorted(result_urls(page)) == [f"/speeches/{s}/" for s in ("a-2019", "b-2020", "c-2021")]
    assert result_urls(page)[0] == "/speeches/a-2019/"  # title match first
    for name, value, slugs in (
        ("year", "2020", ["b-2020"]),
        ("level", "县", ["b-2020", "c-2021"]),
        ("topic", "luoshi", ["b-2020"]),
    ):
        select = page.locator(f"[data-search-filter={name}]")
        select.select_option(value)
        page.wait_for_function(
            "n => document.querySelectorAll('[data-search-result]').length === n "
            "&& document.getElementById('search').dataset.state === 'done'",
            arg=len(slugs),
        )
        assert sorted(result_urls(page)) == [f"/speeches/{s}/" for s in slugs], name
        assert parse_qs(urlsplit(page.url).query)[name] == [value]
        assert str(len(slugs)) in page.locator("[data-search-count]").inner_text()
        select.select_option("")
    assert "q" in parse_qs(urlsplit(page.url).query)
    page.context.close()


def test_filters_without_a_query_list_the_speeches_that_pass_them(browse: Browsing) -> None:
    """Probe 10: ?year=2026, or a year picked before typing, left the page blank. The filters
    alone list their speeches, the newest year first; a combination none passes says so."""
    page = browse.page()
    open_search(page, browse.extra_url, "?level=%E5%8E%BF")  # 县
    wait_done(page, "")
    assert result_urls(page) == ["/speeches/c-2021/", "/speeches/b-2020/"]
    assert "2" in page.locator("[data-search-count]").inner_text()
    page.locator("[data-search-filter=year]").select_option("2019")
    page.wait_for_function("document.getElementById('search').dataset.state === 'done'")
    page.wait_for_function("document.querySelectorAll('[data-search-result]').length === 0")
    assert "筛选" in page.locator("[data-search-count]").inner_text()
    page.locator("[data-search-filter=level]").select_option("")
    page.wait_for_function("document.querySelectorAll('[data-search-result]').length === 1")
    assert result_urls(page) == ["/speeches/a-2019/"]
    page.context.close()


def test_the_address_follows_the_typed_query(browse: Browsing) -> None:
    """Typing updates ?q= once typing pauses; following a result at once still leaves the
    address with the query, so going back shows the same search."""
    page = browse.page()
    open_search(page, browse.sample.url)
    type_query(page, "作风")
    page.wait_for_url(re.compile(r"/search/\?q=%E4%BD%9C%E9%A3%8E$"))
    type_query(page, "营商环境")
    page.locator("[data-search-result] [data-field=title]").first.click()
    page.wait_for_url(re.compile(r"/speeches/"))
    page.go_back()
    page.wait_for_url(re.compile(r"/search/"))
    assert parse_qs(urlsplit(page.url).query)["q"] == ["营商环境"]
    page.context.close()


def test_back_returns_to_the_linked_search_after_typing_another(browse: Browsing) -> None:
    """Probe 10: typing a new query replaced the history entry of the linked search
    (?q=营商环境), so Back skipped it. Now the new query has an entry of its own."""
    page = browse.page()
    page.goto(browse.sample.url + "index.html")
    open_search(page, browse.sample.url, "?q=" + quote("营商环境"))
    wait_done(page, "营商环境")
    linked = result_urls(page)
    type_query(page, "作风")
    page.wait_for_url(re.compile(r"/search/\?q=%E4%BD%9C%E9%A3%8E$"))
    type_query(page, "作风整顿")
    page.wait_for_url(re.compile(r"q=%E4%BD%9C%E9%A3%8E%E6%95%B4%E9%A1%BF$"))
    page.go_back()
    page.wait_for_url(re.compile(r"q=%E8%90%A5%E5%95%86%E7%8E%AF%E5%A2%83$"))
    assert page.locator("#search-input").input_value() == "营商环境"
    wait_done(page, "营商环境")
    assert result_urls(page) == linked
    page.go_forward()
    page.wait_for_url(re.compile(r"q=%E4%BD%9C%E9%A3%8E%E6%95%B4%E9%A1%BF$"))
    assert page.locator("#search-input").input_value() == "作风整顿"
    page.context.close()


def test_filters_from_the_url(browse: Browsing) -> None:
    page = browse.page()
    open_search(page, browse.extra_url, "?q=%E8%90%A5%E5%95%86&year=2021")
    wait_done(page, "营商")
    assert result_urls(page) == ["/speeches/c-2021/"]
    assert page.locator("[data-search-filter=year]").input_value() == "2021"
    page.context.close()


def test_keyboard(browse: Browsing) -> None:
    page = browse.page()
    page.goto(browse.sample.url)
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "site-search-input"
    page.keyboard.type("作风")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/search/\?q="))
    page.evaluate(
        """document.addEventListener('speechsite:results',
             e => { window.__lastQuery = e.detail.query; }, true)"""
    )
    page.wait_for_function("document.querySelectorAll('[data-search-result]').length > 1")
    page.locator("#search-input").focus()
    page.keyboard.press("ArrowDown")
    first = page.locator("[data-search-result] a").first
    assert page.evaluate(
        "document.activeElement === document.querySelector('[data-search-result] a')"
    )
    page.keyboard.press("ArrowDown")
    second = page.evaluate("document.activeElement.getAttribute('href')")
    assert second != first.get_attribute("href")
    page.keyboard.press("ArrowUp")
    assert page.evaluate("document.activeElement.getAttribute('href')") == first.get_attribute(
        "href"
    )
    page.keyboard.press("ArrowUp")
    assert page.evaluate("document.activeElement.id") == "search-input"
    page.keyboard.press("ArrowDown")
    target = first.get_attribute("href")
    assert target
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(re.escape(without_hits(target)) + "$"))
    assert page.locator("h1").count() == 1
    page.context.close()


def test_slash_on_the_search_page_focuses_its_box(browse: Browsing) -> None:
    page = browse.page()
    open_search(page, browse.sample.url)
    page.locator("body").click(position={"x": 5, "y": 5})
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "search-input"
    assert page.locator("#search-input").input_value() == ""
    page.context.close()


def test_no_results_message_and_suggestion(browse: Browsing) -> None:
    page = browse.page()
    open_search(page, browse.sample.url)
    for query, suggested in (
        ("营商环境甲", "营商环境"),
        ("营商环境 甲乙丙丁", "营商环境"),
        ("營商環境甲", "營商環境"),  # the reader's own characters, not the folded 营商环境
        ("营商环境，甲乙丙丁", "营商环境"),  # never 营商环境, with a comma no speech has
    ):
        type_query(page, query)
        assert result_urls(page) == []
        assert f"没有找到包含“{query}”的讲话" in page.locator("[data-search-count]").inner_text()
        suggestion = page.locator(".search-suggestion a")
        assert suggestion.inner_text() == suggested
        assert suggestion.get_attribute("href") == "?q=" + quote(suggested)
    suggestion.click()
    wait_done(page, "营商环境")
    urls = result_urls(page)
    assert urls and urls == expected_urls(browse.sample.site.directory, "营商环境")[: len(urls)]
    page.context.close()


def test_speech_text_that_looks_like_html_is_shown_as_text(browse: Browsing) -> None:
    page = browse.page()
    open_search(page, browse.extra_url)
    for query, shown in (("script", XSS_SCRIPT), ("onerror", XSS_IMG)):
        type_query(page, query)
        assert result_urls(page) == ["/speeches/d-xss/"]
        snippet = page.locator("[data-search-result] .snippets a").first
        assert shown in snippet.inner_text()
        assert snippet.locator("mark").first.inner_text() == query
        assert page.locator("[data-search-result] script, [data-search-result] img").count() == 0
    page.wait_for_timeout(200)
    assert page.evaluate("typeof window.__xss") == "undefined"
    page.context.close()


def test_without_javascript_the_page_explains(browse: Browsing) -> None:
    page = browse.page(javascript=False)
    page.goto(browse.sample.url + "search/?q=%E4%BD%9C%E9%A3%8E")
    note = page.locator(".notice").filter(has_text="JavaScript")
    assert note.is_visible()
    assert page.locator("#search-input").is_visible()
    assert note.locator("a").count() == 2
    page.context.close()


def test_the_count_is_announced_once_typing_pauses(browse: Browsing) -> None:
    """Probe 10: the live region changed on every keystroke (找到 95 篇, 64 篇, 25 篇, 25 篇),
    and a screen reader read each one out; now only the count after the pause."""
    page = browse.page()
    open_search(page, browse.sample.url)
    page.evaluate(
        """() => { window.__said = [];
            new MutationObserver(() => window.__said.push(
                document.querySelector('[data-search-status]').textContent))
              .observe(document.querySelector('[data-search-status]'),
                       {childList: true, characterData: true, subtree: true}); }"""
    )
    page.locator("#search-input").press_sequentially("作风建设", delay=120)
    wait_done(page, "作风建设")
    page.wait_for_function("window.__said.length > 0")
    page.wait_for_timeout(1000)
    said = [text for text in page.evaluate("window.__said") if text]
    assert len(said) == 1 and said[0] == page.locator("[data-search-count]").inner_text(), said
    page.context.close()


def test_results_are_accessible(browse: Browsing) -> None:
    """Labels, the live region for the count, and axe-core on a page showing results."""
    page = browse.page()
    open_search(page, browse.extra_url)
    type_query(page, "营商环境 作风")
    assert result_urls(page) == ["/speeches/c-2021/"]
    assert page.locator("label[for=search-input]").count() == 1
    assert page.locator("#search-input").get_attribute("type") == "search"
    count = page.locator("[data-search-count]")
    assert "1" in count.inner_text()
    status = page.locator("[data-search-status]")
    assert status.get_attribute("aria-live") == "polite"
    assert status.get_attribute("role") == "status"
    page.wait_for_function("document.querySelector('[data-search-status]').textContent !== ''")
    assert status.text_content() == count.inner_text()
    page.add_script_tag(content=browse.visitor.axe_source)
    blocking = [v for v in page.evaluate(AXE_RUN_JS) if v["impact"] in BLOCKING]
    assert not blocking, blocking
    page.set_viewport_size({"width": NARROW, "height": 844})
    blocking = [v for v in page.evaluate(AXE_RUN_JS) if v["impact"] in BLOCKING]
    assert not blocking, blocking
    assert page.evaluate("document.documentElement.scrollWidth") <= NARROW
    page.context.close()


def test_more_results(browse: Browsing) -> None:
    """A page of results at a time; "more" adds the next page and moves focus to its first."""
    page = browse.page()
    open_search(page, browse.extra_url)
    type_query(page, "数字政府")
    assert "12" in page.locator("[data-search-count]").inner_text()
    ranked = [f"/speeches/k-{n:02d}/" for n in range(11, -1, -1)]  # most matches first
    assert ranked == expected_urls(browse.extra_dir, "数字政府")
    shown = result_urls(page)
    size = len(shown)
    assert 0 < size < 12 and shown == ranked[:size]
    more = page.locator("#search-more")
    while len(shown) < 12:
        assert more.is_visible()
        more.click()
        page.wait_for_function(
            "n => document.querySelectorAll('[data-search-result]').length === n",
            arg=min(12, len(shown) + size),
        )
        focused = page.evaluate("document.activeElement.getAttribute('href')")
        assert without_hits(focused) == ranked[len(shown)]
        shown = result_urls(page)
    assert shown == ranked
    assert more.is_hidden()
    page.context.close()


def test_search_under_a_sub_path(browse: Browsing) -> None:
    served = browse.visitor.served["sub-path"]
    page = browse.page()
    open_search(page, served.url)
    type_query(page, "作风")
    urls = result_urls(page)
    assert urls and all(re.fullmatch(r"/archive/speeches/[a-z0-9-]+/", url) for url in urls)
    link = page.locator("[data-search-result] .snippets a").first
    href = link.get_attribute("href")
    assert href and without_hits(href).startswith(urls[0] + "#") and hits_of(href) == ["作风"]
    link.click()
    page.wait_for_url(served.origin + without_hits(href))
    assert page.locator(f"#{href.split('#')[1]}").count() == 1
    assert "作风" in page.locator("mark.search-hit").all_inner_texts()
    page.context.close()


def test_suggestion_respects_the_filters(browse: Browsing) -> None:
    """A suggestion's count is what clicking it shows, under the filters in force; when the
    filters are what excluded every match, the page says so and offers to clear them."""
    page = browse.page()
    open_search(page, browse.extra_url, "?year=2019")
    page.wait_for_function("document.querySelector('[data-search-filter=year]').value === '2019'")
    type_query(page, "持续优化甲")
    assert result_urls(page) == []
    suggestion = page.locator(".search-suggestion")
    count = int(re.findall(r"\d+", suggestion.inner_text())[-1])
    suggestion.locator("a").click()
    wait_done(page, "持续优化")
    assert result_urls(page) == ["/speeches/a-2019/"] and count == 1
    for query in ("作风建设", "营商环境 作风建设"):
        type_query(page, query)
        assert result_urls(page) == []
        unfiltered = expected_urls(browse.extra_dir, query)
        status = page.locator("[data-search-count]").inner_text()
        assert "筛选" in status and str(len(unfiltered)) in status, status
    page.locator(".search-clear-filters").click()
    page.wait_for_function("document.querySelector('[data-search-filter=year]').value === ''")
    page.wait_for_function(
        "n => document.querySelectorAll('[data-search-result]').length === n",
        arg=len(expected_urls(browse.extra_dir, "营商环境 作风建设")),
    )
    assert result_urls(page) == expected_urls(browse.extra_dir, "营商环境 作风建设")
    page.context.close()


def test_a_long_term_with_no_match_suggests_its_longest_piece_that_has_one(
    browse: Browsing,
) -> None:
    """放管服改革甲 is in no speech; 放管服改革 is (the sample writes “放管服”改革, which the
    query reads through), and so is 放管服, a shorter piece the suggestion passes over."""
    page = browse.page()
    open_search(page, browse.sample.url)
    type_query(page, "放管服改革甲")
    assert result_urls(page) == []
    assert page.locator(".search-suggestion a").inner_text() == "放管服改革"
    page.context.close()


def test_an_unreachable_index_says_so(browse: Browsing) -> None:
    page = browse.page()
    page.route("**/b/*", lambda route: route.abort())
    open_search(page, browse.extra_url)
    page.locator("#search-input").fill("营商环境")
    page.wait_for_function("document.getElementById('search').dataset.state === 'error'")
    assert "搜索暂时不可用" in page.locator("[data-search-count]").inner_text()
    assert result_urls(page) == []
    page.unroute("**/b/*")
    page.locator("#search-input").fill("营商环境 ")  # the next query works again
    wait_done(page, "营商环境 ")
    assert len(result_urls(page)) == 3
    page.context.close()
    expected = ("/b/", "Failed to load resource: net::ERR_FAILED")  # the aborted requests
    browse.watch.problems[:] = [
        p for p in browse.watch.problems if not any(e in p for e in expected)
    ]


def test_traditional_text_is_found_and_marked_in_the_original(browse: Browsing) -> None:
    page = browse.page()
    open_search(page, browse.extra_url)
    for query in ("数字经济", "數字經濟", "ai赋能"):
        type_query(page, query)
        assert result_urls(page) == ["/speeches/t-trad/"], query
        snippet = page.locator("[data-search-result] .snippets a").first
        assert snippet.inner_text().strip("…") == "加快發展數字經濟，ＡＩ賦能。"
        marks = snippet.locator("mark").all_inner_texts()
        assert marks == (["ＡＩ賦能"] if query == "ai赋能" else ["數字經濟"]), query
    title = page.locator("[data-search-result] [data-field=title]")
    type_query(page, "经济")
    assert title.locator("mark").all_inner_texts() == ["經濟"]
    page.context.close()


def test_an_english_count_of_one_is_singular(browse: Browsing) -> None:
    """The count says "1 speech found" where the strings have a singular form (en.yaml's
    search_count_one), "3 speeches found" otherwise: the page's strings swapped for English."""
    english = yaml.safe_load((ROOT / "themes/default/i18n/en.yaml").read_text("utf-8"))
    keys = ("count", "count_one", "none", "suggest", "suggest_count", "suggest_count_one", "error")
    strings = html.escape(json.dumps({k: english[f"search_{k}"] for k in keys}), quote=True)
    page = browse.page()

    def in_english(route: Route) -> None:
        body = route.fetch().text()
        route.fulfill(
            body=re.sub(r'data-strings="[^"]*"', lambda _: f'data-strings="{strings}"', body),
            content_type="text/html; charset=utf-8",
        )

    page.route(re.compile(r".*/search/(\?.*)?$"), in_english)
    open_search(page, browse.extra_url)
    type_query(page, "安全测试")
    assert page.locator("[data-search-count]").inner_text() == "1 speech found"
    type_query(page, "营商环境")
    count = len(expected_urls(browse.extra_dir, "营商环境"))
    assert count > 1
    assert page.locator("[data-search-count]").inner_text() == f"{count} speeches found"
    page.context.close()


def test_on_a_site_in_another_language_a_results_chinese_details_are_marked_as_chinese(
    browse: Browsing,
) -> None:
    """An English site's template gives a result's title the speeches' lang (content_lang):
    the speaker, occasion and topics a result shows are the speech's words too, and were read
    with the page's English voice; the date is the page's own."""
    page = browse.page()

    def as_on_an_english_site(route: Route) -> None:
        body = route.fetch().text()
        body = body.replace(
            '<h2 class="speech-item-title">', '<h2 class="speech-item-title" lang="zh-CN">'
        )
        route.fulfill(body=body, content_type="text/html; charset=utf-8")

    page.route(re.compile(r".*/search/(\?.*)?$"), as_on_an_english_site)
    open_search(page, browse.sample.url)
    type_query(page, "县长")
    first = page.locator("[data-search-result]").first
    spans = first.locator("[data-field=meta] > span[lang=zh-CN]")
    assert spans.count() >= 1 and "县长" in spans.first.inner_text()
    assert first.locator("[data-field=meta] mark").all_inner_texts()  # still marked
    topics = first.locator("[data-field=topics] > span[lang=zh-CN]").all_inner_texts()
    assert topics and " · ".join(topics) == first.locator("[data-field=topics]").inner_text()
    page.context.close()
    page = browse.page()  # a Chinese site: no span, the text as it was
    open_search(page, browse.sample.url)
    type_query(page, "县长")
    assert page.locator("[data-search-result] [data-field=meta] span").count() == 0
    page.context.close()


def test_more_results_after_a_deploy_search_the_new_site_again(
    browse: Browsing, tmp_path: Path
) -> None:
    """Results are speech numbers of the build they came from. A build published while the page
    is open, with a speech added in front (every number after it shifts), must not make "more"
    show other speeches' details: the page sees the old generation gone and searches again."""
    project = new_project(tmp_path / "deployed")
    for n in range(12):
        write_speech(project, Speech(f"m-{n:02d}", f"第{n}次会议", [BODY, "数字乡村" * (n + 1)]))
    site = build(project)
    with StaticServer(site) as server:
        page = browse.page()
        open_search(page, server.url)
        type_query(page, "数字乡村")
        assert "12" in page.locator("[data-search-count]").inner_text()
        write_speech(project, Speech("a-new", "数字乡村建设会议", [BODY, "数字乡村" * 30]))
        build(project)
        page.locator("#search-more").click()
        expected = expected_urls(site, "数字乡村")
        assert expected[0] == "/speeches/a-new/"
        page.wait_for_function(
            """url => {
              const first = document.querySelector('[data-search-result]');
              return first && first.getAttribute('data-search-result') === url
                && document.getElementById('search').dataset.state === 'done';
            }""",
            arg=expected[0],
        )
        shown = result_urls(page)
        assert shown == expected[: len(shown)]
        assert "13" in page.locator("[data-search-count]").inner_text()
        page.context.close()
    # The old generation's fragments answered 404: that is how the page noticed.
    browse.watch.problems[:] = [p for p in browse.watch.problems if "404" not in p]


def test_an_input_method_composing_pinyin_searches_only_its_characters(browse: Browsing) -> None:
    """While pinyin is being composed the box holds letters the reader has not chosen: no
    search runs for them; the characters committed at the end are searched."""
    page = browse.page()
    open_search(page, browse.extra_url)
    page.evaluate(
        """() => { window.__searched = [];
                   document.addEventListener('speechsite:results',
                     e => window.__searched.push(e.detail.query), true); }"""
    )
    box = page.locator("#search-input")
    box.focus()
    cdp = page.context.new_cdp_session(page)
    for text in ("y", "yi", "ying", "ying'sh", "ying'shang"):
        cdp.send(
            "Input.imeSetComposition",
            {"text": text, "selectionStart": len(text), "selectionEnd": len(text)},
        )
    page.wait_for_timeout(600)
    assert page.evaluate("window.__searched") == []
    cdp.send("Input.insertText", {"text": "营商"})
    wait_done(page, "营商")
    assert page.evaluate("window.__searched") == ["营商"]
    assert result_urls(page) == expected_urls(browse.extra_dir, "营商")
    page.context.close()


def test_a_pasted_page_of_text_is_searched_as_its_first_hundred_characters(
    browse: Browsing,
) -> None:
    """The boxes take 100 characters, and a ?q= link is cut to as many: a pasted page of text
    asked for a bucket per pair of its characters (905 requests for 1,000 characters)."""
    long = "营商环境" * 100
    page = browse.page()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    open_search(page, browse.extra_url, "?q=" + quote(long))
    page.wait_for_function("document.getElementById('search').dataset.state === 'done'")
    assert page.locator("#search-input").input_value() == long[:100]
    assert len(requests) < 60, len(requests)
    page.goto(browse.extra_url)
    assert page.locator("#site-search-input").get_attribute("maxlength") == "100"
    page.context.close()


def test_back_from_a_result_restores_the_results_shown_and_the_place(browse: Browsing) -> None:
    """Without the browser's back/forward cache (Playwright's chromium runs without it, and a
    browser evicts pages from it), Back ran the query again: five results, at the top."""
    page = browse.page()
    open_search(page, browse.extra_url, "?q=" + quote("数字政府"))
    wait_done(page, "数字政府")
    page.click("#search-more")
    page.wait_for_function("document.querySelectorAll('[data-search-result]').length >= 10")
    page.evaluate("() => scrollTo(0, document.documentElement.scrollHeight)")
    page.wait_for_timeout(300)
    scrolled = page.evaluate("scrollY")
    assert scrolled > 200
    page.locator("[data-search-result] a").nth(8).click()
    page.wait_for_url(re.compile(r"/speeches/"))
    page.go_back()
    page.wait_for_function("document.querySelectorAll('[data-search-result]').length >= 10")
    page.wait_for_function(f"Math.abs(scrollY - {scrolled}) < 40")


def test_a_result_marks_what_it_found_in_the_speech_it_opens(browse: Browsing) -> None:
    """As MkDocs Material and Pagefind do: the text a result marked (as the speech writes it,
    traditional characters and all) is marked in the paragraph its link opens, and in the
    title; then the address bar holds the plain address, to cite."""
    page = browse.page()
    open_search(page, browse.extra_url)
    type_query(page, "数字经济")
    snippet = page.locator("[data-search-result] .snippets a").first
    href = snippet.get_attribute("href")
    assert href and hits_of(href) == ["數字經濟"]
    snippet.click()
    page.wait_for_url(re.compile(r"/speeches/t-trad/#p\d+$"))
    anchor = href.split("#")[1]
    assert page.locator(f"#{anchor} mark.search-hit").all_inner_texts() == ["數字經濟"]
    assert page.locator("#speech-title mark.search-hit").all_inner_texts() == ["數字經濟"]
    assert page.evaluate("location.search") == ""
    # the paragraph's text reads as before: the mark wraps it, adds nothing
    assert "加快發展數字經濟，ＡＩ賦能。" in page.locator(f"#{anchor}").inner_text()
    page.context.close()


def test_hit_parameters_are_only_ever_text(browse: Browsing) -> None:
    """A crafted link to a speech page cannot add markup to it: h= is searched as text. It
    marks the speech's own text that looks like HTML as text, and leaves the paragraph numbers
    (links the page adds) alone."""
    page = browse.page()
    query = "&".join(f"h={quote(text)}" for text in (XSS_IMG, "<b>结束</b>", "1"))
    page.goto(browse.extra_url + "speeches/d-xss/?" + query)
    page.wait_for_function("document.querySelector('mark.search-hit') !== null")
    marks = page.locator("mark.search-hit").all_inner_texts()
    assert XSS_IMG in marks and "<b>结束</b>" not in marks
    assert page.locator(".speech-body img, .speech-body b").count() == 0
    assert page.evaluate("window.__xss") is None
    assert page.locator("a.para-anchor mark").count() == 0
    page.context.close()


def test_a_result_in_another_language_is_marked_with_it(browse: Browsing) -> None:
    """An English speech in a Chinese archive: its result's title and snippets carry lang="en",
    as its page does, so a screen reader reads them with an English voice; a Chinese speech's
    result reads as the page does."""
    page = browse.page()
    open_search(page, browse.extra_url)
    type_query(page, "digital economy")
    assert result_urls(page) == ["/speeches/e-en/"]
    result = page.locator("[data-search-result]").first
    assert result.locator(".speech-item-title").get_attribute("lang") == "en"
    assert result.locator(".snippets").get_attribute("lang") == "en"
    type_query(page, "数字经济")
    result = page.locator("[data-search-result]").first
    assert result.locator(".speech-item-title").get_attribute("lang") is None
    assert result.locator(".snippets").get_attribute("lang") is None
    page.context.close()
