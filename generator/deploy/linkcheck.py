"""A fast check of a built site before it is published: every internal link and asset must
point to a file of the build, and every `#fragment` into a page to an id on that page.

Every HTML file is scanned for its tags (as html.parser reads them, only faster); `href`, `src`, `srcset`, `poster` and a form's
`action` are resolved the way a browser would, against the URL the page is served at (the path
of `base_url` plus the file's place), so a link that escapes the sub-path the site is served
under is reported too. Absolute links to the site's own host count as internal (canonical
URLs); other hosts are not checked. `url(…)` references in CSS files are resolved the same way.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from html import unescape
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


# One pass over a page finds comments, script and style elements (whose content is skipped) and
# start tags; a quoted attribute value may hold '>'. tests/deploy/test_linkcheck.py holds the
# result to html.parser's on every page of the sample and on awkward markup.
_TAG_RE = re.compile(
    r"""<!--.*?-->"""
    r"""|<(script|style)\b((?:[^>"']|"[^"]*"|'[^']*')*)>.*?</\1\s*>"""
    r"""|<([a-zA-Z][^\s/>]*)((?:[^>"']|"[^"]*"|'[^']*')*)>""",
    re.DOTALL | re.IGNORECASE,
)
_ATTR_RE = re.compile(r"""([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?""")


@dataclass
class PageLinks:
    """The ids of one page and the links in it."""

    ids: set[str] = field(default_factory=set)
    links: list[str] = field(default_factory=list)

    def add(self, tag: str, name: str, value: str) -> None:
        if name == "id" or (name == "name" and tag == "a"):
            self.ids.add(value)
        elif name in LINK_ATTRIBUTES:
            self.links.append(value)
        elif name == "srcset":
            self.links.extend(part.split()[0] for part in value.split(",") if part.strip())


def scan_page(text: str) -> PageLinks:
    """Ids and links of an HTML page, as html.parser would report them, several times faster."""
    found = PageLinks()
    for match in _TAG_RE.finditer(text):
        if match[1]:
            tag, attributes = match[1].lower(), match[2]
        elif match[3]:
            tag, attributes = match[3].lower(), match[4]
        else:
            continue  # a comment
        if "=" not in attributes:
            continue
        for attribute in _ATTR_RE.finditer(attributes):
            value = attribute[2] if attribute[2] is not None else attribute[3]
            if value is None:
                value = attribute[4]
            if value is None:
                continue
            found.add(tag, attribute[1].lower(), unescape(value) if "&" in value else value)
    return found


def check_site(site: Path, base_url: str) -> CheckResult:
    """Every broken internal link of the site built into `site` for `base_url`."""
    files = _files(site)
    parts = urlsplit(base_url)
    origin = f"{parts.scheme}://{parts.netloc}".lower() if parts.scheme else PLACEHOLDER_ORIGIN
    base_path = parts.path if parts.path.endswith("/") else parts.path + "/"
    pages: dict[str, PageLinks] = {}
    css: dict[str, list[str]] = {}
    for name in sorted(files):
        if name.endswith(".html"):
            pages[name] = scan_page((site / name).read_text(encoding="utf-8", errors="replace"))
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
        # Most links (navigation, assets, lists) recur on many pages: resolve each once.
        self.known: dict[str, str | None] = {}

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
        if link.startswith("#"):  # on the page itself
            fragment = unquote(link[1:])
            if fragment in ("", "top") or fragment in self.ids.get(page, {fragment}):
                return ""
            return f"no id {fragment!r} in {page}"
        absolute = link.startswith(("/", "http:", "https:"))
        if page == NOT_FOUND_PAGE and not absolute and ":" not in link:
            # The 404 page is served for missing URLs at any depth: a relative link breaks.
            return "404.html is served at any depth, so its links must start with /"
        key = link if absolute else f"{page.rpartition('/')[0]}/\0{link}"
        if key not in self.known:
            self.known[key] = self._resolve(page, link)
        return self.known[key]

    def _resolve(self, page: str, link: str) -> str | None:
        if not link or link.lower().startswith(SKIPPED_SCHEMES):
            return None
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
