"""Documents that want a URL already taken."""

from __future__ import annotations

from tests.site.conftest import Fixture, headlines


def test_page_cannot_take_a_generated_url(site: Fixture) -> None:
    site.add("content/pages/archive.md")
    site.add("content/pages/tags.md")
    site.add("content/posts/x.md", category="NLP")
    site.add("content/pages/nlp.md", slug="categories/nlp")
    assert headlines(site.assemble().diagnostics) == [
        "content/pages/archive.md:1:1: error: content/pages/archive.md has the same URL /archive/ as the archive page",
        "content/pages/tags.md:1:1: error: content/pages/tags.md has the same URL /tags/ as the list of all tags",
        "content/pages/nlp.md:1:1: error: content/pages/nlp.md has the same URL /categories/nlp/ as the list of the category 'NLP'",
    ]


def test_each_of_three_duplicates_is_reported(site: Fixture) -> None:
    for name in ("a", "b", "c"):
        site.add(f"content/pages/{name}.md", slug="same")
    assert headlines(site.assemble().diagnostics) == [
        f"content/pages/{name}.md:1:1: error: content/pages/{name}.md has the same URL /same/ as content/pages/{other}.md"
        for name, other in (("a", "b"), ("b", "a"), ("c", "a"))
    ]
