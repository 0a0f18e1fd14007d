"""`speechsite deploy dir host:path`: the sample sent with rsync.

rsync reaches `host:path` through its remote shell (`--rsh`); here that shell is a small script
that runs the remote half of rsync on this machine, so the whole protocol runs without an ssh
server."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from generator.deploy.manifest import DEPLOY_MARKER
from generator.deploy.rsync_target import parse_itemized
from tests.deploy.conftest import Deploy, retitle
from tests.e2e.sites import require
from tests.helpers import snapshot

BASE = "/archive/"
# rsync runs: LOCAL_SHELL [options] HOST rsync --server … ; run everything after HOST here.
LOCAL_SHELL = """#!/bin/sh
while [ $# -gt 0 ]; do case "$1" in -*) shift ;; *) break ;; esac; done
shift
exec sh -c "$*"
"""


@pytest.fixture
def shell(tmp_path: Path) -> str:
    require(shutil.which("rsync"), "rsync is missing (Debian package rsync)")
    path = tmp_path / "local-shell"
    path.write_text(LOCAL_SHELL)
    path.chmod(0o755)
    return str(path)


@pytest.fixture
def dest(tmp_path: Path) -> Path:
    """rsync creates the destination folder but not its parents: the server's /var/www."""
    (tmp_path / "server").mkdir()
    return tmp_path / "server" / "www"


def listing(out: str) -> list[str]:
    return [line.strip() for line in out.splitlines() if re.match(r"\s+[+~-] ", line)]


def deploy(run: Deploy, project: Path, dest: Path, shell: str, *args: str) -> str:
    done = run(project, "dir", f"server:{dest}", "--rsh", shell, "--base-url", BASE, *args)
    assert done.code == 0, done.err
    return done.out


def test_rsync_publishes_then_does_nothing_then_sends_only_changes(
    sample: Path, dest: Path, shell: str, run: Deploy
) -> None:
    out = deploy(run, sample, dest, shell)
    files = {p.relative_to(dest).as_posix() for p in dest.rglob("*") if p.is_file()}
    marker = json.loads((dest / DEPLOY_MARKER).read_text(encoding="utf-8"))
    assert set(marker["files"]) == files - {DEPLOY_MARKER}
    assert f"{len(files) - 1} added, 0 changed, 0 removed" in out
    assert oct(dest.stat().st_mode & 0o777) == "0o755"

    before = snapshot(dest)
    assert "nothing to publish" in deploy(run, sample, dest, shell)
    assert snapshot(dest) == before

    speech = sorted((sample / "content" / "speeches").glob("*.md"))[0]
    speech.unlink()
    retitle(sample, "讲话档案")
    planned = listing(deploy(run, sample, dest, shell, "--dry-run"))
    assert snapshot(dest) == before
    assert f"- speeches/{speech.stem}/index.html" in planned
    assert "~ index.html" in planned
    assert not any(line.endswith("/") or DEPLOY_MARKER in line for line in planned)
    deploy(run, sample, dest, shell)
    after = snapshot(dest)
    actual = sorted(
        [f"+ {n}" for n in set(after) - set(before)]
        + [f"~ {n}" for n in set(after) & set(before) if after[n][0] != before[n][0]]
        + [f"- {n}" for n in set(before) - set(after)]
    )
    assert sorted(planned) == [line for line in actual if DEPLOY_MARKER not in line]
    unchanged = [n for n in set(after) & set(before) if after[n][0] == before[n][0]]
    assert unchanged and all(after[n][1] == before[n][1] for n in unchanged)  # not re-sent


def test_a_failed_connection_leaves_the_previous_deployment(
    sample: Path, dest: Path, shell: str, run: Deploy
) -> None:
    deploy(run, sample, dest, shell)
    before = snapshot(dest)
    retitle(sample, "讲话档案")
    done = run(sample, "dir", f"server:{dest}", "--rsh", "false", "--base-url", BASE)
    assert done.code == 2
    assert f"rsync could not compare the site with server:{dest}" in done.err
    assert "run deploy again" in done.err
    assert snapshot(dest) == before


def test_a_foreign_destination_is_refused(
    sample: Path, dest: Path, shell: str, run: Deploy
) -> None:
    dest.mkdir()
    (dest / "index.html").write_text("another site\n")
    done = run(sample, "dir", f"server:{dest}", "--rsh", shell, "--base-url", BASE)
    assert done.code == 2
    assert "refusing to publish into a folder speechsite did not publish to" in done.err
    assert (dest / "index.html").read_text() == "another site\n"


def test_itemized_output_is_read_as_changes(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "new.html").write_bytes(b"12345")
    (tmp_path / "old.css").write_bytes(b"123")
    output = "\n".join(
        [
            "cd+++++++++ a/",
            ">f+++++++++ a/new.html",
            "<fc.T...... old.css",
            ".f...p..... same.txt",  # attributes only: not a change
            ".d..t...... ./",
            "*deleting   gone.html",
            "*deleting   empty/",
        ]
    )
    changes = parse_itemized(output, tmp_path)
    assert (changes.added, changes.changed, changes.removed) == (
        ["a/new.html"],
        ["old.css"],
        ["gone.html"],
    )
    assert changes.bytes == 8
