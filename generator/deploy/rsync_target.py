"""Publish to an rsync destination (`host:path`, `user@host:path` or `rsync://…`).

rsync compares contents (`--checksum`: a fresh build has new modification times, so times say
nothing), sends only files whose bytes differ and deletes files that are gone. `--delay-updates`
and `--delete-after` make it put every updated file in place only after all of them arrived, so
a transfer that fails (the connection drops, the disk is full) leaves the previous deployment as
it was. A dry run with `--itemize-changes` comes first: it gives the exact listing for
`--dry-run`, detects that nothing changed, and lets deploy refuse a destination that holds
files speechsite did not publish (no marker).
"""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
from pathlib import Path

from generator.deploy.dir_target import refuse_foreign
from generator.deploy.manifest import DEPLOY_MARKER, Changes
from generator.deploy.source import git_env
from generator.errors import UserError

OPTIONS = [
    "--recursive",
    "--checksum",
    "--delete-after",
    "--delay-updates",
    "--perms",
    "--chmod=D755,F644",  # readable by the web server, whatever the build folder's mode
    "--itemize-changes",
    "--out-format=%i %n",
]
_LINE_RE = re.compile(r"^(\S+)\s+(.+)$")
ERROR_LINES = 6


def publish_rsync(site: Path, dest: str, rsh: str | None, dry_run: bool) -> Changes:
    """Sync `site` (which includes the deploy marker) to `dest`; return what changed."""
    require_rsync(dest)
    planned = parse_itemized(_rsync(site, dest, rsh, dry_run=True).stdout, site)
    if planned.empty:
        return planned
    refuse_foreign(dest, DEPLOY_MARKER not in planned.added, planned)
    if dry_run:
        return planned
    return parse_itemized(_rsync(site, dest, rsh, dry_run=False).stdout, site)


def require_rsync(dest: str) -> None:
    if shutil.which("rsync") is None:
        raise UserError(
            "rsync is not installed, and the destination is an rsync one",
            dest,
            hint="install it (apt-get install rsync), or publish to a local folder",
        )


def parse_itemized(output: str, site: Path) -> Changes:
    """rsync's `%i %n` lines → changes: `>f+++++++++` a new file, `>fc…` a changed one,
    `*deleting` a removed one; folders and attribute-only updates are not changes."""
    changes = Changes()
    for line in output.splitlines():
        found = _LINE_RE.match(line)
        if not found:
            continue
        code, name = found[1], found[2]
        if name.endswith("/"):
            continue
        if code == "*deleting":
            changes.removed.append(name)
        elif len(code) > 2 and code[0] in "<>c" and code[1] == "f":
            (changes.added if "+++++++++" in code else changes.changed).append(name)
            path = site / name
            if path.is_file():
                changes.bytes += path.stat().st_size
    changes.added.sort()
    changes.changed.sort()
    changes.removed.sort()
    return changes


def _rsync(
    site: Path, dest: str, rsh: str | None, dry_run: bool
) -> subprocess.CompletedProcess[str]:
    command = ["rsync", *OPTIONS]
    if dry_run:
        command.append("--dry-run")
    if rsh:
        command += ["--rsh", rsh]
    command += [f"{site}/", dest if dest.endswith("/") else dest + "/"]
    done = subprocess.run(command, capture_output=True, text=True, env=git_env(), check=False)
    if done.returncode != 0:
        lines = [line.strip() for line in done.stderr.splitlines() if line.strip()]
        message = " / ".join(lines[-ERROR_LINES:]) or f"exit status {done.returncode}"
        if dry_run:
            summary = f"rsync could not compare the site with {dest}: {message}"
            hint = "nothing was changed there"
        else:
            summary = f"the rsync transfer to {dest} failed: {message}"
            hint = (
                "the destination still holds the previous deployment (rsync moves files into "
                "place only after all of them arrived)"
            )
        raise UserError(
            summary,
            hint=f"{hint}; check that `rsync --list-only {shlex.quote(dest)}` works, then run "
            "deploy again",
        )
    return done
