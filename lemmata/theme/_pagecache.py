"""Reusing pages of the previous build whose inputs have not changed.

A page's key is a digest of everything its rendering reads: the templates
(the site's overrides and the theme's), lemmata's own code, the globals
(configuration, asset URLs, extra head HTML…), the route and its context,
and those parts of ``site`` the template looked at last time. Templates reach
``site`` through a view that notes each attribute read, so a page that never
touches ``site.posts`` is not re-rendered because some post changed; the
archive page, which does, is.

A reused page is not read back: the publisher hard-links the file of the
live output into the new one. A record is trusted only while that file is
exactly the one lemmata wrote (same size, modification time and inode), so
an output folder edited or replaced by hand is simply rendered again.
Records live in ``.lemmata/`` (one file per output folder); deleting them
only costs time.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import operator
import os
import pickle
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime, timezone
from pathlib import Path
from types import BuiltinFunctionType, FunctionType
from typing import Any
from zoneinfo import ZoneInfo

from lemmata._pickling import compact
from lemmata.cache import code_version
from lemmata.site import DERIVED, Site

_FORMAT = 1
"""Bumped whenever the records' layout changes."""


@compact
@dataclasses.dataclass(frozen=True, slots=True)
class _Record:
    key: str
    used: tuple[str, ...]
    """The attributes of ``site`` the template read."""
    stamp: tuple[int, int, int]
    """Size, modification time (ns) and inode of the file written."""


class Digests:
    """Digests of template data; each dataclass instance is digested once per build.

    A value is pickled (by the C pickler: strings, numbers, dates, tuples,
    lists and dicts as they are) and the pickle hashed. A dataclass instance
    is pickled as a reference to its own digest, made from its class name and
    fields, once; a value with a ``content_digest`` (an entry's body) by that
    digest; a field marked :data:`~lemmata.site.DERIVED` is left out; any other
    object by its ``repr``. Digests only tell changed inputs from unchanged ones:
    equal values pickled differently (a dict built in another order) merely
    cost a page render.
    """

    def __init__(self) -> None:
        self._memo: dict[int, tuple[object, tuple[object, ...]]] = {}
        self._fields: dict[type, Callable[[object], tuple[object, ...]] | None] = {}
        self._picklers: list[tuple[io.BytesIO, _Pickler]] = []
        self._depth = 0

    def of(self, value: object) -> bytes:
        return hashlib.sha1(self._pickled(value), usedforsecurity=False).digest()

    def _pickled(self, value: object) -> bytes:
        # One pickler per nesting level: a dataclass met while pickling is
        # digested (pickled) on its own, one level down.
        depth = self._depth
        if depth == len(self._picklers):
            buffer = io.BytesIO()
            self._picklers.append((buffer, _Pickler(buffer, self)))
        buffer, pickler = self._picklers[depth]
        buffer.seek(0)
        buffer.truncate()
        self._depth = depth + 1
        try:
            pickler.dump(value)
        finally:
            self._depth = depth
        return buffer.getvalue()


class _Pickler(pickle.Pickler):
    """Pickles template data for :class:`Digests`, writing dataclasses as their digests."""

    def __init__(self, buffer: io.BytesIO, digests: Digests) -> None:
        super().__init__(buffer, protocol=5)
        self.fast = True  # no memo: equal values pickle alike, shared or not
        self._of = digests.of
        self._memo = digests._memo
        self._fields = digests._fields

    def reducer_override(self, obj: object) -> Any:
        """How to write ``obj`` (anything but a str, number, tuple, list or dict)."""
        kind = type(obj)
        if kind in _AS_THEY_ARE:
            return NotImplemented
        if kind in _BY_NAME:  # a class or function: by its name, if it has one
            if "<" in getattr(obj, "__qualname__", "<"):  # a lambda, a local function
                return (_repr, (f"{kind.__qualname__}:{obj!r}",))
            return NotImplemented
        known = self._memo.get(id(obj))
        if known is not None and known[0] is obj:
            return known[1]
        fields = self._fields.get(kind, _UNSEEN)
        if fields is _UNSEEN:
            fields = self._fields[kind] = _fields_of(kind)
        if fields is not None:
            reduced = (_digest, (self._of((kind.__qualname__, fields(obj))),))
            self._memo[id(obj)] = (obj, reduced)
            return reduced
        own = getattr(obj, "content_digest", None)
        if isinstance(own, bytes):  # a value that digests itself (a body not yet decoded)
            return (_digest, (own,))
        if isinstance(obj, Mapping):
            return (dict, (sorted(obj.items(), key=lambda pair: repr(pair[0])),))
        if isinstance(obj, str):  # Markup and other subclasses: their text
            return (str, (str(obj),))
        # anything else: its repr (a stray object's address only costs a re-render)
        return (_repr, (f"{kind.__qualname__}:{obj!r}",))


_AS_THEY_ARE = frozenset({date, datetime, timezone, ZoneInfo})
"""Types the pickler writes by value, the same way every time."""
_BY_NAME = frozenset({type, FunctionType, BuiltinFunctionType})
"""Types the pickler writes by module and qualified name."""
_UNSEEN: Any = object()


def _fields_of(kind: type) -> Callable[[object], tuple[object, ...]] | None:
    """For a dataclass, a function returning the values of its fields (not derived ones)."""
    if not dataclasses.is_dataclass(kind):
        return None
    names = [f.name for f in dataclasses.fields(kind) if not f.metadata.get(DERIVED)]
    if len(names) > 1:
        return operator.attrgetter(*names)  # C speed
    return lambda value: tuple(getattr(value, name) for name in names)


def _digest(digest: bytes) -> bytes:
    """Stands for a value in pickles: never called, only named."""
    return digest


def _repr(text: str) -> str:
    """Stands for an object's ``repr`` in pickles: never called, only named."""
    return text


class SiteView:
    """``site`` as templates see it: every attribute read is noted in ``used``."""

    __slots__ = ("_site", "used")

    def __init__(self, site: Site) -> None:
        self._site = site
        self.used: set[str] = set()

    def __getattr__(self, name: str) -> Any:
        self.used.add(name)
        return getattr(self._site, name)


class PageCache:
    """The previous build's page records for one output folder."""

    def __init__(self, cache_dir: Path | None, out_dir: Path) -> None:
        self.out_dir = out_dir
        self.cache_dir = cache_dir
        self._file = (
            cache_dir / f"pages-{hashlib.sha256(str(out_dir).encode()).hexdigest()[:12]}.pickle"
            if cache_dir is not None
            else None
        )
        self._old = self._load()
        self._new: dict[str, _Record | tuple[str, tuple[str, ...]]] = {}
        """Pages of this build: the record of a reused page, the key and reads of a rendered one."""

    def reusable(self, path: str, key_for: Any) -> str | None:
        """The live file to reuse for ``path``, if its record still holds.

        ``key_for(used)`` computes the page's key given the ``site`` attributes it reads.
        """
        record = self._old.get(path)
        if record is None:
            return None
        live = f"{self.out_dir}/{path}"
        if _stamp(live) != record.stamp or key_for(record.used) != record.key:
            return None
        # Published as a hard link to this very file: its record still holds.
        # (Were it copied instead, the stamp would no longer match: a render next time.)
        self._new[path] = record
        return live

    def rendered(self, path: str, key: str, used: Iterable[str]) -> None:
        """Note a page rendered this build; saved by :meth:`commit`."""
        self._new[path] = (key, tuple(sorted(used)))

    def commit(self) -> None:
        """Save records for this build's pages, once they are in the live output."""
        if self._file is None:
            return
        records = {}
        for path, page in self._new.items():
            if isinstance(page, _Record):
                records[path] = page
                continue
            stamp = _stamp(f"{self.out_dir}/{path}")
            if stamp is not None:
                records[path] = _Record(*page, stamp)
        try:
            self._file.parent.mkdir(exist_ok=True)
            fresh = self._file.with_name(f"{self._file.name}.{os.getpid()}.new")
            fresh.write_bytes(pickle.dumps((_FORMAT, records), pickle.HIGHEST_PROTOCOL))
            fresh.replace(self._file)
        except OSError:
            pass  # an unwritable cache only costs speed

    def _load(self) -> dict[str, _Record]:
        if self._file is None:
            return {}
        try:
            version, records = pickle.loads(self._file.read_bytes())
        except Exception:  # missing, truncated or from another version: start afresh
            return {}
        return records if version == _FORMAT and isinstance(records, dict) else {}


def _stamp(path: str) -> tuple[int, int, int] | None:
    try:
        found = os.lstat(path)
    except OSError:
        return None
    return (found.st_size, found.st_mtime_ns, found.st_ino)


def templates_digest(folders: Iterable[Path]) -> bytes:
    """Every template file (name and bytes) and lemmata's own code."""
    digest = hashlib.blake2b(digest_size=20)
    digest.update(code_version().encode())
    for folder in folders:
        if not folder.is_dir():
            continue
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
            digest.update(path.read_bytes())
    return digest.digest()
