"""Ranking (generator.search.reader, the mirror of search.js): titles above headings above body
text, more matches above fewer, closer terms above farther ones, ties by document number."""

from __future__ import annotations

import itertools
import math
from pathlib import Path

from generator.search.extract import ZONE_HEADING, ZONE_TITLE
from generator.search.reader import Hit, Reader, choose_cover, minimal_span, rank
from tests.search.projects import Speech, build, new_project, write_speech


def order(matches: list[dict[int, Hit]], docs: int = 100) -> list[int]:
    return [r.doc for r in rank(matches, docs)]


def test_title_above_heading_above_body() -> None:
    term = {
        0: Hit(1, 0, None),
        1: Hit(1, ZONE_HEADING, None),
        2: Hit(1, ZONE_TITLE, None),
        3: Hit(1, ZONE_TITLE | ZONE_HEADING, None),
    }
    assert order([term]) == [3, 2, 1, 0]


def test_a_title_match_beats_several_body_matches() -> None:
    # A rare term (2 of 100 speeches): one title match above five body matches; for a common
    # term (the zone bonus is fixed, the frequency part scales with rarity) above many more.
    assert order([{0: Hit(5, 0, None), 1: Hit(1, ZONE_TITLE, None)}]) == [1, 0]
    common = {d: Hit(1, 0, None) for d in range(2, 80)}
    assert order([{**common, 0: Hit(50, 0, None), 1: Hit(1, ZONE_TITLE, None)}])[:2] == [1, 0]


def test_a_rarer_term_in_the_title_above_a_commoner_one() -> None:
    """Probe 20: for 十七大 报告, the report titled …十七大 (十七大: 6 of 94 speeches) below three
    resolutions titled …报告的决议 (报告: in nearly all), each with the other term in its text.
    With as many terms in their titles, the title holding the rarer one comes first."""
    common = {d: Hit(1, 0, None) for d in range(90)}
    common |= {1: Hit(2, ZONE_TITLE, None), 2: Hit(2, ZONE_TITLE, None), 3: Hit(1, 0, None)}
    rare = {1: Hit(2, 0, None), 2: Hit(2, 0, None), 3: Hit(1, ZONE_TITLE, None), 4: Hit(9, 0, None)}
    assert order([rare, common], 94) == [3, 1, 2, 4]


def test_more_matches_above_fewer() -> None:
    term = {0: Hit(1, 0, None), 1: Hit(5, 0, None), 2: Hit(2, 0, None)}
    assert order([term]) == [1, 2, 0]


def test_ties_by_document_number() -> None:
    term = {5: Hit(2, 0, None), 1: Hit(2, 0, None), 3: Hit(2, 0, None)}
    results = rank([term], 10)
    assert [r.doc for r in results] == [1, 3, 5]
    assert len({r.score for r in results}) == 1


def test_closer_terms_above_farther() -> None:
    first = {0: Hit(1, 0, (100,)), 1: Hit(1, 0, (100,)), 2: Hit(1, 0, (100,))}
    second = {0: Hit(1, 0, (900,)), 1: Hit(1, 0, (104,)), 2: Hit(1, 0, (130,))}
    assert order([first, second]) == [1, 2, 0]


def test_every_term_must_match() -> None:
    first = {0: Hit(1, 0, (1,)), 1: Hit(1, 0, (1,)), 2: Hit(1, 0, (1,))}
    second = {2: Hit(1, 0, (5,)), 7: Hit(1, 0, (5,))}
    assert order([first, second]) == [2]
    assert order([first, {}]) == []
    assert order([]) == []


def test_rarer_terms_weigh_more() -> None:
    common = {d: Hit(1, 0, (0,)) for d in range(50)}
    rare = {d: Hit(1, 0, (2,)) for d in (10, 11)}
    scores = {r.doc: r.score for r in rank([common, rare], 100)}
    single = {r.doc: r.score for r in rank([common], 100)}
    assert scores[10] > single[10] + math.log(1 + 100 / 2)


def test_minimal_span() -> None:
    assert minimal_span([(0, 50), (48,)]) == 2
    assert minimal_span([(10,), (3,), (7,)]) == 7
    assert minimal_span([(1, 2, 3), (3,)]) == 0
    assert minimal_span([(5,), ()]) == math.inf
    assert minimal_span([(0, 100, 200), (150, 400), (190,)]) == 50


def test_choose_cover_covers_every_character_at_least_cost() -> None:
    # pairs 0..n-1 of a term of n + 1 characters; each choice covers two characters
    for costs in ([5], [5, 1], [1, 9, 1], [1, 9, 9, 1], [9, 1, 9, 1, 9], [3, 3, 3, 3, 3, 3]):
        cover = choose_cover(costs)
        assert cover[0] == 0 and cover[-1] == len(costs) - 1
        assert all(0 < b - a <= 2 for a, b in itertools.pairwise(cover))
        best = min(
            sum(costs[i] for i in c) for c in _all_covers(len(costs)) if c[-1] == len(costs) - 1
        )
        assert sum(costs[i] for i in cover) == best, costs
    assert choose_cover([1, 9, 1]) == [0, 2]


def _all_covers(n: int) -> list[list[int]]:
    out: list[list[int]] = []

    def walk(path: list[int]) -> None:
        if path[-1] == n - 1:
            out.append(path)
            return
        for step in (1, 2):
            if path[-1] + step < n:
                walk([*path, path[-1] + step])

    walk([0])
    return out


def test_ranking_on_a_built_site(tmp_path: Path) -> None:
    """End to end through the index: zones and counts come out of real speeches."""
    project = new_project(tmp_path / "p")
    body = "今天开会，研究部署工作。"
    speeches = [
        Speech("a-body-once", "甲会议讲话", [body + "优化营商环境。"]),
        Speech("b-body-thrice", "乙会议讲话", [body + "营商环境营商环境，营商环境。"]),
        Speech("c-heading", "丙会议讲话", ["## 一、持续优化营商环境", body]),
        Speech("d-title", "在优化营商环境大会上的讲话", [body]),
        Speech("e-none", "戊会议讲话", [body]),
        Speech("f-near", "己会议讲话", ["作风建设和营商环境。" + body * 8]),
        Speech("g-far", "庚会议讲话", ["作风建设。" + body * 8 + "营商环境。"]),
    ]
    for speech in speeches:
        write_speech(project, speech)
    reader = Reader(build(project) / "search")
    _, results = reader.search("营商环境")
    assert [r.doc for r in results] == [3, 2, 1, 0, 5, 6]
    _, results = reader.search("作风建设 营商环境")
    assert [r.doc for r in results] == [5, 6]
    _, results = reader.search("營商環境")
    assert [r.doc for r in results] == [3, 2, 1, 0, 5, 6]


def test_a_speakers_own_speeches_first_and_the_subtitle_and_date_found(tmp_path: Path) -> None:
    """A name's own speeches ranked below texts that mention it once; a subtitle and a date,
    which a page and a result show, were not found at all."""
    project = new_project(tmp_path / "p")
    mention = "会议传达了李克强同志的讲话精神。今天开会，研究部署工作。"
    speeches = [
        Speech("a-mentions", "关于政府工作报告的决议", [mention * 3]),
        Speech("b-mentions", "关于计划报告的决议", [mention * 2]),
        Speech("c-his", "政府工作报告", ["今天开会，研究部署工作。"], speaker="李克强"),
        Speech(
            "d-dated",
            "在全省大会上的讲话",
            ["今天开会，研究部署工作。"],
            date="2026-02-05",
            subtitle="——在安徽省第十四届人民代表大会第四次会议上",
        ),
    ]
    for speech in speeches:
        write_speech(project, speech)
    reader = Reader(build(project) / "search")
    assert [r.doc for r in reader.search("李克强")[1]] == [2, 0, 1]
    assert [r.doc for r in reader.search("2026年2月5日")[1]] == [3]
    assert [r.doc for r in reader.search("2026-02-05")[1]] == [3]
    assert [r.doc for r in reader.search("第十四届人民代表大会")[1]] == [3]

    # the forms documents and readers write a date in (probe 10 #14)
    for written in ("2026.02.05", "2026.2.5", "2026/2/5", "2026/02/05", "2026年02月05日"):
        assert [r.doc for r in reader.search(written)[1]] == [3], written
    assert reader.search("2026.2.50")[1] == []  # a number is found whole
    # and its result names them, so search.js can mark the date it shows (2026年2月5日)
    assert reader.fragment(3)["date"] == "2026年2月5日"
    assert "2026-02-05" in reader.fragment(3)["dates"]
    assert "2026年2月5日" not in reader.fragment(3)["dates"]
    assert "dates" not in reader.fragment(0)  # (an undated speech)


def test_a_phrase_has_the_title_bonus_only_where_it_is_in_the_title(tmp_path: Path) -> None:
    """2009年…'s title holds the pairs 20 and 00 of 2000, and its text the phrase: it took the
    title's bonus and ranked above the one report with 2000 in its title."""
    project = new_project(tmp_path / "p")
    write_speech(project, Speech("a-2009", "2009年政府工作报告", ["2000年以来，经济持续增长。"]))
    write_speech(project, Speech("b-2000", "2000年政府工作报告", ["今年经济持续增长。"]))
    reader = Reader(build(project) / "search")
    results = reader.search("2000")[1]
    assert [r.doc for r in results] == [1, 0]
    assert results[0].score > results[1].score + 500  # the title bonus is the 2000 report's


def test_an_english_site_finds_a_speech_by_the_date_its_pages_show(tmp_path: Path) -> None:
    """An English site shows February 5, 2026; the index held only 2026年2月5日 and
    2026-02-05, so the date as a reader saw it found nothing."""
    project = new_project(tmp_path / "p")
    config = project / "site.yaml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("language: zh-CN", "language: en"),
        encoding="utf-8",
    )
    write_speech(
        project, Speech("a-dated", "在全省大会上的讲话", ["今天开会。"], date="2026-02-05")
    )
    write_speech(
        project, Speech("b-other", "在全市大会上的讲话", ["今天开会。"], date="2026-03-05")
    )
    reader = Reader(build(project) / "search")
    assert [r.doc for r in reader.search("February 5")[1]] == [0]
    assert [r.doc for r in reader.search("2026年2月5日")[1]] == [0]
    assert [r.doc for r in reader.search("2026-02-05")[1]] == [0]
