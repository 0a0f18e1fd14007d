"""Search on a generated archive: index size, bytes per query, keystroke-to-results time, recall —
and Pagefind (extended build, which segments Chinese) on the same built site and queries.

For N speeches (default 10,000; benchmarks/archive_gen.py) it builds the site and prints:
  - the index: files, total size, build time of the search stage;
  - per query: results, recall and precision against a plain substring scan of the cleaned
    text (title and body of each speech, folded the same way), and the bytes Chromium fetched
    for it cold (a fresh browser profile: search.js, index.json, buckets, packs, fragments of
    the first page of results) and warm (the same profile, right after another query);
  - the time from each keystroke to the results being on the page, in Debian chromium, typing
    each query one character at a time into a search page just opened in a fresh profile
    (nothing of the index cached but index.json), `--rounds` times over (median and 95th
    percentile over all keystrokes). The site is served by nginx, as a static host would
    serve it, when nginx is installed (`--server python`: Python's threaded server);
  - the same recall, precision and cold bytes for Pagefind, when `pagefind` is importable
    (`make bench` installs `pagefind[extended]`).

    python benchmarks/search_bench.py [--n 10000] [--skip-pagefind] [--rounds 3] [--server nginx]
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
from archive_gen import base_speeches, generate
from chromium import launch
from nginx_server import NginxServer, nginx_binary
from static_server import StaticServer

from generator.archive import load_entry, speech_files
from generator.build import build_site, search_details
from generator.config import load_config
from generator.render.markdown import render_body
from generator.search.extract import stream
from generator.search.fold import search_fold
from generator.search.reader import Reader, parse_query

QUERIES = [
    "营商环境",
    "放管服",
    "最多跑一次",
    "一岗双责",
    "跑一次",
    "商环境",
    "作风",
    "落实",
    "高质量发展",
    "乡村振兴",
    "脱贫攻坚",
    "政务服务",
    "民营经济",
    "安全生产",
    "招商引资",
    "生态环境",
    "形式主义",
    "数字经济",
    "營商環境",
    "作风 落实",
]


def truth(project: Path) -> dict[str, set[int]]:
    """Speech numbers (slug order) whose folded text contains every term of each query: its
    title, body, details (speaker, occasion, date) and topics, as the index has them (without
    them, 1,475 speeches tagged 营商环境 counted as false matches of 商环境)."""
    texts: list[str] = []
    entries = sorted(
        (load_entry(p) for p in speech_files(project / "content" / "speeches")),
        key=lambda e: e.slug,
    )
    for entry in entries:  # (what the index holds: the details and topics it finds a speech by)
        blocks = render_body(entry.body).blocks
        text, _ = stream(entry.title, blocks, search_details(entry), entry.topics)
        texts.append(search_fold(text))
    return {
        q: {i for i, t in enumerate(texts) if all(term in t for term in parse_query(q))}
        for q in QUERIES
    }


def score(found: set[int], expected: set[int]) -> tuple[float, float]:
    recall = len(found & expected) / len(expected) if expected else 1.0
    precision = len(found & expected) / len(found) if found else 1.0
    return recall, precision


class Meter:
    """Bytes Chromium received over the network for requests whose URL path `counts`: the
    page's own Resource Timing (`transferSize`: headers and body as sent; nothing for an
    answer from the browser cache, the headers for a revalidation), and its workers' — Pagefind
    searches in a worker, whose fetches the page's record does not hold. The browser's record,
    not Playwright's request events, which can reach Python after the page is done or not at
    all (queries measured 0 bytes that way)."""

    ENTRIES = (
        """() => performance.getEntriesByType('resource').map(e => [e.name, e.transferSize])"""
    )

    def __init__(self, page: Any, counts: Callable[[str], bool]) -> None:
        self.page = page
        self.counts = counts
        page.add_init_script("performance.setResourceTimingBufferSize(1000000)")

    @property
    def log(self) -> list[tuple[str, int]]:
        entries = self.page.evaluate(self.ENTRIES)
        for worker in self.page.workers:
            entries += worker.evaluate(self.ENTRIES)
        return [(url, int(size)) for url, size in entries if self.counts(urlsplit(url).path)]

    @property
    def total(self) -> int:
        return sum(size for _, size in self.log)

    def settled(self) -> int:
        """The total once it stops growing (a request's entry is recorded when it ends)."""
        last = -1
        while (now := self.total) != last:
            last = now
            self.page.wait_for_timeout(150)
        return now


def search_file(path: str) -> bool:
    """The search's own files: the script and everything under search/ but the page itself."""
    return "/assets/js/search." in path or ("/search/" in path and not path.endswith("/search/"))


def ours_in_browser(browser: Any, base: str, queries: list[str]) -> dict[str, Any]:
    """Cold: a fresh profile opens the search page with ?q= (what a shared link does); every
    byte of search.js, index.json, buckets, packs and the first page's fragments counts.
    Warm: the same profile then runs another query."""
    cold: dict[str, int] = {}
    warm: dict[str, int] = {}
    logs: dict[str, list[tuple[str, int]]] = {}
    for index, query in enumerate(queries):
        context = browser.new_context()
        page = context.new_page()
        meter = Meter(page, search_file)
        page.goto(base + "search/?q=" + query)
        page.wait_for_function(
            "document.getElementById('search').getAttribute('data-state') === 'done'"
        )
        cold[query] = meter.settled()
        logs[query] = meter.log
        other = queries[(index + 1) % len(queries)]
        before = cold[query]
        page.fill("#search-input", other)
        page.wait_for_function(
            "q => document.getElementById('search').getAttribute('data-state') === 'done' && new URLSearchParams(location.search).get('q') === q",
            arg=other,
        )
        warm[other] = meter.settled() - before
        context.close()
    return {"cold": cold, "warm": warm, "logs": logs}


def typing_latencies(browser: Any, base: str, queries: list[str], rounds: int) -> list[float]:
    """Each query typed into a search page opened in a fresh profile: what a reader who has
    just arrived meets, with none of the index but index.json fetched yet."""
    latencies: list[float] = []
    for _ in range(rounds):
        for query in queries:
            context = browser.new_context()
            page = context.new_page()
            page.goto(base + "search/")
            page.wait_for_function(
                "document.querySelector('[data-search-filters]') && !document.querySelector('[data-search-filters]').hidden"
            )
            latencies += _type(page, query)
            context.close()
    return latencies


def _type(page: Any, query: str) -> list[float]:
    """Type one character at a time; the page records the time from input to results."""
    times = []
    for i in range(1, len(query) + 1):
        page.evaluate("document.getElementById('search').removeAttribute('data-search-ms')")
        page.fill("#search-input", query[:i])
        page.wait_for_function(
            "document.getElementById('search').hasAttribute('data-search-ms')", timeout=30000
        )
        times.append(float(page.get_attribute("#search", "data-search-ms") or "nan"))
    return times


PAGEFIND_JS = """async (q) => {
  const pf = await import(location.origin + '/pagefind/pagefind.js');
  await pf.init();
  const found = await pf.search(q);
  const first = await Promise.all(found.results.slice(0, 5).map(r => r.data()));
  return {count: found.results.length, first: first.map(d => d.url)};
}"""
PAGEFIND_ALL_JS = """async (q) => {
  const pf = await import(location.origin + '/pagefind/pagefind.js');
  const found = await pf.search(q);
  const all = await Promise.all(found.results.map(r => r.data()));
  return all.map(d => d.url);
}"""


def pagefind(site: Path) -> float | None:
    try:
        import pagefind  # noqa: F401
    except ImportError:
        return None
    started = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pagefind",
            "--site",
            str(site),
            "--glob",
            "speeches/**/*.html",
            "--root-selector",
            "article.speech",
            "--output-subdir",
            "pagefind",
        ],
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return time.perf_counter() - started


def pagefind_in_browser(browser: Any, base: str, slugs: dict[str, int]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for query in QUERIES:
        context = browser.new_context()
        page = context.new_page()
        meter = Meter(page, lambda path: "/pagefind/" in path)
        page.goto(base + "404.html")
        first = page.evaluate(PAGEFIND_JS, query)
        cold = meter.total
        urls = page.evaluate(PAGEFIND_ALL_JS, query)
        found = {
            slugs[u.rstrip("/").split("/")[-1]]
            for u in urls
            if u.rstrip("/").split("/")[-1] in slugs
        }
        out[query] = {"cold": cold, "found": found, "count": first["count"]}
        context.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10000)
    parser.add_argument("--skip-pagefind", action="store_true")
    parser.add_argument(
        "--verbose", action="store_true", help="list each file a cold query fetched"
    )
    parser.add_argument("--keep", type=Path, help="build here and keep it (default: a temp folder)")
    parser.add_argument("--rounds", type=int, default=3, help="times each query is typed")
    parser.add_argument(
        "--server",
        choices=("nginx", "python"),
        default="nginx" if nginx_binary() else "python",
        help="what serves the site to the browser (default: nginx when installed)",
    )
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="speechsite-search-bench-"))
    try:
        project = work / "project"
        if not (project / "content" / "speeches").is_dir():
            generate(project, args.n, base_speeches())
        config = load_config(project)
        started = time.perf_counter()
        result = build_site(config)
        built = time.perf_counter() - started
        search_dir = config.output / "search"
        files = [p for p in search_dir.rglob("*") if p.is_file()]
        print(f"speechsite search bench: N = {args.n}")
        print(
            f"  cold build {built:.2f} s, of which search stage {result.timings.get('search', 0):.2f} s"
        )
        print(f"  index: {len(files)} files, {sum(p.stat().st_size for p in files) / 1e6:.1f} MB")
        expected = truth(project)
        reader = Reader(search_dir)
        slugs = {
            e.slug: i
            for i, e in enumerate(
                sorted(
                    (load_entry(p) for p in speech_files(project / "content" / "speeches")),
                    key=lambda e: e.slug,
                )
            )
        }
        ours: dict[str, set[int]] = {}
        for query in QUERIES:
            ours[query] = {r.doc for r in reader.search(query)[1]}
        pf_seconds = None if args.skip_pagefind else pagefind(config.output)
        from playwright.sync_api import sync_playwright

        server = (
            NginxServer(config.output) if args.server == "nginx" else StaticServer(config.output)
        )
        print(f"  served by {args.server}")
        with server, sync_playwright() as playwright:
            browser = launch(playwright)
            measured = ours_in_browser(browser, server.url, QUERIES)
            measured["latencies"] = typing_latencies(browser, server.url, QUERIES, args.rounds)
            theirs = (
                pagefind_in_browser(browser, server.url, slugs) if pf_seconds is not None else None
            )
            browser.close()
        _report(expected, ours, measured, theirs, pf_seconds)
        if args.verbose:
            for query, log in measured["logs"].items():
                print(query, [(urlsplit(u).path.split("/search/")[-1], n) for u, n in log])
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)


def _report(
    expected: dict[str, set[int]],
    ours: dict[str, set[int]],
    measured: dict[str, Any],
    theirs: dict[str, Any] | None,
    pf_seconds: float | None,
) -> None:
    header = f"  {'query':<10} {'true':>6} | {'ours':>6} {'rec':>5} {'prec':>5} {'cold KB':>8} {'warm KB':>8}"
    if theirs:
        header += f" | {'pagefind':>8} {'rec':>5} {'prec':>5} {'cold KB':>8}"
    print(header)
    sums = {"r": 0.0, "p": 0.0, "pr": 0.0, "pp": 0.0}
    for q in QUERIES:
        r, p = score(ours[q], expected[q])
        sums["r"] += r
        sums["p"] += p
        line = f"  {q:<10} {len(expected[q]):>6} | {len(ours[q]):>6} {r:>5.0%} {p:>5.0%} {measured['cold'][q] / 1024:>8.1f} {measured['warm'][q] / 1024:>8.1f}"
        if theirs:
            t = theirs[q]
            pr, pp = score(t["found"], expected[q])
            sums["pr"] += pr
            sums["pp"] += pp
            line += f" | {t['count']:>8} {pr:>5.0%} {pp:>5.0%} {t['cold'] / 1024:>8.1f}"
        print(line)
    n = len(QUERIES)
    cold = sorted(measured["cold"].values())
    print(
        f"  ours: recall {sums['r'] / n:.1%}, precision {sums['p'] / n:.1%}; cold bytes median {statistics.median(cold) / 1024:.1f} KB, max {cold[-1] / 1024:.1f} KB; warm median {statistics.median(measured['warm'].values()) / 1024:.1f} KB"
    )
    lat = sorted(measured["latencies"])
    p95 = lat[min(len(lat) - 1, int(0.95 * len(lat)))]
    print(
        f"  keystroke → results in chromium: median {statistics.median(lat):.0f} ms, p95 {p95:.0f} ms, max {lat[-1]:.0f} ms ({len(lat)} keystrokes)"
    )
    if theirs and pf_seconds is not None:
        pcold = sorted(t["cold"] for t in theirs.values())
        print(
            f"  pagefind: indexing {pf_seconds:.1f} s; recall {sums['pr'] / n:.1%}, precision {sums['pp'] / n:.1%}; cold bytes median {statistics.median(pcold) / 1024:.1f} KB, max {pcold[-1] / 1024:.1f} KB"
        )
    print(json.dumps({"queries": n}))


if __name__ == "__main__":
    main()
