"""Decoding `.txt` speeches: encoding detected from bytes, line numbers kept, failures explained."""

from __future__ import annotations

import codecs
import hashlib
from pathlib import Path

import pytest

from generator.errors import UserError
from generator.ingest.decode import SourceLine, SourceText, read_source

HAILAR = Path("/work/shared/corpus/hailar-reports")

SIMPLIFIED = "各位代表：\n现在，我代表区政府向大会作工作报告，请予审议。\n"
TRADITIONAL = (
    "各位代表：\n現在，我代表市政府向大會報告工作，請予審議。過去一年，經濟發展取得新成績。\n"
)


def write(tmp_path: Path, data: bytes, name: str = "speech.txt") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def texts(source: SourceText) -> list[str]:
    return [line.text for line in source.lines]


def read_error(path: Path) -> UserError:
    with pytest.raises(UserError) as info:
        read_source(path)
    assert str(path) in str(info.value)
    return info.value


# --- encodings --------------------------------------------------------------------------------


def test_utf8_without_bom(tmp_path: Path) -> None:
    source = read_source(write(tmp_path, SIMPLIFIED.encode("utf-8")))
    assert source.encoding == "utf-8"
    assert texts(source) == ["各位代表：", "现在，我代表区政府向大会作工作报告，请予审议。"]


def test_ascii_counts_as_utf8(tmp_path: Path) -> None:
    assert read_source(write(tmp_path, b"Hello\nworld\n")).encoding == "utf-8"


def test_utf8_bom_is_reported_and_dropped(tmp_path: Path) -> None:
    source = read_source(write(tmp_path, codecs.BOM_UTF8 + SIMPLIFIED.encode("utf-8")))
    assert source.encoding == "utf-8-sig"
    assert source.lines[0].text == "各位代表："


@pytest.mark.parametrize(
    ("bom", "codec", "expected"),
    [
        (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16-be"),
        (codecs.BOM_UTF32_LE, "utf-32-le", "utf-32-le"),
        (codecs.BOM_UTF32_BE, "utf-32-be", "utf-32-be"),
    ],
)
def test_utf16_and_utf32_with_bom(tmp_path: Path, bom: bytes, codec: str, expected: str) -> None:
    source = read_source(write(tmp_path, bom + SIMPLIFIED.replace("\n", "\r\n").encode(codec)))
    assert source.encoding == expected
    assert texts(source) == SIMPLIFIED.splitlines()
    assert not source.lines[0].text.startswith("\ufeff")


def test_utf16_without_bom_is_recognised_by_nul_pattern(tmp_path: Path) -> None:
    text = "Speech by the mayor\r\n讲话稿 2019\r\nThank you.\r\n"
    source = read_source(write(tmp_path, text.encode("utf-16-le")))
    assert source.encoding == "utf-16-le"
    assert texts(source) == ["Speech by the mayor", "讲话稿 2019", "Thank you."]


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_chinese_utf16_without_bom(tmp_path: Path, codec: str) -> None:
    text = "\u3000\u3000一、过去一年工作回顾\r\n各位代表：现在，我代表区政府作报告。"
    source = read_source(write(tmp_path, text.encode(codec)))
    assert source.encoding == codec
    assert texts(source) == text.split("\r\n")


def test_gb2312(tmp_path: Path) -> None:
    source = read_source(write(tmp_path, SIMPLIFIED.encode("gb2312")))
    assert source.encoding == "gb2312"
    assert texts(source) == SIMPLIFIED.splitlines()


def test_a_utf8_bom_in_front_of_a_gb_file_is_dropped_and_the_body_read_as_gb(
    tmp_path: Path,
) -> None:
    """Some editors and converters put a UTF-8 BOM before text they leave in GBK: the body
    decides, and the encoding says so."""
    source = read_source(write(tmp_path, codecs.BOM_UTF8 + SIMPLIFIED.encode("gbk")))
    assert source.encoding == "gb2312, after a UTF-8 BOM"
    assert texts(source) == SIMPLIFIED.splitlines()
    damaged = codecs.BOM_UTF8 + "一\n".encode() + b"\xff\xfe\xfd\n"  # neither UTF-8 nor GB
    assert read_error(write(tmp_path, damaged, "damaged.txt")).line == 2


def test_gb2312_dash_and_middle_dot_read_as_chinese_editors_show_them(tmp_path: Path) -> None:
    # Python's gb2312 codec would give U+2015 and U+30FB for these two byte pairs.
    source = read_source(write(tmp_path, "——2016年2月 阿拉坦·巴根".encode("gbk")))
    assert source.encoding == "gb2312"
    assert source.lines[0].text == "——2016年2月 阿拉坦·巴根"


def test_gbk_only_characters(tmp_path: Path) -> None:
    text = "朱镕基同志和陶喆先生出席会议。\n"
    data = text.encode("gbk")
    with pytest.raises(UnicodeDecodeError):
        data.decode("gb2312")
    source = read_source(write(tmp_path, data))
    assert source.encoding == "gbk"
    assert texts(source) == [text.strip()]


def test_gb18030_four_byte_characters(tmp_path: Path) -> None:
    text = "各位代表：这个字是𠀀，请大家注意。\n"
    data = text.encode("gb18030")
    with pytest.raises(UnicodeDecodeError):
        data.decode("gbk")
    source = read_source(write(tmp_path, data))
    assert source.encoding == "gb18030"
    assert texts(source) == [text.strip()]


def test_hz_seven_bit_gb_is_read_as_chinese(tmp_path: Path) -> None:
    """Probe 12: an HZ file (GB2312 between ~{ and ~}, all ASCII) was read as UTF-8, a page of
    ~{TZ:#@-6{…~}, and refused for want of a title."""
    source = read_source(write(tmp_path, SIMPLIFIED.encode("hz")))
    assert source.encoding == "hz"
    assert texts(source) == SIMPLIFIED.splitlines()


def test_ascii_with_a_tilde_brace_is_still_ascii(tmp_path: Path) -> None:
    source = read_source(write(tmp_path, b"a ~{ b ~} c\n"))
    assert source.encoding == "utf-8"
    assert texts(source) == ["a ~{ b ~} c"]


def test_a_gbk_file_with_utf8_lines_pasted_in_reads_each_line_in_its_own(tmp_path: Path) -> None:
    """Probe 12: neither UTF-8 nor GB18030 read the whole file, which was refused with advice to
    save it as UTF-8 (an editor that misread it would garble one part or the other)."""
    lines = ["在全县经济工作会议上的讲话", "同志们：", "今天召开全县经济工作会议。", "一、总体要求"]
    data = b"".join(
        (line + "\r\n").encode("utf-8" if n == 2 else "gbk") for n, line in enumerate(lines)
    )
    for codec in ("utf-8", "gb18030"):
        with pytest.raises(UnicodeDecodeError):
            data.decode(codec)
    source = read_source(write(tmp_path, data))
    assert source.encoding == "gb18030, with UTF-8 lines"
    assert texts(source) == lines


def test_big5_traditional(tmp_path: Path) -> None:
    source = read_source(write(tmp_path, TRADITIONAL.encode("big5")))
    assert source.encoding == "big5"
    assert texts(source) == TRADITIONAL.splitlines()


def test_big5_chosen_over_gbk_when_both_decode(tmp_path: Path) -> None:
    text = "中華民國總統就職演說"
    data = text.encode("big5")
    assert data.decode("gbk") != text  # both decode strictly: the scorer has to choose
    source = read_source(write(tmp_path, data))
    assert source.encoding == "big5"
    assert source.lines[0].text == text


def test_gb_chosen_over_big5_when_both_decode(tmp_path: Path) -> None:
    text = "政府工作报告"
    data = text.encode("gb2312")
    assert data.decode("big5") != text  # both decode strictly: the scorer has to choose
    source = read_source(write(tmp_path, data))
    assert source.encoding == "gb2312"
    assert source.lines[0].text == text


def test_encoding_comes_from_bytes_not_name(tmp_path: Path) -> None:
    source = read_source(write(tmp_path, SIMPLIFIED.encode("gbk"), name="utf8-version.TXT"))
    assert source.encoding == "gb2312"


def test_sha256_is_of_raw_bytes(tmp_path: Path) -> None:
    data = SIMPLIFIED.encode("gbk")
    assert read_source(write(tmp_path, data)).sha256 == hashlib.sha256(data).hexdigest()


# --- lines ------------------------------------------------------------------------------------


def test_crlf_cr_lf_and_unicode_separators_all_break_lines(tmp_path: Path) -> None:
    data = "一\r\n二\r三\n\n五\u2028六\u2029七".encode()
    source = read_source(write(tmp_path, data))
    assert source.lines == (
        SourceLine("一", 1),
        SourceLine("二", 2),
        SourceLine("三", 3),
        SourceLine("", 4),
        SourceLine("五", 5),
        SourceLine("六", 6),
        SourceLine("七", 7),
    )


def test_final_line_break_does_not_add_a_line(tmp_path: Path) -> None:
    source = read_source(write(tmp_path, "一\r\n二\r\n\r\n".encode("gbk")))
    assert [(line.line, line.text) for line in source.lines] == [(1, "一"), (2, "二"), (3, "")]


def test_text_is_not_cleaned(tmp_path: Path) -> None:
    line = "\u3000\u3000各位代表:  \t"
    source = read_source(write(tmp_path, (line + "\n \n").encode("utf-8")))
    assert texts(source) == [line, " "]
    assert all(ln.heading_level is None for ln in source.lines)


@pytest.mark.skipif(not HAILAR.is_dir(), reason="shared corpus not available")
def test_real_gbk_report_with_crlf() -> None:
    path = HAILAR / "2012.txt"
    raw = path.read_bytes()
    source = read_source(path)
    assert source.encoding in ("gbk", "gb2312")
    assert source.lines[0] == SourceLine("政 府 工 作 报 告", 1)
    assert len(source.lines) == len(raw.decode("gbk").splitlines())
    assert any(line.text.endswith("各位代表：") for line in source.lines)
    assert not any("\r" in line.text for line in source.lines)
    assert "海拉尔区人民政府区长" in "".join(texts(source))


# --- failures ---------------------------------------------------------------------------------


def test_empty_file(tmp_path: Path) -> None:
    err = read_error(write(tmp_path, b""))
    assert "empty" in err.message


@pytest.mark.parametrize(
    "data",
    [b" \r\n\t\r\n", "\u3000\u3000\n".encode(), codecs.BOM_UTF8, codecs.BOM_UTF8 + b"\n  \n"],
    ids=["spaces", "ideographic-spaces", "bom-only", "bom-and-blank-lines"],
)
def test_whitespace_only_file(tmp_path: Path, data: bytes) -> None:
    err = read_error(write(tmp_path, data))
    assert "whitespace" in err.message


@pytest.mark.parametrize(
    ("data", "word"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "PDF"),
        (b"PK\x03\x04\x14\x00\x06\x00", "ZIP"),
        ("讲话稿".encode() + b"\x00" * 9 + b" more", "NUL"),
        ("讲话稿".encode() + b"\x00\x00\x01\x02 more", "binary"),
        (b"\x01\x02\x03\x04\x05\x06\x07\x08abc", "binary"),
    ],
    ids=["png", "pdf", "zip", "nul", "nul-and-controls", "controls"],
)
def test_binary_files_are_refused(tmp_path: Path, data: bytes, word: str) -> None:
    err = read_error(write(tmp_path, data))
    assert word in err.message


def test_a_few_stray_nul_bytes_are_dropped_and_named(tmp_path: Path) -> None:
    """An editor's NUL padding at the end, or a stray NUL a copy left in the text, makes no
    binary file: the text is read without them and the encoding's name says so."""
    text = "在全县茶叶节开幕式上的致辞\n同志们：\n今天，茶叶节隆重开幕。\n"
    for data, removed in (
        (text.encode() + b"\x00" * 64, "64 NUL bytes removed"),
        (
            text.encode("gb18030").replace("今天".encode("gb18030"), b"\x00\xbd\xf1\xcc\xec"),
            "1 NUL byte",
        ),
    ):
        source = read_source(write(tmp_path, data))
        assert [line.text for line in source.lines][:3] == text.splitlines()
        assert removed in source.encoding


def test_undecodable_bytes_name_line_and_offset(tmp_path: Path) -> None:
    prefix = "第一行\n第二行\r\n第三行开头".encode()
    data = prefix + b"\xff\xfe\xfd" + "结尾\n第四行\n".encode()
    for codec in ("gb18030", "big5"):
        with pytest.raises(UnicodeDecodeError):
            data.decode(codec)
    err = read_error(write(tmp_path, data))
    assert err.line == 3
    assert f"byte offset {len(prefix)}" in err.message
    assert "0xff" in err.message
    assert err.hint is not None and "UTF-8" in err.hint and "GB18030" in err.hint
    assert ":3:" in str(err)


def test_damaged_gb_file_points_at_the_damage_not_the_first_hanzi(tmp_path: Path) -> None:
    prefix = "各位代表：\r\n现在，我代表区政府".encode("gbk")
    data = prefix + b"\xff" + "向大会作报告。\r\n".encode("gbk")
    err = read_error(write(tmp_path, data))
    assert err.line == 2
    assert f"byte offset {len(prefix)}" in err.message


def test_bad_utf16_after_bom(tmp_path: Path) -> None:
    data = codecs.BOM_UTF16_LE + "一\n二\n".encode("utf-16-le") + b"\x00\xdc"  # lone surrogate
    err = read_error(write(tmp_path, data))
    assert err.line == 3


@pytest.mark.parametrize("name", ["speech.mdx", "speech.text", "speech.pages", "speech"])
def test_unsupported_extension(tmp_path: Path, name: str) -> None:
    err = read_error(write(tmp_path, SIMPLIFIED.encode(), name=name))
    assert err.hint is not None
    assert all(
        kind in err.hint for kind in (".txt", ".md", ".docx", ".odt", ".rtf", ".pdf", ".html")
    )


def test_a_doc_that_is_only_a_header_gets_a_resave_hint(tmp_path: Path) -> None:
    err = read_error(write(tmp_path, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", name="speech.doc"))
    assert err.hint is not None and ".docx" in err.hint


def test_missing_file(tmp_path: Path) -> None:
    err = read_error(tmp_path / "nope.txt")
    assert "not found" in err.message


def test_a_web_page_is_read_as_its_visible_text(tmp_path: Path) -> None:
    """A page saved as .html, or its source pasted into a .txt: blocks end lines, inline tags
    do not, entities are decoded, and what a browser does not show as text (the head, script,
    style, menus) is left out. Each line keeps the source line it starts on."""
    page = (
        "<!DOCTYPE html>\n<html><head><title>标题_某网站</title>\n"
        "<script>var x = '<p>不是正文</p>';</script></head>\n<body><nav>首页 | 新闻</nav>\n"
        "<h1>在全县大会上的讲话</h1>\n<p>同志们：</p><p>今天&nbsp;召开<b>大会</b>，<br>部署工作。</p>\n"
        "<style>p { color: red }</style><pre>第一行\n第二行</pre></body></html>\n"
    )
    for name in ("page.html", "page.txt"):
        source = read_source(write(tmp_path, page.encode("gb18030"), name))
        assert [line.text for line in source.hidden][:1] == ["标题_某网站"]
        assert [(line.text, line.line) for line in source.lines] == [
            ("在全县大会上的讲话", 5),
            ("同志们：", 6),
            ("今天\xa0召开大会，", 6),
            ("部署工作。", 6),
            ("第一行", 7),
            ("第二行", 8),
        ]
        assert source.encoding.endswith("HTML page")


def test_a_menu_no_nav_element_marks_is_left_out_and_its_title_is_the_pages(
    tmp_path: Path,
) -> None:
    """A site's menu in a plain <div> (首页 政务公开 互动交流: short links and nothing else) is
    left out and listed; it was the page's first line of text, and so its title (the real
    one, the <h1>, read as the subtitle). A line with text outside its links (分享到：微信 微博),
    a paragraph with a link in it and a list of linked titles, one to a line, stay lines."""
    page = (
        "<html><body><div class='header'><a href='/'>首页</a> <a href='/zw/'>政务公开</a>"
        " <a href='/hd/'>互动交流</a></div>\n<h1>在全县大会上的讲话</h1>\n"
        "<div>分享到：<a>微信</a> <a>微博</a></div>\n"
        "<p>同志们：学习<a href='/a'>《意见》</a>和<a href='/b'>《通知》</a>。</p>\n"
        "<ul><li><a href='/1'>在全县经济工作会议上的讲话</a></li></ul></body></html>"
    )
    source = read_source(write(tmp_path, page.encode(), "page.html"))
    assert [(line.text, line.line) for line in source.menus] == [("首页 政务公开 互动交流", 1)]
    assert [line.text for line in source.lines] == [
        "在全县大会上的讲话",
        "分享到：微信 微博",
        "同志们：学习《意见》和《通知》。",
        "在全县经济工作会议上的讲话",
    ]
    from generator.config import load_config
    from generator.ingest.pipeline import prepare

    prepared = prepare(tmp_path / "page.html", load_config(tmp_path))
    assert prepared.meta.title == "在全县大会上的讲话"
    assert ("首页 政务公开 互动交流", "web page menu") in [
        (r.text, r.reason) for r in prepared.removed
    ]


# Phrases whose UTF-8 bytes all read as GBK: their mojibake can be undone without loss.
_WHOLE = ["狠抓工作落实", "提高政治站位", "强化责任担当"]


def test_utf8_read_as_gbk_and_saved_again_is_repaired_when_nothing_was_lost(
    tmp_path: Path,
) -> None:
    garbled = "\n".join(p.encode("utf-8").decode("gbk") for p in _WHOLE)  # 鐙犳姄宸ヤ綔…
    path = tmp_path / "garbled.txt"
    path.write_text(garbled + "\n", encoding="utf-8")
    source = read_source(path)
    assert [line.text for line in source.lines] == _WHOLE
    assert source.encoding == "utf-8, mojibake repaired (UTF-8 read as GBK)"


def test_utf8_read_as_gbk_with_bytes_lost_is_refused_not_published(tmp_path: Path) -> None:
    """Bytes GBK could not read became �, and the characters around them are gone: the file
    is refused with what it was, not ingested as a speech of rare characters."""
    text = (
        "在全市创建全国文明城市动员大会上的讲话\n同志们：\n今天召开全市创建全国文明城市动员大会。\n"
    )
    path = tmp_path / "garbled.txt"
    path.write_text(text.encode("utf-8").decode("gbk", errors="replace"), encoding="utf-8")
    with pytest.raises(UserError, match=r"garbled text: UTF-8 that was read as GBK") as caught:
        read_source(path)
    assert caught.value.line == 1
    assert "was 在全市创建全国文明城市" in str(caught.value)


def test_traditional_and_rare_characters_are_not_taken_for_mojibake(tmp_path: Path) -> None:
    path = tmp_path / "speech.txt"
    text = "在全縣經濟工作會議上的講話\n各位代表：\n饕餮、魑魅魍魎、耄耋之年，都是古書中的詞。\n"
    path.write_text(text, encoding="utf-8")
    assert [line.text for line in read_source(path).lines][:2] == [
        "在全縣經濟工作會議上的講話",
        "各位代表：",
    ]


def test_gbk_with_windows_quotes_is_read_not_garbled(tmp_path: Path) -> None:
    """A GBK file holding Windows-1252 curly quotes (0x93, 0x94: a Western tool's “smart
    quotes”): GB18030 read each quote as the first half of a pair, and “学习贯彻” was published
    as 撗肮岢箶 — or, in a longer file, the file was refused at byte 0."""
    text = "在全县党建工作会议上的讲话\r\n同志们：\r\n要深入开展{学习贯彻}主题教育。\r\n"
    data = text.encode("gbk").replace(b"{", b"\x93").replace(b"}", b"\x94")
    source = read_source(write(tmp_path, data))
    assert texts(source)[2] == "要深入开展“学习贯彻”主题教育。"
    assert source.encoding == "gbk, with Windows-1252 quotes"
    long = (text * 40).encode("gbk").replace(b"{", b"\x93").replace(b"}", b"\x94")
    assert texts(read_source(write(tmp_path, long)))[-1] == "要深入开展“学习贯彻”主题教育。"
    # GBK characters whose first byte is one of those marks' stay themselves: 昇 (95 4E) was
    # read as • and N, and 刘昇 published as 刘•N
    named = (
        ("县长刘昇的讲话\r\n" + text).encode("gbk").replace(b"{", b"\x93").replace(b"}", b"\x94")
    )
    assert texts(read_source(write(tmp_path, named)))[0] == "县长刘昇的讲话"


@pytest.mark.parametrize(
    ("text", "codec"),
    [
        (
            "縣長在縣政府年終記者會上的講話\n各位媒體朋友：\n在這裏，我要感謝全體縣民的支持。\n",
            "cp950",
        ),
        (
            "在社區關愛計劃啟動禮上的致辭\n各位街坊：\n今日，我們在鰂魚涌的屋邨舉行啟動禮。\n",
            "big5hkscs",
        ),
    ],
    ids=["windows-big5", "hong-kong-big5"],
)
def test_big5_variants_of_windows_and_hong_kong(tmp_path: Path, text: str, codec: str) -> None:
    """裏 is only in Windows' Big5 (cp950), 邨 and 鰂 only in Hong Kong's (HKSCS): strict
    Big5 refused both files, pointing at byte 0."""
    with pytest.raises(UnicodeDecodeError):
        text.encode(codec).decode("big5")
    source = read_source(write(tmp_path, text.encode(codec)))
    assert texts(source) == text.splitlines()
    assert source.encoding == codec


def test_two_stray_controls_in_a_short_speech_are_no_binary_file(tmp_path: Path) -> None:
    text = "在全县科技创新大会上的讲话\n同志们：\n科技\x01创新是发展的第一动力。\x07\n"
    assert texts(read_source(write(tmp_path, text.encode()))) == text.splitlines()


def test_an_error_points_at_the_bad_byte_as_gbk_reads_it(tmp_path: Path) -> None:
    """GB18030 reads pairs GBK has no character for as private-use ones (a file of them is
    refused) and UTF-8 fails at the first hanzi: GBK's view names the line the damage is on
    (the error said line 1, byte 0)."""
    head = "在全县党建工作会议上的讲话\n同志们：\n今天召开会议。\n要抓好落实。\n要".encode("gbk")
    data = head + b"\xa7\xcf" * 3 + "深入开展主题教育。\n".encode("gbk") * 30
    err = read_error(write(tmp_path, data))
    assert err.line == 5
    assert f"byte offset {len(head)}" in err.message


REVIEW_2016 = (
    "各位代表：\n现在，我代表海拉尔区人民政府向大会作工作报告，并请区政协委员和列席会议的同志提出意见。\n"
    "{十二五}时期，是我区发展极不平凡的五年。按照自治区党委{8337}发展思路要求，围绕{两个中心}建设，"
    "主动适应经济发展新常态~有效应对各种风险和挑战。\n"
)


def test_utf8_with_a_few_windows_1252_quotes_is_read_not_refused(tmp_path: Path) -> None:
    """Probe 15 A7: a UTF-8 file with a Western editor's smart quotes and dash (0x93, 0x94, 0x97)
    among its characters was refused over them. Each stands alone among valid UTF-8: read as the
    mark it is, and the encoding says so."""
    data = REVIEW_2016.encode().replace(b"{", b"\x93").replace(b"}", b"\x94").replace(b"~", b"\x97")
    source = read_source(write(tmp_path, data))
    assert texts(source)[2].startswith(
        "“十二五”时期，是我区发展极不平凡的五年。按照自治区党委“8337”"
    )
    assert "新常态—有效应对" in texts(source)[2]
    assert source.encoding == "utf-8, with Windows-1252 quotes"
    nbsp = REVIEW_2016.replace("{", "“").replace("}", "”").encode().replace(b"~", b"\xa0")
    source = read_source(write(tmp_path, nbsp))
    assert "新常态\u00a0有效应对" in texts(source)[2]
    assert source.encoding == "utf-8, with Windows-1252 characters"


def test_utf8_with_bytes_side_by_side_or_many_is_still_refused(tmp_path: Path) -> None:
    """No stray byte: two bad bytes together (a character cut short, a GB pair), or more than a
    few beside the UTF-8 characters."""
    pair = REVIEW_2016.encode().replace(b"{", b"\x93\x94")
    assert "0x93" in read_error(write(tmp_path, pair)).message
    many = ("一\x93" * 10).encode().replace("\x93".encode(), b"\x93")
    read_error(write(tmp_path, many))


@pytest.mark.parametrize("codec", ["utf-32-be", "utf-32-le"])
def test_utf32_without_bom_is_read_not_called_binary(tmp_path: Path, codec: str) -> None:
    """Probe 15 A7: UTF-32 without a BOM — every character four bytes, two or three of them NUL —
    was refused as a binary file."""
    text = REVIEW_2016.replace("{", "“").replace("}", "”").replace("~", "，")
    source = read_source(write(tmp_path, text.encode(codec)))
    assert source.encoding == codec
    assert texts(source) == text.splitlines()


def test_radical_forms_from_a_pdf_are_read_as_the_characters_they_stand_for(
    tmp_path: Path,
) -> None:
    """Text copied from a PDF holds Kangxi radicals and compatibility ideographs where the
    font drew common characters (⼀ U+2F00 for 一, ⼯ for 工, U+F9B4 for 領): they look the same,
    but ⼀、 was no outline label and 工作 found nothing. Read as the characters, the encoding
    saying how many; a text without them is as it was, and a radical with no character of its
    own (⺮) and an ideograph of the compatibility block that is one (﨑 U+FA11) stay."""
    raw = "在全县⼯作会议上的讲话\n⼀、提⾼认识\n\uf9b4星⺮，﨑\n".encode()
    source = read_source(write(tmp_path, raw))
    assert texts(source) == ["在全县工作会议上的讲话", "一、提高认识", "領星⺮，﨑"]
    assert source.encoding == "utf-8, 4 radical forms read as characters"
    plain = read_source(write(tmp_path, "一、提高认识\n".encode(), "plain.txt"))
    assert plain.encoding == "utf-8"


def test_radical_forms_in_a_word_file_are_read_as_characters(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("⼆、狠抓落实")
    document.add_paragraph("要⼀以贯之。")
    path = tmp_path / "speech.docx"
    document.save(str(path))
    source = read_source(path)
    assert texts(source) == ["二、狠抓落实", "要一以贯之。"]
    assert source.encoding == "docx, 2 radical forms read as characters"


KOREAN = "전국 안전생산 회의 연설\n여러분, 안녕하십니까. 오늘 회의를 개최합니다. 안전은 무엇보다 중요합니다.\n각 부서는 책임을 다해야 합니다. 사고 예방에 최선을 다해 주십시오.\n"
JAPANESE = (
    "全県安全生産工作会議における市長挨拶\n皆さん、こんにちは。本日は会議を開催し、昨年の取り組みを"
    "総括するとともに、今年の重点課題について申し上げます。安全生産は何よりも重要であり、各部門は"
    "責任を持って取り組まなければなりません。\n"
)


@pytest.mark.parametrize(
    ("text", "encoding", "read_as"),
    [(KOREAN, "euc_kr", "cp949"), (JAPANESE, "shift_jis", "cp932"), (JAPANESE, "euc_jp", "euc_jp")],
    ids=["euc-kr", "shift-jis", "euc-jp"],
)
def test_a_japanese_or_korean_file_in_its_legacy_encoding_is_read_in_it(
    tmp_path: Path, text: str, encoding: str, read_as: str
) -> None:
    """EUC-KR, Shift-JIS and EUC-JP bytes decode as GB18030 without an error, into rare
    characters (a Korean speech was once written as Chinese nobody can read, 傈惫救傈积…, then
    refused with "save it as UTF-8"): a guest's speech is read in its own encoding."""
    path = tmp_path / "speech.txt"
    path.write_bytes(text.encode(encoding))
    source = read_source(path)
    assert "\n".join(line.text for line in source.lines).strip() == text.strip()
    assert source.encoding == read_as


RUSSIAN = (
    "Выступление на международной ярмарке в Хайларе\n"
    "Уважаемые гости! Мы рады приветствовать вас на международной ярмарке в Хайларе. Уже "
    "тридцать лет ярмарка собирает торговцев и инвесторов со всего региона в нашем городе, и мы "
    "сдержим обещание, данное каждому партнёру. Мировая экономика медленно восстанавливается, "
    "и торговля снова растёт.\n"
)


@pytest.mark.parametrize("encoding", ["cp1251", "koi8_r"])
def test_a_russian_file_in_windows_1251_or_koi8_r_is_read_in_it(
    tmp_path: Path, encoding: str
) -> None:
    """A guest's speech at a border city's fair, saved on a Russian Windows: it was "not valid
    UTF-8, GBK/GB18030 or Big5"."""
    path = tmp_path / "speech.txt"
    path.write_bytes(RUSSIAN.encode(encoding))
    source = read_source(path)
    assert "\n".join(line.text for line in source.lines).strip() == RUSSIAN.strip()
    assert source.encoding == encoding


def test_chinese_read_as_korean_has_no_spaces_and_is_not_taken_for_it(tmp_path: Path) -> None:
    """Code page 949 reads most GBK byte pairs as Hangul, KOI8-R all of them as Cyrillic and box
    drawing: a GBK file with a broken byte, which no Chinese encoding reads, is an error naming
    the byte, not a Korean or Russian text."""
    chinese = LONG_SIMPLIFIED.encode("gbk") * 3
    path = tmp_path / "speech.txt"
    path.write_bytes(chinese[:61] + b"\xff" + chinese[61:])
    with pytest.raises(UserError) as caught:
        read_source(path)
    assert "cannot decode" in caught.value.message


def test_a_text_no_east_asian_encoding_reads_is_refused_not_garbled(tmp_path: Path) -> None:
    """Korean with too few Hangul to tell (a line of Hanja and a name) stays refused."""
    path = tmp_path / "speech.txt"
    hanja = "大韓民國 國會 議長 演說文 " * 10 + "\n" + "김\n"
    path.write_bytes(hanja.encode("euc_kr"))
    with pytest.raises(UserError) as caught:
        read_source(path)
    assert "does not read as Chinese" in caught.value.message


LONG_SIMPLIFIED = (
    "在全县安全生产工作会议上的讲话\n同志们：今天召开全县安全生产工作会议，主要任务是总结去年工作，"
    "部署今年任务。各级各部门要切实扛起安全生产政治责任，确保全县安全生产形势持续稳定。\n"
)
LONG_TRADITIONAL = (
    "在全縣安全生產工作會議上的講話\n同志們：今天召開全縣安全生產工作會議，主要任務是總結去年工作，"
    "部署今年任務。各級各部門要切實扛起安全生產政治責任，確保全縣安全生產形勢持續穩定。\n"
)


@pytest.mark.parametrize(
    ("text", "encoding"), [(LONG_SIMPLIFIED, "gbk"), (LONG_TRADITIONAL, "big5")]
)
def test_everyday_chinese_in_gbk_and_big5_is_read_as_it_is(
    tmp_path: Path, text: str, encoding: str
) -> None:
    path = tmp_path / "speech.txt"
    path.write_bytes(text.encode(encoding))
    assert "".join(line.text for line in read_source(path).lines) == text.replace("\n", "")
