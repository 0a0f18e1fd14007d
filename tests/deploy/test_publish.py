"""`speechsite deploy` as a whole: the refusals (uncommitted content, a failed build, broken
links), clean-up on every path, and the user's own site/ left alone."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from generator.cli import main
from tests.deploy.conftest import Deploy, commit_all, git
from tests.e2e.sites import venv_tool
from tests.helpers import snapshot

BASE = "/archive/"


@pytest.fixture
def dest(tmp_path: Path) -> Path:
    return tmp_path / "www"


def published(run: Deploy, project: Path, dest: Path) -> None:
    done = run(project, "dir", str(dest), "--base-url", BASE)
    assert done.code == 0, done.err


def test_uncommitted_content_is_refused_and_named(
    sample: Path, dest: Path, run: Deploy, own_tempdir: Path
) -> None:
    published(run, sample, dest)
    before = snapshot(dest)
    speech = sorted((sample / "content" / "speeches").glob("*.md"))[0]
    speech.write_text(speech.read_text(encoding="utf-8") + "\n补充一段。\n", encoding="utf-8")
    done = run(sample, "dir", str(dest), "--base-url", BASE)
    assert done.code == 2
    assert "the content has uncommitted changes" in done.err
    assert f"M content/speeches/{speech.name}" in done.err
    assert "--allow-dirty" in done.err
    assert snapshot(dest) == before
    assert list(own_tempdir.iterdir()) == []

    allowed = run(sample, "dir", str(dest), "--base-url", BASE, "--allow-dirty")
    assert allowed.code == 0, allowed.err
    assert "with uncommitted changes" in allowed.out
    slug = speech.stem
    assert "补充一段" in (dest / "speeches" / slug / "index.html").read_text(encoding="utf-8")


def test_a_project_outside_git_needs_allow_dirty(sample: Path, dest: Path, run: Deploy) -> None:
    shutil.rmtree(sample / ".git")
    done = run(sample, "dir", str(dest))
    assert done.code == 2
    assert "not in a git repository" in done.err and "--allow-dirty" in done.err
    assert not dest.exists()
    allowed = run(sample, "dir", str(dest), "--allow-dirty")
    assert allowed.code == 0, allowed.err
    assert "from the project as it is (no git commit)" in allowed.out
    assert (dest / "index.html").is_file()


def test_a_failed_build_publishes_nothing_and_says_why(
    sample: Path, dest: Path, run: Deploy, own_tempdir: Path
) -> None:
    published(run, sample, dest)
    before = snapshot(dest)
    speech = sorted((sample / "content" / "speeches").glob("*.md"))[0]
    text = speech.read_text(encoding="utf-8")
    speech.write_text(text.replace("\ntitle: ", "\ntitle: [unclosed\n", 1), encoding="utf-8")
    commit_all(sample, "Break a speech")
    done = run(sample, "dir", str(dest), "--base-url", BASE)
    assert done.code == 2
    assert "the build failed, so nothing was deployed" in done.err
    assert speech.name in done.err
    assert snapshot(dest) == before
    assert list(own_tempdir.iterdir()) == []


def test_broken_links_stop_the_deploy_and_are_listed(sample: Path, dest: Path, run: Deploy) -> None:
    published(run, sample, dest)
    before = snapshot(dest)
    templates = sample / "themes" / "mine" / "templates"
    templates.mkdir(parents=True)
    (templates / "home.html").write_text(
        '{% extends "default/home.html" %}{% block content %}{{ super() }}'
        "<a href=\"{{ url('no-such-page/') }}\">gone</a>"
        '<img src="{{ url(\'assets/missing.png\') }}" alt="">{% endblock %}',
        encoding="utf-8",
    )
    config = sample / "site.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "\ntheme: mine\n", encoding="utf-8")
    commit_all(sample, "A theme with a broken link")
    done = run(sample, "dir", str(dest), "--base-url", BASE)
    assert done.code == 2
    assert "2 broken internal links in the built site, so nothing was deployed" in done.err
    assert "index.html: /archive/no-such-page/ (no such file in the build)" in done.err
    assert "index.html: /archive/assets/missing.png (no such file in the build)" in done.err
    assert snapshot(dest) == before


def test_interrupted_deploy_removes_its_temporary_folders(
    sample: Path, dest: Path, run: Deploy, own_tempdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from generator.deploy import publish

    def interrupt(*args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(publish, "check_site", interrupt)
    done = run(sample, "dir", str(dest))
    assert done.code == 130
    assert list(own_tempdir.iterdir()) == []
    assert not dest.exists()


def test_the_users_site_folder_is_not_touched(sample: Path, dest: Path, run: Deploy) -> None:
    assert main(["-C", str(sample), "build", "--quiet"]) == 0
    before = snapshot(sample / "site")
    published(run, sample, dest)  # built for /archive/, site/ is built for /
    assert snapshot(sample / "site") == before
    assert 'href="/archive/topics/"' in (dest / "index.html").read_text(encoding="utf-8")
    assert 'href="/topics/"' in (sample / "site" / "index.html").read_text(encoding="utf-8")
    # and the next build of site/ still finds everything in place
    assert main(["-C", str(sample), "build", "--quiet"]) == 0
    assert snapshot(sample / "site") == before


def test_without_a_target(sample: Path, run: Deploy) -> None:
    done = run(sample)
    assert done.code == 2
    assert "no deploy target given" in done.err
    assert "speechsite deploy git REPO" in done.err


def test_quiet_prints_nothing_on_success(sample: Path, dest: Path, run: Deploy) -> None:
    done = run(sample, "dir", str(dest), "-q")
    assert done.code == 0
    assert done.out == "" and done.err == ""


def test_verbose_lists_every_published_file(sample: Path, dest: Path, run: Deploy) -> None:
    done = run(sample, "dir", str(dest), "-v")
    assert done.code == 0
    assert "  + index.html" in done.out
    assert "  + .speechsite-deploy.json" not in done.out


def test_help_explains_the_targets(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["deploy", "--help"])
    out = capsys.readouterr().out
    for text in ("git REPO", "dir DEST", "--dry-run", "--allow-dirty", "--branch", "--cname"):
        assert text in out


def test_the_command_runs_as_a_program(sample: Path, dest: Path) -> None:
    """The installed entry point, end to end, with the exit status a script sees."""
    head = git(sample, "rev-parse", "HEAD").strip()
    program = venv_tool("speechsite")
    assert program is not None, "the speechsite command is not installed"
    done = subprocess.run(
        [str(program), "-C", str(sample), "deploy", "dir", str(dest)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert f"from commit {head[:12]}" in done.stdout
