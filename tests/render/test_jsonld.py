"""render/jsonld.py: structured data that survives any speech text inside a <script>."""

from __future__ import annotations

import json
import re

from generator.render.jsonld import json_ld


def test_empty_fields_are_left_out_at_every_depth() -> None:
    data = {
        "headline": "讲话",
        "subtitle": None,
        "keywords": [],
        "description": "",
        "author": {"@type": "Person", "name": None},
        "isPartOf": {"name": "档案", "url": None},
        "list": ["a", None, "", {"x": None}],
        "wordCount": 0,
    }
    assert json.loads(json_ld(data)) == {
        "headline": "讲话",
        "author": {"@type": "Person"},
        "isPartOf": {"name": "档案"},
        "list": ["a"],
        "wordCount": 0,  # (a count of nothing is a value, not an empty field)
    }


def test_text_cannot_end_or_change_the_script_element() -> None:
    title = "</script><script>alert(1)</script><!-- 'x' & \"y\""
    text = str(json_ld({"headline": title}))
    assert not re.search(r"[<>&']", text)  # nothing an HTML parser reads inside a <script>
    assert json.loads(text) == {"headline": title}  # and a JSON reader reads it all back


def test_chinese_is_written_as_itself() -> None:
    assert str(json_ld({"headline": "营商环境"})) == '{"headline":"营商环境"}'
