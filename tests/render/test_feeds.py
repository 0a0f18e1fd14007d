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
