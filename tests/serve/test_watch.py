"""The debouncer coalesces bursts and never runs two batches at once; the watcher reports the
files an editor saves (also through a temporary file renamed into place), not its debris."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from pathlib import Path

from generator.serve.watch import Debouncer, is_debris, watch


class Recorder:
    """An action that records its batches and how many ran at the same time."""

    def __init__(self, seconds: float = 0.0) -> None:
        self.seconds = seconds
        self.batches: list[set[Path]] = []
        self.running = 0
        self.most = 0
        self.lock = threading.Lock()
        self.done = threading.Event()

    def __call__(self, batch: set[Path]) -> None:
        with self.lock:
            self.running += 1
            self.most = max(self.most, self.running)
        time.sleep(self.seconds)
        with self.lock:
            self.running -= 1
            self.batches.append(batch)
        self.done.set()


def wait_until(condition: object, timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.005)


def test_a_burst_becomes_one_batch() -> None:
    action = Recorder()
    debouncer = Debouncer(action, quiet=0.1, longest=5.0)
    debouncer.start()
    try:
        for index in range(50):  # a git checkout: many files, a few ms apart
            debouncer.add([Path(f"f{index % 10}.md")])
            time.sleep(0.002)
        wait_until(lambda: action.batches)
        time.sleep(0.3)
        assert len(action.batches) == 1
        assert action.batches[0] == {Path(f"f{i}.md") for i in range(10)}
    finally:
        debouncer.stop()


def test_a_stream_that_never_pauses_is_still_built_after_the_longest_wait() -> None:
    action = Recorder()
    debouncer = Debouncer(action, quiet=0.2, longest=0.3)
    debouncer.start()
    try:
        started = time.monotonic()
        while not action.batches:
            debouncer.add([Path("a.md")])
            time.sleep(0.02)
            assert time.monotonic() - started < 3.0, "a continuous stream starved the build"
    finally:
        debouncer.stop()


def test_changes_during_a_build_wait_for_the_next_one_and_builds_never_overlap() -> None:
    action = Recorder(seconds=0.3)
    debouncer = Debouncer(action, quiet=0.02)
    debouncer.start()
    try:
        debouncer.add([Path("a.md")])
        wait_until(lambda: action.running == 1)
        for name in ("b.md", "c.md", "d.md"):
            debouncer.add([Path(name)])
            time.sleep(0.05)
        wait_until(lambda: len(action.batches) == 2)
        assert action.batches == [{Path("a.md")}, {Path("b.md"), Path("c.md"), Path("d.md")}]
        assert action.most == 1
    finally:
        debouncer.stop()


def test_stop_waits_for_the_running_batch_and_starts_no_other() -> None:
    action = Recorder(seconds=0.3)
    debouncer = Debouncer(action, quiet=0.01)
    debouncer.start()
    debouncer.add([Path("a.md")])
    wait_until(lambda: action.running == 1)
    debouncer.add([Path("b.md")])
    debouncer.stop()
    assert action.running == 0
    assert action.batches == [{Path("a.md")}]


def test_editor_debris_is_ignored() -> None:
    for name in (".a.md.swp", "a.md~", "#a.md#", ".#a.md", "4913", "a.md.tmp", ".a.md.123.tmp"):
        assert is_debris(Path(name)), name
    for name in ("a.md", "site.css", "base.html", "site.yaml", "2024.txt"):
        assert not is_debris(Path(name)), name


def _collector() -> tuple[set[Path], threading.Lock, Callable[[list[Path]], None]]:
    """The paths a watcher reports (resolved), the lock they are added under, and its sink."""
    seen: set[Path] = set()
    lock = threading.Lock()

    def sink(paths: list[Path]) -> None:
        with lock:
            seen.update(path.resolve() for path in paths)

    return seen, lock, sink


def test_the_watcher_reports_saves_renames_and_the_config_file(tmp_path: Path) -> None:
    content = tmp_path / "content"
    (content / "speeches").mkdir(parents=True)
    (content / ".backups").mkdir()
    config = tmp_path / "site.yaml"
    config.write_text("title: a\n")
    seen, lock, sink = _collector()
    observer = watch([content, content / "speeches"], [config], sink)
    try:
        speech = content / "speeches" / "a.md"
        temporary = content / "speeches" / ".a.md.1234.tmp"
        temporary.write_text("new text")  # save-as-temp-then-rename
        os.replace(temporary, speech)
        (content / ".backups" / "old.md").write_text("backup")
        (tmp_path / "other.txt").write_text("not watched")
        config.write_text("title: b\n")
        wait_until(lambda: {speech.resolve(), config.resolve()} <= seen)
        time.sleep(0.1)
        with lock:
            assert seen == {speech.resolve(), config.resolve()}
    finally:
        observer.stop()
        observer.join()


def test_a_watched_folder_made_after_the_watch_began_is_watched(tmp_path: Path) -> None:
    """A new project has no themes/: made while serve ran, the theme's templates and CSS were
    never seen, though serve said it watched themes/."""
    themes = tmp_path / "themes"
    config = tmp_path / "site.yaml"
    config.write_text("title: a\n")
    seen, _, sink = _collector()
    observer = watch([themes], [config], sink)
    try:
        (themes / "mine" / "templates").mkdir(parents=True)
        wait_until(lambda: themes.resolve() in seen)
        template = themes / "mine" / "templates" / "topics.html"
        template.write_text("{% extends 'default/topics.html' %}")
        wait_until(lambda: template.resolve() in seen)
    finally:
        observer.stop()
        observer.join()


def test_a_watched_folder_made_two_levels_deep_after_the_watch_began_is_watched(
    tmp_path: Path,
) -> None:
    """content/speeches/ missing with content/ itself: content/ was made, then speeches/ in
    it, and neither it nor its speeches were ever seen."""
    speeches = tmp_path / "content" / "speeches"
    config = tmp_path / "site.yaml"
    config.write_text("title: a\n")
    seen, _, sink = _collector()
    observer = watch([speeches], [config], sink)
    try:
        (tmp_path / "content").mkdir()
        time.sleep(0.3)  # (the watch of content/ begins as its creation is reported)
        speeches.mkdir()
        wait_until(lambda: speeches.resolve() in seen)
        speech = speeches / "new.md"
        speech.write_text("---\ntitle: x\n---\n")
        wait_until(lambda: speech.resolve() in seen)
    finally:
        observer.stop()
        observer.join()


def test_a_failing_batch_does_not_stop_later_ones(capsys: object) -> None:
    batches: list[set[Path]] = []

    def action(batch: set[Path]) -> None:
        batches.append(batch)
        if len(batches) == 1:
            raise RuntimeError("a bug")

    debouncer = Debouncer(action, quiet=0.01)
    debouncer.start()
    try:
        debouncer.add([Path("a.md")])
        wait_until(lambda: len(batches) == 1)
        time.sleep(0.05)
        debouncer.add([Path("b.md")])
        wait_until(lambda: len(batches) == 2)
    finally:
        debouncer.stop()


def test_pending_says_whether_a_newer_batch_waits() -> None:
    """What a running rebuild's search phase asks, to give way to a newer change."""
    seen: list[bool] = []
    debouncer = Debouncer(lambda batch: seen.append(debouncer.pending()), quiet=0.05)
    assert not debouncer.pending()
    debouncer.add([Path("a.md")])
    assert debouncer.pending()
    debouncer.start()
    try:
        wait_until(lambda: seen)
        assert seen == [False]  # the batch taken, nothing newer
        assert not debouncer.pending()
    finally:
        debouncer.stop()
    assert debouncer.pending()  # stopping: a running step gives way too
