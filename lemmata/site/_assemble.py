"""``assemble``: documents and their renderings → the :class:`Site`."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path

from lemmata.config import SiteConfig
from lemmata.content import Document, Kind
from lemmata.errors import Diagnostic, Severity, SourceLocation, SourceText
from lemmata.markup import ASSET_PREFIX, REF_PREFIX, Rendered
from lemmata.site._collections import archive, collect_terms, link_neighbours, routes_for
from lemmata.site._model import Entry, OutputFile, Site
from lemmata.site._urls import Urls

_REF = re.compile(re.escape(REF_PREFIX) + r'([^"#]*)(#[^"]*)?"')
_ASSET = re.compile(re.escape(ASSET_PREFIX) + r'([^"]*)"')
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
) -> Site:
    """Decide every URL, resolve references, and lay out every page to write."""
    urls = Urls(config)
    diagnostics: list[Diagnostic] = []
    published = [d for d in documents if _is_published(d, drafts=drafts, future=future, now=now)]
    titles = {d.path: _title(d, rendered[d.path], diagnostics) for d in published}
    page_urls = {
        d.path: (
            urls.post(d.slug, d.meta.date, d.meta.category)
            if d.kind is Kind.POST
            else urls.page(d.slug)
        )
        for d in published
    }
    diagnostics += _duplicates(published, page_urls)
    all_paths = {d.path for d in documents}
    files: list[OutputFile] = []
    entries: list[Entry] = []
    for doc in published:
        result = rendered[doc.path]
        url = page_urls[doc.path]
        resolver = _Resolver(config, urls, doc, url, page_urls, all_paths, diagnostics, files)
        for link in result.links:
            resolver.check(link.target, link.location, link.source_line, link.is_image)
        for asset in result.assets:
            files.append(OutputFile(urls.output_path(url + asset.name), data=asset.data))
        entries.append(_entry(doc, result, titles[doc.path], url, urls, resolver))
    files += _static_files(config.root)

    posts = sorted(
        (e for e in entries if e.kind == "post"),
        key=lambda e: (-(e.date.timestamp() if e.date else float("-inf")), e.title, e.source),
    )
    pages = sorted((e for e in entries if e.kind == "page"), key=lambda e: e.source)
    names = {d.path: (d.meta.categories, d.meta.tags) for d in published}
    categories, tags, posts = collect_terms(posts, names, urls, config)
    posts = link_neighbours(posts)
    routes = routes_for(posts, pages, categories, tags, archive(posts), urls, config)
    return Site(
        posts=tuple(posts),
        pages=tuple(pages),
        categories=categories,
        tags=tags,
        routes=routes,
        files=tuple(_unique(files)),
        diagnostics=tuple(diagnostics),
    )


def _is_published(doc: Document, *, drafts: bool, future: bool, now: datetime) -> bool:
    if doc.meta.draft and not drafts:
        return False
    return not (doc.meta.date is not None and doc.meta.date > now and not future)


def _title(doc: Document, result: Rendered, diagnostics: list[Diagnostic]) -> str:
    if doc.meta.title and doc.meta.title.strip():
        return doc.meta.title.strip()
    source = SourceText(doc.path, doc.text)
    if result.title:
        diagnostics.append(
            source.warning(f"no title; using the first heading {result.title!r}", line=1)
        )
        return result.title
    stem = posixpath.splitext(posixpath.basename(doc.bundle_dir or doc.path))[0]
    diagnostics.append(source.warning(f"no title; using the file name {stem!r}", line=1))
    return stem


def _duplicates(docs: Sequence[Document], page_urls: Mapping[str, str]) -> list[Diagnostic]:
    owners: dict[str, list[Document]] = {}
    for doc in docs:
        owners.setdefault(page_urls[doc.path], []).append(doc)
    problems = []
    for url, same in sorted(owners.items()):
        for doc in same[1:] if len(same) > 1 else []:
            first = same[0]
            source = SourceText(doc.path, doc.text)
            problems.append(
                source.error(f"{doc.path} has the same URL {url} as {first.path}", line=1)
            )
    return problems


class _Resolver:
    """Turns one document's ``lemmata-ref:`` references into URLs."""

    def __init__(
        self,
        config: SiteConfig,
        urls: Urls,
        doc: Document,
        url: str,
        page_urls: Mapping[str, str],
        all_paths: set[str],
        diagnostics: list[Diagnostic],
        files: list[OutputFile],
    ) -> None:
        self.config, self.urls, self.doc, self.url = config, urls, doc, url
        self.page_urls, self.all_paths = page_urls, all_paths
        self.diagnostics, self.files = diagnostics, files
        self.targets: dict[str, str] = {}

    def check(
        self, target: str, location: SourceLocation, source_line: str, is_image: bool
    ) -> None:
        if target in self.targets:
            return
        if target in self.page_urls:
            self.targets[target] = self.page_urls[target]
            return
        if target in self.all_paths:
            self.targets[target] = "#"
            self.diagnostics.append(
                Diagnostic(
                    Severity.WARNING,
                    f"link to {target}, which is a draft or not yet published",
                    location,
                    source_line,
                )
            )
            return
        path = self.config.root / target
        if not path.is_file():
            kind = "image" if is_image else "link"
            self.targets[target] = "#"
            self.diagnostics.append(
                Diagnostic(
                    Severity.ERROR,
                    f"broken {kind}: {target} does not exist",
                    location,
                    source_line,
                )
            )
            return
        self.targets[target] = self._copy(target, path)

    def _copy(self, target: str, path: Path) -> str:
        home = self.doc.bundle_dir or posixpath.dirname(self.doc.path)
        if self.doc.bundle_dir and target.startswith(home + "/"):
            url = self.url + target[len(home) + 1 :]
        else:
            url = self.urls.url(target.removeprefix("content/"))
        self.files.append(OutputFile(self.urls.output_path(url), source=str(path)))
        return url

    def resolve(self, html: str) -> str:
        if REF_PREFIX in html:
            html = _REF.sub(self._ref, html)
        if ASSET_PREFIX in html:
            html = _ASSET.sub(lambda m: f'{self.url}{m.group(1)}"', html)
        return html

    def _ref(self, match: re.Match[str]) -> str:
        url = self.targets.get(match.group(1), "#")
        fragment = match.group(2) or ""
        return f'{url if url != "#" or not fragment else ""}{fragment}"'


def _entry(
    doc: Document, result: Rendered, title: str, url: str, urls: Urls, resolver: _Resolver
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
        html=resolver.resolve(result.html),
        toc_html=result.toc_html,
        excerpt_html=resolver.resolve(result.excerpt_html),
        excerpt_text=result.excerpt_text,
        reading_minutes=max(1, round(result.reading_units / WORDS_PER_MINUTE)),
        has_math=result.has_math,
        has_code=result.has_code,
        draft=doc.meta.draft,
        extra=doc.meta.extra,
    )


def _static_files(root: Path) -> list[OutputFile]:
    static = root / "static"
    if not static.is_dir():
        return []
    found = []
    for path in sorted(static.rglob("*")):
        relative = path.relative_to(static)
        if path.is_file() and not any(p.startswith(".") for p in relative.parts):
            found.append(OutputFile(relative.as_posix(), source=str(path)))
    return found


def _unique(files: list[OutputFile]) -> list[OutputFile]:
    seen: dict[str, OutputFile] = {}
    for item in files:
        seen.setdefault(item.path, item)
    return [seen[k] for k in sorted(seen)]
