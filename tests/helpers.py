"""Builders shared by the test modules: paragraphs, raw speeches, project snapshots."""

from __future__ import annotations

import shutil
from pathlib import Path

from generator.config import load_config
from generator.ingest.clean import Line
from generator.ingest.outline import Paragraph
from generator.ingest.pipeline import IngestReport, ingest
from generator.ingest.write import sha256_bytes
from generator.speech import Speech

# A speech body long enough to look like one, with an outline and a few topic terms.
BODY = (
    "同志们：",
    "今天召开这次会议，主要任务是部署作风整顿工作。下面，我讲两点意见。",
    "一、提高思想认识。作风整顿是推动发展的必然要求，各级各部门要高度重视。",
    "二、狠抓工作落实。要坚持问题导向，切实转变作风，确保各项任务落到实处。",
    "同志们，让我们以更加务实的作风，推动各项工作再上新台阶！",
)


def paragraphs(*texts: str) -> list[Line]:
    """Cleaned paragraphs, numbered as source lines 1, 2, …"""
    return [Line(text, number) for number, text in enumerate(texts, start=1)]


def speech_text(title: str, *body: str) -> str:
    """A raw speech file's text: title line, then the body paragraphs (default `BODY`)."""
    return "\n".join((title, *(body or BODY))) + "\n"


def write_raw(root: Path, name: str, text: str | bytes, encoding: str = "utf-8") -> Path:
    """Put a raw speech into `root/content/raw/`."""
    path = root / "content" / "raw" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text if isinstance(text, bytes) else text.encode(encoding))
    return path


def run_ingest(root: Path, force: bool = False) -> IngestReport:
    """Ingest `root/content/raw/` with the project's configuration."""
    config = load_config(root)
    return ingest([config.raw_dir], config, force=force)


def ingest_file(root: Path, source: Path, name: str) -> tuple[str, IngestReport]:
    """Ingest `source`, saved as `name` in a new project at `root` with the repo's site.yaml:
    the one speech written, and the report."""
    raw = root / "content" / "raw"
    raw.mkdir(parents=True)
    shutil.copy(Path(__file__).parent.parent / "site.yaml", root / "site.yaml")
    shutil.copy(source, raw / name)
    report = run_ingest(root)
    assert not report.failed, [r.error for r in report.failed]
    (written,) = speeches_dir(root).glob("*.md")
    return written.read_text(encoding="utf-8"), report


def without_source(markdown: str) -> str:
    """A speech file less the lines naming its source file (name, digest, how it was read): of
    one speech in two formats, what must be the same."""
    skipped = ("path:", "sha256:", "encoding:")
    return "\n".join(
        line for line in markdown.splitlines() if not line.lstrip().startswith(skipped)
    )


def speeches_dir(root: Path) -> Path:
    return root / "content" / "speeches"


def snapshot(directory: Path) -> dict[str, tuple[bytes, int]]:
    """Bytes and modification time (ns) of every file below `directory`, hidden ones included."""
    return {
        path.relative_to(directory).as_posix(): (path.read_bytes(), path.stat().st_mtime_ns)
        for path in sorted(directory.rglob("*"))
        if path.is_file()
    }


def make_speech(
    title: str = "在全县作风整顿动员会议上的讲话",
    source: str = "content/raw/a.txt",
    date: str | None = None,
    topics: list[str] | None = None,
    text: str = "同志们：今天开会。",
) -> Speech:
    """A small `Speech` with one paragraph, as the pipeline would hand it to the writer."""
    return Speech(
        title=title,
        slug="",
        blocks=[Paragraph(text, 1)],
        outline=[],
        source={"path": source, "sha256": sha256_bytes(text.encode()), "encoding": "utf-8"},
        date=date,
        topics=list(topics or []),
    )


def edit_topics(path: Path, topics: list[str]) -> None:
    """What an editor does: replace the topics list in a speech's front matter by hand."""
    text = path.read_text(encoding="utf-8")
    start, end = text.index("\ntopics:") + 1, text.index("\ntopic_evidence:") + 1
    listed = "".join(f"- {topic}\n" for topic in topics)
    path.write_text(
        text[:start] + ("topics:\n" + listed if topics else "topics: []\n") + text[end:],
        encoding="utf-8",
    )
