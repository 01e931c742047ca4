"""References between source files become URLs; problems are reported at the link."""

from __future__ import annotations

from dataclasses import replace

from lemmata.markup import Asset, Html
from tests.site.conftest import Fixture, headlines, link

A = "content/posts/a.md"


def _html(site: Fixture, base_url: str = "/") -> str:
    built = site.assemble(base_url=base_url)
    (entry,) = [e for e in (*built.posts, *built.pages) if e.source == A]
    return entry.html


def test_document_link_with_fragment_and_base_path(site: Fixture) -> None:
    site.add(
        A,
        html='<a href="lemmata-ref:content/pages/b.md#intro">b</a>',
        links=(link(A, "content/pages/b.md"),),
    )
    site.add("content/pages/b.md")
    assert _html(site, "https://x.org/notes/") == '<a href="/notes/b/#intro">b</a>'


def test_link_to_a_bundle_folder_goes_to_its_page(site: Fixture) -> None:
    site.add(
        A,
        html='<a href="lemmata-ref:content/posts/fig">f</a>',
        links=(link(A, "content/posts/fig"),),
    )
    site.add("content/posts/fig/index.md")
    assert _html(site) == '<a href="/posts/fig/">f</a>'


def test_escaped_and_spaced_file_names_are_found_and_encoded(site: Fixture) -> None:
    site.file("content/posts/a&b.png")
    site.file("content/posts/my pic.png")
    site.add(
        A,
        html='<img src="lemmata-ref:content/posts/a&amp;b.png"><img src="lemmata-ref:content/posts/my pic.png">',
        links=(link(A, "content/posts/a&b.png"), link(A, "content/posts/my pic.png")),
    )
    built = site.assemble()
    assert built.posts[0].html == '<img src="/posts/a&amp;b.png"><img src="/posts/my%20pic.png">'
    assert {f.path for f in built.files} == {"posts/a&b.png", "posts/my pic.png"}
    assert built.diagnostics == ()


def test_static_file_is_linked_where_static_puts_it_without_a_second_copy(site: Fixture) -> None:
    site.file("static/img/logo.png")
    site.add(
        A,
        html='<img src="lemmata-ref:static/img/logo.png">',
        links=(link(A, "static/img/logo.png"),),
    )
    built = site.assemble()
    assert built.posts[0].html == '<img src="/img/logo.png">'
    assert [f.path for f in built.files] == ["img/logo.png"]


def test_files_outside_content_and_static_are_never_published(site: Fixture) -> None:
    site.file("lemmata.toml", 'title = "secret"\n')
    site.add(
        A,
        html='<a href="lemmata-ref:lemmata.toml">c</a>',
        links=(link(A, "lemmata.toml", line=7, column=3),),
    )
    built = site.assemble()
    assert built.posts[0].html == '<a href="#">c</a>'
    assert built.files == ()
    assert headlines(built.diagnostics) == [
        "content/posts/a.md:7:3: error: link to lemmata.toml, which is not published: "
        "only files under content/ and static/ are part of the site"
    ]


def test_broken_image_and_draft_link(site: Fixture) -> None:
    site.add(
        A,
        html='<img src="lemmata-ref:content/posts/no.png"><a href="lemmata-ref:content/posts/d.md#s">d</a>',
        links=(
            link(A, "content/posts/no.png", image=True, line=6),
            link(A, "content/posts/d.md", line=8),
        ),
    )
    site.add("content/posts/d.md", draft=True)
    built = site.assemble()
    assert built.posts[0].html == '<img src="#"><a href="#s">d</a>'
    assert headlines(built.diagnostics) == [
        "content/posts/a.md:6:1: error: broken image: content/posts/no.png does not exist",
        "content/posts/a.md:8:1: warning: link to content/posts/d.md, which is a draft or not yet published",
    ]


def test_references_resolved_in_excerpt_and_toc(site: Fixture) -> None:
    ref = '<a href="lemmata-ref:content/pages/b.md">b</a>'
    site.add(A, html=ref, excerpt_html=ref, toc_html=ref, links=(link(A, "content/pages/b.md"),))
    site.add("content/pages/b.md")
    entry = site.assemble().posts[0]
    assert entry.excerpt_html == entry.toc_html == '<a href="/b/">b</a>'


def test_generated_assets_written_beside_the_page(site: Fixture) -> None:
    site.add(
        A,
        html='<img src="lemmata-asset:output-1.png">',
        assets=(Asset("output-1.png", b"\x89PNG"),),
    )
    built = site.assemble(base_url="https://x.org/notes/")
    assert built.posts[0].html == '<img src="/notes/posts/a/output-1.png">'
    assert [(f.path, f.data) for f in built.files] == [("posts/a/output-1.png", b"\x89PNG")]


def test_body_digest_covers_the_excerpts_and_toc_page_keys_leave_out(site: Fixture) -> None:
    # Entries' excerpts and table of contents have no digest of their own in page
    # keys: the body's stands for them, so it must change whenever one does.
    site.add(A, html="<p>Same.</p>", excerpt_html="<p>E</p>", excerpt_text="E", toc_html="<ul/>")
    site.add("content/posts/b.md")

    def body_digests() -> tuple[bytes, bytes]:
        (entry,) = [e for e in site.assemble().posts if e.source == A]
        return entry.body.content_digest, entry.body.preview_digest

    digests = {body_digests()}
    for name, value in [("excerpt_html", "<p>F</p>"), ("excerpt_text", "F"), ("toc_html", "")]:
        site.rendered[A] = replace(site.rendered[A], **{name: value}, content_digest=b"")
        digests.add(body_digests())
    assert len({whole for whole, _ in digests}) == len({shown for _, shown in digests}) == 4
    # The preview digest (what lists show) leaves the body out.
    shown = body_digests()[1]
    site.rendered[A] = replace(site.rendered[A], body=Html.of("<p>Else.</p>"), content_digest=b"")
    assert body_digests()[1] == shown
