"""A fast check of a built site before it is published: every internal link and asset must
point to a file of the build, and every `#fragment` into a page to an id on that page.

Every HTML file is parsed with html.parser; `href`, `src`, `srcset`, `poster` and a form's
`action` are resolved the way a browser would, against the URL the page is served at (the path
of `base_url` plus the file's place), so a link that escapes the sub-path the site is served
under is reported too. Absolute links to the site's own host count as internal (canonical
URLs); other hosts are not checked. `url(…)` references in CSS files are resolved the same way.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

LINK_ATTRIBUTES = {"href", "src", "poster", "action"}
SKIPPED_SCHEMES = ("mailto:", "tel:", "javascript:", "data:", "blob:", "about:")
PLACEHOLDER_ORIGIN = "http://speechsite.invalid"  # resolves path-only base URLs
CSS_URL_RE = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)""")
NOT_FOUND_PAGE = "404.html"


@dataclass(frozen=True, order=True)
class BrokenLink:
    page: str  # the file the link is in, relative to the site folder
    link: str  # as written
    problem: str

    def __str__(self) -> str:
        return f"{self.page}: {self.link} ({self.problem})"


@dataclass
class CheckResult:
    pages: int  # HTML and CSS files read
    links: int  # internal links resolved
    broken: list[BrokenLink]


class _PageParser(HTMLParser):
    """The ids of one page and the links in it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name == "id" or (name == "name" and tag == "a"):
                self.ids.add(value)
            elif name in LINK_ATTRIBUTES:
                self.links.append(value)
            elif name == "srcset":
                self.links.extend(part.split()[0] for part in value.split(",") if part.strip())

    handle_startendtag = handle_starttag


def check_site(site: Path, base_url: str) -> CheckResult:
    """Every broken internal link of the site built into `site` for `base_url`."""
    files = _files(site)
    parts = urlsplit(base_url)
    origin = f"{parts.scheme}://{parts.netloc}".lower() if parts.scheme else PLACEHOLDER_ORIGIN
    base_path = parts.path if parts.path.endswith("/") else parts.path + "/"
    pages: dict[str, _PageParser] = {}
    css: dict[str, list[str]] = {}
    for name in sorted(files):
        if name.endswith(".html"):
            parser = _PageParser()
            parser.feed((site / name).read_text(encoding="utf-8", errors="replace"))
            parser.close()
            pages[name] = parser
        elif name.endswith(".css"):
            text = (site / name).read_text(encoding="utf-8", errors="replace")
            css[name] = [match[2].strip() for match in CSS_URL_RE.finditer(text)]
    resolver = _Resolver(files, {name: p.ids for name, p in pages.items()}, origin, base_path)
    broken: list[BrokenLink] = []
    count = 0
    sources = [(name, p.links) for name, p in pages.items()] + list(css.items())
    for name, links in sources:
        for link in links:
            problem = resolver.problem(name, link)
            if problem is None:
                continue
            if problem:
                broken.append(BrokenLink(name, link, problem))
            count += 1
    return CheckResult(len(sources), count, sorted(set(broken)))


def _files(site: Path) -> set[str]:
    found: set[str] = set()
    for directory, _, names in os.walk(site):
        here = Path(directory)
        found.update((here / n).relative_to(site).as_posix() for n in names)
    return found


class _Resolver:
    def __init__(self, files: set[str], ids: dict[str, set[str]], origin: str, base: str) -> None:
        self.files = files
        self.ids = ids
        self.origin = origin
        self.host = urlsplit(origin).netloc
        self.base = base
        self.folders = {name.rsplit("/", 1)[0] for name in files if "/" in name}

    def page_url(self, name: str) -> str:
        """Where a file is served: `topics/index.html` at `<base>topics/`."""
        if name == "index.html":
            return self.origin + self.base
        if name.endswith("/index.html"):
            return self.origin + self.base + name[: -len("index.html")]
        return self.origin + self.base + name

    def problem(self, page: str, link: str) -> str | None:
        """None for a link not checked (external, mailto:, …); "" for a good internal link;
        otherwise what is wrong with it."""
        link = link.strip()
        if not link or link.lower().startswith(SKIPPED_SCHEMES):
            return None
        if page == NOT_FOUND_PAGE and not link.startswith(("/", "#", "http:", "https:")):
            # The 404 page is served for missing URLs at any depth: a relative link breaks.
            return "404.html is served at any depth, so its links must start with /"
        url = urlsplit(urljoin(self.page_url(page), link))
        if url.scheme not in ("http", "https"):
            return None
        if url.netloc.lower() != self.host:
            return None  # another host: not ours to check
        path = unquote(url.path)
        if not path.startswith(self.base):
            return f"outside {self.base}, where the site is served"
        target = self._target(path[len(self.base) :])
        if target is None:
            return "no such file in the build"
        fragment = unquote(url.fragment)
        if (
            fragment
            and fragment != "top"
            and target in self.ids
            and fragment not in self.ids[target]
        ):
            return f"no id {fragment!r} in {target}"
        return ""

    def _target(self, relative: str) -> str | None:
        if relative == "" or relative.endswith("/"):
            candidate = relative + "index.html"
            return candidate if candidate in self.files else None
        if relative in self.files:
            return relative
        if relative in self.folders and f"{relative}/index.html" in self.files:
            return f"{relative}/index.html"  # servers redirect /topics to /topics/
        return None
