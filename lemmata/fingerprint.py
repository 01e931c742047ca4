"""Skipping a build when nothing changed.

A build records, in ``.lemmata/build.pickle``, a digest of everything it read:
lemmata's own code, the options, and the path, size and modification time of
every input file (``lemmata.toml``, ``content/``, ``static/``, ``templates/``), plus a
summary of the output it wrote. The next build with the same digest, an
output folder still as it was written, and no post whose publication date has
since arrived, has nothing to do.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from lemmata.cache import code_version

STATE_FILE = "build.pickle"


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


INPUTS = ("lemmata.toml", "content", "static", "templates")
"""What a build reads from the site folder."""


def inputs_key(root: Path, options: str) -> str:
    """A digest of the options, lemmata's code, and every input file's path, size and mtime."""
    digest = hashlib.sha256(options.encode())
    digest.update(code_version().encode())
    for name in INPUTS:
        _walk(root / name, digest)
    return digest.hexdigest()


def _walk(top: Path, digest: hashlib._Hash) -> None:
    # Plain strings and os.stat: a site may hold thousands of files.
    if top.is_file():
        stat = top.stat()
        digest.update(f"{top}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
        return
    for folder, dirs, files in os.walk(top):
        dirs.sort()
        for name in sorted(files):
            path = f"{folder}/{name}"
            try:
                stat = os.stat(path)  # noqa: PTH116
            except OSError:
                continue
            digest.update(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())


def is_fresh(state: BuildState | None, key: str, out_dir: Path, now: datetime) -> bool:
    """Whether the previous build read exactly these inputs and its output is intact."""
    if state is None or state.key != key or state.output != str(out_dir):
        return False
    if state.next_publish is not None and now >= state.next_publish:
        return False
    return out_dir.is_dir() and output_summary(out_dir) == state.output_summary


def record(
    cache_dir: Path,
    key: str,
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
            key=key,
            output=str(out_dir),
            output_summary=summary,
            next_publish=min(future) if future else None,
            result=result,
        ),
    )


def output_summary(out: Path) -> tuple[int, int]:
    count = size = 0
    for folder, _dirs, files in os.walk(out):
        for name in files:
            try:
                size += (Path(folder) / name).stat().st_size
            except OSError:
                continue
            count += 1
    return count, size


def load_state(cache_dir: Path) -> BuildState | None:
    try:
        with (cache_dir / STATE_FILE).open("rb") as handle:
            state = pickle.load(handle)
    except Exception:  # a missing, old or corrupt state only means a full build
        return None
    return state if isinstance(state, BuildState) else None


def save_state(cache_dir: Path, state: BuildState) -> None:
    try:
        cache_dir.mkdir(exist_ok=True)
        temporary = cache_dir / f"{STATE_FILE}.{os.getpid()}"
        temporary.write_bytes(pickle.dumps(state))
        temporary.replace(cache_dir / STATE_FILE)
    except OSError:
        pass  # the next build will simply not be skipped


def forget_state(cache_dir: Path) -> None:
    (cache_dir / STATE_FILE).unlink(missing_ok=True)
