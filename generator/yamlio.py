"""YAML reading that reports errors with file and line, and writing that is stable byte for byte."""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path
from typing import Any

import yaml

from generator.errors import UserError

KeyPath = tuple[str | int, ...]


_CLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_CLoader):  # type: ignore[valid-type,misc]
    """Safe loading (libyaml when present) with dates kept as the text the user wrote, so
    `date: 2020-13-45` is our validation error, not a crash inside the YAML library; and a key
    given twice is an error, where YAML let the last one win without a word."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: dict[Any, yaml.Mark] = {}  # each key, and where it was first given
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                continue
            key = self.construct_object(key_node, deep=deep)
            if not isinstance(key, str | int | float | bool):
                continue
            if key in seen:
                raise _DuplicateKey(key, seen[key], key_node.start_mark)
            seen[key] = key_node.start_mark
        mapping: dict[Any, Any] = super().construct_mapping(node, deep=deep)
        return mapping


class _DuplicateKey(yaml.constructor.ConstructorError):
    def __init__(self, key: Any, first: yaml.Mark, again: yaml.Mark) -> None:
        super().__init__(None, None, f"the key is given twice: '{key}'", again)
        self.first, self.again = first, again


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def load_yaml(
    text: str, path: Path | str, with_lines: bool = True, first_line: int = 1
) -> tuple[Any, dict[KeyPath, int]]:
    """Parse YAML and (unless `with_lines` is false) the 1-based line of every key. Errors
    name lines of the file, whose line `first_line` the YAML starts on (front matter: 2)."""
    node = None
    try:
        aliased = "*" in text
        checked = _check_aliases(text, path, first_line) if aliased else None
        if with_lines:  # (the node graph the alias check made, where it made one: not twice)
            node = checked if aliased else yaml.compose(text, Loader=_Loader)
        data = yaml.load(text, Loader=_Loader)
    except _DuplicateKey as exc:
        problem = f"{exc.problem} (also line {exc.first.line + first_line})"
        again = exc.again.line + first_line
        raise UserError(problem, path, again, "keep one of the two") from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + first_line if mark is not None else None
        problem = exc.problem or exc.context or "invalid YAML"
        raise UserError(
            f"malformed YAML: {problem}",
            path,
            line,
            "check indentation, colons and quotes on that line",
        ) from None
    except (yaml.YAMLError, ValueError) as exc:
        raise UserError(f"malformed YAML: {exc}", path) from None
    lines: dict[KeyPath, int] = {}
    if node is not None:
        _collect_lines(node, (), lines)
    return data, lines


MAX_EXPANDED = 100_000  # values a file may stand for once its aliases are written out


def _check_aliases(text: str, path: Path | str, first_line: int) -> yaml.Node | None:
    """The file's node graph, once checked: aliases (*name, repeating an &name anchor, and
    `<<: *name` merges) are fine, unless one stands inside the value it repeats — the line
    walk recursed without end (a traceback) — or aliases of aliases (a "billion laughs") make
    the file stand for more than MAX_EXPANDED values, where loading it hung."""
    try:
        root = yaml.compose(text, Loader=_Loader)
        if root is not None:
            _expanded_size(root, set(), {})
        return root
    except (_InsideItself, _TooLarge, RecursionError) as exc:
        alias = _alias_at_fault(text, getattr(exc, "node", None), isinstance(exc, _InsideItself))
        name = f" (*{alias.anchor})" if alias is not None else ""
        problem = (
            f"a YAML alias{name} stands inside the value it repeats"
            if isinstance(exc, _InsideItself)
            else f"YAML aliases{name} make the file stand for more than {MAX_EXPANDED:,} values"
        )
        line = alias.start_mark.line + first_line if alias and alias.start_mark else None
        raise UserError(problem, path, line, "write the value out where the alias stands") from None


def _alias_at_fault(text: str, node: yaml.Node | None, itself: bool) -> yaml.AliasEvent | None:
    """The alias to name: the first inside `node` (the value an alias stands inside, or the
    one that grew too large) — that repeats `node` itself, for one inside what it repeats —
    else the file's first. (The file's first alias is often a harmless one.)"""
    events = [e for e in yaml.parse(text, Loader=_Loader) if e.start_mark is not None]
    aliases = [e for e in events if isinstance(e, yaml.AliasEvent)]
    if node is None or node.start_mark is None or node.end_mark is None:
        return aliases[0] if aliases else None
    start, end = node.start_mark.index, node.end_mark.index
    anchors = (getattr(e, "anchor", None) for e in events if _at(e) == start)
    anchor = next((a for a in anchors if a), None)
    inside = [a for a in aliases if start <= _at(a) <= end]
    if itself:
        inside = [a for a in inside if a.anchor == anchor] or inside
    return next(iter(inside), aliases[0] if aliases else None)


def _at(event: yaml.Event) -> int:
    return event.start_mark.index if event.start_mark is not None else -1


class _InsideItself(Exception):
    def __init__(self, node: yaml.Node) -> None:
        super().__init__()
        self.node = node


class _TooLarge(Exception):
    def __init__(self, node: yaml.Node) -> None:
        super().__init__()
        self.node = node


def _expanded_size(node: yaml.Node, open_nodes: set[int], sizes: dict[int, int]) -> int:
    """How many values `node` stands for with every alias in it written out (an alias is the
    very node of its anchor, so a node met again is counted from `sizes`)."""
    ident = id(node)
    if ident in open_nodes:
        raise _InsideItself(node)
    if ident in sizes:
        return sizes[ident]
    open_nodes.add(ident)
    if isinstance(node, yaml.MappingNode):
        children = [child for pair in node.value for child in pair]
    else:
        children = node.value if isinstance(node, yaml.SequenceNode) else []
    size = 1 + sum(_expanded_size(child, open_nodes, sizes) for child in children)
    open_nodes.discard(ident)
    if size > MAX_EXPANDED:
        raise _TooLarge(node)
    sizes[ident] = size
    return size


def _collect_lines(node: yaml.Node, prefix: KeyPath, out: dict[KeyPath, int]) -> None:
    out.setdefault(prefix, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = str(key_node.value)
            out[(*prefix, key)] = key_node.start_mark.line + 1
            _collect_lines(value_node, (*prefix, key), out)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _collect_lines(item, (*prefix, index), out)


# libyaml's C emitter is ~10x faster than the pure-Python one; both give the same bytes.
_BaseDumper: type[yaml.SafeDumper] = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class _Dumper(_BaseDumper):  # type: ignore[valid-type,misc]
    """Block style, no aliases, Unicode kept readable."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _str_representer(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str_representer)


def dump_yaml(data: Any) -> str:
    """Serialise front matter deterministically: key order kept, CJK unescaped, wide lines."""
    return yaml.dump(
        data,
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=10_000,
    )


# --- fast front-matter writer ---------------------------------------------------------------
# PyYAML's pure-Python representer costs about a millisecond per speech, a third of ingest time.
# Front matter holds only str, int, float, bool, None, lists and string-keyed mappings, so this
# writer emits them in the same block style as `dump_yaml`. tests/test_yamlio.py holds it to
# PyYAML both ways: PyYAML loads back exactly what was written, and for the sample the bytes
# equal `dump_yaml`'s.

# A string is written plain only when it cannot be read as anything but itself: it holds a
# non-ASCII character (YAML's implicit types are all ASCII) and starts with no indicator, or is
# a slug-like ASCII word with a letter in it.
_PLAIN_CJK_RE = re.compile(r"(?![-?:,\[\]{}#&*!|>'\"%@`\s])(?=.*[^\x00-\x7f])[^\n\r\t]*")
_PLAIN_ASCII_RE = re.compile(r"(?=[0-9a-z_./-]*[a-z])[0-9a-z][0-9a-z_./-]*", re.IGNORECASE)
_RESERVED = {"yes", "no", "true", "false", "on", "off", "null", "y", "n", "~"}
_FLOAT_RE = re.compile(r"-?\d+\.\d+")


def _scalar(value: Any) -> str:
    if value is None:
        return "null"
    if value is True or value is False:
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        text = repr(value)
        return text if _FLOAT_RE.fullmatch(text) else f"{value:.10f}".rstrip("0").rstrip(".") + ".0"
    return _string(str(value))


@functools.lru_cache(maxsize=8192)  # keys and labels repeat in every speech's front matter
def _string(text: str) -> str:
    plain = (
        (_PLAIN_CJK_RE.fullmatch(text) or _PLAIN_ASCII_RE.fullmatch(text))
        and text.lower() not in _RESERVED
        and text == text.strip()
        and ": " not in text
        and " #" not in text
        and not text.endswith(":")
        and text.isprintable()
    )
    if plain:
        return text
    if text.isprintable():
        return "'" + text.replace("'", "''") + "'"
    return json.dumps(text, ensure_ascii=False)


def dump_front_matter(data: dict[str, Any]) -> str:
    """Block-style YAML of a front-matter mapping (see the comment above)."""
    lines: list[str] = []
    _mapping(data, 0, lines)
    return "\n".join(lines) + "\n"


def _mapping(data: dict[str, Any], indent: int, lines: list[str]) -> None:
    pad = " " * indent
    for key, value in data.items():
        head = f"{pad}{_string(str(key))}:"
        if isinstance(value, dict) and value:
            lines.append(head)
            _mapping(value, indent + 2, lines)
        elif isinstance(value, list) and value:
            lines.append(head)
            _sequence(value, indent, lines)
        else:
            lines.append(f"{head} {_empty_or_scalar(value)}")


def _sequence(items: list[Any], indent: int, lines: list[str]) -> None:
    pad = " " * indent
    for item in items:
        if isinstance(item, dict) and item:
            nested: list[str] = []
            _mapping(item, indent + 2, nested)
            nested[0] = f"{pad}- " + nested[0][indent + 2 :]
            lines.extend(nested)
        elif isinstance(item, list) and item:
            raise ValueError("nested lists are not part of the front-matter schema")
        else:
            lines.append(f"{pad}- {_empty_or_scalar(item)}")


def _empty_or_scalar(value: Any) -> str:
    if isinstance(value, dict):
        return "{}"
    if isinstance(value, list):
        return "[]"
    return _scalar(value)


# --- fast front-matter reader ---------------------------------------------------------------
# libyaml parses fast, but PyYAML builds the values in Python: about half a millisecond per
# speech, a third of a cold build's loading. Front matter as ingest writes it is block style
# with one-line scalars, so this reader takes exactly that shape and returns None for anything
# else (flow lists, comments, double quotes, multi-line or ambiguous scalars, duplicate keys,
# odd characters), which then goes to PyYAML. A plain scalar is typed by PyYAML's own resolver
# table, so `null`, `yes` or `1955` mean here what they mean there; tests/test_yamlio.py holds
# the two equal on written, sample and random input.


class _Decline(Exception):
    """The text is not in the shape the fast reader takes."""


_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")
_QUOTED_RE = re.compile(r"'((?:[^']|'')*)'")
_QUOTED_KEY_RE = re.compile(r"'((?:[^']|'')*)':(?: (.*))?")
_INT_RE = re.compile(r"0|[1-9][0-9]*")
_FLOAT_RE_READ = re.compile(r"(?:0|[1-9][0-9]*)\.[0-9]+")
_STR_TAG = "tag:yaml.org,2002:str"


def read_front_matter_fast(text: str) -> dict[str, Any] | None:
    """The mapping PyYAML would load from `text`, or None when `text` is not plain block-style
    front matter (then the caller asks PyYAML, which also reports any error)."""
    if not text.endswith("\n"):
        return None
    lines: list[tuple[int, str]] = []
    for line in text[:-1].split("\n"):
        content = line.lstrip(" ")
        if not content or not line.isprintable() or content[0] == "#":
            return None
        lines.append((len(line) - len(content), content))
    reader = _BlockReader(lines)
    try:
        data = reader.mapping(0)
    except _Decline:
        return None
    return data if reader.pos == len(lines) and data else None


class _BlockReader:
    def __init__(self, lines: list[tuple[int, str]]) -> None:
        self.lines = lines
        self.pos = 0

    def mapping(self, indent: int) -> dict[Any, Any]:
        out: dict[Any, Any] = {}
        lines = self.lines
        while self.pos < len(lines):
            column, content = lines[self.pos]
            if column < indent or (column == indent and content.startswith("- ")):
                break
            if column > indent:
                raise _Decline
            self._pair(content, indent, out)
        return out

    def _pair(self, content: str, indent: int, out: dict[Any, Any]) -> None:
        key, value = _split_pair(content)
        self.pos += 1
        if key in out:
            raise _Decline
        out[key] = self._nested(indent) if value is None else _scalar_value(value)

    def _nested(self, indent: int) -> Any:
        if self.pos < len(self.lines):
            column, content = self.lines[self.pos]
            if content.startswith("- ") and column >= indent:
                return self.sequence(column)
            if column > indent:
                return self.mapping(column)
        raise _Decline  # an empty value: null to YAML, never written so

    def sequence(self, indent: int) -> list[Any]:
        out: list[Any] = []
        lines = self.lines
        while self.pos < len(lines):
            column, content = lines[self.pos]
            if column != indent or not content.startswith("- "):
                break
            rest = content[2:]
            if not rest or rest[0] == " " or rest.startswith("- "):
                raise _Decline
            if _is_pair(rest):
                item: dict[Any, Any] = {}
                self._pair(rest, indent + 2, item)
                for key, value in self.mapping(indent + 2).items():
                    if key in item:
                        raise _Decline
                    item[key] = value
                out.append(item)
            else:
                self.pos += 1
                out.append(_scalar_value(rest))
        if self.pos < len(lines) and lines[self.pos][0] > indent:
            raise _Decline
        return out


def _is_pair(content: str) -> bool:
    if content[0] == "'":
        return _QUOTED_KEY_RE.fullmatch(content) is not None
    return ": " in content or content.endswith(":")


def _split_pair(content: str) -> tuple[Any, str | None]:
    """`key: value` → (key, value text); `key:` → (key, None)."""
    if content[0] == "'":
        found = _QUOTED_KEY_RE.fullmatch(content)
        if found is None:
            raise _Decline
        return found.group(1).replace("''", "'"), found.group(2)
    at = content.find(": ")
    if at < 0:
        if not content.endswith(":"):
            raise _Decline
        return _plain(content[:-1]), None
    return _plain(content[:at]), content[at + 2 :]


def _scalar_value(text: str) -> Any:
    if not text:
        raise _Decline
    if text == "[]":
        return []
    if text == "{}":
        return {}
    if text[0] == "'":
        found = _QUOTED_RE.fullmatch(text)
        if found is None:
            raise _Decline
        return found.group(1).replace("''", "'")
    return _plain(text)


@functools.lru_cache(maxsize=65536)  # keys, labels and terms repeat from speech to speech
def _plain(text: str) -> Any:
    """A plain scalar's value, typed as PyYAML types it; _Decline for anything unusual."""
    if (
        not text
        or text[0] in _INDICATORS
        or text[-1] == " "
        or text[0] == " "
        or ":" in text
        or " #" in text
    ):
        raise _Decline
    tag = _resolve(text)
    if tag == _STR_TAG:
        return text
    if tag == "tag:yaml.org,2002:null":
        return None
    if tag == "tag:yaml.org,2002:bool":
        return text.lower() in ("yes", "true", "on")
    if tag == "tag:yaml.org,2002:int" and _INT_RE.fullmatch(text):
        return int(text)
    if tag == "tag:yaml.org,2002:float" and _FLOAT_RE_READ.fullmatch(text):
        return float(text)
    raise _Decline


def _resolve(text: str) -> str:
    """The tag PyYAML's resolver gives a plain scalar (as Resolver.resolve does)."""
    resolvers = _Loader.yaml_implicit_resolvers
    for tag, regexp in resolvers.get(text[0], []) + resolvers.get(None, []):
        if regexp.match(text):
            return str(tag)
    return _STR_TAG
