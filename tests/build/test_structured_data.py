"""What a built page tells other programs about itself: the Open Graph card a chat or social app
shows for a shared link, and the schema.org data a search engine reads a speech's kind,
speaker and date from — absolute where the site's base URL has a host, and safe whatever a
speech's text holds."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

from tests.search.projects import Speech, build, new_project, write_speech

BASE = "https://example.org/archive/"


class Head(HTMLParser):
    """The <meta property> values and the ld+json scripts of one page."""

    def __init__(self) -> None:
        super().__init__()
        self.properties: dict[str, list[str]] = {}
        self.scripts: list[str] = []
        self.inline_scripts = 0  # script elements with code of their own (no src), ld+json aside
        self._in_ld = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "meta" and values.get("property"):
            self.properties.setdefault(str(values["property"]), []).append(
                str(values.get("content"))
            )
        if tag == "script":
            if not values.get("src") and values.get("type") != "application/ld+json":
                self.inline_scripts += 1
            self._in_ld = values.get("type") == "application/ld+json"
            if self._in_ld:
                self.scripts.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_ld = False

    def handle_data(self, data: str) -> None:
        if self._in_ld:
            self.scripts[-1] += data


def head(path: Path) -> Head:
    parser = Head()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def built(tmp_path: Path, base_url: str | None, *speeches: Speech) -> Path:
    project = new_project(tmp_path / "project")
    for speech in speeches:
        write_speech(project, speech)
    return build(project, base_url=base_url)


DATED = Speech(
    "a-dated",
    "在全市营商环境大会上的讲话",
    ["同志们：", "今天召开会议，部署优化营商环境工作。"],
    date="2024-03-05",
    level="市",
    topics=["营商环境", "落实"],
    speaker="王小明",
    subtitle="——在全市营商环境大会上",
)


def test_a_speech_page_has_its_card_and_its_structured_data(tmp_path: Path) -> None:
    site = built(tmp_path, BASE, DATED)
    page = head(site / "speeches" / "a-dated" / "index.html")
    url = BASE + "speeches/a-dated/"
    assert page.properties["og:type"] == ["article"]
    assert page.properties["og:title"] == ["在全市营商环境大会上的讲话"]
    assert page.properties["og:url"] == [url]
    assert page.properties["og:locale"] == ["zh_CN"]
    assert page.properties["og:description"] == ["今天召开会议，部署优化营商环境工作。"]
    assert page.properties["article:published_time"] == ["2024-03-05"]
    assert page.properties["article:tag"] == ["营商环境", "落实"]
    [data] = [json.loads(script) for script in page.scripts]
    assert data["@type"] == "Article" and data["headline"] == DATED.title
    assert data["author"] == {"@type": "Person", "name": "王小明"}
    assert data["datePublished"] == "2024-03-05"
    assert data["keywords"] == ["营商环境", "落实"]
    assert data["url"] == url
    assert data["isPartOf"] == {"@type": "WebSite", "name": "讲话稿档案", "url": BASE}
    assert data["inLanguage"] == "zh-CN"


def test_other_pages_are_websites_and_a_path_is_no_url(tmp_path: Path) -> None:
    """Without a host in base_url the canonical link is a path: og:url and the data's url
    need an absolute one, so they are left out rather than wrong."""
    site = built(tmp_path, None, DATED)
    home = head(site / "index.html")
    assert home.properties["og:type"] == ["website"]
    assert home.properties["og:title"] == ["讲话稿档案"]
    assert "og:url" not in home.properties and not home.scripts
    speech = head(site / "speeches" / "a-dated" / "index.html")
    assert "og:url" not in speech.properties
    [data] = [json.loads(script) for script in speech.scripts]
    assert "url" not in data and "url" not in data["isPartOf"]


def test_a_title_that_looks_like_markup_stays_inside_its_script(tmp_path: Path) -> None:
    title = '讲话</script><script>window.__x=1</script><!-- "引号" & 完'
    site = built(tmp_path, BASE, Speech("x-title", title, ["今天召开会议。"]))
    page = head(site / "speeches" / "x-title" / "index.html")
    assert [json.loads(script)["headline"] for script in page.scripts] == [title]
    assert page.inline_scripts == 0  # no script element of the title's making
    assert page.properties["og:title"] == [title]  # (an attribute: escaped as one)
    html = (site / "speeches" / "x-title" / "index.html").read_text(encoding="utf-8")
    assert not re.search(r"<script>window", html)


def test_word_count_is_words_where_a_text_is_measured_in_words_and_characters_elsewhere(
    tmp_path: Path,
) -> None:
    """schema.org's wordCount: an English speech's words (it was left out: the characters are no
    count of them), a Chinese or Japanese speech's characters (字数, where a character is the
    unit; a Japanese one had none)."""
    english = Speech(
        "e-en",
        "Address at the Forum on the Digital Economy",
        ["The digital economy is changing how we work and live together."],
        lang="en",
    )
    japanese = Speech("j-ja", "デジタル経済フォーラムでの挨拶", ["皆さん、こんにちは。"], lang="ja")
    # Tibetan parts its words (syllables) with the tsheg, not with spaces: 10 here, not 2
    tibetan = Speech("t-bo", "གསུང་བཤད།", ["གུས་པར་འོས་པའི་མགྲོན་པོ་རྣམས། ཧའེ་ལར་དུ།"], lang="bo")
    site = built(tmp_path, BASE, english, japanese, tibetan, DATED)

    def data(slug: str) -> dict[str, object]:
        [found] = [json.loads(s) for s in head(site / "speeches" / slug / "index.html").scripts]
        return found

    assert data("e-en")["inLanguage"] == "en"
    assert data("e-en")["wordCount"] == len(english.blocks[0].split())
    assert data("j-ja")["wordCount"] == len("皆さん、こんにちは。")
    assert data("t-bo")["wordCount"] == 10
    assert data("a-dated")["wordCount"] == len("同志们：今天召开会议，部署优化营商环境工作。")
