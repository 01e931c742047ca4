"""Worker processes: whether they may be forked from this one, how many, their result pipes."""

from __future__ import annotations

import os
import signal
import sys
import threading
from collections.abc import Callable
from contextlib import suppress


def is_safe() -> bool:
    """On Linux, from a process running a single Python thread.

    That is the command line, not the dev server, whose builds run beside its
    event loop. Starting the math engine starts a thread too, so a process
    whose V8 is running never forks (V8 does not survive a fork).
    """
    return sys.platform == "linux" and threading.active_count() == 1


def wanted_workers(jobs: int | None) -> int:
    """How many worker processes ``--jobs`` asks for: ``None`` means one per core."""
    return max(1, jobs if jobs is not None else (os.cpu_count() or 1))


PIPE_BYTES = 1 << 20
"""The largest pipe an unprivileged process may ask for on Linux (``pipe-max-size``)."""


def widen_pipe(queue: object) -> None:
    """Let a worker send a whole chunk of results through ``queue`` in one write.

    ``queue`` is a pool's own result queue (a ``multiprocessing.SimpleQueue``,
    reached through the pool's private attributes). A Linux pipe holds 64 KB, so
    a chunk of pages (~0.7 MB) crosses in a dozen rounds, each waking the
    pool's result thread here: a third of a CPU-second over 7,500 pages, a
    tenth of rendering them on two workers (measured). Rendered documents come
    back in smaller chunks, and gained nothing. Where the system has no such
    setting, or the queue is not a pipe, nothing changes.
    """
    try:
        import fcntl

        for end in (queue._reader, queue._writer):  # type: ignore[attr-defined]
            fcntl.fcntl(end.fileno(), fcntl.F_SETPIPE_SZ, PIPE_BYTES)
    except (ImportError, AttributeError, OSError):
        pass


def in_background(work: Callable[[], object]) -> int:
    """Run ``work`` in a process forked for it; its process id. Only where :func:`is_safe`.

    The forked process finishes its work even if the build is interrupted
    (what it writes is never left half done), ignores any exception (its
    work only spares later builds time) and exits at once, running no exit
    handler of this process. Wait for it with :func:`wait`.
    """
    sys.stdout.flush()
    sys.stderr.flush()
    child = os.fork()
    if child:
        return child
    try:  # pragma: no cover - the forked process, checked by what it leaves
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        work()
    finally:
        os._exit(0)


def wait(child: int | None) -> None:
    """Wait for a process started by :func:`in_background` (``None``: none) to end."""
    if child is not None:
        with suppress(ChildProcessError):
            os.waitpid(child, 0)
