"""Themes: template lookup with inheritance, fingerprinted static files, UI strings.

A site's theme `themes/<name>/` inherits from `themes/default/`: Jinja2 looks in the site theme
first, then the default (a ChoiceLoader), and `default/…` always reaches the stock template (a
PrefixLoader), so an override can `{% extends "default/base.html" %}` and change one block.
Static files and UI strings are merged the same way, the site theme winning. JavaScript and CSS
are minified (unless `build.minify: false`) and named after a digest of the bytes written.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

import rcssmin
import rjsmin

from generator.errors import UserError, utf8_text
from generator.yamlio import load_yaml

if TYPE_CHECKING:
    import jinja2

DEFAULT_THEME = "default"


@dataclass(frozen=True)
class Asset:
    source: Path
    path: str  # fingerprinted output path relative to the site root, e.g. assets/css/site.1a2b.css
    digest: str  # of `data`
    data: bytes = field(repr=False)  # what the site gets: the source, minified if JS or CSS


def _fingerprinted(source: Path, name: str, data: bytes) -> Asset:
    pure = PurePosixPath(name)
    digest = hashlib.sha256(data).hexdigest()
    return Asset(
        source, f"assets/{pure.with_name(f'{pure.stem}.{digest[:10]}{pure.suffix}')}", digest, data
    )


_CSS_URL_RE = re.compile(rb"""url\(\s*(['"]?)([^'")\s?#]+)([^'")\s]*)\1\s*\)""")


def _css_urls(name: str, css: Asset, assets: dict[str, Asset]) -> bytes:
    """A stylesheet with its url()s of the theme's own static files pointing at their
    fingerprinted names: `url(../img/bg.png)` in a theme's CSS led nowhere once bg.png was
    written as bg.4c4b6a3be1.png. (Every asset keeps its folder under assets/, so the way from
    the stylesheet to it is the way between their names.)"""
    folder = posixpath.dirname(name)
    output_folder = posixpath.dirname(css.path)

    def point(found: re.Match[bytes]) -> bytes:
        link = found.group(2).decode("utf-8", "replace")
        linked = posixpath.normpath(posixpath.join(folder, link))
        target = assets.get(linked)
        if "://" in link or link.startswith(("/", "data:")) or target is None or linked == name:
            return found.group(0)
        moved = posixpath.relpath(target.path, output_folder).encode()
        quote = found.group(1)
        return b"url(" + quote + moved + found.group(3) + quote + b")"

    return _CSS_URL_RE.sub(point, css.data)


def data_url(asset: Asset) -> str:
    """`data:` URL of an asset's bytes, with its media type guessed from its name by Python's
    own table (not the machine's: the same input gives the same pages anywhere)."""
    import base64
    import mimetypes

    kind = mimetypes.MimeTypes().guess_type(asset.path)[0] or "application/octet-stream"
    return f"data:{kind};base64,{base64.b64encode(asset.data).decode('ascii')}"


# Where speechsite's own default theme is: inside the installed package (pyproject.toml ships
# themes/ as generator/stock_themes), or beside the package in a checkout or editable install.
_PACKAGE = Path(__file__).resolve().parents[1]
STOCK_THEMES = (_PACKAGE / "stock_themes", _PACKAGE.parent / "themes")


def default_theme(themes_dir: Path) -> Path:
    """The default theme a site's theme inherits from: the project's own themes/default/ when
    it has one (a copy to edit), else the one that comes with speechsite — a new project needs
    no themes/ folder, as a Hugo or MkDocs site needs no copy of its stock theme."""
    if (themes_dir / DEFAULT_THEME / "templates").is_dir():
        return themes_dir / DEFAULT_THEME
    stock = _stock_default()
    if stock is not None:
        return stock
    raise UserError(
        "the default theme is missing",
        themes_dir / DEFAULT_THEME,
        hint="reinstall speechsite (its package holds the default theme)",
    )


# The templates a speech page lists other speeches with.
_LISTING_TEMPLATES = ("speech.html", "partials/speech-item.html", "partials/topic-chips.html")


def _stock_default() -> Path | None:
    """The default theme that comes with speechsite."""
    for candidate in STOCK_THEMES:
        if (candidate / DEFAULT_THEME / "templates").is_dir():
            return candidate / DEFAULT_THEME
    return None


class Theme:
    def __init__(self, themes_dir: Path, name: str, language: str, minify: bool = True) -> None:
        self.dirs = self._chain(themes_dir, name)
        self.name = name
        self.language = language
        self.minify = minify
        self.assets = self._assets()
        self.digest = self._digest()  # (before the strings: it finds a file that is not UTF-8)
        self.strings = self._strings()

    @staticmethod
    def _chain(themes_dir: Path, name: str) -> list[Path]:
        default = default_theme(themes_dir)
        if name == DEFAULT_THEME:
            return [default]
        custom = themes_dir / name
        if not custom.is_dir():
            available = [DEFAULT_THEME]
            if themes_dir.is_dir():
                available += sorted(p.name for p in themes_dir.iterdir() if p.is_dir())
            raise UserError(
                f"theme '{name}' not found",
                themes_dir,
                hint=f"available: {', '.join(sorted(set(available)))}",
                setting="theme",
            )
        return [custom, default]

    def environment(self, bytecode: Path | None = None) -> jinja2.Environment:
        """The templates' environment; with `bytecode`, a folder where compiled templates are
        kept between builds (a build that renders a few pages spent most of its rendering
        time compiling the templates they use)."""
        import jinja2  # only builds that render a page need it

        loaders: list[jinja2.BaseLoader] = [
            jinja2.FileSystemLoader(str(d / "templates"))
            for d in self.dirs
            if (d / "templates").is_dir()
        ]
        prefix = jinja2.PrefixLoader(
            {DEFAULT_THEME: jinja2.FileSystemLoader(str(self.dirs[-1] / "templates"))}
        )
        return jinja2.Environment(
            loader=jinja2.ChoiceLoader([*loaders, prefix]),
            autoescape=jinja2.select_autoescape(["html", "xml", "svg"], default_for_string=True),
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            auto_reload=False,  # a build reads each template once: no stat per page rendered
            bytecode_cache=None if bytecode is None else _bytecode_cache(bytecode),
        )

    def _assets(self) -> dict[str, Asset]:
        assets: dict[str, Asset] = {}
        for directory in reversed(self.dirs):  # default first, so the site theme overrides
            static = directory / "static"
            if not static.is_dir():
                continue
            for file in sorted(static.rglob("*")):
                if not file.is_file() or file.name.startswith("."):
                    continue
                name = file.relative_to(static).as_posix()
                pure = PurePosixPath(name)
                data = file.read_bytes()
                if self.minify:
                    data = minified(pure.suffix, data)
                assets[name] = _fingerprinted(file, name, data)
        sheets = {n: a for n, a in assets.items() if n.endswith(".css") and b"url(" in a.data}
        for _ in range(len(sheets) + 1):  # (until no name changes: a sheet may name a sheet)
            before = [assets[name].path for name in sheets]
            for name, sheet in sheets.items():
                assets[name] = _fingerprinted(sheet.source, name, _css_urls(name, sheet, assets))
            if before == [assets[name].path for name in sheets]:
                break
        return assets

    def _strings(self) -> dict[str, str]:
        """The strings of the best language any theme of the chain has, the site theme's over
        the default's: a site theme with only zh-CN.yaml leaves an English site English."""
        fallbacks = _language_fallbacks(self.language)
        chosen = next(
            (
                number
                for number, lang in enumerate(fallbacks)
                if any((d / "i18n" / f"{lang}.yaml").exists() for d in self.dirs)
            ),
            len(fallbacks) - 1,
        )
        if fallbacks[chosen] == "zh-CN" and fallbacks[0].split("-")[0] != "zh":
            # Chinese strings on pages marked lang="fr": screen readers would read them in French
            available = sorted({p.stem for d in self.dirs for p in (d / "i18n").glob("*.yaml")})
            raise UserError(
                f"language '{self.language}': the theme has no strings in it",
                self.dirs[0] / "i18n",
                hint=f"set language to one of {', '.join(available)} in site.yaml, or add "
                f"i18n/{self.language}.yaml to the theme (copy themes/default/i18n/en.yaml)",
                setting="language",
            )
        strings: dict[str, str] = {}
        for directory in reversed(self.dirs):
            for lang in fallbacks[: chosen + 1]:
                path = directory / "i18n" / f"{lang}.yaml"
                if path.exists():
                    strings.update(_load_strings(path))
                    break
        return strings

    @functools.cached_property
    def brief_listing(self) -> bool:
        """Whether this theme's speech page shows of its neighbours and related speeches what
        the stock theme's shows, and no more (see SpeechSummary.listed_key): its templates for
        them are the stock ones, byte for byte. A theme's own may show a speech's length."""
        stock = _stock_default()
        if stock is None:
            return False
        for name in _LISTING_TEMPLATES:
            used = [d / "templates" / name for d in self.dirs if (d / "templates" / name).is_file()]
            ours = stock / "templates" / name
            if not used or not ours.is_file() or used[0].read_bytes() != ours.read_bytes():
                return False
        return True

    def _digest(self) -> str:
        """Changes when any template, static file or string of the theme chain changes, and when
        an asset's output name does (minifying turned on or off, another minifier version).
        Reading every file, it also finds a template or strings file that is not UTF-8, as
        Jinja and the strings loader read them (Notepad on a Chinese Windows saves GBK)."""
        hasher = hashlib.sha256()
        for directory in self.dirs:
            for file in sorted(directory.rglob("*")):
                if file.is_file() and not file.name.startswith("."):
                    name = file.relative_to(directory).as_posix()
                    data = file.read_bytes()
                    if name.startswith(("templates/", "i18n/")):
                        utf8_text(data, file, "save the file as UTF-8")
                    hasher.update(name.encode())
                    hasher.update(data)
        hasher.update(self.language.encode())
        hasher.update(f"minify={self.minify}".encode())
        for name, asset in sorted(self.assets.items()):
            hasher.update(f"\0{name}\0{asset.path}".encode())
        return hasher.hexdigest()


def counted(strings: dict[str, str], key: str, n: int) -> str:
    """The theme string `key` with `{n}` filled in, in its singular form `<key>_one` when `n`
    is 1 and the language has one ("1 speech"; Chinese needs none: "1 篇")."""
    form = strings.get(f"{key}_one") if n == 1 else None
    return (form or strings.get(key, "{n}")).replace("{n}", str(n))


def minified(suffix: str, data: bytes) -> bytes:
    """JavaScript (rjsmin) and CSS (rcssmin) without comments and needless whitespace; names are
    not shortened and license comments (`/*! … */`) are kept. Other files as they are."""
    suffix = suffix.lower()
    if suffix == ".js":
        return bytes(rjsmin.jsmin(data, keep_bang_comments=True))
    if suffix == ".css":
        return bytes(rcssmin.cssmin(data, keep_bang_comments=True))
    return data


def _language_fallbacks(language: str) -> list[str]:
    base = language.split("-")[0]
    return [language, base, "zh-CN"] if base != language else [language, "zh-CN"]


def _load_strings(path: Path) -> dict[str, str]:
    data, _ = load_yaml(path.read_text(encoding="utf-8"), path, with_lines=False)
    if not isinstance(data, dict):
        raise UserError("UI strings must be a mapping of key: text", path, 1)
    return {str(k): str(v) for k, v in data.items()}


def _bytecode_cache(folder: Path) -> jinja2.BytecodeCache:
    """Jinja's own cache of compiled templates, keyed by each template's name and source
    checksum; the files name this module's digest too, since the environment's options
    (autoescape, whitespace control) shape the compiled code as well. Files of other
    versions are removed."""
    version = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:12]
    folder.mkdir(parents=True, exist_ok=True)
    for entry in os.scandir(folder):
        if not entry.name.startswith(f"{version}-"):
            with contextlib.suppress(FileNotFoundError):  # (another worker's doing)
                os.unlink(entry.path)
    return _checked_bytecode_cache()(str(folder), f"{version}-%s.cache")


@functools.cache
def _checked_bytecode_cache() -> type[jinja2.FileSystemBytecodeCache]:
    """Jinja's file cache of compiled templates with a digest after each file's code: a file
    damaged on disk (a flipped byte) is compiled afresh, where Jinja ran the damaged code and
    every build failed with a template error in a template nobody had touched."""
    import io

    import jinja2

    class Checked(jinja2.FileSystemBytecodeCache):
        def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
            try:
                data = Path(self._get_cache_filename(bucket)).read_bytes()
            except OSError:
                return
            code, digest = data[:-32], data[-32:]
            if len(data) > 32 and hashlib.sha256(code).digest() == digest:
                bucket.load_bytecode(io.BytesIO(code))

        def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
            buffer = io.BytesIO()
            bucket.write_bytecode(buffer)
            code = buffer.getvalue()
            name = Path(self._get_cache_filename(bucket))
            # (the temporary file's name starts with the cache file's: _bytecode_cache keeps it)
            temporary = name.with_name(f"{name.name}.{os.getpid()}.tmp")
            with contextlib.suppress(OSError):  # a cache not written is only a slower build
                temporary.write_bytes(code + hashlib.sha256(code).digest())
                os.replace(temporary, name)
            temporary.unlink(missing_ok=True)

    return Checked
