"""Assembly from model objects: titles, order, dates, reading time, routes, reproducibility."""

from __future__ import annotations

from tests.site.conftest import Fixture, headlines


def test_title_falls_back_to_the_bundle_folder_name(site: Fixture) -> None:
    site.add("content/posts/lora/index.md", title=None)
    built = site.assemble()
    assert built.posts[0].title == "lora"
    assert headlines(built.diagnostics) == [
        "content/posts/lora/index.md:1:1: warning: no title; using the file name 'lora'"
    ]


def test_undated_post_is_listed_last_with_a_warning(site: Fixture) -> None:
    site.add("content/posts/undated.md", date=None, title="A")
    site.add("content/posts/dated.md", date="2020-01-01", title="B")
    built = site.assemble()
    assert [p.title for p in built.posts] == ["B", "A"]
    assert headlines(built.diagnostics) == [
        "content/posts/undated.md:1:1: warning: post has no date; it is listed after the dated posts"
    ]


def test_future_posts_only_when_asked(site: Fixture) -> None:
    site.add("content/posts/later.md", date="2026-06-02")
    assert site.assemble().posts == ()
    assert [p.source for p in site.assemble(future=True).posts] == ["content/posts/later.md"]


def test_reading_minutes_at_250_units_a_minute_at_least_one(site: Fixture) -> None:
    site.add("content/posts/long.md", reading_units=1000, date="2026-01-02")
    site.add("content/posts/empty.md", reading_units=0)
    assert [p.reading_minutes for p in site.assemble().posts] == [4, 1]


def test_route_paths_and_permalinks_under_a_base_path(site: Fixture) -> None:
    site.add("content/posts/a.md", category="Deep Learning", tags=("C++",))
    site.add("content/pages/about.md")
    built = site.assemble(base_url="https://a.github.io/notes/")
    paths = {r.url: (r.path, r.template) for r in built.routes}
    assert paths == {
        "/notes/": ("index.html", "home.html"),
        "/notes/posts/a/": ("posts/a/index.html", "post.html"),
        "/notes/about/": ("about/index.html", "page.html"),
        "/notes/categories/": ("categories/index.html", "terms.html"),
        "/notes/categories/deep-learning/": ("categories/deep-learning/index.html", "list.html"),
        "/notes/tags/": ("tags/index.html", "terms.html"),
        "/notes/tags/cpp/": ("tags/cpp/index.html", "list.html"),
        "/notes/archive/": ("archive/index.html", "archive.html"),
        "/notes/search/": ("search/index.html", "search.html"),
        "/notes/404.html": ("404.html", "404.html"),
    }
    assert built.posts[0].permalink == "https://a.github.io/notes/posts/a/"
    assert built.pages[0].permalink == "https://a.github.io/notes/about/"


def test_category_in_permalink_defaults_to_uncategorized(site: Fixture) -> None:
    site.add("content/posts/a.md", date="2026-03-04")
    built = site.assemble(permalink="/{category}/{year}/{month}/{day}/{slug}/")
    assert built.posts[0].url == "/uncategorized/2026/03/04/a/"


def test_terms_count_posts_and_merge_names_with_one_slug(site: Fixture) -> None:
    site.add("content/posts/a.md", category="NLP", tags=("x", "x"))
    site.add("content/posts/b.md", category="nlp", tags=("X",))
    built = site.assemble()
    assert [(t.name, t.slug, t.url, t.count) for t in built.categories] == [
        ("NLP", "nlp", "/categories/nlp/", 2)
    ]
    assert [(t.name, t.count) for t in built.tags] == [("x", 2)]


def test_the_same_input_gives_the_same_site(site: Fixture) -> None:
    site.add("content/posts/a.md", category="NLP", tags=("t",))
    site.add("content/posts/b.md", category="CV", tags=("t",))
    site.file("static/s.css")
    assert site.assemble() == site.assemble()
