"""Atom feeds: dates as the speeches have them, an undated speech never presented as new."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from generator.render.feeds import ATOM, EPOCH, atom_feed
from generator.render.pages import SpeechSummary


def _summary(slug: str, date: str | None) -> SpeechSummary:
    return SpeechSummary(
        slug, f"讲话{slug}", f"https://example.org/speeches/{slug}/", date, date or "",
        int(date[:4]) if date else None, None, None, None, None, [], 100, 1, "摘要", 0,
    )  # fmt: skip


def test_an_undated_speech_is_not_dated_like_the_newest() -> None:
    feed = atom_feed(
        title="t", feed_url="https://example.org/feed.xml", site_url="https://example.org/",
        subtitle="s", language="zh-CN", generator="g",
        items=[_summary("a", "2024-05-01"), _summary("b", None), _summary("c", "2023")],
    )  # fmt: skip
    root = ET.fromstring(feed)
    updated = {
        e.findtext(f"{{{ATOM}}}id"): e.findtext(f"{{{ATOM}}}updated")
        for e in root.iter(f"{{{ATOM}}}entry")
    }
    assert updated == {
        "https://example.org/speeches/a/": "2024-05-01T00:00:00Z",
        "https://example.org/speeches/b/": f"{EPOCH}T00:00:00Z",
        "https://example.org/speeches/c/": "2023-01-01T00:00:00Z",
    }
    assert root.findtext(f"{{{ATOM}}}updated") == "2024-05-01T00:00:00Z"


def test_an_entry_in_another_language_than_the_feed_says_so() -> None:
    """An English speech in a Chinese archive's feed: its entry has xml:lang="en", so a reader
    shows its title and summary as English; a Chinese one (zh-Hant too) has none of its own."""
    from dataclasses import replace

    english = replace(_summary("e", "2024-05-01"), lang="en")
    traditional = replace(_summary("t", "2024-04-01"), lang="zh-Hant")
    feed = atom_feed(
        title="t", feed_url="https://example.org/feed.xml", site_url="https://example.org/",
        subtitle="s", language="zh-CN", generator="g",
        items=[english, traditional, _summary("c", "2023")],
    )  # fmt: skip
    root = ET.fromstring(feed)
    langs = {
        e.findtext(f"{{{ATOM}}}id"): e.get("{http://www.w3.org/XML/1998/namespace}lang")
        for e in root.iter(f"{{{ATOM}}}entry")
    }
    assert langs == {
        "https://example.org/speeches/e/": "en",
        "https://example.org/speeches/t/": None,
        "https://example.org/speeches/c/": None,
    }
    assert b'<entry xml:lang="en">' in feed
