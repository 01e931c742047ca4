"""What a web page says about its article: title, author, dates, tags, canonical URL.

Read from the page's own markup, most specific first: Open Graph and
``article:`` properties, schema.org JSON-LD and microdata, ``<meta>`` names,
``<time datetime>``, then the first ``<h1>`` and ``<title>``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from lxml import html as lxml_html  # type: ignore[import-untyped]

from lemmata.importers._mapping import read_when


@dataclass
class PageMeta:
    title: str | None = None
    author: str | None = None
    published: datetime | date | None = None
    modified: datetime | date | None = None
    url: str | None = None
    """The canonical URL the page declares."""
    tags: list[str] = field(default_factory=list)


def page_meta(root: lxml_html.HtmlElement) -> PageMeta:
    """The metadata of the page whose document element is ``root``."""
    meta: dict[str, list[str]] = {}
    for element in root.iter("meta"):
        key = (
            element.get("property") or element.get("name") or element.get("itemprop") or ""
        ).lower()
        value = element.get("content")
        if key and value and value.strip():
            meta.setdefault(key, []).append(value.strip())
    linked = list(_json_ld(root))

    def first(*keys: str) -> str | None:
        for key in keys:
            if meta.get(key):
                return meta[key][0]
        return None

    def from_ld(key: str) -> Any:
        return next((item[key] for item in linked if item.get(key)), None)

    title = first("og:title", "twitter:title") or from_ld("headline") or _text(root, "//h1")
    title = title or _text(root, "//title")
    author = first("author", "article:author", "dc.creator") or _person(from_ld("author"))
    if author and author.startswith(("http://", "https://")):
        author = _person(from_ld("author")) or _text(root, "//*[@rel='author']")
    published = (
        first("article:published_time", "datepublished", "date", "dc.date", "dcterms.created")
        or from_ld("datePublished")
        or _attribute(root, "//*[@itemprop='datePublished']", ("content", "datetime"))
        or _attribute(root, "//time[@datetime]", ("datetime",))
    )
    modified = first("article:modified_time", "datemodified", "og:updated_time") or from_ld(
        "dateModified"
    )
    canonical = _attribute(root, "//link[@rel='canonical']", ("href",)) or first("og:url")
    tags = meta.get("article:tag", []) or [
        t.strip() for t in (first("keywords") or "").split(",") if t.strip()
    ]
    return PageMeta(
        title=" ".join(title.split()) if title else None,
        author=author,
        published=_when(published),
        modified=_when(modified),
        url=canonical,
        tags=tags[:20],
    )


def _json_ld(root: lxml_html.HtmlElement) -> Iterator[dict[str, Any]]:
    for script in root.xpath("//script[@type='application/ld+json']"):
        try:
            data = json.loads(script.text or "")
        except ValueError:
            continue
        items = data if isinstance(data, list) else [data]
        for item in items:
            if isinstance(item, dict):
                yield item
                yield from (g for g in item.get("@graph", []) if isinstance(g, dict))


def _person(value: Any) -> str | None:
    if isinstance(value, list) and value:
        value = value[0]
    if isinstance(value, dict):
        value = value.get("name")
    return str(value).strip() if isinstance(value, str) and value.strip() else None


def _text(root: lxml_html.HtmlElement, xpath: str) -> str | None:
    found = root.xpath(xpath)
    text = found[0].text_content().strip() if found else ""
    return text or None


def _attribute(root: lxml_html.HtmlElement, xpath: str, names: tuple[str, ...]) -> str | None:
    for element in root.xpath(xpath):
        for name in names:
            value = element.get(name)
            if value and value.strip():
                return str(value).strip()
    return None


def _when(value: Any) -> datetime | date | None:
    if not isinstance(value, str):
        return None
    try:
        return read_when(value, None)
    except ValueError:
        return None
