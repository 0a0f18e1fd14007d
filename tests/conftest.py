"""Shared fixtures: the project root, the bundled sample, the shared corpus."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from hypothesis import settings

# In CI (CI=true) the property tests draw the same examples every run, so a red run is the
# code's doing and shows again on a re-run; elsewhere each run explores new ones, and what it
# finds is kept in .hypothesis/ and tried first the next time.
settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no"):
    settings.load_profile("ci")

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_RAW = ROOT / "content" / "raw"
CORPUS = ROOT.parent / "shared" / "corpus"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A fresh project folder holding the bundled sample's raw files and the repo's site.yaml."""
    shutil.copytree(SAMPLE_RAW, tmp_path / "content" / "raw")
    shutil.copy(ROOT / "site.yaml", tmp_path / "site.yaml")
    return tmp_path
