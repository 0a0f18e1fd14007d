"""What a build writes besides pages: assets, feeds, sitemap.xml, robots.txt and the static
folder's files, each made again only when what it shows changed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator import __version__
from generator.build.inputs import Scan
from generator.build.output import MARKER
from generator.build.urls import Urls
from generator.config import Config
from generator.errors import UserError
from generator.fsutil import stage
from generator.render.feeds import FEED_SIZE, atom_feed, robots, sitemap
from generator.render.pages import Page, PageBuilder, SpeechSummary, digest
from generator.render.theme import Theme

if TYPE_CHECKING:  # imported where needed: a no-change build never pays for them
    pass


def write_extras(
    pages: list[Page],
    builder: PageBuilder,
    config: Config,
    urls: Urls,
    theme: Theme,
    previous: dict[str, str],
    keys: dict[str, str],
    target: Path,
    staging: Path,
    static: Scan | None = None,
) -> tuple[dict[str, str], dict[str, str]]:
    """Assets, feeds, the sitemap, robots.txt and the static folder's files; return their
    hashes and their keys. Like pages, a file whose key (a digest of what it shows) is
    unchanged is not made again."""
    files: dict[str, str] = {}
    new_keys: dict[str, str] = {}

    def extra(name: str, key_data: Any, make: Callable[[], bytes]) -> None:
        key = digest([__version__, key_data])
        known = previous.get(name)
        present = known is not None and (target / name).exists()
        if known is not None and present and keys.get(name) == key:
            files[name] = known
        else:  # (a file gone from the output is staged even with its old bytes)
            files[name] = stage(staging, previous if present else {}, name, make())
        new_keys[name] = key

    for asset in theme.assets.values():
        extra(asset.path, asset.digest, lambda asset=asset: asset.data)  # type: ignore[misc]
    for name, feed in _feeds(builder, config, urls).items():
        extra(name, feed.keywords, lambda feed=feed: atom_feed(**feed.keywords))  # type: ignore[misc]
    paths = [p.path for p in pages if p.in_sitemap]  # the key: its URLs follow from these
    extra(
        "sitemap.xml",
        [urls.base_url, paths],
        lambda: sitemap([urls.absolute(urls.url(path)) for path in paths]),
    )
    robots_url = urls.absolute(urls.url("sitemap.xml"))
    extra("robots.txt", robots_url, lambda: robots(robots_url))
    made = {page.output for page in pages} | set(files)
    for name, stamp in (static or {}).items():
        assert config.static_dir is not None
        _check_static_name(config.static_dir, name, made)
        path = config.static_dir / name
        extra(name, ["static", stamp], lambda path=path: _read_static(path))  # type: ignore[misc]
    return files, new_keys


_BUILT_FOLDERS = ("assets/", "search/")  # what the build writes besides its pages and extras


def _check_static_name(folder: Path, name: str, made: set[str]) -> None:
    """A static file may not take the name of a file the build makes (a page, a feed, an
    asset): one of the two would be lost."""
    if name in made or name.startswith(_BUILT_FOLDERS) or name == MARKER:
        raise UserError(
            f"{name} would replace a file the build makes",
            folder / name,
            hint="rename or move it in the static folder (e.g. into images/ or files/)",
        )


def _read_static(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise UserError(f"cannot read it ({error.strerror})", path) from None


@dataclass
class _Feed:
    keywords: dict[str, Any]  # atom_feed's arguments: also what the feed shows


def _feeds(builder: PageBuilder, config: Config, urls: Urls) -> dict[str, _Feed]:
    def absolute(items: list[SpeechSummary]) -> list[SpeechSummary]:
        from dataclasses import replace

        return [replace(s, url=urls.absolute(s.url)) for s in items[:FEED_SIZE]]

    dated = [builder.summaries[entry.slug] for entry in builder.newest_first[:FEED_SIZE]]
    feeds = {
        "feed.xml": _Feed(
            {
                "title": config.title,
                "feed_url": urls.absolute(urls.url("feed.xml")),
                "site_url": urls.absolute(urls.url("")),
                "subtitle": config.description,
                "language": config.language,
                "items": absolute(dated),
                "generator": f"speechsite {__version__}",
            }
        )
    }
    for topic in config.topics:
        items = [builder.summaries[e.slug] for e in builder.by_topic[topic.name][:FEED_SIZE]]
        name = f"topics/{topic.slug}/feed.xml"
        feeds[name] = _Feed(
            {
                "title": f"{config.title} · {topic.name}",
                "feed_url": urls.absolute(urls.url(name)),
                "site_url": urls.absolute(urls.url(f"topics/{topic.slug}/")),
                "subtitle": topic.description,
                "language": config.language,
                "items": absolute(items),
                "generator": f"speechsite {__version__}",
            }
        )
    return feeds
