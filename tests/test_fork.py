"""The page workers' result pipe holds a whole chunk of pages."""

from __future__ import annotations

import multiprocessing
import subprocess
import sys

import pytest

from lemmata import _fork

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="a Linux pipe setting")


def _pipe_size(queue: object) -> int:
    import fcntl

    return int(fcntl.fcntl(queue._reader.fileno(), fcntl.F_GETPIPE_SZ))  # type: ignore[attr-defined]


def test_a_pool_result_queue_is_widened() -> None:
    queue = multiprocessing.get_context("fork").SimpleQueue()
    assert _pipe_size(queue) < _fork.PIPE_BYTES
    _fork.widen_pipe(queue)
    assert _pipe_size(queue) == _fork.PIPE_BYTES


def test_anything_else_is_left_alone() -> None:
    _fork.widen_pipe(object())  # no pipe: nothing happens, nothing raised


_PAGES_SCRIPT = """
import os
from lemmata import _fork
from lemmata.theme import _parallel

widened = []
widen = _fork.widen_pipe
_fork.widen_pipe = lambda queue: widened.append(queue) or widen(queue)
_parallel._MIN_PER_WORKER = 1
pages = list(_parallel.render_all(lambda n: (b"%d" % n, frozenset()), list(range(5)), 2))
assert pages == [(b"%d" % n, frozenset()) for n in range(5)], pages
print(len(widened), flush=True)
os._exit(0)
"""


def test_the_page_pool_widens_its_result_pipe() -> None:
    done = subprocess.run(
        [sys.executable, "-c", _PAGES_SCRIPT], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "1"
