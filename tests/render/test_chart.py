"""Inline SVG charts: escaping, empty input, determinism, proportional bars, narrow screens."""

from __future__ import annotations

import itertools
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable

import pytest

from generator.render.chart import SMALL, _text_width, bar_chart, column_chart
from generator.render.pages import MAX_COLUMNS, year_columns

SVG = "{http://www.w3.org/2000/svg}"
Chart = Callable[..., str]
TOPICS = [("作风整顿", 4), ("落实", 2), ("营商环境", 1)]
YEARS = [("2019", 1), ("2020", 3), ("2021", 0), ("2022", 6)]


def _bars(svg: str) -> list[dict[str, str]]:
    root = ET.fromstring(svg)
    return [r.attrib for r in root.iter(f"{SVG}rect") if r.get("class") == "chart-bar"]


@pytest.mark.parametrize("chart", [bar_chart, column_chart])
def test_text_is_escaped(chart: Chart) -> None:
    evil = '<script>alert("x")</script>&'
    svg = chart([(evil, 3)], title=f"t{evil}", count_text=lambda n: f"{n} l{evil}")
    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;" in svg
    assert "&amp;lt;" not in svg  # escaped once, not twice
    root = ET.fromstring(svg)  # still well-formed XML
    assert root.find(f"{SVG}title") is not None
    assert evil in ET.tostring(root, encoding="unicode").replace("&lt;", "<").replace(
        "&gt;", ">"
    ).replace("&amp;", "&").replace("&quot;", '"')


@pytest.mark.parametrize("chart", [bar_chart, column_chart])
def test_empty_input_gives_empty_string(chart: Chart) -> None:
    assert chart([], title="t") == ""


@pytest.mark.parametrize(("chart", "items"), [(bar_chart, TOPICS), (column_chart, YEARS)])
def test_output_is_deterministic(chart: Chart, items: list[tuple[str, int]]) -> None:
    first = chart(list(items), title="标题")
    assert first == chart(list(items), title="标题")
    # fixed number formatting: at most two decimals, no exponent
    for number in re.findall(r'\s(?:x|y|x1|x2|y1|y2|height)="([^"]+)"', first):
        assert re.fullmatch(r"-?\d+(?:\.\d{1,2})?", number), number


def test_bar_widths_are_proportional() -> None:
    bars = _bars(bar_chart(TOPICS, title="t"))
    widths = [float(b["width"]) for b in bars]
    assert len(widths) == 3
    assert widths[0] > 0
    for (_, count), width in zip(TOPICS, widths, strict=True):
        assert width == pytest.approx(widths[0] * count / 4, abs=0.02)
    assert len({b["x"] for b in bars}) == 1  # bars start on one baseline


def test_column_heights_are_proportional_and_share_a_baseline() -> None:
    bars = _bars(column_chart(YEARS, title="t"))
    heights = [float(b["height"]) for b in bars]
    for (_, count), h in zip(YEARS, heights, strict=True):
        assert h == pytest.approx(heights[3] * count / 6, abs=0.02)
    bottoms = {round(float(b["y"]) + float(b["height"]), 1) for b in bars}
    assert len(bottoms) == 1


def test_svg_is_accessible_and_scales() -> None:
    svg = bar_chart(TOPICS, title="各主题讲话数", count_text=lambda n: f"{n} 篇")
    root = ET.fromstring(svg)
    assert root.get("role") == "img"
    assert root.get("aria-label") == "各主题讲话数: 作风整顿 4 篇, 落实 2 篇, 营商环境 1 篇"
    assert root.get("width") == "100%"
    assert root.get("height") is None
    assert root.findtext(f"{SVG}title") == "各主题讲话数"
    tips = [t.text for t in root.iter(f"{SVG}title")]
    assert "作风整顿 4 篇" in tips
    assert " id=" not in svg  # two charts on one page can never clash
    assert 'fill="currentColor"' in svg


def test_every_bar_and_label_stays_inside_the_viewbox() -> None:
    items = [("一个非常非常长的主题名称用来测试截断效果", 120), ("短", 1)]
    for chart in (bar_chart, column_chart):
        svg = chart(items, title="t")
        root = ET.fromstring(svg)
        _, _, width, height = (float(v) for v in root.get("viewBox", "").split())
        for rect in root.iter(f"{SVG}rect"):
            assert 0 <= float(rect.get("x", 0)) <= width
            assert float(rect.get("x", 0)) + float(rect.get("width", 0)) <= width
            assert float(rect.get("y", 0)) + float(rect.get("height", 0)) <= height


def test_long_labels_are_truncated_with_full_name_in_tooltip() -> None:
    name = "一个非常非常长的主题名称用来测试截断效果"
    root = ET.fromstring(bar_chart([(name, 3)], title="t"))
    label = next(t for t in root.iter(f"{SVG}text") if t.get("class") == "chart-label")
    assert (label.text or "").endswith("…")
    assert len(label.text or "") < len(name)
    assert any(name in (t.text or "") for t in root.iter(f"{SVG}title"))


def test_many_years_thin_out_labels_but_keep_the_last() -> None:
    items = [(str(year), year % 7) for year in range(1990, 2030)]
    root = ET.fromstring(column_chart(items, title="t"))
    labels = [t.text for t in root.iter(f"{SVG}text") if t.get("class") == "chart-label"]
    assert "2029" in labels
    assert 3 < len(labels) < len(items)
    assert len(_bars(ET.tostring(root, encoding="unicode"))) == len(items)


@pytest.mark.parametrize("first", [1995, 2000, 2020])
def test_column_labels_stay_inside_the_viewbox(first: int) -> None:
    """A label centred under the first or the last column stuck out of the box and was cut
    ("202…" under a 1995–2024 chart)."""
    items = [(str(year), 1) for year in range(first, 2025)]
    root = ET.fromstring(column_chart(items, title="t"))
    width = float(root.get("viewBox", "").split()[2])
    labels = [t for t in root.iter(f"{SVG}text") if t.get("class") == "chart-label"]
    assert labels[-1].text == "2024"
    for label in labels:
        left, right = _extent(label)
        assert left >= 0 and right <= width


def _extent(label: ET.Element) -> tuple[float, float]:
    """Where a label's text runs, by its anchor."""
    x, width = float(label.get("x", 0)), _text_width(label.text or "", SMALL)
    anchor = label.get("text-anchor", "start")
    left = x if anchor == "start" else x - width if anchor == "end" else x - width / 2
    return left, left + width


@pytest.mark.parametrize(
    "years",
    [
        {1949: 1, 1978: 2, 2026: 7, 2099: 1},  # decades 1940–1949 … 2090–2099
        {1805: 1, 2026: 3},  # decades from 1800–1809: 23 columns
        {year: 1 for year in range(1990, 2030)},
    ],
    ids=["1949-2099", "1805-2026", "1990-2029"],
)
def test_column_labels_neither_overlap_nor_stand_under_another_column(
    years: dict[int, int],
) -> None:
    """Probe 11: edge labels moved inside the box ran into their neighbours
    ("2060–20690–2099"), and the first one stood under the second column, so a speech of 1805
    read as one of the 1820s. The first and last columns are always labelled."""
    items = year_columns(years)
    root = ET.fromstring(column_chart(items, title="t"))
    rows = [g for g in root.iter(f"{SVG}g") if g.get("class") == "chart-row"]
    extents = []
    for row in rows:
        label = next((t for t in row.iter(f"{SVG}text") if t.get("class") == "chart-label"), None)
        if label is None:
            continue
        rect = next(row.iter(f"{SVG}rect"))
        left, right = _extent(label)
        bar_left = float(rect.get("x", 0))
        bar_right = bar_left + float(rect.get("width", 0))
        assert left <= bar_right and right >= bar_left, label.text  # under its own column
        extents.append((left, right))
    assert all(b[0] >= a[1] for a, b in itertools.pairwise(extents)), extents
    shown = [t.text for t in root.iter(f"{SVG}text") if t.get("class") == "chart-label"]
    assert shown[0] == items[0][0] and shown[-1] == items[-1][0]


def test_a_long_span_of_years_is_counted_by_decade_or_more() -> None:
    assert year_columns({}) == []
    assert year_columns({2020: 3, 2022: 1}) == [("2020", 3), ("2021", 0), ("2022", 1)]
    span = year_columns({1900: 1, 1905: 2, 2024: 5})
    assert len(span) == 13 and span[0] == ("1900–1909", 3) and span[-1] == ("2020–2029", 5)
    ages = year_columns({1: 1, 2099: 1})  # a typo next to a real date: 21 columns, not 2,099
    assert len(ages) <= MAX_COLUMNS and ages[0] == ("0–99", 1) and ages[-1][1] == 1
    assert sum(count for _, count in ages) == 2


def test_all_zero_counts_draw_nothing_but_do_not_fail() -> None:
    for chart in (bar_chart, column_chart):
        bars = _bars(chart([("a", 0), ("b", 0)], title="t"))
        assert all(float(b.get("width", 1)) == 0 or float(b.get("height", 1)) == 0 for b in bars)


def test_counts_read_as_the_page_writes_them() -> None:
    """An English site's chart says "1 speech", not "1 speeches": the caller writes each count."""
    svg = column_chart(
        [("2024", 1), ("2025", 3)],
        title="Speeches per year",
        count_text=lambda n: f"{n} speech" if n == 1 else f"{n} speeches",
    )
    root = ET.fromstring(svg)
    assert root.get("aria-label") == "Speeches per year: 2024 1 speech, 2025 3 speeches"


def test_an_archive_groups_url_name_is_short_ascii() -> None:
    """A year names its own group's folder; a speaker who is digits of another script (①,
    ١٢٣) or very many digits gets pinyin and a hash, as any name does: a folder name stays
    ASCII and within what a file system allows."""
    from generator.render.pages import _group_slug

    assert _group_slug("2024") == "2024"
    for label in ("①", "١٢٣", "9" * 300):
        slug = _group_slug(label)
        assert slug.isascii() and len(slug) <= 60 and slug != label, slug


def test_a_speaker_in_another_script_gets_a_readable_group_name() -> None:
    """Cyrillic, Hangul and Arabic names were all `speech-<hash>` and sorted together under
    s; each is now its own transliteration, so the speaker archive files it by its sound."""
    from generator.render.pages import _group_slug

    assert _group_slug("Владимир Иванов").startswith("vladimir-ivanov-")
    assert _group_slug("김철수").startswith("gim-cheol-su-")
    assert _group_slug("محمد بن سلمان").startswith("mhmd-bn-slmn-")
