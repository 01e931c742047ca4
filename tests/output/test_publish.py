"""The atomic publish: all or nothing, and never outside the output folder."""

from __future__ import annotations

import errno
import fcntl
import os
from pathlib import Path

import pytest

from lemmata.errors import OutputError
from lemmata.output import _publish as publish_module
from lemmata.output import _swap as swap_module
from lemmata.output import publish
from lemmata.output._swap import recover
from lemmata.site import OutputFile
from tests.conftest import read_tree


def _publish(site: Path, files: list[OutputFile]) -> None:
    publish(site / "public", files, site_root=site, source_dirs=[site / "content", site / "static"])


def test_replaces_the_folder_and_drops_stale_files(tmp_path: Path) -> None:
    _publish(tmp_path, [OutputFile("a.html", b"old"), OutputFile("gone.html", b"x")])
    _publish(tmp_path, [OutputFile("a.html", b"new"), OutputFile("sub/b.css", b"b")])
    assert read_tree(tmp_path / "public") == {"a.html": b"new", "sub/b.css": b"b"}
    assert sorted(p.name for p in tmp_path.iterdir()) == [".public.spare", "public"]
    _publish(tmp_path, [OutputFile("a.html", b"third")])
    assert read_tree(tmp_path / "public") == {"a.html": b"third"}
    assert read_tree(tmp_path / ".public.spare") == {"a.html": b"new", "sub/b.css": b"b"}


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
    before = read_tree(tmp_path / "public")
    calls = {"n": 0}
    real = publish_module._write_file

    def failing(path: str, data: bytes) -> os.stat_result:
        calls["n"] += 1
        if calls["n"] == 2:
            raise OSError(errno.ENOSPC, "No space left on device", path)
        return real(path, data)

    monkeypatch.setattr(publish_module, "_write_file", failing)
    with pytest.raises(OutputError, match="the disk is full"):
        _publish(tmp_path, [OutputFile("a.html", b"new"), OutputFile("b.html", b"new!")])
    assert read_tree(tmp_path / "public") == before
    assert "public" in [p.name for p in tmp_path.iterdir()]
    assert not list(tmp_path.glob(".public.staging-*"))


def test_killed_between_renames_is_recovered(tmp_path: Path) -> None:
    _publish(tmp_path, [OutputFile("a.html", b"kept")])
    (tmp_path / "public").rename(tmp_path / ".public.old-99999")
    (tmp_path / ".public.staging-99998").mkdir()
    recover(tmp_path / "public")
    assert read_tree(tmp_path / "public") == {"a.html": b"kept"}
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


@pytest.mark.parametrize("path", ["../evil.txt", "a/../../evil.txt", "/etc/evil", "", "a/.."])
def test_unsafe_output_paths_are_refused(path: str) -> None:
    with pytest.raises(OSError, match="unsafe output path"):
        publish_module._checked(path)


@pytest.mark.parametrize(
    ("path", "clean"),
    [("a/b.html", "a/b.html"), ("a//b.html", "a/b.html"), ("./a/b", "a/b"), ("a/./b/", "a/b")],
)
def test_output_paths_are_cleaned(path: str, clean: str) -> None:
    assert publish_module._checked(path) == clean


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


def test_refuses_a_folder_holding_a_repository(tmp_path: Path) -> None:
    (tmp_path / "public" / ".git").mkdir(parents=True)
    (tmp_path / "public" / "index.html").write_text("deployed")
    with pytest.raises(OutputError, match=r"it holds a repository \(\.git\)"):
        _publish(tmp_path, [OutputFile("index.html", b"new")])
    assert (tmp_path / "public" / ".git").is_dir()
    assert (tmp_path / "public" / "index.html").read_text() == "deployed"


def test_stale_siblings_removed_but_not_unrelated_folders(tmp_path: Path) -> None:
    _publish(tmp_path, [OutputFile("a.html", b"1")])
    for name in (".public.staging-1", ".public.old-2", ".publicity", "public-old"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "f").write_text("x")
    _publish(tmp_path, [OutputFile("a.html", b"2")])
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        ".public.spare",
        ".publicity",
        "public",
        "public-old",
    ]


def test_symlink_in_a_recycled_folder_is_never_followed(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    _publish(tmp_path, [OutputFile("a.html", b"1")])
    _publish(tmp_path, [OutputFile("a.html", b"2")])
    (tmp_path / ".public.spare" / "sub").symlink_to(outside, target_is_directory=True)
    _publish(tmp_path, [OutputFile("sub/deep/x.html", b"in")])
    assert list(outside.iterdir()) == []
    assert read_tree(tmp_path / "public") == {"sub/deep/x.html": b"in"}


def test_unwanted_things_in_a_recycled_folder_go_and_links_are_not_followed(
    tmp_path: Path,
) -> None:
    outside = tmp_path / "outside"
    (outside / "keep").mkdir(parents=True)
    (outside / "keep" / "data.txt").write_text("mine")
    _publish(tmp_path, [OutputFile("a.html", b"1"), OutputFile("old/deep/gone.html", b"x")])
    _publish(tmp_path, [OutputFile("a.html", b"2")])
    spare = tmp_path / ".public.spare"
    (spare / "linked").symlink_to(outside, target_is_directory=True)
    (spare / "empty" / "nested").mkdir(parents=True)
    _publish(tmp_path, [OutputFile("a.html", b"3"), OutputFile("new/b.html", b"b")])
    assert read_tree(tmp_path / "public") == {"a.html": b"3", "new/b.html": b"b"}
    assert sorted(p.name for p in (tmp_path / "public").iterdir()) == ["a.html", "new"]
    assert (outside / "keep" / "data.txt").read_text() == "mine"


def test_two_renames_where_exchange_is_missing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(swap_module, "_renameat2", lambda: None)
    _publish(tmp_path, [OutputFile("a.html", b"1")])
    _publish(tmp_path, [OutputFile("a.html", b"2")])
    assert read_tree(tmp_path / "public") == {"a.html": b"2"}
    assert read_tree(tmp_path / ".public.spare") == {"a.html": b"1"}
    assert sorted(p.name for p in tmp_path.iterdir()) == [".public.spare", "public"]


def test_failed_swap_puts_the_previous_output_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(swap_module, "_renameat2", lambda: None)
    _publish(tmp_path, [OutputFile("a.html", b"old")])
    real = Path.rename

    def refuse_staging(self: Path, target: Path) -> Path:  # type: ignore[override]
        if ".staging-" in self.name and Path(target).name == "public":
            raise OSError(errno.EACCES, "Permission denied", str(self))
        return real(self, target)

    monkeypatch.setattr(Path, "rename", refuse_staging)
    with pytest.raises(OutputError, match=r"Permission denied.*is unchanged"):
        _publish(tmp_path, [OutputFile("a.html", b"new")])
    assert read_tree(tmp_path / "public") == {"a.html": b"old"}
    assert not list(tmp_path.glob(".public.staging-*"))


def test_exchange_keeps_the_output_path_present_throughout(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if swap_module._renameat2() is None:
        pytest.skip("no renameat2 on this system")
    _publish(tmp_path, [OutputFile("a.html", b"1")])
    renames: list[str] = []
    real = Path.rename

    def spy(self: Path, target: Path) -> Path:  # type: ignore[override]
        renames.append(f"{self.name} -> {Path(target).name}")
        return real(self, target)

    monkeypatch.setattr(Path, "rename", spy)
    _publish(tmp_path, [OutputFile("a.html", b"2")])
    # The live folder itself is never renamed away: it is exchanged in one step.
    assert not any(r.startswith("public ->") for r in renames)
    assert read_tree(tmp_path / "public") == {"a.html": b"2"}


def test_one_publish_at_a_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[bool] = []
    real = publish_module._write_all

    def probe(*args: object) -> object:
        handle = os.open(tmp_path, os.O_RDONLY)
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            seen.append(False)
        except BlockingIOError:
            seen.append(True)
        finally:
            os.close(handle)
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(publish_module, "_write_all", probe)
    _publish(tmp_path, [OutputFile("a.html", b"1")])
    assert seen == [True]


def test_report_counts_each_path_once_later_file_wins(tmp_path: Path) -> None:
    report = publish(
        tmp_path / "public",
        [
            OutputFile("robots.txt", b"static"),
            OutputFile("robots.txt", b"generated"),
            OutputFile("a", b"12"),
        ],
        site_root=tmp_path,
        source_dirs=[],
    )
    assert (report.files, report.bytes) == (2, len(b"generated") + 2)
    assert (tmp_path / "public" / "robots.txt").read_bytes() == b"generated"


def test_a_later_file_of_a_path_shared_with_the_live_output_never_changes_it(
    tmp_path: Path,
) -> None:
    _publish(tmp_path, [OutputFile("sub/page.html", b"v1")])
    live = (tmp_path / "public" / "sub" / "page.html").stat().st_ino
    # In a folder new to this publish, the first file shares the live one (a hard link);
    # the second, of the same path, must replace it, not write into it.
    _publish(tmp_path, [OutputFile("sub/page.html", b"v1"), OutputFile("sub/page.html", b"v2")])
    assert (tmp_path / "public" / "sub" / "page.html").read_bytes() == b"v2"
    spare = tmp_path / ".public.spare" / "sub" / "page.html"
    assert spare.stat().st_ino == live and spare.read_bytes() == b"v1"


def test_a_folder_where_this_publish_wrote_a_file_replaces_the_file(tmp_path: Path) -> None:
    # In a folder new to this publish nothing is looked for, but a file it wrote itself.
    _publish(tmp_path, [OutputFile("new/x", b"file"), OutputFile("new/x/index.html", b"page")])
    assert read_tree(tmp_path / "public") == {"new/x/index.html": b"page"}


def test_files_written_are_known_by_their_stat(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = [OutputFile("a/index.html", b"one"), OutputFile("b.html", b"two")]
    cache = tmp_path / ".lemmata"
    cache.mkdir()
    sources = [tmp_path / "content"]
    publish(tmp_path / "public", files, site_root=tmp_path, source_dirs=sources, cache_dir=cache)
    read: list[str] = []
    real = publish_module._same

    def counted(path: str, data: bytes) -> bool:
        read.append(path)
        return real(path, data)

    monkeypatch.setattr(publish_module, "_same", counted)
    # The same bytes again: compared by the digests and stats noted when written, unread.
    publish(tmp_path / "public", files, site_root=tmp_path, source_dirs=sources, cache_dir=cache)
    assert read == []
    assert read_tree(tmp_path / "public") == {"a/index.html": b"one", "b.html": b"two"}


def test_a_file_of_the_live_output_where_a_folder_is_now_wanted(tmp_path: Path) -> None:
    _publish(tmp_path, [OutputFile("docs", b"a file")])
    _publish(tmp_path, [OutputFile("docs/index.html", b"now a folder")])
    assert read_tree(tmp_path / "public") == {"docs/index.html": b"now a folder"}


def test_a_file_linked_into_a_new_folder_takes_its_name_at_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Nobody sees the staging folder: a new name there needs no temporary one renamed.
    _publish(tmp_path, [OutputFile("a/index.html", b"a"), OutputFile("b/index.html", b"b")])
    live = tmp_path / "public"
    renamed: list[str] = []
    real = os.replace

    def counted(source: str, target: str) -> None:
        renamed.append(str(target))
        real(source, target)

    looked: list[str] = []
    real_lstat = os.lstat

    def lstat(path: str) -> os.stat_result:
        looked.append(str(path))
        return real_lstat(path)

    monkeypatch.setattr(os, "replace", counted)
    monkeypatch.setattr(os, "lstat", lstat)
    reused = [
        OutputFile(name, source=str(live / name), reuse=True)
        for name in ("a/index.html", "b/index.html")
    ]
    _publish(tmp_path, reused)  # no spare yet: every folder is made anew
    monkeypatch.undo()
    assert renamed == []
    # Nor is the new name looked for first: only the live files linked are.
    assert [p for p in looked if p.endswith("index.html") and ".staging-" in p] == []
    assert read_tree(live) == {"a/index.html": b"a", "b/index.html": b"b"}
    assert (live / "a/index.html").stat().st_ino == (
        tmp_path / ".public.spare" / "a/index.html"
    ).stat().st_ino
