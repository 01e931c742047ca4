"""Rendering many pages in forked worker processes.

Once the site is assembled it is all in memory, and a forked worker sees it
as it is: only a range of route numbers goes to a worker, and only what
``render`` makes of each page (its bytes, the parts of ``site`` its template
read, its key and digest) comes back. Pages come back in route order, so the
output does not depend on the number of workers.

Fork is used only where it is safe (see :func:`lemmata._fork.is_safe`) and
worth it, with enough pages to share. A worker only renders templates; it
never touches the math engine.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from lemmata import _fork
from lemmata.errors import ContentError, Diagnostic
from lemmata.site import Route

if TYPE_CHECKING:  # a pool is started by large builds alone: 30 ms of imports spared
    from multiprocessing.pool import AsyncResult, Pool

Page = TypeVar("Page")
"""What ``render`` makes of a route."""

_MIN_PER_WORKER = 300
"""Starting a worker costs about as much as rendering this many pages."""
_CHUNK = 32
_IN_FLIGHT = 8
"""Chunks handed out ahead of the one being written: bounds the pages held in memory."""

_work: tuple[Callable[[Route], Any], Sequence[Route]] | None = None
"""What forked workers render: set just before the pool starts."""


@dataclass(frozen=True)
class _Failed:
    diagnostics: tuple[Diagnostic, ...]


def render_all(
    render: Callable[[Route], Page], routes: Sequence[Route], jobs: int | None
) -> Iterator[Page]:
    """``render(route)`` for every route, in order, over up to ``jobs`` workers."""
    workers = max(1, min(_fork.wanted_workers(jobs), len(routes) // _MIN_PER_WORKER))
    if workers <= 1 or not _fork.is_safe():
        yield from map(render, routes)
        return
    global _work
    _work = (render, routes)
    try:
        import multiprocessing

        pool = multiprocessing.get_context("fork").Pool(workers)
        try:
            _fork.widen_pipe(pool._outqueue)  # type: ignore[attr-defined]
            yield from _in_order(pool, len(routes))
        finally:
            pool.terminate()
            pool.join()
    finally:
        _work = None


def _in_order(pool: Pool, count: int) -> Iterator[Page]:
    starts = iter(range(0, count, _CHUNK))
    pending: deque[AsyncResult[list[Page] | _Failed]] = deque()

    def hand_out() -> None:
        start = next(starts, None)
        if start is not None:
            pending.append(pool.apply_async(_render_chunk, (start, min(start + _CHUNK, count))))

    for _ in range(_IN_FLIGHT):
        hand_out()
    while pending:
        done = pending.popleft().get()
        hand_out()
        if isinstance(done, _Failed):
            raise ContentError(done.diagnostics)
        yield from done


def _render_chunk(start: int, stop: int) -> list[Page] | _Failed:
    assert _work is not None
    render, routes = _work
    try:
        return [render(routes[index]) for index in range(start, stop)]
    except ContentError as exc:  # its diagnostics travel back; the exception would not
        return _Failed(tuple(exc.diagnostics))
