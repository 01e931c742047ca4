"""Putting a finished folder in the place of the live one, and cleaning up after killed builds.

On Linux the two folders are exchanged by one ``renameat2(RENAME_EXCHANGE)``
call: at every instant the output path holds either the old site or the new
one, complete. Where that call is missing (other systems, file systems that
refuse it) two renames are used: live → ``.<name>.old-<pid>``, staging → live.
If the process dies between those two, the output path is missing until the
next publish, whose :func:`recover` renames the old folder back first.
"""

from __future__ import annotations

import ctypes
import errno
import os
import shutil
import sys
from collections.abc import Callable
from functools import cache
from pathlib import Path

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2
_UNSUPPORTED = frozenset({errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EXDEV})


def siblings(out: Path, kind: str) -> list[Path]:
    """The output's hidden siblings of one kind (``staging``, ``old``), any process id."""
    return sorted(out.parent.glob(f".{out.name}.{kind}-*"))


def sibling(out: Path, kind: str) -> Path:
    """This process's hidden sibling of one kind; ``spare`` has no process id."""
    suffix = "spare" if kind == "spare" else f"{kind}-{os.getpid()}"
    return out.parent / f".{out.name}.{suffix}"


def swap_in(staging: Path, out: Path) -> None:
    """Make ``staging`` the output folder; the previous output becomes the spare folder."""
    spare = sibling(out, "spare")
    if out.is_dir() and _exchange(staging, out):
        # ``staging`` now holds the previous output; a kill or a failure from
        # here on only loses the spare (the next publish removes the leftover).
        _keep_as_spare(staging, spare)
        return
    old = sibling(out, "old")
    _remove(old)
    if out.exists():
        out.rename(old)
    try:
        staging.rename(out)
    except OSError:
        if old.exists() and not out.exists():
            old.rename(out)
        raise
    if old.exists():
        _keep_as_spare(old, spare)


def _keep_as_spare(previous: Path, spare: Path) -> None:
    try:
        _remove(spare)
        previous.rename(spare)
    except OSError:
        pass


def recover(out: Path) -> None:
    """Undo what a killed publish left: restore a missing output, drop stale siblings.

    Call only while holding the publish lock, so no sibling belongs to a live build.
    """
    olds = sorted(siblings(out, "old"), key=lambda p: p.stat().st_mtime)
    if not out.exists() and olds:
        olds.pop().rename(out)
    for leftover in [*olds, *siblings(out, "staging"), *siblings(out, "clock")]:
        _remove(leftover)


def _remove(path: Path) -> None:
    """Delete one of our own siblings, whatever it is (never following a symlink)."""
    if path.is_symlink() or path.is_file():
        path.unlink()
    elif path.is_dir():
        shutil.rmtree(path, ignore_errors=True)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step; ``False`` where the system or file system cannot."""
    call = _renameat2()
    if call is None:
        return False
    if call(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in _UNSUPPORTED:
        return False
    raise OSError(code, os.strerror(code), str(b))


@cache
def _renameat2() -> Callable[[int, bytes, int, bytes, int], int] | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        function = ctypes.CDLL(None, use_errno=True).renameat2  # glibc ≥ 2.28, musl ≥ 1.2.5
    except (OSError, AttributeError):
        return None
    function.argtypes = [
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_uint,
    ]
    function.restype = ctypes.c_int
    typed: Callable[[int, bytes, int, bytes, int], int] = function
    return typed
