"""The dev server's watch: every input, through real inotify, and none of its own files."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest

from lemmata.serve._watch import input_changes

Step = Callable[[], None]


def _watches() -> int:
    """The inotify watches this process holds (Linux's /proc tells)."""
    count = 0
    for fd in Path("/proc/self/fd").iterdir():
        try:
            if str(fd.readlink()) != "anon_inode:inotify":
                continue
            count += Path(f"/proc/self/fdinfo/{fd.name}").read_text().count("inotify wd:")
        except OSError:
            continue
    return count


def _site(root: Path) -> Path:
    (root / "content" / "notes" / "deep").mkdir(parents=True)
    (root / "content" / "notes" / "deep" / "a.md").write_text("a")
    (root / "lemmata.toml").write_text('title = "t"\n')
    for number in range(40):  # what a build leaves: many folders, none of them inputs
        (root / ".lemmata" / "serve" / f"page-{number}").mkdir(parents=True)
        (root / "public" / f"page-{number}").mkdir(parents=True)
    return root


def _watching(
    root: Path, scenario: Callable[[list[int], Callable[[int], Awaitable[None]]], Awaitable[None]]
) -> list[int]:
    """Run ``scenario`` while the inputs are watched; the batches seen, numbered."""
    batches: list[int] = []

    async def main() -> None:
        stop = asyncio.Event()

        async def watch() -> None:
            async for _ in input_changes(root, stop, debounce_ms=50):
                batches.append(len(batches))

        async def seen(count: int) -> None:
            for _ in range(200):
                if len(batches) >= count:
                    return
                await asyncio.sleep(0.025)

        watching = asyncio.create_task(watch())
        await asyncio.sleep(0.3)  # the watches are in place
        await scenario(batches, seen)
        stop.set()
        await asyncio.wait_for(watching, 10)

    asyncio.run(main())
    return batches


@pytest.mark.skipif(not Path("/proc/self/fdinfo").is_dir(), reason="counts inotify watches")
def test_inputs_are_watched_and_what_a_build_writes_is_not(tmp_path: Path) -> None:
    root = _site(tmp_path)
    before = _watches()
    counted: list[int] = []

    async def scenario(batches: list[int], seen: Callable[[int], Awaitable[None]]) -> None:
        counted.append(_watches() - before)
        (root / ".lemmata" / "serve" / "page-1" / "index.html").write_text("built")
        (root / "public" / "page-1" / "index.html").write_text("built")
        await asyncio.sleep(0.4)
        counted.append(len(batches))
        (root / "content" / "notes" / "deep" / "a.md").write_text("an edit")
        await seen(1)

    batches = _watching(root, scenario)
    # The site folder, content/ and its two folders: not the 80 folders of .lemmata/ and public/.
    assert counted[0] == 4
    assert counted[1] == 0  # nothing a build writes is a change
    assert batches == [0]


def test_the_config_file_is_seen_when_an_editor_renames_over_it(tmp_path: Path) -> None:
    root = _site(tmp_path)

    async def scenario(batches: list[int], seen: Callable[[int], Awaitable[None]]) -> None:
        for number in range(1, 3):
            saved = root / f".lemmata.toml.{number}.tmp"
            saved.write_text(f'title = "{number}"\n')
            saved.replace(root / "lemmata.toml")
            await seen(number)
            await asyncio.sleep(0.2)

    assert _watching(root, scenario) == [0, 1]


def test_an_input_folder_made_while_serving_is_watched(tmp_path: Path) -> None:
    root = _site(tmp_path)

    async def scenario(batches: list[int], seen: Callable[[int], Awaitable[None]]) -> None:
        (root / "templates").mkdir()
        await seen(1)
        await asyncio.sleep(0.3)  # the new folder is being watched
        (root / "templates" / "post.html").write_text("{{ page.title }}")
        await seen(2)

    assert len(_watching(root, scenario)) >= 2


def test_a_watch_that_cannot_start_raises(tmp_path: Path) -> None:
    # The server then says changes are no longer watched, instead of going quiet.
    async def watch() -> None:
        async for _ in input_changes(tmp_path / "gone", asyncio.Event(), debounce_ms=50):
            pass

    async def main() -> BaseException | None:
        task = asyncio.create_task(watch())
        done, _ = await asyncio.wait({task}, timeout=10)
        if not done:  # still waiting for changes that will never come
            task.cancel()
            return None
        return task.exception()

    assert isinstance(asyncio.run(main()), FileNotFoundError)
