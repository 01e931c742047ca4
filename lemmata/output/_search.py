"""The search index: Pagefind (extended build, which segments Chinese), run in-process.

Only the article body of posts and pages is indexed (the theme marks it with
``data-pagefind-body``); navigation, footers and related-post lists are left
out. MathML is removed before indexing: its ``<mi>``/``<mo>`` letters are
noise, not words.
"""

from __future__ import annotations

import contextlib
import os
import re
import subprocess
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from threading import Event

from lemmata.config import SiteConfig
from lemmata.errors import BuildInterruptedError, OutputError
from lemmata.site import OutputFile, Urls

BUNDLE = "pagefind"
_MATH = re.compile(r"<math\b.*?</math>", re.DOTALL)
# Pagefind's prebuilt interfaces: the theme has its own, so they would only be dead weight
# (about 400 KB). ``pagefind.js``, its worker, the WebAssembly and the index stay.
_UNUSED = re.compile(r"pagefind-(?:[a-z]+-)?ui\.(?:js|css)|pagefind-highlight\.js")
_NOT_INSTALLED = (
    "search is enabled but Pagefind is not installed (pip install 'pagefind[extended]'), "
    "or set [search] enabled = false"
)
_POLL_S = 0.05
"""How often a running index looks at its interrupt."""


def with_search_index(
    files: Iterable[OutputFile], config: SiteConfig, interrupt: Event | None = None
) -> Iterator[OutputFile]:
    """``files``, passed on one by one, then the Pagefind bundle (``pagefind/…``) for
    the HTML pages among them; just ``files`` if search is off.

    Once ``interrupt`` is set, :class:`BuildInterruptedError` is raised, and Pagefind, if
    it is running, is stopped: indexing a large site takes tens of seconds.
    """
    if not config.search.enabled:
        yield from files
        return
    with tempfile.TemporaryDirectory(prefix="lemmata-search-") as folder:
        root = Path(folder)
        # Pages go to disk once, under the base path, so that Pagefind indexes them all in
        # one call (one request per page through its service is ~50x slower).
        base = Urls(config).base_path.strip("/")
        site = root / "site" / base if base else root / "site"
        indexed = 0
        for item in files:
            _stop_if(interrupt)
            if item.path.endswith(".html"):
                data = item.read()
                if b"data-pagefind-body" in data:
                    target = site / item.path
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_text(_MATH.sub(" ", data.decode("utf-8")), "utf-8")
                    indexed += 1
            yield item
        try:
            if indexed:
                _index(root / "site", root / BUNDLE, config, interrupt)
            else:
                _empty_index(root / BUNDLE, config)
        except (OutputError, BuildInterruptedError):
            raise
        except Exception as exc:  # the Pagefind binary is missing, crashed or was killed
            raise OutputError(
                f"search index failed (Pagefind): {type(exc).__name__}: {exc}"
            ) from None
        yield from (
            OutputFile(path.relative_to(root).as_posix(), data=path.read_bytes())
            for path in sorted((root / BUNDLE).rglob("*"))
            if path.is_file() and not _UNUSED.fullmatch(path.name)
        )


def with_live_search_index(files: Iterable[OutputFile], out_dir: Path) -> Iterator[OutputFile]:
    """``files``, then the live output's search bundle as it is (linked, never read).

    The dev server publishes an edit this way at once and indexes right after:
    indexing takes a few milliseconds per page, seconds for a large site.
    """
    yield from files
    bundle = out_dir / BUNDLE
    if not bundle.is_dir() or bundle.is_symlink():
        return
    for path in sorted(bundle.rglob("*")):
        if path.is_file() and not path.is_symlink():
            yield OutputFile(path.relative_to(out_dir).as_posix(), source=str(path), reuse=True)


def language(config: SiteConfig) -> str:
    """Pagefind's language code: ``zh-CN`` → ``zh``."""
    return config.language.split("-", 1)[0].lower() or "en"


def _stop_if(interrupt: Event | None) -> None:
    if interrupt is not None and interrupt.is_set():
        raise BuildInterruptedError(
            "search indexing was interrupted; the previous output is unchanged"
        )


def _index(pages: Path, bundle: Path, config: SiteConfig, interrupt: Event | None) -> None:
    """Pagefind's command line over the folder of pages, stopped once ``interrupt`` is set.

    The command line rather than Pagefind's Python service: this process owns it, so
    an interrupted index never leaves it running. It runs in an empty folder with
    no ``PAGEFIND_`` variables, so no configuration file or variable of the user's
    changes what it does.
    """
    command = [
        str(_executable()),
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
                _stop_if(interrupt)
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


def _executable() -> Path:
    try:
        from pagefind.service import get_executable
    except ImportError as exc:
        raise OutputError(_NOT_INSTALLED) from exc
    executable = get_executable()
    if executable is None:
        raise OutputError(_NOT_INSTALLED)
    return executable


def _empty_index(bundle: Path, config: SiteConfig) -> None:
    """A bundle with no pages, for the search page to load: the command line refuses
    to index no pages, Pagefind's Python service does not."""
    import asyncio  # here, not at the top: 25 ms that most builds never need

    asyncio.run(_service_index(bundle, config))


async def _service_index(bundle: Path, config: SiteConfig) -> None:
    try:
        from pagefind.index import IndexConfig, PagefindIndex
    except ImportError as exc:
        raise OutputError(_NOT_INSTALLED) from exc
    # The output path must be in the config: leaving the context writes the files
    # there (by default into the current directory, which must never happen).
    options = IndexConfig(force_language=language(config), output_path=str(bundle))
    async with PagefindIndex(config=options):
        pass
