"""Every page kind of the built sample in Debian chromium: axe-core finds no serious or critical
violation (at 390 and 1280 px), nothing scrolls sideways at 390 px, the console stays clean and
every request succeeds — at the root and under a sub-path — and nothing is requested once a page
has loaded."""

from __future__ import annotations

import base64
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from scripts.static_server import StaticServer
from tests.e2e.browser import AXE_RUN_JS, KINDS, NARROW, Visitor
from tests.e2e.sites import AXE_JS, ServedSite, require
from tests.search.projects import Speech, build, new_project, write_speech

# A picture 1600 px wide (an SVG: no image library needed to make one)
SVG_1600 = base64.b64encode(
    b'<svg xmlns="http://www.w3.org/2000/svg" width="1600" height="400">'
    b'<rect width="1600" height="400" fill="#ccc"/></svg>'
).decode()

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page, Request

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("kind", KINDS)
def test_axe_finds_no_serious_or_critical_violation(visitor: Visitor, kind: str) -> None:
    visit = visitor.visit("root", kind)
    blocking = visit.blocking()
    assert not blocking, f"axe-core on {visit.url}:\n" + "\n".join(blocking)


@pytest.mark.parametrize("kind", KINDS)
def test_no_sideways_scrolling_at_390px(visitor: Visitor, kind: str) -> None:
    visit = visitor.visit("root", kind)
    width = visit.scroll_width
    assert width is not None
    assert width <= NARROW, (
        f"{visit.url} is {width} px wide at a {NARROW} px viewport; sticking out:\n  "
        + "\n  ".join(visit.offenders or ["(no single element found)"])
    )


@pytest.mark.parametrize("site", ["root", "sub-path"])
@pytest.mark.parametrize("kind", KINDS)
def test_no_console_error_or_failed_request(visitor: Visitor, site: str, kind: str) -> None:
    visit = visitor.visit(site, kind)
    problems = visit.console_errors + visit.failed_requests
    assert not problems, f"{visit.url}:\n  " + "\n  ".join(problems)
    assert visit.status == (404 if kind == "404" else 200), f"{visit.url}: HTTP {visit.status}"


@pytest.mark.parametrize("kind", KINDS)
def test_a_page_requests_nothing_once_loaded(
    chromium: Browser, served: dict[str, ServedSite], visitor: Visitor, kind: str
) -> None:
    """A reader (or a site checker) who leaves a page as soon as it has loaded aborts whatever
    it requests after its load event, and checkers count such requests as failed. A linked
    favicon is one: the browser fetches it only after the load. The default theme inlines it."""
    late: list[str] = []
    loaded = [False]

    def on_request(request: Request) -> None:
        if loaded[0] and not request.url.startswith("data:"):
            late.append(request.url)

    context = chromium.new_context(viewport={"width": NARROW, "height": 900})
    try:
        page = context.new_page()
        page.on("request", on_request)
        page.goto(served["root"].url + visitor.path("root", kind), wait_until="load")
        loaded[0] = True
        page.wait_for_load_state("networkidle")
    finally:
        context.close()
    assert not late, f"requested after the load event of the {kind} page: {late}"


@contextmanager
def opened(
    chromium: Browser, url: str, width: int, height: int = 844, media: str | None = None
) -> Iterator[Page]:
    """`url` loaded in a browser context of its own, `width` wide (in `media`, where given,
    from the start); the context closed after."""
    context = chromium.new_context(viewport={"width": width, "height": height})
    try:
        page = context.new_page()
        if media is not None:
            page.emulate_media(media=media)  # type: ignore[arg-type]
        page.goto(url, wait_until="load")
        yield page
    finally:
        context.close()


def speech_path(site: ServedSite, rank: Callable[[Path], Any]) -> str:
    """The path below the site root of the sample's speech page that ranks highest."""
    pages = sorted(site.site.directory.glob("speeches/*/index.html"))
    return max(pages, key=rank).parent.relative_to(site.site.directory).as_posix() + "/"


# Which TOC entry the page marks, and which it should: the last TOC heading above a line 15%
# down the viewport (at the page's end: above its bottom).
TOC_STATE_JS = """() => {
  const marked = document.querySelector('[data-toc] a[aria-current="true"]');
  const headings = [...document.querySelectorAll('[data-toc] a[data-toc-link]')]
    .map(a => document.getElementById(a.dataset.tocLink)).filter(Boolean);
  const end = innerHeight + scrollY >= document.documentElement.scrollHeight - 2;
  const line = end ? innerHeight : innerHeight * 0.15;
  const above = headings.filter(h => h.getBoundingClientRect().top <= line + 1);
  return {
    marked: marked ? marked.dataset.tocLink : null,
    expected: above.length ? above[above.length - 1].id : null,
    count: headings.length,
  };
}"""


def test_the_toc_marks_the_section_a_jump_lands_in(
    chromium: Browser, served: dict[str, ServedSite]
) -> None:
    """A deep link (#p…), a jump back to the top and one to the end skip past headings without
    scrolling through them: the marked TOC entry still follows where the reader landed."""
    site = served["root"]
    path = speech_path(site, lambda page: page.read_text("utf-8").count("data-toc-link"))
    with opened(chromium, site.url + path, 1280, 900) as page:
        paragraphs = page.eval_on_selector_all(".speech-body p[id]", "ps => ps.map(p => p.id)")
        deep = paragraphs[len(paragraphs) * 2 // 3]
        page.goto(site.url + path + "#" + deep, wait_until="load")
        jumps = [
            "location.hash = '#" + deep + "'",
            "scrollTo({top: 0, behavior: 'instant'})",
            "scrollTo({top: document.documentElement.scrollHeight, behavior: 'instant'})",
            "scrollTo({top: document.documentElement.scrollHeight / 2, behavior: 'instant'})",
        ]
        for jump in jumps:
            page.evaluate(f"() => {{ {jump}; }}")
            page.wait_for_timeout(1600)  # (a smooth scroll, where one runs, has ended)
            state = page.evaluate(TOC_STATE_JS)
            assert state["count"] >= 3
            assert state["marked"] == state["expected"], (jump, state)
        assert page.evaluate(TOC_STATE_JS)["marked"] is not None


def test_a_click_in_the_toc_marks_the_entry_clicked(chromium: Browser, tmp_path: Path) -> None:
    """A section whose first sub-heading follows right below it: after a click on the section,
    the sub-heading had crossed the 15% line too, and was marked instead of the entry clicked."""
    project = new_project(tmp_path / "toc")
    text = "今天研究部署工作，会议要求各单位认真学习、抓好落实。" * 12
    outline, body = [], []
    for n, numeral in enumerate("一二三四", start=1):
        outline += [
            f"- id: s{n}\n  label: {numeral}、\n  title: 第{numeral}部分工作\n  children:",
            f"  - id: s{n}-1\n    label: （一）\n    title: 第{n}项重点\n    children: []",
        ]
        body += [
            f"{{#s{n}}}\n## {numeral}、第{numeral}部分工作",
            f"{{#s{n}-1}}\n### （一）第{n}项重点",
            text,
            text,
        ]
    front = "title: 一次会议上的讲话\nslug: close-headings\ntopics: []\noutline:\n"
    speech = project / "content" / "speeches" / "close-headings.md"
    speech.write_text(
        f"---\n{front}" + "\n".join(outline) + "\n---\n\n" + "\n\n".join(body) + "\n", "utf-8"
    )
    with (
        StaticServer(build(project)) as server,
        opened(chromium, server.url + "speeches/close-headings/", 1280, 900) as page,
    ):
        for toc_id in ("s2", "s3", "s1", "s4"):
            page.click(f'[data-toc] a[data-toc-link="{toc_id}"]')
            page.wait_for_timeout(1600)  # (a smooth scroll, where one runs, has ended)
            assert page.evaluate(TOC_STATE_JS)["marked"] == toc_id
        page.evaluate("() => scrollBy({top: -700, behavior: 'instant'})")  # reading on
        page.wait_for_timeout(800)  # (the line decides again)
        state = page.evaluate(TOC_STATE_JS)
        assert state["marked"] == state["expected"] != "s4"


@contextmanager
def largest_speech(chromium: Browser, site: ServedSite) -> Iterator[tuple[BrowserContext, Page]]:
    """The sample's largest speech page, open at desktop width."""
    path = speech_path(site, lambda page: page.stat().st_size)
    with opened(chromium, site.url + path, 1280, 900) as page:
        yield page.context, page


def test_a_paragraph_number_is_a_link_to_cite_it(
    chromium: Browser, served: dict[str, ServedSite]
) -> None:
    """第12段 is cited by #p12: the margin number was drawn by CSS and could not be clicked or
    copied, so a reader had no way to that link but typing it."""
    with largest_speech(chromium, served["root"]) as (_, page):
        link = page.locator(".speech-body p#p3 > a.para-anchor")
        assert link.get_attribute("href") == "#p3"
        assert link.inner_text() == "3"
        assert link.get_attribute("aria-label") == "第3段（本段的链接）"
        assert link.get_attribute("tabindex") == "-1"  # not a stop per paragraph
        link.click()
        assert page.evaluate("location.hash") == "#p3"
        # the number is drawn once: the link, not the stylesheet's ::before as well
        assert page.evaluate(
            "getComputedStyle(document.getElementById('p3'), '::before').content"
        ) in ("none", "normal")
        selected = page.evaluate(
            """() => { const r = document.createRange();
                r.selectNodeContents(document.getElementById('p3'));
                getSelection().removeAllRanges(); getSelection().addRange(r);
                return getSelection().toString(); }"""
        )
        assert not selected.startswith("3"), selected[:10]  # copying the text leaves it out
        # probe 10: a heading copied with its # link, pasted into search, found nothing
        heading = page.evaluate(
            """() => { const h = document.querySelector('.speech-body h2');
                const r = document.createRange(); r.selectNodeContents(h);
                getSelection().removeAllRanges(); getSelection().addRange(r);
                return getSelection().toString(); }"""
        )
        assert heading and not heading.rstrip().endswith("#"), heading


def test_a_deep_link_lands_at_once(chromium: Browser, served: dict[str, ServedSite]) -> None:
    """Opening a citation's #p… link puts the paragraph in place at once; it does not animate
    through the page as a click on a link on the page may."""
    site = served["root"]
    with largest_speech(chromium, site) as (context, page):
        path = page.url.removeprefix(site.url).split("#")[0]
        last = page.eval_on_selector_all(".speech-body p[id]", "ps => ps[ps.length - 3].id")
        fresh = context.new_page()  # a reader following the link from elsewhere
        fresh.goto(site.url + path + "#" + last, wait_until="load")
        fresh.wait_for_timeout(100)
        top = fresh.evaluate(f"document.getElementById('{last}').getBoundingClientRect().top")
        assert 0 <= top < 100, top


LONG_TOPIC = "营商环境优化提升暨行政审批制度改革和一网通办政务服务能力建设三年行动"
LATIN = "https://example.org/" + "a-very-long-path-segment" * 8


def test_long_topic_names_and_latin_runs_stay_inside_a_phone_screen(
    chromium: Browser, tmp_path: Path
) -> None:
    """A topic name longer than a phone's line wraps inside its chip; a long URL in a paragraph
    breaks."""
    project = new_project(tmp_path / "long")
    config = project / "site.yaml"
    config.write_text(
        config.read_text("utf-8")
        + f"  {LONG_TOPIC}:\n    slug: long-topic\n    terms: {{改革: 1}}\n",
        encoding="utf-8",
    )
    blocks = ["同志们：", f"会议材料见 {LATIN} ，请各单位认真学习。", "今天研究部署工作。"]
    write_speech(
        project, Speech("long-topic-speech", "一次会议上的讲话", blocks, topics=[LONG_TOPIC])
    )
    site = build(project)
    paths = ("speeches/long-topic-speech/", "topics/long-topic/", "topics/")
    with StaticServer(site) as server, opened(chromium, server.url + paths[0], NARROW) as page:
        for path in paths:
            page.goto(server.url + path, wait_until="load")
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= NARROW, (path, width)


def test_a_long_address_starts_on_its_sentences_line_and_is_a_link(
    chromium: Browser, tmp_path: Path
) -> None:
    """Probe 11: a long URL after 详见网址： moved to a line of its own, and the justified line
    left before it spread its few characters across the whole width; nor was it a link."""
    project = new_project(tmp_path / "address")
    address = "https://www.example.gov.cn/xxgk/" + "0123456789abcdef" * 5 + ".html"
    text = f"详见网址：{address}，请各单位认真学习。"
    write_speech(project, Speech("address", "一次会议上的讲话", ["同志们：", text]))
    site = build(project)
    tops = """() => { const p = document.querySelector('#p2'); const node = [...p.childNodes]
        .find(n => n.textContent.includes('https://'));
        const range = (n, i) => { const r = document.createRange(); r.setStart(n, i);
            r.setEnd(n, i + 1); return r.getClientRects()[0].top; };
        const first = p.firstChild.nodeType === 3 ? p.firstChild : p.firstChild.firstChild;
        const start = node.nodeType === 3 ? node : node.firstChild;
        return [range(first, 0), range(start, start.textContent.indexOf('https://'))]; }"""
    with StaticServer(site) as server:
        for width in (NARROW, 1280):
            with opened(chromium, server.url + "speeches/address/", width) as page:
                first, top = page.evaluate(tops)
                assert abs(first - top) < 10, width  # the address starts on line one
                assert page.locator("#p2 a.url").get_attribute("href") == address
                assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_a_wide_table_scrolls_in_its_own_region_on_a_phone(
    chromium: Browser, tmp_path: Path
) -> None:
    """A table wider than a phone scrolls sideways inside its region, which a keyboard can
    focus; the page itself does not scroll sideways, and axe finds nothing serious."""
    require(AXE_JS.is_file(), f"axe-core is missing ({AXE_JS})")
    project = new_project(tmp_path / "table")
    header = "| 指标 | " + " | ".join(f"{year}年完成情况" for year in range(2018, 2026)) + " |"
    rule = "|" + " --- |" * 9
    row = "| 地区生产总值 | " + " | ".join(f"{100 + n}.5亿元" for n in range(8)) + " |"
    blocks = [
        "同志们：",
        "主要指标完成情况如下。",
        f"{header}\n{rule}\n{row}",
        "请各单位抓好落实。",
    ]
    write_speech(project, Speech("table-speech", "一次会议上的讲话", blocks))
    site = build(project)
    with (
        StaticServer(site) as server,
        opened(chromium, server.url + "speeches/table-speech/", NARROW) as page,
    ):
        assert page.evaluate("document.documentElement.scrollWidth") <= NARROW
        region = page.locator(".table-wrap")
        assert region.evaluate("el => el.scrollWidth > el.clientWidth")  # it does scroll
        region.focus()
        page.keyboard.press("ArrowRight")
        page.wait_for_function("() => document.querySelector('.table-wrap').scrollLeft > 0")
        page.add_script_tag(content=AXE_JS.read_text(encoding="utf-8"))
        violations = page.evaluate(AXE_RUN_JS)
        assert [v for v in violations if v["impact"] in ("serious", "critical")] == []


def test_table_figures_stay_whole_on_screen_and_a_printed_table_fits_the_page(
    chromium: Browser, tmp_path: Path
) -> None:
    """Probe 11: a 13-column table squeezed each cell to 5em and broke figures anywhere
    (`1,234.` over `5`); printed, its last columns fell past the page's edge. A full-width
    picture, indented with its paragraph, pushed a phone's page sideways."""
    project = new_project(tmp_path / "table-figures")
    header = "| 项目 | " + " | ".join(f"第{n}列" for n in range(1, 13)) + " |"
    rule = "|" + " --- |" * 13
    row = "| 金额 | " + " | ".join(["1,234,567.89"] * 12) + " |"
    picture = "![会场](data:image/svg+xml;base64," + SVG_1600 + ")"
    blocks = ["同志们：", f"{header}\n{rule}\n{row}", picture, "请各单位抓好落实。"]
    write_speech(project, Speech("figures", "一次会议上的讲话", blocks))
    site = build(project)
    figure_lines = """() => [...document.querySelectorAll('.speech-body td')].slice(1).map(td => {
        const range = document.createRange(); range.selectNodeContents(td);
        return range.getClientRects().length; })"""
    right = "s => document.querySelector(s).getBoundingClientRect().right"
    with StaticServer(site) as server:
        for width, media in ((1280, "screen"), (NARROW, "screen"), (700, "print")):
            url = server.url + "speeches/figures/"
            with opened(chromium, url, width, media=media) as page:
                if media == "screen":
                    assert set(page.evaluate(figure_lines)) == {1}, width  # one line each
                    assert page.evaluate("document.documentElement.scrollWidth") <= width
                else:
                    table = page.evaluate(right, ".speech-body table")
                    assert table <= page.evaluate(right, ".speech-body") + 1


def test_a_printed_speech_is_the_speech_alone_with_its_placeholder_legend(
    chromium: Browser, served: dict[str, ServedSite]
) -> None:
    """Print hides the site's chrome (header, contents, previous/next, related, buttons) and
    keeps the text, the citation and the note that explains the marked placeholders."""
    site = served["root"]
    path = speech_path(site, lambda page: "notice-placeholders" in page.read_text("utf-8"))
    with opened(chromium, site.url + path, 1280, 900) as page:
        page.emulate_media(media="print")
        shown = page.evaluate(
            """selectors => Object.fromEntries(selectors.map(s => {
                 const el = document.querySelector(s);
                 return [s, !!el && getComputedStyle(el).display !== 'none'];
               }))""",
            [
                ".site-header",
                ".site-footer",
                ".toc",
                ".pager",
                ".related",
                ".copy-button",
                ".speech-body",
                ".cite",
                ".notice-placeholders",
                "#speech-title",
            ],
        )
        assert shown == {
            ".site-header": False,
            ".site-footer": False,
            ".toc": False,
            ".pager": False,
            ".related": False,
            ".copy-button": False,
            ".speech-body": True,
            ".cite": True,
            ".notice-placeholders": True,
            "#speech-title": True,
        }


ARABIC = (
    "نحن سعداء باستضافة هذا المنتدى الذي يجمع الشركاء من المنطقة والعالم، ونأمل أن يفتح"
    " آفاقاً جديدة للتعاون في التجارة والاستثمار والتعليم والثقافة بين شعوبنا."
)
JAPANESE = "本日は、このような盛大な式典にお招きいただき、誠にありがとうございます。" * 3


def test_a_right_to_left_speech_reads_right_to_left_and_a_japanese_one_is_indented(
    chromium: Browser, tmp_path: Path
) -> None:
    """An Arabic speech on a Chinese site: its text is set right to left, its paragraph numbers
    stand in its right margin (a physical left: put them on the reading side's far end, over
    nothing), and nothing scrolls sideways on a phone; the page's chrome stays left to right.
    A Japanese paragraph starts one character in, a Chinese one two."""
    project = new_project(tmp_path / "scripts")
    write_speech(project, Speech("ar-speech", "كلمة في منتدى التجارة", [ARABIC] * 3, lang="ar"))
    write_speech(project, Speech("ja-speech", "式典における挨拶", [JAPANESE] * 2, lang="ja"))
    write_speech(project, Speech("zh-speech", "在全县工作会议上的讲话", ["今天开会。" * 30]))
    site = build(project)
    with StaticServer(site) as server:
        for width in (NARROW, 1280):
            with opened(chromium, server.url + "speeches/ar-speech/", width) as page:
                assert page.evaluate("document.documentElement.scrollWidth") <= width
                body = page.locator(".speech-body").first
                assert body.evaluate("e => getComputedStyle(e).direction") == "rtl"
                assert page.evaluate("getComputedStyle(document.body).direction") == "ltr"
                paragraph = page.locator(".speech-body p[data-n]").first
                box = paragraph.bounding_box()
                place = paragraph.locator(".para-anchor").bounding_box()  # (site.js's link)
                assert box and place, width
                assert place["x"] >= box["x"] + box["width"] - 1, (width, box, place)
                indent = {}
                for slug in ("ja-speech", "zh-speech"):
                    page.goto(server.url + f"speeches/{slug}/", wait_until="load")
                    indent[slug] = page.locator(".speech-body p[data-n]").first.evaluate(
                        "p => parseFloat(getComputedStyle(p).textIndent)"
                        " / parseFloat(getComputedStyle(p).fontSize)"
                    )
                assert indent == {"ja-speech": 1.0, "zh-speech": 2.0}
