"""``newsdesk import-wxr`` and ``export-wxr``: summary on stdout, progress on stderr, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from editor.cli import EXIT_OK, EXIT_REFUSED, main


def test_import_then_export(
    wxr_dir: Path, sqlite_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["--store", sqlite_url, "import-wxr", str(wxr_dir / "theme-preview.xml")])
    out, err = capsys.readouterr()
    assert code == EXIT_OK
    assert out.startswith("Imported https://wp-themes.com (WXR 1.2): 7 posts, 0 pages")
    assert "reading:" in err and "done: 100%" in err
    code = main(["--store", sqlite_url, "export-wxr", str(tmp_path / "out.xml")])
    out, _err = capsys.readouterr()
    assert code == EXIT_OK and "Exported 7 posts, 0 pages, 2 comments" in out
    assert (tmp_path / "out.xml").read_text().count("<item>") == 7 + 1  # and one image to fetch


def test_refused_file_exits_2_with_the_line_and_imports_nothing(
    wxr_dir: Path, sqlite_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    original = (wxr_dir / "theme-preview.xml").read_bytes()
    broken = tmp_path / "broken.xml"
    broken.write_bytes(original.replace(b"</content:encoded>", b"</content:encode>", 3))
    code = main(["--store", sqlite_url, "import-wxr", str(broken)])
    _out, err = capsys.readouterr()
    assert code == EXIT_REFUSED
    assert "not well-formed" in err and "nothing was imported" in err and ": line " in err
    main(["--store", sqlite_url, "info", "--json"])
    summary = json.loads(capsys.readouterr().out)
    assert sum(summary["articles"].values()) == 0 and sum(summary["comments"].values()) == 0


def test_missing_file_and_missing_folder_are_refused(
    sqlite_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--store", sqlite_url, "import-wxr", str(tmp_path / "nope.xml")]) == EXIT_REFUSED
    assert "is not a file" in capsys.readouterr().err
    target = tmp_path / "missing" / "out.xml"
    assert main(["--store", sqlite_url, "export-wxr", str(target)]) == EXIT_REFUSED
    assert "is missing" in capsys.readouterr().err
