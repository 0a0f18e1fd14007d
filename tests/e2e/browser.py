"""Visit the built sample's pages in Debian chromium (Playwright) once each and record what the
browser tests assert on: console errors, failed requests, axe-core violations at 390 and 1280 px
and sideways scrolling at 390 px."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from tests.e2e.sites import ServedSite

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page, Request, Response

NARROW = 390  # a phone; no page may scroll sideways at this width
WIDE = 1280
HEIGHT = 844
BLOCKING = ("critical", "serious")
# Every page kind of the site; page_paths() finds one page of each kind in a build.
KINDS = (
    "home",
    "speech",
    "topics",
    "topic",
    "archive",
    "archive-level",
    "archive-speaker",
    "search",
    "404",
)
MISSING_PATH = "speeches/no-such-speech/"  # a nested miss: the 404 page must work at any depth
FIXED_PAGES = {  # kind → (the output file it needs, the path to visit)
    "home": ("index.html", ""),
    "topics": ("topics/index.html", "topics/"),
    "archive": ("archive/index.html", "archive/"),
    "archive-level": ("archive/level/index.html", "archive/level/"),
    "archive-speaker": ("archive/speaker/index.html", "archive/speaker/"),
    "search": ("search/index.html", "search/"),
    "404": ("404.html", MISSING_PATH),
}

FRAME_JS = "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))"
AXE_RUN_JS = """async () => {
  const result = await axe.run(document, {resultTypes: ['violations']});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => n.target.join(' ') + '  ' + n.html.slice(0, 160)),
  }));
}"""
# The outermost elements sticking out past the right edge (not those inside a scroll container).
OFFENDERS_JS = """() => {
  const width = document.documentElement.clientWidth;
  const sticksOut = el => el.getBoundingClientRect().right > width + 0.5;
  const clips = el => !['visible', ''].includes(getComputedStyle(el).overflowX);
  const name = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
    [...el.classList].map(c => '.' + c).join('');
  const found = [];
  for (const el of document.body.querySelectorAll('*')) {
    if (!sticksOut(el) || (el.parentElement && sticksOut(el.parentElement))) continue;
    let up = el.parentElement, hidden = false;
    while (up && up !== document.body) { if (clips(up)) { hidden = true; break; } up = up.parentElement; }
    if (hidden) continue;
    const path = [];
    for (let p = el; p && p !== document.body; p = p.parentElement) path.unshift(name(p));
    found.push(path.slice(-4).join(' > ') + ' (right edge ' +
      Math.round(el.getBoundingClientRect().right) + ' px)');
    if (found.length === 8) break;
  }
  return found;
}"""


def page_paths(site_dir: Path) -> dict[str, str | None]:
    """Kind → path below the site root (None when the build has no page of that kind)."""

    def first(pattern: str, exclude: str = "") -> str | None:
        found = sorted(
            p.parent.relative_to(site_dir).as_posix() + "/"
            for p in site_dir.glob(pattern)
            if p.relative_to(site_dir).as_posix() != exclude
        )
        return found[0] if found else None

    paths: dict[str, str | None] = {
        kind: path if (site_dir / output).is_file() else None
        for kind, (output, path) in FIXED_PAGES.items()
    }
    paths["speech"] = first("speeches/*/index.html")
    paths["topic"] = first("topics/*/index.html", exclude="topics/index.html")
    return paths


@dataclass(frozen=True)
class Violation:
    id: str
    impact: str
    help: str
    nodes: list[str]

    def describe(self, width: int) -> str:
        nodes = "".join(f"\n      {node}" for node in self.nodes[:3])
        more = f"\n      … and {len(self.nodes) - 3} more" if len(self.nodes) > 3 else ""
        return f"  [{self.impact}] {self.id} at {width}px: {self.help} ({len(self.nodes)}){nodes}{more}"


@dataclass
class Visit:
    site: str
    kind: str
    url: str
    status: int | None = None
    console_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    violations: dict[int, list[Violation]] = field(default_factory=dict)
    scroll_width: int | None = None
    offenders: list[str] = field(default_factory=list)

    def blocking(self) -> list[str]:
        return [
            v.describe(width)
            for width, found in self.violations.items()
            for v in found
            if v.impact in BLOCKING
        ]


class Visitor:
    """Visits each (site, kind) once per session and remembers what it saw."""

    def __init__(self, browser: Browser, served: dict[str, ServedSite], axe_source: str) -> None:
        self.browser = browser
        self.served = served
        self.axe_source = axe_source
        self.visits: dict[tuple[str, str], Visit] = {}
        self.contexts: dict[str, BrowserContext] = {}
        self.paths = {name: page_paths(s.site.directory) for name, s in served.items()}

    def close(self) -> None:
        for context in self.contexts.values():
            context.close()
        self.contexts.clear()

    def path(self, site: str, kind: str) -> str:
        path = self.paths[site][kind]
        if path is None:
            raise AssertionError(f"the {site} build has no {kind} page")
        return path

    def visit(self, site: str, kind: str) -> Visit:
        key = (site, kind)
        if key not in self.visits:
            self.visits[key] = self._visit(site, kind, full=site == "root")
        return self.visits[key]

    def _context(self, site: str) -> BrowserContext:
        if site not in self.contexts:
            self.contexts[site] = self.browser.new_context(
                viewport={"width": NARROW, "height": HEIGHT}, locale="zh-CN"
            )
        return self.contexts[site]

    def _visit(self, site: str, kind: str, full: bool) -> Visit:
        """Load the page at 390 px; with `full`, measure overflow and run axe-core at 390 px,
        then widen to 1280 px and run axe-core again."""
        url = self.served[site].url + self.path(site, kind)
        visit = Visit(site, kind, url)
        expect_404 = kind == "404"
        pending: set[Request] = set()

        failed_urls: set[str] = set()

        def on_console(message: ConsoleMessage) -> None:
            if message.type != "error":
                return
            where = message.location.get("url", "")
            if message.text.startswith("Failed to load resource") and (
                where in failed_urls or (expect_404 and where == url)
            ):
                return  # reported as a failed request (or the 404 page's own, expected status)
            visit.console_errors.append(
                f"{message.text} ({where}:{message.location.get('lineNumber')})"
            )

        def on_response(response: Response) -> None:
            if response.status >= 400 and not (expect_404 and response.url == url):
                failed_urls.add(response.url)
                visit.failed_requests.append(f"HTTP {response.status} {response.url}")

        def on_failed(request: Request) -> None:
            pending.discard(request)
            failed_urls.add(request.url)
            visit.failed_requests.append(f"{request.failure} {request.url}")

        page: Page = self._context(site).new_page()
        page.on("console", on_console)
        page.on("pageerror", lambda error: visit.console_errors.append(f"uncaught {error}"))
        page.on("request", lambda request: pending.add(request))
        page.on("requestfinished", lambda request: pending.discard(request))
        page.on("requestfailed", on_failed)
        page.on("response", on_response)
        try:
            response = page.goto(url, wait_until="load")
            visit.status = response.status if response else None
            page.evaluate("() => document.fonts.ready.then(() => true)")
            if full:
                visit.scroll_width = int(
                    page.evaluate("() => document.documentElement.scrollWidth")
                )
                if visit.scroll_width > NARROW:
                    visit.offenders = list(page.evaluate(OFFENDERS_JS))
                self._inject_axe(page)
                visit.violations[NARROW] = self._axe(page)
                page.set_viewport_size({"width": WIDE, "height": HEIGHT})
                page.evaluate(FRAME_JS)
                visit.violations[WIDE] = self._axe(page)
            if pending:  # late requests (e.g. a search index fetched after load) must finish too
                page.wait_for_load_state("networkidle")
        finally:
            page.close()
        return visit

    def _inject_axe(self, page: Page) -> None:
        page.add_script_tag(content=self.axe_source)
        if not page.evaluate("() => typeof window.axe === 'object'"):
            raise AssertionError(
                f"axe-core did not load into {page.url} (a Content-Security-Policy blocking "
                "inline scripts would do that)"
            )

    def _axe(self, page: Page) -> list[Violation]:
        return [
            Violation(v["id"], v["impact"] or "", v["help"], list(v["nodes"]))
            for v in page.evaluate(AXE_RUN_JS)
        ]
