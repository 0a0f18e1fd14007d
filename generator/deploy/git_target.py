"""Publish to a branch (such as gh-pages) of a git repository, local or remote.

The commit is made by ghp-import (the library MkDocs' gh-deploy uses) in a scratch bare
repository that holds only the branch's current tip, fetched from the target: the new commit
has that tip as its parent (history is kept), and `.nojekyll` and an optional `CNAME` are added.
Nothing is pushed when the new tree equals the tip's ("nothing to publish"). The push is a plain
fast-forward push: if it fails — no access, a hook that refuses, someone else published in the
meantime — the branch on the target stays exactly as it was. The user's own checkout is never
touched.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import ghp_import

from generator.deploy.manifest import Changes
from generator.deploy.source import git
from generator.deploy.targets import GitTarget
from generator.errors import UserError

_URL_RE = re.compile(r"^(?:[a-z][a-z0-9+.-]*://|[^/]*:)", re.IGNORECASE)
ERROR_LINES = 6  # lines of git's own message kept in an error


def resolve_repo(repo: str, root: Path) -> str:
    """A URL as it is; an existing folder (relative to the project) as an absolute path;
    otherwise the name of one of the project's remotes (e.g. `origin`)."""
    if shutil.which("git") is None:
        raise UserError(
            "git is not installed, and the target is a git repository",
            hint="install it (apt-get install git), or publish to a folder with `deploy dir`",
        )
    if _URL_RE.match(repo):
        return repo
    path = Path(repo).expanduser()
    path = path if path.is_absolute() else root / path
    if path.exists():
        return str(path.resolve())
    remote = git("remote", "get-url", repo, cwd=root)
    if remote.returncode == 0 and remote.stdout.strip():
        return remote.stdout.strip()
    raise UserError(
        f"no such repository: {repo}",
        hint="give a URL (git@github.com:org/site.git), a path to a repository, or the name "
        "of one of the project's git remotes",
    )


def publish_git(
    site: Path, target: GitTarget, repo: str, message: str, identity: tuple[str, str], dry_run: bool
) -> Changes:
    """Commit `site` to `target.branch` of `repo` and push it; return what changed."""
    branch = target.branch
    with tempfile.TemporaryDirectory(prefix="speechsite-git-") as scratch_name:
        scratch = Path(scratch_name)
        _run(scratch, "init", "--quiet", "--bare")
        _run(scratch, "remote", "add", "origin", repo)
        _run(scratch, "config", "user.name", identity[0])
        _run(scratch, "config", "user.email", identity[1])
        old = _fetch_tip(scratch, repo, branch)
        if old is not None:
            _refuse_foreign_branch(scratch, repo, branch, old)
        _commit(scratch, site, target, message, old)
        new_tree = _run(scratch, "rev-parse", f"refs/heads/{branch}^{{tree}}").strip()
        old_tree = _run(scratch, "rev-parse", f"{old}^{{tree}}").strip() if old else None
        if new_tree == old_tree:
            return Changes()
        changes = _changes(scratch, site, target, old)
        if not dry_run:
            _push(scratch, repo, branch)
        return changes


def _refuse_foreign_branch(scratch: Path, repo: str, branch: str, tip: str) -> None:
    """Refuse the repository's default branch (its main line of work: a project's sources)
    unless speechsite published its tip: a new commit would replace every file on it. A
    pages branch another tool published is taken over, its history kept below."""
    if "Built by speechsite" in _run(scratch, "log", "-1", "--format=%B", tip):
        return
    heads = git("ls-remote", "--symref", repo, "HEAD", cwd=scratch)
    default = next(
        (
            line.split()[1].removeprefix("refs/heads/")
            for line in heads.stdout.splitlines()
            if line.startswith("ref:") and len(line.split()) >= 2
        ),
        None,
    )
    if branch != default:
        return
    raise UserError(
        f"refusing to publish to {branch}, the default branch of {repo}: its last commit was "
        "not made by speechsite deploy, and publishing would replace every file on it",
        hint="publish to a branch of its own (the default is gh-pages)",
    )


def _fetch_tip(scratch: Path, repo: str, branch: str) -> str | None:
    """Fetch the branch's tip (only the tip: its history stays on the target) into
    origin/<branch>, where ghp-import looks for the parent; None when the branch is new."""
    listed = git("ls-remote", "--heads", repo, f"refs/heads/{branch}", cwd=scratch)
    if listed.returncode != 0:
        raise UserError(
            f"cannot read the repository {repo}: {_tail(listed.stderr)}",
            hint=f"check the address and your access (git ls-remote {repo}); nothing was published",
        )
    if not listed.stdout.strip():
        return None
    fetched = git(
        "fetch",
        "--quiet",
        "--depth=1",
        "origin",
        f"+refs/heads/{branch}:refs/remotes/origin/{branch}",
        cwd=scratch,
    )
    if fetched.returncode != 0:
        raise UserError(
            f"cannot fetch {branch} from {repo}: {_tail(fetched.stderr)}",
            hint="nothing was published; check your access and run deploy again",
        )
    return _run(scratch, "rev-parse", f"refs/remotes/origin/{branch}").strip()


def _commit(scratch: Path, site: Path, target: GitTarget, message: str, old: str | None) -> None:
    """One commit of `site` on top of `old`, written by ghp-import."""
    try:
        with _inside(scratch):
            ghp_import.ghp_import(
                str(site),
                mesg=message,
                remote="origin",
                branch=target.branch,
                push=False,
                nojekyll=True,
                cname=target.cname,
            )
    except ghp_import.GhpError as err:
        raise UserError(f"ghp-import failed: {err.message}", hint="nothing was published") from None
    except TypeError:
        # ghp-import 2.1 reports a failed `git fast-import` by writing bytes to sys.stdout,
        # which raises TypeError on Python 3; the check below says what happened.
        pass
    made = git("rev-parse", "--verify", "--quiet", f"refs/heads/{target.branch}", cwd=scratch)
    if made.returncode != 0 or made.stdout.strip() == (old or ""):
        raise UserError(
            "git fast-import could not commit the site (see git's message above)",
            hint="nothing was published; check the free disk space and run deploy again",
        )


@contextlib.contextmanager
def _inside(repository: Path) -> Iterator[None]:
    """ghp-import works on the repository of the current folder: make that the scratch one
    (and keep a GIT_DIR set by a caller from pointing anywhere else) for the duration."""
    saved = {key: os.environ.get(key) for key in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE")}
    os.environ["GIT_DIR"] = str(repository)
    os.environ.pop("GIT_WORK_TREE", None)
    os.environ.pop("GIT_INDEX_FILE", None)
    try:
        with contextlib.chdir(repository):
            yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def _changes(scratch: Path, site: Path, target: GitTarget, old: str | None) -> Changes:
    new = f"refs/heads/{target.branch}"
    if old is None:
        listed = _run(scratch, "ls-tree", "-r", "-z", "--name-only", new)
        entries = [("A", name) for name in listed.split("\0") if name]
    else:
        listed = _run(scratch, "diff-tree", "-r", "-z", "--no-renames", "--name-status", old, new)
        fields = [f for f in listed.split("\0") if f]
        entries = list(zip(fields[::2], fields[1::2], strict=True))
    changes = Changes()
    for status, name in entries:
        if status == "A":
            changes.added.append(name)
        elif status == "D":
            changes.removed.append(name)
        else:
            changes.changed.append(name)
            # a type change (T) or mode change counts as changed too
    for name in (*changes.added, *changes.changed):
        path = site / name
        if path.is_file():
            changes.bytes += path.stat().st_size
        elif name == "CNAME" and target.cname:
            changes.bytes += len(target.cname.encode())
    changes.added.sort()
    changes.changed.sort()
    changes.removed.sort()
    return changes


def _push(scratch: Path, repo: str, branch: str) -> None:
    pushed = git(
        "push", "--quiet", "origin", f"refs/heads/{branch}:refs/heads/{branch}", cwd=scratch
    )
    if pushed.returncode == 0:
        return
    error = _tail(pushed.stderr)
    if "non-fast-forward" in pushed.stderr or "fetch first" in pushed.stderr:
        hint = f"someone published to {branch} meanwhile; run speechsite deploy again"
    else:
        hint = (
            f"check that you may push to {repo} (git push {repo} {branch}), then run deploy again"
        )
    raise UserError(
        f"the push to {repo} failed, so {branch} there is unchanged: {error}", hint=hint
    )


def _run(scratch: Path, *args: str) -> str:
    done = git(*args, cwd=scratch)
    if done.returncode != 0:
        raise UserError(f"git {args[0]} failed: {_tail(done.stderr)}", hint="nothing was published")
    return done.stdout


def _tail(stderr: str) -> str:
    lines = [
        line.strip()
        for line in stderr.strip().splitlines()
        if line.strip() and not line.startswith("hint:")  # git's advice is for its own commands
    ]
    return " / ".join(lines[-ERROR_LINES:]) or "no message from git"
