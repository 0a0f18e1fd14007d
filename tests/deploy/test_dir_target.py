"""`speechsite deploy dir DEST`: the sample mirrored into a local folder."""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest

from generator.build import MARKER, build_site
from generator.config import load_config
from generator.deploy.manifest import DEPLOY_MARKER
from tests.deploy.conftest import Deploy, commit_all, retitle
from tests.helpers import snapshot

BASE = "/archive/"


def files_of(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def listing(out: str) -> list[str]:
    return [line.strip() for line in out.splitlines() if re.match(r"\s+[+~-] ", line)]


@pytest.fixture
def dest(tmp_path: Path) -> Path:
    return tmp_path / "www" / "archive"


def deploy_dir(run: Deploy, project: Path, dest: Path, *args: str) -> str:
    done = run(project, "dir", str(dest), "--base-url", BASE, *args)
    assert done.code == 0, done.err
    return done.out


def test_the_folder_holds_exactly_the_build(
    sample: Path, dest: Path, run: Deploy, tmp_path: Path, own_tempdir: Path
) -> None:
    out = deploy_dir(run, sample, dest)
    expected = tmp_path / "expected"
    build_site(load_config(sample), output=expected, base_url=BASE, jobs=1)
    (expected / MARKER).unlink()
    published = files_of(dest)
    marker = json.loads(published.pop(DEPLOY_MARKER))
    assert published == files_of(expected)
    assert set(marker["files"]) == set(published)
    assert f"{len(published)} added, 0 changed, 0 removed" in out
    assert f"{sum(len(b) for b in published.values()):,} bytes" in out
    assert "/archive/" in out.splitlines()[-1]
    assert oct(dest.stat().st_mode & 0o777) == "0o755"
    assert all(oct(p.stat().st_mode & 0o777) == "0o644" for p in dest.rglob("*") if p.is_file())
    assert list(own_tempdir.iterdir()) == []


def test_a_second_deploy_changes_no_byte_and_no_mtime(
    sample: Path, dest: Path, run: Deploy
) -> None:
    deploy_dir(run, sample, dest)
    before = snapshot(dest)
    out = deploy_dir(run, sample, dest)
    assert "nothing to publish" in out
    assert snapshot(dest) == before


def test_dry_run_lists_exactly_what_changes_and_changes_nothing(
    sample: Path, dest: Path, run: Deploy
) -> None:
    deploy_dir(run, sample, dest)
    before = snapshot(dest)
    speech = sorted((sample / "content" / "speeches").glob("*.md"))[0]
    speech.unlink()
    retitle(sample, "讲话档案")
    planned = listing(deploy_dir(run, sample, dest, "--dry-run"))
    assert snapshot(dest) == before
    old = {k: v[0] for k, v in before.items()}
    deploy_dir(run, sample, dest)
    new = files_of(dest)
    actual = sorted(
        [f"+ {n}" for n in set(new) - set(old)]
        + [f"~ {n}" for n in set(new) & set(old) if new[n] != old[n] and n != DEPLOY_MARKER]
        + [f"- {n}" for n in set(old) - set(new)]
    )
    assert sorted(planned) == actual
    assert f"- speeches/{speech.stem}/index.html" in planned
    assert "~ index.html" in planned
    assert not (dest / "speeches" / speech.stem).exists()  # emptied folders are removed too


def test_a_folder_speechsite_did_not_publish_to_is_refused(
    sample: Path, dest: Path, run: Deploy
) -> None:
    dest.mkdir(parents=True)
    (dest / "index.html").write_text("somebody else's site\n")
    (dest / "photo.jpg").write_bytes(b"\xff\xd8")
    done = run(sample, "dir", str(dest), "--base-url", BASE)
    assert done.code == 2
    assert "refusing to publish into a folder speechsite did not publish to" in done.err
    assert (dest / "index.html").read_text() == "somebody else's site\n"
    assert (dest / "photo.jpg").exists()


def test_files_added_by_hand_to_a_published_folder_are_kept(
    sample: Path, dest: Path, run: Deploy
) -> None:
    """A host's verification file or a download put beside the site is not the deploy's to
    delete (the marker lists what it published), even when the site changes."""
    deploy_dir(run, sample, dest)
    (dest / "google1234.html").write_text("google-site-verification")
    (dest / "downloads").mkdir()
    (dest / "downloads" / "report.pdf").write_bytes(b"%PDF")
    out = deploy_dir(run, sample, dest, "--dry-run")
    assert listing(out) == []
    retitle(sample, "新的标题")
    deploy_dir(run, sample, dest)
    assert "新的标题" in (dest / "index.html").read_text(encoding="utf-8")
    assert (dest / "google1234.html").read_text() == "google-site-verification"
    assert (dest / "downloads" / "report.pdf").read_bytes() == b"%PDF"


def test_a_file_added_by_hand_is_not_overwritten(sample: Path, dest: Path, run: Deploy) -> None:
    deploy_dir(run, sample, dest)
    (dest / "index.html").unlink()  # gone from the published files, then put back by hand
    marker = json.loads((dest / DEPLOY_MARKER).read_text())
    del marker["files"]["index.html"]
    (dest / DEPLOY_MARKER).write_text(json.dumps(marker))
    (dest / "index.html").write_text("somebody's own page")
    done = run(sample, "dir", str(dest), "--base-url", BASE)
    assert done.code == 2
    assert "refusing to overwrite files the last deploy did not publish (index.html)" in done.err
    assert (dest / "index.html").read_text() == "somebody's own page"


def test_a_failed_copy_leaves_the_previous_deployment_intact(
    sample: Path, dest: Path, run: Deploy, monkeypatch: pytest.MonkeyPatch
) -> None:
    deploy_dir(run, sample, dest)
    before = snapshot(dest)
    retitle(sample, "讲话档案")
    copied: list[str] = []
    real_copy = shutil.copyfile

    def copy_until_the_disk_is_full(source: Path, target: Path) -> object:
        if len(copied) == 3:
            raise OSError(28, "No space left on device", str(target))
        copied.append(str(target))
        return real_copy(source, target)

    monkeypatch.setattr(shutil, "copyfile", copy_until_the_disk_is_full)
    done = run(sample, "dir", str(dest), "--base-url", BASE)
    assert done.code == 2
    assert "No space left on device" in done.err
    assert "nothing there was changed" in done.err
    assert snapshot(dest) == before  # no staging folder left behind either


def test_a_failed_rename_leaves_whole_files_and_says_to_run_again(
    sample: Path, dest: Path, run: Deploy, monkeypatch: pytest.MonkeyPatch
) -> None:
    deploy_dir(run, sample, dest)
    before = files_of(dest)
    retitle(sample, "讲话档案")
    real_replace = os.replace
    calls: list[str] = []

    def replace_then_fail(source: str | Path, target: str | Path) -> None:
        if Path(target).is_relative_to(dest):  # the build's own renames go through
            if len(calls) == 2:
                raise OSError(5, "Input/output error", str(target))
            calls.append(str(target))
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", replace_then_fail)
    done = run(sample, "dir", str(dest), "--base-url", BASE)
    assert done.code == 2
    assert "stopped part-way (2 of" in done.err and "run deploy again" in done.err
    after = files_of(dest)
    assert set(after) == set(before)
    assert after[DEPLOY_MARKER] == before[DEPLOY_MARKER]  # the marker goes last
    assert not any(p.name.startswith(".speechsite-staging-") for p in dest.iterdir())
    monkeypatch.setattr(os, "replace", real_replace)
    out = deploy_dir(run, sample, dest)
    assert "published" in out
    assert "讲话档案" in (dest / "index.html").read_text(encoding="utf-8")


def test_a_destination_refusing_writes_is_an_error_and_nothing_changes(
    sample: Path, dest: Path, run: Deploy, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What a read-only folder does to any user but root (who the next test cannot stop)."""
    deploy_dir(run, sample, dest)
    before = snapshot(dest)
    retitle(sample, "讲话档案")
    real_mkdir = Path.mkdir

    def refuse(path: Path, *args: object, **kwargs: object) -> None:
        if path.is_relative_to(dest):
            raise PermissionError(13, "Permission denied", str(path))
        real_mkdir(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "mkdir", refuse)
    done = run(sample, "dir", str(dest), "--base-url", BASE)
    assert done.code == 2
    assert "Permission denied" in done.err and "nothing there was changed" in done.err
    assert snapshot(dest) == before


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_destination_is_an_error_and_nothing_changes(
    sample: Path, dest: Path, run: Deploy
) -> None:
    deploy_dir(run, sample, dest)
    before = snapshot(dest)
    retitle(sample, "讲话档案")
    dest.chmod(0o555)
    try:
        done = run(sample, "dir", str(dest), "--base-url", BASE)
    finally:
        dest.chmod(0o755)
    assert done.code == 2
    assert "Permission denied" in done.err and "nothing there was changed" in done.err
    assert snapshot(dest) == before


def test_a_destination_that_holds_the_project_is_refused(sample: Path, run: Deploy) -> None:
    done = run(sample, "dir", str(sample.parent))
    assert done.code == 2
    assert "would contain the project itself" in done.err
    assert not (sample.parent / "index.html").exists()


@pytest.mark.parametrize("inside", ["site", "site/www", "content/public", "themes/x"])
def test_a_destination_inside_the_projects_own_folders_is_refused(
    sample: Path, run: Deploy, inside: str
) -> None:
    """Publishing into site/ made it a folder the next build refused to replace; into content/
    or themes/, it would become an input of the next build."""
    done = run(sample, "dir", inside)
    assert done.code == 2
    assert "the destination is inside the project's" in done.err
    assert not (sample / inside / "index.html").exists()


def test_a_relative_destination_is_read_from_the_project(sample: Path, run: Deploy) -> None:
    (sample / ".gitignore").write_text(".speechsite-cache/\npublic/\n")
    commit_all(sample, "ignore public/")
    done = run(sample, "dir", "public")
    assert done.code == 0, done.err
    assert (sample / "public" / "index.html").is_file()
