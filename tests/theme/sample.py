"""A small site built directly from the view dataclasses, for theme tests."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from lemmata.config import SiteConfig
from lemmata.markup import Html
from lemmata.site import (
    ArchiveMonth,
    Body,
    Entry,
    EntryLink,
    Pagination,
    Route,
    Site,
    Term,
    paged,
)

CST = timezone(timedelta(hours=8))

DEEP_LEARNING = Term("Deep Learning", "deep-learning", "/categories/deep-learning/", 2)
ALGORITHM = Term("Algorithm", "algorithm", "/categories/algorithm/", 1)
OPTIMIZATION = Term("优化", "you-hua", "/tags/you-hua/", 2)

INLINE_MATH = '<span class="math math-inline"><math><msup><mi>x</mi><mn>2</mn></msup></math></span>'


def config(root: Path, **overrides: Any) -> SiteConfig:
    values: dict[str, Any] = {
        "title": "Field Notes",
        "root": root,
        "base_url": "https://notes.example.org/",
        "description": "Notes on learning and algorithms.",
        "author": "A. Writer",
        "language": "zh-CN",
    }
    values.update(overrides)
    return SiteConfig(**values)


def entry(title: str, slug: str, date: datetime | None, **overrides: Any) -> Entry:
    values: dict[str, Any] = {
        "kind": "post" if date else "page",
        "title": title,
        "url": f"/posts/{slug}/" if date else f"/{slug}/",
        "permalink": f"https://notes.example.org/posts/{slug}/",
        "source": f"content/posts/{slug}.md",
        "date": date,
        "updated": None,
        "category": None,
        "tags": (),
        "body": Body(Html.of(f"<p>Body of {title}.</p>")),
        "toc_html": "",
        "excerpt_html": f"<p>Opening of {title}.</p>",
        "excerpt_text": f"Opening of {title}.",
        "reading_minutes": 1,
        "has_math": False,
        "has_code": False,
        "draft": False,
        "extra": {},
    }
    values.update(overrides)
    return Entry(**values)


def link(item: Entry) -> EntryLink:
    return EntryLink(item.title, item.url, item.date)


def posts() -> tuple[Entry, ...]:
    """Three posts, newest first, with neighbours and related posts filled in."""
    adamw = entry(
        "AdamW 与 Adam",
        "adamw",
        datetime(2026, 1, 11, 9, 30, tzinfo=CST),
        updated=datetime(2026, 2, 1, tzinfo=CST),
        category=DEEP_LEARNING,
        tags=(OPTIMIZATION,),
        body=Body(Html.of('<h2 id="decay">Decay</h2><p>The update ' + INLINE_MATH + ".</p>")),
        toc_html='<nav class="toc"><ul><li><a href="#decay">Decay</a></li></ul></nav>',
        excerpt_html="<p>Weight decay scales " + INLINE_MATH + " differently.</p>",
        excerpt_text="Weight decay scales x^2 differently.",
        reading_minutes=5,
        has_math=True,
    )
    gap = entry(
        "Maximum gap",
        "maximum-gap",
        datetime(2025, 12, 20, tzinfo=CST),
        category=ALGORITHM,
        excerpt_html="<p>Buckets and <code>nums</code>.</p>",
    )
    lora = entry(
        "LoRA",
        "lora",
        datetime(2025, 11, 2, tzinfo=CST),
        category=DEEP_LEARNING,
        tags=(OPTIMIZATION,),
    )
    return (
        replace(adamw, previous=link(gap), related=(link(lora),)),
        replace(gap, previous=link(lora), next=link(adamw)),
        replace(lora, next=link(gap)),
    )


def pagination(
    entries: tuple[Entry, ...], first_url: str, number: int = 1, total: int = 1
) -> Pagination:
    return Pagination(
        number=number,
        total=total,
        entries=entries,
        first_url=first_url,
        previous_url=paged(first_url, number - 1) if number > 1 else None,
        next_url=paged(first_url, number + 1) if number < total else None,
    )


def site(*, about: bool = True) -> Site:
    """Every template of the theme, each used by at least one route."""
    entries = posts()
    pages = (entry("About", "about", None, source="content/pages/about.md"),) if about else ()
    home = "home.html"
    hero = {"hero": "INCOMING TRANSMISSION", "heading": "LATEST UPDATES"}
    routes = [
        Route("index.html", "/", home, {"pagination": pagination(entries[:2], "/", 1, 3), **hero}),
        Route(
            "page/2/index.html",
            "/page/2/",
            home,
            {"pagination": pagination(entries[2:], "/", 2, 3), **hero},
        ),
        *(
            Route(f"posts/{e.url.split('/')[2]}/index.html", e.url, "post.html", {"entry": e})
            for e in entries
        ),
        *(Route(f"{p.url.strip('/')}/index.html", p.url, "page.html", {"entry": p}) for p in pages),
        Route(
            "categories/index.html",
            "/categories/",
            "terms.html",
            {"kind": "category", "terms": (ALGORITHM, DEEP_LEARNING)},
        ),
        Route("tags/index.html", "/tags/", "terms.html", {"kind": "tag", "terms": (OPTIMIZATION,)}),
        Route(
            "categories/deep-learning/index.html",
            DEEP_LEARNING.url,
            "list.html",
            {
                "kind": "category",
                "term": DEEP_LEARNING,
                "pagination": pagination(entries[::2], DEEP_LEARNING.url),
            },
        ),
        Route(
            "tags/you-hua/index.html",
            OPTIMIZATION.url,
            "list.html",
            {
                "kind": "tag",
                "term": OPTIMIZATION,
                "pagination": pagination(entries[::2], OPTIMIZATION.url),
            },
        ),
        Route(
            "archive/index.html",
            "/archive/",
            "archive.html",
            {
                "months": (
                    ArchiveMonth(2026, 1, entries[:1]),
                    ArchiveMonth(2025, 12, entries[1:2]),
                    ArchiveMonth(2025, 11, entries[2:]),
                )
            },
        ),
        Route("search/index.html", "/search/", "search.html"),
        Route("404.html", "/404.html", "404.html"),
    ]
    return Site(
        posts=entries,
        pages=pages,
        categories=(ALGORITHM, DEEP_LEARNING),
        tags=(OPTIMIZATION,),
        routes=tuple(routes),
        files=(),
    )
