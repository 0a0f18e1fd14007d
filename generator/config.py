"""`site.yaml` → a typed, validated `Config`.

The schema is declared once (`_SCHEMA`); every key is checked on load, so a typo such as
`topcis:` is an error naming the key, its line and the closest valid key, never silently ignored.
Built-in boilerplate rules and topics live in `generator/defaults/*.yaml`; a site's own rules are
added to them, and a site's topic of the same name changes the built-in one's settings it gives.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from functools import cache, cached_property
from importlib import resources
from pathlib import Path
from typing import Any

from generator.deploy.targets import DeploySettings, parse_deploy
from generator.errors import UserError
from generator.yamlio import KeyPath, load_yaml

CONFIG_NAME = "site.yaml"
MIN_SLUG_LENGTH = 16


@dataclass(frozen=True)
class LineRule:
    """Remove a line when `pattern` matches in it; `name` is what the report shows."""

    name: str
    pattern: re.Pattern[str]


@dataclass(frozen=True)
class BlockRule:
    """Remove every line from one matching `start` to the next matching `end` (inclusive).

    With no `end`, the block runs to the end of the file (e.g. a "相关报道" footer)."""

    name: str
    start: re.Pattern[str]
    end: re.Pattern[str] | None


@dataclass(frozen=True)
class Boilerplate:
    lines: tuple[LineRule, ...]
    blocks: tuple[BlockRule, ...]
    inline: tuple[LineRule, ...] = ()  # removed from inside a line: a stamped-on watermark


@dataclass(frozen=True)
class Topic:
    name: str
    slug: str
    description: str
    terms: dict[str, float]
    threshold: float
    min_count: int


@dataclass(frozen=True)
class Config:
    root: Path
    title: str
    description: str
    language: str
    raw_dir: Path
    speeches_dir: Path
    own_boilerplate: Boilerplate  # site.yaml's rules (see `boilerplate`)
    topics: tuple[Topic, ...]
    slug_max_length: int
    base_url: str = "/"
    output: Path = Path("site")
    theme: str = "default"
    content_language: str = "zh-CN"  # what the speeches are written in (the UI: `language`)
    per_page: int = 20
    latest: int = 10
    related: int = 5
    minify: bool = True
    source: Path | None = None
    deploy: DeploySettings = field(default_factory=DeploySettings)
    extra: dict[str, Any] = field(default_factory=dict)
    lines: dict[KeyPath, int] = field(default_factory=dict, compare=False, repr=False)
    default_rules: bool = True
    static_dir: Path | None = None  # files published as they are (paths.static); None: none

    @cached_property
    def boilerplate(self) -> Boilerplate:
        """The rules ingest removes boilerplate by: the built-in ones (unless turned off), then
        site.yaml's. The built-in ones are compiled on first use: only ingest uses them, and
        compiling them took 40 ms of every build and every start of a command."""
        if not self.default_rules:
            return self.own_boilerplate
        built_in, own = _default_boilerplate(), self.own_boilerplate
        return Boilerplate(
            built_in.lines + own.lines, built_in.blocks + own.blocks, built_in.inline + own.inline
        )

    def error(self, keys: KeyPath, error: UserError) -> UserError:
        """`error` (about a setting, found later than loading: a theme, its languages) as an
        error of site.yaml's line that sets it, when site.yaml sets it."""
        line = self.lines.get(keys)
        if self.source is None or line is None:
            return error
        what = ".".join(str(key) for key in keys)
        return UserError(f"{what}: {error.message}", self.source, line, error.hint)


# key → (expected python type(s), default). Nested dicts are sub-schemas.
_Schema = dict[str, Any]
_SCHEMA: _Schema = {
    "title": (str, "讲话稿档案"),
    "description": (str, "讲话稿的整理、检索与归档"),
    "language": (str, "zh-CN"),
    "content_language": (str, "zh-CN"),
    "paths": {
        "raw": (str, "content/raw"),
        "speeches": (str, "content/speeches"),
        "static": (str, "content/static"),
    },
    "ingest": {
        "default_rules": (bool, True),
        "slug_max_length": (int, 60),
        "boilerplate": {
            "lines": (list, []),
            "blocks": (list, []),
            "inline": (list, []),
        },
    },
    "topics": (dict, {}),
    "base_url": (str, "/"),
    "output": (str, "site"),
    "theme": (str, "default"),
    "build": {
        "per_page": (int, 20),
        "latest": (int, 10),
        "related": (int, 5),
        "minify": (bool, True),
    },
    "deploy": (dict, {}),  # validated by generator/deploy/targets.py
}
_TOPIC_KEYS = {"slug", "description", "terms", "threshold", "min_count"}
_BLOCK_KEYS = {"name", "start", "end"}
_LINE_KEYS = {"name", "pattern"}


def load_config(root: Path) -> Config:
    """Read `root/site.yaml` (optional: without it every setting takes its default)."""
    path = root / CONFIG_NAME
    if path.exists():
        text = _read_text(path)
        data, lines = load_yaml(text, path)
        if data is None:
            data = {}
        if not isinstance(data, dict):
            raise UserError("site.yaml must be a mapping of settings", path, 1)
        return _build(root, data, lines, path)
    return _build(root, {}, {}, None)


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UserError(
            f"not valid UTF-8 at byte {exc.start}", path, hint="save site.yaml as UTF-8"
        ) from None


def _build(
    root: Path, data: dict[str, Any], lines: dict[KeyPath, int], path: Path | None
) -> Config:
    checker = _Checker(lines, path)
    values = checker.check(data, _SCHEMA, ())
    ingest = values["ingest"]
    if ingest["slug_max_length"] < MIN_SLUG_LENGTH:
        raise checker.fail(
            ("ingest", "slug_max_length"),
            f"expected a whole number ≥ {MIN_SLUG_LENGTH}, got {ingest['slug_max_length']!r}",
            "a slug needs room for a few syllables and a -YYYYMMDD suffix",
        )
    boilerplate = _rules(ingest["boilerplate"], checker, ("ingest", "boilerplate"), "site.yaml")
    topics = _topics(checker, values["topics"])
    _check_folders(checker, root, values)
    return Config(
        root=root,
        title=values["title"],
        description=values["description"],
        language=values["language"],
        raw_dir=root / values["paths"]["raw"],
        speeches_dir=root / values["paths"]["speeches"],
        own_boilerplate=boilerplate,
        topics=topics,
        slug_max_length=ingest["slug_max_length"],
        base_url=checker.base_url(("base_url",), values["base_url"]),
        output=root / values["output"],
        theme=_theme_name(checker, values["theme"]),
        content_language=_language_tag(checker, values["content_language"]),
        per_page=_positive(checker, ("build", "per_page"), values["build"]["per_page"]),
        latest=_count(checker, ("build", "latest"), values["build"]["latest"]),
        related=_count(checker, ("build", "related"), values["build"]["related"]),
        minify=values["build"]["minify"],
        source=path,
        deploy=parse_deploy(values["deploy"], checker),
        lines=lines,
        default_rules=ingest["default_rules"],
        static_dir=root / values["paths"]["static"],
    )


def read_folders(
    root: Path, raw: str | Path, speeches: str | Path, static: str | Path | None = None
) -> tuple[Path, ...]:
    """The folders a project's ingest and build read (raw, speeches, themes, static): no
    output may be inside one."""
    folders = (root / raw, root / speeches, root / "themes")
    return folders if static is None else (*folders, root / static)


def _check_folders(checker: _Checker, root: Path, values: dict[str, Any]) -> None:
    """The raw and speeches folders apart (ingest wrote its Markdown among the raw files, to
    read again as raw), and the output in neither, nor in themes/ (built pages were ingested
    back as speeches)."""
    paths = values["paths"]
    raw, speeches, themes, static = (
        folder.resolve()
        for folder in read_folders(root, paths["raw"], paths["speeches"], paths["static"])
    )
    if raw.is_relative_to(speeches) or speeches.is_relative_to(raw):
        raise checker.fail(
            ("paths", "speeches"),
            "the speeches folder and the raw folder must be apart (neither inside the other)",
            "e.g. raw: content/raw and speeches: content/speeches",
        )
    if raw.is_relative_to(static) or static.is_relative_to(raw):
        raise checker.fail(
            ("paths", "static"),
            "the static folder and the raw folder must be apart (neither inside the other):"
            " ingest would read the static files as speeches",
            "e.g. raw: content/raw and static: content/static",
        )
    output = (root / values["output"]).resolve()
    for name, folder in (
        ("raw", raw),
        ("speeches", speeches),
        ("themes", themes),
        ("static", static),
    ):
        if output.is_relative_to(folder):
            raise checker.fail(
                ("output",),
                f"the output folder is inside the {name} folder, which speechsite reads",
                "choose an output such as site/",
            )


_LANGUAGE_TAG_RE = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*")


def is_language_tag(tag: str) -> bool:
    """Whether `tag` reads as a BCP 47 language tag (zh-CN, zh-Hant, en, en-GB): what
    `content_language` and a speech's own `lang:` may hold, since each is written into
    lang= and xml:lang= as it is."""
    return _LANGUAGE_TAG_RE.fullmatch(tag) is not None


def primary_language(tag: str) -> str:
    """A tag's language without its script or region: zh of zh-CN and zh-Hant, en of en-GB."""
    return tag.split("-")[0].lower()


def same_language(tag: str, other: str) -> bool:
    """Whether two tags name one language (zh-CN and zh-Hant, en and en-GB): a region or a
    script is no other language to a screen reader's voice, so it needs no lang= of its own."""
    return primary_language(tag) == primary_language(other)


# Languages written right to left: Arabic and Hebrew, and those written in their letters, in
# Syriac, Thaana or N'Ko; and those scripts, where a tag names its script (az-Arab, ug-Latn).
_RIGHT_TO_LEFT_LANGUAGES = frozenset(
    {"ar", "arc", "ckb", "dv", "fa", "he", "iw", "nqo", "ps", "sd", "syr", "ug", "ur", "yi"}
)
_RIGHT_TO_LEFT_SCRIPTS = frozenset({"adlm", "arab", "hebr", "nkoo", "rohg", "syrc", "thaa"})


def text_direction(tag: str) -> str:
    """`rtl` for a tag whose language is written right to left (ar, he, fa-IR, az-Arab), else
    `ltr`: its script subtag, where it has one, says which (ug-Latn is left to right)."""
    subtags = tag.lower().split("-")
    script = next((s for s in subtags[1:] if len(s) == 4 and s.isalpha()), None)
    if script is not None:
        return "rtl" if script in _RIGHT_TO_LEFT_SCRIPTS else "ltr"
    return "rtl" if subtags[0] in _RIGHT_TO_LEFT_LANGUAGES else "ltr"


def _language_tag(checker: _Checker, tag: str) -> str:
    """A language tag (zh-CN, zh-Hant, en): it is written into every speech's lang=."""
    if not is_language_tag(tag):
        raise checker.fail(
            ("content_language",), f"expected a language tag, got {tag!r}", "e.g. zh-CN or zh-Hant"
        )
    return tag


def _theme_name(checker: _Checker, name: str) -> str:
    """A theme is a folder under themes/, named: not a path (/tmp, ..) that would make the
    build read, and fingerprint, whatever lies there."""
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", name) or ".." in name:
        raise checker.fail(
            ("theme",), f"expected a folder name under themes/, got {name!r}", "e.g. theme: mine"
        )
    return name


def _count(checker: _Checker, keys: KeyPath, value: int) -> int:
    """A count a list shows: 0 turns the list off (the home's latest, a speech's related)."""
    if value < 0:
        raise checker.fail(keys, f"expected a whole number ≥ 0, got {value}")
    return value


def _positive(checker: _Checker, keys: KeyPath, value: int) -> int:
    if value < 1:
        raise checker.fail(keys, f"expected a whole number ≥ 1, got {value}")
    return value


def normalise_base_url(value: str) -> str:
    """`https://example.org/archive/` or a bare path like `/archive/`; always ends with '/'.
    A path's spaces and Chinese are percent-encoded, as every link written from it must be."""
    from urllib.parse import quote, urlsplit

    parts = urlsplit(value)
    hint = "e.g. https://example.org/archive/ or /archive/"
    if parts.scheme not in ("", "http", "https") or (parts.scheme and not parts.netloc):
        raise UserError(f"expected an http(s) URL or a path, got {value!r}", hint=hint)
    if not parts.scheme and parts.netloc:  # //example.org/archive/
        raise UserError(f"a URL needs its scheme, got {value!r}", hint=f"https:{value}")
    if parts.query or parts.fragment or "?" in value or "#" in value:
        raise UserError(f"a base URL has no query or fragment, got {value!r}", hint=hint)
    if any(segment in (".", "..") for segment in parts.path.split("/")):
        raise UserError(f"a base URL's path has no . or .. in it, got {value!r}", hint=hint)
    if "//" in parts.path or value != value.strip() or any(c.isspace() for c in parts.netloc):
        # (//archive/ in a page is a link to a host called archive)
        raise UserError(
            f"a base URL has no empty path segment (//) or spaces, got {value!r}", hint=hint
        )
    try:
        parts.port  # noqa: B018 (reading it checks it: example.org:99999 raises)
    except ValueError:
        raise UserError(
            f"a base URL's port is a number below 65536, got {value!r}", hint=hint
        ) from None
    if not parts.scheme and re.fullmatch(r"[\w-]+(?:\.[\w-]+)+", parts.path.split("/", 1)[0]):
        raise UserError(  # example.org/archive: a host without its scheme
            f"expected an http(s) URL or a path, got {value!r}",
            hint=f"did you mean https://{value.rstrip('/')}/?",
        )
    path = quote(parts.path, safe="/%:@!$&'()*+,;=-._~")
    if not path.startswith("/"):
        path = "/" + path
    if not path.endswith("/"):
        path += "/"
    return f"{parts.scheme}://{parts.netloc}{path}" if parts.scheme else path


class _Checker:
    """Validates values against the schema, raising errors that name key, line and fix."""

    def __init__(self, lines: dict[KeyPath, int], path: Path | None) -> None:
        self.lines = lines
        self.path = path

    def fail(self, keys: KeyPath, message: str, hint: str | None = None) -> UserError:
        line = None
        for cut in range(len(keys), -1, -1):
            if keys[:cut] in self.lines:
                line = self.lines[keys[:cut]]
                break
        name = ".".join(str(k) for k in keys) or "site.yaml"
        return UserError(f"{name}: {message}", self.path or CONFIG_NAME, line, hint)

    def check(self, data: Any, schema: _Schema, keys: KeyPath) -> dict[str, Any]:
        if data is None:
            data = {}
        if not isinstance(data, dict):
            raise self.fail(keys, "expected a mapping of settings")
        for key in data:
            if key not in schema:
                raise self.fail((*keys, str(key)), "unknown setting", _suggest(str(key), schema))
        out: dict[str, Any] = {}
        for key, spec in schema.items():
            value = data.get(key)
            if isinstance(spec, dict):
                out[key] = self.check(value, spec, (*keys, key))
                continue
            kind, default = spec
            if value is None:
                out[key] = default
            elif (kind is int and isinstance(value, bool)) or not isinstance(value, kind):
                raise self.fail((*keys, key), f"expected {_type_name(kind)}, got {value!r}")
            else:
                out[key] = value
        return out

    def base_url(self, keys: KeyPath, value: str) -> str:
        try:
            return normalise_base_url(value)
        except UserError as err:
            raise self.fail(keys, err.message, err.hint) from None

    def known_keys(self, keys: KeyPath, mapping: dict[Any, Any], valid: set[str]) -> None:
        _check_keys(self, keys, mapping, valid)

    def regex(self, keys: KeyPath, pattern: Any) -> re.Pattern[str]:
        if not isinstance(pattern, str):
            raise self.fail(keys, f"expected a regular expression string, got {pattern!r}")
        try:
            return re.compile(pattern)
        except re.error as exc:
            raise self.fail(keys, f"invalid regular expression {pattern!r}: {exc}") from None


def _suggest(key: str, options: dict[str, Any] | set[str]) -> str:
    close = difflib.get_close_matches(key, list(options), n=1, cutoff=0.5)
    valid = ", ".join(sorted(options))
    return f"did you mean '{close[0]}'?" if close else f"valid keys: {valid}"


def _type_name(kind: type) -> str:
    return {str: "text", int: "a whole number", bool: "true or false", list: "a list"}.get(
        kind, "a mapping"
    )


def _default_yaml(name: str) -> dict[str, Any]:
    text = resources.files("generator.defaults").joinpath(name).read_text(encoding="utf-8")
    data, _ = load_yaml(text, f"generator/defaults/{name}")
    assert isinstance(data, dict)
    return data


@cache
def _default_boilerplate() -> Boilerplate:
    """The built-in rules, compiled once a process."""
    defaults = _default_yaml("boilerplate.yaml")
    checker = _Checker({}, Path("generator/defaults/boilerplate.yaml"))
    return _rules(defaults, checker, (), "built-in")


def _rules(data: dict[str, Any], check: _Checker, keys: KeyPath, origin: str) -> Boilerplate:
    """One source's rules (the built-in ones, or site.yaml's), checked and compiled."""
    lines = tuple(
        _line_rule(check, (*keys, "lines", index), rule, f"{origin} line rule {index + 1}")
        for index, rule in enumerate(data.get("lines") or [])
    )
    blocks = tuple(
        _block_rule(check, (*keys, "blocks", index), block, f"{origin} block rule {index + 1}")
        for index, block in enumerate(data.get("blocks") or [])
    )
    inline = tuple(
        _line_rule(check, (*keys, "inline", index), rule, f"{origin} inline rule {index + 1}")
        for index, rule in enumerate(data.get("inline") or [])
    )
    return Boilerplate(lines, blocks, inline)


def _line_rule(check: _Checker, where: KeyPath, rule: Any, default_name: str) -> LineRule:
    """A line rule is a pattern string, or a mapping {name, pattern}."""
    if isinstance(rule, str):
        return LineRule(default_name, check.regex(where, rule))
    if isinstance(rule, dict):
        _check_keys(check, where, rule, _LINE_KEYS)  # first, so a typo gets its suggestion
    if not isinstance(rule, dict) or "pattern" not in rule:
        raise check.fail(where, "a line rule is a regular expression or {name, pattern}")
    return LineRule(
        str(rule.get("name") or default_name), check.regex((*where, "pattern"), rule["pattern"])
    )


def _block_rule(check: _Checker, where: KeyPath, block: Any, default_name: str) -> BlockRule:
    if isinstance(block, dict):
        _check_keys(check, where, block, _BLOCK_KEYS)  # first, so a typo gets its suggestion
    if not isinstance(block, dict) or "start" not in block:
        raise check.fail(where, "a block rule needs 'start' (and optionally 'end' and 'name')")
    end = block.get("end")
    return BlockRule(
        name=str(block.get("name") or default_name),
        start=check.regex((*where, "start"), block["start"]),
        end=check.regex((*where, "end"), end) if end is not None else None,
    )


def _check_keys(check: _Checker, where: KeyPath, mapping: dict[Any, Any], valid: set[str]) -> None:
    for key in mapping:
        if key not in valid:
            raise check.fail((*where, str(key)), "unknown setting", _suggest(str(key), valid))


def _topics(checker: _Checker, site_topics: dict[str, Any]) -> tuple[Topic, ...]:
    merged: dict[str, tuple[Any, _Checker]] = {}
    defaults = _default_yaml("topics.yaml")
    default_checker = _Checker({}, Path("generator/defaults/topics.yaml"))
    for name, spec in defaults.items():
        merged[str(name)] = (spec, default_checker)
    for name, spec in site_topics.items():
        built_in = defaults.get(name)
        if isinstance(built_in, dict) and isinstance(spec, dict):
            # a built-in topic's settings site.yaml leaves out are the built-in ones: a new
            # description alone was refused for want of terms
            spec = {**built_in, **spec}
        merged[str(name)] = (spec, checker)
    topics = tuple(_topic(check, str(name), spec) for name, (spec, check) in merged.items())
    _unique_slugs(checker, topics, site_topics)
    return topics


def _unique_slugs(
    checker: _Checker, topics: tuple[Topic, ...], site_topics: dict[str, Any]
) -> None:
    """Two topics with one slug would write one page and one feed over the other's."""
    owner: dict[str, str] = {}
    for topic in topics:
        other = owner.setdefault(topic.slug, topic.name)
        if other != topic.name:
            name = topic.name if topic.name in site_topics else other
            given = isinstance(site_topics.get(name), dict) and "slug" in site_topics[name]
            raise checker.fail(
                ("topics", name, "slug") if given else ("topics", name),
                f"topics {other} and {topic.name} have the same slug '{topic.slug}'",
                "give one of them its own 'slug:' (lowercase letters, digits and '-')",
            )


def _topic(checker: _Checker, name: str, spec: Any) -> Topic:
    keys: KeyPath = ("topics", name)
    if not isinstance(spec, dict):
        raise checker.fail(keys, "a topic needs a mapping with 'terms'")
    _check_keys(checker, keys, spec, _TOPIC_KEYS)
    terms = spec.get("terms")
    if not isinstance(terms, dict) or not terms:
        raise checker.fail(
            (*keys, "terms"), "expected a mapping of term: weight", "e.g. 作风整顿: 3"
        )
    weights: dict[str, float] = {}
    for term, weight in terms.items():
        if term is None or str(term) == "":
            raise checker.fail((*keys, "terms"), "a term must not be empty")
        if isinstance(weight, bool) or not isinstance(weight, int | float) or weight <= 0:
            raise checker.fail(
                (*keys, "terms", str(term)), f"weight must be a positive number, got {weight!r}"
            )
        weights[str(term)] = float(weight)
    threshold = spec.get("threshold", 10.0)
    if isinstance(threshold, bool) or not isinstance(threshold, int | float) or threshold < 0:
        raise checker.fail((*keys, "threshold"), f"expected a number ≥ 0, got {threshold!r}")
    min_count = spec.get("min_count", 2)
    if isinstance(min_count, bool) or not isinstance(min_count, int) or min_count < 1:
        raise checker.fail((*keys, "min_count"), f"expected a whole number ≥ 1, got {min_count!r}")
    slug = spec.get("slug")
    if slug is None:
        from generator.ingest.slug import slugify  # local: slugs need pypinyin, config does not

        slug = slugify(name, 40)
    if not isinstance(slug, str) or not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", slug):
        raise checker.fail(
            (*keys, "slug"), f"slug must be lowercase letters, digits and '-', got {slug!r}"
        )
    description = spec.get("description", "")
    if not isinstance(description, str):
        raise checker.fail((*keys, "description"), "expected text")
    return Topic(name, slug, description, weights, float(threshold), min_count)
