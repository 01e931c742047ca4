"""What the dev server watches: the site's inputs, and nothing it writes itself.

The site folder is watched by itself, without its subfolders: that sees
``lemmata.toml`` saved, even by an editor renaming a new copy over it, and an
input folder made, removed or renamed. Each input folder that exists
(``content/``, ``static/``, ``templates/``) is watched with everything under it,
and watched afresh whenever the site folder's own entries say one came or went.

``.lemmata/`` and the output folder are never watched. Each rebuild writes
thousands of files and folders under ``.lemmata/serve``; watched, every new folder
took a watch of its own (15,000 at 5,000 notes), and saves made meanwhile were
now and then lost (one in 12 while the search index caught up), most likely
when those events overflowed the kernel's queue (16,384 by default).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from pathlib import Path

from watchfiles import Change, awatch

from lemmata.config import CONFIG_FILE
from lemmata.fingerprint import INPUTS

FOLDERS = tuple(name for name in INPUTS if name != CONFIG_FILE)
"""The input folders; the configuration file is the other input."""


async def input_changes(root: Path, stop: asyncio.Event, debounce_ms: int) -> AsyncIterator[None]:
    """One item for each batch of changes to the site's inputs, until ``stop`` is set."""
    watch = _InputWatch(root, stop, debounce_ms)
    tasks = [asyncio.create_task(watch.site_folder()), asyncio.create_task(watch.input_folders())]
    for task in tasks:
        task.add_done_callback(watch.ended)
    try:
        while await watch.batches.get():
            yield
    finally:
        watch.folders_moved.set()
        for task in tasks:
            task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.gather(*tasks)  # raises what a failed watch raised


class _InputWatch:
    def __init__(self, root: Path, stop: asyncio.Event, debounce_ms: int) -> None:
        self.root = root
        self.stop = stop
        self.debounce_ms = debounce_ms
        self.batches: asyncio.Queue[bool] = asyncio.Queue()
        """``True`` for each batch of changes, ``False`` once watching has stopped."""
        self.folders_moved = asyncio.Event()
        """Set when an input folder came or went: the folders are watched afresh."""

    def ended(self, task: asyncio.Task[None]) -> None:
        """A watch that fails (no more inotify watches, say) ends them all."""
        if not task.cancelled() and task.exception() is not None:
            self.batches.put_nowait(False)

    async def site_folder(self) -> None:
        def an_input(_change: Change, path: str) -> bool:
            return Path(path).parent == self.root and Path(path).name in INPUTS

        async for changes in awatch(
            self.root,
            watch_filter=an_input,
            debounce=self.debounce_ms,
            step=30,
            stop_event=self.stop,
            recursive=False,
        ):
            if any(
                change != Change.modified and Path(path).name in FOLDERS for change, path in changes
            ):
                self.folders_moved.set()
            self.batches.put_nowait(True)
        self.batches.put_nowait(False)  # stopped (a failure: see :meth:`ended`)

    async def input_folders(self) -> None:
        while not self.stop.is_set():
            self.folders_moved.clear()
            folders = [self.root / name for name in FOLDERS if (self.root / name).is_dir()]
            if not folders:
                await self.folders_moved.wait()
                continue
            try:
                async for _changes in awatch(
                    *folders,
                    watch_filter=None,
                    debounce=self.debounce_ms,
                    step=30,
                    stop_event=self.folders_moved,
                    recursive=True,
                ):
                    self.batches.put_nowait(True)
            except FileNotFoundError:  # removed before its watch began: look again
                self.batches.put_nowait(True)
                await asyncio.sleep(self.debounce_ms / 1000)
