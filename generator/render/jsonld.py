"""Structured data for a page's <script type="application/ld+json">: schema.org JSON-LD, which
search engines read a page's kind, author and date from, as Hugo's internal schema template
writes it.
"""

from __future__ import annotations

import json
from typing import Any

from markupsafe import Markup

# What may not stand as itself inside a <script> element: `</script>` in a speech's title ended
# the element, and `<!--` changed how the rest of it is read. Each is written as a JSON escape
# (Jinja's tojson escapes the same characters), which a JSON reader reads back as the character.
_SCRIPT_SAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "'": "\\u0027"})


def json_ld(data: dict[str, Any]) -> Markup:
    """`data` as JSON to put inside <script type="application/ld+json">, its empty fields
    (None, "", [], {}) left out at every depth so a template can list every field a page
    might have; Chinese as itself, not \\u escapes (a third of the bytes)."""
    text = json.dumps(_without_empty(data), ensure_ascii=False, separators=(",", ":"))
    return Markup(text.translate(_SCRIPT_SAFE))


def _without_empty(value: Any) -> Any:
    if isinstance(value, dict):
        kept = {key: _without_empty(item) for key, item in value.items()}
        return {key: item for key, item in kept.items() if not _empty(item)}
    if isinstance(value, list | tuple):
        return [item for item in map(_without_empty, value) if not _empty(item)]
    return value


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, str | list | dict) and not value)
