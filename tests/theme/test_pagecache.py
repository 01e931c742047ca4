"""Pages of the previous build are reused only while everything they read is unchanged."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from types import MappingProxyType
from zoneinfo import ZoneInfo

import pytest
from markupsafe import Markup

from lemmata import fingerprint
from lemmata._pickling import attributes
from lemmata.build import BuildOptions, build
from lemmata.markup import Html
from lemmata.output import _feeds, _sitemap
from lemmata.site import DERIVED, Body, Entry, EntryLink, Pagination, Route, Term
from lemmata.theme import _render as theme_render
from lemmata.theme._pagecache import Digests, ShownEntries, _digested_fields
from tests.conftest import MakeSite
from tests.theme import sample

NOW = datetime(2026, 6, 1, tzinfo=UTC)


def _post(title: str, day: int, body: str = "Body.") -> str:
    return f"---\ntitle: {title}\ndate: 2024-01-{day:02d}\ntags: [t{day}]\n---\n\n{body}\n"


def _build(site: Path) -> None:
    build(BuildOptions(site_dir=site, jobs=1, now=NOW))


def _inode(site: Path, slug: str) -> int:
    return (site / "public" / "posts" / slug / "index.html").stat().st_ino


def _page(site: Path, slug: str) -> str:
    return (site / "public" / "posts" / slug / "index.html").read_text("utf-8")


def _two_paragraphs(opening: str, closing: str) -> str:
    # Post A with a long opening paragraph: the automatic excerpt ends inside it.
    return _post("A", 1, f"{opening} " + "word " * 80 + f"\n\n{closing}")


def _built(make_site: MakeSite, files: dict[str, str] | None = None, *, a: str = "") -> Path:
    """A site of two posts, A (``a``, else in two paragraphs) and B, and ``files``, built."""
    site = make_site(
        {
            "content/posts/a.md": a or _two_paragraphs("Opening.", "Closing."),
            "content/posts/b.md": _post("B", 2),
            **(files or {}),
        }
    )
    _build(site)
    return site


def _rewritten(site: Path, opening: str, closing: str) -> None:
    """Post A given these paragraphs, and the site built again."""
    (site / "content/posts/a.md").write_text(_two_paragraphs(opening, closing), "utf-8")
    _build(site)


def _listed(site: Path, name: str) -> str:
    page = {"home": ("index.html",), "tag": ("tags", "t1", "index.html")}[name]
    return site.joinpath("public", *page).read_text("utf-8")


def test_an_edit_rewrites_its_page_and_links_the_others(make_site: MakeSite) -> None:
    site = make_site({"content/posts/a.md": _post("A", 1), "content/posts/b.md": _post("B", 2)})
    _build(site)
    a, b = _inode(site, "a"), _inode(site, "b")
    (site / "content/posts/a.md").write_text(_post("A", 1, "Changed $x^2$."), "utf-8")
    _build(site)
    assert "Changed" in _page(site, "a")
    assert _inode(site, "a") != a
    assert _inode(site, "b") == b  # the very file of the previous output: not rendered again


def test_a_title_change_reaches_the_neighbours_pages(make_site: MakeSite) -> None:
    site = make_site({"content/posts/a.md": _post("A", 1), "content/posts/b.md": _post("B", 2)})
    _build(site)
    (site / "content/posts/a.md").write_text(_post("Renamed", 1), "utf-8")
    _build(site)
    assert "Renamed" in _page(site, "b")  # b links to its older neighbour by title


def test_a_template_reading_site_is_rendered_again_when_site_changes(
    make_site: MakeSite,
) -> None:
    template = (
        '{% extends "base.html" %}{% block content %}count={{ site.posts|length }}{% endblock %}'
    )
    site = make_site(
        {
            "content/posts/a.md": _post("A", 1),
            "content/posts/b.md": _post("B", 2),
            "templates/post.html": template,
        }
    )
    _build(site)
    assert "count=2" in _page(site, "a")
    (site / "content/posts/c.md").write_text(_post("C", 3), "utf-8")
    _build(site)
    assert "count=3" in _page(site, "a")


def test_a_card_reading_site_renews_every_page_that_shows_it(make_site: MakeSite) -> None:
    # A card is rendered once per build and reused: its reads of ``site`` must
    # still count for every page showing it, here the tag page of post A.
    card = "<div class=mine>{{ entry.title }} of {{ site.posts|length }}</div>"
    site = _built(make_site, {"templates/partials/card.html": card}, a=_post("A", 1))
    tag_page = site / "public" / "tags" / "t1" / "index.html"
    assert "A of 2" in tag_page.read_text("utf-8")
    (site / "content/posts/c.md").write_text(_post("C", 3), "utf-8")
    _build(site)
    assert "A of 3" in tag_page.read_text("utf-8")
    assert "A of 3" in (site / "public" / "index.html").read_text("utf-8")


def test_an_edit_below_the_excerpt_renders_only_the_posts_own_page(
    make_site: MakeSite, rendered: list[str]
) -> None:
    site = _built(make_site)
    rendered.clear()
    _rewritten(site, "Opening.", "Closing, edited.")
    assert "Closing, edited." in _page(site, "a")
    # The lists show A's title, date and excerpt, none of which changed: not rendered again.
    assert rendered == ["/posts/a/"]


def test_a_new_title_renders_the_pages_showing_it_and_not_the_neighbours_lists(
    make_site: MakeSite, rendered: list[str]
) -> None:
    site = _built(make_site, a=_post("A", 1))
    rendered.clear()
    (site / "content/posts/a.md").write_text(_post("Renamed", 1), "utf-8")
    _build(site)
    # B's page links to A by its title; B's tag page lists B alone, without its links.
    assert "/posts/b/" in rendered and "/tags/t1/" in rendered and "/" in rendered
    assert "/tags/t2/" not in rendered


def test_a_list_showing_neighbours_is_rendered_again_when_one_is_renamed(
    make_site: MakeSite,
) -> None:
    card = "<div class=mine>{{ entry.title }} after {{ (entry.previous or entry).title }}</div>"
    site = _built(make_site, {"templates/partials/card.html": card}, a=_post("A", 1))
    (site / "content/posts/a.md").write_text(_post("Renamed", 1), "utf-8")
    _build(site)
    assert "B after Renamed" in (site / "public" / "tags" / "t2" / "index.html").read_text("utf-8")


def test_an_edit_to_the_excerpt_renders_the_lists_again(make_site: MakeSite) -> None:
    site = _built(make_site)
    _rewritten(site, "Reworded opening.", "Closing.")
    assert "Reworded opening." in _listed(site, "home")
    assert "Reworded opening." in _listed(site, "tag")


def test_a_list_showing_bodies_is_rendered_again_after_a_body_edit(make_site: MakeSite) -> None:
    # Here each card shows the whole body: its reads count for the list pages
    # showing it, though the card is rendered once per build.
    site = _built(make_site, {"templates/partials/card.html": "<p>{{ entry.html|safe }}</p>"})
    _rewritten(site, "Opening.", "Closing, edited.")
    assert "Closing, edited." in _listed(site, "tag")
    assert "Closing, edited." in _listed(site, "home")


def test_an_output_file_edited_by_hand_is_rendered_again(make_site: MakeSite) -> None:
    site = make_site({"content/posts/a.md": _post("A", 1), "content/posts/b.md": _post("B", 2)})
    _build(site)
    page = site / "public" / "posts" / "b" / "index.html"
    original = page.read_bytes()
    page.write_bytes(original.replace(b"<h1", b"<H1"))  # same size, edited in place
    (site / "content/posts/a.md").write_text(_post("A", 1, "Changed."), "utf-8")
    _build(site)
    assert page.read_bytes() == original


def test_without_hard_links_pages_are_copied(
    make_site: MakeSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = make_site({"content/posts/a.md": _post("A", 1), "content/posts/b.md": _post("B", 2)})
    _build(site)
    original = (site / "public" / "posts" / "b" / "index.html").read_bytes()

    def no_links(*_args: object, **_kwargs: object) -> None:
        raise OSError(1, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)
    (site / "content/posts/a.md").write_text(_post("A", 1, "Changed."), "utf-8")
    _build(site)
    _build(site)
    assert (site / "public" / "posts" / "b" / "index.html").read_bytes() == original
    assert "Changed" in _page(site, "a")


def test_digests_tell_values_apart() -> None:
    digests = Digests()
    day = datetime(2024, 1, 1, tzinfo=UTC)
    long = "数学 " * 100
    values: list[object] = [
        "a",
        "b",
        ("a",),
        ["a", "b"],
        {"a": 1},
        {"a": 2},
        1,
        "1",
        None,
        long,
        long + "x",
        EntryLink("T", "/t/", day),
        EntryLink("T", "/t/", None),
        Term("x", "x", "/tags/x/", 1),
        Term("x", "x", "/tags/x/", 2),
        Markup("a"),  # the same text, escaped differently
        day,
        repr(day),  # a text that reads like a date is not one
        ("mapping", "'a'", 1),
        b"a",
        True,
        1.0,
    ]
    found = [digests.of(v) for v in values]
    assert len(set(found)) == len(values)
    assert digests.of(MappingProxyType({"a": 1})) == found[4]  # equal mappings alike
    assert Digests().of(EntryLink("T", "/t/", day)) == found[11]
    assert Digests().of({"a": 1}) == found[4]


def test_digests_follow_values_not_which_objects_hold_them() -> None:
    # Strings read from the cache are new objects in every build; one that is
    # shared here and repeated there must digest alike.
    text = "数学 " * 40
    copy = "".join(["数学 "] * 40)
    assert text == copy and text is not copy
    shared = Pagination(1, 1, (), "/", text, text)
    separate = Pagination(1, 1, (), "/", text, copy)
    assert Digests().of(shared) == Digests().of(separate)
    assert Digests().of((text, text)) == Digests().of((text, copy))


_SAMPLE = """
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo
from lemmata.markup import Html
from lemmata.site import Body, EntryLink, Term
from lemmata.theme._pagecache import Digests
day = datetime(2024, 1, 1, tzinfo=ZoneInfo("Asia/Shanghai"))
value = {
    "links": (EntryLink("T", "/t/", day), EntryLink("U", "/u/", None)),
    "terms": [Term("概率", "gai-lv", "/tags/gai-lv/", 3)],
    "body": Body(Html.of("<p>x</p>"), {}),
    "root": Path("/site"),
    "kind": int,
}
print(Digests().of(value).hex())
"""


@pytest.mark.parametrize("seed", ["1", "2"])
def test_digests_are_the_same_in_every_process(seed: str) -> None:
    # Page keys are compared with those of the previous build, made by another
    # process: nothing in them may depend on addresses or on string hashing.
    run = partial(subprocess.run, [sys.executable, "-c", _SAMPLE], capture_output=True, text=True)
    first = run(env={**os.environ, "PYTHONHASHSEED": seed}, check=True).stdout
    assert first == run(env={**os.environ, "PYTHONHASHSEED": "random"}, check=True).stdout
    assert len(first.strip()) == 40


def test_digests_of_nested_values_follow_their_parts() -> None:
    day = datetime(2024, 1, 1, tzinfo=UTC)
    term = Term("x", "x", "/tags/x/", 1)
    pages = [Pagination(1, 1, (), "/", None, None), Pagination(1, 2, (), "/", None, "/2/")]
    first = {"terms": (term,), "page": pages[0], "when": day, "at": Path("/site")}
    same = {
        "terms": (Term("x", "x", "/tags/x/", 1),),
        "page": pages[0],
        "when": day,
        "at": Path("/site"),
    }
    assert Digests().of(first) == Digests().of(same)
    for change in (
        {"terms": (Term("x", "x", "/tags/x/", 2),)},
        {"page": pages[1]},
        {"when": day.astimezone(ZoneInfo("Asia/Shanghai"))},  # the same moment, another zone
        {"at": Path("/elsewhere")},
        {"extra": lambda: None},  # any object at all: by its repr
    ):
        assert Digests().of(first) != Digests().of({**first, **change})


@dataclass(frozen=True)
class _Listed:
    name: str
    shown: str = field(metadata={DERIVED: True})
    """Made from ``name`` (say): left out of digests."""


def test_derived_fields_are_left_out_and_bodies_count_by_their_digest() -> None:
    one = _Listed("one", "shown")
    assert Digests().of(one) == Digests().of(_Listed("one", "shown otherwise"))
    assert Digests().of(one) != Digests().of(_Listed("two", "shown"))
    body = Body(Html.of('<a href="lemmata-ref:content/b.md">b</a>'), {"content/b.md": "/b/"})
    moved = Body(Html.of('<a href="lemmata-ref:content/b.md">b</a>'), {"content/b.md": "/c/"})
    same = Body(Html(body._rendered._data), {"content/b.md": "/b/"})  # never decoded
    assert Digests().of(body) == Digests().of(same) != Digests().of(moved)
    assert same._text is None and same._rendered._text is None
    assert body.text == '<a href="/b/">b</a>' and moved.text == '<a href="/c/">b</a>'


def test_links_and_routes_digest_by_hand_exactly_as_any_dataclass() -> None:
    # Like entries, links to posts and routes have a hand-written digest: a field
    # added to either and forgotten there fails here.
    shanghai = datetime(2026, 1, 2, 8, tzinfo=ZoneInfo("Asia/Shanghai"))
    links = [
        EntryLink("T", "/t/", shanghai),
        EntryLink("T", "/t/", datetime(2026, 1, 2, tzinfo=UTC)),
        EntryLink("T", "/t/", None),
        EntryLink(Markup("<b>T</b>"), "/t/", None),  # not what marshal writes: general way
    ]
    post = sample.posts()[0]
    term = Term("ML", "ml", "/categories/ml/", 3)
    page = Pagination(1, 1, (post,), "/", None, None)
    routes = [
        Route("posts/a/index.html", "/posts/a/", "post.html", {"entry": post}),
        Route("index.html", "/", "home.html", {"pagination": page, "hero": "", "heading": "H"}),
        Route("categories/ml/index.html", "/c/", "list.html", {"term": term, "kind": "category"}),
        Route("404.html", "/404.html", "404.html", {}),
        Route("x/index.html", "/x/", "page.html", MappingProxyType({"entry": post})),
        Route("x/index.html", Markup("/x/"), "page.html", {}),
    ]
    for made, general in [
        *((Digests()._link(link), _general(link)) for link in links),
        *((Digests()._route(route), _general(route)) for route in routes),
    ]:
        assert made == general
    assert len({Digests()._link(link) for link in links}) == len(links)
    assert len({Digests()._route(route) for route in routes}) == len(routes)


def test_a_mapping_of_one_item_is_digested_as_any_mapping() -> None:
    # One item needs no sorting, but must come out as a longer mapping's items do.
    digests = Digests()
    assert digests._mapping({"k": "v"}) == ("\0mapping", ("'k'", "v"))
    assert digests._mapping({"k": "v", "j": "w"}) == ("\0mapping", ("'j'", "w"), ("'k'", "v"))
    assert digests._mapping({1: "v"}) == ("\0mapping", ("1", "v"))
    assert digests._mapping({}) == ("\0mapping",)


def _general(value: EntryLink | Route) -> bytes:
    return Digests()._dataclass(value, attributes(_digested_fields(type(value))))


def test_entries_digest_by_hand_exactly_as_any_dataclass() -> None:
    # Entries have a hand-written digest for speed: it must make the same list as
    # the general way, so a field added to Entry and forgotten there fails here.
    general = attributes(_digested_fields(Entry))
    entries = [
        *sample.posts(),
        sample.entry("Page", "page", None, extra={"math": True, "when": datetime(2024, 1, 1)}),
        sample.entry(Markup("<b>Odd</b>"), "odd", None),  # not what marshal writes: general way
    ]
    for entry in entries:
        assert Digests()._entry(entry) == Digests()._dataclass(entry, general)
    # And every field counts, each in its place.
    base = sample.posts()[0]
    other = {
        "kind": "page",
        "title": "T",
        "url": "/u/",
        "permalink": "https://x.example/u/",
        "source": "content/u.md",
        "date": None,
        "updated": None,
        "category": sample.ALGORITHM,
        "tags": (),
        "body": Body(Html.of("<p>Other.</p>")),
        "reading_minutes": 6,
        "has_math": False,
        "has_code": True,
        "draft": True,
        "extra": {"k": 1},
        "previous": None,
        "next": EntryLink("N", "/n/", None),
        "related": (),
    }
    assert set(other) == set(_digested_fields(Entry))
    digests = {Digests().of(base)}
    for name, value in other.items():
        assert getattr(base, name) != value, name
        digests.add(Digests().of(replace(base, **{name: value})))
    assert len(digests) == len(other) + 1


def test_without_details_entries_count_by_their_previews_and_everything_else() -> None:
    def body(html: str, previews: bytes) -> Body:
        return Body(Html.of(html), previews=previews)

    base = replace(sample.posts()[1], body=body("<p>Body.</p>", b"previews"))
    whole, without = Digests.pair()
    other = sample.posts()[0]
    for name, value in [
        ("body", body("<p>Another body.</p>", b"previews")),
        ("previous", other.previous),
        ("next", other.next),
        ("related", other.related),
    ]:
        changed = replace(base, **{name: value})
        assert getattr(changed, name) != getattr(base, name), name
        assert Digests().of(changed) != whole.of(base), name
        assert Digests.pair()[1].of(changed) == without.of(base), name
    assert without.of(base) != whole.of(base)
    other_previews = replace(base, body=body("<p>Body.</p>", b"other previews"))
    assert Digests.pair()[1].of(other_previews) != without.of(base)
    for name in ("title", "tags", "reading_minutes"):
        changed = replace(base, **{name: getattr(other, name)})
        assert getattr(changed, name) != getattr(base, name), name
        assert Digests.pair()[1].of(changed) != without.of(base), name
    # A body made without previews counts by its whole digest either way.
    plain = sample.posts()[0]
    plain_digest = Digests.pair()[1].of(plain)
    assert plain_digest != Digests.pair()[1].of(replace(plain, body=Body(Html.of("<p>B.</p>"))))
    # An entry the hand-made digest cannot take counts by everything either way.
    odd = sample.entry(Markup("<b>Odd</b>"), "odd", None, body=body("<p>B.</p>", b"p"))
    assert Digests.pair()[1].of(odd) == Digests().of(odd)


@pytest.mark.parametrize(
    ("source", "noted"),
    [
        ("{{ e.title }} {{ e.excerpt_html }} {{ e.tags|length }}", False),
        ("{{ e.html }}", True),
        ('{{ e["body"].text }}', True),
        ("{{ e.previous.title }}", True),
        ('{{ [e]|map(attribute="related")|list|length }}', True),
        ('{{ [e]|selectattr("next")|list|length }}', True),
    ],
)
def test_a_template_reading_an_entrys_details_is_noted(
    tmp_path: Path, source: str, noted: bool
) -> None:
    env = theme_render.environment(tmp_path)
    reads: list[str] = []
    env.noting = lambda: reads.append(source)
    env.from_string(source).render(e=sample.posts()[1])
    assert bool(reads) is noted


def test_the_sitemap_and_feeds_are_made_again_only_when_what_they_show_is(
    make_site: MakeSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    made: list[str] = []
    real_sitemap, real_file = _sitemap._sitemap, _feeds._file
    monkeypatch.setattr(_sitemap, "_sitemap", lambda *a: made.append("sitemap") or real_sitemap(*a))
    monkeypatch.setattr(
        _feeds,
        "_file",
        lambda feed, name, make: made.append(feed.folder + name) or real_file(feed, name, make),
    )
    a = "---\ntitle: A\ndate: 2024-01-01\ncategory: X\n---\n\n{}\n"
    b = "---\ntitle: B\ndate: 2024-01-02\ncategory: Y\n---\n\nB.\n"
    site = make_site({"content/posts/a.md": a.format("Zero."), "content/posts/b.md": b})
    public = site / "public"
    every = ["atom.xml", "categories/x/atom.xml", "categories/y/atom.xml", "sitemap"]

    def edit(text: str, day: int = 1) -> list[str]:
        changed = a.format(text).replace("2024-01-01", f"2024-01-{day:02d}")
        (site / "content/posts/a.md").write_text(changed, "utf-8")
        made.clear()
        _build(site)
        return sorted(name for name in made if "rss" not in name)

    _build(site)
    # Without the previous build's state, a build keeps no site: nothing is reused.
    (site / ".lemmata" / fingerprint.STATE_FILE).unlink()
    assert edit("Zero.", day=5) == every
    assert "<lastmod>2024-01-05</lastmod>" in (public / "sitemap.xml").read_text("utf-8")
    assert edit("One.") == every  # the first rebuild assembles the site it keeps
    before = {name: (public / name).stat().st_ino for name in ("sitemap.xml", "rss.xml")}
    y_feed = (public / "categories/y/rss.xml").stat().st_ino
    # The kept site, reused: what shows A's text is made again, and only that.
    assert edit("Two.") == ["atom.xml", "categories/x/atom.xml"]
    assert "Two." in (public / "rss.xml").read_text("utf-8")
    assert (public / "rss.xml").stat().st_ino != before["rss.xml"]
    assert (public / "sitemap.xml").stat().st_ino == before["sitemap.xml"]
    assert (public / "categories/y/rss.xml").stat().st_ino == y_feed
    assert edit("Three.", day=9) == every  # a new date: a new site
    assert "<lastmod>2024-01-09</lastmod>" in (public / "sitemap.xml").read_text("utf-8")
    (public / "sitemap.xml").write_text("edited by hand", "utf-8")
    assert edit("Four.", day=9) == ["atom.xml", "categories/x/atom.xml", "sitemap"]
    assert "<lastmod>2024-01-09</lastmod>" in (public / "sitemap.xml").read_text("utf-8")


def test_a_text_edit_computes_the_keys_of_the_pages_showing_the_post_alone(
    make_site: MakeSite, keyed: list[str]
) -> None:
    posts = {f"content/posts/p{day}.md": _post(f"P{day}", day) for day in range(1, 13)}
    site = make_site(posts)
    edited = site / "content/posts/p12.md"
    _build(site)
    for text in ("One.", "Two."):
        edited.write_text(_post("P12", 12, text), "utf-8")
        keyed.clear()
        _build(site)
    # The first rebuild keeps its site; the second reuses it, and with it the keys of
    # every page that shows nothing of the edited post's rendering.
    assert "Two." in _page(site, "p12")
    assert "/posts/p12/" in keyed and "/posts/p1/" not in keyed
    assert len(set(keyed)) < len(posts)


def test_a_new_title_computes_the_keys_of_the_pages_showing_the_post_or_a_link_to_it(
    make_site: MakeSite, keyed: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    posts = {f"content/posts/p{day}.md": _post(f"P{day}", day) for day in range(1, 13)}
    site = make_site(posts)
    made: list[str] = []
    real_sitemap = _sitemap._sitemap
    monkeypatch.setattr(_sitemap, "_sitemap", lambda *a: made.append("sitemap") or real_sitemap(*a))
    edited = site / "content/posts/p12.md"
    _build(site)
    edited.write_text(_post("P12", 12, "One."), "utf-8")
    _build(site)  # the first rebuild keeps its site
    for title in ("Renamed", "Again"):  # given to the kept site
        edited.write_text(_post(title, 12, "One."), "utf-8")
        keyed.clear()
        made.clear()
        _build(site)
        assert title in _page(site, "p12") and title in _page(site, "p11")  # p11's next post
        assert title in (site / "public" / "atom.xml").read_text("utf-8")
        assert "/posts/p12/" in keyed and "/posts/p11/" in keyed
        assert "/posts/p1/" not in keyed and made == []  # the sitemap shows no titles


def test_a_page_reading_what_names_the_site_is_rendered_again_with_it(
    make_site: MakeSite,
) -> None:
    shown = "{% for url, title in site.titles %}{{ url }}={{ title }};{% endfor %}"
    site = _built(make_site, {"templates/404.html": shown}, a=_post("A", 1))
    _rewritten(site, "Edited.", "Closing.")  # the first rebuild keeps its site
    (site / "content/posts/a.md").write_text(_post("Renamed", 1), "utf-8")
    _build(site)
    assert (site / "public" / "404.html").read_text("utf-8") == "/posts/a/=Renamed;"


def test_a_link_to_a_retitled_post_shows_a_change() -> None:
    site = sample.site()
    retitled = ShownEntries(site, {}, retitled={"/posts/x/"})
    assert retitled.within((EntryLink("X", "/posts/x/", None),))
    assert not retitled.within((EntryLink("Y", "/posts/y/", None),))


def test_pages_are_rendered_again_when_what_every_page_shows_changes(
    make_site: MakeSite,
) -> None:
    site = make_site({"content/posts/a.md": _post("A", 1), "content/posts/b.md": _post("B", 2)})
    for number, head in enumerate(("<meta name=x content=one>", "<meta name=x content=two>")):
        for text in ("One.", "Two."):  # a text edit: the kept site is reused
            (site / "content/posts/a.md").write_text(_post("A", 1, f"{text} {number}"), "utf-8")
            build(BuildOptions(site_dir=site, jobs=1, now=NOW, extra_head=head))
        assert head in _page(site, "b") and head in (site / "public/index.html").read_text()
