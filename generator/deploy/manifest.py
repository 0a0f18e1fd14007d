"""What a deploy changes: the files of the new build against those already published.

Both sides are a manifest — relative path → SHA-256 of the bytes — so "changed" means the
content differs, never merely the modification time (a fresh build writes every file anew).
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

# Written into a published folder, listing what speechsite put there: its presence is what
# lets a later deploy delete files in that folder.
DEPLOY_MARKER = ".speechsite-deploy.json"


@dataclass
class Changes:
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    bytes: int = 0  # size of the added and changed files: what is uploaded

    @property
    def empty(self) -> bool:
        return not (self.added or self.changed or self.removed)

    def listing(self) -> list[str]:
        """One line a file, `+` added, `~` changed, `-` removed, sorted by path."""
        marks = [("+", n) for n in self.added] + [("~", n) for n in self.changed]
        marks += [("-", n) for n in self.removed]
        return [f"{mark} {name}" for mark, name in sorted(marks, key=lambda m: (m[1], m[0]))]

    def without(self, sizes: dict[str, int]) -> Changes:
        """The same changes without bookkeeping files (name → size), such as the marker."""
        uploaded = sum(size for name, size in sizes.items() if name in self.added + self.changed)
        return Changes(
            [n for n in self.added if n not in sizes],
            [n for n in self.changed if n not in sizes],
            [n for n in self.removed if n not in sizes],
            self.bytes - uploaded,
        )


def compare(new: dict[str, str], old: dict[str, str], sizes: dict[str, int]) -> Changes:
    """Changes that turn `old` into `new`; `sizes` gives the byte size of the new files."""
    added = sorted(set(new) - set(old))
    changed = sorted(name for name in set(new) & set(old) if new[name] != old[name])
    removed = sorted(set(old) - set(new))
    uploaded = sum(sizes.get(name, 0) for name in (*added, *changed))
    return Changes(added, changed, removed, uploaded)


def file_hash(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def scan(folder: Path, skip_prefix: str | None = None) -> tuple[dict[str, str], dict[str, int]]:
    """Hash and size of every file below `folder` (top-level entries starting with
    `skip_prefix` are left out)."""
    hashes: dict[str, str] = {}
    sizes: dict[str, int] = {}
    if not folder.is_dir():
        return hashes, sizes
    for directory, dirs, files in os.walk(folder):
        here = Path(directory)
        if skip_prefix and here == folder:
            dirs[:] = [d for d in dirs if not d.startswith(skip_prefix)]
            files = [f for f in files if not f.startswith(skip_prefix)]
        dirs.sort()
        for name in sorted(files):
            path = here / name
            if path.is_symlink() or not path.is_file():
                continue
            relative = path.relative_to(folder).as_posix()
            hashes[relative] = file_hash(path)
            sizes[relative] = path.stat().st_size
    return hashes, sizes


def published_files(marker: Path) -> list[str]:
    """The files a deploy marker lists (none when it cannot be read)."""
    try:
        data = json.loads(marker.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    files = data.get("files") if isinstance(data, dict) else None
    return [str(name) for name in files] if isinstance(files, dict) else []


def marker_bytes(files: dict[str, str]) -> bytes:
    """The deploy marker: the published files and their hashes (stable bytes: no dates or
    versions, so a deploy that changes no file writes an identical marker)."""
    listed = {name: digest for name, digest in sorted(files.items()) if name != DEPLOY_MARKER}
    data = {"generator": "speechsite deploy", "files": listed}
    return (json.dumps(data, ensure_ascii=False, indent=0) + "\n").encode("utf-8")
