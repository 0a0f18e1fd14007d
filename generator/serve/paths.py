"""Map a request path to a file inside the output folder, or to nothing.

Only files under the output are ever served: a `..` segment (also percent-encoded, `%2e%2e`,
or hidden behind an encoded slash, `%2F`), a backslash, a NUL, a hidden name and a symlink that
leads outside all resolve to None, which the server answers with the site's 404 page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit


@dataclass(frozen=True)
class Target:
    """What a request path names: `name` is the output file it maps to (POSIX, relative to the
    output, e.g. `speeches/x/index.html`); `file` is that file when it exists."""

    name: str
    file: Path | None
    redirect: str | None = None  # a folder asked for without its trailing slash


def normalise_base(base_path: str) -> str:
    """`archive`, `/archive` or `/archive/` → `/archive/`; empty or `/` → `/`."""
    inner = base_path.strip("/")
    return f"/{inner}/" if inner else "/"


_RANGE_RE = re.compile(r"bytes=(\d+)-(\d*)")


def requested_range(header: str | None, size: int) -> tuple[int, int] | None:
    """The first and last byte a `Range: bytes=a-b` (or `bytes=a-`) header asks of a file of
    `size` bytes, the last clamped to the file; None without such a header. The pair is empty
    (first > last) when the range lies beyond the file: the caller decides what to answer."""
    found = _RANGE_RE.fullmatch((header or "").strip())
    if found is None:
        return None
    first = int(found.group(1))
    last = min(int(found.group(2)) if found.group(2) else size - 1, size - 1)
    return first, last


def resolve_request(root: Path, base_path: str, raw_path: str) -> Target | None:
    """The output file a request path names, or None when it is outside the site.

    `root` must be resolved. The query string and fragment are ignored."""
    path = urlsplit(raw_path).path
    if not path.startswith(base_path):
        return None
    rest = unquote(path[len(base_path) :], errors="strict")
    if "\x00" in rest or "\\" in rest or rest.startswith("/"):
        return None
    parts = rest.split("/")
    if any(part in (".", "..") or part.startswith(".") for part in parts if part):
        return None
    if any(not part for part in parts[:-1]):  # `a//b`: no static host has such a file
        return None
    candidate = root.joinpath(*[p for p in parts if p]) if rest else root
    try:
        resolved = candidate.resolve()
    except (OSError, RuntimeError):  # a symlink loop
        return None
    if not resolved.is_relative_to(root):
        return None
    try:  # (a name longer than the file system allows raises here: no such file)
        is_dir = resolved.is_dir()
        is_file = not is_dir and resolved.is_file()
    except OSError:
        return None
    if is_dir:
        if rest and not rest.endswith("/"):
            return Target("", None, redirect=path + "/")
        resolved = resolved / "index.html"
        rest = rest + "index.html"
        is_file = resolved.is_file()
    elif rest.endswith("/") or not rest:
        return Target(rest + "index.html", None)  # no such folder (or a file asked for as one)
    return Target(rest, resolved if is_file else None)
