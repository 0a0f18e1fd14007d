"""Full-page screenshots of a built site: home, the longest speech and the fullest topic page, at
1280 and 390 px wide.

    python scripts/screenshots.py SITE_DIR OUT_DIR [--base /archive/]

Serves SITE_DIR on 127.0.0.1 (under --base when the site was built for a sub-path) and writes
OUT_DIR/{home,speech,topic}-{1280,390}.png with Debian chromium (scripts/install-test-deps.sh).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a file: find `scripts`

from scripts.chromium import launch
from scripts.static_server import StaticServer

WIDTHS = (1280, 390)


def pick_pages(site: Path) -> dict[str, str]:
    """Name → path below the site root, for the pages worth looking at."""

    def fullest(pattern: str, exclude: str) -> str:
        """The page of this kind with the most content (the largest file)."""
        found = [p for p in site.glob(pattern) if p.parent != site / exclude]
        if not found:
            raise SystemExit(f"{site} has no page matching {pattern}; is it a built speechsite?")
        largest = max(found, key=lambda p: (p.stat().st_size, p.as_posix()))
        return largest.parent.relative_to(site).as_posix() + "/"

    if not (site / "index.html").is_file():
        raise SystemExit(f"{site}/index.html is missing; build the site first (make site)")
    return {
        "home": "",
        "speech": fullest("speeches/*/index.html", "speeches"),
        "topic": fullest("topics/*/index.html", "topics"),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path, help="the built site, e.g. site/")
    parser.add_argument("out", type=Path, help="folder for the PNG files")
    parser.add_argument("--base", default="/", help="the sub-path the site was built for")
    args = parser.parse_args()
    pages = pick_pages(args.site)
    args.out.mkdir(parents=True, exist_ok=True)
    from playwright.sync_api import sync_playwright

    with StaticServer(args.site, args.base) as server, sync_playwright() as playwright:
        browser = launch(playwright)
        for width in WIDTHS:
            context = browser.new_context(viewport={"width": width, "height": 900}, locale="zh-CN")
            page = context.new_page()
            for name, path in pages.items():
                page.goto(server.url + path, wait_until="load")
                page.evaluate("() => document.fonts.ready.then(() => true)")
                target = args.out / f"{name}-{width}.png"
                page.screenshot(path=str(target), full_page=True)
                print(target)
            context.close()
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
