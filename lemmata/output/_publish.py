"""Writing the output folder: staged beside it, then swapped in.

Guarantees:

* The new site is written completely into ``.<name>.staging-<pid>`` beside
  the output folder. Any failure there (a full disk, a bad path) removes the
  staging folder and leaves the output folder untouched.
* The swap is atomic on Linux (one exchange of the two folders) and two
  renames elsewhere; see :mod:`lemmata.output._swap` for what a kill at each
  moment leaves and how the next publish repairs it.
* One publish at a time per parent folder (an advisory lock on it, where the
  system has ``flock``), so cleaning up leftovers never touches the folder of
  a build that is still running.
* Leftover staging and old folders from killed builds are removed by the next
  publish. Nothing outside the output folder and these siblings is ever
  deleted, and an output folder that holds a version-control repository is
  refused rather than replaced.
* The output before the previous one is kept as ``.<name>.spare`` and is
  recycled as the next staging folder: only files whose bytes differ are
  written (each to a new file renamed into place, so no file is ever changed
  under a reader), files no longer produced are removed, and everything
  else is left as it is. A rebuild after a small edit therefore writes a
  handful of files instead of the whole site. Deleting the spare folder is
  always safe. What each tree held when it was published is recorded, so
  that only its folders changed since are listed (see :mod:`._folders`).
"""

# String paths and ``os`` calls in the per-file loop: pathlib's overhead there
# was most of the time a rebuild spent publishing.
# ruff: noqa: PTH102, PTH105, PTH106, PTH108, PTH123

from __future__ import annotations

import errno
import os
import shutil
import stat
from collections.abc import Collection, Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from itertools import chain
from pathlib import Path, PurePosixPath

from lemmata import _fork
from lemmata._hashing import file_digest
from lemmata.errors import OutputError
from lemmata.output import _folders
from lemmata.output._folders import Tree, Trees, scan
from lemmata.output._known import KnownFiles, known_files
from lemmata.output._swap import recover, sibling, swap_in
from lemmata.site import OutputFile

_REPOSITORIES = (".git", ".hg", ".svn")


@dataclass(frozen=True, slots=True)
class PublishReport:
    """What a publish wrote."""

    files: int
    """Files in the new output."""
    written: int
    """Files whose bytes changed (or that are new)."""
    bytes: int
    """Total size of the output."""


def check_output_dir(out_dir: Path, *, site_root: Path, source_dirs: Sequence[Path]) -> Path:
    """The resolved output folder, or :class:`OutputError` if replacing it is unsafe."""
    out = out_dir.resolve()
    root = site_root.resolve()
    home = Path.home().resolve()
    if out == Path(out.anchor) or out == home:
        raise OutputError(f"refusing to use {out} as the output folder")
    if out == root or out in root.parents:
        raise OutputError(
            f"refusing to use {out} as the output folder: it holds the site folder {root}"
        )
    for source in source_dirs:
        source = source.resolve()
        if out == source or source in out.parents or out in source.parents:
            raise OutputError(
                f"refusing to use {out} as the output folder: it overlaps the source folder {source}"
            )
    if out.name in _REPOSITORIES or any(p.name in _REPOSITORIES for p in out.parents):
        raise OutputError(
            f"refusing to use {out} as the output folder: it is inside a repository's own folder"
        )
    for name in _REPOSITORIES:
        if (out / name).exists():
            raise OutputError(
                f"refusing to use {out} as the output folder: it holds a repository ({name}), "
                "and each build replaces the whole folder; build elsewhere and copy the "
                "output into the repository"
            )
    if out.exists() and not out.is_dir():
        raise OutputError(f"the output path {out} exists and is not a folder")
    return out


def publish(
    out_dir: Path,
    files: Iterable[OutputFile],
    *,
    site_root: Path,
    source_dirs: Sequence[Path],
    cache_dir: Path | None = None,
) -> PublishReport:
    """Write ``files`` as the new content of ``out_dir``, atomically.

    When two files have the same path, the later one wins. With a
    ``cache_dir``, the digests of the files written are remembered there, so
    that the next publish compares without reading (see :mod:`._known`).
    """
    out = check_output_dir(out_dir, site_root=site_root, source_dirs=source_dirs)
    parent = out.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create {parent}: {exc.strerror}") from None
    _wait_for_recorder()  # before the lock, which it holds while it works
    with _one_publish_at_a_time(parent):
        staging = sibling(out, "staging")
        spare = sibling(out, "spare")
        try:
            recover(out)
            recycled = spare.is_dir() and not spare.is_symlink()
            if recycled:
                spare.rename(staging)
            remembered = KnownFiles(known_files(cache_dir, out) if cache_dir else None)
            trees = Trees.load(cache_dir, out)
            report, made = _write_all(staging, out, files, remembered, trees if recycled else None)
            record, times_set = made.record(), made.times_set()
            swap_in(staging, out)
            remembered.save()
            trees.save(made.tree_id, record, times_set)
        except OSError as exc:
            shutil.rmtree(staging, ignore_errors=True)
            raise OutputError(
                f"cannot write the output ({_reason(exc)}: {exc.filename or staging}); "
                f"the previous output in {out} is unchanged"
            ) from None
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
    return report


def record_spare_meanwhile(out_dir: Path, cache_dir: Path | None) -> None:
    """Start recording the spare folder, where no publish has, while the build renders.

    The spare is recycled by the next publish, which lists only the folders
    changed since its record (see :mod:`._folders`). A spare left by a build
    whose cache was deleted since (a first build over an earlier output) has
    none, and listing its 7,500 folders, which no recent build has read,
    took the first edit after such a build up to 0.7 s. A forked process
    lists them instead, on the core a small rebuild leaves idle, under the
    publish lock, and records the tree as a publish would have: the publish
    waits for it, then finds the spare known. Where this process may not fork
    (the dev server) or folder times are not trusted, nothing is done.
    """
    global _recorder
    _wait_for_recorder()  # one left by a build that failed before its publish
    if cache_dir is None or not _fork.is_safe():
        return
    out = out_dir.resolve()
    spare = sibling(out, "spare")
    tree = _tree_id(spare)
    trees = Trees.load(cache_dir, out)
    if tree is None or not trees.verified or trees.holds(tree):
        return

    def record() -> None:
        with _one_publish_at_a_time(out.parent):
            known = Trees.load(cache_dir, out)  # as the lock leaves it
            if _tree_id(spare) == tree and known.verified and not known.holds(tree):
                known.add(tree, scan(str(spare), _clock(out)))

    _recorder = _fork.in_background(record)


_recorder: int | None = None
"""The process recording the spare folder (see :func:`record_spare_meanwhile`), until reaped."""


def _wait_for_recorder() -> None:
    """Wait until the process recording the spare (if any) is done with it."""
    global _recorder
    _fork.wait(_recorder)
    _recorder = None


def _tree_id(folder: Path) -> tuple[int, int] | None:
    """A folder's device and inode; ``None`` if it is missing or no folder."""
    found = _lstat(str(folder))
    if found is None or not stat.S_ISDIR(found.st_mode):
        return None
    return found.st_dev, found.st_ino


def _clock(out: Path) -> int:
    """The output's file system's clock now (ns): the change time of a file just made."""
    probe = sibling(out, "clock")
    handle = os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o600)
    try:
        return os.fstat(handle).st_ctime_ns
    finally:
        os.close(handle)
        os.unlink(probe)


def _reason(exc: OSError) -> str:
    if exc.errno == errno.ENOSPC:
        return "the disk is full"
    return exc.strerror or str(exc)


@contextmanager
def _one_publish_at_a_time(parent: Path) -> Iterator[None]:
    """An exclusive advisory lock on the output's parent folder, released on exit."""
    try:
        import fcntl
    except ImportError:  # no flock (Windows): concurrent builds are the user's to avoid
        yield
        return
    try:
        handle = os.open(parent, os.O_RDONLY)
    except OSError:  # an unreadable parent: writing there will report the real problem
        yield
        return
    try:
        # Some network file systems have no locks: publish unlocked there.
        with suppress(OSError):
            fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        os.close(handle)


def _write_all(
    staging: Path, live: Path, files: Iterable[OutputFile], known: KnownFiles, trees: Trees | None
) -> tuple[PublishReport, _Staging]:
    """Make ``staging`` hold exactly ``files``, writing only what differs.

    ``trees``: the trees recorded by earlier publishes, when ``staging`` is a
    recycled one (see :mod:`._folders`).
    """
    staging.mkdir(exist_ok=True)
    live_root = str(live)
    tree = _Staging(str(staging), trees)
    root, folders, inodes = tree.root, tree.made, tree.inodes
    written = 0
    sizes: dict[str, int] = {}
    for item in files:
        relative = _checked(item.path)
        target = f"{root}/{relative}"
        folder = target.rpartition("/")[0]
        if folder not in folders:
            tree.make_folder(folder, sizes)
        if item.reuse and item.source is not None:
            new = folder in tree.created and relative not in sizes
            linked = tree.link(item.source, target, folder, item.source_stat, new=new)
            if linked is not None:
                known.keep(linked)
                sizes[relative] = linked.st_size
                continue
        data = item.read()
        again = relative in sizes  # a second file of this path: the later one wins
        sizes[relative] = len(data)
        data_digest = item.data_digest or file_digest(data)
        current = None if folder in tree.created and not again else _lstat(target)
        if current is not None and _holds(target, current, data, data_digest, known):
            inodes[relative] = current.st_ino
            continue
        tree.changed.add(folder)
        if current is None:
            shared = f"{live_root}/{relative}"
            found = _lstat(shared)
            if found is not None and _holds(shared, found, data, data_digest, known):
                # No spare copy yet: share the live file (a later write replaces, never edits).
                try:
                    os.link(shared, target)
                    inodes[relative] = found.st_ino
                    tree.altered.add(folder)
                    continue
                except OSError:
                    pass
        written += 1
        if current is None:  # a new name in the private staging folder: nobody else sees it
            made_file = _write_file(target, data)
        else:
            if stat.S_ISDIR(current.st_mode):
                shutil.rmtree(target)
            # Existing files may be shared with the live output (hard links): replace, never edit.
            fresh = f"{folder}/.{target.rpartition('/')[2]}.new"
            made_file = _write_file(fresh, data)
            os.replace(fresh, target)
        inodes[relative] = made_file.st_ino
        tree.altered.add(folder)
        known.note(made_file, data_digest)
    tree.prune(sizes)
    return PublishReport(files=len(sizes), written=written, bytes=sum(sizes.values())), tree


def _holds(
    path: str, found: os.stat_result, data: bytes, data_digest: bytes, known: KnownFiles
) -> bool:
    """Whether the file at ``path`` (``found``: its lstat) holds exactly ``data``."""
    if not stat.S_ISREG(found.st_mode) or found.st_size != len(data):
        return False
    verdict = known.same(found, data_digest)
    if verdict is None:
        verdict = _same(path, data)
        if verdict:
            known.note(found, data_digest)
    return verdict


class _Staging:
    """The staging folder as this publish makes it: what it found there, what it
    changed, and what it leaves, recorded for the publish that recycles it next.

    A folder found as recorded by the publish that left it (see :mod:`._folders`)
    holds what that publish left in it: it is not listed, and a file linked there
    again is known by the inode recorded. Every other folder found is listed once
    everything is written, and so is any folder this publish changed.
    """

    def __init__(self, root: str, trees: Trees | None) -> None:
        self.root = root
        self._start = len(root) + 1
        """Where each path's part relative to the root starts."""
        found = os.lstat(root)
        self.tree_id = (found.st_dev, found.st_ino)
        self._settled = found.st_ctime_ns - _folders.margin(found.st_ctime_ns)
        """The latest time of a folder that a later change is sure to set anew: the
        folder's change time is the file system's clock, as it was just made or renamed."""
        self._previous = trees.recorded(self.tree_id) if trees is not None else None
        self.made = {root}
        """The folders of the new output, with their parents."""
        self.created: set[str] = set()
        """Folders made by this publish: they hold nothing it did not put there."""
        self.changed: set[str] = set()
        """Folders this publish changed or tried to change an entry of."""
        self.altered: set[str] = set()
        """Folders this publish did change an entry of."""
        self.inodes: dict[str, int] = {}
        """Each file of the new output (a relative path) and its inode."""
        self._found: dict[str, os.stat_result] = {}
        """Each folder that was already there, as found."""
        self._recorded: set[str] = set()
        """The folders found as the previous record left them."""
        self._note(root, found)

    def _note(self, folder: str, found: os.stat_result) -> None:
        self._found[folder] = found
        previous = self._previous
        relative = folder[self._start :]
        if previous is not None and previous.holds(
            relative, found.st_dev, found.st_ino, found.st_mtime_ns
        ):
            self._recorded.add(folder)

    def make_folder(self, folder: str, files: Collection[str]) -> None:
        """Create ``folder`` and its parents, replacing any file or symlink in the way.

        A recycled folder could hold a file where a folder is now wanted; a symlink
        there must never be followed, or a write would land outside the output. In
        a folder made here, only a file this publish wrote (``files``: relative
        paths) can be in the way: nothing else is looked for.
        """
        steps = []
        while folder not in self.made:
            steps.append(folder)
            folder = folder.rpartition("/")[0]
        for step in reversed(steps):
            parent = step.rpartition("/")[0]
            relative = step[self._start :]
            unknown = parent not in self.created or relative in files
            found = _lstat(step) if unknown else None
            if found is not None and not stat.S_ISDIR(found.st_mode):
                self.changed.add(parent)
                os.unlink(step)  # a file, or a symlink (even one to a folder)
                self.inodes.pop(relative, None)
                found = None
            if found is None:
                self.changed.add(parent)
                os.mkdir(step)
                self.altered.add(parent)
                self.created.add(step)
            else:
                self._note(step, found)
            self.made.add(step)

    def link(
        self,
        source: str,
        target: str,
        folder: str,
        found: os.stat_result | None = None,
        *,
        new: bool = False,
    ) -> os.stat_result | None:
        """Make ``target`` the very file ``source`` (``found``: its lstat, if just taken),
        by a hard link; its stat, or ``None`` if impossible. ``new``: nothing can be at
        ``target`` (a path not yet written, in a folder this publish made)."""
        relative = target[self._start :]
        try:
            if found is None:
                found = os.lstat(source)
            previous = self._previous
            if (
                folder in self._recorded
                and previous is not None
                and previous.files.get(relative) == found.st_ino
                and previous.device == found.st_dev
            ):
                self.inodes[relative] = found.st_ino
                return found
            current = None if new else _lstat(target)
            if current is not None and (current.st_ino, current.st_dev) == (
                found.st_ino,
                found.st_dev,
            ):
                self.inodes[relative] = found.st_ino
                return found
            self.changed.add(folder)
            if current is None:  # a new name in the private staging folder: nobody else sees it
                os.link(source, target)
            else:
                if stat.S_ISDIR(current.st_mode):
                    shutil.rmtree(target)
                fresh = f"{folder}/.{target.rpartition('/')[2]}.new"
                with suppress(FileNotFoundError):
                    os.unlink(fresh)
                os.link(source, fresh)
                os.replace(fresh, target)
        except OSError:  # no hard links here: the caller copies the bytes instead
            return None
        self.inodes[relative] = found.st_ino
        self.altered.add(folder)
        return found

    def prune(self, wanted: Collection[str]) -> None:
        """Delete everything that is neither a ``wanted`` file (a relative path) nor a folder
        of the new output; symlinks are never followed.

        What a folder found as recorded held is known: its entries no longer
        wanted are deleted without listing it.
        """
        start = self._start
        made = {folder[start:] for folder in self.made}
        known = self._recorded - self.changed
        previous = self._previous
        if previous is not None and known:
            entries = chain(previous.files, previous.folders)
            for relative in [p for p in entries if p not in wanted and p not in made]:
                path = f"{self.root}/{relative}"
                parent = path.rpartition("/")[0]
                if parent in known:
                    _remove(path)
                    self.changed.add(parent)
                    self.altered.add(parent)
        for folder in self.made - self.created - known:
            self._list(folder, wanted, made)

    def _list(self, folder: str, wanted: Collection[str], made: Collection[str]) -> None:
        """Delete the entries of ``folder`` that are neither wanted nor made."""
        prefix = folder[self._start :] + "/" if folder != self.root else ""
        with os.scandir(folder) as entries:
            for entry in entries:
                relative = prefix + entry.name
                if entry.is_dir(follow_symlinks=False):
                    if relative in made:
                        continue
                    _prune(entry.path, relative + "/", wanted)
                    os.rmdir(entry.path)
                elif relative in wanted:
                    continue
                else:
                    os.unlink(entry.path)  # an unwanted file, or any symlink
                self.changed.add(folder)
                self.altered.add(folder)

    def record(self) -> Tree:
        """What this publish leaves in the staging folder, to be trusted next time:
        the times of the folders it did not change, where old enough."""
        folders: dict[str, tuple[int, int] | None] = {}
        settled = self._settled
        for folder in self.made:
            found = None if folder in self.changed else self._found.get(folder)
            if found is not None and found.st_mtime_ns <= settled:
                folders[folder[self._start :]] = (found.st_ino, found.st_mtime_ns)
            else:
                folders[folder[self._start :]] = None
        return Tree(self.tree_id[0], dict(self.inodes), folders)

    def times_set(self) -> bool | None:
        """Whether the file system set the time of a folder this publish changed, one whose
        time was old enough to tell (``None``: no such folder)."""
        settled = self._settled
        for folder in self.altered:
            found = self._found.get(folder)
            if found is None or found.st_mtime_ns > settled:
                continue
            now = _lstat(folder)
            return now is not None and now.st_mtime_ns != found.st_mtime_ns
        return None


def _checked(path: str) -> str:
    """``path`` as a clean relative POSIX path, or ``OSError`` if it could escape."""
    parts = path.split("/")
    if all(part and part != "." and part != ".." for part in parts):
        return path  # already clean: the usual case, without building a path object
    relative = PurePosixPath(path)
    if relative.is_absolute() or ".." in relative.parts or not relative.parts:
        raise OSError(errno.EINVAL, "unsafe output path", path)
    return relative.as_posix()


def _remove(path: str) -> None:
    """Delete the file, symlink or folder at ``path``, never following a symlink."""
    found = _lstat(path)
    if found is None:
        return
    if stat.S_ISDIR(found.st_mode):
        _prune(path, "", set())
        os.rmdir(path)
    else:
        os.unlink(path)


def _prune(folder: str, prefix: str, wanted: Collection[str]) -> bool:
    """Prune ``folder`` (``prefix``: its path in the output); whether anything is left in it."""
    kept = False
    with os.scandir(folder) as entries:
        for entry in entries:
            relative = prefix + entry.name
            if entry.is_dir(follow_symlinks=False):
                if _prune(entry.path, relative + "/", wanted):
                    kept = True
                else:
                    os.rmdir(entry.path)
            elif relative in wanted:
                kept = True
            else:
                os.unlink(entry.path)  # an unwanted file, or any symlink
    return kept


def _lstat(path: str) -> os.stat_result | None:
    """The lstat of ``path``, or ``None`` if nothing is there (nor can be: a file where
    one of its folders would be)."""
    try:
        return os.lstat(path)
    except (FileNotFoundError, NotADirectoryError):
        return None


def _write_file(path: str, data: bytes) -> os.stat_result:
    """Create (or truncate) the file at ``path`` holding ``data``, and give its stat:
    without a file object, whose buffering and checks a page written once does not
    need, nor a second look up of its path."""
    handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(handle, view) :]
        return os.fstat(handle)
    finally:
        os.close(handle)


def _same(path: str, data: bytes) -> bool:
    """Whether the file at ``path`` reads back as exactly ``data``."""
    try:
        with open(path, "rb") as handle:
            return handle.read() == data
    except OSError:
        return False
