"""The site's URLs: every internal link made under the base URL's path, absolute where a feed or
sitemap needs it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from generator.config import normalise_base_url
from generator.errors import UserError

if TYPE_CHECKING:  # imported where needed: a no-change build never pays for them
    pass


@dataclass
class Urls:
    base_url: str

    def __post_init__(self) -> None:
        try:  # (--base-url comes here as typed; site.yaml's value is checked on load)
            self.base_url = normalise_base_url(self.base_url)
        except UserError as err:
            raise UserError(f"base URL: {err.message}", hint=err.hint) from None
        parts = urlsplit(self.base_url)
        self.base_path = parts.path  # (normalised: it ends with /)
        self.origin = f"{parts.scheme}://{parts.netloc}" if parts.scheme else ""

    def url(self, path: str) -> str:
        return self.base_path + path

    def absolute(self, url: str) -> str:
        """Absolute URL for feeds and sitemaps (a path when no host is configured)."""
        return self.origin + url
