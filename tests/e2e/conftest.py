"""Fixtures for the browser checks: the served sample sites, one chromium, one visit per page."""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from scripts.chromium import CHROMIUM, launch
from tests.e2e.browser import Visitor
from tests.e2e.sites import (
    AXE_JS,
    ServedSite,
    register_marker,
    require,
    served_sites,
    stop_servers,
)

if TYPE_CHECKING:
    from playwright.sync_api import Browser


def pytest_configure(config: pytest.Config) -> None:
    register_marker(config)


@pytest.fixture(scope="session")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, ServedSite]]:
    """Both sample builds ("root", "sub-path"), served on 127.0.0.1."""
    yield served_sites(tmp_path_factory)
    stop_servers()


@pytest.fixture(scope="session")
def chromium() -> Iterator[Browser]:
    """One headless Debian chromium for the session (Playwright's sync API allows one driver
    per process, so every browser test shares it)."""
    require(importlib.util.find_spec("playwright"), "the Python package playwright is missing")
    require(CHROMIUM.is_file(), f"{CHROMIUM} is missing (Debian package chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(scope="session")
def visitor(served: dict[str, ServedSite], chromium: Browser) -> Iterator[Visitor]:
    """The sample's pages, each visited once in the shared chromium."""
    require(AXE_JS.is_file(), f"axe-core is missing ({AXE_JS})")
    visitor = Visitor(chromium, served, AXE_JS.read_text(encoding="utf-8"))
    try:
        yield visitor
    finally:
        visitor.close()
