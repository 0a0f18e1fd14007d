"""Small inline SVG charts drawn at build time: speeches per topic, speeches per year.

Pure functions of their input: the same items give the same bytes (fixed coordinates with at
most two decimals, no ids, no randomness). Every text is escaped. Colours come from the page's
CSS (`.chart-bar`, `.chart-label`, …) and fall back to `currentColor`, so dark mode works without
anything in the SVG. `viewBox` plus `width="100%"` lets a chart shrink to a phone's width.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Callable
from html import escape

CountText = Callable[[int], str]  # a count as the page writes it: 4 → "4 篇"

# Coordinates are in viewBox units; the page's CSS sets the rendered width (≈ 1 unit = 1 px).
WIDTH = 400
FONT = 14  # label size in units; at a 390 px screen the chart is drawn ≈ 0.85×, labels ≈ 12 px
SMALL = 12
ROW = 28  # one bar: its height plus the gap
BAR = 18
PAD = 4
GAP = 8  # between label column and bars, and between a bar and its value
MAX_LABEL_SHARE = 0.4  # the label column never takes more than this share of the width
ELLIPSIS = "…"


def bar_chart(items: list[tuple[str, int]], *, title: str, count_text: CountText = str) -> str:
    """Horizontal bars, one row per item (`(name, count)`), in the given order.

    `title` names the chart (its `<title>`); `count_text` writes a count with its unit ("4 篇",
    "1 speech"). The accessible name (`aria-label`) is the title followed by every value, so a
    screen reader gets the data, not a picture. Empty input gives "".
    """
    if not items:
        return ""
    counts = [max(0, count) for _, count in items]
    top = max(counts)
    label_width = min(max(_text_width(name, FONT) for name, _ in items), WIDTH * MAX_LABEL_SHARE)
    value_width = _text_width(str(top), SMALL)
    bar_x = PAD + label_width + GAP
    bar_span = WIDTH - bar_x - GAP - value_width - PAD
    height = ROW * len(items) + PAD
    rows = []
    for index, ((name, _), count) in enumerate(zip(items, counts, strict=True)):
        y = PAD + index * ROW
        width = bar_span * count / top if top else 0.0
        text_y = y + BAR / 2
        shown = _truncate(name, FONT, label_width)
        rows.append(
            f'<g class="chart-row"><title>{escape(_value(name, count, count_text))}</title>'
            f'<text class="chart-label" x="{_n(PAD + label_width)}" y="{_n(text_y)}"'
            f' text-anchor="end" dominant-baseline="central" font-size="{FONT}"'
            f' fill="currentColor">{escape(shown)}</text>'
            f'<rect class="chart-bar" x="{_n(bar_x)}" y="{_n(y)}" width="{_n(width)}"'
            f' height="{BAR}" rx="2" fill="currentColor"/>'
            f'<text class="chart-value" x="{_n(bar_x + width + GAP / 2)}" y="{_n(text_y)}"'
            f' dominant-baseline="central" font-size="{SMALL}" fill="currentColor">{count}</text>'
            "</g>"
        )
    return _svg("chart chart-bars", height, title, count_text, items, "".join(rows))


def column_chart(items: list[tuple[str, int]], *, title: str, count_text: CountText = str) -> str:
    """Vertical columns, one per item (`(year, count)`), left to right in the given order.

    `title` and `count_text` as for `bar_chart`. Labels that would collide are thinned
    out (`_column_labels`); a value is written above its column when there
    is room; every value is in the accessible name and in the column's tooltip. Items are drawn
    as given: a caller wanting an even time axis passes the empty years with 0. Empty input
    gives "".
    """
    if not items:
        return ""
    counts = [max(0, count) for _, count in items]
    top = max(counts)
    n = len(items)
    plot_top = PAD + SMALL + 4  # room for the values above the tallest column
    plot_height = 120.0
    base_y = plot_top + plot_height
    height = base_y + 6 + SMALL + PAD
    slot = (WIDTH - 2 * PAD) / n
    column = min(slot * 0.7, 48.0)
    show_values = slot >= _text_width(str(top), SMALL) + 2
    labels = _column_labels([name for name, _ in items], slot, column)
    cols = []
    for index, ((name, _), count) in enumerate(zip(items, counts, strict=True)):
        centre = PAD + slot * index + slot / 2
        h = plot_height * count / top if top else 0.0
        parts = [
            f'<g class="chart-row"><title>{escape(_value(name, count, count_text))}</title>'
            f'<rect class="chart-bar" x="{_n(centre - column / 2)}" y="{_n(base_y - h)}"'
            f' width="{_n(column)}" height="{_n(h)}" rx="2" fill="currentColor"/>'
        ]
        if show_values:
            parts.append(
                f'<text class="chart-value" x="{_n(centre)}" y="{_n(base_y - h - 4)}"'
                f' text-anchor="middle" font-size="{SMALL}" fill="currentColor">{count}</text>'
            )
        if index in labels:
            x, anchor = labels[index]
            parts.append(
                f'<text class="chart-label" x="{_n(x)}" y="{_n(base_y + 6 + SMALL)}"'
                f' text-anchor="{anchor}" font-size="{SMALL}" fill="currentColor">'
                f"{escape(name)}</text>"
            )
        parts.append("</g>")
        cols.append("".join(parts))
    axis = (
        f'<line class="chart-axis" x1="{PAD}" y1="{_n(base_y)}" x2="{WIDTH - PAD}"'
        f' y2="{_n(base_y)}" stroke="currentColor" stroke-width="1"/>'
    )
    return _svg("chart chart-columns", height, title, count_text, items, axis + "".join(cols))


LABEL_GAP = 6  # between two labels of the axis


def _column_labels(names: list[str], slot: float, column: float) -> dict[int, tuple[float, str]]:
    """The axis labels to write: index → (x, text-anchor). The first and last columns always
    have theirs; the others every k-th, from the first, where they clear their neighbours. A
    label stands centred under its column; one that would leave the box starts (or ends) at
    its column's outer edge instead, never under another column: moved inside the box by its
    half width, 2090–2099 ran into 2060–2069, and the first label stood under the second
    column, so a speech of 1805 read as one of the 1820s."""
    n = len(names)
    placed: dict[int, tuple[float, str, float, float]] = {}  # index → x, anchor, left, right
    for index, name in enumerate(names):
        width, centre = _text_width(name, SMALL), PAD + slot * index + slot / 2
        if centre - width / 2 < PAD:
            x, anchor, left = max(PAD, centre - column / 2), "start", max(PAD, centre - column / 2)
        elif centre + width / 2 > WIDTH - PAD:
            x = min(WIDTH - PAD, centre + column / 2)
            anchor, left = "end", x - width
        else:
            x, anchor, left = centre, "middle", centre - width / 2
        placed[index] = (x, anchor, left, left + width)
    widest = max(right - left for _, _, left, right in placed.values())
    stride = max(1, math.ceil((widest + LABEL_GAP) / slot))
    chosen = [0]
    last = n - 1
    for index in range(stride, last, stride):
        clear_before = placed[index][2] >= placed[chosen[-1]][3] + LABEL_GAP
        clear_after = placed[index][3] + LABEL_GAP <= placed[last][2]
        if clear_before and clear_after:
            chosen.append(index)
    if last > 0 and placed[last][2] >= placed[chosen[-1]][3] + LABEL_GAP:
        chosen.append(last)
    elif last > 0:  # no room for both ends: the last column's is the one a reader looks for
        chosen[-1] = last
    return {index: placed[index][:2] for index in chosen}


def _svg(
    cls: str,
    height: float,
    title: str,
    count_text: CountText,
    items: list[tuple[str, int]],
    body: str,
) -> str:
    data = ", ".join(_value(name, count, count_text) for name, count in items)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="{cls}" viewBox="0 0 {WIDTH} {_n(height)}"'
        f' width="100%" role="img" aria-label="{escape(title)}: {escape(data)}">'
        f"<title>{escape(title)}</title>{body}</svg>"
    )


def _value(name: str, count: int, count_text: CountText) -> str:
    """`作风整顿 4 篇`: a name and its count with the unit (not yet escaped)."""
    return f"{name} {count_text(count)}"


def _n(value: float) -> str:
    """A coordinate with at most two decimals and no trailing zeros: 12, 12.5, 12.33."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def _char_width(char: str, size: float) -> float:
    """An ambiguous character (–, ·) is drawn full width by the Chinese fonts a page uses."""
    return size if unicodedata.east_asian_width(char) in ("W", "F", "A") else size * 0.6


def _text_width(text: str, size: float) -> float:
    """An estimate: full-width (CJK) characters are 1 em, everything else 0.6 em."""
    return sum(_char_width(char, size) for char in text)


def _truncate(text: str, size: float, room: float) -> str:
    if _text_width(text, size) <= room:
        return text
    room -= _char_width(ELLIPSIS, size)
    kept = []
    for char in text:
        room -= _char_width(char, size)
        if room < 0:
            break
        kept.append(char)
    return "".join(kept) + ELLIPSIS
