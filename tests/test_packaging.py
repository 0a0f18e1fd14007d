"""pyproject.toml lists its packages by hand (the stock theme is mapped in from themes/): every
package under generator/ must be in that list, or an installed speechsite would lack it."""

from __future__ import annotations

import tomllib

from tests.conftest import ROOT


def test_every_package_and_the_stock_theme_are_shipped() -> None:
    setuptools = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["tool"]["setuptools"]
    on_disk = {
        ".".join(init.parent.relative_to(ROOT).parts)
        for init in (ROOT / "generator").rglob("__init__.py")
    }
    listed = set(setuptools["packages"])
    assert on_disk <= listed, f"add to pyproject.toml's packages: {sorted(on_disk - listed)}"
    assert setuptools["package-dir"]["generator.stock_themes"] == "themes"
    assert (ROOT / "themes" / "default" / "templates" / "base.html").is_file()
    assert "default/**/*" in setuptools["package-data"]["generator.stock_themes"]
