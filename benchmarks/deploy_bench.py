"""Deploy speed on generated archives: the link check alone, then `speechsite deploy` to a local
folder and to a local bare git repository — first deploy, no-change deploy, one-edit deploy.

Each deploy runs as a separate process, like a user runs it, and includes the fresh build
(every page rendered into a temporary folder), the link check and the publishing step.

    python benchmarks/deploy_bench.py [--sizes 1000 10000]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from archive_gen import base_speeches, generate

from generator.build import MARKER, build_site
from generator.config import load_config
from generator.deploy.linkcheck import check_site

SPEECHSITE = Path(sys.executable).parent / "speechsite"
BASE = "https://example.org/archive/"
GIT = ["git", "-c", "user.name=Bench", "-c", "user.email=bench@example.org"]


def run(*command: str, cwd: Path | None = None) -> str:
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def timed_deploy(project: Path, *args: str) -> tuple[float, str]:
    """Seconds the deploy took, and its last summary line."""
    started = time.perf_counter()
    out = run(str(SPEECHSITE), "-C", str(project), "deploy", *args, "--base-url", BASE)
    seconds = time.perf_counter() - started
    return seconds, out.strip().splitlines()[-2]


def edit_one(project: Path) -> None:
    speech = sorted((project / "content" / "speeches").glob("*.md"))[0]
    with speech.open("a", encoding="utf-8") as handle:
        handle.write("\n补充的一段话。\n")
    run(*GIT, "commit", "-q", "-am", "edit", cwd=project)


def bench(count: int, bases: list[tuple[dict[str, object], str]]) -> None:
    with tempfile.TemporaryDirectory(prefix="speechsite-deploy-bench-") as work_name:
        work = Path(work_name)
        project = work / "project"
        generate(project, count, bases)
        (project / ".gitignore").write_text(".speechsite-cache/\n", encoding="utf-8")
        run(*GIT, "init", "-q", "-b", "main", cwd=project)
        run(*GIT, "add", "-A", cwd=project)
        run(*GIT, "commit", "-q", "-m", "archive", cwd=project)

        site = work / "site"
        build_site(load_config(project), output=site, base_url=BASE, cache_dir=work / "cache")
        (site / MARKER).unlink()
        files = [p for p in site.rglob("*") if p.is_file()]
        megabytes = sum(p.stat().st_size for p in files) / 1e6
        started = time.perf_counter()
        checked = check_site(site, BASE)
        check_seconds = time.perf_counter() - started
        print(
            f"{count:>6} speeches: {len(files)} files, {megabytes:.0f} MB; link check "
            f"{check_seconds:.2f} s ({checked.links:,} links in {checked.pages:,} files, "
            f"{len(checked.broken)} broken)"
        )

        remote = work / "remote.git"
        run(*GIT, "init", "-q", "--bare", str(remote))
        for name, args in (
            ("folder", ("dir", str(work / "www"))),
            ("git", ("git", str(remote))),
        ):
            first, _ = timed_deploy(project, *args)
            again, summary = timed_deploy(project, *args)
            assert "nothing to publish" in summary, summary
            edit_one(project)
            edit, summary = timed_deploy(project, *args)
            print(
                f"{'':>6}   deploy to a {name:<6}: first {first:.1f} s, "
                f"no change {again:.1f} s, one edit {edit:.1f} s ({summary.split(': ', 1)[-1]})"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    args = parser.parse_args()
    bases = base_speeches()
    for count in args.sizes:
        bench(count, bases)


if __name__ == "__main__":
    main()
