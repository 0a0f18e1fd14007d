"""Reading a web page saved as one file (.mht, .mhtml): the page inside the MIME message, its
transfer encoding undone and its declared charset honoured, read as a saved .html page is.
Fixtures: tests/fixtures/mhtml/make.py (Chromium's "Webpage, single file"); IE's kind is written
here by hand."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest

from generator.errors import UserError
from generator.ingest.decode import read_source
from tests.conftest import ROOT
from tests.helpers import ingest_file, without_source

FIXTURES = ROOT / "tests" / "fixtures" / "mhtml"
PAGE = "<html><head><title>讲话</title></head><body><p>同志们：</p><p>今天召开全县作风整顿会议。</p></body></html>"


def mht(parts: list[tuple[str, bytes]], start: str | None = None) -> bytes:
    """A web archive as Internet Explorer saved one: multipart/related, each part base64."""
    head = 'MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary="XX"'
    head += f'; start="<{start}>"' if start else ""
    out = [head, "", "This is a multi-part message in MIME format.", ""]
    for headers, body in parts:
        out += ["--XX", headers, "Content-Transfer-Encoding: base64", ""]
        out += [base64.encodebytes(body).decode("ascii")]
    out += ["--XX--", ""]
    return "\r\n".join(out).encode("ascii")


def lines(tmp_path: Path, raw: bytes, name: str = "讲话.mht") -> tuple[list[str], str]:
    path = tmp_path / name
    path.write_bytes(raw)
    source = read_source(path)
    return [line.text for line in source.lines], source.encoding


def test_a_page_chromium_saved_as_one_file_reads_as_the_page_does(tmp_path: Path) -> None:
    from_archive, _ = ingest_file(tmp_path / "mhtml", FIXTURES / "page.mhtml", "讲话.mhtml")
    from_page, _ = ingest_file(tmp_path / "html", FIXTURES / "page.html", "讲话.html")
    assert without_source(from_archive) == without_source(from_page)
    assert "同志们：" in from_archive and "关于我们" not in from_archive  # (the site's footer)


def test_internet_explorer_s_gb2312_page_in_base64_is_read_in_its_charset(
    tmp_path: Path,
) -> None:
    page = PAGE.replace("作风", "镕基").encode("gbk")  # (镕: GBK, not GB2312, as IE wrote it)
    raw = mht([('Content-Type: text/html; charset="gb2312"', page)])
    shown, encoding = lines(tmp_path, raw)
    assert shown == ["同志们：", "今天召开全县镕基整顿会议。"]  # (the title is the head's)
    assert encoding == "gb18030, web archive"


def test_a_charset_the_bytes_are_not_in_is_read_past(tmp_path: Path) -> None:
    raw = mht([('Content-Type: text/html; charset="utf-8"', PAGE.encode("gbk"))])
    shown, _ = lines(tmp_path, raw)
    assert "今天召开全县作风整顿会议。" in shown


def test_the_page_the_archive_starts_with_is_read_not_a_frame_before_it(tmp_path: Path) -> None:
    frame = "<html><body><p>广告：会员资料免费领取</p></body></html>".encode()
    raw = mht(
        [
            ("Content-Type: text/html; charset=utf-8\r\nContent-ID: <frame>", frame),
            ("Content-Type: image/png\r\nContent-ID: <logo>", b"\x89PNG"),
            ("Content-Type: text/html; charset=utf-8\r\nContent-ID: <main>", PAGE.encode()),
        ],
        start="main",
    )
    shown, _ = lines(tmp_path, raw, "讲话.MHT")
    assert "今天召开全县作风整顿会议。" in shown and not any("广告" in s for s in shown)


def test_a_single_part_archive_in_quoted_printable_is_read(tmp_path: Path) -> None:
    body = "".join(f"={b:02X}" if b > 0x7E or b == 0x3D else chr(b) for b in PAGE.encode())
    raw = f"MIME-Version: 1.0\r\nContent-Type: text/html\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n{body}\r\n"
    shown, _ = lines(tmp_path, raw.encode("ascii"))
    assert "同志们：" in shown


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (PAGE.encode(), "not a web archive"),
        (mht([("Content-Type: image/png", b"\x89PNG")]), "holds no HTML page"),
        (mht([("Content-Type: text/html", b"   ")]), "page is empty"),
    ],
)
def test_a_file_that_is_no_web_archive_is_an_error_naming_it(
    tmp_path: Path, raw: bytes, message: str
) -> None:
    path = tmp_path / "讲话.mht"
    path.write_bytes(raw)
    with pytest.raises(UserError, match=message) as caught:
        read_source(path)
    assert caught.value.path == path and caught.value.hint
