"""Skipping a build when nothing changed.

A build records, in ``.lemmata/build.pickle``, a digest of everything it read:
lemmata's own code, the options, and the path and stamp (size, modification
time, status-change time, inode) of every input file (``lemmata.toml``,
``content/``, ``static/``, ``templates/``), plus a summary of the output it
wrote. The next build with the same digest, an output folder still as it was
written, and no post whose publication date has since arrived, has nothing to
do. The stamp of each file under ``content/`` is kept too, so that a build which does have
something to do knows which sources changed (:func:`changed_sources`), and
the content stage need not look at each file again.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Collection, Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from lemmata.cache import code_version, load_pickled, save_pickled

STATE_FILE = "build.pickle"
_STATE_FORMAT = 3
"""Bumped whenever ``BuildState`` changes: an older state is then none (a full build)."""


Stamp = tuple[int, int, int, int]
"""A file's size, modification time, status-change time (ns) and inode; all ``-1``
for a file listed in its folder that cannot be looked at (a broken symlink)."""
UNKNOWN: Stamp = (-1, -1, -1, -1)


def stamp_of(status: os.stat_result) -> Stamp:
    """The stamp of a file, from its ``stat``."""
    return (status.st_size, status.st_mtime_ns, status.st_ctime_ns, status.st_ino)


@dataclass(frozen=True, slots=True)
class BuildState:
    """What a successful build leaves for the next one."""

    key: str
    output: str
    output_summary: tuple[int, int]
    """(files, bytes) in the output folder right after the build."""
    next_publish: datetime | None
    """The earliest date of a post held back as future-dated, if any."""
    result: object
    """The build's report, returned again when the build is skipped."""
    base: str = ""
    """:attr:`Inputs.base` of the build."""
    stamps: dict[str, Stamp] = field(default_factory=dict)
    """:attr:`Inputs.stamps` of the build."""


CONTENT = "content"
INPUTS = ("lemmata.toml", CONTENT, "static", "templates")
"""What a build reads from the site folder."""


@dataclass(frozen=True, slots=True)
class Inputs:
    """What a build is about to read."""

    key: str
    """A digest of the options, lemmata's code, and every input file's path and stamp."""
    base: str
    """The same, leaving out the files under ``content/``."""
    files: str
    """A digest of lemmata's code and every input file outside ``content/``: what
    :attr:`base` holds besides the options."""
    stamps: dict[str, Stamp]
    """Each file under ``content/``, by its path in the site, in path order."""


def inputs(root: Path, options: str) -> Inputs:
    """The options, lemmata's code, and every input file's path and stamp."""
    files = hashlib.sha256(code_version().encode())
    stamps: dict[str, Stamp] = {}
    cut = len(str(root).rstrip("/")) + 1  # the site folder may be "/" itself
    for name in INPUTS:
        found = _stamps(root / name)
        if name == CONTENT:
            stamps = {path[cut:].replace(os.sep, "/"): stamp for path, stamp in sorted(found)}
            continue
        for path, stamp in found:
            files.update(f"{path}\0{stamp}\n".encode())
    base = hashlib.sha256(options.encode() + b"\0" + files.digest())
    digest = hashlib.sha256(base.digest())
    for path, stamp in stamps.items():
        digest.update(f"{path}\0{stamp}\n".encode())
    return Inputs(digest.hexdigest(), base.hexdigest(), files.hexdigest(), stamps)


def assembly_key(read: Inputs, documents: Collection[str], settings: str) -> str:
    """A digest of what assembling a site reads besides its documents and their renderings.

    That is lemmata's code, ``settings`` (the configuration and options that
    decide the site), every input file outside ``content/`` (static files are
    part of the site), and every file under ``content/``: the documents (the
    site paths in ``documents``) by path alone, the others (a bundle's images,
    files links point at) by path and stamp.
    """
    digest = hashlib.sha256(f"{read.files}\0{settings}\0".encode())
    for path, stamp in read.stamps.items():
        digest.update(f"{path}\0{'' if path in documents else stamp}\n".encode())
    return digest.hexdigest()


def _stamps(top: Path) -> list[tuple[str, Stamp]]:
    """The path and stamp of ``top``, or of every file under it."""
    # Plain strings and os.stat: a site may hold thousands of files.
    if top.is_file():
        paths = [str(top)]
    else:
        paths = []
        for folder, dirs, files in os.walk(top):
            dirs.sort()
            paths += [f"{folder}/{file_name}" for file_name in sorted(files)]
    found = []
    for path in paths:
        try:
            stat = os.stat(path)  # noqa: PTH116
        except OSError:
            found.append((path, UNKNOWN))
            continue
        found.append((path, stamp_of(stat)))
    return found


def changed_sources(previous: BuildState | None, now: Inputs) -> list[str] | None:
    """The files under ``content/`` that are new or changed since the previous build.

    ``None`` when that build is unknown, or when anything else it read has
    changed (options, lemmata's code, configuration, templates, static
    files): then any document may render differently. As for skipping a
    build, a file's path and stamp tell.
    """
    if previous is None or previous.base != now.base:
        return None
    return [path for path, stamp in now.stamps.items() if previous.stamps.get(path) != stamp]


def is_fresh(state: BuildState | None, key: str, out_dir: Path, now: datetime) -> bool:
    """Whether the previous build read exactly these inputs and its output is intact."""
    if state is None or state.key != key or state.output != str(out_dir):
        return False
    if state.next_publish is not None and now >= state.next_publish:
        return False
    return out_dir.is_dir() and output_summary(out_dir) == state.output_summary


def record(
    cache_dir: Path,
    read: Inputs,
    out_dir: Path,
    result: object,
    future: Sequence[datetime],
    summary: tuple[int, int],
) -> None:
    """Remember a successful build.

    ``future`` holds the dates of posts held back; ``summary`` is the output's
    (files, bytes) as written, what :func:`output_summary` reads back.
    """
    save_state(
        cache_dir,
        BuildState(
            key=read.key,
            base=read.base,
            stamps=read.stamps,
            output=str(out_dir),
            output_summary=summary,
            next_publish=min(future) if future else None,
            result=result,
        ),
    )


def output_summary(out: Path) -> tuple[int, int]:
    """How many files are under ``out``, and their bytes (links to folders not followed)."""
    # Directory entries and plain strings: a third of the time of os.walk and Path.stat
    # at 7,500 pages, and every build with nothing to do pays it.
    count = size = 0
    folders = [str(out)]
    while folders:
        try:
            entries = os.scandir(folders.pop())
        except OSError:
            continue
        with entries:
            for entry in entries:
                try:
                    if entry.is_dir():
                        if not entry.is_symlink():
                            folders.append(entry.path)
                        continue
                    size += entry.stat().st_size
                except OSError:
                    continue
                count += 1
    return count, size


def load_state(cache_dir: Path) -> BuildState | None:
    # A missing, old or corrupt state only means a full build.
    state = load_pickled(cache_dir / STATE_FILE, _STATE_FORMAT)
    return state if isinstance(state, BuildState) else None


def save_state(cache_dir: Path, state: BuildState) -> None:
    with suppress(OSError):  # then saving fails too: the next build is simply not skipped
        cache_dir.mkdir(exist_ok=True)
    save_pickled(cache_dir / STATE_FILE, (_STATE_FORMAT, state))


def forget_state(cache_dir: Path) -> None:
    (cache_dir / STATE_FILE).unlink(missing_ok=True)
