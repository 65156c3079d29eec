"""Reading real and damaged exports: what is recovered (and said), what is refused (with the line)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from editor.core.wxr import WxrRefused
from editor.core.wxr.reader import WxrReader
from tests.core.wxr.conftest import comment_xml, item_xml, write, wxr_xml


def read_all(path: Path) -> tuple[WxrReader, Counter[str], int]:
    reader = WxrReader(path)
    types: Counter[str] = Counter()
    comments = 0
    for item in reader.items():
        types[item.get("wp:post_type")] += 1
        comments += len(item.comments)
    return reader, types, comments


@pytest.mark.parametrize(
    ("name", "expected_types", "expected_comments", "authors"),
    [
        (
            "themeunittestdata.wordpress.xml",
            {"post": 58, "page": 21, "attachment": 37, "nav_menu_item": 70},
            33,
            2,
        ),
        (
            "a11y-theme-unit-test-data.xml",
            {"post": 47, "page": 18, "attachment": 39, "nav_menu_item": 50},
            29,
            0,
        ),
        (
            "64-block-test-data.xml",
            {"post": 61, "page": 1, "attachment": 9, "wp_navigation": 1},
            2,
            2,
        ),
        ("theme-preview.xml", {"post": 7}, 2, 0),
    ],
)
def test_shared_exports_read_completely(
    wxr_dir: Path, name: str, expected_types: dict[str, int], expected_comments: int, authors: int
) -> None:
    reader, types, comments = read_all(wxr_dir / name)
    assert dict(types) == expected_types
    assert comments == expected_comments
    assert len(reader.channel.authors) == authors
    assert reader.channel.wxr_version == "1.2"
    assert reader.recovered == []


def test_http_and_https_namespaces_read_the_same(wxr_dir: Path, tmp_path: Path) -> None:
    original = (wxr_dir / "themeunittestdata.wordpress.xml").read_bytes()
    assert b'xmlns:wp="https://wordpress.org/export/1.2/"' in original
    http = write(
        tmp_path / "http.xml",
        original.replace(b"https://wordpress.org/export/", b"http://wordpress.org/export/"),
    )
    _reader, https_types, https_comments = read_all(wxr_dir / "themeunittestdata.wordpress.xml")
    _reader, http_types, http_comments = read_all(http)
    assert http_types == https_types and http_comments == https_comments == 33


@pytest.mark.parametrize("version", ["1.0", "1.1", "1.2"])
def test_every_wxr_version_is_read(tmp_path: Path, version: str) -> None:
    path = write(
        tmp_path / "export.xml",
        wxr_xml(
            [item_xml(1, comments=[comment_xml(5)]), item_xml(2)], version=version, scheme="http"
        ),
    )
    reader, types, comments = read_all(path)
    assert types == {"post": 2} and comments == 1
    assert reader.channel.wxr_version == version
    assert reader.channel.namespace_version == version


def test_undeclared_atom_prefix_is_declared_and_reported(tmp_path: Path) -> None:
    atom = '<atom:link rel="search" type="application/opensearchdescription+xml" href="https://news.example.org/osd.xml" title="News" />'
    path = write(tmp_path / "wpcom.xml", wxr_xml([item_xml(1)], channel_extra=atom + atom))
    reader, types, _comments = read_all(path)
    assert types == {"post": 1}
    assert reader.recovered == [
        "declared the atom: prefix the export uses without declaring it (2 atom elements)"
    ]


def test_declared_atom_prefix_needs_no_recovery(tmp_path: Path) -> None:
    path = write(
        tmp_path / "declared.xml",
        wxr_xml(
            [item_xml(1)],
            root_extra=' xmlns:atom="http://www.w3.org/2005/Atom"',
            channel_extra='<atom:link rel="self" href="https://news.example.org/feed" />',
        ),
    )
    reader, _types, _comments = read_all(path)
    assert reader.recovered == []


def test_characters_xml_forbids_are_removed_and_reported(tmp_path: Path) -> None:
    text = wxr_xml(
        [item_xml(1, content="<p>Tab\x0bbed and\x1f unit &#x1F;separated &#11;text</p>")]
    )
    line = text[: text.index("Tab")].count("\n") + 1
    path = write(tmp_path / "control.xml", text)
    reader = WxrReader(path)
    [item] = list(reader.items())
    assert item.get("content:encoded") == "<p>Tabbed and unit separated text</p>"
    assert reader.recovered == [
        f"removed 4 characters XML does not allow (U+000B at line {line}, U+001F at line {line}, "
        f"&#x1F; at line {line}, &#11; at line {line})"
    ]


def test_character_reference_split_across_reads_is_still_removed(tmp_path: Path) -> None:
    filler = "x" * (65536 - 200)
    text = wxr_xml([item_xml(1, content=filler + "&#x0B;" * 40)])
    path = write(tmp_path / "split.xml", text)
    reader = WxrReader(path)
    [item] = list(reader.items())
    assert item.get("content:encoded") == filler
    assert "removed 40 characters" in reader.recovered[0]


def test_truncated_export_is_refused_with_its_last_line(wxr_dir: Path, tmp_path: Path) -> None:
    original = (wxr_dir / "themeunittestdata.wordpress.xml").read_bytes()
    cut = original[: len(original) * 3 // 5]
    path = write(tmp_path / "truncated.xml", cut)
    with pytest.raises(WxrRefused) as refused:
        read_all(path)
    assert "truncated" in refused.value.reason
    assert refused.value.line == cut.count(b"\n") + 1


def test_export_broken_in_the_middle_is_refused_with_the_line(
    wxr_dir: Path, tmp_path: Path
) -> None:
    lines = (wxr_dir / "themeunittestdata.wordpress.xml").read_text(encoding="utf-8").split("\n")
    broken_at = lines.index("\t<title>Template: Comments</title>")
    lines[broken_at] = "\t<title>Template: Comments</titel>"
    path = write(tmp_path / "broken.xml", "\n".join(lines))
    with pytest.raises(WxrRefused) as refused:
        read_all(path)
    assert refused.value.line == broken_at + 1
    assert "not well-formed" in str(refused.value) and "titel" in str(refused.value)
    assert str(refused.value).startswith(f"line {broken_at + 1}: ")


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "the file is empty"),
        (b'<?xml version="1.0"?>\n<html><body>Hello</body></html>', "root element is <html>"),
        (b'<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY a "b">]>\n<rss/>', "DOCTYPE"),
        (
            b'<?xml version="1.0"?>\n<rss version="2.0"><channel><item><title>x</title></item></channel></rss>',
            "RSS feed",
        ),
        (
            b'<?xml version="1.0"?>\n<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/"',
            "truncated",
        ),
        (b"\xff\xfe<\x00r\x00s\x00s\x00", "UTF-16"),
    ],
)
def test_files_that_are_not_exports_are_refused(
    tmp_path: Path, content: bytes, reason: str
) -> None:
    path = write(tmp_path / "not-an-export.xml", content)
    with pytest.raises(WxrRefused, match=reason):
        read_all(path)


def test_undeclared_wp_prefix_is_refused_not_guessed(tmp_path: Path) -> None:
    text = wxr_xml([item_xml(1)]).replace(' xmlns:wp="https://wordpress.org/export/1.2/"', "")
    path = write(tmp_path / "no-wp.xml", text)
    with pytest.raises(WxrRefused, match="Namespace prefix wp") as refused:
        read_all(path)
    assert refused.value.line is not None


def test_markup_outside_cdata_is_read_back_as_html(tmp_path: Path) -> None:
    text = wxr_xml([item_xml(1)]).replace(
        "<content:encoded><![CDATA[<p>Body.</p>]]></content:encoded>",
        "<content:encoded><p>Body with <em>emphasis</em>.</p></content:encoded>",
    )
    [item] = list(WxrReader(write(tmp_path / "xhtml.xml", text)).items())
    assert item.get("content:encoded") == "<p>Body with <em>emphasis</em>.</p>"
