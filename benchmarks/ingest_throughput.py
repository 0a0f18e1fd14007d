"""Ingest throughput on one core: speeches per second and characters per second.

Runs the whole ingest (decode, clean, metadata, outline, topics, Markdown, atomic writes) in one
process, which is one core, on
  1. the shared corpus (../shared/corpus: long government reports, GBK and UTF-8), and
  2. N seed-sized speeches generated deterministically from the bundled seeds.
Target from the issue: at least 500 speeches a second on one core.

    python benchmarks/ingest_throughput.py [--generated N] [--repeat R]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from generator.config import load_config
from generator.ingest.pipeline import collect_files, ingest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"
SEEDS = ROOT / "content" / "raw"


def make_project(files: list[Path], generated: int, where: str | None = None) -> Path:
    project = Path(tempfile.mkdtemp(prefix="speechsite-bench-", dir=where))
    raw = project / "content" / "raw"
    raw.mkdir(parents=True)
    shutil.copy(ROOT / "site.yaml", project / "site.yaml")
    for path in files:
        # Keep set folder and file name: a file without a title line is named after its title.
        target = raw / path.parent.name / path.name
        target.parent.mkdir(exist_ok=True)
        shutil.copy(path, target)
    seeds = sorted(SEEDS.glob("*.txt"))
    for index in range(generated):
        seed = seeds[index % len(seeds)].read_text(encoding="utf-8")
        # Vary the title so every generated speech gets its own slug, as real archives do.
        title_line = f"在全县第{index}次工作会议上的讲话"
        (raw / f"gen{index:05d}.txt").write_text(f"{title_line}\n{seed}", encoding="utf-8")
    return project


def run(
    files: list[Path], generated: int, repeat: int, where: str | None = None
) -> tuple[float, float, int, int, int]:
    """Median wall seconds, median CPU seconds, speeches, input bytes, failures."""
    timings = []
    cpu = []
    speeches = chars = failed = 0
    for _ in range(repeat):
        project = make_project(files, generated, where)
        config = load_config(project)
        inputs = collect_files([config.raw_dir])
        chars = sum(len(p.read_bytes()) for p in inputs)
        start, start_cpu = time.perf_counter(), time.process_time()
        report = ingest([config.raw_dir], config)
        timings.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
        speeches, failed = len(report.results), len(report.failed)
        shutil.rmtree(project)
    return statistics.median(timings), statistics.median(cpu), speeches, chars, failed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--generated", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    corpus = sorted(CORPUS.rglob("*.txt"))
    if corpus:
        print("corpus:    " + _line(*run(corpus, 0, args.repeat)))
    else:
        print(f"corpus:    not found at {CORPUS}, skipped")
    print("generated: " + _line(*run([], args.generated, args.repeat)))
    # The same run in memory (tmpfs): what the pipeline itself does per core, without the
    # file-system latency of creating a file (about 0.8 ms per file on this project's VMs).
    if Path("/dev/shm").is_dir():
        print("in tmpfs:  " + _line(*run([], args.generated, args.repeat, "/dev/shm")))


def _line(seconds: float, cpu: float, count: int, size: int, failed: int) -> str:
    """Wall time includes fsync of every written file; CPU time is the one-core compute rate."""
    return (
        f"{count} speeches ({failed} failed), {size / 1e6:.2f} MB: wall {seconds:.2f} s "
        f"-> {count / seconds:.0f} speeches/s; CPU {cpu:.2f} s -> {count / cpu:.0f} speeches/s, "
        f"{size / 1e6 / cpu:.2f} MB/s (one core)"
    )


if __name__ == "__main__":
    main()
