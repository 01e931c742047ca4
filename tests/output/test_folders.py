"""Recycled output trees as recorded: folders found as they were left are not listed,
and whatever changed in them since is still found."""

from __future__ import annotations

import errno
import os
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from itertools import count
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lemmata.cache import save_pickled
from lemmata.output import _folders, publish
from lemmata.output import _publish as publish_module
from lemmata.output import _swap as swap_module
from lemmata.output._folders import Trees
from lemmata.site import OutputFile

OLD = 1_600_000_000 * 10**9
"""A time long past (ns), given to folders to stand for builds made long ago."""
RECENT = OLD + 10**15
"""Times from ``OLD`` to this one stand for changes long past (those made by hand
get one of their own); later ones for changes just made."""
_hand_times = count(OLD + 10**9, 10**9)


def _publish(site: Path, files: dict[str, bytes], *, reuse: bool = False) -> None:
    """Publish ``files``; with ``reuse``, those the live output holds as they are come as
    its files to link, as the page cache hands them on."""
    live = site / "public"
    items = []
    for path, data in files.items():
        source = live / path
        if reuse and source.is_file() and not source.is_symlink() and source.read_bytes() == data:
            items.append(OutputFile(path, source=str(source), reuse=True))
        else:
            items.append(OutputFile(path, data))
    cache = site / ".lemmata"
    cache.mkdir(exist_ok=True)
    publish(live, items, site_root=site, source_dirs=[site / "content"], cache_dir=cache)


def _age(site: Path) -> None:
    """Date the folders of the output and its spare that lemmata changed lately long ago,
    as if built then (those changed by hand keep their own times, also long past)."""
    for tree in (site / "public", site / ".public.spare"):
        if tree.is_dir():
            for folder, _, _ in os.walk(tree):
                if Path(folder).stat().st_mtime_ns > RECENT:
                    os.utime(folder, ns=(OLD, OLD))


def _entries(folder: Path) -> dict[str, str | bytes]:
    """Everything under ``folder``: each file's bytes, and ``"folder"`` or ``"link"``."""
    found: dict[str, str | bytes] = {}
    for path in sorted(folder.rglob("*")):
        name = path.relative_to(folder).as_posix()
        if path.is_symlink():
            found[name] = "link"
        elif path.is_dir():
            found[name] = "folder"
        else:
            found[name] = path.read_bytes()
    return found


def _expected(files: dict[str, bytes]) -> dict[str, str | bytes]:
    expected: dict[str, str | bytes] = dict(files)
    for path in files:
        parts = path.split("/")
        for end in range(1, len(parts)):
            expected["/".join(parts[:end])] = "folder"
    return dict(sorted(expected.items()))


@contextmanager
def _listed() -> Iterator[list[str]]:
    """The folders of the staging folder listed (``os.scandir``) meanwhile, relative to it."""
    listed: list[str] = []
    real = os.scandir

    def counted(path: str) -> os.ScandirIterator[str]:
        _, staging, inside = str(path).partition(f".public.staging-{os.getpid()}")
        if staging:
            listed.append(inside.lstrip("/"))
        return real(path)

    os.scandir = counted  # type: ignore[assignment]
    try:
        yield listed
    finally:
        os.scandir = real


SITE = {
    "index.html": b"home",
    "posts/a/index.html": b"a",
    "posts/b/index.html": b"b",
    "tags/t/index.html": b"t",
}


def _recorded_twice(site: Path) -> None:
    """Four publishes, aged in between: both trees are recorded, with old folder times,
    and a publish has seen folder times set."""
    for n in range(4):
        _publish(site, {**SITE, "index.html": b"home %d" % n}, reuse=True)
        _age(site)


@pytest.mark.parametrize("exchange", [True, False], ids=["exchanged", "two renames"])
def test_a_tree_found_as_recorded_is_not_listed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, exchange: bool
) -> None:
    if not exchange:
        # Where the two folders cannot be exchanged in one step, each is renamed: a
        # folder keeps its inode, so the spare is still known by its record.
        monkeypatch.setattr(swap_module, "_renameat2", lambda: None)
    _recorded_twice(tmp_path)
    with _listed() as listed:
        _publish(tmp_path, {**SITE, "index.html": b"home 4"}, reuse=True)
    # Only the root, whose index.html this publish (and the one before) changed.
    assert listed == [""]
    assert _entries(tmp_path / "public") == _expected({**SITE, "index.html": b"home 4"})


def test_files_no_longer_made_go_from_a_recorded_tree(tmp_path: Path) -> None:
    _recorded_twice(tmp_path)
    smaller = {k: v for k, v in SITE.items() if k != "posts/b/index.html"}
    with _listed() as listed:
        _publish(tmp_path, smaller, reuse=True)
    # The root, changed, and the folder deleted: posts/ is known as recorded.
    assert sorted(listed) == ["", "posts/b"]
    assert _entries(tmp_path / "public") == _expected(smaller)


def test_what_is_put_into_the_live_output_by_hand_goes_two_publishes_later(
    tmp_path: Path,
) -> None:
    _recorded_twice(tmp_path)
    live = tmp_path / "public"
    (live / "posts" / "a" / "notes.txt").write_bytes(b"mine")
    (live / "posts" / "stray").mkdir()
    (live / "posts" / "stray" / "x.html").write_bytes(b"x")
    _publish(tmp_path, SITE, reuse=True)  # the spare becomes the output: no stray file
    assert _entries(live) == _expected(SITE)
    _publish(tmp_path, SITE, reuse=True)  # the output with stray files is recycled
    assert _entries(live) == _expected(SITE)


def test_a_file_deleted_by_hand_from_a_recorded_folder_is_made_again(tmp_path: Path) -> None:
    _recorded_twice(tmp_path)
    _publish(tmp_path, SITE, reuse=True)
    gone = tmp_path / "public" / "posts" / "a" / "index.html"
    gone.unlink()  # the live folder is the one recorded last
    _publish(tmp_path, SITE, reuse=True)  # the spare becomes the output
    assert _entries(tmp_path / "public") == _expected(SITE)
    # The output it was deleted from is recycled: its record names a file with the
    # inode of the one now live, but the folder is no longer as recorded.
    _publish(tmp_path, SITE, reuse=True)
    assert _entries(tmp_path / "public") == _expected(SITE)


def test_what_a_link_failing_midway_leaves_in_a_recorded_folder_goes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _recorded_twice(tmp_path)
    _publish(tmp_path, SITE, reuse=True)
    # The live file replaced by a copy of itself: the same bytes, another inode.
    live = tmp_path / "public" / "posts" / "a" / "index.html"
    copy = live.with_name("copy")
    copy.write_bytes(live.read_bytes())
    copy.replace(live)
    real = os.replace
    failed: list[str] = []

    def failing_once(source: str, target: str) -> None:
        if str(target).endswith("posts/a/index.html") and not failed:
            failed.append(str(source))
            raise OSError(errno.EXDEV, "Invalid cross-device link", str(target))
        real(source, target)

    monkeypatch.setattr(os, "replace", failing_once)
    _publish(tmp_path, SITE, reuse=True)  # links the copy into the recycled posts/a/
    monkeypatch.undo()
    assert failed and failed[0].endswith("/.index.html.new")
    assert _entries(tmp_path / "public") == _expected(SITE)


def test_a_folder_changed_just_before_it_was_recorded_is_listed_anyway(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Its time, within the clock's margin of the publish that recorded it, could be
    # that of a later change in the same tick of a coarse clock: it is not trusted.
    monkeypatch.setattr(_folders, "margin", lambda clock: 3600 * 10**9)  # ticks of hours
    _recorded_twice(tmp_path)
    lately = time.time_ns() - 600 * 10**9
    os.utime(tmp_path / "public" / "posts" / "a", ns=(lately, lately))  # in this tick
    _publish(tmp_path, SITE, reuse=True)  # the output with posts/a/ is the spare
    _publish(tmp_path, SITE, reuse=True)  # and is recorded, posts/a/ as recent
    _publish(tmp_path, SITE, reuse=True)  # it is the spare again
    spare = tmp_path / ".public.spare" / "posts" / "a"
    when = spare.stat().st_mtime_ns
    (spare / "late.txt").write_bytes(b"late")
    os.utime(spare, ns=(when, when))  # as a coarse clock would leave it
    _publish(tmp_path, SITE, reuse=True)
    assert _entries(tmp_path / "public") == _expected(SITE)


def test_where_folder_times_are_not_set_every_folder_is_listed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _recorded_twice(tmp_path)
    assert Trees.load(tmp_path / ".lemmata", tmp_path / "public").verified
    # A file system that leaves a folder's time as it was when an entry changes.
    for name in ("link", "replace", "unlink", "mkdir", "rmdir", "rename", "open"):
        monkeypatch.setattr(os, name, _keeping_times(getattr(os, name)))
    _publish(tmp_path, {**SITE, "index.html": b"home again"}, reuse=True)
    monkeypatch.undo()
    assert not Trees.load(tmp_path / ".lemmata", tmp_path / "public").verified
    (tmp_path / "public" / "posts" / "stray.txt").write_bytes(b"x")
    os.utime(tmp_path / "public" / "posts", ns=(OLD, OLD))  # its time as recorded
    _publish(tmp_path, SITE, reuse=True)
    with _listed() as listed:
        _publish(tmp_path, SITE, reuse=True)
    assert len(listed) > 1
    assert _entries(tmp_path / "public") == _expected(SITE)


def _keeping_times(call: Callable[..., object]) -> Callable[..., object]:
    def kept(path: object, *args: object, **kwargs: object) -> object:
        named = isinstance(path, str | bytes) and os.sep in os.fsdecode(path)
        folder = Path(os.fsdecode(path)).parent if named else None  # type: ignore[arg-type]
        before = folder.stat() if folder is not None and folder.is_dir() else None
        try:
            return call(path, *args, **kwargs)
        finally:
            if folder is not None and before is not None and folder.is_dir():
                os.utime(folder, ns=(before.st_atime_ns, before.st_mtime_ns))

    return kept


PATHS = (
    "index.html",
    "a",
    "a/index.html",
    "a/b/index.html",
    "a/b/c.html",
    "p/q.html",
    "p/r/s/t.html",
    "z.css",
)
EDITS = (
    ("add", "a/stray.txt"),
    ("add", "p/r/stray.txt"),
    ("add", "stray.txt"),
    ("folder", "a/b/stray"),
    ("folder", "new"),
    ("remove", "p/q.html"),
    ("remove", "a/b/c.html"),
)


def _without_conflicts(files: dict[str, bytes]) -> dict[str, bytes]:
    """No path that is also the folder of another."""
    folders = {path.rpartition("/")[0] for path in files} | {
        "/".join(p.split("/")[:end]) for p in files for end in range(1, p.count("/"))
    }
    return {path: data for path, data in files.items() if path not in folders}


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    st.lists(
        st.tuples(
            st.dictionaries(st.sampled_from(PATHS), st.sampled_from([b"1", b"2", b"22"])),
            st.lists(st.sampled_from(EDITS), max_size=2),
            st.booleans(),
        ),
        min_size=1,
        max_size=7,
    )
)
def test_the_output_is_exactly_the_files_published_whatever_happened_between(
    steps: list[tuple[dict[str, bytes], list[tuple[str, str]], bool]],
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        site = Path(folder)
        for files, hand, aged in steps:
            wanted = _without_conflicts(files)
            _publish(site, wanted, reuse=True)
            assert _entries(site / "public") == _expected(wanted)
            if aged:
                _age(site)
            for action, path in hand:
                _by_hand(site / "public", action, path)


def _by_hand(live: Path, action: str, path: str) -> None:
    """Change the live output as a person might, where the folder is there, long ago
    (the folder changed gets a time of its own, which aging leaves)."""
    target = live / path
    if not target.parent.is_dir() or target.parent.is_symlink():
        return
    if action == "add" and not target.exists():
        target.write_bytes(b"by hand")
    elif action == "folder" and not target.exists():
        target.mkdir()
        (target / "inside.txt").write_bytes(b"by hand")
    elif action == "remove" and target.is_file():
        target.unlink()
    else:
        return
    when = next(_hand_times)
    os.utime(target.parent, ns=(when, when))


def test_the_margin_of_a_clock_showing_whole_seconds_is_wider() -> None:
    assert _folders.margin(1_700_000_000 * 10**9) > 2 * 10**9  # FAT: two-second ticks
    assert _folders.margin(1_700_000_000 * 10**9 + 4_000_000) < 10**9


def test_a_spare_no_publish_recorded_is_recorded_meanwhile(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _recorded_twice(tmp_path)
    out, cache = tmp_path / "public", tmp_path / ".lemmata"
    (tmp_path / ".public.spare" / "posts" / "a" / "stray.txt").write_bytes(b"x")
    _age(tmp_path)
    # Forget the spare's record, as after a build whose cache had been deleted.
    trees = Trees.load(cache, out)
    spare = (tmp_path / ".public.spare").stat()
    assert trees.holds((spare.st_dev, spare.st_ino))
    _forget(cache, out, (spare.st_dev, spare.st_ino))
    assert not Trees.load(cache, out).holds((spare.st_dev, spare.st_ino))
    monkeypatch.setattr(publish_module._fork, "is_safe", lambda: True)
    publish_module.record_spare_meanwhile(out, cache)
    assert publish_module._recorder not in (None, os.getpid())
    with _listed() as listed:
        _publish(tmp_path, {**SITE, "index.html": b"home 4"}, reuse=True)
    assert listed == [""]  # posts/a/ was known, with its stray file, by the record made
    assert _entries(out) == _expected({**SITE, "index.html": b"home 4"})
    assert sorted(p.name for p in tmp_path.iterdir()) == [".lemmata", ".public.spare", "public"]


def test_a_folder_changed_while_it_is_scanned_is_listed(tmp_path: Path) -> None:
    root = tmp_path / "tree"
    (root / "a").mkdir(parents=True)
    (root / "a" / "f.html").write_bytes(b"f")
    for folder in (root, root / "a"):
        os.utime(folder, ns=(OLD, OLD))
    (root / "b").mkdir()  # changed just now: its time is not to be trusted
    tree = _folders.scan(str(root), time.time_ns())
    assert tree.files == {"a/f.html": (root / "a" / "f.html").stat().st_ino}
    assert tree.folders[""] is None  # b/ was added to it just now
    assert tree.folders["a"] == ((root / "a").stat().st_ino, OLD)
    assert tree.folders["b"] is None


def _forget(cache: Path, out: Path, tree: tuple[int, int]) -> None:
    trees = Trees.load(cache, out)
    kept = [(found, data) for found, data in trees._trees if found != tree]
    save_pickled(trees.path or cache / "x", (1, (trees.verified, kept)))
