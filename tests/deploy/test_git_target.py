"""`speechsite deploy git REPO`: the sample published to a branch of a local bare repository."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from generator.build import MARKER, build_site
from generator.config import load_config
from tests.deploy.conftest import Deploy, commit_all, git, retitle


@pytest.fixture
def remote(tmp_path: Path) -> Path:
    path = tmp_path / "remote.git"
    git(tmp_path, "init", "-q", "--bare", str(path))
    return path


def branch_files(repo: Path, branch: str = "gh-pages") -> set[str]:
    return set(git(repo, "ls-tree", "-r", "--name-only", branch).split())


def tip(repo: Path, branch: str = "gh-pages") -> str:
    return git(repo, "rev-parse", branch).strip()


def reference_build(project: Path, tmp_path: Path, base_url: str = "/") -> Path:
    """What the published branch should hold: a build of the project (without its marker)."""
    output = tmp_path / "reference"
    build_site(load_config(project), output=output, base_url=base_url, jobs=1)
    (output / MARKER).unlink()
    return output


def listing(out: str) -> list[str]:
    return [line.strip() for line in out.splitlines() if re.match(r"\s+[+~-] ", line)]


def test_deploy_publishes_the_sample_to_gh_pages(
    sample: Path, remote: Path, run: Deploy, tmp_path: Path, own_tempdir: Path
) -> None:
    done = run(sample, "git", str(remote))
    assert done.code == 0, done.err
    expected = reference_build(sample, tmp_path)
    files = {p.relative_to(expected).as_posix() for p in expected.rglob("*") if p.is_file()}
    assert branch_files(remote) == files | {".nojekyll"}
    for name in ("index.html", "assets/css/" + next((expected / "assets/css").glob("site.*")).name):
        shown = git(remote, "show", f"gh-pages:{name}")
        assert shown == (expected / name).read_text(encoding="utf-8")
    head = git(sample, "rev-parse", "HEAD").strip()
    message = git(remote, "log", "-1", "--format=%B", "gh-pages")
    assert message.startswith(f"Publish the site built from {head[:12]}: Sample archive")
    assert f"Source commit: {head}" in message
    assert f"published to {remote} (branch gh-pages)" in done.out
    assert f"{len(files) + 1} added, 0 changed, 0 removed" in done.out
    assert list(own_tempdir.iterdir()) == []  # the build and the scratch repository are gone


def test_a_second_deploy_without_changes_is_a_no_op(
    sample: Path, remote: Path, run: Deploy
) -> None:
    assert run(sample, "git", str(remote)).code == 0
    first = tip(remote)
    again = run(sample, "git", str(remote))
    assert again.code == 0
    assert "nothing to publish" in again.out
    assert tip(remote) == first


def test_changes_are_committed_on_top_and_listed_exactly(
    sample: Path, remote: Path, run: Deploy
) -> None:
    assert run(sample, "git", str(remote)).code == 0
    first = tip(remote)
    speech = sorted((sample / "content" / "speeches").glob("*.md"))[0]
    speech.unlink()
    commit_all(sample, "Withdraw a speech")
    planned = run(sample, "git", str(remote), "--dry-run")
    assert planned.code == 0
    assert tip(remote) == first  # a dry run pushes nothing
    assert "dry run" in planned.out and "nothing was changed" in planned.out
    done = run(sample, "git", str(remote))
    assert done.code == 0
    assert git(remote, "rev-parse", "gh-pages^").strip() == first  # history kept
    status = git(remote, "diff-tree", "-r", "--no-renames", "--name-status", first, "gh-pages")
    marks = {"A": "+", "M": "~", "D": "-"}
    actual = sorted(f"{marks[line.split()[0]]} {line.split()[1]}" for line in status.splitlines())
    assert sorted(listing(planned.out)) == actual
    assert f"- speeches/{speech.stem}/index.html" in actual
    added = sum(1 for line in actual if line.startswith("+"))  # a new search index generation
    removed = sum(1 for line in actual if line.startswith("-"))
    changed = sum(1 for line in actual if line.startswith("~"))
    assert f"{added} added, {changed} changed, {removed} removed" in done.out


def test_dry_run_on_a_new_branch_lists_every_file_and_creates_nothing(
    sample: Path, remote: Path, run: Deploy
) -> None:
    done = run(sample, "git", str(remote), "--dry-run")
    assert done.code == 0
    assert git(remote, "for-each-ref") == ""
    lines = listing(done.out)
    assert "+ index.html" in lines and "+ .nojekyll" in lines
    assert all(line.startswith("+ ") for line in lines)


def test_configured_target_with_cname_and_branch(sample: Path, remote: Path, run: Deploy) -> None:
    with (sample / "site.yaml").open("a", encoding="utf-8") as handle:
        handle.write(
            f"\ndeploy:\n  targets:\n    pages:\n      type: git\n      repo: {remote}\n"
            "      branch: site\n      cname: speeches.example.org\n"
        )
    commit_all(sample, "Publish settings")
    done = run(sample)
    assert done.code == 0, done.err
    assert git(remote, "show", "site:CNAME") == "speeches.example.org"
    assert git(remote, "show", "site:.nojekyll") == ""
    home = git(remote, "show", "site:index.html")
    assert 'href="https://speeches.example.org/"' in home  # built for the custom domain
    assert "https://speeches.example.org/" in done.out


def test_a_rejected_push_leaves_the_branch_as_it_was(
    sample: Path, remote: Path, run: Deploy, own_tempdir: Path
) -> None:
    assert run(sample, "git", str(remote)).code == 0
    first = tip(remote)
    hook = remote / "hooks" / "pre-receive"
    hook.write_text("#!/bin/sh\necho 'publishing is frozen today' >&2\nexit 1\n")
    hook.chmod(0o755)
    retitle(sample, "讲话档案")
    done = run(sample, "git", str(remote))
    assert done.code == 2
    assert f"the push to {remote} failed, so gh-pages there is unchanged" in done.err
    assert "publishing is frozen today" in done.err
    assert "run deploy again" in done.err
    assert tip(remote) == first
    assert list(own_tempdir.iterdir()) == []


def test_someone_else_publishing_meanwhile_is_not_overwritten(
    sample: Path, remote: Path, run: Deploy, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Between the fetch and the push another commit lands: the push must not replace it."""
    from generator.deploy import git_target

    assert run(sample, "git", str(remote)).code == 0
    original = git_target._push

    def push_after_someone_else(scratch: Path, repo: str, branch: str) -> None:
        other = tmp_path / "other"
        git(tmp_path, "clone", "-q", "-b", branch, str(remote), str(other))
        (other / "note.txt").write_text("someone else\n")
        commit_all(other, "Someone else")
        git(other, "push", "-q", "origin", branch)
        original(scratch, repo, branch)

    monkeypatch.setattr(git_target, "_push", push_after_someone_else)
    retitle(sample, "另一个标题")
    done = run(sample, "git", str(remote))
    assert done.code == 2
    assert "someone published to gh-pages meanwhile; run speechsite deploy again" in done.err
    assert git(remote, "log", "-1", "--format=%s", "gh-pages").strip() == "Someone else"


def test_an_unknown_repository_fails_before_building(
    sample: Path, run: Deploy, own_tempdir: Path
) -> None:
    done = run(sample, "git", "no/such/repo.git")
    assert done.code == 2
    assert "no such repository: no/such/repo.git" in done.err
    unreachable = run(sample, "git", "file:///nonexistent/repo.git")
    assert unreachable.code == 2
    assert "cannot read the repository file:///nonexistent/repo.git" in unreachable.err
    assert "nothing was published" in unreachable.err
    assert list(own_tempdir.iterdir()) == []


def test_a_remote_of_the_project_and_its_own_repository(
    sample: Path, remote: Path, run: Deploy
) -> None:
    git(sample, "remote", "add", "publish", str(remote))
    assert run(sample, "git", "publish").code == 0
    assert "index.html" in branch_files(remote)
    # The project's own repository: a gh-pages branch appears, the checkout is not touched.
    head = git(sample, "rev-parse", "HEAD").strip()
    assert run(sample, "git", ".").code == 0
    assert "index.html" in branch_files(sample)
    assert git(sample, "rev-parse", "HEAD").strip() == head
    assert git(sample, "status", "--porcelain") == ""
    assert not (sample / "index.html").exists()


def push_branch(remote: Path, clone: Path, branch: str, name: str, text: str) -> None:
    """A branch another tool made in `remote`: one commit holding one file."""
    git(clone.parent, "clone", "-q", str(remote), str(clone))
    git(clone, "checkout", "-q", "-b", branch)
    (clone / name).write_text(text)
    commit_all(clone, f"Add {name}")
    git(clone, "push", "-q", "origin", branch)


def test_an_existing_branch_keeps_its_history(sample: Path, remote: Path, run: Deploy) -> None:
    """A gh-pages branch made by another tool: the first deploy goes on top of it."""
    push_branch(remote, sample.parent / "other", "gh-pages", "old.html", "old site\n")
    old = tip(remote)
    done = run(sample, "git", str(remote))
    assert done.code == 0
    assert git(remote, "rev-parse", "gh-pages^").strip() == old
    assert "old.html" not in branch_files(remote)
    assert "1 removed" in done.out


def test_the_default_branch_of_a_source_repository_is_refused(
    sample: Path, remote: Path, run: Deploy
) -> None:
    """`--branch main` onto a repository whose main holds a project's sources: publishing would
    replace all of them with the site. Refused, and the branch is left as it was."""
    push_branch(remote, sample.parent / "sources", "main", "README.md", "sources\n")
    git(remote, "symbolic-ref", "HEAD", "refs/heads/main")
    before = tip(remote, "main")
    done = run(sample, "git", str(remote), "--branch", "main")
    assert done.code == 2
    assert "refusing to publish to main, the default branch of" in done.err
    assert tip(remote, "main") == before
    assert branch_files(remote, "main") == {"README.md"}


def test_without_a_git_identity_a_fallback_committer_is_used(
    sample: Path, remote: Path, run: Deploy, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for key in list(os.environ):
        if key.startswith(("GIT_AUTHOR", "GIT_COMMITTER")):
            monkeypatch.delenv(key)
    assert run(sample, "git", str(remote)).code == 0
    assert git(remote, "log", "-1", "--format=%cn <%ce>", "gh-pages").strip() == (
        "speechsite <speechsite@localhost>"
    )


def test_git_missing_from_path_is_a_clear_error(
    sample: Path, remote: Path, run: Deploy, monkeypatch: pytest.MonkeyPatch
) -> None:
    empty = sample.parent / "empty-path"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    assert shutil.which("git") is None
    done = run(sample, "git", str(remote), "--allow-dirty")
    assert done.code == 2
    assert "git is not installed" in done.err
