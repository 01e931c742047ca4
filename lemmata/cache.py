"""The persistent cache in ``.lemmata/`` inside the site folder.

Values are pickled, by key, in one SQLite file, one table per kind of value.
The folder is safe to delete and ignored by git; an unwritable or corrupt
cache only costs speed. Keys must cover everything a value was made from,
including lemmata's own code (:func:`code_version`).
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import closing, contextmanager
from functools import cache
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from lemmata import _fork

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

    def __init__(
        self, db: sqlite3.Connection | None, table: str, snapshot: Path | None = None
    ) -> None:
        self._db = db
        self._table = table
        self._memory = _memory.setdefault(table, {}) if _memory is not None and db else None
        # Once values are kept in memory (the dev server's rebuilds), a miss is one
        # changed file: a row is read for it, never the whole snapshot.
        fresh_process = not self._memory
        self._snapshot = Snapshot(snapshot) if snapshot and db and fresh_process else None

    def get_many(self, keys: list[str]) -> dict[str, Any]:
        if self._db is None or not keys:
            return {}
        found: dict[str, Any] = {}
        if self._memory is not None:
            found = {key: self._memory[key] for key in keys if key in self._memory}
            keys = [key for key in keys if key not in found]
        if self._snapshot is not None:
            found.update(self._snapshot.get_many(keys))
            keys = [key for key in keys if key not in found]
        read = self._read(keys)
        found.update(read)
        if self._memory is not None:
            self._memory.update(found)
        if self._snapshot is not None:
            self._snapshot.note(read.items(), read=True)
        return found

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
        if self._snapshot is not None:
            self._snapshot.note(items, read=False)
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
        if self._snapshot is not None:
            self._snapshot.save_if_stale(keys)
        (total,) = self._db.execute(f"SELECT COUNT(*) FROM {self._table}").fetchone()
        if total <= 2 * len(keys) + 100:
            return
        # Deleting a row reads every page of its value: through the memory map, that
        # would count a whole stale site (~190 MB at 5,000 posts) in the build's memory.
        self._db.execute("PRAGMA mmap_size = 0")
        with self._db:
            self._db.execute("CREATE TEMP TABLE IF NOT EXISTS live (key TEXT PRIMARY KEY)")
            self._db.execute("DELETE FROM live")
            self._db.executemany("INSERT INTO live VALUES (?)", [(k,) for k in keys])
            self._db.execute(f"DELETE FROM {self._table} WHERE key NOT IN (SELECT key FROM live)")


class Snapshot:
    """The values of one table a previous build used, pickled together in one file.

    Loading 5,000 values from one pickle is a third faster than from 5,000
    rows: each class, function and time zone is looked up once, not once per
    value. A build writes the snapshot again only when more than a tenth of
    the values it used had to be read from the table (many edits later), so
    a build that changed a few files does not pay for writing it; a full
    build, whose values are all new, has it written in the background
    (:func:`writing_in_background`), so that the rebuild after it need not.
    Values are found by the same keys as in the table: a stale snapshot only
    costs lookups. Its keys come first in the file, so a snapshot that holds
    none of the keys asked for is never loaded: after an upgrade of lemmata
    or a change of settings, every key is new, and loading 5,000 stale
    renderings would only double the memory of a full build.
    """

    def __init__(self, path: Path) -> None:
        self._path = path
        self._keys: frozenset[str] | None = None
        self._values: dict[str, Any] | None = None
        self._served = 0
        self._read = 0
        self._missed: dict[str, Any] = {}
        """Values this build used that the snapshot did not hold."""

    def get_many(self, keys: list[str]) -> dict[str, Any]:
        if self._values is None and self._held().isdisjoint(keys):
            return {}
        values = self._load()
        found = {key: values[key] for key in keys if key in values}
        self._served += len(found)
        return found

    def note(self, items: Iterable[tuple[str, Any]], *, read: bool) -> None:
        """Values this build used that the snapshot lacked: ``read`` from the table, or new."""
        before = len(self._missed)
        self._missed.update(items)
        if read:
            self._read += len(self._missed) - before

    def save_if_stale(self, live: set[str]) -> None:
        """Write the values of the ``live`` keys, if too many had to be read from the table;
        if every one is new (a first build, or one after an upgrade) and there are many,
        have them written in the background (:func:`writing_in_background`)."""
        if self._served + len(self._missed) < len(live):
            return  # this build did not see every value it uses
        if self._served == 0 and self._read == 0:
            if len(live) >= _IN_BACKGROUND and live <= self._missed.keys():
                kept = {key: self._missed[key] for key in live}
                _later.append((self._path, (_SNAPSHOT_FORMAT, frozenset(kept)), kept))
            return
        if self._read * 10 <= len(live):
            return  # good enough
        values, kept = self._load(), {}
        for key in live:
            value = self._missed.get(key, values.get(key, _MISSING))
            if value is _MISSING:
                return
            kept[key] = value
        save_pickled(self._path, (_SNAPSHOT_FORMAT, frozenset(kept)), kept)

    def _held(self) -> frozenset[str]:
        """The snapshot's keys: the first of the two pickles in its file."""
        if self._keys is None:
            keys = load_pickled(self._path, _SNAPSHOT_FORMAT)
            self._keys = keys if isinstance(keys, frozenset) else frozenset()
        return self._keys

    def _load(self) -> dict[str, Any]:
        if self._values is None:
            values = load_pickled(self._path, _SNAPSHOT_FORMAT, part=1)
            self._values = values if isinstance(values, dict) else {}
        return self._values


_SNAPSHOT_FORMAT = 2
_MISSING = object()
_IN_BACKGROUND = 500
"""Values all new from which a snapshot is written in the background: fewer are read
from the table by the next build at little cost, which then writes the snapshot."""
_later: list[tuple[Path, object, object]] = []
"""Snapshots to write in the background: path, keys and values."""


@contextmanager
def writing_in_background() -> Iterator[None]:
    """Write the snapshots of values all new (see :meth:`Snapshot.save_if_stale`) in a
    process forked for it while the body runs, and wait for it at the end.

    A first build's values are all new, so it read none from the table, and
    writing them (~0.2 s at 5,000 documents) would slow it down for the sake
    of later builds. Left to the first rebuild, though, reading 10,000 rows
    and writing both snapshots costs it ~0.55 s, and that is the build a
    writer who just made one edit waits for. So the snapshot is written here,
    by a forked process on the core the site stage leaves idle. Where this
    process may not fork (the dev server runs threads), nothing is written:
    the next build that reads the table writes the snapshot then.
    """
    pending = _later[:]
    _later.clear()

    def write() -> None:
        for path, keys, values in pending:
            save_pickled(path, keys, values)

    child = _fork.in_background(write) if pending and _fork.is_safe() else None
    try:
        yield
    finally:
        _fork.wait(child)


def for_output(cache_dir: Path, kind: str, out_dir: Path) -> Path:
    """The file of ``cache_dir`` that keeps what ``kind`` remembers of one output folder."""
    return cache_dir / f"{kind}-{hashlib.sha256(str(out_dir).encode()).hexdigest()[:12]}.pickle"


def save_pickled(path: Path, value: object, *more: object) -> None:
    """Pickle ``value`` into ``path`` at once or not at all (a new file renamed over it);
    ``more`` values follow it, each a pickle of its own, to be loaded without the others.

    Failures are ignored: an unwritable cache only costs speed.
    """
    fresh = path.with_name(f"{path.name}.{os.getpid()}.new")
    try:
        with open(fresh, "wb") as handle:  # noqa: PTH123
            for item in (value, *more):
                pickle.dump(item, handle, pickle.HIGHEST_PROTOCOL)
        fresh.replace(path)
    except OSError:
        fresh.unlink(missing_ok=True)


def load_pickled(path: Path, version: object, *, part: int = 0) -> Any:
    """What :func:`save_pickled` wrote as ``(version, value)``: the value, or ``None``
    if the file is missing, damaged or of another version. A ``part`` above 0 is the
    value that many places after it, read only when the version matches."""
    try:
        with open(path, "rb") as handle:  # noqa: PTH123
            found, value = pickle.load(handle)
            if found != version:
                return None
            for _ in range(part):
                value = pickle.load(handle)
    except Exception:  # missing, truncated or from another version of lemmata
        return None
    return value


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
        yield Store(db, table, folder / f"{table}.pickle")


@cache
def code_version() -> str:
    """A digest of lemmata's own code, theme files, pinned assets and the libraries
    whose output it keeps (so that upgrading one renders everything afresh)."""
    import lemmata

    package = Path(lemmata.__file__).parent
    digest = hashlib.sha256(lemmata.__version__.encode())
    for name in _LIBRARIES:
        # Its __init__.py, which says its version, read but not imported: a build
        # with nothing to do imports none of these (pypinyin alone takes 0.3 s).
        spec = find_spec(name)
        digest.update(f"{name}\0".encode())
        if spec is not None and spec.origin is not None:
            digest.update(Path(spec.origin).read_bytes())
    for path in sorted(package.rglob("*")):
        relative = path.relative_to(package).as_posix()
        # Temml itself is covered by its pinned version and integrity in _vendor/pins.json.
        if path.suffix in _CODE_SUFFIXES and not relative.startswith("_vendor/temml"):
            digest.update(relative.encode() + b"\0")
            digest.update(path.read_bytes())
    return digest.hexdigest()


_CODE_SUFFIXES = (".py", ".html", ".css", ".js", ".json")
_LIBRARIES = (
    "markdown_it",
    "mdit_py_plugins",
    "linkify_it",
    "pygments",
    "jinja2",
    "yaml",
    "pypinyin",
)
"""Libraries whose output the cache keeps: Markdown, highlighting, templates, front
matter, the slugs of Chinese names."""
