"""The `speechsite` command: parse arguments, run one stage, print errors without tracebacks."""

from __future__ import annotations

import argparse
import contextlib
import errno
import os
import sys
from collections.abc import Callable
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from generator import __version__
from generator.config import load_config
from generator.errors import UserError

if TYPE_CHECKING:
    from rich.console import Console

DESCRIPTION = """\
speechsite turns a folder of raw Chinese speeches (讲话稿) into a clean, searchable archive.

  speechsite ingest                 clean content/raw/ into content/speeches/*.md
  speechsite ingest FILE_OR_DIR...  ingest particular files or folders
  speechsite build                  build the website into site/
  speechsite deploy [TARGET]        build afresh, check and publish (git branch, folder, rsync)
  speechsite serve                  build, preview on http://127.0.0.1:8000/, reload on change

Settings live in site.yaml at the project root (see README.md)."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="speechsite",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"speechsite {__version__}")
    parser.add_argument(
        "-C",
        "--root",
        type=Path,
        default=Path("."),
        help="project folder holding site.yaml and content/ (default: current folder)",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.required = True
    ingest = commands.add_parser(
        "ingest",
        help="clean raw speeches (.txt, .md, .docx, .html) into Markdown with front matter",
        description=(
            "Read raw speeches (.txt in UTF-8, UTF-16 or GB18030/GBK; .docx), remove boilerplate, "
            "normalise whitespace and punctuation, detect title, speaker, occasion, date, topics and "
            "outline, and write content/speeches/<slug>.md. Files edited by hand are never "
            "overwritten unless --force, which keeps a backup in content/.backups/."
        ),
    )
    ingest.add_argument(
        "paths",
        nargs="*",
        type=Path,
        metavar="PATH",
        help="files or folders to ingest (default: the raw folder from site.yaml, content/raw/)",
    )
    ingest.add_argument(
        "--force",
        action="store_true",
        help="overwrite speeches edited by hand (a backup is kept first)",
    )
    ingest.add_argument("-q", "--quiet", action="store_true", help="print only errors and warnings")
    ingest.add_argument(
        "-v", "--verbose", action="store_true", help="also list every line removed as boilerplate"
    )
    _add_build(commands)
    _add_deploy(commands)
    _add_serve(commands)
    return parser


def _add_build(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    build = commands.add_parser(
        "build",
        help="build the static site from content/speeches/ and the theme",
        description=(
            "Render every speech, topic index, archive listing, feed, the sitemap and the search "
            "index into the output folder (site/ by default). Only pages whose input changed are "
            "rendered again; the output is replaced only when the whole build succeeded."
        ),
    )
    build.add_argument(
        "--base-url",
        metavar="URL",
        help="the URL the site will be served from, e.g. https://example.org/archive/",
    )
    build.add_argument(
        "--output",
        "-o",
        type=Path,
        metavar="DIR",
        help="output folder (default: 'output' in site.yaml, site/)",
    )
    build.add_argument(
        "--jobs", "-j", type=int, metavar="N", help="worker processes (default: all cores)"
    )
    build.add_argument("-q", "--quiet", action="store_true", help="print only errors")


def _add_deploy(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    deploy = commands.add_parser(
        "deploy",
        help="build afresh, check the links and publish to a git branch, a folder or rsync",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description=(
            "Build the site from scratch for the target's base_url, check every internal link "
            "and asset, and publish it. Refuses when the build fails, a link is broken, or the "
            "speeches, themes or site.yaml have uncommitted changes (--allow-dirty).\n\n"
            "  speechsite deploy                      the default target of site.yaml\n"
            "  speechsite deploy NAME                 a target of site.yaml (deploy.targets)\n"
            "  speechsite deploy git REPO             commit to the gh-pages branch of REPO, push\n"
            "  speechsite deploy dir DEST             mirror into a folder, or host:path (rsync)"
        ),
    )
    deploy.add_argument(
        "where",
        nargs="*",
        metavar="TARGET",
        help="a target name, or `git REPO`, or `dir DEST`",
    )
    deploy.add_argument(
        "-n",
        "--dry-run",
        action="store_true",
        help="list exactly what would be added, changed and removed; change nothing",
    )
    deploy.add_argument(
        "--allow-dirty",
        action="store_true",
        help="publish even if content, themes or site.yaml have uncommitted changes",
    )
    deploy.add_argument("--base-url", metavar="URL", help="build for this URL instead")
    deploy.add_argument("--branch", help="git: the branch to publish to (default gh-pages)")
    deploy.add_argument("--cname", metavar="HOST", help="git: write a CNAME file (GitHub Pages)")
    deploy.add_argument(
        "--rsh", metavar="COMMAND", help="rsync: the remote shell, e.g. 'ssh -p 2222'"
    )
    deploy.add_argument(
        "--jobs", "-j", type=int, metavar="N", help="build worker processes (default: all cores)"
    )
    deploy.add_argument("-q", "--quiet", action="store_true", help="print only errors")
    deploy.add_argument(
        "-v", "--verbose", action="store_true", help="list every file published or removed"
    )


def _add_serve(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    serve = commands.add_parser(
        "serve",
        help="build, serve the site locally and rebuild it as files change (live reload)",
        description=(
            "Build the site, serve it on http://127.0.0.1:8000/ under the path of base_url, and "
            "watch content/, the raw folder, themes/ and site.yaml: a change is rebuilt (a raw "
            "file is ingested first) and the open pages reload themselves. A failed build keeps "
            "the last good site and shows the error over the page. Ctrl-C stops it."
        ),
    )
    serve.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1 only)"
    )
    serve.add_argument(
        "--port",
        "-p",
        type=int,
        default=8000,
        help="port (default: 8000; when taken, the next free one)",
    )
    serve.add_argument(
        "--output",
        "-o",
        type=Path,
        metavar="DIR",
        help="output folder (default: 'output' in site.yaml, site/)",
    )
    serve.add_argument(
        "--jobs", "-j", type=int, metavar="N", help="worker processes (default: all cores)"
    )
    serve.add_argument("-q", "--quiet", action="store_true", help="no progress bar")


_built = False  # set once a build's files are all written and closed: `run` may end at once


def run() -> NoReturn:
    """The command line's entry point. After a build, the process ends without the
    interpreter's teardown: a build of 10,000 speeches leaves millions of objects it would
    free one by one, a third of a second the user waits for nothing (every file is written
    and closed by then, and the output flushed here). Other commands end as usual."""
    code = main()
    if _built:
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except OSError:  # a reader that went away (`| head`): nothing more to tell it
                code = code or 1
        os._exit(code)
    raise SystemExit(code)


class _Consoles:
    """rich's consoles, made when first used: importing rich takes 40–60 ms, which a quiet
    build that succeeds never needs (a tenth of a no-change build's time)."""

    # (emoji=False: a file or title holding :smile: or :cn: is printed as it is, not as an
    # emoji, and rich's table of emoji codes is never loaded)
    @cached_property
    def out(self) -> Console:
        from rich.console import Console

        return Console(stderr=False, highlight=False, emoji=False)

    @cached_property
    def err(self) -> Console:
        from rich.console import Console

        return Console(stderr=True, highlight=False, emoji=False)


def escape(text: str) -> str:
    """Text shown as it is, not as rich markup."""
    from rich.markup import escape as rich_escape

    return rich_escape(text)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    consoles = _Consoles()
    _stop_on_terminate()
    try:
        if args.command == "ingest":
            return _ingest(args, consoles.out)
        if args.command == "build":
            return _build(args, consoles)
        if args.command == "deploy":
            return _deploy(args, consoles.out)
        if args.command == "serve":
            return _serve(args, consoles.out)
    except UserError as err:
        consoles.err.print(f"[red]error:[/red] {escape(str(err))}", soft_wrap=True)
        return 2
    except OSError as err:  # the output folder is not writable, the disk is full, …
        consoles.err.print(f"[red]error:[/red] {escape(_os_error(err, args))}", soft_wrap=True)
        return 1
    except KeyboardInterrupt:
        consoles.err.print("interrupted")
        return 130
    except Exception as exc:  # a bug: say so in a line, the traceback only when asked for
        if os.environ.get(DEBUG_VARIABLE):
            raise
        message = escape(f"{type(exc).__name__}: {exc}")
        consoles.err.print(
            f"[red]internal error:[/red] {message}\nThis is a bug in speechsite. Run the "
            f"command again with {DEBUG_VARIABLE}=1 to see where it happened, and please "
            "report it with that output.",
            soft_wrap=True,
        )
        return 70  # (EX_SOFTWARE)
    return 2


DEBUG_VARIABLE = "SPEECHSITE_DEBUG"


def _os_error(err: OSError, args: argparse.Namespace) -> str:
    """The message of a system error: the file, what happened, and what to do — a full disk
    said only "No space left on device", naming no file (the system names none for a write)."""
    where = (
        f"{err.filename}: " if err.filename else f"{Path(getattr(args, 'root', '.')).resolve()}: "
    )
    what = err.strerror or str(err)
    if err.errno == errno.ENOSPC:
        return (
            f"{where}{what} (free some space on that disk and run the command again; no file "
            "that was there was damaged: every write is atomic)"
        )
    if err.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"{where}{what} (check that the folder is writable by you)"
    return where + what


def _stop_on_terminate() -> None:
    """SIGTERM (a CI timeout, `timeout`, `docker stop`, systemd) stops a command as Ctrl-C
    does: the staging folder and the lock are cleaned up on the way out, where the default
    action ended the process on the spot and left them behind."""
    import signal

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    if signal.getsignal(signal.SIGTERM) == signal.SIG_DFL:
        signal.signal(signal.SIGTERM, interrupt)


def _ingest(args: argparse.Namespace, console: Console) -> int:
    from generator.ingest.pipeline import collect_files, ingest, unread_files
    from generator.report import print_ingest_report, progress_bar, running

    root: Path = args.root
    config = load_config(root)
    # Like git -C and make -C: relative paths are read from the project folder.
    paths = [p if p.is_absolute() else root / p for p in args.paths] or [config.raw_dir]
    for path in paths:
        if not path.exists():
            raise UserError(
                "no such file or folder",
                path,
                hint="give a .txt, .md, .docx or .html file, or a folder",
            )
        _not_the_speeches(path, config.speeches_dir)
    total = len(collect_files(paths))
    if total == 0:
        unread = unread_files(paths, root)
        raise UserError(
            "no .txt, .md, .docx or .html files found",
            paths[0],
            hint="; ".join(unread[:3]) if unread else "put raw speeches there",
        )
    progress = progress_bar(console, total, args.quiet)
    with running(progress):
        task = progress.add_task("", total=total) if progress else None

        def advance(path: Path) -> None:
            if progress is not None and task is not None:
                progress.update(task, advance=1, description=path.name)

        report = ingest(paths, config, force=args.force, on_file=advance)
    if args.quiet:
        for skipped in report.unread:
            print(f"warning: {skipped}", file=sys.stderr)
        for result in report.results:
            if result.error:
                print(f"error: {result.error}", file=sys.stderr)
            for warning in result.warnings:
                print(f"warning: {warning}", file=sys.stderr)
    else:
        print_ingest_report(console, report, args.verbose)
    return 1 if report.failed else 0


def _not_the_speeches(path: Path, speeches: Path) -> None:
    """Refuse to ingest the speeches ingest wrote (content/speeches/): read as raw Markdown,
    each would come back as a second speech of itself."""
    resolved, folder = path.resolve(), speeches.resolve()
    if resolved.is_relative_to(folder) or folder.is_relative_to(resolved):  # (either: itself)
        what = "is" if resolved.is_relative_to(folder) else "holds"
        raise UserError(
            f"this {what} the folder of cleaned speeches ingest writes ({folder.name}/), not raw ones",
            path,
            hint=f"give the raw files (content/raw/); edit a speech in {folder.name}/ directly",
        )


def _build(args: argparse.Namespace, consoles: _Consoles) -> int:
    from generator.build import build_site

    config = load_config(args.root)
    output = (
        args.output if args.output is None or args.output.is_absolute() else args.root / args.output
    )
    if args.jobs is not None and args.jobs < 1:
        raise UserError("--jobs must be at least 1")
    with _build_progress(consoles, args.quiet) as progress:
        result = build_site(
            config, output=output, base_url=args.base_url, jobs=args.jobs, progress=progress
        )
    if result.cache_cleared:
        print(
            f"warning: the build cache could not be read ({result.cache_cleared}); "
            "it was cleared and the site built afresh",
            file=sys.stderr,
        )
    _warn_unread(config.speeches_dir)
    if not args.quiet:
        from generator.report import print_build_result

        print_build_result(consoles.out, result)
        from urllib.parse import urlsplit

        if not urlsplit(args.base_url or config.base_url).netloc:
            print(f"warning: {_NO_HOST}", file=sys.stderr)
    global _built
    _built = True
    return 0


def _warn_unread(folder: Path) -> None:
    from generator.build import unread_speech_files

    unread = unread_speech_files(folder)
    if unread:
        shown = ", ".join(unread[:5]) + (f" and {len(unread) - 5} more" if len(unread) > 5 else "")
        print(
            f"warning: {folder}: not read, so not in the site: {shown} (a speech is a .md file"
            " directly in this folder)",
            file=sys.stderr,
        )


_NO_HOST = (
    "base_url has no host, so feeds, the sitemap and canonical links hold paths, not full URLs "
    "(Atom and sitemap readers need those): set base_url: https://your.host/ in site.yaml, "
    "or pass --base-url"
)


def _build_progress(
    consoles: _Consoles, quiet: bool
) -> contextlib.AbstractContextManager[Callable[[str, int, int], None] | None]:
    """report.build_progress, without importing rich for a quiet build."""
    if quiet:
        return contextlib.nullcontext(None)
    from generator.report import build_progress

    return build_progress(consoles.out, quiet)


def _deploy(args: argparse.Namespace, console: Console) -> int:
    from generator.deploy.publish import deploy
    from generator.deploy.targets import target_from_args
    from generator.report import build_progress, print_deploy_result

    config = load_config(args.root)
    if args.jobs is not None and args.jobs < 1:
        raise UserError("--jobs must be at least 1")
    target = target_from_args(
        config.deploy,
        args.where,
        branch=args.branch,
        cname=args.cname,
        rsh=args.rsh,
        base_url=args.base_url,
    )

    def stage(text: str) -> None:
        if not args.quiet:
            console.print(f"[dim]{escape(text)} …[/dim]", highlight=False, soft_wrap=True)

    with build_progress(console, args.quiet) as progress:
        result = deploy(
            config,
            target,
            dry_run=args.dry_run,
            allow_dirty=args.allow_dirty,
            jobs=args.jobs,
            progress=progress,
            on_stage=stage,
        )
    if not args.quiet:
        print_deploy_result(console, result, args.verbose)
    return 0


def _serve(args: argparse.Namespace, console: Console) -> int:
    from generator.serve.server import PortInUse
    from generator.serve.session import serve

    output = (
        args.output if args.output is None or args.output.is_absolute() else args.root / args.output
    )
    if args.jobs is not None and args.jobs < 1:
        raise UserError("--jobs must be at least 1")
    if not 0 <= args.port <= 65535:
        raise UserError("--port must be between 0 and 65535")
    try:
        return serve(
            args.root,
            console,
            host=args.host,
            port=args.port,
            output=output,
            jobs=args.jobs,
            quiet=args.quiet,
        )
    except PortInUse as err:
        raise UserError(str(err), hint="stop the other server or pass --port") from None
