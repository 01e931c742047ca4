"""The persistent cache: values by key, safe to lose, optionally kept in memory."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from lemmata import cache
from lemmata.cache import keep_in_memory, open_store


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
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import importlib.metadata

    import pygments

    def fresh() -> str:
        cache.code_version.cache_clear()
        return cache.code_version()

    before = fresh()
    monkeypatch.setattr(pygments, "__version__", "999.0")
    upgraded = fresh()
    monkeypatch.undo()
    monkeypatch.setattr(importlib.metadata, "version", lambda name: "999.0")
    slugs_upgraded = fresh()
    monkeypatch.undo()
    assert len({before, upgraded, slugs_upgraded}) == 3
    assert fresh() == before
