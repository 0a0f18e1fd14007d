"""The injected script goes before the last </body>; the event hub delivers every message."""

from __future__ import annotations

import json
import threading
from pathlib import Path

from generator.errors import UserError
from generator.serve.livereload import SCRIPT_PATH, ErrorReport, EventHub, client_script, inject


def test_the_script_goes_before_the_last_closing_body_tag() -> None:
    html = b"<html><body><p>\xe8\xae\xb2</p><pre>&lt;/body&gt;</pre></BODY >\n</html>\n"
    out = inject(html, "speeches/a/index.html", "speeches/a/index.html")
    tag_at = out.index(SCRIPT_PATH.encode())
    assert tag_at < out.index(b"</BODY >")
    assert out.startswith(html[: html.index(b"</BODY >")])
    assert out.endswith(b"</BODY >\n</html>\n")
    assert b'data-shown="speeches/a/index.html"' in out


def test_without_a_body_tag_the_script_is_appended() -> None:
    out = inject(b"<p>fragment</p>", "x.html", "x.html")
    assert out.startswith(b"<p>fragment</p><script src=")


def test_names_are_escaped_in_the_attributes() -> None:
    out = inject(b"</body>", "404.html", 'a"><script>alert(1)</script>/index.html')
    assert b"<script>alert(1)" not in out
    assert b"a&quot;&gt;&lt;script&gt;" in out


def test_the_client_builds_the_overlay_from_text_nodes_only() -> None:
    script = client_script().decode()
    assert "textContent" in script
    assert "innerHTML" not in script and "insertAdjacentHTML" not in script


def test_listeners_get_every_message_after_their_position() -> None:
    hub = EventHub()
    position, error = hub.position()
    assert error is None
    hub.publish_update(["index.html"], {})
    hub.publish_update([], {"/assets/a.1111111111.css": "/assets/a.2222222222.css"})
    waited = hub.wait(position, 1.0)
    assert waited is not None
    new_position, messages = waited
    assert [json.loads(m)["type"] for m in messages] == ["update", "update"]
    assert json.loads(messages[0])["pages"] == ["index.html"]
    assert hub.wait(new_position, 0.01) == (new_position, [])


def test_a_listener_that_connects_after_a_failure_sees_the_error_first() -> None:
    hub = EventHub()
    hub.publish_error(ErrorReport("malformed YAML", "content/speeches/a.md", 3, "fix it"))
    assert hub.failing
    _, error = hub.position()
    assert error is not None and json.loads(error)["line"] == 3
    hub.publish_update([], {})
    assert not hub.failing
    assert hub.position()[1] is None


def test_a_waiting_listener_wakes_when_a_message_arrives_or_the_hub_closes() -> None:
    hub = EventHub()
    results: list[object] = []
    position, _ = hub.position()
    listener = threading.Thread(target=lambda: results.append(hub.wait(position, 10.0)))
    listener.start()
    hub.publish_update(["a.html"], {})
    listener.join(5)
    assert results and results[0] is not None
    closing = threading.Thread(target=lambda: results.append(hub.wait(position + 1, 10.0)))
    closing.start()
    hub.close()
    closing.join(5)
    assert not closing.is_alive() and results[1] is None


def test_the_log_keeps_only_recent_history() -> None:
    hub = EventHub()
    for index in range(150):
        hub.publish_update([f"{index}.html"], {})
    waited = hub.wait(0, 0.01)
    assert waited is not None
    position, messages = waited
    assert position == 150 and len(messages) == 100
    assert json.loads(messages[0])["pages"] == ["50.html"]


def test_error_reports_name_the_file_relative_to_the_project(tmp_path: Path) -> None:
    err = UserError("bad", tmp_path / "content" / "a.md", 4, "hint")
    report = ErrorReport.from_error(err, tmp_path)
    assert (report.path, report.line, report.hint) == ("content/a.md", 4, "hint")
    assert report.text == "content/a.md:4: bad (hint)"
    outside = ErrorReport.from_error(UserError("bad", "/elsewhere/x.html"), tmp_path)
    assert outside.path == "/elsewhere/x.html"
