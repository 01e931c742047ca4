"""Pagination links, neighbours and related posts."""

from __future__ import annotations

import pytest

from lemmata.build import BuildOptions, build
from lemmata.site import _collections as collections_module
from lemmata.site import paginate
from tests.conftest import MakeSite
from tests.site.conftest import Fixture


def _shown(links: tuple[object, ...]) -> list[object]:
    return [getattr(link, "number", None) for link in links]


@pytest.mark.parametrize(
    ("current", "expected"),
    [
        (1, [1, 2, 3, None, 20]),
        (5, [1, None, 3, 4, 5, 6, 7, None, 20]),
        (4, [1, 2, 3, 4, 5, 6, None, 20]),
        (20, [1, None, 18, 19, 20]),
    ],
)
def test_long_lists_show_first_last_and_neighbours_with_gaps(
    site: Fixture, current: int, expected: list[object]
) -> None:
    for i in range(20):
        site.add(f"content/posts/p{i:02d}.md", date=f"2026-01-{i + 1:02d}")
    posts = site.assemble(per_page=1).posts
    page = paginate(posts, "/tags/x/", 1)[current - 1]
    assert _shown(page.links) == expected
    assert page.total == 20 and page.entries == (posts[current - 1],)
    urls = {link.number: link.url for link in page.links if link is not None}
    assert (urls[1], urls[20]) == ("/tags/x/", "/tags/x/page/20/")


def test_seven_pages_show_every_number(site: Fixture) -> None:
    for i in range(7):
        site.add(f"content/posts/p{i}.md", date=f"2026-01-{i + 1:02d}")
    pages = paginate(site.assemble().posts, "/", 1)
    assert [_shown(p.links) for p in (pages[0], pages[6])] == [list(range(1, 8))] * 2


def test_empty_list_has_one_empty_page() -> None:
    (page,) = paginate([], "/", 10)
    assert (page.total, page.entries, page.previous_url, page.next_url) == (1, (), None, None)


def test_related_needs_a_shared_term_and_prefers_recent_ties(site: Fixture) -> None:
    site.add("content/posts/a.md", date="2026-01-01", category="ML", tags=("x",))
    site.add("content/posts/old.md", date="2025-01-01", category="ML")
    site.add("content/posts/new.md", date="2026-02-01", category="ML")
    site.add("content/posts/tagged.md", date="2024-01-01", tags=("x",))
    site.add("content/posts/none.md", date="2026-03-01", category="Other")
    posts = {p.source.split("/")[-1]: p for p in site.assemble().posts}
    assert [r.title for r in posts["a.md"].related] == ["Title"] * 3
    assert [r.url for r in posts["a.md"].related] == [
        "/posts/tagged/",
        "/posts/new/",
        "/posts/old/",
    ]
    assert posts["none.md"].related == ()


def test_related_are_at_most_five(site: Fixture) -> None:
    for i in range(8):
        site.add(f"content/posts/p{i}.md", date=f"2026-01-{i + 1:02d}", tags=("t",))
    assert all(len(p.related) == 5 for p in site.assemble().posts)


def test_term_slugs_come_from_the_documents(
    make_site: MakeSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_slugify(*_args: object) -> str:
        raise AssertionError("slugified again in the site stage")

    monkeypatch.setattr(collections_module, "slugify", no_slugify)
    site = make_site(
        {
            "content/posts/a.md": "---\ntitle: A\ndate: 2026-01-01\ncategory: 深度学习\ntags: [梯度]\n---\n"
        }
    )
    build(BuildOptions(site_dir=site, jobs=1))
    assert (site / "public" / "categories" / "shen-du-xue-xi" / "index.html").exists()
    assert (site / "public" / "tags" / "ti-du" / "index.html").exists()
