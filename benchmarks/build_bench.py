"""Build speed and memory on generated archives, side by side with Pelican and MkDocs.

For each N (default 1,000 and 10,000) it generates N speeches (benchmarks/archive_gen.py) and
prints, for `speechsite build` run as a separate process like a user runs it:
  cold build (no cache, no output; the search index included), no-change rebuild,
  one-edit rebuild (a sentence appended to one speech; and, printed beside it, a sentence
  inserted in the middle of another), each timed unwatched (a rebuild: the median of three
  runs, another speech edited each time); then the peak memory of the
  whole process tree over the same steps run again (PSS: a page forked workers share with the
  build is counted once; RSS summed over the processes is printed beside it);
and, on the same speeches, the cold build time of Pelican (default theme) and MkDocs, when they
are installed (`make bench` installs them into the project's virtual environment).
Nothing is deleted until every figure is taken (see set_aside). Each build's CPU time is printed
with its system part: files deleted shortly before a build make the kernel's part of creating
files grow (see set_aside), and that shows there, not in our code's user time.

    python benchmarks/build_bench.py [--sizes 1000 10000] [--skip-others] [--calibrate]

With --calibrate it first times Pelican on 2,000 speeches, which the issue says took about 6 s
on the machine its targets were set on, and prints the targets scaled by the ratio: a figure
from a machine three times slower reads against three times the target.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from archive_gen import base_speeches, generate

from generator.speech import split_front_matter


def tree_memory(pid: int) -> tuple[int, int]:
    """(RSS summed, PSS summed) of a process and its descendants, in bytes. PSS splits each
    shared page between the processes sharing it, so it is the memory the tree really uses;
    summed RSS counts the pages a forked worker shares with its parent again for each worker."""
    rss = pss = 0
    stack = [pid]
    while stack:
        current = stack.pop()
        try:
            with open(f"/proc/{current}/statm") as handle:
                rss += int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
            with open(f"/proc/{current}/smaps_rollup") as handle:
                for line in handle:
                    if line.startswith("Pss:"):
                        pss += int(line.split()[1]) * 1024
                        break
            for task in Path(f"/proc/{current}/task").iterdir():
                children = (task / "children").read_text().split()
                stack.extend(int(c) for c in children)
        except (FileNotFoundError, ProcessLookupError, ValueError, PermissionError):
            continue
    return rss, pss


RSS_PEAK = [0]  # the last run's peak of RSS summed over the tree (see tree_memory)
LIMIT = [600.0]  # seconds a comparison tool may take before it is reported as unfinished


CPU: list[float] = [0.0, 0.0]  # CPU seconds of the last run's process tree: all, and system


def _children_cpu() -> tuple[float, float]:
    """(user + system, system) CPU seconds of the finished child processes so far."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime, usage.ru_stime


def run(
    command: list[str], cwd: Path, timeout: float | None = None, watch: bool = False
) -> tuple[float, int]:
    """Wall time of a command and, when `watch`ed, the peak memory of its process tree (else
    0); fails loudly if the command fails. With `timeout`, a command still running then is
    stopped and reported as (inf, peak). Its CPU time goes to CPU[0], the system part of it to
    CPU[1]: on a shared machine wall times vary, CPU time much less.

    Watching costs the command time: reading a process's PSS walks its page tables under the
    lock its page faults need, and every 20 ms over a 10,000-speech build's three processes
    that made the cold build 3 s (12%) slower. So times come from unwatched runs and memory
    from runs of their own."""
    cpu_before = _children_cpu()
    RSS_PEAK[0] = 0
    start = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=USER_ENV
    )
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while watch and not done.is_set():
            rss, pss = tree_memory(process.pid)
            peak = max(peak, pss)
            RSS_PEAK[0] = max(RSS_PEAK[0], rss)
            time.sleep(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        output, _ = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        done.set()
        sampler.join()
        return float("inf"), peak
    done.set()
    sampler.join()
    seconds = time.perf_counter() - start
    cpu_after = _children_cpu()
    CPU[0], CPU[1] = cpu_after[0] - cpu_before[0], cpu_after[1] - cpu_before[1]
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{output.decode(errors='replace')[-2000:]}")
    return seconds, peak


# The commands run as on a user's machine, where Python keeps each module's compiled bytecode
# (__pycache__): a test machine's PYTHONDONTWRITEBYTECODE=1 made every run compile the modules
# changed since their bytecode was last written again, 50 ms more of a rebuild.
USER_ENV = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}


def speechsite(project: Path) -> list[str]:
    return [sys.executable, "-m", "generator", "-C", str(project), "build", "--quiet"]


def set_aside(paths: list[Path], trash: Path) -> None:
    """Move `paths` into `trash`, which is deleted once every figure is taken. On a file
    system without a journal (as here), ext4 skips each inode freed in the last half minute or
    more when it allocates one, reading its inode table block: deleting a site's 30,000 files
    just before a build added 6-7 s of kernel time to writing the next one's (measured with
    perf: `recently_deleted` under `ext4_create`). That is the benchmark's doing, not the
    build's, so nothing is deleted between the runs it times."""
    trash.mkdir(parents=True, exist_ok=True)
    for path in paths:
        if path.exists():
            path.rename(trash / f"{len(os.listdir(trash))}-{path.name}")


def _speech(project: Path, fraction: float) -> Path:
    speeches = sorted((project / "content" / "speeches").glob("*.md"))
    return speeches[int(len(speeches) * fraction)]


def append_sentence(project: Path, fraction: float) -> None:
    """A sentence appended to one speech: the index update's best case."""
    target = _speech(project, fraction)
    text = target.read_text(encoding="utf-8")
    target.write_text(text.rstrip("\n") + "编辑新增的一句话。\n", encoding="utf-8")


def insert_sentence(project: Path, fraction: float) -> None:
    """A sentence inserted mid-text: every position after it moves, so most of the speech's
    keys change, and the index update rewrites most buckets."""
    target = _speech(project, fraction)
    text = target.read_text(encoding="utf-8")
    middle = text.index("\n", len(text) // 2)
    target.write_text(text[:middle] + "编辑插入的一句话。" + text[middle:], encoding="utf-8")


STEPS = ("cold", "unchanged", "edited", "inserted")  # the timed builds, in order


REPEATS = 3  # runs of each rebuild step (the median is printed: one run right after a cold
# build shares the disk with the kernel writing that build's 30,000 files back)


def bench_speechsite(project: Path, trash: Path) -> dict[str, float]:
    """The timed builds, unwatched: the cold build once, each rebuild step REPEATS times (another
    speech edited each time) with the median taken; then the steps again, watched for memory."""
    figures: dict[str, float] = {}
    set_aside([project / "site", project / ".speechsite-cache"], trash)
    changes: list[Callable[[int], None]] = [
        lambda n: None,
        lambda n: None,
        lambda n: append_sentence(project, 0.5 + n / 100),
        lambda n: insert_sentence(project, 1 / 3 + n / 100),
    ]
    for name, change in zip(STEPS, changes, strict=True):
        runs = []
        for n in range(1 if name == "cold" else REPEATS):
            change(n)
            seconds, _ = run(speechsite(project), project)
            runs.append((seconds, *CPU))
        figures[name], figures[f"{name}_cpu"], figures[f"{name}_sys"] = sorted(runs)[len(runs) // 2]
    set_aside([project / "site", project / ".speechsite-cache"], trash)
    peaks, rss = [], []
    for change in (
        lambda: None,
        lambda: append_sentence(project, 0.6),
        lambda: insert_sentence(project, 0.7),
    ):
        change()
        peaks.append(run(speechsite(project), project, watch=True)[1])
        rss.append(RSS_PEAK[0])
    figures["peak"], figures["rss"] = max(peaks), max(rss)
    return figures


def pelican_project(project: Path, out: Path) -> Path | None:
    """The same speeches as Pelican articles (Markdown with Pelican's metadata header)."""
    if shutil.which("pelican", path=str(Path(sys.executable).parent)) is None:
        return None
    root = out / "pelican"
    content = root / "content"
    content.mkdir(parents=True)
    for path in sorted((project / "content" / "speeches").glob("*.md")):
        front, body, _ = split_front_matter(path.read_text(encoding="utf-8"), path)
        topics = front.get("topics") or []
        header = [
            f"Title: {front['title']}",
            f"Date: {front.get('date') or '2020-01-01'}",
            f"Slug: {front['slug']}",
            f"Category: {topics[0] if topics else '其他'}",  # type: ignore[index]
            f"Tags: {', '.join(topics)}",  # type: ignore[arg-type]
        ]
        (content / path.name).write_text("\n".join(header) + "\n\n" + body, encoding="utf-8")
    (root / "pelicanconf.py").write_text(
        "SITENAME = 'bench'\nPATH = 'content'\nTIMEZONE = 'Asia/Shanghai'\nDEFAULT_LANG = 'zh'\n"
        "FEED_ALL_ATOM = None\nDEFAULT_PAGINATION = 20\n",
        encoding="utf-8",
    )
    return root


def mkdocs_project(project: Path, out: Path) -> Path | None:
    if shutil.which("mkdocs", path=str(Path(sys.executable).parent)) is None:
        return None
    root = out / "mkdocs"
    docs = root / "docs"
    docs.mkdir(parents=True)
    (docs / "index.md").write_text("# bench\n", encoding="utf-8")
    for path in sorted((project / "content" / "speeches").glob("*.md")):
        _, body, _ = split_front_matter(path.read_text(encoding="utf-8"), path)
        (docs / path.name).write_text(body, encoding="utf-8")
    (root / "mkdocs.yml").write_text("site_name: bench\n", encoding="utf-8")
    return root


def _cpu(total: float, system: float) -> str:
    return f"{total:.2f} s ({system:.2f} s)"


def _versus(seconds: float, ours: float) -> str:
    if seconds == float("inf"):
        return f"did not finish in {LIMIT[0]:.0f} s (stopped)"
    return f"cold {seconds:.2f} s (speechsite {seconds / ours:.1f}x faster)"


# The reference: on the machine its targets were set on, Pelican built 2,000 such
# speeches in about 6 s. Pelican's time for the same 2,000 here measures how much slower or
# faster this machine is; the targets are printed scaled by it beside the figures.
REFERENCE_PELICAN_2000 = 6.0
TARGETS = {"cold": 10.0, "unchanged": 1.0, "edited": 0.5}  # seconds at 10,000 speeches


def calibrate(bases: list[tuple[dict[str, object], str]], tmp: Path) -> float | None:
    """This machine's speed against the reference's: Pelican's cold build of 2,000 generated
    speeches here, divided by the reference's 6 s (None without Pelican)."""
    work = tmp / "calibration"
    project = work / "project"
    generate(project, 2000, bases)
    pelican = pelican_project(project, work)
    if pelican is None:
        return None
    command = [str(Path(sys.executable).parent / "pelican"), "content", "-s", "pelicanconf.py"]
    seconds, _ = run([*command, "-q"], pelican, LIMIT[0])
    factor = seconds / REFERENCE_PELICAN_2000
    scaled = ", ".join(f"{name} {limit * factor:.2f} s" for name, limit in TARGETS.items())
    print(
        f"calibration: Pelican built 2,000 speeches in {seconds:.2f} s here, against about "
        f"{REFERENCE_PELICAN_2000:.0f} s on the reference machine: this machine is "
        f"{factor:.2f}x its time. The 10,000-speech targets scaled to it: {scaled}"
    )
    return factor


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--skip-others", action="store_true", help="do not run Pelican and MkDocs")
    parser.add_argument(
        "--calibrate",
        action="store_true",
        help="first time Pelican on 2,000 speeches and print the targets scaled to this machine",
    )
    parser.add_argument(
        "--other-timeout",
        type=float,
        default=LIMIT[0],
        help=f"seconds Pelican or MkDocs may take (default {LIMIT[0]:.0f})",
    )
    args = parser.parse_args()
    LIMIT[0] = args.other_timeout
    bases = base_speeches()
    bin_dir = Path(sys.executable).parent
    print(f"base speeches: {len(bases)} (seeds + corpus); cores: {os.cpu_count()}")
    with tempfile.TemporaryDirectory(prefix="speechsite-bench-") as tmp:
        if args.calibrate and calibrate(bases, Path(tmp)) is None:
            print("calibration: Pelican is not installed (make bench installs it)")
        for size in args.sizes:  # (each size's files are deleted at the end: see set_aside)
            work = Path(tmp) / str(size)
            project = work / "project"
            generate(project, size, bases)
            ours = bench_speechsite(project, Path(tmp) / "trash")
            print(
                f"N={size:>6}  speechsite: cold {ours['cold']:.2f} s, no-change {ours['unchanged']:.2f} s, "
                f"one-edit {ours['edited']:.2f} s (mid-text {ours['inserted']:.2f} s), "
                f"peak memory {ours['peak'] / 2**20:.0f} MiB "
                f"(PSS; RSS summed over processes {ours['rss'] / 2**20:.0f} MiB)"
            )
            cpu = {name: _cpu(ours[f"{name}_cpu"], ours[f"{name}_sys"]) for name in STEPS}
            print(
                f"N={size:>6}  speechsite CPU time (of it system): cold {cpu['cold']}, "
                f"no-change {cpu['unchanged']}, one-edit {cpu['edited']}, "
                f"mid-text {cpu['inserted']}"
            )
            if args.skip_others:
                continue
            pelican = pelican_project(project, work)
            if pelican is not None:
                seconds, _ = run(
                    [str(bin_dir / "pelican"), "content", "-s", "pelicanconf.py", "-q"],
                    pelican,
                    LIMIT[0],
                )
                print(f"N={size:>6}  pelican:    {_versus(seconds, ours['cold'])}")
                print(f"N={size:>6}  pelican CPU time (of it system): {_cpu(*CPU)}")
            else:
                print(f"N={size:>6}  pelican:    not installed (make bench installs it)")
            mkdocs = mkdocs_project(project, work)
            if mkdocs is not None:
                seconds, _ = run([str(bin_dir / "mkdocs"), "build", "-q"], mkdocs, LIMIT[0])
                print(f"N={size:>6}  mkdocs:     {_versus(seconds, ours['cold'])}")
            else:
                print(f"N={size:>6}  mkdocs:     not installed (make bench installs it)")


if __name__ == "__main__":
    main()
