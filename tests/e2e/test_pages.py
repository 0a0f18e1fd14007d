"""Every page kind of the built sample in Debian chromium: axe-core finds no serious or critical
violation (at 390 and 1280 px), nothing scrolls sideways at 390 px, the console stays clean and
every request succeeds — at the root and under a sub-path."""

from __future__ import annotations

import pytest

from tests.e2e.browser import KINDS, NARROW, Visitor

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
