"""The image figures' measuring child reports time and peak memory as the bench expects."""

from __future__ import annotations

from pathlib import Path

from editor.core.images.bench import _ingest_in_subprocess, make_small_photo


def test_the_ingest_child_reports_time_and_peak_memory(tmp_path: Path) -> None:
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(make_small_photo())
    result = _ingest_in_subprocess(photo, tmp_path / "run")
    assert set(result) == {"seconds", "peak_mb", "repeat_seconds"}
    assert 0 < result["seconds"] < 5
    assert 0 <= result["peak_mb"] < 200
    assert result["repeat_seconds"] < result["seconds"] + 1
