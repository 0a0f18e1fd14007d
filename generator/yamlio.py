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
    `date: 2020-13-45` is our validation error, not a crash inside the YAML library."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def load_yaml(
    text: str, path: Path | str, with_lines: bool = True
) -> tuple[Any, dict[KeyPath, int]]:
    """Parse YAML and (unless `with_lines` is false) the 1-based line of every key."""
    node = None
    try:
        if with_lines:
            node = yaml.compose(text, Loader=_Loader)
        data = yaml.load(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
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
