"""Live-reload latency of `speechsite serve`: from writing a file to the change being shown.

For the bundled sample and for a generated archive (10,000 speeches by default), it starts
`speechsite serve` as a separate process (as a user does), opens a speech in Debian chromium
(Playwright) and then, several times: appends a sentence to the speech's Markdown and times how
long until the open page shows it (the tab reloads by itself; nothing is done in the browser).
Edits come faster than the search index is merged again on a large archive, so each cancels
the last one's merge; a last edit is then left alone until serve says the index caught up.
On the sample it also times a CSS edit until the new style applies (swapped without a reload).
Prints the median and the 95th percentile.

    python benchmarks/serve_latency.py [--sizes 10000] [--edits 10]
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(1, str(Path(__file__).resolve().parent.parent))  # scripts/
from archive_gen import base_speeches, generate

from generator.speech import split_front_matter
from scripts.chromium import launch
from scripts.serve_process import ServeProcess

if TYPE_CHECKING:
    from playwright.sync_api import Page

ROOT = Path(__file__).resolve().parent.parent
REBUILT = re.compile(r"rebuilt in (\d+\.\d+)s: [1-9]")  # rebuilds that changed files
SEARCH_UPDATED = re.compile(r"search index updated in (\d+\.\d+)s")  # serve's second phase
SETTLE = 0.3  # seconds between edits, so each one is timed on its own


def sample_project(work: Path) -> Path:
    project = work / "sample"
    shutil.copytree(ROOT / "content" / "speeches", project / "content" / "speeches")
    shutil.copytree(ROOT / "themes", project / "themes")
    shutil.copy(ROOT / "site.yaml", project / "site.yaml")
    return project


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


PAINTED_JS = """() => {
  const paint = performance.getEntriesByType('paint')
    .find(entry => entry.name === 'first-contentful-paint');
  const navigation = performance.getEntriesByType('navigation')[0];
  return performance.timeOrigin + (paint ? paint.startTime : navigation.domContentLoadedEventEnd);
}"""


def time_edits(page: Page, speech: Path, edits: int) -> tuple[list[float], list[float]]:
    """Seconds from each Markdown write until the reloaded page was painted (the browser's own
    clock: its first contentful paint), and until Playwright saw the new sentence in it (which
    adds Playwright's polling and round trips)."""
    text = speech.read_text(encoding="utf-8").rstrip("\n")
    painted, seen = [], []
    for index in range(edits):
        token = f"延迟测试第{index}句标记{time.monotonic_ns()}"
        text += f"\n\n{token}。"
        wall = time.time()
        started = time.perf_counter()
        speech.write_text(text + "\n", encoding="utf-8")
        page.wait_for_function(
            f"document.body && document.body.innerText.includes('{token}')", timeout=120_000
        )
        seen.append(time.perf_counter() - started)
        page.wait_for_load_state("load")
        painted.append(page.evaluate(PAINTED_JS) / 1000 - wall)
        time.sleep(SETTLE)
    return painted, seen


def time_search(serve: ServeProcess, speech: Path) -> tuple[float, float]:
    """Seconds from one more Markdown write until serve logged the search index updated, and
    that merge's own time (serve's log). Only a line after this edit's own rebuild counts: an
    earlier edit's merge may finish meanwhile."""
    printed = len(serve.lines)
    speech.write_text(speech.read_text(encoding="utf-8") + "\n\n检索索引计时句。\n", "utf-8")
    started = time.perf_counter()
    deadline = started + 600
    while True:
        log = "".join(serve.lines[printed:])
        rebuilt = REBUILT.search(log)
        found = SEARCH_UPDATED.search(log, rebuilt.end()) if rebuilt else None
        if found:
            return time.perf_counter() - started, float(found[1])
        if time.perf_counter() > deadline:
            raise SystemExit("the search index was not updated in 600 s")
        time.sleep(0.02)


def time_css(page: Page, css: Path, edits: int) -> list[float]:
    """Seconds from each CSS write until the open page's style shows it (no reload)."""
    original = css.read_text(encoding="utf-8")
    page.evaluate("window.__notReloaded = true")
    times = []
    for index in range(edits):
        colour = f"rgb({index + 1}, 2, 3)"
        started = time.perf_counter()
        css.write_text(original + f"\n.site-title {{ color: {colour} !important; }}\n", "utf-8")
        page.wait_for_function(
            f"getComputedStyle(document.querySelector('.site-title')).color === '{colour}'",
            timeout=120_000,
        )
        times.append(time.perf_counter() - started)
        time.sleep(SETTLE)
    if not page.evaluate("window.__notReloaded === true"):
        raise SystemExit("a CSS edit reloaded the page")
    return times


def report(label: str, times: list[float]) -> None:
    ms = [t * 1000 for t in times]
    print(
        f"{label}: median {statistics.median(ms):.0f} ms, p95 {percentile(ms, 0.95):.0f} ms, "
        f"min {min(ms):.0f} ms, max {max(ms):.0f} ms ({len(ms)} edits)",
        flush=True,
    )


def measure(project: Path, label: str, edits: int, css_edits: int) -> None:
    speeches = sorted((project / "content" / "speeches").glob("*.md"))
    speech = speeches[len(speeches) // 2]
    front, _, _ = split_front_matter(speech.read_text(encoding="utf-8"), speech)
    from playwright.sync_api import sync_playwright

    started = time.perf_counter()
    with ServeProcess(project, startup_timeout=1800) as serve, sync_playwright() as playwright:
        print(f"{label}: serve ready in {time.perf_counter() - started:.1f} s", flush=True)
        browser = launch(playwright)
        try:
            page = browser.new_page()
            page.goto(serve.url + f"speeches/{front['slug']}/")
            page.wait_for_load_state("load")
            printed = len(serve.lines)
            painted, seen = time_edits(page, speech, edits)
            report(f"{label}  Markdown edit → reloaded page painted", painted)
            report(f"{label}  Markdown edit → seen by Playwright   ", seen)
            rebuilds = [float(m[1]) for m in REBUILT.finditer("".join(serve.lines[printed:]))]
            if rebuilds:
                report(f"{label}  of which the rebuild (serve's log)", rebuilds)
            if css_edits:
                css = project / "themes" / "default" / "static" / "css" / "site.css"
                report(
                    f"{label}  CSS edit → new style seen (no reload) ",
                    time_css(page, css, css_edits),
                )
            waited, merged = time_search(serve, speech)  # (last: the page reloads after it)
            print(
                f"{label}  Markdown edit → search index updated: {waited * 1000:.0f} ms "
                f"(the merge and swap itself, serve's log: {merged * 1000:.0f} ms)",
                flush=True,
            )
        finally:
            browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[10000])
    parser.add_argument("--edits", type=int, default=10, help="edits timed on the sample")
    parser.add_argument("--large-edits", type=int, default=5, help="edits timed per archive size")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="speechsite-serve-bench-") as tmp:
        work = Path(tmp)
        measure(sample_project(work), "sample (5 speeches)", args.edits, args.edits)
        if args.sizes:
            bases = base_speeches()
            for size in args.sizes:
                project = work / f"n{size}"
                generate(project, size, bases)
                measure(project, f"N={size}", args.large_edits, 0)


if __name__ == "__main__":
    main()
