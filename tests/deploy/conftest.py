"""Fixtures for the deploy tests: a committed sample project, an isolated temporary folder,
the CLI, and git helpers."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from generator.cli import main
from tests.conftest import ROOT
from tests.e2e.sites import register_marker

IDENTITY = ["-c", "user.name=Editor", "-c", "user.email=editor@example.org"]


def pytest_configure(config: pytest.Config) -> None:
    register_marker(config)


def git(cwd: Path, *args: str) -> str:
    """Run git in `cwd`, fail the test on an error, return stdout."""
    done = subprocess.run(
        ["git", *IDENTITY, *args], cwd=cwd, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, f"git {' '.join(args)}: {done.stderr}"
    return done.stdout


def commit_all(project: Path, message: str = "update") -> str:
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", message)
    return git(project, "rev-parse", "HEAD").strip()


def retitle(project: Path, title: str, message: str = "Retitle") -> str:
    """Change the archive's title (on every page) and commit it."""
    config = project / "site.yaml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("title: 讲话稿档案\n", f"title: {title}\n", 1), encoding="utf-8")
    assert config.read_text(encoding="utf-8") != text
    return commit_all(project, message)


def make_sample(project: Path) -> Path:
    """The sample project (speeches, themes, site.yaml), committed to a new git repository."""
    shutil.copytree(ROOT / "content" / "speeches", project / "content" / "speeches")
    shutil.copytree(ROOT / "themes", project / "themes")
    shutil.copy(ROOT / "site.yaml", project / "site.yaml")
    (project / ".gitignore").write_text(".speechsite-cache/\nsite/\n", encoding="utf-8")
    git(project, "init", "-q", "-b", "main")
    commit_all(project, "Sample archive")
    return project


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    return make_sample(tmp_path / "project")


@pytest.fixture(autouse=True)
def own_tempdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Deploy's temporary folders go here, so a test can see that none is left behind."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    yield folder


@dataclass
class Run:
    code: int
    out: str
    err: str


Deploy = Callable[..., Run]


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str]) -> Deploy:
    """Run `speechsite -C PROJECT deploy ARGS…` and capture what it printed."""

    def deploy(project: Path, *args: str) -> Run:
        capsys.readouterr()
        code = main(["-C", str(project), "deploy", *args])
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return deploy
