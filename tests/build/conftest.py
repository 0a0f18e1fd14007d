"""Registers the `browser` marker for tests/build/test_site_checks.py (see tests/e2e/sites.py)."""

from __future__ import annotations

import pytest

from tests.e2e.sites import register_marker


def pytest_configure(config: pytest.Config) -> None:
    register_marker(config)
