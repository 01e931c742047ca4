"""Reading source files into :class:`Document` objects."""

from __future__ import annotations

import dataclasses
import hashlib
import os
import posixpath
import time as clock
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import datetime, time
from itertools import chain
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo

from lemmata._utf8 import decode
from lemmata.cache import (
    CACHE_DIR,
    Store,
    code_version,
    load_pickled,
    open_store,
    save_pickled,
)
from lemmata.config import SiteConfig
from lemmata.content._discover import CONTENT_DIR, discover, format_of
from lemmata.content._fields import typed_front_matter
from lemmata.content._frontmatter import Block, read_front_matter
from lemmata.content._model import Document, Format, Kind
from lemmata.content._notebook import notebook_front_matter
from lemmata.content._problem import Place, placed, same_lines
from lemmata.content._slug import needs_dictionary, slugify, split_date_prefix
from lemmata.errors import Diagnostic, SourceText
from lemmata.fingerprint import UNKNOWN, Stamp, stamp_of

POSTS_DIR = f"{CONTENT_DIR}/posts"
_SECTION_ROOTS = {CONTENT_DIR, POSTS_DIR, f"{CONTENT_DIR}/pages"}
"""Folders whose ``index.md`` is not a bundle (there is no ``NAME`` to take the slug from)."""
_BATCH = 256
"""Files read, looked up in the cache and parsed together."""
_SETTLED_NS = 2_000_000_000
"""A file whose status changed less than this long before a build read it is read
again by the next build, whatever its stamp: a second change within the file
system's timestamp resolution could otherwise leave the stamp as it was."""
_STAMPS_HOLD = os.name != "nt"
"""Whether a file's stamp shows every change to it. Windows gives a file's creation
time as its ``st_ctime``, which an edit leaves alone: there every file is read."""


def load_documents(
    config: SiteConfig, *, use_cache: bool = True
) -> tuple[tuple[Document, ...], tuple[Diagnostic, ...]]:
    """Every document under ``content/``, sorted by path, and the problems found reading them.

    A file whose bytes (and path, and the settings parsing reads) are those of a
    previous build is not parsed again: its document comes from the cache.
    """
    stream = DocumentStream(config, use_cache=use_cache)
    for _document in stream:
        pass
    return stream.result()


class DocumentStream:
    """The documents under ``content/``, each handed on as soon as it is known.

    Iterating yields every document once: cached ones as their batch is looked
    up, then those parsed afresh. A consumer (the renderer) can start on them
    while the rest are still being read. Once the iteration is over,
    :meth:`result` gives them sorted by path, with the problems found.
    """

    def __init__(
        self,
        config: SiteConfig,
        *,
        use_cache: bool = True,
        stamps: Mapping[str, Stamp] | None = None,
    ) -> None:
        self._config = config
        self._use_cache = use_cache
        self._salt = f"{config.timezone}\0{config.slug_style}\0{code_version()}\0"
        """What the cache keys are made with, besides each file's path and bytes."""
        self._stamps = stamps
        """Every file under ``content/`` and its stamp, as the build's fingerprint just
        took them (``None``: each document is looked at here)."""
        self._files = discover(config.root, stamps)
        self._found: list[Document | Diagnostic | None] = []
        """In file order: a document, a file that could not be read, or one still to parse."""
        self._done = False

    @property
    def expected(self) -> int:
        """How many source files there are (an unreadable one yields no document)."""
        return len(self._files)

    def __iter__(self) -> Iterator[Document]:
        config, found = self._config, self._found
        stamps = _Stamps(
            config.root / CACHE_DIR if self._use_cache else None, self._salt, self._stamps
        )
        with open_store(config.root if self._use_cache else None, "documents") as store:
            parsing = _Parsing(config, store, found)
            keys: list[str] = []
            any_cached = False
            # A batch at a time, so that the bytes of every cached file are never all
            # held at once (those of files to parse are, until the cache has been read).
            for start in range(0, len(self._files), _BATCH):
                batch = self._keyed(self._files[start : start + _BATCH], stamps)
                keys += [key for *_, key in batch]
                cached = store.get_many([key for *_, key in batch])
                for index, path, relative, data, key in batch:
                    document = cached.get(key)
                    if isinstance(document, Document):
                        found[index] = document
                        any_cached = True
                        yield document
                    else:
                        parsing.add(index, path, relative, data, key)
                if not any_cached:  # nothing cached so far (a first build): no slug to learn
                    yield from parsing.parsed()
            # The others are parsed once every cached document is known: the slugs of the
            # terms they share with a changed file need not be made again.
            parsing.slugs.learn(d.term_slugs for d in found if isinstance(d, Document))
            yield from parsing.parsed()
            parsing.finish()
            store.keep_only(set(keys))
        stamps.save()
        self._done = True

    def _keyed(
        self, files: list[tuple[str, str]], stamps: _Stamps
    ) -> list[tuple[int, str, str, bytes | None, str]]:
        """Each file's place in the stream, paths, bytes (if it had to be read) and key.

        A file whose stamp is unchanged is known by its key alone; one that cannot
        be read takes its place as a problem.
        """
        keyed = []
        for path, relative in files:
            try:
                key, data = stamps.key(path, relative), None
                if key is None:  # new or changed since it was last read
                    data = _read(path)
                    key = hashlib.sha256(f"{self._salt}{relative}\0".encode() + data).hexdigest()
                    stamps.read(relative, key)
            except OSError as exc:
                self._found.append(_unreadable(relative, exc))
                continue
            keyed.append((len(self._found), path, relative, data, key))
            self._found.append(None)
        return keyed

    def result(self) -> tuple[tuple[Document, ...], tuple[Diagnostic, ...]]:
        """Every document, sorted by path, and every problem found; once iterated."""
        assert self._done, "the stream was not read to its end"
        found = self._found
        loaded = tuple(d for d in found if isinstance(d, Document))
        problems = (d.diagnostics if isinstance(d, Document) else (d,) for d in found if d)
        return loaded, tuple(chain.from_iterable(problems))


class _Parsing:
    """The documents of a stream parsed afresh, and stored in the cache a batch at a time.

    Those whose slugs wait for the pinyin dictionaries (see :class:`_Slugs`) are
    stored by :meth:`finish`, once their slugs are made.
    """

    def __init__(
        self, config: SiteConfig, store: Store, found: list[Document | Diagnostic | None]
    ) -> None:
        self._config = config
        self._store = store
        self._found = found
        """The stream's list, in file order: each document parsed takes its place there."""
        self.slugs = _Slugs(config.slug_style)
        self._unparsed: list[tuple[int, str, bytes, str]] = []
        self._waiting: list[tuple[int, str]] = []
        """Parsed documents whose slugs are stand-ins, by place, and their keys."""

    def add(self, index: int, path: str, relative: str, data: bytes | None, key: str) -> None:
        """A file to parse (``data``: ``None`` if known by its stamp but no longer cached)."""
        if data is None:
            try:
                data = _read(path)
            except OSError as exc:
                self._found[index] = _unreadable(relative, exc)
                return
        self._unparsed.append((index, relative, data, key))

    def parsed(self) -> Iterator[Document]:
        """The files added so far, parsed."""
        for start in range(0, len(self._unparsed), _BATCH):
            fresh = []
            for index, relative, data, key in self._unparsed[start : start + _BATCH]:
                document = _parse(self._config, relative, data, self.slugs.of)
                self._found[index] = document
                if self.slugs.waits(document):
                    self._waiting.append((index, key))
                else:
                    fresh.append((key, document))
                yield document
            self._store.put_many(fresh)
        self._unparsed.clear()

    def finish(self) -> None:
        """Give the documents their real slugs at last, and store them.

        Meanwhile the workers have been rendering the documents as they were yielded.
        """
        fresh = []
        for index, key in self._waiting:
            document = self._found[index]
            assert isinstance(document, Document)
            self._found[index] = document = self.slugs.made(document)
            fresh.append((key, document))
        self._store.put_many(fresh)


class _Slugs:
    """Slugs for the documents of one stream; those that need the pinyin dictionaries
    (~0.3 s to load) come last.

    A Chinese name or term first gets a stand-in (NUL and the text: no slug has a
    NUL), and :meth:`made` gives the document its real slugs once every document
    is parsed: on a first build, the worker processes have been rendering the
    documents meanwhile instead of waiting for the dictionaries. Terms known
    from cached documents are not slugified again.
    """

    _LATER = "\0"

    def __init__(self, style: Literal["pinyin", "unicode"]) -> None:
        self._style = style
        self._known: dict[str, str] = {}

    def learn(self, term_slugs: Iterable[Iterable[tuple[str, str]]]) -> None:
        """Note the slugs of documents' terms (stand-ins are left out)."""
        later = self._LATER
        for pairs in term_slugs:
            self._known.update((term, slug) for term, slug in pairs if not slug.startswith(later))

    def of(self, text: str) -> str:
        """The slug of ``text``, or a stand-in if it needs the dictionaries and is not known."""
        if text not in self._known and needs_dictionary(text, self._style):
            return self._LATER + text
        return self._slug(text)

    def waits(self, document: Document) -> bool:
        """Whether a slug of the document is a stand-in."""
        later = self._LATER
        return document.slug.startswith(later) or any(
            slug.startswith(later) for _, slug in document.term_slugs
        )

    def made(self, document: Document) -> Document:
        """The document with real slugs for its stand-ins."""
        return dataclasses.replace(
            document,
            slug=self._real(document.slug),
            term_slugs=tuple((term, self._real(slug)) for term, slug in document.term_slugs),
        )

    def _real(self, slug: str) -> str:
        return self._slug(slug[len(self._LATER) :]) if slug.startswith(self._LATER) else slug

    def _slug(self, text: str) -> str:
        if text not in self._known:
            self._known[text] = slugify(text, self._style)
        return self._known[text]


def _read(path: str) -> bytes:
    with open(path, "rb") as handle:  # noqa: PTH123 (thousands of files: no pathlib)
        return handle.read()


def _unreadable(relative: str, exc: OSError) -> Diagnostic:
    return SourceText(relative, "").error(f"cannot read file: {exc.strerror}")


class _Stamps:
    """Each source file's cache key, as of the file's stamp when a build last read it.

    A file whose stamp is unchanged is not read again: its key is the one its
    bytes had. The status-change time, which no program can set, changes with
    any write, rename over or permission change, so a file edited and given
    back its size and modification time is still read. Kept in
    ``.lemmata/sources.pickle`` (``cache_dir``: ``None``, none), for one ``salt``
    (the settings and code keys are made with).
    """

    _FILE = "sources.pickle"

    def __init__(
        self, cache_dir: Path | None, salt: str, taken: Mapping[str, Stamp] | None = None
    ) -> None:
        self._file = cache_dir / self._FILE if cache_dir is not None else None
        self._salt = salt
        self._taken = taken or {}
        """Stamps taken just before this build read anything (its fingerprint's)."""
        self._started = clock.time_ns()
        self._old = self._load()
        self._new: dict[str, tuple[Stamp, str]] = {}
        self._stamp: dict[str, Stamp] = {}

    def key(self, path: str, relative: str) -> str | None:
        """The file's key if its stamp is the one recorded with it, else ``None``."""
        if self._file is None or not _STAMPS_HOLD:
            return None
        stamp = self._taken.get(relative)
        if stamp is None or stamp == UNKNOWN:
            stamp = stamp_of(os.stat(path))  # noqa: PTH116 (thousands of files: no pathlib)
        self._stamp[relative] = stamp
        old = self._old.get(relative)
        if old is not None and old[0] == stamp:
            self._new[relative] = old
            return old[1]
        return None

    def read(self, relative: str, key: str) -> None:
        """The file was read and its key is ``key``; its stamp was taken before."""
        stamp = self._stamp.get(relative)
        if stamp is not None and stamp[2] < self._started - _SETTLED_NS:
            self._new[relative] = (stamp, key)

    def save(self) -> None:
        if self._file is not None and self._new != self._old:
            save_pickled(self._file, (self._salt, self._new))

    def _load(self) -> dict[str, tuple[Stamp, str]]:
        known = load_pickled(self._file, self._salt) if self._file is not None else None
        return known if isinstance(known, dict) else {}


def parse_document(
    config: SiteConfig, path: str, data: bytes, known_slugs: Mapping[str, str] | None = None
) -> Document:
    """One file's bytes as a :class:`Document`; ``path`` is site-relative.

    Pure, and never raises on the file's content: every problem becomes a
    diagnostic of the document. ``known_slugs`` are terms already slugified
    with this configuration.
    """
    known = known_slugs or {}
    return _parse(
        config, path, data, lambda text: known.get(text) or slugify(text, config.slug_style)
    )


def _parse(config: SiteConfig, path: str, data: bytes, slug_of: Callable[[str], str]) -> Document:
    """:func:`parse_document`, with ``slug_of`` making the slugs of its name and terms."""
    text, bad_bytes = decode(path, data)
    source = SourceText(path, text)
    form = format_of(path) or Format.MARKDOWN
    block, place = _front_matter(text, form)
    zone = ZoneInfo(config.timezone)
    meta, field_problems = typed_front_matter(block.data, block.keys, block.data_line, zone)
    diagnostics = [bad_bytes] if bad_bytes is not None else []
    diagnostics += placed(source, (*block.problems, *field_problems), place)

    bundle_dir = _bundle_dir(path)
    stem = posixpath.splitext(posixpath.basename(bundle_dir or path))[0]
    name, prefix_date = split_date_prefix(stem)
    if meta.date is None and prefix_date is not None:
        meta = dataclasses.replace(meta, date=datetime.combine(prefix_date, time(), zone))
    body_start, body_line = (
        (0, 1) if form is Format.NOTEBOOK else (len(text) - len(block.body), block.body_line + 1)
    )
    return Document(
        path=path,
        kind=Kind.POST if path.startswith(POSTS_DIR + "/") else Kind.PAGE,
        format=form,
        text=text,
        body_start=body_start,
        body_line=body_line,
        meta=meta,
        slug=slug_of(meta.slug.strip("/") if meta.slug else name),
        bundle_dir=bundle_dir,
        content_hash=hashlib.sha256(data).hexdigest(),
        diagnostics=tuple(diagnostics),
        term_slugs=tuple(
            (term, slug_of(term)) for term in dict.fromkeys((*meta.categories, *meta.tags))
        ),
    )


def _front_matter(text: str, form: Format) -> tuple[Block, Place]:
    if form is Format.NOTEBOOK:
        found = notebook_front_matter(text)
        return found.block, found.place
    return read_front_matter(text), same_lines


def _bundle_dir(path: str) -> str | None:
    """The folder of ``NAME/index.md`` (or ``index.ipynb``), whose other files are its assets."""
    folder, name = posixpath.split(path)
    if posixpath.splitext(name)[0] != "index" or folder in _SECTION_ROOTS:
        return None
    return folder
