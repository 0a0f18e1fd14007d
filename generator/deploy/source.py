"""The project's own git state: which commit a deploy is made from, and whether the files the
build reads (speeches, themes, site.yaml) hold changes that are not committed.

A deployed site should be reproducible from a commit, so deploy refuses uncommitted inputs
unless told otherwise (`--allow-dirty`). A project outside any git repository has no commit to
name, so it is treated the same way: deploy says so and asks for `--allow-dirty`.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from generator.errors import UserError

SHOWN = 8  # uncommitted files named in the error


@dataclass(frozen=True)
class SourceState:
    repository: Path | None  # the work tree's top folder; None outside git
    commit: str | None  # HEAD; None in a repository without commits
    subject: str = ""  # HEAD's subject line
    dirty: list[str] = field(default_factory=list)  # `git status --porcelain` lines

    @property
    def clean(self) -> bool:
        return self.repository is not None and self.commit is not None and not self.dirty


def git(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run git without a terminal prompt; the caller looks at returncode and stderr."""
    return subprocess.run(
        ["git", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=git_env(),
        check=False,
    )


def git_env() -> dict[str, str]:
    """The environment for git: never ask for an https password on the terminal (a deploy in
    CI would hang; ssh keys and credential helpers still work), and never let a caller's
    GIT_DIR redirect us to another repository."""
    import os

    env = {k: v for k, v in os.environ.items() if k not in ("GIT_DIR", "GIT_WORK_TREE")}
    env["GIT_TERMINAL_PROMPT"] = "0"
    return env


def source_state(root: Path, inputs: list[Path]) -> SourceState:
    """The commit and the uncommitted changes among `inputs` (files or folders)."""
    if shutil.which("git") is None:
        return SourceState(None, None)
    top = git("rev-parse", "--show-toplevel", cwd=root)
    if top.returncode != 0:
        return SourceState(None, None)
    repository = Path(top.stdout.strip())
    head = git("log", "-1", "--format=%H%n%s", cwd=root)
    commit, subject = None, ""
    if head.returncode == 0 and head.stdout.strip():
        commit, _, subject = head.stdout.strip().partition("\n")
    paths = [str(p.resolve()) for p in inputs if p.exists()]
    status = git(
        "status", "--porcelain", "--untracked-files=all", "--ignored", "--", *paths, cwd=root
    )
    if status.returncode != 0:
        raise UserError(
            f"git status failed: {status.stderr.strip()}",
            root,
            hint="deploy reads the state of the project's git repository",
        )
    dirty = [line for line in status.stdout.splitlines() if line.strip() and _read(line)]
    return SourceState(repository, commit, subject, dirty)


def _read(line: str) -> bool:
    """Whether a `git status` line names a file the build reads. An ignored file (`!! path`)
    is one unless hidden or a cache: a speech that .gitignore keeps out of every commit was
    published all the same, from a deploy that said it was built from a commit."""
    if not line.startswith("!! "):
        return True
    parts = line[3:].strip().strip('"').rstrip("/").split("/")
    return not any(part.startswith(".") or part == "__pycache__" for part in parts)


def require_clean(state: SourceState, root: Path) -> None:
    """Refuse to publish what no commit records, and say why."""
    if state.repository is None:
        raise UserError(
            "the project is not in a git repository, so deploy cannot tell whether what it "
            "would publish is committed",
            root,
            hint="commit the project to git, or pass --allow-dirty to publish it as it is",
        )
    if state.commit is None:
        raise UserError(
            "the project's git repository has no commit yet",
            root,
            hint="commit the content, or pass --allow-dirty",
        )
    if state.dirty:
        shown = "; ".join(line.strip() for line in state.dirty[:SHOWN])
        more = f"; … and {len(state.dirty) - SHOWN} more" if len(state.dirty) > SHOWN else ""
        raise UserError(
            f"the content has uncommitted changes ({shown}{more})",
            root,
            hint="commit them first (git add … && git commit), or pass --allow-dirty to "
            "publish them anyway",
        )


def commit_message(state: SourceState, base_url: str, version: str) -> str:
    """The message of a published commit: it names the source commit it was built from."""
    if state.commit is None:
        head = "Publish the site (the project has no git commit)"
    else:
        head = f"Publish the site built from {state.commit[:12]}"
        if state.subject:
            head += f": {state.subject}"
    lines = [head[:200], ""]
    if state.commit is not None:
        lines.append(f"Source commit: {state.commit}")
    if state.dirty or state.repository is None:
        lines.append("Built with uncommitted changes (--allow-dirty).")
    lines.append(f"Built by speechsite {version} for {base_url}")
    return "\n".join(lines)
