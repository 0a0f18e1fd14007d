"""A web page saved as one file (`.mht`, `.mhtml`: Internet Explorer's and Edge's "web archive,
single file", Chrome's "webpage, single file") → the page's HTML, which ingest then reads as a
saved `.html` page.

Such a file is a MIME message (RFC 2557): the page and its pictures and styles, each a part
with its own transfer encoding (quoted-printable, base64) and often its own charset (IE saved a
Chinese page as `text/html; charset="gb2312"`). The standard library's e-mail parser reads it;
the page is the part the message names as its start, else its first HTML part.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from generator.errors import UserError

if TYPE_CHECKING:  # (the e-mail package is imported when an archive is read: 16 ms, which
    # every ingest and preview server paid at start-up, most of them reading none)
    import email.message

_HINT = "open it in a browser and save the page again, as “Webpage, HTML only” (.html)"
_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})


def mhtml_page(raw: bytes, path: Path) -> tuple[bytes, str | None]:
    """The page's HTML, its transfer encoding undone, and the charset its part declares (None
    where it declares none: the bytes are then read as any web page's are)."""
    import email
    import email.policy

    message = email.message_from_bytes(raw, policy=email.policy.compat32)
    if not message.get("Content-Type"):
        raise UserError(
            "not a web archive (the file has no MIME header: Content-Type)", path, hint=_HINT
        )
    part = _page_part(message)
    if part is None:
        raise UserError("the web archive holds no HTML page", path, hint=_HINT)
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes) or not payload.strip():
        raise UserError("the web archive's page is empty", path, hint=_HINT)
    return payload, part.get_content_charset()


def _page_part(message: email.message.Message) -> email.message.Message | None:
    """The part `start` names (by Content-ID), else the first HTML part."""
    parts = [p for p in message.walk() if not p.is_multipart()]
    start = message.get_param("start") if message.is_multipart() else None
    if isinstance(start, str):
        wanted = start.strip().strip("<>")
        for part in parts:
            if (part.get("Content-ID") or "").strip().strip("<>") == wanted:
                return part
    return next((p for p in parts if p.get_content_type() in _HTML_TYPES), None)
