"""Rendering many documents: a persistent cache, then worker processes.

A document is re-rendered only when its cache key changes. The key covers
everything rendering reads: the document's path and source bytes, the
markup-relevant configuration, and the renderer itself (lemmata's version,
the markup code and the pinned Temml). Work that is left is split over worker
processes, each with its own math engine; results come back in input order,
so the output does not depend on the number of jobs.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import pickle
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import closing, contextmanager
from dataclasses import asdict
from functools import cache
from pathlib import Path

from lemmata.config import SiteConfig
from lemmata.content import Document
from lemmata.markup._model import Rendered

CACHE_DIR = ".lemmata"
"""Cache folder inside the site folder: safe to delete, ignored by git."""

_MIN_PER_WORKER = 16
"""Starting a worker costs about as much as rendering this many posts."""


def render_documents(
    documents: Sequence[Document],
    config: SiteConfig,
    *,
    jobs: int | None = None,
    on_done: Callable[[int], None] | None = None,
    use_cache: bool = True,
) -> dict[str, Rendered]:
    """Render every document, reusing cached results; keyed by ``document.path``."""
    from lemmata.markup._render import render_document

    tick = on_done or (lambda _n: None)
    salt = _salt(config)
    keys = {doc.path: _key(doc, salt) for doc in documents}
    results: dict[str, Rendered] = {}
    with _open_cache(config.root if use_cache else None) as store:
        cached = store.get_many(list(keys.values()))
        todo = []
        for doc in documents:
            hit = cached.get(keys[doc.path])
            if hit is not None:
                results[doc.path] = hit
            else:
                todo.append(doc)
        tick(len(documents) - len(todo))
        workers = _workers(jobs, len(todo))
        if workers <= 1:
            fresh = []
            for doc in todo:
                fresh.append(render_document(doc, config))
                tick(1)
        else:
            fresh = list(_in_pool(todo, config, workers, tick))
        for doc, rendered in zip(todo, fresh, strict=True):
            results[doc.path] = rendered
        store.put_many([(keys[doc.path], r) for doc, r in zip(todo, fresh, strict=True)])
        store.keep_only(set(keys.values()))
    return {doc.path: results[doc.path] for doc in documents}


def _workers(jobs: int | None, count: int) -> int:
    wanted = jobs if jobs is not None else (os.cpu_count() or 1)
    return max(1, min(wanted, count // _MIN_PER_WORKER))


def _in_pool(
    todo: Sequence[Document], config: SiteConfig, workers: int, tick: Callable[[int], None]
) -> Iterator[Rendered]:
    # "spawn" keeps workers independent of the parent's threads and V8 state
    # (the dev server renders from a thread; fork there is unsafe).
    context = multiprocessing.get_context("spawn")
    chunk = max(1, min(64, len(todo) // (workers * 4)))
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        for rendered in pool.map(_render_one, todo, [config] * len(todo), chunksize=chunk):
            tick(1)
            yield rendered


def _render_one(document: Document, config: SiteConfig) -> Rendered:
    from lemmata.markup._render import render_document

    return render_document(document, config)


def _key(document: Document, salt: str) -> str:
    digest = hashlib.sha256()
    for part in (salt, document.path, document.content_hash, str(document.body_line)):
        digest.update(part.encode("utf-8"))
        digest.update(b"\0")
    return digest.hexdigest()


def _salt(config: SiteConfig) -> str:
    """What, besides the document, decides its rendering."""
    relevant = {
        "markdown": asdict(config.markdown),
        "math": {"macros": dict(config.math.macros), "timeout_ms": config.math.timeout_ms},
        "excerpt": asdict(config.excerpt),
        "timezone": config.timezone,
        "slug_style": config.slug_style,
        "renderer": _renderer_version(),
    }
    return json.dumps(relevant, sort_keys=True, default=str)


@cache
def _renderer_version() -> str:
    """A digest of lemmata's own rendering code and pinned third-party assets."""
    import lemmata

    package = Path(lemmata.__file__).parent
    digest = hashlib.sha256(lemmata.__version__.encode())
    sources = sorted(package.glob("markup/*.py")) + sorted(package.glob("content/*.py"))
    for path in [*sources, package / "_vendor" / "pins.json"]:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


class _Store:
    """Rendered documents by key, in one SQLite file (one read for the whole site)."""

    def __init__(self, db: sqlite3.Connection | None) -> None:
        self._db = db

    def get_many(self, keys: list[str]) -> dict[str, Rendered]:
        if self._db is None or not keys:
            return {}
        found: dict[str, Rendered] = {}
        for start in range(0, len(keys), 900):
            part = keys[start : start + 900]
            marks = ",".join("?" * len(part))
            rows = self._db.execute(f"SELECT key, value FROM rendered WHERE key IN ({marks})", part)
            for key, value in rows:
                try:
                    found[key] = pickle.loads(value)
                except Exception:
                    continue
        return found

    def put_many(self, items: list[tuple[str, Rendered]]) -> None:
        if self._db is None or not items:
            return
        rows = [(key, pickle.dumps(r, pickle.HIGHEST_PROTOCOL)) for key, r in items]
        with self._db:
            self._db.executemany("INSERT OR REPLACE INTO rendered VALUES (?, ?)", rows)

    def keep_only(self, keys: set[str]) -> None:
        """Forget entries this site no longer uses, once they outnumber the live ones."""
        if self._db is None:
            return
        (total,) = self._db.execute("SELECT COUNT(*) FROM rendered").fetchone()
        if total <= 2 * len(keys) + 100:
            return
        with self._db:
            self._db.execute("CREATE TEMP TABLE IF NOT EXISTS live (key TEXT PRIMARY KEY)")
            self._db.execute("DELETE FROM live")
            self._db.executemany("INSERT INTO live VALUES (?)", [(k,) for k in keys])
            self._db.execute("DELETE FROM rendered WHERE key NOT IN (SELECT key FROM live)")


@contextmanager
def _open_cache(root: Path | None) -> Iterator[_Store]:
    if root is None:
        yield _Store(None)
        return
    folder = root / CACHE_DIR
    try:
        folder.mkdir(exist_ok=True)
        ignore = folder / ".gitignore"
        if not ignore.exists():
            ignore.write_text("*\n", encoding="utf-8")
        db = sqlite3.connect(folder / "render.sqlite3", timeout=30)
        db.execute("CREATE TABLE IF NOT EXISTS rendered (key TEXT PRIMARY KEY, value BLOB)")
    except (OSError, sqlite3.Error):
        # An unwritable or corrupt cache only costs speed.
        yield _Store(None)
        return
    with closing(db):
        yield _Store(db)
