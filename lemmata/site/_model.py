"""The assembled site: view objects handed to templates, and the routes to write.

Templates receive only these objects (never a ``Document`` or ``Rendered``).
Every URL here is *site-absolute* and already includes the ``base_url`` path
prefix (``/notes/posts/x/`` for ``base_url = "https://a.github.io/notes/"``);
``permalink`` fields are fully absolute (scheme and host) when ``base_url``
has them.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from lemmata._pickling import compact

if TYPE_CHECKING:
    from lemmata.site._links import Body


DERIVED = "lemmata.derived"
"""Field metadata: the field is made from other fields of its object (and the page's
URL) alone, or is covered by another field's digest, so page keys leave it out.
Entries' excerpts and tables of contents need no digest of their own."""


@compact
@dataclass(frozen=True, slots=True)
class Term:
    """A category or a tag."""

    name: str
    """As written by the writer (``Deep Learning``, ``注意力``)."""
    slug: str
    url: str
    """Its first list page, e.g. ``/categories/deep-learning/``."""
    count: int
    """Published posts carrying it."""


@compact
@dataclass(frozen=True, slots=True)
class EntryLink:
    """A light reference to a post (previous/next, related)."""

    title: str
    url: str
    date: datetime | None


@compact
@dataclass(frozen=True, slots=True)
class Entry:
    """A post or page as templates see it."""

    kind: str
    """``post`` or ``page``."""
    title: str
    url: str
    permalink: str
    source: str
    """Site-relative source path (for "edit this page" links, and diagnostics)."""
    date: datetime | None
    updated: datetime | None
    category: Term | None
    tags: tuple[Term, ...]
    body: Body
    """Body HTML, references resolved when first read; ``html`` is its text."""
    toc_html: str = field(metadata={DERIVED: True})
    """Table of contents HTML, references resolved. Like both excerpts, made from
    the rendered document with the references and URL of ``body``, whose digest
    covers all three."""
    excerpt_html: str = field(metadata={DERIVED: True})
    """Excerpt HTML with rendered inline math, references resolved."""
    excerpt_text: str = field(metadata={DERIVED: True})
    """Plain-text excerpt (math as LaTeX): meta description, feed summary."""
    reading_minutes: int
    has_math: bool
    has_code: bool
    draft: bool
    extra: Mapping[str, Any]
    previous: EntryLink | None = None
    """The next-older post."""
    next: EntryLink | None = None
    """The next-newer post."""
    related: tuple[EntryLink, ...] = ()

    @property
    def html(self) -> str:
        """Body HTML, references resolved."""
        return self.body.text


DETAILS = ("body", "previous", "next", "related")
"""The fields of an entry its own page shows and lists do not (by default): page
keys count them only for pages whose templates read them."""


@compact
@dataclass(frozen=True, slots=True)
class PageLink:
    number: int
    url: str
    current: bool


@compact
@dataclass(frozen=True, slots=True)
class Pagination:
    """One page of a paginated list."""

    number: int
    """1-based."""
    total: int
    """Number of pages (at least 1)."""
    entries: tuple[Entry, ...]
    first_url: str
    """The list's first page; page ``n`` is at :func:`paged` of it."""
    previous_url: str | None
    next_url: str | None

    @property
    def links(self) -> tuple[PageLink | None, ...]:
        """Numbered links to show; ``None`` marks an ellipsis gap (``1 2 … 9``).

        Made when a template reads them, from ``number``, ``total`` and
        ``first_url`` alone: a site has thousands, and most pages are reused.
        """
        current, total = self.number, self.total
        if total <= ALL_LINKS_UP_TO:
            shown = list(range(1, total + 1))
        else:
            shown = sorted({1, total, *range(max(1, current - 2), min(total, current + 2) + 1)})
        links: list[PageLink | None] = []
        for index, number in enumerate(shown):
            if index and number != shown[index - 1] + 1:
                links.append(None)
            links.append(PageLink(number, paged(self.first_url, number), number == current))
        return tuple(links)


ALL_LINKS_UP_TO = 7
"""Lists of up to this many pages show every page number; longer ones use gaps."""


def paged(first: str, number: int) -> str:
    """URL of page ``number`` of a list whose first page is ``first``."""
    return first if number == 1 else f"{first}page/{number}/"


@compact
@dataclass(frozen=True, slots=True)
class ArchiveMonth:
    year: int
    month: int
    entries: tuple[Entry, ...]


@compact
@dataclass(frozen=True, slots=True)
class Route:
    """One HTML page to write."""

    path: str
    """Output path relative to the output folder, e.g. ``posts/x/index.html``."""
    url: str
    template: str
    """Theme template name: ``home.html``, ``post.html``, ``page.html``, ``list.html`` (category/tag),
    ``terms.html`` (all categories / all tags), ``archive.html``, ``404.html``."""
    context: Mapping[str, Any] = field(default_factory=dict)
    """Template variables besides the globals (``site``, ``config``, ``url_for``…)."""


@compact
@dataclass(frozen=True, slots=True)
class OutputFile:
    """A non-HTML file to write: an asset, a copied static file, a feed."""

    path: str
    data: bytes | None = None
    source: str | None = None
    """Absolute path to copy from, when ``data`` is ``None``."""
    reuse: bool = False
    """``source`` is a file never changed in place (this very file in the live output,
    or a kept part of the search index): link it, don't copy it."""
    source_stat: os.stat_result | None = field(default=None, compare=False)
    """The ``lstat`` of ``source`` when it was just taken (a reused page, checked
    against its record): the publisher need not take it again."""
    data_digest: bytes | None = field(default=None, compare=False)
    """``lemmata._hashing.file_digest(data)``, when its maker took it (a page rendered
    by a worker process): the publisher need not take it again."""

    def read(self) -> bytes:
        """The file's bytes."""
        if self.data is not None:
            return self.data
        assert self.source is not None
        with open(self.source, "rb") as handle:  # noqa: PTH123 (a str path, read once)
            return handle.read()


@compact
@dataclass(frozen=True, slots=True)
class Site:
    """Everything the theme and the output stage need."""

    posts: tuple[Entry, ...]
    """Published posts, newest first (ties by title)."""
    pages: tuple[Entry, ...]
    categories: tuple[Term, ...]
    """Sorted by name."""
    tags: tuple[Term, ...]
    routes: tuple[Route, ...]
    """Every HTML page to write (home pages, posts, pages, lists, archive, 404)."""
    files: tuple[OutputFile, ...]
    """Assets of documents (bundle files, notebook outputs) and copied ``static/`` files."""
    diagnostics: tuple[Any, ...] = ()
    """Problems found while assembling (duplicate URLs, broken links)."""
    structure: str = field(default="", compare=False, metadata={DERIVED: True})
    """Names everything in this site but what its entries take from their renderings
    (their bodies, excerpts, reading times…) and the new ``titles``, when that is
    known; empty otherwise. Two sites with the same non-empty ``structure`` differ
    at most in those fields, and in the titles of the entries either names in
    ``titles`` (their own and their links'): a rebuild that reuses the kept site
    (:mod:`lemmata.site._kept`) gets the ``structure`` of the build that kept it,
    so what was worked out from the rest (the theme's digests of entries) can be
    reused too."""
    titles: tuple[tuple[str, str], ...] = field(default=(), compare=False, metadata={DERIVED: True})
    """New titles given to the site ``structure`` names, as ``(url, title)`` pairs of
    the entries concerned, sorted by URL."""
