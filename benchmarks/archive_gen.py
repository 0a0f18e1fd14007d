"""Generate an archive of N speeches, deterministically, from the seeds and the shared corpus.

The seeds (content/raw/) and the corpus documents are ingested once. Corpus reports are three
to ten times longer than a speech, so each is cut at headings into speech-sized parts (about
5,000 characters, the size of the seeds). Speech i of the archive is base speech i mod B with
its own slug, title suffix, date and a rotation of its paragraphs, so texts differ the way a real
archive's do and the same N always gives the same files.
"""

from __future__ import annotations

import random
import shutil
import tempfile
from pathlib import Path

from generator.config import load_config
from generator.ingest.pipeline import ingest
from generator.speech import split_front_matter
from generator.yamlio import dump_yaml

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"


def base_speeches() -> list[tuple[dict[str, object], str]]:
    """(front matter, body) of every seed and corpus document, ingested afresh."""
    work = Path(tempfile.mkdtemp(prefix="speechsite-base-"))
    try:
        shutil.copy(ROOT / "site.yaml", work / "site.yaml")
        raw = work / "content" / "raw"
        shutil.copytree(ROOT / "content" / "raw", raw / "seeds")
        if CORPUS.is_dir():
            for path in sorted(CORPUS.rglob("*.txt")):
                target = raw / path.parent.name / path.name
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy(path, target)
        config = load_config(work)
        ingest([config.raw_dir], config)
        out: list[tuple[dict[str, object], str]] = []
        for path in sorted(config.speeches_dir.glob("*.md")):
            front, body, _ = split_front_matter(path.read_text(encoding="utf-8"), path)
            out.extend(_speech_sized(front, body))
        return out
    finally:
        shutil.rmtree(work, ignore_errors=True)


SPEECH_CHARS = 5000


def _speech_sized(front: dict[str, object], body: str) -> list[tuple[dict[str, object], str]]:
    """Cut a long document at headings into parts of about SPEECH_CHARS characters."""
    blocks = body.strip("\n").split("\n\n")
    parts: list[list[str]] = [[]]
    size = 0
    for block in blocks:
        if size >= SPEECH_CHARS and block.startswith("{#"):
            parts.append([])
            size = 0
        parts[-1].append(block)
        size += len(block)
    out = []
    for number, part in enumerate(parts, start=1):
        ids = {b[2 : b.index("}")] for b in part if b.startswith("{#")}
        piece = dict(front)
        piece["outline"] = _keep(front.get("outline") or [], ids)  # type: ignore[arg-type]
        if len(parts) > 1:
            piece["slug"] = f"{front['slug']}-{number}"
        out.append((piece, "\n\n".join(part) + "\n"))
    return out


def _keep(items: list[dict[str, object]], ids: set[str]) -> list[dict[str, object]]:
    kept = []
    for item in items:
        children = _keep(item.get("children") or [], ids)  # type: ignore[arg-type]
        if item["id"] in ids:
            kept.append({**item, "children": children})
        else:
            kept.extend(children)
    return kept


def generate(project: Path, count: int, bases: list[tuple[dict[str, object], str]]) -> list[Path]:
    """Write `count` speeches into project/content/speeches/ (plus site.yaml and themes/)."""
    speeches = project / "content" / "speeches"
    speeches.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "site.yaml", project / "site.yaml")
    if not (project / "themes").exists():
        shutil.copytree(ROOT / "themes", project / "themes")
    rng = random.Random(20261124)
    paths = []
    for index in range(count):
        front, body = bases[index % len(bases)]
        front = dict(front)
        slug = f"{front['slug']}-{index}"
        front["slug"] = slug
        front["title"] = f"{front['title']}（{index}）"
        year = 2010 + rng.randrange(17)
        front["date"] = f"{year}-{1 + rng.randrange(12):02d}-{1 + rng.randrange(28):02d}"
        path = speeches / f"{slug}.md"
        path.write_text(f"---\n{dump_yaml(front)}---\n\n{_rotate(body, rng)}", encoding="utf-8")
        paths.append(path)
    return paths


def _rotate(body: str, rng: random.Random) -> str:
    """Move a few of the body's plain paragraphs to other places (headings stay where they are)."""
    blocks = body.split("\n\n")
    plain = [i for i, b in enumerate(blocks) if not b.startswith("{#") and b.strip()]
    for _ in range(min(3, len(plain) // 2)):
        a, b = rng.sample(plain, 2)
        blocks[a], blocks[b] = blocks[b], blocks[a]
    return "\n\n".join(blocks)
