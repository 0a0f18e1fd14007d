"""User-facing errors.

Every problem a user can fix (bad YAML, an undecodable file, a mistyped setting) is raised as a
`UserError`, which the CLI prints as one readable line instead of a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass
class UserError(Exception):
    """A problem in the user's input, with where it is and what to do about it."""

    message: str
    path: Path | str | None = None
    line: int | None = None
    hint: str | None = None
    setting: str | None = None  # the site.yaml key it is about, when found after loading

    def __str__(self) -> str:
        where = ""
        if self.path is not None:
            where = str(self.path)
            if self.line is not None:
                where += f":{self.line}"
            where += ": "
        text = f"{where}{self.message}"
        if self.hint:
            text += f" ({self.hint})"
        return text


def utf8_text(data: bytes, path: Path | str, hint: str, codec: str = "utf-8") -> str:
    """A file's bytes as UTF-8 text (`codec` utf-8-sig: a BOM dropped); bytes that are not
    are a UserError naming the byte and its line (a file saved as GBK, say), not a traceback."""
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise UserError(f"not valid UTF-8 at byte {exc.start}", path, line, hint) from None
