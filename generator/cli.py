"""The `speechsite` command: parse arguments, run one stage, print errors without tracebacks."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from rich.console import Console

from generator import __version__
from generator.config import load_config
from generator.errors import UserError

DESCRIPTION = """\
speechsite turns a folder of raw Chinese speeches (讲话稿) into a clean, searchable archive.

  speechsite ingest                 clean content/raw/ into content/speeches/*.md
  speechsite ingest FILE_OR_DIR...  ingest particular files or folders

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
        help="clean raw speeches (.txt, .docx) into Markdown with front matter",
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
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    console = Console(stderr=False, highlight=False)
    errors = Console(stderr=True, highlight=False)
    try:
        if args.command == "ingest":
            return _ingest(args, console)
    except UserError as err:
        errors.print(f"[red]error:[/red] {err}", soft_wrap=True)
        return 2
    except KeyboardInterrupt:
        errors.print("interrupted")
        return 130
    return 2


def _ingest(args: argparse.Namespace, console: Console) -> int:
    from generator.ingest.pipeline import collect_files, ingest
    from generator.report import print_ingest_report, progress_bar, running

    root: Path = args.root
    config = load_config(root)
    paths = [p if p.is_absolute() else Path.cwd() / p for p in args.paths] or [config.raw_dir]
    for path in paths:
        if not path.exists():
            raise UserError("no such file or folder", path, hint="give a .txt/.docx file or a folder")
    total = len(collect_files(paths))
    if total == 0:
        raise UserError("no .txt or .docx files found", paths[0], hint="put raw speeches there")
    progress = progress_bar(console, total, args.quiet)
    with running(progress):
        task = progress.add_task("", total=total) if progress else None

        def advance(path: Path) -> None:
            if progress is not None and task is not None:
                progress.update(task, advance=1, description=path.name)

        report = ingest(paths, config, force=args.force, on_file=advance)
    if args.quiet:
        for result in report.results:
            for line in [result.error] if result.error else result.warnings:
                print(line, file=sys.stderr)
    else:
        print_ingest_report(console, report, args.verbose)
    return 1 if report.failed else 0
