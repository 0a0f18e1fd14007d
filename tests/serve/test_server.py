"""The preview server: the built site under its base path, the 404 page, the script added to
HTML only (never to the files on disk), the event stream, and the fallback to a free port."""

from __future__ import annotations

import errno
import http.client
import json
import socket
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest

from generator.build import build_site
from generator.config import load_config
from generator.serve.livereload import EVENTS_PATH, SCRIPT_PATH, EventHub
from generator.serve.server import PortInUse, PreviewServer, bind

SLUG = "quan-shi-shen-hua-ji-guan-zuo-feng-zheng-dun-ling-dao-xiao"


def _serve(site: Path, base: str) -> Iterator[PreviewServer]:
    server = PreviewServer(site, base, "127.0.0.1", 0, EventHub())
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def built(sample: Path) -> Path:
    build_site(load_config(sample), jobs=1)
    (sample / "secret.txt").write_text("never served")
    return sample / "site"


@pytest.fixture
def server(built: Path) -> Iterator[PreviewServer]:
    yield from _serve(built, "/")


def get(server: PreviewServer, path: str, method: str = "GET") -> http.client.HTTPResponse:
    """A request with the path sent exactly as given (no client-side normalisation)."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    connection.request(method, path)
    response = connection.getresponse()
    response.body = response.read()  # type: ignore[attr-defined]
    connection.close()
    return response


def test_html_gets_the_script_and_other_files_come_as_they_are(
    server: PreviewServer, built: Path
) -> None:
    page = get(server, f"/speeches/{SLUG}/")
    assert page.status == 200
    assert page.getheader("Content-Type") == "text/html; charset=utf-8"
    body: bytes = page.body  # type: ignore[attr-defined]
    assert SCRIPT_PATH.encode() in body
    assert body.index(SCRIPT_PATH.encode()) < body.rindex(b"</body>")
    on_disk = (built / "speeches" / SLUG / "index.html").read_bytes()
    assert SCRIPT_PATH.encode() not in on_disk
    assert int(page.getheader("Content-Length") or 0) == len(body) > len(on_disk)
    css = next((built / "assets" / "css").glob("site.*.css"))
    response = get(server, "/" + css.relative_to(built).as_posix())
    assert response.status == 200
    assert response.getheader("Content-Type") == "text/css; charset=utf-8"
    assert "immutable" in (response.getheader("Cache-Control") or "")  # fingerprinted
    assert page.getheader("Cache-Control") == "no-cache"
    assert response.body == css.read_bytes()  # type: ignore[attr-defined]
    feed = get(server, "/feed.xml")
    assert feed.body == (built / "feed.xml").read_bytes()  # type: ignore[attr-defined]
    assert get(server, "/__speechsite/livereload.js").status == 200


def test_the_build_output_holds_nothing_of_the_preview(server: PreviewServer, built: Path) -> None:
    get(server, "/")
    for path in built.rglob("*"):
        if path.is_file():
            assert b"__speechsite" not in path.read_bytes(), path


@pytest.mark.parametrize(
    "path",
    [
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E%2Fsecret.txt",
        "/speeches/..%2F..%2Fsecret.txt",
        "/..%5Csecret.txt",
        "//secret.txt",
        "/%2Fetc%2Fpasswd",
        "/etc/passwd",
    ],
)
def test_traversal_gets_the_404_page(server: PreviewServer, built: Path, path: str) -> None:
    response = get(server, path)
    assert response.status == 404
    body: bytes = response.body  # type: ignore[attr-defined]
    assert b"never served" not in body
    assert body.startswith((built / "404.html").read_bytes()[:200])


def raw_request(server: PreviewServer, request: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as raw:
        raw.sendall(request)
        answer = b""
        while chunk := raw.recv(65536):
            answer += chunk
    return answer


@pytest.mark.parametrize(
    ("host", "status"),
    [
        ("localhost", b"200"),
        ("127.0.0.1:8000", b"200"),
        ("[::1]:8000", b"200"),
        ("attacker.example", b"421"),
        ("attacker.example:8000", b"421"),
        ("127.0.0.1.attacker.example", b"421"),
    ],
)
def test_only_requests_for_this_host_are_answered(
    server: PreviewServer, host: str, status: bytes
) -> None:
    """A page elsewhere that rebinds its own name to 127.0.0.1 (DNS rebinding) sends that name
    as Host: it reads nothing."""
    answer = raw_request(
        server, f"GET / HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode()
    )
    assert answer.split(b" ", 2)[1] == status


@pytest.mark.parametrize("name", ["a" * 300, "长" * 105])
def test_a_name_too_long_for_the_file_system_gets_the_404_page(
    server: PreviewServer, name: str
) -> None:
    response = get(server, "/" + quote(name))
    assert response.status == 404


def test_an_absolute_url_in_the_request_line_is_not_a_way_out(server: PreviewServer) -> None:
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as raw:
        raw.sendall(b"GET http://127.0.0.1/../secret.txt HTTP/1.0\r\n\r\n")
        answer = b""
        while chunk := raw.recv(65536):
            answer += chunk
    assert answer.startswith(b"HTTP/1.0 404") or answer.startswith(b"HTTP/1.1 404")
    assert b"never served" not in answer


def test_misses_get_the_404_page_with_the_script_and_folders_redirect(
    server: PreviewServer,
) -> None:
    missing = get(server, "/speeches/no-such-speech/")
    assert missing.status == 404
    assert b'data-shown="404.html"' in missing.body  # type: ignore[attr-defined]
    assert b'data-requested="speeches/no-such-speech/index.html"' in missing.body  # type: ignore[attr-defined]
    folder = get(server, f"/speeches/{SLUG}")
    assert folder.status == 301 and folder.getheader("Location") == f"/speeches/{SLUG}/"
    head = get(server, "/", method="HEAD")
    assert head.status == 200 and head.body == b""  # type: ignore[attr-defined]


def test_a_sub_path_site_is_served_under_its_path(sample: Path) -> None:
    build_site(load_config(sample), base_url="/archive/", jobs=1)
    for server in _serve(sample / "site", "/archive/"):
        assert server.url("127.0.0.1").endswith("/archive/")
        root = get(server, "/")
        assert root.status == 301 and root.getheader("Location") == "/archive/"
        page = get(server, f"/archive/speeches/{SLUG}/")
        assert page.status == 200
        assert b'href="/archive/assets/css/site.' in page.body  # type: ignore[attr-defined]
        assert get(server, f"/speeches/{SLUG}/").status == 404
        assert get(server, "/archive/404.html").status == 200


def test_the_event_stream_delivers_published_updates(server: PreviewServer) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    connection.request("GET", EVENTS_PATH)
    response = connection.getresponse()
    assert response.getheader("Content-Type") == "text/event-stream; charset=utf-8"
    assert response.readline() == b"retry: 500\n"
    assert response.readline() == b"\n"
    server.hub.publish_update(["index.html"], {})
    line = response.readline()
    assert line.startswith(b"data: ")
    assert json.loads(line[6:]) == {"type": "update", "pages": ["index.html"], "assets": {}}
    connection.close()


def test_a_busy_port_moves_to_the_next_free_one(built: Path) -> None:
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        busy = holder.getsockname()[1]
        told: list[tuple[int, int]] = []
        server = bind(
            lambda port: PreviewServer(built, "/", "127.0.0.1", port, EventHub()),
            busy,
            lambda asked, got: told.append((asked, got)),
        )
        try:
            assert server.port > busy
            assert told == [(busy, server.port)]
        finally:
            server.server_close()


def test_no_free_port_is_an_error(built: Path) -> None:
    def always_busy(port: int) -> PreviewServer:
        raise OSError(errno.EADDRINUSE, "Address already in use")

    with pytest.raises(PortInUse):
        bind(always_busy, 8000)


def test_a_range_request_gets_just_that_part(server: PreviewServer, built: Path) -> None:
    """The search reads long posting lists by range, as from a static host."""
    feed = (built / "feed.xml").read_bytes()
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    connection.request("GET", "/feed.xml", headers={"Range": "bytes=10-19"})
    response = connection.getresponse()
    assert response.status == 206
    assert response.getheader("Content-Range") == f"bytes 10-19/{len(feed)}"
    assert response.read() == feed[10:20]
    connection.close()


def test_a_dropped_connection_prints_no_traceback(
    built: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A tab closed mid-answer resets the connection: nothing to report. Another failure is
    one line, never socketserver's traceback."""
    server = PreviewServer(built, "/", "127.0.0.1", 0, EventHub())
    try:
        for error in (ConnectionResetError(104, "Connection reset by peer"), BrokenPipeError()):
            try:
                raise error
            except OSError:
                server.handle_error(None, ("127.0.0.1", 50000))
        assert capsys.readouterr().err == ""
        try:
            raise ValueError("bad")
        except ValueError:
            server.handle_error(None, ("127.0.0.1", 50000))
        err = capsys.readouterr().err
        assert err == "serve: could not answer a request: ValueError: bad\n"
    finally:
        server.server_close()
