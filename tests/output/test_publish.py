"""The atomic publish: all or nothing, and never outside the output folder."""

from __future__ import annotations

import errno
from pathlib import Path

import pytest

from lemmata.errors import OutputError
from lemmata.output import publish
from lemmata.output._swap import recover
from lemmata.site import OutputFile


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _publish(site: Path, files: list[OutputFile]) -> None:
    publish(site / "public", files, site_root=site, source_dirs=[site / "content", site / "static"])


def test_replaces_the_folder_and_drops_stale_files(tmp_path: Path) -> None:
    _publish(tmp_path, [OutputFile("a.html", b"old"), OutputFile("gone.html", b"x")])
    _publish(tmp_path, [OutputFile("a.html", b"new"), OutputFile("sub/b.css", b"b")])
    assert _tree(tmp_path / "public") == {"a.html": b"new", "sub/b.css": b"b"}
    assert sorted(p.name for p in tmp_path.iterdir()) == [".public.spare", "public"]
    _publish(tmp_path, [OutputFile("a.html", b"third")])
    assert _tree(tmp_path / "public") == {"a.html": b"third"}
    assert _tree(tmp_path / ".public.spare") == {"a.html": b"new", "sub/b.css": b"b"}


def test_unchanged_files_are_not_rewritten(tmp_path: Path) -> None:
    _publish(tmp_path, [OutputFile("same.html", b"same"), OutputFile("x.html", b"1")])
    before = (tmp_path / "public" / "same.html").stat().st_ino
    report = publish(
        tmp_path / "public",
        [OutputFile("same.html", b"same"), OutputFile("x.html", b"2")],
        site_root=tmp_path,
        source_dirs=[],
    )
    assert report.written == 1 and report.files == 2
    assert (tmp_path / "public" / "same.html").stat().st_ino == before
    third = publish(
        tmp_path / "public",
        [OutputFile("same.html", b"same"), OutputFile("x.html", b"2")],
        site_root=tmp_path,
        source_dirs=[],
    )
    assert third.written == 1  # x.html differs from the spare copy (two builds old)
    assert (tmp_path / "public" / "same.html").stat().st_ino == before


def test_failure_midway_leaves_previous_output_exactly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _publish(tmp_path, [OutputFile("a.html", b"old"), OutputFile("b.html", b"old")])
    before = _tree(tmp_path / "public")
    calls = {"n": 0}
    real = Path.write_bytes

    def failing(self: Path, data: bytes) -> int:  # type: ignore[override]
        calls["n"] += 1
        if calls["n"] == 2:
            raise OSError(errno.ENOSPC, "No space left on device", str(self))
        return real(self, data)

    monkeypatch.setattr(Path, "write_bytes", failing)
    with pytest.raises(OutputError, match="the disk is full"):
        _publish(tmp_path, [OutputFile("a.html", b"new"), OutputFile("b.html", b"new!")])
    assert _tree(tmp_path / "public") == before
    assert "public" in [p.name for p in tmp_path.iterdir()]
    assert not list(tmp_path.glob(".public.staging-*"))


def test_killed_between_renames_is_recovered(tmp_path: Path) -> None:
    _publish(tmp_path, [OutputFile("a.html", b"kept")])
    (tmp_path / "public").rename(tmp_path / ".public.old-99999")
    (tmp_path / ".public.staging-99998").mkdir()
    recover(tmp_path / "public")
    assert _tree(tmp_path / "public") == {"a.html": b"kept"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["public"]


@pytest.mark.parametrize("bad", ["/", "~", ".", "..", "content", "content/out", "static"])
def test_refuses_dangerous_output_folders(tmp_path: Path, bad: str) -> None:
    site = tmp_path / "site"
    (site / "content").mkdir(parents=True)
    target = Path(bad).expanduser() if bad.startswith(("/", "~")) else site / bad
    with pytest.raises(OutputError, match="refusing"):
        publish(
            target,
            [OutputFile("x", b"")],
            site_root=site,
            source_dirs=[site / "content", site / "static"],
        )


def test_rejects_paths_escaping_the_output(tmp_path: Path) -> None:
    with pytest.raises(OutputError):
        _publish(tmp_path, [OutputFile("../evil.txt", b"x")])
    assert not (tmp_path / "evil.txt").exists()


def test_recycled_spare_never_changes_the_live_files(tmp_path: Path) -> None:
    _publish(tmp_path, [OutputFile("shared.html", b"v1")])
    _publish(tmp_path, [OutputFile("shared.html", b"v1")])  # hard-linked into the new output
    live = tmp_path / "public" / "shared.html"
    spare = tmp_path / ".public.spare" / "shared.html"
    assert live.stat().st_ino == spare.stat().st_ino
    handle = live.open("rb")  # a reader holding the live file open
    _publish(tmp_path, [OutputFile("shared.html", b"v2")])
    assert handle.read() == b"v1"
    handle.close()
    assert live.read_bytes() == b"v2"
    assert (tmp_path / ".public.spare" / "shared.html").read_bytes() == b"v1"
