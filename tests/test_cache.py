"""The persistent cache: values by key, safe to lose, optionally kept in memory."""

from __future__ import annotations

import importlib.util
import re
import sqlite3
import sys
from pathlib import Path

import pytest

from lemmata import cache
from lemmata.cache import keep_in_memory, load_pickled, open_store, save_pickled


def test_values_survive_the_process_by_key(tmp_path: Path) -> None:
    with open_store(tmp_path, "things") as store:
        store.put_many([("a", (1, "x")), ("b", [2])])
    with open_store(tmp_path, "things") as store:
        assert store.get_many(["a", "b", "c"]) == {"a": (1, "x"), "b": [2]}
    with open_store(tmp_path, "others") as store:
        assert store.get_many(["a"]) == {}


def test_a_value_from_another_version_is_a_miss(tmp_path: Path) -> None:
    with open_store(tmp_path, "things") as store:
        store.put_many([("a", 1)])
    db = tmp_path / ".lemmata" / "cache.sqlite3"
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE things SET value = ? WHERE key = 'a'", (b"garbage",))
    with open_store(tmp_path, "things") as store:
        assert store.get_many(["a"]) == {}
    with open_store(tmp_path, "things") as store:
        store.put_many([("a", 2)])
        assert store.get_many(["a"]) == {"a": 2}


def test_no_site_folder_means_no_cache() -> None:
    with open_store(None, "things") as store:
        store.put_many([("a", 1)])
        assert store.get_many(["a"]) == {}


def test_kept_in_memory_values_are_shared_and_pruned(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cache, "_memory", None)
    keep_in_memory()
    value = ("a big", "document")
    with open_store(tmp_path, "things") as store:
        store.put_many([("a", value), ("b", 2)])
    with open_store(tmp_path, "things") as store:
        assert store.get_many(["a"])["a"] is value  # not read back and unpickled
        store.keep_only({"b"})
    with open_store(tmp_path, "things") as store:
        found = store.get_many(["a", "b"])
    assert found["b"] == 2
    assert found.get("a") == value and found.get("a") is not value  # back from the file


def test_a_table_over_its_limit_starts_afresh(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cache, "_memory", None)
    keep_in_memory()  # memory is emptied too
    with open_store(tmp_path, "bounded") as store:
        store.put_many([(str(i), i) for i in range(5)])
        store.clear_if_over(5)
        assert store.get_many(["0", "4"]) == {"0": 0, "4": 4}
        store.put_many([("5", 5)])
        store.clear_if_over(5)
        assert store.get_many(["0", "5"]) == {}
    with open_store(tmp_path, "bounded") as store:
        assert store.get_many(["0", "5"]) == {}


def test_upgrading_a_library_whose_output_is_kept_changes_the_code_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fresh() -> str:
        cache.code_version.cache_clear()
        return cache.code_version()

    before = fresh()
    seen = {before}
    for name in ("pygments", "pypinyin"):  # one imported by now, one not
        spec = importlib.util.find_spec(name)
        assert spec is not None and spec.origin is not None
        installed = Path(spec.origin).read_text("utf-8")
        upgraded, count = re.subn(
            r"__version__ = ['\"][^'\"]+['\"]", '__version__ = "999.0"', installed
        )
        assert count == 1
        (tmp_path / name / name).mkdir(parents=True)
        (tmp_path / name / name / "__init__.py").write_text(upgraded, "utf-8")
        monkeypatch.delitem(sys.modules, name, raising=False)
        monkeypatch.syspath_prepend(str(tmp_path / name))
        seen.add(fresh())
        monkeypatch.undo()
    assert len(seen) == 3
    assert fresh() == before


def _snapshot(root: Path) -> Path:
    return root / ".lemmata" / "things.pickle"


def _use(root: Path, keys: list[str], new: dict[str, int] | None = None) -> dict[str, object]:
    """One build's use of a table: look every key up, store the new values, keep only these."""
    with open_store(root, "things") as store:
        found = store.get_many(keys)
        store.put_many(list((new or {}).items()))
        store.keep_only(set(keys))
    return found


def test_a_full_build_writes_no_snapshot_and_the_first_rebuild_does(tmp_path: Path) -> None:
    keys = [f"k{i}" for i in range(20)]
    _use(tmp_path, keys, {key: i for i, key in enumerate(keys)})
    assert not _snapshot(tmp_path).exists()  # every value was new: nothing was read
    assert _use(tmp_path, keys) == {key: i for i, key in enumerate(keys)}
    assert _snapshot(tmp_path).exists()
    db = tmp_path / ".lemmata" / "cache.sqlite3"
    with sqlite3.connect(db) as conn:
        conn.execute("DELETE FROM things")
    # Now served by the snapshot alone.
    assert _use(tmp_path, keys) == {key: i for i, key in enumerate(keys)}


def test_a_small_rebuild_reads_its_new_values_and_leaves_the_snapshot(tmp_path: Path) -> None:
    keys = [f"k{i}" for i in range(20)]
    _use(tmp_path, keys, dict.fromkeys(keys, 0))
    _use(tmp_path, keys)
    before = _snapshot(tmp_path).stat()
    edited = [*keys[1:], "new"]
    _use(tmp_path, edited, {"new": 1})  # one value changed: a twentieth
    assert _use(tmp_path, edited) == {**dict.fromkeys(keys[1:], 0), "new": 1}
    after = _snapshot(tmp_path).stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    # Three changed: more than a tenth read from the table, so it is written again.
    again = [*keys[3:], "new", "x", "y"]
    _use(tmp_path, again, {"x": 2, "y": 3})
    assert _use(tmp_path, again) == {**dict.fromkeys(keys[3:], 0), "new": 1, "x": 2, "y": 3}
    assert _snapshot(tmp_path).stat().st_mtime_ns != before.st_mtime_ns


def test_a_damaged_snapshot_is_ignored(tmp_path: Path) -> None:
    keys = ["a", "b"]
    _use(tmp_path, keys, {"a": 1, "b": 2})
    _use(tmp_path, keys)
    _snapshot(tmp_path).write_bytes(b"\x80\x05truncated")
    assert _use(tmp_path, keys) == {"a": 1, "b": 2}


def _snapshotted(root: Path) -> list[str]:
    """Keys whose values a snapshot holds, after a full build and a rebuild."""
    keys = [f"k{i}" for i in range(20)]
    _use(root, keys, dict.fromkeys(keys, 0))
    _use(root, keys)
    assert _snapshot(root).exists()
    return keys


def _never_loaded(monkeypatch: pytest.MonkeyPatch, why: str) -> None:
    def unwanted(_self: object) -> dict[str, object]:
        raise AssertionError(why)

    monkeypatch.setattr(cache.Snapshot, "_load", unwanted)


def test_values_kept_in_memory_spare_reading_the_snapshot(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    keys = _snapshotted(tmp_path)
    monkeypatch.setattr(cache, "_memory", None)
    keep_in_memory()
    assert _use(tmp_path, keys) == dict.fromkeys(keys, 0)  # the first build: from the snapshot
    _never_loaded(monkeypatch, "the whole snapshot was read for one new value")
    _use(tmp_path, [*keys, "new"], {"new": 1})
    assert _use(tmp_path, [*keys, "new"]) == {**dict.fromkeys(keys, 0), "new": 1}


def test_a_snapshot_holding_none_of_the_keys_asked_for_is_never_loaded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    keys = _snapshotted(tmp_path)
    _never_loaded(monkeypatch, "a snapshot of other keys was loaded")
    fresh = [f"n{i}" for i in range(20)]  # every key new, as after an upgrade of lemmata
    assert _use(tmp_path, fresh, dict.fromkeys(fresh, 1)) == {}
    monkeypatch.undo()
    # One key it holds, among new ones: the snapshot is loaded and serves it.
    assert _use(tmp_path, [keys[0], "m"], {"m": 2}) == {keys[0]: 0}


def test_pickled_files_hold_values_loaded_one_without_the_next(tmp_path: Path) -> None:
    path = tmp_path / "x.pickle"
    save_pickled(path, (3, "first"), {"second": 2})
    assert load_pickled(path, 3) == "first"
    assert load_pickled(path, 3, part=1) == {"second": 2}
    assert load_pickled(path, 2, part=1) is None  # another version: not even the next one
    assert load_pickled(path, 3, part=2) is None  # no such part


def test_pickled_files_are_written_whole_and_read_by_version(tmp_path: Path) -> None:
    path = tmp_path / "x.pickle"
    save_pickled(path, (2, {"a": 1}))
    assert load_pickled(path, 2) == {"a": 1}
    assert load_pickled(path, 1) is None  # another version: nothing
    path.write_bytes(path.read_bytes()[:-3])
    assert load_pickled(path, 2) is None  # damaged: nothing
    assert load_pickled(tmp_path / "missing.pickle", 2) is None
    # An unwritable place: nothing raised, nothing left behind, the old file kept.
    save_pickled(path, (2, "old"))
    save_pickled(tmp_path / "missing" / "x.pickle", (2, "new"))
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["x.pickle"]
    assert load_pickled(path, 2) == "old"


def test_a_full_build_of_many_values_writes_its_snapshot_in_the_background(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cache._fork, "is_safe", lambda: True)
    keys = [f"k{i}" for i in range(600)]
    _use(tmp_path, keys, {key: i for i, key in enumerate(keys)})
    assert not _snapshot(tmp_path).exists()  # not by the build itself
    with cache.writing_in_background():
        pass
    assert _snapshot(tmp_path).exists()
    db = tmp_path / ".lemmata" / "cache.sqlite3"
    with sqlite3.connect(db) as conn:
        conn.execute("DELETE FROM things")
    assert _use(tmp_path, keys) == {key: i for i, key in enumerate(keys)}  # from the snapshot


def test_a_process_that_may_not_fork_leaves_a_full_build_s_snapshot_unwritten(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cache._fork, "is_safe", lambda: False)
    keys = [f"k{i}" for i in range(600)]
    _use(tmp_path, keys, dict.fromkeys(keys, 1))
    with cache.writing_in_background():
        pass
    assert not _snapshot(tmp_path).exists()
    assert _use(tmp_path, keys) == dict.fromkeys(keys, 1)  # read from the table, then written
    assert _snapshot(tmp_path).exists()
