"""What one batch of changed files needs, and the messages it sends to the open tabs.

A raw speech (`content/raw/*.txt|.md|.docx|.doc|.wps|.odt|.rtf|.pdf|.html|.mht`) is ingested again (only that file; ingest never
overwrites a speech edited by hand); then the site is built. The build is incremental — only
pages whose inputs changed are rendered (a speech edit: its page and the indexes listing it; a
template: the pages using it) and only changed files are replaced — so the same build serves
every kind of change. It runs in two applied phases (phases.py): the pages, after which the
tabs showing a changed page reload, then the search index, which a newer change may cancel.
Comparing the build record before and after each phase tells the tabs what changed. A failed
build changes nothing on disk and is shown as an overlay instead.
"""

from __future__ import annotations

import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from rich.markup import escape

from generator.build import BuildResult, Progress, Urls
from generator.config import Config, load_config
from generator.errors import UserError
from generator.ingest.decode import SUPPORTED
from generator.ingest.pipeline import ingest
from generator.serve.changes import Update, diff
from generator.serve.livereload import ErrorReport, EventHub
from generator.serve.phases import PhasedBuilds, SearchWork

Log = Callable[[str], None]


@dataclass
class Outcome:
    """One rebuild, for the console and for tests: `build` and `update` are phase 1's (or the
    whole build's), `search` phase 2's result — None when there was none, when it failed
    (`error`) or when a newer change cancelled it (`superseded`)."""

    update: Update | None
    error: ErrorReport | None
    build: BuildResult | None
    seconds: float
    search: BuildResult | None = None
    superseded: bool = False


class _IngestFailed(Exception):
    def __init__(self, report: ErrorReport) -> None:
        super().__init__(report.message)
        self.report = report


class Rebuilder:
    """Runs a rebuild for a batch of paths; called by the debouncer, one batch at a time."""

    def __init__(
        self,
        root: Path,
        output: Path,
        base_url: str,
        hub: EventHub,
        log: Log,
        jobs: int | None = None,
        search_lock: threading.Lock | None = None,
    ) -> None:
        self.root = root
        self.output = output.resolve()
        self.base_url = base_url
        self.base_path = Urls(base_url).base_path
        self.hub = hub
        self.log = log
        self.builds = PhasedBuilds(self.output, base_url, jobs, search_lock or threading.Lock())
        # True when a newer batch waits (or serve stops): phase 2 then gives way at once.
        self.superseded: Callable[[], bool] = lambda: False
        # The output as site.yaml named it at start (None when --output chose it).
        self.configured_output: Path | None = None
        self._warned: list[str] = []

    def __call__(self, batch: set[Path]) -> None:
        self.run(batch)

    def close(self) -> None:
        """After the last batch: wait until cancelled search phases left nothing behind."""
        self.builds.close()

    def run(
        self,
        batch: set[Path],
        progress: Progress | None = None,
        announce: bool = True,
        split: bool = True,
    ) -> Outcome:
        """Ingest and build for `batch`; with `split` (every batch but the first build) in two
        phases. The tabs are told as soon as a phase's files are in the output."""
        started = time.perf_counter()
        told: list[tuple[Update, float]] = []

        def applied(before: dict[str, str], after: dict[str, str], result: BuildResult) -> None:
            update = self._changes(before, after, result)
            if update.pages or update.assets or self.hub.failing:
                self.hub.publish_update(update.pages, update.assets)
            told.append((update, time.perf_counter() - started))

        try:
            config = load_config(self.root)
            self._check_fixed_settings(config)
            self._ingest(batch, config)
            result, work = self.builds.pages(config, progress, split, applied)
        except Exception as err:
            return self._failed(_report(err, self.root), started)
        if not told:  # the inputs were those of the last build: nothing was applied
            applied({}, {}, result)
        update, seconds = told[0]
        if announce:
            self._report(update, seconds, result.seconds)
        outcome = Outcome(update, None, result, seconds)
        if work is not None:
            self._search(work, outcome, announce)
        return outcome

    def _search(self, work: SearchWork, outcome: Outcome, announce: bool) -> None:
        """Phase 2; tabs showing search results reload once the new index is in place."""
        started = time.perf_counter()
        told: list[Update] = []

        def applied(before: dict[str, str], after: dict[str, str], result: BuildResult) -> None:
            update = self._changes(before, after, result)
            if update.written:
                self.hub.publish_search()
            told.append(update)

        try:
            result = self.builds.search(work, self.superseded, applied)
        except Exception as err:
            outcome.error = self._failed(_report(err, self.root), started).error
            return
        if result is None:
            outcome.superseded = True
            if announce:
                self.log("search index: left to the next rebuild (a newer change came)")
            return
        outcome.search = result
        if announce:
            self.log(
                f"search index updated in {time.perf_counter() - started:.2f}s: "
                f"{len(told[0].written) if told else 0} files changed"
            )

    def _changes(
        self, before: dict[str, str], after: dict[str, str], result: BuildResult
    ) -> Update:
        """What a build changed: its records compared, only where it moved or deleted files
        (comparing 20,000 names to find three takes longer than the rest of telling the tabs)."""
        changed = set(result.changed)
        return diff(
            {name: before[name] for name in changed if name in before},
            {name: after[name] for name in changed if name in after},
            self.output,
            self.base_path,
        )

    def _check_fixed_settings(self, config: Config) -> None:
        """The server's folder and path are fixed while it runs: say so when site.yaml moves them."""
        moved = []
        if config.base_url != self.base_url:
            moved.append("base_url")
        if self.configured_output is not None and config.output.resolve() != self.configured_output:
            moved.append("output")
        if moved and moved != self._warned:
            self.log(
                f"[yellow]note:[/yellow] {' and '.join(moved)} changed in site.yaml; "
                "restart serve to use the new value"
            )
        self._warned = moved

    def _ingest(self, batch: set[Path], config: Config) -> None:
        raw_dir = config.raw_dir.resolve()
        raw = sorted(
            p
            for p in batch
            if p.suffix.lower() in SUPPORTED and p.is_file() and p.resolve().is_relative_to(raw_dir)
        )
        if not raw:
            return
        report = ingest(raw, config)
        for result in report.results:
            names = ", ".join(Path(p).name for p in result.paths)
            if result.error:
                raise _IngestFailed(ErrorReport(result.error, result.paths[0]))
            outcome = result.outcome.value if result.outcome else ""
            self.log(escape(f"ingested {names} → {result.slug} ({outcome})"))

    def _failed(self, report: ErrorReport, started: float) -> Outcome:
        self.hub.publish_error(report)
        self.log(f"[red]build failed:[/red] {escape(report.text)}")
        return Outcome(None, report, None, time.perf_counter() - started)

    def _report(self, update: Update, seconds: float, build_seconds: float) -> None:
        if not update.written:
            self.log(f"rebuilt in {seconds:.2f}s: nothing changed")
            return
        shown = ", ".join(update.pages[:3]) + (" …" if len(update.pages) > 3 else "")
        swapped = f", {len(update.assets)} assets renamed" if update.assets else ""
        self.log(
            escape(
                f"rebuilt in {seconds:.2f}s: {len(update.written)} files changed "
                f"(build {build_seconds:.2f}s), "
                f"{len(update.pages)} pages to reload{swapped}" + (f" ({shown})" if shown else "")
            )
        )


def _report(err: Exception, root: Path) -> ErrorReport:
    """A failed build as the overlay shows it."""
    if isinstance(err, _IngestFailed):
        return err.report
    if isinstance(err, UserError):
        return ErrorReport.from_error(err, root)
    if isinstance(err, OSError):
        where = err.filename if isinstance(err.filename, str) else None
        return ErrorReport(err.strerror or str(err), where)
    traceback.print_exc()  # a bug: report it, keep serving the last good site
    return ErrorReport(f"internal error: {err!r}")
