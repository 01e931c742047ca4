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
  always safe.
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
from pathlib import Path, PurePosixPath

from lemmata._hashing import file_digest
from lemmata.errors import OutputError
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
    with _one_publish_at_a_time(parent):
        staging = sibling(out, "staging")
        spare = sibling(out, "spare")
        try:
            recover(out)
            if spare.is_dir() and not spare.is_symlink():
                spare.rename(staging)
            remembered = KnownFiles(known_files(cache_dir, out) if cache_dir else None)
            report = _write_all(staging, out, files, remembered)
            swap_in(staging, out)
            remembered.save()
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
    staging: Path, live: Path, files: Iterable[OutputFile], known: KnownFiles
) -> PublishReport:
    """Make ``staging`` hold exactly ``files``, writing only what differs."""
    staging.mkdir(exist_ok=True)
    root, live_root = str(staging), str(live)
    written = 0
    sizes: dict[str, int] = {}
    made: set[str] = {root}
    created: set[str] = set()
    """Folders made by this publish: they hold nothing it did not put there."""
    for item in files:
        relative = _checked(item.path)
        target = f"{root}/{relative}"
        folder = target.rpartition("/")[0]
        if folder not in made:
            _make_folder(folder, made, created, sizes, len(root) + 1)
        if item.reuse and item.source is not None:
            linked = _link(item.source, target, folder, item.source_stat)
            if linked is not None:
                known.keep(linked)
                sizes[relative] = linked.st_size
                continue
        data = item.read()
        again = relative in sizes  # a second file of this path: the later one wins
        sizes[relative] = len(data)
        data_digest = item.data_digest or file_digest(data)
        current = None if folder in created and not again else _lstat(target)
        if current is not None and _holds(target, current, data, data_digest, known):
            continue
        if current is None:
            shared = f"{live_root}/{relative}"
            found = _lstat(shared)
            if found is not None and _holds(shared, found, data, data_digest, known):
                # No spare copy yet: share the live file (a later write replaces, never edits).
                try:
                    os.link(shared, target)
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
        known.note(made_file, data_digest)
    _remove_unwanted(root, set(sizes))
    return PublishReport(files=len(sizes), written=written, bytes=sum(sizes.values()))


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


def _link(
    source: str, target: str, folder: str, found: os.stat_result | None = None
) -> os.stat_result | None:
    """Make ``target`` the very file ``source`` (``found``: its lstat, if just taken), by a
    hard link; its stat, or ``None`` if impossible."""
    try:
        if found is None:
            found = os.lstat(source)
        current = _lstat(target)
        if current is not None and (current.st_ino, current.st_dev) == (found.st_ino, found.st_dev):
            return found
        if current is not None and stat.S_ISDIR(current.st_mode):
            shutil.rmtree(target)
        fresh = f"{folder}/.{target.rpartition('/')[2]}.new"
        with suppress(FileNotFoundError):
            os.unlink(fresh)
        os.link(source, fresh)
        os.replace(fresh, target)
    except OSError:  # no hard links here: the caller copies the bytes instead
        return None
    return found


def _checked(path: str) -> str:
    """``path`` as a clean relative POSIX path, or ``OSError`` if it could escape."""
    parts = path.split("/")
    if all(part and part != "." and part != ".." for part in parts):
        return path  # already clean: the usual case, without building a path object
    relative = PurePosixPath(path)
    if relative.is_absolute() or ".." in relative.parts or not relative.parts:
        raise OSError(errno.EINVAL, "unsafe output path", path)
    return relative.as_posix()


def _make_folder(
    folder: str, made: set[str], created: set[str], files: Collection[str], start: int
) -> None:
    """Create ``folder`` inside the staging folder, replacing any file or symlink in
    its way; ``made`` notes it with its parents, ``created`` those made here.

    A recycled folder could hold a file where a folder is now wanted; a symlink
    there must never be followed, or a write would land outside the output. In
    a folder made here, only a file this publish wrote (``files``: relative
    paths, from ``start`` in each path) can be in the way: nothing else is looked for.
    """
    steps = []
    while folder not in made:
        steps.append(folder)
        folder = folder.rpartition("/")[0]
    for step in reversed(steps):
        unknown = step.rpartition("/")[0] not in created or step[start:] in files
        found = _lstat(step) if unknown else None
        if found is not None and not stat.S_ISDIR(found.st_mode):
            os.unlink(step)  # a file, or a symlink (even one to a folder)
            found = None
        if found is None:
            os.mkdir(step)
            created.add(step)
        made.add(step)


def _remove_unwanted(root: str, wanted: set[str]) -> None:
    """Delete everything under ``root`` that is not a wanted file; symlinks are never followed."""
    _prune(root, "", wanted)


def _prune(folder: str, prefix: str, wanted: set[str]) -> bool:
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
    try:
        return os.lstat(path)
    except FileNotFoundError:
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
