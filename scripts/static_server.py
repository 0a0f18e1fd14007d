"""Serve a built site on 127.0.0.1 the way static hosting does, optionally under a sub-path.

Files are served only under `base_path` (e.g. `/archive/`); everything else, directories without
an index.html included, gets the site's `404.html` with status 404 — so a link that escapes the
sub-path shows up as broken. Used by the site checks (tests/e2e/) and scripts/screenshots.py.

    python scripts/static_server.py site/ [--base /archive/] [--port 8000]
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import http.server
import io
import os
import threading
import urllib.parse
from pathlib import Path
from types import TracebackType
from typing import Any

from generator.serve.paths import normalise_base, requested_range

EXTRA_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".xml": "application/xml",
    ".svg": "image/svg+xml",
    ".webmanifest": "application/manifest+json",
    ".woff2": "font/woff2",
    ".txt": "text/plain; charset=utf-8",
}


class _Handler(http.server.SimpleHTTPRequestHandler):
    base_path = "/"

    def translate_path(self, path: str) -> str:
        url_path = urllib.parse.urlsplit(path).path
        if not url_path.startswith(self.base_path):
            return str(Path(self.directory) / "__outside_base_path__")
        return super().translate_path("/" + url_path[len(self.base_path) :])

    def guess_type(self, path: str | os.PathLike[str]) -> str:
        return EXTRA_TYPES.get(Path(path).suffix.lower()) or super().guess_type(path)

    def send_head(self) -> Any:
        """Answer `Range: bytes=a-b` with 206 and the part, as static hosts do (the search reads
        long posting lists that way); anything else as SimpleHTTPRequestHandler does, but never
        304: its If-Modified-Since compares whole seconds, so a file rebuilt within the second
        the browser had it from (a test builds, searches and builds again in under a second)
        was answered "not modified", and the page kept the last build's search/index.json.
        Static hosts validate with an ETag of the content."""
        del self.headers["If-Modified-Since"]
        path = self.translate_path(self.path)
        if not os.path.isfile(path):
            return super().send_head()
        size = os.path.getsize(path)
        wanted = requested_range(self.headers.get("Range"), size)
        if wanted is None:
            return super().send_head()
        start, end = wanted
        if start >= size or end < start:
            self.send_response(416)
            self.send_header("Content-Range", f"bytes */{size}")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return None
        with open(path, "rb") as handle:
            handle.seek(start)
            data = handle.read(end - start + 1)
        self.send_response(206)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Range", f"bytes {start}-{end}/{size}")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        return io.BytesIO(data)

    def list_directory(self, path: str | os.PathLike[str]) -> None:
        """Static hosts do not list folders: a folder without index.html is a 404."""
        self.send_error(404)
        return None

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        not_found = Path(self.directory) / "404.html"
        if code != 404 or not not_found.is_file():
            super().send_error(code, message, explain)
            return
        body = not_found.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def end_headers(self) -> None:
        # linkchecker throttles itself to ~3 requests per second per host unless the server
        # answers with a `LinkChecker` header (then `maxrequestspersecond` above 10 applies).
        self.send_header("LinkChecker", "local test server")
        super().end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass


class StaticServer:
    """A threaded HTTP server for `directory` on 127.0.0.1 (a free port unless `port` is given).

    Use as a context manager, or call start() and stop(). `url` is the site's root URL,
    including the base path, e.g. http://127.0.0.1:41234/archive/.
    """

    def __init__(self, directory: Path, base_path: str = "/", port: int = 0) -> None:
        self.directory = Path(directory).resolve()
        self.base_path = normalise_base(base_path)
        handler = type("Handler", (_Handler,), {"base_path": self.base_path})
        self._server = http.server.ThreadingHTTPServer(
            ("127.0.0.1", port), functools.partial(handler, directory=str(self.directory))
        )
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def url(self) -> str:
        return self.origin + self.base_path

    def start(self) -> StaticServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._thread.is_alive():
            self._server.shutdown()
            self._thread.join()
        self._server.server_close()

    def __enter__(self) -> StaticServer:
        return self.start()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path, help="the built site folder, e.g. site/")
    parser.add_argument("--base", default="/", help="serve under this sub-path, e.g. /archive/")
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args()
    with StaticServer(args.site, args.base, args.port) as server:
        print(f"serving {server.directory} at {server.url} (Ctrl-C to stop)")
        with contextlib.suppress(KeyboardInterrupt):
            threading.Event().wait()


if __name__ == "__main__":
    main()
