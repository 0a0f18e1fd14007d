"""site.yaml is validated on load: every problem names the key, its line and the fix."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from generator.config import CONFIG_NAME, Config, load_config, text_direction
from generator.errors import UserError
from generator.ingest.write import Outcome
from generator.render.pages import lang_attribute
from tests.helpers import run_ingest, speech_text, speeches_dir, write_raw


def write_config(root: Path, text: str) -> Path:
    path = root / CONFIG_NAME
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def config_error(root: Path, text: str) -> UserError:
    path = write_config(root, text)
    with pytest.raises(UserError) as info:
        load_config(root)
    error = info.value
    assert error.path == path
    assert str(error).startswith(f"{path}:{error.line}: ")
    assert "\n" not in str(error)
    return error


# --- loading ----------------------------------------------------------------------------------


def test_no_site_yaml_means_defaults(tmp_path: Path) -> None:
    config = load_config(tmp_path)
    assert config.source is None
    assert config.raw_dir == tmp_path / "content" / "raw"
    assert config.speeches_dir == tmp_path / "content" / "speeches"
    assert config.slug_max_length == 60
    assert config.minify is True
    assert {t.name for t in config.topics} >= {"作风整顿", "营商环境", "落实"}
    assert config.boilerplate.lines and config.boilerplate.blocks and config.boilerplate.inline


def test_repo_site_yaml_loads(project: Path) -> None:
    config = load_config(project)
    assert isinstance(config, Config)
    assert config.source == project / CONFIG_NAME
    assert "安全生产" in {t.name for t in config.topics}
    assert "reposted-from notice" in {r.name for r in config.boilerplate.lines}


def test_empty_site_yaml_means_defaults(tmp_path: Path) -> None:
    write_config(tmp_path, "# nothing set yet\n")
    assert load_config(tmp_path).title == load_config(tmp_path / "nowhere").title


def test_values_are_read(tmp_path: Path) -> None:
    write_config(
        tmp_path,
        """
        title: 我的档案
        paths:
          raw: 原稿
          speeches: out/md
        ingest:
          slug_max_length: 30
        build:
          minify: false
        """,
    )
    config = load_config(tmp_path)
    assert config.title == "我的档案"
    assert config.raw_dir == tmp_path / "原稿"
    assert config.speeches_dir == tmp_path / "out" / "md"
    assert config.slug_max_length == 30
    assert config.minify is False


# --- unknown keys -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "key", "line", "suggestion"),
    [
        ("title: x\ntopcis: {}\n", "topcis", 2, "topics"),
        ("ingest:\n  slug_max_length: 40\n  boilerplat:\n    lines: []\n", "ingest.boilerplat", 3,
         "boilerplate"),
        ("paths:\n  speeches: a\n  rwa: b\n", "paths.rwa", 3, "raw"),
        ("ingest:\n  defualt_rules: false\n", "ingest.defualt_rules", 2, "default_rules"),
        ("ingest:\n  boilerplate:\n    lines:\n      - name: a\n        patern: x\n",
         "ingest.boilerplate.lines.0.patern", 5, "pattern"),
        ("ingest:\n  boilerplate:\n    blocks:\n      - strat: x\n",
         "ingest.boilerplate.blocks.0.strat", 4, "start"),
        ("topics:\n  甲:\n    treshold: 3\n    terms: {a: 1}\n", "topics.甲.treshold", 3,
         "threshold"),
        ("build:\n  per_page: 10\n  minfy: false\n", "build.minfy", 3, "minify"),
    ],
)  # fmt: skip
def test_unknown_key_is_named_with_line_and_suggestion(
    tmp_path: Path, text: str, key: str, line: int, suggestion: str
) -> None:
    error = config_error(tmp_path, text)
    assert error.line == line
    assert error.message == f"{key}: unknown setting"
    assert error.hint == f"did you mean '{suggestion}'?"


def test_unknown_key_without_a_close_match_lists_the_valid_ones(tmp_path: Path) -> None:
    error = config_error(tmp_path, "zzz: 1\n")
    assert error.message == "zzz: unknown setting"
    assert error.hint is not None
    for key in ("title", "paths", "ingest", "topics"):
        assert key in error.hint


# --- wrong types and values -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "key", "line", "expected"),
    [
        ("title: 5\n", "title", 1, "expected text"),
        ("title:\n  - a\n", "title", 1, "expected text"),
        ("ingest:\n  slug_max_length: '60'\n", "ingest.slug_max_length", 2, "whole number"),
        ("ingest: {slug_max_length: true}\n", "ingest.slug_max_length", 1, "whole number"),
        ("ingest:\n  slug_max_length: 5\n", "ingest.slug_max_length", 2, "≥ 16"),
        ("ingest:\n  default_rules: 'yes'\n", "ingest.default_rules", 2, "true or false"),
        ("build:\n  minify: 'off'\n", "build.minify", 2, "true or false"),
        ("build:\n  per_page: 0\n", "build.per_page", 2, "≥ 1"),
        ("build:\n  related: -1\n", "build.related", 2, "≥ 0"),
        ("ingest:\n  boilerplate:\n    lines: x\n", "ingest.boilerplate.lines", 3, "a list"),
        ("paths: content\n", "paths", 1, "mapping"),
        ("topics: []\n", "topics", 1, "mapping"),
        ("topics:\n  甲: 3\n", "topics.甲", 2, "mapping"),
        ("topics:\n  甲:\n    terms: [a, b]\n", "topics.甲.terms", 3, "term: weight"),
        ("topics:\n  甲:\n    terms: {a: high}\n", "topics.甲.terms.a", 3, "positive number"),
        ("topics:\n  甲:\n    terms: {a: 0}\n", "topics.甲.terms.a", 3, "positive number"),
        ("topics:\n  甲:\n    terms: {'': 1}\n", "topics.甲.terms", 3, "must not be empty"),
        ("topics:\n  甲:\n    threshold: -1\n    terms: {a: 1}\n", "topics.甲.threshold", 3,
         "≥ 0"),
        ("topics:\n  甲:\n    min_count: 0\n    terms: {a: 1}\n", "topics.甲.min_count", 3, "≥ 1"),
        ("topics:\n  甲:\n    slug: Bad Slug\n    terms: {a: 1}\n", "topics.甲.slug", 3,
         "lowercase"),
        ("ingest:\n  boilerplate:\n    lines:\n      - 42\n", "ingest.boilerplate.lines.0", 4,
         "regular expression"),
        ("ingest:\n  boilerplate:\n    blocks:\n      - end: x\n", "ingest.boilerplate.blocks.0", 4,
         "'start'"),
        ("ingest:\n  boilerplate:\n    inline:\n      - '(unclosed'\n",
         "ingest.boilerplate.inline.0", 4, "regular expression"),
    ],
)  # fmt: skip
def test_wrong_type_names_key_and_line(
    tmp_path: Path, text: str, key: str, line: int, expected: str
) -> None:
    error = config_error(tmp_path, text)
    assert error.message.startswith(f"{key}: ")
    assert expected in error.message
    assert error.line == line


@pytest.mark.parametrize(
    "text",
    [
        "title: x\na: &x [*x]\n",  # refers to itself: the line walk recursed without end
        "title: x\n"
        + "".join(
            f"l{n}: &l{n} [{', '.join([f'*l{n - 1}'] * 9)}]\n" if n else "l0: &l0 [lol]\n"
            for n in range(9)
        ),  # a billion laughs: loading hung
    ],
    ids=["self", "billion-laughs"],
)
def test_a_yaml_alias_that_cannot_be_written_out_is_refused_with_its_line(
    tmp_path: Path, text: str
) -> None:
    error = config_error(tmp_path, text)
    assert "YAML alias" in error.message and error.line is not None and error.line >= 2


def test_a_yaml_alias_error_names_the_alias_at_fault(tmp_path: Path) -> None:
    """Review: the error named the file's first alias, often a harmless one."""
    error = config_error(tmp_path, "title: x\na: &x [1, 2]\nb: *x\nc: &self\n  - *self\n")
    assert "*self" in error.message and error.line == 5


def test_yaml_anchors_aliases_and_merge_keys_are_read(tmp_path: Path) -> None:
    """Refusing the two aliases above refused every alias, and `<<: *defaults` with them: a
    site.yaml sharing one topic's terms with another stopped loading."""
    (tmp_path / "site.yaml").write_text(
        "title: x\n"
        "topics:\n"
        "  乡村振兴: &rural\n"
        "    terms: &farm {乡村振兴: 3, 农业: 1}\n"
        "    description: 乡村\n"
        "  三农:\n"
        "    <<: *rural\n"
        "    description: 农业农村\n"
        "  农业:\n"
        "    terms: *farm\n",
        encoding="utf-8",
    )
    topics = {topic.name: topic for topic in load_config(tmp_path).topics}
    assert topics["三农"].terms == topics["农业"].terms == {"乡村振兴": 3, "农业": 1}
    assert (topics["三农"].description, topics["乡村振兴"].description) == ("农业农村", "乡村")


def test_top_level_must_be_a_mapping(tmp_path: Path) -> None:
    error = config_error(tmp_path, "- a\n- b\n")
    assert error.line == 1 and "mapping" in error.message


@pytest.mark.parametrize(
    ("text", "line"),
    [("title: [a\n", 2), ("title: x\n  bad: indent: here\n", 2), ("a: 1\n\tb: 2\n", 2)],
)
def test_malformed_yaml_names_file_and_line(tmp_path: Path, text: str, line: int) -> None:
    error = config_error(tmp_path, text)
    assert error.message.startswith("malformed YAML")
    assert error.line == line


def test_site_yaml_that_is_not_utf8(tmp_path: Path) -> None:
    (tmp_path / CONFIG_NAME).write_bytes("title: 讲话稿\n".encode("gbk"))
    with pytest.raises(UserError) as info:
        load_config(tmp_path)
    assert CONFIG_NAME in str(info.value) and "UTF-8" in str(info.value)


@pytest.mark.parametrize(
    ("text", "key", "line"),
    [
        ("ingest:\n  boilerplate:\n    lines:\n      - '('\n", "ingest.boilerplate.lines.0", 4),
        ("ingest:\n  boilerplate:\n    lines:\n      - name: a\n        pattern: '[x'\n",
         "ingest.boilerplate.lines.0.pattern", 5),
        ("ingest:\n  boilerplate:\n    blocks:\n      - start: x\n        end: '(?P<'\n",
         "ingest.boilerplate.blocks.0.end", 5),
    ],
)  # fmt: skip
def test_invalid_regex_names_the_key(tmp_path: Path, text: str, key: str, line: int) -> None:
    error = config_error(tmp_path, text)
    assert error.message.startswith(f"{key}: invalid regular expression")
    assert error.line == line


# --- rules and topics take effect -------------------------------------------------------------

AD_LINE = "精彩讲话稿每日更新尽在本站"
SPEECH = speech_text(
    "在全县作风整顿动员会议上的讲话",
    "同志们：",
    "今天召开会议，部署作风整顿工作。",
    AD_LINE,
    "我们要以更加务实的作风推动各项工作落实。",
)


def test_user_line_rule_removes_a_new_kind_of_ad_on_reingest(tmp_path: Path) -> None:
    write_raw(tmp_path, "a.txt", SPEECH)
    run_ingest(tmp_path)
    [target] = speeches_dir(tmp_path).glob("*.md")
    assert AD_LINE in target.read_text(encoding="utf-8")
    write_config(
        tmp_path,
        """
        ingest:
          boilerplate:
            lines:
              - name: site promotion
                pattern: '^(?=.{0,30}$).*尽在本站'
        """,
    )
    report = run_ingest(tmp_path)
    result = report.results[0]
    assert result.outcome is Outcome.UPDATED
    assert AD_LINE not in target.read_text(encoding="utf-8")
    assert "今天召开会议" in target.read_text(encoding="utf-8")
    assert [(r.text, r.reason) for r in result.removed if r.reason == "site promotion"] == [
        (AD_LINE, "site promotion")
    ]


def test_default_rules_can_be_turned_off(tmp_path: Path) -> None:
    write_config(tmp_path, "ingest:\n  default_rules: false\n")
    config = load_config(tmp_path)
    assert config.boilerplate.lines == () and config.boilerplate.blocks == ()
    write_config(tmp_path, "ingest:\n  default_rules: false\n  boilerplate:\n    lines: [x]\n")
    assert [r.pattern.pattern for r in load_config(tmp_path).boilerplate.lines] == ["x"]


def test_site_rules_come_after_the_built_in_ones(tmp_path: Path) -> None:
    builtin = load_config(tmp_path).boilerplate.lines
    write_config(tmp_path, "ingest:\n  boilerplate:\n    lines: ['^广告$']\n")
    lines = load_config(tmp_path).boilerplate.lines
    assert lines[: len(builtin)] == builtin
    assert lines[-1].pattern.pattern == "^广告$"
    assert lines[-1].name == "site.yaml line rule 1"


def test_site_topic_changes_a_built_in_one_and_extends_the_list(tmp_path: Path) -> None:
    builtin = {t.name: t for t in load_config(tmp_path).topics}
    write_config(
        tmp_path,
        """
        topics:
          作风整顿:
            terms: {作风: 1}
            threshold: 1
            min_count: 1
          乡村振兴:
            description: 农业农村现代化
            terms: {乡村振兴: 3, 农业: 1}
        """,
    )
    topics = {t.name: t for t in load_config(tmp_path).topics}
    assert list(topics) == [*builtin, "乡村振兴"]
    assert topics["作风整顿"].terms == {"作风": 1.0}
    assert topics["作风整顿"].slug == builtin["作风整顿"].slug  # (its pages keep their URL)
    assert topics["作风整顿"].description == builtin["作风整顿"].description
    assert (topics["作风整顿"].threshold, topics["作风整顿"].min_count) == (1.0, 1)
    assert topics["营商环境"] == builtin["营商环境"]
    new = topics["乡村振兴"]
    assert (new.slug, new.description, new.threshold, new.min_count) == (
        "xiang-cun-zhen-xing",
        "农业农村现代化",
        10.0,
        2,
    )


def test_site_topic_is_assigned_on_ingest(tmp_path: Path) -> None:
    write_config(tmp_path, "topics:\n  会议:\n    terms: {会议: 1}\n    min_count: 1\n")
    write_raw(tmp_path, "a.txt", SPEECH)
    run_ingest(tmp_path)
    [target] = speeches_dir(tmp_path).glob("*.md")
    assert "- 会议\n" in target.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("text", "line", "named"),
    [
        ("topics:\n  乡村振兴:\n    slug: luoshi\n    terms: {乡村振兴: 1}\n", 3, "乡村振兴.slug"),
        ("topics:\n  🎉:\n    terms: {a: 1}\n  🎊:\n    terms: {b: 1}\n", 4, "🎊"),
    ],
)
def test_two_topics_with_one_slug_are_refused(
    tmp_path: Path, text: str, line: int, named: str
) -> None:
    """One would write its page and feed over the other's: given (乡村振兴 as luoshi, the
    built-in 落实's) or made from names that give the same slug."""
    error = config_error(tmp_path, text)
    assert "the same slug" in error.message
    assert named in error.message
    assert error.line == line


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("theme: /tmp\n", "theme: expected a folder name under themes/, got '/tmp'"),
        ("theme: ..\n", "theme: expected a folder name under themes/, got '..'"),
        ("base_url: example.org/archive\n", "did you mean https://example.org/archive/?"),
        ("base_url: //example.org/a/\n", "a URL needs its scheme"),
        ("base_url: https://example.org/a/?x=1\n", "no query or fragment"),
        ("base_url: ./\n", "no . or .. in it"),
        # (probe 9: //archive/ in every link is a link to a host called archive)
        ("base_url: https://example.org//archive/\n", "no empty path segment"),
        ("base_url: 'https://exa mple.org/'\n", "or spaces"),
        ("base_url: ' https://example.org/ '\n", "or spaces"),
        ("base_url: https://example.org:99999/\n", "port is a number below 65536"),
        # (probe 9: an output in the raw folder was ingested back as speeches)
        ("output: content/raw/site\n", "inside the raw folder"),
        ("output: content/speeches/site\n", "inside the speeches folder"),
        ("output: themes/site\n", "inside the themes folder"),
        ("output: content/static/site\n", "inside the static folder"),
        ("paths:\n  raw: content/raw\n  speeches: content/raw\n", "must be apart"),
        ("paths:\n  raw: content\n  speeches: content/speeches\n", "must be apart"),
        ("paths:\n  raw: content/raw\n  static: content/raw/images\n", "must be apart"),
        # (probe 9: written into every speech's lang= as it was)
        ("content_language: 'not a lang <x>'\n", "expected a language tag"),
    ],
)  # fmt: skip
def test_a_theme_path_or_a_malformed_base_url_is_refused(
    tmp_path: Path, text: str, expected: str
) -> None:
    """theme: /tmp made the build read and fingerprint all of /tmp; these base URLs went into
    every link as a broken or foreign path."""
    error = config_error(tmp_path, text)
    assert expected in f"{error.message} ({error.hint})"


def test_a_base_url_path_is_percent_encoded(tmp_path: Path) -> None:
    """Spaces and Chinese in the path went into every href unencoded: no valid HTML."""
    write_config(tmp_path, "base_url: https://example.org/讲话 稿/\n")
    assert load_config(tmp_path).base_url == "https://example.org/%E8%AE%B2%E8%AF%9D%20%E7%A8%BF/"


def test_a_language_the_theme_has_no_strings_in_is_refused(tmp_path: Path) -> None:
    """Chinese UI text on pages marked lang="fr" is read in a French voice."""
    import shutil

    from generator.render.theme import Theme
    from tests.conftest import ROOT

    shutil.copytree(ROOT / "themes", tmp_path / "themes")
    with pytest.raises(UserError) as info:
        Theme(tmp_path / "themes", "default", "fr")
    assert "language 'fr': the theme has no strings in it" in info.value.message
    assert "en, zh-CN" in (info.value.hint or "")
    for fine in ("en-GB", "zh-TW", "zh"):
        Theme(tmp_path / "themes", "default", fine)


def test_a_setting_given_twice_is_an_error(tmp_path: Path) -> None:
    """YAML let the second `title:` win without a word."""
    error = config_error(tmp_path, "title: 甲\ndescription: 说明\ntitle: 乙\n")
    assert error.line == 3
    assert error.message == "the key is given twice: 'title' (also line 1)"


def test_a_built_in_topic_keeps_the_settings_site_yaml_leaves_out(tmp_path: Path) -> None:
    """Probe 11: a new description alone for 作风整顿 was refused for want of terms."""
    (tmp_path / "site.yaml").write_text(
        "topics:\n  作风整顿:\n    description: 本单位的作风建设\n", encoding="utf-8"
    )
    built_in = {t.name: t for t in load_config(tmp_path / "none").topics}["作风整顿"]
    topic = {t.name: t for t in load_config(tmp_path).topics}["作风整顿"]
    assert topic.description == "本单位的作风建设"
    assert (topic.terms, topic.threshold, topic.slug) == (
        built_in.terms,
        built_in.threshold,
        built_in.slug,
    )


@pytest.mark.parametrize(
    ("tag", "direction"),
    [
        ("ar", "rtl"),
        ("ar-EG", "rtl"),
        ("he", "rtl"),
        ("fa-IR", "rtl"),
        ("az-Arab", "rtl"),  # a script subtag says it
        ("ug-Latn", "ltr"),
        ("zh-CN", "ltr"),
        ("ja", "ltr"),
        ("en", "ltr"),
    ],
)
def test_a_language_tag_has_its_direction(tag: str, direction: str) -> None:
    assert text_direction(tag) == direction


@pytest.mark.parametrize(
    ("tag", "page", "attribute"),
    [
        ("ar", "zh-CN", ' lang="ar" dir="rtl"'),  # an Arabic speech on a Chinese site
        ("zh-CN", "ar", ' lang="zh-CN" dir="ltr"'),  # a Chinese one on an Arabic site
        ("ar-EG", "ar", ""),
        ("he", "ar", ' lang="he"'),  # both right to left
        ("ja", "zh-CN", ' lang="ja"'),
    ],
)
def test_words_in_another_direction_than_the_page_are_marked_with_it(
    tag: str, page: str, attribute: str
) -> None:
    assert lang_attribute(tag, page) == attribute
