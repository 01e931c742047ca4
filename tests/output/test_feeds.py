"""Feeds and the sitemap, read back by real parsers."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import feedparser

from lemmata.output import feeds, robots_txt, sitemap
from tests.conftest import MakeSite
from tests.pipeline import assembled

CONFIG = 'title = "Notes"\nbase_url = "https://name.github.io/notes/"\n'


def _site(make_site: MakeSite):  # type: ignore[no-untyped-def]
    return assembled(
        make_site(
            {
                "lemmata.toml": CONFIG,
                "content/posts/a.md": "---\ntitle: Attention\ndate: 2026-01-11 20:30\ncategory: NLP\n---\n"
                "Score $QK^\\top$ and [b](b.md).\n",
                "content/posts/b.md": "---\ntitle: 桶排序\ndate: 2026-01-02\ncategory: Algorithm\n---\nText.\n",
            }
        )
    )


def test_atom_and_rss_parse_with_titles_links_dates(make_site: MakeSite) -> None:
    config, site, _ = _site(make_site)
    files = {f.path: f.data for f in feeds(site, config)}
    assert set(files) == {
        "atom.xml",
        "rss.xml",
        "categories/nlp/atom.xml",
        "categories/nlp/rss.xml",
        "categories/algorithm/atom.xml",
        "categories/algorithm/rss.xml",
    }
    for name in ("atom.xml", "rss.xml"):
        parsed = feedparser.parse(files[name])
        assert not parsed.bozo, parsed.bozo_exception
        assert [e.title for e in parsed.entries] == ["Attention", "桶排序"]
        assert parsed.entries[0].link == "https://name.github.io/notes/posts/a/"
        assert parsed.entries[0].published_parsed[:5] == (2026, 1, 11, 20, 30)
        content = (
            parsed.entries[0].get("content", [{}])[0].get("value") or parsed.entries[0].summary
        )
        assert "<math" in content
        assert 'href="https://name.github.io/notes/posts/b/"' in content
    nlp = feedparser.parse(files["categories/nlp/atom.xml"])
    assert [e.title for e in nlp.entries] == ["Attention"]


def test_feeds_are_reproducible(make_site: MakeSite) -> None:
    config, site, _ = _site(make_site)
    assert [f.data for f in feeds(site, config)] == [f.data for f in feeds(site, config)]
    assert b"<updated>2026-01-11T20:30:00+00:00</updated>" in feeds(site, config)[0].data  # type: ignore[operator]


def test_sitemap_lists_every_page_but_404(make_site: MakeSite) -> None:
    config, site, _ = _site(make_site)
    root = ET.fromstring(sitemap(site, config).data or b"")
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = [e.text for e in root.findall("s:url/s:loc", ns)]
    expected = sorted(
        "https://name.github.io" + r.url for r in site.routes if r.template != "404.html"
    )
    assert locs == expected
    assert "https://name.github.io/notes/posts/a/" in locs
    assert (robots_txt(config).data or b"").endswith(
        b"Sitemap: https://name.github.io/notes/sitemap.xml\n"
    )
