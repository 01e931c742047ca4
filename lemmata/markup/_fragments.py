"""Formulas and code blocks rendered by earlier builds, kept across builds.

A small rebuild (one post edited) renders that document in the build
process, and most of its formulas and code blocks are those it had before
the edit. Kept in the cache by their inputs, they spare starting the math
engine and compiling lexers: the two slowest parts of rendering one post.

Only a small rebuild's documents, rendered in the build process, use them
(:func:`kept`). Worker processes of a large build keep their own memo of
formulas in memory instead: a lookup per formula would cost them more than
it saves, and the table would fill with fragments nobody edits.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

from lemmata.cache import code_version, open_store

P = ParamSpec("P")
R = TypeVar("R")

_LIMIT = 50_000
"""Fragments kept at most; past that the table starts afresh (it only costs speed)."""

_table: dict[str, Any] | None = None
"""Fragments known to this rendering (looked up on first use), while :func:`kept` is active."""
_lookup: Callable[[str], Any] | None = None


@contextmanager
def kept(root: Path | None) -> Iterator[None]:
    """Within this block, :func:`remembered` functions use the cache of the site at ``root``."""
    global _table, _lookup
    with open_store(root, "fragments") as store:
        found: dict[str, Any] = {}
        fresh: dict[str, Any] = {}

        def lookup(key: str) -> Any:
            if key not in found:
                found[key] = store.get_many([key]).get(key)
            return found[key]

        _table, _lookup = fresh, lookup
        try:
            yield
        finally:
            _table = _lookup = None
        store.put_many(list(fresh.items()))
        store.clear_if_over(_LIMIT)


def remembered(kind: str, value: Callable[P, R], keep: Callable[[R], bool]) -> Callable[P, R]:
    """``value``, through the kept fragments when :func:`kept` is active.

    Its arguments must be positional plain strings, numbers and booleans (their
    ``repr`` is the key); a result is kept only if ``keep(result)``.
    """

    def through(*args: P.args, **kwargs: P.kwargs) -> R:
        if _lookup is None or _table is None or kwargs:
            return value(*args, **kwargs)
        key = hashlib.sha256(f"{kind}\0{code_version()}\0{args!r}".encode()).hexdigest()
        known: R | None = _table.get(key)
        if known is None:
            known = _lookup(key)
        if known is None:
            known = value(*args, **kwargs)
            if keep(known):
                _table[key] = known
        return known

    return through
