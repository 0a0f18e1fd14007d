"""The forms a speech's date is searched by. The index holds them all (build/load.py), and a
result's fragment lists those it does not show, so search.js can mark the date a reader found
a speech by when the query wrote it otherwise (2023-03-05 for 2023年3月5日).
"""

from __future__ import annotations

from generator.render.pages import date_display


def date_forms(date: str | None, shown: str) -> list[str]:
    """`shown` (the date as the site's pages show it), then as a Chinese text writes it, as
    `YYYY-MM-DD`, and in the other forms documents and readers write it; each once."""
    if not date:
        return []
    return list(dict.fromkeys((shown, date_display(date), date, *written_dates(date))))


def written_dates(date: str) -> list[str]:
    """The other forms documents and readers write a date `YYYY-MM-DD` (or `YYYY-MM`) in:
    2023.05.12 and 2023.5.12, 2023/5/12 and 2023/05/12, 2023年05月12日 (probe 10: each found
    nothing; a number is found whole, so 2023.5.12 is not 2023.05.12). A year alone is
    written one way."""
    parts = date.split("-")
    if len(parts) < 2:
        return []
    short = [parts[0], *(str(int(p)) for p in parts[1:])]
    chinese = "".join(f"{p}{unit}" for p, unit in zip(parts, "年月日", strict=False))
    return [".".join(parts), ".".join(short), "/".join(short), "/".join(parts), chinese]
