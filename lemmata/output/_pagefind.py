"""Running Pagefind: its command line over a folder of pages, and its Python
service for an index of no page at all, which the command line refuses to make.

The command line rather than the service for pages: the build owns the process,
so an interrupted index never leaves it running.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
from pathlib import Path
from threading import Event

from lemmata.config import SiteConfig
from lemmata.errors import BuildInterruptedError, OutputError

NOT_INSTALLED = (
    "search is enabled but Pagefind is not installed (pip install 'pagefind[extended]'), "
    "or set [search] enabled = false"
)
_POLL_S = 0.05
"""How often a running index looks at its interrupt."""


def language(config: SiteConfig) -> str:
    """Pagefind's language code: ``zh-CN`` → ``zh``."""
    return config.language.split("-", 1)[0].lower() or "en"


def stop_if(interrupt: Event | None) -> None:
    if interrupt is not None and interrupt.is_set():
        raise BuildInterruptedError(
            "search indexing was interrupted; the previous output is unchanged"
        )


def index(pages: Path, bundle: Path, config: SiteConfig, interrupt: Event | None) -> None:
    """Pagefind's command line over the folder of pages, stopped once ``interrupt`` is set.

    The command line rather than Pagefind's Python service: this process owns it, so
    an interrupted index never leaves it running. It runs in an empty folder with
    no ``PAGEFIND_`` variables, so no configuration file or variable of the user's
    changes what it does.
    """
    command = [
        str(executable()),
        "--site",
        str(pages),
        "--output-path",
        str(bundle),
        "--force-language",
        language(config),
    ]
    env = {name: value for name, value in os.environ.items() if not name.startswith("PAGEFIND_")}
    log = pages.parent / "pagefind.log"  # a file, not a pipe: a full pipe would stall it
    with log.open("wb") as printed:
        process = subprocess.Popen(
            command,
            cwd=pages.parent,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=printed,
            stderr=printed,
        )
        try:
            while process.poll() is None:
                stop_if(interrupt)
                with contextlib.suppress(subprocess.TimeoutExpired):
                    process.wait(_POLL_S)
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
    if process.returncode != 0:
        lines = log.read_text("utf-8", "replace").splitlines()
        last = " ".join(line.strip() for line in lines if line.strip())[-300:]
        raise OutputError(
            f"search index failed (Pagefind exited with {process.returncode}): {last}"
        )


def executable() -> Path:
    try:
        from pagefind.service import get_executable
    except ImportError as exc:
        raise OutputError(NOT_INSTALLED) from exc
    found = get_executable()
    if found is None:
        raise OutputError(NOT_INSTALLED)
    return found


def empty_index(bundle: Path, config: SiteConfig) -> None:
    """A bundle with no pages, for the search page to load: the command line refuses
    to index no pages, Pagefind's Python service does not."""
    import asyncio  # here, not at the top: 25 ms that most builds never need

    asyncio.run(_service_index(bundle, config))


async def _service_index(bundle: Path, config: SiteConfig) -> None:
    try:
        from pagefind.index import IndexConfig, PagefindIndex
    except ImportError as exc:
        raise OutputError(NOT_INSTALLED) from exc
    # The output path must be in the config: leaving the context writes the files
    # there (by default into the current directory, which must never happen).
    options = IndexConfig(force_language=language(config), output_path=str(bundle))
    async with PagefindIndex(config=options):
        pass
