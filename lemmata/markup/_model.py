"""What rendering one document produces."""

from __future__ import annotations

import marshal
from dataclasses import dataclass
from typing import NamedTuple

from lemmata._hashing import sha1
from lemmata._pickling import compact
from lemmata.errors import Diagnostic, SourceLocation

REF_PREFIX = "lemmata-ref:"
"""Rendered HTML points at other source files as ``lemmata-ref:content/posts/b.md#frag``.

The site stage replaces each reference by the final URL of that document or
asset, so a rendered document does not depend on URL settings (and can be
cached across permalink changes).
"""


class Heading(NamedTuple):
    """A heading of the document, for the table of contents and anchors.

    A named tuple, not a dataclass: a rebuild loads tens of thousands from the
    cache, and a tuple is rebuilt from a pickle three times faster (5,000 posts:
    77 → 24 ms).
    """

    level: int
    id: str
    """Anchor id (stable; readable for Chinese; duplicates get ``-1``, ``-2``)."""
    html: str
    """Inner HTML (math rendered)."""
    text: str
    """Plain text (math as LaTeX source)."""


@compact
@dataclass(frozen=True, slots=True)
class Link:
    """A relative link or image in the document that points at another source file."""

    target: str
    """Site-relative path of the target, e.g. ``content/posts/b.md``."""
    fragment: str
    """``#anchor`` part without the ``#``, or empty."""
    is_image: bool
    location: SourceLocation
    source_line: str


@compact
@dataclass(frozen=True, slots=True)
class Asset:
    """A file the document needs beside it in the output."""

    name: str
    """Output file name relative to the document's folder, e.g. ``output-3-1.png``."""
    data: bytes
    """The bytes (notebook outputs); referenced files on disk are :class:`Link` s."""


class Html:
    """A document's HTML body, kept as UTF-8 until something reads it.

    A rebuild loads every cached body but reads only those of the pages it
    renders again; decoding them all would cost more than the rest of the
    loading. ``content_digest`` (SHA-1 of the bytes) stands for the text in
    page keys, so an unread body is never decoded to be compared either.
    """

    __slots__ = ("_data", "_text", "content_digest")

    def __init__(self, data: bytes, content_digest: bytes | None = None) -> None:
        self._data = data
        self._text: str | None = None
        self.content_digest = content_digest or sha1(data)

    @classmethod
    def of(cls, text: str) -> Html:
        made = cls(text.encode("utf-8", "surrogatepass"))
        made._text = text
        return made

    @property
    def text(self) -> str:
        if self._text is None:
            self._text = self._data.decode("utf-8", "surrogatepass")
        return self._text

    def __reduce__(self) -> tuple[type[Html], tuple[bytes, bytes]]:
        return (Html, (self._data, self.content_digest))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Html) and other._data == self._data

    def __hash__(self) -> int:
        return hash(self.content_digest)

    def __repr__(self) -> str:
        return f"Html({self.text!r})"


@compact
@dataclass(frozen=True, slots=True)
class Rendered:
    """One document rendered to HTML. Plain data: picklable and cacheable."""

    body: Html
    """The body HTML (may contain ``lemmata-ref:`` references); ``html`` is its text."""
    toc_html: str
    """Nested ``<ul>`` of headings down to ``[markdown] toc_depth``; empty if fewer than two.
    (The headings themselves are not kept: every rebuild would load tens of
    thousands of them, for nothing but ids that the body holds as well.)"""
    excerpt_html: str
    """Excerpt with inline math rendered; never cut inside a tag, formula or code."""
    excerpt_text: str
    """Plain-text excerpt; math appears as its LaTeX source."""
    title: str | None
    """Text of the first level-1 heading (else first heading), for untitled documents."""
    links: tuple[Link, ...]
    assets: tuple[Asset, ...]
    diagnostics: tuple[Diagnostic, ...]
    reading_units: int
    """Words of Latin text plus CJK characters, for reading time."""
    has_math: bool
    has_code: bool
    cacheable: bool = True
    """False when rendering met a failure of the moment (an internal error, a
    timeout): the next build renders the document again instead of reusing this."""
    content_digest: bytes = b""
    """SHA-1 of what pages show of it: the body, table of contents and excerpts.
    Made when rendered (left empty, it is computed) and cached with it, so page
    keys need not hash those texts for thousands of entries every build. A copy
    with other texts (``dataclasses.replace``) must pass ``content_digest=b""``:
    both digests are then made again."""
    preview_digest: bytes = b""
    """SHA-1 of the table of contents and excerpts alone: what lists show of it."""

    def __post_init__(self) -> None:
        previews = (self.toc_html, self.excerpt_html, self.excerpt_text)
        if not self.content_digest:
            content = sha1(marshal.dumps((self.body.content_digest, *previews), 2))
            object.__setattr__(self, "content_digest", content)
            object.__setattr__(self, "preview_digest", b"")  # made again below
        if not self.preview_digest:
            object.__setattr__(self, "preview_digest", sha1(marshal.dumps(previews, 2)))

    @property
    def html(self) -> str:
        """The body HTML as text."""
        return self.body.text


ASSET_PREFIX = "lemmata-asset:"
"""Rendered HTML points at a generated :class:`Asset` as ``lemmata-asset:<name>``;
the site stage writes the asset beside the document's page and substitutes its URL."""
