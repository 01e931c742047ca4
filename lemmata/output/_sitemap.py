"""``sitemap.xml`` and ``robots.txt``."""

from __future__ import annotations

from lemmata.config import SiteConfig
from lemmata.output._reuse import Reuse, always_made, structure_key
from lemmata.output._xml import text, uri
from lemmata.site import OutputFile, Site, Urls

_LEFT_OUT = frozenset({"404.html"})
SITEMAP = "sitemap.xml"


def sitemap(site: Site, config: SiteConfig, reuse: Reuse = always_made) -> OutputFile:
    """``sitemap.xml`` listing every HTML page but the 404 page, with dates for posts and pages.

    It shows nothing of the posts' renderings: with ``reuse``, it is the live file
    while the site has the same structure.
    """
    return reuse(SITEMAP, structure_key(site), lambda: _sitemap(site, config))


def _sitemap(site: Site, config: SiteConfig) -> OutputFile:
    urls = Urls(config)
    dated = {e.url: (e.updated or e.date) for e in (*site.posts, *site.pages)}
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
    ]
    for route in sorted(site.routes, key=lambda r: r.url):
        if route.template in _LEFT_OUT:
            continue
        lines.append(f"<url><loc>{text(uri(urls.absolute(route.url)))}</loc>")
        moment = dated.get(route.url)
        if moment is not None:
            lines.append(f"<lastmod>{moment.date().isoformat()}</lastmod>")
        lines.append("</url>")
    lines.append("</urlset>")
    return OutputFile(SITEMAP, data=("\n".join(lines) + "\n").encode())


def robots_txt(config: SiteConfig) -> OutputFile:
    """``robots.txt``: everything allowed, and where the sitemap is."""
    urls = Urls(config)
    body = f"User-agent: *\nAllow: /\nSitemap: {uri(urls.absolute(urls.url('/sitemap.xml')))}\n"
    return OutputFile("robots.txt", data=body.encode())
