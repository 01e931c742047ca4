"""What each recycled output tree held when it was published, so that a publish
into it lists only the folders that changed since.

The publisher recycles the spare folder (the output before the previous one)
as its staging folder, and must leave it holding exactly the new files: it
has to find whatever else is there, the files no longer made and anything put
into the output by hand while it was live. Listing all 7,500 folders of a site
of 5,000 posts was most of the system calls of a rebuild after a small edit.

Instead, each publish records the tree it leaves behind (:class:`Tree`): every
file with its inode, every folder with its inode and modification time. The
publish that recycles that tree, two builds later, lists only the folders whose
inode or time differ from those recorded: adding, removing or renaming an entry
of a folder sets its time. (Git trusts the same for its untracked cache.)
Three rules keep that sound:

* A folder's time is recorded only if the publish changed no entry of it, and
  only if the time lies far enough behind the file system's own clock then
  (the change time of the staging folder, just renamed; see :func:`margin`):
  an entry added later within the same tick of a coarse clock would leave the
  time as it was. Such a folder is listed next time instead.
* A file system that does not set a folder's time when its entries change is
  found out: after a publish has changed a folder whose time was old enough,
  that time must be new. Until one publish has seen that, or once one has seen
  otherwise, every folder is listed (:attr:`Trees.verified`).
* A tree is known by its root folder's device and inode, a folder by its
  device, inode and time: one made or replaced since is listed.

Kept in ``.lemmata/`` beside the file digests of :mod:`._known`; losing it only
costs listing every folder once.
"""

from __future__ import annotations

import os
import pickle
from dataclasses import dataclass, field
from pathlib import Path

from lemmata.cache import for_output, load_pickled, save_pickled

_FORMAT = 1

COARSE_MARGIN = 3_000_000_000
FINE_MARGIN = 100_000_000


def margin(clock_ns: int) -> int:
    """How far (ns) a folder's time must lie behind the file system's clock, read as
    ``clock_ns``, for a later change to be sure to set another time: more than the
    two seconds of the coarsest clock (FAT) where the clock shows whole seconds,
    ten times the 10 ms of the coarsest that shows less (exFAT; Linux counts its
    ticks of 1 to 10 ms) otherwise."""
    return COARSE_MARGIN if clock_ns % 1_000_000_000 == 0 else FINE_MARGIN


TreeId = tuple[int, int]
"""A tree's root folder: its device and inode."""


@dataclass(frozen=True, slots=True)
class Tree:
    """What a publish left in its staging folder, by paths relative to it."""

    device: int
    files: dict[str, int]
    """Every file and its inode."""
    folders: dict[str, tuple[int, int] | None]
    """Every folder (the root as ``""``) and its inode and modification time (ns),
    or ``None`` where the time is not to be trusted (changed by that publish, or
    too recent)."""

    def holds(self, relative: str, device: int, inode: int, mtime_ns: int) -> bool:
        """Whether the folder at ``relative`` is the one recorded, with the same entries."""
        return device == self.device and self.folders.get(relative) == (inode, mtime_ns)


@dataclass(slots=True)
class Trees:
    """The recorded trees of one output folder: the live one and the spare."""

    path: Path | None
    verified: bool = False
    """Whether a publish has seen this file system set a folder's time when it
    changed the folder's entries, and none has seen otherwise."""
    _trees: list[tuple[TreeId, bytes]] = field(default_factory=list)
    """Each tree pickled, newest first: only the one a publish recycles is loaded."""

    @classmethod
    def load(cls, cache_dir: Path | None, out_dir: Path) -> Trees:
        """The trees recorded for ``out_dir`` (none without a ``cache_dir``)."""
        if cache_dir is None:
            return cls(None)
        path = for_output(cache_dir, "folders", out_dir)
        kept = load_pickled(path, _FORMAT)
        if not (isinstance(kept, tuple) and len(kept) == 2 and isinstance(kept[1], list)):
            return cls(path)
        return cls(path, bool(kept[0]), kept[1])

    def recorded(self, tree: TreeId) -> Tree | None:
        """The recorded tree with this root, if this file system's folder times are trusted."""
        if not self.verified:
            return None
        for found, data in self._trees:
            if found == tree:
                try:
                    value = pickle.loads(data)
                except Exception:  # damaged: the tree is listed
                    return None
                return value if isinstance(value, Tree) else None
        return None

    def holds(self, tree: TreeId) -> bool:
        """Whether a tree with this root is recorded."""
        return any(found == tree for found, _ in self._trees)

    def add(self, tree: TreeId, scanned: Tree) -> None:
        """Record the spare, ``scanned`` (see :func:`scan`), after the live tree's record."""
        data = pickle.dumps(scanned, pickle.HIGHEST_PROTOCOL)
        self._trees = [*[t for t in self._trees if t[0] != tree][:1], (tree, data)]
        self._write()

    def save(self, tree: TreeId, made: Tree, verified: bool | None) -> None:
        """Record ``made`` as the tree with this root, keeping the one recorded before it
        (the spare); ``verified``: what this publish saw of folder times (``None``: nothing)."""
        if verified is not None:
            self.verified = verified
        if verified is False:  # then no tree recorded on this file system can be trusted
            self._trees = []
        else:
            data = pickle.dumps(made, pickle.HIGHEST_PROTOCOL)
            self._trees = [(tree, data), *[t for t in self._trees if t[0] != tree][:1]]
        self._write()

    def _write(self) -> None:
        if self.path is not None:
            # Unsaved (an unwritable cache), the next publishes list every folder.
            save_pickled(self.path, (_FORMAT, (self.verified, self._trees)))


def scan(root: str, clock_ns: int) -> Tree:
    """What the folder ``root`` holds, recorded as a publish would have left it, the
    file system's clock reading ``clock_ns``.

    Each folder's time is read before its entries are listed: an entry added or
    removed meanwhile leaves the folder with a time other than the one recorded,
    so it is listed when the tree is recycled. Files are known by their lstat's
    inode, never by the listing's, which some file systems (overlays) give otherwise.
    """
    settled = clock_ns - margin(clock_ns)
    start = len(root) + 1
    files: dict[str, int] = {}
    folders: dict[str, tuple[int, int] | None] = {}

    def walk(folder: str) -> None:
        found = os.lstat(folder)
        when = found.st_mtime_ns
        folders[folder[start:]] = (found.st_ino, when) if when <= settled else None
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    walk(entry.path)
                else:
                    files[entry.path[start:]] = entry.stat(follow_symlinks=False).st_ino

    walk(root)
    return Tree(os.lstat(root).st_dev, files, folders)
