"""The change channel and the script the preview adds to each HTML response.

Tabs listen on `/__speechsite/events` (Server-Sent Events: plain HTTP, reconnects by itself).
Each rebuild publishes `update` (the pages that changed and the renamed assets) or `error`
(message, file, line, hint — shown as an overlay), and `search` once it replaced the search
index (its second phase). A tab that connects while the last build failed gets that error at
once, so a page opened later shows the overlay too.

The script is added by the server to the HTML it sends; nothing is ever written to the output.
"""

from __future__ import annotations

import json
import re
import threading
from dataclasses import asdict, dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from generator.errors import UserError

PREFIX = "/__speechsite/"
EVENTS_PATH = PREFIX + "events"
SCRIPT_PATH = PREFIX + "livereload.js"
_BODY_END = re.compile(rb"</body\s*>", re.IGNORECASE)


@dataclass(frozen=True)
class ErrorReport:
    """A failed build as the overlay shows it."""

    message: str
    path: str | None = None
    line: int | None = None
    hint: str | None = None

    @property
    def text(self) -> str:
        """One line for the console: `file:line: message (hint)`."""
        where = ""
        named = self.message.split(": ", 1)[0]  # (ingest's messages begin with the file's path)
        if self.path and not named.endswith(self.path):
            where = f"{self.path}:{self.line}: " if self.line else f"{self.path}: "
        return where + self.message + (f" ({self.hint})" if self.hint else "")

    @classmethod
    def from_error(cls, err: UserError, root: Path) -> ErrorReport:
        path = None
        if err.path is not None:
            where = Path(err.path)
            try:
                path = where.resolve().relative_to(root.resolve()).as_posix()
            except ValueError:
                path = str(where)
        return cls(err.message, path, err.line, err.hint)


class EventHub:
    """Messages for every connected tab: a numbered log each listener reads from its position."""

    def __init__(self) -> None:
        self._condition = threading.Condition()
        self._messages: list[str] = []
        self._count = 0  # messages dropped from the front of the log
        self._error: str | None = None
        self._closed = False

    def publish_update(self, pages: list[str], assets: dict[str, str]) -> None:
        self._publish({"type": "update", "pages": pages, "assets": assets}, error=None)

    def publish_search(self) -> None:
        """The search index was replaced: a search page showing results runs its query again."""
        self._publish({"type": "search"}, error=None)

    def publish_error(self, report: ErrorReport) -> None:
        data: dict[str, Any] = {"type": "error", **asdict(report)}
        self._publish(data, error=json.dumps(data, ensure_ascii=False))

    @property
    def failing(self) -> bool:
        with self._condition:
            return self._error is not None

    def _publish(self, data: dict[str, Any], error: str | None) -> None:
        with self._condition:
            self._messages.append(json.dumps(data, ensure_ascii=False))
            self._trim()
            self._error = error
            self._condition.notify_all()

    def position(self) -> tuple[int, str | None]:
        """Where a new listener starts, and the error it must see first (if a build failed)."""
        with self._condition:
            return self._total(), self._error

    def _total(self) -> int:
        return self._count + len(self._messages)

    def wait(self, position: int, timeout: float) -> tuple[int, list[str]] | None:
        """Messages after `position` (waiting up to `timeout`); None once the hub is closed."""
        with self._condition:
            self._condition.wait_for(lambda: self._closed or self._total() > position, timeout)
            if self._closed:
                return None
            start = max(0, position - self._count)
            return self._total(), self._messages[start:]

    def _trim(self) -> None:
        """Keep the last 100 messages: a listener further behind only misses history."""
        if len(self._messages) > 100:
            drop = len(self._messages) - 100
            self._count += drop
            del self._messages[:drop]

    def close(self) -> None:
        with self._condition:
            self._closed = True
            self._condition.notify_all()


def client_script() -> bytes:
    return resources.files("generator.serve").joinpath("livereload.js").read_bytes()


def inject(html: bytes, shown: str, requested: str) -> bytes:
    """Add the live-reload script before the last `</body>` (or at the end).

    `shown` is the output file sent (`404.html` for a miss), `requested` the file the URL names,
    so a tab can tell whether a rebuild changed what it shows or created what it asked for."""
    tag = (
        f'<script src="{SCRIPT_PATH}" data-shown="{_attr(shown)}" '
        f'data-requested="{_attr(requested)}" defer></script>\n'
    ).encode()
    matches = list(_BODY_END.finditer(html))
    if not matches:
        return html + tag
    at = matches[-1].start()
    return html[:at] + tag + html[at:]


def _attr(value: str) -> str:
    return (
        value.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;").replace(">", "&gt;")
    )
