"""`speechsite serve` as a user runs it: a child process, stopped with Ctrl-C (SIGINT)."""

from __future__ import annotations

import shutil
import signal
import socket
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from generator.build import read_marker
from generator.cli import main
from scripts.serve_process import ServeProcess

SLUG = "quan-shi-shen-hua-ji-guan-zuo-feng-zheng-dun-ling-dao-xiao"


def leftovers(project: Path) -> list[Path]:
    """Staging folders and temporary files a build or a write could leave behind."""
    return [
        p
        for p in project.parent.rglob("*")
        if ".staging-" in p.name or p.name.endswith(".tmp") or p.name.startswith("tmp")
    ]


def test_ctrl_c_stops_cleanly(sample: Path) -> None:
    serve = ServeProcess(sample).start()
    assert serve.url.startswith("http://127.0.0.1:")
    with urllib.request.urlopen(serve.url + f"speeches/{SLUG}/") as response:
        assert b"__speechsite/livereload.js" in response.read()
    assert serve.stop(timeout=20) == 0, serve.output
    assert "stopped" in serve.output
    assert "Traceback" not in serve.output
    assert not leftovers(sample)
    port = int(serve.url.split(":")[2].split("/")[0])
    with pytest.raises(ConnectionRefusedError):  # nothing listens any more
        socket.create_connection(("127.0.0.1", port), timeout=5).close()


def test_ctrl_c_during_a_rebuild_leaves_no_staging_folder(sample: Path) -> None:
    serve = ServeProcess(sample).start()
    speech = sample / "content" / "speeches" / f"{SLUG}.md"
    speech.write_text(speech.read_text(encoding="utf-8") + "\n新增一句。\n", encoding="utf-8")
    time.sleep(0.08)  # past the debounce: the rebuild is starting or running
    serve.process.send_signal(signal.SIGINT)
    assert serve.stop(timeout=30) == 0, serve.output
    assert "Traceback" not in serve.output
    assert not leftovers(sample)


def test_one_ctrl_c_stops_serve_while_it_rebuilds(sample: Path) -> None:
    """The kernel may hand a Ctrl-C to any thread; one that went to the rebuild's or the
    server's left the main thread asleep in a wait without a timeout, and serve stopped only at
    a second Ctrl-C (about one run in eight). Several runs, one Ctrl-C each."""
    speech = sample / "content" / "speeches" / f"{SLUG}.md"
    text = speech.read_text(encoding="utf-8")
    for run in range(6):
        serve = ServeProcess(sample).start()
        speech.write_text(text + f"\n新增一句{run}。\n", encoding="utf-8")
        time.sleep(0.08)  # past the debounce: the rebuild is starting or running
        serve.process.send_signal(signal.SIGINT)
        try:
            assert serve.process.wait(10) == 0, serve.output
        finally:
            serve.stop(timeout=30)


def test_a_second_ctrl_c_while_stopping_does_not_cut_the_cleanup_short(sample: Path) -> None:
    """An impatient user presses Ctrl-C again while serve stops (waiting for a rebuild): the
    stop still completes — watcher, rebuild and server closed, nothing left behind."""
    serve = ServeProcess(sample).start()
    speech = sample / "content" / "speeches" / f"{SLUG}.md"
    speech.write_text(speech.read_text(encoding="utf-8") + "\n新增一句。\n", encoding="utf-8")
    time.sleep(0.08)  # past the debounce: the rebuild is starting or running
    for _ in range(5):  # (the first stops serve; the others land while it stops)
        serve.process.send_signal(signal.SIGINT)
        time.sleep(0.01)
    assert serve.stop(timeout=30) == 0, serve.output
    assert "stopped" in serve.output
    assert "Traceback" not in serve.output
    assert not leftovers(sample)


def test_a_busy_port_is_reported_and_the_next_free_one_used(sample: Path) -> None:
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        busy = holder.getsockname()[1]
        with ServeProcess(sample, "--port", str(busy)) as serve:
            assert f"port {busy} is in use" in serve.output
            assert f":{busy}/" not in serve.url
            with urllib.request.urlopen(serve.url) as response:
                assert response.status == 200


def test_a_build_or_a_second_serve_while_serving_is_refused(
    sample: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Two processes writing one build cache corrupted it for good: while serve runs, a build
    of the same project, or another serve, stops at once and says why."""
    with ServeProcess(sample, "--port", "0") as serve:
        assert main(["-C", str(sample), "build", "--quiet"]) == 2
        assert f"another speechsite process (pid {serve.process.pid})" in capsys.readouterr().err
        assert main(["-C", str(sample), "serve", "--port", "0"]) == 2
        assert "another speechsite process" in capsys.readouterr().err
    assert main(["-C", str(sample), "build", "--quiet"]) == 0


def test_serve_writes_exactly_what_build_writes(sample: Path, tmp_path: Path) -> None:
    twin = tmp_path / "twin"
    shutil.copytree(sample, twin)
    with ServeProcess(sample):
        pass
    assert main(["-C", str(twin), "build", "--quiet"]) == 0
    served, built = read_marker(sample / "site"), read_marker(twin / "site")
    assert served and served == built
    for name in served:
        assert b"__speechsite" not in (sample / "site" / name).read_bytes()


def test_a_broken_site_yaml_at_start_is_an_error(sample: Path, capsys: object) -> None:
    (sample / "site.yaml").write_text("topcis: {}\n", encoding="utf-8")
    assert main(["-C", str(sample), "serve", "--port", "0"]) == 2


@pytest.mark.parametrize("output", ["foreign", ".."])
def test_an_output_the_build_may_not_write_is_never_served(
    sample: Path, output: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """A folder speechsite did not create, or the project's parent, was refused by the build
    and then served all the same (its files, site.yaml among them, readable over HTTP). serve
    now stops with the build's refusal before it binds a port."""
    foreign = sample / "foreign"
    foreign.mkdir()
    (foreign / "private.txt").write_text("not for the web")
    code = main(["-C", str(sample), "serve", "--port", "0", "--output", str(sample / output)])
    assert code == 2
    err = capsys.readouterr().err
    assert "refusing" in err or "contain the project" in err
    assert "serving" not in err


def test_a_host_that_is_not_this_machine_is_a_clear_error(
    sample: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["-C", str(sample), "serve", "--host", "10.255.255.1", "--port", "0"]) == 2
    err = capsys.readouterr().err
    assert "cannot listen on 10.255.255.1" in err
    assert "--host takes" in err


def test_a_bad_port_is_an_error(sample: Path) -> None:
    assert main(["-C", str(sample), "serve", "--port", "70000"]) == 2


def test_a_build_that_fails_at_start_still_serves_and_recovers(sample: Path) -> None:
    speech = sample / "content" / "speeches" / f"{SLUG}.md"
    good = speech.read_text(encoding="utf-8")
    speech.write_text(good.replace("title: ", "title: [unclosed ", 1), encoding="utf-8")
    with ServeProcess(sample) as serve:
        assert "build failed" in serve.output and f"{SLUG}.md" in serve.output
        try:
            urllib.request.urlopen(serve.url)
            raise AssertionError("nothing was built: the home page must be a 404")
        except urllib.error.HTTPError as err:
            assert err.code == 404
            assert b"__speechsite/livereload.js" in err.read()  # so the overlay can show
        speech.write_text(good, encoding="utf-8")
        serve.wait_for_output("rebuilt in")
        with urllib.request.urlopen(serve.url + f"speeches/{SLUG}/") as response:
            assert response.status == 200
