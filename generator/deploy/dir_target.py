"""Publish to a local folder: copy only the files whose bytes changed, delete the ones gone.

The new and changed files are first copied into a hidden staging folder inside the
destination (same file system), so a failure while copying — a read-only or full disk,
Ctrl-C — leaves the published site exactly as it was. Only then is each file renamed into
place (each rename is atomic: a reader sees the old file or the new one, never half of one):
assets first, pages after them, so no page ever points at an asset that is not there yet;
then files that are gone are deleted and the marker is written last.

A folder is only ever changed when it is empty or holds speechsite's marker
(`.speechsite-deploy.json`), which lists what it published: a deploy never overwrites or
deletes files it did not publish, even beside those it did.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from generator.deploy.manifest import DEPLOY_MARKER, Changes, compare, published_files, scan
from generator.errors import UserError

STAGING_PREFIX = ".speechsite-staging-"


def publish_dir(site: Path, dest: Path, dry_run: bool) -> Changes:
    """Make `dest` hold exactly the files of `site` (which includes the deploy marker)."""
    if dest.exists() and not dest.is_dir():
        raise UserError("the destination is a file, not a folder", dest)
    new, sizes = scan(site)
    old, _ = scan(dest, skip_prefix=STAGING_PREFIX)
    if DEPLOY_MARKER in old:
        old = _ours(dest, old, new)
    changes = compare(new, old, sizes)
    if changes.empty:
        return changes
    refuse_foreign(dest, DEPLOY_MARKER in old, changes)
    if not dry_run:
        _apply(site, dest, changes)
    return changes


def _ours(dest: Path, found: dict[str, str], new: dict[str, str]) -> dict[str, str]:
    """The files in `dest` that the last deploy published (its marker lists them): the others,
    put there by hand (a host's verification file, downloads), are neither deleted nor, with
    other bytes, overwritten."""
    published = set(published_files(dest / DEPLOY_MARKER))
    theirs = sorted(name for name in found if name not in published and name != DEPLOY_MARKER)
    clash = [name for name in theirs if name in new and found[name] != new[name]]
    if clash:
        raise UserError(
            "refusing to overwrite files the last deploy did not publish "
            f"({', '.join(clash[:3])}{', …' if len(clash) > 3 else ''})",
            dest,
            hint="move them away, or rename the speech or asset that would replace them",
        )
    return {name: digest for name, digest in found.items() if name not in theirs or name in new}


def refuse_foreign(dest: Path | str, has_marker: bool, changes: Changes) -> None:
    """Refuse to overwrite or delete files in a folder speechsite has not published to."""
    if has_marker or not (changes.changed or changes.removed):
        return
    touched = (changes.changed + changes.removed)[:3]
    raise UserError(
        "refusing to publish into a folder speechsite did not publish to: it would "
        f"overwrite or delete files that are already there ({', '.join(touched)}, …)",
        dest,
        hint="empty the folder or choose another destination",
    )


def _apply(site: Path, dest: Path, changes: Changes) -> None:
    staging = dest / f"{STAGING_PREFIX}{os.getpid()}"
    updates = changes.added + changes.changed
    try:
        dest.mkdir(parents=True, exist_ok=True)
        _remove_stale_staging(dest)
        staging.mkdir()
        for name in updates:
            _copy(site / name, staging / name)
    except OSError as err:
        shutil.rmtree(staging, ignore_errors=True)
        raise UserError(
            f"could not copy the site into {dest}: {_reason(err)}; nothing there was changed",
            hint="check that the folder is writable and the disk has room, then run deploy again",
        ) from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    # Assets, then pages, then the marker: each rename is atomic and cannot run out of space.
    order = sorted(updates, key=lambda n: (n == DEPLOY_MARKER, n.endswith(".html"), n))
    done = 0
    try:
        for name in order:
            if name == DEPLOY_MARKER:
                _delete(dest, changes.removed)
            target = dest / name
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(staging / name, target)
            done += 1
        if DEPLOY_MARKER not in order:
            _delete(dest, changes.removed)
    except OSError as err:
        raise UserError(
            f"the update of {dest} stopped part-way ({done} of {len(order)} files in place): "
            f"{_reason(err)}",
            hint="every file there is whole (old or new); fix the cause and run deploy again "
            "to finish",
        ) from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _copy(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    os.chmod(target, 0o644)  # world-readable, for the web server


def _delete(dest: Path, names: list[str]) -> None:
    root = dest.resolve()
    for name in names:
        path = (dest / name).resolve()
        if path.is_relative_to(root) and path.is_file():
            path.unlink()
            _prune(path.parent, root)


def _prune(directory: Path, root: Path) -> None:
    while directory != root and directory.is_relative_to(root) and not any(directory.iterdir()):
        directory.rmdir()
        directory = directory.parent


def _remove_stale_staging(dest: Path) -> None:
    """Staging folders left by a deploy that was killed outright."""
    for entry in dest.iterdir():
        if entry.name.startswith(STAGING_PREFIX) and entry.is_dir():
            shutil.rmtree(entry, ignore_errors=True)


def _reason(err: OSError) -> str:
    where = f"{err.filename}: " if err.filename else ""
    return where + (err.strerror or str(err))
