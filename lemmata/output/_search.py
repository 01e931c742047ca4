"""The search index: Pagefind's extended build (which segments Chinese), run as a command.

Only the article body of posts and pages is indexed (the theme marks it with
``data-pagefind-body``); navigation, footers and related-post lists are left
out. MathML is removed before indexing: its ``<mi>``/``<mo>`` letters are
noise, not words. A large site's index comes in parts, so that a build runs
Pagefind again only for the parts whose pages changed.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from threading import Event
from typing import BinaryIO, NamedTuple

from lemmata.cache import code_version, load_pickled, save_pickled
from lemmata.config import SiteConfig
from lemmata.errors import BuildInterruptedError, OutputError
from lemmata.output._known import Identity, identity
from lemmata.site import OutputFile, Urls

BUNDLE = "pagefind"
_MATH = re.compile(r"<math\b.*?</math>", re.DOTALL)
# Pagefind's prebuilt interfaces: the theme has its own, so they would only be dead weight
# (about 400 KB). ``pagefind.js``, its worker, the WebAssembly and the index stay.
_UNUSED = re.compile(r"pagefind-(?:[a-z]+-)?ui\.(?:js|css)|pagefind-highlight\.js")
_NOT_INSTALLED = (
    "search is enabled but Pagefind is not installed (pip install 'pagefind[extended]'), "
    "or set [search] enabled = false"
)
_POLL_S = 0.05
"""How often a running index looks at its interrupt."""
_SEEN_FORMAT = 1
_STAMPS = ".stamps.json"
"""In a kept part of the index: each file's size and modification time."""
_RECENT_S = 600
"""A part of the index used this recently is kept, whatever else is removed."""


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
            _stop_if(interrupt)
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
            yield from _bundle(root, pages, spool, config, interrupt, _Kept(cache_dir))
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
    kept: _Kept,
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
                _index(site, made, config, interrupt)
            else:
                _empty_index(made, config)
            files = kept.put(key, made)
        # Never changed in place, the part's files are linked into the output, not copied.
        yield from (OutputFile(prefix + name, source=path, reuse=True) for name, path in files)
    yield OutputFile(f"{BUNDLE}/parts.json", data=json.dumps(merged).encode("utf-8"))
    kept.forget_others()


def _parts_key(config: SiteConfig, count: int) -> bytes:
    """What every part's bundle is made with: the code, Pagefind and how it is run."""
    status = _executable().stat()
    pagefind = f"{status.st_size}:{status.st_mtime_ns}"
    texts = (code_version(), pagefind, language(config), str(count))
    return hashlib.sha256("\0".join(texts).encode("utf-8")).digest()


def _part_key(common: bytes, number: int, members: list[_Page]) -> str:
    """What a part's bundle is made of: ``common`` (:func:`_parts_key`) and its pages."""
    made = hashlib.sha256(common + f"\0{number}\0".encode())
    for page in sorted(members):
        made.update(page.path.encode("utf-8") + b"\0" + page.digest)
    return made.hexdigest()[:32]


class _Kept:
    """Index parts kept across builds, in ``cache_dir/search/KEY/`` by their key.

    Named by what they hold, they are never changed once written (a part made
    again goes to a folder of its own, renamed into place), so their files are
    linked into the output. Each file's size and modification time are noted
    when the part is kept: a part one of whose files was changed since (through
    its link in an output folder) is made again. A part found is touched: one
    used in the last ten minutes, maybe by another build of the same site, is
    never removed.
    """

    def __init__(self, cache_dir: Path | None) -> None:
        self._folder = cache_dir / "search" if cache_dir is not None else None
        self._used: set[str] = set()

    def get(self, key: str) -> list[tuple[str, str]] | None:
        """The files of the part (names relative to it, paths), if kept."""
        if self._folder is None:
            return None
        folder = self._folder / key
        try:
            os.utime(folder)
            files = _files(folder)
            stamps = json.loads((folder / _STAMPS).read_text("utf-8"))
        except (OSError, ValueError):  # not kept, or being removed: made again
            return None
        if not files or stamps != _stamps(files):
            shutil.rmtree(folder, ignore_errors=True)  # to be kept anew
            return None
        self._used.add(key)
        return files

    def put(self, key: str, made: Path) -> list[tuple[str, str]]:
        """Keep the part made in ``made``; its files."""
        if self._folder is not None:
            self._used.add(key)
            fresh = self._folder / f".{key}.{os.getpid()}"
            try:
                shutil.copytree(made, fresh, ignore=_unused)
                stamps = _stamps(_files(fresh))
                (fresh / _STAMPS).write_text(json.dumps(stamps), "utf-8")
                fresh.rename(self._folder / key)
                return _files(self._folder / key)
            except OSError:  # kept by another build meanwhile, or the cache is unwritable
                shutil.rmtree(fresh, ignore_errors=True)
        return _files(made)

    def forget_others(self) -> None:
        """Remove the parts this build did not use, once they outnumber those it did.

        So the parts of two ways of building the same site (the dev server's, whose
        links differ, and ``lemmata build``'s) are both kept.
        """
        if self._folder is None or not self._folder.is_dir():
            return
        unused = [path for path in self._folder.iterdir() if path.name not in self._used]
        if len(unused) > len(self._used) + 1:
            recent = time.time() - _RECENT_S
            for path in unused:
                with contextlib.suppress(OSError):
                    if path.stat().st_mtime < recent:
                        shutil.rmtree(path, ignore_errors=True)


def _unused(_folder: str, names: list[str]) -> list[str]:
    return [name for name in names if _UNUSED.fullmatch(name)]


def _files(folder: Path) -> list[tuple[str, str]]:
    """The bundle's files in ``folder``: names relative to it, and paths."""
    return [
        (path.relative_to(folder).as_posix(), str(path))
        for path in sorted(folder.rglob("*"))
        if path.is_file() and not _UNUSED.fullmatch(path.name) and path.name != _STAMPS
    ]


def _stamps(files: list[tuple[str, str]]) -> dict[str, list[int]]:
    """Each file's size and modification time."""
    stamps = {}
    for name, path in files:
        found = os.stat(path)  # noqa: PTH116 (hundreds of files: no pathlib)
        stamps[name] = [found.st_size, found.st_mtime_ns]
    return stamps


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


def language(config: SiteConfig) -> str:
    """Pagefind's language code: ``zh-CN`` → ``zh``."""
    return config.language.split("-", 1)[0].lower() or "en"


def _stop_if(interrupt: Event | None) -> None:
    if interrupt is not None and interrupt.is_set():
        raise BuildInterruptedError(
            "search indexing was interrupted; the previous output is unchanged"
        )


def _index(pages: Path, bundle: Path, config: SiteConfig, interrupt: Event | None) -> None:
    """Pagefind's command line over the folder of pages, stopped once ``interrupt`` is set.

    The command line rather than Pagefind's Python service: this process owns it, so
    an interrupted index never leaves it running. It runs in an empty folder with
    no ``PAGEFIND_`` variables, so no configuration file or variable of the user's
    changes what it does.
    """
    command = [
        str(_executable()),
        "--site",
        str(pages),
        "--output-path",
        str(bundle),
        "--force-language",
        language(config),
    ]
    env = {name: value for name, value in os.environ.items() if not name.startswith("PAGEFIND_")}
    log = pages.parent / "pagefind.log"  # a file, not a pipe: a full pipe would stall it
    with log.open("wb") as printed:
        process = subprocess.Popen(
            command,
            cwd=pages.parent,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=printed,
            stderr=printed,
        )
        try:
            while process.poll() is None:
                _stop_if(interrupt)
                with contextlib.suppress(subprocess.TimeoutExpired):
                    process.wait(_POLL_S)
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
    if process.returncode != 0:
        lines = log.read_text("utf-8", "replace").splitlines()
        last = " ".join(line.strip() for line in lines if line.strip())[-300:]
        raise OutputError(
            f"search index failed (Pagefind exited with {process.returncode}): {last}"
        )


def _executable() -> Path:
    try:
        from pagefind.service import get_executable
    except ImportError as exc:
        raise OutputError(_NOT_INSTALLED) from exc
    executable = get_executable()
    if executable is None:
        raise OutputError(_NOT_INSTALLED)
    return executable


def _empty_index(bundle: Path, config: SiteConfig) -> None:
    """A bundle with no pages, for the search page to load: the command line refuses
    to index no pages, Pagefind's Python service does not."""
    import asyncio  # here, not at the top: 25 ms that most builds never need

    asyncio.run(_service_index(bundle, config))


async def _service_index(bundle: Path, config: SiteConfig) -> None:
    try:
        from pagefind.index import IndexConfig, PagefindIndex
    except ImportError as exc:
        raise OutputError(_NOT_INSTALLED) from exc
    # The output path must be in the config: leaving the context writes the files
    # there (by default into the current directory, which must never happen).
    options = IndexConfig(force_language=language(config), output_path=str(bundle))
    async with PagefindIndex(config=options):
        pass
