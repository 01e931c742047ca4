"""The search index: Pagefind's extended build (which segments Chinese), run as a command.

Only the article body of posts and pages is indexed (the theme marks it with
``data-pagefind-body``); navigation, footers and related-post lists are left
out. MathML is removed before indexing: its ``<mi>``/``<mo>`` letters are
noise, not words. A large site's index comes in parts, so that a build runs
Pagefind again only for the parts whose pages changed (kept in :mod:`._kept`;
Pagefind itself runs in :mod:`._pagefind`).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from threading import Event
from typing import BinaryIO, NamedTuple

from lemmata.cache import code_version, load_pickled, save_pickled
from lemmata.config import SiteConfig
from lemmata.errors import BuildInterruptedError, OutputError
from lemmata.output import _pagefind
from lemmata.output._kept import KeptParts
from lemmata.output._known import Identity, identity
from lemmata.site import OutputFile, Urls

BUNDLE = "pagefind"
_MATH = re.compile(r"<math\b.*?</math>", re.DOTALL)
_SEEN_FORMAT = 1


def with_search_index(
    files: Iterable[OutputFile],
    config: SiteConfig,
    interrupt: Event | None = None,
    cache_dir: Path | None = None,
) -> Iterator[OutputFile]:
    """``files``, passed on one by one, then the Pagefind bundle (``pagefind/…``) for
    the HTML pages among them; just ``files`` if search is off.

    A site of more than ``[search] part_size`` indexed pages gets its index in
    parts (:func:`part_count`), each kept in ``cache_dir`` by the pages it holds:
    a build runs Pagefind only for the parts whose pages changed. Once
    ``interrupt`` is set, :class:`BuildInterruptedError` is raised, and Pagefind,
    if it is running, is stopped: indexing a large site takes tens of seconds.
    """
    if not config.search.enabled:
        yield from files
        return
    with (
        tempfile.TemporaryDirectory(prefix="lemmata-search-") as folder,
        open(f"{folder}/pages", "w+b") as spool,  # noqa: PTH123
    ):
        root = Path(folder)
        # What Pagefind is to read of each page goes to one file as it comes: only the
        # pages of the parts indexed again are written as files of their own, which
        # costs ~0.7 ms a page (5,000 pages: 3.5 s). A page linked from the live
        # output as it was is not even read: its digest is known.
        pages: list[_Page] = []
        seen = _Seen(cache_dir)
        for item in files:
            _pagefind.stop_if(interrupt)
            if item.path.endswith(".html"):
                known = seen.digest(item)
                if known is None:
                    indexed = _indexed(item.read())
                    known = hashlib.sha1(indexed).digest() if indexed is not None else b""
                    seen.note(item, known)
                    if indexed is not None:
                        pages.append(_Page(item.path, known, spool.tell(), len(indexed), None))
                        spool.write(indexed)
                elif known:
                    pages.append(_Page(item.path, known, -1, 0, item.source))
            yield item
        try:
            yield from _bundle(root, pages, spool, config, interrupt, KeptParts(cache_dir))
            seen.save()
        except (OutputError, BuildInterruptedError):
            raise
        except Exception as exc:  # the Pagefind binary is missing, crashed or was killed
            raise OutputError(
                f"search index failed (Pagefind): {type(exc).__name__}: {exc}"
            ) from None


def part_count(pages: int, part_size: int) -> int:
    """How many parts an index of ``pages`` pages has: a power of two, so that the
    count, and with it every page's part, stays the same while a site grows until
    it doubles."""
    count = 1
    while count * part_size < pages:
        count *= 2
    return count


def _part_of(path: str, count: int) -> int:
    return int.from_bytes(hashlib.sha1(path.encode("utf-8")).digest()[:4], "big") % count


def _indexed(page: bytes) -> bytes | None:
    """What Pagefind reads of a page: the page without its MathML; ``None`` if it is
    not indexed (no ``data-pagefind-body``)."""
    if b"data-pagefind-body" not in page:
        return None
    return _MATH.sub(" ", page.decode("utf-8")).encode("utf-8")


class _Page(NamedTuple):
    path: str
    """Its site path."""
    digest: bytes
    """Of what Pagefind reads of it."""
    start: int
    """Where that is in the file of pages (-1: not there), and how long it is."""
    length: int
    source: str | None
    """The live output's file, for a page linked from it as it was."""


class _Seen:
    """The digest of what Pagefind reads of each page, by the identity of the live
    output's file (``b""``: not indexed), kept in ``.lemmata/search-pages.pickle``.

    A page linked from the live output as it was is then neither read nor stripped
    of its MathML: at 5,000 notes that is 0.9 s of a rebuild.
    """

    def __init__(self, cache_dir: Path | None) -> None:
        self._file = cache_dir / "search-pages.pickle" if cache_dir is not None else None
        self._version = (_SEEN_FORMAT, code_version())
        old = load_pickled(self._file, self._version) if self._file is not None else None
        self._old: dict[str, tuple[Identity, bytes]] = old or {}
        self._new: dict[str, tuple[Identity, bytes]] = {}

    def digest(self, item: OutputFile) -> bytes | None:
        """The page's digest, if it is the very file whose digest is known."""
        current = self._identity(item)
        known = self._old.get(item.path)
        if current is None or known is None or known[0] != current:
            return None
        self._new[item.path] = known
        return known[1]

    def note(self, item: OutputFile, digest: bytes) -> None:
        """The digest of a page read this build (known next time if it is linked)."""
        current = self._identity(item)
        if current is not None:
            self._new[item.path] = (current, digest)

    def save(self) -> None:
        if self._file is not None and self._new != self._old:
            save_pickled(self._file, (self._version, self._new))

    @staticmethod
    def _identity(item: OutputFile) -> Identity | None:
        if not (item.reuse and item.source):
            return None  # rendered this build: its file is not written yet
        try:
            return identity(os.stat(item.source))  # noqa: PTH116 (thousands of files)
        except OSError:
            return None


def _bundle(
    root: Path,
    pages: list[_Page],
    spool: BinaryIO,
    config: SiteConfig,
    interrupt: Event | None,
    kept: KeptParts,
) -> Iterator[OutputFile]:
    """The bundle: the first part that has pages in ``pagefind/`` (Pagefind's script
    and engine, which search with the words of every part), each other one that has
    in ``pagefind/part-N/``, and ``pagefind/parts.json`` listing those, which the
    search page merges into the first. An index of no page at all is one empty part."""
    count = part_count(len(pages), config.search.part_size)
    parts: list[list[_Page]] = [[] for _ in range(count)]
    for page in pages:
        parts[_part_of(page.path, count)].append(page)
    filled = [number for number, members in enumerate(parts) if members] or [0]
    common = _parts_key(config, count)
    base = Urls(config).base_path.strip("/")
    merged = []
    for number in filled:
        members = parts[number]
        prefix = f"{BUNDLE}/"
        if number != filled[0]:
            prefix += f"part-{number}/"
            merged.append(f"part-{number}/")
        key = _part_key(common, number, members)
        files = kept.get(key)
        if files is None:
            made = root / f"bundle-{number}"
            if members:
                site = root / f"part-{number}"
                for page in members:  # under the base path: the results' URLs carry it
                    target = site / base / page.path if base else site / page.path
                    target.parent.mkdir(parents=True, exist_ok=True)
                    if page.source is None:
                        spool.seek(page.start)
                        target.write_bytes(spool.read(page.length))
                    else:
                        target.write_bytes(_indexed(Path(page.source).read_bytes()) or b"")
                _pagefind.index(site, made, config, interrupt)
            else:
                _pagefind.empty_index(made, config)
            files = kept.put(key, made)
        # Never changed in place, the part's files are linked into the output, not copied.
        yield from (OutputFile(prefix + name, source=path, reuse=True) for name, path in files)
    yield OutputFile(f"{BUNDLE}/parts.json", data=json.dumps(merged).encode("utf-8"))
    kept.forget_others()


def _parts_key(config: SiteConfig, count: int) -> bytes:
    """What every part's bundle is made with: the code, Pagefind and how it is run."""
    status = _pagefind.executable().stat()
    pagefind = f"{status.st_size}:{status.st_mtime_ns}"
    texts = (code_version(), pagefind, _pagefind.language(config), str(count))
    return hashlib.sha256("\0".join(texts).encode("utf-8")).digest()


def _part_key(common: bytes, number: int, members: list[_Page]) -> str:
    """What a part's bundle is made of: ``common`` (:func:`_parts_key`) and its pages."""
    made = hashlib.sha256(common + f"\0{number}\0".encode())
    for page in sorted(members):
        made.update(page.path.encode("utf-8") + b"\0" + page.digest)
    return made.hexdigest()[:32]


def with_live_search_index(files: Iterable[OutputFile], out_dir: Path) -> Iterator[OutputFile]:
    """``files``, then the live output's search bundle as it is (linked, never read).

    The dev server publishes an edit this way at once and indexes right after:
    indexing takes a few milliseconds per page, seconds for a large site.
    """
    yield from files
    bundle = out_dir / BUNDLE
    if not bundle.is_dir() or bundle.is_symlink():
        return
    for path in sorted(bundle.rglob("*")):
        if path.is_file() and not path.is_symlink():
            yield OutputFile(path.relative_to(out_dir).as_posix(), source=str(path), reuse=True)
