"""Bare web addresses become links that end where the address does, not where the text does."""

from __future__ import annotations

import pytest

from generator.render.linkify import find_links
from generator.render.markdown import render_body, render_plain_subset


@pytest.mark.parametrize(
    ("text", "found"),
    [
        # Chinese text runs on with no space: the address ends at its last ASCII character
        ("详见https://www.gov.cn/a.html。下一步", ["https://www.gov.cn/a.html"]),
        ("网址https://example.com/查看详情", ["https://example.com/"]),
        # a sentence's punctuation is not the address's; a bracket it opens is
        ("see https://a.org/x. Then", ["https://a.org/x"]),
        ("(见 https://a.org/x_(y))", ["https://a.org/x_(y)"]),
        ("网站www.gov.cn，", ["www.gov.cn"]),
        ("HTTPS://A.COM/B?q=1&r=2!", ["HTTPS://A.COM/B?q=1&r=2"]),
        # no address: a scheme alone, www. with no domain, another scheme, a word before it
        ("格式是 https:// 加域名", []),
        ("www.abc 不是网址", []),
        ("javascript:alert(1) ftp://a.org", []),
        ("xhttps://a.org", []),
    ],
)
def test_addresses_found_in_running_text(text: str, found: list[str]) -> None:
    assert [link.text for link in find_links(text)] == found


def test_a_www_address_links_over_http() -> None:
    (link,) = find_links("见www.gov.cn。")
    assert (link.url, link.schema) == ("http://www.gov.cn", None)


def test_an_ingested_paragraph_with_an_address_links_it_whole() -> None:
    """Ingest escapes the address's _ * and &: the link still runs to its end, and its href
    and text are the address as written."""
    body = "详见网址：https://www.example.gov.cn/a\\_b/c\\*d.html?x=1\\&y=2，请查看。\n"
    assert render_plain_subset(body, "链接") is None  # (an address: markdown-it renders it)
    html = render_body(body).html
    address = "https://www.example.gov.cn/a_b/c*d.html?x=1&amp;y=2"
    assert f'详见网址：<a href="{address}" class="url">{address}</a>，请查看。' in html


def test_an_address_is_no_placeholder_and_the_text_around_it_still_is() -> None:
    html = render_body("XX同志 https://a.org/XX/xx.html 说\n").html
    assert html.count("<mark") == 1
    assert '<a href="https://a.org/XX/xx.html" class="url">https://a.org/XX/xx.html</a>' in html


def test_an_escaped_colon_and_a_written_link_stay_as_written() -> None:
    html = render_body("不链接 http\\://a.org 与 [链接](https://b.org)\n").html
    assert "http://a.org" in html and 'href="http://a.org"' not in html
    assert '<a href="https://b.org">链接</a>' in html


def test_an_address_in_a_list_a_quote_and_a_heading_links_too() -> None:
    html = render_body("## 见 https://h.org/a\n\n- 项 https://l.org/b\n\n> 引 www.q.org/c\n").html
    for address in (
        'href="https://h.org/a"',
        'href="https://l.org/b"',
        'href="http://www.q.org/c"',
    ):
        assert address in html


def test_the_searchable_text_keeps_the_address() -> None:
    body = render_body("详见https://www.gov.cn/a\\_b.html。\n")
    assert body.text == "详见https://www.gov.cn/a_b.html。"
