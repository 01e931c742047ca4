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
from typing import Any, Generic, ParamSpec, TypeVar

from lemmata.cache import Store, code_version, open_store

P = ParamSpec("P")
R = TypeVar("R")

_LIMIT = 50_000
"""Fragments kept at most; past that the table starts afresh (it only costs speed)."""


class _Kept:
    """The fragments of one store: looked up on first use, new ones saved at the end."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._known: dict[str, Any] = {}
        """Every key asked for so far, with its fragment (``None``: not kept)."""
        self.fresh: dict[str, Any] = {}

    def get(self, key: str) -> Any:
        if key not in self._known:
            self._known[key] = self._store.get_many([key]).get(key)
        return self._known[key]

    def put(self, key: str, value: Any) -> None:
        self._known[key] = self.fresh[key] = value


_active: _Kept | None = None
"""The fragments in use, while :func:`kept` is active."""


@contextmanager
def kept(root: Path | None) -> Iterator[None]:
    """Within this block, :func:`remembered` functions use the cache of the site at ``root``."""
    global _active
    with open_store(root, "fragments") as store:
        _active = active = _Kept(store)
        try:
            yield
        finally:
            _active = None
        store.put_many(list(active.fresh.items()))
        store.clear_if_over(_LIMIT)


def remembered(kind: str, value: Callable[P, R], keep: Callable[[R], bool]) -> Remembered[P, R]:
    """``value``, through the kept fragments when :func:`kept` is active.

    Its arguments must be positional plain strings, numbers and booleans (their
    ``repr`` is the key); a result is kept only if ``keep(result)``.
    """
    return Remembered(kind, value, keep)


class Remembered(Generic[P, R]):
    """A function whose results are kept across builds: see :func:`remembered`."""

    def __init__(self, kind: str, value: Callable[P, R], keep: Callable[[R], bool]) -> None:
        self._kind = kind
        self._value = value
        self._keep = keep

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> R:
        active = _active
        if active is None or kwargs:
            return self._value(*args, **kwargs)
        key = self._key(args)
        known: R | None = active.get(key)
        if known is None:
            known = self._value(*args, **kwargs)
            if self._keep(known):
                active.put(key, known)
        return known

    def is_kept(self, *args: object) -> bool:
        """Whether a call with these arguments will find its result kept (not call ``value``)."""
        active = _active
        return active is not None and active.get(self._key(args)) is not None

    def _key(self, args: tuple[object, ...]) -> str:
        text = f"{self._kind}\0{code_version()}\0{args!r}"
        return hashlib.sha256(text.encode()).hexdigest()
