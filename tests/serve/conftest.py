"""A sample project for the serve tests: the bundled speeches, themes and site.yaml."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import ROOT


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    project = tmp_path / "project"
    shutil.copytree(ROOT / "content" / "speeches", project / "content" / "speeches")
    shutil.copytree(ROOT / "themes", project / "themes")
    shutil.copy(ROOT / "site.yaml", project / "site.yaml")
    return project
