"""End to end: deploy the sample into a folder, serve it with a real nginx under /archive/,
and use it in Debian chromium — home page, a topic, a speech, the 404 page and a search —
without a single failed request.

nginx runs as the current user from a configuration written into a temporary folder (its pid
file, logs and temporary files too), on a free port of 127.0.0.1, with the same `location`
block the README gives for publishing on an nginx server.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from generator.cli import main
from scripts.chromium import CHROMIUM, launch
from scripts.nginx_server import NginxServer, nginx_binary
from tests.deploy.conftest import make_sample
from tests.e2e.sites import require

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, Request, Response

pytestmark = pytest.mark.browser

SUB_PATH = "/archive/"
QUERY = "作风"  # in every sample speech


@dataclass
class Nginx:
    url: str  # http://127.0.0.1:PORT/archive/
    site: Path


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Nginx]:
    """The sample deployed with `speechsite deploy dir` and served by nginx under /archive/."""
    require(nginx_binary(), "nginx is missing (Debian package nginx-light)")
    work = tmp_path_factory.mktemp("nginx")
    project = make_sample(work / "project")
    site = work / "www" / "archive"
    assert main(["-C", str(project), "deploy", "dir", str(site), "--base-url", SUB_PATH]) == 0
    with NginxServer(site, SUB_PATH) as server:
        yield Nginx(server.url, site)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    import importlib.util

    require(importlib.util.find_spec("playwright"), "the Python package playwright is missing")
    require(CHROMIUM.is_file(), f"{CHROMIUM} is missing (Debian package chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = launch(playwright)
        try:
            yield chromium
        finally:
            chromium.close()


@dataclass
class Recorder:
    """Every request that failed or was answered with a status of 400 or more."""

    expected: set[str] = field(default_factory=set)  # URLs whose 404 is the point
    failures: list[str] = field(default_factory=list)

    def attach(self, page: Page) -> None:
        def on_response(response: Response) -> None:
            if response.status >= 400 and response.url not in self.expected:
                self.failures.append(f"HTTP {response.status} {response.url}")

        def on_failed(request: Request) -> None:
            self.failures.append(f"{request.failure} {request.url}")

        page.on("response", on_response)
        page.on("requestfailed", on_failed)
        page.on("pageerror", lambda error: self.failures.append(f"uncaught {error}"))


@pytest.fixture
def page(browser: Browser) -> Iterator[tuple[Page, Recorder]]:
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    recorder = Recorder()
    recorder.attach(page)
    try:
        yield page, recorder
    finally:
        context.close()


def test_home_topic_and_speech_through_nginx(served: Nginx, page: tuple[Page, Recorder]) -> None:
    tab, recorder = page
    response = tab.goto(served.url, wait_until="load")
    assert response is not None and response.status == 200
    assert tab.locator("h1").first.inner_text().strip()

    topic_link = tab.locator(f'main a[href^="{SUB_PATH}topics/"]:not([href="{SUB_PATH}topics/"])')
    href = topic_link.first.get_attribute("href")
    with tab.expect_navigation(wait_until="load"):
        topic_link.first.click()
    assert tab.url == served.url.removesuffix(SUB_PATH) + str(href)

    speech_link = tab.locator(f'main a[href^="{SUB_PATH}speeches/"]').first
    href = speech_link.get_attribute("href")
    with tab.expect_navigation(wait_until="load"):
        speech_link.click()
    assert tab.url.endswith(str(href))
    assert tab.locator("h1").first.inner_text().strip()
    assert tab.locator("main p").count() > 3  # the speech's text is there

    missing = served.url + "speeches/no-such-speech/"
    recorder.expected.add(missing)
    response = tab.goto(missing, wait_until="load")
    assert response is not None and response.status == 404
    assert tab.locator(f'a[href="{SUB_PATH}"]').count() > 0  # the 404 page, styled, linking home
    tab.wait_for_load_state("networkidle")
    assert recorder.failures == []


def test_search_through_nginx(served: Nginx, page: tuple[Page, Recorder]) -> None:
    tab, recorder = page
    tab.goto(served.url, wait_until="load")
    with tab.expect_navigation(wait_until="load"):
        tab.locator(f'a[href="{SUB_PATH}search/"]').first.click()
    box = tab.locator('input[type="search"]#search-input')
    box.fill(QUERY)
    box.press("Enter")
    tab.wait_for_selector("[data-search-result]", timeout=10_000)
    links = tab.locator("[data-search-result]").evaluate_all(
        "items => items.map(item => item.getAttribute('data-search-result'))"
    )
    assert links and all(link.startswith(f"{SUB_PATH}speeches/") for link in links)
    tab.wait_for_load_state("networkidle")
    assert recorder.failures == []


def test_nginx_compresses_text_but_not_the_index_parts(served: Nginx) -> None:
    """The README's block: the script gzipped, the index's packs sent as they are (a range of a
    compressed answer would be a range of the wrong bytes)."""
    import urllib.request

    script = next((served.site / "assets" / "js").glob("search.*.js"))
    pack = next((served.site / "search").rglob("*.x"))

    def encoding(path: Path, headers: dict[str, str]) -> tuple[str | None, int]:
        url = served.url + path.relative_to(served.site).as_posix()
        request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip", **headers})
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.headers.get("Content-Encoding"), answer.status

    assert encoding(script, {}) == ("gzip", 200)
    assert encoding(pack, {"Range": "bytes=0-9"}) == (None, 206)
