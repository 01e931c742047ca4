"""The content model: one :class:`Document` per source file."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from lemmata._pickling import by_name, compact
from lemmata.errors import Diagnostic


@by_name
class Kind(StrEnum):
    """Dated articles live in ``content/posts/``, undated pages elsewhere."""

    POST = "post"
    PAGE = "page"


@by_name
class Format(StrEnum):
    MARKDOWN = "markdown"
    NOTEBOOK = "notebook"


@compact
@dataclass(frozen=True, slots=True)
class FrontMatter:
    """What the writer declared at the top of the file (or in notebook metadata)."""

    title: str | None = None
    """``title``; ``None`` when absent (the site falls back to the first heading)."""
    date: datetime | None = None
    """``date``, always time-zone aware (the site ``timezone`` fills a missing offset)."""
    updated: datetime | None = None
    """``updated``, aware like ``date``."""
    categories: tuple[str, ...] = ()
    """``category`` (a string or a list); the first is the primary category."""
    tags: tuple[str, ...] = ()
    """``tags``."""
    summary: str | None = None
    """``summary``: Markdown used as the excerpt instead of the automatic one."""
    slug: str | None = None
    """``slug``: overrides the slug taken from the file name."""
    draft: bool = False
    """``draft``: left out of the site unless building with ``--drafts``."""
    extra: Mapping[str, Any] = field(default_factory=dict)
    """Every other key, passed to templates as ``extra``."""

    @property
    def category(self) -> str | None:
        return self.categories[0] if self.categories else None


@compact
@dataclass(frozen=True, slots=True)
class Document:
    """One source file under ``content/``, parsed but not rendered."""

    path: str
    """Path relative to the site folder with forward slashes, e.g. ``content/posts/a.md``."""
    kind: Kind
    format: Format
    text: str
    """The whole decoded source (front matter included): diagnostics quote it."""
    body_start: int
    """Offset in ``text`` where ``body`` starts."""
    body_line: int
    """1-based line of ``text`` on which ``body`` starts."""
    meta: FrontMatter
    slug: str
    """Final slug: front matter ``slug``, else from the file (or bundle folder) name."""
    bundle_dir: str | None
    """For ``NAME/index.md``: its folder (site-relative), whose other files are its assets."""
    content_hash: str
    """Hex digest of the source bytes."""
    diagnostics: tuple[Diagnostic, ...] = ()
    """Problems found while reading and parsing front matter."""
    term_slugs: tuple[tuple[str, str], ...] = ()
    """(name, slug) of its categories and tags: cached with the document, so that a
    rebuild need not slugify (and load the pinyin dictionaries) for unchanged files."""

    @property
    def body(self) -> str:
        """Markdown after the front matter; for a notebook, the notebook JSON."""
        return self.text[self.body_start :]
