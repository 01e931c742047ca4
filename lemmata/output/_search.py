"""The search index: Pagefind (extended build, which segments Chinese), run in-process.

Only the article body of posts and pages is indexed (the theme marks it with
``data-pagefind-body``); navigation, footers and related-post lists are left
out. MathML is removed before indexing: its ``<mi>``/``<mo>`` letters are
noise, not words.
"""

from __future__ import annotations

import asyncio
import re
import tempfile
from collections.abc import Sequence
from pathlib import Path

from lemmata.config import SiteConfig
from lemmata.errors import OutputError
from lemmata.site import OutputFile, Urls

BUNDLE = "pagefind"
_MATH = re.compile(r"<math\b.*?</math>", re.DOTALL)
# Pagefind's prebuilt interfaces: the theme has its own, so they would only be dead weight
# (about 400 KB). ``pagefind.js``, its worker, the WebAssembly and the index stay.
_UNUSED = re.compile(r"pagefind-(?:[a-z]+-)?ui\.(?:js|css)|pagefind-highlight\.js")


def search_index(pages: Sequence[OutputFile], config: SiteConfig) -> list[OutputFile]:
    """The Pagefind bundle (``pagefind/…``) for the given HTML pages; empty if search is off."""
    if not config.search.enabled:
        return []
    indexable = [
        page
        for page in pages
        if page.path.endswith(".html") and page.data and b"data-pagefind-body" in page.data
    ]
    try:
        return asyncio.run(_build(indexable, config))
    except OutputError:
        raise
    except Exception as exc:  # the Pagefind binary is missing, crashed or was killed
        raise OutputError(f"search index failed (Pagefind): {type(exc).__name__}: {exc}") from None


def language(config: SiteConfig) -> str:
    """Pagefind's language code: ``zh-CN`` → ``zh``."""
    return config.language.split("-", 1)[0].lower() or "en"


async def _build(pages: Sequence[OutputFile], config: SiteConfig) -> list[OutputFile]:
    try:
        from pagefind.index import IndexConfig, PagefindIndex
    except ImportError as exc:
        raise OutputError(
            "search is enabled but Pagefind is not installed (pip install 'pagefind[extended]'), "
            "or set [search] enabled = false"
        ) from exc
    urls = Urls(config)
    with tempfile.TemporaryDirectory(prefix="lemmata-search-") as folder:
        root = Path(folder)
        # Pages go to disk once, under the base path, so that Pagefind indexes them all in
        # one call (one request per page through its service is ~50x slower).
        site = root / "site"
        base = urls.base_path.strip("/")
        for page in pages:
            target = site / base / page.path if base else site / page.path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(_MATH.sub(" ", (page.data or b"").decode("utf-8")), "utf-8")
        # The output path must be in the config: leaving the context writes the files
        # there (by default into the current directory, which must never happen).
        options = IndexConfig(force_language=language(config), output_path=str(root / BUNDLE))
        async with PagefindIndex(config=options) as index:
            if pages:
                await index.add_directory(str(site))
        return [
            OutputFile(path.relative_to(root).as_posix(), data=path.read_bytes())
            for path in sorted((root / BUNDLE).rglob("*"))
            if path.is_file() and not _UNUSED.fullmatch(path.name)
        ]
