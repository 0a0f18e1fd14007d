"""Shared fixtures: the project root, the bundled sample, the shared corpus."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_RAW = ROOT / "content" / "raw"
CORPUS = ROOT.parent / "shared" / "corpus"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A fresh project folder holding the bundled sample's raw files and the repo's site.yaml."""
    shutil.copytree(SAMPLE_RAW, tmp_path / "content" / "raw")
    shutil.copy(ROOT / "site.yaml", tmp_path / "site.yaml")
    return tmp_path
