"""The persistent cache in ``.lemmata/`` inside the site folder.

Values are pickled, by key, in one SQLite file, one table per kind of value.
The folder is safe to delete and ignored by git; an unwritable or corrupt
cache only costs speed. Keys must cover everything a value was made from,
including lemmata's own code (:func:`code_version`).
"""

from __future__ import annotations

import hashlib
import pickle
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from functools import cache
from importlib import import_module
from pathlib import Path
from typing import Any

CACHE_DIR = ".lemmata"
"""Cache folder inside the site folder: safe to delete, ignored by git."""


_memory: dict[str, dict[str, Any]] | None = None
"""Values already read or written by this process, by table; ``None``: not kept."""


def keep_in_memory() -> None:
    """Keep values in this process too, for the builds that follow (the dev server).

    Values are immutable, so sharing them between builds is safe; it spares
    reading and unpickling every document again on each rebuild.
    """
    global _memory
    if _memory is None:
        _memory = {}


class Store:
    """Values by key in one table; a store without a database remembers nothing."""

    def __init__(self, db: sqlite3.Connection | None, table: str) -> None:
        self._db = db
        self._table = table
        self._memory = _memory.setdefault(table, {}) if _memory is not None and db else None

    def get_many(self, keys: list[str]) -> dict[str, Any]:
        if self._db is None or not keys:
            return {}
        found: dict[str, Any] = {}
        if self._memory is not None:
            found = {key: self._memory[key] for key in keys if key in self._memory}
            keys = [key for key in keys if key not in found]
            found.update(self._read(keys))
            self._memory.update(found)
            return found
        return self._read(keys)

    def _read(self, keys: list[str]) -> dict[str, Any]:
        assert self._db is not None
        found: dict[str, Any] = {}
        for start in range(0, len(keys), 900):
            part = keys[start : start + 900]
            marks = ",".join("?" * len(part))
            query = f"SELECT key, value FROM {self._table} WHERE key IN ({marks})"
            for key, value in self._db.execute(query, part):
                try:
                    found[key] = pickle.loads(value)
                except Exception:  # written by another version: a miss
                    continue
        return found

    def put_many(self, items: list[tuple[str, Any]]) -> None:
        if self._db is None or not items:
            return
        if self._memory is not None:
            self._memory.update(items)
        # Pickled one at a time as they are written: the whole batch is never held twice.
        rows = ((key, pickle.dumps(value, pickle.HIGHEST_PROTOCOL)) for key, value in items)
        with self._db:
            self._db.executemany(f"INSERT OR REPLACE INTO {self._table} VALUES (?, ?)", rows)

    def clear_if_over(self, limit: int) -> None:
        """Forget every entry once there are more than ``limit``."""
        if self._db is None:
            return
        (total,) = self._db.execute(f"SELECT COUNT(*) FROM {self._table}").fetchone()
        if total > limit:
            if self._memory is not None:
                self._memory.clear()
            with self._db:
                self._db.execute(f"DELETE FROM {self._table}")

    def keep_only(self, keys: set[str]) -> None:
        """Forget entries no longer used, once they outnumber the live ones."""
        if self._db is None:
            return
        if self._memory is not None:
            for key in [key for key in self._memory if key not in keys]:
                del self._memory[key]
        (total,) = self._db.execute(f"SELECT COUNT(*) FROM {self._table}").fetchone()
        if total <= 2 * len(keys) + 100:
            return
        with self._db:
            self._db.execute("CREATE TEMP TABLE IF NOT EXISTS live (key TEXT PRIMARY KEY)")
            self._db.execute("DELETE FROM live")
            self._db.executemany("INSERT INTO live VALUES (?)", [(k,) for k in keys])
            self._db.execute(f"DELETE FROM {self._table} WHERE key NOT IN (SELECT key FROM live)")


@contextmanager
def open_store(root: Path | None, table: str) -> Iterator[Store]:
    """The table ``table`` of the cache of the site at ``root`` (``None``: no cache)."""
    if root is None:
        yield Store(None, table)
        return
    folder = root / CACHE_DIR
    try:
        folder.mkdir(exist_ok=True)
        ignore = folder / ".gitignore"
        if not ignore.exists():
            ignore.write_text("*\n", encoding="utf-8")
        db = sqlite3.connect(folder / "cache.sqlite3", timeout=30)
        db.execute("PRAGMA mmap_size = 1073741824")  # read values in place, not page by page
        db.execute(f"CREATE TABLE IF NOT EXISTS {table} (key TEXT PRIMARY KEY, value BLOB)")
    except (OSError, sqlite3.Error):
        yield Store(None, table)
        return
    with closing(db):
        yield Store(db, table)


@cache
def code_version() -> str:
    """A digest of lemmata's own code, theme files, pinned assets and the libraries
    whose output it keeps (so that upgrading one renders everything afresh)."""
    import lemmata

    package = Path(lemmata.__file__).parent
    digest = hashlib.sha256(lemmata.__version__.encode())
    for name in _LIBRARIES:  # every build imports these anyway
        digest.update(f"{name} {import_module(name).__version__}\0".encode())
    # pypinyin makes the slugs of Chinese names; importing it takes 0.3 s, its metadata 9 ms.
    from importlib.metadata import version

    digest.update(f"pypinyin {version('pypinyin')}\0".encode())
    for path in sorted(package.rglob("*")):
        relative = path.relative_to(package).as_posix()
        # Temml itself is covered by its pinned version and integrity in _vendor/pins.json.
        if path.suffix in _CODE_SUFFIXES and not relative.startswith("_vendor/temml"):
            digest.update(relative.encode() + b"\0")
            digest.update(path.read_bytes())
    return digest.hexdigest()


_CODE_SUFFIXES = (".py", ".html", ".css", ".js", ".json")
_LIBRARIES = ("markdown_it", "mdit_py_plugins", "linkify_it", "pygments", "jinja2", "yaml")
"""Libraries whose output the cache keeps: Markdown, highlighting, templates, front matter."""
