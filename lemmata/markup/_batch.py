"""Rendering many documents: a persistent cache, then worker processes.

A document is re-rendered only when its cache key changes. The key covers
everything rendering reads: the document's path and source bytes, the
markup-relevant configuration, and the renderer itself (lemmata's version,
the markup code and the pinned Temml). Work that is left is split over worker
processes, each with its own math engine (forked where that is safe, so that
they inherit the documents and loaded modules; spawned elsewhere); results
come back in input order, so the output does not depend on the number of jobs.
"""

from __future__ import annotations

import atexit
import hashlib
import json
import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict

from lemmata import _fork
from lemmata.cache import code_version, open_store
from lemmata.config import SiteConfig
from lemmata.content import Document
from lemmata.markup._model import Rendered

_MIN_PER_WORKER = 16
"""Starting a worker costs about as much as rendering this many posts."""
_STORE_EVERY = 128
"""Rendered documents written to the cache together."""


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
    with open_store(config.root if use_cache else None, "rendered") as store:
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
            fresh: Iterator[Rendered] = (render_document(doc, config) for doc in todo)
        else:
            fresh = _in_pool(todo, config, workers)
        # Stored as they come, while the workers render what follows.
        done: list[tuple[str, Rendered]] = []
        for doc, rendered in zip(todo, fresh, strict=True):
            results[doc.path] = rendered
            tick(1)
            if rendered.cacheable:
                done.append((keys[doc.path], rendered))
            if len(done) >= _STORE_EVERY:
                store.put_many(done)
                done = []
        store.put_many(done)
        store.keep_only(set(keys.values()))
    return {doc.path: results[doc.path] for doc in documents}


def _workers(jobs: int | None, count: int) -> int:
    wanted = jobs if jobs is not None else (os.cpu_count() or 1)
    return max(1, min(wanted, count // _MIN_PER_WORKER))


def _in_pool(todo: Sequence[Document], config: SiteConfig, workers: int) -> Iterator[Rendered]:
    chunk = max(1, min(64, len(todo) // (workers * 4)))
    if _fork.is_safe():  # never once V8 runs here: its thread makes this false
        # Forked workers inherit the documents and the loaded modules: only positions travel.
        global _forked
        _forked = (todo, config)
        try:
            with _pool(workers, "fork") as pool:
                yield from pool.map(_render_at, range(len(todo)), chunksize=chunk)
        finally:
            _forked = None
        return
    # Spawned elsewhere: independent of the parent's threads and V8 state (the dev
    # server renders from a thread). The configuration goes to each worker once.
    with _pool(workers, "spawn", config) as pool:
        yield from pool.map(_render_one, todo, chunksize=chunk)


def _pool(workers: int, method: str, config: SiteConfig | None = None) -> ProcessPoolExecutor:
    context = multiprocessing.get_context(method)
    return ProcessPoolExecutor(
        max_workers=workers, mp_context=context, initializer=_worker_started, initargs=(config,)
    )


_forked: tuple[Sequence[Document], SiteConfig] | None = None
"""What forked workers render: set just before their pool starts."""
_config: SiteConfig | None = None
"""A spawned worker's configuration, received when it started."""


def _worker_started(config: SiteConfig | None) -> None:
    global _config
    _config = config
    # A worker leaves without finalising its interpreter: tearing down a V8
    # isolate at shutdown can hang once mini-racer's event-loop thread is gone.
    # Its results are already sent; the operating system frees the rest.
    atexit.register(os._exit, 0)


def _render_at(index: int) -> Rendered:
    from lemmata.markup._render import render_document

    assert _forked is not None
    todo, config = _forked
    return render_document(todo[index], config)


def _render_one(document: Document) -> Rendered:
    from lemmata.markup._render import render_document

    assert _config is not None
    return render_document(document, _config)


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
        "renderer": code_version(),
    }
    return json.dumps(relevant, sort_keys=True, default=str)
