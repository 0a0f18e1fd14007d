"""Request paths map to files inside the output only: traversal in any spelling is refused."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator.serve.paths import normalise_base, requested_range, resolve_request


@pytest.fixture
def site(tmp_path: Path) -> Path:
    (tmp_path / "secret.txt").write_text("outside the output")
    root = tmp_path / "site"
    (root / "speeches" / "a").mkdir(parents=True)
    (root / "index.html").write_text("home")
    (root / "speeches" / "a" / "index.html").write_text("a")
    (root / "feed.xml").write_text("feed")
    (root / ".speechsite-build.json").write_text("{}")
    return root.resolve()


@pytest.mark.parametrize(
    "path",
    [
        "/../secret.txt",
        "/speeches/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E/secret.txt",
        "/..%2fsecret.txt",
        "/..%2Fsecret.txt",
        "/speeches/%2e%2e%2f%2e%2e%2fsecret.txt",
        "/%2e%2e%5csecret.txt",
        "/..\\secret.txt",
        "//etc/passwd",
        "/%2Fetc/passwd",
        "/%2fetc%2fpasswd",
        "/speeches/a/..",
        "/speeches/./a/",
        "/index.html%00.css",
        "/.speechsite-build.json",
        "/%2e%2e",
        "/%252e%252e/secret.txt",  # double-encoded: stays a literal name, which does not exist
    ],
)
def test_traversal_never_leaves_the_output(site: Path, path: str) -> None:
    target = resolve_request(site, "/", path)
    assert target is None or target.file is None
    if target is not None:
        assert (site / target.name).resolve().is_relative_to(site)


def test_an_absolute_filesystem_path_is_a_name_inside_the_output(site: Path) -> None:
    secret = site.parent / "secret.txt"
    found = resolve_request(site, "/", str(secret))
    assert found is not None and found.file is None


def test_a_symlink_leading_outside_is_refused(site: Path) -> None:
    os.symlink(site.parent / "secret.txt", site / "link.txt")
    os.symlink(site.parent, site / "up")
    assert resolve_request(site, "/", "/link.txt") is None
    assert resolve_request(site, "/", "/up/secret.txt") is None


def test_files_folders_and_misses(site: Path) -> None:
    home = resolve_request(site, "/", "/")
    assert home is not None and home.file == site / "index.html" and home.name == "index.html"
    page = resolve_request(site, "/", "/speeches/a/?q=1#top")
    assert page is not None and page.file == site / "speeches" / "a" / "index.html"
    assert page.name == "speeches/a/index.html"
    folder = resolve_request(site, "/", "/speeches/a")
    assert folder is not None and folder.redirect == "/speeches/a/"
    missing = resolve_request(site, "/", "/speeches/b/")
    assert missing is not None and missing.file is None
    assert missing.name == "speeches/b/index.html"
    as_folder = resolve_request(site, "/", "/feed.xml/")
    assert as_folder is not None and as_folder.file is None


def test_only_paths_under_the_base_path_are_served(site: Path) -> None:
    assert resolve_request(site, "/archive/", "/index.html") is None
    assert resolve_request(site, "/archive/", "/archive-other/index.html") is None
    inside = resolve_request(site, "/archive/", "/archive/speeches/a/")
    assert inside is not None and inside.file == site / "speeches" / "a" / "index.html"
    assert resolve_request(site, "/archive/", "/archive/../secret.txt") is None


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("", "/"),
        ("/", "/"),
        ("archive", "/archive/"),
        ("/archive", "/archive/"),
        ("/a/b/", "/a/b/"),
    ],
)
def test_base_paths_are_normalised(given: str, expected: str) -> None:
    assert normalise_base(given) == expected


@pytest.mark.parametrize(
    ("header", "size", "wanted"),
    [
        ("bytes=10-19", 100, (10, 19)),
        ("bytes=90-", 100, (90, 99)),
        ("bytes=90-500", 100, (90, 99)),  # clamped to the file
        ("bytes=100-", 100, (100, 99)),  # beyond the file: empty
        (None, 100, None),
        ("bytes=-5", 100, None),  # suffix ranges are not read
        ("items=1-2", 100, None),
    ],
)
def test_requested_range(header: str | None, size: int, wanted: tuple[int, int] | None) -> None:
    assert requested_range(header, size) == wanted
