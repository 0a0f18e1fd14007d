"""Atom feeds, sitemap.xml and robots.txt, serialised with ElementTree (escaping is its job).

Output is deterministic: an entry's `updated` is the speech's own date, never the time of the
build. Atom requires one; an undated speech gets EPOCH, a date no reader takes for news (the
feed's latest date would present it as the newest speech).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable

from generator.config import same_language
from generator.render.pages import SpeechSummary

ATOM = "http://www.w3.org/2005/Atom"
SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
FEED_SIZE = 50
EPOCH = "2000-01-01"


def _timestamp(date: str | None, fallback: str) -> str:
    value = date or fallback
    year, month, day = ([*value.split("-"), "01", "01"])[:3]
    return f"{year}-{month}-{day}T00:00:00Z"


def atom_feed(
    *,
    title: str,
    feed_url: str,
    site_url: str,
    subtitle: str,
    language: str,
    items: Iterable[SpeechSummary],
    generator: str,
) -> bytes:
    entries = list(items)[:FEED_SIZE]
    latest = max((s.date for s in entries if s.date), default=EPOCH)
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed", {"xml:lang": language})
    _text(feed, "title", title)
    _text(feed, "subtitle", subtitle)
    _text(feed, "id", feed_url)
    _text(feed, "updated", _timestamp(latest, EPOCH))
    _text(feed, "generator", generator)
    ET.SubElement(feed, f"{{{ATOM}}}link", {"rel": "self", "href": feed_url})
    ET.SubElement(feed, f"{{{ATOM}}}link", {"rel": "alternate", "href": site_url})
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    _text(author, "name", title)
    for summary in entries:
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry", _entry_language(summary.lang, language))
        _text(entry, "title", summary.title)
        _text(entry, "id", summary.url)
        _text(entry, "updated", _timestamp(summary.date, EPOCH))
        ET.SubElement(entry, f"{{{ATOM}}}link", {"rel": "alternate", "href": summary.url})
        if summary.speaker:
            person = ET.SubElement(entry, f"{{{ATOM}}}author")
            _text(person, "name", summary.speaker)
        for topic in summary.topics:
            ET.SubElement(entry, f"{{{ATOM}}}category", {"term": topic.name})
        _text(entry, "summary", summary.excerpt)
    return _serialise(feed)


def _entry_language(lang: str, feed_language: str) -> dict[str, str]:
    """An entry's xml:lang where its speech is in another language than the feed (an English
    speech in a Chinese archive): a reader shows and reads its title and summary as such."""
    return {} if same_language(lang, feed_language) else {"xml:lang": lang}


def _text(parent: ET.Element, tag: str, text: str) -> None:
    ET.SubElement(parent, f"{{{ATOM}}}{tag}").text = text


def _serialise(root: ET.Element) -> bytes:
    ET.indent(root)
    data: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return data + b"\n"


def sitemap(urls: Iterable[str]) -> bytes:
    ET.register_namespace("", SITEMAP)
    root = ET.Element(f"{{{SITEMAP}}}urlset")
    for url in urls:
        node = ET.SubElement(root, f"{{{SITEMAP}}}url")
        ET.SubElement(node, f"{{{SITEMAP}}}loc").text = url
    return _serialise(root)


def robots(sitemap_url: str) -> bytes:
    return f"User-agent: *\nAllow: /\n\nSitemap: {sitemap_url}\n".encode()
