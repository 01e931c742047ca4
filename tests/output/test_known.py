"""Remembered digests spare reading the old output, and never hide a change."""

from __future__ import annotations

from pathlib import Path

import pytest

from lemmata.output import _publish as publish_module
from lemmata.output import publish
from lemmata.site import OutputFile

FILES = [OutputFile(f"p{i}/index.html", f"page {i}".encode()) for i in range(5)]


def _publish(site: Path, files: list[OutputFile]) -> int:
    report = publish(
        site / "public",
        files,
        site_root=site,
        source_dirs=[site / "content"],
        cache_dir=site / ".cache",
    )
    return report.written


def _no_reading(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*_args: object) -> bool:
        raise AssertionError("an old file was read")

    monkeypatch.setattr(publish_module, "_same", fail)


def test_unchanged_files_are_compared_without_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / ".cache").mkdir()
    assert _publish(tmp_path, FILES) == 5
    assert _publish(tmp_path, FILES) == 0  # shares the live files: nothing to compare yet
    _no_reading(monkeypatch)
    assert _publish(tmp_path, FILES) == 0  # the recycled spare, known by digest
    changed = [*FILES[:4], OutputFile("p4/index.html", b"page 4, edited")]
    assert _publish(tmp_path, changed) == 1
    assert (tmp_path / "public" / "p4" / "index.html").read_bytes() == b"page 4, edited"


def test_a_file_touched_by_hand_is_read_again(tmp_path: Path) -> None:
    (tmp_path / ".cache").mkdir()
    _publish(tmp_path, FILES)
    _publish(tmp_path, FILES)
    spare = tmp_path / ".public.spare" / "p0" / "index.html"
    spare.unlink()  # the spare shares its file with the output: break the link first
    spare.write_bytes(b"page X")  # same size, new identity
    assert _publish(tmp_path, FILES) == 1
    assert (tmp_path / "public" / "p0" / "index.html").read_bytes() == b"page 0"


def test_a_lost_record_only_costs_reading(tmp_path: Path) -> None:
    (tmp_path / ".cache").mkdir()
    _publish(tmp_path, FILES)
    for record in (tmp_path / ".cache").iterdir():
        record.write_bytes(b"not a pickle")
    assert _publish(tmp_path, FILES) == 0
    assert _publish(tmp_path, FILES) == 0
