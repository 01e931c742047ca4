"""Writing the output folder: staged beside it, then swapped in.

Guarantees:

* The new site is written completely into ``.<name>.staging-<pid>`` beside
  the output folder. Any failure there (a full disk, a bad path) removes the
  staging folder and leaves the output folder untouched.
* The swap is two renames on one file system: the old folder becomes
  ``.<name>.old-<pid>``, then the staging folder becomes the output folder.
  Between the two renames (microseconds) the output path is briefly missing;
  if the process dies exactly there, the next build restores the newest
  ``.old`` folder before anything else, so the previous site comes back.
* Leftover staging and old folders from killed builds are removed by the next
  build. Nothing outside the output folder and these siblings is ever deleted.
* The output before the previous one is kept as ``.<name>.spare`` and is
  recycled as the next staging folder: only files whose bytes differ are
  written (each to a new file renamed into place, so no file is ever changed
  under a reader), files no longer produced are removed, and everything
  else is left as it is. A rebuild after a small edit therefore writes a
  handful of files instead of the whole site. Deleting the spare folder is
  always safe.
"""

from __future__ import annotations

import errno
import os
import shutil
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from lemmata.errors import OutputError
from lemmata.site import OutputFile


@dataclass(frozen=True, slots=True)
class PublishReport:
    files: int
    """Files in the new output."""
    written: int
    """Files whose bytes changed (or that are new)."""
    bytes: int
    """Total size of the output."""


def check_output_dir(out_dir: Path, *, site_root: Path, source_dirs: Sequence[Path]) -> Path:
    """The resolved output folder, or :class:`OutputError` if writing there is unsafe."""
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
    if out.exists() and not out.is_dir():
        raise OutputError(f"the output path {out} exists and is not a folder")
    return out


def publish(
    out_dir: Path,
    files: Iterable[OutputFile],
    *,
    site_root: Path,
    source_dirs: Sequence[Path],
) -> PublishReport:
    """Write ``files`` as the new content of ``out_dir``, atomically."""
    out = check_output_dir(out_dir, site_root=site_root, source_dirs=source_dirs)
    parent = out.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create {parent}: {exc.strerror}") from None
    _recover(out)
    staging = parent / f".{out.name}.staging-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    spare = _spare(out)
    if spare.is_dir() and not spare.is_symlink():
        spare.rename(staging)
    try:
        report = _write_all(staging, out, files)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        reason = "the disk is full" if exc.errno == errno.ENOSPC else (exc.strerror or str(exc))
        raise OutputError(
            f"cannot write the output ({reason}: {exc.filename or staging}); "
            f"the previous output in {out} is unchanged"
        ) from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    _swap(staging, out)
    return report


def _spare(out: Path) -> Path:
    return out.parent / f".{out.name}.spare"


def _write_all(staging: Path, live: Path, files: Iterable[OutputFile]) -> PublishReport:
    """Make ``staging`` hold exactly ``files``, writing only what differs."""
    staging.mkdir(exist_ok=True)
    count = written = size = 0
    made: set[Path] = {staging}
    wanted: set[str] = set()
    for item in files:
        relative = Path(item.path)
        if relative.is_absolute() or ".." in relative.parts or not relative.parts:
            raise OSError(errno.EINVAL, "unsafe output path", item.path)
        target = staging / relative
        if target.parent not in made:
            if target.parent.is_file() or target.parent.is_symlink():
                target.parent.unlink()
            target.parent.mkdir(parents=True, exist_ok=True)
            made.update(target.parents)
        data = item.data
        if data is None:
            assert item.source is not None
            data = Path(item.source).read_bytes()
        count += 1
        size += len(data)
        wanted.add(relative.as_posix())
        if _same(target, data):
            continue
        if not target.exists() and _same(live / relative, data):
            # No spare copy yet: share the live file (a later write replaces, never edits).
            try:
                os.link(live / relative, target)
                continue
            except OSError:
                pass
        if target.is_dir() and not target.is_symlink():
            shutil.rmtree(target)
        fresh = target.with_name(f".{target.name}.new")
        fresh.write_bytes(data)
        fresh.replace(target)
        written += 1
    _remove_unwanted(staging, wanted)
    return PublishReport(files=count, written=written, bytes=size)


def _remove_unwanted(staging: Path, wanted: set[str]) -> None:
    for folder, dirs, names in os.walk(staging, topdown=False):
        here = Path(folder)
        for name in names:
            path = here / name
            if path.relative_to(staging).as_posix() not in wanted:
                path.unlink()
        for name in dirs:
            path = here / name
            if path.is_symlink():
                path.unlink()
            elif not any(path.iterdir()):
                path.rmdir()


def _same(path: Path, data: bytes) -> bool:
    try:
        if path.is_symlink() or path.stat().st_size != len(data):
            return False
        return path.read_bytes() == data
    except OSError:
        return False


def _swap(staging: Path, out: Path) -> None:
    old = out.parent / f".{out.name}.old-{os.getpid()}"
    shutil.rmtree(old, ignore_errors=True)
    if out.exists():
        out.rename(old)
    staging.rename(out)
    if old.exists():
        old.rename(_spare(out))


def _recover(out: Path) -> None:
    """Undo what a killed build left: restore a missing output, drop stale siblings."""
    olds = sorted(out.parent.glob(f".{out.name}.old-*"), key=lambda p: p.stat().st_mtime)
    if not out.exists() and olds:
        olds[-1].rename(out)
        olds = olds[:-1]
    for leftover in [*olds, *out.parent.glob(f".{out.name}.staging-*")]:
        if leftover.is_dir() and not leftover.is_symlink():
            shutil.rmtree(leftover, ignore_errors=True)
