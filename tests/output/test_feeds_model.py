"""Feeds and the sitemap from model objects: edge cases a real parser must survive."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import feedparser

from lemmata.config import FeedConfig
from lemmata.output import feeds, sitemap
from tests.site.conftest import Fixture

BASE = "https://x.org/notes/"


def _feeds(site: Fixture, **settings: object) -> dict[str, bytes]:
    config = site.config(base_url=BASE, **settings)  # type: ignore[arg-type]
    built = site.assemble(base_url=BASE, **settings)
    return {f.path: f.data or b"" for f in feeds(built, config)}


def test_control_characters_dropped_and_links_made_absolute(site: Fixture) -> None:
    site.add(
        "content/posts/a.md",
        title="Bell\x07 & <b>",
        html='<p>x\x0by <a href="/notes/b/">b</a> <img src="/notes/i.png"> <a href="//cdn.org/">c</a></p>',
        excerpt_text="Sum\x00mary",
    )
    for name, data in _feeds(site).items():
        parsed = feedparser.parse(data)
        assert not parsed.bozo, (name, parsed.bozo_exception)
        entry = parsed.entries[0]
        assert entry.title == "Bell & <b>"
        content = entry.content[0].value
        assert 'href="https://x.org/notes/b/"' in content
        assert 'src="https://x.org/notes/i.png"' in content
        assert 'href="//cdn.org/"' in content
        assert "xy" in content
        assert entry.summary == "Summary"


def test_feed_date_is_the_newest_update_and_limit_applies(site: Fixture) -> None:
    site.add("content/posts/old.md", date="2025-01-01", updated="2026-05-01", title="Old")
    site.add("content/posts/new.md", date="2026-02-01", title="New")
    site.add("content/posts/newest.md", date="2026-03-01", title="Newest")
    files = _feeds(site, feeds=FeedConfig(limit=2))
    atom = feedparser.parse(files["atom.xml"])
    assert [e.title for e in atom.entries] == ["Newest", "New"]
    assert atom.feed.updated_parsed[:3] == (2026, 3, 1)
    assert atom.feed.author == "Notes"
    rss = feedparser.parse(files["rss.xml"])
    assert rss.feed.updated_parsed[:3] == (2026, 3, 1)
    assert rss.entries[0].id == "https://x.org/notes/posts/newest/"


def test_category_feeds_hold_only_their_posts(site: Fixture) -> None:
    site.add("content/posts/a.md", category="Large Model", title="A")
    site.add("content/posts/b.md", category="CV", title="B")
    files = _feeds(site)
    feed = feedparser.parse(files["categories/large-model/rss.xml"])
    assert feed.feed.title == "Notes · Large Model"
    assert feed.feed.link == "https://x.org/notes/categories/large-model/"
    assert [e.title for e in feed.entries] == ["A"]
    assert [t.term for t in feed.entries[0].tags] == ["Large Model"]


def test_no_feeds_when_turned_off(site: Fixture) -> None:
    site.add("content/posts/a.md")
    assert _feeds(site, feeds=FeedConfig(enabled=False)) == {}


def test_sitemap_encodes_unicode_urls_and_dates_posts(site: Fixture) -> None:
    site.add("content/posts/zh.md", slug="注意力", date="2026-01-11", updated="2026-02-03")
    site.add("content/pages/about.md")
    config = site.config(base_url=BASE, slug_style="unicode")
    root = ET.fromstring(sitemap(site.assemble(base_url=BASE), config).data or b"")
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    dates = {
        u.findtext("s:loc", namespaces=ns): u.findtext("s:lastmod", namespaces=ns)
        for u in root.findall("s:url", ns)
    }
    assert dates["https://x.org/notes/posts/%E6%B3%A8%E6%84%8F%E5%8A%9B/"] == "2026-02-03"
    assert dates["https://x.org/notes/about/"] is None
    assert "https://x.org/notes/404.html" not in dates
