"""References between source files: ``lemmata-ref:`` and ``lemmata-asset:`` → URLs.

A reference may point at a published document (its URL), at a folder with an
``index.md`` (that bundle's URL), at a file under ``static/`` (where it is
copied anyway), or at any other file under ``content/`` (copied beside the
bundle that links it, else at its path below ``content/``). Anything else is
a problem reported at the link.
"""

from __future__ import annotations

import html
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from lemmata._hashing import sha1
from lemmata.config import SiteConfig
from lemmata.content import Document
from lemmata.errors import Diagnostic, Severity
from lemmata.markup import ASSET_PREFIX, REF_PREFIX, Html, Link, Rendered
from lemmata.site._files import STATIC_DIR, is_published_static
from lemmata.site._model import OutputFile
from lemmata.site._urls import Urls

_REF = re.compile(re.escape(REF_PREFIX) + r'([^"#]*)(#[^"]*)?"')
_ASSET = re.compile(re.escape(ASSET_PREFIX) + r'([^"]*)"')
_UNSAFE_IN_URL = re.compile(r'[\x00-\x20"%<>?#\\^`{|}\x7f]')
_CONTENT = "content/"
_NOWHERE = "#"


@dataclass
class LinkTable:
    """What every document may point at, and what resolving the links produced."""

    config: SiteConfig
    urls: Urls
    page_urls: Mapping[str, str]
    """Site path of each published document → its URL."""
    unpublished: Collection[str]
    """Documents left out of this build (drafts, future posts)."""
    diagnostics: list[Diagnostic] = field(default_factory=list)
    files: list[OutputFile] = field(default_factory=list)
    """Copies of the non-document files that links point at."""

    def resolver(self, doc: Document, url: str) -> Resolver:
        return Resolver(self, doc, url)


class Resolver:
    """One document's references, checked once and then substituted in its HTML."""

    def __init__(self, table: LinkTable, doc: Document, url: str) -> None:
        self.table, self.doc, self.url = table, doc, url
        self.hrefs: dict[str, str] = {}
        """Target path → the escaped URL written into ``href``/``src``."""

    def check(self, link: Link) -> None:
        if link.target not in self.hrefs:
            self.hrefs[link.target] = self._locate(link)

    def body(self, result: Rendered) -> Body:
        """The document's body, its references resolved when it is first read.

        Its digest covers ``result``'s table of contents and excerpts too, which
        are resolved with the same references (:meth:`Body.resolve`); its
        ``preview_digest`` covers those alone.
        """
        return Body.of(result, dict(self.hrefs), self.url)

    def _locate(self, link: Link) -> str:
        table, target = self.table, link.target
        for candidate in (target, f"{target}/index.md", f"{target}/index.ipynb"):
            if candidate in table.page_urls:
                return table.page_urls[candidate]
        if target in table.unpublished:
            self._report(
                Severity.WARNING, f"link to {target}, which is a draft or not yet published", link
            )
            return _NOWHERE
        path = table.config.root / target
        if not path.is_file():
            kind = "image" if link.is_image else "link"
            self._report(Severity.ERROR, f"broken {kind}: {target} does not exist", link)
            return _NOWHERE
        if target.startswith(STATIC_DIR + "/"):
            relative = target.removeprefix(STATIC_DIR + "/")
            if is_published_static(relative):
                return _href(table.urls.url(relative))
        elif target.startswith(_CONTENT):
            return _href(self._copy(target, path))
        self._report(
            Severity.ERROR,
            f"link to {target}, which is not published: "
            "only files under content/ and static/ are part of the site",
            link,
        )
        return _NOWHERE

    def _copy(self, target: str, path: Path) -> str:
        bundle = self.doc.bundle_dir
        if bundle and target.startswith(bundle + "/"):
            url = self.url + target.removeprefix(bundle + "/")
        else:
            url = self.table.urls.url(target.removeprefix(_CONTENT))
        self.table.files.append(OutputFile(self.table.urls.output_path(url), source=str(path)))
        return url

    def _report(self, severity: Severity, message: str, link: Link) -> None:
        self.table.diagnostics.append(
            Diagnostic(severity, message, link.location, link.source_line)
        )


class Body:
    """An entry's HTML: the rendered body, references resolved on first read.

    Its ``content_digest`` covers the rendered body and every URL substituted
    into it, which is all its text depends on: a page key can use it without
    the text ever being decoded or resolved. ``covers`` (default: the body's
    own digest) may stand for more of the rendered document: an entry's
    table of contents and excerpts (:meth:`Resolver.body`). ``preview_digest``
    covers, with the same URLs, what ``previews`` stands for (those three
    alone); without it, it is ``content_digest``.
    """

    __slots__ = ("_hrefs", "_rendered", "_text", "_url", "content_digest", "preview_digest")

    def __init__(
        self,
        rendered: Html,
        hrefs: Mapping[str, str] | None = None,
        url: str = "",
        covers: bytes | None = None,
        previews: bytes | None = None,
    ) -> None:
        self._rendered, self._hrefs, self._url = rendered, hrefs or {}, url
        self._text: str | None = None
        salt = repr((sorted(self._hrefs.items()), url)).encode()
        self.content_digest = sha1((covers or rendered.content_digest) + salt)
        self.preview_digest = sha1(previews + salt) if previews else self.content_digest

    @classmethod
    def of(cls, result: Rendered, hrefs: Mapping[str, str], url: str) -> Body:
        """The body of ``result`` with these references, on the page at ``url``."""
        return cls(result.body, hrefs, url, result.content_digest, result.preview_digest)

    @property
    def references(self) -> tuple[Mapping[str, str], str]:
        """The references it resolves and its page's URL: with another rendering of the
        same document, :meth:`of` makes its body on the same page."""
        return self._hrefs, self._url

    def resolve(self, text: str) -> str:
        """Another text of the same document (its excerpt…), references resolved alike."""
        return _resolved(text, self._hrefs, self._url)

    @property
    def text(self) -> str:
        if self._text is None:
            self._text = _resolved(self._rendered.text, self._hrefs, self._url)
        return self._text

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Body) and other.content_digest == self.content_digest

    def __hash__(self) -> int:
        return hash(self.content_digest)

    def __repr__(self) -> str:
        return f"Body({self.text!r})"


def _resolved(text: str, hrefs: Mapping[str, str], url: str) -> str:
    """``text`` with every reference replaced by its URL (``url``: the page's own)."""

    def ref(match: re.Match[str]) -> str:
        href = hrefs.get(html.unescape(match.group(1)), _NOWHERE)
        fragment = match.group(2) or ""
        if href == _NOWHERE and fragment:
            href = ""
        return f'{href}{fragment}"'

    if REF_PREFIX in text:
        text = _REF.sub(ref, text)
    if ASSET_PREFIX in text:
        text = _ASSET.sub(lambda m: f'{url}{m.group(1)}"', text)
    return text


def _href(url: str) -> str:
    """A URL as written in an attribute: unsafe characters encoded, non-ASCII kept."""
    encoded = _UNSAFE_IN_URL.sub(lambda m: f"%{ord(m.group()):02X}", url)
    return html.escape(encoded, quote=True)
