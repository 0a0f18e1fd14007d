"""What a rebuild changed, in the terms a browser tab cares about.

The build records every output file and its hash in `.speechsite-build.json`. Comparing the
record before and after a build gives the files that changed. Theme assets are fingerprinted
(`assets/css/site.<hash>.css`), so editing the CSS removes one file, adds another, and changes
every page — but only in the link to it. A page whose new bytes, with the new asset names put
back to the old ones, hash to its old hash changed only in those links: a tab showing it swaps
the stylesheet instead of reloading.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

_FINGERPRINT = re.compile(r"^(?P<stem>.*)\.[0-9a-f]{10}(?P<suffix>\.[^./]+)$")


@dataclass
class Update:
    """One rebuild's effect: `pages` (output names of HTML files whose content changed, or that
    appeared or went away) and `assets` (old URL → new URL of renamed fingerprinted files)."""

    pages: list[str] = field(default_factory=list)
    assets: dict[str, str] = field(default_factory=dict)
    written: list[str] = field(default_factory=list)  # every output file that changed


def logical_name(name: str) -> str | None:
    """`assets/css/site.3f2a9c1b07.css` → `assets/css/site.css`; None for other files."""
    if not name.startswith("assets/"):
        return None
    match = _FINGERPRINT.match(name)
    return f"{match['stem']}{match['suffix']}" if match else None


def renamed_assets(before: dict[str, str], after: dict[str, str]) -> dict[str, str]:
    """Old output name → new output name of each fingerprinted file whose content changed."""
    gone = {logical_name(n): n for n in set(before) - set(after) if logical_name(n)}
    new = {logical_name(n): n for n in set(after) - set(before) if logical_name(n)}
    return {gone[key]: new[key] for key in sorted(gone.keys() & new.keys(), key=str)}


def diff(before: dict[str, str], after: dict[str, str], output: Path, base_path: str) -> Update:
    """Compare two build records of the folder `output` (served under `base_path`)."""
    renamed = renamed_assets(before, after)
    changed = sorted(
        name for name in set(before) | set(after) if before.get(name) != after.get(name)
    )
    update = Update(written=changed)
    update.assets = {base_path + old: base_path + new for old, new in renamed.items()}
    for name in changed:
        if not name.endswith(".html"):
            continue
        links_only = (
            renamed
            and name in before
            and name in after
            and _only_links_changed(output / name, before[name], renamed)
        )
        if not links_only:
            update.pages.append(name)
    return update


def _only_links_changed(path: Path, old_hash: str, renamed: dict[str, str]) -> bool:
    try:
        data = path.read_bytes()
    except OSError:
        return False
    for old, new in renamed.items():
        data = data.replace(new.encode(), old.encode())
    return hashlib.sha256(data).hexdigest() == old_hash
