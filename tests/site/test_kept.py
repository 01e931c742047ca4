"""A kept site is reused exactly when assembling afresh would give the same site."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone

import pytest

from lemmata.content import Document
from lemmata.markup import Asset, Html, Link, Rendered
from lemmata.site import Site, _kept, assemble, assemble_kept
from tests.site.conftest import NOW, Fixture, link


@pytest.fixture
def blog(site: Fixture) -> Fixture:
    site.add("content/posts/a.md", date="2026-01-03", category="ML", tags=("优化", "SGD"))
    site.add("content/posts/b.md", date="2026-01-02", tags=("SGD",), links=(_link_to("a"),))
    site.add("content/posts/c/index.md", date="2026-01-01", category="ML", rendered_title="C")
    site.add("content/posts/later.md", date="2026-09-01")  # in the future at NOW
    site.add("content/posts/draft.md", draft=True)
    site.add("content/pages/about.md", title=None, rendered_title="About")
    site.file("content/posts/c/figure.png", b"png")
    return site


def _link_to(name: str, *, line: int = 5) -> Link:
    return link("content/posts/b.md", f"content/posts/{name}.md", line=line)


def _built(fixture: Fixture, *, key: str = "key", now: datetime = NOW) -> tuple[Site, int]:
    """The site as a build keeping sites makes it, and how many times it assembled."""
    calls = []

    def counted(*args: object, **kwargs: object) -> Site:
        calls.append(1)
        return assemble(*args, **kwargs)  # type: ignore[arg-type]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_kept, "assemble", counted)
        made = assemble_kept(
            fixture.config(),
            fixture.documents,
            fixture.rendered,
            now=now,
            cache_dir=fixture.root / ".lemmata",
            key=key,
        )
    return made, len(calls)


def _fresh(fixture: Fixture, *, now: datetime = NOW) -> Site:
    return assemble(fixture.config(), fixture.documents, fixture.rendered, now=now)


def _edit(
    fixture: Fixture,
    path: str,
    document: Callable[[Document], Document] = lambda d: d,
    rendering: Callable[[Rendered], Rendered] = lambda r: r,
) -> None:
    """Change a document and its rendering, as a new version of its file would."""
    index = next(i for i, d in enumerate(fixture.documents) if d.path == path)
    changed = document(fixture.documents[index])
    fixture.documents[index] = dataclasses.replace(changed, content_hash=changed.content_hash + "'")
    fixture.rendered[path] = dataclasses.replace(
        rendering(fixture.rendered[path]), content_digest=b""
    )


def _meta(**changes: object) -> Callable[[Document], Document]:
    return lambda d: dataclasses.replace(d, meta=dataclasses.replace(d.meta, **changes))


def _rendering(**changes: object) -> Callable[[Rendered], Rendered]:
    return lambda r: dataclasses.replace(r, **changes)


def test_an_edited_text_reuses_the_kept_site_with_its_new_rendering(blog: Fixture) -> None:
    first, assembled = _built(blog)
    assert assembled == 1 and first == _fresh(blog)
    new_text = _rendering(
        body=Html.of("<p>New body.</p>"),
        toc_html='<ul><li><a href="#x">X</a></li></ul>',
        excerpt_html="<p>New excerpt.</p>",
        excerpt_text="New excerpt.",
        reading_units=2_000,
        has_math=True,
        has_code=True,
    )
    _edit(blog, "content/posts/a.md", rendering=new_text)
    _edit(blog, "content/pages/about.md", rendering=_rendering(body=Html.of("<p>Hi.</p>")))
    again, assembled = _built(blog)
    assert assembled == 0
    assert again == _fresh(blog) != first
    post = next(e for e in again.posts if e.source == "content/posts/a.md")
    assert (post.html, post.excerpt_text, post.reading_minutes) == (
        "<p>New body.</p>",
        "New excerpt.",
        8,
    )
    assert post.has_math and post.has_code and post.toc_html.startswith("<ul>")
    # Entries and routes share their objects as assembling makes them.
    assert next(r for r in again.routes if r.url == "/").context["pagination"].entries[0] is post
    # The reused site names the same structure as the kept one; a fresh one none.
    assert again.structure == first.structure != "" == _fresh(blog).structure


def test_a_body_edit_with_references_keeps_them_resolved(blog: Fixture) -> None:
    _built(blog)
    body = '<p><a href="lemmata-ref:content/posts/a.md">A</a>, edited.</p>'
    _edit(blog, "content/posts/b.md", rendering=_rendering(body=Html.of(body)))
    again, assembled = _built(blog)
    assert assembled == 0 and again == _fresh(blog)
    post = next(e for e in again.posts if e.source == "content/posts/b.md")
    assert post.html == '<p><a href="/posts/a/">A</a>, edited.</p>'


@pytest.mark.parametrize(
    ("path", "document", "rendering"),
    [
        ("content/posts/a.md", _meta(title=None), _rendering()),
        ("content/pages/about.md", _meta(title="About us"), _rendering()),
        ("content/posts/draft.md", _meta(title="Renamed"), _rendering()),
        ("content/posts/a.md", _meta(date=datetime(2026, 1, 4, tzinfo=UTC)), _rendering()),
        # The same instant in another zone shows another date and time.
        (
            "content/posts/a.md",
            _meta(date=datetime(2026, 1, 3, 8, tzinfo=timezone(timedelta(hours=8)))),
            _rendering(),
        ),
        (
            "content/posts/a.md",
            _meta(updated=datetime(2026, 2, 1, tzinfo=UTC)),
            _rendering(),
        ),
        ("content/posts/a.md", _meta(categories=("Math",)), _rendering()),
        ("content/posts/a.md", _meta(tags=("SGD",)), _rendering()),
        ("content/posts/a.md", _meta(draft=True), _rendering()),
        ("content/posts/a.md", _meta(extra={"math": True}), _rendering()),
        ("content/posts/a.md", lambda d: dataclasses.replace(d, slug="moved"), _rendering()),
        (
            "content/posts/a.md",
            lambda d: dataclasses.replace(d, text="+++\n" + d.text),
            _rendering(),
        ),
        ("content/pages/about.md", lambda d: d, _rendering(title="About us")),
        ("content/posts/b.md", lambda d: d, _rendering(links=(_link_to("a", line=9),))),
        ("content/posts/b.md", lambda d: d, _rendering(links=(_link_to("missing"),))),
        ("content/posts/c/index.md", lambda d: d, _rendering(assets=(Asset("out.png", b"1"),))),
        ("content/posts/draft.md", _meta(draft=False), _rendering()),
    ],
    ids=[
        "title removed",
        "title where the heading gave one",
        "title of a draft",
        "date",
        "date in another zone",
        "updated",
        "category",
        "tags",
        "made a draft",
        "extra",
        "slug",
        "first line",
        "title from a heading",
        "a link moved",
        "a new link",
        "an asset",
        "a draft published",
    ],
)
def test_anything_else_assembles_afresh(
    blog: Fixture,
    path: str,
    document: Callable[[Document], Document],
    rendering: Callable[[Rendered], Rendered],
) -> None:
    _built(blog)
    _edit(blog, path, document, rendering)
    again, assembled = _built(blog)
    assert assembled == 1 and again == _fresh(blog)
    # And the site kept now is the new one.
    _edit(blog, path, rendering=_rendering(body=Html.of("<p>Later.</p>")))
    later, assembled = _built(blog)
    assert assembled == 0 and later == _fresh(blog)
    assert later.structure == again.structure != ""


def test_a_new_title_is_given_to_the_kept_site_and_the_links_to_its_post(
    blog: Fixture,
) -> None:
    first, _ = _built(blog)
    _edit(blog, "content/posts/b.md", _meta(title="Renamed"))
    again, assembled = _built(blog)
    # Equal sites: the entry, its neighbours' links and related posts' links agree.
    assert assembled == 0 and again == _fresh(blog) != first
    post = next(e for e in again.posts if e.source == "content/posts/b.md")
    newer = next(e for e in again.posts if e.source == "content/posts/a.md")
    assert post.title == "Renamed" and newer.previous is not None
    assert newer.previous.title == "Renamed"
    assert "Renamed" in [link.title for link in newer.related]
    # The kept structure, naming the new title.
    assert again.structure == first.structure != ""
    assert (first.titles, again.titles) == ((), ((post.url, "Renamed"),))
    _edit(blog, "content/posts/b.md", _meta(title="Other"))
    other, assembled = _built(blog)
    assert assembled == 0 and other == _fresh(blog)
    assert (other.structure, other.titles) == (first.structure, ((post.url, "Other"),))


def test_a_new_title_that_reorders_posts_of_one_date_assembles_afresh(blog: Fixture) -> None:
    blog.add("content/posts/d.md", date="2026-01-02")  # b's date and title: b comes first
    _built(blog)
    _edit(blog, "content/posts/b.md", _meta(title="Alpha"))  # still first
    again, assembled = _built(blog)
    assert assembled == 0 and again == _fresh(blog)
    _edit(blog, "content/posts/b.md", _meta(title="Zeta"))  # now after d
    again, assembled = _built(blog)
    assert assembled == 1 and again == _fresh(blog)
    order = [e.source for e in again.posts]
    assert order.index("content/posts/d.md") < order.index("content/posts/b.md")


def test_an_incomplete_rendering_is_compared_by_its_signature(blog: Fixture) -> None:
    path = "content/posts/b.md"
    blog.rendered[path] = dataclasses.replace(blog.rendered[path], cacheable=False)
    _built(blog)
    # The same bytes rendered completely this time (a formula had timed out, say),
    # and a link that the failure had hidden shows.
    blog.rendered[path] = dataclasses.replace(
        blog.rendered[path], cacheable=True, links=(_link_to("missing"),), content_digest=b""
    )
    again, assembled = _built(blog)
    assert assembled == 1 and again == _fresh(blog)
    # Kept complete, the same bytes are then taken as they are, whatever the text.
    blog.rendered[path] = dataclasses.replace(
        blog.rendered[path], body=Html.of("<p>Complete.</p>"), content_digest=b""
    )
    again, assembled = _built(blog)
    assert assembled == 0 and again == _fresh(blog)


def test_a_post_whose_date_arrives_assembles_afresh(blog: Fixture) -> None:
    _built(blog)
    later = datetime(2026, 10, 1, tzinfo=UTC)
    again, assembled = _built(blog, now=later)
    assert assembled == 1 and again == _fresh(blog, now=later)
    assert "content/posts/later.md" in [e.source for e in again.posts]


def test_another_key_assembles_afresh(blog: Fixture) -> None:
    _built(blog)
    again, assembled = _built(blog, key="other")
    assert assembled == 1 and again == _fresh(blog)


def test_a_document_added_or_gone_assembles_afresh(blog: Fixture) -> None:
    _built(blog)
    blog.add("content/posts/new.md", date="2026-01-05")
    assert _built(blog)[1] == 1
    blog.documents.pop()
    assert _built(blog)[1] == 1
    # Even a draft: a link to it is a warning, to nothing an error.
    blog.documents[:] = [d for d in blog.documents if d.path != "content/posts/draft.md"]
    again, assembled = _built(blog)
    assert assembled == 1 and again == _fresh(blog)


def test_signatures_of_unchanged_documents_are_carried_over(
    blog: Fixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    made: list[str] = []
    real = _kept.signature

    def counted(doc: Document, result: Rendered) -> bytes:
        made.append(doc.path)
        return real(doc, result)

    monkeypatch.setattr(_kept, "signature", counted)
    _built(blog)
    assert len(made) == len(blog.documents)
    made.clear()
    _edit(blog, "content/posts/a.md", _meta(tags=("SGD",)))
    assert _built(blog)[1] == 1
    # Compared with the kept one, then made for the new kept site: never for the others.
    assert made == ["content/posts/a.md", "content/posts/a.md"]
    # A document is read with the settings in the key: with another key, all are made.
    made.clear()
    assert _built(blog, key="other")[1] == 1
    assert len(made) == len(blog.documents)


def test_without_a_key_or_a_readable_kept_site_it_assembles(blog: Fixture) -> None:
    config = blog.config()
    cache = blog.root / ".lemmata"
    made = assemble_kept(config, blog.documents, blog.rendered, now=NOW, cache_dir=cache, key=None)
    assert made == _fresh(blog) and not (cache / _kept.KEPT_FILE).exists()
    _built(blog)
    (cache / _kept.KEPT_FILE).write_bytes(b"not a pickle")
    again, assembled = _built(blog)
    assert assembled == 1 and again == _fresh(blog)
