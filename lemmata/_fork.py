"""Whether worker processes may be forked from this one."""

from __future__ import annotations

import sys
import threading


def is_safe() -> bool:
    """On Linux, from a process running a single Python thread.

    That is the command line, not the dev server, whose builds run beside its
    event loop. Starting the math engine starts a thread too, so a process
    whose V8 is running never forks (V8 does not survive a fork).
    """
    return sys.platform == "linux" and threading.active_count() == 1
