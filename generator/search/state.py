"""What a build records of the search index it wrote (`IndexState`), in a module of its own
without numpy: a build whose inputs did not change reads the cache that holds it, and
importing numpy took a sixth of such a build's time.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class IndexState:
    """What a build records of the index it wrote, for the next build to update it: its
    bucket count (with the slugs, what names its generation), how many keys it has (all, and in hash group 0, from which
    the bucket count is estimated), and per speech (in number order) its slug, the token that
    changes when its postings may have, where its postings are cached, and the token of
    what its fragment shows."""

    bits: int
    keys: int
    group0: int
    slugs: list[str]
    tokens: list[str]
    locators: list[str]
    fragments: list[str]
