"""Rendering many documents: a persistent cache, then worker processes.

A document is re-rendered only when its cache key changes. The key covers
everything rendering reads: the document's path and source bytes, the
markup-relevant configuration, and the renderer itself (lemmata's version,
the markup code and the pinned Temml). Documents may arrive one at a time as
the content stage reads them; once enough need rendering, they go in chunks
to worker processes, each with its own math engine (forked where that is
safe, so that they start with the modules already loaded; spawned
elsewhere), while the next ones are read. Results come back in input order,
so the output does not depend on the number of jobs.
"""

from __future__ import annotations

import atexit
import hashlib
import json
import os
import re
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import nullcontext
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING

from lemmata import _fork
from lemmata._hashing import sha1
from lemmata.cache import CACHE_DIR, code_version, load_pickled, open_store, save_pickled
from lemmata.config import SiteConfig
from lemmata.content import Document, format_of
from lemmata.markup import _fragments, _math
from lemmata.markup._model import Rendered

if TYPE_CHECKING:  # workers are started by large builds alone: 30 ms of imports spared
    from concurrent.futures import Future, ProcessPoolExecutor

_MIN_PER_WORKER = 16
"""Starting a worker costs about as much as rendering this many posts."""
_CHUNK = 32
"""Documents sent to a worker together."""
_LOOKUP = 256
"""Documents looked up in the cache together, at most. The first batches are
smaller (from a chunk, doubling), so that the workers of a first build start
as soon as a chunk of documents has been read."""
_STORE_EVERY = 128
"""Rendered documents written to the cache together."""
_SMALL = 32
"""A small rebuild renders fewer documents than this: one post edited, a few saved
together. Rendered in the build process, they use and keep the fragments of
earlier builds, and a formula among them starts the math engine early. (One
process rendering a whole site, ``--jobs 1``, would write tens of thousands of
formulas and code blocks to the cache, for a table that only ever serves the
few documents being edited.) On two cores, workers start at the same count:
``2 * _MIN_PER_WORKER``."""


_MATH_MARKS = (b"$", b"\\(", b"\\[", b"\\begin{")
"""Bytes without which a source file has no formula (with them, it may)."""
_FORMULA_LIKE = re.compile(
    rb"\$\$.*?\$\$|\$[^$\n]+\$|\\\(.*?\\\)|\\\[.*?\\\]|\\begin\{[^}]*\}.*?\\end\{[^}]*\}", re.S
)
"""What may be a formula, found in the raw bytes: often more than the parser finds
(a dollar amount, a code span). A change it misses (an inline formula over two
lines) only makes the engine start when the formula needs it."""
_FORMULAS_FILE = "formulas.pickle"
_FORMULAS_FORMAT = 1


def start_math_early(config: SiteConfig, changed: Sequence[str] | None) -> None:
    """On a small rebuild that will typeset a formula, start the math engine now.

    ``changed`` are the site paths of the source files new or changed since
    the previous build (``None``: not known). So few documents are rendered
    in the build process, after every cached one has been read; the engine
    (V8 and Temml: ~0.17 s, mostly outside Python) starts in the background
    meanwhile. That is only a head start: a rebuild that turns out larger
    still renders right (its workers are then spawned, not forked).

    A document's formulas rendered by such a rebuild are kept (see
    :mod:`._fragments`), so an edit to its text alone needs no engine at all.
    What looks like a formula in each document a small rebuild renders is
    noted (``.lemmata/formulas.pickle``, by a digest); a changed document
    whose formula-like pieces are those noted for it starts no engine. When
    that guess is wrong (the kept fragments were cleared, a formula failed, a
    change went unseen), the engine starts when a formula needs it: later, and
    the output is the same.
    """
    if not changed or len(changed) >= _SMALL:
        return
    noted_file = config.root / CACHE_DIR / _FORMULAS_FILE
    noted = load_pickled(noted_file, _FORMULAS_FORMAT)
    if not isinstance(noted, dict):
        noted = {}
    needed = False
    for path in changed:
        if format_of(path) is None:
            continue
        try:
            data = (config.root / path).read_bytes()
        except OSError:
            continue  # reported when the document is read
        if any(mark in data for mark in _MATH_MARKS):
            formulas = sha1(b"\0".join(sorted(set(_FORMULA_LIKE.findall(data)))))
            needed = needed or noted.get(path) != formulas
            noted[path] = formulas
    save_pickled(noted_file, (_FORMULAS_FORMAT, noted))
    if needed:
        _math.start_engine(config.math.timeout_ms)


def render_documents(
    documents: Iterable[Document],
    config: SiteConfig,
    *,
    jobs: int | None = None,
    on_done: Callable[[int], None] | None = None,
    use_cache: bool = True,
) -> dict[str, Rendered]:
    """Render every document, reusing cached results; keyed by ``document.path``.

    ``documents`` may still be arriving (a :class:`~lemmata.content.DocumentStream`):
    each is looked up in the cache and, if it must be rendered, handed to the
    workers while the next ones are read.
    """
    tick = on_done or (lambda _n: None)
    salt = _salt(config)
    results: dict[str, Rendered] = {}
    keys: dict[str, str] = {}
    """Each document's cache key, by path, in input order."""
    cache_root = config.root if use_cache else None
    with open_store(cache_root, "rendered") as store:
        fresh: list[tuple[str, Rendered]] = []

        def finished(done: Iterator[tuple[Document, Rendered]]) -> None:
            """Stored as they come, while the workers render what follows (``done``
            may be every result still to come: the cache is written while waiting)."""
            nonlocal fresh
            for doc, rendered in done:
                results[doc.path] = rendered
                tick(1)
                if rendered.cacheable:
                    fresh.append((keys[doc.path], rendered))
                if len(fresh) >= _STORE_EVERY:
                    store.put_many(fresh)
                    fresh = []

        with _Renderer(config, jobs, cache_root) as renderer:
            for batch in _batches(documents, _CHUNK, _LOOKUP):
                wanted = {doc.path: _key(doc, salt) for doc in batch}
                keys.update(wanted)
                cached = store.get_many(list(wanted.values()))
                for doc in batch:
                    hit = cached.get(wanted[doc.path])
                    if hit is None:
                        renderer.add(doc)
                    else:
                        results[doc.path] = hit
                        tick(1)
                finished(renderer.ready())
            finished(renderer.rest())
        store.put_many(fresh)
        store.keep_only(set(keys.values()))
    return {path: results[path] for path in keys}


class _Renderer:
    """Documents to render, rendered here or, once there are enough, by worker processes."""

    def __init__(self, config: SiteConfig, jobs: int | None, cache_root: Path | None) -> None:
        self._config = config
        self._cache_root = cache_root
        """The site whose cache keeps formulas and code blocks (``None``: no cache)."""
        self._workers = _fork.wanted_workers(jobs)
        self._pool: ProcessPoolExecutor | None = None
        self._waiting: list[Document] = []
        """Not yet handed to a worker."""
        self._sent: deque[tuple[list[Document], Future[list[Rendered]]]] = deque()

    def __enter__(self) -> _Renderer:
        return self

    def __exit__(self, *_exc: object) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)

    def add(self, document: Document) -> None:
        self._waiting.append(document)
        if self._pool is None and self._workers > 1:
            if len(self._waiting) < self._workers * _MIN_PER_WORKER:
                return
            self._pool = _pool(self._workers, self._config)
        if self._pool is not None and len(self._waiting) >= _CHUNK:
            self._send()

    def ready(self) -> Iterator[tuple[Document, Rendered]]:
        """Documents rendered so far, in the order they were added; never waits."""
        while self._sent and self._sent[0][1].done():
            yield from self._take()

    def rest(self) -> Iterator[tuple[Document, Rendered]]:
        """Every document not yet given by :meth:`ready`, in order, waiting for each."""
        if self._pool is None:  # too few to be worth a worker
            from lemmata.markup._render import render_document

            small = self._cache_root is not None and len(self._waiting) < _SMALL
            with _fragments.kept(self._cache_root) if small else nullcontext():
                for doc in self._waiting:
                    yield doc, render_document(doc, self._config)
            self._waiting = []
            return
        self._send()
        while self._sent:
            yield from self._take()

    def _send(self) -> None:
        if self._waiting:
            assert self._pool is not None
            self._sent.append((self._waiting, self._pool.submit(_render_all, self._waiting)))
            self._waiting = []

    def _take(self) -> Iterator[tuple[Document, Rendered]]:
        docs, future = self._sent.popleft()
        yield from zip(docs, future.result(), strict=True)


def _batches(items: Iterable[Document], first: int, most: int) -> Iterator[list[Document]]:
    """``items`` in lists of ``first``, then twice as many each time, up to ``most``."""
    batch: list[Document] = []
    size = first
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch, size = [], min(most, 2 * size)
    if batch:
        yield batch


def _pool(workers: int, config: SiteConfig) -> ProcessPoolExecutor:
    # Forked where that is safe: workers start at once with the modules already
    # loaded. Spawned elsewhere: independent of the parent's threads and V8 state
    # (the dev server renders from a thread). Documents travel to either.
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    method = "fork" if _fork.is_safe() else "spawn"  # never fork once V8 runs here
    context = multiprocessing.get_context(method)
    return ProcessPoolExecutor(
        max_workers=workers, mp_context=context, initializer=_worker_started, initargs=(config,)
    )


_config: SiteConfig | None = None
"""A worker's configuration, received when it started."""


def _worker_started(config: SiteConfig) -> None:
    global _config
    _config = config
    # A worker leaves without finalising its interpreter: tearing down a V8
    # isolate at shutdown can hang once mini-racer's event-loop thread is gone.
    # Its results are already sent; the operating system frees the rest.
    atexit.register(os._exit, 0)


def _render_all(documents: list[Document]) -> list[Rendered]:
    from lemmata.markup._render import render_document

    assert _config is not None
    return [render_document(doc, _config) for doc in documents]


def _key(document: Document, salt: str) -> str:
    parts = (salt, document.path, document.content_hash, str(document.body_line), "")
    return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()


def _salt(config: SiteConfig) -> str:
    """What, besides the document, decides its rendering."""
    relevant = {
        "markdown": asdict(config.markdown),
        "math": {"macros": dict(config.math.macros), "timeout_ms": config.math.timeout_ms},
        "excerpt": asdict(config.excerpt),
        "timezone": config.timezone,
        "slug_style": config.slug_style,
        "renderer": code_version(),
    }
    return json.dumps(relevant, sort_keys=True, default=str)
