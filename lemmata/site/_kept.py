"""Keeping the assembled site for the next build, which reuses it when only bodies changed.

Assembling 5,000 posts takes about half a second, and most rebuilds follow an
edit to the text of a post: its URL, title, dates, terms and links stay as
they were, and so does every other part of the site but that post's entry.
A build that assembled keeps its site in ``.lemmata/site.pickle``, with, for
each document, a digest of what assembling read of it besides its rendering
(its *signature*). The next build reuses that site when

* the key is the same: lemmata's code, the configuration and options, the
  files outside ``content/``, and every file under ``content/`` (documents
  by path, other files by stamp: see :func:`lemmata.fingerprint.assembly_key`);
* the same documents are published (a date may have arrived);
* and each document either has the same bytes as then, both renderings
  being complete (neither met a failure of the moment), or has the same
  signature.

What an entry takes from its rendering (body, table of contents, excerpts,
reading time: ``RENDERED_FIELDS``) is not kept: each entry gets it from this
build's rendering, with the references resolved then (the same links to the
same pages). So an edited excerpt does not prevent the reuse either; page
keys see it, as always; the site's ``structure`` names the kept one, so that
the theme can reuse what it worked out from the rest.

A new title in the front matter (where there was one) is given to the kept
site too: to the entry and to the links to it (previous, next, related),
which is all a title decides, unless it changes the order of the posts (a
tie of dates is broken by titles). Such a site has the kept structure and
names its new ``titles``. Anything else makes the build assemble afresh.
The tests compare reused sites with fresh ones after every kind of edit,
and the incremental property test compares whole outputs with clean builds.
"""

from __future__ import annotations

import copyreg
import io
import marshal
import pickle
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields, replace
from datetime import datetime
from itertools import pairwise
from pathlib import Path
from typing import Any

from lemmata._hashing import sha1
from lemmata._pickling import attributes
from lemmata.cache import load_pickled, save_pickled
from lemmata.config import SiteConfig
from lemmata.content import Document, FrontMatter
from lemmata.markup import Rendered
from lemmata.site._assemble import (
    RENDERED_FIELDS,
    assemble,
    from_rendering,
    is_published,
    post_order,
    written_title,
)
from lemmata.site._links import Body
from lemmata.site._model import Entry, EntryLink, Site

KEPT_FILE = "site.pickle"
_FORMAT = 3


def assemble_kept(
    config: SiteConfig,
    documents: Sequence[Document],
    rendered: Mapping[str, Rendered],
    *,
    drafts: bool = False,
    future: bool = False,
    now: datetime,
    cache_dir: Path,
    key: str | None,
    keep: bool = True,
) -> Site:
    """:func:`assemble`, or the kept site with this build's bodies when it still holds.

    ``key`` is :func:`lemmata.fingerprint.assembly_key` for this build (``None``:
    unknown, so nothing is reused or kept). With ``keep``, a site assembled
    afresh is kept for the next build (~0.17 s at 5,000 posts, against ~0.25 s
    saved by each build that reuses it: worth it while a writer is editing).
    """
    path = cache_dir / KEPT_FILE
    published = tuple(
        d.path for d in documents if is_published(d, drafts=drafts, future=future, now=now)
    )
    kept = load_pickled(path, _FORMAT) if key is not None else None
    if not isinstance(kept, _Kept):
        kept = None
    elif kept.key == key and kept.published == published:
        site = kept.site_for(documents, rendered)
        if site is not None:
            return site
    site = assemble(
        config, documents, rendered, drafts=drafts, future=future, now=now, use_cache=True
    )
    if keep and key is not None:
        state = _Kept.of(site, documents, rendered, key, published, kept)
        save_pickled(path, (_FORMAT, state))
        site = replace(site, structure=state.structure)
    return site


@dataclass(frozen=True, slots=True)
class _Kept:
    """An assembled site and what it was assembled from."""

    key: str
    published: tuple[str, ...]
    """The site paths of the published documents, in order."""
    documents: dict[str, tuple[str, bool, bytes, str | None]]
    """Each document's hash of its bytes, whether its rendering was complete, signature,
    and title in the front matter."""
    references: dict[str, tuple[Mapping[str, str], str]]
    """Each entry's resolved references and URL: its body and excerpts are resolved with them."""
    site: bytes
    """The site pickled, each entry without its :data:`RENDERED_FIELDS`."""
    structure: str
    """The kept site's :attr:`~lemmata.site.Site.structure`: a digest of the key and ``site``."""

    @classmethod
    def of(
        cls,
        site: Site,
        documents: Sequence[Document],
        rendered: Mapping[str, Rendered],
        key: str,
        published: tuple[str, ...],
        previous: _Kept | None,
    ) -> _Kept:
        """Signatures known from ``previous`` are not made again: those of documents with
        the same bytes, rendered completely both times, by a build with the same key
        (a document is read with the settings)."""
        known = previous.documents if previous is not None and previous.key == key else {}
        signatures = {}
        for doc in documents:
            result = rendered[doc.path]
            was = known.get(doc.path)
            if was is not None and _same_bytes(was, doc, result):
                signatures[doc.path] = was
            else:
                signatures[doc.path] = (
                    doc.content_hash,
                    result.cacheable,
                    signature(doc, result),
                    doc.meta.title,
                )
        buffer = io.BytesIO()
        pickler = pickle.Pickler(buffer, pickle.HIGHEST_PROTOCOL)
        pickler.dispatch_table = copyreg.dispatch_table.copy()
        pickler.dispatch_table[Entry] = lambda entry: (_kept_entry, _kept_values(entry))
        pickler.dump(site)
        kept = buffer.getvalue()
        return cls(
            key=key,
            published=published,
            documents=signatures,
            references={e.source: e.body.references for e in (*site.posts, *site.pages)},
            site=kept,
            structure=sha1(key.encode() + b"\0" + kept).hex(),
        )

    def site_for(
        self, documents: Sequence[Document], rendered: Mapping[str, Rendered]
    ) -> Site | None:
        """The kept site with these renderings and titles, or ``None`` if anything
        else changed."""
        if len(documents) != len(self.documents):
            return None  # one gone (even a draft, which links may point at)
        titles: dict[str, str] = {}
        """New titles, by the URL of their entry."""
        for doc in documents:
            was = self.documents.get(doc.path)
            if was is None:
                return None
            result = rendered[doc.path]
            if _same_bytes(was, doc, result):
                continue
            if was[2] != signature(doc, result):
                return None
            if was[3] != doc.meta.title:
                title = written_title(doc.meta.title)
                if (
                    written_title(was[3]) is None
                    or title is None
                    or doc.path not in self.references
                ):
                    return None  # a title from a heading or the file name, or of a draft
                titles[self.references[doc.path][1]] = title
        unpickler = _Unpickler(io.BytesIO(self.site), self.references, rendered, titles)
        site: Site = unpickler.load()
        if titles:
            order = [post_order(post) for post in site.posts]
            if any(later <= earlier for earlier, later in pairwise(order)):
                return None  # the new titles reorder posts of the same date
        return replace(site, structure=self.structure, titles=tuple(sorted(titles.items())))


def _same_bytes(was: tuple[str, bool, bytes, str | None], doc: Document, result: Rendered) -> bool:
    """Whether the document has the bytes it had when kept, rendered completely both times."""
    return was[:2] == (doc.content_hash, True) and result.cacheable


def signature(doc: Document, result: Rendered) -> bytes:
    """A digest of everything assembling reads of a document and its rendering, but
    what the entry takes from the rendering alone (:data:`RENDERED_FIELDS`) and the
    title in its front matter.

    Dates by their ``repr``, which names their zone: equal instants in two zones
    show differently. The first line of the text is quoted by problems reported
    on the document as a whole; links decide references and their problems.
    """
    plain = (
        doc.kind.value,
        doc.format.value,
        doc.slug,
        doc.bundle_dir,
        doc.term_slugs,
        doc.text.partition("\n")[0],
        repr(_untitled(doc.meta)),  # the title is kept beside it
        result.title,
        repr(result.links),
        tuple((asset.name, sha1(asset.data)) for asset in result.assets),
    )
    return sha1(marshal.dumps(plain, 2))


_untitled = attributes([f.name for f in fields(FrontMatter) if f.name != "title"])
"""The front matter's values but its title (a replaced copy's ``repr`` took twice as long)."""
_KEPT_FIELDS = tuple(f.name for f in fields(Entry) if f.name not in RENDERED_FIELDS)
_kept_values = attributes(_KEPT_FIELDS)
_SOURCE = _KEPT_FIELDS.index("source")


def _kept_entry(*values: Any) -> Entry:
    """Where a kept site's entries go: each is made by the unpickler (:class:`_Unpickler`)."""
    raise LookupError("a kept entry is made when a kept site is loaded")


class _Unpickler(pickle.Unpickler):
    """Loads a kept site, giving each entry what it takes from this build's rendering."""

    def __init__(
        self,
        data: io.BytesIO,
        references: Mapping[str, tuple[Mapping[str, str], str]],
        rendered: Mapping[str, Rendered],
        titles: Mapping[str, str],
    ) -> None:
        super().__init__(data)
        self._references = references
        self._rendered = rendered
        self._titles = titles
        """New titles, by the URL of their entry."""

    def find_class(self, module: str, name: str) -> object:
        if (module, name) == (__name__, _kept_entry.__name__):
            return self._entry
        found = super().find_class(module, name)
        if found is EntryLink and self._titles:
            return self._link
        return found

    def _entry(self, *values: Any) -> Entry:
        source = values[_SOURCE]
        assert isinstance(source, str)
        result = self._rendered[source]
        body = Body.of(result, *self._references[source])
        fields = dict(zip(_KEPT_FIELDS, values, strict=True))
        if self._titles:
            fields["title"] = self._titles.get(fields["url"], fields["title"])
        return Entry(**fields, **from_rendering(result, body))

    def _link(self, title: str, url: str, date: datetime | None) -> EntryLink:
        return EntryLink(self._titles.get(url, title), url, date)
