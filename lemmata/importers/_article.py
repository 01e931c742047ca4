"""``lemmata import url``: one web article (a URL or a saved HTML file) as a post.

The page's formulas and code are held first (see :mod:`._web`), then
trafilatura extracts the article from the page chrome (navigation, sidebars,
footers, comments) as HTML, which is sanitised and written as Markdown. Title,
author, dates and the source URL go into the front matter.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import trafilatura
from lxml import etree  # type: ignore[import-untyped]
from lxml import html as lxml_html
from trafilatura.settings import use_config

from lemmata.config import SiteConfig, load_config
from lemmata.content import slugify
from lemmata.errors import Diagnostic, has_errors
from lemmata.importers._chrome import keep_captions, strip_chrome
from lemmata.importers._fetch import Fetcher, FetchError
from lemmata.importers._mapping import read_when
from lemmata.importers._meta import page_meta
from lemmata.importers._model import ImportReport, Outcome, Post, Result
from lemmata.importers._paths import shown
from lemmata.importers._web import (
    Messages,
    Origin,
    decode,
    hold,
    load,
    to_markdown,
    without_title,
)
from lemmata.importers._writer import Destination

_EXTRACTION = use_config()
# Short notes (and Chinese text, dense in characters) are articles too.
_EXTRACTION.set("DEFAULT", "MIN_EXTRACTED_SIZE", "60")


def import_url(
    target: str, site: Path, *, force: bool = False, fetcher: Fetcher | None = None
) -> ImportReport:
    """The article at ``target`` (an http(s) URL or an HTML file) into the site in ``site``."""
    config = load_config(site)
    report = ImportReport()
    own = fetcher is None
    fetcher = fetcher or Fetcher()
    try:
        diagnostics: list[Diagnostic] = []
        post = _post(target, fetcher, config, diagnostics)
        report.diagnostics.extend(diagnostics)
        name = _name(target)
        if post is None or has_errors(diagnostics):
            report.results.append(Result(name, Outcome.FAILED))
        else:
            Destination(config, force=force).write(post, name, report)
    finally:
        if own:
            fetcher.close()
    return report


def _post(
    target: str, fetcher: Fetcher, config: SiteConfig, diagnostics: list[Diagnostic]
) -> Post | None:
    name = _name(target)
    empty = Messages(Origin(name, ""), "", diagnostics)
    try:
        data, charset, origin, source = load(target, fetcher)
    except FetchError as exc:
        empty.error(f"cannot fetch ({exc})")
        return None
    text = decode(data, charset)
    messages = Messages(origin, text, diagnostics)
    try:
        root = lxml_html.document_fromstring(text)
    except (etree.ParserError, ValueError) as exc:
        messages.error(f"not an HTML page ({exc})")
        return None
    meta = page_meta(root)
    downloads: Fetcher | None = fetcher
    if origin.folder is not None:
        # A saved page: its images are beside it; nothing is downloaded for it.
        origin = replace(origin, site_url=meta.url)
        downloads = None
    held = hold(root, messages)
    strip_chrome(root)
    keep_captions(root)
    page = lxml_html.tostring(root, encoding="unicode")
    article = trafilatura.extract(
        page,
        config=_EXTRACTION,
        url=origin.base_url if origin.folder is None else None,
        output_format="html",
        include_formatting=True,
        include_links=True,
        include_images=True,
        include_tables=True,
        include_comments=False,
        favor_recall=True,
    )
    if not article:
        messages.error("no article found in the page")
        return None
    body, assets = to_markdown(article, held, origin, downloads, messages)
    body = without_title(body, meta.title)
    front: dict[str, Any] = {}
    if meta.title:
        front["title"] = meta.title
    front["date"] = meta.published or _found_date(text) or datetime.now(UTC).replace(microsecond=0)
    if meta.modified and meta.modified != meta.published:
        front["updated"] = meta.modified
    if meta.tags:
        front["tags"] = meta.tags
    if meta.author:
        front["author"] = meta.author
    source_url = meta.url or (target if origin.folder is None else None)
    if source_url:
        front["source_url"] = source_url
    slug = slugify(meta.title or _last_segment(source_url or target), config.slug_style)
    return Post(source, slug, front, body, assets=assets)


def _found_date(page: str) -> date | datetime | None:
    """The date trafilatura finds in the page's text and URLs, when it declares none."""
    found = trafilatura.extract_metadata(page)
    if found is None or not found.date:
        return None
    try:
        return read_when(str(found.date), None)
    except ValueError:
        return None


def _name(target: str) -> str:
    path = Path(target)
    return shown(path) if path.is_file() else target


def _last_segment(url: str) -> str:
    path = urlsplit(url).path.rstrip("/")
    return path.rsplit("/", 1)[-1].rsplit(".", 1)[0] or "article"
