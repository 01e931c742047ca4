"""Digests of the output files lemmata wrote, so that comparing needs no reading.

Before writing a file, the publisher checks whether the recycled folder
already holds those bytes. Reading the old file back costs more than writing
it anew once it has left the page cache; instead, every file lemmata writes
or checks is remembered by its identity — device, inode, size and
modification time — with a digest of its bytes. A file whose identity is
remembered is compared by digest; any other file (new, or touched since) is
read. Entries live for two builds: the output folder and the spare one it
replaces are both recycled in turn. Kept in ``.lemmata/``; losing them only
costs reading.
"""

from __future__ import annotations

import os
from pathlib import Path

from lemmata.cache import for_output, load_pickled, save_pickled

_FORMAT = 3

Identity = tuple[int, int, int, int]


def known_files(cache_dir: Path, out_dir: Path) -> Path:
    """Where the digests of the files of one output folder are kept."""
    return for_output(cache_dir, "files", out_dir)


def identity(found: os.stat_result) -> Identity:
    return (found.st_dev, found.st_ino, found.st_size, found.st_mtime_ns)


class KnownFiles:
    """Remembered digests by file identity; a ``None`` path remembers nothing."""

    def __init__(self, path: Path | None) -> None:
        self._path = path
        self._generation = 0
        self._entries: dict[Identity, tuple[bytes, int]] = {}
        if path is None:
            return
        known = load_pickled(path, _FORMAT)
        if isinstance(known, tuple) and len(known) == 2 and isinstance(known[1], dict):
            self._generation, self._entries = known[0] + 1, known[1]

    def same(self, found: os.stat_result, data_digest: bytes) -> bool | None:
        """Whether the file holds the bytes of that digest; ``None`` if it is not known."""
        known = self._entries.get(identity(found))
        if known is None:
            return None
        if known[0] == data_digest:
            self.note(found, data_digest)
        return known[0] == data_digest

    def note(self, found: os.stat_result, data_digest: bytes) -> None:
        """Remember a file just written or checked."""
        self._entries[identity(found)] = (data_digest, self._generation)

    def keep(self, found: os.stat_result) -> None:
        """Carry an entry over (a file linked into the new output)."""
        known = self._entries.get(identity(found))
        if known is not None:
            self.note(found, known[0])

    def save(self) -> None:
        if self._path is None:
            return
        recent = {k: v for k, v in self._entries.items() if v[1] >= self._generation - 1}
        # Unsaved (an unwritable cache), the next publish compares by reading instead.
        save_pickled(self._path, (_FORMAT, (self._generation, recent)))
