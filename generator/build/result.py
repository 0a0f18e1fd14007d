"""What a build reports: its counts, timings and the files it changed."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported where needed: a no-change build never pays for them
    pass


@dataclass
class BuildResult:
    output: Path
    pages: int = 0
    rendered: int = 0
    written: int = 0
    removed: int = 0
    unchanged: int = 0
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)
    changed: list[str] = field(default_factory=list)  # output files moved in or deleted
    cache_cleared: str = ""  # the error a damaged cache gave, when it was cleared and rebuilt


Progress = Callable[[str, int, int], None]
