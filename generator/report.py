"""Terminal output: progress while working, one summary table at the end (rich)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console
from rich.markup import escape

if TYPE_CHECKING:  # the build's report must not import the ingest pipeline; and rich's
    # progress bar and table are imported where one is shown (a sixtieth of a second that an
    # edit's build, which shows neither, paid)
    from rich.progress import Progress, TaskID

    from generator.build import BuildResult
    from generator.deploy.publish import DeployResult
    from generator.ingest.pipeline import IngestReport

PROGRESS_MIN_FILES = 20


def progress_bar(console: Console, total: int, quiet: bool) -> Progress | None:
    """A progress bar for long runs on a terminal; None for short runs, pipes and CI logs."""
    if quiet or total < PROGRESS_MIN_FILES or not console.is_terminal:
        return None
    return _bar(console, "ingest", with_description=True)


def _bar(console: Console, label: str, with_description: bool) -> Progress:
    """rich's bar as both commands show it, gone once done: a bold label, the bar, how many of
    how many, the time taken, and (ingest's) the file at work. rich.progress is imported here,
    where a bar is shown: a build of one edit shows none."""
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    columns = [TextColumn(f"[bold]{label}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn()]
    if with_description:
        columns.append(TextColumn("{task.description}"))
    return Progress(*columns, console=console, transient=True)


def running(progress: Progress | None) -> AbstractContextManager[object]:
    return progress if progress is not None else nullcontext()


def print_ingest_report(console: Console, report: IngestReport, verbose: bool) -> None:
    for result in report.results:
        if result.error:
            console.print(
                f"[red]error:[/red] {escape(result.error)}", highlight=False, soft_wrap=True
            )
    from rich.table import Table

    table = Table(title="speechsite ingest", show_lines=False)
    for column in ("file", "encoding", "slug", "outline", "warnings", "result"):
        table.add_column(column, overflow="fold")
    for result in report.results:
        name = escape("\n".join(Path(p).name for p in result.paths))
        status = "[red]failed" if result.error else (result.outcome.value if result.outcome else "")
        if result.incomplete:
            status += " (incomplete)"
        table.add_row(
            name,
            escape(result.encoding),
            result.slug,
            str(result.outline_items) if not result.error else "",
            str(len(result.warnings)) if result.warnings else "",
            status,
        )
    console.print(table)
    for unread in report.unread:
        console.print(
            f"[yellow]warning:[/yellow] {escape(unread)}", highlight=False, soft_wrap=True
        )
    for result in report.results:
        for warning in result.warnings:
            console.print(
                f"[yellow]warning:[/yellow] {escape(warning)}", highlight=False, soft_wrap=True
            )
        if verbose:
            for removed in result.removed:
                console.print(
                    f"  removed {result.paths[0]}:{removed.line} ({removed.reason}): {removed.text}",
                    highlight=False,
                    markup=False,
                    soft_wrap=True,
                )
    _print_totals(console, report)


def _print_totals(console: Console, report: IngestReport) -> None:
    outcomes = Counter(r.outcome.value for r in report.results if r.outcome)
    encodings = Counter(r.encoding for r in report.results if r.encoding)
    parts = [f"{len(report.results)} speeches"]
    parts += [f"{n} {name}" for name, n in sorted(outcomes.items())]
    if report.failed:
        parts.append(f"{len(report.failed)} failed")
    warnings = sum(len(r.warnings) for r in report.results)
    parts.append(f"{warnings} warnings")
    if report.unread:
        parts.append(f"{len(report.unread)} files not read")
    console.print(
        ", ".join(parts)
        + "; encodings: "
        + ", ".join(f"{name} ×{n}" for name, n in sorted(encodings.items())),
        highlight=False,
    )


@contextmanager
def build_progress(
    console: Console, quiet: bool
) -> Iterator[Callable[[str, int, int], None] | None]:
    """A progress bar for long builds on a terminal; yields the callback the build calls."""
    if quiet or not console.is_terminal:
        yield None
        return
    progress = _bar(console, "{task.description}", with_description=False)
    tasks: dict[str, TaskID] = {}

    def update(stage: str, done: int, total: int) -> None:
        if total < 500:
            return
        if stage not in tasks:
            tasks[stage] = progress.add_task(stage, total=total)
        progress.update(tasks[stage], completed=done)

    with progress:
        yield update


def print_build_result(console: Console, result: BuildResult) -> None:
    stages = ", ".join(f"{name} {seconds:.2f}s" for name, seconds in result.timings.items())
    console.print(
        f"built {result.pages} pages into {result.output} in {result.seconds:.2f}s: "
        f"{result.rendered} rendered, {result.written} files written, {result.unchanged} unchanged, "
        f"{result.removed} removed ({stages})",
        highlight=False,
        soft_wrap=True,
    )


def print_deploy_result(console: Console, result: DeployResult, verbose: bool) -> None:
    """What was built and checked, then what was (or would be) published, and the URL."""

    def say(text: str) -> None:
        console.print(text, highlight=False, soft_wrap=True)

    check = result.check
    source = result.source
    if source.commit is None:
        origin = "the project as it is (no git commit)"
    else:
        origin = f"commit {source.commit[:12]}" + (
            " with uncommitted changes" if source.dirty else ""
        )
    say(
        f"built {result.build.pages} pages from {escape(origin)} for {escape(result.base_url)}; "
        f"checked {check.links} internal links in {check.pages} files: none broken"
    )
    changes = result.changes
    where = escape(result.where)
    counts = (
        f"{len(changes.added)} added, {len(changes.changed)} changed, "
        f"{len(changes.removed)} removed, {changes.bytes:,} bytes"
    )
    if changes.empty:
        say(f"[green]nothing to publish:[/green] {where} already holds this build")
    elif result.dry_run:
        for line in changes.listing():
            say(f"  {escape(line)}")
        say(
            f"[yellow]dry run:[/yellow] deploying to {where} would add {len(changes.added)} "
            f"files, change {len(changes.changed)} and remove {len(changes.removed)} "
            f"({changes.bytes:,} bytes to send); nothing was changed"
        )
    else:
        if verbose:
            for line in changes.listing():
                say(f"  {escape(line)}")
        say(f"[green]published[/green] to {where} in {result.seconds:.1f}s: {counts}")
    say(f"  {escape(result.base_url)}")
