"""`speechsite build`: content/ + theme → a complete static site, incrementally and safely.

The pipeline, one module a step: `inputs` (scan the speech and static files; their
fingerprint equal to the last complete build's means nothing to do) → `load` (parse speeches,
in parallel, reusing the `cache` for files whose stat matches) → assemble the archive (unique
slugs, known topics) → page specifications with keys (render/pages.py) → `render` only the
pages whose key changed (in parallel) and the `extras` (feeds, sitemap, assets, static files)
into a staging folder beside the output → the `search` index → `output`: move the changed
files into the output, delete files the previous build made that are gone. `run` holds the
steps together (`build_site`, and `Build` for the preview server's phases). A failed build
stops before the move, so the last good site stays as it was. Unchanged files are never
rewritten (same bytes, same mtime), so rsync-style deploys and browser caches see no change.
"""

from __future__ import annotations

from generator.build.cache import CACHE_DIR, CACHE_VERSION, FINGERPRINT, BuildCache
from generator.build.inputs import Scan, input_folders, scan_speeches, unread_speech_files
from generator.build.load import search_details
from generator.build.output import (
    MARKER,
    Applied,
    Order,
    guard_output,
    read_marker,
    staging_dir,
    staging_path,
)
from generator.build.result import BuildResult, Progress
from generator.build.run import Build, Memory, build_site, collector_paused
from generator.build.search import merge_search
from generator.build.urls import Urls

__all__ = [
    "CACHE_DIR",
    "CACHE_VERSION",
    "FINGERPRINT",
    "MARKER",
    "Applied",
    "Build",
    "BuildCache",
    "BuildResult",
    "Memory",
    "Order",
    "Progress",
    "Scan",
    "Urls",
    "build_site",
    "collector_paused",
    "guard_output",
    "input_folders",
    "merge_search",
    "read_marker",
    "scan_speeches",
    "search_details",
    "staging_dir",
    "staging_path",
    "unread_speech_files",
]
