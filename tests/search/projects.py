"""Projects the search tests build: the bundled sample, hand-written speeches, corpus subsets.

Each is copied into a temporary folder and built in-process with `build_site` (jobs=1); the
built sample is made once per session and shared by tests/search/ and tests/js/.
"""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from generator.archive import load_entry
from generator.build import build_site, search_details
from generator.config import load_config
from generator.ingest.pipeline import ingest
from generator.render.markdown import render_body
from generator.search.fold import search_fold
from tests.conftest import CORPUS, ROOT

REPORTS = CORPUS / "gov-reports-2026"  # the 23 provincial government work reports of 2026


@dataclass(frozen=True)
class Speech:
    """A hand-written speech: body blocks are paragraphs, or headings when they start "## "."""

    slug: str
    title: str
    blocks: Sequence[str]
    date: str | None = None
    level: str | None = None
    topics: Sequence[str] = ()
    speaker: str | None = None
    subtitle: str | None = None
    lang: str | None = None


def new_project(root: Path) -> Path:
    """An empty project: site.yaml and the themes, no speeches."""
    (root / "content" / "speeches").mkdir(parents=True, exist_ok=True)
    shutil.copy2(ROOT / "site.yaml", root / "site.yaml")
    shutil.copytree(ROOT / "themes", root / "themes", dirs_exist_ok=True)
    return root


def sample_project(root: Path) -> Path:
    """The bundled sample's ingested speeches in a fresh project."""
    new_project(root)
    for path in sorted((ROOT / "content" / "speeches").glob("*.md")):
        shutil.copy2(path, root / "content" / "speeches" / path.name)
    return root


def _quote(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def write_speech(project: Path, speech: Speech) -> Path:
    """A speech file as ingest would write it (only the fields the build needs)."""
    lines = ["---", f"title: {_quote(speech.title)}", f"slug: {speech.slug}"]
    if speech.date:
        lines.append(f"date: '{speech.date}'")
    if speech.level:
        lines.append(f"level: {speech.level}")
    if speech.speaker:
        lines.append(f"speaker: {_quote(speech.speaker)}")
    if speech.subtitle:
        lines.append(f"subtitle: {_quote(speech.subtitle)}")
    if speech.lang:
        lines.append(f"lang: {speech.lang}")
    lines.append("topics:" + ("" if speech.topics else " []"))
    lines.extend(f"- {topic}" for topic in speech.topics)
    lines += ["---", ""]
    section = 0
    for block in speech.blocks:
        if block.startswith("## "):
            section += 1
            lines += [f"{{#s{section}}}", block, ""]
        else:
            lines += [block, ""]
    path = project / "content" / "speeches" / f"{speech.slug}.md"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def build(project: Path, output: Path | None = None, base_url: str | None = None) -> Path:
    """Build the project; the output folder."""
    return build_site(load_config(project), output=output, base_url=base_url, jobs=1).output


def cleaned_texts(project: Path) -> list[str]:
    """Per speech, in slug order (= document number): the folded title, rendered body blocks
    and search details (speaker, occasion, subtitle, date, topics), joined by newlines — what a plain
    substring scan searches."""
    entries = sorted(
        (load_entry(path) for path in (project / "content" / "speeches").glob("*.md")),
        key=lambda e: e.slug,
    )
    return [
        search_fold(
            "\n".join(
                [
                    e.title,
                    *(text for _, _, text in render_body(e.body).blocks),
                    *search_details(e),
                    *e.topics,
                ]
            )
        )
        for e in entries
    ]


def scan(texts: Sequence[str], terms: Sequence[str]) -> set[int]:
    """Documents whose cleaned text contains every (folded) term."""
    return {n for n, text in enumerate(texts) if all(term in text for term in terms)}


_built: dict[str, Path] = {}


def built_sample(workdir: Path) -> tuple[Path, Path]:
    """(project, site) of the sample, built once per session under `workdir`."""
    if "sample" not in _built:
        project = sample_project(workdir / "project")
        _built["sample"] = project
        build(project)
    project = _built["sample"]
    return project, project / "site"


def built_corpus(workdir: Path) -> Path | None:
    """A project of the sample's raw seeds and the provincial reports, ingested and built once
    per session (None when the shared corpus is not there)."""
    if not REPORTS.is_dir():
        return None
    if "corpus" not in _built:
        project = new_project(workdir / "project")
        raw = project / "content" / "raw"
        shutil.copytree(ROOT / "content" / "raw", raw / "seeds")
        shutil.copytree(REPORTS, raw / "reports", ignore=shutil.ignore_patterns("*.md"))
        config = load_config(project)
        ingest([config.raw_dir], config)
        build(project)
        _built["corpus"] = project
    return _built["corpus"]
