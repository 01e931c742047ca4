"""``assemble``: documents and their renderings → the :class:`Site`."""

from __future__ import annotations

import posixpath
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from lemmata.config import SiteConfig
from lemmata.content import Document, Kind
from lemmata.errors import Diagnostic, SourceText
from lemmata.markup import Rendered
from lemmata.site._collections import archive, collect_terms, link_neighbours, routes_for
from lemmata.site._conflicts import duplicate_urls, hidden_static_files, taken_by_generated_pages
from lemmata.site._files import bundle_files, static_files
from lemmata.site._links import Body, LinkTable, Resolver
from lemmata.site._model import Entry, OutputFile, Site
from lemmata.site._urls import Urls

WORDS_PER_MINUTE = 250
"""Reading speed, in reading units (Latin words or CJK characters) per minute."""


def assemble(
    config: SiteConfig,
    documents: Sequence[Document],
    rendered: Mapping[str, Rendered],
    *,
    drafts: bool = False,
    future: bool = False,
    now: datetime,
    use_cache: bool = False,
) -> Site:
    """Decide every URL, resolve references, and lay out every page to write.

    ``now`` decides which posts are in the future; nothing else depends on
    the moment of the build, so the same input always gives the same site.
    With ``use_cache``, what depends on many posts' metadata alone (related
    posts) is kept in the site's cache for the next build.
    """
    urls = Urls(config)
    diagnostics: list[Diagnostic] = []
    published = [d for d in documents if is_published(d, drafts=drafts, future=future, now=now)]
    titles = {d.path: _title(d, rendered[d.path], diagnostics) for d in published}
    diagnostics += [_undated(d) for d in published if d.kind is Kind.POST and d.meta.date is None]
    page_urls = {
        d.path: (
            urls.post(d.slug, d.meta.date, d.meta.category)
            if d.kind is Kind.POST
            else urls.page(d.slug)
        )
        for d in published
    }
    diagnostics += duplicate_urls(published, page_urls)
    table = LinkTable(
        config,
        urls,
        page_urls,
        unpublished={d.path for d in documents}.difference(page_urls),
    )
    bundles = {d.bundle_dir for d in documents if d.bundle_dir}
    files: list[OutputFile] = []
    entries: list[Entry] = []
    for doc in published:
        result = rendered[doc.path]
        url = page_urls[doc.path]
        resolver = table.resolver(doc, url)
        for link in result.links:
            resolver.check(link)
        if doc.bundle_dir:
            files += bundle_files(config.root, doc.bundle_dir, urls.output_folder(url), bundles)
        for asset in result.assets:
            files.append(OutputFile(urls.output_path(url + asset.name), data=asset.data))
        entries.append(_entry(doc, result, titles[doc.path], url, urls, resolver))
    diagnostics += table.diagnostics
    files += table.files
    static = static_files(config.root)

    posts = sorted((e for e in entries if e.kind == "post"), key=post_order)
    pages = sorted((e for e in entries if e.kind == "page"), key=lambda e: e.source)
    names = {d.path: (d.meta.categories, d.meta.tags) for d in published}
    slugs = dict(pair for d in published for pair in d.term_slugs)
    categories, tags, terms = collect_terms(posts, names, urls, config, slugs)
    posts = link_neighbours(posts, terms, config.root if use_cache else None)
    routes = routes_for(posts, pages, categories, tags, archive(posts), urls, config)
    diagnostics += taken_by_generated_pages(published, page_urls, routes)
    diagnostics += hidden_static_files(static, routes)
    return Site(
        posts=tuple(posts),
        pages=tuple(pages),
        categories=categories,
        tags=tags,
        routes=routes,
        files=tuple(_unique([*files, *static])),
        diagnostics=tuple(diagnostics),
    )


def post_order(entry: Entry) -> tuple[float, str, str]:
    """Posts sort newest first; ties by title, then by source path."""
    return (-(entry.date.timestamp() if entry.date else float("-inf")), entry.title, entry.source)


def is_published(doc: Document, *, drafts: bool, future: bool, now: datetime) -> bool:
    """Whether the document is part of a site built with these options at ``now``."""
    if doc.meta.draft and not drafts:
        return False
    return not (doc.meta.date is not None and doc.meta.date > now and not future)


def written_title(title: str | None) -> str | None:
    """A front-matter title as shown, stripped; ``None`` when absent or blank (the
    entry then takes its first heading or file name, with a warning)."""
    return title.strip() if title and title.strip() else None


def _title(doc: Document, result: Rendered, diagnostics: list[Diagnostic]) -> str:
    written = written_title(doc.meta.title)
    if written is not None:
        return written
    source = SourceText(doc.path, doc.text)
    if result.title:
        diagnostics.append(
            source.warning(f"no title; using the first heading {result.title!r}", line=1)
        )
        return result.title
    stem = posixpath.splitext(posixpath.basename(doc.bundle_dir or doc.path))[0]
    diagnostics.append(source.warning(f"no title; using the file name {stem!r}", line=1))
    return stem


def _undated(doc: Document) -> Diagnostic:
    return SourceText(doc.path, doc.text).warning(
        "post has no date; it is listed after the dated posts", line=1
    )


def _entry(
    doc: Document, result: Rendered, title: str, url: str, urls: Urls, resolver: Resolver
) -> Entry:
    return Entry(
        kind=doc.kind.value,
        title=title,
        url=url,
        permalink=urls.absolute(url),
        source=doc.path,
        date=doc.meta.date,
        updated=doc.meta.updated,
        category=None,
        tags=(),
        draft=doc.meta.draft,
        extra=doc.meta.extra,
        **from_rendering(result, resolver.body(result)),
    )


RENDERED_FIELDS = (
    "body",
    "toc_html",
    "excerpt_html",
    "excerpt_text",
    "reading_minutes",
    "has_math",
    "has_code",
)
"""The fields of an entry made from its rendering alone (and its references)."""


def from_rendering(result: Rendered, body: Body) -> dict[str, Any]:
    """The :data:`RENDERED_FIELDS` of an entry; ``body`` resolves its references."""
    return {
        "body": body,
        "toc_html": body.resolve(result.toc_html),
        "excerpt_html": body.resolve(result.excerpt_html),
        "excerpt_text": result.excerpt_text,
        "reading_minutes": max(1, round(result.reading_units / WORDS_PER_MINUTE)),
        "has_math": result.has_math,
        "has_code": result.has_code,
    }


def _unique(files: list[OutputFile]) -> list[OutputFile]:
    seen: dict[str, OutputFile] = {}
    for item in files:
        seen.setdefault(item.path, item)
    return [seen[k] for k in sorted(seen)]
