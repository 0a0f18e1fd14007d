"""One batch of changes: ingest a raw file, build, tell the tabs what changed; a failure keeps
the last good site and is reported as an error until a build succeeds."""

from __future__ import annotations

import json
from pathlib import Path

from generator.build import read_marker
from generator.serve.livereload import EventHub
from generator.serve.rebuild import Rebuilder
from tests.helpers import speech_text, write_raw

SLUG = "quan-shi-shen-hua-ji-guan-zuo-feng-zheng-dun-ling-dao-xiao"


def rebuilder(project: Path, hub: EventHub, log: list[str]) -> Rebuilder:
    return Rebuilder(project, project / "site", "/", hub, log.append, jobs=1)


def messages(hub: EventHub) -> list[dict[str, object]]:
    waited = hub.wait(0, 0.01)
    assert waited is not None
    return [json.loads(m) for m in waited[1]]


def test_a_speech_edit_reloads_its_page_and_the_lists_it_is_on(sample: Path) -> None:
    hub, log = EventHub(), []
    run = rebuilder(sample, hub, log)
    assert run.run(set()).error is None
    speech = sample / "content" / "speeches" / f"{SLUG}.md"
    speech.write_text(speech.read_text(encoding="utf-8") + "\n新增一句。\n", encoding="utf-8")
    outcome = run.run({speech})
    assert outcome.update is not None and outcome.build is not None
    assert f"speeches/{SLUG}/index.html" in outcome.update.pages
    assert "search/index.html" not in outcome.update.pages  # lists no speeches
    assert outcome.build.rendered < outcome.build.pages  # incremental: not every page
    assert "新增一句" in (sample / "site" / "speeches" / SLUG / "index.html").read_text()
    *_, sent, search = messages(hub)
    assert sent["type"] == "update" and f"speeches/{SLUG}/index.html" in sent["pages"]  # type: ignore[operator]
    assert search == {"type": "search"}  # then the search index caught up
    assert any("rebuilt in" in line for line in log)


def test_a_failed_build_keeps_the_last_good_site_until_fixed(sample: Path) -> None:
    hub, log = EventHub(), []
    run = rebuilder(sample, hub, log)
    run.run(set())
    site = sample / "site"
    before = {p: p.read_bytes() for p in site.rglob("*") if p.is_file()}
    speech = sample / "content" / "speeches" / f"{SLUG}.md"
    good = speech.read_text(encoding="utf-8")
    speech.write_text(good.replace("title: ", "title: [unclosed ", 1), encoding="utf-8")
    outcome = run.run({speech})
    assert outcome.error is not None
    assert outcome.error.path == f"content/speeches/{SLUG}.md"
    assert outcome.error.line in (2, 3)
    assert "malformed YAML" in outcome.error.message
    assert {p: p.read_bytes() for p in site.rglob("*") if p.is_file()} == before
    assert not list(sample.glob(".site.staging-*"))
    assert hub.failing and messages(hub)[-1]["type"] == "error"
    assert any("build failed" in line for line in log)
    # The fix restores the very same content: nothing changes, but the tabs must hear of it.
    speech.write_text(good, encoding="utf-8")
    fixed = run.run({speech})
    assert fixed.error is None and not hub.failing
    assert messages(hub)[-1] == {"type": "update", "pages": [], "assets": {}}


def test_a_broken_template_and_a_broken_site_yaml_are_reported_with_their_line(
    sample: Path,
) -> None:
    hub, log = EventHub(), []
    run = rebuilder(sample, hub, log)
    run.run(set())
    config = sample / "site.yaml"
    good_config = config.read_text(encoding="utf-8")
    config.write_text(good_config + "\ntopcis: {}\n", encoding="utf-8")
    outcome = run.run({config})
    assert outcome.error is not None and outcome.error.path == "site.yaml"
    assert outcome.error.line == good_config.count("\n") + 2
    config.write_text(good_config, encoding="utf-8")
    template = sample / "themes" / "default" / "templates" / "speech.html"
    template.write_text(template.read_text(encoding="utf-8") + "\n{% if %}\n", encoding="utf-8")
    outcome = run.run({template})
    assert outcome.error is not None
    assert outcome.error.path is not None and outcome.error.path.endswith("speech.html")
    assert outcome.error.line is not None


def test_a_theme_css_change_renames_the_asset_and_reloads_no_page(sample: Path) -> None:
    hub, log = EventHub(), []
    run = rebuilder(sample, hub, log)
    run.run(set())
    css = sample / "themes" / "default" / "static" / "css" / "site.css"
    css.write_text(css.read_text(encoding="utf-8") + "\nbody { color: red; }\n", encoding="utf-8")
    outcome = run.run({css})
    assert outcome.update is not None
    assert outcome.update.pages == []
    [(old, new)] = outcome.update.assets.items()
    assert old.startswith("/assets/css/site.") and new.startswith("/assets/css/site.")
    assert new[1:] in read_marker(sample / "site") and old[1:] not in read_marker(sample / "site")


def test_a_raw_file_is_ingested_and_its_page_appears(sample: Path) -> None:
    hub, log = EventHub(), []
    run = rebuilder(sample, hub, log)
    run.run(set())
    raw = write_raw(sample, "new.txt", speech_text("县长在全县作风整顿推进会议上的讲话"))
    outcome = run.run({raw})
    assert outcome.update is not None and outcome.error is None
    new_pages = [p for p in outcome.update.pages if p.startswith("speeches/")]
    assert any(
        (sample / "site" / p).is_file() and "作风整顿推进" in (sample / "site" / p).read_text()
        for p in new_pages
    )
    assert any(line.startswith("ingested new.txt") for line in log)


def test_a_raw_file_that_cannot_be_ingested_is_reported(sample: Path) -> None:
    hub, log = EventHub(), []
    run = rebuilder(sample, hub, log)
    run.run(set())
    raw = write_raw(sample, "empty.txt", "")
    outcome = run.run({raw})
    assert outcome.error is not None and outcome.error.path == "content/raw/empty.txt"
    assert outcome.error.text.count("empty.txt") == 1  # (the path once, not twice)
    assert hub.failing


def test_moving_base_url_while_serving_asks_for_a_restart(sample: Path) -> None:
    hub, log = EventHub(), []
    run = rebuilder(sample, hub, log)
    run.run(set())
    config = sample / "site.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "\nbase_url: /archive/\n", "utf-8")
    outcome = run.run({config})
    assert outcome.error is None
    assert any("base_url changed" in line and "restart" in line for line in log)
    # The served site keeps the URLs the server answers on.
    page = (sample / "site" / "speeches" / SLUG / "index.html").read_text(encoding="utf-8")
    assert 'href="/assets/css/site.' in page
