"""What one batch of changed files needs, and the message it sends to the open tabs.

A raw speech (`content/raw/*.txt|.docx`) is ingested again (only that file; ingest never
overwrites a speech edited by hand); then the site is built. The build is incremental — only
pages whose inputs changed are rendered (a speech edit: its page and the indexes listing it; a
template: the pages using it) and only changed files are replaced — so the same `build_site`
call serves every kind of change. Comparing the build record before and after tells the tabs
what changed. A failed build changes nothing on disk and is shown as an overlay instead.
"""

from __future__ import annotations

import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from rich.markup import escape

from generator.build import BuildResult, Progress, Urls, build_site, read_marker
from generator.config import Config, load_config
from generator.errors import UserError
from generator.ingest.pipeline import SUPPORTED, ingest
from generator.serve.changes import Update, diff
from generator.serve.livereload import ErrorReport, EventHub

Log = Callable[[str], None]


@dataclass
class Outcome:
    """One rebuild, for the console and for tests."""

    update: Update | None
    error: ErrorReport | None
    build: BuildResult | None
    seconds: float


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
    ) -> None:
        self.root = root
        self.output = output.resolve()
        self.base_url = base_url
        self.base_path = Urls(base_url).base_path
        self.hub = hub
        self.log = log
        self.jobs = jobs
        # The output as site.yaml named it at start (None when --output chose it).
        self.configured_output: Path | None = None
        self._warned: list[str] = []

    def __call__(self, batch: set[Path]) -> None:
        self.run(batch)

    def run(
        self, batch: set[Path], progress: Progress | None = None, announce: bool = True
    ) -> Outcome:
        started = time.perf_counter()
        before = read_marker(self.output)
        try:
            config = load_config(self.root)
            self._check_fixed_settings(config)
            self._ingest(batch, config)
            result = build_site(
                config,
                output=self.output,
                base_url=self.base_url,
                jobs=self.jobs,
                progress=progress,
            )
        except UserError as err:
            return self._failed(ErrorReport.from_error(err, self.root), started)
        except _IngestFailed as failed:
            return self._failed(failed.report, started)
        except OSError as err:
            where = err.filename if isinstance(err.filename, str) else None
            return self._failed(ErrorReport(err.strerror or str(err), where), started)
        except Exception as err:  # a bug: report it, keep serving the last good site
            traceback.print_exc()
            return self._failed(ErrorReport(f"internal error: {err!r}"), started)
        update = diff(before, read_marker(self.output), self.output, self.base_path)
        if update.pages or update.assets or self.hub.failing:
            self.hub.publish_update(update.pages, update.assets)
        seconds = time.perf_counter() - started
        if announce:
            self._report(update, seconds, result.seconds)
        return Outcome(update, None, result, seconds)

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
