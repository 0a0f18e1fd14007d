"""Theme static files: JavaScript and CSS minified (unless turned off), named after the bytes
written, a site theme's overrides minified like the default's."""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import pytest
import yaml

from generator.render import theme as theme_module
from generator.render.theme import Theme, minified
from tests.conftest import ROOT

STATIC = ROOT / "themes" / "default" / "static"
SCRIPT = b"""/*! license: keep me */
// a line comment
function add(first, second) {
  /* a block comment */
  return first + second;
}
const greeting = `  two  spaces  kept  `;
"""
STYLE = b"""/*! style license */
/* a comment */
.box  >  p {
  width: calc(100% - 2rem);
  margin : 0 auto ;
}
"""


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@pytest.fixture
def themes(tmp_path: Path) -> Path:
    """A copy of the repo's themes, and a site theme `mine` that overrides site.js and adds a
    stylesheet of its own."""
    shutil.copytree(ROOT / "themes", tmp_path / "themes")
    static = tmp_path / "themes" / "mine" / "static"
    (static / "js").mkdir(parents=True)
    (static / "css").mkdir()
    (static / "js" / "site.js").write_bytes(SCRIPT)
    (static / "css" / "extra.css").write_bytes(STYLE)
    return tmp_path / "themes"


def test_javascript_and_css_are_minified_and_smaller() -> None:
    assets = Theme(ROOT / "themes", "default", "zh-CN").assets
    for name in ("js/search.js", "js/site.js", "css/site.css", "css/print.css"):
        source = (STATIC / name).read_bytes()
        asset = assets[name]
        assert asset.data == minified(Path(name).suffix, source)
        assert len(asset.data) < len(source), name
        assert b"/*" not in asset.data  # the default theme has no license comments
    assert assets["favicon.svg"].data == (STATIC / "favicon.svg").read_bytes()


def test_the_fingerprint_is_of_the_bytes_written() -> None:
    for name, asset in Theme(ROOT / "themes", "default", "zh-CN").assets.items():
        stem, suffix = name.rsplit(".", 1)
        assert asset.digest == sha(asset.data)
        assert asset.path == f"assets/{stem}.{sha(asset.data)[:10]}.{suffix}"


def test_minify_off_keeps_the_source_bytes() -> None:
    on = Theme(ROOT / "themes", "default", "zh-CN").assets
    off = Theme(ROOT / "themes", "default", "zh-CN", minify=False).assets
    for name, asset in off.items():
        source = (STATIC / name).read_bytes()
        assert asset.data == source
        assert asset.digest == sha(source)
        if name.endswith((".js", ".css")):
            assert asset.path != on[name].path


def test_the_theme_digest_follows_the_setting() -> None:
    on = Theme(ROOT / "themes", "default", "zh-CN")
    off = Theme(ROOT / "themes", "default", "zh-CN", minify=False)
    assert on.digest != off.digest


def test_the_theme_digest_follows_the_minified_bytes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Another minifier (version) renames assets with the same sources: the pages linking to
    them must be rendered again, so the digest that keys them changes too."""
    before = Theme(ROOT / "themes", "default", "zh-CN").digest
    monkeypatch.setattr(theme_module, "minified", lambda suffix, data: data + b"\n")
    assert Theme(ROOT / "themes", "default", "zh-CN").digest != before


def test_a_site_theme_script_override_is_minified_too(themes: Path) -> None:
    assets = Theme(themes, "mine", "zh-CN").assets
    script = assets["js/site.js"]
    assert script.source == themes / "mine" / "static" / "js" / "site.js"
    assert script.data == (
        b"/*! license: keep me */function add(first,second){return first+second;}\n"
        b"const greeting=`  two  spaces  kept  `;"
    )
    style = assets["css/extra.css"]
    assert style.data == b"/*! style license */.box>p{width:calc(100% - 2rem);margin:0 auto}"
    assert assets["js/search.js"].source == themes / "default" / "static" / "js" / "search.js"
    assert script.path.startswith("assets/js/site.") and script.digest == sha(script.data)


def test_a_site_theme_override_is_kept_as_written_when_minify_is_off(themes: Path) -> None:
    assets = Theme(themes, "mine", "zh-CN", minify=False).assets
    assert assets["js/site.js"].data == SCRIPT
    assert assets["css/extra.css"].data == STYLE


def test_minifying_is_deterministic(themes: Path) -> None:
    one = Theme(themes, "mine", "zh-CN")
    two = Theme(themes, "mine", "zh-CN")
    assert {n: (a.path, a.data) for n, a in one.assets.items()} == {
        n: (a.path, a.data) for n, a in two.assets.items()
    }
    assert one.digest == two.digest


def test_only_javascript_and_css_are_minified() -> None:
    text = b"/* not a comment here */  a  b\n"
    assert minified(".svg", text) == text
    assert minified(".txt", text) == text
    assert minified(".JS", b"var  a = 1 ;") == b"var a=1;"


def test_a_site_themes_strings_in_another_language_do_not_replace_the_sites(
    tmp_path: Path,
) -> None:
    """An English site whose own theme has only zh-CN.yaml stays English; the site theme's
    strings in the site's language still win over the default's."""
    themes = tmp_path / "themes"
    shutil.copytree(ROOT / "themes" / "default", themes / "default")
    (themes / "mine" / "i18n").mkdir(parents=True)
    (themes / "mine" / "i18n" / "zh-CN.yaml").write_text("go_home: 回到首页\n", encoding="utf-8")
    english = Theme(themes, "mine", "en").strings
    assert english["go_home"] == Theme(themes, "default", "en").strings["go_home"]
    assert english["go_home"] != "回到首页"
    assert Theme(themes, "mine", "zh-CN").strings["go_home"] == "回到首页"
    (themes / "mine" / "i18n" / "en.yaml").write_text("go_home: Back home\n", encoding="utf-8")
    assert Theme(themes, "mine", "en").strings["go_home"] == "Back home"


def test_every_language_of_the_default_theme_has_every_string() -> None:
    """A key missing from one language falls back to another's text; only the singular forms
    (`<key>_one`) are a language's own, and each sits beside the string it is a form of."""
    folder = ROOT / "themes" / "default" / "i18n"
    keys = {
        path.stem: set(yaml.safe_load(path.read_text("utf-8"))) for path in folder.glob("*.yaml")
    }
    assert set(keys) >= {"zh-CN", "en"}
    general = {lang: {k for k in found if not k.endswith("_one")} for lang, found in keys.items()}
    assert all(found == general["zh-CN"] for found in general.values()), general
    for found in keys.values():
        assert all(k.removesuffix("_one") in found for k in found)


def test_counted_takes_the_singular_form_for_one_only() -> None:
    strings = {"speeches_count": "{n} speeches", "speeches_count_one": "{n} speech"}
    assert theme_module.counted(strings, "speeches_count", 1) == "1 speech"
    assert theme_module.counted(strings, "speeches_count", 0) == "0 speeches"
    assert theme_module.counted(strings, "speeches_count", 2) == "2 speeches"
    assert theme_module.counted({"speeches_count": "{n} 篇"}, "speeches_count", 1) == "1 篇"


@pytest.mark.parametrize("name", ["templates/partials/pagination.html", "i18n/zh-CN.yaml"])
def test_a_theme_file_saved_in_gbk_is_a_clear_error(themes: Path, name: str) -> None:
    """Notepad on a Chinese Windows saves GBK: the error names the file, the line and the
    remedy, where Jinja or the strings loader raised a decoding traceback (or blamed the
    template that included the file)."""
    from generator.errors import UserError

    path = themes / "mine" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes("{# 说明 #}\n".encode() + "测试: 搜索\n".encode("gbk"))
    with pytest.raises(UserError) as raised:
        Theme(themes, "mine", "zh-CN")
    assert (raised.value.path, raised.value.line) == (path, 2)
    assert "UTF-8" in raised.value.message and "UTF-8" in (raised.value.hint or "")


def _css_rules(css: str) -> dict[str, dict[str, str]]:
    """Each selector of the stylesheet's top-level rules (not those inside @media) with the
    declarations its rules give it, the later ones winning: enough to read what it says."""
    rules: dict[str, dict[str, str]] = {}
    top = re.sub(
        r"@media[^{]*\{(?:[^{}]*\{[^{}]*\})*\s*\}", "", re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    )
    for selectors, body in re.findall(r"([^{}]+)\{([^{}]*)\}", top):
        declarations = dict(
            (name.strip(), value.strip())
            for name, value in (d.split(":", 1) for d in body.split(";") if ":" in d)
        )
        for selector in selectors.split(","):
            rules.setdefault(" ".join(selector.split()), {}).update(declarations)
    return rules


def test_the_speech_text_is_set_as_its_language_sets_text() -> None:
    """Chinese paragraphs start two characters in, Japanese ones one (字下げ), both justified;
    others (English, Korean, Arabic) with no indent; Korean lines break at its spaces; in a
    speech set right to left the paragraph numbers stand in its right margin."""
    rules = _css_rules((STATIC / "css" / "site.css").read_text("utf-8"))
    assert rules[".speech-body p"]["text-indent"] == "2em"
    assert rules[".speech-body p:lang(ja)"] == {"text-align": "justify", "text-indent": "1em"}
    assert rules[".speech-body p:lang(zh)"] == {"text-align": "justify"}
    others = rules[".speech-body p:not(:lang(zh)):not(:lang(ja))"]
    assert others["text-indent"] == "0"
    assert rules[".speech-body p:lang(ko)"] == {"word-break": "keep-all"}
    for numbers in (
        '.speech-body[dir="rtl"] p[data-n]::before',
        '.speech-body[dir="rtl"] .para-anchor',
    ):
        assert rules[numbers] == {
            "right": "calc(-1 * var(--para-gutter))",
            "left": "auto",
            "text-align": "left",
        }
