"""The project's git state: the source commit, and uncommitted changes to what the build reads."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.deploy.source import SourceState, commit_message, require_clean, source_state
from generator.errors import UserError
from tests.deploy.conftest import git, retitle


def inputs(project: Path) -> list[Path]:
    return [project / "content" / "speeches", project / "themes", project / "site.yaml"]


def test_a_committed_project_is_clean(sample: Path) -> None:
    state = source_state(sample, inputs(sample))
    assert state.clean
    assert state.commit == git(sample, "rev-parse", "HEAD").strip()
    assert state.subject == "Sample archive"
    require_clean(state, sample)


@pytest.mark.parametrize(
    ("change", "listed"),
    [
        ("content/speeches/new.md", "?? content/speeches/new.md"),
        ("themes/default/templates/home.html", "M themes/default/templates/home.html"),
        ("site.yaml", "M site.yaml"),
    ],
)
def test_uncommitted_inputs_are_refused_and_named(sample: Path, change: str, listed: str) -> None:
    path = sample / change
    path.write_text((path.read_text(encoding="utf-8") if path.exists() else "") + "\n# edit\n")
    state = source_state(sample, inputs(sample))
    assert not state.clean
    with pytest.raises(UserError) as info:
        require_clean(state, sample)
    assert "uncommitted changes" in info.value.message
    assert listed in info.value.message
    assert info.value.hint is not None and "--allow-dirty" in info.value.hint


def test_an_ignored_speech_is_an_uncommitted_input(sample: Path) -> None:
    """A draft .gitignore keeps out of every commit is still read by the build: a deploy
    "built from" a commit must not publish it. Ignored hidden files (editor swap files, which
    no build reads) do not count."""
    (sample / ".git" / "info" / "exclude").write_text("secret-draft.md\n*.swp\n")
    (sample / "content" / "speeches" / ".x.md.swp").write_text("swap")
    assert source_state(sample, inputs(sample)).clean
    (sample / "content" / "speeches" / "secret-draft.md").write_text("---\ntitle: x\n---\n")
    state = source_state(sample, inputs(sample))
    with pytest.raises(UserError) as info:
        require_clean(state, sample)
    assert "!! content/speeches/secret-draft.md" in info.value.message


def test_changes_outside_the_build_inputs_do_not_count(sample: Path) -> None:
    (sample / "notes.txt").write_text("to do\n", encoding="utf-8")
    (sample / "content" / "raw").mkdir()
    (sample / "content" / "raw" / "next.txt").write_text("讲话\n", encoding="utf-8")
    assert source_state(sample, inputs(sample)).clean


def test_outside_git_deploy_asks_for_allow_dirty(tmp_path: Path) -> None:
    state = source_state(tmp_path, [tmp_path])
    assert state == SourceState(None, None)
    with pytest.raises(UserError) as info:
        require_clean(state, tmp_path)
    assert "not in a git repository" in info.value.message
    assert info.value.hint is not None and "--allow-dirty" in info.value.hint


def test_a_repository_without_commits(tmp_path: Path) -> None:
    git(tmp_path, "init", "-q")
    (tmp_path / "site.yaml").write_text("title: x\n", encoding="utf-8")
    state = source_state(tmp_path, [tmp_path / "site.yaml"])
    assert state.repository is not None and state.commit is None
    with pytest.raises(UserError, match="no commit yet"):
        require_clean(state, tmp_path)


def test_commit_message_names_the_source_commit(sample: Path) -> None:
    sha = retitle(sample, "新标题", "Retitle the archive")
    message = commit_message(source_state(sample, inputs(sample)), "/archive/", "9.9")
    assert message.splitlines()[0] == f"Publish the site built from {sha[:12]}: Retitle the archive"
    assert f"Source commit: {sha}" in message
    assert "uncommitted" not in message
    assert "speechsite 9.9 for /archive/" in message


def test_commit_message_says_when_changes_were_not_committed(sample: Path) -> None:
    (sample / "site.yaml").write_text("title: 新标题\n", encoding="utf-8")
    message = commit_message(source_state(sample, inputs(sample)), "/", "1")
    assert "Built with uncommitted changes (--allow-dirty)." in message
