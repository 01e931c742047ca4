"""Atom and RSS feeds, the sitemap and robots.txt — all reproducible (no build time)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, datetime
from email.utils import format_datetime
from xml.sax.saxutils import escape, quoteattr

from lemmata.config import SiteConfig
from lemmata.site import Entry, OutputFile, Site, Urls

_ROOTED = re.compile(r'(\s(?:href|src))="(/[^"/][^"]*|/)"')
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def feeds(site: Site, config: SiteConfig) -> list[OutputFile]:
    """``atom.xml`` and ``rss.xml`` for the site and for each category."""
    if not config.feeds.enabled:
        return []
    urls = Urls(config)
    files = _pair(urls, config, "", config.title, site.posts)
    for category in site.categories:
        members = [p for p in site.posts if p.category == category]
        folder = f"categories/{category.slug}/"
        files += _pair(urls, config, folder, f"{config.title} · {category.name}", members)
    return files


def feed_urls(config: SiteConfig, folder: str = "") -> dict[str, str]:
    """Site-absolute URLs of the Atom and RSS feeds of a folder (``""`` for the site)."""
    if not config.feeds.enabled:
        return {}
    urls = Urls(config)
    return {"atom": urls.url(f"/{folder}atom.xml"), "rss": urls.url(f"/{folder}rss.xml")}


def _pair(
    urls: Urls, config: SiteConfig, folder: str, title: str, posts: Sequence[Entry]
) -> list[OutputFile]:
    newest = list(posts[: config.feeds.limit])
    return [
        OutputFile(f"{folder}atom.xml", data=_atom(urls, config, folder, title, newest).encode()),
        OutputFile(f"{folder}rss.xml", data=_rss(urls, config, folder, title, newest).encode()),
    ]


def _absolute_links(html: str, urls: Urls) -> str:
    """Feed readers resolve no relative URLs reliably: make site links absolute."""
    if not urls.origin:
        return html
    return _ROOTED.sub(lambda m: f'{m.group(1)}="{urls.origin}{m.group(2)}"', html)


def _updated(posts: Sequence[Entry]) -> datetime:
    moments = [m for p in posts if (m := p.updated or p.date) is not None]
    return max(moments) if moments else _EPOCH


def _atom(urls: Urls, config: SiteConfig, folder: str, title: str, posts: Sequence[Entry]) -> str:
    self_url = urls.absolute(urls.url(f"/{folder}atom.xml"))
    home = urls.absolute(urls.url(f"/{folder}" if folder else "/"))
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang={quoteattr(config.language)}>',
        f"<title>{escape(title)}</title>",
        f"<id>{escape(home)}</id>",
        f"<link href={quoteattr(home)}/>",
        f'<link rel="self" href={quoteattr(self_url)}/>',
        f"<updated>{_updated(posts).isoformat()}</updated>",
    ]
    if config.description:
        lines.append(f"<subtitle>{escape(config.description)}</subtitle>")
    if config.author:
        lines.append(f"<author><name>{escape(config.author)}</name></author>")
    for post in posts:
        published = post.date or _EPOCH
        lines += [
            "<entry>",
            f"<title>{escape(post.title)}</title>",
            f"<id>{escape(post.permalink)}</id>",
            f"<link href={quoteattr(post.permalink)}/>",
            f"<published>{published.isoformat()}</published>",
            f"<updated>{(post.updated or published).isoformat()}</updated>",
        ]
        if post.category is not None:
            lines.append(f"<category term={quoteattr(post.category.name)}/>")
        lines += [f"<category term={quoteattr(t.name)}/>" for t in post.tags]
        lines += [
            f"<summary>{escape(post.excerpt_text)}</summary>",
            f'<content type="html">{escape(_absolute_links(post.html, urls))}</content>',
            "</entry>",
        ]
    lines.append("</feed>")
    return "\n".join(lines) + "\n"


def _rss(urls: Urls, config: SiteConfig, folder: str, title: str, posts: Sequence[Entry]) -> str:
    self_url = urls.absolute(urls.url(f"/{folder}rss.xml"))
    home = urls.absolute(urls.url(f"/{folder}" if folder else "/"))
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">',
        "<channel>",
        f"<title>{escape(title)}</title>",
        f"<link>{escape(home)}</link>",
        f"<description>{escape(config.description or title)}</description>",
        f"<language>{escape(config.language)}</language>",
        f'<atom:link href={quoteattr(self_url)} rel="self" type="application/rss+xml"/>',
        f"<lastBuildDate>{format_datetime(_updated(posts))}</lastBuildDate>",
    ]
    for post in posts:
        lines += [
            "<item>",
            f"<title>{escape(post.title)}</title>",
            f"<link>{escape(post.permalink)}</link>",
            f'<guid isPermaLink="true">{escape(post.permalink)}</guid>',
            f"<pubDate>{format_datetime(post.date or _EPOCH)}</pubDate>",
        ]
        if post.category is not None:
            lines.append(f"<category>{escape(post.category.name)}</category>")
        lines += [
            f"<description>{escape(_absolute_links(post.html, urls))}</description>",
            "</item>",
        ]
    lines += ["</channel>", "</rss>"]
    return "\n".join(lines) + "\n"


def sitemap(site: Site, config: SiteConfig) -> OutputFile:
    """``sitemap.xml`` listing every HTML page but the 404 page."""
    urls = Urls(config)
    dated = {e.url: (e.updated or e.date) for e in (*site.posts, *site.pages)}
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
    ]
    for route in sorted(site.routes, key=lambda r: r.url):
        if route.template == "404.html":
            continue
        lines.append(f"<url><loc>{escape(urls.absolute(route.url))}</loc>")
        moment = dated.get(route.url)
        if moment is not None:
            lines.append(f"<lastmod>{moment.date().isoformat()}</lastmod>")
        lines.append("</url>")
    lines.append("</urlset>")
    return OutputFile("sitemap.xml", data=("\n".join(lines) + "\n").encode())


def robots_txt(config: SiteConfig) -> OutputFile:
    urls = Urls(config)
    text = f"User-agent: *\nAllow: /\nSitemap: {urls.absolute(urls.url('/sitemap.xml'))}\n"
    return OutputFile("robots.txt", data=text.encode())
