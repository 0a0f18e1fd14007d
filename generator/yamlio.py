"""YAML reading that reports errors with file and line, and writing that is stable byte for byte."""

from __future__ import annotations

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
