"""The preview's HTTP server: the output folder under its base path, like a static host.

Same URLs as the deployed site: files under the base path of `base_url` (the root `/` redirects
there), folders answered by their index.html (without a trailing slash: redirected), anything
else the site's 404 page with status 404. HTML responses get the live-reload script; the files
on disk never do. Binds to 127.0.0.1 unless told otherwise.
"""

from __future__ import annotations

import errno
import http.server
import mimetypes
import socket
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from generator.serve.changes import logical_name
from generator.serve.livereload import EVENTS_PATH, SCRIPT_PATH, EventHub, client_script, inject
from generator.serve.paths import Target, normalise_base, requested_range, resolve_request

TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".xml": "application/xml",
    ".svg": "image/svg+xml",
    ".txt": "text/plain; charset=utf-8",
    ".woff2": "font/woff2",
}
FALLBACK_404 = b"<!doctype html><html><head><meta charset=utf-8><title>404</title></head><body><h1>404</h1><p>Not built (yet).</p></body></html>\n"
IMMUTABLE = "public, max-age=31536000, immutable"
HEARTBEAT = 15.0  # seconds between keep-alive comments on an idle event stream
PORT_TRIES = 20


class PortInUse(Exception):
    """No free port was found from the one asked for on."""


class _Handler(http.server.BaseHTTPRequestHandler):
    server: PreviewServer
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        self._answer(body=True)

    def do_HEAD(self) -> None:
        self._answer(body=False)

    def _answer(self, body: bool) -> None:
        if not self.server.host_allowed(self.headers.get("Host")):
            # A page on another site that rebinds its name to 127.0.0.1 sends its own name:
            # such a request reads nothing here.
            self._send(421, "text/plain; charset=utf-8", b"421 Misdirected Request\n", body)
            return
        path = self.path.split("?", 1)[0]
        if path == EVENTS_PATH and body:
            self._events()
            return
        if path == SCRIPT_PATH:
            self._send(200, TYPES[".js"], client_script(), body)
            return
        base = self.server.base_path
        if base != "/" and path in ("/", base.rstrip("/")):
            self._redirect(base)
            return
        try:
            target = resolve_request(self.server.root, base, self.path)
        except UnicodeDecodeError:
            target = None
        if target is not None and target.redirect is not None:
            self._redirect(target.redirect)
            return
        if target is None or target.file is None:
            self._not_found(target, body)
            return
        try:
            data = self._read(target.file, target.name)
        except OSError:  # replaced or removed by a rebuild between resolving and reading
            self._not_found(target, body)
            return
        kind = TYPES.get(target.file.suffix.lower()) or (
            mimetypes.guess_type(target.file.name)[0] or "application/octet-stream"
        )
        if kind.startswith("text/html"):
            data = inject(data, target.name, target.name)
        elif self._send_range(kind, data, body):
            return
        # A fingerprinted asset never changes under its name (an edit gives a new name), so a
        # reload need not fetch it again; everything else is checked on every visit.
        cache = IMMUTABLE if logical_name(target.name) else "no-cache"
        self._send(200, kind, data, body, cache)

    def _read(self, file: Path, name: str) -> bytes:
        """A search index file is read under the lock its replacement holds (serve's second
        phase), so no client gets a new fragment with the old index.json or the reverse."""
        if name.startswith("search/") and not name.endswith(".html"):
            with self.server.search_lock:
                return file.read_bytes()
        return file.read_bytes()

    def _send_range(self, kind: str, data: bytes, body: bool) -> bool:
        """Answer `Range: bytes=a-b` with 206 and the part, as static hosts do (search reads
        long posting lists so); False when the request has no range this can answer."""
        wanted = requested_range(self.headers.get("Range"), len(data))
        if wanted is None or wanted[0] > wanted[1]:
            return False
        start, end = wanted
        self.send_response(206)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Range", f"bytes {start}-{end}/{len(data)}")
        self.send_header("Content-Length", str(end - start + 1))
        self.send_header("Cache-Control", "no-cache")
        self.end_headers()
        if body:
            self.wfile.write(data[start : end + 1])
        return True

    def _not_found(self, target: Target | None, body: bool) -> None:
        page = self.server.root / "404.html"
        try:
            data = page.read_bytes()
        except OSError:
            data = FALLBACK_404
        requested = target.name if target is not None else ""
        self._send(404, TYPES[".html"], inject(data, "404.html", requested), body)

    def _redirect(self, location: str) -> None:
        self.send_response(301)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _send(
        self, status: int, kind: str, data: bytes, body: bool, cache: str = "no-cache"
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", cache)
        self.end_headers()
        if body:
            self.wfile.write(data)

    def _events(self) -> None:
        """One Server-Sent Events stream, until the tab goes away or the server stops."""
        hub = self.server.hub
        position, error = hub.position()
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        try:
            self.wfile.write(b"retry: 500\n\n")
            if error is not None:
                self._event(error)
            self.wfile.flush()
            while True:
                waited = hub.wait(position, HEARTBEAT)
                if waited is None:
                    return
                new_position, messages = waited
                if new_position == position:
                    self.wfile.write(b": keep-alive\n\n")
                for message in messages:
                    self._event(message)
                self.wfile.flush()
                position = new_position
        except (BrokenPipeError, ConnectionResetError, ConnectionAbortedError):
            return

    def _event(self, message: str) -> None:
        self.wfile.write(b"data: " + message.encode("utf-8") + b"\n\n")

    def log_message(self, format: str, *args: Any) -> None:
        pass


class PreviewServer(http.server.ThreadingHTTPServer):
    """Serves `root` under `base_path` with live reload; `hub` carries the rebuild messages."""

    daemon_threads = True
    allow_reuse_address = False  # a port another server holds must be reported, not shared

    def __init__(
        self,
        root: Path,
        base_path: str,
        host: str,
        port: int,
        hub: EventHub,
        search_lock: threading.Lock | None = None,
    ) -> None:
        self.root = root.resolve()
        self.bound_host = host
        self.base_path = normalise_base(base_path)
        self.hub = hub
        self.search_lock = search_lock or threading.Lock()
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self.address_family = family
        super().__init__((host, port), _Handler)
        self._thread: threading.Thread | None = None

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A browser that drops a connection mid-answer (a tab closed or reloaded) is no
        error; anything else is reported on one line, not as socketserver's traceback."""
        error = sys.exc_info()[1]
        if isinstance(error, ConnectionError | TimeoutError):
            return
        print(
            f"serve: could not answer a request: {type(error).__name__}: {error}", file=sys.stderr
        )

    @property
    def port(self) -> int:
        return int(self.server_address[1])

    def host_allowed(self, header: str | None) -> bool:
        """Whether a request's Host header names this server: a loopback name, or the host it
        was bound to (a request without one, HTTP/1.0, is let through)."""
        if header is None:
            return True
        name = header.strip().lower()
        name = name[1 : name.index("]")] if name.startswith("[") and "]" in name else name
        name = name.rsplit(":", 1)[0] if name.count(":") == 1 else name
        return name in {"localhost", "127.0.0.1", "::1", self.bound_host.lower()}

    def url(self, host: str) -> str:
        shown = f"[{host}]" if ":" in host else host
        return f"http://{shown}:{self.port}{self.base_path}"

    def start(self) -> None:
        self._thread = threading.Thread(target=self.serve_forever, name="serve", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Close every event stream, stop accepting, wait for the serving thread."""
        self.hub.close()
        if self._thread is not None:
            self.shutdown()
            self._thread.join()
        self.server_close()


def bind(
    factory: Callable[[int], PreviewServer],
    port: int,
    on_busy: Callable[[int, int], None] | None = None,
) -> PreviewServer:
    """The server on `port`, or on the next free port (reported through `on_busy(asked, got)`)."""
    for candidate in range(port, min(port + PORT_TRIES, 65536)):
        try:
            server = factory(candidate)
        except OSError as err:
            if err.errno not in (errno.EADDRINUSE, errno.EACCES):
                raise
            continue
        if candidate != port and on_busy is not None:
            on_busy(port, candidate)
        return server
    raise PortInUse(f"ports {port}–{port + PORT_TRIES - 1} are all in use")
