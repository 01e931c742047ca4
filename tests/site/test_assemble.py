"""Site assembly on tiny sites written inline."""

from __future__ import annotations

from tests.conftest import MakeSite
from tests.pipeline import assembled


def post(
    title: str, date: str, category: str = "NLP", tags: str = "[]", body: str = "Body."
) -> str:
    return f"---\ntitle: {title}\ndate: {date}\ncategory: {category}\ntags: {tags}\n---\n{body}\n"


def test_posts_newest_first_ties_by_title(make_site: MakeSite) -> None:
    root = make_site(
        {
            "content/posts/a.md": post("B same day", "2026-01-02"),
            "content/posts/b.md": post("A same day", "2026-01-02"),
            "content/posts/c.md": post("Older", "2025-12-01"),
        }
    )
    _, site, problems = assembled(root)
    assert problems == []
    assert [p.title for p in site.posts] == ["A same day", "B same day", "Older"]
    assert site.posts[0].next is None and site.posts[0].previous is not None
    assert site.posts[0].previous.title == "B same day"


def test_drafts_and_future_posts_left_out_unless_asked(make_site: MakeSite) -> None:
    root = make_site(
        {
            "content/posts/d.md": "---\ntitle: Draft\ndate: 2026-01-01\ndraft: true\n---\n",
            "content/posts/f.md": "---\ntitle: Future\ndate: 2027-01-01\n---\n",
            "content/posts/p.md": "---\ntitle: Now\ndate: 2026-01-01\n---\n",
        }
    )
    assert [p.title for p in assembled(root)[1].posts] == ["Now"]
    everything = assembled(root, drafts=True, future=True)[1].posts
    assert [p.title for p in everything] == ["Future", "Draft", "Now"]


def test_pagination_urls_and_links(make_site: MakeSite) -> None:
    files = {
        f"content/posts/p{i:02d}.md": post(f"Post {i:02d}", f"2026-01-{i + 1:02d}")
        for i in range(23)
    }
    files["lemmata.toml"] = 'title = "T"\n[home]\nper_page = 10\n'
    _, site, _ = assembled(make_site(files))
    homes = [r for r in site.routes if r.template == "home.html"]
    assert [r.url for r in homes] == ["/", "/page/2/", "/page/3/"]
    second = homes[1].context["pagination"]
    assert [link.number for link in second.links] == [1, 2, 3]
    assert [link.current for link in second.links] == [False, True, False]
    assert second.previous_url == "/" and second.next_url == "/page/3/"
    lists = [r.url for r in site.routes if r.template == "list.html"]
    assert lists == ["/categories/nlp/", "/categories/nlp/page/2/", "/categories/nlp/page/3/"]


def test_chinese_slugs_in_pinyin_and_permalink_pattern(make_site: MakeSite) -> None:
    root = make_site(
        {
            "lemmata.toml": 'title = "T"\npermalink = "/{year}/{month}/{category}/{slug}/"\n',
            "content/posts/注意力机制.md": post("注意力", "2026-01-11", category="Large Model"),
        }
    )
    _, site, _ = assembled(root)
    assert site.posts[0].url == "/2026/01/large-model/zhu-yi-li-ji-zhi/"


def test_base_url_sub_path_everywhere(make_site: MakeSite) -> None:
    root = make_site(
        {
            "lemmata.toml": 'title = "T"\nbase_url = "https://name.github.io/notes/"\n',
            "content/posts/a.md": post("A", "2026-01-01", body="[b](b.md)"),
            "content/posts/b.md": post("B", "2026-01-02"),
        }
    )
    _, site, _ = assembled(root)
    a = next(p for p in site.posts if p.title == "A")
    assert a.url == "/notes/posts/a/"
    assert a.permalink == "https://name.github.io/notes/posts/a/"
    assert 'href="/notes/posts/b/"' in a.html
    assert a.category is not None and a.category.url == "/notes/categories/nlp/"
    assert {r.path for r in site.routes} >= {"index.html", "posts/a/index.html", "404.html"}


def test_duplicate_urls_name_both_files(make_site: MakeSite) -> None:
    root = make_site(
        {
            "content/posts/a.md": "---\ntitle: A\ndate: 2026-01-01\nslug: same\n---\n",
            "content/posts/b.md": "---\ntitle: B\ndate: 2026-01-01\nslug: same\n---\n",
        }
    )
    problems = [d.headline() for d in assembled(root)[2]]
    assert problems == [
        "content/posts/a.md:1:1: error: content/posts/a.md has the same URL /posts/same/ as content/posts/b.md",
        "content/posts/b.md:1:1: error: content/posts/b.md has the same URL /posts/same/ as content/posts/a.md",
    ]


def test_broken_link_is_an_error_at_its_line(make_site: MakeSite) -> None:
    root = make_site({"content/posts/a.md": post("A", "2026-01-01", body="\nSee [x](nope.md).")})
    problems = [d.headline() for d in assembled(root)[2]]
    assert problems == [
        "content/posts/a.md:8:9: error: broken link: content/posts/nope.md does not exist"
    ]


def test_bundle_image_copied_beside_its_page(make_site: MakeSite) -> None:
    root = make_site(
        {
            "content/posts/fig/index.md": post("Fig", "2026-01-01", body="![a diagram](d.svg)"),
            "content/posts/fig/d.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>",
            "static/favicon.svg": "<svg/>",
        }
    )
    _, site, problems = assembled(root)
    assert problems == []
    assert 'src="/posts/fig/d.svg"' in site.posts[0].html
    assert {f.path for f in site.files} == {"posts/fig/d.svg", "favicon.svg"}


def test_title_falls_back_to_first_heading_with_a_warning(make_site: MakeSite) -> None:
    root = make_site({"content/pages/about.md": "# About me\n\nText."})
    _, site, problems = assembled(root)
    assert site.pages[0].title == "About me"
    assert [d.headline() for d in problems] == [
        "content/pages/about.md:1:1: warning: no title; using the first heading 'About me'"
    ]


def test_related_posts_by_shared_tags_then_category(make_site: MakeSite) -> None:
    root = make_site(
        {
            "content/posts/a.md": post("A", "2026-01-05", tags="[x, y]"),
            "content/posts/b.md": post("B", "2026-01-04", tags="[x, y]", category="Other"),
            "content/posts/c.md": post("C", "2026-01-03", tags="[z]"),
            "content/posts/d.md": post("D", "2026-01-02", tags="[q]", category="Other"),
        }
    )
    _, site, _ = assembled(root)
    a = next(p for p in site.posts if p.title == "A")
    assert [r.title for r in a.related] == ["B", "C"]


def test_archive_groups_by_month(make_site: MakeSite) -> None:
    root = make_site(
        {
            "content/posts/a.md": post("A", "2026-01-05"),
            "content/posts/b.md": post("B", "2025-12-04"),
            "content/posts/c.md": post("C", "2026-01-03"),
        }
    )
    _, site, _ = assembled(root)
    (route,) = [r for r in site.routes if r.template == "archive.html"]
    months = route.context["months"]
    assert [(m.year, m.month, [e.title for e in m.entries]) for m in months] == [
        (2026, 1, ["A", "C"]),
        (2025, 12, ["B"]),
    ]
