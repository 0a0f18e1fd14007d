"""Every page kind of the built sample in Debian chromium: axe-core finds no serious or critical
violation (at 390 and 1280 px), nothing scrolls sideways at 390 px, the console stays clean and
every request succeeds — at the root and under a sub-path — and nothing is requested once a page
has loaded."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from tests.e2e.browser import KINDS, NARROW, Visitor
from tests.e2e.sites import ServedSite

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Request

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("kind", KINDS)
def test_axe_finds_no_serious_or_critical_violation(visitor: Visitor, kind: str) -> None:
    visit = visitor.visit("root", kind)
    blocking = visit.blocking()
    assert not blocking, f"axe-core on {visit.url}:\n" + "\n".join(blocking)


@pytest.mark.parametrize("kind", KINDS)
def test_no_sideways_scrolling_at_390px(visitor: Visitor, kind: str) -> None:
    visit = visitor.visit("root", kind)
    width = visit.scroll_width
    assert width is not None
    assert width <= NARROW, (
        f"{visit.url} is {width} px wide at a {NARROW} px viewport; sticking out:\n  "
        + "\n  ".join(visit.offenders or ["(no single element found)"])
    )


@pytest.mark.parametrize("site", ["root", "sub-path"])
@pytest.mark.parametrize("kind", KINDS)
def test_no_console_error_or_failed_request(visitor: Visitor, site: str, kind: str) -> None:
    visit = visitor.visit(site, kind)
    problems = visit.console_errors + visit.failed_requests
    assert not problems, f"{visit.url}:\n  " + "\n  ".join(problems)
    assert visit.status == (404 if kind == "404" else 200), f"{visit.url}: HTTP {visit.status}"


@pytest.mark.parametrize("kind", KINDS)
def test_a_page_requests_nothing_once_loaded(
    chromium: Browser, served: dict[str, ServedSite], visitor: Visitor, kind: str
) -> None:
    """A reader (or a site checker) who leaves a page as soon as it has loaded aborts whatever
    it requests after its load event, and checkers count such requests as failed. A linked
    favicon is one: the browser fetches it only after the load. The default theme inlines it."""
    late: list[str] = []
    loaded = [False]

    def on_request(request: Request) -> None:
        if loaded[0] and not request.url.startswith("data:"):
            late.append(request.url)

    context = chromium.new_context(viewport={"width": NARROW, "height": 900})
    try:
        page = context.new_page()
        page.on("request", on_request)
        page.goto(served["root"].url + visitor.path("root", kind), wait_until="load")
        loaded[0] = True
        page.wait_for_load_state("networkidle")
    finally:
        context.close()
    assert not late, f"requested after the load event of the {kind} page: {late}"
