"""The fast front-matter writer against PyYAML: what it writes loads back exactly, and for
ordinary front matter the bytes are PyYAML's own."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.speech import split_front_matter
from generator.yamlio import _Loader, dump_front_matter, dump_yaml, read_front_matter_fast
from tests.conftest import ROOT

TEXT = st.text(
    st.sampled_from(
        [
            *list("讲话一、（）：:# -'\"\\\n\t?[]{}&*!|>%@`,0123456789aeXyYnNtTrue.~"),
            "\u3000",
            "\x07",
        ]
    ),
    max_size=20,
)
SCALAR = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=False, allow_infinity=False, width=32).map(lambda f: round(f, 2)),
    TEXT,
)
VALUE = st.recursive(
    SCALAR,
    lambda inner: st.one_of(
        st.lists(st.one_of(SCALAR, st.dictionaries(TEXT, inner, max_size=3)), max_size=3),
        st.dictionaries(TEXT, inner, max_size=3),
    ),
    max_leaves=12,
)


@settings(max_examples=500, deadline=None)
@given(st.dictionaries(TEXT, VALUE, min_size=1, max_size=6))
def test_written_front_matter_loads_back_exactly(data: dict[str, Any]) -> None:
    assert yaml.load(dump_front_matter(data), Loader=_Loader) == data


@pytest.mark.parametrize(
    "path", sorted((ROOT / "content" / "speeches").glob("*.md")), ids=lambda p: p.stem
)
def test_sample_front_matter_is_byte_identical_to_pyyaml(path: Path) -> None:
    data, _, _ = split_front_matter(path.read_text(encoding="utf-8"), path)
    assert dump_front_matter(data) == dump_yaml(data)


@pytest.mark.parametrize(
    "text",
    ["2026-01-25", "true", "null", "123", "1.5", "--2014年", "a: b", "x #y", " 讲话", "'引'"],
)
def test_ambiguous_strings_are_quoted(text: str) -> None:
    assert yaml.load(dump_front_matter({"k": text}), Loader=_Loader) == {"k": text}
    assert dump_front_matter({"k": text}) != f"k: {text}\n"


# --- the fast reader: PyYAML's result or None, never anything else ---------------------------


def typed(value: Any) -> Any:
    """`value` with every scalar's type made visible (1, 1.0 and True compare equal)."""
    if isinstance(value, dict):
        return {typed(k): typed(v) for k, v in value.items()}
    if isinstance(value, list):
        return [typed(v) for v in value]
    return (type(value).__name__, value)


def same_as_pyyaml(text: str) -> dict[str, Any] | None:
    fast = read_front_matter_fast(text)
    if fast is not None:
        assert typed(fast) == typed(yaml.load(text, Loader=_Loader)), text
    return fast


@settings(max_examples=500, deadline=None)
@given(st.dictionaries(TEXT, VALUE, min_size=1, max_size=6))
def test_fast_reader_reads_written_front_matter_as_pyyaml_does(data: dict[str, Any]) -> None:
    same_as_pyyaml(dump_front_matter(data))


LINE = st.builds(
    lambda indent, dash, key, value: " " * indent + dash + key + value,
    st.integers(0, 6),
    st.sampled_from(["", "- ", "-", "- - "]),
    st.sampled_from(["title", "id", "'k''y'", "作风", "1", "null", "yes", "<<", "a:b", "", "'x'"]),
    st.one_of(
        st.sampled_from(
            [
                ":",
                ": ",
                ": null",
                ": 1",
                ": 01",
                ": 1.50",
                ": 0x1f",
                ": 1.e-5",
                ": yes",
                ": No",
                ": ~",
                ": []",
                ": {}",
                ": [a]",
                ": 'q'",
                ": 'q''s'",
                ': "d"',
                ": a #c",
                ": 讲话",
                ": 2026-01-25",
                ": =",
                ": .inf",
                ": -1",
                ": 讲: 话",
                ": x ",
                ": |",
                ": &a b",
                "",
            ]
        ),
        TEXT.map(lambda t: ": " + t),
    ),
)


@settings(max_examples=2000, deadline=None)
@given(st.lists(LINE, min_size=1, max_size=8))
def test_fast_reader_takes_only_what_it_reads_exactly(lines: list[str]) -> None:
    text = "\n".join(lines) + "\n"
    try:
        yaml.load(text, Loader=_Loader)
    except yaml.YAMLError:
        assert read_front_matter_fast(text) is None, text
        return
    same_as_pyyaml(text)


@pytest.mark.parametrize(
    "path", sorted((ROOT / "content" / "speeches").glob("*.md")), ids=lambda p: p.stem
)
def test_fast_reader_reads_every_sample_speech(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert same_as_pyyaml(text.split("---\n", 2)[1]) is not None
