"""The test server the browser tests and screenshots use (scripts/static_server.py)."""

from __future__ import annotations

import email.utils
import urllib.request
from pathlib import Path

from scripts.static_server import StaticServer


def test_a_file_rebuilt_within_a_second_is_served_anew_not_as_not_modified(
    tmp_path: Path,
) -> None:
    """If-Modified-Since compares whole seconds: a file rewritten within the second the browser
    had it from was answered 304, and a page kept the last build's search index (a browser
    test flaked so). The server answers with the file as it is now."""
    index = tmp_path / "index.json"
    index.write_text('{"gen": "new"}', "utf-8")
    since = email.utils.formatdate(index.stat().st_mtime, usegmt=True)
    with StaticServer(tmp_path) as server:
        request = urllib.request.Request(server.url + "index.json")
        request.add_header("If-Modified-Since", since)
        with urllib.request.urlopen(request) as response:
            assert response.status == 200
            assert response.read() == b'{"gen": "new"}'
