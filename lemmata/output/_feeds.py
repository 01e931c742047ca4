"""Atom and RSS 2.0 feeds, for the site and for each category.

Feeds are reproducible: a feed's date is that of its newest post (never the
build time), each entry's id is its permalink, and links inside the content
are made absolute because feed readers resolve relative ones unreliably.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from email.utils import format_datetime
from functools import partial

from lemmata.config import SiteConfig
from lemmata.output._reuse import Reuse, always_made, structure_key
from lemmata.output._xml import attr, text, uri
from lemmata.site import Entry, OutputFile, Site, Urls

_ROOTED = re.compile(r'(\s(?:href|src))="(/[^"/][^"]*|/)"')
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
"""The date of a feed without posts, or of an undated post: fixed, so output is reproducible."""


def feeds(site: Site, config: SiteConfig, reuse: Reuse = always_made) -> list[OutputFile]:
    """``atom.xml`` and ``rss.xml`` for the site and for each category.

    A feed is made from the site's structure and its own posts' renderings and titles
    alone: with ``reuse``, one whose posts' are unchanged is the live file.
    """
    if not config.feeds.enabled:
        return []
    urls = Urls(config)
    # Each post's escaped content, by permalink: a post is in four feeds (Atom and
    # RSS, of the site and of its category), and its body is most of a feed.
    contents: dict[str, str] = {}
    pairs: list[tuple[str, str, Sequence[Entry]]] = [("", config.title, site.posts)]
    for category in site.categories:
        members = [
            p for p in site.posts if p.category is not None and p.category.slug == category.slug
        ]
        pairs.append((f"categories/{category.slug}/", f"{config.title} · {category.name}", members))
    files: list[OutputFile] = []
    for folder, title, posts in pairs:
        shown = list(posts[: config.feeds.limit])
        feed = _Feed(urls, config, folder, title, shown, contents)
        # The body's digest covers its table of contents and excerpts too; a title
        # may be new to the site the structure names (``Site.titles``).
        key = structure_key(
            site,
            *(part for post in shown for part in (post.body.content_digest, post.title.encode())),
        )
        files += [
            reuse(f"{folder}atom.xml", key, partial(_file, feed, "atom.xml", feed.atom)),
            reuse(f"{folder}rss.xml", key, partial(_file, feed, "rss.xml", feed.rss)),
        ]
    return files


def feed_urls(config: SiteConfig, folder: str = "") -> dict[str, str]:
    """Site-absolute URLs of the Atom and RSS feeds of a folder (``""`` for the site)."""
    if not config.feeds.enabled:
        return {}
    urls = Urls(config)
    return {"atom": urls.url(f"/{folder}atom.xml"), "rss": urls.url(f"/{folder}rss.xml")}


def _file(feed: _Feed, name: str, make: Callable[[], str]) -> OutputFile:
    return OutputFile(f"{feed.folder}{name}", data=make().encode())


class _Feed:
    """One feed's posts and addresses, written as Atom or as RSS."""

    def __init__(
        self,
        urls: Urls,
        config: SiteConfig,
        folder: str,
        title: str,
        posts: list[Entry],
        contents: dict[str, str],
    ) -> None:
        self.urls, self.config, self.folder = urls, config, folder
        self.title, self.posts, self._contents = title, posts, contents
        self.home = uri(urls.absolute(urls.url(f"/{folder}")))
        moments = [m for p in posts if (m := p.updated or p.date) is not None]
        self.updated = max(moments) if moments else _EPOCH

    def self_url(self, name: str) -> str:
        return uri(self.urls.absolute(self.urls.url(f"/{self.folder}{name}")))

    def content(self, post: Entry) -> str:
        known = self._contents.get(post.permalink)
        if known is not None:
            return known
        html = post.html
        if self.urls.origin:
            html = _ROOTED.sub(lambda m: f'{m.group(1)}="{self.urls.origin}{m.group(2)}"', html)
        made = self._contents[post.permalink] = text(html)
        return made

    def atom(self) -> str:
        config = self.config
        lines = [
            '<?xml version="1.0" encoding="utf-8"?>',
            f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang={attr(config.language)}>',
            f"<title>{text(self.title)}</title>",
            f"<id>{text(self.home)}</id>",
            f"<link href={attr(self.home)}/>",
            f'<link rel="self" type="application/atom+xml" href={attr(self.self_url("atom.xml"))}/>',
            f"<updated>{self.updated.isoformat()}</updated>",
            # Atom requires an author; the site's name stands in when none is configured.
            f"<author><name>{text(config.author or config.title)}</name></author>",
        ]
        if config.description:
            lines.append(f"<subtitle>{text(config.description)}</subtitle>")
        for post in self.posts:
            link = uri(post.permalink)
            published = post.date or _EPOCH
            lines += [
                "<entry>",
                f"<title>{text(post.title)}</title>",
                f"<id>{text(link)}</id>",
                f'<link rel="alternate" type="text/html" href={attr(link)}/>',
                f"<published>{published.isoformat()}</published>",
                f"<updated>{(post.updated or published).isoformat()}</updated>",
                *(f"<category term={attr(name)}/>" for name in _terms(post)),
                f"<summary>{text(post.excerpt_text)}</summary>",
                f'<content type="html">{self.content(post)}</content>',
                "</entry>",
            ]
        lines.append("</feed>")
        return "\n".join(lines) + "\n"

    def rss(self) -> str:
        config = self.config
        # A permalink without a host is no URL a reader can open.
        is_link = "true" if self.urls.origin else "false"
        lines = [
            '<?xml version="1.0" encoding="utf-8"?>',
            '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"'
            ' xmlns:content="http://purl.org/rss/1.0/modules/content/">',
            "<channel>",
            f"<title>{text(self.title)}</title>",
            f"<link>{text(self.home)}</link>",
            f"<description>{text(config.description or self.title)}</description>",
            f"<language>{text(config.language)}</language>",
            f'<atom:link href={attr(self.self_url("rss.xml"))} rel="self" type="application/rss+xml"/>',
            f"<lastBuildDate>{format_datetime(self.updated)}</lastBuildDate>",
        ]
        for post in self.posts:
            link = uri(post.permalink)
            lines += [
                "<item>",
                f"<title>{text(post.title)}</title>",
                f"<link>{text(link)}</link>",
                f'<guid isPermaLink="{is_link}">{text(link)}</guid>',
                f"<pubDate>{format_datetime(post.date or _EPOCH)}</pubDate>",
                *(f"<category>{text(name)}</category>" for name in _terms(post)),
                f"<description>{text(post.excerpt_text)}</description>",
                f"<content:encoded>{self.content(post)}</content:encoded>",
                "</item>",
            ]
        lines += ["</channel>", "</rss>"]
        return "\n".join(lines) + "\n"


def _terms(post: Entry) -> list[str]:
    """The category first, then the tags."""
    names = [post.category.name] if post.category is not None else []
    return names + [t.name for t in post.tags]
