"""What a build reads: the speech and static files with their stats, the folders no output may be
inside, and the fingerprint of all of it (equal: nothing to do).
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import TYPE_CHECKING

from generator.build.cache import CACHE_VERSION
from generator.build.urls import Urls
from generator.config import Config, read_folders
from generator.errors import UserError
from generator.render.theme import Theme

if TYPE_CHECKING:  # imported where needed: a no-change build never pays for them
    pass


Scan = dict[str, tuple[int, int]]  # speech file name → (size, change_stamp), in name order


def change_stamp(stat: os.stat_result) -> int:
    """A file's mtime and ctime in one number. mtime alone misses an edit that keeps the size
    and sets the time back (`cp -p`, `touch -r`, an editor keeping timestamps); the ctime,
    which no tool sets, moves on every write, replacement or rename onto the name."""
    return stat.st_mtime_ns | stat.st_ctime_ns << 64


def require_speeches_dir(config: Config) -> None:
    """A speeches folder that is not there is a mistyped path or a missed ingest, not an
    archive with nothing in it (an empty folder is one): the site it built was empty."""
    folder = config.speeches_dir
    if not folder.is_dir():
        where = "is a file, not a folder" if folder.exists() else "does not exist"
        raise UserError(
            f"the speeches folder {where}",
            folder,
            hint="run `speechsite ingest`, or set paths.speeches in site.yaml to the folder of .md files",
        )


def unread_speech_files(folder: Path) -> list[str]:
    """Files in the speeches folder that look like speeches but a build does not read: another
    spelling of the suffix (.MD, .markdown), or .md files in a subfolder. Named in a warning,
    where they were left out without a word."""
    names = []
    for entry in sorted(os.scandir(folder), key=lambda e: e.name):
        if entry.name.startswith("."):
            continue
        if entry.is_dir():
            names += [f"{entry.name}/{p.name}" for p in sorted(Path(entry.path).rglob("*.md"))]
        elif entry.name.lower().endswith((".md", ".markdown")) and not entry.name.endswith(".md"):
            names.append(entry.name)
        elif entry.name.endswith(".md") and not entry.is_file():
            names.append(entry.name)  # (a link to nowhere)
    return names


def scan_speeches(folder: Path) -> Scan:
    """The speech files and their stat, read once a build for its fingerprint and its load."""
    if not folder.is_dir():
        return {}
    found = []
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)  # (each stat relative to it: a seventh
    try:  # faster than DirEntry.stat, which resolves the folder's path again each time)
        for name in os.listdir(fd):
            if name.endswith(".md") and not name.startswith("."):
                try:
                    stat = os.stat(name, dir_fd=fd)
                except FileNotFoundError:  # deleted since it was listed: as if before
                    continue
                found.append((name, (stat.st_size, change_stamp(stat))))
    finally:
        os.close(fd)
    return dict(sorted(found))


def inputs_fingerprint(
    config: Config,
    urls: Urls,
    theme: Theme,
    target: Path,
    scan: Scan | None = None,
    static: Scan | None = None,
) -> str:
    """Everything a build reads, by name, size and change stamp: equal means nothing to do."""
    hasher = hashlib.sha256(f"{CACHE_VERSION}|{urls.base_url}|{target}|{theme.digest}".encode())
    if config.source is not None:
        hasher.update(config.source.read_bytes())
    hasher.update(repr(config.topics).encode())  # built-in topics live outside site.yaml
    scan = scan_speeches(config.speeches_dir) if scan is None else scan
    static = scan_static(config.static_dir) if static is None else static
    for files in (scan, static):
        hasher.update(
            "".join(f"{n}|{size}|{stamp}\n" for n, (size, stamp) in files.items()).encode()
        )
    return hasher.hexdigest()


def scan_static(folder: Path | None) -> Scan:
    """The files of the static folder (paths.static: pictures, documents a speech links to),
    by path relative to it with '/' separators, and their stat; hidden files and folders
    (.git, .DS_Store) left out."""
    if folder is None or not folder.is_dir():
        return {}
    found = []
    for directory, folders, names in os.walk(folder):
        folders[:] = sorted(name for name in folders if not name.startswith("."))
        relative = os.path.relpath(directory, folder).replace(os.sep, "/")
        for name in names:
            if name.startswith("."):
                continue
            try:
                stat = os.stat(os.path.join(directory, name))
            except OSError:  # (gone since it was listed)
                continue
            path = name if relative == "." else f"{relative}/{name}"
            found.append((path, (stat.st_size, change_stamp(stat))))
    return dict(sorted(found))


def input_folders(config: Config) -> tuple[Path, ...]:
    """The folders a project's build and ingest read: no output may be inside one. (The
    config's folders hold its root already: resolved, the root is not joined on twice, which
    with `-C project` made project/project/content/raw, and let an output into the raw one.)"""
    static = config.static_dir.resolve() if config.static_dir is not None else None
    return read_folders(
        config.root.resolve(), config.raw_dir.resolve(), config.speeches_dir.resolve(), static
    )
