"""The sample site built once per session for the search tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.search.reader import Reader
from tests.search.projects import built_sample


@pytest.fixture(scope="session")
def sample(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(project, site) of the bundled sample, built once."""
    return built_sample(tmp_path_factory.mktemp("search-sample"))


@pytest.fixture(scope="session")
def sample_reader(sample: tuple[Path, Path]) -> Reader:
    return Reader(sample[1] / "search")
