"""Parts of the search index kept across builds, in ``.lemmata/search/KEY/`` by their key."""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import time
from pathlib import Path

# Pagefind's prebuilt interfaces: the theme has its own, so they would only be dead weight
# (about 400 KB). ``pagefind.js``, its worker, the WebAssembly and the index stay.
_UNUSED = re.compile(r"pagefind-(?:[a-z]+-)?ui\.(?:js|css)|pagefind-highlight\.js")
_STAMPS = ".stamps.json"
"""In a kept part of the index: each file's size and modification time."""
RECENT_S = 600
"""A part of the index used this recently is kept, whatever else is removed."""


class KeptParts:
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
            recent = time.time() - RECENT_S
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
