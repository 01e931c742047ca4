"""Categories, tags, pagination, the archive, neighbours, related posts, routes."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import fields
from pathlib import Path

from lemmata._pickling import attributes
from lemmata.config import SiteConfig
from lemmata.content import slugify
from lemmata.site._model import (
    ArchiveMonth,
    Entry,
    EntryLink,
    Pagination,
    Route,
    Term,
    paged,
)
from lemmata.site._related import kept_related_ranks
from lemmata.site._urls import Urls

RELATED = 5
"""Related posts shown under a post."""


Terms = tuple[Term | None, tuple[Term, ...]]
"""A post's category (if any) and tags."""


def collect_terms(
    posts: Sequence[Entry],
    names: Mapping[str, tuple[tuple[str, ...], tuple[str, ...]]],
    urls: Urls,
    config: SiteConfig,
    known_slugs: Mapping[str, str] | None = None,
) -> tuple[tuple[Term, ...], tuple[Term, ...], list[Terms]]:
    """The categories and tags of the posts, and each post's own, in order.

    ``known_slugs`` maps term names to slugs already made (in ``config.slug_style``).
    """
    known = known_slugs or {}

    def slug_of(name: str) -> str:
        return known.get(name) or slugify(name, config.slug_style)

    category_names: dict[str, str] = {}
    tag_names: dict[str, str] = {}
    counts: dict[tuple[str, str], int] = {}
    for post in posts:
        categories, tags = names[post.source]
        if categories:
            slug = slug_of(categories[0])
            category_names.setdefault(slug, categories[0])
            counts[("c", slug)] = counts.get(("c", slug), 0) + 1
        for tag in dict.fromkeys(tags):
            slug = slug_of(tag)
            tag_names.setdefault(slug, tag)
            counts[("t", slug)] = counts.get(("t", slug), 0) + 1

    def term(kind: str, slug: str, name: str) -> Term:
        folder = "categories" if kind == "c" else "tags"
        return Term(name, slug, urls.url(f"/{folder}/{slug}/"), counts[(kind, slug)])

    category_terms = {s: term("c", s, n) for s, n in category_names.items()}
    tag_terms = {s: term("t", s, n) for s, n in tag_names.items()}
    own: list[Terms] = []
    for post in posts:
        cats, post_tags = names[post.source]
        category = category_terms[slug_of(cats[0])] if cats else None
        own.append((category, tuple(dict.fromkeys(tag_terms[slug_of(t)] for t in post_tags))))
    return (
        tuple(sorted(category_terms.values(), key=_by_name)),
        tuple(sorted(tag_terms.values(), key=_by_name)),
        own,
    )


def _by_name(term: Term) -> tuple[str, str]:
    return (term.name.lower(), term.slug)


def link_neighbours(
    posts: Sequence[Entry], terms: Sequence[Terms], cache_root: Path | None = None
) -> list[Entry]:
    """The posts with their terms, previous (older) and next (newer) posts, and related posts.

    Each post is made once, with everything: a build makes thousands. Related
    posts are kept in the cache of the site at ``cache_root`` (``None``: none).
    """
    related = kept_related_ranks(
        [frozenset(tag.slug for tag in tags) for _, tags in terms],
        [category.slug if category else None for category, _ in terms],
        RELATED,
        cache_root,
    )
    links = [_link(post) for post in posts]
    linked = []
    for index, (post, (category, tags)) in enumerate(zip(posts, terms, strict=True)):
        linked.append(
            _changed(
                post,
                category=category,
                tags=tags,
                previous=links[index + 1] if index + 1 < len(posts) else None,
                next=links[index - 1] if index > 0 else None,
                related=tuple(links[rank] for rank in related[index]),
            )
        )
    return linked


_ENTRY_FIELDS = tuple(field.name for field in fields(Entry))
_entry_values = attributes(_ENTRY_FIELDS)


def _changed(entry: Entry, **changes: object) -> Entry:
    """``dataclasses.replace`` for an entry at half the cost: a build makes thousands."""
    values = dict(zip(_ENTRY_FIELDS, _entry_values(entry), strict=True))
    values.update(changes)
    return Entry(**values)


def _link(entry: Entry) -> EntryLink:
    return EntryLink(entry.title, entry.url, entry.date)


def archive(posts: Sequence[Entry]) -> tuple[ArchiveMonth, ...]:
    """Posts grouped by year and month, newest first (undated posts left out)."""
    months: dict[tuple[int, int], list[Entry]] = {}
    for post in posts:
        if post.date is not None:
            months.setdefault((post.date.year, post.date.month), []).append(post)
    return tuple(
        ArchiveMonth(year, month, tuple(entries))
        for (year, month), entries in sorted(months.items(), reverse=True)
    )


def paginate(entries: Sequence[Entry], first_url: str, per_page: int) -> list[Pagination]:
    """The pages of a list; always at least one (possibly empty) page."""
    total = max(1, -(-len(entries) // per_page))
    pages = []
    for number in range(1, total + 1):
        chunk = tuple(entries[(number - 1) * per_page : number * per_page])
        pages.append(
            Pagination(
                number=number,
                total=total,
                entries=chunk,
                first_url=first_url,
                previous_url=paged(first_url, number - 1) if number > 1 else None,
                next_url=paged(first_url, number + 1) if number < total else None,
            )
        )
    return pages


def routes_for(
    posts: Sequence[Entry],
    pages: Sequence[Entry],
    categories: Sequence[Term],
    tags: Sequence[Term],
    months: tuple[ArchiveMonth, ...],
    urls: Urls,
    config: SiteConfig,
) -> tuple[Route, ...]:
    """Every HTML page of the site."""
    per_page = config.home.per_page
    routes: list[Route] = []

    def add(url: str, template: str, **context: object) -> None:
        routes.append(Route(urls.output_path(url), url, template, context))

    for page in paginate(posts, urls.url("/"), per_page):
        add(
            paged(urls.url("/"), page.number),
            "home.html",
            pagination=page,
            hero=config.home.hero,
            heading=config.home.heading,
        )
    for entry in posts:
        add(entry.url, "post.html", entry=entry)
    for entry in pages:
        add(entry.url, "page.html", entry=entry)
    members_of: dict[tuple[str, str], list[Entry]] = {}
    for post in posts:
        if post.category is not None:
            members_of.setdefault(("category", post.category.slug), []).append(post)
        for tag in post.tags:
            members_of.setdefault(("tag", tag.slug), []).append(post)
    for kind, folder, terms in (("category", "categories", categories), ("tag", "tags", tags)):
        add(urls.url(f"/{folder}/"), "terms.html", kind=kind, terms=tuple(terms))
        for term in terms:
            members = members_of.get((kind, term.slug), [])
            for page in paginate(members, term.url, per_page):
                add(
                    paged(term.url, page.number), "list.html", kind=kind, term=term, pagination=page
                )
    add(urls.url("/archive/"), "archive.html", months=months)
    if config.search.enabled:
        add(urls.url("/search/"), "search.html")
    add(urls.url("/404.html"), "404.html")
    return tuple(routes)
