"""Slugs: readable pinyin, URL-safe, capped at a hyphen, unique and stable across runs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.config import load_config
from generator.ingest.pipeline import choose_slug, slug_text
from generator.ingest.slug import is_valid_slug, slugify
from generator.ingest.write import MANIFEST_NAME, Manifest, sha256_bytes
from tests.helpers import make_speech, run_ingest, speech_text, speeches_dir, write_raw

URL_SAFE = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")

# --- slugify ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("全县作风整顿", "quan-xian-zuo-feng-zheng-dun"),
        ("2026年G20峰会", "2026-nian-g20-feng-hui"),
        ("全角ＡＢＣ１２３", "quan-jiao-abc123"),
        ("女娲", "nv-wa"),
        ("〇", "ling"),
        ("Café Müller", "cafe-muller"),
        ("../../etc/passwd", "etc-passwd"),
        ("a/b.c..d", "a-b-c-d"),
        ("", "speech"),
        ("...", "speech"),
        ("😀《》", "speech"),
        ("Владимир Иванов", "vladimir-ivanov"),
        ("김철수", "gim-cheol-su"),
        ("محمد بن سلمان", "mhmd-bn-slmn"),
        ("やまだ たろう", "ya-ma-da-ta-ro-u"),
        ("Ελλάδα", "ellada"),
        ("𠮷田镇乡村振兴", "tian-zhen-xiang-cun-zhen-xing"),  # no Japanese reading (kichi)
    ],
)
def test_slugify_examples(text: str, slug: str) -> None:
    assert slugify(text) == slug


def test_slug_is_cut_at_a_hyphen() -> None:
    full = slugify("北京市人民政府工作报告")
    assert full == "bei-jing-shi-ren-min-zheng-fu-gong-zuo-bao-gao"
    assert slugify("北京市人民政府工作报告", 12) == "bei-jing-shi"
    assert slugify("北京市人民政府工作报告", 14) == "bei-jing-shi"
    assert slugify("北京市人民政府工作报告", 16) == "bei-jing-shi-ren"
    assert slugify("abcdefghijklmnopqrstuvwxyz", 10) == "abcdefghij"  # one long word: cut inside


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80), st.integers(min_value=16, max_value=80))
def test_any_text_gives_a_safe_capped_slug(text: str, max_length: int) -> None:
    slug = slugify(text, max_length)
    assert URL_SAFE.fullmatch(slug), slug
    assert is_valid_slug(slug)
    assert len(slug) <= max_length
    assert "/" not in slug and "." not in slug
    full = slugify(text, 10_000)
    assert slug == full or full.startswith(slug + "-") or "-" not in full[: max_length + 1]


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=40))
def test_slug_never_leaves_its_folder(tmp_path_factory: pytest.TempPathFactory, text: str) -> None:
    folder = tmp_path_factory.getbasetemp() / "speeches"
    target = (folder / f"{slugify(text)}.md").resolve()
    assert target.parent == folder.resolve()


def test_slug_text_drops_the_speech_frame() -> None:
    assert slug_text("在全县作风整顿动员会议上的讲话") == "全县作风整顿动员会议"
    assert slug_text("县长在县政府全体会议上的讲话") == "县长 县政府全体会议"
    assert slug_text("政府工作报告") == "政府工作报告"


# --- collisions -------------------------------------------------------------------------------


def fresh_manifest(root: Path) -> Manifest:
    return Manifest(root / "content" / MANIFEST_NAME)


def test_same_title_gets_year_then_date_then_hash(tmp_path: Path) -> None:
    config = load_config(tmp_path)
    manifest, taken = fresh_manifest(tmp_path), set[str]()
    base = slugify(slug_text("在全县作风整顿动员会议上的讲话"))
    slugs = []
    for name in ("a", "b", "c"):
        speech = make_speech(source=f"content/raw/{name}.txt", date="2026-01-25")
        slugs.append(choose_slug(speech, config, manifest, taken))
        taken.add(slugs[-1])
    assert slugs == [base, f"{base}-2026", f"{base}-20260125"]
    undated = make_speech(source="content/raw/d.txt")
    digest = sha256_bytes(b"content/raw/d.txt")[:6]
    assert choose_slug(undated, config, manifest, taken) == f"{base}-{digest}"


def test_collision_slugs_are_deterministic(tmp_path: Path) -> None:
    config = load_config(tmp_path)

    def run() -> list[str]:
        manifest, taken = fresh_manifest(tmp_path), set[str]()
        out = []
        for name in ("x", "y", "z"):
            out.append(choose_slug(make_speech(source=name), config, manifest, taken))
            taken.add(out[-1])
        return out

    first = run()
    assert len(set(first)) == 3
    assert run() == first


def test_suffixed_slug_stays_within_max_length(tmp_path: Path) -> None:
    """Regression: the -YYYYMMDD suffix used to push a slug past slug_max_length."""
    config = load_config(tmp_path)
    title = "在全县政府系统深入推进作风整顿优化营商环境狠抓工作落实动员部署会议上的讲话"
    manifest, taken = fresh_manifest(tmp_path), set[str]()
    slugs = []
    for name in ("a", "b", "c", "d"):
        speech = make_speech(title=title, source=name, date="2026-01-25")
        slugs.append(choose_slug(speech, config, manifest, taken))
        taken.add(slugs[-1])
    assert len(set(slugs)) == 4
    for slug in slugs:
        assert is_valid_slug(slug)
        assert len(slug) <= config.slug_max_length, slug
    assert slugs[1].endswith("-2026") and slugs[2].endswith("-20260125")


def test_hand_made_file_is_not_taken(tmp_path: Path) -> None:
    config = load_config(tmp_path)
    base = slugify(slug_text("在全县作风整顿动员会议上的讲话"))
    config.speeches_dir.mkdir(parents=True)
    (config.speeches_dir / f"{base}.md").write_text("手写的文件\n", encoding="utf-8")
    speech = make_speech(date="2026-03-01")
    assert choose_slug(speech, config, fresh_manifest(tmp_path), set()) == f"{base}-2026"


def test_ingest_never_overwrites_a_hand_made_file(tmp_path: Path) -> None:
    title = "在全县作风整顿动员会议上的讲话"
    base = slugify(slug_text(title))
    hand_made = speeches_dir(tmp_path) / f"{base}.md"
    hand_made.parent.mkdir(parents=True)
    hand_made.write_bytes("---\ntitle: 我自己写的\n---\n\n正文\n".encode())
    write_raw(tmp_path, "a.txt", speech_text(title))
    report = run_ingest(tmp_path)
    assert not report.failed
    assert report.results[0].slug != base
    assert hand_made.read_bytes() == "---\ntitle: 我自己写的\n---\n\n正文\n".encode()
    assert (speeches_dir(tmp_path) / f"{report.results[0].slug}.md").exists()


def test_reingest_keeps_each_sources_slug(tmp_path: Path) -> None:
    title = "在全县作风整顿动员会议上的讲话"
    write_raw(tmp_path, "m.txt", speech_text(title))
    first = {r.paths[0]: r.slug for r in run_ingest(tmp_path).results}
    # A second speech of the same title whose file sorts first joins the archive.
    write_raw(tmp_path, "a.txt", speech_text(title, "同志们：", "这是另一次会议的讲话，内容不同。"))
    second = {r.paths[0]: r.slug for r in run_ingest(tmp_path).results}
    assert second["content/raw/m.txt"] == first["content/raw/m.txt"]
    assert second["content/raw/a.txt"] != second["content/raw/m.txt"]
    assert {r.paths[0]: r.slug for r in run_ingest(tmp_path).results} == second


def test_title_change_keeps_the_slug(tmp_path: Path) -> None:
    path = write_raw(tmp_path, "a.txt", speech_text("在全县作风整顿动员会议上的讲话"))
    slug = run_ingest(tmp_path).results[0].slug
    path.write_text(speech_text("在全县作风建设推进会议上的讲话"), encoding="utf-8")
    again = run_ingest(tmp_path).results[0]
    assert again.slug == slug
    assert again.title == "在全县作风建设推进会议上的讲话"
