"""The theme's pages, rendered from a small site built from the view dataclasses."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from jinja2 import Environment

from lemmata.errors import ContentError
from lemmata.markup import Html
from lemmata.site import Body, OutputFile
from lemmata.theme import _render as theme_render
from lemmata.theme import render_site
from lemmata.theme._render import date_format, environment, iso_format
from tests.htmlcheck import check_html
from tests.theme import sample


def render(root: Path, **config: object) -> dict[str, OutputFile]:
    files = render_site(sample.site(), sample.config(root, **config))
    return {item.path: item for item in files}


def text(files: dict[str, OutputFile], path: str) -> str:
    data = files[path].data
    assert data is not None
    return data.decode("utf-8")


@pytest.fixture
def files(tmp_path: Path) -> dict[str, OutputFile]:
    return render(tmp_path)


def test_every_route_is_rendered_once(files: dict[str, OutputFile]) -> None:
    pages = [path for path in files if path.endswith(".html")]
    assert sorted(pages) == sorted(route.path for route in sample.site().routes)


def test_every_page_balances_its_tags(files: dict[str, OutputFile]) -> None:
    for path in files:
        if path.endswith(".html"):
            problems, _ = check_html(text(files, path))
            assert problems == [], path


def test_home_has_hero_heading_and_cards(files: dict[str, OutputFile]) -> None:
    home = text(files, "index.html")
    assert '<span class="hero-text">INCOMING TRANSMISSION</span>' in home
    assert '<h2 id="stream-heading" class="section-heading">LATEST UPDATES</h2>' in home
    cards = re.findall(r'<article class="card">.*?</article>', home, re.S)
    assert len(cards) == 2
    first = cards[0]
    assert '<a class="badge" href="/categories/deep-learning/">Deep Learning</a>' in first
    assert '<time datetime="2026-01-11T09:30:00+08:00">2026-01-11</time>' in first
    assert '<a href="/posts/adamw/">AdamW 与 Adam</a>' in first
    # The excerpt is HTML with its rendered math, not escaped text.
    assert f"<p>Weight decay scales {sample.INLINE_MATH} differently.</p>" in first


def test_home_pagination_marks_current_page(files: dict[str, OutputFile]) -> None:
    second = text(files, "page/2/index.html")
    nav = re.search(r'<nav class="pagination".*?</nav>', second, re.S)
    assert nav is not None
    assert '<a href="/page/2/" aria-current="page">2</a>' in nav.group(0)
    assert '<a href="/">1</a>' in nav.group(0)
    assert '<a href="/page/3/">3</a>' in nav.group(0)
    assert 'href="/" rel="prev"' in nav.group(0)
    assert 'href="/page/3/" rel="next"' in nav.group(0)
    assert nav.group(0).count("aria-current") == 1


def test_single_page_lists_have_no_pagination(files: dict[str, OutputFile]) -> None:
    assert 'class="pagination"' not in text(files, "categories/deep-learning/index.html")


def test_head_has_language_title_description_canonical_and_feeds(
    files: dict[str, OutputFile],
) -> None:
    post = text(files, "posts/adamw/index.html")
    assert post.startswith('<!doctype html>\n<html lang="zh-CN">')
    assert "<title>AdamW 与 Adam · Field Notes</title>" in post
    assert '<meta name="description" content="Weight decay scales x^2 differently.">' in post
    assert '<link rel="canonical" href="https://notes.example.org/posts/adamw/">' in post
    assert (
        '<link rel="alternate" type="application/atom+xml" title="Field Notes (Atom)" href="/atom.xml">'
        in post
    )
    assert (
        '<link rel="alternate" type="application/rss+xml" title="Field Notes (RSS)" href="/rss.xml">'
        in post
    )
    assert '<meta name="color-scheme" content="light dark">' in post
    assert '<meta property="og:type" content="article">' in post


def test_feed_links_are_left_out_when_feeds_are_off(tmp_path: Path) -> None:
    from lemmata.config import FeedConfig

    home = text(render(tmp_path, feeds=FeedConfig(enabled=False)), "index.html")
    assert "application/atom+xml" not in home
    assert "rss.xml" not in home


def test_category_list_links_its_own_feeds(files: dict[str, OutputFile]) -> None:
    listing = text(files, "categories/deep-learning/index.html")
    assert 'title="Deep Learning (Atom)" href="/categories/deep-learning/atom.xml"' in listing
    assert 'title="Deep Learning (RSS)" href="/categories/deep-learning/rss.xml"' in listing
    assert "/tags/you-hua/atom.xml" not in text(files, "tags/you-hua/index.html")


def test_landmarks_and_skip_link(files: dict[str, OutputFile]) -> None:
    for path in ("index.html", "posts/lora/index.html", "404.html"):
        page = text(files, path)
        assert '<a class="skip-link" href="#main">' in page
        assert '<main id="main"' in page
        for landmark in (
            '<header class="site-header">',
            '<nav class="site-nav" aria-label="Site">',
            "<footer",
        ):
            assert landmark in page, (path, landmark)


def test_nav_links_about_only_when_the_page_exists(tmp_path: Path) -> None:
    with_about = text(render(tmp_path), "index.html")
    assert '<a href="/about/">About</a>' in with_about
    files = render_site(sample.site(about=False), sample.config(tmp_path))
    home = next(f for f in files if f.path == "index.html")
    assert home.data is not None and b'href="/about/"' not in home.data


def test_nav_marks_the_current_section(files: dict[str, OutputFile]) -> None:
    archive = text(files, "archive/index.html")
    assert '<a href="/archive/" aria-current="page">Archive</a>' in archive
    assert '<a href="/" aria-current' not in archive


def test_post_shows_meta_toc_body_neighbours_and_related(files: dict[str, OutputFile]) -> None:
    post = text(files, "posts/adamw/index.html")
    assert '<a class="badge" href="/categories/deep-learning/">Deep Learning</a>' in post
    assert ">2026-01-11</time>" in post
    assert 'updated <time datetime="2026-02-01T00:00:00+08:00">2026-02-01</time>' in post
    assert "<span>5 min read</span>" in post
    assert '<a href="/tags/you-hua/" data-pagefind-filter="tag:优化">#优化</a>' in post
    assert '<nav class="toc"><ul><li><a href="#decay">Decay</a></li></ul></nav>' in post
    assert f"<p>The update {sample.INLINE_MATH}.</p>" in post
    assert '<a class="prev" href="/posts/maximum-gap/" rel="prev">' in post
    assert 'rel="next"' not in post  # the newest post has no newer neighbour
    related = re.search(r'<section class="related".*?</section>', post, re.S)
    assert related is not None and '<a href="/posts/lora/">LoRA</a>' in related.group(0)


def test_post_without_toc_or_related_omits_them(files: dict[str, OutputFile]) -> None:
    post = text(files, "posts/lora/index.html")
    assert 'class="toc-box"' not in post
    assert 'class="related"' not in post
    assert '<a class="next" href="/posts/maximum-gap/" rel="next">' in post


def test_archive_groups_by_year_then_month(files: dict[str, OutputFile]) -> None:
    archive = text(files, "archive/index.html")
    headings = re.findall(
        r"<h2 id=\"y\d+\">(\d+)</h2>|<h3 class=\"archive-month\">([\d-]+)</h3>", archive
    )
    assert [a or b for a, b in headings] == ["2026", "2026-01", "2025", "2025-12", "2025-11"]


def test_terms_page_lists_every_term_with_its_count(files: dict[str, OutputFile]) -> None:
    terms = text(files, "categories/index.html")
    assert '<a href="/categories/algorithm/">Algorithm <span class="count">1</span></a>' in terms
    assert (
        '<a href="/categories/deep-learning/">Deep Learning <span class="count">2</span></a>'
        in terms
    )


def test_titles_are_escaped_and_content_is_never_template_code(tmp_path: Path) -> None:
    from dataclasses import replace

    site = sample.site()
    post = replace(
        site.posts[0],
        title="<b>bold</b> & co",
        body=Body(Html.of("<p>{{ config.title }} {% raw %}</p>")),
    )
    route = replace(site.routes[2], context={"entry": post})
    files = render_site(replace(site, routes=(route,)), sample.config(tmp_path))
    page = files[0].data
    assert page is not None
    assert b'<h1 data-pagefind-meta="title">&lt;b&gt;bold&lt;/b&gt; &amp; co</h1>' in page
    assert b"<p>{{ config.title }} {% raw %}</p>" in page


def test_extra_head_is_injected_before_head_closes(tmp_path: Path) -> None:
    snippet = '<script src="/__reload.js"></script>'
    files = render_site(sample.site(), sample.config(tmp_path), extra_head=snippet)
    home = next(f for f in files if f.path == "index.html").data
    assert home is not None
    assert home.decode().index(snippet) < home.decode().index("</head>")
    assert home.count(snippet.encode()) == 1


def test_site_templates_override_the_theme(tmp_path: Path) -> None:
    (tmp_path / "templates" / "partials").mkdir(parents=True)
    (tmp_path / "templates" / "404.html").write_text("lost: {{ config.title }}", encoding="utf-8")
    (tmp_path / "templates" / "partials" / "card.html").write_text(
        "<div class=mine>{{ entry.title }}</div>", encoding="utf-8"
    )
    files = render(tmp_path)
    assert text(files, "404.html") == "lost: Field Notes"
    home = text(files, "index.html")
    assert "<div class=mine>AdamW 与 Adam</div>" in home
    assert '<article class="card">' not in home


def test_date_filters_and_section_links(tmp_path: Path) -> None:
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "404.html").write_text(
        "{% set day = site.posts[0].date %}{{ day|iso }} | {{ day|date }} | "
        "{{ day|date('%d %b %Y') }} | {{ links.home }} {{ links.archive }} {{ links.tags }}",
        encoding="utf-8",
    )
    files = render(tmp_path, base_url="https://someone.github.io/notes/")
    day = sample.site().posts[0].date
    assert day is not None
    assert text(files, "404.html") == (
        f"{day.isoformat()} | {day:%Y-%m-%d} | {day:%d %b %Y} | /notes/ /notes/archive/ /notes/tags/"
    )


def test_date_filters_tell_apart_one_instant_in_two_zones() -> None:
    utc = datetime(2026, 1, 1, 16, 30, tzinfo=UTC)
    shanghai = utc.astimezone(ZoneInfo("Asia/Shanghai"))
    assert utc == shanghai  # equal as instants, so a cache keyed by value alone would mix them
    assert [iso_format(utc), iso_format(shanghai)] == [utc.isoformat(), shanghai.isoformat()]
    days = [date_format(utc, "%Y-%m-%d %H:%M"), date_format(shanghai, "%Y-%m-%d %H:%M")]
    assert days == ["2026-01-01 16:30", "2026-01-02 00:30"]


def test_undefined_names_are_errors_not_blanks(tmp_path: Path) -> None:
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "404.html").write_text("{{ no_such_name }}", encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        render(tmp_path)
    (problem,) = caught.value.diagnostics
    assert "'no_such_name' is undefined" in problem.message
    assert problem.location is not None and problem.location.path == "templates/404.html"


def test_assets_have_fingerprinted_names_used_by_pages(files: dict[str, OutputFile]) -> None:
    home = text(files, "index.html")
    style = re.search(r'<link rel="stylesheet" href="/(assets/style\.[0-9a-f]{8}\.css)">', home)
    script = re.search(r'<script src="/(assets/theme\.[0-9a-f]{8}\.js)" defer>', home)
    assert style is not None and style.group(1) in files
    assert script is not None and script.group(1) in files
    css = text(files, style.group(1))
    fonts = re.findall(r"url\(['\"]?([^'\")]+\.woff2)", css)
    assert len(fonts) >= 2, "the math CSS points at its fonts"
    for name in fonts:
        assert re.fullmatch(r"[\w-]+\.[0-9a-f]{8}\.woff2", name), name
        assert f"assets/{name}" in files


def test_asset_urls_carry_the_base_path(tmp_path: Path) -> None:
    files = render(tmp_path, base_url="https://someone.github.io/notes/")
    home = text(files, "index.html")
    assert re.search(r'href="/notes/assets/style\.[0-9a-f]{8}\.css"', home)
    assert '<a class="skip-link" href="#main">' in home
    assert 'href="/notes/archive/"' in home


def test_no_requests_to_other_hosts(files: dict[str, OutputFile]) -> None:
    for path, item in files.items():
        if not path.endswith((".html", ".css", ".js")):
            continue
        assert item.data is not None
        content = item.data.decode("utf-8")
        for url in re.findall(
            r"""(?:src|href|content)="(https?://[^"]*)"|url\(\s*['"]?(https?://[^'")]*)""", content
        ):
            found = url[0] or url[1]
            assert found.startswith("https://notes.example.org/"), (path, found)


def test_compiled_templates_are_kept_and_follow_their_source(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    overrides = tmp_path / "templates"
    overrides.mkdir()
    (overrides / "page.html").write_text("one {{ x }}")
    cache = tmp_path / "cache"
    assert environment(overrides, cache).get_template("page.html").render(x=1) == "one 1"
    assert list((cache / "templates").iterdir())

    compiled: list[str] = []
    original = Environment.compile

    def counting(self: Environment, source: str, *args: Any, **kwargs: Any) -> Any:
        compiled.append(source)
        return original(self, source, *args, **kwargs)

    monkeypatch.setattr(Environment, "compile", counting)
    assert environment(overrides, cache).get_template("page.html").render(x=2) == "one 2"
    assert compiled == []  # loaded, not compiled again
    (overrides / "page.html").write_text("two {{ x }}")
    assert environment(overrides, cache).get_template("page.html").render(x=3) == "two 3"
    assert compiled == ["two {{ x }}"]
    # Another version of lemmata may compile templates otherwise: it compiles them again.
    monkeypatch.setattr(theme_render, "code_version", lambda: "another version")
    assert environment(overrides, cache).get_template("page.html").render(x=4) == "two 4"
    assert compiled == ["two {{ x }}", "two {{ x }}"]


def test_an_unusable_template_cache_only_costs_compiling(tmp_path: Path) -> None:
    overrides = tmp_path / "templates"
    overrides.mkdir()
    (overrides / "page.html").write_text("{{ x }}")
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    assert environment(overrides, blocked).get_template("page.html").render(x=1) == "1"


def test_templates_take_the_globals_as_a_plain_dict(tmp_path: Path) -> None:
    # Copied into every new context; from a ChainMap that copy runs in Python.
    overrides = tmp_path / "templates"
    overrides.mkdir()
    (overrides / "page.html").write_text('{% include "part.html" %}')
    (overrides / "part.html").write_text("{{ x }} {{ y }}")
    env = environment(overrides)
    env.globals["x"] = 1
    template = env.get_template("page.html")
    assert template.render(y=2) == "1 2"
    assert type(template.globals) is dict and type(env.get_template("part.html").globals) is dict
