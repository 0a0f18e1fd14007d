"""The speech value's helpers."""

from __future__ import annotations

import pytest

from generator.speech import shown_speaker


@pytest.mark.parametrize(
    ("role", "name", "shown"),
    [
        ("市长", "李明", "市长 李明"),
        ("县长", "县长王五", "县长王五"),  # review: search results read 县长 县长王五
        ("县长", "县长", "县长"),
        (None, "李明", "李明"),
        ("县长", None, "县长"),
        (None, None, ""),
    ],
)
def test_the_office_is_shown_once(role: str | None, name: str | None, shown: str) -> None:
    assert shown_speaker(role, name) == shown
